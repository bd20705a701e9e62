// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <utility>

namespace gasper::ws {

// RFC 6455 §5.2 opcodes.
enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// RFC 6455 §7.4.1 status codes we send.
namespace CloseCode {
inline constexpr quint16 Normal = 1000;
inline constexpr quint16 GoingAway = 1001;
inline constexpr quint16 ProtocolError = 1002;
inline constexpr quint16 NoStatus = 1005;     // never on the wire: a Close frame without a code
inline constexpr quint16 Abnormal = 1006;     // never on the wire: the TCP connection was lost
inline constexpr quint16 InvalidPayload = 1007;
inline constexpr quint16 PolicyViolation = 1008;
inline constexpr quint16 MessageTooBig = 1009;
inline constexpr quint16 InternalError = 1011;
} // namespace CloseCode

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key: base64(SHA-1(key + GUID)).
QByteArray acceptKey(QByteArrayView clientKey);

// One frame. Servers send unmasked frames; clients pass a mask key.
QByteArray encodeFrame(Opcode opcode, QByteArrayView payload, bool fin = true, std::optional<quint32> maskKey = {});

// The payload of a Close frame: the code in network order, then the UTF-8 reason
// (cut so the payload stays within the 125 bytes of a control frame).
QByteArray closePayload(quint16 code, QByteArrayView reason = {});

// Strict UTF-8 check (no overlong forms, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(QByteArrayView data);

// Whether a code may appear in a Close frame on the wire (RFC 6455 §7.4).
bool isValidCloseCode(quint16 code);

// Incremental decoder for the frames one peer sends. feed() bytes, then call next()
// until it returns NeedMore. Fragmented data messages are reassembled into one
// Message; control frames (which may arrive between fragments) are returned as they
// come. It enforces the rules of RFC 6455 §5 for the chosen role: frames from a client
// must be masked and frames from a server must not, reserved bits are zero, control
// frames are at most 125 bytes and not fragmented, continuation frames follow a started
// message, text is valid UTF-8, a message is at most maxMessageBytes. After Error it
// stays in error and errorCode() is the close code to send back.
class FrameParser
{
public:
    enum class Role { Server, Client };  // which side this parser runs on
    enum class Event { NeedMore, Message, Error };

    struct Message
    {
        Opcode opcode = Opcode::Binary;  // Text, Binary, Ping, Pong or Close
        QByteArray payload;              // Close: the reason only
        quint16 closeCode = 0;           // Close: the code, CloseCode::NoStatus when none was sent
    };

    explicit FrameParser(Role role = Role::Server, qint64 maxMessageBytes = 16 * 1024 * 1024);

    void feed(QByteArrayView data);
    Event next();
    Message takeMessage() { return std::exchange(m_message, Message()); }

    quint16 errorCode() const { return m_errorCode; }
    QString errorMessage() const { return m_errorMessage; }

private:
    Event fail(quint16 code, QString message);

    Role m_role;
    qint64 m_maxMessageBytes;
    QByteArray m_buffer;
    qsizetype m_offset = 0;
    // The fragmented data message being assembled.
    bool m_inFragmentedMessage = false;
    Opcode m_fragmentOpcode = Opcode::Binary;
    QByteArray m_fragments;
    Message m_message;
    bool m_failed = false;
    quint16 m_errorCode = 0;
    QString m_errorMessage;
};

} // namespace gasper::ws
