// SPDX-License-Identifier: MIT
// Push to deploy: the Store's app_hooks and hook_deliveries tables (migration 7).
#include "store/Store.h"
#include "store/SqlSupport.h"

#include "core/Log.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace gasper::store {

using namespace sql;

Result<AppHook> Store::appHookRow(qint64 id, const QString &app)
{
    auto q = exec(m_db, u"SELECT secret_sealed, poll_seconds, created_at, rotated_at FROM app_hooks WHERE app_id = ?"_s, {id});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(u"not-found"_s, u"'%1' has no webhook yet"_s.arg(app));
    auto secret = m_secrets.open(q->value(0).toByteArray());
    if (!secret)
        return std::unexpected(secret.error());
    AppHook hook;
    hook.app = app;
    hook.secret = QString::fromUtf8(*secret);
    hook.pollSeconds = q->value(1).toInt();
    hook.createdAt = fromMs(q->value(2));
    hook.rotatedAt = fromMs(q->value(3));
    return hook;
}

Result<AppHook> Store::appHook(const QString &app, const QString &secretIfNew)
{
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    if (!secretIfNew.isEmpty()) {
        // Both engines: a concurrent first read by another master keeps the row made first.
        const qint64 now = nowMs();
        if (auto q = exec(m_db, u"INSERT INTO app_hooks (app_id, secret_sealed, poll_seconds, created_at, rotated_at)"
                                " VALUES (?, ?, 0, ?, ?) ON CONFLICT (app_id) DO NOTHING"_s,
                         {*id, m_secrets.seal(secretIfNew.toUtf8()), now, now});
            !q)
            return std::unexpected(q.error());
    }
    return appHookRow(*id, app);
}

Result<AppHook> Store::rotateAppHook(const QString &app, const QString &secret)
{
    auto hook = appHook(app, secret);
    if (!hook)
        return hook;
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    if (auto q = exec(m_db, u"UPDATE app_hooks SET secret_sealed = ?, rotated_at = ? WHERE app_id = ?"_s,
                     {m_secrets.seal(secret.toUtf8()), nowMs(), *id});
        !q)
        return std::unexpected(q.error());
    return appHookRow(*id, app);
}

Result<AppHook> Store::setAppHookPoll(const QString &app, int seconds, const QString &secretIfNew)
{
    auto hook = appHook(app, secretIfNew);
    if (!hook)
        return hook;
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    if (auto q = exec(m_db, u"UPDATE app_hooks SET poll_seconds = ? WHERE app_id = ?"_s, {seconds, *id}); !q)
        return std::unexpected(q.error());
    hook->pollSeconds = seconds;
    return hook;
}

Result<QList<AppHook>> Store::polledAppHooks()
{
    auto q = exec(m_db, u"SELECT a.name, h.poll_seconds, h.created_at, h.rotated_at FROM app_hooks h"
                        " JOIN apps a ON a.id = h.app_id WHERE h.poll_seconds > 0 ORDER BY a.name"_s);
    if (!q)
        return std::unexpected(q.error());
    QList<AppHook> hooks;
    while (q->next()) {
        AppHook hook;
        hook.app = q->value(0).toString();
        hook.pollSeconds = q->value(1).toInt();
        hook.createdAt = fromMs(q->value(2));
        hook.rotatedAt = fromMs(q->value(3));
        hooks << hook;
    }
    return hooks;
}

Result<void> Store::addHookDelivery(const HookDelivery &d, int keep)
{
    auto id = appId(d.app);
    if (!id)
        return std::unexpected(id.error());
    const qint64 at = d.at.isValid() ? d.at.toMSecsSinceEpoch() : nowMs();
    if (auto q = exec(m_db, u"INSERT INTO hook_deliveries (app_id, at, source, event, branch, commit_sha, outcome, detail, deploy)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                     {*id, at, text(d.source), text(d.event), text(d.branch), text(d.commit), text(d.outcome),
                      text(d.detail), d.deploy});
        !q)
        return std::unexpected(q.error());
    if (auto q = exec(m_db, u"DELETE FROM hook_deliveries WHERE app_id = ? AND id NOT IN"
                            " (SELECT id FROM hook_deliveries WHERE app_id = ? ORDER BY id DESC LIMIT ?)"_s,
                     {*id, *id, qMax(1, keep)});
        !q)
        return std::unexpected(q.error());
    return {};
}

Result<QList<HookDelivery>> Store::hookDeliveries(const QString &app, int limit)
{
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    auto q = exec(m_db, u"SELECT id, at, source, event, branch, commit_sha, outcome, detail, deploy FROM hook_deliveries"
                        " WHERE app_id = ? ORDER BY id DESC LIMIT ?"_s,
                 {*id, qMax(1, limit)});
    if (!q)
        return std::unexpected(q.error());
    QList<HookDelivery> list;
    while (q->next()) {
        HookDelivery d;
        d.id = q->value(0).toLongLong();
        d.app = app;
        d.at = fromMs(q->value(1));
        d.source = q->value(2).toString();
        d.event = q->value(3).toString();
        d.branch = q->value(4).toString();
        d.commit = q->value(5).toString();
        d.outcome = q->value(6).toString();
        d.detail = q->value(7).toString();
        d.deploy = q->value(8).toInt();
        list << d;
    }
    return list;
}

Result<QString> Store::lastDeployedCommit(const QString &app)
{
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    auto q = exec(m_db, u"SELECT commit_sha FROM deploys WHERE app_id = ? AND status = 'succeeded' AND commit_sha <> ''"
                        " ORDER BY number DESC LIMIT 1"_s,
                 {*id});
    if (!q)
        return std::unexpected(q.error());
    return q->next() ? q->value(0).toString() : QString();
}

} // namespace gasper::store
