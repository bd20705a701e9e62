// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace gasper::console {

// The live feed of `WS /api/v1/events`. Keeps one WebSocket open to the master and, when it
// drops (gasperd stopped, network gone), reconnects with exponential back-off (0.5 s doubling
// up to 15 s, reset by a successful connect). Every connect after the first emits
// resyncNeeded(): events sent while the stream was down are lost, so the owner re-lists.
// A frame that is not a JSON object is ignored; unknown event types are passed on as they are.
class EventStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventStream)

public:
    enum class Status { Idle, Connecting, Online, Waiting };
    Q_ENUM(Status)

    explicit EventStream(QObject *parent = nullptr);
    ~EventStream() override;

    void start(const QUrl &url, const QString &token);
    void stop();

    Status status() const { return m_status; }
    // Milliseconds until the next attempt while Waiting.
    int retryInMs() const;
    int attempts() const { return m_attempts; }
    QString lastError() const { return m_lastError; }
    void setMaxBackoffMs(int ms) { m_maxBackoffMs = ms; }

signals:
    void eventReceived(const QJsonObject &event);
    void statusChanged();
    void resyncNeeded();

private:
    void connectNow();
    void onDisconnected();
    void setStatus(Status status);

    QWebSocket m_socket;
    QTimer m_retry;
    QUrl m_url;
    QString m_token;
    Status m_status = Status::Idle;
    int m_attempts = 0;
    int m_maxBackoffMs = 15000;
    bool m_everConnected = false;
    QString m_lastError;
};

} // namespace gasper::console
