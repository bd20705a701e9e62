// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "docker/DockerTypes.h"
#include "docker/FrameDemuxer.h"
#include "http/HttpParser.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

class QLocalSocket;

namespace gasper::docker {

class DockerClient;

// A long-lived Engine API response on its own connection: container logs, exec output,
// attach (hijacked after `101 UPGRADED`, bidirectional) and the events stream. Made by
// DockerClient only.
//
// Guarantees: started() at most once, when the engine accepted the request; output() /
// jsonMessage() only after started(); finished() exactly once, always from the event
// loop (never inside a call of the owner), after which the stream deletes itself with
// deleteLater() — unless the owner deleted it first, which closes the connection and
// emits nothing. A stream the engine refused (404 for a missing container, …) finishes
// with the mapped error without started(). Deleting the DockerClient while the stream is
// still being set up finishes it with `docker-unavailable`; once connected it no longer
// needs the client.
class DockerStream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DockerStream)

public:
    ~DockerStream() override;

    // Bytes for the process's stdin (exec/attach with stdin attached). Written once the
    // engine has switched protocols; data written before that is kept until then.
    void write(const QByteArray &data);
    // Half-closes stdin after everything written so far is sent, so `cat`-like commands
    // see end of file while their output still comes back.
    void closeWrite();
    // Stops now; finished() with success follows.
    void close();
    // Flow control: while paused, output() stops and at most kPausedReadBuffer bytes are
    // buffered, so the engine (and the process behind it) is held back by the socket.
    // Resuming delivers what was buffered from the event loop.
    void setReadPaused(bool paused);
    bool isReadPaused() const { return m_readPaused; }
    static constexpr qint64 kPausedReadBuffer = 64 * 1024;

signals:
    void started();
    // Demultiplexed frames, or raw bytes as Stdout when the process has a TTY. Chunks are
    // not aligned with lines.
    void output(gasper::docker::StreamKind kind, const QByteArray &data);
    // Events stream: one per newline-delimited JSON object.
    void jsonMessage(const QJsonObject &message);
    void finished(const gasper::Result<void> &result);

private:
    friend class DockerClient;
    enum class Framing { Multiplexed, Raw, JsonLines };
    enum class Phase { Setup, Connecting, AwaitingHead, Streaming, Hijacked, Done };

    DockerStream(DockerClient *client, QByteArray method, QByteArray path, QByteArray body, bool hijack,
                 Framing framing, QObject *parent);

    void setFraming(Framing framing) { m_framing = framing; }
    void open(const QByteArray &apiPrefix);  // connect and send the request
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onBytesWritten();
    void pump();
    bool deliver(const QByteArray &data);  // false when the stream ended meanwhile
    void becomeWritable();
    void flushWriteSide();
    void onSocketError(int error);
    void onEndOfInput();
    void endOfStream();
    void finish(Result<void> result);
    void releaseSocket();
    // Runs a handler of a socket signal, noting that the socket must not be deleted
    // synchronously meanwhile (it is inside its own signal emission).
    void guarded(const std::function<void()> &handler);

    QPointer<DockerClient> m_client;
    QString m_socketPath;
    QByteArray m_method;
    QByteArray m_path;  // without the version prefix
    QByteArray m_body;
    bool m_hijack = false;
    Framing m_framing = Framing::Raw;
    Phase m_phase = Phase::Setup;
    int m_headTimeoutMs = 60000;

    QLocalSocket *m_socket = nullptr;
    int m_socketCallbackDepth = 0;  // > 0 while inside a signal of m_socket
    std::optional<http::Parser> m_parser;
    int m_status = 0;
    QByteArray m_errorBody;
    FrameDemuxer m_demuxer;
    LineSplitter m_lines;
    QTimer m_headTimer;

    bool m_writable = false;
    QByteArray m_pendingWrite;
    bool m_writeClosed = false;     // closeWrite() was called
    bool m_writeShutDown = false;   // shutdown(SHUT_WR) done
    bool m_finishing = false;
    bool m_readPaused = false;
};

} // namespace gasper::docker
