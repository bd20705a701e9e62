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

namespace {

// The sweep runs often enough to honour short idle timeouts (tests) and the
// upstream pool's few seconds, and never more than once every 20 ms.
int sweepInterval(int idleTimeoutMs)
{
    return std::clamp(idleTimeoutMs / 4, 20, 1000);
}

} // namespace

ProxyServer::ProxyServer(RouteTable *routes, QObject *parent)
    : QObject(parent)
    , m_shared(std::make_unique<detail::Shared>())
    , m_server(new QTcpServer(this))
    , m_sweepTimer(new QTimer(this))
{
    m_shared->routes = routes;
    connect(m_server, &QTcpServer::newConnection, this, &ProxyServer::acceptConnections);
    m_sweepTimer->setInterval(sweepInterval(m_shared->idleTimeoutMs));
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
    return s;
}

void ProxyServer::setUpstreamConnectTimeout(int ms)
{
    m_shared->connectTimeoutMs = std::max(1, ms);
}

void ProxyServer::setIdleTimeout(int ms)
{
    m_shared->idleTimeoutMs = std::max(1, ms);
    m_sweepTimer->setInterval(sweepInterval(m_shared->idleTimeoutMs));
}

void ProxyServer::setMaxConnections(int n)
{
    m_shared->maxConnections = std::max(1, n);
}

void ProxyServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_shared->clients.size() >= m_shared->maxConnections) {
            // Over the cap: a short answer instead of a silent reset, then close.
            ++m_shared->stats.responses5xx;
            const qint64 now = m_shared->now();
            if (m_shared->lastCapWarningMs < 0 || now - m_shared->lastCapWarningMs >= 10000) {
                m_shared->lastCapWarningMs = now;
                qCWarning(lcProxy) << "connection limit" << m_shared->maxConnections
                                   << "reached; refusing new connections with 503";
            }
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
                          "Connection: close\r\n\r\n");
            socket->disconnectFromHost();
            if (socket->state() == QAbstractSocket::UnconnectedState)
                socket->deleteLater();
            continue;
        }
        auto *client = new detail::ClientConnection(m_shared.get(), socket, this);
        m_shared->clients.insert(client);
        client->start();
    }
}

void ProxyServer::sweep()
{
    const qint64 now = m_shared->now();
    QList<detail::ClientConnection *> expired;
    for (detail::ClientConnection *client : std::as_const(m_shared->clients)) {
        if (client->idleSince(now, m_shared->idleTimeoutMs))
            expired.append(client);
    }
    for (detail::ClientConnection *client : std::as_const(expired))
        client->closeNow();
    m_shared->pool->sweep(now);
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
    return t;
}

} // namespace gasper::proxy
