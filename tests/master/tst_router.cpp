// SPDX-License-Identifier: MIT
// The router: one error table and body, access rules before handlers, path patterns,
// and the HTTP server's own errors worded the same way. Over loopback with a real
// HttpServer and Qt's HTTP client.

#include "http/HttpServer.h"
#include "master/Router.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace gasper;
using namespace gasper::master;
using namespace Qt::StringLiterals;

namespace {

struct Answered
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString code() const { return json().value(u"error").toObject().value(u"code").toString(); }
};

} // namespace

class tst_Router : public QObject
{
    Q_OBJECT

private:
    http::HttpServer *m_server = nullptr;
    Router *m_router = nullptr;
    QNetworkAccessManager m_nam;

    Answered send(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->serverPort()).arg(path)));
        QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
        Answered a{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
        reply->deleteLater();
        return a;
    }

private slots:
    void initTestCase()
    {
        m_router = new Router(nullptr, this);
        m_server = new http::HttpServer({}, this);
        m_server->setHandler([this](const http::Request &r, http::HttpResponder *responder) { m_router->handle(r, responder); });
        m_server->setErrorFormatter(&Router::protocolErrorResponse);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_router->add("GET", u"/things/{name}"_s, Access::Public, [](const CallPtr &call) {
            call->finish(Answer::json(200, QJsonObject{{u"name"_s, call->param(u"name"_s)}}));
        });
        m_router->add("GET", u"/things/{name}/parts/{part}"_s, Access::Public, [](const CallPtr &call) {
            QTimer::singleShot(10, [call] { call->fail(u"not-found"_s, u"no part %1"_s.arg(call->param(u"part"_s))); });
        });
        m_router->add("POST", u"/twice"_s, Access::Public, [](const CallPtr &call) {
            call->finish(Answer::empty(204));
            call->fail(u"internal-error"_s, u"a second answer"_s);  // ignored
        });
        m_router->add("GET", u"/secret"_s, Access::Token, [](const CallPtr &call) { call->finish(Answer::empty(204)); });
        m_router->add("GET", u"/store"_s, Access::Public, [](const CallPtr &call) {
            call->fail(u"store-error"_s, u"database error: UNIQUE constraint failed: users.email"_s);
        });
        m_router->add("GET", u"/busy"_s, Access::Public, [](const CallPtr &call) {
            call->setHeader("Retry-After", "3");
            call->fail(u"busy"_s, u"try later"_s);
        });
    }

    void errorCodesMapToStatuses_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("status");
        QTest::newRow("invalid-body") << u"invalid-body"_s << 400;
        QTest::newRow("unauthorized") << u"unauthorized"_s << 401;
        QTest::newRow("forbidden") << u"forbidden"_s << 403;
        QTest::newRow("not-found") << u"not-found"_s << 404;
        QTest::newRow("method-not-allowed") << u"method-not-allowed"_s << 405;
        QTest::newRow("name-taken") << u"name-taken"_s << 409;
        QTest::newRow("too-many-attempts") << u"too-many-attempts"_s << 429;
        QTest::newRow("body-too-large") << u"body-too-large"_s << 413;
        QTest::newRow("headers-too-large") << u"headers-too-large"_s << 431;
        QTest::newRow("busy") << u"busy"_s << 503;
        QTest::newRow("docker-unavailable") << u"docker-unavailable"_s << 503;
        QTest::newRow("docker-other") << u"docker-create-failed"_s << 502;
        QTest::newRow("unknown") << u"something-else"_s << 500;
    }
    void errorCodesMapToStatuses()
    {
        QFETCH(QString, code);
        QFETCH(int, status);
        const http::Response response = Router::errorResponse(Error{code, u"m"_s});
        QCOMPARE(response.status, status);
        const QJsonObject error = QJsonDocument::fromJson(response.body).object().value(u"error").toObject();
        QCOMPARE(error.value(u"code").toString(), code);
        QCOMPARE(error.value(u"message").toString(), u"m"_s);
    }

    void protocolErrorsGetTheSameBodyWithTheirCode_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("400") << 400 << u"bad-request"_s;
        QTest::newRow("413") << 413 << u"body-too-large"_s;
        QTest::newRow("431") << 431 << u"headers-too-large"_s;
        QTest::newRow("501") << 501 << u"not-implemented"_s;
        QTest::newRow("505") << 505 << u"http-version-not-supported"_s;
        QTest::newRow("unlisted 4xx") << 418 << u"bad-request"_s;
    }
    void protocolErrorsGetTheSameBodyWithTheirCode()
    {
        QFETCH(int, status);
        QFETCH(QString, code);
        const http::Response response = Router::protocolErrorResponse(status, u"why"_s);
        QCOMPARE(response.status, status);
        const QJsonObject error = QJsonDocument::fromJson(response.body).object().value(u"error").toObject();
        QCOMPARE(error.value(u"code").toString(), code);
        QCOMPARE(error.value(u"message").toString(), u"why"_s);
    }

    void malformedRequestIsAnsweredWithTheRoutersBody()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(socket.waitForConnected(2000));
        socket.write("GET /things/x HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("}"), 5000);
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
        const QByteArray body = answer.mid(answer.indexOf("\r\n\r\n") + 4);
        QCOMPARE(QJsonDocument::fromJson(body).object().value(u"error").toObject().value(u"code").toString(), u"bad-request"_s);
    }

    void pathParametersAreDecodedByName()
    {
        const Answered a = send("GET", u"/things/a%20b"_s);
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json().value(u"name").toString(), u"a b"_s);
    }

    void asyncFailureBecomesTheErrorBody()
    {
        const Answered a = send("GET", u"/things/x/parts/wheel"_s);
        QCOMPARE(a.status, 404);
        QCOMPARE(a.code(), u"not-found"_s);
        QCOMPARE(a.json().value(u"error").toObject().value(u"message").toString(), u"no part wheel"_s);
    }

    void unknownPathIs404AndWrongMethodIs405()
    {
        QCOMPARE(send("GET", u"/nothing/here"_s).code(), u"route-not-found"_s);
        const Answered wrong = send("DELETE", u"/things/x"_s);
        QCOMPARE(wrong.status, 405);
        QCOMPARE(wrong.code(), u"method-not-allowed"_s);
    }

    void secondAnswerIsIgnored()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"answered .* twice"_s));
        QCOMPARE(send("POST", u"/twice"_s).status, 204);
        QCOMPARE(send("GET", u"/things/after"_s).status, 200);  // the connection still works
    }

    void tokenRouteWithoutTokenIs401BeforeTheHandler()
    {
        const Answered a = send("GET", u"/secret"_s);
        QCOMPARE(a.status, 401);
        QCOMPARE(a.code(), u"unauthorized"_s);
    }

    void storeErrorTextNeverReachesTheClient()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store failure behind an API answer: .*UNIQUE"_s));
        const Answered a = send("GET", u"/store"_s);
        QCOMPARE(a.status, 500);
        QCOMPARE(a.code(), u"store-error"_s);
        QVERIFY2(!a.body.contains("UNIQUE") && !a.body.contains("users"), a.body.constData());
    }

    void extraHeadersGoWithErrors()
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/busy"_s.arg(m_server->serverPort())));
        QNetworkReply *reply = m_nam.get(request);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
        QCOMPARE(reply->rawHeader("Retry-After"), QByteArray("3"));
        reply->deleteLater();
    }

    void countsResponsesByStatus()
    {
        const quint64 before = m_router->responsesByStatus().value(404);
        send("GET", u"/nothing"_s);
        QCOMPARE(m_router->responsesByStatus().value(404), before + 1);
    }
};

QTEST_MAIN(tst_Router)
#include "tst_router.moc"
