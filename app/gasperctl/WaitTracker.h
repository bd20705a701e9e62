// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gasper::ctl {

// Decides, from polled app objects (GET /api/v1/apps/<name>), when a `--wait` is over.
//
// Polling every 200 ms can miss a whole fast deploy, and a rebuild keeps the old container
// serving (state `running`) — so `running` alone does not prove the action finished.
// With `requireChange`, a terminal state counts only after some evidence that the action
// happened: a transitional state was seen, the state differs from the one before the action,
// `updated_at` moved past the baseline, or a deploy newer than `lastDeploy` has finished (fed
// by observeDeploys() when needsDeploys()).
// Without it (create: the app did not exist before) the first terminal state counts.
class WaitTracker final
{
public:
    enum class Outcome { Pending, Running, Failed };

    struct Baseline
    {
        bool requireChange = false;
        QString state;                    // the app's state before the action
        QString updatedAt;                // the app's updated_at before the action
        std::optional<int> lastDeploy;    // the newest deploy number before the action
    };

    explicit WaitTracker(Baseline baseline);

    Outcome observeApp(const QJsonObject &app);
    Outcome observeDeploys(const QJsonArray &deploys);

    // A terminal state was seen without evidence of change: the deploy history can tell.
    bool needsDeploys() const;

    QString state() const { return m_state; }
    // The reason of a Failed outcome (last_error, the deploy's error, or a stop).
    QString failure() const { return m_failure; }

    static bool isTransitional(const QString &state);

private:
    Baseline m_baseline;
    QString m_state;
    QString m_failure;
    bool m_changed = false;
    bool m_terminalUnproven = false;
};

} // namespace gasper::ctl
