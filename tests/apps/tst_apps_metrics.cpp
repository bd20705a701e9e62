// SPDX-License-Identifier: MIT
// The metrics sampler: fromStats against hand-written cgroup v1/v2 answers of the stats
// API, then the sampler against the real dockerd with a container that burns CPU under
// a 0.5 CPU / 64 MiB limit (local image gasper/python, never pulled; containers named
// gasper-test-metrics-*, labelled gasper.test=1).

#include "apps/MetricsSampler.h"
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

// What sampled() said, per app.
struct Recorder
{
    QHash<QString, QList<MetricsSample>> byApp;

    explicit Recorder(MetricsSampler *sampler)
    {
        QObject::connect(sampler, &MetricsSampler::sampled, sampler,
                         [this](const QString &app, const MetricsSample &sample) { byApp[app].append(sample); });
    }
    qsizetype count(const QString &app) const { return byApp.value(app).size(); }
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

class tst_AppsMetrics : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void fromStatsComputesWhatDockerStatsShows_data();
    void fromStatsComputesWhatDockerStatsShows();

    void burningContainerIsSampledAtItsCpuAndMemoryLimit();
    void samplesSinceReturnsOnlyLaterSamplesOldestFirst();
    void capacityKeepsOnlyTheNewestSamples();
    void untrackStopsSamplingAndForgetsHistory();
    void containerNotRunningYieldsNoSamples();
    void removedContainerIsSkippedUntilTrackedAgainAndHistoryIsKept();

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
    sampler->setInterval(300);
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
    const std::optional<MetricsSample> sample = MetricsSampler::fromStats(parse(c.json), c.restarts);
    QCOMPARE(sample.has_value(), c.hasSample);
    if (!sample)
        return;
    // The engine sends nanoseconds; a millisecond either way is the parser's rounding.
    QVERIFY2(qAbs(sample->at.msecsTo(c.at)) <= 1, qPrintable(sample->at.toString(Qt::ISODateWithMs)));
    QCOMPARE(sample->at.timeSpec(), Qt::UTC);
    QVERIFY2(qAbs(sample->cpuPercent - c.cpuPercent) < 1e-6,
             qPrintable(u"%1 != %2"_s.arg(sample->cpuPercent).arg(c.cpuPercent)));
    QCOMPARE(sample->memoryBytes, c.memoryBytes);
    QCOMPARE(sample->memoryLimitBytes, c.memoryLimitBytes);
    QCOMPARE(sample->rxBytes, c.rxBytes);
    QCOMPARE(sample->txBytes, c.txBytes);
    QCOMPARE(sample->restarts, c.restarts);
}

void tst_AppsMetrics::burningContainerIsSampledAtItsCpuAndMemoryLimit()
{
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"burn"_s, m_burner, 2);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"burn"_s) >= 3, kWaitMs);

    const QList<MetricsSample> samples = sampler->samples(u"burn"_s);
    QVERIFY(samples.size() >= 3);
    QCOMPARE(sampler->latest(u"burn"_s)->at, samples.last().at);
    double busiest = 0;
    for (const MetricsSample &s : samples) {
        const QString what = s.at.toString(Qt::ISODateWithMs) + u" cpu "_s + QString::number(s.cpuPercent)
                             + u" mem "_s + QString::number(s.memoryBytes);
        // 0.5 CPU is enforced by CFS; some slack for the quota periods a reading straddles.
        QVERIFY2(s.cpuPercent < 80, qPrintable(what));
        QCOMPARE(s.memoryLimitBytes, 64 * kMiB);
        QVERIFY2(s.memoryBytes > 0 && s.memoryBytes < 64 * kMiB, qPrintable(what));
        QCOMPARE(s.restarts, 2);
        QCOMPARE(s.rxBytes, 0);  // NetworkMode none: no networks at all
        busiest = std::max(busiest, s.cpuPercent);
    }
    // Not every reading: a loaded shared machine may starve the container for a while.
    QVERIFY2(busiest > 10, qPrintable(QString::number(busiest)));
    for (qsizetype i = 1; i < samples.size(); ++i)
        QVERIFY(samples.at(i - 1).at < samples.at(i).at);
}

void tst_AppsMetrics::samplesSinceReturnsOnlyLaterSamplesOldestFirst()
{
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"since"_s, m_burner, 0);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"since"_s) >= 3, kWaitMs);
    sampler->stop();
    const QList<MetricsSample> all = sampler->samples(u"since"_s);
    QVERIFY(all.size() >= 3);

    const auto ats = [](const QList<MetricsSample> &list) {
        QList<QDateTime> out;
        for (const MetricsSample &s : list)
            out.append(s.at);
        return out;
    };
    QCOMPARE(ats(sampler->samples(u"since"_s, all.first().at)), ats(all.mid(1)));
    QCOMPARE(ats(sampler->samples(u"since"_s, all.at(1).at.addMSecs(-1))), ats(all.mid(1)));
    QCOMPARE(ats(sampler->samples(u"since"_s, all.first().at.addSecs(-3600))), ats(all));
    QVERIFY(sampler->samples(u"since"_s, all.last().at).isEmpty());
    QVERIFY(sampler->samples(u"unknown"_s).isEmpty());
    QVERIFY(!sampler->latest(u"unknown"_s));
}

void tst_AppsMetrics::capacityKeepsOnlyTheNewestSamples()
{
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->setCapacity(2);
    sampler->track(u"ring"_s, m_burner, 0);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"ring"_s) >= 4, kWaitMs);
    sampler->stop();
    const QList<MetricsSample> emitted = recorder.byApp.value(u"ring"_s);
    const QList<MetricsSample> kept = sampler->samples(u"ring"_s);
    QCOMPARE(kept.size(), 2);
    QCOMPARE(kept.at(0).at, emitted.at(emitted.size() - 2).at);
    QCOMPARE(kept.at(1).at, emitted.last().at);

    sampler->setCapacity(1);  // trims at once
    QCOMPARE(sampler->samples(u"ring"_s).size(), 1);
    QCOMPARE(sampler->samples(u"ring"_s).first().at, emitted.last().at);
}

void tst_AppsMetrics::untrackStopsSamplingAndForgetsHistory()
{
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"gone"_s, m_burner, 0);
    sampler->track(u"stays"_s, m_burner, 0);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"gone"_s) >= 1 && recorder.count(u"stays"_s) >= 1, kWaitMs);
    sampler->untrack(u"gone"_s);  // most likely with a stats call in flight: its answer must be dropped
    const qsizetype before = recorder.count(u"gone"_s);
    const qsizetype othersBefore = recorder.count(u"stays"_s);
    QVERIFY(!sampler->isTracking(u"gone"_s));
    QVERIFY(sampler->samples(u"gone"_s).isEmpty());
    QVERIFY(!sampler->latest(u"gone"_s));
    // Long enough for the call in flight to land and a dozen ticks to pass; the other app
    // going on shows the sampler was alive meanwhile.
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"stays"_s) >= othersBefore + 2, kWaitMs);
    QTest::qWait(1000);
    QCOMPARE(recorder.count(u"gone"_s), before);
    QVERIFY(sampler->samples(u"gone"_s).isEmpty());
}

void tst_AppsMetrics::containerNotRunningYieldsNoSamples()
{
    const QString created = createContainer(u"created"_s, QJsonArray{u"true"_s}, false);
    QVERIFY(!created.isEmpty());
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"idle"_s, created, 0);
    sampler->track(u"busy"_s, m_burner, 0);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"busy"_s) >= 2, kWaitMs);
    QCOMPARE(recorder.count(u"idle"_s), 0);
    QVERIFY(!sampler->latest(u"idle"_s));
    QVERIFY(sampler->isTracking(u"idle"_s));  // a stopped app is still tracked: it may start again
}

void tst_AppsMetrics::removedContainerIsSkippedUntilTrackedAgainAndHistoryIsKept()
{
    const QString doomed = createContainer(u"doomed"_s, QJsonArray{u"sleep"_s, u"300"_s}, true);
    QVERIFY(!doomed.isEmpty());
    auto sampler = newSampler();
    Recorder recorder(sampler.get());
    sampler->track(u"app"_s, doomed, 0);
    sampler->track(u"busy"_s, m_burner, 0);
    sampler->start();
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"app"_s) >= 1, kWaitMs);

    Waiter<void> removed;
    m_client->removeContainer(doomed, true, &removed.context, removed.callback());
    QVERIFY(removed.wait());
    QVERIFY2(*removed.result, qPrintable(removed.why()));
    // An answer already on its way may still land; after that nothing.
    const qsizetype othersBefore = recorder.count(u"busy"_s);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"busy"_s) >= othersBefore + 2, kWaitMs);
    const qsizetype afterRemoval = recorder.count(u"app"_s);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"busy"_s) >= othersBefore + 4, kWaitMs);
    QCOMPARE(recorder.count(u"app"_s), afterRemoval);

    // Re-pointed (a rebuild): sampled again with the new restart count, history kept.
    sampler->track(u"app"_s, m_burner, 5);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.count(u"app"_s) >= afterRemoval + 1, kWaitMs);
    const QList<MetricsSample> history = sampler->samples(u"app"_s);
    QVERIFY(history.size() >= 2);
    QCOMPARE(history.first().restarts, 0);
    QCOMPARE(history.last().restarts, 5);
    QVERIFY(history.last().cpuPercent > 0);
}

QTEST_GUILESS_MAIN(tst_AppsMetrics)
#include "tst_apps_metrics.moc"
