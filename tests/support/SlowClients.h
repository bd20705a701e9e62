// SPDX-License-Identifier: MIT
#pragma once

// Hostile-but-real TCP clients for the connection-limit tests of both listeners (the
// API's HttpServer and the proxy): a crowd that trickles a request head one byte per
// tick (slowloris), and a client bound to a chosen loopback source address.

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace gasper::test {

// `count` connections to 127.0.0.1:port; every `intervalMs` each sends the next byte of
// `head` (never finishing it). Records when the server closed each one and what it
// answered.
class TricklingClients final : public QObject
{
public:
    struct Client
    {
        std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
        QByteArray received;
        qsizetype sent = 0;
        qint64 connectedAtMs = -1;
        qint64 closedAtMs = -1;
    };

    TricklingClients(int count, quint16 port, QByteArray head, int intervalMs)
        : m_head(std::move(head))
    {
        m_clock.start();
        m_clients.reserve(count);
        for (int i = 0; i < count; ++i) {
            auto c = std::make_unique<Client>();
            Client *raw = c.get();
            connect(raw->socket.get(), &QTcpSocket::connected, this, [this, raw] {
                raw->connectedAtMs = m_clock.elapsed();
                sendNext(*raw);
            });
            connect(raw->socket.get(), &QTcpSocket::readyRead, this,
                    [raw] { raw->received += raw->socket->readAll(); });
            connect(raw->socket.get(), &QTcpSocket::disconnected, this, [this, raw] {
                raw->received += raw->socket->readAll();
                raw->closedAtMs = m_clock.elapsed();
            });
            connect(raw->socket.get(), &QTcpSocket::errorOccurred, this, [this, raw] {
                if (raw->closedAtMs < 0 && raw->socket->state() == QAbstractSocket::UnconnectedState)
                    raw->closedAtMs = m_clock.elapsed();
            });
            raw->socket->connectToHost(QHostAddress::LocalHost, port);
            m_clients.push_back(std::move(c));
        }
        connect(&m_tick, &QTimer::timeout, this, [this] {
            for (const auto &c : m_clients)
                sendNext(*c);
        });
        m_tick.start(intervalMs);
    }

    int closed() const
    {
        int n = 0;
        for (const auto &c : m_clients)
            n += c->closedAtMs >= 0 ? 1 : 0;
        return n;
    }
    int answeredWith(const QByteArray &statusLinePrefix) const
    {
        int n = 0;
        for (const auto &c : m_clients)
            n += c->received.startsWith(statusLinePrefix) ? 1 : 0;
        return n;
    }
    const std::vector<std::unique_ptr<Client>> &clients() const { return m_clients; }

private:
    void sendNext(Client &c)
    {
        if (c.closedAtMs >= 0 || c.socket->state() != QAbstractSocket::ConnectedState || c.sent >= m_head.size())
            return;
        c.socket->write(m_head.mid(c.sent, 1));
        ++c.sent;
    }

    QByteArray m_head;
    QElapsedTimer m_clock;
    QTimer m_tick;
    std::vector<std::unique_ptr<Client>> m_clients;
};

// A QTcpSocket bound to `source` (say 127.0.0.2) before it connects to 127.0.0.1:port,
// so the server sees that source address.
inline std::unique_ptr<QTcpSocket> connectFrom(const QHostAddress &source, quint16 port)
{
    auto socket = std::make_unique<QTcpSocket>();
    if (!socket->bind(source, 0))
        return nullptr;
    socket->connectToHost(QHostAddress::LocalHost, port);
    return socket;
}

} // namespace gasper::test
