// SPDX-License-Identifier: MIT
#include "master/PushDeploys.h"

#include "apps/AppWorker.h"
#include "core/Log.h"
#include "git/GitClone.h"
#include "master/AppStates.h"
#include "store/AsyncStore.h"

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {
constexpr int kTickMs = 1000;
constexpr int kLsRemoteTimeoutSec = 30;
} // namespace

PushDeploys::PushDeploys(Config config, store::AsyncStore *store, AppStates *states, apps::AppWorker *worker,
                         QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_store(store), m_states(states), m_worker(worker)
{
    m_clock.start();
    m_ticker.setInterval(kTickMs);
    connect(&m_ticker, &QTimer::timeout, this, &PushDeploys::tick);
    if (m_worker) {
        // Queued: AppStates (connected first) has marked the deploy over by the time this runs.
        connect(m_worker, &apps::AppWorker::deployFinished, this,
                [this](const QString &app, int, const apps::DeployOutcome &) { onDeployFinished(app); },
                Qt::QueuedConnection);
    }
}

void PushDeploys::load()
{
    if (!m_store)
        return;
    m_store->run([](store::Store &s) { return s.polledAppHooks(); })
        .then(this, [this](const Result<QList<store::AppHook>> &hooks) {
            if (!hooks) {
                qCWarning(lcMaster).noquote() << "cannot load the polled apps:" << hooks.error().message;
                return;
            }
            for (const store::AppHook &hook : *hooks)
                setPoll(hook.app, hook.pollSeconds);
            if (!hooks->isEmpty())
                qCInfo(lcMaster) << "polling the branches of" << hooks->size() << "apps";
        });
}

void PushDeploys::request(const QString &app, const QString &trigger, Done done)
{
    const bool busy = m_starting.contains(app) || (m_states && m_states->value(app).deploying);
    if (busy) {
        const bool already = m_queued.contains(app);
        m_queued.insert(app, trigger);
        qCInfo(lcMaster).noquote() << "push deploy of" << app << (already ? "coalesced into the queued one" : "queued")
                                   << "(" << trigger << ")";
        done(Started{u"queued"_s, 0});
        return;
    }
    startDeploy(app, trigger, std::move(done));
}

void PushDeploys::startDeploy(const QString &app, const QString &trigger, Done done)
{
    if (!m_store || !m_states)
        return done(fail(u"unavailable"_s, u"gasperd is shutting down"_s));
    m_starting.insert(app);
    using Begun = std::pair<store::AppRecord, store::DeployRecord>;
    m_store
        ->run([app, trigger](store::Store &s) -> Result<Begun> {
            auto record = s.app(app);
            if (!record)
                return std::unexpected(record.error());
            auto deploy = s.startDeploy(app, trigger);
            if (!deploy)
                return std::unexpected(deploy.error());
            return Begun{*record, *deploy};
        })
        .then(this, [this, app, done = std::move(done)](const Result<Begun> &begun) {
            m_starting.remove(app);
            if (!begun)
                return done(std::unexpected(begun.error()));
            qCInfo(lcMaster).noquote() << "push deploy #" << begun->second.number << "of" << app << "("
                                       << begun->second.trigger << ")";
            if (m_states)
                m_states->beginDeploy(begun->first.spec, begun->second);
            done(Started{u"deployed"_s, begun->second.number});
        });
}

void PushDeploys::onDeployFinished(const QString &app)
{
    const auto it = m_queued.constFind(app);
    if (it == m_queued.cend() || m_starting.contains(app) || (m_states && m_states->value(app).deploying))
        return;
    const QString trigger = *it;
    m_queued.erase(it);
    if (m_states && !m_states->all().contains(app))
        return;  // deleted meanwhile
    startDeploy(app, trigger, [app](Result<Started> started) {
        if (!started)
            qCWarning(lcMaster).noquote() << "cannot start the queued push deploy of" << app << ":" << started.error().message;
    });
}

void PushDeploys::setPoll(const QString &app, int seconds)
{
    if (seconds <= 0) {
        m_polls.remove(app);
    } else {
        Poll &poll = m_polls[app];
        poll.seconds = seconds;
        poll.dueMs = m_clock.elapsed() + qint64(seconds) * 1000;
    }
    if (m_polls.isEmpty())
        m_ticker.stop();
    else if (!m_ticker.isActive())
        m_ticker.start();
}

void PushDeploys::tick()
{
    const qint64 now = m_clock.elapsed();
    const QStringList apps = m_polls.keys();
    for (const QString &app : apps) {
        Poll &poll = m_polls[app];
        if (poll.inFlight || now < poll.dueMs)
            continue;
        poll.dueMs = now + qint64(poll.seconds) * 1000;
        pollNow(app);
    }
}

void PushDeploys::record(const store::HookDelivery &delivery)
{
    if (!m_store)
        return;
    m_store->run([delivery](store::Store &s) { return s.addHookDelivery(delivery); })
        .then(this, [app = delivery.app](const Result<void> &r) {
            if (!r && r.error().code != u"not-found")
                qCWarning(lcMaster).noquote() << "cannot store a delivery of" << app << ":" << r.error().message;
        });
}

void PushDeploys::pollNow(const QString &app)
{
    if (!m_store)
        return;
    m_polls[app].inFlight = true;
    struct Target
    {
        AppSpec spec;
        QString lastCommit;
    };
    m_store
        ->run([app](store::Store &s) -> Result<Target> {
            auto record = s.app(app);
            if (!record)
                return std::unexpected(record.error());
            auto last = s.lastDeployedCommit(app);
            if (!last)
                return std::unexpected(last.error());
            return Target{record->spec, *last};
        })
        .then(this, [this, app](const Result<Target> &target) {
            if (!target) {
                if (target.error().code == u"not-found") {
                    qCInfo(lcMaster).noquote() << "stopped polling" << app << "(deleted)";
                    setPoll(app, 0);
                    return;
                }
                m_polls[app].inFlight = false;
                return;
            }
            if (m_states && m_states->value(app).deploying) {
                // The running deploy clones the newest head anyway.
                m_polls[app].inFlight = false;
                return;
            }
            git::CloneRequest lsRemote;
            lsRemote.url = target->spec.git.url;
            lsRemote.branch = target->spec.git.branch;
            lsRemote.token = target->spec.git.token;
            lsRemote.timeoutSec = kLsRemoteTimeoutSec;
            git::remoteHead(lsRemote).then(this, [this, app, branch = lsRemote.branch, last = target->lastCommit](
                                                    const Result<QString> &head) {
                auto it = m_polls.find(app);
                if (it == m_polls.end())
                    return;  // polling was switched off meanwhile
                it->inFlight = false;
                store::HookDelivery delivery;
                delivery.app = app;
                delivery.source = u"poll"_s;
                delivery.event = u"poll"_s;
                delivery.branch = branch;
                if (!head) {
                    if (it->lastError == head.error().message)
                        return;
                    it->lastError = head.error().message;
                    qCInfo(lcMaster).noquote() << "poll of" << app << "failed:" << head.error().code << head.error().message;
                    delivery.outcome = u"failed"_s;
                    delivery.detail = head.error().message;
                    record(delivery);
                    return;
                }
                it->lastError.clear();
                if (*head == last || *head == it->lastTriggered)
                    return;
                it->lastTriggered = *head;
                delivery.commit = *head;
                qCInfo(lcMaster).noquote() << "poll of" << app << "found" << *head << "(deployed:"
                                           << (last.isEmpty() ? u"none"_s : last) << ")";
                request(app, u"poll"_s, [this, delivery](Result<Started> started) mutable {
                    if (!started) {
                        delivery.outcome = u"failed"_s;
                        delivery.detail = started.error().message;
                    } else {
                        delivery.outcome = started->outcome;
                        delivery.deploy = started->deploy;
                        delivery.detail = started->outcome == u"queued"
                                              ? u"the branch moved; a rebuild follows the running deploy"_s
                                              : u"the branch moved; deploy #%1 started"_s.arg(started->deploy);
                    }
                    record(delivery);
                });
            });
        });
}

} // namespace gasper::master
