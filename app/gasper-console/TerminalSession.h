// SPDX-License-Identifier: MIT
#pragma once

#include "TerminalScreen.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QWebSocket>

namespace gasper::console {

class Session;

// A shell in an app's container over `WS /api/v1/apps/{name}/terminal?cols=&rows=`
// (DESIGN.md): binary frames carry terminal bytes both ways, text frames are JSON control —
// `{"resize":[cols,rows]}` from here whenever the screen changes size, `{"exit":code}` from
// the server before it closes. Owns its TerminalScreen; a TerminalView draws it.
class TerminalSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(TerminalSession)
    Q_PROPERTY(Session *session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QString app READ app WRITE setApp NOTIFY appChanged)
    Q_PROPERTY(TerminalScreen *screen READ screen CONSTANT)
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    Q_PROPERTY(int exitCode READ exitCode NOTIFY statusChanged)
    Q_PROPERTY(QString error READ error NOTIFY statusChanged)

public:
    explicit TerminalSession(QObject *parent = nullptr);
    ~TerminalSession() override;

    Session *session() const { return m_session; }
    void setSession(Session *session);
    QString app() const { return m_app; }
    void setApp(const QString &app);
    TerminalScreen *screen() { return &m_screen; }
    // idle, connecting, open, closed
    QString status() const { return m_status; }
    int exitCode() const { return m_exitCode; }
    QString error() const { return m_error; }

    Q_INVOKABLE void open();
    Q_INVOKABLE void close();

signals:
    void sessionChanged();
    void appChanged();
    void statusChanged();

private:
    void setStatus(const QString &status);
    void sendResize();

    QPointer<Session> m_session;
    QString m_app;
    TerminalScreen m_screen;
    QWebSocket m_socket;
    QString m_status = QStringLiteral("idle");
    int m_exitCode = -1;
    QString m_error;
};

} // namespace gasper::console
