// SPDX-License-Identifier: MIT
#include "master/EventHub.h"

#include "http/HttpServer.h"

#include <QJsonDocument>

namespace gasper::master {

void EventHub::add(http::WebSocketConnection *connection, qint64 userId, bool admin)
{
    m_subscribers.insert(connection, Subscriber{connection, userId, admin});
    connect(connection, &http::WebSocketConnection::closed, this, [this, connection] { m_subscribers.remove(connection); });
    connect(connection, &QObject::destroyed, this, [this, connection] { m_subscribers.remove(connection); });
}

void EventHub::publish(qint64 ownerId, const QJsonObject &event)
{
    ++m_published;
    if (m_subscribers.isEmpty())
        return;
    const QByteArray text = QJsonDocument(event).toJson(QJsonDocument::Compact);
    for (const Subscriber &s : std::as_const(m_subscribers)) {
        if (s.connection && s.connection->isOpen() && (s.admin || s.userId == ownerId))
            s.connection->sendText(text);
    }
}

} // namespace gasper::master
