// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "apps/Recipe.h"
#include "core/AppModel.h"
#include "core/Future.h"
#include "docker/FrameDemuxer.h"
#include "git/GitClone.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace gasper::docker {
class DockerClient;
class DockerStream;
}

namespace gasper::apps {

class HealthProbe;
class EngineFeatures;

// One deploy of one app, as one recipe (DESIGN.md "Deploy pipeline"; the steps, what runs
// at once, each deadline and what failure does are written down in recipe()):
//
//   parallel { clone the branch into a fresh folder,
//              create + start the container (its command waits for /run/gasper/ready) }
//   → build commands as execs in the container, output streamed line by line
//   → the Procfile's release command, the same way (when there is one)
//   → write the run command (the app's, or the Procfile's web line: read after the clone)
//     and create the ready file: the run command starts
//   → health check: the published port answers HTTP
//
// Every step is timed; any failure removes what this deploy created and ends the
// job with the reason and the last output lines. An older container of the app is
// never touched here: the worker retires it once the master acknowledged this one
// (AppWorker::retire()).
// Emits finished() exactly once; after a failure only once nothing of the job runs any
// more (its clone thread stopped, its container removed).
class DeployJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeployJob)
public:
    // Output lines longer than this come out in pieces (one endless line must not grow memory).
    static constexpr qsizetype kMaxLineBytes = 8192;

    struct Settings
    {
        QString image;
        QString appDir;  // <data>/sources/<app>; this deploy works in a fresh folder inside
        int memoryMb = 512;
        double cpus = 1.0;
        QString node;
        QString nodeId;
        QString hostHeader;  // for the health probe
        int healthTimeoutMs = 60000;
        HealthCheck health;  // the app's (path, expected status); timeout already in healthTimeoutMs
        int buildTimeoutMs = 900000;
        std::shared_ptr<EngineFeatures> features;  // the node's, learnt from the engine's answers
        QString network;  // the owner's network (TenantNetworks); empty: Docker's default bridge
    };

    DeployJob(docker::DockerClient *docker, AppSpec spec, int deployNumber, Settings settings,
              QObject *parent = nullptr);
    ~DeployJob() override;

    void start();
    void cancel();
    // Before start(): the network is known only once TenantNetworks made it.
    void setNetwork(const QString &network) { m_settings.network = network; }

    const AppSpec &spec() const { return m_spec; }
    int deployNumber() const { return m_deployNumber; }
    QString deployDir() const { return m_deployDir; }

signals:
    void stateChanged(gasper::AppState state, const QString &detail);
    void step(const gasper::DeployStep &step);
    void output(const QString &stream, const QString &line);
    void finished(const gasper::apps::DeployOutcome &outcome);

private:
    Recipe::Group recipe();
    void cloneSource(Recipe::Done done);
    void createContainer(Recipe::Done done);
    void onContainerCreated(const Result<QString> &id, const Recipe::Done &done);
    bool retryWithoutInit(const Error &error, const Recipe::Done &done);
    void startContainer(Recipe::Done done);
    void inspectPort(const Recipe::Done &done);
    void runBuild(int index, Recipe::Done done);
    void runRelease(Recipe::Done done);
    // One command as an exec in the container, output streamed; a non-zero exit is `failCode`.
    void runExec(const QString &command, const QString &failCode, const QString &what, Recipe::Done done);
    Result<void> readProcfile();
    Result<void> releaseRunCommand();
    void checkHealth(Recipe::Done done);
    void stopHealth();
    void watchContainer(const Recipe::Done &done);
    void succeed();
    void failWith(const QString &code, const QString &message);
    void emitOutput(const QString &stream, const QList<QByteArray> &lines);
    void emitOutput(const QString &stream, const QStringList &lines);

    QPointer<docker::DockerClient> m_docker;
    AppSpec m_spec;
    int m_deployNumber;
    Settings m_settings;
    QString m_unique;  // of this deploy's folder and container name
    QString m_deployDir;
    QString m_sourceDir;
    QString m_controlDir;
    QString m_containerId;
    quint16 m_hostPort = 0;
    QString m_commit;
    QString m_runCommand;      // resolved after the clone (run, or the Procfile's web line)
    QString m_releaseCommand;  // the Procfile's release line; empty: none
    bool m_cloneStarted = false;
    bool m_createInFlight = false;
    bool m_usedInit = false;  // this deploy's container was created with --init
    std::function<void()> m_createSettled;  // a failure waits for the create in flight
    bool m_finished = false;
    QElapsedTimer m_total;
    QStringList m_tail;  // last output lines, for last_error
    docker::LineSplitter m_stdout{kMaxLineBytes};
    docker::LineSplitter m_stderr{kMaxLineBytes};
    Future<Result<git::CloneResult>> m_clone;  // the clone itself: cancelling it stops libgit2
    QPointer<docker::DockerStream> m_execStream;
    QPointer<HealthProbe> m_probe;
    QTimer m_liveness;
    QPointer<Recipe> m_recipe;
};

} // namespace gasper::apps
