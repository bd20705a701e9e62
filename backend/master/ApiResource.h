// SPDX-License-Identifier: MIT
#pragma once

#include "core/Config.h"
#include "master/Router.h"

#include <QObject>
#include <QPointer>

#include <functional>

namespace gasper::apps {
class AppWorker;
}
namespace gasper::http {
class HttpServer;
}
namespace gasper::proxy {
class RouteTable;
}
namespace gasper::store {
class AsyncStore;
struct AppRecord;
}

namespace gasper::master {

class AppStates;
class EventHub;
class MetricsRecorder;

// What every API resource may use. Kaze fills it once; each resource keeps a copy.
struct ApiContext
{
    Config config;
    QPointer<store::AsyncStore> store;
    QPointer<apps::AppWorker> worker;
    QPointer<proxy::RouteTable> routes;
    EventHub *hub = nullptr;
    AppStates *states = nullptr;
    Router *router = nullptr;
    http::HttpServer *server = nullptr;
    MetricsRecorder *metrics = nullptr;
};

// One resource of the API (auth, apps, streams, nodes, …): a small object that adds its
// routes to the router and answers them. A new resource is a subclass in a file of its
// own, plus one line in Kaze's constructor.
class ApiResource : public QObject
{
    Q_OBJECT
public:
    ApiResource(const ApiContext &context, QObject *parent) : QObject(parent), m_ctx(context) {}
    virtual void addRoutes(Router &router) = 0;

protected:
    // Loads the app named by the route's {name}: other users' apps are 404 unless the
    // caller is an admin, so a name's existence is not leaked. next runs only on success.
    void withOwnedApp(const CallPtr &call, std::function<void(const store::AppRecord &)> next);

    const ApiContext m_ctx;
};

} // namespace gasper::master
