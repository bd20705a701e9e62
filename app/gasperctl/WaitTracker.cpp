// SPDX-License-Identifier: MIT
#include "WaitTracker.h"

using namespace Qt::StringLiterals;

namespace gasper::ctl {

WaitTracker::WaitTracker(Baseline baseline)
    : m_baseline(std::move(baseline))
{
    m_changed = !m_baseline.requireChange;
}

bool WaitTracker::isTransitional(const QString &state)
{
    return state == u"queued" || state == u"cloning" || state == u"building" || state == u"starting"
           || state == u"restarting";
}

WaitTracker::Outcome WaitTracker::observeApp(const QJsonObject &app)
{
    m_state = app.value(u"state"_s).toString();
    m_terminalUnproven = false;
    if (isTransitional(m_state)) {
        m_changed = true;
        return Outcome::Pending;
    }
    if (deployDecides())
        return Outcome::Pending;  // only the action's deploy ends the wait (observeDeploys)
    const bool terminal = m_state == u"running" || m_state == u"failed" || m_state == u"stopped";
    const QString updatedAt = app.value(u"updated_at"_s).toString();
    if (!updatedAt.isEmpty() && !m_baseline.updatedAt.isEmpty() && updatedAt != m_baseline.updatedAt)
        m_changed = true;
    if (!m_baseline.state.isEmpty() && !m_state.isEmpty() && m_state != m_baseline.state)
        m_changed = true;  // stopped → running with every step between two polls
    if (!terminal)
        return Outcome::Pending;  // a state this client does not know yet: keep polling
    if (!m_changed) {
        m_terminalUnproven = true;
        return Outcome::Pending;
    }
    if (m_state == u"running")
        return Outcome::Running;
    m_failure = m_state == u"stopped" ? u"the app was stopped"_s : app.value(u"last_error"_s).toString();
    if (m_failure.isEmpty())
        m_failure = u"the deploy failed"_s;
    return Outcome::Failed;
}

bool WaitTracker::needsDeploys() const
{
    // When the deploy decides, ask it on every poll: a deploy cancelled (by a recovery, say)
    // has failed even while the app still shows a later deploy's steps.
    return deployDecides() || (m_terminalUnproven && m_baseline.lastDeploy.has_value());
}

WaitTracker::Outcome WaitTracker::observeDeploys(const QJsonArray &deploys)
{
    if (!m_baseline.lastDeploy)
        return Outcome::Pending;
    // The action's own deploy is the first one after the baseline: a later one (a recovery
    // after a crash, someone else's rebuild) must not speak for it.
    QJsonObject ours;
    int oursNumber = -1;
    for (const QJsonValue &v : deploys) {
        const QJsonObject d = v.toObject();
        const int number = d.value(u"number"_s).toInt(-1);
        if (number > *m_baseline.lastDeploy && (oursNumber < 0 || number < oursNumber)) {
            oursNumber = number;
            ours = d;
        }
    }
    if (oursNumber < 0)
        return Outcome::Pending;
    m_changed = true;
    const QString status = ours.value(u"status"_s).toString();
    if (status == u"failed") {
        m_failure = ours.value(u"error"_s).toString();
        if (m_failure.isEmpty())
            m_failure = u"the deploy failed"_s;
        return Outcome::Failed;
    }
    const bool finished = !status.isEmpty() && !ours.value(u"finished_at"_s).toString().isEmpty();
    if (!finished)
        return Outcome::Pending;
    // The new deploy finished well; the app state (seen terminal) decides.
    if (m_state == u"running")
        return Outcome::Running;
    if (m_state == u"failed" || m_state == u"stopped") {
        m_failure = m_state == u"stopped" ? u"the app was stopped"_s : u"the app failed"_s;
        return Outcome::Failed;
    }
    return Outcome::Pending;
}

} // namespace gasper::ctl
