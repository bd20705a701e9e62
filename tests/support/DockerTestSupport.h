// SPDX-License-Identifier: MIT
#pragma once

// Shared by the tests that talk to the real Docker engine (tests/docker, tests/apps).

#include "core/Config.h"
#include "docker/DockerClient.h"

#include <QObject>
#include <QTest>

#include <optional>

namespace gasper::testing {

// The engine gasperd would use: DOCKER_HOST (unix://), else /var/run/docker.sock.
inline QString dockerSocket()
{
    return Config::defaultDockerSocket();
}

// Collects one callback result. The callback's context dies with the waiter, so a test
// that gives up early leaves no dangling callback behind.
template<class T>
struct Waiter
{
    static constexpr int kWaitMs = 60000;  // generous: a shared 2-core machine under load

    QObject context;
    std::optional<Result<T>> result;

    docker::DockerClient::Callback<T> callback()
    {
        return [this](Result<T> r) { result = std::move(r); };
    }
    bool wait(int ms = kWaitMs)
    {
        return QTest::qWaitFor([this] { return result.has_value(); }, ms);
    }
    // For QVERIFY2, which builds its message even when the check passes.
    QString why() const
    {
        return !result ? QStringLiteral("no answer")
               : *result ? QString()
                         : result->error().code + QStringLiteral(": ") + result->error().message;
    }
};

} // namespace gasper::testing
