// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "http/ConnectionCore.h"
#include "http/HttpMessage.h"
#include "http/HttpParser.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace gasper::http {

class HttpResponder;
class WebSocketConnection;
namespace detail {
class HttpConnection;
}

// What the server allows each WebSocket after the upgrade.
struct WebSocketLimits
{
    int pingIntervalMs = 20000;  // 0: no pings; a peer silent across two pings is dropped
    qint64 maxMessageBytes = 1024 * 1024;  // larger incoming messages (or frames): close 1009
    // More than this queued for the peer (sent, not yet taken by the kernel) drops it:
    // a client that stops reading cannot grow gasperd's memory. Senders that want to
    // slow down instead watch bytesToWrite() / bytesWritten().
    qint64 maxQueuedBytes = 4 * 1024 * 1024;
};

// A small HTTP/1.1 server on QTcpServer for the master's REST and WebSocket API.
// Guarantees: keep-alive and pipelining with answers in request order (one request per
// connection is handled at a time; the next is parsed after the current response
// ended); malformed requests are answered with the parser's status and a JSON error
// body, then the connection is closed; `Expect: 100-continue` is honoured; HEAD gets
// no body; every response carries Date. Connections are admitted, capped and put on
// deadlines by a ConnectionCore (ConnectionLimits): over a cap a new connection gets
// a 503 and is closed at once; a request head that is not whole within
// headTimeoutMs gets 408 and the connection closes; idle keep-alive connections are
// dropped; a client that stops reading a response (a long `logs?follow` stream, say)
// is dropped once maxQueuedBytes are queued for it or its queue is stuck for
// sendTimeoutMs, so handlers need no flow control of their own to keep memory flat.
// WebSocket upgrades are handed to Qt WebSockets (QWebSocketServer::handleConnection).
// Everything runs asynchronously on the thread that owns the server; nothing blocks,
// and all state is per instance.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    // Called once per complete request (body collected up to Limits::maxBodyBytes).
    // The handler answers through the responder, now or later.
    using Handler = std::function<void(const Request &request, HttpResponder *responder)>;

    explicit HttpServer(Limits limits = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    void setHandler(Handler handler);
    // Words the server's own error answers (malformed requests, bad upgrades): a status and
    // a message in, the whole response out. Default: {"error":{"code","message"}} with a
    // slug for the status.
    using ErrorFormatter = std::function<Response(int status, const QString &message)>;
    void setErrorFormatter(ErrorFormatter formatter);
    Response errorResponse(int status, const QString &message) const;
    Result<void> listen(const QHostAddress &address, quint16 port);  // port 0 = any
    void close();                                                       // stops listening; open connections stay
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;

    void setConnectionLimits(const ConnectionLimits &limits);
    const ConnectionLimits &connectionLimits() const;
    void setWebSocketLimits(const WebSocketLimits &limits);
    const WebSocketLimits &webSocketLimits() const { return m_wsLimits; }
    const Limits &limits() const { return m_limits; }
    ConnectionStats connectionStats() const;

    int connectionCount() const;  // HTTP connections plus WebSockets

private:
    friend class detail::HttpConnection;
    void onNewConnection();
    void track(QObject *connection);
    WebSocketConnection *handOverWebSocket(QTcpSocket *socket, Request request);
    void onWebSocketReady();

    QTcpServer *m_server;
    ConnectionCore *m_core;
    QWebSocketServer *m_wsServer = nullptr;  // made on the first upgrade
    Handler m_handler;
    ErrorFormatter m_errorFormatter;
    Limits m_limits;
    WebSocketLimits m_wsLimits;
    QSet<QObject *> m_connections;
    QHash<QString, QPointer<WebSocketConnection>> m_wsPending;  // "peer:port" -> handshake under way
};

// One response to one request. Owned by its connection and deleted (deleteLater) once
// its response has ended or its connection closed, so whoever answers later keeps a
// QPointer<HttpResponder>. Exactly one of respond() / beginStream()+endStream() /
// acceptWebSocket() is used; later calls are ignored with a warning. Writing after
// the client went away is harmless.
class HttpResponder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpResponder)

public:
    ~HttpResponder() override;

    const Request &request() const { return m_request; }  // includes the collected body
    QHostAddress peerAddress() const { return m_peerAddress; }

    // Sets Content-Length, Date and Connection; a HEAD request gets the head only.
    void respond(Response response);
    // Chunked streaming response (for HTTP/1.0 clients: raw body, then close).
    void beginStream(int status, Headers headers);
    void writeChunk(QByteArrayView data);
    void endStream();
    qint64 bytesToWrite() const;  // for back-pressure; see bytesWritten()

    // Only for a valid WebSocket upgrade (GET, Upgrade: websocket, version 13, a
    // 16-byte key); otherwise answers 400 and returns nullptr. Route and access checks
    // are the handler's, before it calls this. The socket goes to Qt WebSockets, which
    // answers 101; the connection then belongs to the returned object (not yet open:
    // see WebSocketConnection), which deletes itself (deleteLater) after closed().
    WebSocketConnection *acceptWebSocket();

    bool isFinished() const { return m_state == State::Finished; }

signals:
    void aborted();  // the client went away before the response ended
    void bytesWritten(qint64 bytes);

private:
    friend class detail::HttpConnection;
    enum class State { Idle, Streaming, Finished };
    HttpResponder(detail::HttpConnection *connection, Request request, QHostAddress peer);
    bool start(const char *what);
    void finish(bool closeConnection);
    bool closeAfterResponse(const Headers &headers) const;
    void write(const QByteArray &data);

    QPointer<detail::HttpConnection> m_connection;
    Request m_request;
    QHostAddress m_peerAddress;
    State m_state = State::Idle;
    bool m_streamChunked = true;
    bool m_streamClose = false;
};

// A server-side WebSocket on Qt WebSockets, for handlers of upgrade requests (events,
// the terminal). The object comes back from HttpResponder::acceptWebSocket() at once,
// while QWebSocketServer still completes the handshake; it emits opened() when the
// socket is open and closed() exactly once in any case (closed by either side, the
// connection lost, the handshake failed, the peer dropped). It deletes itself
// (deleteLater) after closed(). Its parent is the server: destroying the server
// deletes it without closed().
//
// Sending: sendText()/sendBinary() may be called at once; what is sent before
// opened() is queued and goes out after the handshake. Text frames carry UTF-8 (JSON
// control messages), binary frames carry bytes (terminal output): a binary message
// arrives whole however the sender split its reads. Flow control is the sender's
// choice: watch bytesToWrite() and bytesWritten() to pause a producer (the terminal
// stops reading its exec stream while bytesToWrite() is above a bound); a peer that
// lets more than WebSocketLimits::maxQueuedBytes queue up, or whose queue does not
// move for ConnectionLimits::sendTimeoutMs, is dropped.
// Receiving: textMessage()/binaryMessage() per whole message, capped at
// WebSocketLimits::maxMessageBytes (larger: closed with 1009). Pings go out every
// WebSocketLimits::pingIntervalMs; a peer that sends nothing (not even a pong) across
// two of them is dropped. socket() is the underlying QWebSocket for anything else
// (subprotocol, request URL); do not delete it.
class WebSocketConnection final : public QObject, public GuardedConnection
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketConnection)

public:
    ~WebSocketConnection() override;

    void sendText(const QByteArray &utf8);
    void sendBinary(const QByteArray &data);
    // Starts the close handshake; the TCP connection ends when the peer answers (or
    // after a few seconds).
    void close(quint16 code = 1000, const QByteArray &reason = {});

    bool isOpen() const { return m_state == State::Connecting || m_state == State::Open; }  // sends are taken
    bool isConnected() const { return m_state == State::Open; }  // the handshake is done
    QHostAddress peerAddress() const { return m_peerAddress; }
    const Request &request() const { return m_request; }  // the upgrade request
    qint64 bytesToWrite() const;
    QWebSocket *socket() const { return m_socket; }  // nullptr until opened()
    // The peer's close code (1006 when the connection was lost without one); valid
    // after closed().
    quint16 closeCode() const { return m_closeCode; }
    QByteArray closeReason() const { return m_closeReason; }

signals:
    void opened();
    void textMessage(const QByteArray &utf8);
    void binaryMessage(const QByteArray &data);
    void pong(const QByteArray &payload);
    void bytesWritten(qint64 bytes);
    void closed();

private:
    friend class HttpServer;
    enum class State { Connecting, Open, Closing, Closed };
    WebSocketConnection(ConnectionCore *core, Request request, QHostAddress peer, const WebSocketLimits &limits,
                        QObject *parent);
    void attach(QWebSocket *socket);
    void send(bool binary, const QByteArray &data);
    void onPingTimer();
    void drop(const char *why);
    void finish();
    qint64 queuedBytes() const override;
    void expired(Expiry why) override;

    QWebSocket *m_socket = nullptr;
    Request m_request;
    QHostAddress m_peerAddress;
    WebSocketLimits m_limits;
    QTimer *m_pingTimer;
    QTimer *m_closeTimer;
    QList<std::pair<bool, QByteArray>> m_queue;  // sent before the handshake finished
    qint64 m_queueBytes = 0;
    State m_state = State::Connecting;
    bool m_closeRequested = false;
    bool m_peerClosed = false;
    int m_silentPings = 0;
    quint16 m_closeCode = 1006;
    QByteArray m_closeReason;
    QByteArray m_pendingCloseReason;
    quint16 m_pendingCloseCode = 1000;
};

} // namespace gasper::http
