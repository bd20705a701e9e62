// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QTimer;
QT_END_NAMESPACE

namespace gasper {
struct ListenerLimits;
}

namespace gasper::http {

// What one listener allows each connection. Times in milliseconds.
struct ConnectionLimits
{
    int maxConnections = 512;  // open connections of the listener (WebSockets included)
    int maxPerSource = 64;     // open connections from one source address
    int headTimeoutMs = 10000;  // the whole request head must arrive within this, from its first byte
                                // (from the accept for the first request): trickled bytes do not restart it
    int idleTimeoutMs = 60000;  // a keep-alive connection waiting for its next request; also the
                                // longest pause between two reads of a request body
    int lingerMs = 2000;        // a closing connection waits this long for the peer to read our last answer
    int sendTimeoutMs = 30000;  // bytes queued for the peer that make no progress this long: dropped
    qint64 maxQueuedBytes = 4 * 1024 * 1024;  // more than this still queued when more is written: dropped

    // From the config file's [api] / [proxy] keys (core/Config.h); lingerMs keeps its default.
    static ConnectionLimits from(const ListenerLimits &settings);
};

// Counters since the core was made; `open` is the current number.
struct ConnectionStats
{
    quint64 accepted = 0;
    quint64 refusedTotal = 0;      // over maxConnections
    quint64 refusedPerSource = 0;  // over maxPerSource
    quint64 headTimeouts = 0;      // answered 408
    quint64 idleTimeouts = 0;      // keep-alive or body pause over idleTimeoutMs
    quint64 sendTimeouts = 0;      // a peer that stopped reading (stalled, or over maxQueuedBytes)
    int open = 0;
};

class ConnectionCore;

// The core's view of one connection: a mix-in for the protocol object that owns the
// socket (the HTTP server's connection, the proxy's client connection, a server
// WebSocket). The owner tells the core what it waits for (setPhase) and the core calls
// expired() once a deadline passes; the owner then closes. Not a QObject, not copyable.
class GuardedConnection
{
public:
    // Head: waiting for (the rest of) a request head; the head deadline runs.
    // Body: reading a request body; idleTimeoutMs between two reads.
    // Busy: a request is being answered; only the send deadline applies.
    // Idle: keep-alive between requests; idleTimeoutMs.
    // Linger: closing; lingerMs.
    enum class Phase { Head, Body, Busy, Idle, Linger };
    enum class Expiry { Head, Idle, Linger, Send };

    GuardedConnection(const GuardedConnection &) = delete;
    GuardedConnection &operator=(const GuardedConnection &) = delete;

    Phase phase() const { return m_phase; }
    QHostAddress source() const { return m_source; }

protected:
    // Joins the core (counts against its caps from now on); peer is the socket's peer.
    GuardedConnection(ConnectionCore *core, const QHostAddress &peer, Phase phase);
    virtual ~GuardedConnection();  // leaves the core

    // Entering Head while in Head keeps the running deadline.
    void setPhase(Phase phase);
    void noteReceived();  // bytes arrived (restarts the Body pause clock)
    void noteSent();      // the socket handed bytes to the kernel (the peer reads)
    // Call before queueing more bytes for the peer: false when what is still queued
    // is over the bound; the core has then counted it and called expired(Send). (One
    // write of any size into an empty queue passes: a big answer to a reading client
    // is fine; a stream to a client that stopped reading is not.)
    bool checkQueue();
    // Leaves the core early (the connection handed its socket to someone else).
    void leaveCore();
    ConnectionCore *core() const;

    virtual qint64 queuedBytes() const = 0;  // bytes waiting in user space for the peer
    // A deadline passed. Head: answer 408 and close; the others: close at once.
    virtual void expired(Expiry why) = 0;

private:
    friend class ConnectionCore;
    QPointer<ConnectionCore> m_core;
    QHostAddress m_source;
    Phase m_phase;
    qint64 m_phaseSince = 0;
    qint64 m_lastProgress = 0;
};

// Admission, caps and deadlines for the connections of one listener: both the API's
// HttpServer and the ProxyServer own one. State is per instance (no globals), so one
// listener per thread needs nothing more than one core per listener.
//
// Guarantees: a connection over a cap is accepted and closed at once (after a short
// 503 when refusal bytes are set), and counted; every connection is on a deadline
// in every phase (head, body, keep-alive, linger) and is dropped when its peer stops
// reading (queue over maxQueuedBytes, or queued bytes stuck for sendTimeoutMs). One
// timer sweeps all connections, so the cost per request is a few integer stores.
class ConnectionCore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionCore)

public:
    explicit ConnectionCore(const char *name, QObject *parent = nullptr);
    ~ConnectionCore() override;

    void setLimits(const ConnectionLimits &limits);
    const ConnectionLimits &limits() const { return m_limits; }
    // Sources without the per-source cap (trusted proxies in front of this listener).
    void setUnlimitedSources(QList<std::pair<QHostAddress, int>> subnets);
    // Sent to a refused connection before it is closed (empty: closed without a word).
    void setRefusal(QByteArray bytes) { m_refusal = std::move(bytes); }

    // For each accepted socket: true when it may be served (the caller then makes its
    // GuardedConnection); false when over a cap: the socket has been answered, closed
    // and will delete itself.
    bool admit(QTcpSocket *socket);

    ConnectionStats stats() const;
    int count() const { return int(m_members.size()); }
    int countFrom(const QHostAddress &source) const { return m_perSource.value(normalized(source)); }

    // "::ffff:1.2.3.4" -> "1.2.3.4", so one client counts as one source however it came.
    static QHostAddress normalized(const QHostAddress &address);

private:
    friend class GuardedConnection;
    void join(GuardedConnection *c);
    void leave(GuardedConnection *c);
    void expire(GuardedConnection *c, GuardedConnection::Expiry why);
    void sweep();
    void updateSweepInterval();
    qint64 now() const { return m_clock.elapsed(); }
    bool unlimited(const QHostAddress &source) const;

    const char *m_name;
    ConnectionLimits m_limits;
    QList<std::pair<QHostAddress, int>> m_unlimited;
    QByteArray m_refusal;
    QSet<GuardedConnection *> m_members;
    QHash<QHostAddress, int> m_perSource;
    ConnectionStats m_stats;
    QElapsedTimer m_clock;
    QTimer *m_sweep;
    qint64 m_lastRefusalLog = -1;
};

} // namespace gasper::http
