// SPDX-License-Identifier: MIT
#include "EventStream.h"

#include "ConsoleLog.h"

#include <QJsonDocument>
#include <QNetworkRequest>

#include <algorithm>

namespace gasper::console {

EventStream::EventStream(QObject *parent)
    : QObject(parent)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &EventStream::connectNow);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_attempts = 0;
        m_lastError.clear();
        setStatus(Status::Online);
        if (m_everConnected)
            emit resyncNeeded();
        m_everConnected = true;
    });
    connect(&m_socket, &QWebSocket::disconnected, this, &EventStream::onDisconnected);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this](QAbstractSocket::SocketError) {
        m_lastError = m_socket.errorString();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (doc.isObject())
            emit eventReceived(doc.object());
    });
}

EventStream::~EventStream()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void EventStream::start(const QUrl &url, const QString &token)
{
    stop();
    m_url = url;
    m_token = token;
    m_everConnected = false;
    connectNow();
}

void EventStream::stop()
{
    m_retry.stop();
    m_url = QUrl();
    m_socket.abort();
    setStatus(Status::Idle);
}

int EventStream::retryInMs() const
{
    return m_retry.isActive() ? m_retry.remainingTime() : 0;
}

void EventStream::connectNow()
{
    if (!m_url.isValid())
        return;
    ++m_attempts;
    setStatus(Status::Connecting);
    QNetworkRequest request(m_url);
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_socket.open(request);
}

void EventStream::onDisconnected()
{
    if (!m_url.isValid()) {
        setStatus(Status::Idle);
        return;
    }
    const int backoff = std::min(m_maxBackoffMs, 500 * (1 << std::min(m_attempts, 10)));
    qCInfo(lcConsole) << "event stream down:" << m_lastError << "- retrying in" << backoff << "ms";
    m_retry.start(backoff);
    setStatus(Status::Waiting);
}

void EventStream::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    emit statusChanged();
}

} // namespace gasper::console
