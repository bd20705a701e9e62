// SPDX-License-Identifier: MIT
#pragma once

// A small HTTP/1.1 client for tests that run the server in their own thread: it waits
// in a nested event loop (the server keeps working meanwhile) and can send from any
// loopback source address (127.0.0.2, …), which Qt's network access manager cannot.

#include <QByteArray>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTcpSocket>
#include <QTimer>

#include <utility>

namespace gasper::testing {

struct HttpAnswer
{
    int status = 0;  // 0: no answer (connection refused, timeout)
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[n, v] : headers) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const { return json().value(u"error").toObject().value(u"code").toString(); }
};

namespace detail {

inline HttpAnswer parseAnswer(const QByteArray &received)
{
    HttpAnswer answer;
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end < 0 || !received.startsWith("HTTP/1."))
        return answer;
    const QList<QByteArray> lines = received.left(end).split('\n');
    answer.status = lines.first().mid(9, 3).toInt();
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        answer.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        if (line.left(colon).trimmed().compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            chunked = line.mid(colon + 1).trimmed().compare("chunked", Qt::CaseInsensitive) == 0;
    }
    QByteArray rest = received.mid(end + 4);
    if (!chunked) {
        answer.body = rest;
        return answer;
    }
    while (!rest.isEmpty()) {
        const qsizetype nl = rest.indexOf("\r\n");
        if (nl < 0)
            break;
        bool ok = false;
        const qsizetype size = rest.left(nl).split(';').first().trimmed().toLongLong(&ok, 16);
        if (!ok || size == 0)
            break;
        answer.body += rest.mid(nl + 2, size);
        rest = rest.mid(nl + 2 + size + 2);
    }
    return answer;
}

} // namespace detail

// One request on its own connection (Connection: close), started at once and answered
// when the server closes the connection: several can be under way together.
// `extraHead` is added to the head as is ("Authorization: Bearer …\r\n").
class HttpExchange
{
public:
    HttpExchange(quint16 port, const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                 const QByteArray &extraHead = {}, const QHostAddress &source = QHostAddress::LocalHost)
    {
        if (source != QHostAddress::LocalHost && !m_socket.bind(source, 0)) {
            m_done = true;
            return;
        }
        QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHead;
        if (!body.isNull())
            request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        request += "\r\n" + body;
        QObject::connect(&m_socket, &QTcpSocket::connected, &m_socket, [this, request] { m_socket.write(request); });
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { m_received += m_socket.readAll(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, &m_socket, [this] { m_done = true; });
        QObject::connect(&m_socket, &QTcpSocket::errorOccurred, &m_socket, [this](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                m_done = true;
        });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    Q_DISABLE_COPY_MOVE(HttpExchange)

    bool isDone() const { return m_done; }
    // Waits in a nested event loop (the server in this thread keeps working).
    bool wait(int timeoutMs = 10000)
    {
        QElapsedTimer clock;
        clock.start();
        QEventLoop loop;
        QTimer tick;
        QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
            if (m_done || clock.elapsed() >= timeoutMs)
                loop.quit();
        });
        tick.start(2);
        if (!m_done)
            loop.exec();
        return m_done;
    }
    // What arrived so far (all of it once done).
    HttpAnswer answer()
    {
        m_received += m_socket.readAll();
        return detail::parseAnswer(m_received);
    }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_done = false;
};

inline HttpAnswer httpCall(quint16 port, const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                           const QByteArray &extraHead = {}, const QHostAddress &source = QHostAddress::LocalHost,
                           int timeoutMs = 10000)
{
    HttpExchange exchange(port, method, target, body, extraHead, source);
    exchange.wait(timeoutMs);
    return exchange.answer();
}

} // namespace gasper::testing
