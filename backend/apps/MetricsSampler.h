// SPDX-License-Identifier: MIT
#pragma once

#include "apps/MetricsMath.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <optional>

namespace gasper::docker {
class DockerClient;
class DockerStream;
}

namespace gasper::apps {

// Samples the app containers it is told about from the engine's streaming stats: one
// GET /containers/{id}/stats?stream=1 per app, each on a connection of its own (never the
// client's pool of plain calls, so deploys do not wait behind metrics), kept open for as
// long as the app is tracked. Every interval() (default 5 s) it emits one sample per app:
// rates over the interval from the cumulative counters, CPU as a percentage of the app's
// CPU limit, up = a reading of a running container arrived during the interval.
//
// A stream that ends (engine restarted, connection dropped) is reopened with back-off
// (1 s doubling to 30 s); re-pointing an app at another container (a rebuild) closes the
// old stream and opens one on the new container. A container that is gone
// (docker-not-found) is not asked again until track() is called for it again; its ticks
// say "down". Nothing is kept here beyond the last readings: history is the master's.
class MetricsSampler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsSampler)

public:
    static constexpr int kDefaultIntervalMs = 5000;

    // `docker` must outlive the sampler.
    explicit MetricsSampler(docker::DockerClient *docker, QObject *parent = nullptr);
    ~MetricsSampler() override;

    void setInterval(int ms);  // at least 100; takes effect at once when running
    int interval() const { return m_timer.interval(); }

    // (Re)points `app` at `containerId` (same id with its stream open: the stream stays; a
    // stream that ended is reopened at once), sets its restart count and CPU limit (in CPUs;
    // <= 0: the host's) for its next samples.
    void track(const QString &app, const QString &containerId, int restarts, double cpuLimit);
    void untrack(const QString &app);
    bool isTracking(const QString &app) const { return m_apps.contains(app); }
    QStringList tracked() const { return m_apps.keys(); }
    // Streams open now (for tests and the bench).
    int openStreams() const;

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

signals:
    // Once per interval, every tracked app (an app whose first reading has not come yet is
    // left out until it does or the stream failed).
    void ticked(const QList<gasper::apps::AppSample> &samples);

private:
    struct Tracked
    {
        QString containerId;
        int restarts = 0;
        double cpuLimit = 0;
        quint64 generation = 0;
        QPointer<docker::DockerStream> stream;
        bool gone = false;
        bool failed = false;       // the stream ended; a reopen is scheduled
        int backoffMs = 1000;
        std::optional<StatsReading> latest;    // newest reading of a running container
        std::optional<StatsReading> baseline;  // the reading the last sample ended at
        bool stopped = false;      // the newest message was a zeroed one: the container is not running
        qint64 latestArrivedMs = -1;  // m_clock time of the newest running reading
    };

    void tick();
    void open(const QString &app);
    void onMessage(const QString &app, quint64 generation, const QJsonObject &message);
    void onFinished(const QString &app, quint64 generation, bool notFound);

    docker::DockerClient *m_docker;
    QTimer m_timer;
    QElapsedTimer m_clock;
    quint64 m_nextGeneration = 1;
    QHash<QString, Tracked> m_apps;
};

} // namespace gasper::apps
