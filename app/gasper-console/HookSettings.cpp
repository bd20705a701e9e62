// SPDX-License-Identifier: MIT
#include "HookSettings.h"

#include "ApiClient.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QJsonArray>

namespace gasper::console {

HookSettings::HookSettings(ApiClient *api, QString app, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_app(std::move(app))
    , m_deliveries({QStringLiteral("at"), QStringLiteral("source"), QStringLiteral("event"), QStringLiteral("branch"),
                    QStringLiteral("commit"), QStringLiteral("outcome"), QStringLiteral("detail"), QStringLiteral("deploy")})
{
}

void HookSettings::show(const QJsonObject &hook)
{
    m_hook = hook;
    m_loaded = true;
    m_deliveries.setRows(hook.value(u"deliveries").toArray());
    emit changed();
}

void HookSettings::request(const QString &method, const QString &path, const QJsonValue &body, bool rotating)
{
    if (!m_busy) {
        m_busy = true;
        emit busyChanged();
    }
    m_api->send(method, path, body, this, [this, rotating](const ApiResult &r) {
        m_busy = false;
        emit busyChanged();
        const QString error = r.ok() ? QString() : r.errorMessage();
        if (m_error != error) {
            m_error = error;
            emit errorChanged();
        }
        if (!r.ok())
            return;
        show(r.json.toObject());
        if (rotating)
            emit rotated();
    });
}

void HookSettings::load()
{
    request(QStringLiteral("GET"), QStringLiteral("/api/v1/apps/%1/hooks").arg(m_app), QJsonValue(QJsonValue::Undefined), false);
}

void HookSettings::rotate()
{
    request(QStringLiteral("POST"), QStringLiteral("/api/v1/apps/%1/hooks/rotate").arg(m_app), QJsonObject(), true);
}

void HookSettings::setPoll(int seconds)
{
    request(QStringLiteral("PATCH"), QStringLiteral("/api/v1/apps/%1/hooks").arg(m_app),
            QJsonObject{{QStringLiteral("poll_seconds"), seconds}}, false);
}

void HookSettings::copy(const QString &text) const
{
    if (auto *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

void HookSettings::applyEvent(const QJsonObject &event)
{
    if (m_loaded && event.value(u"app").toString() == m_app && event.value(u"type").toString() == u"deploy.finished")
        load();
}

} // namespace gasper::console
