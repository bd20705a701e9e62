// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

namespace gasper::master {

// Slows password guessing without letting a stranger lock anyone out:
// - after `maxFailures` wrong passwords for one user name *from one source address*
//   within `window`, that name is refused from that address for `lockout` (a success
//   clears the count); the same name from another address is not affected;
// - each source address may try at most `perSourceAttempts` logins (any names, right
//   or wrong) per `perSourceWindow`, so one address cannot sweep through many names.
// Refusals are 429 with Retry-After. In memory, per master; the tables are pruned so
// they stay small whatever names and addresses are tried.
class LoginThrottle
{
public:
    struct Limits
    {
        int maxFailures = 5;
        qint64 windowSecs = 300;
        qint64 lockoutSecs = 60;
        int perSourceAttempts = 30;
        qint64 perSourceWindowSecs = 60;
    };

    LoginThrottle() : LoginThrottle(Limits{}) {}
    explicit LoginThrottle(Limits limits) : m_limits(limits) {}

    // Seconds until `name` may be tried from `source`; 0 when it may be tried now.
    qint64 retryAfter(const QString &name, const QString &source, const QDateTime &now) const;
    // A login that was let through (counts toward the source's rate).
    void attempted(const QString &source, const QDateTime &now);
    void failed(const QString &name, const QString &source, const QDateTime &now);
    void succeeded(const QString &name, const QString &source);

private:
    struct Entry
    {
        int failures = 0;
        QDateTime firstFailure;
        QDateTime lockedUntil;
    };
    struct Rate
    {
        int attempts = 0;
        QDateTime windowStart;
    };
    static QString key(const QString &name, const QString &source) { return name.toLower() + u'\n' + source; }
    void prune(const QDateTime &now);

    Limits m_limits;
    QHash<QString, Entry> m_entries;  // by key(name, source)
    QHash<QString, Rate> m_sources;   // by source address
};

} // namespace gasper::master
