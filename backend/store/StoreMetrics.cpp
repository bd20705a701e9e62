// SPDX-License-Identifier: MIT
// Store: the metrics series (issue 9). See the metrics block of Store.h.
#include "store/Store.h"
#include "store/SqlSupport.h"

#include "core/Log.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace gasper::store {

using namespace sql;

namespace {

// INSERT … ON CONFLICT DO UPDATE folding one sample into its bucket as a running average
// (SQLite 3.24+ and PostgreSQL 9.5+ both speak it; SET sees the old row on both).
QString upsertSql(const QString &table, const QString &key, const QStringList &columns)
{
    QStringList placeholders(columns.size(), u"?"_s);
    QStringList sets{u"samples = %1.samples + 1"_s.arg(table)};
    for (const QString &c : columns) {
        if (Store::isMaxColumn(c))
            sets << u"%2 = CASE WHEN excluded.%2 > %1.%2 THEN excluded.%2 ELSE %1.%2 END"_s.arg(table, c);
        else
            sets << u"%2 = (%1.%2 * %1.samples + excluded.%2) / (%1.samples + 1)"_s.arg(table, c);
    }
    return u"INSERT INTO %1 (%2, step_s, at, samples, %3) VALUES (?, ?, ?, 1, %4)"
           " ON CONFLICT (%2, step_s, at) DO UPDATE SET %5"_s
        .arg(table, key, columns.join(u", "_s), placeholders.join(u", "_s), sets.join(u", "_s));
}

qint64 bucketOf(qint64 atMs, int stepSec)
{
    const qint64 step = qint64(stepSec) * 1000;
    return atMs - ((atMs % step) + step) % step;
}

Result<void> upsert(QSqlQuery &q, const QVariant &key, const QList<MetricsTier> &tiers, qint64 atMs,
                    const QList<double> &values)
{
    for (const MetricsTier &tier : tiers) {
        q.addBindValue(key);
        q.addBindValue(tier.stepSec);
        q.addBindValue(bucketOf(atMs, tier.stepSec));
        for (double v : values)
            q.addBindValue(v);
        if (!q.exec())
            return std::unexpected(storeError(u"cannot store a metrics sample"_s, q.lastError()));
    }
    return {};
}

Result<QList<MetricsPoint>> readPoints(QSqlDatabase &db, const QString &sql, const QVariantList &values, int columns)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return std::unexpected(storeError(u"cannot read metrics"_s, q.lastError()));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return std::unexpected(storeError(u"cannot read metrics"_s, q.lastError()));
    QList<MetricsPoint> points;
    while (q.next()) {
        MetricsPoint p;
        p.atMs = q.value(0).toLongLong();
        p.samples = q.value(1).toInt();
        p.values.reserve(columns);
        for (int i = 0; i < columns; ++i)
            p.values.append(q.value(2 + i).toDouble());
        points.append(std::move(p));
    }
    return points;
}

} // namespace

const QStringList &Store::appMetricsColumns()
{
    static const QStringList columns{u"cpu_percent"_s,        u"cpu_core_percent"_s,       u"cpu_limit"_s,
                                     u"memory_bytes"_s,       u"memory_limit_bytes"_s,     u"rx_bytes_per_s"_s,
                                     u"tx_bytes_per_s"_s,     u"block_read_bytes_per_s"_s, u"block_write_bytes_per_s"_s,
                                     u"restarts"_s,           u"up"_s};
    return columns;
}

const QStringList &Store::nodeMetricsColumns()
{
    static const QStringList columns{u"cpu_percent"_s,      u"cpus"_s,
                                     u"memory_bytes"_s,     u"memory_total_bytes"_s,
                                     u"disk_used_bytes"_s,  u"disk_total_bytes"_s,
                                     u"docker_disk_used_bytes"_s, u"docker_disk_total_bytes"_s,
                                     u"apps"_s};
    return columns;
}

bool Store::isMaxColumn(const QString &column)
{
    return column == u"restarts";
}

Result<int> Store::recordMetrics(const MetricsBatch &batch, const QList<MetricsTier> &tiers)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return std::unexpected(ok.error());
    int written = 0;
    if (!batch.apps.isEmpty()) {
        // Names to ids once per tick; an app deleted meanwhile has none and is skipped.
        QHash<QString, qint64> ids;
        QSqlQuery all(m_db);
        all.setForwardOnly(true);
        if (!all.exec(u"SELECT id, name FROM apps"_s))
            return std::unexpected(storeError(u"cannot list apps"_s, all.lastError()));
        while (all.next())
            ids.insert(all.value(1).toString(), all.value(0).toLongLong());
        QSqlQuery q(m_db);
        if (!q.prepare(upsertSql(u"app_metrics"_s, u"app_id"_s, appMetricsColumns())))
            return std::unexpected(storeError(u"cannot store metrics"_s, q.lastError()));
        for (const MetricsBatch::App &a : batch.apps) {
            const auto id = ids.constFind(a.app);
            if (id == ids.cend() || a.values.size() != appMetricsColumns().size())
                continue;
            if (auto ok = upsert(q, *id, tiers, a.atMs, a.values); !ok)
                return std::unexpected(ok.error());
            ++written;
        }
    }
    if (!batch.nodeValues.isEmpty() && batch.nodeValues.size() == nodeMetricsColumns().size()) {
        QSqlQuery q(m_db);
        if (!q.prepare(upsertSql(u"node_metrics"_s, u"node"_s, nodeMetricsColumns())))
            return std::unexpected(storeError(u"cannot store metrics"_s, q.lastError()));
        if (auto ok = upsert(q, batch.node, tiers, batch.nodeAtMs, batch.nodeValues); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return written;
}

Result<QList<MetricsPoint>> Store::appMetrics(const QString &app, int stepSec, qint64 fromMs, qint64 toMs)
{
    const QString sql = u"SELECT m.at, m.samples, m.%1 FROM app_metrics m JOIN apps a ON a.id = m.app_id"
                        " WHERE a.name = ? AND m.step_s = ? AND m.at >= ? AND m.at <= ? ORDER BY m.at"_s
                            .arg(appMetricsColumns().join(u", m."_s));
    return readPoints(m_db, sql, {app, stepSec, fromMs, toMs}, int(appMetricsColumns().size()));
}

Result<QList<MetricsPoint>> Store::nodeMetrics(const QString &node, int stepSec, qint64 fromMs, qint64 toMs)
{
    const QString sql = u"SELECT at, samples, %1 FROM node_metrics"
                        " WHERE node = ? AND step_s = ? AND at >= ? AND at <= ? ORDER BY at"_s
                            .arg(nodeMetricsColumns().join(u", "_s));
    return readPoints(m_db, sql, {node, stepSec, fromMs, toMs}, int(nodeMetricsColumns().size()));
}

Result<int> Store::pruneMetrics(const QList<MetricsTier> &tiers, qint64 nowMs)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return std::unexpected(ok.error());
    int removed = 0;
    QStringList steps;
    for (const MetricsTier &tier : tiers)
        steps << QString::number(tier.stepSec);  // integers of ours, not input
    for (const QString &table : {u"app_metrics"_s, u"node_metrics"_s}) {
        for (const MetricsTier &tier : tiers) {
            QSqlQuery q(m_db);
            q.prepare(u"DELETE FROM %1 WHERE step_s = ? AND at < ?"_s.arg(table));
            q.addBindValue(tier.stepSec);
            q.addBindValue(nowMs - qint64(tier.keepSec) * 1000);
            if (!q.exec())
                return std::unexpected(storeError(u"cannot prune metrics"_s, q.lastError()));
            removed += q.numRowsAffected();
        }
        QSqlQuery other(m_db);
        if (!other.exec(u"DELETE FROM %1 WHERE step_s NOT IN (%2)"_s.arg(table, steps.join(u", "_s))))
            return std::unexpected(storeError(u"cannot prune metrics"_s, other.lastError()));
        removed += other.numRowsAffected();
    }
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return removed;
}

} // namespace gasper::store
