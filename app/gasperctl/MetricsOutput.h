// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace gasper::ctl {

// `gasperctl metrics APP`: the answer of GET /api/v1/apps/{name}/metrics for a person.
// Summary (default): one line per metric with its last, min, average and max values and a
// sparkline of `width` columns (gaps where nothing was sampled). Table (--table): one row
// per point. Pure functions, so the exact text is testable.
QString formatMetricsSummary(const QJsonObject &answer, int width = 48);
QString formatMetricsTable(const QJsonObject &answer);

// ▁▂▃▄▅▆▇█ over [0, max] of `values` resampled into `width` columns (averages); ' ' where a
// column holds no value.
QString sparkline(const QList<std::optional<double>> &values, int width);

// "12.5 MiB", "980 B", "1.2 GiB"
QString formatBytes(double bytes);

} // namespace gasper::ctl
