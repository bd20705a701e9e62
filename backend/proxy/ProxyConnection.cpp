// SPDX-License-Identifier: MIT
#include "proxy/ProxyConnection_p.h"

#include "core/Log.h"
#include "http/HttpMessage.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <cctype>
#include <cstring>

using namespace Qt::StringLiterals;

namespace gasper::proxy::detail {

namespace {

constexpr http::Limits kStreamLimits{.maxBodyBytes = -1};
// A gracefully closing upstream that never finishes is cut after this.
constexpr int kGracefulCloseMs = 30000;

bool isIdempotent(const QByteArray &method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE"
        || method == "PUT" || method == "DELETE";
}

// Removes the fields that describe one hop (RFC 9110 §7.6.1). Framing is set again
// by the caller; Upgrade survives only when a tunnel is being negotiated. Host and
// Content-Length are never dropped even when Connection names them: the first picks
// the app, the second frames the body.
void stripHopByHop(http::Headers &headers, bool keepUpgrade)
{
    QList<QByteArray> named;
    for (const QByteArray &value : headers.values("connection")) {
        for (const QByteArray &token : value.split(',')) {
            const QByteArray name = token.trimmed().toLower();
            if (!name.isEmpty())
                named.append(name);
        }
    }
    for (const QByteArray &name : std::as_const(named)) {
        if (name == "host" || name == "content-length" || (keepUpgrade && name == "upgrade"))
            continue;
        headers.remove(name);
    }
    headers.remove("connection");
    headers.remove("keep-alive");
    headers.remove("proxy-connection");
    headers.remove("te");
    headers.remove("trailer");
    headers.remove("transfer-encoding");
    if (!keepUpgrade)
        headers.remove("upgrade");
}

// Joins every field of that name into one list value and appends item.
QByteArray appendToList(const http::Headers &headers, QByteArrayView name, const QByteArray &item)
{
    const QList<QByteArray> prior = headers.values(name);
    if (prior.isEmpty())
        return item;
    return prior.join(", ") + ", " + item;
}

} // namespace

// ---------------------------------------------------------------------------
// Shared

Shared::Shared()
    : pool(new UpstreamPool(this))
{
    clock.start();
}

Shared::~Shared()
{
    delete pool;
}

// ---------------------------------------------------------------------------
// UpstreamConnection

UpstreamConnection::UpstreamConnection(Shared *shared_, QString key_, const QString &address, quint16 port,
                                       QObject *parent)
    : QObject(parent)
    , shared(shared_)
    , key(std::move(key_))
    , socket(new QTcpSocket(this))
    , parser(http::Parser::Kind::Response, kStreamLimits)
    , connectTimer(new QTimer(this))
    , responseTimer(new QTimer(this))
{
    ++shared->stats.upstreamConnectionsOpened;
    socket->setReadBufferSize(kReadBufferSize);
    connect(socket, &QTcpSocket::connected, this, [this] {
        connected = true;
        connectTimer->stop();
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (!pending.isEmpty())
            socket->write(std::exchange(pending, QByteArray()));
        if (owner)
            owner->onUpstreamConnected();
    });
    connect(socket, &QTcpSocket::readyRead, this, [this] {
        if (owner)
            owner->onUpstreamReadable();
        else if (idle)
            shared->pool->drop(this);  // an idle upstream has nothing to say
    });
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (owner)
            owner->onUpstreamBytesWritten();
    });
    connect(socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, &UpstreamConnection::onError);

    connectTimer->setSingleShot(true);
    connectTimer->setInterval(shared->connectTimeoutMs);
    connect(connectTimer, &QTimer::timeout, this, &UpstreamConnection::onConnectTimeout);
    connectTimer->start();
    responseTimer->setSingleShot(true);
    responseTimer->setInterval(shared->responseTimeoutMs);
    connect(responseTimer, &QTimer::timeout, this, &UpstreamConnection::onResponseTimeout);

    // Connect on the next loop turn: a refusal can be reported synchronously, and the
    // owner must be in place (and the request queued in `pending`) before any event.
    QMetaObject::invokeMethod(
        this,
        [this, address, port] {
            if (discarded)
                return;
            QHostAddress ip;
            if (ip.setAddress(address))
                socket->connectToHost(ip, port);
            else
                socket->connectToHost(address, port);
        },
        Qt::QueuedConnection);
}

UpstreamConnection::~UpstreamConnection() = default;

void UpstreamConnection::write(const QByteArray &data)
{
    if (data.isEmpty())
        return;
    if (connected)
        socket->write(data);
    else
        pending += data;
}

qint64 UpstreamConnection::buffered() const
{
    return pending.size() + socket->bytesToWrite();
}

void UpstreamConnection::discard(bool graceful)
{
    if (discarded)
        return;
    discarded = true;
    owner = nullptr;
    idle = false;
    connectTimer->stop();
    responseTimer->stop();
    QObject::disconnect(socket, nullptr, this, nullptr);
    if (graceful && socket->state() == QAbstractSocket::ConnectedState) {
        // Let what was queued (the last tunnel bytes) reach the upstream first.
        connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        QTimer::singleShot(kGracefulCloseMs, this, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    socket->abort();
    deleteLater();
}

void UpstreamConnection::onError(QAbstractSocket::SocketError error)
{
    if (error == QAbstractSocket::RemoteHostClosedError)
        return;  // a clean close; disconnected() follows
    if (owner) {
        owner->onUpstreamFailed(502, socket->errorString());
    } else if (idle) {
        shared->pool->drop(this);
    }
}

void UpstreamConnection::onDisconnected()
{
    eof = true;
    if (owner)
        owner->onUpstreamEof();
    else if (idle)
        shared->pool->drop(this);
}

void UpstreamConnection::onConnectTimeout()
{
    if (connected)
        return;
    if (owner)
        owner->onUpstreamFailed(502, u"connect timed out"_s);
    else
        discard();
}

void UpstreamConnection::onResponseTimeout()
{
    if (owner)
        owner->onUpstreamFailed(504, u"sent no response head in time"_s);
}

// ---------------------------------------------------------------------------
// UpstreamPool

UpstreamPool::UpstreamPool(Shared *shared)
    : m_shared(shared)
{
}

UpstreamPool::~UpstreamPool() = default;

UpstreamConnection *UpstreamPool::acquire(const QString &address, quint16 port, bool allowReuse)
{
    QString key = address + u':' + QString::number(port);
    if (allowReuse) {
        const auto it = m_idle.find(key);
        while (it != m_idle.end() && !it->isEmpty()) {
            UpstreamConnection *c = it->takeLast();
            --m_idleCount;
            c->idle = false;
            if (c->socket->state() == QAbstractSocket::ConnectedState && !c->eof
                && c->socket->bytesAvailable() == 0) {
                c->reused = true;
                return c;
            }
            c->discard();
        }
    }
    return new UpstreamConnection(m_shared, std::move(key), address, port, this);
}

void UpstreamPool::release(UpstreamConnection *c)
{
    c->owner = nullptr;
    c->responseTimer->stop();
    if (c->discarded)
        return;
    QList<UpstreamConnection *> &list = m_idle[c->key];
    if (list.size() >= kMaxIdlePerUpstream) {
        c->discard(true);
        return;
    }
    c->idle = true;
    c->idleSince = m_shared->now();
    list.append(c);
    ++m_idleCount;
}

void UpstreamPool::drop(UpstreamConnection *c)
{
    const auto it = m_idle.find(c->key);
    if (it != m_idle.end() && it->removeOne(c))
        --m_idleCount;
    c->discard();
}

void UpstreamPool::sweep(qint64 now)
{
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        QList<UpstreamConnection *> &list = *it;
        for (qsizetype i = 0; i < list.size();) {
            if (now - list[i]->idleSince >= kUpstreamIdleMs) {
                list.takeAt(i)->discard(true);
                --m_idleCount;
            } else {
                ++i;
            }
        }
        it = list.isEmpty() ? m_idle.erase(it) : std::next(it);
    }
}

// ---------------------------------------------------------------------------
// ClientConnection

ClientConnection::ClientConnection(Shared *shared, QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , http::GuardedConnection(shared->core, socket->peerAddress(), Phase::Head)
    , m_shared(shared)
    , m_socket(socket)
    , m_parser(http::Parser::Kind::Request, kStreamLimits)
{
    m_socket->setParent(this);
}

ClientConnection::~ClientConnection()
{
    QObject::disconnect(m_socket, nullptr, this, nullptr);
    // A finalized connection has already let go of everything shared; it may be
    // deleted after the ProxyServer's shared state (as a leftover child), so it must
    // not touch it again.
    if (m_mode == Mode::Closed)
        return;
    if (m_ex.upstream) {
        m_ex.upstream->discard();
        m_ex.upstream = nullptr;
    }
    m_shared->clients.remove(this);
}

void ClientConnection::start()
{
    m_peerAddress = source();  // "::ffff:127.0.0.1" -> "127.0.0.1"
    m_peer = m_peerAddress.toString().toLatin1();
    m_trusted = std::any_of(m_shared->trustedProxies.cbegin(), m_shared->trustedProxies.cend(),
                            [this](const auto &subnet) { return m_peerAddress.isInSubnet(subnet); });

    m_socket->setReadBufferSize(kReadBufferSize);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &ClientConnection::onClientReadable);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &ClientConnection::onClientBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &ClientConnection::onClientDisconnected);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ClientConnection::onClientReadable, Qt::QueuedConnection);
}

qint64 ClientConnection::queuedBytes() const
{
    return m_mode == Mode::Closed ? 0 : m_socket->bytesToWrite();
}

void ClientConnection::expired(Expiry why)
{
    if (why == Expiry::Head && m_mode == Mode::Http && !m_inExchange) {
        qCDebug(lcProxy).noquote() << "request head from" << m_peer << "not in time";
        m_inExchange = true;
        m_ex = Exchange{};
        m_ex.closeAfter = true;
        respondLocal(408, u"The request head did not arrive in time."_s);
        return;
    }
    closeNow();
}

void ClientConnection::closeNow()
{
    if (m_mode == Mode::Closed)
        return;
    releaseUpstream(false);
    m_mode = Mode::Closing;  // abort() may report disconnected() synchronously
    m_socket->abort();
    finalize();
}

// --- client side -------------------------------------------------------------

void ClientConnection::onClientReadable()
{
    if (m_mode == Mode::Tunnel)
        pumpTunnel();
    else if (m_mode == Mode::Http)
        processClient();
    else if (m_mode == Mode::Closing)
        m_socket->skip(m_socket->bytesAvailable());  // nobody will answer it
}

void ClientConnection::onClientBytesWritten()
{
    noteSent();
    if (m_socket->bytesToWrite() > kLowWater)
        return;
    if (m_mode == Mode::Tunnel)
        pumpTunnel();
    else if (m_mode == Mode::Http && m_ex.upstream)
        processUpstream();
}

void ClientConnection::onClientDisconnected()
{
    m_clientEof = true;
    if (m_mode == Mode::Tunnel) {
        pumpTunnel();
        return;
    }
    if (m_mode == Mode::Http && m_inExchange)
        qCDebug(lcProxy).noquote() << "client" << m_peer << "left during" << m_ex.method << m_ex.path;
    finalize();
}

bool ClientConnection::clientPaused() const
{
    if (m_mode != Mode::Http)
        return true;
    if (!m_inExchange)
        return false;
    if (m_ex.requestDone)
        return true;  // the next request waits until this answer is out: pipelining in order
    return m_ex.upstream && m_ex.upstream->buffered() > kHighWater;
}

void ClientConnection::processClient()
{
    if (m_inProcess)
        return;  // the loop below is running further up the stack and will go on
    m_inProcess = true;
    while (m_mode == Mode::Http && !clientPaused()) {
        const http::Parser::Event event = m_parser.next();
        if (event == http::Parser::Event::NeedMore) {
            if (m_socket->bytesAvailable() <= 0) {
                // The first byte of the next request starts its head deadline.
                if (!m_inExchange && phase() == Phase::Idle && m_parser.inMessage())
                    setPhase(Phase::Head);
                break;
            }
            m_parser.feed(m_socket->read(kReadChunk));
            noteReceived();
            continue;
        }
        switch (event) {
        case http::Parser::Event::Head:
            handleRequestHead();
            break;
        case http::Parser::Event::Body:
            handleRequestBody(m_parser.takeBody());
            break;
        case http::Parser::Event::Complete:
            handleRequestComplete();
            break;
        case http::Parser::Event::Error:
            handleClientParseError();
            break;
        case http::Parser::Event::NeedMore:
            break;
        }
    }
    m_inProcess = false;
}

void ClientConnection::handleRequestHead()
{
    ++m_shared->stats.requests;
    m_inExchange = true;
    m_ex = Exchange{};

    const http::Request &req = m_parser.request();
    m_ex.method = req.method;
    m_ex.path = req.path();
    m_ex.clientMinor = req.versionMinor;
    m_ex.clientKeepAlive = req.keepAlive();
    if (req.headers.has("transfer-encoding"))
        m_ex.requestFraming = Framing::Chunked;  // the parser accepts chunked only
    else if (req.headers.has("content-length") && req.headers.value("content-length").trimmed() != "0")
        m_ex.requestFraming = Framing::Length;
    const bool hasBody = m_ex.requestFraming != Framing::None;
    setPhase(hasBody ? Phase::Body : Phase::Busy);

    QByteArray target = req.target;
    QByteArray host = req.headers.value("host");
    bool absoluteForm = false;
    if (target.size() > 7 && qstrnicmp(target.constData(), "http://", 7) == 0) {
        // Absolute form (RFC 9112 §3.2.2): the authority in the target wins over Host.
        const QByteArray rest = target.mid(7);
        qsizetype end = rest.indexOf('/');
        const qsizetype query = rest.indexOf('?');
        if (query >= 0 && (end < 0 || query < end))
            end = query;
        host = end < 0 ? rest : rest.left(end);
        target = end < 0 ? QByteArrayLiteral("/") : rest.mid(end);
        if (target.startsWith('?'))
            target.prepend('/');
        absoluteForm = true;
    }
    m_ex.host = host;
    const QString hostName = RouteTable::normalizeHost(QString::fromLatin1(host));

    if (m_ex.method == "CONNECT") {
        m_ex.closeAfter = true;  // the client would start tunnelling right after its head
        respondLocal(405, u"This server does not accept CONNECT."_s, {{"Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"}});
        return;
    }
    if (hostName.isEmpty()) {
        m_ex.closeAfter = hasBody;
        respondLocal(400, u"The request has no Host header."_s);
        return;
    }
    const std::optional<RouteTable::Route> route = m_shared->routes ? m_shared->routes->find(hostName) : std::nullopt;
    if (!route) {
        m_ex.closeAfter = hasBody;
        respondLocal(404, u"No app is served at %1."_s.arg(hostName));
        return;
    }
    if (route->kind == RouteTable::Route::Kind::Unavailable) {
        m_ex.closeAfter = hasBody;
        QString message = route->message;
        if (message.isEmpty()) {
            message = route->status == 503 ? u"%1 is starting; try again in a moment."_s.arg(hostName)
                                           : u"%1 is not running."_s.arg(hostName);
        }
        QList<std::pair<QByteArray, QByteArray>> extra;
        if (route->status == 503)
            extra.emplaceBack("Retry-After", "1");
        respondLocal(route->status, message, extra);
        return;
    }

    // Upgrade to a protocol of its own (WebSocket and the like) passes through; h2c is
    // an upgrade of this very hop and means nothing past it.
    m_ex.upgradeRequest = req.isUpgrade() && !req.headers.hasToken("upgrade", "h2c");

    http::Request out;
    out.method = req.method;
    out.target = target;
    out.versionMinor = 1;
    out.headers = req.headers;
    stripHopByHop(out.headers, m_ex.upgradeRequest);
    if (absoluteForm)
        out.headers.set("Host", host);
    if (m_ex.requestFraming == Framing::Chunked)
        out.headers.set("Transfer-Encoding", "chunked");
    if (m_ex.upgradeRequest)
        out.headers.set("Connection", "Upgrade");
    setForwardedFields(out.headers, req.headers, host);
    out.headers.set("Via", appendToList(req.headers, "via", "1.1 gasper"));

    m_ex.address = route->address;
    m_ex.port = route->port;
    const QByteArray head = http::serializeHead(out);
    if (!hasBody && isIdempotent(m_ex.method) && !m_ex.upgradeRequest)
        m_ex.upstreamHead = head;
    connectUpstream(true);
    writeUpstream(head);
}

void ClientConnection::handleRequestBody(const QByteArray &data)
{
    if (data.isEmpty() || !m_ex.upstream || m_ex.local)
        return;
    writeUpstream(m_ex.requestFraming == Framing::Chunked ? http::encodeChunk(data) : data);
}

void ClientConnection::handleRequestComplete()
{
    m_ex.requestDone = true;
    setPhase(Phase::Busy);
    if (m_ex.upstream && !m_ex.local && m_ex.requestFraming == Framing::Chunked)
        writeUpstream(http::lastChunk());
    armResponseTimer();
    if (m_ex.responseDone)
        finishExchange();
}

void ClientConnection::handleClientParseError()
{
    const int status = m_parser.errorStatus() > 0 ? m_parser.errorStatus() : 400;
    qCDebug(lcProxy).noquote() << "bad request from" << m_peer << status << m_parser.errorMessage();
    if (m_inExchange) {
        // Broken framing inside a body under way: the upstream got half a request.
        releaseUpstream(false);
        if (!m_ex.responseStarted) {
            m_ex.closeAfter = true;
            respondLocal(status, m_parser.errorMessage());
        }
        closeGracefully();
        return;
    }
    m_inExchange = true;
    m_ex = Exchange{};
    m_ex.closeAfter = true;
    respondLocal(status, m_parser.errorMessage());
}

void ClientConnection::respondLocal(int status, const QString &message,
                                    const QList<std::pair<QByteArray, QByteArray>> &extraHeaders)
{
    const QByteArray title = QByteArray::number(status) + ' ' + http::reasonPhrase(status);
    const QByteArray body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title
        + "</title></head>\n<body><h1>" + title + "</h1>\n<p>" + message.toHtmlEscaped().toUtf8()
        + "</p>\n<hr><address>gasper</address></body></html>\n";

    http::Response response;
    response.status = status;
    response.headers.add("Content-Type", "text/html; charset=utf-8");
    response.headers.add("Content-Length", QByteArray::number(body.size()));
    response.headers.add("Cache-Control", "no-store");
    for (const auto &[name, value] : extraHeaders)
        response.headers.add(name, value);
    const bool keep = m_ex.clientKeepAlive && !m_ex.closeAfter;
    if (!keep)
        response.headers.add("Connection", "close");
    else if (m_ex.clientMinor == 0)
        response.headers.add("Connection", "keep-alive");

    QByteArray bytes = http::serializeHead(response);
    if (m_ex.method != "HEAD")
        bytes += body;
    writeClient(bytes);
    countResponse(status);
    m_ex.local = true;
    m_ex.status = status;
    m_ex.responseStarted = true;
    m_ex.responseDone = true;

    if (!keep) {
        finishExchange();  // closes: the rest of the request, if any, is never read
    } else if (m_ex.requestDone) {
        finishExchange();
    }
    // else: a body-less request whose Complete comes next finishes the exchange.
}

void ClientConnection::finishExchange()
{
    if (!m_inExchange)
        return;
    releaseUpstream(m_ex.upstreamReusable);
    qCDebug(lcProxy).noquote() << m_peer << m_ex.method << m_ex.host << m_ex.path << "->" << m_ex.status
                               << (m_ex.local ? "(proxy)" : "");
    const bool keep = m_ex.clientKeepAlive && !m_ex.closeAfter && m_ex.requestDone;
    m_inExchange = false;
    m_ex = Exchange{};
    if (!keep) {
        closeGracefully();
        return;
    }
    setPhase(Phase::Idle);
    if (m_parser.upgraded()) {
        // An upgrade request that was not upgraded: go on with plain HTTP.
        const QByteArray rest = m_parser.takeRemaining();
        m_parser = http::Parser(http::Parser::Kind::Request, kStreamLimits);
        m_parser.feed(rest);
    }
    processClient();
}

// --- upstream side -----------------------------------------------------------

void ClientConnection::connectUpstream(bool allowReuse)
{
    UpstreamConnection *up = m_shared->pool->acquire(m_ex.address, m_ex.port, allowReuse);
    up->owner = this;
    up->parser.expectResponseTo(m_ex.method);
    m_ex.upstream = up;
}

void ClientConnection::releaseUpstream(bool reusable)
{
    UpstreamConnection *up = std::exchange(m_ex.upstream, nullptr);
    if (!up)
        return;
    up->owner = nullptr;
    if (reusable && up->socket->state() == QAbstractSocket::ConnectedState && !up->eof
        && up->socket->bytesAvailable() == 0 && up->buffered() == 0) {
        m_shared->pool->release(up);
    } else {
        up->discard(m_mode == Mode::Tunnel);
    }
}

void ClientConnection::onUpstreamConnected()
{
    if (m_mode == Mode::Http && !m_ex.requestDone)
        processClient();  // body bytes may have waited for the connection
    armResponseTimer();
}

void ClientConnection::armResponseTimer()
{
    // The response deadline runs from the moment the whole request is with the
    // upstream's kernel: a slow upload is the body deadline's business.
    UpstreamConnection *up = m_ex.upstream;
    if (m_mode == Mode::Http && up && up->connected && m_ex.requestDone && !m_ex.responseStarted && !m_ex.local
        && !up->responseTimer->isActive())
        up->responseTimer->start();
}

void ClientConnection::setForwardedFields(http::Headers &out, const http::Headers &in, const QByteArray &host) const
{
    // RFC 7239 §4: an IPv6 node and a host with a port are quoted-strings.
    const auto quoted = [](const QByteArray &value) {
        QByteArray q;
        q.reserve(value.size() + 2);
        q.append('"');
        for (char c : value) {
            if (c == '"' || c == '\\')
                q.append('\\');
            q.append(c);
        }
        q.append('"');
        return q;
    };
    const bool v6 = m_peerAddress.protocol() == QAbstractSocket::IPv6Protocol;
    QByteArray element("for=");
    element.append(v6 ? quoted(QByteArray("[").append(m_peer).append(']')) : m_peer);
    if (!host.isEmpty()) {
        const bool token = std::all_of(host.cbegin(), host.cend(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        });
        element.append(";host=").append(token ? host : quoted(host));
    }
    element += ";proto=http";
    if (m_trusted) {
        // A proxy in front of us vouches for what it sent; we add our hop.
        out.set("X-Forwarded-For", appendToList(in, "x-forwarded-for", m_peer));
        if (!in.has("x-forwarded-proto"))
            out.set("X-Forwarded-Proto", "http");
        if (!in.has("x-forwarded-host"))
            out.set("X-Forwarded-Host", host);
        out.set("Forwarded", appendToList(in, "forwarded", element));
        return;
    }
    // We are the edge: what the client claims about earlier hops is not believed.
    out.set("X-Forwarded-For", m_peer);
    out.set("X-Forwarded-Proto", "http");
    out.set("X-Forwarded-Host", host);
    out.set("Forwarded", element);
}

void ClientConnection::onUpstreamReadable()
{
    if (m_mode == Mode::Tunnel)
        pumpTunnel();
    else if (m_mode == Mode::Http)
        processUpstream();
}

void ClientConnection::onUpstreamBytesWritten()
{
    if (!m_ex.upstream || m_ex.upstream->buffered() > kLowWater)
        return;
    if (m_mode == Mode::Tunnel)
        pumpTunnel();
    else if (m_mode == Mode::Http)
        processClient();
}

void ClientConnection::onUpstreamEof()
{
    if (m_mode == Mode::Tunnel)
        pumpTunnel();
    else if (m_mode == Mode::Http)
        processUpstream();
}

void ClientConnection::onUpstreamFailed(int status, const QString &reason)
{
    UpstreamConnection *up = m_ex.upstream;
    if (!up)
        return;
    if (m_mode == Mode::Tunnel) {
        closeGracefully();
        return;
    }
    // A pooled connection the upstream closed just as we reused it: resend a body-less,
    // idempotent request once on a fresh connection.
    const bool retry = up->reused && !m_ex.upstreamSentBytes && !m_ex.upstreamHead.isEmpty() && !m_ex.retried
        && status == 502 && !m_ex.responseStarted;
    m_ex.upstream = nullptr;
    up->discard();
    if (retry) {
        qCDebug(lcProxy).noquote() << "stale pooled connection to" << up->key << "- retrying";
        m_ex.retried = true;
        connectUpstream(false);
        writeUpstream(m_ex.upstreamHead);
        return;
    }
    ++m_shared->stats.upstreamErrors;
    if (status == 504)
        ++m_shared->stats.upstreamTimeouts;
    qCWarning(lcProxy).noquote() << "upstream" << up->key << "for" << m_ex.host << "failed:" << reason;
    if (m_mode != Mode::Http)
        return;
    if (m_ex.responseStarted) {
        // Part of the answer is out: the client can only learn of the failure by the
        // connection ending early.
        closeGracefully();
        return;
    }
    m_ex.closeAfter = m_ex.closeAfter || !m_ex.requestDone;
    const QString hostName = RouteTable::normalizeHost(QString::fromLatin1(m_ex.host));
    if (status == 504)
        respondLocal(504, u"The app at %1 did not answer in time."_s.arg(hostName));
    else
        respondLocal(502, u"The app at %1 is not answering."_s.arg(hostName));
}

void ClientConnection::processUpstream()
{
    UpstreamConnection *const up = m_ex.upstream;
    while (up && m_ex.upstream == up && m_mode == Mode::Http) {
        if (m_socket->bytesToWrite() > kHighWater)
            return;  // resumed by onClientBytesWritten
        const http::Parser::Event event = up->parser.next();
        switch (event) {
        case http::Parser::Event::NeedMore:
            if (up->socket->bytesAvailable() > 0) {
                m_ex.upstreamSentBytes = true;
                up->parser.feed(up->socket->read(kReadChunk));
                continue;
            }
            if (up->eof && !up->eofFed) {
                up->eofFed = true;
                up->parser.feedEof();
                continue;
            }
            if (up->eof)
                onUpstreamFailed(502, u"closed the connection before answering"_s);
            return;
        case http::Parser::Event::Head:
            handleResponseHead();
            continue;
        case http::Parser::Event::Body:
            handleResponseBody(up->parser.takeBody());
            continue;
        case http::Parser::Event::Complete:
            handleResponseComplete();
            continue;
        case http::Parser::Event::Error:
            onUpstreamFailed(502, u"malformed response: "_s + up->parser.errorMessage());
            return;
        }
    }
}

void ClientConnection::handleResponseHead()
{
    UpstreamConnection *up = m_ex.upstream;
    const http::Response &resp = up->parser.response();
    const int status = resp.status;

    up->responseTimer->stop();
    if (status >= 100 && status < 200 && status != 101) {
        // Interim answer (100 Continue, 103 Early Hints): HTTP/1.0 clients cannot take it.
        // The final head is on the same deadline again.
        m_ex.interim = true;
        armResponseTimer();
        if (m_ex.clientMinor >= 1) {
            http::Response out;
            out.status = status;
            out.reason = resp.reason;
            out.headers = resp.headers;
            stripHopByHop(out.headers, false);
            writeClient(http::serializeHead(out));
        }
        return;
    }
    if (status == 101 && !m_ex.upgradeRequest) {
        onUpstreamFailed(502, u"101 to a request that asked for no upgrade"_s);
        return;
    }

    http::Response out;
    out.status = status;
    out.reason = resp.reason;
    out.versionMinor = 1;
    out.headers = resp.headers;
    const bool switching = status == 101;
    stripHopByHop(out.headers, switching);
    out.headers.set("Via", appendToList(resp.headers, "via", "1.1 gasper"));

    const bool bodyless = m_ex.method == "HEAD" || status == 204 || status == 304 || switching;
    const bool upstreamChunked = resp.headers.hasToken("transfer-encoding", "chunked");
    const bool upstreamHasTe = resp.headers.has("transfer-encoding");
    if (bodyless) {
        m_ex.responseFraming = Framing::None;
    } else if (!upstreamHasTe && resp.headers.has("content-length")) {
        m_ex.responseFraming = Framing::Length;
    } else {
        // Chunked, or delimited by the upstream closing: chunked to an HTTP/1.1 client
        // keeps its connection; an HTTP/1.0 client can only learn the end by a close.
        m_ex.upstreamCloseDelimited = !upstreamChunked;
        out.headers.remove("content-length");
        if (m_ex.clientMinor >= 1) {
            m_ex.responseFraming = Framing::Chunked;
            out.headers.set("Transfer-Encoding", "chunked");
        } else {
            m_ex.responseFraming = Framing::Close;
            m_ex.closeAfter = true;
        }
    }

    if (switching) {
        m_ex.switching = true;
        out.headers.set("Connection", "Upgrade");
    } else if (!m_ex.clientKeepAlive || m_ex.closeAfter) {
        out.headers.set("Connection", "close");
    } else if (m_ex.clientMinor == 0) {
        out.headers.set("Connection", "keep-alive");
    }

    m_ex.status = status;
    m_ex.responseStarted = true;
    countResponse(status);
    writeClient(http::serializeHead(out));
}

void ClientConnection::handleResponseBody(const QByteArray &data)
{
    if (data.isEmpty() || m_ex.interim)
        return;
    writeClient(m_ex.responseFraming == Framing::Chunked ? http::encodeChunk(data) : data);
}

void ClientConnection::handleResponseComplete()
{
    if (m_ex.interim) {
        m_ex.interim = false;  // the final answer follows on the same parser
        return;
    }
    UpstreamConnection *up = m_ex.upstream;
    if (m_ex.switching) {
        enterTunnel();
        return;
    }
    if (m_ex.responseFraming == Framing::Chunked)
        writeClient(http::lastChunk());
    m_ex.responseDone = true;
    // After an upgrade request the upstream may have switched its parser off even
    // though it answered plainly; such a connection is not trusted with another request.
    m_ex.upstreamReusable = m_ex.requestDone && up->parser.response().keepAlive() && !m_ex.upstreamCloseDelimited
        && !up->eof && !m_ex.upgradeRequest;
    if (!m_ex.requestDone) {
        // The upstream answered before the request body was all here (an early 413, or
        // a refused Expect): neither connection knows where the other stands now.
        m_ex.closeAfter = true;
        m_ex.upstreamReusable = false;
    }
    finishExchange();
}

// --- tunnel ------------------------------------------------------------------

void ClientConnection::enterTunnel()
{
    ++m_shared->stats.tunnels;
    m_mode = Mode::Tunnel;
    setPhase(Phase::Busy);
    UpstreamConnection *up = m_ex.upstream;
    qCDebug(lcProxy).noquote() << m_peer << m_ex.method << m_ex.host << m_ex.path << "-> 101 tunnel to" << up->key;
    writeClient(up->parser.takeRemaining());
    writeUpstream(m_parser.takeRemaining());
    pumpTunnel();
}

void ClientConnection::pumpTunnel()
{
    if (m_mode != Mode::Tunnel)
        return;
    UpstreamConnection *up = m_ex.upstream;
    if (!up) {
        closeGracefully();
        return;
    }
    while (m_socket->bytesToWrite() <= kHighWater && up->socket->bytesAvailable() > 0)
        writeClient(up->socket->read(kReadChunk));
    // After the client closed, what it sent last is still in the socket's buffer.
    while (up->buffered() <= kHighWater && m_socket->bytesAvailable() > 0)
        writeUpstream(m_socket->read(kReadChunk));
    if (up->eof && up->socket->bytesAvailable() == 0) {
        closeGracefully();  // flushes what the upstream said last
        return;
    }
    if (m_clientEof && m_socket->bytesAvailable() == 0) {
        // Hand the last client bytes to the upstream, then close it after they are out.
        m_ex.upstream = nullptr;
        up->discard(true);
        finalize();
    }
}

// --- closing -----------------------------------------------------------------

void ClientConnection::closeGracefully()
{
    if (m_mode == Mode::Closing || m_mode == Mode::Closed)
        return;
    releaseUpstream(false);
    m_mode = Mode::Closing;
    m_inExchange = false;
    setPhase(Phase::Linger);
    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        finalize();
        return;
    }
    m_socket->disconnectFromHost();  // writes what is queued, then disconnected() -> finalize()
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        finalize();
}

void ClientConnection::finalize()
{
    if (m_mode == Mode::Closed)
        return;
    releaseUpstream(false);
    m_mode = Mode::Closed;
    m_inExchange = false;
    m_shared->clients.remove(this);
    leaveCore();
    QObject::disconnect(m_socket, nullptr, this, nullptr);
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    deleteLater();
}

// --- helpers -----------------------------------------------------------------

void ClientConnection::writeClient(const QByteArray &data)
{
    if (data.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (!checkQueue())
        return;  // dropped: it stopped reading (the flow control keeps this rare)
    m_socket->write(data);
    m_shared->noteBuffered(m_socket->bytesToWrite());
}

void ClientConnection::writeUpstream(const QByteArray &data)
{
    if (data.isEmpty() || !m_ex.upstream)
        return;
    m_ex.upstream->write(data);
    m_shared->noteBuffered(m_ex.upstream->buffered());
}

void ClientConnection::countResponse(int status)
{
    ProxyStats &s = m_shared->stats;
    switch (status / 100) {
    case 2: ++s.responses2xx; break;
    case 3: ++s.responses3xx; break;
    case 4: ++s.responses4xx; break;
    case 5: ++s.responses5xx; break;
    default: break;
    }
}

} // namespace gasper::proxy::detail
