// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include "core/Result.h"

#include <QObject>
#include <QThreadPool>

#include <functional>
#include <optional>

namespace gasper::console {

// Keeps one login token per master: in the system keychain (qtkeychain: Secret Service,
// KWallet, macOS Keychain, Windows Credential Store) when one answers, else in a JSON file
// created 0600 in a 0700 folder. A keychain that does not answer (headless: OtherError or
// NoBackendAvailable) switches the vault to the file for the rest of the run and sets
// fallbackActive, which the UI shows. All work is asynchronous: keychain jobs and file I/O
// (on one worker thread, so writes never interleave) report back on the GUI thread;
// callbacks never run after their context is gone. Tokens are never logged.
class TokenVault : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(TokenVault)
    Q_PROPERTY(bool fallbackActive READ fallbackActive NOTIFY fallbackChanged)
    Q_PROPERTY(QString fallbackPath READ fallbackPath CONSTANT)
    Q_PROPERTY(QString keychainError READ keychainError NOTIFY fallbackChanged)

public:
    // folder: where the fallback file lives (default: the app's config folder).
    explicit TokenVault(QString folder = {}, QObject *parent = nullptr);
    ~TokenVault() override;

    void store(const QString &account, const QString &token, QObject *context, std::function<void(Result<void>)> done);
    void load(const QString &account, QObject *context, std::function<void(Result<std::optional<QString>>)> done);
    void remove(const QString &account, QObject *context, std::function<void(Result<void>)> done);

    bool fallbackActive() const { return m_fallback; }
    QString fallbackPath() const { return m_path; }
    QString keychainError() const { return m_keychainError; }
    // Tests and `--no-keychain`: go straight to the file.
    void forceFallback(const QString &reason);

    static QString serviceName() { return QStringLiteral("gasper-console"); }

signals:
    void fallbackChanged();

private:
    void enterFallback(const QString &reason);
    void fileStore(const QString &account, std::optional<QString> token, QObject *context,
                   std::function<void(Result<void>)> done);
    void fileLoad(const QString &account, QObject *context, std::function<void(Result<std::optional<QString>>)> done);

    QString m_path;
    bool m_fallback = false;
    QString m_keychainError;
    QThreadPool m_io;
};

namespace detail {
// The file side, blocking: run on the vault's worker thread (and in tests).
Result<std::optional<QString>> readTokenFile(const QString &path, const QString &account);
Result<void> writeTokenFile(const QString &path, const QString &account, const std::optional<QString> &token);
} // namespace detail

} // namespace gasper::console
