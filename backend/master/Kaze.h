// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "core/Config.h"
#include "http/HttpMessage.h"
#include "master/EventHub.h"
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

// The master (Kaze): the REST + WebSocket API of DESIGN.md, authentication, the
// state of every app (persisted in the store before it is acknowledged), and the
// one place that turns worker progress into stored state, events and proxy routes.
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
        QByteArray method;
        QByteArray path;
        QByteArray body;
        QUrlQuery query;
        QStringList params;
        store::User user;
        bool authenticated = false;
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
    // What the master keeps in memory of each app: enough to route and to address events.
    struct LiveApp
    {
        qint64 ownerId = 0;
        AppState state = AppState::Queued;
        apps::Runtime runtime;
        QString lastError;
        QString lastErrorCode;
        bool deploying = false;
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

    // worker → state, events, routes
    void beginDeploy(const AppSpec &spec, const store::DeployRecord &deploy);
    void onStateChanged(const QString &app, AppState state, const QString &detail);
    void onDeployStep(const QString &app, int deploy, const DeployStep &step);
    void onDeployOutput(const QString &app, int deploy, const QString &stream, const QString &line);
    void onDeployFinished(const QString &app, int deploy, const apps::DeployOutcome &outcome);
    void onRuntimeChanged(const QString &app, const apps::Runtime &runtime);
    void onDeployRequested(const QString &app, const QString &trigger);
    void setState(const QString &app, AppState state, const QString &lastError, const QString &lastErrorCode = {});
    void publishState(const QString &app);
    void updateRoute(const QString &app);
    QString hostOf(const QString &app) const;

    Config m_config;
    QPointer<store::AsyncStore> m_store;
    QPointer<apps::AppWorker> m_worker;
    QPointer<proxy::RouteTable> m_routes;
    http::HttpServer *m_server = nullptr;
    EventHub m_hub;
    QList<Route> m_table;
    QHash<QString, LiveApp> m_live;
    QHash<QString, store::DeployRecord> m_deploys;  // in progress, by app
    QHash<QString, QStringList> m_deployLogs;       // "app#n" -> output lines (recent deploys)
    QStringList m_deployLogOrder;
    std::function<QByteArray()> m_extraMetrics;
    QElapsedTimer m_uptime;
    // counters for /metrics
    QHash<int, quint64> m_responsesByStatus;
    quint64 m_deploysSucceeded = 0;
    quint64 m_deploysFailed = 0;
    double m_deploySecondsSum = 0;
};

} // namespace gasper::master
