// SPDX-License-Identifier: MIT
#include "ssh/Limits.h"

namespace gasper::ssh {

bool admitStartup(int unauthenticated, int start, int rate, int full, double random)
{
    if (unauthenticated < start)
        return true;
    if (unauthenticated >= full)
        return false;
    // Linear from rate % at `start` to 100 % at `full`, as sshd does.
    const double p = (rate + double(100 - rate) * (unauthenticated - start) / double(full - start)) / 100.0;
    return random >= p;
}

void FailureLimiter::prune(const QString &key, qint64 nowMs)
{
    auto it = m_failures.find(key);
    if (it == m_failures.end())
        return;
    while (!it->isEmpty() && it->constFirst() <= nowMs - m_windowMs)
        it->removeFirst();
    if (it->isEmpty())
        m_failures.erase(it);
}

bool FailureLimiter::isLocked(const QString &key, const QDateTime &now)
{
    prune(key, now.toMSecsSinceEpoch());
    return m_failures.value(key).size() >= m_max;
}

void FailureLimiter::failed(const QString &key, const QDateTime &now)
{
    const qint64 nowMs = now.toMSecsSinceEpoch();
    prune(key, nowMs);
    QList<qint64> &list = m_failures[key];
    list.append(nowMs);
    while (list.size() > m_max)
        list.removeFirst();  // more than the limit changes nothing; memory stays bounded
    // Forget keys nobody failed on lately, so that a scan of many names stays bounded.
    if (m_failures.size() > 10000) {
        const QStringList keys = m_failures.keys();
        for (const QString &k : keys)
            prune(k, nowMs);
    }
}

} // namespace gasper::ssh
