// SPDX-License-Identifier: MIT
#include "apps/MetricsSampler.h"

#include "core/Log.h"
#include "docker/DockerClient.h"

#include <QJsonArray>

#include <algorithm>

namespace gasper::apps {

namespace {

qint64 integer(const QJsonObject &object, QStringView key)
{
    return object.value(key).toInteger();
}

// cpu_stats.cpu_usage.total_usage etc. of one of cpu_stats / precpu_stats.
struct CpuReading
{
    qint64 total = 0;
    qint64 system = 0;
    bool hasSystem = false;
    qint64 onlineCpus = 0;
};

CpuReading cpuReading(const QJsonObject &cpuStats)
{
    CpuReading reading;
    const QJsonObject usage = cpuStats.value(u"cpu_usage").toObject();
    reading.total = integer(usage, u"total_usage");
    reading.hasSystem = cpuStats.contains(u"system_cpu_usage");
    reading.system = integer(cpuStats, u"system_cpu_usage");
    reading.onlineCpus = integer(cpuStats, u"online_cpus");
    // Engines before API 1.27 do not send online_cpus; the per-CPU list has one entry
    // per CPU there (cgroup v2 has neither list nor gap: it always sends online_cpus).
    if (reading.onlineCpus <= 0)
        reading.onlineCpus = usage.value(u"percpu_usage").toArray().size();
    return reading;
}

double cpuPercent(const QJsonObject &stats)
{
    const CpuReading now = cpuReading(stats.value(u"cpu_stats").toObject());
    const CpuReading before = cpuReading(stats.value(u"precpu_stats").toObject());
    // Without a previous system reading the delta would span the host's whole uptime.
    if (!now.hasSystem || !before.hasSystem)
        return 0;
    const qint64 cpuDelta = now.total - before.total;
    const qint64 systemDelta = now.system - before.system;
    if (cpuDelta <= 0 || systemDelta <= 0 || now.onlineCpus <= 0)
        return 0;
    return double(cpuDelta) / double(systemDelta) * double(now.onlineCpus) * 100.0;
}

// Usage minus the page cache the kernel would drop under pressure, like `docker stats`.
qint64 memoryWithoutCache(const QJsonObject &memoryStats)
{
    const qint64 usage = integer(memoryStats, u"usage");
    const QJsonObject detail = memoryStats.value(u"stats").toObject();
    qint64 cache = 0;
    if (detail.contains(u"total_inactive_file"))  // cgroup v1
        cache = integer(detail, u"total_inactive_file");
    else if (detail.contains(u"cache"))  // cgroup v1, older engines
        cache = integer(detail, u"cache");
    else  // cgroup v2
        cache = integer(detail, u"inactive_file");
    // Counters are read one after the other, so cache can exceed usage for a moment.
    return cache > 0 && cache < usage ? usage - cache : usage;
}

} // namespace

MetricsSampler::MetricsSampler(docker::DockerClient *docker, QObject *parent) : QObject(parent), m_docker(docker)
{
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MetricsSampler::tick);
}

void MetricsSampler::setInterval(int ms)
{
    m_timer.setInterval(std::max(ms, 1));  // also restarts a running timer
}

void MetricsSampler::setCapacity(int samples)
{
    m_capacity = std::max(samples, 1);
    for (Tracked &tracked : m_apps) {
        if (tracked.ring.size() > m_capacity)
            tracked.ring.remove(0, tracked.ring.size() - m_capacity);
    }
}

void MetricsSampler::track(const QString &app, const QString &containerId, int restarts)
{
    Tracked &tracked = m_apps[app];
    tracked.containerId = containerId;
    tracked.restarts = restarts;
    tracked.generation = m_nextGeneration++;
    tracked.gone = false;
}

void MetricsSampler::untrack(const QString &app)
{
    // A call in flight stays in m_inFlight until it lands, then is dropped.
    m_apps.remove(app);
}

void MetricsSampler::start()
{
    if (m_timer.isActive())
        return;
    m_timer.start();
    tick();
}

void MetricsSampler::stop()
{
    m_timer.stop();
}

QList<MetricsSample> MetricsSampler::samples(const QString &app, const QDateTime &since) const
{
    const auto it = m_apps.constFind(app);
    if (it == m_apps.cend())
        return {};
    if (!since.isValid())
        return it->ring;
    // The ring is in time order: find the first sample after `since`.
    const auto first = std::upper_bound(it->ring.cbegin(), it->ring.cend(), since,
                                        [](const QDateTime &t, const MetricsSample &s) { return t < s.at; });
    return QList<MetricsSample>(first, it->ring.cend());
}

std::optional<MetricsSample> MetricsSampler::latest(const QString &app) const
{
    const auto it = m_apps.constFind(app);
    if (it == m_apps.cend() || it->ring.isEmpty())
        return std::nullopt;
    return it->ring.last();
}

std::optional<MetricsSample> MetricsSampler::fromStats(const QJsonObject &stats, int restarts)
{
    if (!stats.value(u"cpu_stats").isObject() && !stats.value(u"memory_stats").isObject())
        return std::nullopt;
    // A container that is not running answers with read = 0001-01-01T00:00:00Z and zeros.
    const QDateTime at = QDateTime::fromString(stats.value(u"read").toString(), Qt::ISODateWithMs);
    if (!at.isValid() || at.date().year() <= 1)
        return std::nullopt;

    MetricsSample sample;
    sample.at = at.toUTC();
    sample.restarts = restarts;
    sample.cpuPercent = cpuPercent(stats);
    const QJsonObject memory = stats.value(u"memory_stats").toObject();
    sample.memoryBytes = memoryWithoutCache(memory);
    sample.memoryLimitBytes = integer(memory, u"limit");
    const QJsonObject networks = stats.value(u"networks").toObject();
    for (auto it = networks.begin(); it != networks.end(); ++it) {
        const QJsonObject network = it.value().toObject();
        sample.rxBytes += integer(network, u"rx_bytes");
        sample.txBytes += integer(network, u"tx_bytes");
    }
    return sample;
}

void MetricsSampler::tick()
{
    for (auto it = m_apps.begin(); it != m_apps.end(); ++it)
        sample(it.key(), it.value());
}

void MetricsSampler::sample(const QString &app, Tracked &tracked)
{
    if (tracked.gone || tracked.containerId.isEmpty() || m_inFlight.contains(app))
        return;
    m_inFlight.insert(app);
    const quint64 generation = tracked.generation;
    m_docker->containerStats(tracked.containerId, this, [this, app, generation](Result<QJsonObject> result) {
        m_inFlight.remove(app);
        const auto it = m_apps.find(app);
        if (it == m_apps.end() || it->generation != generation)
            return;  // untracked or re-pointed meanwhile: the answer is about the old container
        if (!result) {
            if (result.error().code == u"docker-not-found") {
                qCInfo(lcApps) << "metrics: container of" << app << "is gone; not sampling it until tracked again";
                it->gone = true;
            } else {
                qCDebug(lcApps) << "metrics: stats of" << app << "failed:" << result.error().code
                                << result.error().message;
            }
            return;
        }
        const std::optional<MetricsSample> reading = fromStats(*result, it->restarts);
        if (!reading)
            return;  // not running
        // samples(since) relies on time order; an engine clock stepping back costs a few
        // samples rather than a ring out of order.
        if (!it->ring.isEmpty() && reading->at <= it->ring.last().at)
            return;
        it->ring.append(*reading);
        if (it->ring.size() > m_capacity)
            it->ring.removeFirst();
        emit sampled(app, *reading);
    });
}

} // namespace gasper::apps
