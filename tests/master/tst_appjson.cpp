// SPDX-License-Identifier: MIT
// Validation of app bodies and the error mapping: everything a user can get wrong
// is answered before anything is created.

#include "master/ApiSupport.h"
#include "master/AppJson.h"
#include "master/LoginThrottle.h"
#include "store/Store.h"

#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>


// JSON written with single quotes (moc 6.4 cannot parse raw string literals).
static QByteArray J(const char *text)
{
    QByteArray json(text);
    json.replace('\'', '"');
    return json;
}

using namespace gasper;
using namespace gasper::master;

class tst_AppJson : public QObject
{
    Q_OBJECT

private:
    static QJsonObject body(const QByteArray &json) { return QJsonDocument::fromJson(json).object(); }

private slots:
    void createBodies_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("admin");
        QTest::addColumn<QString>("code");  // empty: accepted
        const QByteArray git = J("'git':{'url':'https://example.test/a.git'}");
        QTest::newRow("minimal") << QByteArray(J("{'name':'web','language':'python',") + git + J(",'run':'python3 app.py'}")) << false << QString();
        QTest::newRow("static needs no run") << QByteArray(J("{'name':'site','language':'static',") + git + "}") << false << QString();
        QTest::newRow("full") << QByteArray(J("{'name':'web-2','language':'node','git':{'url':'https://example.test/a.git','branch':'release/1.0','token':'t'},'build':['npm ci'],'run':'node s.js','port':3000,'env':{'A':'1','B_2':'x'},'resources':{'memory_mb':256,'cpus':0.5}}")) << false << QString();
        QTest::newRow("ssh scp-like") << QByteArray(J("{'name':'web','language':'go','git':{'url':'git@example.test:me/a.git'},'run':'./a'}")) << false << QString();
        QTest::newRow("local path admin") << QByteArray(J("{'name':'web','language':'python','git':{'url':'/srv/repo'},'run':'x'}")) << true << QString();
        QTest::newRow("local path user") << QByteArray(J("{'name':'web','language':'python','git':{'url':'/srv/repo'},'run':'x'}")) << false << QStringLiteral("forbidden");
        QTest::newRow("file url user") << QByteArray(J("{'name':'web','language':'python','git':{'url':'file:///srv/repo'},'run':'x'}")) << false << QStringLiteral("forbidden");
        QTest::newRow("bad name") << QByteArray(J("{'name':'Web','language':'python',") + git + J(",'run':'x'}")) << false << QStringLiteral("invalid-name");
        QTest::newRow("name not string") << QByteArray(J("{'name':5,'language':'python',") + git + J(",'run':'x'}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("branch with space") << QByteArray(J("{'name':'web','language':'python','git':{'url':'https://e.test/a.git','branch':'a b'},'run':'x'}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("branch dotdot") << QByteArray(J("{'name':'web','language':'python','git':{'url':'https://e.test/a.git','branch':'a..b'},'run':'x'}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("git unknown key") << QByteArray(J("{'name':'web','language':'python','git':{'url':'https://e.test/a.git','ref':'x'},'run':'x'}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("empty build command") << QByteArray(J("{'name':'web','language':'python',") + git + J(",'run':'x','build':['']}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("env PORT") << QByteArray(J("{'name':'web','language':'python',") + git + J(",'run':'x','env':{'PORT':'1'}}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("env object value") << QByteArray(J("{'name':'web','language':'python',") + git + J(",'run':'x','env':{'A':{}}}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("cpus too many") << QByteArray(J("{'name':'web','language':'python',") + git + J(",'run':'x','resources':{'cpus':64}}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("memory fraction") << QByteArray(J("{'name':'web','language':'python',") + git + J(",'run':'x','resources':{'memory_mb':100.5}}")) << false << QStringLiteral("invalid-body");
        QTest::newRow("port zero") << QByteArray(J("{'name':'web','language':'python',") + git + J(",'run':'x','port':0}")) << false << QStringLiteral("invalid-body");
    }
    void createBodies()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, admin);
        QFETCH(QString, code);
        Config config;
        config.applyDefaults();
        const auto spec = parseCreateApp(body(json), config, admin);
        if (code.isEmpty()) {
            QVERIFY2(spec, spec ? "" : qPrintable(spec.error().message));
            QCOMPARE(spec->port > 0, true);
        } else {
            QVERIFY(!spec);
            QCOMPARE(spec.error().code, code);
            QVERIFY(!spec.error().message.isEmpty());
        }
    }

    void patchReplacesOnlyWhatIsSent()
    {
        Config config;
        config.applyDefaults();
        auto spec = parseCreateApp(body(J("{'name':'web','language':'python','git':{'url':'https://e.test/a.git','token':'t'},'run':'python3 a.py','env':{'A':'1'}}")), config, false);
        QVERIFY(spec);
        auto patched = applyAppPatch(*spec, body(J("{'run':'python3 b.py'}")), config, false);
        QVERIFY(patched);
        QCOMPARE(patched->run, QStringLiteral("python3 b.py"));
        QCOMPARE(patched->env.value(QStringLiteral("A")), QStringLiteral("1"));
        QCOMPARE(patched->git.token, QStringLiteral("t"));
        auto branch = applyAppPatch(*spec, body(J("{'git':{'branch':'dev'}}")), config, false);
        QVERIFY(branch);
        QCOMPARE(branch->git.url, spec->git.url);
        QCOMPARE(branch->git.branch, QStringLiteral("dev"));
        QCOMPARE(applyAppPatch(*spec, body(J("{'name':'x'}")), config, false).error().code, QStringLiteral("invalid-body"));
        QCOMPARE(applyAppPatch(*spec, body("{}"), config, false).error().code, QStringLiteral("invalid-body"));
        QCOMPARE(applyAppPatch(*spec, body(J("{'git':{'url':'/etc'}}")), config, false).error().code, QStringLiteral("forbidden"));
    }

    void secretEnvIsWriteOnlyAndMergesLikePlainEnv()
    {
        Config config;
        config.applyDefaults();
        auto spec = parseCreateApp(body(J("{'name':'web','language':'python','git':{'url':'https://e.test/a.git'},'run':'x',"
                                          "'env':{'A':'1','PW':{'value':'hunter2-pw','secret':true},'N':{'value':5}}}")), config, false);
        QVERIFY2(spec, qPrintable(spec ? QString() : spec.error().message));
        QCOMPARE(spec->env.value(QStringLiteral("PW")), QStringLiteral("hunter2-pw"));
        QCOMPARE(spec->env.value(QStringLiteral("N")), QStringLiteral("5"));
        QCOMPARE(spec->secretEnv, QSet<QString>{QStringLiteral("PW")});

        // shown to the owner: plain values, and that the secret is set; never its value
        store::AppRecord record;
        record.spec = *spec;
        const QJsonObject view = appToJson(record, config);
        const QJsonObject env = view.value(u"env").toObject();
        QCOMPARE(env.value(u"A").toString(), QStringLiteral("1"));
        QCOMPARE(env.value(u"PW").toObject(), (QJsonObject{{QStringLiteral("secret"), true}}));
        QVERIFY(!QJsonDocument(view).toJson().contains("hunter2-pw"));

        // the env of GET sent back unchanged changes nothing
        auto same = applyAppPatch(*spec, QJsonObject{{QStringLiteral("env"), env}}, config, false);
        QVERIFY(same);
        QCOMPARE(same->env, spec->env);
        QCOMPARE(same->secretEnv, spec->secretEnv);
        // removing another variable keeps the secret
        auto other = applyAppPatch(*spec, body(J("{'env':{'A':null}}")), config, false);
        QVERIFY(other);
        QVERIFY(!other->env.contains(QStringLiteral("A")));
        QCOMPARE(other->env.value(QStringLiteral("PW")), QStringLiteral("hunter2-pw"));
        QVERIFY(other->secretEnv.contains(QStringLiteral("PW")));
        // null removes a secret as it removes any variable
        auto removed = applyAppPatch(*spec, body(J("{'env':{'PW':null}}")), config, false);
        QVERIFY(removed);
        QVERIFY(!removed->env.contains(QStringLiteral("PW")));
        QVERIFY(removed->secretEnv.isEmpty());
        // a plain variable made secret keeps its value; a new value makes a secret plain again
        auto hidden = applyAppPatch(*spec, body(J("{'env':{'A':{'secret':true}}}")), config, false);
        QVERIFY(hidden);
        QCOMPARE(hidden->env.value(QStringLiteral("A")), QStringLiteral("1"));
        QVERIFY(hidden->secretEnv.contains(QStringLiteral("A")));
        auto shown = applyAppPatch(*spec, body(J("{'env':{'PW':'now-plain'}}")), config, false);
        QVERIFY(shown);
        QVERIFY(!shown->secretEnv.contains(QStringLiteral("PW")));
        // "env": null clears both
        auto cleared = applyAppPatch(*spec, body(J("{'env':null}")), config, false);
        QVERIFY(cleared);
        QVERIFY(cleared->env.isEmpty() && cleared->secretEnv.isEmpty());
        // what cannot be meant
        for (const char *bad : {"{'env':{'NEW':{'secret':true}}}", "{'env':{'PW':{'value':'x','secret':'yes'}}}",
                                "{'env':{'PW':{'value':'x','hidden':true}}}", "{'env':{'PW':{'value':['x']}}}"}) {
            const auto r = applyAppPatch(*spec, body(J(bad)), config, false);
            QVERIFY2(!r, bad);
            QCOMPARE(r.error().code, QStringLiteral("invalid-body"));
            QVERIFY2(!r.error().message.contains(u"hunter2"), qPrintable(r.error().message));
        }
    }

    void passwordInGitUrlBecomesTheSealedToken()
    {
        Config config;
        config.applyDefaults();
        auto spec = parseCreateApp(body(J("{'name':'web','language':'python','git':{'url':'https://me:s3cr%40t@git.example.test/a.git'},'run':'x'}")), config, false);
        QVERIFY(spec);
        QCOMPARE(spec->git.url, QStringLiteral("https://me@git.example.test/a.git"));
        QCOMPARE(spec->git.token, QStringLiteral("s3cr@t"));
        // an explicit token wins over the URL's password
        spec = parseCreateApp(body(J("{'name':'web','language':'python','git':{'url':'https://me:old@git.example.test/a.git','token':'new'},'run':'x'}")), config, false);
        QVERIFY(spec);
        QCOMPARE(spec->git.token, QStringLiteral("new"));
        QVERIFY(!spec->git.url.contains(u"old"));
    }

    void loginThrottleLocksANameAfterRepeatedFailures()
    {
        LoginThrottle throttle(3, 300, 60);
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC);
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), t0), 0);
        throttle.failed(QStringLiteral("alice"), t0);
        throttle.failed(QStringLiteral("Alice"), t0.addSecs(1));  // names compare case-insensitively
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), t0.addSecs(2)), 0);
        throttle.failed(QStringLiteral("alice"), t0.addSecs(2));
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), t0.addSecs(2)), 60);
        QCOMPARE(throttle.retryAfter(QStringLiteral("bob"), t0.addSecs(2)), 0);  // others unaffected
        QCOMPARE(throttle.retryAfter(QStringLiteral("alice"), t0.addSecs(62)), 0);  // the lock ends
        // failures spread wider than the window never lock
        throttle.failed(QStringLiteral("carol"), t0);
        throttle.failed(QStringLiteral("carol"), t0.addSecs(400));
        throttle.failed(QStringLiteral("carol"), t0.addSecs(401));
        QCOMPARE(throttle.retryAfter(QStringLiteral("carol"), t0.addSecs(402)), 0);
        // a success starts over
        throttle.failed(QStringLiteral("dave"), t0);
        throttle.failed(QStringLiteral("dave"), t0);
        throttle.succeeded(QStringLiteral("dave"));
        throttle.failed(QStringLiteral("dave"), t0);
        QCOMPARE(throttle.retryAfter(QStringLiteral("dave"), t0), 0);
    }

    void bodiesThatAreNotObjectsAreRejected_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("invalid-body");
        QTest::newRow("garbage") << QByteArray("{x") << QStringLiteral("invalid-json");
        QTest::newRow("array") << QByteArray("[1]") << QStringLiteral("invalid-body");
    }
    void bodiesThatAreNotObjectsAreRejected()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        const auto parsed = parseJsonObject(raw);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, code);
    }
};

QTEST_APPLESS_MAIN(tst_AppJson)
#include "tst_appjson.moc"
