// SPDX-License-Identifier: MIT
// The store's part of deploys as users expect them (issue 9): rollbacks and their pins.
#include "store/Store.h"

using namespace Qt::StringLiterals;

namespace gasper::store {

Result<DeployRecord> Store::deploy(const QString &app, int number)
{
    auto all = deploys(app, 0);
    if (!all)
        return std::unexpected(all.error());
    for (const DeployRecord &d : std::as_const(*all)) {
        if (d.number == number)
            return d;
    }
    return fail(u"not-found"_s, u"app '%1' has no deploy #%2"_s.arg(app).arg(number));
}

Result<void> Store::setAppCommit(const QString &app, const QString &commit)
{
    return touchApp(app, u"git_commit = ?"_s, {commit.isNull() ? u""_s : commit});
}

Result<std::pair<AppRecord, DeployRecord>> Store::startRollback(const QString &app, int number)
{
    auto target = deploy(app, number);
    if (!target)
        return std::unexpected(target.error());
    if (target->commit.isEmpty())
        return fail(u"no-commit"_s, u"deploy #%1 of '%2' recorded no commit (it ended before its clone did): "
                                    "there is nothing to roll back to"_s.arg(number).arg(app));
    // The pin first: if the deploy could not start, the next deploy of the head clears it.
    if (auto pinned = setAppCommit(app, target->commit); !pinned)
        return std::unexpected(pinned.error());
    auto started = startDeploy(app, u"rollback"_s, number);
    if (!started)
        return std::unexpected(started.error());
    auto record = this->app(app);
    if (!record)
        return std::unexpected(record.error());
    return std::pair{*record, *started};
}

} // namespace gasper::store
