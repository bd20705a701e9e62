// SPDX-License-Identifier: MIT
#pragma once

#include "core/Config.h"
#include "store/AsyncStore.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace gasper::master {

// Keeps every deploy's output in the store (Store::appendDeployLog), never on the event
// loop: lines are queued here and written by the store thread in one transaction per batch,
// at least every [logs] flush_interval_ms (1 s), at the end of each deploy, before any read
// of a deploy log (flush(), queued before the read: the store runs tasks in order) and when
// the writer is destroyed (gasperd stopping). A hard crash loses at most the last interval.
// Bounds: deploy_log_lines/deploy_log_kb per deploy (the oldest lines go first), the output
// of the newest deploy_logs_kept deploys per app.
class DeployLogWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeployLogWriter)
public:
    DeployLogWriter(const LogSettings &settings, store::AsyncStore *store, QObject *parent = nullptr);
    ~DeployLogWriter() override;

    void append(const QString &app, int deploy, const QString &stream, const QString &line);
    // The deploy ended: its lines go now, then it is trimmed and the app's old deploys pruned.
    void finish(const QString &app, int deploy);
    // A deleted app: its lines still queued go nowhere (a new app of that name starts clean).
    void forget(const QString &app);
    // Queues what is pending; a store task submitted after this sees every line so far.
    void flush();
    static constexpr qsizetype kMaxLineChars = 8192;  // longer lines are cut (…)

private:
    struct Written
    {
        int lines = 0;
        qint64 chars = 0;
    };

    store::LogBounds bounds() const;

    LogSettings m_settings;
    QPointer<store::AsyncStore> m_store;
    QList<store::DeployLogLine> m_pending;
    QHash<QString, Written> m_written;  // "app#n" of deploys running: what went to the store
    QTimer m_timer;
    bool m_closing = false;
};

} // namespace gasper::master
