// SPDX-License-Identifier: MIT
// gasperctl hooks: push to deploy (GET/PATCH /api/v1/apps/{name}/hooks, POST …/hooks/rotate).
#include "CommandContext.h"
#include "Console.h"
#include "Output.h"

using namespace Qt::StringLiterals;

namespace gasper::ctl {

int cmdHooks(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) {
        const QJsonObject hook = objectOf(r);
        if (ctx.inv.request.method == "POST")
            ctx.console.err(u"new secret made: paste it into the webhook's settings; the old one no longer works\n"_s);
        ctx.console.out(formatHook(hook, ctx.inv.showSecret));
    });
}

} // namespace gasper::ctl
