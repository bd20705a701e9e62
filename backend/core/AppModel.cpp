// SPDX-License-Identifier: MIT
#include "core/AppModel.h"

namespace gasper {

QString toString(AppState state)
{
    switch (state) {
    case AppState::Queued: return QStringLiteral("queued");
    case AppState::Cloning: return QStringLiteral("cloning");
    case AppState::Building: return QStringLiteral("building");
    case AppState::Starting: return QStringLiteral("starting");
    case AppState::Running: return QStringLiteral("running");
    case AppState::Restarting: return QStringLiteral("restarting");
    case AppState::Failed: return QStringLiteral("failed");
    case AppState::Stopped: return QStringLiteral("stopped");
    }
    return QStringLiteral("failed");
}

std::optional<AppState> appStateFromString(QStringView text)
{
    for (auto s : {AppState::Queued, AppState::Cloning, AppState::Building, AppState::Starting,
                   AppState::Running, AppState::Restarting, AppState::Failed, AppState::Stopped}) {
        if (toString(s) == text)
            return s;
    }
    return std::nullopt;
}

} // namespace gasper
