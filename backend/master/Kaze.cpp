// SPDX-License-Identifier: MIT
#include "master/Kaze.h"

#include "http/HttpServer.h"
#include "master/AppStates.h"
#include "master/AppsApi.h"
#include "master/AuthApi.h"
#include "master/LogsApi.h"
#include "master/MetricsRecorder.h"
#include "master/HooksApi.h"
#include "master/NodesApi.h"
#include "master/SshKeysApi.h"
#include "master/RollbackApi.h"
#include "master/Router.h"
#include "master/StreamsApi.h"
#include "master/TerminalApi.h"
#include "proxy/RouteTable.h"

#include <QHostAddress>
#include <QTimer>

namespace gasper::master {

namespace {

constexpr qint64 kMaxRequestBody = 1024 * 1024;

} // namespace

Kaze::Kaze(Config config, store::AsyncStore *store, apps::AppWorker *worker, proxy::RouteTable *routes, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_store(store),
      m_states(new AppStates(m_config, store, worker, routes, &m_hub, this)),
      m_router(new Router(store, this))
{
    http::Limits limits;
    limits.maxBodyBytes = kMaxRequestBody;
    m_server = new http::HttpServer(limits, this);
    m_server->setHandler([router = m_router](const http::Request &request, http::HttpResponder *responder) {
        router->handle(request, responder);
    });
    m_server->setErrorFormatter(&Router::protocolErrorResponse);
    m_server->setConnectionLimits(http::ConnectionLimits::from(m_config.apiLimits));
    m_server->setWebSocketLimits(http::WebSocketLimits{.pingIntervalMs = m_config.webSocketPingSec * 1000,
                                                       .maxMessageBytes = qint64(m_config.webSocketMaxMessageKb) * 1024,
                                                       .maxQueuedBytes = qint64(m_config.apiLimits.maxQueuedKb) * 1024});

    m_metrics = new MetricsRecorder(m_config, store, worker, m_states, &m_hub, this);
    const ApiContext context{m_config, store, worker, routes, &m_hub, m_states, m_router, m_server, m_metrics};
    m_nodes = new NodesApi(context, this);
    // One line per resource: its routes go into the one router.
    const QList<ApiResource *> resources{
        m_nodes,
        new AuthApi(context, this),
        new AppsApi(context, this),
        new StreamsApi(context, this),
        new LogsApi(context, this),
        new TerminalApi(context, this),
        new SshKeysApi(context, this),
        m_hooks = new HooksApi(context, this),
        new RollbackApi(context, this),
    };
    for (ApiResource *resource : resources)
        resource->addRoutes(*m_router);
    m_router->setFallback([this](const http::Request &request) { return m_web.serve(request); });
}

Kaze::~Kaze() = default;

Result<void> Kaze::listen()
{
    return m_server->listen(QHostAddress(m_config.api.host), m_config.api.port);
}

quint16 Kaze::serverPort() const
{
    return m_server->serverPort();
}

void Kaze::setMetricsSource(std::function<QByteArray()> source)
{
    m_nodes->setMetricsSource(std::move(source));
}

void Kaze::start()
{
    // Expired tokens are useless; sweep them hourly so the table does not only grow.
    auto *sweeper = new QTimer(this);
    connect(sweeper, &QTimer::timeout, this, [this] {
        m_store->run([](store::Store &s) { return s.deleteExpiredTokens(QDateTime::currentDateTimeUtc()); })
            .then(this, [](const Result<int> &) {});
    });
    sweeper->start(3600 * 1000);
    m_states->load();
    m_hooks->start();
}

} // namespace gasper::master
