// SPDX-License-Identifier: MIT
#include "apps/DeployJob.h"

#include "apps/ContainerSpec.h"
#include "apps/HealthProbe.h"
#include "core/Log.h"
#include "docker/DockerClient.h"
#include "git/GitClone.h"

#include <QDir>
#include <QFile>
#include <QFuture>
#include <QJsonArray>
#include <QRandomGenerator>

namespace gasper::apps {

namespace {
constexpr int kTailLines = 20;

// The unterminated last line of a stream, if any.
QList<QByteArray> rest(docker::LineSplitter &splitter)
{
    QByteArray line = splitter.takeRest();
    if (line.isEmpty())
        return {};
    if (line.endsWith('\r'))
        line.chop(1);
    return {line};
}
constexpr int kLivenessIntervalMs = 400;
} // namespace

DeployJob::DeployJob(docker::DockerClient *docker, AppSpec spec, int deployNumber, Settings settings, QObject *parent)
    : QObject(parent), m_docker(docker), m_spec(std::move(spec)), m_deployNumber(deployNumber),
      m_settings(std::move(settings))
{
    // A fresh folder per deploy: the previous deploy's container keeps its own
    // source until it is retired, and a crashed attempt never collides.
    m_unique = QString::number(QRandomGenerator::global()->generate() & 0xffffff, 16).rightJustified(6, u'0');
    m_deployDir = QStringLiteral("%1/d%2-%3").arg(m_settings.appDir).arg(m_deployNumber).arg(m_unique);
    m_sourceDir = m_deployDir + QStringLiteral("/src");
    m_controlDir = m_deployDir + QStringLiteral("/ctl");
    m_buildTimeout.setSingleShot(true);
    connect(&m_buildTimeout, &QTimer::timeout, this, [this] {
        failWith(QStringLiteral("build-timeout"),
                 QStringLiteral("the build did not finish within %1 s").arg(m_settings.buildTimeoutMs / 1000));
    });
    m_liveness.setInterval(kLivenessIntervalMs);
    connect(&m_liveness, &QTimer::timeout, this, &DeployJob::watchContainer);
}

DeployJob::~DeployJob() = default;

void DeployJob::start()
{
    m_total.start();
    emit stateChanged(AppState::Cloning, {});
    if (!QDir().mkpath(m_sourceDir) || !QDir().mkpath(m_controlDir)) {
        failWith(QStringLiteral("io-error"), QStringLiteral("cannot create the source folder of the app"));
        return;
    }
    // The two slow independent steps run at once; joinCloneAndContainer() waits for both.
    cloneSource();
    createContainer();
}

void DeployJob::cancel()
{
    failWith(QStringLiteral("deploy-cancelled"), QStringLiteral("the deploy was cancelled"));
}

void DeployJob::cloneSource()
{
    beginStep(QStringLiteral("clone"));
    git::CloneRequest request;
    request.url = m_spec.git.url;
    request.branch = m_spec.git.branch;
    request.token = m_spec.git.token;
    request.destination = m_sourceDir;
    request.timeoutSec = qMax(30, m_settings.buildTimeoutMs / 1000);
    request.ownerUid = kAppUid;  // the app's unprivileged user owns /app
    request.ownerGid = kAppGid;
    m_clone = git::clone(request);
    m_clone.then(this, [this](const Result<git::CloneResult> &result) {
        if (m_finished)
            return;
        if (!result) {
            endStep(QStringLiteral("clone"), QStringLiteral("failed"));
            failWith(result.error().code, result.error().message);
            return;
        }
        m_commit = result->commit;
        emitOutput(QStringLiteral("system"),
                   {QStringLiteral("cloned %1 at %2").arg(result->branch, result->commit.left(12))});
        endStep(QStringLiteral("clone"));
        m_cloneDone = true;
        joinCloneAndContainer();
    });
}

void DeployJob::createContainer()
{
    beginStep(QStringLiteral("create"));
    ContainerOptions options;
    options.image = m_settings.image;
    options.sourceDir = m_sourceDir;
    options.controlDir = m_controlDir;
    options.memoryMb = m_settings.memoryMb;
    options.cpus = m_settings.cpus;
    options.node = m_settings.node;
    options.deployNumber = m_deployNumber;
    options.network = m_settings.network;
    const QString name = containerName(m_spec.name, m_deployNumber, m_unique);
    // The engine is the context: a container created after this job ended (failed,
    // cancelled, deleted) is removed instead of leaking.
    QPointer<DeployJob> self(this);
    QPointer<docker::DockerClient> docker(m_docker);
    m_docker->createContainer(name, containerConfig(m_spec, options), m_docker,
                              [self, docker](Result<QString> id) {
        if (!self || self->m_finished) {
            if (id && docker)
                docker->removeContainer(*id, true, docker, [](Result<void>) {});
            return;
        }
        self->onContainerCreated(id);
    });
}

void DeployJob::onContainerCreated(const Result<QString> &id)
{
    if (!id) {
        endStep(QStringLiteral("create"), QStringLiteral("failed"));
        const bool noImage = id.error().code == u"docker-not-found";
        failWith(id.error().code, noImage ? QStringLiteral("the image %1 is missing on node %2 (build it with "
                                                          "packaging/images/build-images.sh)")
                                                .arg(m_settings.image, m_settings.node)
                                          : id.error().message);
        return;
    }
    m_containerId = *id;
    endStep(QStringLiteral("create"));
    startContainer();
}

void DeployJob::startContainer()
{
    beginStep(QStringLiteral("start"));
    m_docker->startContainer(m_containerId, this, [this](Result<void> started) {
        if (m_finished)
            return;
        if (!started) {
            endStep(QStringLiteral("start"), QStringLiteral("failed"));
            failWith(started.error().code, started.error().message);
            return;
        }
        inspectPort();
    });
}

void DeployJob::inspectPort()
{
    m_docker->inspectContainer(m_containerId, this, [this](Result<QJsonObject> info) {
        if (m_finished)
            return;
        if (!info) {
            failWith(info.error().code, info.error().message);
            return;
        }
        m_hostPort = publishedHostPort(*info, m_spec.port);
        if (!m_hostPort) {
            failWith(QStringLiteral("docker-error"), QStringLiteral("the engine published no port for the app"));
            return;
        }
        endStep(QStringLiteral("start"));
        m_containerReady = true;
        joinCloneAndContainer();
    });
}

void DeployJob::joinCloneAndContainer()
{
    if (!m_cloneDone || !m_containerReady || m_finished)
        return;
    emit stateChanged(AppState::Building, {});
    if (m_spec.build.isEmpty()) {
        emit step(DeployStep{QStringLiteral("build"), QStringLiteral("skipped"), 0});
        releaseRunCommand();
        return;
    }
    beginStep(QStringLiteral("build"));
    m_buildTimeout.start(m_settings.buildTimeoutMs);
    runBuild(0);
}

void DeployJob::runBuild(int index)
{
    if (m_finished)
        return;
    if (index >= m_spec.build.size()) {
        m_buildTimeout.stop();
        endStep(QStringLiteral("build"));
        releaseRunCommand();
        return;
    }
    const QString command = m_spec.build.at(index);
    emitOutput(QStringLiteral("system"), {QStringLiteral("$ ") + command});
    m_docker->createExec(m_containerId, buildCommandArgv(command), environment(m_spec), QStringLiteral("/app"),
                         false, false, this, [this, index, command](Result<QString> execId) {
        if (m_finished)
            return;
        if (!execId) {
            failWith(execId.error().code, execId.error().message);
            return;
        }
        auto *stream = m_docker->startExec(*execId, false, this);
        m_execStream = stream;
        connect(stream, &docker::DockerStream::output, this, [this](docker::StreamKind kind, const QByteArray &data) {
            if (kind == docker::StreamKind::Stderr)
                emitOutput(QStringLiteral("stderr"), m_stderr.feed(data));
            else
                emitOutput(QStringLiteral("stdout"), m_stdout.feed(data));
        });
        connect(stream, &docker::DockerStream::finished, this,
                [this, index, command, id = *execId](const Result<void> &ended) {
            emitOutput(QStringLiteral("stdout"), rest(m_stdout));
            emitOutput(QStringLiteral("stderr"), rest(m_stderr));
            if (m_finished)
                return;
            if (!ended) {
                failWith(ended.error().code, ended.error().message);
                return;
            }
            m_docker->inspectExec(id, this, [this, index, command](Result<QJsonObject> info) {
                if (m_finished)
                    return;
                if (!info) {
                    failWith(info.error().code, info.error().message);
                    return;
                }
                const int code = info->value(u"ExitCode").toInt(-1);
                if (code != 0) {
                    endStep(QStringLiteral("build"), QStringLiteral("failed"));
                    failWith(QStringLiteral("build-failed"),
                             QStringLiteral("build command `%1` exited with code %2").arg(command).arg(code));
                    return;
                }
                runBuild(index + 1);
            });
        });
    });
}

void DeployJob::releaseRunCommand()
{
    QFile ready(m_controlDir + u'/' + QLatin1StringView(kReadyFile));
    if (!ready.open(QIODevice::WriteOnly)) {
        failWith(QStringLiteral("io-error"), QStringLiteral("cannot release the run command"));
        return;
    }
    ready.close();
    emit stateChanged(AppState::Starting, {});
    checkHealth();
}

void DeployJob::checkHealth()
{
    beginStep(QStringLiteral("health"));
    auto *probe = new HealthProbe(QStringLiteral("127.0.0.1"), m_hostPort, m_settings.hostHeader,
                                  m_settings.healthTimeoutMs, this);
    m_probe = probe;
    connect(probe, &HealthProbe::finished, this, [this, probe](const Result<void> &healthy) {
        probe->deleteLater();
        m_liveness.stop();
        if (m_finished)
            return;
        if (!healthy) {
            endStep(QStringLiteral("health"), QStringLiteral("failed"));
            failWith(healthy.error().code, healthy.error().message);
            return;
        }
        endStep(QStringLiteral("health"));
        succeed();
    });
    probe->start();
    m_liveness.start();
}

// While the probe waits, an app that crashed at start-up ends the deploy at once
// with its own last words instead of a health timeout.
void DeployJob::watchContainer()
{
    m_docker->inspectContainer(m_containerId, this, [this](Result<QJsonObject> info) {
        if (m_finished || !info)
            return;
        const QJsonObject state = info->value(u"State").toObject();
        // The restart policy brings an exited app straight back: exited once is enough.
        const bool exitedBefore = info->value(u"RestartCount").toInt() > 0;
        if ((state.value(u"Running").toBool() || state.value(u"Restarting").toBool()) && !exitedBefore)
            return;
        m_liveness.stop();
        const int exitCode = state.value(u"ExitCode").toInt();
        docker::LogOptions options;
        options.tail = kTailLines;
        auto *logs = m_docker->containerLogs(m_containerId, options, this);
        auto splitter = std::make_shared<docker::LineSplitter>(kMaxLineBytes);
        connect(logs, &docker::DockerStream::output, this, [this, splitter](docker::StreamKind kind, const QByteArray &d) {
            emitOutput(kind == docker::StreamKind::Stderr ? QStringLiteral("stderr") : QStringLiteral("stdout"),
                       splitter->feed(d));
        });
        connect(logs, &docker::DockerStream::finished, this, [this, exitCode, splitter](const Result<void> &) {
            emitOutput(QStringLiteral("stdout"), rest(*splitter));
            endStep(QStringLiteral("health"), QStringLiteral("failed"));
            failWith(QStringLiteral("app-exited"),
                     QStringLiteral("the app exited with code %1 before answering HTTP").arg(exitCode));
        });
    });
}

void DeployJob::succeed()
{
    if (m_finished)
        return;
    m_finished = true;
    DeployOutcome outcome;
    outcome.ok = true;
    outcome.commit = m_commit;
    outcome.runtime = Runtime{m_containerId, QStringLiteral("127.0.0.1"), m_hostPort, 0};
    outcome.totalMs = m_total.elapsed();
    qCInfo(lcApps).noquote() << "deployed" << m_spec.name << "#" << m_deployNumber << "in" << outcome.totalMs << "ms";
    emit finished(outcome);
}

void DeployJob::failWith(const QString &code, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_buildTimeout.stop();
    m_liveness.stop();
    if (m_probe)
        m_probe->disconnect(this);
    if (m_execStream)
        m_execStream->close();
    if (m_clone.isRunning())
        m_clone.cancel();
    QString text = message;
    if (!m_tail.isEmpty())
        text += QStringLiteral("\n") + m_tail.join(u'\n');
    DeployOutcome outcome;
    outcome.ok = false;
    outcome.commit = m_commit;
    outcome.error = Error{code, text};
    outcome.totalMs = m_total.isValid() ? m_total.elapsed() : 0;
    qCInfo(lcApps).noquote() << "deploy failed" << m_spec.name << "#" << m_deployNumber << code;
    // A step cut short by the failure ends failed, not running forever.
    for (auto it = m_stepClocks.cbegin(); it != m_stepClocks.cend(); ++it) {
        if (!m_endedSteps.contains(it.key()))
            endStep(it.key(), QStringLiteral("failed"));
    }
    // What this deploy created goes before the failure is reported, so a failed app
    // leaves nothing running; the app's previous container is untouched.
    if (m_docker && !m_containerId.isEmpty()) {
        m_docker->removeContainer(m_containerId, true, this, [this, outcome](Result<void> removed) {
            if (!removed && removed.error().code != u"docker-not-found")
                qCWarning(lcApps).noquote() << "cannot remove the container of a failed deploy:" << removed.error().message;
            emit finished(outcome);
        });
        return;
    }
    emit finished(outcome);
}

void DeployJob::beginStep(const QString &name)
{
    m_stepClocks[name].start();
    emit step(DeployStep{name, QStringLiteral("running"), 0});
}

void DeployJob::endStep(const QString &name, const QString &status)
{
    if (m_endedSteps.contains(name))
        return;
    m_endedSteps.insert(name);
    const auto it = m_stepClocks.constFind(name);
    const qint64 ms = it != m_stepClocks.cend() && it->isValid() ? it->elapsed() : 0;
    emit step(DeployStep{name, status, ms});
}

void DeployJob::emitOutput(const QString &stream, const QList<QByteArray> &lines)
{
    for (const QByteArray &bytes : lines)
        emitOutput(stream, QStringList{QString::fromUtf8(bytes)});
}

void DeployJob::emitOutput(const QString &stream, const QStringList &lines)
{
    for (const QString &line : lines) {
        if (stream != u"system" || line.startsWith(u"$ ")) {
            m_tail << line;
            if (m_tail.size() > kTailLines)
                m_tail.removeFirst();
        }
        emit output(stream, line);
    }
}

} // namespace gasper::apps
