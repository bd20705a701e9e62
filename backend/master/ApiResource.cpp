// SPDX-License-Identifier: MIT
#include "master/ApiResource.h"

#include "store/AsyncStore.h"

using namespace Qt::StringLiterals;

namespace gasper::master {

void ApiResource::withOwnedApp(const CallPtr &call, std::function<void(const store::AppRecord &)> next)
{
    const QString name = call->param(u"name"_s);
    m_ctx.store->run([name](store::Store &s) { return s.app(name); })
        .then(this, [call, name, next = std::move(next)](const Result<store::AppRecord> &app) {
            if (app && (app->ownerId == call->user().id || call->user().admin))
                return next(*app);
            if (app || app.error().code == u"not-found")
                return call->fail(u"not-found"_s, u"no app named '%1'"_s.arg(name));
            call->fail(app.error());
        });
}

} // namespace gasper::master
