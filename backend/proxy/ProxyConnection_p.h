// SPDX-License-Identifier: MIT
#pragma once

// Internals of ProxyServer: one object per client connection, one per upstream
// connection, and the pool of idle upstream connections. Everything here runs on
// the proxy's thread; no locking.

#include "http/ConnectionCore.h"
#include "http/HttpParser.h"
#include "proxy/ProxyServer.h"
#include "proxy/RouteTable.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

class QTcpSocket;
class QTimer;

namespace gasper::proxy::detail {

// A socket's write buffer above this stops reading the other side; below the low
// mark reading resumes. Read buffers are capped so the kernel applies TCP
// back-pressure once we stop reading.
inline constexpr qint64 kHighWater = 512 * 1024;
inline constexpr qint64 kLowWater = 128 * 1024;
inline constexpr qint64 kReadBufferSize = 256 * 1024;
inline constexpr qint64 kReadChunk = 64 * 1024;
inline constexpr int kMaxIdlePerUpstream = 64;
// Idle upstream connections are closed before common app servers close them
// (Node.js: 5 s) so that a request rarely meets a connection closing under it.
inline constexpr int kUpstreamIdleMs = 4000;

class ClientConnection;
class UpstreamPool;

// Shared state of one ProxyServer, reachable from every connection it owns.
struct Shared
{
    RouteTable *routes = nullptr;
    ProxyStats stats;
    UpstreamPool *pool = nullptr;  // owned here (deleted in ~Shared)
    http::ConnectionCore *core = nullptr;
    QSet<ClientConnection *> clients;
    QElapsedTimer clock;  // monotonic ms for the upstream pool
    int connectTimeoutMs = 5000;
    int responseTimeoutMs = 60000;
    QList<std::pair<QHostAddress, int>> trustedProxies;

    Shared();
    ~Shared();
    Q_DISABLE_COPY_MOVE(Shared)

    qint64 now() const { return clock.elapsed(); }
    void noteBuffered(qint64 bytes)
    {
        if (bytes > stats.peakBufferedBytes)
            stats.peakBufferedBytes = bytes;
    }
};

// One TCP connection to an upstream with its response parser. Events go to the
// client connection that currently uses it (owner), or to the pool while idle.
class UpstreamConnection final : public QObject
{
    Q_DISABLE_COPY_MOVE(UpstreamConnection)

public:
    UpstreamConnection(Shared *shared, QString key, const QString &address, quint16 port, QObject *parent);
    ~UpstreamConnection() override;

    // Stops every event, closes the socket (after flushing when graceful), and
    // deletes this later. Safe to call from inside one of its own signals.
    void discard(bool graceful = false);
    // Queues bytes for the upstream; held in `pending` until the connection is up.
    void write(const QByteArray &data);
    qint64 buffered() const;  // bytes not yet handed to the kernel

    Shared *const shared;
    const QString key;  // "address:port", the pool key
    QTcpSocket *const socket;
    http::Parser parser;
    ClientConnection *owner = nullptr;
    QTimer *const connectTimer;
    QTimer *const responseTimer;  // request sent -> response head
    QByteArray pending;
    qint64 idleSince = 0;
    bool idle = false;  // in the pool
    bool connected = false;
    bool reused = false;
    bool eof = false;
    bool eofFed = false;
    bool discarded = false;

private:
    void onError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void onConnectTimeout();
    void onResponseTimeout();
};

// Idle keep-alive connections per upstream address:port; the most recently used
// one is reused first. Connections the upstream closed or wrote to while idle are
// dropped.
class UpstreamPool final : public QObject
{
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    explicit UpstreamPool(Shared *shared);
    ~UpstreamPool() override;

    // An idle connection to key, or a new one (connecting) when none is idle.
    UpstreamConnection *acquire(const QString &address, quint16 port, bool allowReuse = true);
    void release(UpstreamConnection *connection);  // back to idle, or discarded when over the cap
    void drop(UpstreamConnection *connection);     // an idle connection went bad
    void sweep(qint64 now);
    int idleCount() const { return m_idleCount; }

private:
    Shared *m_shared;
    QHash<QString, QList<UpstreamConnection *>> m_idle;
    int m_idleCount = 0;
};

// One client connection: parses requests, forwards them one at a time (so
// pipelined requests are answered in order), streams bodies both ways, and turns
// into a byte tunnel after a 101. Its caps and deadlines are the ConnectionCore's.
class ClientConnection final : public QObject, public http::GuardedConnection
{
    Q_DISABLE_COPY_MOVE(ClientConnection)

public:
    ClientConnection(Shared *shared, QTcpSocket *socket, QObject *parent);
    ~ClientConnection() override;

    void start();
    void closeNow();

    // Events of the upstream connection this client currently owns.
    void onUpstreamConnected();
    void onUpstreamReadable();
    void onUpstreamBytesWritten();
    void onUpstreamEof();
    void onUpstreamFailed(int status, const QString &reason);

private:
    enum class Mode { Http, Tunnel, Closing, Closed };
    enum class Framing { None, Length, Chunked, Close };

    struct Exchange
    {
        QByteArray method;
        QByteArray host;  // Host as the client sent it (for logs and X-Forwarded-Host)
        QByteArray path;  // without the query string, for logs
        int clientMinor = 1;
        bool clientKeepAlive = true;
        bool upgradeRequest = false;
        bool local = false;  // answered by the proxy itself
        Framing requestFraming = Framing::None;
        Framing responseFraming = Framing::None;
        bool requestDone = false;
        bool responseStarted = false;  // final head sent to the client
        bool responseDone = false;
        bool switching = false;  // 101 forwarded, tunnel after its Complete
        bool closeAfter = false;
        bool upstreamSentBytes = false;
        bool upstreamCloseDelimited = false;
        bool upstreamReusable = false;
        bool interim = false;  // a 1xx answer is being passed on; the final one follows
        bool retried = false;
        int status = 0;
        QString address;
        quint16 port = 0;
        QByteArray upstreamHead;  // kept for one retry of a body-less request on a stale pooled connection
        UpstreamConnection *upstream = nullptr;
    };

    void onClientReadable();
    void onClientBytesWritten();
    void onClientDisconnected();

    void processClient();
    bool clientPaused() const;
    void handleRequestHead();
    void handleRequestBody(const QByteArray &data);
    void handleRequestComplete();
    void handleClientParseError();

    void processUpstream();
    void handleResponseHead();
    void handleResponseBody(const QByteArray &data);
    void handleResponseComplete();

    void connectUpstream(bool allowReuse);
    void armResponseTimer();
    void setForwardedFields(http::Headers &out, const http::Headers &in, const QByteArray &host) const;
    qint64 queuedBytes() const override;
    void expired(Expiry why) override;
    void respondLocal(int status, const QString &message,
                      const QList<std::pair<QByteArray, QByteArray>> &extraHeaders = {});
    void finishExchange();
    void releaseUpstream(bool reusable);
    void enterTunnel();
    void pumpTunnel();
    void closeGracefully();
    void finalize();

    void writeClient(const QByteArray &data);
    void writeUpstream(const QByteArray &data);
    void countResponse(int status);

    Shared *m_shared;
    QTcpSocket *m_socket;
    http::Parser m_parser;
    Mode m_mode = Mode::Http;
    bool m_inExchange = false;
    bool m_inProcess = false;
    bool m_clientEof = false;
    bool m_trusted = false;  // the client is a trusted proxy
    QHostAddress m_peerAddress;
    QByteArray m_peer;  // client address for X-Forwarded-For
    Exchange m_ex;
};

} // namespace gasper::proxy::detail
