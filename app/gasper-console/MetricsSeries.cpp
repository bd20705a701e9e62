// SPDX-License-Identifier: MIT
#include "MetricsSeries.h"

#include <QJsonObject>

namespace gasper::console {

namespace {
constexpr int kMaxSamples = 360;

void trim(QVariantList &list)
{
    while (list.size() > kMaxSamples)
        list.removeFirst();
}
} // namespace

MetricsSeries::MetricsSeries(QObject *parent)
    : QObject(parent)
{
}

void MetricsSeries::append(const QJsonArray &samples, int intervalS)
{
    if (intervalS > 0)
        m_intervalS = intervalS;
    for (const QJsonValue &v : samples) {
        const QJsonObject s = v.toObject();
        const QDateTime at = QDateTime::fromString(s.value(u"at").toString(), Qt::ISODateWithMs);
        const double rx = s.value(u"rx_bytes").toDouble();
        const double tx = s.value(u"tx_bytes").toDouble();
        const double seconds = m_lastTime.isValid() ? std::max(0.001, m_lastTime.msecsTo(at) / 1000.0) : 0;
        const bool continuous = m_lastRx >= 0 && rx >= m_lastRx && tx >= m_lastTx && seconds > 0;
        m_cpu.append(s.value(u"cpu_percent").toDouble());
        m_memory.append(s.value(u"memory_bytes").toDouble() / (1024.0 * 1024.0));
        m_rx.append(continuous ? (rx - m_lastRx) / 1024.0 / seconds : 0.0);
        m_tx.append(continuous ? (tx - m_lastTx) / 1024.0 / seconds : 0.0);
        m_restarts.append(s.value(u"restarts").toInt());
        m_memoryLimitMb = s.value(u"memory_limit_bytes").toDouble() / (1024.0 * 1024.0);
        m_lastRx = rx;
        m_lastTx = tx;
        m_lastTime = at;
        m_lastAt = s.value(u"at").toString();
    }
    for (QVariantList *list : {&m_cpu, &m_memory, &m_rx, &m_tx, &m_restarts})
        trim(*list);
    emit changed();
}

void MetricsSeries::clear()
{
    for (QVariantList *list : {&m_cpu, &m_memory, &m_rx, &m_tx, &m_restarts})
        list->clear();
    m_lastAt.clear();
    m_lastRx = m_lastTx = -1;
    m_lastTime = {};
    emit changed();
}

} // namespace gasper::console
