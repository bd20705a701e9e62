// SPDX-License-Identifier: MIT
#include "AppDetail.h"

#include "ApiClient.h"

#include <QJsonArray>
#include <QUrl>

namespace gasper::console {

AppDetail::AppDetail(ApiClient *api, QString name, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_name(std::move(name))
    , m_deploys({QStringLiteral("number"), QStringLiteral("status"), QStringLiteral("trigger"),
                 QStringLiteral("total_ms"), QStringLiteral("started_at"), QStringLiteral("commit"),
                 QStringLiteral("error"), QStringLiteral("steps"), QStringLiteral("rollback_to")})
    , m_steps({QStringLiteral("name"), QStringLiteral("status"), QStringLiteral("ms")})
    , m_output(2000)
    , m_logs(api, m_name)
    , m_hooks(api, m_name)
{
}

void AppDetail::beginBusy()
{
    if (m_busy++ == 0)
        emit busyChanged();
}

void AppDetail::endBusy()
{
    if (--m_busy == 0)
        emit busyChanged();
}

void AppDetail::setError(const QString &error)
{
    if (m_error != error) {
        m_error = error;
        emit errorChanged();
    }
}

void AppDetail::setApp(const QJsonObject &app)
{
    const bool envChanged = app.value(u"env") != m_app.value(u"env");
    m_app = app;
    if (envChanged && !m_env.dirty())
        m_env.load(app.value(u"env").toObject());
    emit appChanged();
}

void AppDetail::refresh()
{
    beginBusy();
    m_api->get(QStringLiteral("/api/v1/apps/") + m_name, this, [this](const ApiResult &r) {
        endBusy();
        if (!r.ok())
            return setError(r.errorMessage());
        setError({});
        setApp(r.json.toObject());
    });
    refreshDeploys();
    loadMetrics();
}

void AppDetail::refreshDeploys()
{
    m_api->get(QStringLiteral("/api/v1/apps/%1/deploys").arg(m_name), this, [this](const ApiResult &r) {
        if (!r.ok())
            return;
        const QJsonArray deploys = r.json.toObject().value(u"deploys").toArray();
        m_deploys.setRows(deploys);
        // The newest deploy is what the deploy view shows until an event says otherwise.
        if (!deploys.isEmpty() && m_deployNumber <= deploys.first().toObject().value(u"number").toInt()) {
            const QJsonObject newest = deploys.first().toObject();
            const int number = newest.value(u"number").toInt();
            if (number != m_deployNumber) {
                m_deployNumber = number;
                m_output.clear();
                loadDeployLog(number);
            }
            m_steps.setRows(newest.value(u"steps").toArray());
            m_deployStatus = newest.value(u"status").toString();
            m_deployMs = newest.value(u"total_ms").toInt();
            emit deployChanged();
        }
    });
}

void AppDetail::loadDeployLog(int number)
{
    m_api->get(QStringLiteral("/api/v1/apps/%1/deploys/%2/log").arg(m_name).arg(number), this,
               [this, number](const ApiResult &r) {
        // Lines that came by event meanwhile are in the log too: the log wins.
        if (!r.ok() || number != m_deployNumber)
            return;
        m_output.clear();
        m_output.appendText(r.body.endsWith('\n') ? r.body : r.body + '\n');
    });
}

void AppDetail::loadHistoryLog(int number)
{
    m_historyLog.clear();
    m_historyLogNumber = number;
    m_historyLogError.clear();
    emit historyLogChanged();
    if (number <= 0)
        return;
    m_api->get(QStringLiteral("/api/v1/apps/%1/deploys/%2/log?format=json").arg(m_name).arg(number), this,
               [this, number](const ApiResult &r) {
        if (number != m_historyLogNumber)
            return;  // another deploy was picked meanwhile
        if (!r.ok()) {
            m_historyLogError = r.errorMessage();
            emit historyLogChanged();
            return;
        }
        const QJsonArray lines = r.json.toObject().value(u"lines").toArray();
        for (const QJsonValue &l : lines)
            m_historyLog.appendLine(l.toObject().value(u"line").toString(), l.toObject().value(u"stream").toString());
        emit historyLogChanged();
    });
}

void AppDetail::loadMetrics()
{
    // The stored series of the range; live points come as app.metrics events (applyEvent).
    const QString range = m_metrics.range();
    m_metricsLoading = true;
    m_api->get(QStringLiteral("/api/v1/apps/%1/metrics?since=%2").arg(m_name, range), this, [this, range](const ApiResult &r) {
        m_metricsLoading = false;
        if (!r.ok() || range != m_metrics.range())
            return;
        m_metrics.load(r.json.toObject());
    });
}

void AppDetail::setMetricsRange(const QString &range)
{
    m_metrics.setRange(range);
    loadMetrics();
}

void AppDetail::action(const QString &verb)
{
    beginBusy();
    m_api->send(QStringLiteral("POST"), QStringLiteral("/api/v1/apps/%1/%2").arg(m_name, verb), QJsonObject(), this,
                [this, verb](const ApiResult &r) {
        endBusy();
        if (r.ok())
            setApp(r.json.toObject());
        setError(r.ok() ? QString() : r.errorMessage());
        emit actionDone(verb, r.ok(), r.errorMessage());
        if (r.ok())
            refreshDeploys();
    });
}

void AppDetail::saveEnv()
{
    const QJsonObject patch = m_env.mergePatch();
    if (patch.isEmpty())
        return;
    beginBusy();
    m_api->send(QStringLiteral("PATCH"), QStringLiteral("/api/v1/apps/") + m_name,
                QJsonObject{{QStringLiteral("env"), patch}}, this, [this](const ApiResult &r) {
        endBusy();
        setError(r.ok() ? QString() : r.errorMessage());
        if (r.ok()) {
            m_env.load(r.json.toObject().value(u"env").toObject());
            setApp(r.json.toObject());
            refreshDeploys();
        }
        emit actionDone(QStringLiteral("env"), r.ok(), r.errorMessage());
    });
}

void AppDetail::rollback(int deploy)
{
    beginBusy();
    m_api->send(QStringLiteral("POST"), QStringLiteral("/api/v1/apps/%1/rollback").arg(m_name),
                QJsonObject{{QStringLiteral("deploy"), deploy}}, this, [this](const ApiResult &r) {
        endBusy();
        if (r.ok())
            setApp(r.json.toObject());
        setError(r.ok() ? QString() : r.errorMessage());
        emit actionDone(QStringLiteral("rollback"), r.ok(), r.errorMessage());
        if (r.ok())
            refreshDeploys();
    });
}

bool AppDetail::canRollBackTo(int deploy) const
{
    // Earlier deploys that served (succeeded) and recorded a commit; not the one serving now,
    // the newest that succeeded: that would be a rebuild of the same code.
    bool newestGoodSeen = false;
    for (int row = 0; row < m_deploys.count(); ++row) {
        const QJsonObject d = m_deploys.at(row);
        if (d.value(u"status").toString() != u"succeeded")
            continue;
        if (!newestGoodSeen) {
            newestGoodSeen = true;
            if (d.value(u"number").toInt() == deploy)
                return false;
            continue;
        }
        if (d.value(u"number").toInt() == deploy)
            return !d.value(u"commit").toString().isEmpty();
    }
    return false;
}

QJsonValue AppDetail::healthBody(const QString &path, const QString &status, const QString &timeout)
{
    QJsonObject health;
    if (!path.trimmed().isEmpty())
        health.insert(QStringLiteral("path"), path.trimmed());
    // Not a number: sent as it is, so the API's own message says what is wrong.
    for (const auto &[key, text] : {std::pair{QStringLiteral("status"), status.trimmed()},
                                    std::pair{QStringLiteral("timeout"), timeout.trimmed()}}) {
        if (text.isEmpty())
            continue;
        bool ok = false;
        const int n = text.toInt(&ok);
        health.insert(key, ok ? QJsonValue(n) : QJsonValue(text));
    }
    return health.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(health);
}

void AppDetail::saveHealth(const QString &path, const QString &status, const QString &timeout)
{
    beginBusy();
    m_api->send(QStringLiteral("PATCH"), QStringLiteral("/api/v1/apps/") + m_name,
                QJsonObject{{QStringLiteral("health"), healthBody(path, status, timeout)}}, this, [this](const ApiResult &r) {
        endBusy();
        setError(r.ok() ? QString() : r.errorMessage());
        if (r.ok()) {
            setApp(r.json.toObject());
            refreshDeploys();
        }
        emit actionDone(QStringLiteral("health"), r.ok(), r.errorMessage());
    });
}

void AppDetail::startDeploy(int number)
{
    m_deployNumber = number;
    m_deployStatus = QStringLiteral("running");
    m_deployMs = 0;
    m_steps.clear();
    m_output.clear();
    emit deployChanged();
}

void AppDetail::applyEvent(const QJsonObject &event)
{
    if (event.value(u"app").toString() != m_name)
        return;
    m_hooks.applyEvent(event);
    const QString type = event.value(u"type").toString();
    if (type == u"app.metrics") {
        // Nothing loaded yet (the first answer failed or is on its way): ask again.
        if (!m_metrics.applySample(event) && m_metrics.stepS() == 0 && !m_metricsLoading)
            loadMetrics();
        return;
    }
    if (type == u"app.state") {
        m_app.insert(QStringLiteral("state"), event.value(u"state"));
        if (event.contains(u"detail"))
            m_app.insert(QStringLiteral("last_error"), event.value(u"detail"));
        emit appChanged();
        return;
    }
    const int number = event.value(u"deploy").toInt();
    if (type == u"deploy.step" || type == u"deploy.output" || type == u"deploy.finished") {
        if (number > m_deployNumber)
            startDeploy(number);
        if (number != m_deployNumber)
            return;
    }
    if (type == u"deploy.step") {
        QJsonObject step{{QStringLiteral("name"), event.value(u"step")}, {QStringLiteral("status"), event.value(u"status")}};
        step.insert(QStringLiteral("ms"), event.value(u"ms").toInt());
        m_steps.upsert(QStringLiteral("name"), step);
    } else if (type == u"deploy.output") {
        m_output.appendLine(event.value(u"line").toString(), event.value(u"stream").toString());
    } else if (type == u"deploy.finished") {
        m_deployStatus = event.value(u"status").toString();
        m_deployMs = event.value(u"ms").toInt();
        emit deployChanged();
        refresh();
    }
}

} // namespace gasper::console
