// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "http/ConnectionCore.h"

#include <QHostAddress>
#include <QObject>
#include <QStringList>

#include <memory>

class QTcpServer;
class QTimer;

namespace gasper::proxy {

class RouteTable;

namespace detail {
struct Shared;
}

// Counters since the server was made (gauges are current values).
struct ProxyStats
{
    quint64 requests = 0;  // request heads received from clients
    quint64 responses2xx = 0, responses3xx = 0, responses4xx = 0, responses5xx = 0;  // final heads sent
    quint64 upstreamErrors = 0;  // refused / reset / timed out / malformed upstream answers
    int openClientConnections = 0;
    int idleUpstreamConnections = 0;
    // Additions beyond the first API:
    quint64 upstreamConnectionsOpened = 0;  // new upstream TCP connections (pool misses)
    quint64 tunnels = 0;                    // 101 Switching Protocols turned into byte tunnels
    qint64 peakBufferedBytes = 0;  // most bytes ever queued in one socket's write buffer (back-pressure check)
    quint64 upstreamTimeouts = 0;  // 504s: the upstream accepted the request but sent no head in time
    http::ConnectionStats connections;  // the connection core's: refusals over a cap, deadlines hit

    // The counters in Prometheus text format, for the master's /metrics.
    QByteArray toPrometheus() const;
};

// Enrai, the only public listener of the platform: an HTTP/1.1 reverse proxy that
// picks the upstream by the request's Host through a RouteTable.
//
// Guarantees:
// - Keep-alive to clients; pooled keep-alive connections per upstream address:port.
// - Bodies are streamed both ways and never held whole: chunked stays chunked,
//   Content-Length passes through; a side stops being read while the other side's
//   write buffer is above a high-water mark, so memory per connection is bounded.
// - Pipelined requests are answered in order (one exchange at a time per client).
// - Hop-by-hop fields are removed; Via is added. The proxy is the edge: it sets
//   X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host and Forwarded (RFC 7239)
//   from the socket, replacing whatever the client sent, unless the client is a
//   trusted proxy (setTrustedProxies): then its values are kept and this hop appended.
// - Errors of its own: 400 (no Host on HTTP/1.1, or the parser's status for a bad
//   request), 404 unknown host, 408 request head not whole within the head deadline,
//   the route's status when unavailable (503 with Retry-After: 1), 502 upstream
//   refused/reset/malformed or not connected within the connect timeout, 504 no
//   response head within the response timeout.
// - An upstream that fails after the response head went out ends the client's
//   response as incomplete (no last chunk, or fewer bytes than Content-Length, then
//   the connection closes); nothing else is ever sent on that connection.
// - A request with Upgrade that the upstream answers with 101 becomes a raw byte
//   tunnel (WebSocket) until either side closes.
// - Client connections are admitted and put on deadlines by a ConnectionCore (the
//   API server's too): caps in total and per source address (trusted proxies
//   exempt), request head deadline, keep-alive idle timeout, a client that stops
//   reading dropped after the send timeout. Logs never carry bodies, query strings,
//   or Authorization/Cookie values.
class ProxyServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyServer)

public:
    explicit ProxyServer(RouteTable *routes, QObject *parent = nullptr);
    ~ProxyServer() override;

    Result<void> listen(const QHostAddress &address, quint16 port);  // port 0 = any
    quint16 serverPort() const;
    ProxyStats stats() const;

    void setUpstreamConnectTimeout(int ms);   // default 5000 (then 502)
    void setUpstreamResponseTimeout(int ms);  // request sent -> response head, default 60000 (then 504)
    void setConnectionLimits(const http::ConnectionLimits &limits);  // default: 4096 in total, 256 per source
    const http::ConnectionLimits &connectionLimits() const;
    // Addresses or subnets ("10.0.0.0/8", "::1") of proxies in front of this one whose
    // X-Forwarded-*/Forwarded fields are believed (and which the per-source cap spares).
    Result<void> setTrustedProxies(const QStringList &entries);

private:
    void acceptConnections();
    void sweep();

    std::unique_ptr<detail::Shared> m_shared;
    QTcpServer *m_server = nullptr;
    QTimer *m_sweepTimer = nullptr;
    http::ConnectionCore *m_core = nullptr;
};

} // namespace gasper::proxy
