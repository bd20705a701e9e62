// SPDX-License-Identifier: MIT
#include "master/LoginThrottle.h"

namespace gasper::master {

namespace {
constexpr qsizetype kPruneAbove = 1024;
} // namespace

qint64 LoginThrottle::retryAfter(const QString &name, const QString &source, const QDateTime &now) const
{
    qint64 wait = 0;
    if (const auto it = m_entries.constFind(key(name, source));
        it != m_entries.cend() && it->lockedUntil.isValid() && it->lockedUntil > now)
        wait = qMax<qint64>(1, now.secsTo(it->lockedUntil));
    if (const auto it = m_sources.constFind(source); it != m_sources.cend() && it->attempts >= m_limits.perSourceAttempts) {
        const QDateTime windowEnd = it->windowStart.addSecs(m_limits.perSourceWindowSecs);
        if (windowEnd > now)
            wait = qMax(wait, qMax<qint64>(1, now.secsTo(windowEnd)));
    }
    return wait;
}

void LoginThrottle::attempted(const QString &source, const QDateTime &now)
{
    prune(now);
    Rate &r = m_sources[source];
    if (!r.windowStart.isValid() || r.windowStart.secsTo(now) >= m_limits.perSourceWindowSecs) {
        r.attempts = 0;
        r.windowStart = now;
    }
    ++r.attempts;
}

void LoginThrottle::failed(const QString &name, const QString &source, const QDateTime &now)
{
    prune(now);
    Entry &e = m_entries[key(name, source)];
    if (!e.firstFailure.isValid() || e.firstFailure.secsTo(now) > m_limits.windowSecs) {
        e.failures = 0;
        e.firstFailure = now;
    }
    if (++e.failures >= m_limits.maxFailures) {
        e.lockedUntil = now.addSecs(m_limits.lockoutSecs);
        e.failures = 0;
        e.firstFailure = QDateTime();
    }
}

void LoginThrottle::succeeded(const QString &name, const QString &source)
{
    m_entries.remove(key(name, source));
}

void LoginThrottle::prune(const QDateTime &now)
{
    if (m_entries.size() >= kPruneAbove) {
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            const bool stale = (!it->lockedUntil.isValid() || it->lockedUntil <= now)
                               && (!it->firstFailure.isValid() || it->firstFailure.secsTo(now) > m_limits.windowSecs);
            it = stale ? m_entries.erase(it) : std::next(it);
        }
    }
    if (m_sources.size() >= kPruneAbove) {
        for (auto it = m_sources.begin(); it != m_sources.end();)
            it = it->windowStart.secsTo(now) >= m_limits.perSourceWindowSecs ? m_sources.erase(it) : std::next(it);
    }
}

} // namespace gasper::master
