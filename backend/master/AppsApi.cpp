// SPDX-License-Identifier: MIT
#include "master/AppsApi.h"

#include "apps/AppWorker.h"
#include "core/Log.h"
#include "master/ApiSupport.h"
#include "master/AppJson.h"
#include "master/AppStates.h"
#include "master/Credentials.h"
#include "master/SshKeysApi.h"
#include "master/EventHub.h"
#include "master/MetricsQuery.h"
#include "master/MetricsRecorder.h"
#include "proxy/RouteTable.h"
#include "store/AsyncStore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

using AppAndDeploy = std::pair<store::AppRecord, store::DeployRecord>;

} // namespace

void AppsApi::addRoutes(Router &r)
{
    r.add("POST", u"/api/v1/apps"_s, Access::Token, this, &AppsApi::create);
    r.add("GET", u"/api/v1/apps"_s, Access::Token, this, &AppsApi::list);
    r.add("GET", u"/api/v1/apps/{name}"_s, Access::Token, this, &AppsApi::get);
    r.add("PATCH", u"/api/v1/apps/{name}"_s, Access::Token, this, &AppsApi::patch);
    r.add("DELETE", u"/api/v1/apps/{name}"_s, Access::Token, this, &AppsApi::remove);
    r.add("POST", u"/api/v1/apps/{name}/rebuild"_s, Access::Token, this, &AppsApi::rebuild);
    r.add("POST", u"/api/v1/apps/{name}/restart"_s, Access::Token, this, &AppsApi::restart);
    r.add("POST", u"/api/v1/apps/{name}/stop"_s, Access::Token, this, &AppsApi::stop);
    r.add("POST", u"/api/v1/apps/{name}/start"_s, Access::Token, this, &AppsApi::start);
    r.add("GET", u"/api/v1/apps/{name}/deploys"_s, Access::Token, this, &AppsApi::deploys);
    r.add("GET", u"/api/v1/apps/{name}/metrics"_s, Access::Token, this, &AppsApi::metrics);
}

void AppsApi::create(const CallPtr &call)
{
    auto body = parseJsonObject(call->body());
    if (!body)
        return call->fail(body.error());
    auto spec = parseCreateApp(*body, m_ctx.config, call->user().admin);
    if (!spec)
        return call->fail(spec.error());
    // The app's SSH password (ssh <app>@host), hashed before anything is stored.
    if (body->contains(u"password")) {
        auto password = parseSshPassword(body->value(u"password"), false);
        if (!password)
            return call->fail(password.error());
        hashPassword(*password).then(this, [this, call, spec = *spec](const Result<QString> &hash) {
            if (!hash)
                return call->fail(hash.error());
            createApp(call, spec, *hash);
        });
        return;
    }
    createApp(call, *spec, QString());
}

void AppsApi::createApp(const CallPtr &call, const AppSpec &spec, const QString &sshPasswordHash)
{
    const qint64 owner = call->user().id;
    const QString node = m_ctx.worker ? m_ctx.worker->nodeName() : m_ctx.config.nodeName;
    const int quota = call->user().admin ? 0 : m_ctx.config.maxAppsPerUser;
    m_ctx.store
        ->run([owner, node, quota, s = spec, sshPasswordHash](store::Store &st) -> Result<AppAndDeploy> {
            if (quota > 0) {
                auto count = st.countApps(owner);
                if (!count)
                    return std::unexpected(count.error());
                if (*count >= quota)
                    return fail(u"quota-exceeded"_s, u"you already have %1 apps, the most allowed"_s.arg(*count));
            }
            auto app = st.createApp(owner, s, node);
            if (!app)
                return std::unexpected(app.error());
            if (!sshPasswordHash.isEmpty()) {
                if (auto ok = st.setAppSshPassword(s.name, sshPasswordHash); !ok)
                    return std::unexpected(ok.error());
            }
            auto deploy = st.startDeploy(s.name, u"create"_s);
            if (!deploy)
                return std::unexpected(deploy.error());
            return std::pair{*app, *deploy};
        })
        .then(this, [this, call, name = spec.name](const Result<AppAndDeploy> &created) {
            if (!created) {
                if (created.error().code == u"name-taken")
                    return call->fail(u"name-taken"_s, u"the name '%1' is taken"_s.arg(name));
                return call->fail(created.error());
            }
            const auto &[app, deploy] = *created;
            m_ctx.states->add(app.spec.name, app.ownerId);
            qCInfo(lcMaster).noquote() << "app" << app.spec.name << "created by" << call->user().username;
            call->finish(Answer::json(202, appToJson(app, m_ctx.config)));
            m_ctx.states->publishState(app.spec.name);
            m_ctx.states->beginDeploy(app.spec, deploy);
        });
}

void AppsApi::list(const CallPtr &call)
{
    const std::optional<qint64> owner = call->user().admin && call->queryValue(u"all"_s) != u"0"
                                            ? std::nullopt
                                            : std::optional<qint64>(call->user().id);
    m_ctx.store->run([owner](store::Store &s) { return s.apps(owner); })
        .then(this, [this, call](const Result<QList<store::AppRecord>> &apps) {
            if (!apps)
                return call->fail(apps.error());
            QJsonArray list;
            for (const store::AppRecord &a : *apps)
                list.append(appToJson(a, m_ctx.config));
            call->finish(Answer::json(200, QJsonObject{{u"apps"_s, list}}));
        });
}

void AppsApi::get(const CallPtr &call)
{
    withOwnedApp(call, [this, call](const store::AppRecord &app) {
        call->finish(Answer::json(200, appToJson(app, m_ctx.config)));
    });
}

void AppsApi::patch(const CallPtr &call)
{
    auto body = parseJsonObject(call->body());
    if (!body)
        return call->fail(body.error());
    // "password" changes the app's SSH password (null removes it) without a rebuild; the
    // other fields go through applyAppPatch and deploy again.
    std::optional<QString> password;
    if (body->contains(u"password")) {
        auto parsed = parseSshPassword(body->take(u"password"_s), true);
        if (!parsed)
            return call->fail(parsed.error());
        password = *parsed;
    }
    withOwnedApp(call, [this, call, patch = *body, password](const store::AppRecord &app) {
        std::optional<AppSpec> spec;
        if (!patch.isEmpty() || !password) {
            auto applied = applyAppPatch(app.spec, patch, m_ctx.config, call->user().admin);
            if (!applied)
                return call->fail(applied.error());
            spec = *applied;
        }
        if (!password || password->isEmpty())
            return patchApp(call, app.spec.name, spec, password);
        hashPassword(*password).then(this, [this, call, name = app.spec.name, spec](const Result<QString> &hash) {
            if (!hash)
                return call->fail(hash.error());
            patchApp(call, name, spec, *hash);
        });
    });
}

// `spec`: the new spec (a rebuild follows) or none (password only); `passwordHash`: the new
// SSH password's hash, "" to remove it, none to keep it.
void AppsApi::patchApp(const CallPtr &call, const QString &name, const std::optional<AppSpec> &spec,
                       const std::optional<QString> &passwordHash)
{
    using Patched = std::pair<store::AppRecord, std::optional<store::DeployRecord>>;
    m_ctx.store
        ->run([name, spec, passwordHash](store::Store &st) -> Result<Patched> {
            if (passwordHash) {
                if (auto ok = st.setAppSshPassword(name, *passwordHash); !ok)
                    return std::unexpected(ok.error());
            }
            std::optional<store::DeployRecord> deploy;
            if (spec) {
                if (auto ok = st.updateAppSpec(name, *spec); !ok)
                    return std::unexpected(ok.error());
                auto started = st.startDeploy(name, u"update"_s);
                if (!started)
                    return std::unexpected(started.error());
                deploy = *started;
            }
            auto updated = st.app(name);
            if (!updated)
                return std::unexpected(updated.error());
            return Patched{*updated, deploy};
        })
        .then(this, [this, call](const Result<Patched> &updated) {
            if (!updated)
                return call->fail(updated.error());
            call->finish(Answer::json(updated->second ? 202 : 200, appToJson(updated->first, m_ctx.config)));
            if (updated->second)
                m_ctx.states->beginDeploy(updated->first.spec, *updated->second);
        });
}

void AppsApi::remove(const CallPtr &call)
{
    withOwnedApp(call, [this, call](const store::AppRecord &app) {
        const QString name = app.spec.name;
        if (m_ctx.routes)
            m_ctx.routes->remove(m_ctx.states->hostOf(name));
        if (!m_ctx.worker)
            return call->fail(u"internal-error"_s, u"no app worker"_s);
        m_ctx.worker->remove(name, this, [this, call, name, owner = app.ownerId](Result<void> removed) {
            if (!removed) {
                m_ctx.states->updateRoute(name);
                return call->fail(removed.error());
            }
            m_ctx.store->run([name](store::Store &s) { return s.deleteApp(name); })
                .then(this, [this, call, name, owner](const Result<void> &deleted) {
                    if (!deleted)
                        return call->fail(deleted.error());
                    m_ctx.states->forget(name);
                    m_ctx.metrics->forget(name);  // its stored series went with the app
                    qCInfo(lcMaster).noquote() << "app" << name << "deleted";
                    m_ctx.hub->publish(owner, QJsonObject{{u"type"_s, u"app.deleted"_s}, {u"app"_s, name},
                                                          {u"at"_s, isoTime(QDateTime::currentDateTimeUtc())}});
                    call->finish(Answer::empty(204));
                });
        });
    });
}

void AppsApi::rebuild(const CallPtr &call)
{
    withOwnedApp(call, [this, call](const store::AppRecord &app) {
        m_ctx.store->run([name = app.spec.name](store::Store &s) { return s.startDeploy(name, u"rebuild"_s); })
            .then(this, [this, call, app](const Result<store::DeployRecord> &deploy) {
                if (!deploy)
                    return call->fail(deploy.error());
                call->finish(Answer::json(202, appToJson(app, m_ctx.config)));
                m_ctx.states->beginDeploy(app.spec, *deploy);
            });
    });
}

void AppsApi::restart(const CallPtr &call) { lifecycle(call, u"restart"_s); }
void AppsApi::stop(const CallPtr &call) { lifecycle(call, u"stop"_s); }
void AppsApi::start(const CallPtr &call) { lifecycle(call, u"start"_s); }

void AppsApi::lifecycle(const CallPtr &call, const QString &action)
{
    withOwnedApp(call, [this, call, action](const store::AppRecord &app) {
        const QString name = app.spec.name;
        AppStates *states = m_ctx.states;
        if (states->value(name).runtime.containerId.isEmpty() && action != u"stop")
            return call->fail(u"not-deployed"_s, u"'%1' has no running deploy to %2: rebuild it"_s.arg(name, action));
        if (!m_ctx.worker)
            return call->fail(u"internal-error"_s, u"no app worker"_s);
        auto done = [states, name, action](Result<void> r) {
            if (r)
                return;
            qCWarning(lcMaster).noquote() << action << name << "failed:" << r.error().message;
            states->setState(name, states->value(name).runtime.containerId.isEmpty() ? AppState::Failed : AppState::Restarting,
                             u"%1 failed: %2"_s.arg(action, r.error().message), r.error().code);
        };
        if (action == u"restart")
            m_ctx.worker->restart(name, states, done);
        else if (action == u"stop")
            m_ctx.worker->stop(name, states, done);
        else
            m_ctx.worker->start(name, states, done);
        store::AppRecord shown = app;
        shown.state = states->value(name).state;
        call->finish(Answer::json(202, appToJson(shown, m_ctx.config)));
    });
}

void AppsApi::deploys(const CallPtr &call)
{
    withOwnedApp(call, [this, call](const store::AppRecord &app) {
        m_ctx.store->run([name = app.spec.name](store::Store &s) { return s.deploys(name, 50); })
            .then(this, [this, call, name = app.spec.name](const Result<QList<store::DeployRecord>> &deploys) {
                if (!deploys)
                    return call->fail(deploys.error());
                QJsonArray list;
                const auto live = m_ctx.states->liveDeploy(name);
                for (const store::DeployRecord &d : *deploys)
                    list.append(deployToJson(live && live->number == d.number ? *live : d));
                call->finish(Answer::json(200, QJsonObject{{u"deploys"_s, list}}));
            });
    });
}

void AppsApi::metrics(const CallPtr &call)
{
    // Stored series (MetricsRecorder writes them every tick), read on the store thread.
    auto plan = metrics::planFromQuery(m_ctx.metrics->tiers(), QDateTime::currentMSecsSinceEpoch(),
                                       call->queryValue(u"since"_s), call->queryValue(u"until"_s),
                                       call->queryValue(u"step"_s));
    if (!plan)
        return call->fail(plan.error());
    withOwnedApp(call, [this, call, plan = *plan](const store::AppRecord &app) {
        m_ctx.store
            ->run([name = app.spec.name, plan](store::Store &s) {
                return s.appMetrics(name, plan.tierStepSec, plan.fromMs, plan.toMs);
            })
            .then(this, [this, call, plan, name = app.spec.name, node = app.node](
                            const Result<QList<store::MetricsPoint>> &points) {
                if (!points)
                    return call->fail(points.error());
                QJsonObject body = metrics::align(*points, store::Store::appMetricsColumns(), plan);
                body.insert(u"app"_s, name);
                body.insert(u"node"_s, node);
                body.insert(u"interval_s"_s, m_ctx.metrics->intervalSec());
                call->finish(Answer::json(200, body));
            });
    });
}

} // namespace gasper::master
