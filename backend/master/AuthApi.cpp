// SPDX-License-Identifier: MIT
#include "master/AuthApi.h"

#include "core/Log.h"
#include "core/Names.h"
#include "master/ApiSupport.h"
#include "master/AppJson.h"
#include "master/Credentials.h"
#include "store/AsyncStore.h"

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

QString stringField(const QJsonObject &body, const char *key)
{
    return body.value(QLatin1StringView(key)).toString();
}

} // namespace

void AuthApi::addRoutes(Router &r)
{
    r.add("POST", u"/api/v1/auth/register"_s, Access::Public, this, &AuthApi::registerUser);
    r.add("POST", u"/api/v1/auth/login"_s, Access::Public, this, &AuthApi::login);
    r.add("POST", u"/api/v1/auth/logout"_s, Access::Token, this, &AuthApi::logout);
    r.add("GET", u"/api/v1/users/me"_s, Access::Token, this, &AuthApi::me);
}

void AuthApi::registerUser(const CallPtr &call)
{
    auto body = parseJsonObject(call->body());
    if (!body)
        return call->fail(body.error());
    for (auto it = body->begin(); it != body->end(); ++it) {
        if (it.key() != u"username" && it.key() != u"email" && it.key() != u"password")
            return call->fail(u"invalid-body"_s, u"'%1' is not a known field"_s.arg(it.key()));
    }
    const QString username = stringField(*body, "username");
    const QString email = stringField(*body, "email").trimmed();
    const QString password = stringField(*body, "password");
    if (!isValidUsername(username))
        return call->fail(u"invalid-body"_s, u"username must be 2-32 characters of a-z, 0-9, '.', '_' "
                                              "and '-', starting with a letter"_s);
    if (email.size() < 3 || email.size() > 254 || !email.contains(u'@') || email.contains(u' '))
        return call->fail(u"invalid-body"_s, u"email must be an e-mail address"_s);
    if (password.size() < 8 || password.size() > 1024)
        return call->fail(u"invalid-body"_s, u"password must be 8 to 1024 characters"_s);
    hashPassword(password).then(this, [this, call, username, email](const Result<QString> &hash) {
        if (!hash)
            return call->fail(hash.error());
        m_ctx.store->run([username, email, h = *hash](store::Store &s) { return s.createUser(username, email, h); })
            .then(this, [call](const Result<store::User> &user) {
                if (!user)
                    return call->fail(user.error());
                qCInfo(lcMaster).noquote() << "registered user" << user->username << (user->admin ? "(admin)" : "");
                call->finish(Answer::json(201, userToJson(*user)));
            });
    });
}

void AuthApi::login(const CallPtr &call)
{
    auto body = parseJsonObject(call->body());
    if (!body)
        return call->fail(body.error());
    const QString username = stringField(*body, "username");
    const QString password = stringField(*body, "password");
    if (username.isEmpty() || password.isEmpty())
        return call->fail(u"invalid-body"_s, u"username and password are required"_s);
    if (const qint64 wait = m_loginThrottle.retryAfter(username, QDateTime::currentDateTimeUtc())) {
        call->setHeader("Retry-After", QByteArray::number(wait));
        return call->fail(u"too-many-attempts"_s,
                          u"too many wrong passwords for '%1': try again in %2 s"_s.arg(username).arg(wait));
    }
    m_ctx.store->run([username](store::Store &s) { return s.userByName(username); })
        .then(this, [this, call, username, password](const Result<store::User> &user) {
            const QString hash = user ? user->passwordHash : QString();
            verifyPassword(hash, password).then(this, [this, call, username, user](bool ok) {
                if (!ok || !user) {
                    m_loginThrottle.failed(username, QDateTime::currentDateTimeUtc());
                    return call->fail(u"invalid-credentials"_s, u"wrong username or password"_s);
                }
                m_loginThrottle.succeeded(username);
                const QString token = newToken();
                const QDateTime expires =
                    QDateTime::currentDateTimeUtc().addSecs(qint64(m_ctx.config.tokenTtlHours) * 3600);
                m_ctx.store->run([id = user->id, h = tokenHash(token), expires](store::Store &s) {
                           return s.createToken(id, h, expires);
                       })
                    .then(this, [call, token, expires, u = *user](const Result<void> &stored) {
                        if (!stored)
                            return call->fail(stored.error());
                        call->finish(Answer::json(200, QJsonObject{{u"token"_s, token},
                                                                   {u"expires_at"_s, isoTime(expires)},
                                                                   {u"user"_s, userToJson(u)}}));
                    });
            });
        });
}

void AuthApi::logout(const CallPtr &call)
{
    // Revokes exactly the token this call authenticated with.
    const QByteArray hash = tokenHash(QString::fromUtf8(call->token()));
    m_ctx.store->run([hash](store::Store &s) { return s.deleteToken(hash); }).then(this, [call](const Result<void> &r) {
        if (!r)
            return call->fail(r.error());
        call->finish(Answer::empty(204));
    });
}

Reply AuthApi::me(const CallPtr &call)
{
    return Answer::json(200, userToJson(call->user()));
}

} // namespace gasper::master
