// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace gasper::ssh {

// sshd's MaxStartups "start:rate:full": whether one more unauthenticated connection may
// start when `unauthenticated` are already in progress. Below `start` always; from there a
// connection is refused with probability rate %, rising linearly to 100 % at `full`.
// `random` is uniform in [0, 1).
bool admitStartup(int unauthenticated, int start, int rate, int full, double random);

// Failed logins per key (an app name, a source address) in a sliding window: once a key
// has `maxFailures` within `window`, it is locked until the oldest of them leaves it.
// Successes do not clear the count: an attacker's own logins must not unlock guessing.
class FailureLimiter
{
public:
    FailureLimiter(int maxFailures, qint64 windowSecs) : m_max(maxFailures), m_windowMs(windowSecs * 1000) {}

    bool isLocked(const QString &key, const QDateTime &now);
    void failed(const QString &key, const QDateTime &now);
    int trackedKeys() const { return int(m_failures.size()); }

private:
    void prune(const QString &key, qint64 nowMs);

    int m_max;
    qint64 m_windowMs;
    QHash<QString, QList<qint64>> m_failures;  // ms since epoch, oldest first
};

} // namespace gasper::ssh
