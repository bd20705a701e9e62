// SPDX-License-Identifier: MIT
#include "TerminalSession.h"

#include "Session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>

namespace gasper::console {

TerminalSession::TerminalSession(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        setStatus(QStringLiteral("open"));
        sendResize();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_error.isEmpty() && m_exitCode < 0 && m_socket.closeCode() != QWebSocketProtocol::CloseCodeNormal)
            m_error = m_socket.errorString();
        setStatus(QStringLiteral("closed"));
    });
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this](QAbstractSocket::SocketError) {
        m_error = m_socket.errorString();
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, &m_screen, &TerminalScreen::feed);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonObject control = QJsonDocument::fromJson(text.toUtf8()).object();
        if (control.contains(u"exit")) {
            m_exitCode = control.value(u"exit").toInt();
            emit statusChanged();
        }
    });
    connect(&m_screen, &TerminalScreen::output, this, [this](const QByteArray &bytes) {
        if (m_socket.state() == QAbstractSocket::ConnectedState)
            m_socket.sendBinaryMessage(bytes);
    });
    connect(&m_screen, &TerminalScreen::sizeChanged, this, &TerminalSession::sendResize);
}

TerminalSession::~TerminalSession()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void TerminalSession::setSession(Session *session)
{
    if (m_session != session) {
        m_session = session;
        emit sessionChanged();
    }
}

void TerminalSession::setApp(const QString &app)
{
    if (m_app != app) {
        m_app = app;
        emit appChanged();
    }
}

void TerminalSession::setStatus(const QString &status)
{
    if (m_status != status) {
        m_status = status;
        emit statusChanged();
    }
}

void TerminalSession::open()
{
    if (!m_session || m_app.isEmpty())
        return;
    close();
    m_exitCode = -1;
    m_error.clear();
    QUrl url = m_session->api()->webSocketUrl(QStringLiteral("/api/v1/apps/%1/terminal?cols=%2&rows=%3")
                                                  .arg(m_app)
                                                  .arg(m_screen.columns())
                                                  .arg(m_screen.rows()));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_session->api()->token().toUtf8());
    setStatus(QStringLiteral("connecting"));
    m_socket.open(request);
}

void TerminalSession::close()
{
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.close();
}

void TerminalSession::sendResize()
{
    if (m_socket.state() != QAbstractSocket::ConnectedState)
        return;
    const QJsonObject resize{{QStringLiteral("resize"), QJsonArray{m_screen.columns(), m_screen.rows()}}};
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(resize).toJson(QJsonDocument::Compact)));
}

} // namespace gasper::console
