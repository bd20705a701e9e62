// SPDX-License-Identifier: MIT
#include "master/MetricsQuery.h"

#include "master/ApiSupport.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gasper::master::metrics {

namespace {

constexpr qint64 kHour = 3600;
constexpr qint64 kDay = 24 * kHour;

Error invalid(const QString &message)
{
    return Error{u"invalid-query"_s, message};
}

std::optional<qint64> durationSeconds(const QString &text)
{
    static const QRegularExpression re(u"^(\\d{1,9})([smhd]?)$"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    const qint64 factor = unit == u"m" ? 60 : unit == u"h" ? kHour : unit == u"d" ? kDay : 1;
    return n * factor;
}

qint64 floorTo(qint64 value, qint64 step)
{
    return value - ((value % step) + step) % step;
}

double rounded(double v)
{
    return std::round(v * 100.0) / 100.0;
}

} // namespace

QList<store::MetricsTier> tiersFor(int intervalSec)
{
    const int interval = std::max(intervalSec, 1);
    QList<store::MetricsTier> tiers{{interval, int(kHour)}};
    for (const store::MetricsTier &t : {store::MetricsTier{60, int(kDay)}, store::MetricsTier{600, int(30 * kDay)}}) {
        if (t.stepSec > tiers.last().stepSec)
            tiers.append(t);
        else
            tiers.last().keepSec = std::max(tiers.last().keepSec, t.keepSec);
    }
    return tiers;
}

Result<qint64> parseTime(const QString &text, qint64 nowMs, const QString &name)
{
    const QString t = text.trimmed();
    if (t == u"now")
        return nowMs;
    static const QRegularExpression relative(u"^\\d{1,9}[smhd]$"_s);
    if (relative.match(t).hasMatch())
        return nowMs - *durationSeconds(t) * 1000;
    static const QRegularExpression epoch(u"^\\d{9,11}(\\.\\d+)?$"_s);
    if (epoch.match(t).hasMatch())
        return qint64(t.toDouble() * 1000);
    QDateTime at = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!at.isValid())
        at = QDateTime::fromString(t, Qt::ISODate);
    if (at.isValid()) {
        if (at.timeSpec() == Qt::LocalTime)
            at.setTimeSpec(Qt::UTC);  // a time without a zone is UTC, as everywhere in the API
        return at.toMSecsSinceEpoch();
    }
    return std::unexpected(invalid(u"%1 must be an ISO 8601 time such as 2026-11-27T10:00:00Z, unix seconds, "
                                   "or a duration before now such as 15m, 1h or 7d"_s.arg(name)));
}

Result<int> parseStep(const QString &text)
{
    const auto seconds = durationSeconds(text.trimmed());
    if (!seconds || *seconds < 1 || *seconds > 30 * kDay)
        return std::unexpected(invalid(u"step must be a duration from 1s to 30d such as 60, 30s, 5m or 1h"_s));
    return int(*seconds);
}

Result<Plan> plan(const QList<store::MetricsTier> &tiers, qint64 nowMs, qint64 fromMs, qint64 toMs,
                  std::optional<int> stepSec)
{
    if (tiers.isEmpty())
        return std::unexpected(Error{u"internal-error"_s, u"no metrics tiers"_s});
    if (fromMs >= toMs)
        return std::unexpected(invalid(u"since must be before until"_s));
    const qint64 rangeSec = std::max<qint64>(1, (toMs - fromMs + 999) / 1000);
    // Tiers that still hold the start of the range, finest first; none: the coarsest one.
    QList<store::MetricsTier> holding;
    for (const store::MetricsTier &t : tiers)
        if (nowMs - fromMs <= qint64(t.keepSec) * 1000)
            holding.append(t);
    if (holding.isEmpty())
        holding.append(tiers.last());
    const qint64 wanted = stepSec ? *stepSec : std::max<qint64>(holding.first().stepSec,
                                                                 (rangeSec + kDefaultPoints - 1) / kDefaultPoints);
    store::MetricsTier tier = holding.first();
    for (const store::MetricsTier &t : holding)
        if (t.stepSec <= wanted)
            tier = t;  // the coarsest tier not coarser than the step: fewest rows to read
    const qint64 tierStep = tier.stepSec;
    qint64 step = std::max<qint64>(wanted, tierStep);
    step = (step + tierStep - 1) / tierStep * tierStep;
    if (rangeSec / step > kMaxPoints) {
        const qint64 least = (rangeSec + kMaxPoints - 1) / kMaxPoints;
        step = (least + tierStep - 1) / tierStep * tierStep;
    }
    Plan p;
    p.stepSec = int(step);
    p.tierStepSec = int(tierStep);
    p.fromMs = floorTo(fromMs, step * 1000);
    p.toMs = toMs;
    return p;
}

Result<Plan> planFromQuery(const QList<store::MetricsTier> &tiers, qint64 nowMs, const QString &since,
                           const QString &until, const QString &step)
{
    auto from = since.isEmpty() ? Result<qint64>(nowMs - kHour * 1000) : parseTime(since, nowMs, u"since"_s);
    if (!from)
        return std::unexpected(from.error());
    auto to = until.isEmpty() ? Result<qint64>(nowMs) : parseTime(until, nowMs, u"until"_s);
    if (!to)
        return std::unexpected(to.error());
    std::optional<int> stepSec;
    if (!step.isEmpty()) {
        auto parsed = parseStep(step);
        if (!parsed)
            return std::unexpected(parsed.error());
        stepSec = *parsed;
    }
    return plan(tiers, nowMs, *from, *to, stepSec);
}

QJsonObject align(const QList<store::MetricsPoint> &points, const QStringList &columns, const Plan &plan)
{
    const qint64 stepMs = qint64(plan.stepSec) * 1000;
    const qsizetype buckets = qsizetype((plan.toMs - plan.fromMs) / stepMs) + 1;
    const qsizetype width = columns.size();
    QList<double> sums(buckets * width, 0.0);
    QList<qint64> counts(buckets, 0);
    for (const store::MetricsPoint &p : points) {
        if (p.atMs < plan.fromMs || p.atMs > plan.toMs || p.values.size() != width || p.samples <= 0)
            continue;
        const qsizetype b = qsizetype((p.atMs - plan.fromMs) / stepMs);
        for (qsizetype c = 0; c < width; ++c) {
            double &slot = sums[b * width + c];
            if (store::Store::isMaxColumn(columns[c]))
                slot = counts[b] == 0 ? p.values[c] : std::max(slot, p.values[c]);
            else
                slot += p.values[c] * p.samples;
        }
        counts[b] += p.samples;
    }
    QJsonArray at;
    QList<QJsonArray> series(width);
    for (qsizetype b = 0; b < buckets; ++b) {
        at.append((plan.fromMs + b * stepMs) / 1000);
        for (qsizetype c = 0; c < width; ++c) {
            if (counts[b] == 0) {
                series[c].append(QJsonValue::Null);
                continue;
            }
            const double v = sums[b * width + c];
            series[c].append(rounded(store::Store::isMaxColumn(columns[c]) ? v : v / double(counts[b])));
        }
    }
    QJsonObject bySeries;
    for (qsizetype c = 0; c < width; ++c)
        bySeries.insert(columns[c], series[c]);
    return QJsonObject{
        {u"since"_s, isoTime(QDateTime::fromMSecsSinceEpoch(plan.fromMs, Qt::UTC))},
        {u"until"_s, isoTime(QDateTime::fromMSecsSinceEpoch(plan.toMs, Qt::UTC))},
        {u"step_s"_s, plan.stepSec},
        {u"tier_step_s"_s, plan.tierStepSec},
        {u"at"_s, at},
        {u"series"_s, bySeries},
    };
}

} // namespace gasper::master::metrics
