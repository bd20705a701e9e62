// SPDX-License-Identifier: MIT
// The RFC 6455 codec: the RFC's own examples, fragmentation, the rules a server
// enforces on client frames, UTF-8 validation; every input also split at every byte.

#include "http/WebSocket.h"

#include <QTest>

using namespace gasper::ws;
using namespace Qt::StringLiterals;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// What a parser reports for a byte stream: "T:Hello B:... P:.. O:.. C1000:reason", "!1002".
QString trace(FrameParser::Role role, const QList<QByteArray> &pieces, qint64 maxMessage = 1 << 20)
{
    FrameParser parser(role, maxMessage);
    QStringList out;
    for (const QByteArray &piece : pieces) {
        parser.feed(piece);
        for (;;) {
            const auto e = parser.next();
            if (e == FrameParser::Event::NeedMore)
                break;
            if (e == FrameParser::Event::Error) {
                out << u'!' + QString::number(parser.errorCode());
                return out.join(u' ');
            }
            const FrameParser::Message m = parser.takeMessage();
            const QString payload = QString::fromLatin1(m.payload);
            switch (m.opcode) {
            case Opcode::Text: out << u"T:"_s + payload; break;
            case Opcode::Binary: out << u"B:"_s + payload; break;
            case Opcode::Ping: out << u"P:"_s + payload; break;
            case Opcode::Pong: out << u"O:"_s + payload; break;
            case Opcode::Close: out << u'C' + QString::number(m.closeCode) + u':' + payload; break;
            case Opcode::Continuation: out << u"?"_s; break;
            }
        }
    }
    return out.join(u' ');
}

constexpr quint32 RfcMask = 0x37fa213d;

QByteArray masked(Opcode op, QByteArrayView payload, bool fin = true)
{
    return encodeFrame(op, payload, fin, RfcMask);
}

} // namespace

class tst_WebSocketCodec : public QObject
{
    Q_OBJECT

private slots:
    void acceptKeyMatchesRfcExample();
    void encodesRfcExampleFrames_data();
    void encodesRfcExampleFrames();
    void parses_data();
    void parses();
    void roundTripsLargeMessages_data();
    void roundTripsLargeMessages();
    void utf8Validation_data();
    void utf8Validation();
    void closePayloadStaysWithinControlFrameLimit();
};

void tst_WebSocketCodec::acceptKeyMatchesRfcExample()
{
    // RFC 6455 §1.3 (the value printed in the RFC; a SHA-1 in base64 is 28 characters).
    QCOMPARE(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_WebSocketCodec::encodesRfcExampleFrames_data()
{
    // RFC 6455 §5.7.
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("unmasked text Hello") << encodeFrame(Opcode::Text, "Hello") << hex("810548656c6c6f");
    QTest::newRow("masked text Hello") << masked(Opcode::Text, "Hello") << hex("818537fa213d7f9f4d5158");
    QTest::newRow("fragment Hel") << encodeFrame(Opcode::Text, "Hel", false) << hex("010348656c");
    QTest::newRow("fragment lo") << encodeFrame(Opcode::Continuation, "lo") << hex("80026c6f");
    QTest::newRow("unmasked ping") << encodeFrame(Opcode::Ping, "Hello") << hex("890548656c6c6f");
    QTest::newRow("masked pong") << masked(Opcode::Pong, "Hello") << hex("8a8537fa213d7f9f4d5158");
    QTest::newRow("256 bytes binary header") << encodeFrame(Opcode::Binary, QByteArray(256, 'x')).left(4) << hex("827e0100");
    QTest::newRow("64 KiB binary header") << encodeFrame(Opcode::Binary, QByteArray(65536, 'x')).left(10)
                                          << hex("827f0000000000010000");
    QTest::newRow("close 1000") << encodeFrame(Opcode::Close, closePayload(1000, "bye")) << hex("880503e8627965");
}

void tst_WebSocketCodec::encodesRfcExampleFrames()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, expected);
    QCOMPARE(encoded.toHex(), expected.toHex());
}

void tst_WebSocketCodec::parses_data()
{
    QTest::addColumn<bool>("serverSide");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<qint64>("maxMessage");

    auto server = [](const char *name, const QByteArray &input, const QString &expected, qint64 max = 1 << 20) {
        QTest::newRow(name) << true << input << expected << max;
    };
    auto client = [](const char *name, const QByteArray &input, const QString &expected) {
        QTest::newRow(name) << false << input << expected << qint64(1 << 20);
    };

    server("masked Hello (RFC 6455 5.7)", hex("818537fa213d7f9f4d5158"), u"T:Hello"_s);
    server("fragmented text", masked(Opcode::Text, "Hel", false) + masked(Opcode::Continuation, "lo"), u"T:Hello"_s);
    server("ping between fragments", masked(Opcode::Text, "Hel", false) + masked(Opcode::Ping, "p")
                                         + masked(Opcode::Continuation, "l", false) + masked(Opcode::Continuation, "o"),
           u"P:p T:Hello"_s);
    server("three messages", masked(Opcode::Binary, "a") + masked(Opcode::Text, "b") + masked(Opcode::Pong, "c"),
           u"B:a T:b O:c"_s);
    server("empty text", masked(Opcode::Text, ""), u"T:"_s);
    server("empty fragments", masked(Opcode::Binary, "", false) + masked(Opcode::Continuation, "", false)
                                  + masked(Opcode::Continuation, "x"),
           u"B:x"_s);
    server("utf-8 split across fragments", masked(Opcode::Text, "\xe2\x82", false) + masked(Opcode::Continuation, "\xac"),
           u"T:\u00e2\u0082\u00ac"_s);
    server("close with code and reason", masked(Opcode::Close, closePayload(1001, "away")), u"C1001:away"_s);
    server("close without payload", masked(Opcode::Close, ""), u"C1005:"_s);
    server("close with application code", masked(Opcode::Close, closePayload(4000)), u"C4000:"_s);
    server("126-byte length form", masked(Opcode::Binary, QByteArray(200, 'q')), u"B:"_s + QString(200, u'q'));
    server("control frame at 125 bytes", masked(Opcode::Ping, QByteArray(125, 'p')), u"P:"_s + QString(125, u'p'));

    server("unmasked client frame", encodeFrame(Opcode::Text, "Hello"), u"!1002"_s);
    server("reserved bit set", hex("c18537fa213d7f9f4d5158"), u"!1002"_s);
    server("unknown data opcode", hex("838037fa213d"), u"!1002"_s);
    server("unknown control opcode", hex("8b8037fa213d"), u"!1002"_s);
    server("control frame too long", masked(Opcode::Ping, QByteArray(126, 'p')), u"!1002"_s);
    server("fragmented control frame", masked(Opcode::Ping, "p", false), u"!1002"_s);
    server("continuation without a message", masked(Opcode::Continuation, "x"), u"!1002"_s);
    server("new message inside a fragmented one", masked(Opcode::Text, "a", false) + masked(Opcode::Text, "b"), u"!1002"_s);
    server("invalid utf-8 text", masked(Opcode::Text, "\xc3\x28"), u"!1007"_s);
    server("invalid utf-8 binary is fine", masked(Opcode::Binary, "\xc3\x28"), u"B:\u00c3("_s);
    server("close with one byte", masked(Opcode::Close, "\x03"), u"!1002"_s);
    server("close with code 1005 on the wire", masked(Opcode::Close, closePayload(1005)), u"!1002"_s);
    server("close with code 999", masked(Opcode::Close, closePayload(999)), u"!1002"_s);
    server("close with invalid utf-8 reason", masked(Opcode::Close, QByteArray(closePayload(1000) + "\xff")), u"!1007"_s);
    server("message too big", masked(Opcode::Binary, QByteArray(11, 'b')), u"!1009"_s, 10);
    server("fragments too big together", masked(Opcode::Binary, QByteArray(6, 'b'), false)
                                             + masked(Opcode::Continuation, QByteArray(6, 'b')),
           u"!1009"_s, 10);
    server("64-bit length with the high bit", hex("82ff8000000000000000") + "\x37\xfa\x21\x3d", u"!1002"_s);
    server("message before an error is delivered", masked(Opcode::Text, "ok") + encodeFrame(Opcode::Text, "x"),
           u"T:ok !1002"_s);

    client("server frame", encodeFrame(Opcode::Text, "Hello"), u"T:Hello"_s);
    client("masked server frame", masked(Opcode::Text, "Hello"), u"!1002"_s);
}

void tst_WebSocketCodec::parses()
{
    QFETCH(bool, serverSide);
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QFETCH(qint64, maxMessage);
    const auto role = serverSide ? FrameParser::Role::Server : FrameParser::Role::Client;
    QCOMPARE(trace(role, {input}, maxMessage), expected);
    for (qsizetype at = 1; at < input.size(); ++at) {
        const QString got = trace(role, {input.left(at), input.mid(at)}, maxMessage);
        if (got != expected)
            QFAIL(qPrintable(u"split at %1: %2 instead of %3"_s.arg(at).arg(got, expected)));
    }
    QList<QByteArray> bytes;
    for (char c : input)
        bytes.append(QByteArray(1, c));
    QCOMPARE(trace(role, bytes, maxMessage), expected);
}

void tst_WebSocketCodec::roundTripsLargeMessages_data()
{
    QTest::addColumn<int>("size");
    QTest::newRow("125") << 125;
    QTest::newRow("126") << 126;
    QTest::newRow("65535") << 65535;
    QTest::newRow("65536") << 65536;
    QTest::newRow("1 MiB") << (1 << 20);
}

void tst_WebSocketCodec::roundTripsLargeMessages()
{
    QFETCH(int, size);
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char(i * 31 + 7);
    FrameParser parser(FrameParser::Role::Server, 2 << 20);
    parser.feed(encodeFrame(Opcode::Binary, payload, true, 0xdeadbeef));
    QCOMPARE(parser.next(), FrameParser::Event::Message);
    const auto m = parser.takeMessage();
    QCOMPARE(m.opcode, Opcode::Binary);
    QCOMPARE(m.payload, payload);
    QCOMPARE(parser.next(), FrameParser::Event::NeedMore);
}

void tst_WebSocketCodec::utf8Validation_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ascii") << QByteArray("hello, world, long enough for the fast path") << true;
    QTest::newRow("two-byte") << QByteArray("caf\xc3\xa9") << true;
    QTest::newRow("three-byte euro") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("four-byte max") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("overlong three-byte") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("truncated") << QByteArray("abc\xe2\x82") << false;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("five-byte form") << QByteArray("\xf8\x88\x80\x80\x80") << false;
    QTest::newRow("invalid after fast path") << QByteArray("0123456789abcdef\xff") << false;
}

void tst_WebSocketCodec::utf8Validation()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, valid);
    QCOMPARE(isValidUtf8(data), valid);
}

void tst_WebSocketCodec::closePayloadStaysWithinControlFrameLimit()
{
    // 100 two-byte characters: the reason is cut on a character boundary.
    QByteArray reason;
    for (int i = 0; i < 100; ++i)
        reason += "\xc3\xa9";
    const QByteArray payload = closePayload(1000, reason);
    QVERIFY(payload.size() <= 125);
    QVERIFY(isValidUtf8(payload.mid(2)));
    QCOMPARE(trace(FrameParser::Role::Server, {masked(Opcode::Close, payload)}).left(6), u"C1000:"_s);
}

QTEST_GUILESS_MAIN(tst_WebSocketCodec)
#include "tst_websocket_codec.moc"
