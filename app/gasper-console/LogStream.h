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
class LogStream final : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(LogStream)
    Q_PROPERTY(bool active READ active NOTIFY activeChanged)
    Q_PROPERTY(QString error READ error NOTIFY activeChanged)
    Q_PROPERTY(LineModel *lines READ lines CONSTANT)

public:
    LogStream(ApiClient *api, QString app, QObject *parent = nullptr);
    ~LogStream() override;

    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();
    bool active() const { return m_reply != nullptr; }
    QString error() const { return m_error; }
    LineModel *lines() { return &m_lines; }

signals:
    void activeChanged();

private:
    ApiClient *m_api;
    QString m_app;
    LineModel m_lines;
    QPointer<QNetworkReply> m_reply;
    QString m_error;
};

} // namespace gasper::console
