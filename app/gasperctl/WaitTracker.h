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
// With `deployDecides` (rebuild, update: the master records the new deploy before it answers
// 202) only the deploy history decides: `updated_at` is no evidence there, since a PATCH moves
// it at once while the old container is still serving the old settings.
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
        bool deployDecides = false;       // the action starts a deploy; needs lastDeploy
    };

    explicit WaitTracker(Baseline baseline);

    Outcome observeApp(const QJsonObject &app);
    Outcome observeDeploys(const QJsonArray &deploys);

    // The deploy history is needed: the action's deploy decides, or a terminal state was seen
    // without evidence of change.
    bool needsDeploys() const;

    QString state() const { return m_state; }
    // The reason of a Failed outcome (last_error, the deploy's error, or a stop).
    QString failure() const { return m_failure; }

    static bool isTransitional(const QString &state);

private:
    bool deployDecides() const { return m_baseline.deployDecides && m_baseline.lastDeploy.has_value(); }

    Baseline m_baseline;
    QString m_state;
    QString m_failure;
    bool m_changed = false;
    bool m_terminalUnproven = false;
};

} // namespace gasper::ctl
