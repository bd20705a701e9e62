// SPDX-License-Identifier: MIT
// The logs area of the store (issue 9): every deploy's output lines, and the end of each
// retired container's own output. Bounded here, on the store thread.
#include "store/Store.h"
#include "store/SqlSupport.h"

#include <QHash>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace gasper::store {

using namespace sql;

namespace {

std::unexpected<Error> noSuch(const QString &what)
{
    return std::unexpected(Error{u"not-found"_s, what});
}

} // namespace

Result<void> Store::appendDeployLog(const QList<DeployLogLine> &lines)
{
    if (lines.isEmpty())
        return {};
    return inWriteTransaction([&]() -> Result<void> {
        QHash<QString, qint64> ids;  // app -> id; 0: removed meanwhile
        for (const DeployLogLine &l : lines) {
            auto found = ids.constFind(l.app);
            if (found == ids.cend()) {
                auto q = exec(m_db, u"SELECT id FROM apps WHERE name = ?"_s, {text(l.app)});
                if (!q)
                    return std::unexpected(q.error());
                found = ids.insert(l.app, q->next() ? q->value(0).toLongLong() : 0);
            }
            if (*found == 0)
                continue;
            if (auto q = exec(m_db, u"INSERT INTO deploy_log_lines (app_id, number, at, stream, line) VALUES (?, ?, ?, ?, ?)"_s,
                                   {*found, l.deploy, l.at.toMSecsSinceEpoch(), text(l.stream), text(l.line)});
                !q)
                return std::unexpected(q.error());
        }
        return {};
    });
}

Result<void> Store::trimDeployLog(const QString &app, int deploy, const LogBounds &bounds, bool pruneOld)
{
    return inWriteTransaction([&]() -> Result<void> {
        auto id = exec(m_db, u"SELECT id FROM apps WHERE name = ?"_s, {text(app)});
        if (!id)
            return std::unexpected(id.error());
        if (!id->next())
            return {};
        const qint64 appId = id->value(0).toLongLong();
        // Newest first: the first line beyond either bound and every older one go.
        auto q = exec(m_db, u"SELECT id, length(line) FROM deploy_log_lines WHERE app_id = ? AND number = ? ORDER BY id DESC"_s,
                           {appId, deploy});
        if (!q)
            return std::unexpected(q.error());
        int count = 0;
        qint64 chars = 0;
        qint64 cutAt = 0;
        while (q->next()) {
            ++count;
            chars += q->value(1).toLongLong() + 1;
            if (count > bounds.maxLines || chars > bounds.maxChars) {
                cutAt = q->value(0).toLongLong();
                break;
            }
        }
        q->finish();
        if (cutAt > 0) {
            if (auto d = exec(m_db, u"DELETE FROM deploy_log_lines WHERE app_id = ? AND number = ? AND id <= ?"_s,
                                   {appId, deploy, cutAt});
                !d)
                return std::unexpected(d.error());
        }
        if (pruneOld) {
            if (auto d = exec(m_db, u"DELETE FROM deploy_log_lines WHERE app_id = ? AND number <= ?"_s,
                                   {appId, deploy - bounds.deploysKept});
                !d)
                return std::unexpected(d.error());
        }
        return {};
    });
}

Result<QList<DeployLogLine>> Store::deployLog(const QString &app, int deploy)
{
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    auto exists = exec(m_db, u"SELECT 1 FROM deploys WHERE app_id = ? AND number = ?"_s, {*id, deploy});
    if (!exists)
        return std::unexpected(exists.error());
    if (!exists->next())
        return noSuch(u"'%1' has no deploy #%2"_s.arg(app).arg(deploy));
    exists->finish();
    auto q = exec(m_db, u"SELECT at, stream, line FROM deploy_log_lines WHERE app_id = ? AND number = ? ORDER BY id"_s,
                       {*id, deploy});
    if (!q)
        return std::unexpected(q.error());
    QList<DeployLogLine> lines;
    while (q->next())
        lines.append(DeployLogLine{app, deploy, QDateTime::fromMSecsSinceEpoch(q->value(0).toLongLong(), Qt::UTC),
                                   q->value(1).toString(), q->value(2).toString()});
    return lines;
}

Result<void> Store::saveAppLog(const QString &app, int deploy, const QByteArray &log, const LogBounds &bounds)
{
    return inWriteTransaction([&]() -> Result<void> {
        auto id = appId(app);
        if (!id)
            return std::unexpected(id.error());
        if (auto d = exec(m_db, u"DELETE FROM app_logs WHERE app_id = ? AND number = ?"_s, {*id, deploy}); !d)
            return std::unexpected(d.error());
        if (bounds.appLogsKept > 0) {
            if (auto q = exec(m_db, u"INSERT INTO app_logs (app_id, number, captured_at, log) VALUES (?, ?, ?, ?)"_s,
                                   {*id, deploy, QDateTime::currentMSecsSinceEpoch(), log});
                !q)
                return std::unexpected(q.error());
        }
        auto d = exec(m_db, u"DELETE FROM app_logs WHERE app_id = ? AND number NOT IN "
                           "(SELECT number FROM app_logs WHERE app_id = ? ORDER BY number DESC LIMIT ?)"_s,
                           {*id, *id, bounds.appLogsKept});
        if (!d)
            return std::unexpected(d.error());
        return {};
    });
}

Result<QByteArray> Store::appLog(const QString &app, int deploy)
{
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    auto q = exec(m_db, u"SELECT log FROM app_logs WHERE app_id = ? AND number = ?"_s, {*id, deploy});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return noSuch(u"no app log is kept for deploy #%1 of '%2'"_s.arg(deploy).arg(app));
    return q->value(0).toByteArray();
}

Result<QList<int>> Store::appLogDeploys(const QString &app)
{
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    auto q = exec(m_db, u"SELECT number FROM app_logs WHERE app_id = ? ORDER BY number DESC"_s, {*id});
    if (!q)
        return std::unexpected(q.error());
    QList<int> numbers;
    while (q->next())
        numbers << q->value(0).toInt();
    return numbers;
}

} // namespace gasper::store
