// SPDX-License-Identifier: MIT
#include "MetricsSeries.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace gasper::console {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// The API's keys, in column order, and the factor to the unit drawn.
struct Key
{
    const char *name;
    double factor;
};
constexpr Key kKeys[] = {{"cpu_percent", 1},
                         {"memory_bytes", 1 / kMiB},
                         {"rx_bytes_per_s", 1 / 1024.0},
                         {"tx_bytes_per_s", 1 / 1024.0},
                         {"block_read_bytes_per_s", 1 / 1024.0},
                         {"block_write_bytes_per_s", 1 / 1024.0},
                         {"restarts", 1}};
constexpr int kRestarts = 6;

} // namespace

MetricsSeries::MetricsSeries(QObject *parent)
    : QObject(parent)
{
}

int MetricsSeries::rangeSeconds(const QString &range)
{
    if (range == u"24h")
        return 86400;
    if (range == u"30d")
        return 30 * 86400;
    return 3600;
}

void MetricsSeries::setRange(const QString &range)
{
    const QString r = range == u"24h" || range == u"30d" ? range : QStringLiteral("1h");
    if (r == m_range)
        return;
    m_range = r;
    emit rangeChanged();
}

int MetricsSeries::count() const
{
    return int(std::count_if(m_counts.cbegin(), m_counts.cend(), [](int n) { return n > 0; }));
}

QVariantList MetricsSeries::column(int c) const
{
    QVariantList out;
    out.reserve(m_values.size());
    for (const QList<double> &bucket : m_values)
        out.append(bucket.at(c));
    return out;
}

void MetricsSeries::load(const QJsonObject &answer)
{
    m_at.clear();
    m_values.clear();
    m_counts.clear();
    m_stepS = answer.value(u"step_s").toInt();
    if (answer.value(u"interval_s").toInt() > 0)
        m_intervalS = answer.value(u"interval_s").toInt();
    const QJsonArray at = answer.value(u"at").toArray();
    const QJsonObject series = answer.value(u"series").toObject();
    const QJsonArray cpu = series.value(u"cpu_percent").toArray();
    for (qsizetype i = 0; i < at.size(); ++i) {
        m_at.append(at[i].toInteger());
        QList<double> bucket(kColumns, 0.0);
        for (int c = 0; c < kColumns; ++c)
            bucket[c] = series.value(QLatin1StringView(kKeys[c].name)).toArray().at(i).toDouble() * kKeys[c].factor;
        m_values.append(bucket);
        m_counts.append(cpu.at(i).isNull() ? 0 : 1);
        const QJsonValue limit = series.value(u"memory_limit_bytes").toArray().at(i);
        if (!limit.isNull() && limit.toDouble() > 0)
            m_memoryLimitMb = limit.toDouble() / kMiB;
    }
    emit changed();
}

void MetricsSeries::appendBucket(qint64 at)
{
    m_at.append(at);
    m_values.append(QList<double>(kColumns, 0.0));
    m_counts.append(0);
}

bool MetricsSeries::applySample(const QJsonObject &event)
{
    const QDateTime when = QDateTime::fromString(event.value(u"at").toString(), Qt::ISODateWithMs);
    if (!when.isValid() || m_stepS <= 0)
        return false;
    const qint64 t = when.toSecsSinceEpoch();
    const qint64 bucket = t - t % m_stepS;
    if (!m_at.isEmpty() && bucket < m_at.last())
        return false;
    if (m_at.isEmpty() || bucket > m_at.last()) {
        // Buckets in between had nothing.
        for (qint64 b = m_at.isEmpty() ? bucket : m_at.last() + m_stepS; b <= bucket; b += m_stepS)
            appendBucket(b);
    }
    const qsizetype i = m_at.size() - 1;
    const int n = m_counts[i];
    for (int c = 0; c < kColumns; ++c) {
        const double v = event.value(QLatin1StringView(kKeys[c].name)).toDouble() * kKeys[c].factor;
        double &slot = m_values[i][c];
        slot = c == kRestarts ? (n == 0 ? v : std::max(slot, v)) : (slot * n + v) / (n + 1);
    }
    m_counts[i] = n + 1;
    if (event.value(u"memory_limit_bytes").toDouble() > 0)
        m_memoryLimitMb = event.value(u"memory_limit_bytes").toDouble() / kMiB;
    const qint64 oldest = bucket - rangeSeconds(m_range);
    while (!m_at.isEmpty() && m_at.first() < oldest) {
        m_at.removeFirst();
        m_values.removeFirst();
        m_counts.removeFirst();
    }
    emit changed();
    return true;
}

void MetricsSeries::clear()
{
    m_at.clear();
    m_values.clear();
    m_counts.clear();
    emit changed();
}

} // namespace gasper::console
