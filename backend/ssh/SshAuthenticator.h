// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace gasper::ssh {

// One login attempt for `ssh <app>@host`, as the session thread saw it.
struct SshCredentials
{
    enum class Method { Password, PublicKey };
    QString app;      // the SSH user name
    QString source;   // the peer's address, for logs and limits
    Method method = Method::Password;
    QString password;          // Method::Password
    QString publicKey;         // Method::PublicKey: "ssh-ed25519 AAAA…" (no comment)
    QString fingerprint;       // Method::PublicKey: "SHA256:…" of the key blob
};

struct SshLogin
{
    QString app;
    QString account;  // who logged in, for the log: "owner alice (key SHA256:…)", "app password"
};

// What the SSH server asks the master, so that backend/ssh never depends on it. Called on
// the SshServer's thread; each callback runs exactly once on that thread, and never after
// `context` is gone.
class SshAuthenticator
{
public:
    virtual ~SshAuthenticator() = default;

    // Success only for the app's own password, or a key registered by the app's owner or
    // by an admin; anything else is `denied` (same answer for an unknown app).
    virtual void authenticate(const SshCredentials &credentials, QObject *context,
                              std::function<void(Result<SshLogin>)> callback) = 0;
    // The app's live container now; `container-gone` when it has none (stopped, deploying
    // for the first time, failed).
    virtual void liveContainer(const QString &app, QObject *context,
                               std::function<void(Result<QString>)> callback) = 0;
};

} // namespace gasper::ssh
