// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"

namespace gasper::master {

// The events WebSocket (the token also in ?token= for browsers). App logs are LogsApi's.
class StreamsApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamsApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

private:
    void events(const CallPtr &call);
};

} // namespace gasper::master
