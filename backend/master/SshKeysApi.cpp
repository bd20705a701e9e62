// SPDX-License-Identifier: MIT
#include "master/SshKeysApi.h"

#include "core/Log.h"
#include "master/ApiSupport.h"
#include "ssh/Keys.h"
#include "store/AsyncStore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

QJsonObject keyToJson(const store::SshKeyRecord &key)
{
    return QJsonObject{{u"id"_s, key.id},
                       {u"name"_s, key.name},
                       {u"type"_s, key.publicKey.section(u' ', 0, 0)},
                       {u"fingerprint"_s, key.fingerprint},
                       {u"public_key"_s, key.publicKey},
                       {u"created_at"_s, isoTime(key.createdAt)}};
}

bool validKeyName(const QString &name)
{
    return !name.isEmpty() && name.size() <= 100
           && std::all_of(name.begin(), name.end(), [](QChar c) { return c.isPrint(); });
}

} // namespace

Result<QString> parseSshPassword(const QJsonValue &value, bool allowNull)
{
    if (value.isNull() && allowNull)
        return QString();
    if (!value.isString() || value.toString().size() < 8 || value.toString().size() > 1024)
        return fail(u"invalid-body"_s, allowNull ? u"password must be 8 to 1024 characters, or null to remove it"_s
                                                 : u"password must be 8 to 1024 characters"_s);
    return value.toString();
}

void SshKeysApi::addRoutes(Router &r)
{
    r.add("POST", u"/api/v1/users/me/keys"_s, Access::Token, this, &SshKeysApi::add);
    r.add("GET", u"/api/v1/users/me/keys"_s, Access::Token, this, &SshKeysApi::list);
    r.add("DELETE", u"/api/v1/users/me/keys/{key}"_s, Access::Token, this, &SshKeysApi::remove);
}

void SshKeysApi::add(const CallPtr &call)
{
    auto body = parseJsonObject(call->body());
    if (!body)
        return call->fail(body.error());
    for (auto it = body->begin(); it != body->end(); ++it) {
        if (it.key() != u"public_key" && it.key() != u"name")
            return call->fail(u"invalid-body"_s, u"'%1' is not a known field (public_key, name)"_s.arg(it.key()));
    }
    if (!body->value(u"public_key").isString())
        return call->fail(u"invalid-body"_s, u"public_key is required: the line of ~/.ssh/id_ed25519.pub"_s);
    auto key = ssh::PublicKey::parse(body->value(u"public_key").toString());
    if (!key)
        return call->fail(key.error());
    QString name = body->contains(u"name") ? body->value(u"name").toString() : key->comment;
    if (body->contains(u"name") && !validKeyName(name))
        return call->fail(u"invalid-body"_s, u"name must be 1 to 100 printable characters"_s);
    if (!validKeyName(name))
        name = key->type + u' ' + key->fingerprint.right(8);
    const qint64 user = call->user().id;
    m_ctx.store
        ->run([user, name, line = key->line(), fingerprint = key->fingerprint](store::Store &s) {
            return s.addSshKey(user, name, line, fingerprint);
        })
        .then(this, [call](const Result<store::SshKeyRecord> &added) {
            if (!added)
                return call->fail(added.error());
            qCInfo(lcMaster).noquote() << "ssh key" << added->fingerprint << "added by" << call->user().username;
            call->finish(Answer::json(201, keyToJson(*added)));
        });
}

void SshKeysApi::list(const CallPtr &call)
{
    m_ctx.store->run([user = call->user().id](store::Store &s) { return s.sshKeys(user); })
        .then(this, [call](const Result<QList<store::SshKeyRecord>> &keys) {
            if (!keys)
                return call->fail(keys.error());
            QJsonArray list;
            for (const store::SshKeyRecord &k : *keys)
                list.append(keyToJson(k));
            call->finish(Answer::json(200, QJsonObject{{u"keys"_s, list}}));
        });
}

// {key} is the key's id, name or fingerprint.
void SshKeysApi::remove(const CallPtr &call)
{
    m_ctx.store
        ->run([user = call->user().id, which = call->param(u"key"_s)](store::Store &s) -> Result<void> {
            auto keys = s.sshKeys(user);
            if (!keys)
                return std::unexpected(keys.error());
            for (const store::SshKeyRecord &k : *keys) {
                if (QString::number(k.id) == which || k.name == which || k.fingerprint == which)
                    return s.deleteSshKey(user, k.id);
            }
            return fail(u"not-found"_s, u"you have no key '%1'"_s.arg(which));
        })
        .then(this, [call](const Result<void> &removed) {
            if (!removed)
                return call->fail(removed.error());
            call->finish(Answer::empty(204));
        });
}

} // namespace gasper::master
