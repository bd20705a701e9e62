// SPDX-License-Identifier: MIT
// gasperctl metrics APP [--since 1h] [--until T] [--step 1m] [--table] [--json]
#include "CommandContext.h"
#include "Console.h"
#include "MetricsOutput.h"

namespace gasper::ctl {

int cmdMetrics(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) {
        const QJsonObject answer = objectOf(r);
        ctx.console.out(ctx.inv.table ? formatMetricsTable(answer) : formatMetricsSummary(answer));
    });
}

} // namespace gasper::ctl
