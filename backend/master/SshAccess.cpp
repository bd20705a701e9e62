// SPDX-License-Identifier: MIT
#include "master/SshAccess.h"

#include "master/Credentials.h"
#include "store/AsyncStore.h"

#include <QPointer>

namespace gasper::master {

using namespace Qt::StringLiterals;

namespace {

Error denied()
{
    return Error{u"denied"_s, u"Permission denied."_s};
}

} // namespace

SshAccess::SshAccess(store::AsyncStore *store, QObject *parent) : QObject(parent), m_store(store) {}

void SshAccess::authenticate(const ssh::SshCredentials &credentials, QObject *context,
                             std::function<void(Result<ssh::SshLogin>)> callback)
{
    const QPointer<QObject> guard(context);
    const auto reply = [guard, context, callback](Result<ssh::SshLogin> result) {
        if (guard || !context)
            callback(std::move(result));
    };
    const QString app = credentials.app;
    if (credentials.method == ssh::SshCredentials::Method::Password) {
        Future<Result<store::AppSshAccess>>(m_store->run([app](store::Store &s) { return s.appSshAccess(app); }))
            .then(this, [this, reply, app, password = credentials.password](const Result<store::AppSshAccess> &access) {
                // verifyPassword hashes against a dummy for an empty hash: same time, never true.
                const QString hash = access ? access->passwordHash : QString();
                verifyPassword(hash, password).then(this, [reply, app](const Result<bool> &ok) {
                    if (!ok) {  // the password queue is full (busy): refused like a wrong password
                        reply(std::unexpected(ok.error()));
                        return;
                    }
                    reply(*ok ? Result<ssh::SshLogin>(ssh::SshLogin{app, u"app password"_s}) : std::unexpected(denied()));
                });
            });
        return;
    }
    const QString fingerprint = credentials.fingerprint;
    const QString publicKey = credentials.publicKey;
    struct Answer
    {
        Result<store::AppSshAccess> access;
        Result<store::SshKeyRecord> key;
    };
    Future<Answer>(m_store->run([app, fingerprint](store::Store &s) {
        return Answer{s.appSshAccess(app), s.sshKeyByFingerprint(fingerprint)};
    })).then(this, [reply, app, publicKey](const Answer &answer) {
        if (!answer.access || !answer.key || answer.key->publicKey != publicKey
            || !(answer.key->userId == answer.access->ownerId || answer.key->userIsAdmin)) {
            reply(std::unexpected(denied()));
            return;
        }
        const QString who = answer.key->userId == answer.access->ownerId ? u"owner"_s : u"admin"_s;
        reply(ssh::SshLogin{app, u"%1 %2 (key %3)"_s.arg(who, answer.key->username, answer.key->fingerprint)});
    });
}

void SshAccess::liveContainer(const QString &app, QObject *context, std::function<void(Result<QString>)> callback)
{
    const QPointer<QObject> guard(context);
    Future<Result<store::AppSshAccess>>(m_store->run([app](store::Store &s) { return s.appSshAccess(app); }))
        .then(this, [guard, context, callback](const Result<store::AppSshAccess> &access) {
            if (!guard && context)
                return;
            if (!access || access->containerId.isEmpty()) {
                callback(fail(u"container-gone"_s, u"The app has no running container (is it deployed and running?)."_s));
                return;
            }
            callback(access->containerId);
        });
}

} // namespace gasper::master
