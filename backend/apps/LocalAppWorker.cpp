// SPDX-License-Identifier: MIT
#include "apps/LocalAppWorker.h"

#include "apps/ContainerSpec.h"
#include "apps/DeployJob.h"
#include "apps/HealthProbe.h"
#include "apps/MetricsSampler.h"
#include "apps/TenantNetworks.h"
#include "core/Future.h"
#include "core/Log.h"
#include "docker/DockerClient.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTimer>

#include <cmath>
#include <QtConcurrent>

namespace gasper::apps {

namespace {
constexpr int kStopTimeoutSec = 3;
constexpr int kRetireDelayMs = 1500;      // in-flight requests on the old container finish
constexpr int kMaxBackoffMs = 30000;
constexpr qint64 kStableAfterMs = 60000;  // up this long: the back-off starts over

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

LocalAppWorker::LocalAppWorker(docker::DockerClient *docker, Config config, QObject *parent)
    : AppWorker(parent), m_docker(docker), m_config(std::move(config)), m_sampler(new MetricsSampler(docker, this)),
      m_networks(new TenantNetworks(docker, m_config.nodeName, this))
{
    // Whatever container serves an app is the one sampled.
    connect(this, &AppWorker::runtimeChanged, m_sampler, [this](const QString &app, const Runtime &runtime) {
        m_sampler->track(app, runtime.containerId, runtime.restarts);
    });
    connect(this, &AppWorker::deployFinished, m_sampler, [this](const QString &app, int, const DeployOutcome &outcome) {
        if (outcome.ok)
            m_sampler->track(app, outcome.runtime.containerId, slot(app).live.restarts);
    });
    m_sampler->setInterval(m_config.metricsIntervalSec * 1000);
    m_sampler->start();
}

LocalAppWorker::~LocalAppWorker() = default;

LocalAppWorker::Slot &LocalAppWorker::slot(const QString &app)
{
    return m_apps[app];
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
    s.desiredRunning = true;

    DeployJob::Settings settings;
    settings.image = m_config.imageFor(spec.language);
    settings.appDir = appDir(spec.name);
    settings.memoryMb = spec.resources.memoryMb > 0 ? spec.resources.memoryMb : m_config.defaultMemoryMb;
    settings.cpus = spec.resources.cpus > 0 ? spec.resources.cpus : m_config.defaultCpus;
    settings.node = m_config.nodeName;
    settings.hostHeader = spec.name + u'.' + m_config.domain;
    settings.healthTimeoutMs = m_config.healthTimeoutSec * 1000;
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
    const QStringList secrets = secretValues(spec);
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
    Slot &s = slot(app);
    if (s.job == job)
        s.job = nullptr;
    if (outcome.ok) {
        const QString previous = s.live.containerId;
        s.live = outcome.runtime;
        s.liveDeploy = job->deployNumber();
        s.failures = 0;
        s.upSince.start();
        // The master switches the route while handling this signal; only then
        // does the old container go.
        emit deployFinished(app, job->deployNumber(), outcome);
        if (!previous.isEmpty() && previous != s.live.containerId)
            retire(app, previous, job->deployDir());  // its source goes with it
        else
            removeDeployDirsExcept(app, job->deployDir());
    } else {
        const QString failedDir = job->deployDir();
        emit deployFinished(app, job->deployNumber(), outcome);
        QThreadPool::globalInstance()->start([failedDir] { QDir(failedDir).removeRecursively(); });
    }
}

void LocalAppWorker::retire(const QString &app, const QString &containerId, const QString &keepDir)
{
    QTimer::singleShot(kRetireDelayMs, this, [this, app, containerId, keepDir] {
        if (!m_docker)
            return;
        m_docker->removeContainer(containerId, true, this, [this, app, containerId, keepDir](Result<void> removed) {
            if (!removed && removed.error().code != u"docker-not-found")
                qCWarning(lcApps).noquote() << "cannot remove retired container" << containerId.left(12)
                                            << removed.error().message;
            // Only now is the old source unused; a newer deploy may have started meanwhile.
            const auto it = m_apps.constFind(app);
            if (it != m_apps.cend() && !it->job)
                removeDeployDirsExcept(app, keepDir);
        });
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
        if (!info) {
            done(std::unexpected(info.error()));
            return;
        }
        Slot &s = slot(app);
        const int port = s.spec.port > 0 ? s.spec.port : m_config.defaultAppPort;
        const quint16 hostPort = publishedHostPort(*info, port);
        if (!hostPort) {
            done(fail(QStringLiteral("app-down"), QStringLiteral("the container is not running")));
            return;
        }
        const int restartCount = info->value(u"RestartCount").toInt();
        if (s.probe)
            s.probe->cancel();
        auto *probe = new HealthProbe(QStringLiteral("127.0.0.1"), hostPort, app + u'.' + m_config.domain,
                                      m_config.healthTimeoutSec * 1000, this);
        s.probe = probe;
        connect(probe, &HealthProbe::finished, this,
                [this, app, containerId, hostPort, restartCount, done, probe](const Result<void> &healthy) {
            probe->deleteLater();
            if (!healthy) {
                done(healthy);
                return;
            }
            Slot &s = slot(app);
            const int restarts = qMax(s.live.restarts, restartCount);
            const bool changed = s.live.containerId != containerId || s.live.hostPort != hostPort
                                 || s.live.restarts != restarts || s.reportedRestarts != restarts;
            s.live.containerId = containerId;
            s.live.hostPort = hostPort;
            s.live.restarts = restarts;
            s.reportedRestarts = restarts;
            m_sampler->track(app, containerId, restarts);
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
    Slot &s = slot(app);
    QPointer<QObject> ctx(context);
    if (s.live.containerId.isEmpty()) {
        QTimer::singleShot(0, this, [ctx, callback] {
            deliver<void>(ctx, callback, fail(QStringLiteral("not-deployed"), QStringLiteral("the app has no container yet")));
        });
        return;
    }
    s.busy = true;
    s.desiredRunning = true;
    emit stateChanged(app, AppState::Starting, {});
    m_docker->restartContainer(s.live.containerId, kStopTimeoutSec, this, [this, app, ctx, callback](Result<void> r) {
        Slot &s = slot(app);
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
    Slot &s = slot(app);
    QPointer<QObject> ctx(context);
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
        slot(app).busy = false;
        if (r || r.error().code == u"docker-not-found")
            emit stateChanged(app, AppState::Stopped, {});
        // error() only on a failure: on success it reads the inactive member of the expected
        // (undefined; under ASan gasperd aborted on a garbage QString here).
        deliver<void>(ctx, callback, !r && r.error().code == u"docker-not-found" ? Result<void>{} : r);
    });
}

void LocalAppWorker::start(const QString &app, QObject *context, Callback<void> callback)
{
    Slot &s = slot(app);
    QPointer<QObject> ctx(context);
    if (s.live.containerId.isEmpty()) {
        QTimer::singleShot(0, this, [ctx, callback] {
            deliver<void>(ctx, callback, fail(QStringLiteral("not-deployed"),
                                              QStringLiteral("the app has no container: rebuild it")));
        });
        return;
    }
    s.desiredRunning = true;
    s.busy = true;
    emit stateChanged(app, AppState::Starting, {});
    m_docker->startContainer(s.live.containerId, this, [this, app, ctx, callback](Result<void> r) {
        Slot &s = slot(app);
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
    std::optional<qint64> owner;  // whose network the app held
    if (auto it = m_apps.find(app); it != m_apps.end()) {
        owner = it->spec.ownerId;
        if (it->job) {
            it->job->disconnect(this);
            it->job->cancel();
            it->job->deleteLater();
        }
        if (it->recoverTimer)
            it->recoverTimer->stop();
        if (it->probe)
            it->probe->cancel();
        it->desiredRunning = false;  // its die events are ours from now on
    }
    const QJsonObject filters{{QStringLiteral("label"), QJsonArray{QStringLiteral("%1=%2").arg(QLatin1StringView(kLabelApp), app)}}};
    m_docker->listContainers(filters, true, this, [this, app, ctx, callback, owner](Result<QJsonArray> list) {
        if (!list) {
            deliver<void>(ctx, callback, std::unexpected(list.error()));
            return;
        }
        auto pending = std::make_shared<int>(int(list->size()) + 1);
        auto firstError = std::make_shared<std::optional<Error>>();
        auto finishOne = [this, app, ctx, callback, pending, firstError, owner] {
            if (--*pending != 0)
                return;
            if (*firstError) {
                // Still stored and still ours: keep supervising what is left.
                deliver<void>(ctx, callback, Result<void>(std::unexpected(**firstError)));
                return;
            }
            m_sampler->untrack(app);
            if (auto it = m_apps.find(app); it != m_apps.end()) {
                if (it->recoverTimer)
                    it->recoverTimer->deleteLater();
                if (it->probe)
                    it->probe->deleteLater();
                m_apps.erase(it);
            }
            if (owner)
                m_networks->release(*owner, app);  // the user's last app gone: its network goes
            deliver<void>(ctx, callback, Result<void>{});
        };
        for (const QJsonValue &c : *list) {
            m_docker->removeContainer(c.toObject().value(u"Id").toString(), true, this,
                                      [finishOne, firstError](Result<void> r) {
                if (!r && r.error().code != u"docker-not-found" && !*firstError)
                    *firstError = r.error();
                finishOne();
            });
        }
        const QString dir = appDir(app);
        // gasper::Future, not QFuture::then(): the removal may finish while then() attaches (core/Future.h).
        Future<void>(QtConcurrent::run([dir] { QDir(dir).removeRecursively(); })).then(this, [finishOne] { finishOne(); });
    });
}

LogStream *LocalAppWorker::logs(const QString &app, int tail, bool follow, QObject *parent)
{
    auto *stream = new LogStream(parent);
    const auto it = m_apps.constFind(app);
    const QString containerId = it != m_apps.cend() ? it->live.containerId : QString();
    if (containerId.isEmpty()) {
        QTimer::singleShot(0, stream, [stream] {
            emit stream->finished(fail(QStringLiteral("not-deployed"), QStringLiteral("the app has no container yet")));
        });
        return stream;
    }
    docker::LogOptions options;
    options.tail = tail;
    options.follow = follow;
    auto *source = m_docker->containerLogs(containerId, options, stream);
    connect(source, &docker::DockerStream::output, stream,
            [stream](docker::StreamKind, const QByteArray &data) { emit stream->data(data); });
    connect(source, &docker::DockerStream::finished, stream,
            [stream](const Result<void> &r) { emit stream->finished(r); });
    return stream;
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

void LocalAppWorker::metrics(const QString &app, const QDateTime &since, QObject *context, Callback<QJsonObject> callback)
{
    QJsonArray samples;
    for (const MetricsSample &m : m_sampler->samples(app, since)) {
        samples.append(QJsonObject{
            {QStringLiteral("at"), m.at.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("cpu_percent"), std::round(m.cpuPercent * 100) / 100},
            {QStringLiteral("memory_bytes"), m.memoryBytes},
            {QStringLiteral("memory_limit_bytes"), m.memoryLimitBytes},
            {QStringLiteral("rx_bytes"), m.rxBytes},
            {QStringLiteral("tx_bytes"), m.txBytes},
            {QStringLiteral("restarts"), m.restarts},
        });
    }
    const QJsonObject answer{{QStringLiteral("interval_s"), m_sampler->interval() / 1000.0},
                             {QStringLiteral("samples"), samples}};
    QPointer<QObject> ctx(context);
    QTimer::singleShot(0, this, [ctx, callback, answer] { deliver<QJsonObject>(ctx, callback, answer); });
}

// ---- supervision -------------------------------------------------------------

void LocalAppWorker::startSupervision()
{
    subscribeEvents();
}

void LocalAppWorker::subscribeEvents()
{
    if (!m_docker)
        return;
    const QJsonObject filters{
        {QStringLiteral("type"), QJsonArray{QStringLiteral("container")}},
        {QStringLiteral("label"), QJsonArray{QStringLiteral("%1=1").arg(QLatin1StringView(kLabelManaged))}},
        {QStringLiteral("event"), QJsonArray{QStringLiteral("die"), QStringLiteral("oom")}},
    };
    auto *events = m_docker->events(filters, this);
    m_events = events;
    connect(events, &docker::DockerStream::jsonMessage, this, &LocalAppWorker::onEngineEvent);
    connect(events, &docker::DockerStream::finished, this, [this](const Result<void> &) {
        // The engine restarted or the stream broke: watch again shortly.
        QTimer::singleShot(1000, this, &LocalAppWorker::subscribeEvents);
    });
}

void LocalAppWorker::onEngineEvent(const QJsonObject &event)
{
    const QString action = event.value(u"Action").toString(event.value(u"status").toString());
    const QJsonObject attributes = event.value(u"Actor").toObject().value(u"Attributes").toObject();
    const QString app = attributes.value(QLatin1StringView(kLabelApp)).toString();
    const QString id = event.value(u"Actor").toObject().value(u"ID").toString(event.value(u"id").toString());
    auto it = m_apps.find(app);
    if (it == m_apps.end() || it->live.containerId != id || it->busy || !it->desiredRunning)
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
    Slot &s = slot(app);
    if (s.upSince.isValid() && s.upSince.elapsed() > kStableAfterMs)
        s.failures = 0;
    const int delay = qMin(kMaxBackoffMs, 500 << qMin(s.failures, 8));
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
    auto it = m_apps.find(app);
    if (it == m_apps.end() || !it->desiredRunning || it->live.containerId.isEmpty())
        return;
    const QString id = it->live.containerId;
    // Docker's own restart policy may have brought it back already (crash); a
    // `docker kill` or a stop from outside it leaves alone, so start it ourselves.
    m_docker->inspectContainer(id, this, [this, app, id](Result<QJsonObject> info) {
        auto after = [this, app, id](Result<void> started) {
            if (!started) {
                if (started.error().code == u"docker-not-found") {
                    slot(app).live = Runtime{};
                    emit deployRequested(app, QStringLiteral("recovery"));
                    return;
                }
                scheduleRecovery(app);
                return;
            }
            Slot &s = slot(app);
            s.live.restarts += 1;
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
            } else if (labelOf(c, kLabelNode) == m_config.nodeName || labelOf(c, kLabelNode).isEmpty()) {
                // A container of a deleted app, an old deploy, or a deploy cut short.
                qCInfo(lcApps).noquote() << "removing stray container" << c.value(u"Names").toArray().first().toString();
                m_docker->removeContainer(id, true, this, [](Result<void>) {});
            }
        }
        for (const AdoptRequest &r : wanted) {
            Slot &s = slot(r.spec.name);
            s.spec = r.spec;
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
