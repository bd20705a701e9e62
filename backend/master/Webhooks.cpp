// SPDX-License-Identifier: MIT
#include "master/Webhooks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sodium.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gasper::master {

QString toString(HookProvider provider)
{
    switch (provider) {
    case HookProvider::GitHub: return u"github"_s;
    case HookProvider::GitLab: return u"gitlab"_s;
    case HookProvider::Gitea: return u"gitea"_s;
    case HookProvider::Forgejo: return u"forgejo"_s;
    case HookProvider::Unknown: break;
    }
    return u"unknown"_s;
}

namespace hooks {

namespace {

// The header that names the event, per sender. Forgejo sends X-Gitea-Event too, so it is
// asked first; Gitea sends X-GitHub-Event too (for GitHub-compatible receivers), so Gitea is
// asked before GitHub.
QByteArray eventHeader(HookProvider provider)
{
    switch (provider) {
    case HookProvider::GitHub: return "X-GitHub-Event";
    case HookProvider::GitLab: return "X-Gitlab-Event";
    case HookProvider::Gitea: return "X-Gitea-Event";
    case HookProvider::Forgejo: return "X-Forgejo-Event";
    case HookProvider::Unknown: break;
    }
    return {};
}

Error missing(const QString &what)
{
    return Error{u"hook-signature-missing"_s, u"the delivery has no %1 header: set the webhook's secret to the one "
                                              "`gasperctl hooks APP --show-secret` shows"_s.arg(what)};
}

Error invalid(const QString &what)
{
    return Error{u"hook-signature-invalid"_s,
                 u"the %1 does not match this app's webhook secret (was the secret rotated?)"_s.arg(what)};
}

Result<void> verifyHmac(const QByteArray &header, QByteArray given, const QByteArray &body, const QByteArray &secret,
                        bool prefixed)
{
    if (given.isEmpty())
        return std::unexpected(missing(QString::fromLatin1(header)));
    given = given.trimmed();
    if (prefixed) {
        if (!given.startsWith("sha256="))
            return std::unexpected(invalid(u"%1 (it must start with sha256=)"_s.arg(QString::fromLatin1(header))));
        given = given.mid(7);
    }
    const QByteArray expected = hmacSha256Hex(secret, body);
    if (!constantTimeEquals(given.toLower(), expected))
        return std::unexpected(invalid(u"signature in "_s + QString::fromLatin1(header)));
    return {};
}

} // namespace

HookProvider detectProvider(const http::Headers &headers)
{
    for (HookProvider p : {HookProvider::Forgejo, HookProvider::Gitea, HookProvider::GitLab, HookProvider::GitHub}) {
        if (headers.has(eventHeader(p)))
            return p;
    }
    return HookProvider::Unknown;
}

QString eventName(HookProvider provider, const http::Headers &headers)
{
    return QString::fromUtf8(headers.value(eventHeader(provider))).trimmed().left(64);
}

Result<void> verify(HookProvider provider, const http::Headers &headers, const QByteArray &body, const QByteArray &secret)
{
    if (secret.isEmpty())  // never "anything matches an empty secret"
        return std::unexpected(invalid(u"delivery"_s));
    switch (provider) {
    case HookProvider::GitHub:
        return verifyHmac("X-Hub-Signature-256", headers.value("X-Hub-Signature-256"), body, secret, true);
    case HookProvider::Gitea:
        return verifyHmac("X-Gitea-Signature", headers.value("X-Gitea-Signature"), body, secret, false);
    case HookProvider::Forgejo: {
        const QByteArray header = headers.has("X-Forgejo-Signature") ? "X-Forgejo-Signature" : "X-Gitea-Signature";
        return verifyHmac(header, headers.value(header), body, secret, false);
    }
    case HookProvider::GitLab: {
        const QByteArray token = headers.value("X-Gitlab-Token");
        if (token.isEmpty())
            return std::unexpected(missing(u"X-Gitlab-Token"_s));
        if (!constantTimeEquals(token, secret))
            return std::unexpected(invalid(u"X-Gitlab-Token"_s));
        return {};
    }
    case HookProvider::Unknown: break;
    }
    return fail(u"hook-unknown-sender"_s, u"not a webhook of GitHub, GitLab, Gitea or Forgejo (no X-GitHub-Event, "
                                          "X-Gitlab-Event, X-Gitea-Event or X-Forgejo-Event header)"_s);
}

Result<HookEvent> parse(HookProvider provider, const http::Headers &headers, const QByteArray &body)
{
    HookEvent event;
    event.provider = provider;
    event.event = eventName(provider, headers);
    if (provider == HookProvider::GitLab) {
        event.isPush = event.event == u"Push Hook";
        // GitLab's "Test" button sends the chosen event; it has no ping of its own.
    } else {
        event.isPush = event.event == u"push";
        event.isPing = event.event == u"ping";
    }
    if (!event.isPush)
        return event;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(u"invalid-json"_s, u"the push payload is not a JSON object"_s);
    const QJsonObject object = doc.object();
    event.ref = object.value(u"ref").toString().left(256);
    if (event.ref.startsWith(u"refs/heads/"))
        event.branch = event.ref.mid(11);
    const QJsonObject repository = object.value(provider == HookProvider::GitLab ? u"project" : u"repository").toObject();
    event.defaultBranch = repository.value(u"default_branch").toString().left(256);
    const QString after = object.value(u"after").toString();
    static const QString zeros(40, u'0');
    event.deleted = after == zeros || object.value(u"deleted").toBool();
    // A sha is 40 (SHA-1) or 64 (SHA-256) hex digits; anything else is not kept.
    const bool hex = !after.isEmpty() && std::all_of(after.cbegin(), after.cend(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
    if (!event.deleted && hex && (after.size() == 40 || after.size() == 64))
        event.commit = after;
    // The head commit's message: GitHub and Gitea send head_commit; GitLab only commits[].
    QString message = object.value(u"head_commit").toObject().value(u"message").toString();
    if (message.isEmpty()) {
        const QJsonArray commits = object.value(u"commits").toArray();
        for (const QJsonValue &c : commits) {
            if (c.toObject().value(u"id").toString() == after)
                message = c.toObject().value(u"message").toString();
        }
    }
    for (const QLatin1StringView marker : {"[skip ci]"_L1, "[ci skip]"_L1, "[skip deploy]"_L1}) {
        if (message.contains(marker, Qt::CaseInsensitive))
            event.skipCi = true;
    }
    return event;
}

QByteArray hmacSha256Hex(QByteArrayView key, QByteArrayView message)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(key.data()), size_t(key.size()));
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(message.data()),
                                  (unsigned long long)message.size());
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_memzero(&state, sizeof state);
    return QByteArray(reinterpret_cast<const char *>(mac), sizeof mac).toHex();
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return sodium_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

QString newSecret()
{
    if (sodium_init() < 0)
        qFatal("libsodium cannot be initialised");
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    const QString secret = QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(bytes), sizeof bytes).toHex());
    sodium_memzero(bytes, sizeof bytes);
    return secret;
}

} // namespace hooks

} // namespace gasper::master
