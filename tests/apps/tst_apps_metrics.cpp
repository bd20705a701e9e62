// SPDX-License-Identifier: MIT
// The metrics: readingFromStats against hand-written cgroup v1/v2 answers of the stats API,
// the rates between two readings, the node's /proc parsing, then the streaming sampler
// against the real dockerd with a container that burns CPU under a 0.5 CPU / 64 MiB limit
// (local image gasper/python, never pulled; containers named gasper-test-metrics-*,
// labelled gasper.test=1).

#include "apps/MetricsSampler.h"
#include "apps/MetricsMath.h"
#include "../support/DockerTestSupport.h"
#include "docker/DockerClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>
#include <QtTest>

#include <memory>
#include <optional>

using namespace gasper;
using namespace gasper::apps;
using namespace gasper::docker;
using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 60000;  // generous: a shared 2-core machine under load
constexpr qint64 kMiB = 1024 * 1024;
const QString kNamePrefix = u"gasper-test-metrics-"_s;

// What ticked() said, per app.
struct Recorder
{
    QHash<QString, QList<MetricsSample>> byApp;
    int ticks = 0;

    explicit Recorder(MetricsSampler *sampler)
    {
        QObject::connect(sampler, &MetricsSampler::ticked, sampler, [this](const QList<AppSample> &samples) {
            ++ticks;
            for (const AppSample &a : samples)
                byApp[a.app].append(a.sample);
        });
    }
    qsizetype count(const QString &app) const { return byApp.value(app).size(); }
    qsizetype countUp(const QString &app) const
    {
        const auto list = byApp.value(app);
        return std::count_if(list.cbegin(), list.cend(), [](const MetricsSample &s) { return s.up; });
    }
    std::optional<MetricsSample> last(const QString &app) const
    {
        const auto list = byApp.value(app);
        return list.isEmpty() ? std::nullopt : std::optional(list.last());
    }
};

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

// An answer of the engine here (20.10, cgroup v1) for a container limited to 0.5 CPU and
// 64 MiB on the default bridge, captured with curl; `docker stats` showed ~49.9 % and
// 3.488 MiB (= usage, total_inactive_file being 0).
const char kV1Captured[] = R"({
  "read": "2026-11-27T10:16:08.586984111Z", "preread": "2026-11-27T10:16:07.58288331Z",
  "pids_stats": {"current": 1},
  "blkio_stats": {"io_service_bytes_recursive": [], "io_serviced_recursive": []},
  "num_procs": 0, "storage_stats": {},
  "cpu_stats": {
    "cpu_usage": {"total_usage": 1564596293, "percpu_usage": [1456546333, 108049960],
                  "usage_in_kernelmode": 20000000, "usage_in_usermode": 1530000000},
    "system_cpu_usage": 6132300000000, "online_cpus": 2,
    "throttling_data": {"periods": 32, "throttled_periods": 30, "throttled_time": 1445067968}},
  "precpu_stats": {
    "cpu_usage": {"total_usage": 1064632300, "percpu_usage": [956582340, 108049960],
                  "usage_in_kernelmode": 20000000, "usage_in_usermode": 1030000000},
    "system_cpu_usage": 6130290000000, "online_cpus": 2,
    "throttling_data": {"periods": 22, "throttled_periods": 20, "throttled_time": 947388347}},
  "memory_stats": {"usage": 3657728, "max_usage": 4087808,
    "stats": {"active_anon": 4096, "active_file": 274432, "cache": 278528, "hierarchical_memory_limit": 67108864,
              "inactive_anon": 2641920, "inactive_file": 0, "mapped_file": 110592, "rss": 2666496,
              "total_active_anon": 4096, "total_active_file": 274432, "total_cache": 278528,
              "total_inactive_anon": 2641920, "total_inactive_file": 0, "total_rss": 2666496},
    "limit": 67108864},
  "name": "/gasper-test-metrics-probe", "id": "40fca4a56733aca7e9eee1a042df38d9d7b6040ad6492258deee152dbe256bbc",
  "networks": {"eth0": {"rx_bytes": 736, "rx_packets": 8, "rx_errors": 0, "rx_dropped": 0,
                        "tx_bytes": 0, "tx_packets": 0, "tx_errors": 0, "tx_dropped": 0}}
})";

// cgroup v1 with page cache to leave out (total_inactive_file wins over cache) and two
// networks to add up.
const char kV1PageCache[] = R"({
  "read": "2024-03-01T12:00:01.000000001Z",
  "cpu_stats": {"cpu_usage": {"total_usage": 2500000000, "percpu_usage": [1, 2, 3, 4]},
                "system_cpu_usage": 904000000000, "online_cpus": 4},
  "precpu_stats": {"cpu_usage": {"total_usage": 2000000000, "percpu_usage": [1, 2, 3, 4]},
                   "system_cpu_usage": 900000000000, "online_cpus": 4},
  "memory_stats": {"usage": 104857600, "limit": 536870912,
    "stats": {"cache": 31457280, "inactive_file": 1, "total_cache": 31457280, "total_inactive_file": 20971520}},
  "networks": {"eth0": {"rx_bytes": 1000, "tx_bytes": 2000}, "eth1": {"rx_bytes": 500, "tx_bytes": 250}}
})";

// An engine before API 1.27: no online_cpus (count percpu_usage), no total_* keys
// (subtract cache); no memory limit set (the host's, here the 64-bit maximum).
const char kV1OldEngine[] = R"({
  "read": "2017-01-10T08:30:00.5Z",
  "cpu_stats": {"cpu_usage": {"total_usage": 7000000000, "percpu_usage": [4000000000, 1000000000, 1000000000, 1000000000]},
                "system_cpu_usage": 58000000000},
  "precpu_stats": {"cpu_usage": {"total_usage": 5000000000, "percpu_usage": [3000000000, 1000000000, 500000000, 500000000]},
                   "system_cpu_usage": 50000000000},
  "memory_stats": {"usage": 10485760, "limit": 9223372036854771712, "stats": {"cache": 1048576, "rss": 9437184}},
  "networks": {}
})";

// cgroup v2 (Docker's API docs): no percpu_usage, memory_stats.stats has inactive_file
// and no cache / total_* keys.
const char kV2[] = R"({
  "read": "2024-05-20T09:15:42.123456789Z", "preread": "2024-05-20T09:15:41.120000000Z",
  "pids_stats": {"current": 3, "limit": 4915},
  "cpu_stats": {"cpu_usage": {"total_usage": 100215355, "usage_in_kernelmode": 33898000, "usage_in_usermode": 66317000},
                "system_cpu_usage": 739306590000000, "online_cpus": 4,
                "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0}},
  "precpu_stats": {"cpu_usage": {"total_usage": 50215355, "usage_in_kernelmode": 13898000, "usage_in_usermode": 36317000},
                   "system_cpu_usage": 739304590000000, "online_cpus": 4,
                   "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0}},
  "memory_stats": {"usage": 6537216, "limit": 67108864,
    "stats": {"active_anon": 1572864, "active_file": 5115904, "anon": 1572864, "anon_thp": 0, "file": 7626752,
              "file_dirty": 0, "file_mapped": 2723840, "file_writeback": 0, "inactive_anon": 0,
              "inactive_file": 2510848, "kernel_stack": 16384, "pgfault": 2042, "pgmajfault": 45, "shmem": 0,
              "slab": 1180928, "slab_reclaimable": 725576, "slab_unreclaimable": 455352, "sock": 0,
              "unevictable": 0, "workingset_refault": 0}},
  "networks": {"eth0": {"rx_bytes": 5338, "rx_dropped": 0, "rx_errors": 0, "rx_packets": 36,
                        "tx_bytes": 648, "tx_dropped": 0, "tx_errors": 0, "tx_packets": 8}}
})";

// cgroup v2 where inactive_file was read above usage: subtracting would go negative.
const char kV2CacheAboveUsage[] = R"({
  "read": "2024-05-20T09:15:42Z",
  "cpu_stats": {"cpu_usage": {"total_usage": 100}, "system_cpu_usage": 2000, "online_cpus": 1},
  "precpu_stats": {"cpu_usage": {"total_usage": 100}, "system_cpu_usage": 1000, "online_cpus": 1},
  "memory_stats": {"usage": 4096, "limit": 8192, "stats": {"inactive_file": 8192}}
})";

// The first reading of a stream, or an engine that skipped it: precpu_stats is empty,
// so there is nothing to take a CPU delta against.
const char kNoPrevious[] = R"({
  "read": "2024-05-20T09:15:42Z",
  "cpu_stats": {"cpu_usage": {"total_usage": 900000000}, "system_cpu_usage": 739306590000000, "online_cpus": 2},
  "precpu_stats": {"cpu_usage": {"total_usage": 0}, "throttling_data": {"periods": 0}},
  "memory_stats": {"usage": 1048576, "limit": 2097152, "stats": {"inactive_file": 0}}
})";

// Counters that went backwards (a container restarted between the two reads).
const char kCountersBackwards[] = R"({
  "read": "2024-05-20T09:15:42Z",
  "cpu_stats": {"cpu_usage": {"total_usage": 1000}, "system_cpu_usage": 5000, "online_cpus": 2},
  "precpu_stats": {"cpu_usage": {"total_usage": 9000}, "system_cpu_usage": 4000, "online_cpus": 2},
  "memory_stats": {}
})";

// A running container on an engine that leaves memory and networks out.
const char kOnlyCpu[] = R"({
  "read": "2024-05-20T09:15:42Z",
  "cpu_stats": {"cpu_usage": {"total_usage": 3000}, "system_cpu_usage": 6000, "online_cpus": 1},
  "precpu_stats": {"cpu_usage": {"total_usage": 1000}, "system_cpu_usage": 2000, "online_cpus": 1}
})";

// A created-but-not-started container on the engine here, verbatim.
const char kNotRunning[] = R"({"read":"0001-01-01T00:00:00Z","preread":"0001-01-01T00:00:00Z","pids_stats":{},"blkio_stats":{"io_service_bytes_recursive":null,"io_serviced_recursive":null,"io_queue_recursive":null,"io_service_time_recursive":null,"io_wait_time_recursive":null,"io_merged_recursive":null,"io_time_recursive":null,"sectors_recursive":null},"num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"precpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{},"name":"/gasper-test-metrics-probe2","id":"a0ffa85c115a2a20e5c6ed847cfedc9b91edea041ca421969dd08badab2750f1"})";

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

} // namespace

struct StatsCase
{
    QByteArray json;
    int restarts = 0;
    bool hasSample = true;
    QDateTime at;
    double cpuPercent = 0;
    qint64 memoryBytes = 0;
    qint64 memoryLimitBytes = 0;
    qint64 rxBytes = 0;
    qint64 txBytes = 0;
};
Q_DECLARE_METATYPE(StatsCase)
Q_DECLARE_METATYPE(gasper::apps::StatsReading)

class tst_AppsMetrics : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void fromStatsComputesWhatDockerStatsShows_data();
    void fromStatsComputesWhatDockerStatsShows();

    void ratesComeFromTheCountersBetweenTwoReadings_data();
    void ratesComeFromTheCountersBetweenTwoReadings();
    void nodeTotalsComeFromProc();

    void burningContainerIsSampledAtItsCpuLimit();
    void repointingSwitchesTheStreamToTheNewContainer();
    void untrackStopsSampling();
    void stoppedContainerIsDown();
    void removedContainerIsDownUntilTrackedAgain();

private:
    QString createContainer(const QString &suffix, const QJsonArray &cmd, bool startIt);
    void removeTestContainers();
    std::unique_ptr<MetricsSampler> newSampler();

    std::unique_ptr<DockerClient> m_client;
    QString m_runId;
    QString m_burner;  // python3 spinning, limited to 0.5 CPU and 64 MiB
};

QString tst_AppsMetrics::createContainer(const QString &suffix, const QJsonArray &cmd, bool startIt)
{
    const QJsonObject config{
        {u"Image"_s, u"gasper/python"_s},
        {u"Cmd"_s, cmd},
        {u"Labels"_s, QJsonObject{{u"gasper.test"_s, u"1"_s}}},
        {u"HostConfig"_s, QJsonObject{
                              {u"Init"_s, true},  // signals reach python, so removal is quick
                              {u"NanoCpus"_s, 500000000},
                              {u"Memory"_s, 64 * kMiB},
                              {u"NetworkMode"_s, u"none"_s},
                              {u"Privileged"_s, false},
                          }},
    };
    Waiter<QString> created;
    m_client->createContainer(kNamePrefix + suffix + u'-' + m_runId, config, &created.context, created.callback());
    if (!created.wait() || !*created.result) {
        qWarning() << "create failed:" << created.why();
        return {};
    }
    const QString id = **created.result;
    if (startIt) {
        Waiter<void> started;
        m_client->startContainer(id, &started.context, started.callback());
        if (!started.wait() || !*started.result) {
            qWarning() << "start failed:" << started.why();
            return {};
        }
    }
    return id;
}

void tst_AppsMetrics::removeTestContainers()
{
    // Ours and any left over by an earlier run that crashed.
    Waiter<QJsonArray> listed;
    m_client->listContainers(QJsonObject{{u"label"_s, QJsonArray{u"gasper.test=1"_s}},
                                         {u"name"_s, QJsonArray{QString(u"^/"_s + kNamePrefix)}}},
                             true, &listed.context, listed.callback());
    QVERIFY(listed.wait());
    QVERIFY2(*listed.result, qPrintable(listed.why()));
    QList<std::shared_ptr<Waiter<void>>> removals;
    for (const QJsonValue &container : **listed.result) {
        auto removal = std::make_shared<Waiter<void>>();
        m_client->removeContainer(container[u"Id"].toString(), true, &removal->context, removal->callback());
        removals.append(removal);
    }
    for (const auto &removal : removals) {
        QVERIFY(removal->wait());
        if (!*removal->result && removal->result->error().code != u"docker-not-found")
            qWarning() << "cleanup:" << removal->why();
    }
}

std::unique_ptr<MetricsSampler> tst_AppsMetrics::newSampler()
{
    auto sampler = std::make_unique<MetricsSampler>(m_client.get());
    sampler->setInterval(1000);
    return sampler;
}

void tst_AppsMetrics::initTestCase()
{
    m_runId = QUuid::createUuid().toString(QUuid::Id128).left(10);
    m_client = std::make_unique<DockerClient>(dockerSocket());
    Waiter<QJsonObject> image;
    m_client->inspectImage(u"gasper/python"_s, &image.context, image.callback());
    QVERIFY(image.wait());
    QVERIFY2(*image.result, qPrintable(u"the image gasper/python must exist locally (packaging/ builds it): "_s
                                       + image.why()));
    removeTestContainers();
    m_burner = createContainer(u"burn"_s, QJsonArray{u"python3"_s, u"-c"_s, u"while True: pass"_s}, true);
    QVERIFY(!m_burner.isEmpty());
}

void tst_AppsMetrics::cleanupTestCase()
{
    if (m_client)
        removeTestContainers();
}

void tst_AppsMetrics::fromStatsComputesWhatDockerStatsShows_data()
{
    QTest::addColumn<StatsCase>("c");
    // cpu % = (cpu delta / system delta) × online CPUs × 100
    QTest::newRow("cgroup v1, captured from the engine here")
        << StatsCase{kV1Captured, 0, true, utc(2026, 11, 27, 10, 16, 8, 587),
                     499963993.0 / 2010000000.0 * 2 * 100, 3657728, 64 * kMiB, 736, 0};
    QTest::newRow("cgroup v1, total_inactive_file left out, networks summed")
        << StatsCase{kV1PageCache, 2, true, utc(2024, 3, 1, 12, 0, 1, 0), 50.0, 100 * kMiB - 20 * kMiB,
                     512 * kMiB, 1500, 2250};
    QTest::newRow("cgroup v1, old engine: CPUs counted from percpu_usage, cache left out, no limit")
        << StatsCase{kV1OldEngine, 0, true, utc(2017, 1, 10, 8, 30, 0, 500), 100.0, 9 * kMiB,
                     9223372036854771712LL, 0, 0};
    QTest::newRow("cgroup v2, inactive_file left out")
        << StatsCase{kV2, 1, true, utc(2024, 5, 20, 9, 15, 42, 123), 10.0, 6537216 - 2510848, 64 * kMiB, 5338, 648};
    QTest::newRow("cgroup v2, cache read above usage is not subtracted")
        << StatsCase{kV2CacheAboveUsage, 0, true, utc(2024, 5, 20, 9, 15, 42, 0), 0.0, 4096, 8192, 0, 0};
    QTest::newRow("no previous reading: cpu 0, memory still there")
        << StatsCase{kNoPrevious, 0, true, utc(2024, 5, 20, 9, 15, 42, 0), 0.0, kMiB, 2 * kMiB, 0, 0};
    QTest::newRow("counters went backwards: cpu 0, empty memory_stats is 0")
        << StatsCase{kCountersBackwards, 0, true, utc(2024, 5, 20, 9, 15, 42, 0), 0.0, 0, 0, 0, 0};
    QTest::newRow("only cpu_stats: memory and network 0")
        << StatsCase{kOnlyCpu, 0, true, utc(2024, 5, 20, 9, 15, 42, 0), 50.0, 0, 0, 0, 0};
    QTest::newRow("container not running: no sample") << StatsCase{kNotRunning, 0, false};
    QTest::newRow("empty object: no sample") << StatsCase{"{}", 0, false};
    QTest::newRow("not a stats answer: no sample") << StatsCase{R"({"message":"No such container: x"})", 0, false};
}

void tst_AppsMetrics::fromStatsComputesWhatDockerStatsShows()
{
    QFETCH(StatsCase, c);
    const std::optional<StatsReading> reading = metrics::readingFromStats(parse(c.json));
    QCOMPARE(reading.has_value(), c.hasSample);
    if (!reading)
        return;
    const MetricsSample sample = metrics::sampleFrom(*reading, 0, c.restarts);
    // The engine sends nanoseconds; a millisecond either way is the parser's rounding.
    QVERIFY2(qAbs(sample.at.msecsTo(c.at)) <= 1, qPrintable(sample.at.toString(Qt::ISODateWithMs)));
    QCOMPARE(sample.at.timeSpec(), Qt::UTC);
    QVERIFY2(qAbs(sample.cpuCorePercent - c.cpuPercent) < 1e-6,
             qPrintable(u"%1 != %2"_s.arg(sample.cpuCorePercent).arg(c.cpuPercent)));
    // Without a limit the percentage is of all the host's CPUs.
    QVERIFY(qAbs(sample.cpuPercent * sample.cpuLimit - sample.cpuCorePercent) < 1e-6);
    QCOMPARE(sample.memoryBytes, c.memoryBytes);
    QCOMPARE(sample.memoryLimitBytes, c.memoryLimitBytes);
    QCOMPARE(reading->rxBytes, c.rxBytes);
    QCOMPARE(reading->txBytes, c.txBytes);
    QCOMPARE(sample.restarts, c.restarts);
    QVERIFY(sample.up);
}

namespace {
StatsReading reading(int second, qint64 cpuNs, qint64 systemNs, qint64 rx, qint64 tx, qint64 read, qint64 written)
{
    StatsReading r;
    r.at = QDateTime(QDate(2026, 12, 1), QTime(10, 0, second), Qt::UTC);
    r.cpuTotalNs = cpuNs;
    r.systemNs = systemNs;
    r.hasSystem = systemNs > 0;
    r.onlineCpus = 2;
    r.rxBytes = rx;
    r.txBytes = tx;
    r.blockReadBytes = read;
    r.blockWriteBytes = written;
    r.memoryBytes = 42 * kMiB;
    r.memoryLimitBytes = 64 * kMiB;
    return r;
}
} // namespace

void tst_AppsMetrics::ratesComeFromTheCountersBetweenTwoReadings_data()
{
    QTest::addColumn<StatsReading>("before");
    QTest::addColumn<StatsReading>("now");
    QTest::addColumn<double>("limit");
    QTest::addColumn<double>("core");      // % of one core
    QTest::addColumn<double>("ofLimit");   // % of the limit
    QTest::addColumn<double>("rx");
    QTest::addColumn<double>("tx");
    QTest::addColumn<double>("read");
    QTest::addColumn<double>("write");
    // 5 s; the host's 2 CPUs ran 10 s of CPU time (system counter), the container 2.5 s.
    QTest::newRow("half a core over 5 s, limit 0.5 CPU: all of it")
        << reading(0, 0, 100'000'000'000, 1000, 0, 0, 0) << reading(5, 2'500'000'000, 110'000'000'000, 6000, 500, 4096, 8192)
        << 0.5 << 50.0 << 100.0 << 1000.0 << 100.0 << 4096.0 / 5 << 8192.0 / 5;
    QTest::newRow("no system counter: CPU time over the wall clock")
        << reading(0, 0, 0, 0, 0, 0, 0) << reading(10, 10'000'000'000, 0, 0, 0, 0, 0)
        << 2.0 << 100.0 << 50.0 << 0.0 << 0.0 << 0.0 << 0.0;
    QTest::newRow("counters restarted (container restarted in place): they count from zero")
        << reading(0, 9'000'000'000, 100'000'000'000, 50000, 50000, 9000, 9000)
        << reading(2, 1'000'000'000, 104'000'000'000, 200, 400, 0, 0)
        << 1.0 << 50.0 << 50.0 << 100.0 << 200.0 << 0.0 << 0.0;
    QTest::newRow("no limit: percentage of the host's CPUs")
        << reading(0, 0, 100'000'000'000, 0, 0, 0, 0) << reading(1, 2'000'000'000, 102'000'000'000, 0, 0, 0, 0)
        << 0.0 << 200.0 << 100.0 << 0.0 << 0.0 << 0.0 << 0.0;
}

void tst_AppsMetrics::ratesComeFromTheCountersBetweenTwoReadings()
{
    QFETCH(StatsReading, before);
    QFETCH(StatsReading, now);
    QFETCH(double, limit);
    const MetricsSample s = metrics::sampleBetween(before, now, limit, 3);
    const auto near = [](double a, double b) { return qAbs(a - b) < 1e-6 * std::max(1.0, qAbs(b)); };
    QFETCH(double, core);
    QVERIFY2(near(s.cpuCorePercent, core), qPrintable(QString::number(s.cpuCorePercent)));
    QFETCH(double, ofLimit);
    QVERIFY2(near(s.cpuPercent, ofLimit), qPrintable(QString::number(s.cpuPercent)));
    QFETCH(double, rx);
    QFETCH(double, tx);
    QFETCH(double, read);
    QFETCH(double, write);
    QVERIFY2(near(s.rxBytesPerSec, rx), qPrintable(QString::number(s.rxBytesPerSec)));
    QVERIFY2(near(s.txBytesPerSec, tx), qPrintable(QString::number(s.txBytesPerSec)));
    QVERIFY2(near(s.blockReadBytesPerSec, read), qPrintable(QString::number(s.blockReadBytesPerSec)));
    QVERIFY2(near(s.blockWriteBytesPerSec, write), qPrintable(QString::number(s.blockWriteBytesPerSec)));
    QCOMPARE(s.memoryBytes, 42 * kMiB);
    QCOMPARE(s.restarts, 3);
    QCOMPARE(s.at, now.at);
    QVERIFY(s.up);
}

void tst_AppsMetrics::nodeTotalsComeFromProc()
{
    const auto before = metrics::cpuTimesFromProcStat("cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n");
    const auto after = metrics::cpuTimesFromProcStat("cpu  200 0 200 1300 300 0 0 0 0 0\n");
    QVERIFY(before && after);
    QCOMPARE(before->total, 1000);
    QCOMPARE(before->busy, 200);
    // 1000 jiffies passed, 200 of them busy (idle and iowait are not).
    QCOMPARE(metrics::cpuPercentBetween(*before, *after), 20.0);
    QVERIFY(!metrics::cpuTimesFromProcStat("intr 1 2 3\n"));
    QVERIFY(!metrics::cpuTimesFromProcStat(""));
    const auto memory = metrics::memoryFromProcMeminfo("MemTotal:        8000 kB\nMemFree:  100 kB\nMemAvailable:    6000 kB\n");
    QVERIFY(memory);
    QCOMPARE(memory->first, 8000 * 1024);
    QCOMPARE(memory->second, 2000 * 1024);
    QVERIFY(!metrics::memoryFromProcMeminfo("MemTotal: 8000 kB\n"));
    // The real files of this machine parse.
    QFile stat(u"/proc/stat"_s), meminfo(u"/proc/meminfo"_s);
    QVERIFY(stat.open(QIODevice::ReadOnly) && meminfo.open(QIODevice::ReadOnly));
    QVERIFY(metrics::cpuTimesFromProcStat(stat.read(4096)));
    QVERIFY(metrics::memoryFromProcMeminfo(meminfo.read(8192)));
}

void tst_AppsMetrics::burningContainerIsSampledAtItsCpuLimit()
{
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    const qint64 pooledBefore = m_client->openedConnectionCount();
    sampler->track(u"burn"_s, m_burner, 2, 0.5);
    sampler->start();
    QCOMPARE(sampler->openStreams(), 1);
    // Two sample periods after the first reading: the second sample spans a whole interval.
    QTRY_VERIFY_WITH_TIMEOUT(recorder.countUp(u"burn"_s) >= 3, kWaitMs);
    double busiest = 0;
    for (const MetricsSample &s : recorder.byApp.value(u"burn"_s)) {
        const QString what = s.at.toString(Qt::ISODateWithMs) + u" cpu "_s + QString::number(s.cpuPercent)
                             + u" mem "_s + QString::number(s.memoryBytes);
        QVERIFY2(s.up, qPrintable(what));
        // 0.5 CPU is enforced by CFS: % of one core stays near 50, % of the limit near 100.
        QVERIFY2(s.cpuCorePercent < 80, qPrintable(what));
        QCOMPARE(s.cpuLimit, 0.5);
        QCOMPARE(s.memoryLimitBytes, 64 * kMiB);
        QVERIFY2(s.memoryBytes > 0 && s.memoryBytes < 64 * kMiB, qPrintable(what));
        QCOMPARE(s.restarts, 2);
        QCOMPARE(s.rxBytesPerSec, 0.0);  // NetworkMode none: no networks at all
        busiest = std::max(busiest, s.cpuPercent);
    }
    // Not every interval: a loaded shared machine may starve the container for a while.
    QVERIFY2(busiest > 70, qPrintable(QString::number(busiest)));
    // The stream has a connection of its own: the pool of plain calls opened none for it.
    QCOMPARE(m_client->openedConnectionCount(), pooledBefore);
}

void tst_AppsMetrics::repointingSwitchesTheStreamToTheNewContainer()
{
    const QString idle = createContainer(u"idle"_s, QJsonArray{u"sleep"_s, u"300"_s}, true);
    QVERIFY(!idle.isEmpty());
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"app"_s, m_burner, 0, 0.5);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.countUp(u"app"_s) >= 2, kWaitMs);
    QVERIFY(recorder.last(u"app"_s)->cpuPercent > 20);
    // A rebuild: the app now runs in the idle container.
    sampler->track(u"app"_s, idle, 1, 0.5);
    QCOMPARE(sampler->openStreams(), 1);
    const qsizetype before = recorder.count(u"app"_s);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.countUp(u"app"_s) >= before + 3 && recorder.last(u"app"_s)->restarts == 1, kWaitMs);
    QVERIFY2(recorder.last(u"app"_s)->cpuPercent < 10, qPrintable(QString::number(recorder.last(u"app"_s)->cpuPercent)));
    Waiter<void> removed;
    m_client->removeContainer(idle, true, &removed.context, removed.callback());
    QVERIFY(removed.wait());
}

void tst_AppsMetrics::untrackStopsSampling()
{
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"gone"_s, m_burner, 0, 1);
    sampler->track(u"stays"_s, m_burner, 0, 1);
    sampler->start();
    QCOMPARE(sampler->openStreams(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"gone"_s) >= 1 && recorder.count(u"stays"_s) >= 1, kWaitMs);
    sampler->untrack(u"gone"_s);
    QCOMPARE(sampler->openStreams(), 1);
    const qsizetype before = recorder.count(u"gone"_s);
    const qsizetype othersBefore = recorder.count(u"stays"_s);
    QVERIFY(!sampler->isTracking(u"gone"_s));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"stays"_s) >= othersBefore + 3, kWaitMs);
    QCOMPARE(recorder.count(u"gone"_s), before);
    sampler->stop();
    QCOMPARE(sampler->openStreams(), 0);
}

void tst_AppsMetrics::stoppedContainerIsDown()
{
    const QString created = createContainer(u"created"_s, QJsonArray{u"true"_s}, false);
    QVERIFY(!created.isEmpty());
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"idle"_s, created, 0, 1);
    sampler->track(u"busy"_s, m_burner, 0, 1);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"idle"_s) >= 2 && recorder.countUp(u"busy"_s) >= 2, kWaitMs);
    QCOMPARE(recorder.countUp(u"idle"_s), 0);
    QCOMPARE(recorder.last(u"idle"_s)->cpuPercent, 0.0);
    QVERIFY(sampler->isTracking(u"idle"_s));  // a stopped app is still tracked: it may start again
    Waiter<void> removed;
    m_client->removeContainer(created, true, &removed.context, removed.callback());
    QVERIFY(removed.wait());
}

void tst_AppsMetrics::removedContainerIsDownUntilTrackedAgain()
{
    const QString doomed = createContainer(u"doomed"_s, QJsonArray{u"sleep"_s, u"300"_s}, true);
    QVERIFY(!doomed.isEmpty());
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"app"_s, doomed, 0, 1);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.countUp(u"app"_s) >= 1, kWaitMs);

    Waiter<void> removed;
    m_client->removeContainer(doomed, true, &removed.context, removed.callback());
    QVERIFY(removed.wait());
    QVERIFY2(*removed.result, qPrintable(removed.why()));
    // Its stream ends; the ticks say "down".
    QTRY_VERIFY_WITH_TIMEOUT(sampler->openStreams() == 0, kWaitMs);
    const int ticks = recorder.ticks;
    QTRY_VERIFY_WITH_TIMEOUT(recorder.ticks >= ticks + 2, kWaitMs);
    QVERIFY(!recorder.last(u"app"_s)->up);
    QCOMPARE(sampler->openStreams(), 0);  // not asked again

    // Re-pointed (a rebuild): sampled again with the new restart count.
    sampler->track(u"app"_s, m_burner, 5, 0.5);
    QCOMPARE(sampler->openStreams(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.last(u"app"_s)->up && recorder.last(u"app"_s)->restarts == 5, kWaitMs);
}

QTEST_GUILESS_MAIN(tst_AppsMetrics)
#include "tst_apps_metrics.moc"
