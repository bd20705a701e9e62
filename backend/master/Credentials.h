// SPDX-License-Identifier: MIT
#pragma once

#include "core/Future.h"
#include "core/Result.h"

#include <QFuture>
#include <QString>

namespace gasper::master {

// Passwords are hashed with argon2id (libsodium's crypto_pwhash_str) off the event
// loop, on a small pool: each hash takes ~64 MiB and tens of milliseconds by design.
// gasper::Future: its then(context, f) is safe with Qt 6.4 (core/Future.h).
Future<Result<QString>> hashPassword(const QString &password);
Future<bool> verifyPassword(const QString &hash, const QString &password);

// API tokens: 32 random bytes, shown to the user once; only their SHA-256 is stored.
QString newToken();
QByteArray tokenHash(QStringView token);

} // namespace gasper::master
