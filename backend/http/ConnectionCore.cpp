// SPDX-License-Identifier: MIT
#include "http/ConnectionCore.h"

#include "core/Config.h"
#include "core/Log.h"

#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace gasper::http {

ConnectionLimits ConnectionLimits::from(const ListenerLimits &settings)
{
    ConnectionLimits l;
    l.maxConnections = settings.maxConnections;
    l.maxPerSource = settings.maxPerSource;
    l.headTimeoutMs = settings.headTimeoutSec * 1000;
    l.idleTimeoutMs = settings.idleTimeoutSec * 1000;
    l.sendTimeoutMs = settings.sendTimeoutSec * 1000;
    l.maxQueuedBytes = qint64(settings.maxQueuedKb) * 1024;
    return l;
}

// ---------------------------------------------------------------------------------------
// GuardedConnection

GuardedConnection::GuardedConnection(ConnectionCore *core, const QHostAddress &peer, Phase phase)
    : m_core(core)
    , m_source(ConnectionCore::normalized(peer))
    , m_phase(phase)
{
    if (core)
        core->join(this);
}

GuardedConnection::~GuardedConnection()
{
    leaveCore();
}

void GuardedConnection::leaveCore()
{
    if (ConnectionCore *core = m_core.data())
        core->leave(this);
    m_core = nullptr;
}

ConnectionCore *GuardedConnection::core() const
{
    return m_core.data();
}

void GuardedConnection::setPhase(Phase phase)
{
    if (phase == m_phase && phase == Phase::Head)
        return;  // a trickled head keeps its deadline
    m_phase = phase;
    if (ConnectionCore *core = m_core.data())
        m_phaseSince = core->now();
}

void GuardedConnection::noteReceived()
{
    if (m_phase != Phase::Body)
        return;
    if (ConnectionCore *core = m_core.data())
        m_phaseSince = core->now();
}

void GuardedConnection::noteSent()
{
    if (ConnectionCore *core = m_core.data())
        m_lastProgress = core->now();
}

bool GuardedConnection::checkQueue()
{
    ConnectionCore *core = m_core.data();
    if (!core || queuedBytes() <= core->limits().maxQueuedBytes)
        return true;
    core->expire(this, Expiry::Send);
    return false;
}

// ---------------------------------------------------------------------------------------
// ConnectionCore

ConnectionCore::ConnectionCore(const char *name, QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_sweep(new QTimer(this))
{
    m_clock.start();
    connect(m_sweep, &QTimer::timeout, this, &ConnectionCore::sweep);
    updateSweepInterval();
}

ConnectionCore::~ConnectionCore()
{
    // Members outliving the core (children deleted after it) must not call back.
    for (GuardedConnection *c : std::as_const(m_members))
        c->m_core = nullptr;
}

void ConnectionCore::setLimits(const ConnectionLimits &limits)
{
    m_limits = limits;
    m_limits.maxConnections = std::max(1, m_limits.maxConnections);
    m_limits.maxPerSource = std::max(1, m_limits.maxPerSource);
    m_limits.headTimeoutMs = std::max(1, m_limits.headTimeoutMs);
    m_limits.idleTimeoutMs = std::max(1, m_limits.idleTimeoutMs);
    m_limits.lingerMs = std::max(1, m_limits.lingerMs);
    m_limits.sendTimeoutMs = std::max(1, m_limits.sendTimeoutMs);
    m_limits.maxQueuedBytes = std::max<qint64>(64 * 1024, m_limits.maxQueuedBytes);
    updateSweepInterval();
}

void ConnectionCore::setUnlimitedSources(QList<std::pair<QHostAddress, int>> subnets)
{
    m_unlimited = std::move(subnets);
}

QHostAddress ConnectionCore::normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

bool ConnectionCore::unlimited(const QHostAddress &source) const
{
    return std::any_of(m_unlimited.begin(), m_unlimited.end(),
                       [&source](const auto &subnet) { return source.isInSubnet(subnet); });
}

bool ConnectionCore::admit(QTcpSocket *socket)
{
    const QHostAddress source = normalized(socket->peerAddress());
    const char *why = nullptr;
    if (m_members.size() >= m_limits.maxConnections) {
        ++m_stats.refusedTotal;
        why = "connection limit";
    } else if (m_perSource.value(source) >= m_limits.maxPerSource && !unlimited(source)) {
        ++m_stats.refusedPerSource;
        why = "per-source connection limit";
    }
    if (!why) {
        ++m_stats.accepted;
        return true;
    }
    // Logged at most every 10 s: a flood must not flood the log too.
    const qint64 t = now();
    if (m_lastRefusalLog < 0 || t - m_lastRefusalLog >= 10000) {
        m_lastRefusalLog = t;
        qCWarning(lcHttp).noquote() << m_name << why << "reached (" << m_limits.maxConnections << "in total,"
                                    << m_limits.maxPerSource << "per source); refusing" << source.toString()
                                    << "and others for a while";
    }
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(m_limits.lingerMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    if (!m_refusal.isEmpty())
        socket->write(m_refusal);
    socket->disconnectFromHost();
    return false;
}

ConnectionStats ConnectionCore::stats() const
{
    ConnectionStats s = m_stats;
    s.open = int(m_members.size());
    return s;
}

void ConnectionCore::join(GuardedConnection *c)
{
    m_members.insert(c);
    ++m_perSource[c->m_source];
    c->m_phaseSince = now();
    c->m_lastProgress = c->m_phaseSince;
    if (!m_sweep->isActive())
        m_sweep->start();
}

void ConnectionCore::leave(GuardedConnection *c)
{
    if (!m_members.remove(c))
        return;
    const auto it = m_perSource.find(c->m_source);
    if (it != m_perSource.end() && --*it <= 0)
        m_perSource.erase(it);
    if (m_members.isEmpty())
        m_sweep->stop();
}

void ConnectionCore::expire(GuardedConnection *c, GuardedConnection::Expiry why)
{
    using Expiry = GuardedConnection::Expiry;
    switch (why) {
    case Expiry::Head: ++m_stats.headTimeouts; break;
    case Expiry::Idle: ++m_stats.idleTimeouts; break;
    case Expiry::Send: ++m_stats.sendTimeouts; break;
    case Expiry::Linger: break;
    }
    if (why == Expiry::Send || why == Expiry::Head)
        qCDebug(lcHttp).noquote() << m_name << (why == Expiry::Send ? "dropping a peer that stopped reading:"
                                                                     : "request head not in time from")
                                  << c->m_source.toString();
    c->expired(why);
}

void ConnectionCore::sweep()
{
    using Expiry = GuardedConnection::Expiry;
    using Phase = GuardedConnection::Phase;
    const qint64 t = now();
    QList<std::pair<GuardedConnection *, Expiry>> due;
    for (GuardedConnection *c : std::as_const(m_members)) {
        if (c->queuedBytes() == 0)
            c->m_lastProgress = t;
        else if (t - c->m_lastProgress >= m_limits.sendTimeoutMs) {
            due.append({c, Expiry::Send});
            continue;
        }
        const qint64 age = t - c->m_phaseSince;
        switch (c->m_phase) {
        case Phase::Head:
            if (age >= m_limits.headTimeoutMs)
                due.append({c, Expiry::Head});
            break;
        case Phase::Body:
        case Phase::Idle:
            if (age >= m_limits.idleTimeoutMs)
                due.append({c, Expiry::Idle});
            break;
        case Phase::Linger:
            // The linger time counts once our last bytes are out; until then the send
            // deadline watches the peer.
            if (c->queuedBytes() > 0)
                c->m_phaseSince = t;
            else if (age >= m_limits.lingerMs)
                due.append({c, Expiry::Linger});
            break;
        case Phase::Busy:
            break;
        }
    }
    // A connection that expires may take others with it (or itself): re-check each.
    for (const auto &[c, why] : std::as_const(due)) {
        if (m_members.contains(c))
            expire(c, why);
    }
}

void ConnectionCore::updateSweepInterval()
{
    // Deadlines are kept to within a tenth of the shortest one (at most half a second
    // late), and the sweep never runs more than every 10 ms.
    const int shortest = std::min({m_limits.headTimeoutMs, m_limits.idleTimeoutMs, m_limits.lingerMs,
                                   m_limits.sendTimeoutMs});
    m_sweep->setInterval(std::clamp(shortest / 10, 10, 500));
}

} // namespace gasper::http
