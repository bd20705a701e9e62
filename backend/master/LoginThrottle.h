// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

namespace gasper::master {

// Slows password guessing: after `maxFailures` wrong passwords for one user name
// within `window`, logins for that name are refused for `lockout` (429 with
// Retry-After), whoever tries. A success clears the count. In memory, per master.
class LoginThrottle
{
public:
    LoginThrottle(int maxFailures = 5, qint64 windowSecs = 300, qint64 lockoutSecs = 60)
        : m_maxFailures(maxFailures), m_windowSecs(windowSecs), m_lockoutSecs(lockoutSecs) {}

    // Seconds until `name` may try again; 0 when it may try now.
    qint64 retryAfter(const QString &name, const QDateTime &now) const;
    void failed(const QString &name, const QDateTime &now);
    void succeeded(const QString &name);

private:
    struct Entry
    {
        int failures = 0;
        QDateTime firstFailure;
        QDateTime lockedUntil;
    };
    void prune(const QDateTime &now);

    int m_maxFailures;
    qint64 m_windowSecs;
    qint64 m_lockoutSecs;
    QHash<QString, Entry> m_entries;
};

} // namespace gasper::master
