// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "http/HttpMessage.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace gasper::master {

// Who sent a push webhook, told by its headers.
enum class HookProvider { Unknown, GitHub, GitLab, Gitea, Forgejo };
QString toString(HookProvider provider);  // "github", "gitlab", "gitea", "forgejo", "unknown"

// What one delivery says, once its payload is read.
struct HookEvent
{
    HookProvider provider = HookProvider::Unknown;
    QString event;   // "push", "ping", or whatever else the sender calls it ("issues", "Tag Push Hook"…)
    bool isPush = false;
    bool isPing = false;
    QString ref;     // "refs/heads/main" (push only)
    QString branch;  // "main" when ref names a branch; empty for tags
    QString commit;  // the pushed head ("after"); empty for a branch deletion or when missing
    bool deleted = false;  // the push deleted the ref (after is all zeros)
    QString defaultBranch;  // the repository's default branch, when the payload says it
    bool skipCi = false;    // the pushed head's message says [skip ci], [ci skip] or [skip deploy]
};

// The push webhooks of GitHub, GitLab, Gitea and Forgejo: telling them apart, checking that
// a delivery comes from whoever holds the app's secret, and reading the few fields a
// rebuild needs. Pure functions, no state; the secret is never part of an error message.
//
// Authenticity, per sender:
//   GitHub   X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>
//   Gitea    X-Gitea-Signature:   <hex HMAC-SHA256(secret, raw body)>
//   Forgejo  X-Forgejo-Signature: <hex HMAC-SHA256(secret, raw body)> (X-Gitea-Signature accepted too)
//   GitLab   X-Gitlab-Token:      <secret>
// Every comparison is constant-time (sodium_memcmp over equal lengths).
namespace hooks {

HookProvider detectProvider(const http::Headers &headers);
QString eventName(HookProvider provider, const http::Headers &headers);  // the event header, trimmed, at most 64 characters
// hook-unknown-sender (none of the four senders' event headers), hook-signature-missing
// (the sender's signature or token header is absent), hook-signature-invalid (present, wrong).
Result<void> verify(HookProvider provider, const http::Headers &headers, const QByteArray &body,
                    const QByteArray &secret);
// invalid-json when a push's body is not a JSON object; a ping or another event needs no body.
Result<HookEvent> parse(HookProvider provider, const http::Headers &headers, const QByteArray &body);

QByteArray hmacSha256Hex(QByteArrayView key, QByteArrayView message);  // lower-case hex
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);           // false for different lengths
QString newSecret();  // 32 random bytes, hex (64 characters)

} // namespace hooks

} // namespace gasper::master
