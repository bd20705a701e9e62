// SPDX-License-Identifier: MIT
#include "docker/FrameDemuxer.h"

#include <QtEndian>

namespace gasper::docker {

namespace {
constexpr qsizetype kHeaderSize = 8;
constexpr int kSystemErrorStream = 3;  // stdcopy.Systemerr: an error message from the engine
} // namespace

DemuxResult FrameDemuxer::feed(QByteArrayView data)
{
    DemuxResult result;
    if (m_error) {
        result.error = m_error;
        return result;
    }
    QList<StreamChunk> &chunks = result.chunks;
    while (!data.isEmpty()) {
        if (m_remaining == 0) {
            const qsizetype take = std::min(kHeaderSize - m_header.size(), data.size());
            m_header.append(data.first(take));
            data = data.sliced(take);
            if (m_header.size() < kHeaderSize)
                break;
            const auto *h = reinterpret_cast<const uchar *>(m_header.constData());
            m_stream = h[0];
            if (m_stream > kSystemErrorStream || h[1] != 0 || h[2] != 0 || h[3] != 0) {
                m_error = Error{QStringLiteral("docker-error"),
                                QStringLiteral("Docker sent a corrupt multiplexed stream (frame header %1)")
                                    .arg(QString::fromLatin1(m_header.toHex(' ')))};
                result.error = m_error;
                return result;
            }
            m_remaining = qFromBigEndian<quint32>(h + 4);
            m_header.clear();
            continue;  // an empty frame is valid and says nothing
        }
        const qsizetype take = std::min<qsizetype>(m_remaining, data.size());
        const QByteArrayView part = data.first(take);
        data = data.sliced(take);
        m_remaining -= quint32(take);
        if (m_stream == kSystemErrorStream) {
            m_systemError.append(part);
            if (m_remaining == 0) {
                m_error = Error{QStringLiteral("docker-error"), QString::fromUtf8(m_systemError).trimmed()};
                result.error = m_error;
                return result;
            }
            continue;
        }
        // Within one feed() the bytes of a frame come out as one chunk.
        const auto kind = StreamKind(m_stream);
        chunks.append(StreamChunk{kind, part.toByteArray()});
    }
    return result;
}

QList<QByteArray> LineSplitter::feed(QByteArrayView data)
{
    QList<QByteArray> lines;
    m_buffer.append(data);
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', start);
        if (nl < 0) {
            while (m_buffer.size() - start >= m_maxLineBytes) {
                lines.append(m_buffer.mid(start, m_maxLineBytes));
                start += m_maxLineBytes;
            }
            break;
        }
        qsizetype end = nl;
        if (end > start && m_buffer.at(end - 1) == '\r')
            --end;
        lines.append(m_buffer.mid(start, end - start));
        start = nl + 1;
    }
    m_buffer.remove(0, start);
    return lines;
}

QByteArray LineSplitter::takeRest()
{
    return std::exchange(m_buffer, {});
}

} // namespace gasper::docker
