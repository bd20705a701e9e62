// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"

namespace gasper::master {

// POST /api/v1/apps/{name}/rollback {"deploy": N}: deploys the commit of deploy N again, the
// way a rebuild deploys the head (same recipe, zero downtime: the old container serves until
// the new one passes its health check). The app stays pinned to that commit, through
// recoveries, until its next rebuild, update or push (AppStates::beginDeploy). Owner or admin
// only (others get 404, as for every app route).
class RollbackApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RollbackApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

private:
    void rollback(const CallPtr &call);
};

} // namespace gasper::master
