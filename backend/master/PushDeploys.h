// SPDX-License-Identifier: MIT
#pragma once

#include "core/Config.h"
#include "store/Store.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace gasper::apps {
class AppWorker;
struct DeployOutcome;
}
namespace gasper::store {
class AsyncStore;
}

namespace gasper::master {

class AppStates;

// The deploys that pushes start, webhook or poll, and the branch poller.
//
// Throttle: at most one deploy of an app runs because of pushes; a push that arrives while
// the app deploys (whatever started that deploy) is queued, and every further push before
// the deploy ends coalesces into that one queued rebuild, which starts when the running
// deploy finishes and clones the branch head as it is then. So a flood of pushes costs two
// deploys, never a queue.
//
// Polling: an app with a poll period asks its remote for the branch head (libgit2 ls-remote on
// the clone pool, never on the event loop) every period and rebuilds (trigger "poll") when the
// head differs from the commit of the app's newest deploy that cloned one. The periods are
// in the store (they survive restarts: load() reads them); an app that is gone is dropped at
// its next poll. A failing remote is recorded once per distinct error, not at every period.
class PushDeploys final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PushDeploys)
public:
    struct Started
    {
        QString outcome;  // "deployed" or "queued"
        int deploy = 0;   // the deploy number when deployed
    };
    using Done = std::function<void(Result<Started>)>;

    PushDeploys(Config config, store::AsyncStore *store, AppStates *states, apps::AppWorker *worker,
                QObject *parent = nullptr);

    // Starts (or queues) a rebuild of `app` with this trigger ("webhook", "poll"). done runs
    // once, on this object's thread, unless this object is gone.
    void request(const QString &app, const QString &trigger, Done done);
    // 0 stops polling the app; else polls every `seconds` (the caller checked the bounds).
    void setPoll(const QString &app, int seconds);
    int pollSeconds(const QString &app) const { return m_polls.value(app).seconds; }
    void load();  // the stored poll periods

private:
    struct Poll
    {
        int seconds = 0;
        qint64 dueMs = 0;      // on m_clock
        bool inFlight = false;
        QString lastError;     // the last recorded failure (not recorded again)
        QString lastTriggered; // the head the last poll rebuilt for (never twice for one head)
    };
    void startDeploy(const QString &app, const QString &trigger, Done done);
    void onDeployFinished(const QString &app);
    void tick();
    void pollNow(const QString &app);
    void record(const store::HookDelivery &delivery);

    Config m_config;
    QPointer<store::AsyncStore> m_store;
    QPointer<AppStates> m_states;
    QPointer<apps::AppWorker> m_worker;
    QHash<QString, QString> m_queued;  // app -> trigger of the one rebuild waiting for the running deploy
    QSet<QString> m_starting;          // between request() and the deploy's start
    QHash<QString, Poll> m_polls;
    QTimer m_ticker;
    QElapsedTimer m_clock;
};

} // namespace gasper::master
