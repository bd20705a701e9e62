// SPDX-License-Identifier: MIT
#include "ssh/Keys.h"

#include "core/Log.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <libssh/libssh.h>

#include <memory>

namespace gasper::ssh {

using namespace Qt::StringLiterals;

namespace {

struct KeyDeleter
{
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
using KeyPtr = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyDeleter>;

Result<QString> fingerprintOf(ssh_key key)
{
    unsigned char *hash = nullptr;
    size_t length = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK)
        return fail(u"invalid-key"_s, u"The key's fingerprint could not be computed."_s);
    char *text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
    ssh_clean_pubkey_hash(&hash);
    if (!text)
        return fail(u"invalid-key"_s, u"The key's fingerprint could not be computed."_s);
    const QString fingerprint = QString::fromLatin1(text);
    ssh_string_free_char(text);
    return fingerprint;
}

Result<QString> publicLineOf(ssh_key key)
{
    char *b64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK || !b64)
        return fail(u"invalid-key"_s, u"The public key could not be exported."_s);
    const QString line = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key))) + u' ' + QString::fromLatin1(b64);
    ssh_string_free_char(b64);
    return line;
}

// libssh 0.10 does not export ssh_key_size(): read n from the blob (string type, mpint e,
// mpint n).
int rsaModulusBits(const QByteArray &blob)
{
    qsizetype at = 0;
    QByteArray field;
    for (int i = 0; i < 3; ++i) {
        if (at + 4 > blob.size())
            return 0;
        const auto *p = reinterpret_cast<const unsigned char *>(blob.constData() + at);
        const qsizetype length = (qsizetype(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
        at += 4;
        if (length < 0 || at + length > blob.size())
            return 0;
        field = blob.mid(at, length);
        at += length;
    }
    while (!field.isEmpty() && field.front() == 0)
        field.remove(0, 1);
    if (field.isEmpty())
        return 0;
    int bits = int(field.size() - 1) * 8;
    for (auto top = static_cast<unsigned char>(field.front()); top; top >>= 1)
        ++bits;
    return bits;
}

Error hostKeyError(const QString &path, const QString &what)
{
    return Error{u"ssh-host-key"_s, u"SSH host key %1: %2"_s.arg(path, what)};
}

} // namespace

Result<HostKey> HostKey::loadOrCreate(const QString &path)
{
    HostKey hostKey;
    ssh_key raw = nullptr;
    if (QFileInfo::exists(path)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return std::unexpected(hostKeyError(path, file.errorString()));
        constexpr auto privateOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        if (file.permissions() & ~(privateOnly | QFileDevice::ReadUser | QFileDevice::WriteUser)) {
            qCWarning(lcSsh) << "host key" << path << "was readable by others; narrowed to 0600";
            file.setPermissions(privateOnly);
        }
        hostKey.m_private = file.readAll();
        if (ssh_pki_import_privkey_base64(hostKey.m_private.constData(), nullptr, nullptr, nullptr, &raw) != SSH_OK)
            return std::unexpected(hostKeyError(path, u"not an OpenSSH private key"_s));
    } else {
        if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &raw) != SSH_OK)
            return std::unexpected(hostKeyError(path, u"could not generate an Ed25519 key"_s));
        char *text = nullptr;
        if (ssh_pki_export_privkey_base64(raw, nullptr, nullptr, nullptr, &text) != SSH_OK || !text) {
            ssh_key_free(raw);
            return std::unexpected(hostKeyError(path, u"could not export the new key"_s));
        }
        hostKey.m_private = QByteArray(text);
        ssh_string_free_char(text);
        QSaveFile file(path);
        // The permissions go on before the first byte of the key does.
        if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
            || file.write(hostKey.m_private) != hostKey.m_private.size() || !file.commit()) {
            ssh_key_free(raw);
            return std::unexpected(hostKeyError(path, file.errorString()));
        }
        qCInfo(lcSsh) << "made a new Ed25519 host key in" << path;
    }
    const KeyPtr key(raw);
    if (ssh_key_type(key.get()) != SSH_KEYTYPE_ED25519)
        return std::unexpected(hostKeyError(path, u"not an Ed25519 key"_s));
    auto line = publicLineOf(key.get());
    auto fingerprint = fingerprintOf(key.get());
    if (!line || !fingerprint)
        return std::unexpected(hostKeyError(path, u"the key could not be read back"_s));
    hostKey.m_public = *line;
    hostKey.m_fingerprint = *fingerprint;
    return hostKey;
}

Result<PublicKey> PublicKey::parse(const QString &text)
{
    const auto invalid = [](const QString &why) { return fail(u"invalid-key"_s, why); };
    const QStringList parts = text.trimmed().split(QRegularExpression(u"\\s+"_s), Qt::SkipEmptyParts);
    if (parts.size() < 2)
        return invalid(u"An SSH public key is one line \"type base64 [comment]\", as in ~/.ssh/id_ed25519.pub."_s);
    const QString type = parts[0];
    const QByteArray blob = parts[1].toLatin1();
    if (type.contains(u"-cert-"))
        return invalid(u"Certificates are not accepted; give the plain public key."_s);
    const ssh_keytypes_e wanted = ssh_key_type_from_name(type.toLatin1().constData());
    if (wanted == SSH_KEYTYPE_UNKNOWN)
        return invalid(u"Unknown key type '%1'."_s.arg(type.left(40)));
    if (wanted == SSH_KEYTYPE_DSS)
        return invalid(u"DSA keys are refused (as by OpenSSH); use Ed25519."_s);
    ssh_key raw = nullptr;
    if (ssh_pki_import_pubkey_base64(blob.constData(), wanted, &raw) != SSH_OK || !raw)
        return invalid(u"The key data does not parse as a %1 key."_s.arg(type));
    const KeyPtr key(raw);
    const QString actual = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key.get())));
    if (ssh_key_type(key.get()) != wanted && !(type.startsWith(u"ecdsa-") && actual.startsWith(u"ecdsa-")))
        return invalid(u"The key data is a %1 key, not %2."_s.arg(actual, type));
    if (ssh_key_type(key.get()) == SSH_KEYTYPE_RSA) {
        if (const int bits = rsaModulusBits(QByteArray::fromBase64(blob)); bits < 2048)
            return invalid(u"RSA keys need at least 2048 bits; this one has %1."_s.arg(bits));
    }
    auto line = publicLineOf(key.get());
    auto fingerprint = fingerprintOf(key.get());
    if (!line)
        return std::unexpected(line.error());
    if (!fingerprint)
        return std::unexpected(fingerprint.error());
    PublicKey result;
    result.type = line->section(u' ', 0, 0);
    result.base64 = line->section(u' ', 1, 1);
    result.comment = parts.mid(2).join(u' ').left(200);
    result.fingerprint = *fingerprint;
    return result;
}

} // namespace gasper::ssh
