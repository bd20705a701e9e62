// SPDX-License-Identifier: MIT
#pragma once

#include "core/Future.h"
#include "core/Result.h"

#include <QFuture>
#include <QString>

namespace gasper::master {

// Passwords are hashed with argon2id (libsodium's crypto_pwhash_str) off the event
// loop, on a small pool: each hash takes ~64 MiB and tens of milliseconds by design.
// The queue is bounded: with maxPendingPasswordChecks() hashes and checks queued or
// running, both functions answer at once with Error{"busy"} (the API's 503 with
// Retry-After) instead of queueing more, so a flood of logins costs bounded memory and
// time. gasper::Future: its then(context, f) is safe with Qt 6.4 (core/Future.h).
Future<Result<QString>> hashPassword(const QString &password);
// true: the password matches; false: it does not (or there is no such user: pass an
// empty hash, a real one is checked so that both take as long).
Future<Result<bool>> verifyPassword(const QString &hash, const QString &password);
int maxPendingPasswordChecks();
void setMaxPendingPasswordChecks(int n);  // default 16 (2 threads); at least 1
int pendingPasswordChecks();

// API tokens: 32 random bytes, shown to the user once; only their SHA-256 is stored.
QString newToken();
QByteArray tokenHash(QStringView token);

} // namespace gasper::master
