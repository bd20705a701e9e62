// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QVariantList>

namespace gasper::console {

// An app's series from GET /api/v1/apps/{name}/metrics?since=<range> as lists a ChartItem
// draws: CPU in % of the app's limit, memory in MiB, network and disk rates in KiB/s,
// restarts. load() takes the aligned answer (a bucket without samples draws as 0 and does
// not count); applySample() folds a live `app.metrics` event into the last bucket or starts
// a new one (dropping buckets older than the range), so the charts move without polling.
class MetricsSeries : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(MetricsSeries)
    Q_PROPERTY(QVariantList cpu READ cpu NOTIFY changed)
    Q_PROPERTY(QVariantList memoryMb READ memoryMb NOTIFY changed)
    Q_PROPERTY(QVariantList rxKbps READ rxKbps NOTIFY changed)
    Q_PROPERTY(QVariantList txKbps READ txKbps NOTIFY changed)
    Q_PROPERTY(QVariantList readKbps READ readKbps NOTIFY changed)
    Q_PROPERTY(QVariantList writeKbps READ writeKbps NOTIFY changed)
    Q_PROPERTY(QVariantList restarts READ restarts NOTIFY changed)
    Q_PROPERTY(double memoryLimitMb READ memoryLimitMb NOTIFY changed)
    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(int points READ points NOTIFY changed)
    Q_PROPERTY(int intervalS READ intervalS NOTIFY changed)
    Q_PROPERTY(int stepS READ stepS NOTIFY changed)
    Q_PROPERTY(QString range READ range NOTIFY rangeChanged)

public:
    explicit MetricsSeries(QObject *parent = nullptr);

    void load(const QJsonObject &answer);
    // false: not about a bucket we can place (before the series, or nothing loaded yet).
    bool applySample(const QJsonObject &event);
    void clear();
    void setRange(const QString &range);  // "1h", "24h" or "30d"
    static int rangeSeconds(const QString &range);

    QVariantList cpu() const { return column(0); }
    QVariantList memoryMb() const { return column(1); }
    QVariantList rxKbps() const { return column(2); }
    QVariantList txKbps() const { return column(3); }
    QVariantList readKbps() const { return column(4); }
    QVariantList writeKbps() const { return column(5); }
    QVariantList restarts() const { return column(6); }
    double memoryLimitMb() const { return m_memoryLimitMb; }
    int count() const;   // buckets with samples
    int points() const { return int(m_at.size()); }  // buckets in the range
    int intervalS() const { return m_intervalS; }
    int stepS() const { return m_stepS; }
    QString range() const { return m_range; }

signals:
    void changed();
    void rangeChanged();

private:
    static constexpr int kColumns = 7;
    QVariantList column(int c) const;
    void appendBucket(qint64 at);

    QList<qint64> m_at;                  // bucket starts, unix seconds
    QList<QList<double>> m_values;       // per bucket: the kColumns values
    QList<int> m_counts;                 // samples per bucket (0: none)
    double m_memoryLimitMb = 0;
    int m_intervalS = 5;
    int m_stepS = 0;
    QString m_range = QStringLiteral("1h");
};

} // namespace gasper::console
