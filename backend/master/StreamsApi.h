// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"

namespace gasper::master {

// Long-lived answers: an app's container output (logs, followed as a chunked stream)
// and the events WebSocket. Both accept the token in ?token= for browsers.
class StreamsApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamsApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

private:
    void logs(const CallPtr &call);
    void events(const CallPtr &call);
};

} // namespace gasper::master
