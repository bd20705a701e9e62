// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "http/HttpMessage.h"
#include "http/HttpParser.h"
#include "http/WebSocket.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
class QTimer;
QT_END_NAMESPACE

namespace gasper::http {

class HttpResponder;
class WebSocketConnection;
namespace detail {
class HttpConnection;
}

// A small HTTP/1.1 server on QTcpServer for the master's REST and WebSocket API.
// Guarantees: keep-alive and pipelining with answers in request order (one request per
// connection is handled at a time; the next is parsed after the current response
// ended); malformed requests are answered with the parser's status and a JSON error
// body, then the connection is closed; `Expect: 100-continue` is honoured; HEAD gets
// no body; every response carries Date; connections are tracked, capped (over the cap
// a new connection is accepted and closed at once) and dropped when idle. Everything
// runs asynchronously on the thread that owns the server; nothing blocks.
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

    void setMaxConnections(int n);  // default 512; over the cap: accept then close
    int maxConnections() const { return m_maxConnections; }
    void setIdleTimeout(int ms);    // default 60000; idle keep-alive connections closed
    int idleTimeout() const { return m_idleTimeoutMs; }
    void setWebSocketPingInterval(int ms);  // default 30000 (0: none); a peer silent for two pings is dropped
    int webSocketPingInterval() const { return m_pingIntervalMs; }
    const Limits &limits() const { return m_limits; }

    int connectionCount() const;  // HTTP connections plus accepted WebSockets

private:
    friend class detail::HttpConnection;
    void onNewConnection();
    void track(QObject *connection);

    QTcpServer *m_server;
    Handler m_handler;
    ErrorFormatter m_errorFormatter;
    Limits m_limits;
    int m_maxConnections = 512;
    int m_idleTimeoutMs = 60000;
    int m_pingIntervalMs = 30000;
    QSet<QObject *> m_connections;
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
    // 16-byte key); otherwise answers 400 and returns nullptr. Sends 101; the
    // connection then belongs to the returned object, which deletes itself (deleteLater)
    // after closed().
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

// A server-side WebSocket (RFC 6455) after a successful upgrade. Answers pings, runs
// the close handshake, pings the peer every interval and drops it when it stays
// silent (nothing received across two pings). closed() is emitted exactly once (whoever
// closes, or when the TCP connection is lost); the object deletes itself (deleteLater)
// after it. Its parent is the server: destroying the server deletes it without closed().
// Messages are limited to the server's Limits::maxBodyBytes (larger: close 1009).
class WebSocketConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebSocketConnection)

public:
    ~WebSocketConnection() override;

    void sendText(const QByteArray &utf8);
    void sendBinary(const QByteArray &data);
    void sendPing(const QByteArray &payload = {});
    // Starts the close handshake; the TCP connection ends when the peer answers (or
    // after a few seconds).
    void close(quint16 code = 1000, const QByteArray &reason = {});

    bool isOpen() const { return m_state == State::Open; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    const Request &request() const { return m_request; }  // the upgrade request
    qint64 bytesToWrite() const;
    // The code of the peer's Close frame (1005 when it had none, 1006 when the connection
    // was lost without one); valid after closed().
    quint16 closeCode() const { return m_closeCode; }
    QByteArray closeReason() const { return m_closeReason; }

signals:
    void textMessage(const QByteArray &utf8);
    void binaryMessage(const QByteArray &data);
    void pong(const QByteArray &payload);
    void bytesWritten(qint64 bytes);
    void closed();

private:
    friend class detail::HttpConnection;
    enum class State { Open, Closing, Closed };
    WebSocketConnection(QTcpSocket *socket, QByteArray initialBytes, Request request, int pingIntervalMs,
                        qint64 maxMessageBytes, QObject *parent);
    void onReadyRead();
    void processFrames();
    void onPingTimer();
    void sendFrame(ws::Opcode opcode, QByteArrayView payload);
    void startClose(quint16 code, QByteArrayView reason);
    void finish();

    QTcpSocket *m_socket;
    QByteArray m_pending;  // bytes that arrived with the upgrade request
    Request m_request;
    QHostAddress m_peerAddress;
    QTimer *m_pingTimer;
    QTimer *m_closeTimer;
    ws::FrameParser m_parser;
    State m_state = State::Open;
    int m_unansweredPings = 0;
    quint16 m_closeCode = 1006;
    QByteArray m_closeReason;
};

} // namespace gasper::http
