// SPDX-License-Identifier: MIT
#include "CredentialStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <optional>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

namespace {

Error ioError(const QString &what, const QString &path)
{
    return Error{u"credentials"_s, u"cannot %1 %2: %3"_s.arg(what, path, QString::fromLocal8Bit(std::strerror(errno)))};
}

} // namespace

CredentialStore::CredentialStore(QString path)
    : m_path(std::move(path))
{
}

QString CredentialStore::defaultPath()
{
    // XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty() || QDir::isRelativePath(config))
        config = QDir::homePath() + u"/.config"_s;
    return config + u"/gasper/credentials.json"_s;
}

Result<std::optional<Credentials>> CredentialStore::load() const
{
    QFile file(m_path);
    if (!file.exists())
        return std::optional<Credentials>();
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"credentials"_s, u"cannot read %1: %2"_s.arg(m_path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(1 << 20), &parseError);
    const QJsonObject o = doc.object();
    Credentials c{o.value(u"api"_s).toString(), o.value(u"token"_s).toString(), o.value(u"username"_s).toString(),
                  o.value(u"expires_at"_s).toString()};
    if (parseError.error != QJsonParseError::NoError || !doc.isObject() || c.token.isEmpty())
        return fail(u"credentials"_s, u"%1 is not a gasperctl credentials file; run `gasperctl login` again"_s.arg(m_path));
    return std::optional<Credentials>(std::move(c));
}

Result<void> CredentialStore::save(const Credentials &c) const
{
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(dir))
        return fail(u"credentials"_s, u"cannot create %1"_s.arg(dir));
    // Only our own folder gets tightened; ~/.config itself is the user's business.
    if (QFileInfo(dir).fileName() == u"gasper")
        ::chmod(QFile::encodeName(dir).constData(), 0700);

    const QByteArray data = QJsonDocument(QJsonObject{{u"api"_s, c.api},
                                                      {u"token"_s, c.token},
                                                      {u"username"_s, c.username},
                                                      {u"expires_at"_s, c.expiresAt}})
                                .toJson(QJsonDocument::Indented);
    // open(O_EXCL, 0600) rather than QSaveFile: the mode is set when the file is created,
    // so there is no moment when the token sits in a world-readable file.
    const QByteArray target = QFile::encodeName(m_path);
    const QByteArray temp = target + ".tmp-" + QByteArray::number(::getpid());
    ::unlink(temp.constData());
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return std::unexpected(ioError(u"create"_s, QFile::decodeName(temp)));
    // The umask can only remove bits; fchmod makes the mode exactly 0600 whatever it is.
    bool ok = ::fchmod(fd, 0600) == 0;
    qsizetype written = 0;
    while (ok && written < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        written += n > 0 ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    std::optional<Error> error;
    if (!ok)
        error = ioError(u"write"_s, QFile::decodeName(temp));
    if (::close(fd) != 0 && !error)
        error = ioError(u"write"_s, QFile::decodeName(temp));
    if (!error && ::rename(temp.constData(), target.constData()) != 0)
        error = ioError(u"replace"_s, m_path);
    if (error) {
        ::unlink(temp.constData());
        return std::unexpected(*error);
    }
    return {};
}

Result<void> CredentialStore::remove() const
{
    if (::unlink(QFile::encodeName(m_path).constData()) != 0 && errno != ENOENT)
        return std::unexpected(ioError(u"remove"_s, m_path));
    return {};
}

} // namespace gasper::ctl
