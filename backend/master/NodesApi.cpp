// SPDX-License-Identifier: MIT
#include "master/NodesApi.h"

#include "apps/AppWorker.h"
#include "http/HttpServer.h"
#include "master/AppStates.h"
#include "master/EventHub.h"
#include "master/MetricsQuery.h"
#include "master/MetricsRecorder.h"
#include "store/AsyncStore.h"

#include <QFile>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gasper::master {

NodesApi::NodesApi(const ApiContext &context, QObject *parent) : ApiResource(context, parent)
{
    m_uptime.start();
}

void NodesApi::addRoutes(Router &r)
{
    r.add("GET", u"/healthz"_s, Access::Public, this, &NodesApi::healthz);
    r.add("GET", u"/metrics"_s, Access::Public, this, &NodesApi::metrics);
    r.add("GET", u"/api/v1/openapi.json"_s, Access::Public, this, &NodesApi::openApi);
    r.add("GET", u"/api/v1/nodes"_s, Access::Admin, this, &NodesApi::nodes);
    r.add("GET", u"/api/v1/nodes/{name}/metrics"_s, Access::Admin, this, &NodesApi::nodeMetrics);
}

Reply NodesApi::healthz(const CallPtr &)
{
    return Answer::json(200, QJsonObject{{u"status"_s, u"ok"_s}, {u"uptime_s"_s, m_uptime.elapsed() / 1000}});
}

Reply NodesApi::metrics(const CallPtr &)
{
    QByteArray text;
    text += "# HELP gasper_up 1 while gasperd runs.\n# TYPE gasper_up gauge\ngasper_up 1\n";
    text += "# HELP gasper_uptime_seconds Seconds since gasperd started.\n# TYPE gasper_uptime_seconds gauge\n";
    text += "gasper_uptime_seconds " + QByteArray::number(m_uptime.elapsed() / 1000) + '\n';
    QHash<QString, int> byState;
    for (const QString &s : {u"queued"_s, u"cloning"_s, u"building"_s, u"starting"_s, u"running"_s,
                             u"restarting"_s, u"failed"_s, u"stopped"_s})
        byState.insert(s, 0);
    const AppStates *states = m_ctx.states;
    for (const AppStates::LiveApp &a : states->all())
        byState[toString(a.state)] += 1;
    text += "# HELP gasper_apps Apps by state.\n# TYPE gasper_apps gauge\n";
    for (auto it = byState.cbegin(); it != byState.cend(); ++it)
        text += "gasper_apps{state=\"" + it.key().toUtf8() + "\"} " + QByteArray::number(it.value()) + '\n';
    text += "# HELP gasper_deploys_total Finished deploys by result.\n# TYPE gasper_deploys_total counter\n";
    text += "gasper_deploys_total{result=\"succeeded\"} " + QByteArray::number(states->deploysSucceeded()) + '\n';
    text += "gasper_deploys_total{result=\"failed\"} " + QByteArray::number(states->deploysFailed()) + '\n';
    text += "# HELP gasper_deploy_seconds_sum Time spent in successful deploys.\n# TYPE gasper_deploy_seconds_sum counter\n";
    text += "gasper_deploy_seconds_sum " + QByteArray::number(states->deploySecondsSum(), 'f', 3) + '\n';
    text += "# HELP gasper_api_responses_total API responses by status.\n# TYPE gasper_api_responses_total counter\n";
    const QHash<int, quint64> &responses = m_ctx.router->responsesByStatus();
    for (auto it = responses.cbegin(); it != responses.cend(); ++it)
        text += "gasper_api_responses_total{status=\"" + QByteArray::number(it.key()) + "\"} "
                + QByteArray::number(it.value()) + '\n';
    text += "# HELP gasper_event_subscribers Open WebSocket event streams.\n# TYPE gasper_event_subscribers gauge\n";
    text += "gasper_event_subscribers " + QByteArray::number(m_ctx.hub->subscriberCount()) + '\n';
    text += "# HELP gasper_api_connections Open API connections.\n# TYPE gasper_api_connections gauge\n";
    text += "gasper_api_connections " + QByteArray::number(m_ctx.server ? m_ctx.server->connectionCount() : 0) + '\n';
    if (m_ctx.metrics)
        text += m_ctx.metrics->prometheus();
    if (m_extraMetrics)
        text += m_extraMetrics();
    return Answer::text(text, "text/plain; version=0.0.4; charset=utf-8");
}

Reply NodesApi::openApi(const CallPtr &)
{
    // docs/openapi.json, compiled in (backend/master/CMakeLists.txt); a test keeps it and
    // the router's table the same.
    static const QByteArray description = [] {
        QFile file(u":/gasper/openapi.json"_s);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    if (description.isEmpty())
        return fail(u"internal-error"_s, u"the OpenAPI description is missing from this build"_s);
    return Answer::text(description, "application/json");
}

void NodesApi::nodes(const CallPtr &call)
{
    if (!m_ctx.worker)
        return call->fail(u"internal-error"_s, u"no app worker"_s);
    m_ctx.worker->nodeStatus(this, [this, call](Result<QJsonObject> node) {
        QJsonObject shown = node ? *node : QJsonObject{{u"name"_s, m_ctx.worker->nodeName()}};
        shown.insert(u"status"_s, node ? u"ready"_s : u"unreachable"_s);
        if (!node)
            shown.insert(u"error"_s, node.error().message);
        if (const auto latest = m_ctx.metrics ? m_ctx.metrics->latestNode() : std::nullopt)
            shown.insert(u"metrics"_s, MetricsRecorder::toJson(*latest));
        call->finish(Answer::json(200, QJsonObject{{u"nodes"_s, QJsonArray{shown}}}));
    });
}

void NodesApi::nodeMetrics(const CallPtr &call)
{
    const QString name = call->param(u"name"_s);
    if (!m_ctx.worker || name != m_ctx.worker->nodeName())
        return call->fail(u"not-found"_s, u"no node named %1"_s.arg(name));
    auto plan = metrics::planFromQuery(m_ctx.metrics->tiers(), QDateTime::currentMSecsSinceEpoch(),
                                       call->queryValue(u"since"_s), call->queryValue(u"until"_s),
                                       call->queryValue(u"step"_s));
    if (!plan)
        return call->fail(plan.error());
    m_ctx.store
        ->run([name, plan = *plan](store::Store &s) { return s.nodeMetrics(name, plan.tierStepSec, plan.fromMs, plan.toMs); })
        .then(this, [this, call, name, plan = *plan](const Result<QList<store::MetricsPoint>> &points) {
            if (!points)
                return call->fail(points.error());
            QJsonObject body = metrics::align(*points, store::Store::nodeMetricsColumns(), plan);
            body.insert(u"node"_s, name);
            body.insert(u"interval_s"_s, m_ctx.metrics->intervalSec());
            call->finish(Answer::json(200, body));
        });
}

} // namespace gasper::master
