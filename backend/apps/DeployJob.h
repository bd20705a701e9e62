// SPDX-License-Identifier: MIT
#pragma once

#include "apps/AppWorker.h"
#include "core/AppModel.h"
#include "docker/FrameDemuxer.h"
#include "git/GitClone.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace gasper::docker {
class DockerClient;
class DockerStream;
}

namespace gasper::apps {

class HealthProbe;

// One deploy of one app, as one recipe (DESIGN.md "Deploy pipeline"):
//
//   parallel { clone the branch into a fresh folder,
//              create + start the container (its command waits for /run/gasper/ready) }
//   → build commands as execs in the container, output streamed line by line
//   → create the ready file: the run command starts
//   → health check: the published port answers HTTP
//
// Every step is timed; any failure removes what this deploy created and ends the
// job with the reason and the last output lines. An older container of the app is
// never touched here: the worker retires it once this job succeeded.
// Emits finished() exactly once.
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
        QString hostHeader;  // for the health probe
        int healthTimeoutMs = 60000;
        int buildTimeoutMs = 900000;
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
    void cloneSource();
    void createContainer();
    void onContainerCreated(const Result<QString> &id);
    void startContainer();
    void inspectPort();
    void joinCloneAndContainer();
    void runBuild(int index);
    void releaseRunCommand();
    void checkHealth();
    void watchContainer();
    void succeed();
    void failWith(const QString &code, const QString &message);
    void beginStep(const QString &name);
    void endStep(const QString &name, const QString &status = QStringLiteral("done"));
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
    bool m_cloneDone = false;
    bool m_containerReady = false;
    bool m_finished = false;
    QElapsedTimer m_total;
    QHash<QString, QElapsedTimer> m_stepClocks;
    QSet<QString> m_endedSteps;
    QStringList m_tail;  // last output lines, for last_error
    docker::LineSplitter m_stdout{kMaxLineBytes};
    docker::LineSplitter m_stderr{kMaxLineBytes};
    QFuture<Result<git::CloneResult>> m_clone;  // the clone itself: cancelling it stops libgit2
    QPointer<docker::DockerStream> m_execStream;
    QPointer<HealthProbe> m_probe;
    QTimer m_buildTimeout;
    QTimer m_liveness;
};

} // namespace gasper::apps
