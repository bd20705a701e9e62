// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace gasper::apps {

// One message of the engine's stats stream (GET /containers/{id}/stats?stream=1), reduced to
// the cumulative counters a rate is computed from.
struct StatsReading
{
    QDateTime at;                 // when the engine read the counters (UTC)
    qint64 cpuTotalNs = 0;        // cpu_stats.cpu_usage.total_usage
    qint64 systemNs = 0;          // cpu_stats.system_cpu_usage (all CPUs of the host)
    bool hasSystem = false;
    int onlineCpus = 0;
    double instantCpuCorePercent = 0;  // from precpu_stats, as `docker stats` shows it
    qint64 memoryBytes = 0;       // usage without reclaimable page cache
    qint64 memoryLimitBytes = 0;
    qint64 rxBytes = 0;           // all networks
    qint64 txBytes = 0;
    qint64 blockReadBytes = 0;    // blkio io_service_bytes_recursive
    qint64 blockWriteBytes = 0;
};

// One point of an app's series, every sampling interval.
struct MetricsSample
{
    QDateTime at;
    bool up = false;               // the container ran during the interval
    double cpuPercent = 0;         // of the app's CPU limit: 100 = all of it
    double cpuCorePercent = 0;     // of one CPU core: two busy cores = 200
    double cpuLimit = 0;           // the limit in CPUs the percentage is of
    qint64 memoryBytes = 0;
    qint64 memoryLimitBytes = 0;
    double rxBytesPerSec = 0;
    double txBytesPerSec = 0;
    double blockReadBytesPerSec = 0;
    double blockWriteBytesPerSec = 0;
    int restarts = 0;              // since the app was deployed, as the worker counts them
};

struct AppSample
{
    QString app;
    MetricsSample sample;
};

// The node's totals at one tick.
struct NodeSample
{
    QDateTime at;
    double cpuPercent = 0;  // of all the node's CPUs
    int cpus = 0;
    qint64 memoryBytes = 0;       // MemTotal - MemAvailable
    qint64 memoryTotalBytes = 0;
    qint64 diskUsedBytes = 0;     // the file system of the data dir
    qint64 diskTotalBytes = 0;
    qint64 dockerDiskUsedBytes = -1;  // the engine's root dir; -1 when it cannot be read
    qint64 dockerDiskTotalBytes = -1;
    int apps = 0;                  // apps with a live container here
};

// Pure functions of the metrics, tested on their own.
namespace metrics {

// One stats object → its counters. nullopt for something that is not a stats object or for
// a container that is not running (the engine then sends read = 0001-01-01 and zeros).
std::optional<StatsReading> readingFromStats(const QJsonObject &stats);

// The sample over the interval between two readings of one container. A counter that went
// down (the container restarted in place) counts from zero. `cpuLimit` <= 0: the host's CPUs.
MetricsSample sampleBetween(const StatsReading &before, const StatsReading &now, double cpuLimit, int restarts);

// A sample from one reading alone (the first after a stream opened): CPU from the engine's
// own one-second precpu delta, rates zero.
MetricsSample sampleFrom(const StatsReading &reading, double cpuLimit, int restarts);

// /proc/stat's first line: busy and total jiffies.
struct CpuTimes
{
    qint64 busy = 0;
    qint64 total = 0;
};
std::optional<CpuTimes> cpuTimesFromProcStat(const QByteArray &procStat);
// Percentage of all CPUs busy between two readings.
double cpuPercentBetween(const CpuTimes &before, const CpuTimes &now);
// /proc/meminfo → {total, used} in bytes (used = MemTotal - MemAvailable).
std::optional<std::pair<qint64, qint64>> memoryFromProcMeminfo(const QByteArray &meminfo);

} // namespace metrics

} // namespace gasper::apps
