// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "store/Store.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace gasper::master::metrics {

// The tiers a sampling interval gives: every sample for 1 h, 1-minute averages for 24 h,
// 10-minute averages for 30 days (a tier no finer than the interval is merged away).
QList<store::MetricsTier> tiersFor(int intervalSec);

// A time in a query: ISO 8601 (2026-11-27T10:00:00Z), unix seconds, or a duration before
// `nowMs` such as 90s, 15m, 1h, 7d ("now" is now). invalid-query otherwise.
Result<qint64> parseTime(const QString &text, qint64 nowMs, const QString &name);
// A step: seconds (60), or 30s, 5m, 1h, 1d. invalid-query otherwise.
Result<int> parseStep(const QString &text);

// What a query reads and answers: a tier and a step (a multiple of the tier's) over an
// aligned range [fromMs, toMs] (fromMs a multiple of the step).
struct Plan
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int stepSec = 0;
    int tierStepSec = 0;
};
inline constexpr int kMaxPoints = 1500;
inline constexpr int kDefaultPoints = 360;

// The finest tier that still holds `fromMs` and is not finer than the step asked for; with
// no step, one giving about kDefaultPoints points. A step that would give more than
// kMaxPoints points is raised. invalid-query when from is not before until.
Result<Plan> plan(const QList<store::MetricsTier> &tiers, qint64 nowMs, qint64 fromMs, qint64 toMs,
                  std::optional<int> stepSec);

// plan() from a query's since (default 1h before now), until (default now) and step texts.
Result<Plan> planFromQuery(const QList<store::MetricsTier> &tiers, qint64 nowMs, const QString &since,
                           const QString &until, const QString &step);

// Stored rows of the plan's tier → {"since", "until", "step_s", "tier_step_s", "at": [unix s…],
// "series": {column: [value or null per bucket]}}: one value per step from fromMs to toMs,
// the rows in a bucket averaged by their sample counts (max columns: their maximum), null
// where nothing was sampled.
QJsonObject align(const QList<store::MetricsPoint> &points, const QStringList &columns, const Plan &plan);

} // namespace gasper::master::metrics
