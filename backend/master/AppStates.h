// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "core/Config.h"
#include "store/AsyncStore.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace gasper::proxy {
class RouteTable;
}

namespace gasper::master {

class DeployLogWriter;
class EventHub;

// What the master knows of every app while it runs, and the one place that turns a
// worker's progress into stored state, events on /api/v1/events and proxy routes.
// State changes are persisted in the store's order (one store thread) and published
// at once; the route of an app always follows its state.
class AppStates final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppStates)
public:
    struct LiveApp
    {
        qint64 ownerId = 0;
        AppState state = AppState::Queued;
        apps::Runtime runtime;
        QString lastError;
        QString lastErrorCode;
        bool deploying = false;
    };

    AppStates(Config config, store::AsyncStore *store, apps::AppWorker *worker, proxy::RouteTable *routes,
              EventHub *hub, QObject *parent = nullptr);

    // Loads the stored apps, points the routes at their containers and asks the
    // worker to re-adopt them.
    void load();

    void add(const QString &app, qint64 ownerId);  // a new app, queued
    void forget(const QString &app);              // a deleted app: no state, no route
    void beginDeploy(const AppSpec &spec, const store::DeployRecord &deploy);
    void setState(const QString &app, AppState state, const QString &lastError, const QString &lastErrorCode = {});
    void publishState(const QString &app);
    void updateRoute(const QString &app);

    LiveApp value(const QString &app) const { return m_live.value(app); }
    const QHash<QString, LiveApp> &all() const { return m_live; }
    // The deploy in progress, or one just finished whose record the store may not hold yet.
    std::optional<store::DeployRecord> liveDeploy(const QString &app) const;
    // Every deploy's output goes to the store through it (flush() before reading one back).
    DeployLogWriter *deployLogs() const { return m_deployLogs; }
    QString hostOf(const QString &app) const;

    quint64 deploysSucceeded() const { return m_deploysSucceeded; }
    quint64 deploysFailed() const { return m_deploysFailed; }
    double deploySecondsSum() const { return m_deploySecondsSum; }

private:
    void onStateChanged(const QString &app, AppState state, const QString &detail);
    void onDeployStep(const QString &app, int deploy, const DeployStep &step);
    void onDeployOutput(const QString &app, int deploy, const QString &stream, const QString &line);
    void onDeployFinished(const QString &app, int deploy, const apps::DeployOutcome &outcome);
    void onRuntimeChanged(const QString &app, const apps::Runtime &runtime);
    void onDeployRequested(const QString &app, const QString &trigger);
    void onAppLogCaptured(const QString &app, int deploy, const QByteArray &log);
    template<class F>
    void persist(const QString &app, const char *what, F &&write, std::function<void()> then = {});
    void saveRuntime(const QString &app, const apps::Runtime &runtime);

    Config m_config;
    QPointer<store::AsyncStore> m_store;
    QPointer<apps::AppWorker> m_worker;
    QPointer<proxy::RouteTable> m_routes;
    EventHub *m_hub;
    QHash<QString, LiveApp> m_live;
    QHash<QString, store::DeployRecord> m_deploys;  // in progress, by app
    // Finished, its record on the way to the store: a read that the store answered before the
    // write must not show the deploy as running after its deploy.finished event.
    QHash<QString, store::DeployRecord> m_finishing;
    DeployLogWriter *m_deployLogs;
    quint64 m_deploysSucceeded = 0;
    quint64 m_deploysFailed = 0;
    double m_deploySecondsSum = 0;
};

} // namespace gasper::master
