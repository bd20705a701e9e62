// SPDX-License-Identifier: MIT
#include "docker/DockerStream.h"

#include "core/Log.h"
#include "docker/DockerClient.h"

#include <QJsonDocument>
#include <QLocalSocket>

#include <sys/socket.h>

namespace gasper::docker {

DockerStream::DockerStream(DockerClient *client, QByteArray method, QByteArray path, QByteArray body, bool hijack,
                           Framing framing, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_socketPath(client->socketPath())
    , m_method(std::move(method))
    , m_path(std::move(path))
    , m_body(std::move(body))
    , m_hijack(hijack)
    , m_framing(framing)
    , m_headTimeoutMs(int(client->requestTimeout().count()))
{
    m_headTimer.setSingleShot(true);
    connect(&m_headTimer, &QTimer::timeout, this, [this] {
        finish(fail(QStringLiteral("docker-timeout"),
                    QStringLiteral("The Docker engine at %1 did not answer %2 %3 within %4 s.")
                        .arg(m_socketPath, QString::fromLatin1(m_method), QString::fromUtf8(m_path))
                        .arg(m_headTimeoutMs / 1000.0)));
    });
    // While setting up, the stream waits on the client (version, inspect); its calls and
    // their callbacks die with it.
    connect(client, &QObject::destroyed, this, [this] {
        if (m_phase == Phase::Setup)
            finish(fail(QStringLiteral("docker-unavailable"),
                        QStringLiteral("The Docker client was shut down before %1 %2 started.")
                            .arg(QString::fromLatin1(m_method), QString::fromUtf8(m_path))));
    });
}

DockerStream::~DockerStream()
{
    releaseSocket();
}

void DockerStream::guarded(const std::function<void()> &handler)
{
    const QPointer<DockerStream> self(this);
    ++m_socketCallbackDepth;
    handler();
    if (self)
        --m_socketCallbackDepth;
}

void DockerStream::releaseSocket()
{
    QLocalSocket *socket = std::exchange(m_socket, nullptr);
    if (!socket)
        return;
    socket->disconnect(this);
    if (m_socketCallbackDepth > 0) {
        // Inside one of its own signals: deleting it now would pull the floor from under Qt.
        socket->setParent(nullptr);
        socket->deleteLater();
    } else {
        socket->abort();
        delete socket;
    }
}

void DockerStream::open(const QByteArray &apiPrefix)
{
    if (m_phase != Phase::Setup)
        return;
    m_phase = Phase::Connecting;
    http::Limits limits;
    limits.maxBodyBytes = -1;  // logs and events run for as long as they like
    m_parser.emplace(http::Parser::Kind::Response, limits);
    m_parser->expectResponseTo(m_method);
    m_path = apiPrefix + m_path;

    m_socket = new QLocalSocket(this);
    connect(m_socket, &QLocalSocket::connected, this, [this] { guarded([this] { onConnected(); }); });
    connect(m_socket, &QLocalSocket::readyRead, this, [this] {
        if (!m_readPaused)
            guarded([this] { onReadyRead(); });
    });
    connect(m_socket, &QLocalSocket::disconnected, this, [this] { guarded([this] { onEndOfInput(); }); });
    connect(m_socket, &QLocalSocket::bytesWritten, this, [this] { guarded([this] { onBytesWritten(); }); });
    connect(m_socket, &QLocalSocket::errorOccurred, this,
            [this](QLocalSocket::LocalSocketError error) { guarded([this, error] { onSocketError(error); }); });
    if (m_headTimeoutMs > 0)
        m_headTimer.start(m_headTimeoutMs);
    qCDebug(lcDocker) << "stream" << m_method << m_path;
    m_socket->connectToServer(m_socketPath);
}

void DockerStream::onConnected()
{
    if (m_phase != Phase::Connecting)
        return;
    m_phase = Phase::AwaitingHead;
    m_socket->write(detail::requestBytes(m_method, m_path, m_body, m_hijack));
}

void DockerStream::onSocketError(int error)
{
    if (m_phase == Phase::Done)
        return;
    if (error == QLocalSocket::PeerClosedError) {
        onEndOfInput();
        return;
    }
    if (m_phase == Phase::Connecting) {
        finish(std::unexpected(
            detail::unavailableError(m_socketPath, error, m_socket ? m_socket->errorString() : QString())));
        return;
    }
    finish(fail(QStringLiteral("docker-unavailable"),
                QStringLiteral("The connection to the Docker engine at %1 failed during %2 %3: %4")
                    .arg(m_socketPath, QString::fromLatin1(m_method), QString::fromUtf8(m_path),
                         m_socket ? m_socket->errorString() : QString())));
}

void DockerStream::onReadyRead()
{
    if (!m_socket || m_phase == Phase::Done)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    if (m_phase == Phase::Hijacked) {
        deliver(data);
        return;
    }
    m_parser->feed(data);
    pump();
}

void DockerStream::pump()
{
    const QPointer<DockerStream> self(this);
    while (m_phase == Phase::AwaitingHead || m_phase == Phase::Streaming) {
        switch (m_parser->next()) {
        case http::Parser::Event::NeedMore:
            return;
        case http::Parser::Event::Head:
            m_status = m_parser->response().status;
            if (m_status >= 200 && m_status < 300) {
                m_phase = Phase::Streaming;
                m_headTimer.stop();
                if (m_hijack)
                    becomeWritable();  // an engine that hijacks without 101 (no Upgrade support)
                emit started();
                if (!self)
                    return;
            }
            break;  // 101: Complete follows, then the raw stream; 4xx/5xx: the error body follows
        case http::Parser::Event::Body: {
            const QByteArray body = m_parser->takeBody();
            if (m_phase == Phase::Streaming) {
                if (!deliver(body))
                    return;
            } else if (m_errorBody.size() < 64 * 1024) {
                m_errorBody.append(body);
            }
            break;
        }
        case http::Parser::Event::Complete:
            if (m_status == 101) {
                m_phase = Phase::Hijacked;
                m_headTimer.stop();
                const QByteArray rest = m_parser->takeRemaining();  // the first bytes of the stream
                becomeWritable();
                emit started();
                if (!self || m_phase == Phase::Done)
                    return;
                if (!rest.isEmpty())
                    deliver(rest);
                return;
            }
            if (m_phase == Phase::Streaming)
                endOfStream();
            else
                finish(std::unexpected(detail::responseError(m_status, m_errorBody, m_method, m_path)));
            return;
        case http::Parser::Event::Error:
            finish(fail(QStringLiteral("docker-error"),
                        QStringLiteral("Docker sent a malformed answer to %1 %2: %3")
                            .arg(QString::fromLatin1(m_method), QString::fromUtf8(m_path), m_parser->errorMessage())));
            return;
        }
    }
}

bool DockerStream::deliver(const QByteArray &data)
{
    const QPointer<DockerStream> self(this);
    switch (m_framing) {
    case Framing::Raw:
        emit output(StreamKind::Stdout, data);
        break;
    case Framing::Multiplexed: {
        const DemuxResult result = m_demuxer.feed(data);
        for (const StreamChunk &chunk : result.chunks) {
            emit output(chunk.kind, chunk.data);
            if (!self || m_phase == Phase::Done)
                return false;
        }
        if (result.error) {
            finish(std::unexpected(*result.error));
            return false;
        }
        break;
    }
    case Framing::JsonLines:
        for (const QByteArray &line : m_lines.feed(data)) {
            if (line.trimmed().isEmpty())
                continue;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (!doc.isObject()) {
                qCWarning(lcDocker) << "skipping a line of" << m_path << "that is not a JSON object:" << error.errorString();
                continue;
            }
            emit jsonMessage(doc.object());
            if (!self || m_phase == Phase::Done)
                return false;
        }
        break;
    }
    return self && m_phase != Phase::Done;
}

void DockerStream::onEndOfInput()
{
    if (m_phase == Phase::Done)
        return;
    const QPointer<DockerStream> self(this);
    if (m_socket && m_socket->bytesAvailable() > 0) {
        onReadyRead();
        if (!self || m_phase == Phase::Done)
            return;
    }
    switch (m_phase) {
    case Phase::Setup:
    case Phase::Done:
        return;
    case Phase::Connecting:
    case Phase::AwaitingHead:
        m_parser->feedEof();
        pump();
        if (self && m_phase != Phase::Done)
            finish(fail(QStringLiteral("docker-unavailable"),
                        QStringLiteral("The Docker engine at %1 closed the connection before answering %2 %3.")
                            .arg(m_socketPath, QString::fromLatin1(m_method), QString::fromUtf8(m_path))));
        return;
    case Phase::Streaming:
        m_parser->feedEof();  // ends a body framed by the connection; a cut chunked body is an error
        pump();
        if (self && m_phase != Phase::Done)
            endOfStream();
        return;
    case Phase::Hijacked:
        endOfStream();
        return;
    }
}

void DockerStream::endOfStream()
{
    if (m_framing == Framing::JsonLines) {
        const QByteArray rest = m_lines.takeRest().trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(rest);
        if (doc.isObject()) {
            const QPointer<DockerStream> self(this);
            emit jsonMessage(doc.object());
            if (!self)
                return;
        }
    }
    if (m_framing == Framing::Multiplexed && !m_demuxer.atFrameBoundary())
        qCDebug(lcDocker) << "stream" << m_path << "ended inside a frame";
    finish({});
}

void DockerStream::becomeWritable()
{
    m_writable = true;
    if (!m_pendingWrite.isEmpty() && m_socket)
        m_socket->write(std::exchange(m_pendingWrite, {}));
    flushWriteSide();
}

void DockerStream::onBytesWritten()
{
    flushWriteSide();
}

void DockerStream::flushWriteSide()
{
    if (!m_writeClosed || m_writeShutDown || !m_writable || !m_socket)
        return;
    if (m_socket->bytesToWrite() > 0) {
        m_socket->flush();
        if (m_socket->bytesToWrite() > 0)
            return;  // bytesWritten brings us back
    }
    m_writeShutDown = true;
    // QLocalSocket has no half-close: shut the write side of its descriptor directly.
    if (::shutdown(int(m_socket->socketDescriptor()), SHUT_WR) != 0)
        qCWarning(lcDocker) << "could not half-close stdin of" << m_path;
}

void DockerStream::write(const QByteArray &data)
{
    if (m_phase == Phase::Done || data.isEmpty())
        return;
    if (m_writeClosed) {
        qCWarning(lcDocker) << "write after closeWrite() on" << m_path << "ignored";
        return;
    }
    if (m_writable && m_socket)
        m_socket->write(data);
    else
        m_pendingWrite.append(data);
}

void DockerStream::closeWrite()
{
    if (m_writeClosed || m_phase == Phase::Done)
        return;
    m_writeClosed = true;
    flushWriteSide();
}

void DockerStream::close()
{
    finish({});
}

void DockerStream::setReadPaused(bool paused)
{
    if (paused == m_readPaused)
        return;
    m_readPaused = paused;
    if (!m_socket)
        return;
    // A bounded read buffer makes QLocalSocket stop reading the descriptor once it is full.
    m_socket->setReadBufferSize(paused ? kPausedReadBuffer : 0);
    if (!paused)
        QMetaObject::invokeMethod(this, [this] {
            if (!m_readPaused && m_socket && m_socket->bytesAvailable() > 0)
                guarded([this] { onReadyRead(); });
        }, Qt::QueuedConnection);
}

void DockerStream::finish(Result<void> result)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_headTimer.stop();
    releaseSocket();
    if (!result)
        qCDebug(lcDocker) << "stream" << m_path << "failed:" << result.error().code << result.error().message;
    // Never inside the caller's own call (close(), a slot of output()): from the event loop.
    QMetaObject::invokeMethod(
        this,
        [this, result = std::move(result)] {
            emit finished(result);
            deleteLater();
        },
        Qt::QueuedConnection);
}

} // namespace gasper::docker
