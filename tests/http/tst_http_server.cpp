// SPDX-License-Identifier: MIT
// HttpServer over loopback: raw QTcpSocket clients (keep-alive, pipelining, streaming,
// error answers, caps and timeouts), a real QWebSocket client, and curl.

#include "../support/SlowClients.h"
#include "http/HttpServer.h"

#include <QFile>
#include <QRegularExpression>

#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <memory>

using namespace gasper::http;
using namespace Qt::StringLiterals;

namespace {

// A raw TCP client that collects everything the server sends.
struct RawClient
{
    std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
    QByteArray received;
    bool disconnected = false;

    explicit RawClient(quint16 port)
    {
        QObject::connect(socket.get(), &QTcpSocket::readyRead, socket.get(),
                         [this] { received += socket->readAll(); });
        QObject::connect(socket.get(), &QTcpSocket::disconnected, socket.get(), [this] { disconnected = true; });
        socket->connectToHost(QHostAddress::LocalHost, port);
    }
    bool isConnected() const { return socket->state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &data) { socket->write(data); }
};

// The complete responses in a byte stream, parsed with our own parser.
QList<Response> responses(const QByteArray &bytes, const QList<QByteArray> &methods = {}, bool eof = false)
{
    Parser parser(Parser::Kind::Response, Limits{1 << 20, 256, -1});
    for (const QByteArray &m : methods)
        parser.expectResponseTo(m);
    parser.feed(bytes);
    if (eof)
        parser.feedEof();
    QList<Response> out;
    Response current;
    for (;;) {
        switch (parser.next()) {
        case Parser::Event::NeedMore:
        case Parser::Event::Error:
            return out;
        case Parser::Event::Head:
            current = parser.response();
            break;
        case Parser::Event::Body:
            current.body += parser.takeBody();
            break;
        case Parser::Event::Complete:
            out.append(current);
            break;
        }
    }
}

QByteArray get(const QByteArray &target, const QByteArray &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

qint64 residentKb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression re(u"VmRSS:\\s+(\\d+)"_s);
    const auto match = re.match(QString::fromLatin1(status.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

// What the flood routes saw, for the back-pressure tests.
struct FloodProbe
{
    qint64 written = 0;
    qint64 maxQueued = 0;
    bool aborted = false;
    bool closed = false;
};

// Routes used by the tests.
void installRoutes(HttpServer &server, QList<QPointer<HttpResponder>> *held = nullptr,
                   QList<QPointer<WebSocketConnection>> *sockets = nullptr, FloodProbe *probe = nullptr)
{
    server.setHandler([held, sockets, probe](const Request &request, HttpResponder *responder) {
        const QByteArray path = request.path();
        Response ok;
        ok.headers.add("Content-Type", "text/plain");
        if (path == "/hello") {
            ok.body = "hello";
            responder->respond(ok);
        } else if (path == "/echo") {
            ok.body = request.body;
            responder->respond(ok);
        } else if (path == "/size") {
            ok.body = QByteArray::number(request.body.size());
            responder->respond(ok);
        } else if (path == "/delay") {
            const int ms = QUrlQuery(QString::fromLatin1(request.query())).queryItemValue(u"ms"_s).toInt();
            QTimer::singleShot(ms, responder, [responder, ms] {
                Response r;
                r.body = "delayed " + QByteArray::number(ms);
                responder->respond(r);
            });
        } else if (path == "/stream") {
            Headers h;
            h.add("Content-Type", "text/plain");
            responder->beginStream(200, h);
            auto *timer = new QTimer(responder);
            auto step = std::make_shared<int>(0);
            QObject::connect(timer, &QTimer::timeout, responder, [responder, timer, step] {
                static const char *const parts[] = {"one\n", "two\n", "three\n"};
                if (*step < 3) {
                    responder->writeChunk(parts[(*step)++]);
                } else {
                    timer->stop();
                    responder->endStream();
                }
            });
            timer->start(20);
        } else if (path == "/flood" || path == "/polite-flood") {
            // /flood writes as fast as it can and never looks at bytesToWrite() (as a
            // careless handler would); /polite-flood waits for the queue to drain below
            // 256 KiB. Either way the server must bound what is queued.
            Headers h;
            h.add("Content-Type", "application/octet-stream");
            responder->beginStream(200, h);
            static const QByteArray block(64 * 1024, 'f');
            const bool polite = path == "/polite-flood";
            QObject::connect(responder, &HttpResponder::aborted, responder, [probe] {
                if (probe)
                    probe->aborted = true;
            });
            auto *timer = new QTimer(responder);
            QObject::connect(timer, &QTimer::timeout, responder, [responder, probe, polite] {
                for (int i = 0; i < 16; ++i) {
                    if (polite && responder->bytesToWrite() > 256 * 1024)
                        return;
                    responder->writeChunk(block);
                    if (probe) {
                        probe->written += block.size();
                        probe->maxQueued = std::max(probe->maxQueued, responder->bytesToWrite());
                    }
                }
            });
            timer->start(0);
        } else if (path == "/ws-flood") {
            WebSocketConnection *ws = responder->acceptWebSocket();
            if (!ws)
                return;
            static const QByteArray block(64 * 1024, 'w');
            auto *timer = new QTimer(ws);
            QObject::connect(ws, &WebSocketConnection::opened, timer, [timer] { timer->start(0); });
            QObject::connect(timer, &QTimer::timeout, ws, [ws, probe] {
                for (int i = 0; i < 16 && ws->isOpen(); ++i) {
                    ws->sendBinary(block);
                    if (probe) {
                        probe->written += block.size();
                        probe->maxQueued = std::max(probe->maxQueued, ws->bytesToWrite());
                    }
                }
            });
            QObject::connect(ws, &WebSocketConnection::closed, ws, [probe] {
                if (probe)
                    probe->closed = true;
            });
        } else if (path == "/ws-hello") {
            // Sent before the handshake is done: queued, then delivered.
            WebSocketConnection *ws = responder->acceptWebSocket();
            if (ws)
                ws->sendText("hello before open");
        } else if (path == "/nocontent") {
            Response r;
            r.status = 204;
            responder->respond(r);
        } else if (path == "/hold") {
            if (held)
                held->append(responder);
        } else if (path == "/ws") {
            WebSocketConnection *ws = responder->acceptWebSocket();
            if (!ws)
                return;
            if (sockets)
                sockets->append(ws);
            QObject::connect(ws, &WebSocketConnection::textMessage, ws, [ws](const QByteArray &text) {
                if (text == "close-me")
                    ws->close(4000, "bye");
                else
                    ws->sendText(text);
            });
            QObject::connect(ws, &WebSocketConnection::binaryMessage, ws,
                             [ws](const QByteArray &data) { ws->sendBinary(data); });
        } else {
            Response r;
            r.status = 404;
            responder->respond(r);
        }
    });
}

} // namespace

class tst_HttpServer : public QObject
{
    Q_OBJECT

private slots:
    void answersWithDateAndContentLength();
    void keepAliveServesSequentialRequestsOnOneConnection();
    void pipelinedRequestsAreAnsweredInOrder();
    void streamedResponseIsChunked();
    void headRequestGetsHeadOnly();
    void noContentHasNoLength();
    void expectContinueIsAnswered();
    void badRequestsGetErrorStatusAndClose_data();
    void badRequestsGetErrorStatusAndClose();
    void oversizedBodyAlreadySentStillGets413();
    void http10ClientsGetCloseUnlessKeepAlive();
    void connectionCapClosesExtraConnections();
    void idleConnectionsAreDropped();
    void busyConnectionIsNotDroppedAsIdle();
    void abortedIsEmittedWhenClientLeaves();
    void webSocketEchoesTextAndBinary();
    void webSocketAnswersPing();
    void webSocketClientCloseIsHandshaken();
    void webSocketServerCloseReachesClient();
    void webSocketUpgradeWithoutKeyGets400();
    void silentWebSocketPeerIsDropped();
    void webSocketPeerAnsweringPingsStays();
    void curlIsHappy();
    void tricklingHeadsAreCutAtTheDeadlineWhileOthersAreServed();
    void perSourceCapRefusesOneAddressAndServesAnother();
    void streamToAClientThatStopsReadingIsDroppedWithMemoryFlat();
    void politeStreamToAStalledClientIsDroppedAfterTheSendTimeout();
    void webSocketPeerThatStopsReadingIsDropped();
    void webSocketMessagesSentBeforeTheHandshakeArrive();
    void oversizedWebSocketMessageIsClosedWith1009();
};

void tst_HttpServer::answersWithDateAndContentLength()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QVERIFY(server.serverPort() != 0);
    RawClient client(server.serverPort());
    client.send(get("/hello"));
    QTRY_COMPARE(responses(client.received).size(), 1);
    const Response r = responses(client.received).first();
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("hello"));
    QCOMPARE(r.headers.value("content-length"), QByteArray("5"));
    QVERIFY(r.headers.value("date").endsWith(" GMT"));
    QVERIFY(!r.headers.hasToken("connection", "close"));
}

void tst_HttpServer::keepAliveServesSequentialRequestsOnOneConnection()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/hello"));
    QTRY_COMPARE(responses(client.received).size(), 1);
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\nping");
    QTRY_COMPARE(responses(client.received).size(), 2);
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n");
    QTRY_COMPARE(responses(client.received).size(), 3);
    QCOMPARE(responses(client.received).at(1).body, QByteArray("ping"));
    QCOMPARE(responses(client.received).at(2).body, QByteArray("abcd"));
    QVERIFY(client.isConnected());
    QCOMPARE(server.connectionCount(), 1);
}

void tst_HttpServer::pipelinedRequestsAreAnsweredInOrder()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    // The first answer is the slowest; it must still come first.
    client.send(get("/delay?ms=150") + get("/delay?ms=0") + "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nxyz"
                + get("/hello"));
    QTRY_COMPARE(responses(client.received).size(), 4);
    const QList<Response> rs = responses(client.received);
    QCOMPARE(rs.at(0).body, QByteArray("delayed 150"));
    QCOMPARE(rs.at(1).body, QByteArray("delayed 0"));
    QCOMPARE(rs.at(2).body, QByteArray("xyz"));
    QCOMPARE(rs.at(3).body, QByteArray("hello"));
}

void tst_HttpServer::streamedResponseIsChunked()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/stream") + get("/hello"));
    QTRY_COMPARE(responses(client.received).size(), 2);
    const QList<Response> rs = responses(client.received);
    QCOMPARE(rs.at(0).headers.value("transfer-encoding"), QByteArray("chunked"));
    QVERIFY(!rs.at(0).headers.has("content-length"));
    QCOMPARE(rs.at(0).body, QByteArray("one\ntwo\nthree\n"));
    QCOMPARE(rs.at(1).body, QByteArray("hello"));
}

void tst_HttpServer::headRequestGetsHeadOnly()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\nHEAD /stream HTTP/1.1\r\nHost: test\r\n\r\n" + get("/hello"));
    QTRY_COMPARE(responses(client.received, {"HEAD", "HEAD", "GET"}).size(), 3);
    const QList<Response> rs = responses(client.received, {"HEAD", "HEAD", "GET"});
    QCOMPARE(rs.at(0).headers.value("content-length"), QByteArray("5"));
    QCOMPARE(rs.at(0).body, QByteArray());
    QCOMPARE(rs.at(1).body, QByteArray());
    QCOMPARE(rs.at(2).body, QByteArray("hello"));
    QCOMPARE(client.received.count("hello"), 1);  // no stray body on the wire
    QVERIFY(!client.received.contains("one"));
}

void tst_HttpServer::noContentHasNoLength()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/nocontent") + get("/hello"));
    QTRY_COMPARE(responses(client.received).size(), 2);
    const Response r = responses(client.received).first();
    QCOMPARE(r.status, 204);
    QVERIFY(!r.headers.has("content-length"));
}

void tst_HttpServer::expectContinueIsAnswered()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    QTRY_VERIFY(client.received.startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    client.send("abcde");
    QTRY_COMPARE(responses(client.received, {"POST"}).size(), 2);
    QCOMPARE(responses(client.received, {"POST"}).at(1).body, QByteArray("abcde"));
}

void tst_HttpServer::badRequestsGetErrorStatusAndClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("garbage") << QByteArray("hello there\r\n\r\n") << 400 << u"bad-request"_s;
    QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << u"bad-request"_s;
    QTest::newRow("te and cl") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n")
                               << 400 << u"bad-request"_s;
    QTest::newRow("body too large") << QByteArray("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n") << 413
                                    << u"body-too-large"_s;
    QTest::newRow("headers too large") << get("/hello", "X-Big: " + QByteArray(3000, 'x') + "\r\n") << 431
                                       << u"headers-too-large"_s;
    QTest::newRow("unsupported coding") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n") << 501
                                        << u"not-implemented"_s;
    QTest::newRow("http/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: a\r\n\r\n") << 505 << u"http-version-not-supported"_s;
    QTest::newRow("unknown expectation") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx")
                                         << 417 << u"expectation-failed"_s;
}

void tst_HttpServer::badRequestsGetErrorStatusAndClose()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, code);
    HttpServer server(Limits{2048, 32, 1024});
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(request);
    QTRY_VERIFY(client.disconnected);
    const QList<Response> rs = responses(client.received, {}, true);
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs.first().status, status);
    QCOMPARE(rs.first().headers.value("content-type"), QByteArray("application/json"));
    QVERIFY(rs.first().headers.hasToken("connection", "close"));
    QVERIFY2(rs.first().body.startsWith(QByteArray("{\"error\":{\"code\":\"" + code.toLatin1() + "\",\"message\":")),
             rs.first().body.constData());
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::oversizedBodyAlreadySentStillGets413()
{
    // The client sends the whole body before reading: the answer must not be lost to a
    // TCP reset caused by unread bytes.
    HttpServer server(Limits{4096, 32, 1024});
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 200000\r\n\r\n" + QByteArray(200000, 'b'));
    QTRY_VERIFY(client.disconnected);
    const QList<Response> rs = responses(client.received, {}, true);
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs.first().status, 413);
}

void tst_HttpServer::http10ClientsGetCloseUnlessKeepAlive()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient plain(server.serverPort());
    plain.send("GET /hello HTTP/1.0\r\n\r\n");
    QTRY_VERIFY(plain.disconnected);
    QCOMPARE(responses(plain.received, {}, true).first().body, QByteArray("hello"));

    RawClient keep(server.serverPort());
    keep.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QTRY_COMPARE(responses(keep.received).size(), 1);
    QCOMPARE(responses(keep.received).first().headers.value("connection"), QByteArray("keep-alive"));
    QVERIFY(keep.isConnected());

    // A stream to an HTTP/1.0 client is not chunked; the close ends it.
    RawClient stream(server.serverPort());
    stream.send("GET /stream HTTP/1.0\r\n\r\n");
    QTRY_VERIFY(stream.disconnected);
    const Response r = responses(stream.received, {}, true).first();
    QVERIFY(!r.headers.has("transfer-encoding"));
    QCOMPARE(r.body, QByteArray("one\ntwo\nthree\n"));
}

void tst_HttpServer::connectionCapClosesExtraConnections()
{
    HttpServer server;
    installRoutes(server);
    ConnectionLimits limits;
    limits.maxConnections = 2;
    server.setConnectionLimits(limits);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient a(server.serverPort());
    RawClient b(server.serverPort());
    QTRY_COMPARE(server.connectionCount(), 2);
    RawClient c(server.serverPort());
    QTRY_VERIFY(c.disconnected);
    QCOMPARE(server.connectionCount(), 2);
    a.send(get("/hello"));
    QTRY_COMPARE(responses(a.received).size(), 1);
    // Room again once one leaves.
    b.socket->abort();
    QTRY_COMPARE(server.connectionCount(), 1);
    RawClient d(server.serverPort());
    d.send(get("/hello"));
    QTRY_COMPARE(responses(d.received).size(), 1);
}

void tst_HttpServer::idleConnectionsAreDropped()
{
    HttpServer server;
    installRoutes(server);
    ConnectionLimits limits;
    limits.idleTimeoutMs = 300;
    server.setConnectionLimits(limits);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/hello"));
    QTRY_COMPARE(responses(client.received).size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, 10000);
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::busyConnectionIsNotDroppedAsIdle()
{
    HttpServer server;
    installRoutes(server);
    ConnectionLimits limits;
    limits.idleTimeoutMs = 200;
    server.setConnectionLimits(limits);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/delay?ms=1000"));
    QTRY_COMPARE_WITH_TIMEOUT(responses(client.received).size(), 1, 10000);
    QCOMPARE(responses(client.received).first().body, QByteArray("delayed 1000"));
}

void tst_HttpServer::abortedIsEmittedWhenClientLeaves()
{
    HttpServer server;
    QList<QPointer<HttpResponder>> held;
    installRoutes(server, &held);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/hold"));
    QTRY_COMPARE(held.size(), 1);
    QSignalSpy aborted(held.first().data(), &HttpResponder::aborted);
    client.socket->abort();
    QTRY_COMPARE(aborted.size(), 1);
    QTRY_VERIFY(held.first().isNull());  // deleted with its connection
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::webSocketEchoesTextAndBinary()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
    QSignalSpy binaries(&client, &QWebSocket::binaryMessageReceived);
    client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.sendTextMessage(u"héllo wörld"_s);
    QTRY_COMPARE(texts.size(), 1);
    QCOMPARE(texts.first().first().toString(), u"héllo wörld"_s);
    QByteArray big(300 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i % 251);
    client.sendBinaryMessage(big);
    client.sendBinaryMessage("small");
    QTRY_COMPARE(binaries.size(), 2);
    QCOMPARE(binaries.at(0).first().toByteArray(), big);
    QCOMPARE(binaries.at(1).first().toByteArray(), QByteArray("small"));
    QCOMPARE(server.connectionCount(), 1);
}

void tst_HttpServer::webSocketAnswersPing()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    QSignalSpy pongs(&client, &QWebSocket::pong);
    client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.ping("are you there");
    QTRY_COMPARE(pongs.size(), 1);
    QCOMPARE(pongs.first().at(1).toByteArray(), QByteArray("are you there"));
}

void tst_HttpServer::webSocketClientCloseIsHandshaken()
{
    HttpServer server;
    QList<QPointer<WebSocketConnection>> sockets;
    installRoutes(server, nullptr, &sockets);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(sockets.size(), 1);
    QPointer<WebSocketConnection> ws = sockets.first();
    QVERIFY(ws->isOpen());
    QCOMPARE(ws->peerAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(ws->request().path(), QByteArray("/ws"));
    QSignalSpy closed(ws.data(), &WebSocketConnection::closed);
    quint16 code = 0;
    QByteArray reason;
    connect(ws.data(), &WebSocketConnection::closed, this, [&] {
        code = ws->closeCode();
        reason = ws->closeReason();
    });
    client.close(QWebSocketProtocol::CloseCodeNormal, u"done"_s);
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(code, quint16(1000));
    QCOMPARE(reason, QByteArray("done"));
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QTRY_VERIFY(ws.isNull());
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::webSocketServerCloseReachesClient()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.sendTextMessage(u"close-me"_s);
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(client.closeCode()), 4000);
    QCOMPARE(client.closeReason(), u"bye"_s);
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::webSocketUpgradeWithoutKeyGets400()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/ws", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"));
    QTRY_VERIFY(client.disconnected);
    const QList<Response> rs = responses(client.received, {}, true);
    QCOMPARE(rs.size(), 1);
    QCOMPARE(rs.first().status, 400);
    QCOMPARE(rs.first().headers.value("sec-websocket-version"), QByteArray("13"));
}

void tst_HttpServer::silentWebSocketPeerIsDropped()
{
    HttpServer server;
    installRoutes(server);
    server.setWebSocketLimits(WebSocketLimits{.pingIntervalMs = 100});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawClient client(server.serverPort());
    client.send(get("/ws", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    QTRY_VERIFY(client.received.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(client.received.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    // It never answers the pings it receives.
    QTRY_VERIFY_WITH_TIMEOUT(client.disconnected, 10000);
    QVERIFY(client.received.contains("\x89\x00"));  // an empty ping
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::webSocketPeerAnsweringPingsStays()
{
    HttpServer server;
    installRoutes(server);
    server.setWebSocketLimits(WebSocketLimits{.pingIntervalMs = 100});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;  // answers pings by itself
    client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QTest::qWait(800);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
    client.sendTextMessage(u"still here"_s);
    QTRY_COMPARE(texts.size(), 1);
}

void tst_HttpServer::curlIsHappy()
{
    const QString curl = QStandardPaths::findExecutable(u"curl"_s);
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QString base = u"http://127.0.0.1:%1"_s.arg(server.serverPort());

    // A 2 MiB upload makes curl use Expect: 100-continue.
    QTemporaryFile upload;
    QVERIFY(upload.open());
    upload.write(QByteArray(2 * 1024 * 1024, 'u'));
    upload.flush();

    QProcess process;
    process.start(curl, {u"-sS"_s, u"-v"_s, u"--max-time"_s, u"20"_s, base + u"/hello"_s, base + u"/stream"_s});
    QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 30000);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(process.exitCode() == 0, err.constData());
    const QByteArray out = process.readAllStandardOutput();
    QCOMPARE(out, QByteArray("helloone\ntwo\nthree\n"));
    QVERIFY2(err.contains("Re-using existing connection") || err.contains("Reusing existing connection"),
             err.constData());

    QProcess post;
    post.start(curl, {u"-sS"_s, u"-v"_s, u"--max-time"_s, u"20"_s, u"--data-binary"_s, u'@' + upload.fileName(),
                      base + u"/size"_s});
    QTRY_COMPARE_WITH_TIMEOUT(post.state(), QProcess::NotRunning, 30000);
    const QByteArray postErr = post.readAllStandardError();
    QVERIFY2(post.exitCode() == 0, postErr.constData());
    QCOMPARE(post.readAllStandardOutput(), QByteArray::number(2 * 1024 * 1024));
    QVERIFY2(postErr.contains("100 Continue"), postErr.constData());

    QProcess head;
    head.start(curl, {u"-sS"_s, u"-I"_s, u"--max-time"_s, u"20"_s, base + u"/hello"_s});
    QTRY_COMPARE_WITH_TIMEOUT(head.state(), QProcess::NotRunning, 30000);
    QCOMPARE(head.exitCode(), 0);
    const QByteArray headOut = head.readAllStandardOutput();
    QVERIFY2(headOut.startsWith("HTTP/1.1 200 OK\r\n"), headOut.constData());
    QVERIFY2(headOut.contains("Content-Length: 5\r\n"), headOut.constData());
}

void tst_HttpServer::tricklingHeadsAreCutAtTheDeadlineWhileOthersAreServed()
{
    HttpServer server;
    installRoutes(server);
    ConnectionLimits limits;
    limits.headTimeoutMs = 2000;
    limits.maxPerSource = 1000;  // all of them come from 127.0.0.1; the deadline is under test here
    server.setConnectionLimits(limits);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    // 300 clients, one header byte per second each: the bytes keep coming, the
    // deadline is not restarted by them.
    gasper::test::TricklingClients crowd(300, server.serverPort(), get("/hello", "User-Agent: slowloris\r\n"), 1000);
    RawClient normal(server.serverPort());
    QElapsedTimer clock;
    clock.start();
    qint64 slowest = 0;
    int served = 0;
    while (crowd.closed() < 300 && clock.elapsed() < 15000) {
        QElapsedTimer one;
        one.start();
        normal.send(get("/hello"));
        QTRY_COMPARE(responses(normal.received).size(), served + 1);
        slowest = std::max(slowest, one.elapsed());
        ++served;
        QTest::qWait(50);
    }
    QCOMPARE(crowd.closed(), 300);
    QCOMPARE(crowd.answeredWith("HTTP/1.1 408 "), 300);
    for (const auto &c : crowd.clients()) {
        const qint64 lived = c->closedAtMs - c->connectedAtMs;
        QVERIFY2(lived >= 1800 && lived < 4000, QByteArray::number(lived).constData());
        QVERIFY(c->sent >= 2);
        QVERIFY(c->received.contains("\"request-timeout\""));
    }
    qInfo("normal client: %d requests served while 300 heads trickled; slowest %lld ms", served, slowest);
    QVERIFY(served >= 10);
    QVERIFY2(slowest < 1000, QByteArray::number(slowest).constData());
    QCOMPARE(server.connectionStats().headTimeouts, quint64(300));
}

void tst_HttpServer::perSourceCapRefusesOneAddressAndServesAnother()
{
    HttpServer server;
    installRoutes(server);
    ConnectionLimits limits;
    limits.maxPerSource = 2;
    server.setConnectionLimits(limits);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    auto first = gasper::test::connectFrom(QHostAddress(u"127.0.0.2"_s), server.serverPort());
    auto second = gasper::test::connectFrom(QHostAddress(u"127.0.0.2"_s), server.serverPort());
    QVERIFY(first && second);
    QTRY_COMPARE(server.connectionCount(), 2);
    auto third = gasper::test::connectFrom(QHostAddress(u"127.0.0.2"_s), server.serverPort());
    QByteArray thirdGot;
    connect(third.get(), &QTcpSocket::readyRead, third.get(), [&] { thirdGot += third->readAll(); });
    QTRY_COMPARE(third->state(), QAbstractSocket::UnconnectedState);
    QVERIFY2(thirdGot.isEmpty() || thirdGot.startsWith("HTTP/1.1 503 "), thirdGot.constData());
    QCOMPARE(server.connectionStats().refusedPerSource, quint64(1));
    QCOMPARE(server.connectionCount(), 2);
    // 127.0.0.1 is served all the while.
    RawClient other(server.serverPort());
    other.send(get("/hello"));
    QTRY_COMPARE(responses(other.received).size(), 1);
    QCOMPARE(responses(other.received).first().body, QByteArray("hello"));
}

void tst_HttpServer::streamToAClientThatStopsReadingIsDroppedWithMemoryFlat()
{
    HttpServer server;
    FloodProbe probe;
    installRoutes(server, nullptr, nullptr, &probe);
    ConnectionLimits limits;
    limits.maxQueuedBytes = 1024 * 1024;
    server.setConnectionLimits(limits);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.setReadBufferSize(16 * 1024);  // and then it never reads
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    const qint64 rssBefore = residentKb();
    client.write(get("/flood"));
    QTRY_VERIFY_WITH_TIMEOUT(probe.aborted, 20000);
    const qint64 rssAfter = residentKb();
    qInfo("careless stream: %lld bytes written before the client was dropped; queue peak %lld; RSS %lld -> %lld kB",
          probe.written, probe.maxQueued, rssBefore, rssAfter);
    QVERIFY(probe.maxQueued <= limits.maxQueuedBytes + 64 * 1024 + 16);
    QVERIFY(probe.written < 100 * 1024 * 1024);
    QVERIFY(rssAfter - rssBefore < 32 * 1024);
    QCOMPARE(server.connectionStats().sendTimeouts, quint64(1));
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::politeStreamToAStalledClientIsDroppedAfterTheSendTimeout()
{
    HttpServer server;
    FloodProbe probe;
    installRoutes(server, nullptr, nullptr, &probe);
    ConnectionLimits limits;
    limits.sendTimeoutMs = 500;
    server.setConnectionLimits(limits);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.setReadBufferSize(16 * 1024);
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.write(get("/polite-flood"));
    QTRY_VERIFY_WITH_TIMEOUT(probe.aborted, 20000);
    qInfo("polite stream: %lld bytes written, queue peak %lld, dropped on the send timeout", probe.written,
          probe.maxQueued);
    QVERIFY(probe.maxQueued < 256 * 1024 + 64 * 1024 + 16);
    QCOMPARE(server.connectionStats().sendTimeouts, quint64(1));
}

void tst_HttpServer::webSocketPeerThatStopsReadingIsDropped()
{
    HttpServer server;
    FloodProbe probe;
    installRoutes(server, nullptr, nullptr, &probe);
    server.setWebSocketLimits(WebSocketLimits{.maxQueuedBytes = 1024 * 1024});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;  // does the handshake, then never reads again
    client.setReadBufferSize(16 * 1024);
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    const qint64 rssBefore = residentKb();
    client.write(get("/ws-flood", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT(probe.closed, 20000);
    const qint64 rssAfter = residentKb();
    qInfo("WebSocket flood: %lld bytes sent before the peer was dropped; queue peak %lld; RSS %lld -> %lld kB",
          probe.written, probe.maxQueued, rssBefore, rssAfter);
    QVERIFY(probe.written > 0);
    QVERIFY(probe.maxQueued <= 1024 * 1024 + 64 * 1024 + 16);
    QVERIFY(rssAfter - rssBefore < 32 * 1024);
    QTRY_COMPARE(server.connectionCount(), 0);
}

void tst_HttpServer::webSocketMessagesSentBeforeTheHandshakeArrive()
{
    HttpServer server;
    installRoutes(server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
    client.open(QUrl(u"ws://127.0.0.1:%1/ws-hello"_s.arg(server.serverPort())));
    QTRY_COMPARE(texts.size(), 1);
    QCOMPARE(texts.first().first().toString(), u"hello before open"_s);
}

void tst_HttpServer::oversizedWebSocketMessageIsClosedWith1009()
{
    HttpServer server;
    installRoutes(server);
    server.setWebSocketLimits(WebSocketLimits{.maxMessageBytes = 64 * 1024});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket client;
    client.open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(server.serverPort())));
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.sendBinaryMessage(QByteArray(200 * 1024, 'x'));
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(int(client.closeCode()), 1009);
    QTRY_COMPARE(server.connectionCount(), 0);
}

QTEST_GUILESS_MAIN(tst_HttpServer)
#include "tst_http_server.moc"
