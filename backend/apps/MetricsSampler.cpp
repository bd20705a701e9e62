// SPDX-License-Identifier: MIT
#include "apps/MetricsSampler.h"

#include "core/Log.h"
#include "docker/DockerClient.h"
#include "docker/DockerStream.h"

#include <algorithm>

namespace gasper::apps {

namespace {
constexpr int kMaxStreamBackoffMs = 30000;  // a lost stats stream is reopened at least this often
}

MetricsSampler::MetricsSampler(docker::DockerClient *docker, QObject *parent) : QObject(parent), m_docker(docker)
{
    m_clock.start();
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MetricsSampler::tick);
}

MetricsSampler::~MetricsSampler()
{
    for (Tracked &t : m_apps)
        delete t.stream.data();  // closes the connection, emits nothing
}

void MetricsSampler::setInterval(int ms)
{
    m_timer.setInterval(std::max(ms, 100));
}

int MetricsSampler::openStreams() const
{
    return int(std::count_if(m_apps.cbegin(), m_apps.cend(), [](const Tracked &t) { return !t.stream.isNull(); }));
}

void MetricsSampler::track(const QString &app, const QString &containerId, int restarts, double cpuLimit)
{
    Tracked &t = m_apps[app];
    t.restarts = restarts;
    t.cpuLimit = cpuLimit;
    if (t.containerId == containerId && t.stream)
        return;  // the same container: its stream goes on
    // A new container, or the same one the worker just saw (re)started: a stream that ended
    // is reopened now rather than after its back-off.
    delete t.stream.data();
    t = Tracked{containerId, restarts, cpuLimit, m_nextGeneration++};
    if (m_timer.isActive())
        open(app);
}

void MetricsSampler::untrack(const QString &app)
{
    const auto it = m_apps.find(app);
    if (it == m_apps.end())
        return;
    delete it->stream.data();
    m_apps.erase(it);
}

void MetricsSampler::start()
{
    if (m_timer.isActive())
        return;
    m_timer.start();
    for (auto it = m_apps.begin(); it != m_apps.end(); ++it)
        if (!it->stream && !it->gone)
            open(it.key());
}

void MetricsSampler::stop()
{
    m_timer.stop();
    for (Tracked &t : m_apps) {
        delete t.stream.data();
        t.failed = false;
    }
}

void MetricsSampler::open(const QString &app)
{
    const auto it = m_apps.find(app);
    if (it == m_apps.end() || it->containerId.isEmpty() || it->stream)
        return;
    it->failed = false;
    const quint64 generation = it->generation;
    docker::DockerStream *stream = m_docker->containerStatsStream(it->containerId, this);
    it->stream = stream;
    connect(stream, &docker::DockerStream::jsonMessage, this,
            [this, app, generation](const QJsonObject &message) { onMessage(app, generation, message); });
    connect(stream, &docker::DockerStream::finished, this, [this, app, generation](const Result<void> &result) {
        if (!result)
            qCDebug(lcApps) << "metrics: stats stream of" << app << "ended:" << result.error().code
                            << result.error().message;
        onFinished(app, generation, !result && result.error().code == u"docker-not-found");
    });
}

void MetricsSampler::onMessage(const QString &app, quint64 generation, const QJsonObject &message)
{
    const auto it = m_apps.find(app);
    if (it == m_apps.end() || it->generation != generation)
        return;
    it->backoffMs = 1000;
    std::optional<StatsReading> reading = metrics::readingFromStats(message);
    if (!reading) {
        it->stopped = true;
        return;
    }
    // An engine clock stepping back costs a reading rather than a negative interval.
    if (it->latest && reading->at <= it->latest->at)
        return;
    it->stopped = false;
    it->latest = std::move(reading);
    it->latestArrivedMs = m_clock.elapsed();
}

void MetricsSampler::onFinished(const QString &app, quint64 generation, bool notFound)
{
    const auto it = m_apps.find(app);
    if (it == m_apps.end() || it->generation != generation)
        return;
    it->stream.clear();
    it->baseline.reset();
    it->latest.reset();
    if (notFound) {
        qCInfo(lcApps) << "metrics: container of" << app << "is gone; not sampling it until tracked again";
        it->gone = true;
        return;
    }
    if (!m_timer.isActive())
        return;
    it->failed = true;
    const int delay = it->backoffMs;
    it->backoffMs = std::min(it->backoffMs * 2, kMaxStreamBackoffMs);
    QTimer::singleShot(delay, this, [this, app, generation] {
        const auto again = m_apps.find(app);
        if (again != m_apps.end() && again->generation == generation && !again->stream && again->failed
            && m_timer.isActive())
            open(app);
    });
}

void MetricsSampler::tick()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 clock = m_clock.elapsed();
    // A running container's stream sends a reading about every second.
    const qint64 staleAfterMs = std::max(m_timer.interval(), 1000) + 2500;
    QList<AppSample> out;
    out.reserve(m_apps.size());
    for (auto it = m_apps.begin(); it != m_apps.end(); ++it) {
        Tracked &t = it.value();
        const bool fresh = t.stream && t.latest && !t.stopped && clock - t.latestArrivedMs <= staleAfterMs;
        if (!fresh) {
            // No reading yet from a stream that just opened: nothing to say about it.
            if (!t.gone && !t.failed && !t.stopped && !t.latest)
                continue;
            MetricsSample down;
            down.at = now;
            down.up = false;
            down.restarts = t.restarts;
            down.cpuLimit = t.cpuLimit;
            t.baseline.reset();
            out.append(AppSample{it.key(), down});
            continue;
        }
        if (t.baseline && t.latest->at <= t.baseline->at)
            continue;  // no reading since the last tick (an interval shorter than the engine's)
        MetricsSample sample = t.baseline ? metrics::sampleBetween(*t.baseline, *t.latest, t.cpuLimit, t.restarts)
                                          : metrics::sampleFrom(*t.latest, t.cpuLimit, t.restarts);
        t.baseline = t.latest;
        out.append(AppSample{it.key(), sample});
    }
    emit ticked(out);
}

} // namespace gasper::apps
