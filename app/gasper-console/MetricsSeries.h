// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QDateTime>
#include <QJsonArray>
#include <QObject>
#include <QVariantList>

namespace gasper::console {

// An app's samples from GET /api/v1/apps/{name}/metrics as series a chart draws: CPU %,
// memory in MiB, network receive/transmit rates in KiB/s (from the byte counters, a counter
// that goes down — a new container — starts over), restarts. At most 360 samples (an hour at
// the default interval); append() takes the answer to `?since=<lastAt>`.
class MetricsSeries : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(MetricsSeries)
    Q_PROPERTY(QVariantList cpu READ cpu NOTIFY changed)
    Q_PROPERTY(QVariantList memoryMb READ memoryMb NOTIFY changed)
    Q_PROPERTY(QVariantList rxKbps READ rxKbps NOTIFY changed)
    Q_PROPERTY(QVariantList txKbps READ txKbps NOTIFY changed)
    Q_PROPERTY(QVariantList restarts READ restarts NOTIFY changed)
    Q_PROPERTY(double memoryLimitMb READ memoryLimitMb NOTIFY changed)
    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(int intervalS READ intervalS NOTIFY changed)

public:
    explicit MetricsSeries(QObject *parent = nullptr);

    void append(const QJsonArray &samples, int intervalS);
    void clear();
    QString lastAt() const { return m_lastAt; }

    QVariantList cpu() const { return m_cpu; }
    QVariantList memoryMb() const { return m_memory; }
    QVariantList rxKbps() const { return m_rx; }
    QVariantList txKbps() const { return m_tx; }
    QVariantList restarts() const { return m_restarts; }
    double memoryLimitMb() const { return m_memoryLimitMb; }
    int count() const { return int(m_cpu.size()); }
    int intervalS() const { return m_intervalS; }

signals:
    void changed();

private:
    QVariantList m_cpu, m_memory, m_rx, m_tx, m_restarts;
    double m_memoryLimitMb = 0;
    int m_intervalS = 10;
    QString m_lastAt;
    double m_lastRx = -1, m_lastTx = -1;
    QDateTime m_lastTime;
};

} // namespace gasper::console
