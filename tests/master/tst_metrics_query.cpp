// SPDX-License-Identifier: MIT
// The pure half of GET …/metrics: tiers from the interval, since/until/step parsing, the
// choice of tier and step, and the alignment of stored rows into series.
#include "master/MetricsQuery.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gasper;
using namespace gasper::master;
using namespace gasper::store;

namespace {
constexpr qint64 kNow = 1'764'583'200'000 + 1234;  // 2025-12-01T10:00:01.234Z
constexpr qint64 kMin = 60'000;
constexpr qint64 kHour = 60 * kMin;
constexpr qint64 kDay = 24 * kHour;
} // namespace

class MetricsQueryTest : public QObject
{
    Q_OBJECT

private slots:
    void tiersFollowTheInterval()
    {
        const auto five = metrics::tiersFor(5);
        QCOMPARE(five.size(), 3);
        QCOMPARE(five[0].stepSec, 5);
        QCOMPARE(five[0].keepSec, 3600);
        QCOMPARE(five[1].stepSec, 60);
        QCOMPARE(five[1].keepSec, 86400);
        QCOMPARE(five[2].stepSec, 600);
        QCOMPARE(five[2].keepSec, 30 * 86400);
        // An interval of a minute: the raw tier is the minute tier, kept for its day.
        const auto minute = metrics::tiersFor(60);
        QCOMPARE(minute.size(), 2);
        QCOMPARE(minute[0].stepSec, 60);
        QCOMPARE(minute[0].keepSec, 86400);
    }

    void timesAndStepsParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected");  // -1: invalid
        QTest::newRow("relative hours") << u"1h"_s << kNow - kHour;
        QTest::newRow("relative minutes") << u"15m"_s << kNow - 15 * kMin;
        QTest::newRow("relative days") << u"30d"_s << kNow - 30 * kDay;
        QTest::newRow("now") << u"now"_s << kNow;
        QTest::newRow("ISO 8601 UTC") << u"2025-12-01T09:00:00Z"_s << kNow - 1234 - kHour;
        QTest::newRow("ISO 8601 with milliseconds") << u"2025-12-01T09:00:00.500Z"_s << kNow - 734 - kHour;
        QTest::newRow("ISO 8601 with an offset") << u"2025-12-01T10:00:00+01:00"_s << kNow - 1234 - kHour;
        QTest::newRow("unix seconds") << u"1764579600"_s << kNow - 1234 - kHour;
        QTest::newRow("a word") << u"yesterday"_s << qint64(-1);
        QTest::newRow("negative") << u"-1h"_s << qint64(-1);
        QTest::newRow("unit unknown") << u"3w"_s << qint64(-1);
    }
    void timesAndStepsParse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const auto parsed = metrics::parseTime(text, kNow, u"since"_s);
        if (expected < 0) {
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().code, u"invalid-query"_s);
            QVERIFY(parsed.error().message.contains(u"since"_s));
            return;
        }
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(*parsed, expected);
    }

    void stepsParse()
    {
        QCOMPARE(*metrics::parseStep(u"60"_s), 60);
        QCOMPARE(*metrics::parseStep(u"30s"_s), 30);
        QCOMPARE(*metrics::parseStep(u"5m"_s), 300);
        QCOMPARE(*metrics::parseStep(u"1h"_s), 3600);
        QCOMPARE(*metrics::parseStep(u"1d"_s), 86400);
        QVERIFY(!metrics::parseStep(u"0"_s));
        QVERIFY(!metrics::parseStep(u"31d"_s));
        QVERIFY(!metrics::parseStep(u"fast"_s));
    }

    void theTierAndStepFitTheRange_data()
    {
        QTest::addColumn<qint64>("ago");
        QTest::addColumn<int>("step");  // 0: none asked
        QTest::addColumn<int>("tierStep");
        QTest::addColumn<int>("expectedStep");
        QTest::newRow("last hour, no step: raw samples, 10 s for 360 points") << kHour << 0 << 5 << 10;
        QTest::newRow("last hour at 5 s") << kHour << 5 << 5 << 5;
        QTest::newRow("last hour at 1 m: the minute tier") << kHour << 60 << 60 << 60;
        QTest::newRow("last hour at 7 s: rounded up to the raw tier's multiple") << kHour << 7 << 5 << 10;
        QTest::newRow("last day: minutes, 4 m for 360 points") << kDay << 0 << 60 << 240;
        QTest::newRow("last day at 5 s: the raw tier no longer holds it") << kDay << 5 << 60 << 60;
        QTest::newRow("last 30 days: 10-minute tier, 2 h for 360 points") << 30 * kDay << 0 << 600 << 7200;
        QTest::newRow("last 30 days at 1 m: too many points, raised") << 30 * kDay << 60 << 600 << 1800;
        QTest::newRow("older than every tier: the coarsest") << 60 * kDay << 600 << 600 << 3600;
    }
    void theTierAndStepFitTheRange()
    {
        QFETCH(qint64, ago);
        QFETCH(int, step);
        QFETCH(int, tierStep);
        QFETCH(int, expectedStep);
        const auto p = metrics::plan(metrics::tiersFor(5), kNow, kNow - ago, kNow,
                                     step ? std::optional<int>(step) : std::nullopt);
        QVERIFY(p);
        QCOMPARE(p->tierStepSec, tierStep);
        QCOMPARE(p->stepSec, expectedStep);
        QCOMPARE(p->fromMs % (qint64(p->stepSec) * 1000), 0);
        QVERIFY(p->fromMs <= kNow - ago && p->fromMs > kNow - ago - qint64(p->stepSec) * 1000);
        QVERIFY((p->toMs - p->fromMs) / (qint64(p->stepSec) * 1000) <= metrics::kMaxPoints);
    }

    void anEmptyOrBackwardRangeIsRefused()
    {
        const auto backwards = metrics::planFromQuery(metrics::tiersFor(5), kNow, u"now"_s, u"1h"_s, {});
        QVERIFY(!backwards);
        QCOMPARE(backwards.error().code, u"invalid-query"_s);
        QVERIFY(!metrics::planFromQuery(metrics::tiersFor(5), kNow, u"1h"_s, {}, u"fast"_s));
        const auto defaults = metrics::planFromQuery(metrics::tiersFor(5), kNow, {}, {}, {});
        QVERIFY(defaults);
        QCOMPARE(defaults->toMs, kNow);
        QVERIFY(kNow - defaults->fromMs >= kHour);
    }

    void rowsAreAlignedIntoBucketsWithNullsWhereNothingWasSampled()
    {
        const QStringList columns{u"cpu_percent"_s, u"restarts"_s};
        metrics::Plan plan{kNow - 1234 - 5 * kMin, kNow, 60, 5};
        // Minute 0: two rows (weights 1 and 3); minute 1: nothing; minute 2: one row.
        const QList<MetricsPoint> rows{
            {plan.fromMs, 1, {10, 1}},
            {plan.fromMs + 30'000, 3, {30, 0}},
            {plan.fromMs + 2 * kMin + 5000, 2, {5, 2}},
            {plan.fromMs - 5000, 1, {99, 9}},  // before the range: left out
        };
        const QJsonObject body = metrics::align(rows, columns, plan);
        QCOMPARE(body.value(u"step_s").toInt(), 60);
        QCOMPARE(body.value(u"tier_step_s").toInt(), 5);
        const QJsonArray at = body.value(u"at").toArray();
        QCOMPARE(at.size(), 6);  // minutes 0…5, the last one holding now
        for (qsizetype i = 0; i < at.size(); ++i)
            QCOMPARE(at[i].toInteger(), plan.fromMs / 1000 + i * 60);
        const QJsonObject series = body.value(u"series").toObject();
        const QJsonArray cpu = series.value(u"cpu_percent").toArray();
        const QJsonArray restarts = series.value(u"restarts").toArray();
        QCOMPARE(cpu.size(), at.size());
        QCOMPARE(cpu[0].toDouble(), 25.0);  // (10×1 + 30×3) / 4
        QCOMPARE(restarts[0].toDouble(), 1.0);  // the maximum
        QVERIFY(cpu[1].isNull());
        QCOMPARE(cpu[2].toDouble(), 5.0);
        QCOMPARE(restarts[2].toDouble(), 2.0);
        QVERIFY(cpu[5].isNull());
        QCOMPARE(body.value(u"since").toString(), u"2025-12-01T09:55:00.000Z"_s);
    }
};

QTEST_GUILESS_MAIN(MetricsQueryTest)
#include "tst_metrics_query.moc"
