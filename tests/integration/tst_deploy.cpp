// SPDX-License-Identifier: MIT
// End to end: a real gasperd, the real Docker engine, real git repositories (local
// and over smart HTTP), curl as the client. Each test says what it proves.

#include "Harness.h"
#include "../support/GitFixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QWebSocket>


// JSON written with single quotes (moc 6.4 cannot parse raw string literals).
static QByteArray J(const char *text)
{
    QByteArray json(text);
    json.replace('\'', '"');
    return json;
}

using namespace gasper::testing;

namespace {

QJsonObject fixtureSpec(const QString &fixture)
{
    QFile f(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/%1/gasper.json").arg(fixture));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// The containers of this suite's gasperd only (another suite may share the engine).
QString g_node;
QString dockerPs(const QString &filter)
{
    return run(QStringLiteral("docker"), {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"), filter,
                                          QStringLiteral("--filter"), QStringLiteral("label=gasper.node=") + g_node});
}

} // namespace

class tst_Deploy : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_admin;
    std::unique_ptr<ApiClient> m_alice;
    GitHttpServer m_gitServer;
    GitHttpServer m_privateGitServer;
    QString m_gitBase;
    QString m_privateGitBase;
    const QString m_privateToken = QStringLiteral("s3cret-t0ken-xyz");

    QString repo(const QString &fixture) const { return m_repos.path() + u'/' + fixture; }

    QJsonObject createBody(const QString &name, const QString &fixture, const QString &url) const
    {
        const QJsonObject spec = fixtureSpec(fixture);
        QJsonObject body{{QStringLiteral("name"), name}, {QStringLiteral("language"), spec.value(u"language")},
                         {QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), url}}}, {QStringLiteral("build"), spec.value(u"build")},
                         {QStringLiteral("run"), spec.value(u"run")}};
        return body;
    }

    // Creates the app and waits until it runs (or fails); the final app JSON.
    QJsonObject deploy(ApiClient &api, const QJsonObject &body, int timeoutMs = 180000)
    {
        const CurlResult created = api.post(QStringLiteral("/api/v1/apps"), body);
        if (created.status != 202)
            qWarning() << "create answered" << created.status << created.body;
        return api.waitForState(body.value(u"name").toString(), {QStringLiteral("running"), QStringLiteral("failed")}, timeoutMs);
    }

    void cleanupApp(const QString &name) { m_admin->del(QStringLiteral("/api/v1/apps/") + name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_repos.isValid());
        for (const QString &fixture : {QStringLiteral("python"), QStringLiteral("node"), QStringLiteral("php"), QStringLiteral("ruby"), QStringLiteral("go"), QStringLiteral("static"),
                                       QStringLiteral("failing-build"), QStringLiteral("slow-start")}) {
            auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/") + fixture,
                                                      repo(fixture));
            QVERIFY2(made, qPrintable(errorText(made)));
        }
        auto branch = addBranch(repo(QStringLiteral("python")), QStringLiteral("feature"));
        QVERIFY2(branch, qPrintable(errorText(branch)));
        auto base = m_gitServer.start(m_repos.path());
        QVERIFY2(base, qPrintable(errorText(base)));
        m_gitBase = *base;
        GitHttpServer::Options privateOptions;
        privateOptions.token = m_privateToken;
        auto privateBase = m_privateGitServer.start(m_repos.path(), privateOptions);
        QVERIFY2(privateBase, qPrintable(errorText(privateBase)));
        m_privateGitBase = *privateBase;

        m_gasperd = std::make_unique<Gasperd>();
        g_node = m_gasperd->nodeName();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_admin = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_admin->signIn(QStringLiteral("root")).isEmpty());  // first user: admin
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(QStringLiteral("alice")).isEmpty());
        QCOMPARE(m_admin->get(QStringLiteral("/api/v1/users/me")).json().value(u"admin").toBool(), true);
        QCOMPARE(m_alice->get(QStringLiteral("/api/v1/users/me")).json().value(u"admin").toBool(), false);
    }

    // After every test, even one that failed half-way: no app of it is left to disturb
    // the next (names are reused).
    void cleanup()
    {
        if (!m_admin || !m_gasperd)
            return;
        const QJsonArray apps = m_admin->get(QStringLiteral("/api/v1/apps")).json().value(u"apps").toArray();
        for (const QJsonValue &a : apps)
            cleanupApp(a.toObject().value(u"name").toString());
        const QStringList violations = std::exchange(apiViolations(), {});
        QVERIFY2(violations.isEmpty(), qPrintable(QStringLiteral("answers docs/openapi.json does not allow:\n") + violations.join(u'\n')));
    }

    void cleanupTestCase()
    {
        if (m_admin) {
            const QJsonArray apps = m_admin->get(QStringLiteral("/api/v1/apps")).json().value(u"apps").toArray();
            for (const QJsonValue &a : apps)
                cleanupApp(a.toObject().value(u"name").toString());
        }
        if (m_gasperd)
            m_gasperd->stop();
    }

    void eachLanguageDeploysAndAnswersThroughTheProxy_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const char *lang : {"python", "node", "php", "ruby", "static", "go"})
            QTest::newRow(lang) << QString::fromLatin1(lang);
    }
    void eachLanguageDeploysAndAnswersThroughTheProxy()
    {
        QFETCH(QString, fixture);
        const QString name = QStringLiteral("hello-") + fixture;
        const QJsonObject app = deploy(*m_admin, createBody(name, fixture, QStringLiteral("file://") + repo(fixture)));
        QVERIFY2(app.value(u"state").toString() == u"running",
                 qPrintable(QString::fromUtf8(QJsonDocument(app).toJson()) + m_gasperd->log().right(3000)));
        const CurlResult r = viaProxy(*m_gasperd, name);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.contains(QByteArray(QByteArray("hello from ") + fixture.toUtf8())), r.body.constData());
        QCOMPARE(app.value(u"url").toString(), QStringLiteral("http://%1.localhost:%2/").arg(name).arg(m_gasperd->proxyPort()));
        cleanupApp(name);
    }

    void statesGoQueuedCloningBuildingStartingRunningOverWebSocket()
    {
        QWebSocket ws;
        QSignalSpy connected(&ws, &QWebSocket::connected);
        QStringList events;
        connect(&ws, &QWebSocket::textMessageReceived, this, [&events](const QString &m) { events << m; });
        ws.open(QUrl(m_gasperd->api().replace(QStringLiteral("http://"), QStringLiteral("ws://")) + QStringLiteral("/api/v1/events?token=") + m_alice->token()));
        QVERIFY(connected.wait(5000));
        const QString name = QStringLiteral("states-py");
        QJsonObject body = createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python"));
        body.insert(QStringLiteral("build"), QJsonArray{QStringLiteral("echo building now")});
        const QJsonObject app = deploy(*m_alice, body);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        // The events arrive on their own connection: wait for the last one.
        QStringList states;
        bool sawOutput = false, sawStep = false;
        const auto collect = [&] {
            states.clear();
            for (const QString &e : std::as_const(events)) {
                const QJsonObject o = QJsonDocument::fromJson(e.toUtf8()).object();
                apiViolations() << apiDescription().checkEvent(o);
                if (o.value(u"app").toString() != name)
                    continue;
                if (o.value(u"type") == QStringLiteral("app.state"))
                    states << o.value(u"state").toString();
                if (o.value(u"type") == QStringLiteral("deploy.output") && o.value(u"line").toString() == u"building now")
                    sawOutput = true;
                if (o.value(u"type") == QStringLiteral("deploy.step") && o.value(u"step") == QStringLiteral("clone")
                    && o.value(u"status") == QStringLiteral("done"))
                    sawStep = true;
            }
            return states;
        };
        QTRY_COMPARE_WITH_TIMEOUT(collect(), (QStringList{QStringLiteral("queued"), QStringLiteral("cloning"),
                                                          QStringLiteral("building"), QStringLiteral("starting"),
                                                          QStringLiteral("running")}), 10000);
        QVERIFY(sawOutput);
        QVERIFY(sawStep);
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);
        cleanupApp(name);
    }

    void privateHttpRepositoryDeploysWithToken()
    {
        const QString name = QStringLiteral("private-py");
        QJsonObject body = createBody(name, QStringLiteral("python"), m_privateGitBase + QStringLiteral("/python"));
        body.insert(QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(m_privateGitBase + QStringLiteral("/python"))}, {QStringLiteral("token"), m_privateToken}});
        const QJsonObject app = deploy(*m_alice, body);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QVERIFY(!QJsonDocument(app).toJson().contains(m_privateToken.toUtf8()));  // never echoed
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);
        QVERIFY(!m_gasperd->log().contains(m_privateToken));  // never logged
        cleanupApp(name);

        const QString denied = QStringLiteral("private-denied");
        QJsonObject wrong = createBody(denied, QStringLiteral("python"), m_privateGitBase + QStringLiteral("/python"));
        const QJsonObject failed = deploy(*m_alice, wrong);
        QCOMPARE(failed.value(u"state").toString(), QStringLiteral("failed"));
        QVERIFY2(failed.value(u"last_error").toString().contains(u"auth", Qt::CaseInsensitive),
                 qPrintable(failed.value(u"last_error").toString()));
        QCOMPARE(failed.value(u"last_error_code").toString(), QStringLiteral("git-auth-failed"));
        cleanupApp(denied);
    }

    void failingBuildEndsFailedWithItsOutput()
    {
        const QString name = QStringLiteral("broken-build");
        const QJsonObject app = deploy(*m_admin, createBody(name, QStringLiteral("failing-build"), repo(QStringLiteral("failing-build"))));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("failed"));
        const QString error = app.value(u"last_error").toString();
        QVERIFY2(error.contains(u"exited with code 1"), qPrintable(error));
        QCOMPARE(app.value(u"last_error_code").toString(), QStringLiteral("build-failed"));
        QCOMPARE(dockerPs(QStringLiteral("label=gasper.app=") + name), QString());  // nothing left running
        QCOMPARE(viaProxy(*m_gasperd, name).status, 502);
        const QJsonArray deploys = m_admin->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/deploys")).json().value(u"deploys").toArray();
        QCOMPARE(deploys.size(), 1);
        QCOMPARE(deploys.first().toObject().value(u"status").toString(), QStringLiteral("failed"));
        cleanupApp(name);
    }

    void unreachableGitUrlAndWrongBranchFailWithTheReason()
    {
        const QString name = QStringLiteral("no-such-repo");
        QJsonObject missing = createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/does-not-exist"));
        QJsonObject app = deploy(*m_alice, missing);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("failed"));
        QVERIFY2(!app.value(u"last_error").toString().isEmpty(), "no last_error");
        cleanupApp(name);

        const QString branch = QStringLiteral("wrong-branch");
        QJsonObject body = createBody(branch, QStringLiteral("python"), m_gitBase + QStringLiteral("/python"));
        body.insert(QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(m_gitBase + QStringLiteral("/python"))}, {QStringLiteral("branch"), QStringLiteral("nope")}});
        app = deploy(*m_alice, body);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("failed"));
        QVERIFY2(app.value(u"last_error").toString().contains(u"nope"), qPrintable(app.value(u"last_error").toString()));
        QCOMPARE(app.value(u"last_error_code").toString(), QStringLiteral("git-branch-not-found"));
        cleanupApp(branch);

        const QString feature = QStringLiteral("feature-branch");
        body = createBody(feature, QStringLiteral("python"), m_gitBase + QStringLiteral("/python"));
        body.insert(QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(m_gitBase + QStringLiteral("/python"))}, {QStringLiteral("branch"), QStringLiteral("feature")}});
        app = deploy(*m_alice, body);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        cleanupApp(feature);
    }

    void invalidRequestsAreRejectedAndCreateNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QByteArray git = J("'git':{'url':'http://127.0.0.1:1/x.git'}");
        QTest::newRow("not json") << QByteArray("{nope") << 400 << QStringLiteral("invalid-json");
        QTest::newRow("array") << QByteArray("[]") << 400 << QStringLiteral("invalid-body");
        QTest::newRow("empty") << QByteArray("") << 400 << QStringLiteral("invalid-body");
        QTest::newRow("no name") << QByteArray(J("{'language':'python',") + git + J(",'run':'x'}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("uppercase") << QByteArray(J("{'name':'Bad','language':'python',") + git + J(",'run':'x'}")) << 400 << QStringLiteral("invalid-name");
        QTest::newRow("leading digit") << QByteArray(J("{'name':'1app','language':'python',") + git + J(",'run':'x'}")) << 400 << QStringLiteral("invalid-name");
        QTest::newRow("trailing hyphen") << QByteArray(J("{'name':'app-','language':'python',") + git + J(",'run':'x'}")) << 400 << QStringLiteral("invalid-name");
        QTest::newRow("too long") << QByteArray(J("{'name':'") + QByteArray(41, 'a') + J("','language':'python',") + git + J(",'run':'x'}")) << 400 << QStringLiteral("invalid-name");
        QTest::newRow("dot") << QByteArray(J("{'name':'a.b','language':'python',") + git + J(",'run':'x'}")) << 400 << QStringLiteral("invalid-name");
        QTest::newRow("language") << QByteArray(J("{'name':'okname','language':'cobol',") + git + J(",'run':'x'}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("no git") << QByteArray(J("{'name':'okname','language':'python','run':'x'}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("bad url") << QByteArray(J("{'name':'okname','language':'python','git':{'url':'not a url'},'run':'x'}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("run not a string") << QByteArray(J("{'name':'okname','language':'python',") + git + J(",'run':5}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("build not array") << QByteArray(J("{'name':'okname','language':'python',") + git + J(",'run':'x','build':'make'}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("port") << QByteArray(J("{'name':'okname','language':'python',") + git + J(",'run':'x','port':70000}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("memory") << QByteArray(J("{'name':'okname','language':'python',") + git + J(",'run':'x','resources':{'memory_mb':1}}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("env name") << QByteArray(J("{'name':'okname','language':'python',") + git + J(",'run':'x','env':{'A B':'1'}}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("unknown field") << QByteArray(J("{'name':'okname','language':'python',") + git + J(",'run':'x','buld':[]}")) << 400 << QStringLiteral("invalid-body");
        QTest::newRow("local path by non-admin") << QByteArray(J("{'name':'okname','language':'python','git':{'url':'/etc'},'run':'x'}")) << 403 << QStringLiteral("forbidden");
        QTest::newRow("file url by non-admin") << QByteArray(J("{'name':'okname','language':'python','git':{'url':'file:///etc'},'run':'x'}")) << 403 << QStringLiteral("forbidden");
    }
    void invalidRequestsAreRejectedAndCreateNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const int before = m_alice->get(QStringLiteral("/api/v1/apps")).json().value(u"apps").toArray().size();
        const CurlResult r = m_alice->call(QStringLiteral("POST"), QStringLiteral("/api/v1/apps"), body);
        QCOMPARE(r.status, status);
        QCOMPARE(r.errorCode(), code);
        QVERIFY(!r.json().value(u"error").toObject().value(u"message").toString().isEmpty());
        QCOMPARE(m_alice->get(QStringLiteral("/api/v1/apps")).json().value(u"apps").toArray().size(), before);
    }

    void authIsRequiredAndChecked()
    {
        ApiClient anonymous(m_gasperd->api());
        QCOMPARE(anonymous.get(QStringLiteral("/api/v1/apps")).status, 401);
        ApiClient forged(m_gasperd->api(), QStringLiteral("gsp_forged"));
        QCOMPARE(forged.get(QStringLiteral("/api/v1/users/me")).status, 401);
        QCOMPARE(anonymous.post(QStringLiteral("/api/v1/auth/login"), QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")}, {QStringLiteral("password"), QStringLiteral("wrong password")}}).status, 401);
        QCOMPARE(anonymous.post(QStringLiteral("/api/v1/auth/register"), QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")}, {QStringLiteral("email"), QStringLiteral("x@y.z")}, {QStringLiteral("password"), QStringLiteral("long enough pw")}}).status, 409);
        QCOMPARE(anonymous.post(QStringLiteral("/api/v1/auth/register"), QJsonObject{{QStringLiteral("username"), QStringLiteral("bob")}, {QStringLiteral("email"), QStringLiteral("bob@y.z")}, {QStringLiteral("password"), QStringLiteral("short")}}).status, 400);
        // logout revokes the token
        ApiClient carol(m_gasperd->api());
        carol.signIn(QStringLiteral("carol"));
        QCOMPARE(carol.get(QStringLiteral("/api/v1/users/me")).status, 200);
        QCOMPARE(carol.post(QStringLiteral("/api/v1/auth/logout")).status, 204);
        QCOMPARE(carol.get(QStringLiteral("/api/v1/users/me")).status, 401);
        QCOMPARE(anonymous.get(QStringLiteral("/healthz")).status, 200);
        // password guessing is slowed down: after 5 wrong passwords the name is locked a while
        ApiClient eve(m_gasperd->api());
        eve.signIn(QStringLiteral("eve"));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(anonymous.post(QStringLiteral("/api/v1/auth/login"), QJsonObject{{QStringLiteral("username"), QStringLiteral("eve")}, {QStringLiteral("password"), QStringLiteral("guess %1").arg(i)}}).status, 401);
        const CurlResult locked = anonymous.post(QStringLiteral("/api/v1/auth/login"), QJsonObject{{QStringLiteral("username"), QStringLiteral("eve")}, {QStringLiteral("password"), QStringLiteral("correct horse battery")}});
        QCOMPARE(locked.status, 429);
        QCOMPARE(locked.errorCode(), QStringLiteral("too-many-attempts"));
        QVERIFY(locked.headers.toLower().contains("retry-after:"));
        QCOMPARE(eve.get(QStringLiteral("/api/v1/users/me")).status, 200);  // existing sessions keep working
        // the node list is for admins
        QCOMPARE(m_alice->get(QStringLiteral("/api/v1/nodes")).status, 403);
        const CurlResult nodes = m_admin->get(QStringLiteral("/api/v1/nodes"));
        QCOMPARE(nodes.status, 200);
        const QJsonObject node = nodes.json().value(u"nodes").toArray().first().toObject();
        QCOMPARE(node.value(u"status").toString(), QStringLiteral("ready"));
        QVERIFY(node.value(u"cpus").toInt() >= 1);
        QVERIFY(node.value(u"memory_mb").toInteger() > 0);
        const CurlResult metrics = anonymous.get(QStringLiteral("/metrics"));
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("gasper_apps{state=\"running\"}"));
    }

    void duplicateNamesAndOtherUsersAppsAreRefused()
    {
        const QString name = QStringLiteral("owned-by-alice");
        const QJsonObject app = deploy(*m_alice, createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python")));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps"), createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python"))).status, 409);
        ApiClient dave(m_gasperd->api());
        dave.signIn(QStringLiteral("dave"));
        const CurlResult taken = dave.post(QStringLiteral("/api/v1/apps"), createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python")));
        QCOMPARE(taken.status, 409);
        QCOMPARE(taken.errorCode(), QStringLiteral("name-taken"));
        for (const auto &[method, path] : {std::pair{QStringLiteral("GET"), QStringLiteral("")}, std::pair{QStringLiteral("GET"), QStringLiteral("/logs")},
                                          std::pair{QStringLiteral("GET"), QStringLiteral("/deploys")}, std::pair{QStringLiteral("POST"), QStringLiteral("/restart")},
                                          std::pair{QStringLiteral("DELETE"), QStringLiteral("")}}) {
            const CurlResult r = dave.call(method, QStringLiteral("/api/v1/apps/") + name + path, method == u"POST" ? QByteArray("") : QByteArray());
            QCOMPARE(r.status, 404);
        }
        QVERIFY(dave.get(QStringLiteral("/api/v1/apps")).json().value(u"apps").toArray().isEmpty());
        QCOMPARE(m_admin->get(QStringLiteral("/api/v1/apps/") + name).status, 200);  // admins see all
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);                  // untouched
        cleanupApp(name);
    }

    void lifecycleRestartStopStartLogsAndDeploys()
    {
        const QString name = QStringLiteral("lifecycle");
        QJsonObject app = deploy(*m_alice, createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python")));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);  // produces a log line

        const CurlResult logs = m_alice->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/logs?tail=50"));
        QCOMPARE(logs.status, 200);
        QVERIFY2(logs.body.contains("GET /"), logs.body.constData());

        // follow: a line logged after the request started arrives on the open stream
        QProcess follow;
        follow.start(QStringLiteral("curl"), {QStringLiteral("-sN"), QStringLiteral("-H"), QStringLiteral("Authorization: Bearer ") + m_alice->token(),
                                  m_gasperd->api() + QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/logs?tail=0&follow=1")});
        QVERIFY(follow.waitForStarted());
        QTest::qWait(500);
        QCOMPARE(viaProxy(*m_gasperd, name, QStringLiteral("/followed-path")).status, 200);
        QByteArray followed;
        QTRY_VERIFY_WITH_TIMEOUT((followed += follow.readAllStandardOutput()).contains("/followed-path"), 10000);
        follow.kill();
        follow.waitForFinished();

        // sampled metrics (gasperd samples every second in this suite), from the store
        QJsonObject series;
        const QString metricsPath = QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/metrics?since=2m&step=1");
        const auto lastValue = [&series](const char *key) {
            const QJsonArray values = series.value(u"series").toObject().value(QLatin1StringView(key)).toArray();
            for (qsizetype i = values.size() - 1; i >= 0; --i)
                if (!values[i].isNull())
                    return values[i];
            return QJsonValue();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!(series = m_alice->get(metricsPath).json(), lastValue("memory_bytes")).isNull(), 15000);
        QCOMPARE(qint64(lastValue("memory_limit_bytes").toDouble()), 512LL * 1024 * 1024);
        QVERIFY(lastValue("memory_bytes").toDouble() > 0);
        QVERIFY(!lastValue("cpu_percent").isNull());
        QCOMPARE(lastValue("up").toDouble(), 1.0);
        QCOMPARE(series.value(u"step_s").toInt(), 1);
        QCOMPARE(m_alice->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/metrics?since=yesterday")).status, 400);

        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/stop")).status, 202);
        app = m_alice->waitForState(name, {QStringLiteral("stopped")}, 30000);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("stopped"));
        QCOMPARE(viaProxy(*m_gasperd, name).status, 503);

        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/start")).status, 202);
        app = m_alice->waitForState(name, {QStringLiteral("running")}, 30000);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);

        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/restart")).status, 202);
        QTest::qWait(200);
        app = m_alice->waitForState(name, {QStringLiteral("running")}, 30000);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QTRY_COMPARE_WITH_TIMEOUT(viaProxy(*m_gasperd, name).status, 200, 10000);

        const QJsonArray deploys = m_alice->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/deploys")).json().value(u"deploys").toArray();
        QCOMPARE(deploys.size(), 1);
        const QJsonObject d = deploys.first().toObject();
        QCOMPARE(d.value(u"status").toString(), QStringLiteral("succeeded"));
        QStringList steps;
        for (const QJsonValue &s : d.value(u"steps").toArray())
            steps << s.toObject().value(u"name").toString();
        for (const QString &step : {QStringLiteral("clone"), QStringLiteral("create"), QStringLiteral("start"), QStringLiteral("build"), QStringLiteral("health")})
            QVERIFY2(steps.contains(step), qPrintable(steps.join(u',')));
        QVERIFY(d.value(u"total_ms").toInteger() > 0);
        QCOMPARE(d.value(u"commit").toString().size(), 40);
        cleanupApp(name);
    }

    void containerKilledFromOutsideIsRestarted()
    {
        const QString name = QStringLiteral("kill-me");
        QJsonObject app = deploy(*m_alice, createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python")));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        const QString id = dockerPs(QStringLiteral("label=gasper.app=") + name);
        QVERIFY(!id.isEmpty());
        run(QStringLiteral("docker"), {QStringLiteral("kill"), id});
        QStringList seen;
        app = m_alice->waitForState(name, {QStringLiteral("restarting")}, 10000, &seen);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("restarting"));
        app = m_alice->waitForState(name, {QStringLiteral("running")}, 30000, &seen);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QVERIFY(app.value(u"restarts").toInt() >= 1);
        QTRY_COMPARE_WITH_TIMEOUT(viaProxy(*m_gasperd, name).status, 200, 10000);
        cleanupApp(name);
    }

    void rebuildKeepsServingUntilNewContainerIsHealthy()
    {
        const QString name = QStringLiteral("zero-downtime");
        QJsonObject app = deploy(*m_alice, createBody(name, QStringLiteral("slow-start"), m_gitBase + QStringLiteral("/slow-start")));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        // A client hammering the app through the proxy during the whole rebuild.
        QTemporaryDir tmp;
        const QString stopFile = tmp.path() + QStringLiteral("/stop");
        QProcess load;
        load.start(QStringLiteral("bash"), {QStringLiteral("-c"), QStringLiteral("ok=0; bad=0; while [ ! -e %1 ]; do "
                                                         "c=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: %2.localhost' %3/); "
                                                         "if [ \"$c\" = 200 ]; then ok=$((ok+1)); else bad=$((bad+1)); echo \"bad $c\"; fi; "
                                                         "done; echo \"ok=$ok bad=$bad\"")
                                              .arg(stopFile, name, m_gasperd->proxy())});
        QVERIFY(load.waitForStarted());
        QTest::qWait(300);
        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/rebuild")).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/deploys")).json().value(u"deploys")
                                      .toArray().first().toObject().value(u"status").toString(),
                                  QStringLiteral("succeeded"), 60000);
        QTest::qWait(2500);  // past the old container's retirement
        QFile(stopFile).open(QIODevice::WriteOnly);
        QVERIFY(load.waitForFinished(20000));
        const QString out = QString::fromUtf8(load.readAllStandardOutput());
        QVERIFY2(out.contains(u" bad=0"), qPrintable(out));
        QVERIFY2(!out.contains(u"ok=0 "), qPrintable(out));
        QCOMPARE(dockerPs(QStringLiteral("label=gasper.app=") + name).split(u'\n', Qt::SkipEmptyParts).size(), 1);
        cleanupApp(name);
    }

    void patchChangesTheAppAndRedeploys()
    {
        const QString name = QStringLiteral("patched");
        QJsonObject app = deploy(*m_alice, createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python")));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        const CurlResult patched = m_alice->patch(QStringLiteral("/api/v1/apps/") + name,
                                                  QJsonObject{{QStringLiteral("env"), QJsonObject{{QStringLiteral("GREETING"), QStringLiteral("patched")}}}});
        QCOMPARE(patched.status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/deploys")).json().value(u"deploys")
                                      .toArray().first().toObject().value(u"status").toString(),
                                  QStringLiteral("succeeded"), 60000);
        app = m_alice->get(QStringLiteral("/api/v1/apps/") + name).json();
        QCOMPARE(app.value(u"env").toObject().value(u"GREETING").toString(), QStringLiteral("patched"));
        QCOMPARE(m_alice->patch(QStringLiteral("/api/v1/apps/") + name, QJsonObject{{QStringLiteral("name"), QStringLiteral("other")}}).status, 400);
        cleanupApp(name);
    }

    void deleteLeavesNoContainerRouteOrSource()
    {
        const QString name = QStringLiteral("to-delete");
        const QJsonObject app = deploy(*m_alice, createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python")));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QVERIFY(QDir(m_gasperd->dataDir() + QStringLiteral("/sources/") + name).exists());
        QCOMPARE(m_alice->del(QStringLiteral("/api/v1/apps/") + name).status, 204);
        QCOMPARE(m_alice->get(QStringLiteral("/api/v1/apps/") + name).status, 404);
        QCOMPARE(dockerPs(QStringLiteral("label=gasper.app=") + name), QString());
        QCOMPARE(viaProxy(*m_gasperd, name).status, 404);
        QVERIFY(!QDir(m_gasperd->dataDir() + QStringLiteral("/sources/") + name).exists());
        // the name is free again
        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps"), createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python"))).status, 202);
        m_alice->waitForState(name, {QStringLiteral("running"), QStringLiteral("failed")});
        cleanupApp(name);
    }

    void gasperdRestartKeepsAppsServingAndListed()
    {
        const QString name = QStringLiteral("survivor");
        QJsonObject app = deploy(*m_alice, createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python")));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        const QString id = dockerPs(QStringLiteral("label=gasper.app=") + name);
        m_gasperd->stop();
        // The container keeps running without gasperd.
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.State.Running}}"), id}), QStringLiteral("true"));
        auto restarted = m_gasperd->start();
        QVERIFY2(restarted, qPrintable(errorText(restarted)));
        app = m_alice->get(QStringLiteral("/api/v1/apps/") + name).json();
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);
        QTest::qWait(1000);
        QCOMPARE(dockerPs(QStringLiteral("label=gasper.app=") + name), id);  // adopted, not replaced
        cleanupApp(name);
    }

    void gasperdKilledMidDeployRecoversTheApp()
    {
        const QString name = QStringLiteral("crash-mid-build");
        QJsonObject body = createBody(name, QStringLiteral("python"), m_gitBase + QStringLiteral("/python"));
        body.insert(QStringLiteral("build"), QJsonArray{QStringLiteral("sleep 3")});
        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps"), body).status, 202);
        QJsonObject app = m_alice->waitForState(name, {QStringLiteral("building")}, 30000);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("building"));
        m_gasperd->crash();  // SIGKILL in the middle of the build
        auto restarted = m_gasperd->start();
        QVERIFY2(restarted, qPrintable(errorText(restarted)));
        // Nothing the user stored is lost, and the deploy cut short is done again.
        app = m_alice->waitForState(name, {QStringLiteral("running"), QStringLiteral("failed")}, 60000);
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);
        const QJsonArray deploys = m_alice->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/deploys")).json()
                                       .value(u"deploys").toArray();
        QCOMPARE(deploys.size(), 2);
        QCOMPARE(deploys.at(0).toObject().value(u"trigger").toString(), QStringLiteral("recovery"));
        QCOMPARE(deploys.at(0).toObject().value(u"status").toString(), QStringLiteral("succeeded"));
        QCOMPARE(deploys.at(1).toObject().value(u"status").toString(), QStringLiteral("failed"));
        QVERIFY(deploys.at(1).toObject().value(u"error").toString().contains(u"interrupted"));
        // The half-built container of the killed deploy is gone: one container serves.
        QTRY_COMPARE_WITH_TIMEOUT(dockerPs(QStringLiteral("label=gasper.app=") + name).split(u'\n', Qt::SkipEmptyParts).size(), 1, 10000);
        cleanupApp(name);
    }

    void gasperctlDrivesTheApi()
    {
        const QString ctl = QStringLiteral(GASPER_BINARY_DIR "/bin/gasperctl");
        if (!QFile::exists(ctl))
            QFAIL("gasperctl was not built");
        QTemporaryDir home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
        env.insert(QStringLiteral("GASPER_API"), m_gasperd->api());
        auto ctlRun = [&](const QStringList &args, const QByteArray &input = {}) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(ctl, args);
            p.write(input);
            p.closeWriteChannel();
            p.waitForFinished(120000);
            return std::pair{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())};
        };
        auto [code, out] = ctlRun({QStringLiteral("login"), QStringLiteral("alice"), QStringLiteral("--password-stdin")}, "correct horse battery\n");
        QVERIFY2(code == 0, qPrintable(out));
        QFile credentials(home.path() + QStringLiteral("/gasper/credentials.json"));
        QVERIFY(credentials.exists());
        QCOMPARE(credentials.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFileDevice::Permissions());
        std::tie(code, out) = ctlRun({QStringLiteral("create"), QStringLiteral("from-ctl"), QStringLiteral("--language"), QStringLiteral("python"), QStringLiteral("--git"),
                                      m_gitBase + QStringLiteral("/python"), QStringLiteral("--run"), QStringLiteral("python3 app.py"), QStringLiteral("--wait")});
        QVERIFY2(code == 0, qPrintable(out));
        QCOMPARE(viaProxy(*m_gasperd, QStringLiteral("from-ctl")).status, 200);
        std::tie(code, out) = ctlRun({QStringLiteral("apps")});
        QVERIFY2(code == 0 && out.contains(u"from-ctl") && out.contains(u"running"), qPrintable(out));
        std::tie(code, out) = ctlRun({QStringLiteral("deploys"), QStringLiteral("from-ctl")});
        QVERIFY2(code == 0 && out.contains(u"succeeded"), qPrintable(out));
        std::tie(code, out) = ctlRun({QStringLiteral("get"), QStringLiteral("from-ctl"), QStringLiteral("--json")});
        const QJsonObject shown = QJsonDocument::fromJson(out.toUtf8()).object();
        QVERIFY2(code == 0 && shown.value(u"owner").toString() == u"alice" && shown.value(u"state").toString() == u"running",
                 qPrintable(out));

        // logs prints what the app wrote: the request line of the request made above.
        const auto logsShowRequest = [&] {
            return ctlRun({QStringLiteral("logs"), QStringLiteral("from-ctl"), QStringLiteral("--tail"), QStringLiteral("all")})
                .second.contains(u"\"GET / HTTP/1.1\" 200");
        };
        QTRY_VERIFY_WITH_TIMEOUT(logsShowRequest(), 10000);

        // metrics: the stored samples as a summary with a sparkline, or as they came.
        const auto metricsShowMemory = [&] {
            const auto [status, text] = ctlRun({QStringLiteral("metrics"), QStringLiteral("from-ctl"), QStringLiteral("--since"),
                                                QStringLiteral("5m")});
            return status == 0 && text.contains(u"from-ctl on ") && text.contains(u"MiB") && !text.contains(u"no samples");
        };
        QTRY_VERIFY_WITH_TIMEOUT(metricsShowMemory(), 15000);
        std::tie(code, out) = ctlRun({QStringLiteral("metrics"), QStringLiteral("from-ctl"), QStringLiteral("--step"),
                                      QStringLiteral("1m"), QStringLiteral("--json")});
        QVERIFY2(code == 0 && QJsonDocument::fromJson(out.toUtf8()).object().value(u"step_s").toInt() == 60, qPrintable(out));
        std::tie(code, out) = ctlRun({QStringLiteral("metrics"), QStringLiteral("from-ctl"), QStringLiteral("--since"),
                                      QStringLiteral("yesterday")});
        QVERIFY2(code == 1 && out.contains(u"since"), qPrintable(out));

        // update --wait returns only once the new container serves the new env (the PATCH
        // moves updated_at at once; the wait must not take that for the end of the deploy).
        std::tie(code, out) = ctlRun({QStringLiteral("update"), QStringLiteral("from-ctl"), QStringLiteral("--env"),
                                      QStringLiteral("MESSAGE=set-by-ctl"), QStringLiteral("--wait")});
        QVERIFY2(code == 0, qPrintable(out));
        const CurlResult updated = viaProxy(*m_gasperd, QStringLiteral("from-ctl"));
        QVERIFY2(updated.status == 200 && updated.body.contains("set-by-ctl"), updated.body.constData());
        std::tie(code, out) = ctlRun({QStringLiteral("get"), QStringLiteral("from-ctl")});
        QVERIFY2(code == 0 && out.contains(u"MESSAGE=set-by-ctl"), qPrintable(out));

        // stop takes the app off the proxy (503); start --wait brings it back.
        std::tie(code, out) = ctlRun({QStringLiteral("stop"), QStringLiteral("from-ctl")});
        QVERIFY2(code == 0, qPrintable(out));
        QTRY_COMPARE_WITH_TIMEOUT(viaProxy(*m_gasperd, QStringLiteral("from-ctl")).status, 503, 15000);
        std::tie(code, out) = ctlRun({QStringLiteral("start"), QStringLiteral("from-ctl"), QStringLiteral("--wait")});
        QVERIFY2(code == 0, qPrintable(out));
        QCOMPARE(viaProxy(*m_gasperd, QStringLiteral("from-ctl")).status, 200);

        std::tie(code, out) = ctlRun({QStringLiteral("get"), QStringLiteral("nope-nope")});
        QVERIFY2(code == 1 && out.contains(u"not-found"), qPrintable(out));
        std::tie(code, out) = ctlRun({QStringLiteral("delete"), QStringLiteral("from-ctl")});
        QVERIFY2(code == 0, qPrintable(out));
        QCOMPARE(viaProxy(*m_gasperd, QStringLiteral("from-ctl")).status, 404);

        // logout revokes and forgets the token: the next call is not logged in (exit 1).
        std::tie(code, out) = ctlRun({QStringLiteral("logout")});
        QVERIFY2(code == 0, qPrintable(out));
        QVERIFY(!credentials.exists());
        std::tie(code, out) = ctlRun({QStringLiteral("whoami")});
        QVERIFY2(code == 1 && out.contains(u"not logged in"), qPrintable(out));
    }
};

QTEST_MAIN(tst_Deploy)
#include "tst_deploy.moc"
