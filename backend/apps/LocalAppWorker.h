// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "core/Config.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>

#include <memory>
#include <optional>

class QTimer;

namespace gasper::docker {
class DockerClient;
class DockerStream;
}

namespace gasper::apps {

class DeployJob;
class EngineFeatures;
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
    void retire(const QString &app, int deployNumber, QObject *context, Callback<void> callback) override;
    void restart(const QString &app, QObject *context, Callback<void> callback) override;
    void stop(const QString &app, QObject *context, Callback<void> callback) override;
    void start(const QString &app, QObject *context, Callback<void> callback) override;
    void remove(const QString &app, QObject *context, Callback<void> callback) override;
    void adopt(const QList<AdoptRequest> &apps) override;
    LogStream *logs(const QString &app, const LogQuery &query, QObject *parent) override;
    ShellSession *openShell(const QString &app, const ShellOptions &options, QObject *parent) override;
    void nodeStatus(QObject *context, Callback<QJsonObject> callback) override;

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
        QString liveDir;         // the live deploy's folder (its source)
        QStringList retiring;    // older containers, removed once the master calls retire()
        QHash<QString, int> retiringDeploys;  // their deploy numbers (their output is kept)
        // What is masked in everything the app prints: secretsToMask() of the spec (while a
        // deploy changes it, also the previous spec's: the old container still runs).
        // Secrets the worker learns later (database passwords) join here.
        QStringList secrets;
        bool desiredRunning = true;
        bool busy = false;
        bool removing = false;  // remove() in progress: callbacks find nothing  // a stop/restart of ours is in flight: its die event is expected
        int failures = 0;
        int reportedRestarts = 0;  // last count sent with runtimeChanged()
        QElapsedTimer upSince;
        QPointer<QTimer> recoverTimer;
        QPointer<HealthProbe> probe;
        int engineRetries = 0;                     // runs of the current deploy cut short by the engine
        std::optional<DeployOutcome> heldFailure;  // a failure not told yet (engine grace, or given up)
        int heldDeploy = 0;
    };

    // slot() makes the app's slot (deploy, adoption: the only places that may); every
    // callback looks up with find(), which has nothing for an app being removed, so a late
    // answer never brings a removed app back.
    Slot &slot(const QString &app);
    Slot *find(const QString &app);
    bool isOurs(const QJsonObject &container) const;
    QString appDir(const QString &app) const;
    void onDeployFinished(const QString &app, DeployJob *job, const DeployOutcome &outcome);
    void removeDeployDirsExcept(const QString &app, const QString &keep);
    // The end of a container's output, masked, bounded by [logs] app_log_kb; `done` gets
    // what arrived within a few seconds (empty when the engine has nothing).
    void captureLog(const QString &containerId, const QStringList &secrets, std::function<void(QByteArray)> done);
    void onEngineEvent(const QJsonObject &event);
    void scheduleRecovery(const QString &app);
    void recover(const QString &app);
    // inspect → published port → health probe → Running (or the callback's error)
    void bringUp(const QString &app, const QString &containerId, std::function<void(Result<void>)> done);
    void subscribeEvents();
    // remove() once no deploy of the app runs: its containers, then its source folder.
    void removeEverything(const QString &app, const QPointer<QObject> &ctx, const Callback<void> &callback);
    // After the event stream was broken: deploys cut short run again; containers that died,
    // vanished or moved port meanwhile are recovered or re-probed; strays go.
    void reconcile();

    QPointer<docker::DockerClient> m_docker;
    Config m_config;
    QHash<QString, Slot> m_apps;
    QPointer<docker::DockerStream> m_events;
    qint64 m_lastEventNano = 0;    // timeNano of the last engine event handled
    qint64 m_replayUntilNano = 0;  // a reconnect replays up to here: already handled
    bool m_eventsBroken = false;
    int m_engineInterruptions = 0;
    QHash<QString, int> m_interruptedDeploys;  // app -> deploy number to run again
    MetricsSampler *m_sampler = nullptr;
    std::optional<metrics::CpuTimes> m_lastCpuTimes;
    QString m_dockerRootDir;
    double cpuLimitOf(const QString &app);
    void onMetricsTick(const QList<AppSample> &samples);
    std::shared_ptr<EngineFeatures> m_features;  // learnt once, shared by every deploy
    TenantNetworks *m_networks = nullptr;
};

} // namespace gasper::apps
