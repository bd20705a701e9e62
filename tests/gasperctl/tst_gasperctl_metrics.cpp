// SPDX-License-Identifier: MIT
// `gasperctl metrics`: the command line becomes the request, and the answer prints as a
// summary with sparklines or as a table (pure parts; the real gasperd is in tests/integration).
#include "CommandLine.h"
#include "MetricsOutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gasper::ctl;

namespace {

QStringList argv(const QString &line)
{
    return QStringList{u"gasperctl"_s} + line.split(u' ', Qt::SkipEmptyParts);
}

QJsonObject answer()
{
    return QJsonDocument::fromJson(R"({
      "app": "web", "node": "local", "interval_s": 5, "step_s": 60, "tier_step_s": 60,
      "since": "2026-12-01T10:00:00.000Z", "until": "2026-12-01T10:04:00.000Z",
      "at": [1796119200, 1796119260, 1796119320, 1796119380, 1796119440],
      "series": {
        "cpu_percent": [10, 20, null, 40, 80], "cpu_core_percent": [5, 10, null, 20, 40], "cpu_limit": [0.5, 0.5, null, 0.5, 0.5],
        "memory_bytes": [1048576, 2097152, null, 2097152, 3145728], "memory_limit_bytes": [268435456, 268435456, null, 268435456, 268435456],
        "rx_bytes_per_s": [0, 512, null, 2048, 1024], "tx_bytes_per_s": [0, 0, null, 0, 0],
        "block_read_bytes_per_s": [0, 0, null, 0, 0], "block_write_bytes_per_s": [0, 0, null, 0, 0],
        "restarts": [0, 0, null, 1, 1], "up": [1, 1, null, 0.5, 1]}})")
        .object();
}

} // namespace

class TestGasperctlMetrics : public QObject
{
    Q_OBJECT

private slots:
    void commandLineBecomesTheQuery_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("table");
        QTest::newRow("defaults") << u"metrics web"_s << u"/api/v1/apps/web/metrics"_s << false;
        QTest::newRow("since and step") << u"metrics web --since 24h --step 5m"_s
                                        << u"/api/v1/apps/web/metrics?since=24h&step=5m"_s << false;
        QTest::newRow("an ISO time is percent-encoded") << u"metrics web --since 2026-12-01T10:00:00+01:00 --table"_s
                                                        << u"/api/v1/apps/web/metrics?since=2026-12-01T10%3A00%3A00%2B01%3A00"_s
                                                        << true;
        QTest::newRow("until") << u"metrics web --until 1h --since 2h"_s
                               << u"/api/v1/apps/web/metrics?since=2h&until=1h"_s << false;
    }
    void commandLineBecomesTheQuery()
    {
        QFETCH(QString, line);
        QFETCH(QString, path);
        QFETCH(bool, table);
        auto inv = parseCommandLine(argv(line));
        QVERIFY2(inv, qPrintable(inv ? QString() : inv.error().message));
        QCOMPARE(inv->command, u"metrics"_s);
        QCOMPARE(inv->request.method, "GET"_ba);
        QCOMPARE(inv->request.path, path);
        QVERIFY(inv->request.authenticated);
        QCOMPARE(inv->table, table);
    }

    void missingAppIsAUsageError()
    {
        auto inv = parseCommandLine(argv(u"metrics"_s));
        QVERIFY(!inv);
        QCOMPARE(inv.error().code, u"usage"_s);
    }

    void sparklineScalesToTheMaximumAndLeavesGaps()
    {
        QCOMPARE(sparkline({0.0, 1.0, std::nullopt, 4.0, 8.0}, 10), u"▁▂ ▅█"_s);
        QCOMPARE(sparkline({0.0, 0.0}, 10), u"▁▁"_s);
        QCOMPARE(sparkline({std::nullopt, std::nullopt}, 10), u"  "_s);
        // Resampled into columns by averaging: 8 values into 4 columns.
        QCOMPARE(sparkline({0.0, 0.0, 2.0, 2.0, 4.0, 4.0, 8.0, 8.0}, 4), u"▁▃▅█"_s);
        QCOMPARE(sparkline({}, 10), QString());
    }

    void summaryShowsLastMinAverageAndMax()
    {
        const QString text = formatMetricsSummary(answer(), 10);
        QVERIFY2(text.startsWith(u"web on local: 5 points every 1 min, "_s), qPrintable(text));
        const QStringList lines = text.split(u'\n');
        const auto lineOf = [&](const QString &label) {
            for (const QString &l : lines)
                if (l.startsWith(label))
                    return l.simplified();
            return QString();
        };
        QCOMPARE(lineOf(u"cpu (of limit)"_s), u"cpu (of limit) 80.0 % 10.0 % 37.5 % 80.0 % ▂▃ ▅█"_s);
        QCOMPARE(lineOf(u"memory"_s), u"memory 3.0 MiB 1.0 MiB 2.0 MiB 3.0 MiB ▃▆ ▆█"_s);
        QCOMPARE(lineOf(u"net in"_s), u"net in 1.0 KiB/s 0 B/s 896 B/s 2.0 KiB/s ▁▃ █▅"_s);
        QCOMPARE(lineOf(u"restarts"_s), u"restarts 1 0 1 1 ▁▁ ██"_s);
        QVERIFY(lineOf(u"up"_s).startsWith(u"up 100.0 % 50.0 % 87.5 % 100.0 %"_s));
    }

    void emptyRangeSaysSo()
    {
        QJsonObject empty = answer();
        QJsonObject series;
        for (const QString &k : empty.value(u"series").toObject().keys())
            series.insert(k, QJsonArray{QJsonValue::Null});
        empty.insert(u"series"_s, series);
        QVERIFY(formatMetricsSummary(empty).contains(u"no samples in that range yet"_s));
    }

    void tableHasOneRowPerSampledPoint()
    {
        const QStringList rows = formatMetricsTable(answer()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(rows.size(), 1 + 4);  // the header, and the 4 points with values
        QVERIFY(rows.first().startsWith(u"AT"_s));
        QVERIFY2(rows.last().simplified().endsWith(u"80.0 % 3.0 MiB 1.0 KiB/s 0 B/s 0 B/s 0 B/s 1 up"_s),
                 qPrintable(rows.last()));
    }
};

QTEST_GUILESS_MAIN(TestGasperctlMetrics)
#include "tst_gasperctl_metrics.moc"
