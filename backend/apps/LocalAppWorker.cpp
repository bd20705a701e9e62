// SPDX-License-Identifier: MIT
#include "apps/LocalAppWorker.h"

#include "apps/ContainerSpec.h"
#include "apps/DeployJob.h"
#include "apps/EngineFeatures.h"
#include "apps/HealthProbe.h"
#include "apps/MetricsSampler.h"
#include "apps/TenantNetworks.h"
#include "core/Future.h"
#include "core/Log.h"
#include "docker/DockerClient.h"
#include "docker/ExecSession.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QStorageInfo>
#include <QThread>
#include <QTimer>

#include <cmath>
#include <QtConcurrent>

namespace gasper::apps {

namespace {
constexpr int kStopTimeoutSec = 3;
constexpr int kRetireDelayMs = 1500;      // in-flight requests on the old container finish
constexpr int kCaptureTimeoutMs = 5000;   // a retired container's output is read for at most this long
constexpr int kMaxRestartBackoffMs = 30000;  // a crashing app is restarted at least this often
constexpr qint64 kStableAfterMs = 60000;  // up this long: the back-off starts over
constexpr int kMaxEngineRetries = 3;      // a deploy cut short by the engine runs again at most this often
constexpr int kEngineGraceMs = 3000;      // a failed deploy is told once the engine outlived it this long

std::unexpected<Error> gone(const QString &app)
{
    return fail(QStringLiteral("not-found"), QStringLiteral("the app %1 was removed").arg(app));
}

template<class T>
void deliver(const QPointer<QObject> &context, const std::function<void(Result<T>)> &callback, Result<T> result)
{
    if (context && callback)
        callback(std::move(result));
}

QString labelOf(const QJsonObject &container, const char *label)
{
    return container.value(u"Labels").toObject().value(QLatin1StringView(label)).toString();
}
} // namespace

// Made by this gasperd: it carries our identity. A container from before identities
// (no gasper.node-id) counts as ours only under an explicitly configured node name, the
// old contract; the default name "local" is shared by every gasperd and proves nothing.
bool LocalAppWorker::isOurs(const QJsonObject &container) const
{
    const QString id = labelOf(container, kLabelNodeId);
    if (!id.isEmpty())
        return id == m_config.nodeId;
    return m_config.nodeNameSet && labelOf(container, kLabelNode) == m_config.nodeName;
}

LocalAppWorker::LocalAppWorker(docker::DockerClient *docker, Config config, QObject *parent)
    : AppWorker(parent), m_docker(docker), m_config(std::move(config)), m_sampler(new MetricsSampler(docker, this)),
      m_features(std::make_shared<EngineFeatures>()),
      m_networks(new TenantNetworks(docker, m_config.nodeName, m_config.nodeId, this))
{
    // Whatever container serves an app is the one sampled.
    connect(this, &AppWorker::runtimeChanged, m_sampler, [this](const QString &app, const Runtime &runtime) {
        m_sampler->track(app, runtime.containerId, runtime.restarts, cpuLimitOf(app));
    });
    connect(this, &AppWorker::deployFinished, m_sampler, [this](const QString &app, int, const DeployOutcome &outcome) {
        if (outcome.ok)
            if (const Slot *s = find(app))
                m_sampler->track(app, outcome.runtime.containerId, s->live.restarts, cpuLimitOf(app));
    });
    connect(m_sampler, &MetricsSampler::ticked, this, &LocalAppWorker::onMetricsTick);
    // [apps] metrics_interval_s = 0 turns the sampler off (the bench compares both).
    if (m_config.metricsIntervalSec > 0) {
        m_sampler->setInterval(m_config.metricsIntervalSec * 1000);
        m_sampler->start();
    }
    // The engine's root dir, for the node's disk totals.
    m_docker->request("GET", "/info", {}, this, [this](Result<docker::ApiResponse> info) {
        if (info)
            m_dockerRootDir = info->json().toObject().value(u"DockerRootDir").toString();
    });
}

double LocalAppWorker::cpuLimitOf(const QString &app)
{
    const Slot *s = find(app);
    const double cpus = s ? s->spec.resources.cpus : 0;
    return cpus > 0 ? cpus : m_config.defaultCpus;
}

void LocalAppWorker::onMetricsTick(const QList<AppSample> &samples)
{
    NodeSample node;
    node.at = QDateTime::currentDateTimeUtc();
    // /proc is memory, not disk: these reads do not block.
    QFile stat(QStringLiteral("/proc/stat"));
    if (stat.open(QIODevice::ReadOnly)) {
        if (const auto times = metrics::cpuTimesFromProcStat(stat.read(4096))) {
            if (m_lastCpuTimes)
                node.cpuPercent = metrics::cpuPercentBetween(*m_lastCpuTimes, *times);
            m_lastCpuTimes = times;
        }
    }
    node.cpus = QThread::idealThreadCount();
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (meminfo.open(QIODevice::ReadOnly)) {
        if (const auto memory = metrics::memoryFromProcMeminfo(meminfo.read(8192))) {
            node.memoryTotalBytes = memory->first;
            node.memoryBytes = memory->second;
        }
    }
    const QStorageInfo data(m_config.dataDir);
    if (data.isValid()) {
        node.diskTotalBytes = data.bytesTotal();
        node.diskUsedBytes = data.bytesTotal() - data.bytesFree();
    }
    if (!m_dockerRootDir.isEmpty()) {
        const QStorageInfo root(m_dockerRootDir);
        if (root.isValid() && root.bytesTotal() > 0) {
            node.dockerDiskTotalBytes = root.bytesTotal();
            node.dockerDiskUsedBytes = root.bytesTotal() - root.bytesFree();
        }
    }
    for (const Slot &s : std::as_const(m_apps))
        node.apps += s.live.containerId.isEmpty() || s.removing ? 0 : 1;
    QList<AppSample> ours;
    ours.reserve(samples.size());
    for (const AppSample &a : samples)
        if (find(a.app))
            ours.append(a);
    emit metricsSampled(node, ours);
}

LocalAppWorker::~LocalAppWorker() = default;

LocalAppWorker::Slot &LocalAppWorker::slot(const QString &app)
{
    Slot &s = m_apps[app];
    s.removing = false;  // a new deploy or an adoption: the app is ours again
    return s;
}

LocalAppWorker::Slot *LocalAppWorker::find(const QString &app)
{
    const auto it = m_apps.find(app);
    return it == m_apps.end() || it->removing ? nullptr : &*it;
}

QString LocalAppWorker::appDir(const QString &app) const
{
    return m_config.sourcesDir() + u'/' + app;
}

void LocalAppWorker::deploy(const AppSpec &spec, int deployNumber, const QString &trigger)
{
    Slot &s = slot(spec.name);
    if (s.job) {
        // A newer deploy supersedes one in progress.
        s.job->disconnect(this);
        s.job->cancel();
        s.job->deleteLater();
    }
    s.spec = spec;
    for (const QString &secret : secretsToMask(spec))
        if (!s.secrets.contains(secret))
            s.secrets << secret;
    s.desiredRunning = true;
    if (trigger != u"engine-restart") {
        s.engineRetries = 0;
        s.heldFailure.reset();  // the master supersedes the deploy it belonged to
    }

    DeployJob::Settings settings;
    settings.image = m_config.imageFor(spec.language);
    settings.appDir = appDir(spec.name);
    settings.memoryMb = spec.resources.memoryMb > 0 ? spec.resources.memoryMb : m_config.defaultMemoryMb;
    settings.cpus = spec.resources.cpus > 0 ? spec.resources.cpus : m_config.defaultCpus;
    settings.node = m_config.nodeName;
    settings.nodeId = m_config.nodeId;
    settings.features = m_features;
    settings.hostHeader = spec.name + u'.' + m_config.domain;
    settings.healthTimeoutMs = (spec.health.timeoutSec > 0 ? spec.health.timeoutSec : m_config.healthTimeoutSec) * 1000;
    settings.health = spec.health;
    settings.buildTimeoutMs = m_config.buildTimeoutSec * 1000;

    auto *job = new DeployJob(m_docker, spec, deployNumber, settings, this);
    s.job = job;
    const QString app = spec.name;
    qCInfo(lcApps).noquote() << "deploy" << app << "#" << deployNumber << "(" << trigger << ")";
    connect(job, &DeployJob::stateChanged, this, [this, app](AppState state, const QString &detail) {
        emit stateChanged(app, state, detail);
    });
    connect(job, &DeployJob::step, this, [this, app, deployNumber](const DeployStep &step) {
        emit deployStep(app, deployNumber, step);
    });
    // Secret env values never leave the worker: not in output lines, not in the error.
    const QStringList secrets = secretsToMask(spec);
    connect(job, &DeployJob::output, this, [this, app, deployNumber, secrets](const QString &stream, const QString &line) {
        emit deployOutput(app, deployNumber, stream, maskSecrets(line, secrets));
    });
    connect(job, &DeployJob::finished, this, [this, app, job, secrets](const DeployOutcome &outcome) {
        DeployOutcome shown = outcome;
        shown.error.message = maskSecrets(outcome.error.message, secrets);
        onDeployFinished(app, job, shown);
    });
    // The owner's network first: made on the user's first deploy, known at once after.
    m_networks->acquire(spec.ownerId, app);
    m_networks->ensure(spec.ownerId, job, [this, app, job](Result<QString> network) {
        const auto it = m_apps.constFind(app);
        if (it == m_apps.cend() || it->job != job)
            return;  // superseded, stopped or removed meanwhile
        if (!network) {
            job->disconnect(this);
            DeployOutcome outcome;
            outcome.error = Error{network.error().code,
                                  QStringLiteral("cannot set up the network of the app's owner: ") + network.error().message};
            onDeployFinished(app, job, outcome);
            return;
        }
        job->setNetwork(*network);
        job->start();
    });
}

void LocalAppWorker::onDeployFinished(const QString &app, DeployJob *job, const DeployOutcome &outcome)
{
    job->deleteLater();
    Slot *found = find(app);
    if (!found) {
        // remove() disconnects the job it cancels, so this is only a safety net: nothing
        // of a removed app comes back, and what the job made goes.
        if (outcome.ok && m_docker)
            m_docker->removeContainer(outcome.runtime.containerId, true, this, [](Result<void>) {});
        QThreadPool::globalInstance()->start([dir = job->deployDir()] { QDir(dir).removeRecursively(); });
        return;
    }
    Slot &s = *found;
    if (s.job == job)
        s.job = nullptr;
    if (outcome.ok) {
        const QString previous = s.live.containerId;
        const int previousDeploy = s.liveDeploy;
        s.live = outcome.runtime;
        s.liveDeploy = job->deployNumber();
        s.failures = 0;
        s.engineRetries = 0;
        s.upSince.start();
        if (!previous.isEmpty() && previous != s.live.containerId && !s.retiring.contains(previous)) {
            s.retiring << previous;
            s.retiringDeploys.insert(previous, previousDeploy);
        }
        s.liveDir = job->deployDir();
        // The master stores it, switches the route, then calls retire(): only then do the
        // older containers go.
        emit deployFinished(app, job->deployNumber(), outcome);
    } else {
        const QString failedDir = job->deployDir();
        const int number = job->deployNumber();
        const QString code = outcome.error.code;
        // What the checkout decides (no run command, a bad Procfile) is never the engine's doing.
        const bool mayBeEngine = code != u"deploy-cancelled" && !code.startsWith(u"git-")
                                 && !code.startsWith(u"procfile-") && code != u"run-missing"
                                 && s.engineRetries < kMaxEngineRetries;
        if (mayBeEngine) {
            QThreadPool::globalInstance()->start([failedDir] { QDir(failedDir).removeRecursively(); });
            s.heldFailure = outcome;
            s.heldDeploy = number;
            if (code == u"docker-unavailable" || m_eventsBroken) {
                // Not the app's fault: the deploy runs again once the engine is back (reconcile()).
                qCInfo(lcApps).noquote() << "deploy" << app << "#" << number
                                         << "failed while the engine was away; it runs again once the engine is back";
                m_interruptedDeploys.insert(app, number);
                if (!m_eventsBroken)  // the stream has not noticed (yet): look again shortly
                    QTimer::singleShot(kEngineGraceMs, this, [this] {
                        if (!m_eventsBroken && !m_interruptedDeploys.isEmpty())
                            reconcile();
                    });
                return;
            }
            // A build or app killed by an engine that is shutting down fails before the
            // event stream breaks: the failure is told once the stream outlived it a moment.
            QTimer::singleShot(kEngineGraceMs, this, [this, app, number] {
                Slot *s = find(app);
                if (!s || !s->heldFailure || s->job || m_interruptedDeploys.contains(app))
                    return;  // removed, superseded, or the engine did go away: it runs again
                const DeployOutcome held = *std::exchange(s->heldFailure, std::nullopt);
                emit deployFinished(app, number, held);
            });
            return;
        }
        emit deployFinished(app, job->deployNumber(), outcome);
        QThreadPool::globalInstance()->start([failedDir] { QDir(failedDir).removeRecursively(); });
    }
}

void LocalAppWorker::retire(const QString &app, int deployNumber, QObject *context, Callback<void> callback)
{
    QPointer<QObject> ctx(context);
    Slot *found = find(app);
    if (!found || found->liveDeploy != deployNumber) {
        // Removed, or a newer deploy is live: its own retire() call covers the rest.
        QTimer::singleShot(0, this, [ctx, callback] { deliver<void>(ctx, callback, Result<void>{}); });
        return;
    }
    const QStringList old = std::exchange(found->retiring, {});
    const QString keep = found->liveDir;
    // In-flight requests on the old container finish first.
    QTimer::singleShot(old.isEmpty() ? 0 : kRetireDelayMs, this, [this, app, old, keep, ctx, callback] {
        auto pending = std::make_shared<int>(int(old.size()) + 1);
        auto firstError = std::make_shared<std::optional<Error>>();
        auto finishOne = [this, app, keep, ctx, callback, pending, firstError] {
            if (--*pending != 0)
                return;
            // Only now is the old source unused; a newer deploy may have started meanwhile.
            if (const Slot *s = find(app); s && !s->job && s->liveDir == keep)
                removeDeployDirsExcept(app, keep);
            deliver<void>(ctx, callback, *firstError ? Result<void>(std::unexpected(**firstError)) : Result<void>{});
        };
        Slot *s = find(app);
        const QStringList secrets = s ? s->secrets : QStringList();
        for (const QString &id : old) {
            if (!m_docker)
                break;
            const int deploy = s ? s->retiringDeploys.take(id) : 0;
            // Its output outlives it: captured (bounded, masked) and handed to the master first.
            captureLog(id, secrets, [this, app, id, deploy, firstError, finishOne](const QByteArray &log) {
                if (deploy > 0 && !log.isEmpty())
                    emit appLogCaptured(app, deploy, log);
                if (!m_docker)
                    return finishOne();
                m_docker->removeContainer(id, true, this, [id, firstError, finishOne](Result<void> removed) {
                    if (!removed && removed.error().code != u"docker-not-found") {
                        qCWarning(lcApps).noquote() << "cannot remove retired container" << id.left(12) << removed.error().message;
                        if (!*firstError)
                            *firstError = removed.error();
                    }
                    finishOne();
                });
            });
        }
        if (s)
            s->secrets = secretsToMask(s->spec);  // the old spec's container is gone
        if (!m_docker)
            *pending = 1;
        finishOne();
    });
}

void LocalAppWorker::removeDeployDirsExcept(const QString &app, const QString &keep)
{
    const QString dir = appDir(app);
    QThreadPool::globalInstance()->start([dir, keep] {
        const QFileInfoList entries = QDir(dir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QFileInfo &entry : entries) {
            if (entry.absoluteFilePath() != QFileInfo(keep).absoluteFilePath())
                QDir(entry.absoluteFilePath()).removeRecursively();
        }
    });
}

void LocalAppWorker::bringUp(const QString &app, const QString &containerId, std::function<void(Result<void>)> done)
{
    m_docker->inspectContainer(containerId, this, [this, app, containerId, done](Result<QJsonObject> info) {
        Slot *found = find(app);
        if (!found)
            return;  // removed meanwhile: nothing comes back
        if (!info) {
            done(std::unexpected(info.error()));
            return;
        }
        Slot &s = *found;
        const int port = s.spec.port > 0 ? s.spec.port : m_config.defaultAppPort;
        const quint16 hostPort = publishedHostPort(*info, port);
        if (!hostPort) {
            done(fail(QStringLiteral("app-down"), QStringLiteral("the container is not running")));
            return;
        }
        const int restartCount = info->value(u"RestartCount").toInt();
        if (s.probe)
            s.probe->cancel();
        const int timeoutSec = s.spec.health.timeoutSec > 0 ? s.spec.health.timeoutSec : m_config.healthTimeoutSec;
        auto *probe = new HealthProbe(QStringLiteral("127.0.0.1"), hostPort, app + u'.' + m_config.domain,
                                      timeoutSec * 1000, this);
        probe->setCheck(s.spec.health);
        s.probe = probe;
        connect(probe, &HealthProbe::finished, this,
                [this, app, containerId, hostPort, restartCount, done, probe](const Result<void> &healthy) {
            probe->deleteLater();
            Slot *found = find(app);
            if (!found)
                return;
            if (!healthy) {
                done(healthy);
                return;
            }
            Slot &s = *found;
            const int restarts = qMax(s.live.restarts, restartCount);
            const bool changed = s.live.containerId != containerId || s.live.hostPort != hostPort
                                 || s.live.restarts != restarts || s.reportedRestarts != restarts;
            s.live.containerId = containerId;
            s.live.hostPort = hostPort;
            s.live.restarts = restarts;
            s.reportedRestarts = restarts;
            m_sampler->track(app, containerId, restarts, cpuLimitOf(app));
            s.upSince.start();
            if (changed)
                emit runtimeChanged(app, s.live);
            emit stateChanged(app, AppState::Running, {});
            done({});
        });
        probe->start();
    });
}

void LocalAppWorker::restart(const QString &app, QObject *context, Callback<void> callback)
{
    Slot *found = find(app);
    QPointer<QObject> ctx(context);
    if (!found || found->live.containerId.isEmpty()) {
        QTimer::singleShot(0, this, [ctx, callback] {
            deliver<void>(ctx, callback, fail(QStringLiteral("not-deployed"), QStringLiteral("the app has no container yet")));
        });
        return;
    }
    Slot &s = *found;
    s.busy = true;
    s.desiredRunning = true;
    emit stateChanged(app, AppState::Starting, {});
    m_docker->restartContainer(s.live.containerId, kStopTimeoutSec, this, [this, app, ctx, callback](Result<void> r) {
        Slot *found = find(app);
        if (!found) {
            deliver<void>(ctx, callback, gone(app));
            return;
        }
        Slot &s = *found;
        s.busy = false;
        if (!r) {
            deliver<void>(ctx, callback, r);
            return;
        }
        s.live.restarts += 1;
        bringUp(app, s.live.containerId, [this, app, ctx, callback](Result<void> up) {
            if (!up)
                scheduleRecovery(app);
            deliver<void>(ctx, callback, up);
        });
    });
}

void LocalAppWorker::stop(const QString &app, QObject *context, Callback<void> callback)
{
    QPointer<QObject> ctx(context);
    Slot *found = find(app);
    if (!found) {
        QTimer::singleShot(0, this, [app, ctx, callback] { deliver<void>(ctx, callback, gone(app)); });
        return;
    }
    Slot &s = *found;
    s.desiredRunning = false;
    if (s.recoverTimer)
        s.recoverTimer->stop();
    if (s.job)
        s.job->cancel();  // its deployFinished (deploy-cancelled) follows
    if (s.live.containerId.isEmpty()) {
        QTimer::singleShot(0, this, [this, app, ctx, callback] {
            emit stateChanged(app, AppState::Stopped, {});
            deliver<void>(ctx, callback, {});
        });
        return;
    }
    s.busy = true;
    m_docker->stopContainer(s.live.containerId, kStopTimeoutSec, this, [this, app, ctx, callback](Result<void> r) {
        Slot *s = find(app);
        if (!s) {
            deliver<void>(ctx, callback, gone(app));
            return;
        }
        s->busy = false;
        if (r || r.error().code == u"docker-not-found")
            emit stateChanged(app, AppState::Stopped, {});
        // error() only on a failure: on success it reads the inactive member of the expected
        // (undefined; under ASan gasperd aborted on a garbage QString here).
        deliver<void>(ctx, callback, !r && r.error().code == u"docker-not-found" ? Result<void>{} : r);
    });
}

void LocalAppWorker::start(const QString &app, QObject *context, Callback<void> callback)
{
    Slot *found = find(app);
    QPointer<QObject> ctx(context);
    if (!found || found->live.containerId.isEmpty()) {
        QTimer::singleShot(0, this, [ctx, callback] {
            deliver<void>(ctx, callback, fail(QStringLiteral("not-deployed"),
                                              QStringLiteral("the app has no container: rebuild it")));
        });
        return;
    }
    Slot &s = *found;
    s.desiredRunning = true;
    s.busy = true;
    emit stateChanged(app, AppState::Starting, {});
    m_docker->startContainer(s.live.containerId, this, [this, app, ctx, callback](Result<void> r) {
        Slot *found = find(app);
        if (!found) {
            deliver<void>(ctx, callback, gone(app));
            return;
        }
        Slot &s = *found;
        s.busy = false;
        if (!r) {
            deliver<void>(ctx, callback, r);
            return;
        }
        bringUp(app, s.live.containerId, [this, app, ctx, callback](Result<void> up) {
            if (!up)
                scheduleRecovery(app);
            deliver<void>(ctx, callback, up);
        });
    });
}

void LocalAppWorker::remove(const QString &app, QObject *context, Callback<void> callback)
{
    QPointer<QObject> ctx(context);
    QPointer<DeployJob> job;
    if (auto it = m_apps.find(app); it != m_apps.end()) {
        job = it->job;
        it->job = nullptr;
        if (it->recoverTimer)
            it->recoverTimer->stop();
        if (it->probe)
            it->probe->cancel();
        it->desiredRunning = false;  // its die events are ours from now on
        it->removing = true;         // and late callbacks find nothing
    }
    if (!job) {
        removeEverything(app, ctx, callback);
        return;
    }
    // A deploy in flight first ends: once it finished, its clone thread has stopped and its
    // container is gone, so nothing of it appears after the listing below.
    job->disconnect(this);
    connect(job, &DeployJob::finished, this, [this, app, ctx, callback, job] {
        if (job)
            job->deleteLater();
        removeEverything(app, ctx, callback);
    });
    job->cancel();
}

void LocalAppWorker::removeEverything(const QString &app, const QPointer<QObject> &ctx, const Callback<void> &callback)
{
    // Another gasperd on the engine may have an app of the same name: only ours go.
    const QJsonObject filters{{QStringLiteral("label"), QJsonArray{QStringLiteral("%1=%2").arg(QLatin1StringView(kLabelApp), app)}}};
    const auto known = m_apps.constFind(app);
    const QString liveId = known != m_apps.cend() ? known->live.containerId : QString();
    std::optional<qint64> owner;  // whose network the app held
    if (known != m_apps.cend())
        owner = known->spec.ownerId;
    m_docker->listContainers(filters, true, this, [this, app, ctx, callback, liveId, owner](Result<QJsonArray> all) {
        if (!all) {
            if (auto it = m_apps.find(app); it != m_apps.end())
                it->removing = false;
            deliver<void>(ctx, callback, std::unexpected(all.error()));
            return;
        }
        QStringList ours;
        for (const QJsonValue &c : std::as_const(*all)) {
            if (isOurs(c.toObject()) || c.toObject().value(u"Id").toString() == liveId)
                ours << c.toObject().value(u"Id").toString();
        }
        auto pending = std::make_shared<int>(int(ours.size()));
        auto firstError = std::make_shared<std::optional<Error>>();
        // The folder goes last: the engine makes a bind mount's missing source folder when a
        // container starts, so a start still in flight would bring it back.
        auto removeSource = [this, app, ctx, callback, firstError, owner] {
            if (*firstError) {
                // Still stored and still ours: keep supervising what is left.
                if (auto it = m_apps.find(app); it != m_apps.end())
                    it->removing = false;
                deliver<void>(ctx, callback, Result<void>(std::unexpected(**firstError)));
                return;
            }
            const QString dir = appDir(app);
            // gasper::Future, not QFuture::then(): the removal may finish while then() attaches (core/Future.h).
            Future<void>(QtConcurrent::run([dir] { QDir(dir).removeRecursively(); })).then(this, [this, app, ctx, callback, owner] {
                m_sampler->untrack(app);
                if (auto it = m_apps.find(app); it != m_apps.end() && it->removing) {
                    if (it->recoverTimer)
                        it->recoverTimer->deleteLater();
                    if (it->probe)
                        it->probe->deleteLater();
                    m_apps.erase(it);
                }
                if (owner)
                    m_networks->release(*owner, app);  // the user's last app gone: its network goes
                deliver<void>(ctx, callback, Result<void>{});
            });
        };
        if (ours.isEmpty()) {
            removeSource();
            return;
        }
        for (const QString &id : std::as_const(ours)) {
            m_docker->removeContainer(id, true, this, [pending, firstError, removeSource](Result<void> r) {
                // conflict: the engine is removing it already (a deploy's own clean-up).
                if (!r && r.error().code != u"docker-not-found" && r.error().code != u"docker-conflict" && !*firstError)
                    *firstError = r.error();
                if (--*pending == 0)
                    removeSource();
            });
        }
    });
}

LogStream *LocalAppWorker::logs(const QString &app, const LogQuery &query, QObject *parent)
{
    auto *stream = new LogStream(parent);
    const auto it = m_apps.constFind(app);
    const QString containerId = it != m_apps.cend() ? it->live.containerId : QString();
    if (containerId.isEmpty() || !m_docker) {
        QTimer::singleShot(0, stream, [stream] {
            emit stream->finished(fail(QStringLiteral("not-deployed"), QStringLiteral("the app has no container yet")));
        });
        return stream;
    }
    if (query.deploy != 0 && query.deploy != it->liveDeploy) {
        QTimer::singleShot(0, stream, [stream, n = query.deploy] {
            emit stream->finished(fail(QStringLiteral("not-found"), QStringLiteral("no app log is kept for deploy #%1").arg(n)));
        });
        return stream;
    }
    // Timestamps always come from the engine: `since` is exact to the millisecond (the
    // engine's own `since` is whole seconds) and the filter cuts them when not asked for.
    docker::LogOptions options;
    options.follow = query.follow;
    options.timestamps = true;
    options.since = query.sinceMs > 0 ? query.sinceMs / 1000 : 0;
    // A search over a finished log keeps the last N *matching* lines: read everything.
    const bool searchTail = !query.grep.isEmpty() && !query.follow;
    options.tail = searchTail ? -1 : query.tail;
    auto masker = std::make_shared<StreamMasker>(it->secrets);
    auto filter = std::make_shared<LogFilter>(query);
    if (searchTail)
        filter->keepLast(query.tail);
    auto *source = m_docker->containerLogs(containerId, options, stream);
    connect(source, &docker::DockerStream::output, stream,
            [stream, masker, filter](docker::StreamKind, const QByteArray &data) {
                const QByteArray out = filter->feed(masker->feed(data));
                if (!out.isEmpty())
                    emit stream->data(out);
            });
    connect(source, &docker::DockerStream::finished, stream, [stream, masker, filter](const Result<void> &r) {
        const QByteArray out = filter->feed(masker->finish()) + filter->finish();
        if (!out.isEmpty())
            emit stream->data(out);
        emit stream->finished(r);
    });
    return stream;
}

void LocalAppWorker::captureLog(const QString &containerId, const QStringList &secrets,
                                std::function<void(QByteArray)> done)
{
    const qsizetype limit = qsizetype(m_config.logs.appLogKb) * 1024;
    if (limit <= 0 || !m_docker) {
        QTimer::singleShot(0, this, [done] { done({}); });
        return;
    }
    docker::LogOptions options;
    options.timestamps = true;
    // Lines are rarely under 40 bytes with their timestamp: this many cover the limit.
    options.tail = int(std::min<qsizetype>(limit / 40 + 1, 100000));
    auto *context = new QObject(this);
    auto collected = std::make_shared<QByteArray>();
    auto masker = std::make_shared<StreamMasker>(secrets);
    auto finished = std::make_shared<bool>(false);
    auto end = [context, collected, masker, finished, limit, done] {
        if (std::exchange(*finished, true))
            return;
        collected->append(masker->finish());
        if (collected->size() > limit) {
            // Keep the end, from a line start.
            qsizetype from = collected->size() - limit;
            const qsizetype nl = collected->indexOf('\n', from);
            from = nl < 0 ? from : nl + 1;
            collected->remove(0, from);
        }
        context->deleteLater();
        done(*collected);
    };
    auto *source = m_docker->containerLogs(containerId, options, context);
    connect(source, &docker::DockerStream::output, context,
            [collected, masker, limit](docker::StreamKind, const QByteArray &data) {
                collected->append(masker->feed(data));
                if (collected->size() > 2 * limit)
                    collected->remove(0, collected->size() - limit);
            });
    connect(source, &docker::DockerStream::finished, context, [end](const Result<void> &) { end(); });
    // A stuck engine never holds a retirement back for long.
    QTimer::singleShot(kCaptureTimeoutMs, context, end);
}

namespace {

// A ShellSession on docker::ExecSession (a TTY exec in the live container).
// Input is held until the exec runs at its requested size, so a command typed at once
// sees it (the engine applies a TTY's size only after start).
// Docker does not end an exec when its stream closes, and a foreground program such as
// `yes` ignores the shell's stdin: the session's end types ^C (SIGINT to the foreground
// job), then ^D (EOF to the shell) and closes stdin before the stream closes, so the shell
// exits with it. A program that catches both (an editor) outlives the session.
class ExecShell final : public ShellSession
{
public:
    ExecShell(docker::DockerClient *docker, docker::ExecRequest request, QObject *parent)
        : ShellSession(parent), m_docker(docker), m_initialCols(request.cols), m_initialRows(request.rows),
          m_cols(request.cols), m_rows(request.rows), m_tty(request.tty),
          m_exec(new docker::ExecSession(docker, std::move(request), this))
    {
        connect(m_exec, &docker::ExecSession::started, this, [this] {
            if (!m_docker || !m_tty)
                return release();
            m_docker->resizeExec(m_exec->execId(), m_initialCols, m_initialRows, this,
                                 [this](Result<void>) { release(); });
        });
        connect(m_exec, &docker::ExecSession::output, this, [this](docker::StreamKind kind, const QByteArray &data) {
            emit output(data, kind == docker::StreamKind::Stderr ? 2 : 1);
        });
        connect(m_exec, &docker::ExecSession::finished, this, [this](const Result<int> &r) {
            m_finished = true;
            if (r)
                emit exited(*r);
            else
                emit failed(r.error());
        });
        m_exec->start();
    }
    ~ExecShell() override
    {
        if (m_finished)
            return;
        // Outlives this object for a moment: ^C and EOF go out before the stream closes.
        docker::ExecSession *exec = m_exec;
        exec->setParent(nullptr);
        disconnect(exec, nullptr, this, nullptr);
        connect(exec, &docker::ExecSession::finished, exec, &QObject::deleteLater);
        endShell(exec, m_tty);
        QTimer::singleShot(400, exec, [exec] { exec->terminate(); });
        QTimer::singleShot(5000, exec, &QObject::deleteLater);
    }
    void write(const QByteArray &bytes) override
    {
        if (m_ready)
            m_exec->write(bytes);
        else
            m_held.append(bytes);
    }
    void resize(int cols, int rows) override
    {
        m_cols = cols;
        m_rows = rows;
        if (m_ready)
            m_exec->resize(cols, rows);
        // else: release() applies it, after the initial size (the engine may reorder
        // concurrent resizes)
    }
    void closeInput() override
    {
        if (m_ready)
            m_exec->closeWrite();
        else
            m_heldEof = true;
    }
    void setPaused(bool paused) override { m_exec->setOutputPaused(paused); }
    void terminate() override
    {
        if (m_finished)
            return;
        endShell(m_exec, m_tty);
        QTimer::singleShot(400, m_exec, [exec = m_exec] { exec->terminate(); });
    }

private:
    // With a terminal: ^C ends the foreground job; ^D a moment later, on the shell's fresh
    // empty line, ends the shell; then stdin EOF. Without one those bytes would be the
    // process's input, not signals: only the EOF.
    static void endShell(docker::ExecSession *exec, bool tty)
    {
        if (!tty) {
            exec->closeWrite();
            return;
        }
        exec->write(QByteArrayLiteral("\x03"));
        QTimer::singleShot(100, exec, [exec] {
            exec->write(QByteArrayLiteral("\x04"));
            exec->closeWrite();
        });
    }
    void release()
    {
        if (m_ready)
            return;
        m_ready = true;
        if (!m_held.isEmpty())
            m_exec->write(std::exchange(m_held, {}));
        if (m_cols != m_initialCols || m_rows != m_initialRows)
            m_exec->resize(m_cols, m_rows);
        if (m_heldEof)
            m_exec->closeWrite();
    }

    QPointer<docker::DockerClient> m_docker;
    int m_initialCols;
    int m_initialRows;
    int m_cols;
    int m_rows;
    bool m_tty;
    docker::ExecSession *m_exec;
    QByteArray m_held;
    bool m_heldEof = false;
    bool m_ready = false;
    bool m_finished = false;
};

class FailedShell final : public ShellSession
{
public:
    FailedShell(Error error, QObject *parent) : ShellSession(parent)
    {
        QTimer::singleShot(0, this, [this, error] { emit failed(error); });
    }
    void write(const QByteArray &) override {}
    void resize(int, int) override {}
    void closeInput() override {}
    void setPaused(bool) override {}
    void terminate() override {}
};

} // namespace

ShellSession *LocalAppWorker::openShell(const QString &app, const ShellOptions &options, QObject *parent)
{
    const auto it = m_apps.constFind(app);
    const QString containerId = it != m_apps.cend() ? it->live.containerId : QString();
    if (containerId.isEmpty() || !m_docker)
        return new FailedShell(Error{QStringLiteral("not-deployed"), QStringLiteral("the app has no live container")},
                               parent);
    docker::ExecRequest request;
    request.containerId = containerId;
    request.command = options.command;
    request.tty = options.tty;
    request.cols = options.cols;
    request.rows = options.rows;
    return new ExecShell(m_docker, std::move(request), parent);
}

void LocalAppWorker::nodeStatus(QObject *context, Callback<QJsonObject> callback)
{
    QPointer<QObject> ctx(context);
    m_docker->request("GET", "/info", {}, this, [this, ctx, callback](Result<docker::ApiResponse> info) {
        if (!info) {
            deliver<QJsonObject>(ctx, callback, std::unexpected(info.error()));
            return;
        }
        const QJsonObject engine = info->json().toObject();
        int apps = 0;
        for (const Slot &s : std::as_const(m_apps))
            apps += s.live.containerId.isEmpty() ? 0 : 1;
        double load1 = -1;
        QFile loadavg(QStringLiteral("/proc/loadavg"));
        if (loadavg.open(QIODevice::ReadOnly))
            load1 = loadavg.readAll().split(' ').value(0).toDouble();
        deliver<QJsonObject>(ctx, callback, QJsonObject{
            {QStringLiteral("name"), m_config.nodeName},
            {QStringLiteral("id"), m_config.nodeId},
            {QStringLiteral("engine_interruptions"), m_engineInterruptions},
            {QStringLiteral("services"), QJsonArray::fromStringList(m_config.services)},
            {QStringLiteral("cpus"), engine.value(u"NCPU").toInt()},
            {QStringLiteral("memory_mb"), engine.value(u"MemTotal").toInteger() / (1024 * 1024)},
            {QStringLiteral("apps"), apps},
            {QStringLiteral("containers_running"), engine.value(u"ContainersRunning").toInt()},
            {QStringLiteral("load1"), load1},
            {QStringLiteral("engine"), QString(QStringLiteral("Docker ") + engine.value(u"ServerVersion").toString())},
            {QStringLiteral("heartbeat_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        });
    });
}

// ---- supervision -------------------------------------------------------------

void LocalAppWorker::startSupervision()
{
    subscribeEvents();
}

// The engine's event stream says when a container dies, but not while it is broken (the
// engine restarted, or the connection dropped). So: it is reopened with since= the last
// event seen, so that what the engine still holds is replayed; and once it is open again the
// managed containers are listed and compared with what the worker believes (reconcile()),
// which also covers an engine restart, whose event buffer starts empty.
void LocalAppWorker::subscribeEvents()
{
    if (!m_docker)
        return;
    const QJsonObject filters{
        {QStringLiteral("type"), QJsonArray{QStringLiteral("container")}},
        {QStringLiteral("label"), QJsonArray{QStringLiteral("%1=1").arg(QLatin1StringView(kLabelManaged))}},
        {QStringLiteral("event"), QJsonArray{QStringLiteral("die"), QStringLiteral("oom")}},
    };
    if (m_lastEventNano == 0)
        m_lastEventNano = QDateTime::currentMSecsSinceEpoch() * 1000000;  // nothing before we watched
    m_replayUntilNano = m_lastEventNano;
    const QByteArray since = QByteArray::number(m_lastEventNano / 1000000000) + '.'
                             + QByteArray::number(m_lastEventNano % 1000000000).rightJustified(9, '0');
    auto *events = m_docker->events(filters, this, since);
    m_events = events;
    connect(events, &docker::DockerStream::started, this, [this] {
        if (!m_eventsBroken)
            return;
        m_eventsBroken = false;
        qCInfo(lcApps) << "engine events are back: reconciling the containers";
        reconcile();
    });
    connect(events, &docker::DockerStream::jsonMessage, this, &LocalAppWorker::onEngineEvent);
    connect(events, &docker::DockerStream::finished, this, [this](const Result<void> &ended) {
        if (!m_eventsBroken) {
            qCWarning(lcApps).noquote() << "engine event stream ended"
                                        << (ended ? QStringLiteral("") : ended.error().message)
                                        << "- watching again; deploys in flight run again once the engine answers";
            m_eventsBroken = true;
            ++m_engineInterruptions;
            // Their containers and ports may be gone with the engine: they are run again.
            for (auto it = m_apps.cbegin(); it != m_apps.cend(); ++it) {
                if (it->job)
                    m_interruptedDeploys.insert(it.key(), it->job->deployNumber());
                else if (it->heldFailure)  // failed just before: the engine was going away
                    m_interruptedDeploys.insert(it.key(), it->heldDeploy);
            }
        }
        QTimer::singleShot(1000, this, &LocalAppWorker::subscribeEvents);
    });
}

void LocalAppWorker::reconcile()
{
    // Deploys cut short by the engine going away: the same deploy again, from the start.
    const QHash<QString, int> interrupted = std::exchange(m_interruptedDeploys, {});
    for (auto it = interrupted.cbegin(); it != interrupted.cend(); ++it) {
        Slot *s = find(it.key());
        if (!s || !s->desiredRunning)
            continue;
        const int number = it.value();
        if (s->job ? s->job->deployNumber() != number : !s->heldFailure)
            continue;  // a newer deploy started since, or this one ended well after all
        if (s->engineRetries >= kMaxEngineRetries) {
            qCWarning(lcApps).noquote() << "deploy" << it.key() << "#" << number << "was cut short by the engine"
                                        << s->engineRetries << "times; giving up";
            if (s->heldFailure) {
                emit deployFinished(it.key(), number, *s->heldFailure);
                s->heldFailure.reset();
            }
            continue;
        }
        ++s->engineRetries;
        qCInfo(lcApps).noquote() << "running deploy" << it.key() << "#" << number << "again: the engine went away during it";
        s->heldFailure.reset();
        emit deployOutput(it.key(), number, QStringLiteral("system"),
                          QStringLiteral("the container engine went away during this deploy: starting it again"));
        deploy(s->spec, number, QStringLiteral("engine-restart"));
    }

    const QJsonObject filters{{QStringLiteral("label"), QJsonArray{QStringLiteral("%1=1").arg(QLatin1StringView(kLabelManaged))}}};
    m_docker->listContainers(filters, true, this, [this](Result<QJsonArray> list) {
        if (!list) {
            // Gone again: the stream breaks too, and the next reconnect reconciles.
            qCWarning(lcApps).noquote() << "cannot list containers to reconcile:" << list.error().message;
            return;
        }
        QHash<QString, QJsonObject> byId;
        QSet<QString> live;
        for (const QJsonValue &v : std::as_const(*list))
            byId.insert(v.toObject().value(u"Id").toString(), v.toObject());
        for (auto it = m_apps.begin(); it != m_apps.end(); ++it) {
            const QString app = it.key();
            Slot &s = *it;
            live.insert(s.live.containerId);
            for (const QString &id : std::as_const(s.retiring))
                live.insert(id);  // the master has not acknowledged the switch yet
            if (s.removing || s.live.containerId.isEmpty() || !s.desiredRunning || s.busy)
                continue;
            const auto found = byId.constFind(s.live.containerId);
            if (found == byId.cend()) {
                emit stateChanged(app, AppState::Restarting, QStringLiteral("the app's container vanished while the engine was away"));
                recover(app);  // finds it gone: a fresh deploy
                continue;
            }
            if (found->value(u"State").toString() != u"running") {
                emit stateChanged(app, AppState::Restarting, QStringLiteral("the app's container stopped while the engine was away"));
                recover(app);
                continue;
            }
            // Running: an engine restart publishes its port anew, maybe elsewhere.
            quint16 port = 0;
            const int appPort = s.spec.port > 0 ? s.spec.port : m_config.defaultAppPort;
            for (const QJsonValue &p : found->value(u"Ports").toArray()) {
                if (p.toObject().value(u"PrivatePort").toInt() == appPort && p.toObject().value(u"PublicPort").toInt() > 0)
                    port = quint16(p.toObject().value(u"PublicPort").toInt());
            }
            if (port != s.live.hostPort) {
                qCInfo(lcApps).noquote() << "the port of" << app << "moved from" << s.live.hostPort << "to" << port;
                bringUp(app, s.live.containerId, [this, app](Result<void> up) {
                    if (!up)
                        scheduleRecovery(app);
                });
            }
        }
        // What a deploy that failed while the engine was away could not remove.
        for (auto it = byId.cbegin(); it != byId.cend(); ++it) {
            const QString app = labelOf(*it, kLabelApp);
            const auto slot = m_apps.constFind(app);
            if (live.contains(it.key()) || !isOurs(*it) || (slot != m_apps.cend() && slot->job))
                continue;
            qCInfo(lcApps).noquote() << "removing stray container" << it->value(u"Names").toArray().first().toString();
            m_docker->removeContainer(it.key(), true, this, [](Result<void>) {});
        }
    });
}

void LocalAppWorker::onEngineEvent(const QJsonObject &event)
{
    const QString action = event.value(u"Action").toString(event.value(u"status").toString());
    const QJsonObject attributes = event.value(u"Actor").toObject().value(u"Attributes").toObject();
    const QString app = attributes.value(QLatin1StringView(kLabelApp)).toString();
    const QString id = event.value(u"Actor").toObject().value(u"ID").toString(event.value(u"id").toString());
    // A reconnect replays from the last event seen (since= is inclusive): skip what was handled.
    const qint64 nano = event.value(u"timeNano").toInteger();
    if (nano > 0 && nano <= m_replayUntilNano)
        return;
    m_lastEventNano = qMax(m_lastEventNano, nano);
    auto it = m_apps.find(app);
    if (it == m_apps.end() || it->removing || it->live.containerId != id || it->busy || !it->desiredRunning)
        return;  // not a live container of ours, or a stop we asked for
    if (action == u"oom") {
        emit deployOutput(app, it->liveDeploy, QStringLiteral("system"),
                          QStringLiteral("the app ran out of memory (limit %1 MB)")
                              .arg(it->spec.resources.memoryMb > 0 ? it->spec.resources.memoryMb : m_config.defaultMemoryMb));
        return;
    }
    const QString exitCode = attributes.value(u"exitCode").toString();
    qCInfo(lcApps).noquote() << "container of" << app << "exited with code" << exitCode;
    emit stateChanged(app, AppState::Restarting, QStringLiteral("the app exited with code %1").arg(exitCode));
    scheduleRecovery(app);
}

void LocalAppWorker::scheduleRecovery(const QString &app)
{
    Slot *found = find(app);
    if (!found || !found->desiredRunning)
        return;
    Slot &s = *found;
    if (s.upSince.isValid() && s.upSince.elapsed() > kStableAfterMs)
        s.failures = 0;
    const int delay = qMin(kMaxRestartBackoffMs, 500 << qMin(s.failures, 8));
    s.failures += 1;
    if (!s.recoverTimer) {
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, app] { recover(app); });
        s.recoverTimer = timer;
    }
    s.recoverTimer->start(delay);
}

void LocalAppWorker::recover(const QString &app)
{
    const Slot *found = find(app);
    if (!found || !found->desiredRunning || found->live.containerId.isEmpty())
        return;
    const QString id = found->live.containerId;
    // Docker's own restart policy may have brought it back already (crash); a
    // `docker kill` or a stop from outside it leaves alone, so start it ourselves.
    m_docker->inspectContainer(id, this, [this, app, id](Result<QJsonObject> info) {
        auto after = [this, app, id](Result<void> started) {
            Slot *found = find(app);
            if (!found || !found->desiredRunning || found->live.containerId != id)
                return;  // removed, stopped or replaced meanwhile
            if (!started) {
                if (started.error().code == u"docker-not-found") {
                    found->live = Runtime{};
                    emit deployRequested(app, QStringLiteral("recovery"));
                    return;
                }
                scheduleRecovery(app);
                return;
            }
            found->live.restarts += 1;
            bringUp(app, id, [this, app](Result<void> up) {
                if (!up)
                    scheduleRecovery(app);
            });
        };
        if (!info) {
            after(std::unexpected(info.error()));
            return;
        }
        if (info->value(u"State").toObject().value(u"Running").toBool()) {
            after({});
            return;
        }
        m_docker->startContainer(id, this, after);
    });
}

// ---- adoption ----------------------------------------------------------------

void LocalAppWorker::adopt(const QList<AdoptRequest> &apps)
{
    QHash<QString, AdoptRequest> wanted;
    for (const AdoptRequest &r : apps) {
        wanted.insert(r.spec.name, r);
        m_networks->acquire(r.spec.ownerId, r.spec.name);
    }
    m_networks->pruneUnused();  // networks of users whose apps were all deleted meanwhile
    const QJsonObject filters{{QStringLiteral("label"), QJsonArray{QStringLiteral("%1=1").arg(QLatin1StringView(kLabelManaged))}}};
    m_docker->listContainers(filters, true, this, [this, wanted](Result<QJsonArray> list) {
        if (!list) {
            qCWarning(lcApps).noquote() << "cannot list containers for adoption:" << list.error().message;
            QTimer::singleShot(2000, this, [this, wanted] { adopt(wanted.values()); });
            return;
        }
        QHash<QString, QJsonObject> containerOf;  // app -> its live container
        for (const QJsonValue &v : *list) {
            const QJsonObject c = v.toObject();
            const QString app = labelOf(c, kLabelApp);
            const QString id = c.value(u"Id").toString();
            const auto request = wanted.constFind(app);
            const bool live = request != wanted.cend() && !request->containerId.isEmpty() && request->containerId == id;
            if (live) {
                containerOf.insert(app, c);
            } else if (isOurs(c)) {
                // A container of a deleted app, an old deploy, or a deploy cut short.
                qCInfo(lcApps).noquote() << "removing stray container" << c.value(u"Names").toArray().first().toString();
                m_docker->removeContainer(id, true, this, [](Result<void>) {});
            }
        }
        for (const AdoptRequest &r : wanted) {
            Slot &s = slot(r.spec.name);
            s.spec = r.spec;
            s.secrets = secretsToMask(r.spec);
            const bool interrupted = r.deployInterrupted;
            const auto found = containerOf.constFind(r.spec.name);
            if (found == containerOf.cend()) {
                s.live = Runtime{};
                if (interrupted || (r.state != AppState::Failed && r.state != AppState::Stopped))
                    emit deployRequested(r.spec.name, QStringLiteral("recovery"));
                continue;
            }
            s.live.containerId = found->value(u"Id").toString();
            s.live.restarts = r.restarts;
            s.reportedRestarts = r.restarts;
            s.liveDeploy = labelOf(*found, kLabelDeploy).toInt();
            if (r.state == AppState::Stopped) {
                s.desiredRunning = false;
                if (found->value(u"State").toString() == u"running")
                    m_docker->stopContainer(s.live.containerId, kStopTimeoutSec, this, [](Result<void>) {});
                continue;
            }
            s.desiredRunning = true;
            if (interrupted) {
                // A rebuild was cut short; the previous container still serves.
                emit deployRequested(r.spec.name, QStringLiteral("recovery"));
            }
            const QString app = r.spec.name;
            const QString id = s.live.containerId;
            if (found->value(u"State").toString() == u"running") {
                bringUp(app, id, [this, app](Result<void> up) {
                    if (!up) {
                        emit stateChanged(app, AppState::Restarting, up.error().message);
                        scheduleRecovery(app);
                    }
                });
            } else {
                emit stateChanged(app, AppState::Restarting, QStringLiteral("the container was not running"));
                recover(app);
            }
        }
    });
}

} // namespace gasper::apps
