// SPDX-License-Identifier: MIT
#include "apps/MetricsMath.h"

#include <QJsonArray>

#include <algorithm>

namespace gasper::apps::metrics {

namespace {

qint64 integer(const QJsonObject &object, QStringView key)
{
    return object.value(key).toInteger();
}

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

// As `docker stats`: the container's CPU time over the host's, times the host's CPUs.
double corePercent(qint64 cpuDelta, qint64 systemDelta, qint64 cpus)
{
    if (cpuDelta <= 0 || systemDelta <= 0 || cpus <= 0)
        return 0;
    return double(cpuDelta) / double(systemDelta) * double(cpus) * 100.0;
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

// A counter's growth; one that went down started again from zero. A negative counter (a
// broken engine) grows by nothing.
qint64 growth(qint64 before, qint64 now)
{
    if (now < 0)
        return 0;
    return now >= before && before >= 0 ? now - before : now;
}

double limitOr(double cpuLimit, int onlineCpus)
{
    if (cpuLimit > 0)
        return cpuLimit;
    return onlineCpus > 0 ? onlineCpus : 1;
}

double clampPercent(double value)
{
    return std::max(0.0, value);
}

} // namespace

std::optional<StatsReading> readingFromStats(const QJsonObject &stats)
{
    if (!stats.value(u"cpu_stats").isObject() && !stats.value(u"memory_stats").isObject())
        return std::nullopt;
    const QDateTime at = QDateTime::fromString(stats.value(u"read").toString(), Qt::ISODateWithMs);
    if (!at.isValid() || at.date().year() <= 1)
        return std::nullopt;

    StatsReading reading;
    reading.at = at.toUTC();
    const CpuReading now = cpuReading(stats.value(u"cpu_stats").toObject());
    const CpuReading before = cpuReading(stats.value(u"precpu_stats").toObject());
    reading.cpuTotalNs = now.total;
    reading.systemNs = now.system;
    reading.hasSystem = now.hasSystem;
    reading.onlineCpus = int(now.onlineCpus);
    // Without a previous system reading the delta would span the host's whole uptime.
    if (now.hasSystem && before.hasSystem && before.system > 0)
        reading.instantCpuCorePercent = corePercent(now.total - before.total, now.system - before.system, now.onlineCpus);
    const QJsonObject memory = stats.value(u"memory_stats").toObject();
    reading.memoryBytes = memoryWithoutCache(memory);
    reading.memoryLimitBytes = integer(memory, u"limit");
    const QJsonObject networks = stats.value(u"networks").toObject();
    for (auto it = networks.begin(); it != networks.end(); ++it) {
        const QJsonObject network = it.value().toObject();
        reading.rxBytes += integer(network, u"rx_bytes");
        reading.txBytes += integer(network, u"tx_bytes");
    }
    const QJsonArray io = stats.value(u"blkio_stats").toObject().value(u"io_service_bytes_recursive").toArray();
    for (const QJsonValue &entry : io) {
        const QJsonObject e = entry.toObject();
        const QString op = e.value(u"op").toString();
        if (op.compare(u"read", Qt::CaseInsensitive) == 0)
            reading.blockReadBytes += integer(e, u"value");
        else if (op.compare(u"write", Qt::CaseInsensitive) == 0)
            reading.blockWriteBytes += integer(e, u"value");
    }
    return reading;
}

MetricsSample sampleBetween(const StatsReading &before, const StatsReading &now, double cpuLimit, int restarts)
{
    MetricsSample sample;
    sample.at = now.at;
    sample.up = true;
    sample.restarts = restarts;
    sample.memoryBytes = now.memoryBytes;
    sample.memoryLimitBytes = now.memoryLimitBytes;
    const qint64 elapsedMs = before.at.msecsTo(now.at);
    if (elapsedMs <= 0)
        return sampleFrom(now, cpuLimit, restarts);
    const double seconds = double(elapsedMs) / 1000.0;
    const qint64 cpuDelta = growth(before.cpuTotalNs, now.cpuTotalNs);
    if (before.hasSystem && now.hasSystem && now.systemNs > before.systemNs)
        sample.cpuCorePercent = corePercent(cpuDelta, now.systemNs - before.systemNs, now.onlineCpus);
    else  // no host counter: the container's CPU time over the wall clock
        sample.cpuCorePercent = clampPercent(double(cpuDelta) / (seconds * 1e9) * 100.0);
    sample.cpuLimit = limitOr(cpuLimit, now.onlineCpus);
    sample.cpuPercent = sample.cpuCorePercent / sample.cpuLimit;
    sample.rxBytesPerSec = double(growth(before.rxBytes, now.rxBytes)) / seconds;
    sample.txBytesPerSec = double(growth(before.txBytes, now.txBytes)) / seconds;
    sample.blockReadBytesPerSec = double(growth(before.blockReadBytes, now.blockReadBytes)) / seconds;
    sample.blockWriteBytesPerSec = double(growth(before.blockWriteBytes, now.blockWriteBytes)) / seconds;
    return sample;
}

MetricsSample sampleFrom(const StatsReading &reading, double cpuLimit, int restarts)
{
    MetricsSample sample;
    sample.at = reading.at;
    sample.up = true;
    sample.restarts = restarts;
    sample.memoryBytes = reading.memoryBytes;
    sample.memoryLimitBytes = reading.memoryLimitBytes;
    sample.cpuCorePercent = reading.instantCpuCorePercent;
    sample.cpuLimit = limitOr(cpuLimit, reading.onlineCpus);
    sample.cpuPercent = sample.cpuCorePercent / sample.cpuLimit;
    return sample;
}

std::optional<CpuTimes> cpuTimesFromProcStat(const QByteArray &procStat)
{
    const qsizetype end = procStat.indexOf('\n');
    const QByteArray line = procStat.left(end < 0 ? procStat.size() : end).simplified();
    const QList<QByteArray> fields = line.split(' ');
    if (fields.size() < 5 || fields.first() != "cpu")
        return std::nullopt;
    // user nice system idle iowait irq softirq steal (guest times are inside user/nice)
    CpuTimes times;
    for (qsizetype i = 1; i < fields.size() && i <= 8; ++i) {
        bool ok = false;
        const qint64 value = fields[i].toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        times.total += value;
        if (i != 4 && i != 5)  // idle and iowait are not busy
            times.busy += value;
    }
    return times;
}

double cpuPercentBetween(const CpuTimes &before, const CpuTimes &now)
{
    const qint64 total = now.total - before.total;
    const qint64 busy = now.busy - before.busy;
    if (total <= 0 || busy < 0)
        return 0;
    return std::min(100.0, double(busy) / double(total) * 100.0);
}

std::optional<std::pair<qint64, qint64>> memoryFromProcMeminfo(const QByteArray &meminfo)
{
    qint64 total = -1;
    qint64 available = -1;
    for (const QByteArray &raw : meminfo.split('\n')) {
        const QList<QByteArray> fields = raw.simplified().split(' ');
        if (fields.size() < 2)
            continue;
        const qint64 kib = fields[1].toLongLong();
        if (fields[0] == "MemTotal:")
            total = kib * 1024;
        else if (fields[0] == "MemAvailable:")
            available = kib * 1024;
    }
    if (total <= 0 || available < 0)
        return std::nullopt;
    return std::pair{total, std::max<qint64>(0, total - available)};
}

} // namespace gasper::apps::metrics
