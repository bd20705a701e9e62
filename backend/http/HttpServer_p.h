// SPDX-License-Identifier: MIT
#pragma once

// The server's per-connection state; not part of the library's API.

#include "http/HttpServer.h"


namespace gasper::http::detail {

// One accepted TCP connection speaking HTTP/1.1: reads and parses requests one at a
// time, hands each complete request to the server's handler through an HttpResponder,
// and only parses the next one after that response ended (so pipelined answers come in
// order and a busy connection stops reading, which pushes back on the client through
// TCP). Its deadlines, caps and write bound are the server's ConnectionCore's.
// Deletes itself (deleteLater) when the socket closes.
class HttpConnection final : public QObject, public GuardedConnection
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    HttpConnection(HttpServer *server, QTcpSocket *socket);
    ~HttpConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    HttpServer *server() const { return m_server; }
    bool isWritable() const;
    void write(const QByteArray &data);
    // The current response ended; close the connection or go on with the next request.
    void responseFinished(bool closeConnection);
    // Hands the socket, with the upgrade request's bytes put back, to Qt WebSockets.
    WebSocketConnection *upgradeToWebSocket();

private:
    void pump();
    void dispatch();
    void answerError(int status, const QString &message);
    void closeGracefully();
    void onDisconnected();
    void onBytesWritten(qint64 bytes);
    qint64 queuedBytes() const override;
    void expired(Expiry why) override;

    HttpServer *m_server;
    QTcpSocket *m_socket;
    Parser m_parser;
    Request m_request;
    QPointer<HttpResponder> m_responder;
    bool m_busy = false;      // a request is with the handler
    bool m_closing = false;   // no more requests are read
    bool m_shutdownPending = false;
    bool m_gone = false;
};

} // namespace gasper::http::detail
