// SPDX-License-Identifier: MIT
// The master's rules for deploys as users expect them (issue 9), without Docker: a real Kaze
// over loopback HTTP on a SQLite store and the in-process SimulatedAppWorker. Rollback
// (validation, ownership, the deploy it starts, the pin and its end), health check and
// Procfile validation. Every answer and event is checked against docs/openapi.json.

#include "SimulatedMaster.h"

#include "master/Kaze.h"
#include "proxy/RouteTable.h"
#include "store/AsyncStore.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace gasper;
using namespace gasper::testing;
using namespace Qt::StringLiterals;

static QByteArray J(const char *text)
{
    QByteArray json(text);
    json.replace('\'', '"');
    return json;
}

static const QString kOldSha = u"1111111111111111111111111111111111111111"_s;
static const QString kNewSha = u"2222222222222222222222222222222222222222"_s;

class tst_MasterDeploys : public QObject
{
    Q_OBJECT

private:
    SimulatedMaster m_master;
    QByteArray m_admin, m_alice, m_bob;

    HttpAnswer call(const QByteArray &method, const QString &target, const QByteArray &token = {},
                    const QByteArray &body = QByteArray())
    {
        return m_master.call(method, target, token, body);
    }
    QByteArray signIn(const QString &user) { return m_master.signIn(user); }
    static QByteArray appBody(const QString &name, const char *extra = "")
    {
        return J("{'name':'") + name.toUtf8() + J("','language':'python','git':{'url':'https://git.example.test/x.git'}")
               + J(extra) + "}";
    }
    QJsonObject app(const QString &name, const QByteArray &token) { return call("GET", u"/api/v1/apps/"_s + name, token).json(); }
    QJsonArray deploys(const QString &name, const QByteArray &token)
    {
        return call("GET", u"/api/v1/apps/%1/deploys"_s.arg(name), token).json().value(u"deploys").toArray();
    }
    // Deploy `number` has ended (any status): the store has its record.
    bool waitForDeploy(const QString &name, const QByteArray &token, int number, const QString &status = u"succeeded"_s)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 5000) {
            for (const QJsonValue &d : deploys(name, token)) {
                if (d[u"number"].toInt() == number && d[u"status"].toString() == status)
                    return true;
            }
            QTest::qWait(5);
        }
        qWarning() << name << "deploy" << number << "did not become" << status;
        return false;
    }
    HttpAnswer rollback(const QString &name, const QByteArray &token, const QByteArray &body)
    {
        return call("POST", u"/api/v1/apps/%1/rollback"_s.arg(name), token, body);
    }

private slots:
    void initTestCase()
    {
        const QString started = m_master.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        m_admin = signIn(u"admin"_s);
        m_alice = signIn(u"alice"_s);
        m_bob = signIn(u"bob"_s);
        QVERIFY(!m_admin.isEmpty() && !m_alice.isEmpty() && !m_bob.isEmpty());
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

    // ---- Procfile and health: what the API accepts -------------------------------------

    void anAppWithoutRunIsAcceptedForItsProcfile()
    {
        const HttpAnswer created = call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"procfiled"_s));
        QCOMPARE(created.status, 202);
        QCOMPARE(created.json().value(u"run").toString(), QString());
        // The default health check is shown as what it does: any answer on /.
        QCOMPARE(created.json().value(u"health").toObject(),
                 (QJsonObject{{u"path"_s, u"/"_s}, {u"status"_s, QJsonValue()}, {u"timeout"_s, QJsonValue()}}));
        QVERIFY(waitForDeploy(u"procfiled"_s, m_alice, 1));
        // run can be set and removed again (null or "": the Procfile's web line).
        QCOMPARE(call("PATCH", u"/api/v1/apps/procfiled"_s, m_alice, J("{'run':'python3 app.py'}")).json().value(u"run").toString(),
                 u"python3 app.py"_s);
        QCOMPARE(call("PATCH", u"/api/v1/apps/procfiled"_s, m_alice, J("{'run':null}")).json().value(u"run").toString(), QString());
        QCOMPARE(call("DELETE", u"/api/v1/apps/procfiled"_s, m_alice).status, 204);
    }

    void healthChecksAreValidated_data()
    {
        QTest::addColumn<QByteArray>("health");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an object") << QByteArray("'/healthz'") << u"health must be an object"_s;
        QTest::newRow("unknown field") << QByteArray("{'pth':'/x'}") << u"health.pth is not a known field"_s;
        QTest::newRow("relative path") << QByteArray("{'path':'healthz'}") << u"health.path must be a URL path"_s;
        QTest::newRow("space in path") << QByteArray("{'path':'/a b'}") << u"health.path must be a URL path"_s;
        QTest::newRow("CRLF in path") << QByteArray("{'path':'/a\\r\\nX: y'}") << u"health.path must be a URL path"_s;
        QTest::newRow("status text") << QByteArray("{'status':'200'}") << u"health.status must be an HTTP status"_s;
        QTest::newRow("status 99") << QByteArray("{'status':99}") << u"health.status must be an HTTP status"_s;
        QTest::newRow("status 600") << QByteArray("{'status':600}") << u"health.status must be an HTTP status"_s;
        QTest::newRow("status 200.5") << QByteArray("{'status':200.5}") << u"health.status must be an HTTP status"_s;
        QTest::newRow("timeout 0") << QByteArray("{'timeout':0}") << u"health.timeout must be"_s;
        QTest::newRow("timeout 601") << QByteArray("{'timeout':601}") << u"health.timeout must be"_s;
    }
    void healthChecksAreValidated()
    {
        QFETCH(QByteArray, health);
        QFETCH(QString, message);
        const QStringList before = m_master.worker().calls();
        const HttpAnswer refused = call("POST", u"/api/v1/apps"_s, m_alice,
                                        appBody(u"healthy"_s, QByteArray(",'health':" + health).constData()));
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), u"invalid-body"_s);
        QVERIFY2(refused.json()[u"error"][u"message"].toString().startsWith(message), refused.body.constData());
        QCOMPARE(call("GET", u"/api/v1/apps/healthy"_s, m_alice).status, 404);
        QCOMPARE(m_master.worker().calls(), before);
    }

    void aHealthCheckIsStoredShownAndGivenToTheWorker()
    {
        const HttpAnswer created = call("POST", u"/api/v1/apps"_s, m_alice,
                                        appBody(u"checked"_s, ",'health':{'path':'/healthz?deep=1','status':204,'timeout':7}"));
        QCOMPARE(created.status, 202);
        QCOMPARE(created.json().value(u"health").toObject(),
                 (QJsonObject{{u"path"_s, u"/healthz?deep=1"_s}, {u"status"_s, 204}, {u"timeout"_s, 7}}));
        QVERIFY(waitForDeploy(u"checked"_s, m_alice, 1));
        QCOMPARE(m_master.worker().deployedSpec(u"checked"_s).health.path, u"/healthz?deep=1"_s);
        QCOMPARE(m_master.worker().deployedSpec(u"checked"_s).health.status, 204);
        QCOMPARE(m_master.worker().deployedSpec(u"checked"_s).health.timeoutSec, 7);
        // PATCH replaces the whole check; null is the default again.
        QCOMPARE(call("PATCH", u"/api/v1/apps/checked"_s, m_alice, J("{'health':{'path':'/up'}}")).json().value(u"health").toObject(),
                 (QJsonObject{{u"path"_s, u"/up"_s}, {u"status"_s, QJsonValue()}, {u"timeout"_s, QJsonValue()}}));
        QCOMPARE(app(u"checked"_s, m_alice).value(u"health").toObject().value(u"path").toString(), u"/up"_s);
        QVERIFY(waitForDeploy(u"checked"_s, m_alice, 2));
        QCOMPARE(m_master.worker().deployedSpec(u"checked"_s).health.status, 0);
        QCOMPARE(call("PATCH", u"/api/v1/apps/checked"_s, m_alice, J("{'health':null}")).json().value(u"health").toObject().value(u"path").toString(),
                 u"/"_s);
        QVERIFY(waitForDeploy(u"checked"_s, m_alice, 3));
        QVERIFY(m_master.worker().deployedSpec(u"checked"_s).health.isDefault());
        QCOMPARE(call("DELETE", u"/api/v1/apps/checked"_s, m_alice).status, 204);
    }

    void aFailingHealthCheckKeepsThePreviousDeployServing()
    {
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"unwell"_s)).status, 202);
        QVERIFY(waitForDeploy(u"unwell"_s, m_alice, 1));
        const quint16 port = m_master.worker().runtime(u"unwell"_s).hostPort;
        m_master.worker().script(u"unwell"_s, SimulatedAppWorker::Script{u"health"_s, u"health-failed"_s,
                                                                 u"health check GET /healthz expected 200, got 503"_s, {}});
        QCOMPARE(call("PATCH", u"/api/v1/apps/unwell"_s, m_alice, J("{'health':{'path':'/healthz','status':200}}")).status, 202);
        QVERIFY(waitForDeploy(u"unwell"_s, m_alice, 2, u"failed"_s));
        const QJsonObject after = app(u"unwell"_s, m_alice);
        QCOMPARE(after.value(u"state").toString(), u"running"_s);
        QCOMPARE(after.value(u"last_error_code").toString(), u"health-failed"_s);
        QVERIFY2(after.value(u"last_error").toString().contains(u"GET /healthz expected 200, got 503"),
                 qPrintable(after.value(u"last_error").toString()));
        QCOMPARE(m_master.routes().find(u"unwell.localhost"_s)->port, port);
        QCOMPARE(call("DELETE", u"/api/v1/apps/unwell"_s, m_alice).status, 204);
    }

    // ---- rollback ------------------------------------------------------------------------

    void rollbackRefusesWhatItCannotDo_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("not json") << QByteArray("{nope") << 400 << u"invalid-json"_s;
        QTest::newRow("no deploy") << QByteArray("{}") << 400 << u"invalid-body"_s;
        QTest::newRow("text") << J("{'deploy':'1'}") << 400 << u"invalid-body"_s;
        QTest::newRow("zero") << J("{'deploy':0}") << 400 << u"invalid-body"_s;
        QTest::newRow("fraction") << J("{'deploy':1.5}") << 400 << u"invalid-body"_s;
        QTest::newRow("unknown field") << J("{'deploy':1,'commit':'abc'}") << 400 << u"invalid-body"_s;
        QTest::newRow("no such deploy") << J("{'deploy':99}") << 404 << u"not-found"_s;
        QTest::newRow("deploy without a commit") << J("{'deploy':2}") << 409 << u"no-commit"_s;
    }
    void rollbackRefusesWhatItCannotDo()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        if (app(u"refuser"_s, m_alice).isEmpty() || app(u"refuser"_s, m_alice).contains(u"error")) {
            QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"refuser"_s, ",'run':'python3 app.py'")).status, 202);
            QVERIFY(waitForDeploy(u"refuser"_s, m_alice, 1));
            // Deploy #2 fails in its clone: it records no commit.
            m_master.worker().script(u"refuser"_s, SimulatedAppWorker::Script{u"clone"_s, u"git-network"_s, u"unreachable"_s, {}});
            QCOMPARE(call("POST", u"/api/v1/apps/refuser/rebuild"_s, m_alice).status, 202);
            QVERIFY(waitForDeploy(u"refuser"_s, m_alice, 2, u"failed"_s));
            m_master.worker().script(u"refuser"_s, {});
        }
        const QStringList before = m_master.worker().calls();
        const HttpAnswer refused = rollback(u"refuser"_s, m_alice, body);
        QCOMPARE(refused.status, status);
        QCOMPARE(refused.errorCode(), code);
        QCOMPARE(m_master.worker().calls(), before);
        QCOMPARE(deploys(u"refuser"_s, m_alice).size(), 2);
        QVERIFY(app(u"refuser"_s, m_alice)[u"git"][u"commit"].isNull());
    }

    void rollbackIsForTheOwnerAndAdminsOnly()
    {
        // Another user's app is 404 (its existence is not leaked), as everywhere.
        const HttpAnswer stranger = rollback(u"refuser"_s, m_bob, J("{'deploy':1}"));
        QCOMPARE(stranger.status, 404);
        QCOMPARE(stranger.errorCode(), u"not-found"_s);
        QCOMPARE(rollback(u"refuser"_s, {}, J("{'deploy':1}")).status, 401);
        QCOMPARE(rollback(u"nosuchapp"_s, m_alice, J("{'deploy':1}")).status, 404);
        QCOMPARE(deploys(u"refuser"_s, m_alice).size(), 2);
        // An admin may roll back anyone's app.
        const HttpAnswer admin = rollback(u"refuser"_s, m_admin, J("{'deploy':1}"));
        QCOMPARE(admin.status, 202);
        QVERIFY(waitForDeploy(u"refuser"_s, m_alice, 3));
        QCOMPARE(call("DELETE", u"/api/v1/apps/refuser"_s, m_alice).status, 204);
    }

    void rollbackDeploysTheOldCommitAndShowsInTheHistory()
    {
        m_master.worker().script(u"rolling"_s, SimulatedAppWorker::Script{{}, {}, {}, {}, kOldSha});
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"rolling"_s, ",'run':'python3 app.py'")).status, 202);
        QVERIFY(waitForDeploy(u"rolling"_s, m_alice, 1));
        m_master.worker().script(u"rolling"_s, SimulatedAppWorker::Script{{}, {}, {}, {}, kNewSha});
        QCOMPARE(call("POST", u"/api/v1/apps/rolling/rebuild"_s, m_alice).status, 202);
        QVERIFY(waitForDeploy(u"rolling"_s, m_alice, 2));
        const quint16 newPort = m_master.worker().runtime(u"rolling"_s).hostPort;

        const HttpAnswer started = rollback(u"rolling"_s, m_alice, J("{'deploy':1}"));
        QCOMPARE(started.status, 202);
        QCOMPARE(started.json()[u"git"][u"commit"].toString(), kOldSha);
        QTRY_VERIFY(m_master.worker().calls().contains(u"deploy rolling 3 rollback"_s));
        QCOMPARE(m_master.worker().deployedSpec(u"rolling"_s).git.commit, kOldSha);
        QVERIFY(waitForDeploy(u"rolling"_s, m_alice, 3));
        const QJsonObject third = deploys(u"rolling"_s, m_alice).first().toObject();
        QCOMPARE(third.value(u"number").toInt(), 3);
        QCOMPARE(third.value(u"trigger").toString(), u"rollback"_s);
        QCOMPARE(third.value(u"rollback_to").toInt(), 1);
        QCOMPARE(third.value(u"commit").toString(), kOldSha);
        QVERIFY(deploys(u"rolling"_s, m_alice).at(1)[u"rollback_to"].isNull());
        // Like a rebuild: the route moved to the new container once it was healthy, the old one retired.
        QTRY_COMPARE(m_master.routes().find(u"rolling.localhost"_s)->port, m_master.worker().runtime(u"rolling"_s).hostPort);
        QVERIFY(m_master.worker().runtime(u"rolling"_s).hostPort != newPort);
        QTRY_VERIFY(m_master.worker().calls().contains(u"retire rolling 3"_s));

        // The pin lasts through a recovery (the worker asks for a fresh deploy)…
        QMetaObject::invokeMethod(&m_master.worker(), [this] { emit m_master.worker().deployRequested(u"rolling"_s, u"recovery"_s); });
        QVERIFY(waitForDeploy(u"rolling"_s, m_alice, 4));
        QCOMPARE(m_master.worker().deployedSpec(u"rolling"_s).git.commit, kOldSha);
        QCOMPARE(app(u"rolling"_s, m_alice)[u"git"][u"commit"].toString(), kOldSha);
        // …and a rebuild goes back to the branch's head.
        QCOMPARE(call("POST", u"/api/v1/apps/rolling/rebuild"_s, m_alice).status, 202);
        QVERIFY(waitForDeploy(u"rolling"_s, m_alice, 5));
        QVERIFY(m_master.worker().deployedSpec(u"rolling"_s).git.commit.isEmpty());
        QCOMPARE(deploys(u"rolling"_s, m_alice).first()[u"commit"].toString(), kNewSha);
        QTRY_VERIFY(app(u"rolling"_s, m_alice)[u"git"][u"commit"].isNull());
        QCOMPARE(call("DELETE", u"/api/v1/apps/rolling"_s, m_alice).status, 204);
    }

    void aFailedRollbackKeepsTheCurrentDeployServing()
    {
        m_master.worker().script(u"stays"_s, SimulatedAppWorker::Script{{}, {}, {}, {}, kOldSha});
        QCOMPARE(call("POST", u"/api/v1/apps"_s, m_alice, appBody(u"stays"_s, ",'run':'python3 app.py'")).status, 202);
        QVERIFY(waitForDeploy(u"stays"_s, m_alice, 1));
        const quint16 port = m_master.worker().runtime(u"stays"_s).hostPort;
        m_master.worker().script(u"stays"_s, SimulatedAppWorker::Script{u"clone"_s, u"git-commit-not-found"_s,
                                                                u"commit 111111111111 is not in the repository any more"_s, {}});
        QCOMPARE(rollback(u"stays"_s, m_alice, J("{'deploy':1}")).status, 202);
        QVERIFY(waitForDeploy(u"stays"_s, m_alice, 2, u"failed"_s));
        const QJsonObject after = app(u"stays"_s, m_alice);
        QCOMPARE(after.value(u"state").toString(), u"running"_s);
        QCOMPARE(after.value(u"last_error_code").toString(), u"git-commit-not-found"_s);
        QCOMPARE(m_master.routes().find(u"stays.localhost"_s)->port, port);
        QCOMPARE(call("DELETE", u"/api/v1/apps/stays"_s, m_alice).status, 204);
    }
};

QTEST_GUILESS_MAIN(tst_MasterDeploys)
#include "tst_master_deploys.moc"
