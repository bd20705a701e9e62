// SPDX-License-Identifier: MIT
#include "http/HttpServer.h"

#include "core/Log.h"
#include "http/HttpServer_p.h"
#include "http/HttpUtil_p.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cstdio>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace gasper::http {

namespace {

// How long a closing connection waits for the client to read our last answer and close
// its side before the socket is torn down.
constexpr int LingerMs = 2000;
// How long a WebSocket waits for the peer's Close frame after sending its own.
constexpr int CloseHandshakeMs = 5000;
// While a request is with the handler the connection stops reading; this much may
// queue up in the socket before TCP pushes back on the client.
constexpr qint64 SocketReadBuffer = 256 * 1024;

// IMF-fixdate (RFC 9110 §5.6.7), rebuilt at most once a second.
QByteArray httpDate()
{
    static thread_local qint64 cachedSecond = -1;
    static thread_local QByteArray cached;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 second = now.toSecsSinceEpoch();
    if (second != cachedSecond) {
        static constexpr const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const QDate d = now.date();
        const QTime t = now.time();
        char text[40];
        const int n = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[d.dayOfWeek() - 1],
                                    d.day(), months[d.month() - 1], d.year(), t.hour(), t.minute(), t.second());
        cached = QByteArray(text, std::clamp(n, 0, int(sizeof text) - 1));
        cachedSecond = second;
    }
    return cached;
}

QString errorSlug(int status)
{
    switch (status) {
    case 400: return u"bad-request"_s;
    case 404: return u"not-found"_s;
    case 413: return u"body-too-large"_s;
    case 417: return u"expectation-failed"_s;
    case 431: return u"headers-too-large"_s;
    case 501: return u"not-implemented"_s;
    case 505: return u"http-version-not-supported"_s;
    default: break;
    }
    return status >= 500 ? u"internal"_s : u"bad-request"_s;
}

Response defaultErrorResponse(int status, const QString &message)
{
    Response response;
    response.status = status;
    const QJsonObject error{{u"code"_s, errorSlug(status)}, {u"message"_s, message}};
    response.body = QJsonDocument(QJsonObject{{u"error"_s, error}}).toJson(QJsonDocument::Compact);
    response.headers.add(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
    return response;
}

bool requestHasBody(const Request &request)
{
    if (request.headers.has("transfer-encoding"))
        return true;
    const QByteArray length = request.headers.value("content-length");
    return !length.isEmpty() && length != "0";
}

} // namespace

// ---------------------------------------------------------------------------------------
// HttpServer

HttpServer::HttpServer(Limits limits, QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_limits(limits)
{
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer()
{
    // Delete the connections while this object is still whole: their destroyed()
    // signals would otherwise reach a half-destroyed server.
    const QSet<QObject *> connections = std::exchange(m_connections, {});
    for (QObject *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        delete connection;
    }
}

void HttpServer::setErrorFormatter(ErrorFormatter formatter)
{
    m_errorFormatter = std::move(formatter);
}

Response HttpServer::errorResponse(int status, const QString &message) const
{
    return m_errorFormatter ? m_errorFormatter(status, message) : defaultErrorResponse(status, message);
}

void HttpServer::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

Result<void> HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_server->isListening())
        m_server->close();
    if (!m_server->listen(address, port)) {
        return fail(u"listen-failed"_s,
                    u"cannot listen on %1 port %2: %3"_s.arg(address.toString()).arg(port).arg(m_server->errorString()));
    }
    qCInfo(lcHttp) << "listening on" << m_server->serverAddress().toString() << m_server->serverPort();
    return {};
}

void HttpServer::close()
{
    m_server->close();
}

bool HttpServer::isListening() const
{
    return m_server->isListening();
}

quint16 HttpServer::serverPort() const
{
    return m_server->serverPort();
}

QHostAddress HttpServer::serverAddress() const
{
    return m_server->serverAddress();
}

void HttpServer::setMaxConnections(int n)
{
    m_maxConnections = std::max(1, n);
}

void HttpServer::setIdleTimeout(int ms)
{
    m_idleTimeoutMs = std::max(1, ms);
}

void HttpServer::setWebSocketPingInterval(int ms)
{
    m_pingIntervalMs = ms;
}

int HttpServer::connectionCount() const
{
    return int(m_connections.size());
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections.size() >= m_maxConnections) {
            qCWarning(lcHttp) << "connection limit" << m_maxConnections << "reached; closing a connection from"
                              << socket->peerAddress().toString();
            socket->close();
            socket->deleteLater();
            continue;
        }
        track(new detail::HttpConnection(this, socket));
    }
}

void HttpServer::track(QObject *connection)
{
    m_connections.insert(connection);
    connect(connection, &QObject::destroyed, this, [this](QObject *gone) { m_connections.remove(gone); });
}

// ---------------------------------------------------------------------------------------
// HttpConnection

namespace detail {

HttpConnection::HttpConnection(HttpServer *server, QTcpSocket *socket)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
    , m_parser(Parser::Kind::Request, server->limits())
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(SocketReadBuffer);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::pump);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);

    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_busy || m_closing)
            return;
        qCDebug(lcHttp) << "closing idle connection from" << m_socket->peerAddress().toString();
        m_closing = true;
        m_socket->abort();
        onDisconnected();
    });
    m_lingerTimer.setSingleShot(true);
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] {
        if (m_gone)
            return;
        m_socket->abort();
        onDisconnected();
    });
    restartIdleTimer();
    // Bytes may already be waiting.
    QMetaObject::invokeMethod(this, &HttpConnection::pump, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::isWritable() const
{
    return !m_gone && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::write(const QByteArray &data)
{
    if (isWritable() && !data.isEmpty())
        m_socket->write(data);
}

void HttpConnection::restartIdleTimer()
{
    if (!m_busy && !m_closing && !m_gone)
        m_idleTimer.start(m_server->idleTimeout());
}

void HttpConnection::pump()
{
    if (m_gone)
        return;
    if (m_closing) {
        // Lingering close: drain what the client still sends so our answer is not lost
        // to a TCP reset.
        m_socket->skip(m_socket->bytesAvailable());
        return;
    }
    while (!m_busy) {
        switch (m_parser.next()) {
        case Parser::Event::NeedMore:
            if (m_socket->bytesAvailable() > 0) {
                m_parser.feed(m_socket->readAll());
                restartIdleTimer();
                continue;
            }
            return;
        case Parser::Event::Head: {
            m_request = m_parser.request();
            const QByteArray expect = m_request.headers.value("expect");
            if (!expect.isEmpty()) {
                if (!equalsIgnoreCase(trimOws(expect), "100-continue")) {
                    answerError(417, u"unsupported expectation"_s);
                    return;
                }
                // The client waits for this before it sends the body.
                if (m_request.versionMinor >= 1 && requestHasBody(m_request))
                    write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            }
            continue;
        }
        case Parser::Event::Body:
            if (m_request.body.isEmpty())
                m_request.body = m_parser.takeBody();
            else
                m_request.body += m_parser.takeBody();
            continue;
        case Parser::Event::Complete:
            dispatch();
            return;
        case Parser::Event::Error:
            qCDebug(lcHttp) << "bad request from" << m_socket->peerAddress().toString() << m_parser.errorStatus()
                            << m_parser.errorMessage();
            answerError(m_parser.errorStatus(), m_parser.errorMessage());
            return;
        }
    }
}

void HttpConnection::dispatch()
{
    m_busy = true;
    m_idleTimer.stop();
    auto *responder = new HttpResponder(this, std::exchange(m_request, Request()), m_socket->peerAddress());
    m_responder = responder;
    // A copy: the handler may replace the server's handler while it runs.
    const HttpServer::Handler handler = m_server->m_handler;
    if (handler)
        handler(responder->request(), responder);
    else
        responder->respond(m_server->errorResponse(404, u"no handler"_s));
}

void HttpConnection::responseFinished(bool closeConnection)
{
    if (m_gone)
        return;
    m_busy = false;
    m_responder = nullptr;
    // After an upgrade request the parser stopped; whatever follows is not HTTP.
    if (closeConnection || m_closing || m_parser.upgraded()) {
        closeGracefully();
        return;
    }
    restartIdleTimer();
    // Queued, so that a long pipeline does not recurse through the handler.
    QMetaObject::invokeMethod(this, &HttpConnection::pump, Qt::QueuedConnection);
}

void HttpConnection::answerError(int status, const QString &message)
{
    Response response = m_server->errorResponse(status, message);
    response.headers.add(QByteArrayLiteral("Date"), httpDate());
    response.headers.add(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    write(serialize(response));
    closeGracefully();
}

void HttpConnection::closeGracefully()
{
    if (m_gone)
        return;
    m_closing = true;
    m_idleTimer.stop();
    m_shutdownPending = true;
    onBytesWritten(0);
    m_lingerTimer.start(LingerMs);
    m_socket->skip(m_socket->bytesAvailable());
}

void HttpConnection::onBytesWritten(qint64 bytes)
{
    if (m_gone)
        return;
    if (m_shutdownPending && m_socket->bytesToWrite() == 0) {
        // Half-close: the client reads our answer to its end, then closes; we see
        // that as disconnected(). Closing both ways now could reset the connection
        // while unread request bytes sit in our receive buffer.
        m_shutdownPending = false;
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    }
    if (bytes > 0) {
        restartIdleTimer();
        if (m_responder)
            emit m_responder->bytesWritten(bytes);
    }
}

void HttpConnection::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    m_idleTimer.stop();
    m_lingerTimer.stop();
    if (m_responder && !m_responder->isFinished())
        emit m_responder->aborted();
    deleteLater();
}

WebSocketConnection *HttpConnection::upgradeToWebSocket(const QByteArray &switchingProtocols)
{
    m_socket->write(switchingProtocols);
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    m_gone = true;
    m_idleTimer.stop();
    m_lingerTimer.stop();
    Request request = m_responder ? m_responder->request() : Request();
    auto *ws = new WebSocketConnection(socket, m_parser.takeRemaining(), std::move(request),
                                       m_server->webSocketPingInterval(), m_server->limits().maxBodyBytes, m_server);
    m_server->m_connections.remove(this);
    m_server->track(ws);
    deleteLater();
    return ws;
}

} // namespace detail

// ---------------------------------------------------------------------------------------
// HttpResponder

HttpResponder::HttpResponder(detail::HttpConnection *connection, Request request, QHostAddress peer)
    : QObject(connection)
    , m_connection(connection)
    , m_request(std::move(request))
    , m_peerAddress(std::move(peer))
{
}

HttpResponder::~HttpResponder() = default;

bool HttpResponder::start(const char *what)
{
    if (m_state == State::Idle)
        return true;
    qCWarning(lcHttp) << "HttpResponder:" << what << "after the response started; ignored";
    return false;
}

bool HttpResponder::closeAfterResponse(const Headers &headers) const
{
    return !m_request.keepAlive() || m_request.isUpgrade() || m_request.method == "CONNECT"
        || headers.hasToken("connection", "close") || !m_connection || !m_connection->isWritable();
}

void HttpResponder::write(const QByteArray &data)
{
    if (m_connection)
        m_connection->write(data);
}

void HttpResponder::finish(bool closeConnection)
{
    m_state = State::Finished;
    if (m_connection)
        m_connection->responseFinished(closeConnection);
    deleteLater();
}

qint64 HttpResponder::bytesToWrite() const
{
    return m_connection && m_connection->socket() ? m_connection->socket()->bytesToWrite() : 0;
}

namespace {

Response serverErrorResponse(const detail::HttpConnection *connection, int status, const QString &message)
{
    return connection ? connection->server()->errorResponse(status, message) : defaultErrorResponse(status, message);
}

} // namespace

void HttpResponder::respond(Response response)
{
    if (!start("respond()"))
        return;
    if (response.status < 200 || response.status > 999) {
        qCWarning(lcHttp) << "HttpResponder: cannot answer with status" << response.status;
        response = serverErrorResponse(m_connection, 500, u"invalid response status"_s);
    }
    const bool close = closeAfterResponse(response.headers);
    const bool head = m_request.method == "HEAD";
    const bool noBody = response.status == 204 || response.status == 304;
    response.versionMinor = 1;
    response.headers.remove("transfer-encoding");
    if (!response.headers.has("date"))
        response.headers.add(QByteArrayLiteral("Date"), httpDate());
    if (close)
        response.headers.set(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    else if (m_request.versionMinor == 0)
        response.headers.set(QByteArrayLiteral("Connection"), QByteArrayLiteral("keep-alive"));
    if (response.status == 204) {
        response.headers.remove("content-length");
    } else if (response.status == 304) {
        // A 304's Content-Length, if any, describes the representation: the caller's.
    } else if (!(head && response.body.isEmpty() && response.headers.has("content-length"))) {
        response.headers.set(QByteArrayLiteral("Content-Length"), QByteArray::number(response.body.size()));
    }
    write(serializeHead(response));
    if (!head && !noBody)
        write(response.body);
    finish(close);
}

void HttpResponder::beginStream(int status, Headers headers)
{
    if (!start("beginStream()"))
        return;
    Response response;
    response.status = status;
    response.headers = std::move(headers);
    response.headers.remove("content-length");
    response.headers.remove("transfer-encoding");
    m_streamChunked = m_request.versionMinor >= 1;
    // An HTTP/1.0 client knows no chunks: the end of the connection ends the body.
    m_streamClose = closeAfterResponse(response.headers) || !m_streamChunked;
    if (!response.headers.has("date"))
        response.headers.add(QByteArrayLiteral("Date"), httpDate());
    if (m_streamClose)
        response.headers.set(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    if (m_streamChunked)
        response.headers.add(QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked"));
    m_state = State::Streaming;
    write(serializeHead(response));
}

void HttpResponder::writeChunk(QByteArrayView data)
{
    if (m_state != State::Streaming) {
        qCWarning(lcHttp) << "HttpResponder: writeChunk() outside a stream; ignored";
        return;
    }
    if (data.isEmpty() || m_request.method == "HEAD")
        return;
    write(m_streamChunked ? encodeChunk(data) : data.toByteArray());
}

void HttpResponder::endStream()
{
    if (m_state != State::Streaming) {
        qCWarning(lcHttp) << "HttpResponder: endStream() outside a stream; ignored";
        return;
    }
    if (m_streamChunked && m_request.method != "HEAD")
        write(lastChunk());
    finish(m_streamClose);
}

WebSocketConnection *HttpResponder::acceptWebSocket()
{
    if (!start("acceptWebSocket()"))
        return nullptr;
    const Headers &h = m_request.headers;
    QString problem;
    const QByteArray key = detail::trimOws(h.value("sec-websocket-key")).toByteArray();
    const auto decodedKey = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (m_request.method != "GET" || m_request.versionMinor < 1)
        problem = u"a WebSocket upgrade must be an HTTP/1.1 GET"_s;
    else if (!h.hasToken("connection", "upgrade") || !h.hasToken("upgrade", "websocket"))
        problem = u"not a WebSocket upgrade request"_s;
    else if (detail::trimOws(h.value("sec-websocket-version")) != "13")
        problem = u"unsupported WebSocket version (13 is supported)"_s;
    else if (!decodedKey || decodedKey.decoded.size() != 16)
        problem = u"invalid Sec-WebSocket-Key"_s;
    if (!problem.isEmpty()) {
        Response response = serverErrorResponse(m_connection, 400, problem);
        response.headers.add(QByteArrayLiteral("Sec-WebSocket-Version"), QByteArrayLiteral("13"));
        respond(std::move(response));
        return nullptr;
    }
    m_state = State::Finished;
    if (!m_connection || !m_connection->isWritable()) {
        deleteLater();
        return nullptr;
    }
    const QByteArray switching = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Accept: "
        + ws::acceptKey(key) + "\r\n\r\n";
    return m_connection->upgradeToWebSocket(switching);
}

// ---------------------------------------------------------------------------------------
// WebSocketConnection

WebSocketConnection::WebSocketConnection(QTcpSocket *socket, QByteArray initialBytes, Request request,
                                         int pingIntervalMs, qint64 maxMessageBytes, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_pending(std::move(initialBytes))
    , m_request(std::move(request))
    , m_peerAddress(socket->peerAddress())
    , m_pingTimer(new QTimer(this))
    , m_closeTimer(new QTimer(this))
    , m_parser(ws::FrameParser::Role::Server, maxMessageBytes)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(0);
    connect(m_socket, &QTcpSocket::readyRead, this, &WebSocketConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &WebSocketConnection::finish);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &WebSocketConnection::bytesWritten);
    if (pingIntervalMs > 0) {
        m_pingTimer->setInterval(pingIntervalMs);
        connect(m_pingTimer, &QTimer::timeout, this, &WebSocketConnection::onPingTimer);
        m_pingTimer->start();
    }
    m_closeTimer->setSingleShot(true);
    m_closeTimer->setInterval(CloseHandshakeMs);
    connect(m_closeTimer, &QTimer::timeout, this, [this] {
        m_socket->abort();
        finish();
    });
    // Frames that came with the upgrade request, or already wait in the socket, are read
    // once the caller of acceptWebSocket() has connected its slots.
    QMetaObject::invokeMethod(this, &WebSocketConnection::onReadyRead, Qt::QueuedConnection);
}

WebSocketConnection::~WebSocketConnection() = default;

qint64 WebSocketConnection::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void WebSocketConnection::sendFrame(ws::Opcode opcode, QByteArrayView payload)
{
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(ws::encodeFrame(opcode, payload));
}

void WebSocketConnection::sendText(const QByteArray &utf8)
{
    if (isOpen())
        sendFrame(ws::Opcode::Text, utf8);
}

void WebSocketConnection::sendBinary(const QByteArray &data)
{
    if (isOpen())
        sendFrame(ws::Opcode::Binary, data);
}

void WebSocketConnection::sendPing(const QByteArray &payload)
{
    if (isOpen())
        sendFrame(ws::Opcode::Ping, payload.first(std::min<qsizetype>(payload.size(), 125)));
}

void WebSocketConnection::close(quint16 code, const QByteArray &reason)
{
    if (m_state != State::Open)
        return;
    if (!ws::isValidCloseCode(code))
        code = ws::CloseCode::Normal;
    startClose(code, reason);
}

void WebSocketConnection::startClose(quint16 code, QByteArrayView reason)
{
    sendFrame(ws::Opcode::Close, ws::closePayload(code, reason));
    m_state = State::Closing;
    m_pingTimer->stop();
    m_closeTimer->start();
}

void WebSocketConnection::onReadyRead()
{
    if (m_state == State::Closed)
        return;
    if (!m_pending.isEmpty()) {
        m_parser.feed(m_pending);
        m_pending.clear();
        m_unansweredPings = 0;
    }
    const QByteArray data = m_socket->readAll();
    if (!data.isEmpty()) {
        m_parser.feed(data);
        m_unansweredPings = 0;
    }
    processFrames();
}

void WebSocketConnection::processFrames()
{
    const QPointer<WebSocketConnection> self(this);
    while (self && m_state != State::Closed) {
        switch (m_parser.next()) {
        case ws::FrameParser::Event::NeedMore:
            return;
        case ws::FrameParser::Event::Error:
            qCDebug(lcHttp) << "WebSocket protocol error from" << m_peerAddress.toString() << m_parser.errorMessage();
            m_closeCode = m_parser.errorCode();
            if (m_state == State::Open)
                startClose(m_parser.errorCode(), {});
            m_socket->disconnectFromHost();
            return;
        case ws::FrameParser::Event::Message:
            break;
        }
        ws::FrameParser::Message message = m_parser.takeMessage();
        switch (message.opcode) {
        case ws::Opcode::Text:
            if (m_state == State::Open)
                emit textMessage(message.payload);
            break;
        case ws::Opcode::Binary:
            if (m_state == State::Open)
                emit binaryMessage(message.payload);
            break;
        case ws::Opcode::Ping:
            if (m_state == State::Open)
                sendFrame(ws::Opcode::Pong, message.payload);
            break;
        case ws::Opcode::Pong:
            emit pong(message.payload);
            break;
        case ws::Opcode::Close:
            m_closeCode = message.closeCode;
            m_closeReason = message.payload;
            if (m_state == State::Open) {
                // Echo the code (RFC 6455 §5.5.1), then the server closes TCP first (§7.1.1).
                sendFrame(ws::Opcode::Close, message.closeCode == ws::CloseCode::NoStatus
                                                 ? QByteArray()
                                                 : ws::closePayload(message.closeCode));
                m_state = State::Closing;
                m_pingTimer->stop();
                m_closeTimer->start();
            }
            m_socket->disconnectFromHost();
            return;
        case ws::Opcode::Continuation:
            break;
        }
    }
}

void WebSocketConnection::onPingTimer()
{
    if (m_state != State::Open)
        return;
    // Two pings without a byte back: the peer (or the path to it) is gone. Waiting for
    // two keeps a peer that is merely slow, or an event loop that was busy, connected.
    if (m_unansweredPings >= 2) {
        qCInfo(lcHttp) << "WebSocket peer" << m_peerAddress.toString() << "did not answer pings; dropping it";
        m_socket->abort();
        finish();
        return;
    }
    ++m_unansweredPings;
    sendFrame(ws::Opcode::Ping, {});
}

void WebSocketConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_pingTimer->stop();
    m_closeTimer->stop();
    emit closed();
    deleteLater();
}

} // namespace gasper::http
