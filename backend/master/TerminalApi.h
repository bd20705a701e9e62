// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"

namespace gasper::master {

// WS /api/v1/apps/{name}/terminal?cols=C&rows=R: a shell in the app's live container
// (AppWorker::openShell) bridged to a WebSocket. Binary frames carry terminal bytes both
// ways; text frames carry JSON control: {"resize":[cols,rows]} from the client,
// {"exit":code} (or {"error":{code,message}}) from the server just before it closes.
// Flow control: above kHighWater bytes queued for the client the shell's output is no
// longer read, below kLowWater it is again. Closing the socket ends the shell (SIGHUP).
class TerminalApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminalApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

    static constexpr qint64 kHighWater = 1024 * 1024;
    static constexpr qint64 kLowWater = 256 * 1024;

private:
    void terminal(const CallPtr &call);
};

} // namespace gasper::master
