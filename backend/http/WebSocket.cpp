// SPDX-License-Identifier: MIT
#include "http/WebSocket.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <cstring>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace gasper::ws {

namespace {

bool isControl(Opcode opcode)
{
    return (quint8(opcode) & 0x8) != 0;
}

bool isKnownOpcode(quint8 op)
{
    return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

void applyMask(char *data, qsizetype size, const quint8 mask[4], qsizetype phase = 0)
{
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(quint8(data[i]) ^ mask[(i + phase) & 3]);
}

// Compact the buffer once this many consumed bytes sit before the unconsumed ones.
constexpr qsizetype CompactThreshold = 16 * 1024;

} // namespace

QByteArray acceptKey(QByteArrayView clientKey)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(clientKey);
    hash.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return hash.result().toBase64();
}

QByteArray encodeFrame(Opcode opcode, QByteArrayView payload, bool fin, std::optional<quint32> maskKey)
{
    QByteArray out;
    const qsizetype n = payload.size();
    out.reserve(n + 14);
    out.append(char((fin ? 0x80 : 0x00) | quint8(opcode)));
    const quint8 maskBit = maskKey ? 0x80 : 0x00;
    if (n < 126) {
        out.append(char(maskBit | quint8(n)));
    } else if (n <= 0xffff) {
        out.append(char(maskBit | 126));
        uchar len[2];
        qToBigEndian(quint16(n), len);
        out.append(reinterpret_cast<const char *>(len), 2);
    } else {
        out.append(char(maskBit | 127));
        uchar len[8];
        qToBigEndian(quint64(n), len);
        out.append(reinterpret_cast<const char *>(len), 8);
    }
    if (maskKey) {
        quint8 mask[4];
        qToBigEndian(*maskKey, mask);
        out.append(reinterpret_cast<const char *>(mask), 4);
        const qsizetype start = out.size();
        out.append(payload);
        applyMask(out.data() + start, n, mask);
    } else {
        out.append(payload);
    }
    return out;
}

QByteArray closePayload(quint16 code, QByteArrayView reason)
{
    QByteArray out;
    uchar be[2];
    qToBigEndian(code, be);
    out.append(reinterpret_cast<const char *>(be), 2);
    // Cut on a character boundary so the reason stays valid UTF-8.
    qsizetype n = std::min<qsizetype>(reason.size(), 123);
    while (n > 0 && n < reason.size() && (quint8(reason[n]) & 0xC0) == 0x80)
        --n;
    out.append(reason.first(n));
    return out;
}

bool isValidUtf8(QByteArrayView data)
{
    const auto *p = reinterpret_cast<const quint8 *>(data.data());
    const auto *end = p + data.size();
    while (p < end) {
        // ASCII fast path, eight bytes at a time.
        while (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ULL)
                break;
            p += 8;
        }
        if (p >= end)
            break;
        const quint8 c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra;
        quint32 cp;
        quint32 min;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

bool isValidCloseCode(quint16 code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

FrameParser::FrameParser(Role role, qint64 maxMessageBytes)
    : m_role(role)
    , m_maxMessageBytes(maxMessageBytes)
{
}

void FrameParser::feed(QByteArrayView data)
{
    if (data.isEmpty() || m_failed)
        return;
    if (m_offset >= m_buffer.size()) {
        m_buffer.resize(0);
        m_offset = 0;
    } else if (m_offset >= CompactThreshold && m_offset * 2 >= m_buffer.size()) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(data);
}

FrameParser::Event FrameParser::fail(quint16 code, QString message)
{
    m_failed = true;
    m_errorCode = code;
    m_errorMessage = std::move(message);
    m_buffer.clear();
    m_offset = 0;
    m_fragments.clear();
    return Event::Error;
}

FrameParser::Event FrameParser::next()
{
    for (;;) {
        if (m_failed)
            return Event::Error;
        const auto *p = reinterpret_cast<const quint8 *>(m_buffer.constData()) + m_offset;
        const qsizetype available = m_buffer.size() - m_offset;
        if (available < 2)
            return Event::NeedMore;

        const bool fin = p[0] & 0x80;
        if (p[0] & 0x70)
            return fail(CloseCode::ProtocolError, u"reserved bits set without a negotiated extension"_s);
        const quint8 op = p[0] & 0x0F;
        if (!isKnownOpcode(op))
            return fail(CloseCode::ProtocolError, u"unknown opcode %1"_s.arg(op));
        const auto opcode = Opcode(op);
        const bool masked = p[1] & 0x80;
        if (m_role == Role::Server && !masked)
            return fail(CloseCode::ProtocolError, u"client frames must be masked"_s);
        if (m_role == Role::Client && masked)
            return fail(CloseCode::ProtocolError, u"server frames must not be masked"_s);

        qsizetype headerSize = 2;
        quint64 length = p[1] & 0x7F;
        if (length == 126) {
            headerSize += 2;
            if (available < headerSize)
                return Event::NeedMore;
            length = qFromBigEndian<quint16>(p + 2);
        } else if (length == 127) {
            headerSize += 8;
            if (available < headerSize)
                return Event::NeedMore;
            length = qFromBigEndian<quint64>(p + 2);
            if (length >> 63)
                return fail(CloseCode::ProtocolError, u"frame length has the high bit set"_s);
        }
        if (isControl(opcode)) {
            if (!fin)
                return fail(CloseCode::ProtocolError, u"fragmented control frame"_s);
            if (length > 125)
                return fail(CloseCode::ProtocolError, u"control frame longer than 125 bytes"_s);
        } else {
            if (opcode == Opcode::Continuation && !m_inFragmentedMessage)
                return fail(CloseCode::ProtocolError, u"continuation frame without a message to continue"_s);
            if (opcode != Opcode::Continuation && m_inFragmentedMessage)
                return fail(CloseCode::ProtocolError, u"new message inside a fragmented message"_s);
            const quint64 total = length + quint64(m_inFragmentedMessage ? m_fragments.size() : 0);
            if (m_maxMessageBytes >= 0 && total > quint64(m_maxMessageBytes))
                return fail(CloseCode::MessageTooBig, u"message larger than %1 bytes"_s.arg(m_maxMessageBytes));
        }
        // A frame length beyond what a QByteArray holds can only be refused.
        if (length > quint64(std::numeric_limits<qsizetype>::max() / 2))
            return fail(CloseCode::MessageTooBig, u"frame too large"_s);
        quint8 mask[4] = {0, 0, 0, 0};
        if (masked) {
            if (available < headerSize + 4)
                return Event::NeedMore;
            std::memcpy(mask, p + headerSize, 4);
            headerSize += 4;
        }
        if (quint64(available - headerSize) < length)
            return Event::NeedMore;

        const auto n = qsizetype(length);
        const char *payload = reinterpret_cast<const char *>(p) + headerSize;
        m_offset += headerSize + n;

        if (isControl(opcode)) {
            Message message;
            message.opcode = opcode;
            message.payload = QByteArray(payload, n);
            if (masked)
                applyMask(message.payload.data(), n, mask);
            if (opcode == Opcode::Close) {
                if (n == 1)
                    return fail(CloseCode::ProtocolError, u"close frame with a one-byte payload"_s);
                if (n == 0) {
                    message.closeCode = CloseCode::NoStatus;
                } else {
                    message.closeCode = qFromBigEndian<quint16>(message.payload.constData());
                    if (!isValidCloseCode(message.closeCode))
                        return fail(CloseCode::ProtocolError, u"invalid close code %1"_s.arg(message.closeCode));
                    message.payload.remove(0, 2);
                    if (!isValidUtf8(message.payload))
                        return fail(CloseCode::InvalidPayload, u"close reason is not valid UTF-8"_s);
                }
            }
            m_message = std::move(message);
            return Event::Message;
        }

        if (opcode != Opcode::Continuation) {
            m_fragmentOpcode = opcode;
            m_fragments.clear();
        }
        const qsizetype start = m_fragments.size();
        m_fragments.append(payload, n);
        if (masked)
            applyMask(m_fragments.data() + start, n, mask);
        if (!fin) {
            m_inFragmentedMessage = true;
            continue;
        }
        m_inFragmentedMessage = false;
        if (m_fragmentOpcode == Opcode::Text && !isValidUtf8(m_fragments))
            return fail(CloseCode::InvalidPayload, u"text message is not valid UTF-8"_s);
        m_message = Message{m_fragmentOpcode, std::exchange(m_fragments, QByteArray()), 0};
        return Event::Message;
    }
}

} // namespace gasper::ws
