// SPDX-License-Identifier: MIT
#include "proxy/ProxyServer.h"

#include "core/Log.h"
#include "proxy/ProxyConnection_p.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gasper::proxy {

ProxyServer::ProxyServer(RouteTable *routes, QObject *parent)
    : QObject(parent)
    , m_shared(std::make_unique<detail::Shared>())
    , m_server(new QTcpServer(this))
    , m_sweepTimer(new QTimer(this))
    , m_core(new http::ConnectionCore("proxy", this))
{
    m_shared->routes = routes;
    m_shared->core = m_core;
    http::ConnectionLimits limits;
    limits.maxConnections = 4096;
    limits.maxPerSource = 256;
    m_core->setLimits(limits);
    // Over a cap: a short answer instead of a silent reset, then close.
    m_core->setRefusal("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
                       "Connection: close\r\n\r\n");
    connect(m_server, &QTcpServer::newConnection, this, &ProxyServer::acceptConnections);
    // The upstream pool's idle connections live a few seconds; client deadlines are the core's.
    m_sweepTimer->setInterval(500);
    connect(m_sweepTimer, &QTimer::timeout, this, &ProxyServer::sweep);
}

ProxyServer::~ProxyServer()
{
    m_server->close();
    // Connections reach into m_shared; they go before it does.
    const QSet<detail::ClientConnection *> clients = m_shared->clients;
    qDeleteAll(clients);
    m_shared->clients.clear();
}

Result<void> ProxyServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_server->isListening())
        m_server->close();
    m_server->setListenBacklogSize(1024);
    if (!m_server->listen(address, port)) {
        return fail(u"proxy-listen-failed"_s,
                    u"cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(m_server->errorString()));
    }
    m_sweepTimer->start();
    qCInfo(lcProxy).noquote() << "listening on" << address.toString() << m_server->serverPort();
    return {};
}

quint16 ProxyServer::serverPort() const
{
    return m_server->serverPort();
}

ProxyStats ProxyServer::stats() const
{
    ProxyStats s = m_shared->stats;
    s.openClientConnections = int(m_shared->clients.size());
    s.idleUpstreamConnections = m_shared->pool->idleCount();
    s.connections = m_core->stats();
    return s;
}

void ProxyServer::setUpstreamConnectTimeout(int ms)
{
    m_shared->connectTimeoutMs = std::max(1, ms);
}

void ProxyServer::setUpstreamResponseTimeout(int ms)
{
    m_shared->responseTimeoutMs = std::max(1, ms);
}

void ProxyServer::setConnectionLimits(const http::ConnectionLimits &limits)
{
    m_core->setLimits(limits);
}

const http::ConnectionLimits &ProxyServer::connectionLimits() const
{
    return m_core->limits();
}

Result<void> ProxyServer::setTrustedProxies(const QStringList &entries)
{
    QList<std::pair<QHostAddress, int>> subnets;
    for (const QString &entry : entries) {
        std::pair<QHostAddress, int> subnet = QHostAddress::parseSubnet(entry.trimmed());
        if (subnet.first.isNull()) {
            QHostAddress single(entry.trimmed());
            if (single.isNull())
                return fail(u"invalid-config"_s,
                            u"proxy.trusted_proxies: '%1' is neither an address nor a subnet (ADDR/BITS)"_s.arg(entry));
            single = http::ConnectionCore::normalized(single);
            subnet = {single, single.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
        }
        subnets.append(subnet);
    }
    m_shared->trustedProxies = subnets;
    m_core->setUnlimitedSources(subnets);
    return {};
}

void ProxyServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (!m_core->admit(socket))
            continue;
        auto *client = new detail::ClientConnection(m_shared.get(), socket, this);
        m_shared->clients.insert(client);
        client->start();
    }
}

void ProxyServer::sweep()
{
    m_shared->pool->sweep(m_shared->now());
}

QByteArray ProxyStats::toPrometheus() const
{
    QByteArray t = "# HELP gasper_proxy_requests_total Requests seen by the proxy.\n"
                   "# TYPE gasper_proxy_requests_total counter\n";
    t += "gasper_proxy_requests_total " + QByteArray::number(requests) + '\n';
    t += "# HELP gasper_proxy_responses_total Proxy responses by class.\n# TYPE gasper_proxy_responses_total counter\n";
    t += "gasper_proxy_responses_total{class=\"2xx\"} " + QByteArray::number(responses2xx) + '\n';
    t += "gasper_proxy_responses_total{class=\"3xx\"} " + QByteArray::number(responses3xx) + '\n';
    t += "gasper_proxy_responses_total{class=\"4xx\"} " + QByteArray::number(responses4xx) + '\n';
    t += "gasper_proxy_responses_total{class=\"5xx\"} " + QByteArray::number(responses5xx) + '\n';
    t += "# HELP gasper_proxy_upstream_errors_total Failed upstream exchanges.\n"
         "# TYPE gasper_proxy_upstream_errors_total counter\n";
    t += "gasper_proxy_upstream_errors_total " + QByteArray::number(upstreamErrors) + '\n';
    t += "# HELP gasper_proxy_client_connections Open client connections.\n"
         "# TYPE gasper_proxy_client_connections gauge\n";
    t += "gasper_proxy_client_connections " + QByteArray::number(openClientConnections) + '\n';
    t += "# HELP gasper_proxy_upstream_timeouts_total Upstreams that sent no response head in time (504).\n"
         "# TYPE gasper_proxy_upstream_timeouts_total counter\n";
    t += "gasper_proxy_upstream_timeouts_total " + QByteArray::number(upstreamTimeouts) + '\n';
    t += "# HELP gasper_proxy_connections_refused_total Client connections closed at once over a cap.\n"
         "# TYPE gasper_proxy_connections_refused_total counter\n";
    t += "gasper_proxy_connections_refused_total{cap=\"total\"} " + QByteArray::number(connections.refusedTotal) + '\n';
    t += "gasper_proxy_connections_refused_total{cap=\"source\"} " + QByteArray::number(connections.refusedPerSource)
        + '\n';
    t += "# HELP gasper_proxy_client_timeouts_total Client connections closed on a deadline.\n"
         "# TYPE gasper_proxy_client_timeouts_total counter\n";
    t += "gasper_proxy_client_timeouts_total{deadline=\"head\"} " + QByteArray::number(connections.headTimeouts) + '\n';
    t += "gasper_proxy_client_timeouts_total{deadline=\"idle\"} " + QByteArray::number(connections.idleTimeouts) + '\n';
    t += "gasper_proxy_client_timeouts_total{deadline=\"send\"} " + QByteArray::number(connections.sendTimeouts) + '\n';
    return t;
}

} // namespace gasper::proxy
