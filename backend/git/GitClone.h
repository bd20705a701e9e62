// SPDX-License-Identifier: MIT
#pragma once

#include "core/Future.h"
#include "core/Result.h"
#include "git/GitUrl.h"

#include <QFuture>
#include <QString>

namespace gasper::git {

struct CloneRequest
{
    QString url;
    QString branch;      // empty = the remote's default branch
    QString token;       // secret: never logged, never in a message
    // A full commit sha to check out (detached) instead of the branch's head: a rollback. All
    // branches are fetched then, so a commit that has left the branch is still found while any
    // branch holds it; none does: git-commit-not-found.
    QString commit;
    QString destination; // directory; must not exist or be empty
    int timeoutSec = 300; // whole clone; <= 0 means no limit
    // >= 0: once checked out, everything the clone wrote belongs to this user and group, so
    // an unprivileged container can write to its source. As root that is lchown; a gasperd
    // that is not root cannot give files away and makes them group/other-writable instead
    // (they sit in the 0700 data dir). Included in the clone's time.
    int ownerUid = -1;
    int ownerGid = -1;
};

struct CloneResult
{
    QString commit;  // 40-hex sha of the checked-out HEAD
    QString branch;  // the checked-out branch
    QString message; // commit summary (first line)
    qint64 ms = 0;   // wall-clock time of the clone
};

// Clones `request.url` into `request.destination` and checks out the requested branch
// (only that branch is fetched when one is named). Local paths use libgit2's local clone
// (hardlinked objects); file://, http(s)://, git:// and ssh:// go through the transports.
// Token auth for http(s) answers userpass (URL user or "x-access-token", token), at most twice.
//
// Guarantees: the result or an Error with one of the codes git-invalid-url, git-not-found,
// git-branch-not-found, git-commit-not-found, git-auth-failed, git-network (connection failures, timeouts),
// git-error (anything else, including a non-empty destination and cancellation); no message
// contains the token or URL credentials; a non-empty destination is not touched; a failed clone
// removes what it created (an existing empty destination is emptied again, not removed).
//
// Blocking: call it on a worker thread only (clone() does).
Result<CloneResult> cloneBlocking(const CloneRequest &request);

// Runs cloneBlocking() on a dedicated thread pool; continue with `.then(context, ...)` to get
// the result on the context's thread (gasper::Future: safe with Qt 6.4, see core/Future.h). future.cancel() aborts a running clone at its next
// progress report (it then ends with no result; use onCanceled() if you need to know).
Future<Result<CloneResult>> clone(const CloneRequest &request);

// The commit the remote's `request.branch` (empty: its HEAD) points at, like
// `git ls-remote URL refs/heads/BRANCH`, without fetching objects: url, branch, token and
// timeoutSec of the request are used (the destination is not). Same error codes and
// redaction as a clone. Blocking: worker threads only; remoteHead() runs it on the clone pool.
Result<QString> remoteHeadBlocking(const CloneRequest &request);
Future<Result<QString>> remoteHead(const CloneRequest &request);

} // namespace gasper::git
