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
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cstdio>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace gasper::http {

namespace {

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
    case 408: return u"request-timeout"_s;
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
    , m_core(new ConnectionCore("API server", this))
    , m_limits(limits)
{
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
    const QByteArray body = R"({"error":{"code":"too-many-connections","message":"too many connections; try again"}})";
    m_core->setRefusal("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                       "Connection: close\r\nContent-Length: "
                       + QByteArray::number(body.size()) + "\r\n\r\n" + body);
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
    // Qt's default backlog (50) drops SYNs under a burst of connections; the cost is a
    // one-second retransmit for whoever comes next.
    m_server->setListenBacklogSize(1024);
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

void HttpServer::setConnectionLimits(const ConnectionLimits &limits)
{
    m_core->setLimits(limits);
}

const ConnectionLimits &HttpServer::connectionLimits() const
{
    return m_core->limits();
}

void HttpServer::setWebSocketLimits(const WebSocketLimits &limits)
{
    m_wsLimits = limits;
}

ConnectionStats HttpServer::connectionStats() const
{
    return m_core->stats();
}

int HttpServer::connectionCount() const
{
    return int(m_connections.size());
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_core->admit(socket))
            track(new detail::HttpConnection(this, socket));
    }
}

void HttpServer::track(QObject *connection)
{
    m_connections.insert(connection);
    connect(connection, &QObject::destroyed, this, [this](QObject *gone) { m_connections.remove(gone); });
}

namespace {
QString peerKey(const QHostAddress &address, quint16 port)
{
    return ConnectionCore::normalized(address).toString() + u'|' + QString::number(port);
}
} // namespace

WebSocketConnection *HttpServer::handOverWebSocket(QTcpSocket *socket, Request request)
{
    if (!m_wsServer) {
        m_wsServer = new QWebSocketServer(u"gasper"_s, QWebSocketServer::NonSecureMode, this);
        m_wsServer->setHandshakeTimeout(m_core->limits().headTimeoutMs);
        connect(m_wsServer, &QWebSocketServer::newConnection, this, &HttpServer::onWebSocketReady);
    }
    auto *ws = new WebSocketConnection(m_core, std::move(request), socket->peerAddress(), m_wsLimits, this);
    track(ws);
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    m_wsPending.insert(key, ws);
    // Qt WebSockets deletes a socket whose handshake it refused; one that it accepted
    // lives inside the QWebSocket, which the WebSocketConnection owns by then.
    connect(socket, &QObject::destroyed, ws, [this, ws, key] {
        if (m_wsPending.value(key) == ws)
            m_wsPending.remove(key);
        if (!ws->isConnected())
            ws->finish();
    });
    m_wsServer->handleConnection(socket);
    return ws;
}

void HttpServer::onWebSocketReady()
{
    while (QWebSocket *socket = m_wsServer->nextPendingConnection()) {
        const QPointer<WebSocketConnection> ws = m_wsPending.take(peerKey(socket->peerAddress(), socket->peerPort()));
        if (!ws) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ws->attach(socket);
    }
}

// ---------------------------------------------------------------------------------------
// HttpConnection

namespace detail {

HttpConnection::HttpConnection(HttpServer *server, QTcpSocket *socket)
    : QObject(server)
    , GuardedConnection(server->m_core, socket->peerAddress(), Phase::Head)
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
    if (!isWritable() || data.isEmpty())
        return;
    // A client that stopped reading is dropped here, whoever writes.
    if (!checkQueue())
        return;
    m_socket->write(data);
}

qint64 HttpConnection::queuedBytes() const
{
    return m_socket && !m_gone ? m_socket->bytesToWrite() : 0;
}

void HttpConnection::expired(Expiry why)
{
    if (m_gone)
        return;
    if (why == Expiry::Head && !m_busy && !m_closing) {
        answerError(408, u"the request head did not arrive within %1 s"_s.arg(
                             double(m_server->connectionLimits().headTimeoutMs) / 1000.0));
        return;
    }
    qCDebug(lcHttp) << "closing connection from" << m_socket->peerAddress().toString()
                    << (why == Expiry::Send ? "(not reading)" : why == Expiry::Idle ? "(idle)" : "(lingering)");
    m_closing = true;
    m_socket->abort();
    onDisconnected();
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
                noteReceived();
                continue;
            }
            // The first byte of the next request starts its head deadline.
            if (phase() == Phase::Idle && m_parser.inMessage())
                setPhase(Phase::Head);
            return;
        case Parser::Event::Head: {
            m_request = m_parser.request();
            setPhase(requestHasBody(m_request) ? Phase::Body : Phase::Busy);
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
    setPhase(Phase::Busy);
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
    setPhase(Phase::Idle);
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
    m_shutdownPending = true;
    setPhase(Phase::Linger);
    onBytesWritten(0);
    if (m_gone)
        return;
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
        noteSent();
        if (m_responder)
            emit m_responder->bytesWritten(bytes);
    }
}

void HttpConnection::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    leaveCore();
    if (m_responder && !m_responder->isFinished())
        emit m_responder->aborted();
    deleteLater();
}

WebSocketConnection *HttpConnection::upgradeToWebSocket()
{
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    m_gone = true;
    leaveCore();  // the WebSocket counts for this peer from now on
    Request request = m_responder ? m_responder->request() : Request();
    // Qt WebSockets reads the handshake from the socket itself (QtHttpServer hands
    // sockets over the same way, with the request bytes still unread): put the head,
    // and whatever the client sent after it, back in front of the socket's buffer.
    Request head = request;
    head.body.clear();
    const QByteArray replay = serializeHead(head) + m_parser.takeRemaining();
    for (qsizetype i = replay.size(); i-- > 0;)
        socket->ungetChar(replay.at(i));
    socket->setParent(nullptr);
    socket->setReadBufferSize(0);
    m_server->m_connections.remove(this);
    WebSocketConnection *ws = m_server->handOverWebSocket(socket, std::move(request));
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
    WebSocketConnection *ws = m_connection->upgradeToWebSocket();
    deleteLater();
    return ws;
}

// ---------------------------------------------------------------------------------------
// WebSocketConnection

WebSocketConnection::WebSocketConnection(ConnectionCore *core, Request request, QHostAddress peer,
                                         const WebSocketLimits &limits, QObject *parent)
    : QObject(parent)
    , GuardedConnection(core, peer, Phase::Busy)
    , m_request(std::move(request))
    , m_peerAddress(ConnectionCore::normalized(peer))
    , m_limits(limits)
    , m_pingTimer(new QTimer(this))
    , m_closeTimer(new QTimer(this))
{
    connect(m_pingTimer, &QTimer::timeout, this, &WebSocketConnection::onPingTimer);
    m_closeTimer->setSingleShot(true);
    m_closeTimer->setInterval(CloseHandshakeMs);
    connect(m_closeTimer, &QTimer::timeout, this, [this] { drop("did not finish the close handshake"); });
}

WebSocketConnection::~WebSocketConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void WebSocketConnection::attach(QWebSocket *socket)
{
    if (m_state == State::Closed) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    m_socket = socket;
    socket->setParent(this);
    socket->setMaxAllowedIncomingMessageSize(quint64(std::max<qint64>(m_limits.maxMessageBytes, 125)));
    socket->setMaxAllowedIncomingFrameSize(quint64(std::max<qint64>(m_limits.maxMessageBytes, 125)));
    const auto heard = [this] { m_silentPings = 0; };
    connect(socket, &QWebSocket::textFrameReceived, this, heard);
    connect(socket, &QWebSocket::binaryFrameReceived, this, heard);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { emit textMessage(text.toUtf8()); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, &WebSocketConnection::binaryMessage);
    connect(socket, &QWebSocket::pong, this, [this](quint64, const QByteArray &payload) {
        m_silentPings = 0;
        emit pong(payload);
    });
    connect(socket, &QWebSocket::bytesWritten, this, [this](qint64 bytes) {
        noteSent();
        emit bytesWritten(bytes);
    });
    connect(socket, &QWebSocket::aboutToClose, this, [this] {
        if (m_state == State::Open)
            m_peerClosed = true;  // the peer started the close handshake
    });
    connect(socket, &QWebSocket::disconnected, this, &WebSocketConnection::finish);
    m_state = State::Open;
    if (m_limits.pingIntervalMs > 0)
        m_pingTimer->start(m_limits.pingIntervalMs);
    const QPointer<WebSocketConnection> self(this);
    emit opened();
    if (!self || m_state != State::Open)
        return;
    for (auto &[binary, data] : std::exchange(m_queue, {})) {
        send(binary, data);
        if (!self || m_state != State::Open)
            return;
    }
    m_queueBytes = 0;
    if (m_closeRequested)
        close(m_pendingCloseCode, m_pendingCloseReason);
}

qint64 WebSocketConnection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : m_queueBytes;
}

qint64 WebSocketConnection::queuedBytes() const
{
    return m_state == State::Closed ? 0 : bytesToWrite();
}

void WebSocketConnection::send(bool binary, const QByteArray &data)
{
    if (m_state == State::Connecting) {
        if (m_queueBytes > m_limits.maxQueuedBytes) {
            drop("had too much queued before its handshake finished");
            return;
        }
        m_queue.append({binary, data});
        m_queueBytes += data.size();
        return;
    }
    if (m_state != State::Open)
        return;
    if (m_socket->bytesToWrite() > m_limits.maxQueuedBytes) {
        drop("stopped reading");
        return;
    }
    if (binary)
        m_socket->sendBinaryMessage(data);
    else
        m_socket->sendTextMessage(QString::fromUtf8(data));
}

void WebSocketConnection::sendText(const QByteArray &utf8)
{
    send(false, utf8);
}

void WebSocketConnection::sendBinary(const QByteArray &data)
{
    send(true, data);
}

void WebSocketConnection::close(quint16 code, const QByteArray &reason)
{
    if (m_state == State::Connecting) {
        m_closeRequested = true;
        m_pendingCloseCode = code;
        m_pendingCloseReason = reason;
        return;
    }
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    m_closeRequested = true;
    m_pingTimer->stop();
    m_closeTimer->start();
    m_socket->close(QWebSocketProtocol::CloseCode(code), QString::fromUtf8(reason.left(123)));
}

void WebSocketConnection::onPingTimer()
{
    if (m_state != State::Open)
        return;
    // Two pings without a byte back: the peer (or the path to it) is gone. Waiting for
    // two keeps a peer that is merely slow, or an event loop that was busy, connected.
    if (m_silentPings >= 2) {
        drop("did not answer pings");
        return;
    }
    ++m_silentPings;
    m_socket->ping();
}

void WebSocketConnection::expired(Expiry)
{
    drop("stopped reading");
}

void WebSocketConnection::drop(const char *why)
{
    if (m_state == State::Closed)
        return;
    qCInfo(lcHttp).noquote() << "WebSocket peer" << m_peerAddress.toString() << why << "- dropping it";
    if (m_socket)
        m_socket->abort();
    finish();
}

void WebSocketConnection::finish()
{
    if (m_state == State::Closed)
        return;
    // A Close frame seen (the peer's, or the answer to ours) gives the code; a
    // connection lost without one is 1006 (RFC 6455 §7.1.5).
    const bool handshaken = m_socket && (m_peerClosed || m_closeRequested || m_closeTimer->isActive());
    m_state = State::Closed;
    m_pingTimer->stop();
    m_closeTimer->stop();
    m_queue.clear();
    m_queueBytes = 0;
    if (handshaken) {
        m_closeCode = quint16(m_socket->closeCode());
        m_closeReason = m_socket->closeReason().toUtf8();
    }
    leaveCore();
    emit closed();
    deleteLater();
}

} // namespace gasper::http
