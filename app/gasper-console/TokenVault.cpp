// SPDX-License-Identifier: MIT
#include "TokenVault.h"

#include "ConsoleLog.h"
#include "core/Future.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

#include <qt6keychain/keychain.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gasper::console {

namespace detail {

Result<std::optional<QString>> readTokenFile(const QString &path, const QString &account)
{
    QFile file(path);
    if (!file.exists())
        return std::optional<QString>();
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QJsonObject tokens = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonValue token = tokens.value(account);
    if (!token.isString())
        return std::optional<QString>();
    return std::optional<QString>(token.toString());
}

Result<void> writeTokenFile(const QString &path, const QString &account, const std::optional<QString> &token)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot create ") + folder);
    ::chmod(QFile::encodeName(folder).constData(), 0700);
    QJsonObject tokens;
    {
        QFile old(path);
        if (old.open(QIODevice::ReadOnly))
            tokens = QJsonDocument::fromJson(old.readAll()).object();
    }
    if (token)
        tokens.insert(account, *token);
    else
        tokens.remove(account);
    // The file is 0600 before the first byte of a token is in it, and replaced atomically.
    const QString temp = path + QStringLiteral(".tmp");
    const QByteArray tempName = QFile::encodeName(temp);
    ::unlink(tempName.constData());
    const int fd = ::open(tempName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot create ") + temp);
    ::fchmod(fd, 0600);
    const QByteArray data = QJsonDocument(tokens).toJson();
    const bool written = ::write(fd, data.constData(), size_t(data.size())) == data.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(tempName.constData(), QFile::encodeName(path).constData()) != 0) {
        ::unlink(tempName.constData());
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot write ") + path);
    }
    return {};
}

} // namespace detail

TokenVault::TokenVault(QString folder, QObject *parent)
    : QObject(parent)
{
    if (folder.isEmpty())
        folder = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    m_path = folder + QStringLiteral("/tokens.json");
    m_io.setMaxThreadCount(1);
}

TokenVault::~TokenVault()
{
    m_io.waitForDone();
}

void TokenVault::forceFallback(const QString &reason)
{
    enterFallback(reason);
}

void TokenVault::enterFallback(const QString &reason)
{
    if (m_fallback)
        return;
    m_fallback = true;
    m_keychainError = reason;
    qCWarning(lcConsole) << "no keychain answers (" << reason << "); tokens go to" << m_path << "(0600)";
    emit fallbackChanged();
}

namespace {
// A keychain that is absent or broken, as opposed to "no such entry" or "the user said no".
bool keychainMissing(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::OtherError
           || error == QKeychain::NotImplemented || error == QKeychain::AccessDenied;
}
} // namespace

void TokenVault::store(const QString &account, const QString &token, QObject *context,
                       std::function<void(Result<void>)> done)
{
    if (m_fallback)
        return fileStore(account, token, context, std::move(done));
    auto *job = new QKeychain::WritePasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(account);
    job->setTextData(token);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [this, job, account, token, guard, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            if (guard)
                done({});
            return;
        }
        if (keychainMissing(job->error())) {
            enterFallback(job->errorString());
            return fileStore(account, token, guard, done);
        }
        if (guard)
            done(fail(QStringLiteral("keychain"), job->errorString()));
    });
    job->start();
}

void TokenVault::load(const QString &account, QObject *context,
                      std::function<void(Result<std::optional<QString>>)> done)
{
    if (m_fallback)
        return fileLoad(account, context, std::move(done));
    auto *job = new QKeychain::ReadPasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(account);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [this, job, account, guard, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            if (guard)
                done(std::optional<QString>(job->textData()));
            return;
        }
        if (keychainMissing(job->error()))
            enterFallback(job->errorString());
        // Not in the keychain: maybe an earlier run had to use the file.
        fileLoad(account, guard, done);
    });
    job->start();
}

void TokenVault::remove(const QString &account, QObject *context, std::function<void(Result<void>)> done)
{
    // Both places: a token saved in the file by an earlier headless run goes too.
    QPointer<QObject> guard(context);
    auto removeFile = [this, account, guard, done = std::move(done)] { fileStore(account, std::nullopt, guard, done); };
    if (m_fallback)
        return removeFile();
    auto *job = new QKeychain::DeletePasswordJob(serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [this, job, removeFile] {
        if (keychainMissing(job->error()))
            enterFallback(job->errorString());
        removeFile();
    });
    job->start();
}

void TokenVault::fileStore(const QString &account, std::optional<QString> token, QObject *context,
                           std::function<void(Result<void>)> done)
{
    QPointer<QObject> guard(context);
    const QString path = m_path;
    Future<Result<void>>(QtConcurrent::run(&m_io, [path, account, token] {
        return detail::writeTokenFile(path, account, token);
    })).then(this, [guard, done = std::move(done)](const Result<void> &result) {
        if (guard)
            done(result);
    });
}

void TokenVault::fileLoad(const QString &account, QObject *context,
                          std::function<void(Result<std::optional<QString>>)> done)
{
    QPointer<QObject> guard(context);
    const QString path = m_path;
    Future<Result<std::optional<QString>>>(QtConcurrent::run(&m_io, [path, account] {
        return detail::readTokenFile(path, account);
    })).then(this, [guard, done = std::move(done)](const Result<std::optional<QString>> &result) {
        if (guard)
            done(result);
    });
}

} // namespace gasper::console
