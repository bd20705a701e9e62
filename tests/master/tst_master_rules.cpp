// SPDX-License-Identifier: MIT
// The master's rules without Docker: a real Kaze over loopback HTTP, a SQLite store in a
// temporary folder and the in-process SimulatedAppWorker. Ownership, validation, state
// transitions, events, proxy routes, access rules and login throttling, in milliseconds.
// Every answer is checked against docs/openapi.json (its operation, status and schema),
// and the router's route table must be exactly the description's.

#include "SimulatedMaster.h"

#include "master/Credentials.h"
#include "master/Kaze.h"
#include "master/Router.h"
#include "proxy/RouteTable.h"
#include "store/AsyncStore.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace gasper;
using namespace gasper::testing;
using namespace Qt::StringLiterals;

// JSON written with single quotes (moc 6.4 cannot parse raw string literals).
static QByteArray J(const char *text)
{
    QByteArray json(text);
    json.replace('\'', '"');
    return json;
}

static const QByteArray kPassword = SimulatedMaster::kPassword;

class tst_MasterRules : public QObject
{
    Q_OBJECT

private:
    SimulatedMaster m_master;
    QByteArray m_admin, m_alice, m_bob;

    static QByteArray bearer(const QByteArray &token) { return token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n"; }

    HttpAnswer call(const QByteArray &method, const QString &target, const QByteArray &token = {},
                    const QByteArray &body = QByteArray(), const QHostAddress &source = QHostAddress::LocalHost)
    {
        return m_master.call(method, target, token, body, {}, source);
    }
    HttpAnswer get(const QString &target, const QByteArray &token) { return call("GET", target, token); }
    HttpAnswer post(const QString &target, const QByteArray &token, const QByteArray &body = "")
    {
        return call("POST", target, token, body);
    }

    void checkAgainstDescription(const QByteArray &method, const QString &target, const HttpAnswer &answer)
    {
        m_master.addViolations(m_master.description().check(method, target, answer.status, answer.body));
    }

    QByteArray signIn(const QString &user) { return m_master.signIn(user); }
    HttpAnswer login(const QString &user, const QByteArray &password, const QHostAddress &source = QHostAddress::LocalHost)
    {
        return m_master.login(user, password, source);
    }

    static QByteArray appBody(const QString &name, const QString &extra = {})
    {
        return J("{'name':'") + name.toUtf8() + J("','language':'python','git':{'url':'https://git.example.test/x.git'},"
                                                  "'build':['pip install -r requirements.txt'],'run':'python3 app.py'")
               + extra.toUtf8() + "}";
    }

    QJsonObject app(const QString &name, const QByteArray &token) { return get(u"/api/v1/apps/"_s + name, token).json(); }

    bool waitForState(const QString &name, const QByteArray &token, const QString &state, int timeoutMs = 5000)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            if (app(name, token).value(u"state").toString() == state)
                return true;
            QTest::qWait(5);
        }
        qWarning() << name << "is" << app(name, token).value(u"state").toString() << "not" << state;
        return false;
    }

    QString host(const QString &name) const { return name + u".localhost"_s; }

    // A WebSocket on /api/v1/events that collects the events it receives, each checked
    // against the Event schema.
    struct EventStream
    {
        std::unique_ptr<QWebSocket> socket = std::make_unique<QWebSocket>();
        QList<QJsonObject> events;
        QList<QJsonObject> of(const QString &app, const QString &type) const
        {
            QList<QJsonObject> found;
            for (const QJsonObject &e : events) {
                if (e.value(u"app").toString() == app && e.value(u"type").toString() == type)
                    found << e;
            }
            return found;
        }
        QStringList states(const QString &app) const
        {
            QStringList s;
            for (const QJsonObject &e : of(app, u"app.state"_s))
                s << e.value(u"state").toString();
            return s;
        }
    };
    std::unique_ptr<EventStream> openEvents(const QByteArray &token)
    {
        auto stream = std::make_unique<EventStream>();
        EventStream *s = stream.get();
        connect(s->socket.get(), &QWebSocket::textMessageReceived, this, [this, s](const QString &text) {
            const QJsonObject event = QJsonDocument::fromJson(text.toUtf8()).object();
            if (const QStringList e = m_master.description().checkEvent(event); !e.isEmpty())
                m_master.addViolations({u"event %1: %2"_s.arg(text, e.join(u"; "_s))});
            s->events << event;
        });
        s->socket->open(QUrl(u"ws://127.0.0.1:%1/api/v1/events?token=%2"_s.arg(m_master.kaze().serverPort()).arg(QString::fromUtf8(token))));
        QSignalSpy connected(s->socket.get(), &QWebSocket::connected);
        if (!connected.wait(5000))
            qWarning() << "the events WebSocket did not open";
        return stream;
    }

private slots:
    void initTestCase()
    {
        const QString started = m_master.start([](Config &config) { config.maxAppsPerUser = 3; });
        QVERIFY2(started.isEmpty(), qPrintable(started));

        m_admin = signIn(u"admin"_s);  // the first user is admin
        m_alice = signIn(u"alice"_s);
        m_bob = signIn(u"bob"_s);
        QVERIFY(!m_admin.isEmpty() && !m_alice.isEmpty() && !m_bob.isEmpty());
        QCOMPARE(get(u"/api/v1/users/me"_s, m_admin).json().value(u"admin").toBool(), true);
        QCOMPARE(get(u"/api/v1/users/me"_s, m_alice).json().value(u"admin").toBool(), false);
    }

    void cleanup()
    {
        const QStringList violations = m_master.takeViolations();
        QVERIFY2(violations.isEmpty(), qPrintable(u"answers that docs/openapi.json does not allow:\n"_s + violations.join(u'\n')));
    }

    void cleanupTestCase()
    {
        m_master.stop();
    }

    // ---- the description and the router -----------------------------------------------

    void routerAndDescriptionListTheSameRoutesWithTheSameAccess()
    {
        QSet<QString> described;
        const QJsonObject paths = m_master.description().document().value(u"paths").toObject();
        for (auto p = paths.begin(); p != paths.end(); ++p) {
            const QJsonObject operations = p.value().toObject();
            for (auto o = operations.begin(); o != operations.end(); ++o)
                described << o.key().toUpper() + u' ' + p.key();
        }
        QSet<QString> routed;
        for (const master::Route &route : m_master.kaze().router().routes()) {
            const QString key = QString::fromLatin1(route.method) + u' ' + route.pattern;
            routed << key;
            const QJsonObject operation = paths.value(route.pattern).toObject().value(QString::fromLatin1(route.method).toLower()).toObject();
            if (operation.isEmpty())
                continue;
            QStringList schemes;
            for (const QJsonValue &requirement : operation.value(u"security").toArray())
                schemes << requirement.toObject().keys();
            QStringList expected;
            if (route.access != master::Access::Public)
                expected << u"bearer"_s;
            if (route.access == master::Access::TokenOrQuery)
                expected << u"queryToken"_s;
            QCOMPARE(schemes, expected);
            QCOMPARE(operation.value(u"x-gasper-admin").toBool(), route.access == master::Access::Admin);
        }
        const QSet<QString> undocumented = routed - described;
        const QSet<QString> unrouted = described - routed;
        QVERIFY2(undocumented.isEmpty(), qPrintable(u"routes missing from docs/openapi.json: "_s + QStringList(undocumented.values()).join(u", "_s)));
        QVERIFY2(unrouted.isEmpty(), qPrintable(u"described but not routed: "_s + QStringList(unrouted.values()).join(u", "_s)));
    }

    void descriptionIsWellFormed()
    {
        const QStringList problems = m_master.description().checkDocument();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void descriptionIsServedAsWritten()
    {
        const HttpAnswer served = get(u"/api/v1/openapi.json"_s, {});
        QCOMPARE(served.status, 200);
        QCOMPARE(served.json(), m_master.description().document());
    }

    // ---- access ------------------------------------------------------------------------

    void accessRulesAreCheckedBeforeHandlers_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("no token") << QByteArray("GET") << u"/api/v1/apps"_s << QByteArray() << 401 << u"unauthorized"_s;
        QTest::newRow("forged token") << QByteArray("GET") << u"/api/v1/users/me"_s << QByteArray("gsp_forged") << 401 << u"unauthorized"_s;
        QTest::newRow("query token only for streams") << QByteArray("GET") << u"/api/v1/apps?token=%1"_s << QByteArray() << 401 << u"unauthorized"_s;
        QTest::newRow("nodes are for admins") << QByteArray("GET") << u"/api/v1/nodes"_s << QByteArray("alice") << 403 << u"forbidden"_s;
        QTest::newRow("admin sees nodes") << QByteArray("GET") << u"/api/v1/nodes"_s << QByteArray("admin") << 200 << QString();
        QTest::newRow("unknown route") << QByteArray("GET") << u"/api/v1/nope"_s << QByteArray("alice") << 404 << u"route-not-found"_s;
        QTest::newRow("wrong method") << QByteArray("PUT") << u"/api/v1/apps"_s << QByteArray("alice") << 405 << u"method-not-allowed"_s;
        QTest::newRow("healthz is public") << QByteArray("GET") << u"/healthz"_s << QByteArray() << 200 << QString();
    }
    void accessRulesAreCheckedBeforeHandlers()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, target);
        QFETCH(QByteArray, token);
        QFETCH(int, status);
        QFETCH(QString, code);
        const QByteArray real = token == "alice" ? m_alice : token == "admin" ? m_admin : token;
        const HttpAnswer a = call(method, target.contains(u"%1") ? target.arg(QString::fromUtf8(m_alice)) : target, real);
        QCOMPARE(a.status, status);
        QCOMPARE(a.errorCode(), code);
    }

    void streamsAcceptTheTokenInTheQuery()
    {
        QVERIFY(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"querytok"_s)).status == 202);
        QVERIFY(waitForState(u"querytok"_s, m_alice, u"running"_s));
        const HttpAnswer logs = get(u"/api/v1/apps/querytok/logs?tail=5&token="_s + QString::fromUtf8(m_alice), {});
        QCOMPARE(logs.status, 200);
        QVERIFY2(logs.body.contains("listening"), logs.body.constData());
        QCOMPARE(call("DELETE", u"/api/v1/apps/querytok"_s, m_alice).status, 204);
    }

    void logoutRevokesExactlyThatToken()
    {
        const QByteArray first = login(u"bob"_s, kPassword).json().value(u"token").toString().toUtf8();
        const QByteArray second = login(u"bob"_s, kPassword).json().value(u"token").toString().toUtf8();
        QCOMPARE(post(u"/api/v1/auth/logout"_s, first).status, 204);
        QCOMPARE(get(u"/api/v1/users/me"_s, first).status, 401);
        QCOMPARE(get(u"/api/v1/users/me"_s, second).status, 200);
    }

    // ---- validation --------------------------------------------------------------------

    void invalidBodiesAreRefusedAndCreateNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("who");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QByteArray git = J("'git':{'url':'https://git.example.test/x.git'}");
        QTest::newRow("not json") << QByteArray("{nope") << QByteArray("alice") << 400 << u"invalid-json"_s;
        QTest::newRow("array") << QByteArray("[]") << QByteArray("alice") << 400 << u"invalid-body"_s;
        QTest::newRow("empty") << QByteArray("") << QByteArray("alice") << 400 << u"invalid-body"_s;
        QTest::newRow("uppercase name") << QByteArray(J("{'name':'Bad','language':'python',") + git + J(",'run':'x'}")) << QByteArray("alice") << 400 << u"invalid-name"_s;
        QTest::newRow("trailing hyphen") << QByteArray(J("{'name':'bad-','language':'python',") + git + J(",'run':'x'}")) << QByteArray("alice") << 400 << u"invalid-name"_s;
        QTest::newRow("language") << QByteArray(J("{'name':'okname','language':'cobol',") + git + J(",'run':'x'}")) << QByteArray("alice") << 400 << u"invalid-body"_s;
        QTest::newRow("unknown field") << QByteArray(J("{'name':'okname','language':'python',") + git + J(",'run':'x','buld':[]}")) << QByteArray("alice") << 400 << u"invalid-body"_s;
        QTest::newRow("file url by non-admin") << QByteArray(J("{'name':'okname','language':'python','git':{'url':'file:///etc'},'run':'x'}")) << QByteArray("alice") << 403 << u"forbidden"_s;
        QTest::newRow("local path by non-admin") << QByteArray(J("{'name':'okname','language':'python','git':{'url':'/srv/repo'},'run':'x'}")) << QByteArray("alice") << 403 << u"forbidden"_s;
    }
    void invalidBodiesAreRefusedAndCreateNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, who);
        QFETCH(int, status);
        QFETCH(QString, code);
        const QByteArray token = who == "admin" ? m_admin : m_alice;
        const QStringList callsBefore = m_master.worker().calls();
        const HttpAnswer a = call("POST", u"/api/v1/apps"_s, token, body);
        QCOMPARE(a.status, status);
        QCOMPARE(a.errorCode(), code);
        QCOMPARE(get(u"/api/v1/apps/okname"_s, m_admin).status, 404);
        QCOMPARE(m_master.worker().calls(), callsBefore);
    }

    void adminsMayDeployLocalPaths()
    {
        const HttpAnswer a = call("POST", u"/api/v1/apps"_s, m_admin,
                                  J("{'name':'local-src','language':'static','git':{'url':'file:///srv/site'}}"));
        QCOMPARE(a.status, 202);
        QCOMPARE(a.json().value(u"state").toString(), u"queued"_s);
        QVERIFY(waitForState(u"local-src"_s, m_admin, u"running"_s));
        QCOMPARE(call("DELETE", u"/api/v1/apps/local-src"_s, m_admin).status, 204);
    }

    void aTakenNameIs409WhoeverOwnsIt()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"taken"_s)).status, 202);
        for (const QByteArray &token : {m_bob, m_alice, m_admin}) {
            const HttpAnswer again = call("POST", u"/api/v1/apps"_s, token, appBody(u"taken"_s));
            QCOMPARE(again.status, 409);
            QCOMPARE(again.errorCode(), u"name-taken"_s);
        }
        QCOMPARE(call("DELETE", u"/api/v1/apps/taken"_s, m_alice).status, 204);
    }

    void quotaLimitsUsersButNotAdmins()
    {
        const QByteArray carol = signIn(u"carol"_s);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call("POST", u"/api/v1/apps"_s, carol, appBody(u"quota-%1"_s.arg(i))).status, 202);
        const HttpAnswer over = call("POST", u"/api/v1/apps"_s, carol, appBody(u"quota-3"_s));
        QCOMPARE(over.status, 403);
        QCOMPARE(over.errorCode(), u"quota-exceeded"_s);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call("DELETE", u"/api/v1/apps/quota-%1"_s.arg(i), carol).status, 204);
    }

    // ---- ownership ---------------------------------------------------------------------

    void otherUsersAppsAre404AndAdminsSeeAll()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"mine"_s)).status, 202);
        QVERIFY(waitForState(u"mine"_s, m_alice, u"running"_s));
        const QList<std::pair<QByteArray, QString>> touches{
            {"GET", u"/api/v1/apps/mine"_s},          {"PATCH", u"/api/v1/apps/mine"_s},
            {"DELETE", u"/api/v1/apps/mine"_s},       {"POST", u"/api/v1/apps/mine/rebuild"_s},
            {"POST", u"/api/v1/apps/mine/restart"_s}, {"POST", u"/api/v1/apps/mine/stop"_s},
            {"POST", u"/api/v1/apps/mine/start"_s},   {"GET", u"/api/v1/apps/mine/logs"_s},
            {"GET", u"/api/v1/apps/mine/deploys"_s},  {"GET", u"/api/v1/apps/mine/deploys/1/log"_s},
            {"GET", u"/api/v1/apps/mine/metrics"_s},
        };
        const QStringList callsBefore = m_master.worker().calls();
        for (const auto &[method, target] : touches) {
            const HttpAnswer a = call(method, target, m_bob, method == "PATCH" ? J("{'run':'x'}") : QByteArray(""));
            QVERIFY2(a.status == 404 && a.errorCode() == u"not-found", qPrintable(u"%1 %2: %3"_s.arg(QString::fromLatin1(method), target).arg(a.status)));
            QVERIFY(!a.body.contains("alice"));
        }
        QCOMPARE(m_master.worker().calls(), callsBefore);  // nothing reached the worker
        QCOMPARE(app(u"mine"_s, m_alice).value(u"state").toString(), u"running"_s);

        auto names = [](const HttpAnswer &list) {
            QStringList n;
            for (const QJsonValue &a : list.json().value(u"apps").toArray())
                n << a.toObject().value(u"name").toString();
            return n;
        };
        QVERIFY(!names(get(u"/api/v1/apps"_s, m_bob)).contains(u"mine"_s));
        QVERIFY(names(get(u"/api/v1/apps"_s, m_alice)).contains(u"mine"_s));
        QVERIFY(names(get(u"/api/v1/apps"_s, m_admin)).contains(u"mine"_s));
        QVERIFY(!names(get(u"/api/v1/apps?all=0"_s, m_admin)).contains(u"mine"_s));
        const HttpAnswer seen = get(u"/api/v1/apps/mine"_s, m_admin);
        QCOMPARE(seen.status, 200);
        QCOMPARE(seen.json().value(u"owner").toString(), u"alice"_s);
        QCOMPARE(post(u"/api/v1/apps/mine/restart"_s, m_admin).status, 202);  // admins may act on it too
        QVERIFY(waitForState(u"mine"_s, m_alice, u"running"_s));
        QCOMPARE(call("DELETE", u"/api/v1/apps/mine"_s, m_alice).status, 204);
    }

    void eventsReachTheOwnerAndAdminsOnly()
    {
        auto alice = openEvents(m_alice);
        auto bob = openEvents(m_bob);
        auto admin = openEvents(m_admin);
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"private-events"_s)).status, 202);
        QVERIFY(waitForState(u"private-events"_s, m_alice, u"running"_s));
        QTRY_VERIFY(!alice->of(u"private-events"_s, u"deploy.finished"_s).isEmpty());
        QTRY_VERIFY(!admin->of(u"private-events"_s, u"deploy.finished"_s).isEmpty());
        QTest::qWait(20);
        QVERIFY(bob->of(u"private-events"_s, u"app.state"_s).isEmpty());
        QCOMPARE(call("DELETE", u"/api/v1/apps/private-events"_s, m_alice).status, 204);
    }

    // ---- states, events and routes -----------------------------------------------------

    void deployGoesThroughEveryStateWithEventsAndARoute()
    {
        auto events = openEvents(m_alice);
        const HttpAnswer created = call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"states"_s));
        QCOMPARE(created.status, 202);
        QCOMPARE(created.json().value(u"state").toString(), u"queued"_s);
        QCOMPARE(m_master.routes().find(host(u"states"_s))->status, 503);  // deploying: not yet served
        QVERIFY(waitForState(u"states"_s, m_alice, u"running"_s));
        QTRY_COMPARE(events->states(u"states"_s),
                     (QStringList{u"queued"_s, u"cloning"_s, u"building"_s, u"starting"_s, u"running"_s}));
        QStringList steps;
        for (const QJsonObject &e : events->of(u"states"_s, u"deploy.step"_s))
            steps << e.value(u"step").toString() + u':' + e.value(u"status").toString();
        for (const QString &step : {u"clone:done"_s, u"create:done"_s, u"start:done"_s, u"build:done"_s, u"health:done"_s})
            QVERIFY2(steps.contains(step), qPrintable(steps.join(u' ')));
        QVERIFY(!events->of(u"states"_s, u"deploy.output"_s).isEmpty());
        QTRY_COMPARE(events->of(u"states"_s, u"deploy.finished"_s).size(), 1);
        QCOMPARE(events->of(u"states"_s, u"deploy.finished"_s).first().value(u"status").toString(), u"succeeded"_s);

        const auto route = m_master.routes().find(host(u"states"_s));
        QVERIFY(route);
        QCOMPARE(route->kind, proxy::RouteTable::Route::Kind::Upstream);
        QCOMPARE(route->port, m_master.worker().runtime(u"states"_s).hostPort);

        const QJsonArray deploys = get(u"/api/v1/apps/states/deploys"_s, m_alice).json().value(u"deploys").toArray();
        QCOMPARE(deploys.size(), 1);
        QCOMPARE(deploys.first().toObject().value(u"status").toString(), u"succeeded"_s);
        QCOMPARE(deploys.first().toObject().value(u"trigger").toString(), u"create"_s);
        const HttpAnswer log = get(u"/api/v1/apps/states/deploys/1/log"_s, m_alice);
        QCOMPARE(log.status, 200);
        QVERIFY2(log.body.contains("$ pip install -r requirements.txt"), log.body.constData());
        QCOMPARE(get(u"/api/v1/apps/states/deploys/9/log"_s, m_alice).status, 404);
        QCOMPARE(call("DELETE", u"/api/v1/apps/states"_s, m_alice).status, 204);
    }

    void failingFirstDeployEndsFailedWithItsCodeAndA502Route_data()
    {
        QTest::addColumn<QString>("failAt");
        QTest::addColumn<QString>("code");
        QTest::newRow("clone") << u"clone"_s << u"git-branch-not-found"_s;
        QTest::newRow("build") << u"build"_s << u"build-failed"_s;
        QTest::newRow("health") << u"health"_s << u"health-timeout"_s;
    }
    void failingFirstDeployEndsFailedWithItsCodeAndA502Route()
    {
        QFETCH(QString, failAt);
        QFETCH(QString, code);
        const QString name = u"fails-at-"_s + failAt;
        m_master.worker().script(name, SimulatedAppWorker::Script{failAt, code, u"it went wrong"_s, {u"last line"_s}});
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(name)).status, 202);
        QVERIFY(waitForState(name, m_alice, u"failed"_s));
        const QJsonObject failed = app(name, m_alice);
        QCOMPARE(failed.value(u"last_error_code").toString(), code);
        QVERIFY(failed.value(u"last_error").toString().contains(u"it went wrong"));
        QCOMPARE(m_master.routes().find(host(name))->status, 502);
        const QJsonObject deploy = get(u"/api/v1/apps/"_s + name + u"/deploys"_s, m_alice).json().value(u"deploys").toArray().first().toObject();
        QCOMPARE(deploy.value(u"status").toString(), u"failed"_s);
        QCOMPARE(deploy.value(u"error_code").toString(), code);
        // Without a container there is nothing to restart, start or log.
        QCOMPARE(post(u"/api/v1/apps/"_s + name + u"/restart"_s, m_alice).errorCode(), u"not-deployed"_s);
        QCOMPARE(post(u"/api/v1/apps/"_s + name + u"/start"_s, m_alice).errorCode(), u"not-deployed"_s);
        QCOMPARE(get(u"/api/v1/apps/"_s + name + u"/logs"_s, m_alice).errorCode(), u"not-deployed"_s);
        QCOMPARE(call("DELETE", u"/api/v1/apps/"_s + name, m_alice).status, 204);
    }

    void failedRebuildKeepsThePreviousDeployServing()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"keeps"_s)).status, 202);
        QVERIFY(waitForState(u"keeps"_s, m_alice, u"running"_s));
        const quint16 port = m_master.worker().runtime(u"keeps"_s).hostPort;
        m_master.worker().script(u"keeps"_s, SimulatedAppWorker::Script{u"build"_s, u"build-failed"_s, u"exit 1"_s, {}});
        auto events = openEvents(m_alice);
        QCOMPARE(post(u"/api/v1/apps/keeps/rebuild"_s, m_alice).status, 202);
        // While the rebuild runs, and after it failed, the old container serves.
        QCOMPARE(m_master.routes().find(host(u"keeps"_s))->port, port);
        QTRY_COMPARE(events->of(u"keeps"_s, u"deploy.finished"_s).size(), 1);
        const QJsonObject after = app(u"keeps"_s, m_alice);
        QCOMPARE(after.value(u"state").toString(), u"running"_s);
        QVERIFY(after.value(u"last_error").toString().startsWith(u"deploy #2 failed, the previous one still serves"));
        QCOMPARE(m_master.routes().find(host(u"keeps"_s))->kind, proxy::RouteTable::Route::Kind::Upstream);
        QCOMPARE(m_master.routes().find(host(u"keeps"_s))->port, port);
        // A good rebuild moves the route to the new container and clears the error.
        m_master.worker().script(u"keeps"_s, {});
        QCOMPARE(post(u"/api/v1/apps/keeps/rebuild"_s, m_alice).status, 202);
        QTRY_COMPARE(events->of(u"keeps"_s, u"deploy.finished"_s).size(), 2);
        QTRY_COMPARE(m_master.routes().find(host(u"keeps"_s))->port, m_master.worker().runtime(u"keeps"_s).hostPort);
        QVERIFY(m_master.worker().runtime(u"keeps"_s).hostPort != port);
        QVERIFY(app(u"keeps"_s, m_alice).value(u"last_error").isNull());
        QCOMPARE(call("DELETE", u"/api/v1/apps/keeps"_s, m_alice).status, 204);
    }

    void stopStartRestartMoveTheStateAndTheRoute()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"cycle"_s)).status, 202);
        QVERIFY(waitForState(u"cycle"_s, m_alice, u"running"_s));
        QCOMPARE(post(u"/api/v1/apps/cycle/stop"_s, m_alice).status, 202);
        QVERIFY(waitForState(u"cycle"_s, m_alice, u"stopped"_s));
        QCOMPARE(m_master.routes().find(host(u"cycle"_s))->status, 503);
        QCOMPARE(post(u"/api/v1/apps/cycle/start"_s, m_alice).status, 202);
        QVERIFY(waitForState(u"cycle"_s, m_alice, u"running"_s));
        QCOMPARE(m_master.routes().find(host(u"cycle"_s))->kind, proxy::RouteTable::Route::Kind::Upstream);
        QCOMPARE(post(u"/api/v1/apps/cycle/restart"_s, m_alice).status, 202);
        QVERIFY(waitForState(u"cycle"_s, m_alice, u"running"_s));
        QTRY_COMPARE(app(u"cycle"_s, m_alice).value(u"restarts").toInt(), 1);
        QCOMPARE(m_master.worker().calls().filter(QRegularExpression(u"^(stop|start|restart) cycle$"_s)),
                 (QStringList{u"stop cycle"_s, u"start cycle"_s, u"restart cycle"_s}));
        QCOMPARE(call("DELETE", u"/api/v1/apps/cycle"_s, m_alice).status, 204);
    }

    void aFailedLifecycleCallShowsInTheState()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"flaky"_s)).status, 202);
        QVERIFY(waitForState(u"flaky"_s, m_alice, u"running"_s));
        m_master.worker().failNextCall(Error{u"docker-error"_s, u"the engine said no"_s});
        QCOMPARE(post(u"/api/v1/apps/flaky/restart"_s, m_alice).status, 202);
        QVERIFY(waitForState(u"flaky"_s, m_alice, u"restarting"_s));
        QVERIFY(app(u"flaky"_s, m_alice).value(u"last_error").toString().contains(u"restart failed: the engine said no"));
        QCOMPARE(app(u"flaky"_s, m_alice).value(u"last_error_code").toString(), u"docker-error"_s);
        QCOMPARE(call("DELETE", u"/api/v1/apps/flaky"_s, m_alice).status, 204);
    }

    void aCrashShowsRestartingThenRunning()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"crashy"_s)).status, 202);
        QVERIFY(waitForState(u"crashy"_s, m_alice, u"running"_s));
        auto events = openEvents(m_alice);
        m_master.worker().crash(u"crashy"_s, 137, 50);
        QVERIFY(waitForState(u"crashy"_s, m_alice, u"restarting"_s));
        QCOMPARE(app(u"crashy"_s, m_alice).value(u"last_error_code").toString(), u"app-exited"_s);
        QCOMPARE(m_master.routes().find(host(u"crashy"_s))->status, 503);
        QVERIFY(waitForState(u"crashy"_s, m_alice, u"running"_s));
        QVERIFY(app(u"crashy"_s, m_alice).value(u"last_error").isNull());
        QCOMPARE(app(u"crashy"_s, m_alice).value(u"restarts").toInt(), 1);
        const auto states = events->of(u"crashy"_s, u"app.state"_s);
        QVERIFY(!states.isEmpty());
        QCOMPARE(states.first().value(u"detail").toString(), u"the app exited with code 137"_s);
        QCOMPARE(call("DELETE", u"/api/v1/apps/crashy"_s, m_alice).status, 204);
    }

    void patchStoresTheChangeAndRedeploys()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"patchy"_s, u",'env':{'A':'1','B':'2'}"_s.replace(u'\'', u'"'))).status, 202);
        QVERIFY(waitForState(u"patchy"_s, m_alice, u"running"_s));
        const HttpAnswer patched = call("PATCH", u"/api/v1/apps/patchy"_s, m_alice, J("{'env':{'A':null,'C':'3'},'run':'python3 other.py'}"));
        QCOMPARE(patched.status, 202);
        QCOMPARE(patched.json().value(u"env").toObject(), (QJsonObject{{u"B"_s, u"2"_s}, {u"C"_s, u"3"_s}}));
        QCOMPARE(patched.json().value(u"run").toString(), u"python3 other.py"_s);
        QTRY_VERIFY(m_master.worker().calls().contains(u"deploy patchy 2 update"_s));
        QVERIFY(waitForState(u"patchy"_s, m_alice, u"running"_s));
        QTRY_COMPARE(get(u"/api/v1/apps/patchy/deploys"_s, m_alice).json().value(u"deploys").toArray().first().toObject().value(u"status").toString(), u"succeeded"_s);
        // A secret value is write-only: the answers say only that it is set.
        const HttpAnswer secret = call("PATCH", u"/api/v1/apps/patchy"_s, m_alice, J("{'env':{'TOKEN':{'value':'s3cr3t','secret':true}}}"));
        QCOMPARE(secret.status, 202);
        QCOMPARE(secret.json().value(u"env").toObject().value(u"TOKEN").toObject(), (QJsonObject{{u"secret"_s, true}}));
        QVERIFY(!get(u"/api/v1/apps/patchy"_s, m_alice).body.contains("s3cr3t"));
        QCOMPARE(call("PATCH", u"/api/v1/apps/patchy"_s, m_alice, J("{'name':'renamed'}")).errorCode(), u"invalid-body"_s);
        QCOMPARE(call("PATCH", u"/api/v1/apps/patchy"_s, m_alice, J("{'git':{'url':'file:///etc'}}")).status, 403);
        QCOMPARE(call("DELETE", u"/api/v1/apps/patchy"_s, m_alice).status, 204);
    }

    void deleteRemovesTheRouteAndFreesTheName()
    {
        auto events = openEvents(m_alice);
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"gone"_s)).status, 202);
        QVERIFY(waitForState(u"gone"_s, m_alice, u"running"_s));
        QVERIFY(m_master.routes().find(host(u"gone"_s)));
        QCOMPARE(call("DELETE", u"/api/v1/apps/gone"_s, m_alice).status, 204);
        QVERIFY(!m_master.routes().find(host(u"gone"_s)));
        QCOMPARE(get(u"/api/v1/apps/gone"_s, m_alice).status, 404);
        QTRY_COMPARE(events->of(u"gone"_s, u"app.deleted"_s).size(), 1);
        QVERIFY(!m_master.worker().hasContainer(u"gone"_s));
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_bob, appBody(u"gone"_s)).status, 202);  // the name is free
        QVERIFY(waitForState(u"gone"_s, m_bob, u"running"_s));
        QCOMPARE(call("DELETE", u"/api/v1/apps/gone"_s, m_bob).status, 204);
    }

    void aFailedDeleteKeepsTheAppAndItsRoute()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"sticky"_s)).status, 202);
        QVERIFY(waitForState(u"sticky"_s, m_alice, u"running"_s));
        m_master.worker().failNextCall(Error{u"docker-unavailable"_s, u"the engine does not answer"_s});
        const HttpAnswer refused = call("DELETE", u"/api/v1/apps/sticky"_s, m_alice);
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.errorCode(), u"docker-unavailable"_s);
        QCOMPARE(get(u"/api/v1/apps/sticky"_s, m_alice).status, 200);
        QCOMPARE(m_master.routes().find(host(u"sticky"_s))->kind, proxy::RouteTable::Route::Kind::Upstream);
        QCOMPARE(call("DELETE", u"/api/v1/apps/sticky"_s, m_alice).status, 204);
    }

    void metricsLogsAndServiceEndpointsAnswer()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"observed"_s)).status, 202);
        QVERIFY(waitForState(u"observed"_s, m_alice, u"running"_s));
        const HttpAnswer metrics = get(u"/api/v1/apps/observed/metrics"_s, m_alice);
        QCOMPARE(metrics.status, 200);
        QCOMPARE(metrics.json().value(u"app").toString(), u"observed"_s);
        QCOMPARE(get(u"/api/v1/apps/observed/metrics?since=yesterday"_s, m_alice).errorCode(), u"invalid-query"_s);
        QCOMPARE(get(u"/api/v1/apps/observed/metrics?since=now&until=1h"_s, m_alice).errorCode(), u"invalid-query"_s);
        QCOMPARE(get(u"/api/v1/apps/observed/metrics?step=fast"_s, m_alice).errorCode(), u"invalid-query"_s);
        QCOMPARE(get(u"/api/v1/apps/observed/logs?tail=-5"_s, m_alice).errorCode(), u"invalid-query"_s);
        const HttpAnswer logs = get(u"/api/v1/apps/observed/logs?tail=all"_s, m_alice);
        QCOMPARE(logs.status, 200);
        QVERIFY(logs.header("Content-Type").startsWith("text/plain"));
        const HttpAnswer prometheus = get(u"/metrics"_s, {});
        QCOMPARE(prometheus.status, 200);
        QVERIFY(prometheus.body.contains("gasper_apps{state=\"running\"}"));
        QVERIFY(prometheus.body.contains("gasper_api_responses_total{status=\"404\"}"));
        QCOMPARE(get(u"/api/v1/nodes"_s, m_admin).json().value(u"nodes").toArray().first().toObject().value(u"status").toString(), u"ready"_s);
        QCOMPARE(call("DELETE", u"/api/v1/apps/observed"_s, m_alice).status, 204);
    }

    void logsSearchSinceDeployAndDownloadAnswerAsDocumented()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"searched"_s)).status, 202);
        QVERIFY(waitForState(u"searched"_s, m_alice, u"running"_s));
        const QString base = u"/api/v1/apps/searched/logs"_s;
        const HttpAnswer found = get(base + u"?grep=listening"_s, m_alice);
        QCOMPARE(found.status, 200);
        QVERIFY2(found.body.contains("deploy #1 listening"), found.body.constData());
        QCOMPARE(get(base + u"?grep=no%20such%20line"_s, m_alice).body, QByteArray());
        QVERIFY(get(base + u"?grep=%5Esimulated:%20%5Cw%2B%20deploy&regex=1"_s, m_alice).body.contains("listening"));
        const HttpAnswer badRegex = get(base + u"?grep=(unclosed&regex=1"_s, m_alice);
        QCOMPARE(badRegex.status, 400);
        QCOMPARE(badRegex.errorCode(), u"invalid-query"_s);
        QVERIFY2(badRegex.json().value(u"error").toObject().value(u"message").toString().contains(u"regular expression"),
                 badRegex.body.constData());
        QCOMPARE(get(base + u"?since=yesterday"_s, m_alice).errorCode(), u"invalid-query"_s);
        QCOMPARE(get(base + u"?since=10m"_s, m_alice).status, 200);
        QCOMPARE(get(base + u"?since=2026-11-27T10:00:00Z&timestamps=1"_s, m_alice).status, 200);
        QCOMPARE(get(base + u"?deploy=0"_s, m_alice).errorCode(), u"invalid-query"_s);
        QCOMPARE(get(base + u"?deploy=9"_s, m_alice).status, 404);  // nothing kept, not live
        const HttpAnswer file = get(base + u"?download=1&follow=1"_s, m_alice);
        QCOMPARE(file.status, 200);
        QCOMPARE(file.header("Content-Disposition"), QByteArray("attachment; filename=\"searched.log\""));
        QVERIFY(file.body.contains("listening"));
        // Someone else's logs do not exist for her, whatever the query.
        QCOMPARE(get(base + u"?grep=x&download=1"_s, m_bob).status, 404);
        QCOMPARE(get(u"/api/v1/apps/searched/deploys/1/log?download=1"_s, m_bob).status, 404);

        // The deploy's own output, from the store: text, JSON lines, a file.
        const HttpAnswer text = get(u"/api/v1/apps/searched/deploys/1/log"_s, m_alice);
        QCOMPARE(text.status, 200);
        QVERIFY(!text.body.isEmpty());
        const HttpAnswer json = get(u"/api/v1/apps/searched/deploys/1/log?format=json"_s, m_alice);
        QCOMPARE(json.status, 200);
        const QJsonArray lines = json.json().value(u"lines").toArray();
        QCOMPARE(lines.size(), text.body.count('\n'));
        QVERIFY(!lines.first().toObject().value(u"stream").toString().isEmpty());
        QCOMPARE(get(u"/api/v1/apps/searched/deploys/1/log?format=xml"_s, m_alice).errorCode(), u"invalid-query"_s);
        QCOMPARE(get(u"/api/v1/apps/searched/deploys/1/log?download=1"_s, m_alice).header("Content-Disposition"),
                 QByteArray("attachment; filename=\"searched-deploy-1-build.log\""));
        QCOMPARE(get(u"/api/v1/apps/searched/deploys/2/log"_s, m_alice).status, 404);

        // A rebuild replaces the container: deploy 1's app log is kept, the live one is 2's.
        QCOMPARE(post(u"/api/v1/apps/searched/rebuild"_s, m_alice).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(get(base + u"?deploy=1"_s, m_alice).status == 200, 5000);
        QVERIFY(get(base + u"?deploy=1"_s, m_alice).body.contains("deploy #1 listening"));
        QCOMPARE(get(base + u"?deploy=1&grep=%232"_s, m_alice).body, QByteArray());
        QTRY_VERIFY_WITH_TIMEOUT(get(base + u"?deploy=2"_s, m_alice).body.contains("deploy #2 listening"), 5000);
        QVERIFY(!get(base + u"?tail=all"_s, m_alice).body.contains("deploy #1"));
        QCOMPARE(get(base + u"?deploy=1&download=1"_s, m_alice).header("Content-Disposition"),
                 QByteArray("attachment; filename=\"searched-deploy-1.log\""));
        QCOMPARE(get(base + u"?deploy=1"_s, m_bob).status, 404);
        QCOMPARE(call("DELETE", u"/api/v1/apps/searched"_s, m_alice).status, 204);
    }

    void sampledMetricsAreStoredPublishedToTheOwnerAndExported()
    {
        auto alice = openEvents(m_alice);
        auto bob = openEvents(m_bob);
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"measured"_s)).status, 202);
        QVERIFY(waitForState(u"measured"_s, m_alice, u"running"_s));
        apps::MetricsSample sample;
        sample.at = QDateTime::currentDateTimeUtc();
        sample.up = true;
        sample.cpuPercent = 80;
        sample.cpuCorePercent = 40;
        sample.cpuLimit = 0.5;
        sample.memoryBytes = 32 << 20;
        sample.memoryLimitBytes = 256 << 20;
        sample.rxBytesPerSec = 1000;
        sample.restarts = 2;
        m_master.worker().sampleMetrics({{u"measured"_s, sample}, {u"not-an-app"_s, sample}});
        QTRY_COMPARE(alice->of(u"measured"_s, u"app.metrics"_s).size(), 1);
        const QJsonObject event = alice->of(u"measured"_s, u"app.metrics"_s).first();
        QCOMPARE(event.value(u"cpu_percent").toDouble(), 80.0);
        QCOMPARE(event.value(u"node").toString(), u"sim"_s);
        QCOMPARE(event.value(u"restarts").toInt(), 2);
        // Stored: the series of the last 5 minutes has it (written through the store thread).
        QTRY_VERIFY([&] {
            const QJsonObject body = get(u"/api/v1/apps/measured/metrics?since=5m"_s, m_alice).json();
            for (const QJsonValue &v : body.value(u"series").toObject().value(u"cpu_percent").toArray())
                if (v.toDouble() == 80.0)
                    return true;
            return false;
        }());
        const QJsonObject series = get(u"/api/v1/apps/measured/metrics?since=5m&step=60"_s, m_alice).json();
        QCOMPARE(series.value(u"step_s").toInt(), 60);
        QCOMPARE(series.value(u"at").toArray().size(), series.value(u"series").toObject().value(u"memory_bytes").toArray().size());
        // Someone else's app: 404, and no events for them.
        QCOMPARE(get(u"/api/v1/apps/measured/metrics"_s, m_bob).status, 404);
        QTest::qWait(20);
        QVERIFY(bob->of(u"measured"_s, u"app.metrics"_s).isEmpty());
        // Prometheus: per-app series labelled app and node; node totals.
        const QByteArray text = get(u"/metrics"_s, {}).body;
        QVERIFY2(text.contains("gasper_app_cpu_percent{app=\"measured\",node=\"sim\"} 80\n"), text.constData());
        QVERIFY(text.contains("gasper_app_restarts{app=\"measured\",node=\"sim\"} 2\n"));
        QVERIFY(!text.contains("not-an-app"));
        QVERIFY(text.contains("gasper_node_cpu_percent{node=\"sim\"} 12.5\n"));
        QVERIFY(text.contains("gasper_up 1\n"));
        // The node resource: latest totals, and its own series (admins).
        const QJsonObject node = get(u"/api/v1/nodes"_s, m_admin).json().value(u"nodes").toArray().first().toObject();
        QCOMPARE(node.value(u"metrics").toObject().value(u"cpus").toInt(), 2);
        QCOMPARE(get(u"/api/v1/nodes/sim/metrics?since=10m"_s, m_admin).status, 200);
        QCOMPARE(get(u"/api/v1/nodes/sim/metrics"_s, m_alice).status, 403);
        QCOMPARE(get(u"/api/v1/nodes/elsewhere/metrics"_s, m_admin).status, 404);
        // Deleted: its series are gone, even under a new app of the same name.
        QCOMPARE(call("DELETE", u"/api/v1/apps/measured"_s, m_alice).status, 204);
        QVERIFY(!get(u"/metrics"_s, {}).body.contains("app=\"measured\""));
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"measured"_s)).status, 202);
        for (const QJsonValue &v : get(u"/api/v1/apps/measured/metrics?since=5m"_s, m_alice).json()
                                        .value(u"series").toObject().value(u"cpu_percent").toArray())
            QVERIFY(v.isNull());
        QVERIFY(waitForState(u"measured"_s, m_alice, u"running"_s));
        QCOMPARE(call("DELETE", u"/api/v1/apps/measured"_s, m_alice).status, 204);
    }

    void malformedRequestsGetTheErrorBody()
    {
        const HttpAnswer a = httpCall(m_master.kaze().serverPort(), "GET", "/api/v1/apps", QByteArray(), "Content-Length: x\r\n");
        QCOMPARE(a.status, 400);
        QCOMPARE(a.errorCode(), u"bad-request"_s);
        const HttpAnswer big = httpCall(m_master.kaze().serverPort(), "POST", "/api/v1/apps", QByteArray(),
                                        bearer(m_alice) + "Content-Length: 2097152\r\n");
        QCOMPARE(big.status, 413);
        QCOMPARE(big.errorCode(), u"body-too-large"_s);
    }

    // ---- login throttling (last: they leave addresses locked for a minute) --------------
    // The per-source rate itself is tested in tst_appjson: 30 argon2 checks take seconds.

    void aStrangerCannotLockTheAdminOut()
    {
        const QHostAddress stranger(u"127.0.0.1"_s);
        const QHostAddress admin(u"127.0.0.2"_s);
        QList<int> statuses;
        for (int i = 0; i < 10; ++i) {
            const HttpAnswer a = login(u"admin"_s, "guess " + QByteArray::number(i), stranger);
            statuses << a.status;
            if (a.status == 429) {
                QCOMPARE(a.errorCode(), u"too-many-attempts"_s);
                QVERIFY(a.header("Retry-After").toInt() >= 1);
            }
        }
        QCOMPARE(statuses, (QList<int>{401, 401, 401, 401, 401, 429, 429, 429, 429, 429}));
        // The stranger's address stays refused, even with the right password ...
        QCOMPARE(login(u"admin"_s, kPassword, stranger).status, 429);
        // ... and the admin, from another address, logs in at once.
        const HttpAnswer in = login(u"admin"_s, kPassword, admin);
        QCOMPARE(in.status, 200);
        QCOMPARE(in.json().value(u"user").toObject().value(u"admin").toBool(), true);
        QCOMPARE(get(u"/api/v1/users/me"_s, m_admin).status, 200);  // sessions were never affected
    }

    void aFullPasswordQueueIs503WithRetryAfter()
    {
        const int limit = master::maxPendingPasswordChecks();
        master::setMaxPendingPasswordChecks(1);
        const QByteArray body = J("{'username':'alice','password':'wrong password'}");
        std::vector<std::unique_ptr<HttpExchange>> logins;
        for (int i = 0; i < 6; ++i)
            logins.push_back(std::make_unique<HttpExchange>(m_master.kaze().serverPort(), "POST", "/api/v1/auth/login", body, QByteArray(),
                                                            QHostAddress(u"127.0.0.%1"_s.arg(10 + i))));
        QList<int> statuses;
        for (auto &exchange : logins) {
            QVERIFY(exchange->wait());
            const HttpAnswer a = exchange->answer();
            checkAgainstDescription("POST", u"/api/v1/auth/login"_s, a);
            statuses << a.status;
            if (a.status == 503) {
                QCOMPARE(a.errorCode(), u"busy"_s);
                QCOMPARE(a.header("Retry-After"), QByteArray("1"));
            }
        }
        master::setMaxPendingPasswordChecks(limit);
        QVERIFY2(statuses.contains(401) && statuses.contains(503), qPrintable(QString::number(statuses.size())));
        QCOMPARE(statuses.count(401) + statuses.count(503), 6);
        QTRY_COMPARE(master::pendingPasswordChecks(), 0);
        QCOMPARE(login(u"alice"_s, kPassword, QHostAddress(u"127.0.0.20"_s)).status, 200);
    }
};

QTEST_MAIN(tst_MasterRules)
#include "tst_master_rules.moc"
