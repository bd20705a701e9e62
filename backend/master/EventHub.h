// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace gasper::http {
class WebSocketConnection;
}

namespace gasper::master {

// Fans events out to the WebSocket clients of /api/v1/events: each client sees the
// events of its own apps and databases; admins see all.
class EventHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventHub)
public:
    using QObject::QObject;
    void add(http::WebSocketConnection *connection, qint64 userId, bool admin);
    void publish(qint64 ownerId, const QJsonObject &event);
    int subscriberCount() const { return int(m_subscribers.size()); }
    quint64 published() const { return m_published; }

private:
    struct Subscriber
    {
        QPointer<http::WebSocketConnection> connection;
        qint64 userId = 0;
        bool admin = false;
    };
    QHash<http::WebSocketConnection *, Subscriber> m_subscribers;
    quint64 m_published = 0;
};

} // namespace gasper::master
