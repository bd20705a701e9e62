// SPDX-License-Identifier: MIT
#pragma once

#include "apps/MetricsMath.h"
#include "core/Config.h"
#include "store/Store.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace gasper::apps {
class AppWorker;
}
namespace gasper::store {
class AsyncStore;
}

namespace gasper::master {

class AppStates;
class EventHub;

// The master's side of the metrics (issue 9): each tick of the worker's sampler is written
// to the store in one transaction (through AsyncStore, folded into every downsampling
// tier), published as `app.metrics` events to those allowed to see the app, and kept as
// the latest values for /metrics and GET /api/v1/nodes. Old rows are pruned every minute.
// At most kMaxPendingWrites batches wait for the store; a tick beyond that is dropped (a
// slow store costs points, not memory).
class MetricsRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsRecorder)

public:
    static constexpr int kMaxPendingWrites = 4;

    MetricsRecorder(const Config &config, store::AsyncStore *store, apps::AppWorker *worker, AppStates *states,
                    EventHub *hub, QObject *parent = nullptr);

    const QList<store::MetricsTier> &tiers() const { return m_tiers; }
    int intervalSec() const { return m_intervalSec; }
    // Latest samples, in the Prometheus text format (per-app series labelled app and node).
    QByteArray prometheus() const;
    std::optional<apps::NodeSample> latestNode() const { return m_node; }
    std::optional<apps::MetricsSample> latest(const QString &app) const;
    void forget(const QString &app);  // a deleted app (its rows go with it in the store)
    quint64 batchesWritten() const { return m_written; }

    static QJsonObject toEvent(const QString &app, const QString &node, const apps::MetricsSample &sample);
    static QJsonObject toJson(const apps::NodeSample &node);
    static QList<double> appValues(const apps::MetricsSample &sample);   // Store::appMetricsColumns()
    static QList<double> nodeValues(const apps::NodeSample &node);      // Store::nodeMetricsColumns()

private:
    void onSampled(const apps::NodeSample &node, const QList<apps::AppSample> &samples);
    void prune();

    QPointer<store::AsyncStore> m_store;
    QPointer<apps::AppWorker> m_worker;
    AppStates *m_states;
    EventHub *m_hub;
    QString m_nodeName;
    int m_intervalSec;
    QList<store::MetricsTier> m_tiers;
    QHash<QString, apps::MetricsSample> m_latest;
    std::optional<apps::NodeSample> m_node;
    int m_pendingWrites = 0;
    quint64 m_written = 0;
    quint64 m_dropped = 0;
    QTimer m_pruneTimer;
};

} // namespace gasper::master
