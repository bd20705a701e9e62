// SPDX-License-Identifier: MIT
// The metrics series of the store (issue 9), on SQLite (temp dir) and on PostgreSQL at
// $GASPER_TEST_PG_URL (default: the cluster tests/support/start-postgres.sh starts), each
// test from an empty database: downsampling into tiers, reading one tier's range, pruning,
// a deleted app's rows going with it, and the rows surviving a reopen.
#include "store/SecretBox.h"
#include "store/Store.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace gasper;
using namespace gasper::store;

namespace {

QString pgUrl()
{
    const QString fromEnv = qEnvironmentVariable("GASPER_TEST_PG_URL");
    return fromEnv.isEmpty() ? u"postgresql://gasper:gasper@127.0.0.1:55432/gasper_test"_s : fromEnv;
}

// 5 s kept 1 h, 60 s kept 24 h, 600 s kept 30 days, as the master uses them.
const QList<MetricsTier> kTiers{{5, 3600}, {60, 86400}, {600, 30 * 86400}};

// appMetricsColumns() order; cpu and restarts vary, the rest follow cpu.
QList<double> appValues(double cpu, double restarts, double up = 1)
{
    return {cpu, cpu * 2, 0.5, cpu * 1000, 64e6, cpu * 10, cpu * 20, 0, 0, restarts, up};
}

QList<double> nodeValues(double cpu)
{
    return {cpu, 2, 1e9, 4e9, 10e9, 100e9, -1, -1, 3};
}

constexpr qint64 kBase = 1'764'583'200'000;  // 2025-12-01T10:00:00Z, a multiple of 600 s

} // namespace

#define VERIFY_OK(expr)                                                                                          \
    do {                                                                                                         \
        const auto &result_ = (expr);                                                                            \
        if (!result_)                                                                                            \
            QFAIL(qPrintable(u"%1 failed: %2 %3"_s.arg(QLatin1StringView(#expr), result_.error().code,          \
                                                        result_.error().message)));                             \
    } while (false)

class StoreMetricsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();

    void samplesAreFoldedIntoEveryTierAsAverages();
    void restartsKeepTheirMaximum();
    void aTierIsReadInTimeOrderWithinItsRange();
    void samplesOfUnknownAppsAreSkippedAndNodeSamplesKept();
    void pruningDropsRowsOlderThanTheirTierKeeps();
    void deletingAnAppDeletesItsSeries();
    void seriesSurviveReopeningTheStore();

private:
    std::unique_ptr<Store> openStore(const QString &connection = u"metrics"_s);
    qint64 makeApp(Store &store, const QString &name);

    QTemporaryDir m_dir;
    std::optional<SecretBox> m_secrets;
    QString m_url;
    int m_testNumber = 0;
};

void StoreMetricsTest::initTestCase_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("sqlite") << u"sqlite"_s;
    QTest::newRow("postgresql") << u"postgresql"_s;
}

void StoreMetricsTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto secrets = SecretBox::loadOrCreate(m_dir.path() + u"/secret.key"_s);
    VERIFY_OK(secrets);
    m_secrets = *secrets;
}

void StoreMetricsTest::init()
{
    QFETCH_GLOBAL(QString, engine);
    ++m_testNumber;
    if (engine == "sqlite"_L1) {
        m_url = u"sqlite://"_s + m_dir.path() + u"/t%1/gasper.db"_s.arg(m_testNumber);
        return;
    }
    m_url = pgUrl();
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
        QFAIL("Qt's PostgreSQL driver QPSQL is not installed (apt-get install libqt6sql6-psql)");
    const QUrl parsed(m_url);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"metrics-reset"_s);
        db.setHostName(parsed.host());
        db.setPort(parsed.port(5432));
        db.setUserName(parsed.userName());
        db.setPassword(parsed.password());
        db.setDatabaseName(parsed.path().mid(1));
        QVERIFY2(db.open(), qPrintable(u"PostgreSQL is not reachable (tests/support/start-postgres.sh): "_s
                                       + db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY2(q.exec(u"SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE"_s),
                 qPrintable(q.lastError().text()));
        QVERIFY2(q.exec(u"CREATE SCHEMA public"_s), qPrintable(q.lastError().text()));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"metrics-reset"_s);
}

std::unique_ptr<Store> StoreMetricsTest::openStore(const QString &connection)
{
    auto store = Store::open(m_url, *m_secrets, connection);
    if (!store) {
        qWarning().noquote() << "Store::open failed:" << store.error().code << store.error().message;
        return {};
    }
    return std::move(*store);
}

qint64 StoreMetricsTest::makeApp(Store &store, const QString &name)
{
    static int users = 0;
    const int n = ++users;
    auto user = store.createUser(u"u%1"_s.arg(n), u"u%1@example.org"_s.arg(n), u"$argon2id$x"_s);
    if (!user)
        return 0;
    AppSpec spec;
    spec.name = name;
    spec.language = u"static"_s;
    spec.git.url = u"https://example.org/x.git"_s;
    auto app = store.createApp(user->id, spec, u"n1"_s);
    return app ? app->id : 0;
}

void StoreMetricsTest::samplesAreFoldedIntoEveryTierAsAverages()
{
    auto store = openStore();
    QVERIFY(store);
    QCOMPARE(store->schemaVersion(), Store::latestSchemaVersion());
    QVERIFY(store->schemaVersion() >= 4);
    QVERIFY(makeApp(*store, u"web"_s));
    // 24 samples 5 s apart over two minutes: cpu 0, 1, …, 23.
    for (int i = 0; i < 24; ++i) {
        MetricsBatch batch;
        batch.apps.append({u"web"_s, kBase + i * 5000, appValues(i, 0)});
        auto written = store->recordMetrics(batch, kTiers);
        VERIFY_OK(written);
        QCOMPARE(*written, 1);
    }
    auto raw = store->appMetrics(u"web"_s, 5, kBase, kBase + 3600'000);
    VERIFY_OK(raw);
    QCOMPARE(raw->size(), 24);
    QCOMPARE(raw->at(7).atMs, kBase + 35'000);
    QCOMPARE(raw->at(7).samples, 1);
    QCOMPARE(raw->at(7).values.at(0), 7.0);
    QCOMPARE(raw->at(7).values.size(), Store::appMetricsColumns().size());

    auto minutes = store->appMetrics(u"web"_s, 60, kBase, kBase + 3600'000);
    VERIFY_OK(minutes);
    QCOMPARE(minutes->size(), 2);
    QCOMPARE(minutes->at(0).atMs, kBase);
    QCOMPARE(minutes->at(1).atMs, kBase + 60'000);
    QCOMPARE(minutes->at(0).samples, 12);
    QCOMPARE(minutes->at(0).values.at(0), 5.5);   // mean of 0…11
    QCOMPARE(minutes->at(1).values.at(0), 17.5);  // mean of 12…23
    QCOMPARE(minutes->at(1).values.at(3), 17500.0);

    auto tens = store->appMetrics(u"web"_s, 600, kBase - 1, kBase + 3600'000);
    VERIFY_OK(tens);
    QCOMPARE(tens->size(), 1);
    QCOMPARE(tens->at(0).samples, 24);
    QCOMPARE(tens->at(0).values.at(0), 11.5);
}

void StoreMetricsTest::restartsKeepTheirMaximum()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(makeApp(*store, u"web"_s));
    const QList<double> restarts{0, 2, 1, 3, 3, 0};
    for (int i = 0; i < restarts.size(); ++i) {
        MetricsBatch batch;
        batch.apps.append({u"web"_s, kBase + i * 5000, appValues(1, restarts[i], i % 2)});
        VERIFY_OK(store->recordMetrics(batch, kTiers));
    }
    auto minute = store->appMetrics(u"web"_s, 60, kBase, kBase);
    VERIFY_OK(minute);
    QCOMPARE(minute->size(), 1);
    const qsizetype restartsColumn = Store::appMetricsColumns().indexOf(u"restarts"_s);
    const qsizetype upColumn = Store::appMetricsColumns().indexOf(u"up"_s);
    QCOMPARE(minute->at(0).values.at(restartsColumn), 3.0);
    QCOMPARE(minute->at(0).values.at(upColumn), 0.5);  // up half of the time
}

void StoreMetricsTest::aTierIsReadInTimeOrderWithinItsRange()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(makeApp(*store, u"web"_s));
    MetricsBatch batch;
    for (int i : {3, 0, 2, 1})  // out of order in one tick: each its own bucket
        batch.apps.append({u"web"_s, kBase + i * 5000, appValues(i, 0)});
    VERIFY_OK(store->recordMetrics(batch, kTiers));
    auto some = store->appMetrics(u"web"_s, 5, kBase + 5000, kBase + 10'000);
    VERIFY_OK(some);
    QCOMPARE(some->size(), 2);
    QCOMPARE(some->at(0).atMs, kBase + 5000);
    QCOMPARE(some->at(1).atMs, kBase + 10'000);
    auto none = store->appMetrics(u"nobody"_s, 5, kBase, kBase + 3600'000);
    VERIFY_OK(none);
    QVERIFY(none->isEmpty());
}

void StoreMetricsTest::samplesOfUnknownAppsAreSkippedAndNodeSamplesKept()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(makeApp(*store, u"web"_s));
    MetricsBatch batch;
    batch.node = u"n1"_s;
    batch.nodeAtMs = kBase + 2000;
    batch.nodeValues = nodeValues(40);
    batch.apps.append({u"web"_s, kBase, appValues(1, 0)});
    batch.apps.append({u"deleted-meanwhile"_s, kBase, appValues(1, 0)});
    auto written = store->recordMetrics(batch, kTiers);
    VERIFY_OK(written);
    QCOMPARE(*written, 1);
    batch.apps.clear();
    batch.nodeAtMs = kBase + 7000;
    batch.nodeValues = nodeValues(60);
    VERIFY_OK(store->recordMetrics(batch, kTiers));
    auto node = store->nodeMetrics(u"n1"_s, 60, kBase, kBase + 60'000);
    VERIFY_OK(node);
    QCOMPARE(node->size(), 1);
    QCOMPARE(node->at(0).samples, 2);
    QCOMPARE(node->at(0).values.at(0), 50.0);
    QCOMPARE(node->at(0).values.size(), Store::nodeMetricsColumns().size());
    auto raw = store->nodeMetrics(u"n1"_s, 5, kBase, kBase + 60'000);
    VERIFY_OK(raw);
    QCOMPARE(raw->size(), 2);
    QCOMPARE(raw->at(0).atMs, kBase);  // bucket starts
    QCOMPARE(raw->at(1).atMs, kBase + 5000);
}

void StoreMetricsTest::pruningDropsRowsOlderThanTheirTierKeeps()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(makeApp(*store, u"web"_s));
    const qint64 now = kBase + 40LL * 86400 * 1000;
    MetricsBatch batch;
    batch.node = u"n1"_s;
    batch.nodeAtMs = now - 2LL * 3600 * 1000;
    batch.nodeValues = nodeValues(1);
    for (qint64 ago : {10LL, 2 * 3600LL, 2 * 86400LL, 31 * 86400LL})
        batch.apps.append({u"web"_s, now - ago * 1000, appValues(1, 0)});
    VERIFY_OK(store->recordMetrics(batch, kTiers));
    // A tier of an interval no longer configured.
    VERIFY_OK(store->recordMetrics(MetricsBatch{{}, 0, {}, {{u"web"_s, now, appValues(1, 0)}}}, {{2, 3600}}));
    auto removed = store->pruneMetrics(kTiers, now);
    VERIFY_OK(removed);
    const auto count = [&](int step) {
        auto rows = store->appMetrics(u"web"_s, step, 0, now + 1);
        return rows ? rows->size() : -1;
    };
    QCOMPARE(count(5), 1);    // 10 s ago only
    QCOMPARE(count(60), 2);   // 10 s and 2 h ago
    QCOMPARE(count(600), 3);  // all but 31 days ago
    QCOMPARE(count(2), 0);
    auto node = store->nodeMetrics(u"n1"_s, 5, 0, now);
    VERIFY_OK(node);
    QVERIFY(node->isEmpty());  // 2 h old: past the 5 s tier's hour
    // app: 3 of the 5 s tier, 2 of the 60 s one, 1 of the 600 s one; the node's 5 s row; the 2 s row.
    QCOMPARE(*removed, 3 + 2 + 1 + 1 + 1);
}

void StoreMetricsTest::deletingAnAppDeletesItsSeries()
{
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(makeApp(*store, u"web"_s));
    QVERIFY(makeApp(*store, u"other"_s));
    MetricsBatch batch;
    batch.apps.append({u"web"_s, kBase, appValues(1, 0)});
    batch.apps.append({u"other"_s, kBase, appValues(1, 0)});
    VERIFY_OK(store->recordMetrics(batch, kTiers));
    VERIFY_OK(store->deleteApp(u"web"_s));
    // A new app of the same name starts with no history.
    QVERIFY(makeApp(*store, u"web"_s));
    for (const MetricsTier &tier : kTiers) {
        auto rows = store->appMetrics(u"web"_s, tier.stepSec, 0, kBase * 2);
        VERIFY_OK(rows);
        QVERIFY(rows->isEmpty());
        auto others = store->appMetrics(u"other"_s, tier.stepSec, 0, kBase * 2);
        VERIFY_OK(others);
        QCOMPARE(others->size(), 1);
    }
}

void StoreMetricsTest::seriesSurviveReopeningTheStore()
{
    {
        auto store = openStore(u"first"_s);
        QVERIFY(store);
        QVERIFY(makeApp(*store, u"web"_s));
        MetricsBatch batch;
        batch.apps.append({u"web"_s, kBase, appValues(9, 1)});
        VERIFY_OK(store->recordMetrics(batch, kTiers));
    }
    auto store = openStore(u"second"_s);
    QVERIFY(store);
    auto rows = store->appMetrics(u"web"_s, 600, kBase, kBase);
    VERIFY_OK(rows);
    QCOMPARE(rows->size(), 1);
    QCOMPARE(rows->at(0).values.at(0), 9.0);
}

QTEST_GUILESS_MAIN(StoreMetricsTest)
#include "tst_store_metrics.moc"
