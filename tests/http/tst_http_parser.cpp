// SPDX-License-Identifier: MIT
// The HTTP/1.1 codec: framing rules of RFC 9112 for requests and responses, fed whole,
// split at every byte boundary and byte by byte; limits; serialization.

#include "http/HttpMessage.h"
#include "http/HttpParser.h"

#include <QTest>

using namespace gasper::http;
using namespace Qt::StringLiterals;

namespace {

// Runs a parser over pieces of input and describes what it saw: "GET /a{body}" per
// request, "200{body}" per response, "!400" for an error, "^rest" after an upgrade.
// A message whose head arrived but that did not complete ends with "~partial body".
QString trace(Parser::Kind kind, const QList<QByteArray> &pieces, const Limits &limits,
              const QList<QByteArray> &methods, bool eof)
{
    Parser parser(kind, limits);
    for (const QByteArray &m : methods)
        parser.expectResponseTo(m);
    QString out;
    QByteArray body;
    bool inBody = false;
    auto drain = [&] {
        for (int guard = 0; guard < 100000; ++guard) {
            switch (parser.next()) {
            case Parser::Event::NeedMore:
                return;
            case Parser::Event::Head:
                if (!out.isEmpty())
                    out += u' ';
                if (kind == Parser::Kind::Request)
                    out += QString::fromLatin1(parser.request().method + ' ' + parser.request().target);
                else
                    out += QString::number(parser.response().status);
                body.clear();
                inBody = true;
                break;
            case Parser::Event::Body:
                body += parser.takeBody();
                break;
            case Parser::Event::Complete:
                out += u'{' + QString::fromLatin1(body) + u'}';
                inBody = false;
                break;
            case Parser::Event::Error:
                if (!out.isEmpty())
                    out += u' ';
                out += u'!' + QString::number(parser.errorStatus());
                return;
            }
        }
        out += u"HANG"_s;
    };
    for (const QByteArray &piece : pieces) {
        parser.feed(piece);
        drain();
        if (out.endsWith(u"HANG"_s) || parser.errorStatus() != 0)
            break;
    }
    if (eof && parser.errorStatus() == 0) {
        parser.feedEof();
        drain();
    }
    if (inBody && parser.errorStatus() == 0 && !body.isEmpty())
        out += u'~' + QString::fromLatin1(body);
    if (parser.upgraded())
        out += u'^' + QString::fromLatin1(parser.takeRemaining());
    return out;
}

const QByteArray H = QByteArrayLiteral("Host: example\r\n");

} // namespace

class tst_HttpParser : public QObject
{
    Q_OBJECT

private slots:
    void framing_data();
    void framing();
    void headerFieldsAreTrimmedAndCaseInsensitive();
    void trailersAreCollected();
    void largeBodyIsDeliveredAsItArrives();
    void manyPipelinedRequestsParseInLinearTime();
    void headFedByteByByteParsesInLinearTime();
    void inMessageTracksPartialMessages();
    void errorIsSticky();
    void requestHelpers_data();
    void requestHelpers();
    void headersSetReplacesAllFields();
    void serializedRequestParsesBack();
    void serializedResponseCarriesFraming_data();
    void serializedResponseCarriesFraming();
    void chunkEncoding();
};

void tst_HttpParser::framing_data()
{
    QTest::addColumn<bool>("isRequest");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QByteArrayList>("methods");
    QTest::addColumn<bool>("eof");
    QTest::addColumn<int>("maxHeaderBytes");
    QTest::addColumn<int>("maxHeaderCount");
    QTest::addColumn<qint64>("maxBodyBytes");

    auto req = [](const char *name, const QByteArray &input, const QString &expected, qint64 maxBody = 1 << 20,
                  int maxHeader = 4096, int maxCount = 32) {
        QTest::newRow(name) << true << input << expected << QByteArrayList() << false << maxHeader << maxCount
                            << maxBody;
    };
    auto resp = [](const char *name, const QByteArray &input, const QString &expected,
                   const QByteArrayList &methods = {}, bool eof = false, qint64 maxBody = 1 << 20) {
        QTest::newRow(name) << false << input << expected << methods << eof << 4096 << 32 << maxBody;
    };

    // Requests: valid framing.
    req("get", "GET / HTTP/1.1\r\n" + H + "\r\n", u"GET /{}"_s);
    req("get http/1.0 without host", "GET /x HTTP/1.0\r\n\r\n", u"GET /x{}"_s);
    req("lf-only line endings", "GET / HTTP/1.1\nHost: a\n\n", u"GET /{}"_s);
    req("leading empty lines ignored", "\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n", u"GET /{}"_s);
    req("content-length body", "POST /p HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello", u"POST /p{hello}"_s);
    req("content-length zero", "POST /p HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n", u"POST /p{}"_s);
    req("identical duplicate content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        u"POST /{abc}"_s);
    req("identical content-length list", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3, 3\r\n\r\nabc", u"POST /{abc}"_s);
    req("chunked", "POST /c HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        u"POST /c{hello world}"_s);
    req("chunked case-insensitive", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
        u"POST /{x}"_s);
    req("chunked hex sizes", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n",
        u"POST /{0123456789abcdefghijk}"_s);
    req("chunked with extensions", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3;name=value;flag\r\nabc\r\n3 ; x=\"q\"\r\ndef\r\n0;last\r\n\r\n",
        u"POST /{abcdef}"_s);
    req("chunked with trailers", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-Sum: 1\r\nX-Other: 2\r\n\r\n",
        u"POST /{hi}"_s);
    req("chunked lf-only", "POST / HTTP/1.1\n" + QByteArray("Host: a\n") + "Transfer-Encoding: chunked\n\n2\nhi\n0\n\n",
        u"POST /{hi}"_s);
    req("pipelined", "GET /a HTTP/1.1\r\n" + H + "\r\nPOST /b HTTP/1.1\r\n" + H + "Content-Length: 2\r\n\r\nxyGET /c HTTP/1.1\r\n" + H
                         + "Transfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\nGET /d HTTP/1.1\r\n" + H + "\r\n",
        u"GET /a{} POST /b{xy} GET /c{z} GET /d{}"_s);
    req("absolute-form target", "GET http://example/x?y HTTP/1.1\r\n" + H + "\r\n", u"GET http://example/x?y{}"_s);
    req("asterisk-form target", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", u"OPTIONS *{}"_s);
    req("empty header value", "GET / HTTP/1.1\r\n" + H + "X-Empty:\r\n\r\n", u"GET /{}"_s);
    req("obs-text in value", "GET / HTTP/1.1\r\n" + H + "X-Name: caf\xc3\xa9\r\n\r\n", u"GET /{}"_s);
    req("incomplete body waits", "POST / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\nhello", u"POST /~hello"_s);
    req("incomplete head waits", "GET / HTTP/1.1\r\nHost: a\r\n", QString());
    req("websocket upgrade keeps the following bytes",
        "GET /ws HTTP/1.1\r\n" + H + "Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x85XYZ",
        u"GET /ws{}^\x81\x85XYZ"_s);
    req("connect stops parsing", "CONNECT example:443 HTTP/1.1\r\n" + H + "\r\n\x16\x03\x01", u"CONNECT example:443{}^\x16\x03\x01"_s);

    // Requests: framing errors.
    req("te and cl together", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", u"!400"_s);
    req("conflicting content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello", u"!400"_s);
    req("conflicting content-length list", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 6\r\n\r\nhello", u"!400"_s);
    req("negative content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", u"!400"_s);
    req("plus content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\nhello", u"!400"_s);
    req("hex content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x5\r\n\r\nhello", u"!400"_s);
    req("trailing junk content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5a\r\n\r\nhello", u"!400"_s);
    req("empty content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length:\r\n\r\n", u"!400"_s);
    req("empty list element content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5,,5\r\n\r\nhello", u"!400"_s);
    req("overflowing content-length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999999\r\n\r\n", u"!400"_s);
    req("unknown transfer coding", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", u"!501"_s);
    req("gzip then chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", u"!501"_s);
    req("chunked twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", u"!400"_s);
    req("chunked twice in two fields", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", u"!400"_s);
    req("empty transfer-encoding", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \r\n\r\n", u"!400"_s);
    req("transfer-encoding in http/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", u"!400"_s);
    req("invalid chunk size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", u"POST / !400"_s);
    req("empty chunk size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n\r\n", u"POST / !400"_s);
    req("chunk size overflow", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", u"POST / !400"_s);
    req("chunk without crlf", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\r\nhiX\r\n0\r\n\r\n", u"POST / !400"_s);
    req("chunk size junk", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2 x\r\nhi\r\n0\r\n\r\n", u"POST / !400"_s);
    req("chunk extension control char", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2;a\x01\r\nhi\r\n0\r\n\r\n", u"POST / !400"_s);
    req("bare cr in chunk line", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\rx\r\nhi\r\n", u"POST / !400"_s);
    req("bad trailer", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", u"POST / !400"_s);

    // Requests: syntax.
    req("http/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", u"!505"_s);
    req("http/1.2", "GET / HTTP/1.2\r\n" + H + "\r\n", u"!505"_s);
    req("http/0.9", "GET / HTTP/0.9\r\n\r\n", u"!505"_s);
    req("short version", "GET / HTTP/1\r\n" + H + "\r\n", u"!400"_s);
    req("lowercase version", "GET / http/1.1\r\n" + H + "\r\n", u"!400"_s);
    req("missing version", "GET /\r\n" + H + "\r\n", u"!400"_s);
    req("double space", "GET  / HTTP/1.1\r\n" + H + "\r\n", u"!400"_s);
    req("extra field in request line", "GET / HTTP/1.1 x\r\n" + H + "\r\n", u"!400"_s);
    req("invalid method", "G(T / HTTP/1.1\r\n" + H + "\r\n", u"!400"_s);
    req("control char in target", "GET /\x01 HTTP/1.1\r\n" + H + "\r\n", u"!400"_s);
    req("garbage", "\x16\x03\x01\x02\x01\x01\xfc\x03\x03\r\n\r\n", u"!400"_s);
    req("obsolete line folding", "GET / HTTP/1.1\r\n" + H + "X-A: one\r\n two\r\n\r\n", u"!400"_s);
    req("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", u"!400"_s);
    req("space in field name", "GET / HTTP/1.1\r\n" + H + "X A: b\r\n\r\n", u"!400"_s);
    req("empty field name", "GET / HTTP/1.1\r\n" + H + ": b\r\n\r\n", u"!400"_s);
    req("field without colon", "GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n", u"!400"_s);
    req("bare cr in field", "GET / HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n", u"!400"_s);
    req("nul in field", "GET / HTTP/1.1\r\n" + H + QByteArray("X-A: a\0b\r\n\r\n", 12), u"!400"_s);
    req("bare cr before request", "\rGET / HTTP/1.1\r\n" + H + "\r\n", u"!400"_s);
    req("missing host", "GET / HTTP/1.1\r\n\r\n", u"!400"_s);
    req("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", u"!400"_s);
    req("garbage after a request", "GET / HTTP/1.1\r\n" + H + "\r\nnot http\r\n\r\n", u"GET /{} !400"_s);

    // Requests: limits.
    req("header section too large", "GET / HTTP/1.1\r\n" + H + "X-Big: " + QByteArray(300, 'a') + "\r\n\r\n", u"!431"_s,
        1 << 20, 256);
    req("unterminated head too large", "GET / HTTP/1.1\r\n" + H + "X-Big: " + QByteArray(300, 'a'), u"!431"_s, 1 << 20, 256);
    req("too many fields", "GET / HTTP/1.1\r\n" + H + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", u"!431"_s, 1 << 20, 4096, 4);
    req("fields at the count limit", "GET / HTTP/1.1\r\n" + H + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", u"GET /{}"_s, 1 << 20, 4096, 4);
    req("content-length over the limit", "POST / HTTP/1.1\r\n" + H + "Content-Length: 11\r\n\r\n", u"!413"_s, 10);
    req("content-length at the limit", "POST / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\n0123456789", u"POST /{0123456789}"_s, 10);
    req("chunked over the limit", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n012345\r\n0\r\n\r\n",
        u"POST / !413"_s, 10);
    req("trailers too large", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + QByteArray(300, 'a') + "\r\n\r\n",
        u"POST / !431"_s, 1 << 20, 256);

    // Responses.
    resp("content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", u"200{hello}"_s);
    resp("chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", u"200{abc}"_s);
    resp("chunked wins over content-length", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        u"200{abc}"_s);
    resp("read until close", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this", u"200{all of this}"_s, {}, true);
    resp("read until close without eof", "HTTP/1.1 200 OK\r\n\r\nsome", u"200~some"_s);
    resp("http/1.0 read until close", "HTTP/1.0 200 OK\r\n\r\nold", u"200{old}"_s, {}, true);
    resp("unknown coding reads until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b", u"200{\x1f\x8b}"_s, {}, true);
    resp("no status reason", "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", u"200{x}"_s);
    resp("empty status reason", "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n", u"404{}"_s);
    resp("204 has no body", "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", u"204{} 200{x}"_s,
        {"DELETE", "GET"});
    resp("304 ignores content-length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
        u"304{} 200{x}"_s, {"GET", "GET"});
    resp("head response has no body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        u"200{} 200{hi}"_s, {"HEAD", "GET"});
    resp("head response with chunked has no body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        u"200{} 204{}"_s, {"HEAD", "GET"});
    resp("100 continue before the answer", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        u"100{} 200{ok}"_s, {"POST"});
    resp("103 then head response", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n",
        u"103{} 200{}"_s, {"HEAD"});
    resp("101 switches protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi",
        u"101{}^\x81\x02hi"_s, {"GET"});
    resp("connect 200 is a tunnel", "HTTP/1.1 200 Connection established\r\n\r\ntunnel bytes", u"200{}^tunnel bytes"_s, {"CONNECT"});
    resp("connect refused has a body", "HTTP/1.1 407 Proxy Auth\r\nContent-Length: 2\r\n\r\nno", u"407{no}"_s, {"CONNECT"});
    resp("pipelined responses", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 1\r\n\r\nc",
        u"200{a} 201{b} 202{c}"_s, {"GET", "POST", "PUT"});
    resp("eof inside content-length body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", u"200 !400"_s, {}, true);
    resp("eof inside chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", u"200 !400"_s, {}, true);
    resp("eof inside head", "HTTP/1.1 200 OK\r\nContent-Le", u"!400"_s, {}, true);
    resp("eof between responses is clean", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", u"200{x}"_s, {}, true);
    resp("conflicting content-length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", u"!400"_s);
    resp("chunked twice", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", u"!400"_s);
    resp("status too long", "HTTP/1.1 2000 OK\r\n\r\n", u"!400"_s);
    resp("status too short", "HTTP/1.1 20 OK\r\n\r\n", u"!400"_s);
    resp("status with letters", "HTTP/1.1 2x0 OK\r\n\r\n", u"!400"_s);
    resp("status below 100", "HTTP/1.1 099 Odd\r\n\r\n", u"!400"_s);
    resp("response http/2.0", "HTTP/2.0 200 OK\r\n\r\n", u"!505"_s);
    resp("response without version", "200 OK\r\n\r\n", u"!400"_s);
    resp("response obsolete folding", "HTTP/1.1 200 OK\r\nX-A: 1\r\n\t2\r\nContent-Length: 0\r\n\r\n", u"!400"_s);
    resp("response body over the limit", "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", u"!413"_s, {}, false, 10);
    resp("read-until-close over the limit", "HTTP/1.1 200 OK\r\n\r\n0123456789ab", u"200 !413"_s, {}, true, 10);
}

void tst_HttpParser::framing()
{
    QFETCH(bool, isRequest);
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QFETCH(QByteArrayList, methods);
    QFETCH(bool, eof);
    QFETCH(int, maxHeaderBytes);
    QFETCH(int, maxHeaderCount);
    QFETCH(qint64, maxBodyBytes);
    const Limits limits{maxHeaderBytes, maxHeaderCount, maxBodyBytes};
    const auto kind = isRequest ? Parser::Kind::Request : Parser::Kind::Response;

    QCOMPARE(trace(kind, {input}, limits, methods, eof), expected);
    // The same at every split point...
    for (qsizetype at = 1; at < input.size(); ++at) {
        const QString got = trace(kind, {input.left(at), input.mid(at)}, limits, methods, eof);
        if (got != expected)
            QFAIL(qPrintable(u"split at %1: %2 instead of %3"_s.arg(at).arg(got, expected)));
    }
    // ...and byte by byte.
    QList<QByteArray> bytes;
    for (char c : input)
        bytes.append(QByteArray(1, c));
    QCOMPARE(trace(kind, bytes, limits, methods, eof), expected);
}

void tst_HttpParser::headerFieldsAreTrimmedAndCaseInsensitive()
{
    Parser parser(Parser::Kind::Request);
    parser.feed("GET /a?b=1 HTTP/1.1\r\nHOST: example\r\nX-Spaces: \t  padded value \t\r\nx-list: a\r\nX-List: b\r\n\r\n");
    QCOMPARE(parser.next(), Parser::Event::Head);
    const Request &r = parser.request();
    QCOMPARE(r.headers.value("host"), QByteArray("example"));
    QCOMPARE(r.headers.value("x-spaces"), QByteArray("padded value"));
    QCOMPARE(r.headers.values("X-LIST"), QByteArrayList({"a", "b"}));
    QCOMPARE(r.headers.entries().at(0).first, QByteArray("HOST"));  // names keep their spelling
    QCOMPARE(r.path(), QByteArray("/a"));
    QCOMPARE(r.query(), QByteArray("b=1"));
    QCOMPARE(parser.next(), Parser::Event::Complete);
    QCOMPARE(parser.next(), Parser::Event::NeedMore);
}

void tst_HttpParser::trailersAreCollected()
{
    Parser parser(Parser::Kind::Response);
    parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-Checksum: abc\r\n\r\n");
    QCOMPARE(parser.next(), Parser::Event::Head);
    QCOMPARE(parser.next(), Parser::Event::Body);
    QCOMPARE(parser.takeBody(), QByteArray("hi"));
    QCOMPARE(parser.next(), Parser::Event::Complete);
    QCOMPARE(parser.trailers().value("x-checksum"), QByteArray("abc"));
    QVERIFY(!parser.response().headers.has("x-checksum"));
}

void tst_HttpParser::largeBodyIsDeliveredAsItArrives()
{
    Parser parser(Parser::Kind::Request, Limits{4096, 32, -1});
    const qint64 total = 8 * 1024 * 1024;
    parser.feed(QByteArray("PUT /blob HTTP/1.1\r\nHost: a\r\nContent-Length: " + QByteArray::number(total) + "\r\n\r\n"));
    QCOMPARE(parser.next(), Parser::Event::Head);
    QCOMPARE(parser.next(), Parser::Event::NeedMore);
    const QByteArray piece(64 * 1024, 'z');
    qint64 seen = 0;
    bool complete = false;
    while (!complete) {
        parser.feed(piece);
        for (;;) {
            const auto e = parser.next();
            if (e == Parser::Event::NeedMore)
                break;
            if (e == Parser::Event::Complete) {
                complete = true;
                break;
            }
            QCOMPARE(e, Parser::Event::Body);
            const QByteArray body = parser.takeBody();
            QVERIFY(body.size() <= piece.size());  // streamed, not buffered up
            seen += body.size();
        }
    }
    QCOMPARE(seen, total);
}

void tst_HttpParser::manyPipelinedRequestsParseInLinearTime()
{
    // 20000 requests in one buffer: quadratic copying would take minutes, linear
    // parsing takes milliseconds.
    QByteArray input;
    const QByteArray one = "POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
    for (int i = 0; i < 20000; ++i)
        input += one;
    Parser parser(Parser::Kind::Request);
    parser.feed(input);
    int complete = 0;
    for (;;) {
        const auto e = parser.next();
        if (e == Parser::Event::NeedMore)
            break;
        QVERIFY(e != Parser::Event::Error);
        complete += e == Parser::Event::Complete;
    }
    QCOMPARE(complete, 20000);
}

void tst_HttpParser::headFedByteByByteParsesInLinearTime()
{
    QByteArray input = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 1000; ++i)
        input += "X-Field-" + QByteArray::number(i) + ": " + QByteArray(40, 'v') + "\r\n";
    input += "\r\n";
    Parser parser(Parser::Kind::Request, Limits{1 << 20, 2000, 0});
    for (qsizetype i = 0; i + 1 < input.size(); ++i) {
        parser.feed(input.sliced(i, 1));
        QCOMPARE(parser.next(), Parser::Event::NeedMore);
    }
    parser.feed(input.last(1));
    QCOMPARE(parser.next(), Parser::Event::Head);
    QCOMPARE(parser.request().headers.size(), 1001);
}

void tst_HttpParser::inMessageTracksPartialMessages()
{
    Parser parser(Parser::Kind::Request);
    QVERIFY(!parser.inMessage());
    parser.feed("POST / HTTP/1.1\r\n");
    QCOMPARE(parser.next(), Parser::Event::NeedMore);
    QVERIFY(parser.inMessage());
    parser.feed("Host: a\r\nContent-Length: 2\r\n\r\nx");
    QCOMPARE(parser.next(), Parser::Event::Head);
    QVERIFY(parser.inMessage());
    QCOMPARE(parser.next(), Parser::Event::Body);
    QCOMPARE(parser.next(), Parser::Event::NeedMore);
    QVERIFY(parser.inMessage());
    parser.feed("y");
    QCOMPARE(parser.next(), Parser::Event::Body);
    QCOMPARE(parser.next(), Parser::Event::Complete);
    QVERIFY(!parser.inMessage());
}

void tst_HttpParser::errorIsSticky()
{
    Parser parser(Parser::Kind::Request);
    parser.feed("BAD\r\n\r\n");
    QCOMPARE(parser.next(), Parser::Event::Error);
    QCOMPARE(parser.errorStatus(), 400);
    QVERIFY(!parser.errorMessage().isEmpty());
    parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QCOMPARE(parser.next(), Parser::Event::Error);
    QCOMPARE(parser.next(), Parser::Event::Error);
}

void tst_HttpParser::requestHelpers_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("upgrade");
    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << true << false;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n") << false << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true << false;
    QTest::newRow("upgrade in a list") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive,  Upgrade\r\nUpgrade: websocket\r\n\r\n")
                                       << true << true;
    QTest::newRow("upgrade without Upgrade field") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n") << true << false;
    QTest::newRow("Upgrade field without the token") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n") << true << false;
}

void tst_HttpParser::requestHelpers()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, keepAlive);
    QFETCH(bool, upgrade);
    Parser parser(Parser::Kind::Request);
    parser.feed(head);
    QCOMPARE(parser.next(), Parser::Event::Head);
    QCOMPARE(parser.request().keepAlive(), keepAlive);
    QCOMPARE(parser.request().isUpgrade(), upgrade);
    QCOMPARE(parser.next(), Parser::Event::Complete);
    QCOMPARE(parser.upgraded(), upgrade);
}

void tst_HttpParser::headersSetReplacesAllFields()
{
    Headers h;
    h.add("A", "1");
    h.add("B", "2");
    h.add("a", "3");
    h.set("A", "4");
    QCOMPARE(h.size(), 2);
    QCOMPARE(h.entries().at(0).second, QByteArray("4"));
    QCOMPARE(h.entries().at(1).first, QByteArray("B"));
    h.remove("b");
    QCOMPARE(h.size(), 1);
    QVERIFY(!h.has("B"));
    h.add("Connection", "keep-alive, Upgrade");
    QVERIFY(h.hasToken("connection", "upgrade"));
    QVERIFY(!h.hasToken("connection", "upgr"));
    QCOMPARE(h.value("missing"), QByteArray());
}

void tst_HttpParser::serializedRequestParsesBack()
{
    Request r;
    r.method = "POST";
    r.target = "/api/v1/apps?x=1";
    r.headers.add("Host", "localhost");
    r.headers.add("Transfer-Encoding", "chunked");  // replaced by Content-Length
    r.body = "{\"name\":\"demo\"}";
    const QByteArray wire = serialize(r);
    QVERIFY(wire.startsWith("POST /api/v1/apps?x=1 HTTP/1.1\r\n"));
    QVERIFY(!wire.contains("Transfer-Encoding"));

    Parser parser(Parser::Kind::Request);
    parser.feed(wire);
    QCOMPARE(parser.next(), Parser::Event::Head);
    QCOMPARE(parser.request().method, r.method);
    QCOMPARE(parser.request().target, r.target);
    QCOMPARE(parser.request().headers.value("content-length"), QByteArray::number(r.body.size()));
    QCOMPARE(parser.next(), Parser::Event::Body);
    QCOMPARE(parser.takeBody(), r.body);
    QCOMPARE(parser.next(), Parser::Event::Complete);

    Request get;
    get.method = "GET";
    get.target = "/";
    QCOMPARE(serialize(get), QByteArray("GET / HTTP/1.1\r\n\r\n"));  // no Content-Length: 0 on a GET
}

void tst_HttpParser::serializedResponseCarriesFraming_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("200") << 200 << QByteArray("hi") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    QTest::newRow("404 empty") << 404 << QByteArray() << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    QTest::newRow("204") << 204 << QByteArray("dropped") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n");
    QTest::newRow("304") << 304 << QByteArray() << QByteArray("HTTP/1.1 304 Not Modified\r\n\r\n");
    QTest::newRow("unknown status") << 599 << QByteArray() << QByteArray("HTTP/1.1 599 Unknown\r\nContent-Length: 0\r\n\r\n");
}

void tst_HttpParser::serializedResponseCarriesFraming()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    Response r;
    r.status = status;
    r.body = body;
    r.headers.add("Content-Length", "999");
    QCOMPARE(serialize(r), expected);
}

void tst_HttpParser::chunkEncoding()
{
    QCOMPARE(encodeChunk("hello"), QByteArray("5\r\nhello\r\n"));
    QCOMPARE(encodeChunk(QByteArray(26, 'x')).left(4), QByteArray("1a\r\n"));
    QCOMPARE(encodeChunk({}), QByteArray());
    QCOMPARE(lastChunk(), QByteArray("0\r\n\r\n"));
    QCOMPARE(reasonPhrase(413), QByteArray("Content Too Large"));
}

QTEST_GUILESS_MAIN(tst_HttpParser)
#include "tst_http_parser.moc"
