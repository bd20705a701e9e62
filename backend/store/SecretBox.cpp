// SPDX-License-Identifier: MIT
#include "store/SecretBox.h"

#include "core/Log.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace gasper::store {

namespace {

Result<void> initSodium()
{
    // sodium_init() is thread-safe and idempotent; a static makes it run once per process.
    static const int rc = sodium_init();
    if (rc < 0)
        return fail(QStringLiteral("store-error"), QStringLiteral("libsodium failed to initialise"));
    return {};
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

Result<void> writeAll(int fd, const unsigned char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(QStringLiteral("store-error"), QStringLiteral("cannot write the secret key: ") + errnoText());
        }
        data += n;
        size -= size_t(n);
    }
    return {};
}

// Creates keyPath with a new random key. The key is written to a private temporary file
// first and then hard-linked into place: link() never replaces an existing file, so a
// concurrent creator wins cleanly and we read its key instead.
Result<void> createKeyFile(const QString &keyPath)
{
    const QByteArray path = QFile::encodeName(keyPath);
    const QByteArray tmp = path + ".tmp." + QByteArray::number(qint64(::getpid()));
    ::unlink(tmp.constData());
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(QStringLiteral("store-error"),
                    QStringLiteral("cannot create the secret key file %1: %2").arg(keyPath, errnoText()));
    std::array<unsigned char, SecretBox::KeyBytes> key{};
    crypto_secretbox_keygen(key.data());
    auto written = writeAll(fd, key.data(), key.size());
    sodium_memzero(key.data(), key.size());
    if (written && ::fsync(fd) != 0)
        written = fail(QStringLiteral("store-error"), QStringLiteral("cannot sync the secret key file: ") + errnoText());
    ::close(fd);
    if (!written) {
        ::unlink(tmp.constData());
        return written;
    }
    const int linked = ::link(tmp.constData(), path.constData());
    const int linkErrno = errno;
    ::unlink(tmp.constData());
    if (linked != 0 && linkErrno != EEXIST) {
        errno = linkErrno;
        return fail(QStringLiteral("store-error"),
                    QStringLiteral("cannot install the secret key file %1: %2").arg(keyPath, errnoText()));
    }
    // Make the new directory entry durable too.
    const QByteArray dir = QFile::encodeName(QFileInfo(keyPath).absolutePath());
    const int dirFd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

} // namespace

SecretBox::~SecretBox()
{
    sodium_memzero(m_key.data(), m_key.size());
}

Result<SecretBox> SecretBox::fromKey(QByteArrayView key)
{
    if (auto ok = initSodium(); !ok)
        return std::unexpected(ok.error());
    if (key.size() != KeyBytes)
        return fail(QStringLiteral("store-error"),
                    QStringLiteral("a secret key has %1 bytes, got %2").arg(KeyBytes).arg(key.size()));
    SecretBox box;
    std::memcpy(box.m_key.data(), key.data(), KeyBytes);
    return box;
}

Result<SecretBox> SecretBox::loadOrCreate(const QString &keyPath)
{
    if (auto ok = initSodium(); !ok)
        return std::unexpected(ok.error());
    const QFileInfo info(keyPath);
    if (!info.exists()) {
        if (!QDir().mkpath(info.absolutePath()))
            return fail(QStringLiteral("store-error"),
                        QStringLiteral("cannot create the directory of the secret key %1").arg(keyPath));
        if (auto created = createKeyFile(keyPath); !created)
            return std::unexpected(created.error());
        qCInfo(lcStore) << "created a new secret key" << keyPath;
    }

    const QByteArray path = QFile::encodeName(keyPath);
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(QStringLiteral("store-error"),
                    QStringLiteral("cannot read the secret key file %1: %2").arg(keyPath, errnoText()));
    std::array<unsigned char, KeyBytes + 1> buffer{};  // one spare byte detects a too-long file
    size_t total = 0;
    while (total < buffer.size()) {
        const ssize_t n = ::read(fd, buffer.data() + total, buffer.size() - total);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        total += size_t(n);
    }
    ::close(fd);
    if (total != size_t(KeyBytes)) {
        sodium_memzero(buffer.data(), buffer.size());
        return fail(QStringLiteral("store-error"),
                    QStringLiteral("the secret key file %1 must hold exactly %2 bytes").arg(keyPath).arg(KeyBytes));
    }
    SecretBox box;
    std::memcpy(box.m_key.data(), buffer.data(), KeyBytes);
    sodium_memzero(buffer.data(), buffer.size());
    constexpr auto others = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
    if (QFileInfo(keyPath).permissions() & others)
        qCWarning(lcStore) << "the secret key file" << keyPath << "is accessible to other users; make it mode 0600";
    return box;
}

QByteArray SecretBox::seal(QByteArrayView plain) const
{
    QByteArray out(qsizetype(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) + plain.size(), Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(out.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char *>(plain.data()),
                          static_cast<unsigned long long>(plain.size()), nonce, m_key.data());
    return out;
}

Result<QByteArray> SecretBox::open(QByteArrayView sealed) const
{
    constexpr qsizetype overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (sealed.size() < overhead)
        return fail(QStringLiteral("secret-invalid"), QStringLiteral("a sealed secret is too short"));
    const auto *nonce = reinterpret_cast<const unsigned char *>(sealed.data());
    QByteArray plain(sealed.size() - overhead, Qt::Uninitialized);
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                   static_cast<unsigned long long>(sealed.size() - crypto_secretbox_NONCEBYTES), nonce,
                                   m_key.data())
        != 0) {
        return fail(QStringLiteral("secret-invalid"),
                    QStringLiteral("a sealed secret does not authenticate (wrong key or corrupted data)"));
    }
    return plain;
}

} // namespace gasper::store
