// SPDX-License-Identifier: MIT
// ProxyServer over real loopback sockets: real clients (curl, wrk, QTcpSocket,
// QWebSocket) against real upstreams (a QTcpServer upstream in this file for precise
// cases, QWebSocketServer, and python3's http.server as a third-party upstream).

#include "../support/SlowClients.h"
#include "http/HttpMessage.h"
#include "http/HttpParser.h"
#include "proxy/ProxyServer.h"
#include "proxy/RouteTable.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>
#include <memory>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace gasper;
using gasper::proxy::ProxyServer;
using gasper::proxy::ProxyStats;
using gasper::proxy::RouteTable;

namespace {

constexpr http::Limits kUnlimited{.maxBodyBytes = -1};

// ---------------------------------------------------------------------------
// A small HTTP/1.1 upstream with paths that each exercise one behaviour.
//   /hello                 "hello from <name>" (Content-Length; HEAD gets the head only)
//   /delay/<ms>/<tag>      answers <tag> after <ms>
//   /echo                  answers with the request body
//   /hop                   answers with hop-by-hop fields that must not reach the client
//   /slow-chunks           chunked: "first" now, "second" + last chunk on releaseSlow()
//   /close-delimited       no Content-Length, body ends when it closes
//   /big/<n>               n bytes with Content-Length, written as the socket drains
//   /hello-then-close      answers like /hello, then closes the keep-alive connection
//   /reset                 aborts the connection without answering
//   /cut-length            Content-Length 1000, 100 bytes, then a TCP reset
//   /cut-chunked           chunked, one 100-byte chunk, then a TCP reset
// Any request with "Expect: 100-continue" gets a 100 as soon as its head is in.
class TestUpstream final : public QObject
{
public:
    explicit TestUpstream(QByteArray name)
        : m_name(std::move(name))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                accept(socket);
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }

    quint16 port() const { return m_server.serverPort(); }
    int accepts = 0;
    QList<http::Request> heads;     // every request head, on arrival
    QList<http::Request> requests;  // complete requests with their bodies
    QByteArray bodySoFar;           // body bytes of the latest request, as they come
    qint64 bigWritten = 0;

    void releaseSlow()
    {
        if (m_slow)
            m_slow->write("6\r\nsecond\r\n0\r\n\r\n");
    }
    bool slowPending() const { return !m_slow.isNull(); }

private:
    struct Conn
    {
        explicit Conn(QTcpSocket *s) : socket(s), parser(http::Parser::Kind::Request, kUnlimited) {}
        QTcpSocket *socket;
        http::Parser parser;
        http::Request current;
    };

    void accept(QTcpSocket *socket)
    {
        ++accepts;
        auto conn = std::make_shared<Conn>(socket);
        connect(socket, &QTcpSocket::readyRead, this, [this, conn] { onReadable(*conn); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    void onReadable(Conn &c)
    {
        c.parser.feed(c.socket->readAll());
        for (;;) {
            switch (c.parser.next()) {
            case http::Parser::Event::NeedMore:
                return;
            case http::Parser::Event::Error:
                c.socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                c.socket->disconnectFromHost();
                return;
            case http::Parser::Event::Head:
                c.current = c.parser.request();
                heads.append(c.current);
                bodySoFar.clear();
                if (c.current.headers.hasToken("expect", "100-continue"))
                    c.socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                break;
            case http::Parser::Event::Body: {
                const QByteArray body = c.parser.takeBody();
                c.current.body += body;
                bodySoFar += body;
                break;
            }
            case http::Parser::Event::Complete:
                requests.append(c.current);
                respond(c.socket, c.current);
                if (c.parser.upgraded())
                    return;
                break;
            }
        }
    }

    static void reply(QTcpSocket *socket, const http::Request &req, int status, const QByteArray &body,
                      const QList<std::pair<QByteArray, QByteArray>> &extra = {})
    {
        http::Response r;
        r.status = status;
        r.headers.add("Content-Type", "text/plain");
        r.headers.add("Content-Length", QByteArray::number(body.size()));
        for (const auto &[name, value] : extra)
            r.headers.add(name, value);
        QByteArray out = http::serializeHead(r);
        if (req.method != "HEAD")
            out += body;
        socket->write(out);
    }

    void respond(QTcpSocket *socket, const http::Request &req)
    {
        const QByteArray path = req.path();
        const QList<QByteArray> parts = path.split('/');
        if (path == "/hello") {
            reply(socket, req, 200, "hello from " + m_name);
        } else if (path.startsWith("/delay/") && parts.size() == 4) {
            QPointer<QTcpSocket> guard(socket);
            const http::Request copy = req;
            QTimer::singleShot(parts[2].toInt(), this, [guard, copy, tag = parts[3]] {
                if (guard)
                    reply(guard, copy, 200, tag);
            });
        } else if (path == "/echo") {
            reply(socket, req, 200, req.body);
        } else if (path == "/hop") {
            reply(socket, req, 200, "hop",
                  {{"Connection", "X-Resp-Hop"}, {"X-Resp-Hop", "1"}, {"Keep-Alive", "timeout=5"},
                   {"X-End-To-End", "yes"}});
        } else if (path == "/slow-chunks") {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\nfirst\r\n");
            m_slow = socket;
        } else if (path == "/close-delimited") {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                          "until the end");
            socket->disconnectFromHost();
        } else if (path.startsWith("/big/") && parts.size() == 3) {
            sendBig(socket, parts[2].toLongLong());
        } else if (path == "/hello-then-close") {
            // Keep-alive by its headers, yet it closes right away, as servers with a
            // short keep-alive timeout do at the worst moment.
            reply(socket, req, 200, "bye from " + m_name);
            socket->disconnectFromHost();
        } else if (path == "/reset") {
            socket->abort();
        } else if (path == "/cut-length" || path == "/cut-chunked") {
            const bool chunked = path == "/cut-chunked";
            const QByteArray body(100, 'c');
            if (chunked)
                socket->write(QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n") + body + "\r\n");
            else
                socket->write(QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n") + body);
            socket->flush();
            QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(100, socket, [guard] {
                // SO_LINGER 0: close() sends a reset instead of a FIN.
                const linger hard{1, 0};
                ::setsockopt(int(guard->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
                ::close(int(guard->socketDescriptor()));
                guard->abort();
            });
        } else {
            reply(socket, req, 404, "no such path");
        }
    }

    void sendBig(QTcpSocket *socket, qint64 size)
    {
        static const QByteArray block(64 * 1024, 'x');
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                      + QByteArray::number(size) + "\r\n\r\n");
        auto remaining = std::make_shared<qint64>(size);
        auto pump = [this, socket, remaining] {
            // Like a real server: never more than a few blocks queued at a time.
            while (*remaining > 0 && socket->bytesToWrite() < 256 * 1024) {
                const qint64 n = std::min<qint64>(block.size(), *remaining);
                socket->write(n == block.size() ? block : block.left(n));
                *remaining -= n;
                bigWritten += n;
            }
        };
        connect(socket, &QTcpSocket::bytesWritten, socket, pump);
        pump();
    }

    QByteArray m_name;
    QTcpServer m_server;
    QPointer<QTcpSocket> m_slow;
};

// ---------------------------------------------------------------------------
// A raw HTTP client on a QTcpSocket that parses what comes back with the project codec.
class RawClient
{
public:
    QTcpSocket socket;
    http::Parser parser{http::Parser::Kind::Response, kUnlimited};
    QList<http::Response> responses;  // final responses, complete
    http::Response current;
    QByteArray raw;  // every byte received
    bool eofFed = false;
    bool failed = false;

    bool connectTo(quint16 port)
    {
        socket.connectToHost(QHostAddress::LocalHost, port);
        return waitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; });
    }
    void send(const QByteArray &bytes, const QList<QByteArray> &methods = {"GET"})
    {
        for (const QByteArray &m : methods)
            parser.expectResponseTo(m);
        socket.write(bytes);
    }
    void pump()
    {
        if (socket.bytesAvailable() > 0) {
            const QByteArray data = socket.readAll();
            raw += data;
            parser.feed(data);
        } else if (socket.state() == QAbstractSocket::UnconnectedState && !eofFed) {
            eofFed = true;
            parser.feedEof();
        }
        for (;;) {
            switch (parser.next()) {
            case http::Parser::Event::NeedMore:
                return;
            case http::Parser::Event::Head:
                current = parser.response();
                current.body.clear();
                break;
            case http::Parser::Event::Body:
                current.body += parser.takeBody();
                break;
            case http::Parser::Event::Complete:
                if (current.status >= 200 || current.status == 101)
                    responses.append(current);
                current = http::Response();
                break;
            case http::Parser::Event::Error:
                failed = true;
                return;
            }
        }
    }
    // Runs the event loop (the proxy and upstreams live in this process) until cond holds.
    bool waitFor(const std::function<bool()> &cond, int timeoutMs = 20000)
    {
        QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            pump();
            if (cond())
                return true;
            if (deadline.hasExpired() || failed)
                return false;
            QTest::qWait(2);
        }
    }
    bool waitResponses(qsizetype n) { return waitFor([this, n] { return responses.size() >= n; }); }
    bool waitClosed(int timeoutMs = 20000)
    {
        return waitFor([this] { return socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }
};

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a program while the event loop keeps serving (the proxy is in this process).
ProcessResult runProcess(const QString &program, const QStringList &args, int timeoutMs = 60000)
{
    QProcess process;
    process.start(program, args);
    if (!process.waitForStarted(10000))
        return {};
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished(2000);
        return {-1, process.readAllStandardOutput(), process.readAllStandardError()};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

ProcessResult curl(QStringList args, int timeoutMs = 60000)
{
    args.prepend(u"--max-time"_s);
    args.insert(1, QString::number(timeoutMs / 1000));
    args.prepend(u"*"_s);
    args.prepend(u"--noproxy"_s);
    args.prepend(u"-sS"_s);
    return runProcess(u"curl"_s, args, timeoutMs + 5000);
}

// curl -i output: every response (interim ones skipped) as the codec parses it.
QList<http::Response> parseResponses(const QByteArray &bytes, const QList<QByteArray> &methods)
{
    http::Parser parser(http::Parser::Kind::Response, kUnlimited);
    for (const QByteArray &m : methods)
        parser.expectResponseTo(m);
    parser.feed(bytes);
    parser.feedEof();
    QList<http::Response> out;
    http::Response current;
    for (;;) {
        switch (parser.next()) {
        case http::Parser::Event::NeedMore:
        case http::Parser::Event::Error:
            return out;
        case http::Parser::Event::Head:
            current = parser.response();
            break;
        case http::Parser::Event::Body:
            current.body += parser.takeBody();
            break;
        case http::Parser::Event::Complete:
            if (current.status >= 200)
                out.append(current);
            current = http::Response();
            break;
        }
    }
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();  // closed when probe goes; nothing listens there after
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

bool haveProgram(const QString &name)
{
    return !QStandardPaths::findExecutable(name).isEmpty();
}

} // namespace

// ---------------------------------------------------------------------------

class tst_Proxy final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void routesByHostIgnoringCasePortAndTrailingDot_data();
    void routesByHostIgnoringCasePortAndTrailingDot();
    void absoluteFormTargetRoutesByItsAuthority();
    void unknownHostIs404NamingTheHost();
    void unavailableRouteAnswersItsStatusAndMessage_data();
    void unavailableRouteAnswersItsStatusAndMessage();
    void closedUpstreamPortIs502();
    void upstreamResetBeforeAnsweringIs502();
    void upstreamConnectTimeoutIs502();
    void upstreamResponseHeadTimeoutIs504();
    void upstreamResetMidResponseLeavesTheResponseIncomplete_data();
    void upstreamResetMidResponseLeavesTheResponseIncomplete();
    void missingHostOnHttp11Is400();
    void malformedRequestGetsTheParserStatus_data();
    void malformedRequestGetsTheParserStatus();
    void keepAliveReusesClientAndUpstreamConnections();
    void pipelinedRequestsAreAnsweredInOrder();
    void upstreamClosingAReusedConnectionIsRetriedOnAFreshOne();
    void refusedUpgradeKeepsTheClientConnectionForHttp();
    void chunkedRequestBodyIsStreamedToUpstream();
    void chunkedResponseIsStreamedToClient();
    void closeDelimitedResponseIsReframedForTheClient_data();
    void closeDelimitedResponseIsReframedForTheClient();
    void largeResponseStreamsWithBoundedBuffers();
    void edgeSetsForwardedFieldsFromTheSocket();
    void trustedProxyForwardedFieldsAreKeptAndAppended();
    void invalidTrustedProxyIsRefused();
    void hopByHopHeadersAreStrippedBothWays();
    void headRequestGetsHeadWithoutBodyAndKeepsConnection();
    void expectContinueIsPassedThrough();
    void webSocketIsTunnelledAndEchoes();
    void routeChangeAppliesToTheNextRequest();
    void pythonHttpServerServesFilesThroughTheProxy();
    void idleClientConnectionsAreDropped();
    void connectionsOverTheCapAreRefused();
    void tricklingHeadsAreCutAtTheDeadlineWhileOthersAreServed();
    void perSourceCapRefusesOneAddressAndServesAnother();
    void clientThatStopsReadingIsDropped();
    void destroyingTheServerClosesItsConnections();
    void wrkLoadCompletesWithoutErrors();

private:
    quint16 proxyPort() const { return m_proxy->serverPort(); }
    QString url(const QString &path) const { return u"http://127.0.0.1:%1%2"_s.arg(proxyPort()).arg(path); }

    std::unique_ptr<TestUpstream> m_a;
    std::unique_ptr<TestUpstream> m_b;
    std::unique_ptr<RouteTable> m_routes;
    std::unique_ptr<ProxyServer> m_proxy;
    QTemporaryDir m_pyDir;
    QProcess m_python;
    quint16 m_pyPort = 0;
};

void tst_Proxy::initTestCase()
{
    // One line per request at debug level would drown the test log.
    QLoggingCategory::setFilterRules(u"gasper.proxy.debug=false"_s);
    m_a = std::make_unique<TestUpstream>("a");
    m_b = std::make_unique<TestUpstream>("b");
    QVERIFY(m_a->port() != 0);
    QVERIFY(m_b->port() != 0);
    m_routes = std::make_unique<RouteTable>();
    m_routes->setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, m_a->port());
    m_routes->setUpstream(u"b.localhost"_s, u"127.0.0.1"_s, m_b->port());
    m_proxy = std::make_unique<ProxyServer>(m_routes.get());
    const auto listening = m_proxy->listen(QHostAddress::LocalHost, 0);
    QVERIFY2(listening, qPrintable(listening ? QString() : listening.error().message));
    QVERIFY(proxyPort() != 0);

    // Listening twice on one port fails with a Result error, not a crash.
    ProxyServer second(m_routes.get());
    const auto clash = second.listen(QHostAddress::LocalHost, proxyPort());
    QVERIFY(!clash);
    QCOMPARE(clash.error().code, u"proxy-listen-failed"_s);

    QVERIFY(haveProgram(u"curl"_s));

    // python3 -m http.server as a third-party upstream, serving a temp dir.
    if (haveProgram(u"python3"_s)) {
        QVERIFY(m_pyDir.isValid());
        QFile hello(m_pyDir.filePath(u"hello.txt"_s));
        QVERIFY(hello.open(QIODevice::WriteOnly));
        hello.write("hello from python\n");
        hello.close();
        QFile blob(m_pyDir.filePath(u"blob.bin"_s));
        QVERIFY(blob.open(QIODevice::WriteOnly));
        QByteArray bytes(1024 * 1024, Qt::Uninitialized);
        QRandomGenerator gen(42);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char(gen.bounded(256));
        blob.write(bytes);
        blob.close();
        m_pyPort = freePort();
        m_python.setWorkingDirectory(m_pyDir.path());
        m_python.setStandardOutputFile(QProcess::nullDevice());
        m_python.setStandardErrorFile(QProcess::nullDevice());
        m_python.start(u"python3"_s, {u"-m"_s, u"http.server"_s, u"--bind"_s, u"127.0.0.1"_s,
                                      QString::number(m_pyPort), u"--directory"_s, m_pyDir.path()});
        QVERIFY(m_python.waitForStarted(10000));
        m_routes->setUpstream(u"py.localhost"_s, u"127.0.0.1"_s, m_pyPort);
        // Ready once it accepts connections.
        QTRY_VERIFY_WITH_TIMEOUT(
            [this] {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_pyPort);
                return probe.waitForConnected(200);
            }(),
            20000);
    }
}

void tst_Proxy::cleanupTestCase()
{
    if (m_python.state() != QProcess::NotRunning) {
        m_python.terminate();
        if (!m_python.waitForFinished(5000))
            m_python.kill();
        m_python.waitForFinished(2000);
    }
    m_proxy.reset();
}

// --- routing -----------------------------------------------------------------

void tst_Proxy::routesByHostIgnoringCasePortAndTrailingDot_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << u"a.localhost"_s << QByteArray("hello from a");
    QTest::newRow("with port") << u"a.localhost:8080"_s << QByteArray("hello from a");
    QTest::newRow("upper case") << u"A.LOCALHOST"_s << QByteArray("hello from a");
    QTest::newRow("upper case with port") << u"A.LocalHost:80"_s << QByteArray("hello from a");
    QTest::newRow("trailing dot") << u"a.localhost."_s << QByteArray("hello from a");
    QTest::newRow("other app") << u"b.localhost"_s << QByteArray("hello from b");
}

void tst_Proxy::routesByHostIgnoringCasePortAndTrailingDot()
{
    QFETCH(QString, host);
    QFETCH(QByteArray, expected);
    const ProcessResult r = curl({u"-i"_s, u"-H"_s, u"Host: "_s + host, url(u"/hello"_s)});
    QCOMPARE(r.exitCode, 0);
    const auto responses = parseResponses(r.out, {"GET"});
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses[0].status, 200);
    QCOMPARE(responses[0].body, expected);
    QCOMPARE(responses[0].headers.value("via"), QByteArray("1.1 gasper"));
}

void tst_Proxy::absoluteFormTargetRoutesByItsAuthority()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET http://b.localhost/hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].body, QByteArray("hello from b"));
    QCOMPARE(m_b->requests.last().target, QByteArray("/hello"));
    QCOMPARE(m_b->requests.last().headers.value("host"), QByteArray("b.localhost"));
}

void tst_Proxy::unknownHostIs404NamingTheHost()
{
    const ProcessResult r = curl({u"-i"_s, u"-H"_s, u"Host: Nobody-Here.localhost:8080"_s, url(u"/"_s)});
    QCOMPARE(r.exitCode, 0);
    const auto responses = parseResponses(r.out, {"GET"});
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses[0].status, 404);
    QVERIFY(responses[0].headers.value("content-type").startsWith("text/html"));
    QVERIFY2(responses[0].body.contains("nobody-here.localhost"), responses[0].body.constData());

    // Markup in the host is escaped, not echoed.
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET / HTTP/1.1\r\nHost: <b>x</b>\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].status, 404);
    QVERIFY(!client.responses[0].body.contains("<b>x</b>"));
    QVERIFY(client.responses[0].body.contains("&lt;b&gt;x&lt;/b&gt;"));
}

void tst_Proxy::unavailableRouteAnswersItsStatusAndMessage_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("retryAfter");
    QTest::newRow("deploying") << 503 << u"app is deploying"_s << true;
    QTest::newRow("down") << 502 << u"app is down"_s << false;
}

void tst_Proxy::unavailableRouteAnswersItsStatusAndMessage()
{
    QFETCH(int, status);
    QFETCH(QString, message);
    QFETCH(bool, retryAfter);
    m_routes->setUnavailable(u"busy.localhost"_s, status, message);
    const ProxyStats before = m_proxy->stats();
    const ProcessResult r = curl({u"-i"_s, u"-H"_s, u"Host: busy.localhost"_s, url(u"/"_s)});
    QCOMPARE(r.exitCode, 0);
    const auto responses = parseResponses(r.out, {"GET"});
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses[0].status, status);
    QVERIFY(responses[0].body.contains(message.toUtf8()));
    QCOMPARE(responses[0].headers.value("retry-after"), retryAfter ? QByteArray("1") : QByteArray());
    QCOMPARE(m_proxy->stats().responses5xx, before.responses5xx + 1);
    m_routes->remove(u"busy.localhost"_s);
}

void tst_Proxy::closedUpstreamPortIs502()
{
    m_routes->setUpstream(u"closed.localhost"_s, u"127.0.0.1"_s, freePort());
    const ProxyStats before = m_proxy->stats();
    const ProcessResult r = curl({u"-i"_s, u"-H"_s, u"Host: closed.localhost"_s, url(u"/"_s)});
    QCOMPARE(r.exitCode, 0);
    const auto responses = parseResponses(r.out, {"GET"});
    QCOMPARE(responses.size(), 1);
    QCOMPARE(responses[0].status, 502);
    QVERIFY(responses[0].body.contains("closed.localhost"));
    QCOMPARE(m_proxy->stats().upstreamErrors, before.upstreamErrors + 1);
    m_routes->remove(u"closed.localhost"_s);
}

void tst_Proxy::upstreamResetBeforeAnsweringIs502()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET /reset HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].status, 502);
    // The client connection survives a failed upstream: the next request works.
    client.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(2));
    QCOMPARE(client.responses[1].body, QByteArray("hello from a"));
}

void tst_Proxy::upstreamConnectTimeoutIs502()
{
    // A listening socket with a full accept queue: Linux drops further SYNs, so a
    // connect neither succeeds nor fails until the proxy's timeout.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    auto closeFd = qScopeGuard([fd] { ::close(fd); });
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    QVERIFY(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
    QVERIFY(::listen(fd, 0) == 0);
    socklen_t len = sizeof addr;
    QVERIFY(::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0);
    const quint16 port = ntohs(addr.sin_port);
    QTcpSocket filler;
    filler.connectToHost(QHostAddress::LocalHost, port);
    QTRY_COMPARE(filler.state(), QAbstractSocket::ConnectedState);

    RouteTable routes;
    routes.setUpstream(u"slow.localhost"_s, u"127.0.0.1"_s, port);
    ProxyServer proxy(&routes);
    proxy.setUpstreamConnectTimeout(300);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
    RawClient client;
    QVERIFY(client.connectTo(proxy.serverPort()));
    client.send("GET / HTTP/1.1\r\nHost: slow.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].status, 502);
    QCOMPARE(proxy.stats().upstreamErrors, quint64(1));
}

void tst_Proxy::upstreamResponseHeadTimeoutIs504()
{
    RouteTable routes;
    routes.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, m_a->port());
    ProxyServer proxy(&routes);
    proxy.setUpstreamResponseTimeout(300);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
    RawClient client;
    QVERIFY(client.connectTo(proxy.serverPort()));
    QElapsedTimer clock;
    clock.start();
    client.send("GET /delay/3000/late HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].status, 504);
    QVERIFY2(clock.elapsed() < 2500, QByteArray::number(clock.elapsed()).constData());
    QCOMPARE(proxy.stats().upstreamTimeouts, quint64(1));
    // The client's connection stays usable, and a prompt upstream is not cut.
    client.send("GET /delay/100/prompt HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(2));
    QCOMPARE(client.responses[1].status, 200);
    QCOMPARE(client.responses[1].body, QByteArray("prompt"));
}

void tst_Proxy::upstreamResetMidResponseLeavesTheResponseIncomplete_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("content-length") << QByteArray("/cut-length");
    QTest::newRow("chunked") << QByteArray("/cut-chunked");
}

void tst_Proxy::upstreamResetMidResponseLeavesTheResponseIncomplete()
{
    QFETCH(QByteArray, path);
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    // A second request is pipelined behind: its answer must never be spliced onto the
    // cut one.
    client.send("GET " + path + " HTTP/1.1\r\nHost: a.localhost\r\n\r\nGET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n",
                {"GET", "GET"});
    QVERIFY(client.waitClosed());
    QCOMPARE(client.responses.size(), 0);  // nothing complete
    QCOMPARE(client.raw.count("HTTP/1.1 "), 1);
    QVERIFY(client.raw.contains(QByteArray(100, 'c')));
    QVERIFY(!client.raw.contains("hello from a"));
    if (path == "/cut-chunked")
        QVERIFY(!client.raw.endsWith("0\r\n\r\n"));
    else
        QVERIFY(client.raw.endsWith(QByteArray(100, 'c')));
}

void tst_Proxy::missingHostOnHttp11Is400()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET / HTTP/1.1\r\nUser-Agent: raw\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].status, 400);
    QVERIFY(client.waitClosed());
}

void tst_Proxy::malformedRequestGetsTheParserStatus_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("bad version") << QByteArray("GET / HTTP/2.0\r\nHost: a.localhost\r\n\r\n") << 505;
    QTest::newRow("bad request line") << QByteArray("GARBAGE\r\n\r\n") << 400;
    QTest::newRow("unknown coding")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: a.localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501;
    QTest::newRow("both framings")
        << QByteArray("POST /echo HTTP/1.1\r\nHost: a.localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n")
        << 400;
}

void tst_Proxy::malformedRequestGetsTheParserStatus()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send(request);
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].status, status);
    QVERIFY(client.waitClosed());
}

// --- connections -------------------------------------------------------------

void tst_Proxy::keepAliveReusesClientAndUpstreamConnections()
{
    TestUpstream upstream("keep");
    m_routes->setUpstream(u"keep.localhost"_s, u"127.0.0.1"_s, upstream.port());
    const ProxyStats before = m_proxy->stats();
    // One curl run with three URLs reuses its connection; %{num_connects} says so.
    const QString u = url(u"/hello"_s);
    const ProcessResult r = curl({u"-H"_s, u"Host: keep.localhost"_s, u"-w"_s, u"|%{num_connects}\n"_s, u, u, u});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("hello from keep|1\nhello from keep|0\nhello from keep|0\n"));
    QCOMPARE(upstream.accepts, 1);
    QCOMPARE(upstream.requests.size(), 3);
    const ProxyStats after = m_proxy->stats();
    QCOMPARE(after.requests, before.requests + 3);
    QCOMPARE(after.upstreamConnectionsOpened, before.upstreamConnectionsOpened + 1);

    // A second client, later, gets the pooled upstream connection too.
    QTRY_VERIFY(m_proxy->stats().idleUpstreamConnections >= 1);
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET /hello HTTP/1.1\r\nHost: keep.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].body, QByteArray("hello from keep"));
    QCOMPARE(upstream.accepts, 1);
    m_routes->remove(u"keep.localhost"_s);
}

void tst_Proxy::pipelinedRequestsAreAnsweredInOrder()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    // The first answer is the slowest, and the hosts alternate between apps.
    client.send("GET /delay/300/one HTTP/1.1\r\nHost: a.localhost\r\n\r\n"
                "GET /delay/0/two HTTP/1.1\r\nHost: b.localhost\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n"
                "GET /delay/50/four HTTP/1.1\r\nHost: b.localhost\r\n\r\n",
                {"GET", "GET", "GET", "GET"});
    QVERIFY(client.waitResponses(4));
    QCOMPARE(client.responses[0].body, QByteArray("one"));
    QCOMPARE(client.responses[1].body, QByteArray("two"));
    QCOMPARE(client.responses[2].body, QByteArray("hello from a"));
    QCOMPARE(client.responses[3].body, QByteArray("four"));
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
}

void tst_Proxy::upstreamClosingAReusedConnectionIsRetriedOnAFreshOne()
{
    TestUpstream upstream("closer");
    m_routes->setUpstream(u"closer.localhost"_s, u"127.0.0.1"_s, upstream.port());
    const ProxyStats before = m_proxy->stats();
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    // Pipelined, the second request is forwarded the moment the first answer is in,
    // usually on the connection the upstream is just closing.
    client.send("GET /hello-then-close HTTP/1.1\r\nHost: closer.localhost\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: closer.localhost\r\n\r\n"
                "GET /hello-then-close HTTP/1.1\r\nHost: closer.localhost\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: closer.localhost\r\n\r\n",
                {"GET", "GET", "GET", "GET"});
    QVERIFY(client.waitResponses(4));
    QCOMPARE(client.responses[0].body, QByteArray("bye from closer"));
    QCOMPARE(client.responses[1].body, QByteArray("hello from closer"));
    QCOMPARE(client.responses[2].body, QByteArray("bye from closer"));
    QCOMPARE(client.responses[3].body, QByteArray("hello from closer"));
    QCOMPARE(m_proxy->stats().upstreamErrors, before.upstreamErrors);
    QCOMPARE(m_proxy->stats().responses5xx, before.responses5xx);
    m_routes->remove(u"closer.localhost"_s);
}

void tst_Proxy::refusedUpgradeKeepsTheClientConnectionForHttp()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    // The upstream answers the upgrade request plainly (no 101): no tunnel, and the
    // client connection goes on with HTTP.
    client.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: b.localhost\r\n\r\n",
                {"GET", "GET"});
    QVERIFY(client.waitResponses(2));
    QCOMPARE(client.responses[0].status, 200);
    QCOMPARE(client.responses[0].body, QByteArray("hello from a"));
    QCOMPARE(client.responses[1].body, QByteArray("hello from b"));
    QCOMPARE(m_a->requests.last().headers.value("upgrade"), QByteArray("websocket"));
    QCOMPARE(m_a->requests.last().headers.value("connection"), QByteArray("Upgrade"));
}

// --- streaming ---------------------------------------------------------------

void tst_Proxy::chunkedRequestBodyIsStreamedToUpstream()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    const qsizetype headsBefore = m_a->heads.size();
    client.send("POST /echo HTTP/1.1\r\nHost: a.localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
                {"POST"});
    // The first chunk reaches the upstream while the client has not finished its body.
    QVERIFY(client.waitFor([&] { return m_a->heads.size() > headsBefore && m_a->bodySoFar == "hello"; }));
    QCOMPARE(m_a->heads.last().headers.value("transfer-encoding"), QByteArray("chunked"));
    QVERIFY(!m_a->heads.last().headers.has("content-length"));
    QCOMPARE(client.responses.size(), 0);
    client.send("6\r\n world\r\n0\r\n\r\n", {});
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].status, 200);
    QCOMPARE(client.responses[0].body, QByteArray("hello world"));

    // Content-Length bodies pass through with their length.
    client.send("PUT /echo HTTP/1.1\r\nHost: a.localhost\r\nContent-Length: 4\r\n\r\nabcd", {"PUT"});
    QVERIFY(client.waitResponses(2));
    QCOMPARE(client.responses[1].body, QByteArray("abcd"));
    QCOMPARE(m_a->requests.last().headers.value("content-length"), QByteArray("4"));
}

void tst_Proxy::chunkedResponseIsStreamedToClient()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET /slow-chunks HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    // The first chunk is at the client while the upstream still holds the last one.
    QVERIFY(client.waitFor([&] { return client.current.body == "first"; }));
    QVERIFY(m_a->slowPending());
    QCOMPARE(client.current.status, 200);
    QVERIFY(client.current.headers.hasToken("transfer-encoding", "chunked"));
    QCOMPARE(client.responses.size(), 0);
    m_a->releaseSlow();
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].body, QByteArray("firstsecond"));
}

void tst_Proxy::closeDelimitedResponseIsReframedForTheClient_data()
{
    QTest::addColumn<int>("minor");
    QTest::newRow("HTTP/1.1 client gets chunked") << 1;
    QTest::newRow("HTTP/1.0 client gets a close") << 0;
}

void tst_Proxy::closeDelimitedResponseIsReframedForTheClient()
{
    QFETCH(int, minor);
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET /close-delimited HTTP/1." + QByteArray::number(minor)
                + "\r\nHost: a.localhost\r\nConnection: keep-alive\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].body, QByteArray("until the end"));
    if (minor == 1) {
        QVERIFY(client.responses[0].headers.hasToken("transfer-encoding", "chunked"));
        // The client keeps its connection although the upstream closed its own.
        client.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
        QVERIFY(client.waitResponses(2));
        QCOMPARE(client.responses[1].body, QByteArray("hello from a"));
    } else {
        QVERIFY(!client.responses[0].headers.has("transfer-encoding"));
        QVERIFY(client.waitClosed());
    }
}

void tst_Proxy::largeResponseStreamsWithBoundedBuffers()
{
    constexpr qint64 size = 50LL * 1024 * 1024;
    const qint64 rssBefore = residentKb();
    qint64 rssPeak = rssBefore;
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, &sampler, [&] { rssPeak = std::max(rssPeak, residentKb()); });
    sampler.start(20);
    const qint64 writtenBefore = m_a->bigWritten;
    // curl reads slower than the upstream writes, so without back-pressure the proxy
    // would have to hold most of the body.
    const ProcessResult r = curl({u"-o"_s, u"/dev/null"_s, u"--limit-rate"_s, u"20M"_s, u"-w"_s,
                                  u"%{http_code} %{size_download}"_s, u"-H"_s, u"Host: a.localhost"_s,
                                  url(u"/big/%1"_s.arg(size))},
                                 120000);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("200 ") + QByteArray::number(size));
    QCOMPARE(m_a->bigWritten - writtenBefore, size);
    sampler.stop();
    const ProxyStats stats = m_proxy->stats();
    qInfo() << "peak bytes queued in one socket:" << stats.peakBufferedBytes
            << "peak RSS growth during the transfer (kB):" << rssPeak - rssBefore;
    QVERIFY2(stats.peakBufferedBytes < 4 * 1024 * 1024, QByteArray::number(stats.peakBufferedBytes).constData());
    // The whole process (proxy, upstream, test) stays far below the body's 50 MB.
#if !defined(__SANITIZE_ADDRESS__)  // ASan keeps freed memory in quarantine
    if (rssBefore > 0)
        QVERIFY2(rssPeak - rssBefore < 16 * 1024, QByteArray::number(rssPeak - rssBefore).constData());
#endif
}

// --- headers -----------------------------------------------------------------

void tst_Proxy::edgeSetsForwardedFieldsFromTheSocket()
{
    // What a client claims about earlier hops is replaced: the proxy is the edge.
    const ProcessResult r = curl({u"-H"_s, u"Host: a.localhost:8080"_s, u"-H"_s, u"X-Forwarded-For: 203.0.113.7"_s,
                                  u"-H"_s, u"X-Forwarded-Proto: https"_s, u"-H"_s, u"X-Forwarded-Host: bank.example"_s,
                                  u"-H"_s, u"Forwarded: for=203.0.113.7;proto=https"_s, u"-H"_s,
                                  u"Authorization: Bearer secret"_s, url(u"/hello?x=1"_s)});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("hello from a"));
    const http::Request &seen = m_a->requests.last();
    QCOMPARE(seen.target, QByteArray("/hello?x=1"));
    QCOMPARE(seen.headers.value("host"), QByteArray("a.localhost:8080"));
    QCOMPARE(seen.headers.values("x-forwarded-for"), QList<QByteArray>{"127.0.0.1"});
    QCOMPARE(seen.headers.values("x-forwarded-proto"), QList<QByteArray>{"http"});
    QCOMPARE(seen.headers.values("x-forwarded-host"), QList<QByteArray>{"a.localhost:8080"});
    QCOMPARE(seen.headers.values("forwarded"), QList<QByteArray>{R"(for=127.0.0.1;host="a.localhost:8080";proto=http)"});
    QCOMPARE(seen.headers.value("via"), QByteArray("1.1 gasper"));
    QCOMPARE(seen.headers.value("authorization"), QByteArray("Bearer secret"));  // end-to-end, untouched

    const ProcessResult r2 = curl({u"-H"_s, u"Host: a.localhost"_s, url(u"/hello"_s)});
    QCOMPARE(r2.exitCode, 0);
    QCOMPARE(m_a->requests.last().headers.values("x-forwarded-for"), QList<QByteArray>{"127.0.0.1"});
    QCOMPARE(m_a->requests.last().headers.value("forwarded"), QByteArray("for=127.0.0.1;host=a.localhost;proto=http"));
}

void tst_Proxy::trustedProxyForwardedFieldsAreKeptAndAppended()
{
    RouteTable routes;
    routes.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, m_a->port());
    ProxyServer proxy(&routes);
    QVERIFY(proxy.setTrustedProxies({u"127.0.0.0/8"_s}));
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
    RawClient client;
    QVERIFY(client.connectTo(proxy.serverPort()));
    client.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\nX-Forwarded-For: 203.0.113.7\r\n"
                "X-Forwarded-Proto: https\r\nX-Forwarded-Host: app.example\r\n"
                "Forwarded: for=203.0.113.7;host=app.example;proto=https\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    const http::Request &seen = m_a->requests.last();
    QCOMPARE(seen.headers.value("x-forwarded-for"), QByteArray("203.0.113.7, 127.0.0.1"));
    QCOMPARE(seen.headers.value("x-forwarded-proto"), QByteArray("https"));
    QCOMPARE(seen.headers.value("x-forwarded-host"), QByteArray("app.example"));
    QCOMPARE(seen.headers.value("forwarded"),
             QByteArray("for=203.0.113.7;host=app.example;proto=https, for=127.0.0.1;host=a.localhost;proto=http"));

    // A trusted peer that sent nothing gets the plain fields.
    client.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(client.waitResponses(2));
    QCOMPARE(m_a->requests.last().headers.value("x-forwarded-for"), QByteArray("127.0.0.1"));
    QCOMPARE(m_a->requests.last().headers.value("x-forwarded-proto"), QByteArray("http"));
}

void tst_Proxy::invalidTrustedProxyIsRefused()
{
    RouteTable routes;
    ProxyServer proxy(&routes);
    QVERIFY(proxy.setTrustedProxies({u"10.0.0.0/8"_s, u"::1"_s, u"192.168.1.7"_s}));
    const auto bad = proxy.setTrustedProxies({u"10.0.0.0/8"_s, u"proxy.example"_s});
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, u"invalid-config"_s);
    QVERIFY(bad.error().message.contains(u"proxy.example"_s));
}

void tst_Proxy::hopByHopHeadersAreStrippedBothWays()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("GET /hop HTTP/1.1\r\nHost: a.localhost\r\nConnection: keep-alive, X-Secret-Hop\r\n"
                "X-Secret-Hop: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n"
                "Trailer: X-T\r\nUpgrade: h2c\r\nX-End-To-End: kept\r\n\r\n");
    QVERIFY(client.waitResponses(1));
    const http::Request &seen = m_a->requests.last();
    QCOMPARE(seen.path(), QByteArray("/hop"));
    for (const char *name : {"connection", "x-secret-hop", "keep-alive", "proxy-connection", "te", "trailer",
                             "upgrade", "transfer-encoding"})
        QVERIFY2(!seen.headers.has(name), name);
    QCOMPARE(seen.headers.value("x-end-to-end"), QByteArray("kept"));

    const http::Response &answer = client.responses[0];
    QCOMPARE(answer.body, QByteArray("hop"));
    QVERIFY(!answer.headers.has("x-resp-hop"));
    QVERIFY(!answer.headers.has("keep-alive"));
    QVERIFY(!answer.headers.hasToken("connection", "x-resp-hop"));
    QCOMPARE(answer.headers.value("x-end-to-end"), QByteArray("yes"));
    QCOMPARE(answer.headers.value("via"), QByteArray("1.1 gasper"));
}

void tst_Proxy::headRequestGetsHeadWithoutBodyAndKeepsConnection()
{
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    client.send("HEAD /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n"
                "GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n",
                {"HEAD", "GET"});
    QVERIFY(client.waitResponses(2));
    QCOMPARE(client.responses[0].status, 200);
    QCOMPARE(client.responses[0].headers.value("content-length"), QByteArray("12"));
    QVERIFY(client.responses[0].body.isEmpty());
    QCOMPARE(client.responses[1].body, QByteArray("hello from a"));
    // Exactly the two heads and one body came: nothing stray after the HEAD answer.
    QVERIFY(client.raw.endsWith("\r\n\r\nhello from a"));
    QCOMPARE(client.raw.count("HTTP/1.1 200"), 2);

    // curl -I agrees, and the proxy's own answers honour HEAD too.
    const ProcessResult r = curl({u"-I"_s, u"-H"_s, u"Host: a.localhost"_s, url(u"/hello"_s)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith("HTTP/1.1 200"));
    const ProcessResult r404 = curl({u"-I"_s, u"-H"_s, u"Host: none.localhost"_s, url(u"/"_s)});
    QCOMPARE(r404.exitCode, 0);
    QVERIFY(r404.out.startsWith("HTTP/1.1 404"));
}

void tst_Proxy::expectContinueIsPassedThrough()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(u"payload"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray payload = QByteArray("0123456789abcdef").repeated(4096);  // 64 KiB
    file.write(payload);
    file.close();
    const qsizetype headsBefore = m_a->heads.size();
    QElapsedTimer timer;
    timer.start();
    // If the 100 did not come through, curl would wait its 20 s timeout before sending.
    const ProcessResult r = curl({u"-v"_s, u"-H"_s, u"Host: a.localhost"_s, u"-H"_s, u"Expect: 100-continue"_s,
                                  u"--expect100-timeout"_s, u"20"_s, u"--data-binary"_s, u"@"_s + file.fileName(),
                                  url(u"/echo"_s)});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("HTTP/1.1 100 Continue"), r.err.constData());
    QVERIFY(r.out == payload);
    QVERIFY2(timer.elapsed() < 15000, "curl waited for its expect timeout");
    QVERIFY(m_a->heads.size() > headsBefore);
    QCOMPARE(m_a->heads.last().headers.value("expect"), QByteArray("100-continue"));
}

// --- WebSocket ---------------------------------------------------------------

void tst_Proxy::webSocketIsTunnelledAndEchoes()
{
    QWebSocketServer server(u"echo"_s, QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QNetworkRequest> upgradeRequests;
    connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *ws = server.nextPendingConnection()) {
            upgradeRequests.append(ws->request());
            connect(ws, &QWebSocket::textMessageReceived, ws, [ws](const QString &m) { ws->sendTextMessage(m); });
            connect(ws, &QWebSocket::binaryMessageReceived, ws, [ws](const QByteArray &m) { ws->sendBinaryMessage(m); });
            connect(ws, &QWebSocket::disconnected, ws, &QObject::deleteLater);
        }
    });

    // QWebSocket (Qt 6.4) always sends Host from its URL and would send a second one
    // for a raw header, which the proxy rightly refuses; so this proxy routes the Host
    // that QWebSocket writes for the proxy's own address.
    RouteTable routes;
    routes.setUpstream(u"127.0.0.1"_s, u"127.0.0.1"_s, server.serverPort());
    routes.setUpstream(u"ws.localhost"_s, u"127.0.0.1"_s, server.serverPort());
    ProxyServer proxy(&routes);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));

    QWebSocket client;
    QStringList texts;
    QList<QByteArray> binaries;
    connect(&client, &QWebSocket::textMessageReceived, &client, [&](const QString &m) { texts.append(m); });
    connect(&client, &QWebSocket::binaryMessageReceived, &client, [&](const QByteArray &m) { binaries.append(m); });
    client.open(QUrl(u"ws://127.0.0.1:%1/chat?room=1"_s.arg(proxy.serverPort())));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 20000);
    QCOMPARE(proxy.stats().tunnels, quint64(1));

    client.sendTextMessage(u"hello through the proxy"_s);
    QTRY_COMPARE(texts.size(), 1);
    QCOMPARE(texts[0], u"hello through the proxy"_s);
    const QByteArray big = QByteArray("websocket").repeated(100000);  // ~900 KB, many TCP segments
    client.sendBinaryMessage(big);
    QTRY_COMPARE_WITH_TIMEOUT(binaries.size(), 1, 20000);
    QCOMPARE(binaries[0], big);
    QCOMPARE(upgradeRequests.size(), 1);
    QCOMPARE(upgradeRequests[0].rawHeader("Via"), QByteArray("1.1 gasper"));
    QCOMPARE(upgradeRequests[0].url().path(), u"/chat"_s);

    client.close();
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    // The tunnel's client side goes away with it.
    QTRY_COMPARE_WITH_TIMEOUT(proxy.stats().openClientConnections, 0, 10000);

    // The same by hand with Host naming the app: the 101 comes back and frames flow.
    RawClient raw;
    QVERIFY(raw.connectTo(proxy.serverPort()));
    raw.send("GET /chat HTTP/1.1\r\nHost: WS.localhost:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QVERIFY(raw.waitResponses(1));
    QCOMPARE(raw.responses[0].status, 101);
    QCOMPARE(raw.responses[0].headers.value("sec-websocket-accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QVERIFY(raw.responses[0].headers.hasToken("connection", "upgrade"));
    QCOMPARE(upgradeRequests.size(), 2);
    QCOMPARE(upgradeRequests[1].rawHeader("X-Forwarded-Host"), QByteArray("WS.localhost:8080"));
    // One masked text frame "ping"; the echo comes back unmasked.
    const QByteArray mask("\x01\x02\x03\x04", 4);
    QByteArray frame("\x81\x84", 2);
    frame += mask;
    const QByteArray payload("ping");
    for (int i = 0; i < payload.size(); ++i)
        frame += char(payload[i] ^ mask[i % 4]);
    const qsizetype headEnd = raw.raw.indexOf("\r\n\r\n") + 4;
    raw.socket.write(frame);
    QVERIFY(raw.waitFor([&] { return raw.raw.size() >= headEnd + 6; }));
    QCOMPARE(raw.raw.mid(headEnd, 6), QByteArray("\x81\x04ping", 6));
    raw.socket.close();
    QTRY_COMPARE_WITH_TIMEOUT(proxy.stats().openClientConnections, 0, 10000);
    QCOMPARE(proxy.stats().tunnels, quint64(2));
}

// --- routes at run time ------------------------------------------------------

void tst_Proxy::routeChangeAppliesToTheNextRequest()
{
    m_routes->setUpstream(u"moving.localhost"_s, u"127.0.0.1"_s, m_a->port());
    RawClient client;
    QVERIFY(client.connectTo(proxyPort()));
    const QByteArray get = "GET /hello HTTP/1.1\r\nHost: moving.localhost\r\n\r\n";
    client.send(get);
    QVERIFY(client.waitResponses(1));
    QCOMPARE(client.responses[0].body, QByteArray("hello from a"));

    m_routes->setUpstream(u"moving.localhost"_s, u"127.0.0.1"_s, m_b->port());
    client.send(get);
    QVERIFY(client.waitResponses(2));
    QCOMPARE(client.responses[1].body, QByteArray("hello from b"));

    m_routes->setUnavailable(u"moving.localhost"_s, 503, u"redeploying"_s);
    client.send(get);
    QVERIFY(client.waitResponses(3));
    QCOMPARE(client.responses[2].status, 503);

    m_routes->remove(u"moving.localhost"_s);
    client.send(get);
    QVERIFY(client.waitResponses(4));
    QCOMPARE(client.responses[3].status, 404);
    // All on one client connection.
    QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
}

// --- a third-party upstream --------------------------------------------------

void tst_Proxy::pythonHttpServerServesFilesThroughTheProxy()
{
    if (m_pyPort == 0)
        QSKIP("python3 is not installed");
    QTemporaryDir out;
    const QString saved = out.filePath(u"blob.bin"_s);
    const ProcessResult r = curl({u"-H"_s, u"Host: py.localhost"_s, u"-w"_s, u"%{http_code} %{num_connects}\n"_s,
                                  url(u"/hello.txt"_s), u"-o"_s, u"/dev/null"_s, url(u"/blob.bin"_s), u"-o"_s, saved,
                                  url(u"/missing"_s), u"-o"_s, u"/dev/null"_s});
    QCOMPARE(r.exitCode, 0);
    // python answers HTTP/1.0 and closes each time; curl still keeps its one connection.
    QCOMPARE(r.out, QByteArray("200 1\n200 0\n404 0\n"));
    QFile original(m_pyDir.filePath(u"blob.bin"_s));
    QFile copy(saved);
    QVERIFY(original.open(QIODevice::ReadOnly));
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QVERIFY(original.readAll() == copy.readAll());

    const ProcessResult body = curl({u"-H"_s, u"Host: py.localhost"_s, url(u"/hello.txt"_s)});
    QCOMPARE(body.out, QByteArray("hello from python\n"));
    const ProcessResult head = curl({u"-I"_s, u"-H"_s, u"Host: py.localhost"_s, url(u"/hello.txt"_s)});
    QVERIFY(head.out.startsWith("HTTP/1.1 200"));
    QVERIFY(head.out.contains("Content-Length: 18"));
}

// --- limits ------------------------------------------------------------------

void tst_Proxy::idleClientConnectionsAreDropped()
{
    RouteTable routes;
    routes.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, m_a->port());
    ProxyServer proxy(&routes);
    http::ConnectionLimits limits = proxy.connectionLimits();
    limits.idleTimeoutMs = 300;
    limits.headTimeoutMs = 300;  // the silent one never starts a request
    proxy.setConnectionLimits(limits);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));

    RawClient used;
    QVERIFY(used.connectTo(proxy.serverPort()));
    used.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(used.waitResponses(1));
    RawClient silent;
    QVERIFY(silent.connectTo(proxy.serverPort()));
    QTRY_COMPARE(proxy.stats().openClientConnections, 2);
    QVERIFY(used.waitClosed(10000));
    QVERIFY(silent.waitClosed(10000));
    QTRY_COMPARE(proxy.stats().openClientConnections, 0);
}

void tst_Proxy::connectionsOverTheCapAreRefused()
{
    RouteTable routes;
    routes.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, m_a->port());
    ProxyServer proxy(&routes);
    http::ConnectionLimits limits = proxy.connectionLimits();
    limits.maxConnections = 2;
    proxy.setConnectionLimits(limits);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
    RawClient first, second, third;
    QVERIFY(first.connectTo(proxy.serverPort()));
    QVERIFY(second.connectTo(proxy.serverPort()));
    QTRY_COMPARE(proxy.stats().openClientConnections, 2);
    // The third is accepted and answered at once; it may be closed before it ever
    // looks connected here.
    third.parser.expectResponseTo("GET");
    third.socket.connectToHost(QHostAddress::LocalHost, proxy.serverPort());
    QVERIFY(third.waitResponses(1));
    QCOMPARE(third.responses[0].status, 503);
    QVERIFY(third.waitClosed());
    QCOMPARE(proxy.stats().openClientConnections, 2);
    QCOMPARE(proxy.stats().connections.refusedTotal, quint64(1));

    // The ones inside the cap are served.
    first.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(first.waitResponses(1));
    QCOMPARE(first.responses[0].body, QByteArray("hello from a"));
}

void tst_Proxy::tricklingHeadsAreCutAtTheDeadlineWhileOthersAreServed()
{
    RouteTable routes;
    routes.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, m_a->port());
    ProxyServer proxy(&routes);
    http::ConnectionLimits limits = proxy.connectionLimits();
    limits.headTimeoutMs = 2000;
    limits.maxPerSource = 1000;  // all of them come from 127.0.0.1; the deadline is under test here
    proxy.setConnectionLimits(limits);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));

    // 300 clients, one header byte per second each: every byte would restart a
    // per-read timer, never the head deadline.
    test::TricklingClients crowd(300, proxy.serverPort(),
                                 "GET /hello HTTP/1.1\r\nHost: a.localhost\r\nUser-Agent: slowloris\r\n\r\n", 1000);
    // Meanwhile a normal client is served, promptly, again and again.
    RawClient normal;
    QVERIFY(normal.connectTo(proxy.serverPort()));
    QElapsedTimer clock;
    clock.start();
    qint64 slowest = 0;
    int served = 0;
    while (crowd.closed() < 300 && clock.elapsed() < 15000) {
        QElapsedTimer one;
        one.start();
        normal.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
        QVERIFY(normal.waitResponses(served + 1));
        slowest = std::max(slowest, one.elapsed());
        QCOMPARE(normal.responses[served].body, QByteArray("hello from a"));
        ++served;
        QTest::qWait(50);
    }
    QCOMPARE(crowd.closed(), 300);
    QCOMPARE(crowd.answeredWith("HTTP/1.1 408 "), 300);
    for (const auto &c : crowd.clients()) {
        const qint64 lived = c->closedAtMs - c->connectedAtMs;
        QVERIFY2(lived >= 1800 && lived < 4000, QByteArray::number(lived).constData());
        QVERIFY(c->sent >= 2);  // it kept trickling, and was cut anyway
    }
    qInfo("normal client: %d requests served while 300 heads trickled; slowest %lld ms", served, slowest);
    QVERIFY(served >= 10);
    QVERIFY2(slowest < 1000, QByteArray::number(slowest).constData());
    QCOMPARE(proxy.stats().connections.headTimeouts, quint64(300));
    QCOMPARE(proxy.stats().responses4xx, quint64(300));
}

void tst_Proxy::perSourceCapRefusesOneAddressAndServesAnother()
{
    RouteTable routes;
    routes.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, m_a->port());
    ProxyServer proxy(&routes);
    http::ConnectionLimits limits = proxy.connectionLimits();
    limits.maxPerSource = 3;
    proxy.setConnectionLimits(limits);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));

    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(test::connectFrom(QHostAddress(u"127.0.0.2"_s), proxy.serverPort()));
        QVERIFY(held.back());
        QTRY_COMPARE(held.back()->state(), QAbstractSocket::ConnectedState);
    }
    QTRY_COMPARE(proxy.stats().openClientConnections, 3);
    // The fourth from 127.0.0.2 is answered 503 and closed at once...
    auto over = test::connectFrom(QHostAddress(u"127.0.0.2"_s), proxy.serverPort());
    QVERIFY(over);
    QByteArray overGot;
    QObject::connect(over.get(), &QTcpSocket::readyRead, over.get(), [&] { overGot += over->readAll(); });
    QTRY_COMPARE(over->state(), QAbstractSocket::UnconnectedState);
    QVERIFY2(overGot.isEmpty() || overGot.startsWith("HTTP/1.1 503 "), overGot.constData());
    QCOMPARE(proxy.stats().connections.refusedPerSource, quint64(1));
    // ...while 127.0.0.1 is served, and so is 127.0.0.2 on a connection it holds.
    RawClient other;
    QVERIFY(other.connectTo(proxy.serverPort()));
    other.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(other.waitResponses(1));
    QCOMPARE(other.responses[0].body, QByteArray("hello from a"));
    QByteArray heldGot;
    QObject::connect(held[0].get(), &QTcpSocket::readyRead, held[0].get(), [&] { heldGot += held[0]->readAll(); });
    held[0]->write("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QTRY_VERIFY(heldGot.endsWith("hello from a"));
    // Room again once one of them leaves.
    held.pop_back();
    QTRY_COMPARE(proxy.stats().openClientConnections, 3);  // two held + `other`
    auto again = test::connectFrom(QHostAddress(u"127.0.0.2"_s), proxy.serverPort());
    QTRY_COMPARE(again->state(), QAbstractSocket::ConnectedState);
    QTest::qWait(100);
    QCOMPARE(again->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(proxy.stats().connections.refusedPerSource, quint64(1));
}

void tst_Proxy::clientThatStopsReadingIsDropped()
{
    TestUpstream upstream("big");
    RouteTable routes;
    routes.setUpstream(u"big.localhost"_s, u"127.0.0.1"_s, upstream.port());
    ProxyServer proxy(&routes);
    http::ConnectionLimits limits = proxy.connectionLimits();
    limits.sendTimeoutMs = 500;
    proxy.setConnectionLimits(limits);
    QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.setReadBufferSize(64 * 1024);  // and then it never reads
    client.connectToHost(QHostAddress::LocalHost, proxy.serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    const qint64 rssBefore = residentKb();
    client.write("GET /big/1000000000 HTTP/1.1\r\nHost: big.localhost\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(proxy.stats().connections.sendTimeouts, quint64(1), 20000);
    QTRY_COMPARE(proxy.stats().openClientConnections, 0);
    const qint64 rssAfter = residentKb();
    qInfo("a non-reading client took %lld of 1000000000 bytes before it was dropped; proxy peak queue %lld bytes, "
          "RSS %lld -> %lld kB",
          upstream.bigWritten, proxy.stats().peakBufferedBytes, rssBefore, rssAfter);
    QVERIFY(upstream.bigWritten < 100 * 1000 * 1000);
    QVERIFY(proxy.stats().peakBufferedBytes <= 2 * 1024 * 1024);
    QVERIFY(rssAfter - rssBefore < 32 * 1024);
}

void tst_Proxy::destroyingTheServerClosesItsConnections()
{
    TestUpstream upstream("gone");
    RouteTable routes;
    routes.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, upstream.port());
    auto proxy = std::make_unique<ProxyServer>(&routes);
    QVERIFY(proxy->listen(QHostAddress::LocalHost, 0));
    RawClient idle, streaming, closing;
    QVERIFY(idle.connectTo(proxy->serverPort()));
    idle.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(idle.waitResponses(1));
    QVERIFY(streaming.connectTo(proxy->serverPort()));
    streaming.send("GET /slow-chunks HTTP/1.1\r\nHost: a.localhost\r\n\r\n");
    QVERIFY(streaming.waitFor([&] { return streaming.current.body == "first"; }));
    QVERIFY(closing.connectTo(proxy->serverPort()));
    closing.send("GET /hello HTTP/1.1\r\nHost: a.localhost\r\nConnection: close\r\n\r\n");
    QVERIFY(closing.waitResponses(1));
    // The last one may still be finishing inside the proxy when it goes.
    proxy.reset();
    QVERIFY(idle.waitClosed());
    QVERIFY(streaming.waitClosed());
    QVERIFY(closing.waitClosed());
    QCOMPARE(streaming.responses.size(), 0);  // cut short, not passed off as complete
}

void tst_Proxy::wrkLoadCompletesWithoutErrors()
{
    if (!haveProgram(u"wrk"_s))
        QSKIP("wrk is not installed");
    const ProxyStats before = m_proxy->stats();
    const ProcessResult r = runProcess(u"wrk"_s, {u"-t1"_s, u"-c10"_s, u"-d2s"_s, u"-H"_s, u"Host: a.localhost"_s,
                                                  url(u"/hello"_s)},
                                       60000);
    qInfo().noquote() << r.out;
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(!r.out.contains("Non-2xx"), r.out.constData());
    QVERIFY2(!r.out.contains("Socket errors"), r.out.constData());
    static const QRegularExpression done(u"(\\d+) requests in"_s);
    const auto match = done.match(QString::fromLatin1(r.out));
    QVERIFY(match.hasMatch());
    QVERIFY(match.captured(1).toLongLong() > 100);
    const ProxyStats after = m_proxy->stats();
    QVERIFY(after.requests - before.requests >= quint64(match.captured(1).toLongLong()));
    QCOMPARE(after.responses5xx, before.responses5xx);
}

QTEST_GUILESS_MAIN(tst_Proxy)
#include "tst_proxy.moc"
