// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "core/Config.h"
#include "http/HttpMessage.h"
#include "master/EventHub.h"
#include "master/LoginThrottle.h"
#include "master/WebAssets.h"
#include "store/AsyncStore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

#include <memory>

namespace gasper::http {
class HttpServer;
class HttpResponder;
}
namespace gasper::proxy {
class RouteTable;
}

namespace gasper::master {

class AppStates;

// The master (Kaze): the REST + WebSocket API of DESIGN.md and authentication. What
// a user asks for is in the store before it is acknowledged; the apps' live state,
// events and routes are AppStates' job.
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
    void setMetricsSource(std::function<QByteArray()> source) { m_extraMetrics = std::move(source); }

private:
    struct Call
    {
        QPointer<http::HttpResponder> responder;
        QByteArray path;
        QByteArray body;
        QUrlQuery query;
        QStringList params;
        store::User user;
    };
    using CallPtr = std::shared_ptr<Call>;
    using Handler = void (Kaze::*)(const CallPtr &);
    struct Route
    {
        QByteArray method;
        QStringList segments;  // "{}" matches one segment
        bool auth = true;
        Handler handler;
    };

    void handle(const http::Request &request, http::HttpResponder *responder);
    void reply(const CallPtr &call, const http::Response &response);
    void replyError(const CallPtr &call, const Error &error) ;
    // Loads the app named in the path; 404 for apps of others (unless admin).
    void withApp(const CallPtr &call, std::function<void(store::AppRecord)> next);

    // handlers
    void healthz(const CallPtr &call);
    void metrics(const CallPtr &call);
    void registerUser(const CallPtr &call);
    void login(const CallPtr &call);
    void logout(const CallPtr &call);
    void me(const CallPtr &call);
    void createApp(const CallPtr &call);
    void listApps(const CallPtr &call);
    void getApp(const CallPtr &call);
    void patchApp(const CallPtr &call);
    void deleteApp(const CallPtr &call);
    void rebuildApp(const CallPtr &call);
    void restartApp(const CallPtr &call);
    void stopApp(const CallPtr &call);
    void startApp(const CallPtr &call);
    void appLogs(const CallPtr &call);
    void appDeploys(const CallPtr &call);
    void deployLog(const CallPtr &call);
    void events(const CallPtr &call);
    void nodes(const CallPtr &call);
    void appMetrics(const CallPtr &call);
    void lifecycle(const CallPtr &call, const QString &action);


    Config m_config;
    QPointer<store::AsyncStore> m_store;
    QPointer<apps::AppWorker> m_worker;
    QPointer<proxy::RouteTable> m_routes;
    http::HttpServer *m_server = nullptr;
    EventHub m_hub;
    LoginThrottle m_loginThrottle;
    QList<Route> m_table;
    AppStates *m_states;
    std::function<QByteArray()> m_extraMetrics;
    QElapsedTimer m_uptime;
    // counters for /metrics
    QHash<int, quint64> m_responsesByStatus;
    WebAssets m_web;
};

} // namespace gasper::master
