// SPDX-License-Identifier: MIT
#include "master/MetricsRecorder.h"

#include "apps/AppWorker.h"
#include "core/Log.h"
#include "master/ApiSupport.h"
#include "master/AppStates.h"
#include "master/EventHub.h"
#include "master/MetricsQuery.h"
#include "store/AsyncStore.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

double r2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

// A label value in the text format: backslash, quote and newline escaped.
QByteArray label(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', 12);
}

} // namespace

MetricsRecorder::MetricsRecorder(const Config &config, store::AsyncStore *store, apps::AppWorker *worker,
                                 AppStates *states, EventHub *hub, QObject *parent)
    : QObject(parent), m_store(store), m_worker(worker), m_states(states), m_hub(hub),
      m_nodeName(worker ? worker->nodeName() : config.nodeName), m_intervalSec(std::max(config.metricsIntervalSec, 1)),
      m_tiers(metrics::tiersFor(config.metricsIntervalSec))
{
    if (worker)
        connect(worker, &apps::AppWorker::metricsSampled, this, &MetricsRecorder::onSampled);
    connect(&m_pruneTimer, &QTimer::timeout, this, &MetricsRecorder::prune);
    m_pruneTimer.start(60 * 1000);
}

std::optional<apps::MetricsSample> MetricsRecorder::latest(const QString &app) const
{
    const auto it = m_latest.constFind(app);
    if (it == m_latest.cend())
        return std::nullopt;
    return *it;
}

void MetricsRecorder::forget(const QString &app)
{
    m_latest.remove(app);
}

QList<double> MetricsRecorder::appValues(const apps::MetricsSample &s)
{
    return {s.cpuPercent,          s.cpuCorePercent,       s.cpuLimit,
            double(s.memoryBytes), double(s.memoryLimitBytes), s.rxBytesPerSec,
            s.txBytesPerSec,       s.blockReadBytesPerSec, s.blockWriteBytesPerSec,
            double(s.restarts),    s.up ? 1.0 : 0.0};
}

QList<double> MetricsRecorder::nodeValues(const apps::NodeSample &n)
{
    return {n.cpuPercent,          double(n.cpus),           double(n.memoryBytes),
            double(n.memoryTotalBytes), double(n.diskUsedBytes), double(n.diskTotalBytes),
            double(n.dockerDiskUsedBytes), double(n.dockerDiskTotalBytes), double(n.apps)};
}

QJsonObject MetricsRecorder::toEvent(const QString &app, const QString &node, const apps::MetricsSample &s)
{
    return QJsonObject{
        {u"type"_s, u"app.metrics"_s},
        {u"app"_s, app},
        {u"node"_s, node},
        {u"at"_s, isoTime(s.at)},
        {u"up"_s, s.up},
        {u"cpu_percent"_s, r2(s.cpuPercent)},
        {u"cpu_core_percent"_s, r2(s.cpuCorePercent)},
        {u"cpu_limit"_s, s.cpuLimit},
        {u"memory_bytes"_s, s.memoryBytes},
        {u"memory_limit_bytes"_s, s.memoryLimitBytes},
        {u"rx_bytes_per_s"_s, r2(s.rxBytesPerSec)},
        {u"tx_bytes_per_s"_s, r2(s.txBytesPerSec)},
        {u"block_read_bytes_per_s"_s, r2(s.blockReadBytesPerSec)},
        {u"block_write_bytes_per_s"_s, r2(s.blockWriteBytesPerSec)},
        {u"restarts"_s, s.restarts},
    };
}

QJsonObject MetricsRecorder::toJson(const apps::NodeSample &n)
{
    return QJsonObject{
        {u"at"_s, isoTime(n.at)},
        {u"cpu_percent"_s, r2(n.cpuPercent)},
        {u"cpus"_s, n.cpus},
        {u"memory_bytes"_s, n.memoryBytes},
        {u"memory_total_bytes"_s, n.memoryTotalBytes},
        {u"disk_used_bytes"_s, n.diskUsedBytes},
        {u"disk_total_bytes"_s, n.diskTotalBytes},
        {u"docker_disk_used_bytes"_s, n.dockerDiskUsedBytes},
        {u"docker_disk_total_bytes"_s, n.dockerDiskTotalBytes},
        {u"apps"_s, n.apps},
    };
}

void MetricsRecorder::onSampled(const apps::NodeSample &node, const QList<apps::AppSample> &samples)
{
    m_node = node;
    store::MetricsBatch batch;
    batch.node = m_nodeName;
    batch.nodeAtMs = node.at.toMSecsSinceEpoch();
    batch.nodeValues = nodeValues(node);
    for (const apps::AppSample &a : samples) {
        const auto live = m_states->all().constFind(a.app);
        if (live == m_states->all().cend())
            continue;  // deleted meanwhile
        m_latest.insert(a.app, a.sample);
        batch.apps.append({a.app, a.sample.at.toMSecsSinceEpoch(), appValues(a.sample)});
        m_hub->publish(live->ownerId, toEvent(a.app, m_nodeName, a.sample));
    }
    if (!m_store)
        return;
    if (m_pendingWrites >= kMaxPendingWrites) {
        if (m_dropped++ % 60 == 0)
            qCWarning(lcMaster) << "metrics: the store is behind; dropping a tick of" << batch.apps.size() << "apps";
        return;
    }
    ++m_pendingWrites;
    m_store->run([batch = std::move(batch), tiers = m_tiers](store::Store &s) { return s.recordMetrics(batch, tiers); })
        .then(this, [this](const Result<int> &written) {
            --m_pendingWrites;
            if (!written) {
                qCWarning(lcMaster).noquote() << "metrics: could not store a tick:" << written.error().message;
                return;
            }
            ++m_written;
        });
}

void MetricsRecorder::prune()
{
    if (!m_store)
        return;
    m_store->run([tiers = m_tiers](store::Store &s) {
        return s.pruneMetrics(tiers, QDateTime::currentMSecsSinceEpoch());
    }).then(this, [](const Result<int> &removed) {
        if (!removed)
            qCWarning(lcMaster).noquote() << "metrics: pruning failed:" << removed.error().message;
    });
}

QByteArray MetricsRecorder::prometheus() const
{
    QByteArray text;
    const QByteArray node = label(m_nodeName);
    struct AppMetric
    {
        const char *name;
        const char *type;
        const char *help;
        double (*value)(const apps::MetricsSample &);
    };
    static const AppMetric appMetrics[] = {
        {"gasper_app_up", "gauge", "1 while the app's container runs.", [](const apps::MetricsSample &s) { return s.up ? 1.0 : 0.0; }},
        {"gasper_app_cpu_percent", "gauge", "CPU used, in percent of the app's CPU limit.", [](const apps::MetricsSample &s) { return r2(s.cpuPercent); }},
        {"gasper_app_cpu_core_percent", "gauge", "CPU used, in percent of one core.", [](const apps::MetricsSample &s) { return r2(s.cpuCorePercent); }},
        {"gasper_app_cpu_limit_cpus", "gauge", "The app's CPU limit in CPUs.", [](const apps::MetricsSample &s) { return s.cpuLimit; }},
        {"gasper_app_memory_bytes", "gauge", "Memory used without reclaimable page cache.", [](const apps::MetricsSample &s) { return double(s.memoryBytes); }},
        {"gasper_app_memory_limit_bytes", "gauge", "The app's memory limit.", [](const apps::MetricsSample &s) { return double(s.memoryLimitBytes); }},
        {"gasper_app_network_receive_bytes_per_second", "gauge", "Network bytes received per second.", [](const apps::MetricsSample &s) { return r2(s.rxBytesPerSec); }},
        {"gasper_app_network_transmit_bytes_per_second", "gauge", "Network bytes sent per second.", [](const apps::MetricsSample &s) { return r2(s.txBytesPerSec); }},
        {"gasper_app_block_read_bytes_per_second", "gauge", "Block device bytes read per second.", [](const apps::MetricsSample &s) { return r2(s.blockReadBytesPerSec); }},
        {"gasper_app_block_write_bytes_per_second", "gauge", "Block device bytes written per second.", [](const apps::MetricsSample &s) { return r2(s.blockWriteBytesPerSec); }},
        {"gasper_app_restarts", "gauge", "Restarts of the app's container since its deploy.", [](const apps::MetricsSample &s) { return double(s.restarts); }},
    };
    QStringList apps = m_latest.keys();
    apps.sort();
    for (const AppMetric &m : appMetrics) {
        text += QByteArray("# HELP ") + m.name + ' ' + m.help + "\n# TYPE " + m.name + ' ' + m.type + '\n';
        for (const QString &app : std::as_const(apps))
            text += QByteArray(m.name) + "{app=\"" + label(app) + "\",node=\"" + node + "\"} "
                    + number(m.value(m_latest.value(app))) + '\n';
    }
    if (!m_node)
        return text;
    const apps::NodeSample &n = *m_node;
    const auto gauge = [&](const char *name, const char *help, double value, const QByteArray &extra = {}) {
        text += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + " gauge\n";
        text += QByteArray(name) + "{node=\"" + node + '"' + extra + "} " + number(value) + '\n';
    };
    gauge("gasper_node_cpu_percent", "CPU used on the node, in percent of all its CPUs.", r2(n.cpuPercent));
    gauge("gasper_node_cpus", "CPUs of the node.", n.cpus);
    gauge("gasper_node_memory_used_bytes", "Memory in use on the node (total minus available).", double(n.memoryBytes));
    gauge("gasper_node_memory_total_bytes", "Memory of the node.", double(n.memoryTotalBytes));
    gauge("gasper_node_disk_used_bytes", "Used bytes of the file system of gasperd's data dir.", double(n.diskUsedBytes));
    gauge("gasper_node_disk_total_bytes", "Size of the file system of gasperd's data dir.", double(n.diskTotalBytes));
    if (n.dockerDiskTotalBytes > 0) {
        gauge("gasper_node_docker_disk_used_bytes", "Used bytes of the file system of the engine's root dir.",
              double(n.dockerDiskUsedBytes));
        gauge("gasper_node_docker_disk_total_bytes", "Size of the file system of the engine's root dir.",
              double(n.dockerDiskTotalBytes));
    }
    gauge("gasper_node_apps", "Apps with a live container on the node.", n.apps);
    return text;
}

} // namespace gasper::master
