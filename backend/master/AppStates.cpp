// SPDX-License-Identifier: MIT
#include "master/AppStates.h"

#include "core/Log.h"
#include "master/ApiSupport.h"
#include "master/DeployLogWriter.h"
#include "master/EventHub.h"
#include "proxy/RouteTable.h"

#include <QJsonObject>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gasper::master {

AppStates::AppStates(Config config, store::AsyncStore *store, apps::AppWorker *worker, proxy::RouteTable *routes,
                     EventHub *hub, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_store(store), m_worker(worker), m_routes(routes), m_hub(hub),
      m_deployLogs(new DeployLogWriter(m_config.logs, store, this))
{
    if (m_worker) {
        connect(m_worker, &apps::AppWorker::stateChanged, this, &AppStates::onStateChanged);
        connect(m_worker, &apps::AppWorker::deployStep, this, &AppStates::onDeployStep);
        connect(m_worker, &apps::AppWorker::deployOutput, this, &AppStates::onDeployOutput);
        connect(m_worker, &apps::AppWorker::deployFinished, this, &AppStates::onDeployFinished);
        connect(m_worker, &apps::AppWorker::runtimeChanged, this, &AppStates::onRuntimeChanged);
        connect(m_worker, &apps::AppWorker::deployRequested, this, &AppStates::onDeployRequested);
        connect(m_worker, &apps::AppWorker::appLogCaptured, this, &AppStates::onAppLogCaptured);
    }
}

// Writes that follow the live state: nobody waits for them, so a failure is logged (the
// live state stays right, and the next write of the row tries again).
// `then` runs after the write, whether it succeeded or not.
template<class F>
void AppStates::persist(const QString &app, const char *what, F &&write, std::function<void()> then)
{
    m_store->run(std::forward<F>(write)).then(this, [app, what, then = std::move(then)](const Result<void> &r) {
        if (!r)
            qCWarning(lcMaster).noquote() << "cannot store" << what << "of" << app << ":" << r.error().message;
        if (then)
            then();
    });
}

void AppStates::saveRuntime(const QString &app, const apps::Runtime &runtime)
{
    persist(app, "the container", [app, runtime](store::Store &s) {
        return s.setAppRuntime(app, runtime.containerId, runtime.hostPort, runtime.restarts);
    });
}

void AppStates::add(const QString &app, qint64 ownerId)
{
    LiveApp live;
    live.ownerId = ownerId;
    m_live.insert(app, live);
}

void AppStates::forget(const QString &app)
{
    m_live.remove(app);
    m_deploys.remove(app);
    m_finishing.remove(app);
    m_deployLogs->forget(app);
    if (m_routes)
        m_routes->remove(hostOf(app));
}

std::optional<store::DeployRecord> AppStates::liveDeploy(const QString &app) const
{
    if (const auto it = m_deploys.constFind(app); it != m_deploys.cend())
        return *it;
    if (const auto it = m_finishing.constFind(app); it != m_finishing.cend())
        return *it;
    return std::nullopt;
}

QString AppStates::hostOf(const QString &app) const
{
    return app + u'.' + m_config.domain;
}

void AppStates::beginDeploy(const AppSpec &requested, const store::DeployRecord &deploy)
{
    // A rollback pins the app to its commit; its recoveries keep the pin, any other deploy
    // (rebuild, update, push) goes back to the branch's head and drops it.
    AppSpec spec = requested;
    if (!spec.git.commit.isEmpty() && deploy.trigger != u"rollback" && deploy.trigger != u"recovery") {
        spec.git.commit.clear();
        persist(spec.name, "the end of a rollback's pin",
                [name = spec.name](store::Store &s) { return s.setAppCommit(name, QString()); });
    }
    if (auto previous = m_deploys.find(spec.name); previous != m_deploys.end() && previous->number != deploy.number) {
        // The worker drops a deploy that a newer one supersedes; its record ends here.
        store::DeployRecord superseded = *previous;
        superseded.status = u"cancelled"_s;
        superseded.error = QStringLiteral("superseded by deploy #%1").arg(deploy.number);
        superseded.finishedAt = QDateTime::currentDateTimeUtc();
        persist(spec.name, "the superseded deploy", [superseded](store::Store &s) { return s.saveDeploy(superseded); });
    }
    LiveApp &live = m_live[spec.name];
    live.deploying = true;
    m_deploys.insert(spec.name, deploy);
    updateRoute(spec.name);
    if (m_worker)
        m_worker->deploy(spec, deploy.number, deploy.trigger);
}

// ---- worker progress -----------------------------------------------------------

void AppStates::setState(const QString &app, AppState state, const QString &lastError, const QString &lastErrorCode)
{
    auto it = m_live.find(app);
    if (it == m_live.end())
        return;
    it->state = state;
    it->lastError = lastError;
    it->lastErrorCode = lastError.isEmpty() ? QString() : lastErrorCode;
    persist(app, "the state", [app, state, lastError, lastErrorCode](store::Store &s) {
        return s.setAppState(app, state, lastError, lastErrorCode);
    });
    publishState(app);
    updateRoute(app);
}

void AppStates::publishState(const QString &app)
{
    const auto it = m_live.constFind(app);
    if (it == m_live.cend())
        return;
    QJsonObject event{{u"type"_s, u"app.state"_s}, {u"app"_s, app}, {u"state"_s, toString(it->state)},
                      {u"at"_s, isoTime(QDateTime::currentDateTimeUtc())}};
    if (!it->lastError.isEmpty())
        event.insert(u"detail"_s, it->lastError);
    if (!it->lastErrorCode.isEmpty())
        event.insert(u"code"_s, it->lastErrorCode);
    m_hub->publish(it->ownerId, event);
}

void AppStates::onStateChanged(const QString &app, AppState state, const QString &detail)
{
    const auto it = m_live.constFind(app);
    if (it == m_live.cend())
        return;
    // Back to running after a restart or recovery: the old complaint is over. During a
    // deploy the last error stays until the deploy ends.
    if (!detail.isEmpty()) {
        setState(app, state, detail, state == AppState::Restarting ? u"app-exited"_s : QString());
        return;
    }
    if (state == AppState::Running)
        setState(app, state, {});
    else
        setState(app, state, it->lastError, it->lastErrorCode);
}

void AppStates::onDeployStep(const QString &app, int deploy, const DeployStep &step)
{
    auto it = m_deploys.find(app);
    if (it != m_deploys.end() && it->number == deploy) {
        bool replaced = false;
        for (DeployStep &s : it->steps) {
            if (s.name == step.name) {
                s = step;
                replaced = true;
            }
        }
        if (!replaced)
            it->steps << step;
    }
    QJsonObject event{{u"type"_s, u"deploy.step"_s}, {u"app"_s, app}, {u"deploy"_s, deploy},
                      {u"step"_s, step.name}, {u"status"_s, step.status}};
    if (step.status != u"running")
        event.insert(u"ms"_s, step.ms);
    m_hub->publish(m_live.value(app).ownerId, event);
}

void AppStates::onDeployOutput(const QString &app, int deploy, const QString &stream, const QString &line)
{
    if (m_live.contains(app))
        m_deployLogs->append(app, deploy, stream, line);
    m_hub->publish(m_live.value(app).ownerId,
                  QJsonObject{{u"type"_s, u"deploy.output"_s}, {u"app"_s, app}, {u"deploy"_s, deploy},
                              {u"stream"_s, stream}, {u"line"_s, line}});
}

void AppStates::onDeployFinished(const QString &app, int deploy, const apps::DeployOutcome &outcome)
{
    auto liveIt = m_live.find(app);
    if (liveIt == m_live.end())
        return;  // deleted meanwhile
    liveIt->deploying = false;
    m_deployLogs->finish(app, deploy);
    store::DeployRecord record = m_deploys.take(app);
    if (record.number != deploy) {
        record = store::DeployRecord{};
        record.app = app;
        record.number = deploy;
    }
    const bool cancelled = !outcome.ok && outcome.error.code == u"deploy-cancelled";
    record.status = outcome.ok ? u"succeeded"_s : cancelled ? u"cancelled"_s : u"failed"_s;
    record.commit = outcome.commit;
    record.error = outcome.ok ? QString() : outcome.error.message;
    record.errorCode = outcome.ok ? QString() : outcome.error.code;
    record.finishedAt = QDateTime::currentDateTimeUtc();
    record.totalMs = outcome.totalMs;
    if (record.id) {
        m_finishing.insert(app, record);
        persist(app, "the deploy", [record](store::Store &s) { return s.saveDeploy(record); }, [this, app, deploy] {
            if (const auto it = m_finishing.constFind(app); it != m_finishing.cend() && it->number == deploy)
                m_finishing.erase(it);
        });
    }

    if (cancelled) {
        // Stopped mid-deploy: the stop decides the state.
        updateRoute(app);
    } else if (outcome.ok) {
        ++m_deploysSucceeded;
        m_deploySecondsSum += double(outcome.totalMs) / 1000.0;
        liveIt->runtime = outcome.runtime;
        // The deploy's second half, in this order: the route switches to the new container
        // (setState), the store keeps it, and only then may the worker retire the old one —
        // a master that stops in between finds the old container still there.
        setState(app, AppState::Running, {});
        const apps::Runtime runtime = outcome.runtime;
        m_store->run([app, runtime](store::Store &s) {
                   return s.setAppRuntime(app, runtime.containerId, runtime.hostPort, runtime.restarts);
               })
            .then(this, [this, app, deploy](const Result<void> &stored) {
                if (!stored) {
                    // The store still names the old container: it keeps existing.
                    qCWarning(lcMaster).noquote() << "cannot store the container of" << app << ":" << stored.error().message;
                    return;
                }
                if (!m_worker || !m_live.contains(app))
                    return;
                m_worker->retire(app, deploy, this, [app](Result<void> retired) {
                    if (!retired)
                        qCWarning(lcMaster).noquote() << "cannot retire the old container of" << app << ":"
                                                      << retired.error().message;
                });
            });
    } else {
        ++m_deploysFailed;
        if (!liveIt->runtime.containerId.isEmpty())
            setState(app, AppState::Running,
                     QStringLiteral("deploy #%1 failed, the previous one still serves: %2").arg(deploy).arg(outcome.error.message),
                     outcome.error.code);
        else
            setState(app, AppState::Failed, outcome.error.message, outcome.error.code);
    }
    m_hub->publish(liveIt->ownerId, QJsonObject{{u"type"_s, u"deploy.finished"_s}, {u"app"_s, app},
                                               {u"deploy"_s, deploy}, {u"status"_s, record.status},
                                               {u"ms"_s, outcome.totalMs}});
}

void AppStates::onRuntimeChanged(const QString &app, const apps::Runtime &runtime)
{
    auto it = m_live.find(app);
    if (it == m_live.end())
        return;
    it->runtime = runtime;
    saveRuntime(app, runtime);
    updateRoute(app);
}

void AppStates::onDeployRequested(const QString &app, const QString &trigger)
{
    m_store
        ->run([app, trigger](store::Store &s) -> Result<std::pair<store::AppRecord, store::DeployRecord>> {
            // A deploy that was running when gasperd stopped will never finish.
            if (auto previous = s.deploys(app, 5)) {
                for (store::DeployRecord d : *previous) {
                    if (d.status == u"running") {
                        d.status = u"failed"_s;
                        d.error = u"interrupted: gasperd stopped during this deploy, or its container vanished"_s;
                        d.errorCode = u"deploy-interrupted"_s;
                        d.finishedAt = QDateTime::currentDateTimeUtc();
                        s.saveDeploy(d);
                    }
                }
            }
            auto record = s.app(app);
            if (!record)
                return std::unexpected(record.error());
            auto deploy = s.startDeploy(app, trigger);
            if (!deploy)
                return std::unexpected(deploy.error());
            return std::pair{*record, *deploy};
        })
        .then(this, [this, app](const Result<std::pair<store::AppRecord, store::DeployRecord>> &r) {
            if (!r) {
                qCWarning(lcMaster).noquote() << "cannot redeploy" << app << ":" << r.error().message;
                return;
            }
            qCInfo(lcMaster).noquote() << "redeploying" << app << "(" << r->second.trigger << ")";
            beginDeploy(r->first.spec, r->second);
        });
}

void AppStates::onAppLogCaptured(const QString &app, int deploy, const QByteArray &log)
{
    if (!m_live.contains(app))
        return;
    store::LogBounds bounds;
    bounds.appLogsKept = m_config.logs.appLogsKept;
    persist(app, "the app log of a replaced deploy",
            [app, deploy, log, bounds](store::Store &s) { return s.saveAppLog(app, deploy, log, bounds); });
}

void AppStates::updateRoute(const QString &app)
{
    if (!m_routes)
        return;
    const auto it = m_live.constFind(app);
    if (it == m_live.cend()) {
        m_routes->remove(hostOf(app));
        return;
    }
    const bool serving = it->runtime.hostPort > 0
                         && (it->state == AppState::Running
                             || (it->deploying && (it->state == AppState::Queued || it->state == AppState::Cloning
                                                   || it->state == AppState::Building || it->state == AppState::Starting)));
    if (serving) {
        m_routes->setUpstream(hostOf(app), it->runtime.address, it->runtime.hostPort);
        return;
    }
    switch (it->state) {
    case AppState::Stopped:
        m_routes->setUnavailable(hostOf(app), 503, QStringLiteral("%1 is stopped").arg(app));
        break;
    case AppState::Failed:
        m_routes->setUnavailable(hostOf(app), 502, QStringLiteral("%1 failed to deploy").arg(app));
        break;
    case AppState::Restarting:
        m_routes->setUnavailable(hostOf(app), 503, QStringLiteral("%1 is restarting").arg(app));
        break;
    default:
        m_routes->setUnavailable(hostOf(app), 503, QStringLiteral("%1 is deploying").arg(app));
        break;
    }
}

// ---- start-up ----------------------------------------------------------------------

void AppStates::load()
{

    using Loaded = QList<std::pair<store::AppRecord, bool>>;
    m_store
        ->run([](store::Store &s) -> Result<Loaded> {
            auto apps = s.apps(std::nullopt);
            if (!apps)
                return std::unexpected(apps.error());
            Loaded loaded;
            for (const store::AppRecord &a : *apps) {
                auto last = s.deploys(a.spec.name, 1);
                const bool interrupted = last && !last->isEmpty() && last->first().status == u"running";
                loaded.append({a, interrupted});
            }
            return loaded;
        })
        .then(this, [this](const Result<Loaded> &loaded) {
            if (!loaded) {
                qCCritical(lcMaster).noquote() << "cannot load apps:" << loaded.error().message;
                return;
            }
            QList<apps::AdoptRequest> adopt;
            for (const auto &[a, interrupted] : *loaded) {
                LiveApp live;
                live.ownerId = a.ownerId;
                live.state = a.state;
                live.lastError = a.lastError;
                live.lastErrorCode = a.lastErrorCode;
                live.runtime.containerId = a.containerId;
                live.runtime.hostPort = quint16(a.hostPort);
                live.runtime.restarts = a.restarts;
                m_live.insert(a.spec.name, live);
                updateRoute(a.spec.name);
                apps::AdoptRequest request;
                request.spec = a.spec;
                request.state = a.state;
                request.containerId = a.containerId;
                request.restarts = a.restarts;
                request.deployInterrupted = interrupted;
                adopt << request;
            }
            qCInfo(lcMaster) << "loaded" << adopt.size() << "apps";
            if (m_worker)
                m_worker->adopt(adopt);
        });
}

} // namespace gasper::master
