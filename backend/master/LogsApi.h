// SPDX-License-Identifier: MIT
#pragma once

#include "apps/LogLines.h"
#include "master/ApiResource.h"

#include <QDateTime>
#include <QUrlQuery>

namespace gasper::master {

// Logs: an app's own output (`GET …/logs`: the live container's, followed as a chunked
// stream, or a replaced deploy's as kept in the store; since, search, timestamps, download)
// and every deploy's build/release/platform output (`GET …/deploys/{n}/log`, from the store).
// Both are 404 for other users' apps. Text answers; secrets were masked by the worker.
class LogsApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsApi)
public:
    using ApiResource::ApiResource;
    void addRoutes(Router &router) override;

    // The query of GET …/logs, or the 400 it deserves. `now` anchors relative `since`s.
    static Result<apps::LogQuery> parseQuery(const QUrlQuery &query, const QDateTime &now);

private:
    void appLog(const CallPtr &call);
    void deployLog(const CallPtr &call);
    void liveLog(const CallPtr &call, const QString &app, const apps::LogQuery &query, bool download);
};

} // namespace gasper::master
