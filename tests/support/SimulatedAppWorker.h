// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"

#include <QElapsedTimer>
#include <QHash>
#include <QStringList>

#include <functional>
#include <optional>

namespace gasper::testing {

// A second, in-process implementation of apps::AppWorker: it plays the engine side
// without Docker. A deploy walks the real states and steps (cloning: clone ∥ create +
// start, building: build, starting: health) one event-loop turn (or `stepDelayMs`)
// apart, emits output lines, and ends exactly once — with the outcome scripted for the
// app (a failing clone, build or health check, with its code), or with a runtime on a
// made-up container and port. A newer deploy of the same app drops the one in progress
// silently (as LocalAppWorker does). restart/stop/start/remove answer like the real
// worker (not-deployed without a container); crash() plays a container that exits and
// comes back. Everything it was asked to do is kept in calls() for tests to check.
class SimulatedAppWorker final : public apps::AppWorker
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimulatedAppWorker)
public:
    // How the next deploys of an app end.
    struct Script
    {
        QString failAt;   // empty: success; else "clone", "build" or "health"
        QString code;     // the error code (git-branch-not-found, build-failed, health-timeout…)
        QString message;  // a sentence for people
        QStringList output{QStringLiteral("simulated: build output")};
        QString commit;   // the branch head a clone finds (empty: a fixed sha); a pinned commit wins
    };

    explicit SimulatedAppWorker(QString nodeName = QStringLiteral("sim"), QObject *parent = nullptr);

    void script(const QString &app, Script script) { m_scripts.insert(app, std::move(script)); }
    void setStepDelay(int ms) { m_stepDelayMs = ms; }
    // Makes the next lifecycle call (restart, stop, start, remove) of any app fail with this error.
    void failNextCall(Error error) { m_nextCallError = std::move(error); }
    // The app's container exits with `exitCode`; it is Running again after `downMs`.
    void crash(const QString &app, int exitCode, int downMs = 0);
    // One sampling tick with these app samples (and a made-up node sample).
    void sampleMetrics(const QList<apps::AppSample> &samples);

    QStringList calls() const { return m_calls; }
    bool hasContainer(const QString &app) const { return !m_apps.value(app).runtime.containerId.isEmpty(); }
    apps::Runtime runtime(const QString &app) const { return m_apps.value(app).runtime; }
    // The spec of the app's last deploy (its pinned commit after a rollback, say).
    AppSpec deployedSpec(const QString &app) const { return m_apps.value(app).spec; }

    QString nodeName() const override { return m_nodeName; }
    void deploy(const AppSpec &spec, int deployNumber, const QString &trigger) override;
    // The master's acknowledgement of a route switch (AppWorker::retire): recorded in
    // calls(), answered at once.
    void retire(const QString &app, int deployNumber, QObject *context, Callback<void> callback) override;
    void restart(const QString &app, QObject *context, Callback<void> callback) override;
    void stop(const QString &app, QObject *context, Callback<void> callback) override;
    void start(const QString &app, QObject *context, Callback<void> callback) override;
    void remove(const QString &app, QObject *context, Callback<void> callback) override;
    void adopt(const QList<apps::AdoptRequest> &apps) override;
    void nodeStatus(QObject *context, Callback<QJsonObject> callback) override;
    apps::LogStream *logs(const QString &app, const apps::LogQuery &query, QObject *parent) override;
    // No containers here: every shell fails with `not-supported` (from the event loop).
    apps::ShellSession *openShell(const QString &app, const apps::ShellOptions &options, QObject *parent) override;

private:
    struct App
    {
        AppSpec spec;
        apps::Runtime runtime;
        int generation = 0;  // bumps with each deploy and remove: older timers see a mismatch
        bool running = false;
        QStringList log;     // the "container's" output
        int liveDeploy = 0;  // the deploy whose "container" serves
        int retiringDeploy = 0;   // the replaced one, until retire()…
        QStringList retiringLog;  // …which hands its output over (appLogCaptured)
    };
    // Runs f after the step delay, unless the app was redeployed or removed meanwhile.
    void later(const QString &app, std::function<void()> f);
    void lifecycle(const QString &app, const char *what, QObject *context, Callback<void> callback,
                   std::function<void(App &)> change);
    void runDeploy(const QString &app, int deploy, const QStringList &steps, int index);
    void finishDeploy(const QString &app, int deploy, const QString &failedStep);

    QString m_nodeName;
    int m_stepDelayMs = 0;
    quint16 m_nextPort = 20000;
    int m_nextContainer = 1;
    QHash<QString, App> m_apps;
    QHash<QString, Script> m_scripts;
    QHash<QString, QElapsedTimer> m_deployClocks;
    std::optional<Error> m_nextCallError;
    QStringList m_calls;
};

} // namespace gasper::testing
