// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <optional>

namespace gasper::docker {
class DockerClient;
}

namespace gasper::apps {

// One reading of an app's container, as `docker stats` shows it.
struct MetricsSample
{
    QDateTime at;              // when the engine read the counters (UTC)
    double cpuPercent = 0;     // of one CPU = 100 (two busy CPUs = 200)
    qint64 memoryBytes = 0;    // usage without reclaimable page cache
    qint64 memoryLimitBytes = 0;
    qint64 rxBytes = 0;        // cumulative since container start, all networks
    qint64 txBytes = 0;
    int restarts = 0;          // as the caller last told track()
};

// Samples `docker stats` of the app containers it is told about every interval()
// (default 10 s), keeps a ring of the newest capacity() samples per app (default 360 =
// 1 h at 10 s) and answers queries from memory.
//
// Guarantees: one stats call per app per tick and never more than one in flight per app
// (a slow engine makes ticks skip, not pile up; this holds across track()/untrack() of
// the same name too); an answer that arrives after the app was re-pointed or untracked
// is dropped. An app whose container is gone (docker-not-found) is skipped until track()
// is called for it again; other errors are retried on the next tick. A stopped
// container yields no samples (the engine answers with zeros). Samples are kept in
// arrival order, oldest first, and history survives re-pointing an app at a new
// container (a rebuild); untrack() forgets it.
class MetricsSampler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsSampler)

public:
    static constexpr int kDefaultIntervalMs = 10000;
    static constexpr int kDefaultCapacity = 360;

    // `docker` must outlive the sampler.
    explicit MetricsSampler(docker::DockerClient *docker, QObject *parent = nullptr);

    void setInterval(int ms);        // at least 1; takes effect at once when running
    int interval() const { return m_timer.interval(); }
    void setCapacity(int samples);   // at least 1; trims existing rings at once
    int capacity() const { return m_capacity; }

    // (Re)points `app` at `containerId` and sets the restart count for its next samples.
    // Clears the "gone" mark; keeps the app's history.
    void track(const QString &app, const QString &containerId, int restarts);
    // Stops sampling `app` and drops its history.
    void untrack(const QString &app);
    bool isTracking(const QString &app) const { return m_apps.contains(app); }

    // start() samples at once, then every interval(). stop() lets calls in flight land.
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

    // Oldest first; with a valid `since`, only samples taken strictly after it (so a
    // client can pass the `at` of the last sample it has).
    QList<MetricsSample> samples(const QString &app, const QDateTime &since = {}) const;
    std::optional<MetricsSample> latest(const QString &app) const;

    // Pure: one answer of GET /containers/{id}/stats?stream=false → a sample, computed as
    // the docker CLI does on cgroup v1 and v2. No sample (nullopt) for something that is
    // not a stats object or for a container that is not running (zero read time).
    static std::optional<MetricsSample> fromStats(const QJsonObject &stats, int restarts);

signals:
    void sampled(const QString &app, const gasper::apps::MetricsSample &sample);

private:
    struct Tracked
    {
        QString containerId;
        int restarts = 0;
        quint64 generation = 0;  // changes on every track(); stale answers are dropped
        bool gone = false;
        QList<MetricsSample> ring;
    };

    void tick();
    void sample(const QString &app, Tracked &tracked);

    docker::DockerClient *m_docker;
    QTimer m_timer;
    int m_capacity = kDefaultCapacity;
    quint64 m_nextGeneration = 1;
    QHash<QString, Tracked> m_apps;
    QSet<QString> m_inFlight;  // by app name, so it outlives an untrack()/track() pair
};

} // namespace gasper::apps
