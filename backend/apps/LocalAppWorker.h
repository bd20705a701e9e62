// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "core/Config.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>

class QTimer;

namespace gasper::docker {
class DockerClient;
class DockerStream;
}

namespace gasper::apps {

class DeployJob;
class HealthProbe;
class MetricsSampler;
class TenantNetworks;

// The app worker of this node (Mizu): runs DeployJobs against the local Docker
// engine, retires an app's old container once its new one is healthy, supervises
// running containers (an app that exits is brought back with back-off, whatever
// killed it) and re-adopts its containers after gasperd restarts.
class LocalAppWorker final : public AppWorker
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalAppWorker)
public:
    LocalAppWorker(docker::DockerClient *docker, Config config, QObject *parent = nullptr);
    ~LocalAppWorker() override;

    QString nodeName() const override { return m_config.nodeName; }
    void deploy(const AppSpec &spec, int deployNumber, const QString &trigger) override;
    void restart(const QString &app, QObject *context, Callback<void> callback) override;
    void stop(const QString &app, QObject *context, Callback<void> callback) override;
    void start(const QString &app, QObject *context, Callback<void> callback) override;
    void remove(const QString &app, QObject *context, Callback<void> callback) override;
    void adopt(const QList<AdoptRequest> &apps) override;
    LogStream *logs(const QString &app, int tail, bool follow, QObject *parent) override;
    void nodeStatus(QObject *context, Callback<QJsonObject> callback) override;
    void metrics(const QString &app, const QDateTime &since, QObject *context, Callback<QJsonObject> callback) override;

    // Starts watching the engine's container events (die/start) for supervision.
    void startSupervision();
    // The users' networks of this node (the database worker will hold them too).
    TenantNetworks *networks() const { return m_networks; }

private:
    struct Slot
    {
        AppSpec spec;
        QPointer<DeployJob> job;
        Runtime live;  // the container serving the app; empty while none
        int liveDeploy = 0;
        bool desiredRunning = true;
        bool busy = false;  // a stop/restart of ours is in flight: its die event is expected
        int failures = 0;
        int reportedRestarts = 0;  // last count sent with runtimeChanged()
        QElapsedTimer upSince;
        QPointer<QTimer> recoverTimer;
        QPointer<HealthProbe> probe;
    };

    Slot &slot(const QString &app);
    QString appDir(const QString &app) const;
    void onDeployFinished(const QString &app, DeployJob *job, const DeployOutcome &outcome);
    void retire(const QString &app, const QString &containerId, const QString &keepDir);
    void removeDeployDirsExcept(const QString &app, const QString &keep);
    void onEngineEvent(const QJsonObject &event);
    void scheduleRecovery(const QString &app);
    void recover(const QString &app);
    // inspect → published port → health probe → Running (or the callback's error)
    void bringUp(const QString &app, const QString &containerId, std::function<void(Result<void>)> done);
    void subscribeEvents();

    QPointer<docker::DockerClient> m_docker;
    Config m_config;
    QHash<QString, Slot> m_apps;
    QPointer<docker::DockerStream> m_events;
    MetricsSampler *m_sampler = nullptr;
    TenantNetworks *m_networks = nullptr;
};

} // namespace gasper::apps
