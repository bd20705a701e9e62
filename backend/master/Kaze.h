// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "core/Config.h"
#include "master/EventHub.h"
#include "master/WebAssets.h"
#include "store/AsyncStore.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace gasper::http {
class HttpServer;
}
namespace gasper::proxy {
class RouteTable;
}

namespace gasper::master {

class AppStates;
class MetricsRecorder;
class NodesApi;
class HooksApi;
class Router;

// The master (Kaze): the REST + WebSocket API of DESIGN.md. It wires the pieces: the
// HTTP server hands every request to the Router, which checks access and calls one
// resource (AuthApi, AppsApi, StreamsApi, NodesApi: one file each); AppStates owns
// the apps' live state, events and proxy routes.
class Kaze final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Kaze)
public:
    Kaze(Config config, store::AsyncStore *store, apps::AppWorker *worker, proxy::RouteTable *routes,
         QObject *parent = nullptr);
    ~Kaze() override;

    Result<void> listen();
    quint16 serverPort() const;
    // Loads the stored apps, points the routes at their containers and asks the
    // worker to re-adopt them.
    void start();
    // Extra Prometheus text appended to /metrics (the proxy's counters).
    void setMetricsSource(std::function<QByteArray()> source);

    const Router &router() const { return *m_router; }

private:
    Config m_config;
    QPointer<store::AsyncStore> m_store;
    EventHub m_hub;
    AppStates *m_states;
    Router *m_router;
    http::HttpServer *m_server;
    NodesApi *m_nodes = nullptr;
    MetricsRecorder *m_metrics = nullptr;
    HooksApi *m_hooks = nullptr;
    WebAssets m_web;  // the dashboard, for the paths no API route takes
};

} // namespace gasper::master
