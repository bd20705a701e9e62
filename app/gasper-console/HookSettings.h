// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include "JsonListModel.h"

#include <QJsonObject>
#include <QObject>

namespace gasper::console {

class ApiClient;

// Push to deploy for one app, as the app page's "Push to deploy" tab shows it: the webhook
// URL and secret (GET /api/v1/apps/{name}/hooks), a new secret (POST …/hooks/rotate), the
// polling period (PATCH …/hooks) and the last deliveries. Loaded on first use (load()), then
// again when a deploy of the app ends (applyEvent). Owned by AppDetail; every request is
// guarded by this object. The secret is held only as long as the page and never logged.
class HookSettings final : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(HookSettings)
    Q_PROPERTY(bool loaded READ loaded NOTIFY changed)
    Q_PROPERTY(QString url READ url NOTIFY changed)
    Q_PROPERTY(QString secret READ secret NOTIFY changed)
    Q_PROPERTY(QString branch READ branch NOTIFY changed)
    Q_PROPERTY(int pollSeconds READ pollSeconds NOTIFY changed)
    Q_PROPERTY(int minPollSeconds READ minPollSeconds NOTIFY changed)
    Q_PROPERTY(JsonListModel *deliveries READ deliveries CONSTANT)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)

public:
    HookSettings(ApiClient *api, QString app, QObject *parent = nullptr);

    bool loaded() const { return m_loaded; }
    QString url() const { return m_hook.value(u"url").toString(); }
    QString secret() const { return m_hook.value(u"secret").toString(); }
    QString branch() const { return m_hook.value(u"branch").toString(); }
    int pollSeconds() const { return m_hook.value(u"poll_seconds").toInt(); }
    int minPollSeconds() const { return m_hook.value(u"min_poll_seconds").toInt(30); }
    JsonListModel *deliveries() { return &m_deliveries; }
    QString error() const { return m_error; }
    bool busy() const { return m_busy; }

    Q_INVOKABLE void load();
    Q_INVOKABLE void rotate();
    Q_INVOKABLE void setPoll(int seconds);  // 0: off
    Q_INVOKABLE void copy(const QString &text) const;  // to the clipboard

    void applyEvent(const QJsonObject &event);  // deploy.finished of the app: deliveries again

signals:
    void changed();
    void errorChanged();
    void busyChanged();
    void rotated();

private:
    void request(const QString &method, const QString &path, const QJsonValue &body, bool rotating);
    void show(const QJsonObject &hook);

    ApiClient *m_api;
    QString m_app;
    QJsonObject m_hook;
    JsonListModel m_deliveries;
    QString m_error;
    bool m_loaded = false;
    bool m_busy = false;
};

} // namespace gasper::console
