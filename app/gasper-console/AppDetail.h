// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include "EnvModel.h"
#include "HookSettings.h"
#include "JsonListModel.h"
#include "LineModel.h"
#include "LogStream.h"
#include "MetricsSeries.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QVariantMap>

namespace gasper::console {

class ApiClient;

// Everything the app page shows about one app: the app itself, its deploy history, the
// deploy in progress (steps with durations, output lines, fed by events), metrics (the stored series
// of a range, moved by app.metrics events), the log stream and the env editor. Owned by the Session;
// all requests are guarded by this object, so closing the page cancels their effects.
class AppDetail final : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(AppDetail)
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(QVariantMap app READ app NOTIFY appChanged)
    Q_PROPERTY(QString state READ state NOTIFY appChanged)
    Q_PROPERTY(JsonListModel *deploys READ deploys CONSTANT)
    Q_PROPERTY(JsonListModel *steps READ steps CONSTANT)
    Q_PROPERTY(LineModel *output READ output CONSTANT)
    Q_PROPERTY(int deployNumber READ deployNumber NOTIFY deployChanged)
    Q_PROPERTY(QString deployStatus READ deployStatus NOTIFY deployChanged)
    Q_PROPERTY(int deployMs READ deployMs NOTIFY deployChanged)
    Q_PROPERTY(MetricsSeries *metrics READ metrics CONSTANT)
    Q_PROPERTY(LogStream *logs READ logs CONSTANT)
    // A past deploy's own output (build, release, Gasper's lines), kept by the master.
    Q_PROPERTY(LineModel *historyLog READ historyLog CONSTANT)
    Q_PROPERTY(int historyLogNumber READ historyLogNumber NOTIFY historyLogChanged)
    Q_PROPERTY(QString historyLogError READ historyLogError NOTIFY historyLogChanged)
    Q_PROPERTY(EnvModel *env READ env CONSTANT)
    Q_PROPERTY(HookSettings *hooks READ hooks CONSTANT)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)

public:
    AppDetail(ApiClient *api, QString name, QObject *parent = nullptr);

    QString name() const { return m_name; }
    QVariantMap app() const { return m_app.toVariantMap(); }
    QString state() const { return m_app.value(u"state").toString(); }
    JsonListModel *deploys() { return &m_deploys; }
    JsonListModel *steps() { return &m_steps; }
    LineModel *output() { return &m_output; }
    int deployNumber() const { return m_deployNumber; }
    QString deployStatus() const { return m_deployStatus; }
    int deployMs() const { return m_deployMs; }
    MetricsSeries *metrics() { return &m_metrics; }
    LogStream *logs() { return &m_logs; }
    LineModel *historyLog() { return &m_historyLog; }
    int historyLogNumber() const { return m_historyLogNumber; }
    QString historyLogError() const { return m_historyLogError; }
    EnvModel *env() { return &m_env; }
    HookSettings *hooks() { return &m_hooks; }
    QString error() const { return m_error; }
    bool busy() const { return m_busy > 0; }

    Q_INVOKABLE void refresh();
    Q_INVOKABLE void refreshDeploys();
    Q_INVOKABLE void loadMetrics();
    Q_INVOKABLE void setMetricsRange(const QString &range);  // 1h, 24h, 30d
    // rebuild, restart, stop, start
    Q_INVOKABLE void action(const QString &verb);
    Q_INVOKABLE void saveEnv();
    // POST …/rollback {"deploy": N}: the commit of deploy N again (actionDone "rollback").
    Q_INVOKABLE void rollback(int deploy);
    // Whether the history offers "Roll back to this deploy" for deploy N: an earlier deploy
    // that succeeded and recorded a commit, not the one serving now.
    Q_INVOKABLE bool canRollBackTo(int deploy) const;
    // PATCH {"health": …} from the settings' three fields (all empty: the default check);
    // a deploy follows (actionDone "health").
    Q_INVOKABLE void saveHealth(const QString &path, const QString &status, const QString &timeout);
    static QJsonValue healthBody(const QString &path, const QString &status, const QString &timeout);
    Q_INVOKABLE void loadDeployLog(int number);
    // Loads deploy `number`'s kept output into historyLog (0: clears it).
    Q_INVOKABLE void loadHistoryLog(int number);

    // An event of the caller's stream; ignored unless it is about this app.
    void applyEvent(const QJsonObject &event);

signals:
    void appChanged();
    void deployChanged();
    void errorChanged();
    void busyChanged();
    void historyLogChanged();
    void actionDone(const QString &verb, bool ok, const QString &message);

private:
    void setApp(const QJsonObject &app);
    void setError(const QString &error);
    void beginBusy();
    void endBusy();
    void startDeploy(int number);

    ApiClient *m_api;
    QString m_name;
    QJsonObject m_app;
    JsonListModel m_deploys;
    JsonListModel m_steps;
    LineModel m_output;
    int m_deployNumber = 0;
    QString m_deployStatus;
    int m_deployMs = 0;
    MetricsSeries m_metrics;
    bool m_metricsLoading = false;
    LogStream m_logs;
    LineModel m_historyLog;
    int m_historyLogNumber = 0;
    QString m_historyLogError;
    EnvModel m_env;
    HookSettings m_hooks;  // push to deploy
    QString m_error;
    int m_busy = 0;
};

} // namespace gasper::console
