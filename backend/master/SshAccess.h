// SPDX-License-Identifier: MIT
#pragma once

#include "ssh/SshAuthenticator.h"

#include <QObject>

namespace gasper::store {
class AsyncStore;
}

namespace gasper::master {

// The master's side of SSH logins (ssh::SshAuthenticator): an app opens to its own SSH
// password (argon2id, as user passwords; an unknown app or an app without one costs the
// same hash time), or to a public key registered by the app's owner or by an admin.
// Another user's key or password never opens an app. Lives on the event-loop thread.
class SshAccess final : public QObject, public ssh::SshAuthenticator
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshAccess)

public:
    explicit SshAccess(store::AsyncStore *store, QObject *parent = nullptr);

    void authenticate(const ssh::SshCredentials &credentials, QObject *context,
                      std::function<void(Result<ssh::SshLogin>)> callback) override;
    void liveContainer(const QString &app, QObject *context,
                       std::function<void(Result<QString>)> callback) override;

private:
    store::AsyncStore *m_store;
};

} // namespace gasper::master
