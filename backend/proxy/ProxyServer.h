// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QHostAddress>
#include <QObject>

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
// - Hop-by-hop fields are removed; X-Forwarded-For/-Proto/-Host and Via are added.
// - Errors of its own: 400 (no Host on HTTP/1.1, or the parser's status for a bad
//   request), 404 unknown host, the route's status when unavailable (503 with
//   Retry-After: 1), 502 upstream refused/reset/malformed, 504 connect timeout.
// - A request with Upgrade that the upstream answers with 101 becomes a raw byte
//   tunnel (WebSocket) until either side closes.
// - Client connections are capped and idle ones are dropped; logs never carry
//   bodies, query strings, or Authorization/Cookie values.
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

    void setUpstreamConnectTimeout(int ms);  // default 5000
    void setIdleTimeout(int ms);             // client keep-alive idle, default 60000
    void setMaxConnections(int n);           // default 4096

private:
    void acceptConnections();
    void sweep();

    std::unique_ptr<detail::Shared> m_shared;
    QTcpServer *m_server = nullptr;
    QTimer *m_sweepTimer = nullptr;
};

} // namespace gasper::proxy
