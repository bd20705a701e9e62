// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "docker/DockerTypes.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace gasper::docker {

struct StreamChunk
{
    StreamKind kind = StreamKind::Stdout;
    QByteArray data;
    friend bool operator==(const StreamChunk &, const StreamChunk &) = default;
};

// What one feed() yields: the chunks complete so far and, once the stream turned out
// corrupt or carried an engine error, that error (chunks before it are still valid).
struct DemuxResult
{
    QList<StreamChunk> chunks;
    std::optional<Error> error;
};

// Splits Docker's multiplexed stream (logs, exec and attach without a TTY) into its
// parts. Each frame is an 8-byte header [stream, 0, 0, 0, size as big-endian u32]
// followed by `size` bytes. Input may be cut anywhere; payload bytes are handed out
// as soon as they arrive (a frame may come out in several chunks), so a long line
// is not held back. Stream 3 is Docker's in-band error: it is collected whole and
// reported as a `docker-error`. Any other header is a corrupt stream. After an
// error every later feed() reports the same error and no chunks.
class FrameDemuxer
{
public:
    DemuxResult feed(QByteArrayView data);
    // True when no frame is partly read (a clean place for the stream to end).
    bool atFrameBoundary() const { return m_header.isEmpty() && m_remaining == 0; }

private:
    QByteArray m_header;  // 0..7 bytes of a header being read
    quint32 m_remaining = 0;
    int m_stream = 1;
    QByteArray m_systemError;
    std::optional<Error> m_error;
};

// Cuts a byte stream into lines ending in '\n' (the '\n' and a '\r' before it removed).
// A line longer than maxLineBytes comes out in pieces of that size, so a peer that never
// sends a newline cannot make it buffer without bound.
class LineSplitter
{
public:
    explicit LineSplitter(qsizetype maxLineBytes = 1024 * 1024) : m_maxLineBytes(maxLineBytes) {}
    QList<QByteArray> feed(QByteArrayView data);
    QByteArray takeRest();  // an unterminated last line, at the end of the stream

private:
    qsizetype m_maxLineBytes;
    QByteArray m_buffer;
};

} // namespace gasper::docker
