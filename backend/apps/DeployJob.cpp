// SPDX-License-Identifier: MIT
#include "apps/DeployJob.h"

#include "apps/ContainerSpec.h"
#include "apps/EngineFeatures.h"
#include "apps/HealthProbe.h"
#include "apps/Procfile.h"
#include "core/Log.h"
#include "docker/DockerClient.h"
#include "git/GitClone.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QRandomGenerator>

using namespace std::chrono_literals;

namespace gasper::apps {

namespace {
constexpr int kTailLines = 20;
constexpr int kLivenessIntervalMs = 400;
// Backstops above the clients' own deadlines (the engine client's 60 s per call, libgit2's
// clone timeout, the probe's health timeout): a step never hangs the deploy.
constexpr auto kEngineStepTimeout = 150s;
constexpr auto kBackstopSlack = 15s;

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
    m_liveness.setInterval(kLivenessIntervalMs);
}

DeployJob::~DeployJob() = default;

// The whole pipeline, in one place (DESIGN.md "Deploy pipeline"): what runs when, what runs
// at once, each step's deadline. Any failure ends the recipe (apps/Recipe.h): the steps
// still running are cut short, and failWith() removes what this deploy made.
Recipe::Group DeployJob::recipe()
{
    const auto ms = [](int v) { return std::chrono::milliseconds(v); };
    const int cloneTimeoutMs = qMax(30, m_settings.buildTimeoutMs / 1000) * 1000;
    return sequence({
        // The two slow independent steps at once; the container's command waits for the source.
        parallel({
            apps::step(QStringLiteral("clone"), [this](Recipe::Done done) { cloneSource(std::move(done)); })
                .withTimeout(ms(cloneTimeoutMs) + kBackstopSlack,
                             Error{QStringLiteral("git-timeout"), QStringLiteral("the clone did not finish in time")})
                .onCancel([this] { m_clone.cancel(); }),
            sequence({
                apps::step(QStringLiteral("create"), [this](Recipe::Done done) { createContainer(std::move(done)); })
                    .withTimeout(kEngineStepTimeout, Error{QStringLiteral("docker-timeout"),
                                                           QStringLiteral("the engine did not create the container in time")}),
                apps::step(QStringLiteral("start"), [this](Recipe::Done done) { startContainer(std::move(done)); })
                    .withTimeout(kEngineStepTimeout, Error{QStringLiteral("docker-timeout"),
                                                           QStringLiteral("the engine did not start the container in time")}),
            }),
        }),
        call([this] {
            emit stateChanged(AppState::Building, {});
            return Result<void>{};
        }),
        apps::step(QStringLiteral("build"), [this](Recipe::Done done) { runBuild(0, std::move(done)); })
            .when([this] { return !m_spec.build.isEmpty(); })
            .withTimeout(ms(m_settings.buildTimeoutMs),
                         Error{QStringLiteral("build-timeout"),
                               QStringLiteral("the build did not finish within %1 s").arg(m_settings.buildTimeoutMs / 1000)})
            .onCancel([this] {
                if (m_execStream)
                    m_execStream->close();
            }),
        // Heroku's and Dokku's release phase: after the build, before the switch; its failure
        // fails the deploy, so the previous container keeps serving.
        apps::step(QStringLiteral("release"), [this](Recipe::Done done) { runRelease(std::move(done)); })
            .when([this] { return !m_releaseCommand.isEmpty(); })
            .withTimeout(ms(m_settings.buildTimeoutMs),
                         Error{QStringLiteral("release-timeout"),
                               QStringLiteral("the release command did not finish within %1 s").arg(m_settings.buildTimeoutMs / 1000)})
            .onCancel([this] {
                if (m_execStream)
                    m_execStream->close();
            }),
        call([this] { return releaseRunCommand(); }),
        apps::step(QStringLiteral("health"), [this](Recipe::Done done) { checkHealth(std::move(done)); })
            .withTimeout(ms(m_settings.healthTimeoutMs) + kBackstopSlack,
                         Error{QStringLiteral("health-timeout"), QStringLiteral("the app did not answer HTTP in time")})
            .onCancel([this] { stopHealth(); }),
    });
}

void DeployJob::start()
{
    m_total.start();
    emit stateChanged(AppState::Cloning, {});
    if (!QDir().mkpath(m_sourceDir) || !QDir().mkpath(m_controlDir)) {
        failWith(QStringLiteral("io-error"), QStringLiteral("cannot create the source folder of the app"));
        return;
    }
    m_recipe = new Recipe(recipe(), this);
    connect(m_recipe, &Recipe::stepStarted, this,
            [this](const QString &name) { emit step(DeployStep{name, QStringLiteral("running"), 0}); });
    connect(m_recipe, &Recipe::stepFinished, this,
            [this](const QString &name, const QString &status, qint64 ms) { emit step(DeployStep{name, status, ms}); });
    connect(m_recipe, &Recipe::finished, this, [this](const Result<void> &ended) {
        if (ended)
            succeed();
        else
            failWith(ended.error().code, ended.error().message);
    });
    m_recipe->start();
}

void DeployJob::cancel()
{
    const Error cancelled{QStringLiteral("deploy-cancelled"), QStringLiteral("the deploy was cancelled")};
    if (m_recipe && m_recipe->isRunning())
        m_recipe->cancel(cancelled);  // its finished() calls failWith()
    else
        failWith(cancelled.code, cancelled.message);
}

void DeployJob::cloneSource(Recipe::Done done)
{
    git::CloneRequest request;
    request.url = m_spec.git.url;
    request.branch = m_spec.git.branch;
    request.token = m_spec.git.token;
    request.commit = m_spec.git.commit;
    request.destination = m_sourceDir;
    request.timeoutSec = qMax(30, m_settings.buildTimeoutMs / 1000);
    request.ownerUid = kAppUid;  // the app's unprivileged user owns /app
    request.ownerGid = kAppGid;
    m_clone = git::clone(request);
    m_cloneStarted = true;
    m_clone.then(this, [this, done](const Result<git::CloneResult> &result) {
        if (!result) {
            done(std::unexpected(result.error()));
            return;
        }
        m_commit = result->commit;
        emitOutput(QStringLiteral("system"),
                   {QStringLiteral("cloned %1 at %2").arg(result->branch, result->commit.left(12))});
        // The run command may come from the repository: known now, while the container
        // (started in parallel) still waits for it. A missing one fails the deploy here.
        done(readProcfile());
    });
}

void DeployJob::createContainer(Recipe::Done done)
{
    ContainerOptions options;
    options.image = m_settings.image;
    options.sourceDir = m_sourceDir;
    options.controlDir = m_controlDir;
    options.memoryMb = m_settings.memoryMb;
    options.cpus = m_settings.cpus;
    options.node = m_settings.node;
    options.nodeId = m_settings.nodeId;
    options.deployNumber = m_deployNumber;
    options.init = !m_settings.features || m_settings.features->initAvailable();
    m_usedInit = options.init;
    options.network = m_settings.network;
    const QString name = containerName(m_spec.name, m_deployNumber, m_unique);
    // The engine is the context: a container created after this job ended (failed,
    // cancelled, deleted) is removed instead of leaking.
    QPointer<DeployJob> self(this);
    QPointer<docker::DockerClient> docker(m_docker);
    m_createInFlight = true;
    m_docker->createContainer(name, containerConfig(m_spec, options), m_docker,
                              [self, docker, done](Result<QString> id) {
        if (self)
            self->m_createInFlight = false;
        if (!self || self->m_finished) {
            const auto settled = [self] {
                if (self && self->m_createSettled)
                    std::exchange(self->m_createSettled, {})();
            };
            if (id && docker)
                docker->removeContainer(*id, true, docker, [settled](Result<void>) { settled(); });
            else
                settled();
            return;
        }
        self->onContainerCreated(id, done);
    });
}

// The engine has no init helper (Podman without catatonit: create fails; Docker without
// docker-init: start fails): noted once for the node, and this deploy goes on without.
bool DeployJob::retryWithoutInit(const Error &error, const Recipe::Done &done)
{
    if (!m_usedInit || !EngineFeatures::isInitMissing(error))
        return false;
    if (m_settings.features)
        m_settings.features->noteInitMissing(error);
    else
        m_usedInit = false;
    emitOutput(QStringLiteral("system"), {QStringLiteral("the container engine has no init helper: going without --init")});
    const QString made = std::exchange(m_containerId, {});
    if (made.isEmpty()) {
        createContainer(done);
        return true;
    }
    // Failed at start: a new container without init, then start that one.
    m_docker->removeContainer(made, true, this, [this, done](Result<void>) {
        createContainer([this, done](Result<void> created) {
            if (!created)
                done(created);
            else
                startContainer(done);
        });
    });
    return true;
}

void DeployJob::onContainerCreated(const Result<QString> &id, const Recipe::Done &done)
{
    if (!id && retryWithoutInit(id.error(), done))
        return;
    if (!id) {
        const bool noImage = id.error().code == u"docker-not-found";
        done(fail(id.error().code, noImage ? QStringLiteral("the image %1 is missing on node %2 (build it with "
                                                            "packaging/images/build-images.sh)")
                                                 .arg(m_settings.image, m_settings.node)
                                           : id.error().message));
        return;
    }
    m_containerId = *id;
    done({});
}

void DeployJob::startContainer(Recipe::Done done)
{
    m_docker->startContainer(m_containerId, this, [this, done](Result<void> started) {
        if (!started && retryWithoutInit(started.error(), done))
            return;
        if (!started) {
            done(started);
            return;
        }
        inspectPort(done);
    });
}

void DeployJob::inspectPort(const Recipe::Done &done)
{
    m_docker->inspectContainer(m_containerId, this, [this, done](Result<QJsonObject> info) {
        if (!info) {
            done(std::unexpected(info.error()));
            return;
        }
        m_hostPort = publishedHostPort(*info, m_spec.port);
        if (!m_hostPort) {
            done(fail(QStringLiteral("docker-error"), QStringLiteral("the engine published no port for the app")));
            return;
        }
        done({});
    });
}

Result<void> DeployJob::readProcfile()
{
    // A small file (at most Procfile::kMaxBytes) in the fresh checkout, read once.
    auto procfile = apps::readProcfile(m_sourceDir);
    if (!procfile)
        return std::unexpected(procfile.error());
    if (*procfile) {
        emitOutput(QStringLiteral("system"), (*procfile)->warnings);
        m_releaseCommand = (*procfile)->command(QStringLiteral("release")).value_or(QString());
    }
    auto run = resolveRunCommand(m_spec, *procfile);
    if (!run)
        return std::unexpected(run.error());
    m_runCommand = *run;
    if (m_spec.run.trimmed().isEmpty() && *procfile && (*procfile)->command(QStringLiteral("web")))
        emitOutput(QStringLiteral("system"), {QStringLiteral("run command from the Procfile: ") + m_runCommand});
    return {};
}

void DeployJob::runBuild(int index, Recipe::Done done)
{
    if (m_finished)
        return;
    if (index >= m_spec.build.size()) {
        done({});
        return;
    }
    runExec(m_spec.build.at(index), QStringLiteral("build-failed"), QStringLiteral("build command"),
            [this, index, done](Result<void> ran) {
        if (!ran)
            done(ran);
        else
            runBuild(index + 1, done);
    });
}

void DeployJob::runRelease(Recipe::Done done)
{
    runExec(m_releaseCommand, QStringLiteral("release-failed"), QStringLiteral("release command (Procfile)"), std::move(done));
}

void DeployJob::runExec(const QString &command, const QString &failCode, const QString &what, Recipe::Done done)
{
    if (m_finished)
        return;
    emitOutput(QStringLiteral("system"), {QStringLiteral("$ ") + command});
    m_docker->createExec(m_containerId, buildCommandArgv(command), environment(m_spec), QStringLiteral("/app"),
                         false, false, this, [this, command, failCode, what, done](Result<QString> execId) {
        if (m_finished)
            return;
        if (!execId) {
            done(std::unexpected(execId.error()));
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
                [this, command, failCode, what, done, id = *execId](const Result<void> &ended) {
            emitOutput(QStringLiteral("stdout"), rest(m_stdout));
            emitOutput(QStringLiteral("stderr"), rest(m_stderr));
            if (m_finished)
                return;
            if (!ended) {
                done(ended);
                return;
            }
            m_docker->inspectExec(id, this, [this, command, failCode, what, done](Result<QJsonObject> info) {
                if (m_finished)
                    return;
                if (!info) {
                    done(std::unexpected(info.error()));
                    return;
                }
                const int code = info->value(u"ExitCode").toInt(-1);
                if (code != 0) {
                    done(fail(failCode, QStringLiteral("%1 `%2` exited with code %3").arg(what, command).arg(code)));
                    return;
                }
                done({});
            });
        });
    });
}

Result<void> DeployJob::releaseRunCommand()
{
    // The script first, then the file the container waits for: it never sources a half-written one.
    QFile run(m_controlDir + u'/' + QLatin1StringView(kRunFile));
    if (!run.open(QIODevice::WriteOnly | QIODevice::Truncate) || run.write(m_runCommand.toUtf8() + '\n') < 0)
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot write the run command"));
    run.close();
    QFile ready(m_controlDir + u'/' + QLatin1StringView(kReadyFile));
    if (!ready.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot release the run command"));
    ready.close();
    emit stateChanged(AppState::Starting, {});
    return {};
}

void DeployJob::checkHealth(Recipe::Done done)
{
    auto *probe = new HealthProbe(QStringLiteral("127.0.0.1"), m_hostPort, m_settings.hostHeader,
                                  m_settings.healthTimeoutMs, this);
    probe->setCheck(m_settings.health);
    m_probe = probe;
    connect(probe, &HealthProbe::finished, this, [this, probe, done](const Result<void> &healthy) {
        probe->deleteLater();
        m_liveness.stop();
        done(healthy);
    });
    // While the probe waits, an app that crashed at start-up ends the deploy at once
    // with its own last words instead of a health timeout.
    connect(&m_liveness, &QTimer::timeout, this, [this, done] { watchContainer(done); });
    probe->start();
    m_liveness.start();
}

void DeployJob::stopHealth()
{
    m_liveness.stop();
    if (m_probe) {
        m_probe->disconnect(this);
        m_probe->cancel();
    }
}

void DeployJob::watchContainer(const Recipe::Done &done)
{
    m_docker->inspectContainer(m_containerId, this, [this, done](Result<QJsonObject> info) {
        if (m_finished || !info || !m_liveness.isActive())
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
        connect(logs, &docker::DockerStream::finished, this, [this, exitCode, splitter, done](const Result<void> &) {
            emitOutput(QStringLiteral("stdout"), rest(*splitter));
            if (m_probe)
                m_probe->disconnect(this);
            done(fail(QStringLiteral("app-exited"),
                      QStringLiteral("the app exited with code %1 before answering HTTP").arg(exitCode)));
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
    stopHealth();
    if (m_execStream)
        m_execStream->close();
    const bool cloneRunning = m_cloneStarted && !m_clone.isFinished();
    if (cloneRunning)
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
    // What this deploy created goes before the failure is reported, so a failed app
    // leaves nothing running; the app's previous container is untouched.
    // finished() comes once nothing of this deploy runs any more: the clone thread has
    // stopped writing and the container is gone.
    auto pending = std::make_shared<int>(1);
    auto report = [this, outcome, pending] {
        if (--*pending == 0)
            emit finished(outcome);
    };
    if (cloneRunning) {
        ++*pending;
        // A watcher, not then(): then() skips a cancelled future, and this one is.
        auto *watcher = new QFutureWatcher<Result<git::CloneResult>>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [watcher, report] {
            watcher->deleteLater();
            report();
        });
        watcher->setFuture(m_clone);
    }
    if (m_createInFlight) {
        ++*pending;
        m_createSettled = report;  // the container it makes is removed first
    }
    if (m_docker && !m_containerId.isEmpty()) {
        ++*pending;
        m_docker->removeContainer(m_containerId, true, this, [report](Result<void> removed) {
            if (!removed && removed.error().code != u"docker-not-found")
                qCWarning(lcApps).noquote() << "cannot remove the container of a failed deploy:" << removed.error().message;
            report();
        });
    }
    report();
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
