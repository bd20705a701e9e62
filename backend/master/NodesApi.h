// SPDX-License-Identifier: MIT
#pragma once

#include "master/ApiResource.h"

#include <QElapsedTimer>

#include <functional>

namespace gasper::master {

// The service's own endpoints: liveness (/healthz), Prometheus text (/metrics), the
// API's OpenAPI description and the node list (admins).
class NodesApi final : public ApiResource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodesApi)
public:
    NodesApi(const ApiContext &context, QObject *parent);
    void addRoutes(Router &router) override;
    // Extra Prometheus text appended to /metrics (the proxy's counters).
    void setMetricsSource(std::function<QByteArray()> source) { m_extraMetrics = std::move(source); }

private:
    Reply healthz(const CallPtr &call);
    Reply metrics(const CallPtr &call);
    void nodeMetrics(const CallPtr &call);
    Reply openApi(const CallPtr &call);
    void nodes(const CallPtr &call);

    QElapsedTimer m_uptime;
    std::function<QByteArray()> m_extraMetrics;
};

} // namespace gasper::master
