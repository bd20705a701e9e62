// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

namespace gasper::apps {

// What the engine behind the socket can do, learnt once from its answers and shared by every
// deploy of the node. Any engine that speaks the Engine API must work (DESIGN.md): Podman's
// Docker-compatible service without its init helper (catatonit) refuses every create that
// asks for `Init`, and a Docker without docker-init fails the start. The first such answer
// switches init off for good (containers then run the app's shell as PID 1; the run command
// is still exec'd by `sh -c`, signals reach it as far as the shell passes them), and the log
// says so once.
class EngineFeatures
{
public:
    bool initAvailable() const { return m_init; }

    // The engine's error means that the --init helper binary is missing.
    static bool isInitMissing(const Error &error);
    // Notes such an error: true when it switched init off (so retry without it), false when
    // the error is another one or init was off already.
    bool noteInitMissing(const Error &error);

private:
    bool m_init = true;
};

} // namespace gasper::apps
