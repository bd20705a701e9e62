// SPDX-License-Identifier: MIT
#pragma once

#include "core/AppModel.h"
#include "master/ApiResource.h"

#include <optional>

namespace gasper::master {

// Apps: create, list, show, change, delete; rebuild, restart, stop, start; deploy
// history and output; metrics. What a user asks for is in the store before it is
// acknowledged; AppStates carries it out with the worker.
class AppsApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppsApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

private:
    void create(const CallPtr &call);
    void createApp(const CallPtr &call, const AppSpec &spec, const QString &sshPasswordHash);
    void patchApp(const CallPtr &call, const QString &name, const std::optional<AppSpec> &spec,
                  const std::optional<QString> &passwordHash);
    void list(const CallPtr &call);
    void get(const CallPtr &call);
    void patch(const CallPtr &call);
    void remove(const CallPtr &call);
    void rebuild(const CallPtr &call);
    void restart(const CallPtr &call);
    void stop(const CallPtr &call);
    void start(const CallPtr &call);
    void lifecycle(const CallPtr &call, const QString &action);
    void deploys(const CallPtr &call);
    void metrics(const CallPtr &call);
};

} // namespace gasper::master
