// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"

namespace gasper::store {
struct AppHook;
struct HookDelivery;
}

namespace gasper::master {

class PushDeploys;

// Push to deploy: the public webhook POST /api/v1/hooks/{name} (GitHub, GitLab, Gitea,
// Forgejo; its authenticity is the signature, see Webhooks.h), and the owner's view of it
// (URL, secret, rotation, branch polling, recent deliveries). Every delivery — deployed,
// queued, ignored or refused — is logged (never the secret or the body) and kept in the
// store's bounded list. Deploys go through PushDeploys (one in flight, one queued).
class HooksApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HooksApi)
public:
    HooksApi(const ApiContext &context, QObject *parent);
    void addRoutes(Router &router) override;
    void start();  // loads the stored poll periods

private:
    void deliver(const CallPtr &call);
    void show(const CallPtr &call);
    void rotate(const CallPtr &call);
    void patch(const CallPtr &call);
    void answerHook(const CallPtr &call, const store::AppRecord &app, const store::AppHook &hook);
    void conclude(const CallPtr &call, store::HookDelivery delivery, int status);
    QString hookUrl(const CallPtr &call, const QString &app) const;

    PushDeploys *m_push;
};

} // namespace gasper::master
