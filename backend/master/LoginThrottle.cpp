// SPDX-License-Identifier: MIT
#include "master/LoginThrottle.h"

namespace gasper::master {

qint64 LoginThrottle::retryAfter(const QString &name, const QDateTime &now) const
{
    const auto it = m_entries.constFind(name.toLower());
    if (it == m_entries.cend() || !it->lockedUntil.isValid() || it->lockedUntil <= now)
        return 0;
    return qMax<qint64>(1, now.secsTo(it->lockedUntil));
}

void LoginThrottle::failed(const QString &name, const QDateTime &now)
{
    prune(now);
    Entry &e = m_entries[name.toLower()];
    if (!e.firstFailure.isValid() || e.firstFailure.secsTo(now) > m_windowSecs) {
        e.failures = 0;
        e.firstFailure = now;
    }
    if (++e.failures >= m_maxFailures) {
        e.lockedUntil = now.addSecs(m_lockoutSecs);
        e.failures = 0;
        e.firstFailure = QDateTime();
    }
}

void LoginThrottle::succeeded(const QString &name)
{
    m_entries.remove(name.toLower());
}

// Forgotten entries keep the table small whatever names are tried.
void LoginThrottle::prune(const QDateTime &now)
{
    if (m_entries.size() < 1024)
        return;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const bool stale = (!it->lockedUntil.isValid() || it->lockedUntil <= now)
                           && (!it->firstFailure.isValid() || it->firstFailure.secsTo(now) > m_windowSecs);
        it = stale ? m_entries.erase(it) : std::next(it);
    }
}

} // namespace gasper::master
