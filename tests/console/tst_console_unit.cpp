// SPDX-License-Identifier: MIT
// The console's pure parts: which field an API error is about, the create form's request
// body, the live apps list under events, filter and sort, the env editor's merge patch,
// line splitting of streamed output and the metrics series.
#include "AppFilterModel.h"
#include "AppListModel.h"
#include "ApiClient.h"
#include "EnvModel.h"
#include "FieldErrors.h"
#include "LineModel.h"
#include "LogStream.h"
#include "MasterList.h"
#include "MetricsSeries.h"
#include "Session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace gasper;
using namespace gasper::console;
using namespace Qt::StringLiterals;

namespace {
QJsonObject app(const QString &name, const QString &state, const QString &updated = QStringLiteral("2026-11-27T09:30:00.000Z"))
{
    return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("state"), state},
                       {QStringLiteral("language"), QStringLiteral("python")}, {QStringLiteral("updated_at"), updated}};
}
QJsonObject appEvent(const QString &type, const QString &name, const QString &state = {})
{
    QJsonObject e{{QStringLiteral("type"), type}, {QStringLiteral("app"), name}, {QStringLiteral("at"), QStringLiteral("2026-11-27T10:00:00.000Z")}};
    if (!state.isEmpty())
        e.insert(QStringLiteral("state"), state);
    return e;
}
} // namespace

class ConsoleUnitTest : public QObject
{
    Q_OBJECT

private slots:
    void logStreamAsksTheMasterToFilter()
    {
        ApiClient api;
        LogStream logs(&api, QStringLiteral("web"));
        QCOMPARE(logs.path(), QStringLiteral("/api/v1/apps/web/logs?tail=200&follow=1"));
        QSignalSpy changed(&logs, &LogStream::queryChanged);
        logs.setSearch(QStringLiteral("GET /a&b"));
        logs.setRegex(true);
        logs.setSince(QStringLiteral("10m"));
        logs.setTimestamps(true);
        QCOMPARE(changed.count(), 4);
        QCOMPARE(logs.path(), QStringLiteral("/api/v1/apps/web/logs?tail=200&follow=1&grep=GET%20%2Fa%26b&regex=1&since=10m&timestamps=1"));
        // A past deploy's log is kept, not followed; a download is the whole of it.
        logs.setDeploy(3);
        QCOMPARE(logs.path(), QStringLiteral("/api/v1/apps/web/logs?tail=200&grep=GET%20%2Fa%26b&regex=1&since=10m&timestamps=1&deploy=3"));
        QCOMPARE(logs.path(true), QStringLiteral("/api/v1/apps/web/logs?tail=all&download=1&grep=GET%20%2Fa%26b&regex=1&since=10m&timestamps=1&deploy=3"));
        logs.setDeploy(3);
        QCOMPARE(changed.count(), 5);  // unchanged: no restart
        QVERIFY(!logs.active());       // never started: a change does not start it
    }
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void apiErrorsMapToTheirFormField_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("field");
        // The messages are gasperd's own (backend/master/AppJson.cpp, Kaze.cpp).
        QTest::newRow("bad name") << "invalid-name" << "the name must be a DNS label" << "name";
        QTest::newRow("taken name") << "name-taken" << "the name 'hello' is taken" << "name";
        QTest::newRow("file url by non-admin") << "forbidden" << "local paths and file:// URLs read the server's own disk" << "git.url";
        QTest::newRow("git url") << "invalid-body" << "git.url is not a git URL (http(s)://, …)" << "git.url";
        QTest::newRow("git missing") << "invalid-body" << "git is required: {url, branch?, token?}" << "git.url";
        QTest::newRow("branch") << "invalid-body" << "git.branch must be a valid branch name" << "git.branch";
        QTest::newRow("language") << "invalid-body" << "language must be one of python, node" << "language";
        QTest::newRow("run") << "invalid-body" << "run must be a command string" << "run";
        QTest::newRow("health path") << "invalid-body" << "health.path must be a URL path starting with /" << "health.path";
        QTest::newRow("health status") << "invalid-body" << "health.status must be an HTTP status from 100 to 599" << "health.status";
        QTest::newRow("health") << "invalid-body" << "health must be an object {path?, status?, timeout?}" << "health";
        QTest::newRow("port") << "invalid-body" << "port must be a whole number from 1 to 65535" << "port";
        QTest::newRow("memory") << "invalid-body" << "resources.memory_mb must be a whole number from 16 to 4096" << "resources.memory_mb";
        QTest::newRow("cpus") << "invalid-body" << "resources.cpus must be a number from 0.01 to 2" << "resources.cpus";
        QTest::newRow("build command") << "invalid-body" << "each build command must be a non-empty string" << "build";
        QTest::newRow("env") << "invalid-body" << "env may hold at most 200 variables" << "env";
        QTest::newRow("unknown field") << "invalid-body" << "'buld' is not a known field" << "buld";
        QTest::newRow("username taken") << "username-taken" << "taken" << "username";
        QTest::newRow("wrong password") << "invalid-credentials" << "wrong username or password" << "password";
        QTest::newRow("whole form") << "quota-exceeded" << "you have 10 apps" << "";
        QTest::newRow("unreachable") << "unreachable" << "Connection refused" << "";
    }
    void apiErrorsMapToTheirFormField()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(QString, field);
        QCOMPARE(fieldForError(Error{code, message}), field);
    }

    void anExplicitFieldFromTheApiWins()
    {
        QCOMPARE(fieldForError(Error{QStringLiteral("invalid-body"), QStringLiteral("whatever")}, QStringLiteral("env.FOO")),
                 QStringLiteral("env.FOO"));
    }

    void errorAnswersBecomeErrors()
    {
        const ApiResult apiError = ApiClient::resultOf(409, "{\"error\":{\"code\":\"name-taken\",\"message\":\"taken\"}}", true, {});
        QVERIFY(!apiError.ok());
        QCOMPARE(apiError.errorCode(), QStringLiteral("name-taken"));
        const ApiResult html = ApiClient::resultOf(502, "<html>bad gateway</html>", true, {});
        QCOMPARE(html.errorCode(), QStringLiteral("http-502"));
        const ApiResult none = ApiClient::resultOf(0, {}, true, QStringLiteral("Connection refused"));
        QCOMPARE(none.errorCode(), QStringLiteral("unreachable"));
        const ApiResult ok = ApiClient::resultOf(202, "{\"name\":\"x\"}", false, {});
        QVERIFY(ok.ok());
        QCOMPARE(ok.json.toObject().value(u"name").toString(), QStringLiteral("x"));
    }

    void createFormBecomesTheApiBody()
    {
        const QVariantMap form{{QStringLiteral("name"), QStringLiteral(" hello ")},
                               {QStringLiteral("language"), QStringLiteral("python")},
                               {QStringLiteral("gitUrl"), QStringLiteral("file:///srv/repo")},
                               {QStringLiteral("gitBranch"), QString()},
                               {QStringLiteral("build"), QStringLiteral("pip install -r requirements.txt\n\n  make  \n")},
                               {QStringLiteral("run"), QStringLiteral("python3 app.py")},
                               {QStringLiteral("port"), QStringLiteral("9000")},
                               {QStringLiteral("memoryMb"), QStringLiteral("128")},
                               {QStringLiteral("cpus"), QString()},
                               {QStringLiteral("env"), QStringLiteral("MESSAGE=hi=there\nEMPTY=\n")}};
        const QJsonObject body = Session::createBody(form);
        const QJsonObject expected = QJsonDocument::fromJson("{ \"name\": \"hello\", \"language\": \"python\", \"git\": {\"url\": \"file:///srv/repo\"}, \"build\": [\"pip install -r requirements.txt\", \"make\"], \"run\": \"python3 app.py\", \"port\": 9000, \"resources\": {\"memory_mb\": 128}, \"env\": {\"MESSAGE\": \"hi=there\", \"EMPTY\": \"\"}}").object();
        QCOMPARE(body, expected);
        // No run: the Procfile's web: line; a health check only when a field of it is filled in.
        QVERIFY(!body.contains(u"health"));
        QVERIFY(!Session::createBody({{QStringLiteral("run"), QStringLiteral("  ")}}).contains(u"run"));
        const QJsonObject health = Session::createBody({{QStringLiteral("healthPath"), QStringLiteral(" /healthz ")},
                                                        {QStringLiteral("healthStatus"), QStringLiteral("204")},
                                                        {QStringLiteral("healthTimeout"), QStringLiteral("abc")}})
                                       .value(u"health").toObject();
        QCOMPARE(health, (QJsonObject{{u"path"_s, u"/healthz"_s}, {u"status"_s, 204}, {u"timeout"_s, u"abc"_s}}));
        QVERIFY(AppDetail::healthBody(QString(), QString(), QString()).isNull());  // the default check
        // A port that is not a number goes as it is: the API says what is wrong, by field.
        QCOMPARE(Session::createBody({{QStringLiteral("port"), QStringLiteral("80a")}}).value(u"port").toString(), QStringLiteral("80a"));
    }

    void eventsChangeBadgesAndDropDeletedApps()
    {
        AppListModel model;
        model.setApps(QJsonArray{app(QStringLiteral("b"), QStringLiteral("running")), app(QStringLiteral("a"), QStringLiteral("queued"))});
        QCOMPARE(model.count(), 2);
        QCOMPARE(model.index(0).data(AppListModel::NameRole).toString(), QStringLiteral("a"));
        QSignalSpy stateSpy(&model, &AppListModel::stateChanged);
        QVERIFY(model.applyEvent(appEvent(QStringLiteral("app.state"), QStringLiteral("a"), QStringLiteral("building"))));
        QCOMPARE(model.stateOf(QStringLiteral("a")), QStringLiteral("building"));
        QCOMPARE(stateSpy.count(), 1);
        QCOMPARE(stateSpy.at(0).at(1).toString(), QStringLiteral("queued"));
        QVERIFY(model.applyEvent(appEvent(QStringLiteral("app.deleted"), QStringLiteral("b"))));
        QCOMPARE(model.count(), 1);
        // An app it has not seen: the caller must re-list.
        QVERIFY(!model.applyEvent(appEvent(QStringLiteral("app.state"), QStringLiteral("new"), QStringLiteral("cloning"))));
        // Unknown types are ignored.
        QVERIFY(model.applyEvent(appEvent(QStringLiteral("database.state"), QStringLiteral("a"), QStringLiteral("ready"))));
        QCOMPARE(model.stateOf(QStringLiteral("a")), QStringLiteral("building"));
    }

    void relistingKeepsRowsAndReportsMissedChanges()
    {
        AppListModel model;
        model.setApps(QJsonArray{app(QStringLiteral("a"), QStringLiteral("restarting")), app(QStringLiteral("b"), QStringLiteral("running"))});
        QSignalSpy stateSpy(&model, &AppListModel::stateChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setApps(QJsonArray{app(QStringLiteral("a"), QStringLiteral("running")), app(QStringLiteral("c"), QStringLiteral("queued"))});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.count(), 2);
        QCOMPARE(model.stateOf(QStringLiteral("b")), QString());
        QCOMPARE(model.stateOf(QStringLiteral("c")), QStringLiteral("queued"));
        QCOMPARE(stateSpy.count(), 1);  // a: restarting → running, missed while offline
    }

    void filterAndSort()
    {
        AppListModel model;
        model.setApps(QJsonArray{app(QStringLiteral("alpha"), QStringLiteral("running"), QStringLiteral("2026-11-27T09:00:00.000Z")),
                                 app(QStringLiteral("beta"), QStringLiteral("failed"), QStringLiteral("2026-11-27T08:00:00.000Z")),
                                 app(QStringLiteral("gamma"), QStringLiteral("building"), QStringLiteral("2026-11-27T10:00:00.000Z"))});
        AppFilterModel filter;
        filter.setSourceModel(&model);
        auto names = [&filter] {
            QStringList out;
            for (int i = 0; i < filter.rowCount(); ++i)
                out << filter.index(i, 0).data(AppListModel::NameRole).toString();
            return out;
        };
        QCOMPARE(names(), (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
        filter.setSortKey(QStringLiteral("state"));
        QCOMPARE(names(), (QStringList{QStringLiteral("beta"), QStringLiteral("gamma"), QStringLiteral("alpha")}));
        filter.setSortKey(QStringLiteral("updated"));
        QCOMPARE(names(), (QStringList{QStringLiteral("gamma"), QStringLiteral("alpha"), QStringLiteral("beta")}));
        filter.setFilterText(QStringLiteral("FAIL"));
        QCOMPARE(names(), QStringList{QStringLiteral("beta")});
        QCOMPARE(filter.count(), 1);
        // A live change re-sorts.
        filter.setFilterText({});
        filter.setSortKey(QStringLiteral("state"));
        model.applyEvent(appEvent(QStringLiteral("app.state"), QStringLiteral("alpha"), QStringLiteral("failed")));
        QCOMPARE(names().first(), QStringLiteral("alpha"));
    }

    void envEditsBecomeAMergePatch()
    {
        EnvModel env;
        env.load(QJsonObject{{QStringLiteral("KEEP"), QStringLiteral("1")}, {QStringLiteral("CHANGE"), QStringLiteral("old")},
                             {QStringLiteral("DROP"), QStringLiteral("x")}});
        QVERIFY(!env.dirty());
        QCOMPARE(env.count(), 3);
        // Rows come sorted by key: CHANGE, DROP, KEEP.
        env.setValue(0, QStringLiteral("new"));
        env.removeAt(1);
        env.add();
        env.setKey(2, QStringLiteral("ADDED"));
        env.setValue(2, QStringLiteral("yes"));
        QVERIFY(env.dirty());
        const QJsonObject expected{{QStringLiteral("CHANGE"), QStringLiteral("new")}, {QStringLiteral("DROP"), QJsonValue::Null},
                                   {QStringLiteral("ADDED"), QStringLiteral("yes")}};
        QCOMPARE(env.mergePatch(), expected);
        env.revert();
        QVERIFY(!env.dirty());
    }

    void secretVariablesStayUnlessRetyped()
    {
        EnvModel env;
        // As GET shows them: a secret's value never comes back.
        env.load(QJsonObject{{QStringLiteral("API_KEY"), QJsonObject{{QStringLiteral("secret"), true}}},
                             {QStringLiteral("PLAIN"), QStringLiteral("p")}});
        QCOMPARE(env.index(0).data(EnvModel::KeptRole).toBool(), true);
        QCOMPARE(env.index(0).data(EnvModel::SecretRole).toBool(), true);
        QVERIFY(!env.dirty());  // nothing typed: nothing sent, the stored secret stays
        env.setSecret(1, true);  // PLAIN becomes secret with its value
        QCOMPARE(env.mergePatch(), (QJsonObject{{QStringLiteral("PLAIN"), QJsonObject{{QStringLiteral("value"), QStringLiteral("p")},
                                                                                       {QStringLiteral("secret"), true}}}}));
        env.revert();
        env.setValue(0, QStringLiteral("new-key"));  // a new secret value
        QCOMPARE(env.mergePatch(), (QJsonObject{{QStringLiteral("API_KEY"), QJsonObject{{QStringLiteral("value"), QStringLiteral("new-key")},
                                                                                         {QStringLiteral("secret"), true}}}}));
        env.revert();
        env.removeAt(0);
        QCOMPARE(env.mergePatch(), (QJsonObject{{QStringLiteral("API_KEY"), QJsonValue::Null}}));
    }

    void streamedOutputIsSplitIntoLines()
    {
        LineModel lines(3);
        lines.appendText("one\ntw");
        QCOMPARE(lines.count(), 1);
        lines.appendText("o\r\nthr\xc3");
        lines.appendText("\xa9\nfour\n");
        QCOMPARE(lines.count(), 3);  // capped: "one" dropped
        QCOMPARE(lines.text(), QStringLiteral("two\nthré\nfour"));
    }

    void metricsLoadTheAlignedSeriesAndMoveLive()
    {
        MetricsSeries series;
        series.load(QJsonDocument::fromJson(
            "{\"step_s\":10,\"interval_s\":5,\"at\":[1796119200,1796119210,1796119220],"
            "\"series\":{\"cpu_percent\":[50,null,100],\"memory_bytes\":[10485760,null,20971520],"
            "\"memory_limit_bytes\":[268435456,null,268435456],\"rx_bytes_per_s\":[10240,null,0],"
            "\"tx_bytes_per_s\":[0,null,1024],\"block_read_bytes_per_s\":[0,null,0],"
            "\"block_write_bytes_per_s\":[2048,null,0],\"restarts\":[0,null,1],\"up\":[1,null,1]}}").object());
        QCOMPARE(series.points(), 3);
        QCOMPARE(series.count(), 2);  // the middle bucket has no samples
        QCOMPARE(series.stepS(), 10);
        QCOMPARE(series.cpu().at(2).toDouble(), 100.0);
        QCOMPARE(series.memoryMb().at(0).toDouble(), 10.0);
        QCOMPARE(series.memoryLimitMb(), 256.0);
        QCOMPARE(series.rxKbps().at(0).toDouble(), 10.0);
        QCOMPARE(series.writeKbps().at(0).toDouble(), 2.0);
        // A live sample in the last bucket is averaged in; the next one starts a bucket.
        const auto sample = [](const char *at, double cpu, int restarts) {
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("app.metrics")}, {QStringLiteral("at"), QString::fromLatin1(at)},
                               {QStringLiteral("cpu_percent"), cpu}, {QStringLiteral("restarts"), restarts},
                               {QStringLiteral("memory_bytes"), 20971520.0}};
        };
        QVERIFY(series.applySample(sample("2026-12-01T10:00:25.000Z", 50, 2)));  // 1796119225: bucket …220
        QCOMPARE(series.points(), 3);
        QCOMPARE(series.cpu().at(2).toDouble(), 75.0);
        QCOMPARE(series.restarts().at(2).toDouble(), 2.0);
        QVERIFY(series.applySample(sample("2026-12-01T10:00:41.000Z", 10, 2)));
        QCOMPARE(series.points(), 5);  // …230 empty, …240 new
        QCOMPARE(series.cpu().at(4).toDouble(), 10.0);
        QCOMPARE(series.count(), 3);
        QVERIFY(!series.applySample(sample("2026-12-01T09:00:00.000Z", 1, 0)));  // before the series
        series.setRange(QStringLiteral("24h"));
        QCOMPARE(series.range(), QStringLiteral("24h"));
        series.setRange(QStringLiteral("bogus"));
        QCOMPARE(series.range(), QStringLiteral("1h"));
    }

    void mastersAreRememberedMostRecentFirst()
    {
        QCOMPARE(MasterList::normalize(QStringLiteral("127.0.0.1:3000/")), QStringLiteral("http://127.0.0.1:3000"));
        {
            MasterList masters;
            for (int i = masters.count() - 1; i >= 0; --i)
                masters.forget(masters.urlAt(i));
            masters.remember(QStringLiteral("http://a:3000"), QStringLiteral("ann"));
            masters.remember(QStringLiteral("http://b:3000"), QStringLiteral("bob"));
            masters.remember(QStringLiteral("http://a:3000"), QStringLiteral("ann"));
        }
        MasterList again;  // read back from the settings
        QCOMPARE(again.count(), 2);
        QCOMPARE(again.urlAt(0), QStringLiteral("http://a:3000"));
        QCOMPARE(again.usernameFor(QStringLiteral("http://b:3000")), QStringLiteral("bob"));
    }
};

QTEST_MAIN(ConsoleUnitTest)
#include "tst_console_unit.moc"
