// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include "LineModel.h"

#include <QObject>
#include <QPointer>

#include <QNetworkReply>

namespace gasper::console {

class ApiClient;

// `GET /api/v1/apps/{name}/logs?tail=200&follow=1` into a LineModel, chunk by chunk as the
// master sends it. The stream ends when the container stops or the master goes away;
// `active` says whether it is open. Pausing is the view's business (it stops scrolling):
// lines keep arriving so nothing is lost while the user reads.
// The master filters: `search` (grep=, as a regular expression with `regex`), `since`
// (ISO time or a duration ago: 10m, 1h), `timestamps`, and `deploy` (a past deploy's app
// log, kept when a rebuild replaced its container; 0: the live container, followed).
// Changing one restarts the stream. download() saves the same query, whole, to a file
// (written on a worker thread) and emits downloaded() once.
class LogStream final : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(LogStream)
    Q_PROPERTY(bool active READ active NOTIFY activeChanged)
    Q_PROPERTY(QString error READ error NOTIFY activeChanged)
    Q_PROPERTY(LineModel *lines READ lines CONSTANT)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY queryChanged)
    Q_PROPERTY(bool regex READ regex WRITE setRegex NOTIFY queryChanged)
    Q_PROPERTY(bool timestamps READ timestamps WRITE setTimestamps NOTIFY queryChanged)
    Q_PROPERTY(QString since READ since WRITE setSince NOTIFY queryChanged)
    Q_PROPERTY(int deploy READ deploy WRITE setDeploy NOTIFY queryChanged)

public:
    LogStream(ApiClient *api, QString app, QObject *parent = nullptr);
    ~LogStream() override;

    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();
    bool active() const { return m_reply != nullptr; }
    QString error() const { return m_error; }
    LineModel *lines() { return &m_lines; }

    QString search() const { return m_search; }
    void setSearch(const QString &search);
    bool regex() const { return m_regex; }
    void setRegex(bool regex);
    bool timestamps() const { return m_timestamps; }
    void setTimestamps(bool timestamps);
    QString since() const { return m_since; }
    void setSince(const QString &since);
    int deploy() const { return m_deploy; }
    void setDeploy(int deploy);
    // The path of GET …/logs for the current query (tests read it).
    Q_INVOKABLE QString path(bool forDownload = false) const;
    // Saves the whole log of the current query to `file` (a path or a file:// URL).
    Q_INVOKABLE void download(const QUrl &file);

signals:
    void activeChanged();
    void queryChanged();
    void downloaded(const QString &path, const QString &error);

private:
    ApiClient *m_api;
    QString m_app;
    LineModel m_lines;
    QPointer<QNetworkReply> m_reply;
    QString m_error;
    QString m_search;
    bool m_regex = false;
    bool m_timestamps = false;
    QString m_since;
    int m_deploy = 0;
    bool m_wanted = false;  // started and not stopped: a query change restarts it

    void changed();
};

} // namespace gasper::console
