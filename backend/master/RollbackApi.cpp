// SPDX-License-Identifier: MIT
#include "master/RollbackApi.h"

#include "core/Log.h"
#include "master/ApiSupport.h"
#include "master/AppJson.h"
#include "master/AppStates.h"
#include "store/AsyncStore.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gasper::master {

void RollbackApi::addRoutes(Router &r)
{
    r.add("POST", u"/api/v1/apps/{name}/rollback"_s, Access::Token, this, &RollbackApi::rollback);
}

void RollbackApi::rollback(const CallPtr &call)
{
    auto body = parseJsonObject(call->body());
    if (!body)
        return call->fail(body.error());
    for (auto it = body->begin(); it != body->end(); ++it) {
        if (it.key() != u"deploy")
            return call->fail(u"invalid-body"_s, u"'%1' is not a known field (deploy)"_s.arg(it.key()));
    }
    const QJsonValue value = body->value(u"deploy");
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 1 || number > 2147483647 || number != std::floor(number))
        return call->fail(u"invalid-body"_s, u"deploy must be the number of one of the app's deploys (1, 2, …)"_s);
    withOwnedApp(call, [this, call, deploy = int(number)](const store::AppRecord &app) {
        using Started = std::pair<store::AppRecord, store::DeployRecord>;
        m_ctx.store->run([name = app.spec.name, deploy](store::Store &s) { return s.startRollback(name, deploy); })
            .then(this, [this, call, deploy](const Result<Started> &started) {
                if (!started)
                    return call->fail(started.error());
                const auto &[pinned, record] = *started;
                qCInfo(lcMaster).noquote() << "app" << pinned.spec.name << "rolls back to deploy" << deploy << "at"
                                           << pinned.spec.git.commit.left(12) << "by" << call->user().username;
                call->finish(Answer::json(202, appToJson(pinned, m_ctx.config)));
                m_ctx.states->beginDeploy(pinned.spec, record);
            });
    });
}

} // namespace gasper::master
