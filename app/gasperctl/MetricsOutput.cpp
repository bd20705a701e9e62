// SPDX-License-Identifier: MIT
#include "MetricsOutput.h"

#include "TableFormatter.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

namespace {

QList<std::optional<double>> column(const QJsonObject &answer, const QString &key)
{
    QList<std::optional<double>> out;
    for (const QJsonValue &v : answer.value(u"series").toObject().value(key).toArray())
        out.append(v.isDouble() ? std::optional(v.toDouble()) : std::nullopt);
    return out;
}

QString percent(double v)
{
    return QString::number(v, 'f', 1) + u" %"_s;
}

QString rate(double v)
{
    return formatBytes(v) + u"/s"_s;
}

QString count(double v)
{
    return QString::number(qint64(std::llround(v)));
}

QString stepText(int seconds)
{
    if (seconds % 3600 == 0)
        return u"%1 h"_s.arg(seconds / 3600);
    if (seconds % 60 == 0)
        return u"%1 min"_s.arg(seconds / 60);
    return u"%1 s"_s.arg(seconds);
}

struct Metric
{
    QString label;
    QString key;
    QString (*format)(double);
};

const QList<Metric> &metricsShown()
{
    static const QList<Metric> list{
        {u"cpu (of limit)"_s, u"cpu_percent"_s, percent},
        {u"cpu (of a core)"_s, u"cpu_core_percent"_s, percent},
        {u"memory"_s, u"memory_bytes"_s, formatBytes},
        {u"net in"_s, u"rx_bytes_per_s"_s, rate},
        {u"net out"_s, u"tx_bytes_per_s"_s, rate},
        {u"disk read"_s, u"block_read_bytes_per_s"_s, rate},
        {u"disk write"_s, u"block_write_bytes_per_s"_s, rate},
        {u"restarts"_s, u"restarts"_s, count},
        {u"up"_s, u"up"_s, [](double v) { return percent(v * 100); }},
    };
    return list;
}

} // namespace

QString formatBytes(double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    double v = bytes;
    while (std::abs(v) >= 1024 && unit < 4) {
        v /= 1024;
        ++unit;
    }
    return (unit == 0 ? QString::number(qint64(std::llround(v))) : QString::number(v, 'f', 1)) + u' '
           + QLatin1StringView(units[unit]);
}

QString sparkline(const QList<std::optional<double>> &values, int width)
{
    static const QString blocks = u"▁▂▃▄▅▆▇█"_s;
    if (values.isEmpty() || width <= 0)
        return {};
    const int columns = std::min<int>(width, int(values.size()));
    QList<std::optional<double>> resampled(columns);
    double top = 0;
    for (int c = 0; c < columns; ++c) {
        const qsizetype from = values.size() * c / columns;
        const qsizetype to = values.size() * (c + 1) / columns;
        double sum = 0;
        int n = 0;
        for (qsizetype i = from; i < to; ++i)
            if (values[i]) {
                sum += *values[i];
                ++n;
            }
        if (n > 0) {
            resampled[c] = sum / n;
            top = std::max(top, *resampled[c]);
        }
    }
    QString out;
    for (const auto &v : resampled) {
        if (!v)
            out += u' ';
        else if (top <= 0)
            out += blocks.at(0);
        else
            out += blocks.at(std::clamp(int(*v / top * 7.0 + 0.5), 0, 7));
    }
    return out;
}

QString formatMetricsSummary(const QJsonObject &answer, int width)
{
    const QJsonArray at = answer.value(u"at").toArray();
    QString head = u"%1 on %2: %3 points every %4, %5 … %6\n"_s.arg(
        answer.value(u"app").toString(), answer.value(u"node").toString(), QString::number(at.size()),
        stepText(answer.value(u"step_s").toInt()),
        QDateTime::fromString(answer.value(u"since").toString(), Qt::ISODateWithMs).toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s),
        QDateTime::fromString(answer.value(u"until").toString(), Qt::ISODateWithMs).toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s));
    TableFormatter table({u"METRIC"_s, u"LAST"_s, u"MIN"_s, u"AVG"_s, u"MAX"_s, u"TREND"_s});
    bool any = false;
    for (const Metric &m : metricsShown()) {
        const auto values = column(answer, m.key);
        std::optional<double> last, low, high;
        double sum = 0;
        int n = 0;
        for (const auto &v : values) {
            if (!v)
                continue;
            last = v;
            low = low ? std::min(*low, *v) : *v;
            high = high ? std::max(*high, *v) : *v;
            sum += *v;
            ++n;
        }
        if (n == 0) {
            table.addRow({m.label, u"-"_s, u"-"_s, u"-"_s, u"-"_s, QString()});
            continue;
        }
        any = true;
        table.addRow({m.label, m.format(*last), m.format(*low), m.format(sum / n), m.format(*high),
                      sparkline(values, width)});
    }
    if (!any)
        return head + u"no samples in that range yet (they start once the app runs)\n"_s;
    return head + table.toString();
}

QString formatMetricsTable(const QJsonObject &answer)
{
    const QJsonArray at = answer.value(u"at").toArray();
    TableFormatter table({u"AT"_s, u"CPU"_s, u"MEMORY"_s, u"NET IN"_s, u"NET OUT"_s, u"DISK R"_s, u"DISK W"_s,
                          u"RESTARTS"_s, u"UP"_s});
    const QStringList keys{u"cpu_percent"_s, u"memory_bytes"_s, u"rx_bytes_per_s"_s, u"tx_bytes_per_s"_s,
                           u"block_read_bytes_per_s"_s, u"block_write_bytes_per_s"_s, u"restarts"_s, u"up"_s};
    QList<QList<std::optional<double>>> columns;
    for (const QString &k : keys)
        columns.append(column(answer, k));
    for (qsizetype i = 0; i < at.size(); ++i) {
        QStringList row{QDateTime::fromSecsSinceEpoch(at[i].toInteger()).toString(u"yyyy-MM-dd HH:mm:ss"_s)};
        bool empty = true;
        const auto cell = [&](int c, QString (*format)(double)) {
            const auto &v = columns[c].value(i);
            if (!v)
                return u"-"_s;
            empty = false;
            return format(*v);
        };
        row << cell(0, percent) << cell(1, formatBytes) << cell(2, rate) << cell(3, rate) << cell(4, rate)
            << cell(5, rate) << cell(6, count) << cell(7, [](double v) { return v >= 0.5 ? u"up"_s : u"down"_s; });
        if (!empty)
            table.addRow(row);
    }
    return table.toString();
}

} // namespace gasper::ctl
