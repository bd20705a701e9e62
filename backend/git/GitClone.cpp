// SPDX-License-Identifier: MIT
#include "git/GitClone.h"

#include "core/Log.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPromise>
#include <QRegularExpression>
#include <QThreadPool>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include <git2.h>

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>

using namespace Qt::StringLiterals;

namespace gasper::git {

namespace {

constexpr int MaxCredentialAttempts = 2;
constexpr int MaxParallelClones = 4;

void ensureLibgit2()
{
    // Never shut down: libgit2's global state lives as long as the process.
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        // A clone must not depend on the daemon user's ~/.gitconfig or /etc/gitconfig: the
        // same request gives the same checkout on every node, whoever runs gasperd.
        for (const int level : {GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
                                GIT_CONFIG_LEVEL_GLOBAL})
            git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    });
}

// Clones are I/O-bound and may block for minutes; they get their own pool so they never
// starve QThreadPool::globalInstance() users (QtConcurrent elsewhere, QtHttpServer).
class ClonePool final : public QThreadPool
{
public:
    ClonePool()
    {
        setObjectName(u"gasper-git-clone"_s);
        setMaxThreadCount(MaxParallelClones);
    }
};
Q_GLOBAL_STATIC(ClonePool, s_clonePool)

struct RepoDeleter { void operator()(git_repository *r) const { git_repository_free(r); } };
struct RefDeleter { void operator()(git_reference *r) const { git_reference_free(r); } };
struct ObjectDeleter { void operator()(git_object *o) const { git_object_free(o); } };
using RepoPtr = std::unique_ptr<git_repository, RepoDeleter>;
using RefPtr = std::unique_ptr<git_reference, RefDeleter>;
using ObjectPtr = std::unique_ptr<git_object, ObjectDeleter>;

// Removes every secret of one request from any text that may reach a log or a user.
class Redactor
{
public:
    explicit Redactor(const CloneRequest &request)
    {
        addSecret(request.token);
        // A password written into the URL is as secret as the token.
        const QUrl parsed(request.url);
        if (parsed.isValid())
            addSecret(parsed.password(QUrl::FullyDecoded));
    }

    QString operator()(QString text) const
    {
        text.replace(m_userinfo, u"\\1"_s);
        for (const QString &secret : m_secrets)
            text.replace(secret, u"***"_s);
        return text;
    }

private:
    void addSecret(const QString &secret)
    {
        if (secret.isEmpty())
            return;
        m_secrets << secret;
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(secret));
        if (encoded != secret)
            m_secrets << encoded;
    }

    QStringList m_secrets;
    // Per instance, not static: each clone runs on its own thread.
    const QRegularExpression m_userinfo{u"([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s@]*@"_s};
};

// Shared with libgit2's callbacks (their payload); lives on the cloning thread's stack.
struct CallbackState
{
    QByteArray token;
    int credentialAttempts = 0;
    bool authFailed = false;
    bool timedOut = false;
    bool cancelled = false;
    QDeadlineTimer deadline{QDeadlineTimer::Forever};
    std::function<bool()> isCanceled;

    // Checked from every callback libgit2 gives us: the only way to stop it mid-transfer.
    bool shouldAbort()
    {
        if (isCanceled && isCanceled())
            cancelled = true;
        else if (deadline.hasExpired())
            timedOut = true;
        return cancelled || timedOut;
    }
};

int credentialsCallback(git_credential **out, const char * /*url*/, const char *userFromUrl,
                        unsigned int allowedTypes, void *payload)
{
    auto *state = static_cast<CallbackState *>(payload);
    if (state->shouldAbort())
        return GIT_EUSER;
    // libgit2 asks again after every rejection; without a cap it would loop forever.
    ++state->credentialAttempts;
    if (state->token.isEmpty() || !(allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT)
        || state->credentialAttempts > MaxCredentialAttempts) {
        state->authFailed = true;
        git_error_set_str(GIT_ERROR_CALLBACK, "authentication failed");
        return GIT_EAUTH;
    }
    // GitHub wants a fixed user with a token; GitLab and Gitea take any user.
    const char *user = userFromUrl && *userFromUrl ? userFromUrl : "x-access-token";
    return git_credential_userpass_plaintext_new(out, user, state->token.constData());
}

int transferProgressCallback(const git_indexer_progress * /*stats*/, void *payload)
{
    return static_cast<CallbackState *>(payload)->shouldAbort() ? GIT_EUSER : 0;
}

int sidebandCallback(const char * /*text*/, int /*len*/, void *payload)
{
    return static_cast<CallbackState *>(payload)->shouldAbort() ? GIT_EUSER : 0;
}

struct RemoteSpec
{
    QByteArray fetchSpec;
};

// Creates "origin" with our fetch refspec (only the requested branch when one is named) and
// without url.<x>.insteadOf rewriting: the URL that was checked (local or not) is the URL used.
// Skipping insteadOf also avoids libgit2 1.5's regexp leak on every config entry it scans.
int createRemote(git_remote **out, git_repository *repo, const char *name, const char *url, void *payload)
{
    const auto *spec = static_cast<const RemoteSpec *>(payload);
    git_remote_create_options options;
    git_remote_create_options_init(&options, GIT_REMOTE_CREATE_OPTIONS_VERSION);
    options.repository = repo;
    options.name = name;
    options.fetchspec = spec->fetchSpec.constData();
    options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
    return git_remote_create_with_opts(out, url, &options);
}

QString gitErrorText()
{
    const git_error *e = git_error_last();
    return e && e->message ? QString::fromUtf8(e->message).trimmed() : u"unknown libgit2 error"_s;
}

// One place that turns a libgit2 failure into our error codes.
Error classifyFailure(int rc, const CallbackState &state, const CloneRequest &request,
                      const Redactor &redact)
{
    const git_error *e = git_error_last();
    const int klass = e ? e->klass : GIT_ERROR_NONE;
    const QString text = redact(gitErrorText());
    const QString where = redact(redactUrl(request.url));

    if (state.cancelled)
        return {u"git-error"_s, u"clone of %1 was cancelled"_s.arg(where)};
    if (state.timedOut)
        return {u"git-network"_s, u"clone of %1 timed out after %2 s"_s.arg(where, QString::number(request.timeoutSec))};
    if (state.authFailed || rc == GIT_EAUTH) {
        const bool urlHasPassword = !QUrl(request.url).password().isEmpty();
        if (request.token.isEmpty() && !urlHasPassword)
            return {u"git-auth-failed"_s, u"%1 requires authentication and no token was given"_s.arg(where)};
        return {u"git-auth-failed"_s, u"authentication to %1 failed: the credentials were rejected"_s.arg(where)};
    }

    const QRegularExpression httpStatus(u"\\b(?:status code|status)\\s*:?\\s*(\\d{3})\\b"_s);
    if (klass == GIT_ERROR_HTTP) {
        const auto match = httpStatus.match(text);
        const int status = match.hasMatch() ? match.captured(1).toInt() : 0;
        if (status == 401 || status == 403)
            return {u"git-auth-failed"_s, u"access to %1 denied (HTTP %2)"_s.arg(where, QString::number(status))};
        if (status == 404)
            return {u"git-not-found"_s, u"repository %1 not found (HTTP 404)"_s.arg(where)};
    }
    if (rc == GIT_ECERTIFICATE)
        return {u"git-network"_s, u"TLS certificate of %1 rejected: %2"_s.arg(where, text)};
    const bool osConnectFailure = klass == GIT_ERROR_OS && text.contains("connect"_L1, Qt::CaseInsensitive);
    if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSL || osConnectFailure)
        return {u"git-network"_s, u"cannot reach %1: %2"_s.arg(where, text)};
    if (rc == GIT_ENOTFOUND && klass == GIT_ERROR_REFERENCE && !request.branch.isEmpty())
        return {u"git-branch-not-found"_s,
                u"branch '%1' not found in %2"_s.arg(redact(request.branch), where)};
    if (rc == GIT_ENOTFOUND)
        return {u"git-not-found"_s, u"repository %1 not found: %2"_s.arg(where, text)};
    return {u"git-error"_s, u"clone of %1 failed: %2"_s.arg(where, text)};
}

bool isEmptyDir(const QString &path)
{
    return QDir(path).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

// Undoes what a failed clone left: the directories we created, or the contents of an
// existing empty destination (which must survive as the empty directory it was).
void removeCreated(const QString &destination, const QString &createdRoot)
{
    if (!createdRoot.isEmpty()) {
        QDir(createdRoot).removeRecursively();
        return;
    }
    QDir dir(destination);
    const QFileInfoList entries =
        dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
    for (const QFileInfo &entry : entries) {
        if (entry.isDir() && !entry.isSymLink())
            QDir(entry.absoluteFilePath()).removeRecursively();
        else
            QFile::remove(entry.absoluteFilePath());
    }
}

// nftw() takes a plain function: the walk's target owner, per thread (clones run in parallel).
thread_local uid_t t_ownerUid = 0;
thread_local gid_t t_ownerGid = 0;
thread_local bool t_asRoot = false;
thread_local bool t_walkFailed = false;

int giveEntry(const char *path, const struct stat *st, int type, struct FTW *)
{
    if (t_asRoot) {
        if (lchown(path, t_ownerUid, t_ownerGid) != 0)
            t_walkFailed = true;
    } else if (type != FTW_SL && type != FTW_SLN) {
        // u=rwX copied to g and o: the container's user can write what gasperd wrote.
        const mode_t user = st->st_mode & S_IRWXU;
        if (chmod(path, (st->st_mode & 07777) | (user >> 3) | (user >> 6)) != 0)
            t_walkFailed = true;
    }
    return 0;
}

Result<void> giveToOwner(const QString &root, int uid, int gid)
{
    t_ownerUid = uid_t(uid);
    t_ownerGid = gid_t(gid < 0 ? uid : gid);
    t_asRoot = geteuid() == 0;
    t_walkFailed = false;
    const QByteArray path = QFile::encodeName(root);
    if (nftw(path.constData(), giveEntry, 32, FTW_PHYS) != 0 || t_walkFailed)
        return fail(u"git-error"_s, u"cannot give the cloned source to user %1"_s.arg(uid));
    return {};
}

Result<CloneResult> cloneImpl(const CloneRequest &request, std::function<bool()> isCanceled)
{
    QElapsedTimer elapsed;
    elapsed.start();
    const Redactor redact(request);
    const QString shownUrl = redact(redactUrl(request.url));

    const UrlKind kind = classifyUrl(request.url);
    if (kind == UrlKind::Invalid)
        return fail(u"git-invalid-url"_s, u"'%1' is not a git repository URL"_s.arg(shownUrl));

    ensureLibgit2();

    const QByteArray branchUtf8 = request.branch.toUtf8();
    if (!request.branch.isEmpty()) {
        int valid = 0;
        const QByteArray ref = "refs/heads/" + branchUtf8;
        if (git_reference_name_is_valid(&valid, ref.constData()) < 0 || !valid)
            return fail(u"git-branch-not-found"_s,
                        u"'%1' is not a valid branch name"_s.arg(redact(request.branch)));
    }

    const bool fullSha = request.commit.size() == GIT_OID_HEXSZ
                         && std::all_of(request.commit.begin(), request.commit.end(), [](QChar c) {
                                return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
                            });
    if (!request.commit.isEmpty() && !fullSha)
        return fail(u"git-commit-not-found"_s, u"'%1' is not a full commit id"_s.arg(redact(request.commit.left(64))));

    // Local sources: say "not found" before creating anything.
    QString source = request.url;
    if (kind == UrlKind::LocalPath || kind == UrlKind::File) {
        const QString path = kind == UrlKind::File ? QUrl(request.url).toLocalFile() : request.url;
        const QFileInfo info(path);
        if (!info.isDir())
            return fail(u"git-not-found"_s, u"no repository at %1"_s.arg(shownUrl));
        if (kind == UrlKind::LocalPath)
            source = info.absoluteFilePath();
    }

    if (request.destination.isEmpty())
        return fail(u"git-error"_s, u"no destination directory given"_s);
    const QFileInfo destInfo(request.destination);
    const QString destination = destInfo.absoluteFilePath();
    QString createdRoot; // top-most directory this clone creates; removed on failure
    if (destInfo.exists() || destInfo.isSymLink()) {
        if (!destInfo.isDir())
            return fail(u"git-error"_s, u"destination %1 exists and is not a directory"_s.arg(destination));
        if (!isEmptyDir(destination))
            return fail(u"git-error"_s, u"destination %1 is not empty"_s.arg(destination));
    } else {
        createdRoot = destination;
        for (QFileInfo parent(QFileInfo(destination).absolutePath()); !parent.exists();
             parent = QFileInfo(parent.absolutePath())) {
            createdRoot = parent.absoluteFilePath();
            if (parent.isRoot())
                break;
        }
        if (!QDir().mkpath(destination))
            return fail(u"git-error"_s, u"cannot create destination %1"_s.arg(destination));
    }

    CallbackState state;
    state.token = request.token.toUtf8();
    state.isCanceled = std::move(isCanceled);
    if (request.timeoutSec > 0)
        state.deadline = QDeadlineTimer(qint64(request.timeoutSec) * 1000);

    git_clone_options options;
    git_clone_options_init(&options, GIT_CLONE_OPTIONS_VERSION);
    options.checkout_opts.checkout_strategy = GIT_CHECKOUT_SAFE;
    options.fetch_opts.callbacks.credentials = credentialsCallback;
    options.fetch_opts.callbacks.transfer_progress = transferProgressCallback;
    options.fetch_opts.callbacks.sideband_progress = sidebandCallback;
    options.fetch_opts.callbacks.payload = &state;
    // Hardlinked local clone only for paths; never let a network URL that happens to name a
    // local directory be read from disk (that would bypass the admin-only rule).
    options.local = kind == UrlKind::LocalPath ? GIT_CLONE_LOCAL_AUTO : GIT_CLONE_NO_LOCAL;
    RemoteSpec remote{"+refs/heads/*:refs/remotes/origin/*"};
    if (!request.branch.isEmpty()) {
        options.checkout_branch = branchUtf8.constData();
        if (request.commit.isEmpty())
            remote.fetchSpec = "+refs/heads/" + branchUtf8 + ":refs/remotes/origin/" + branchUtf8;
    }
    options.remote_cb = createRemote;
    options.remote_cb_payload = &remote;

    qCDebug(lcGit) << "cloning" << shownUrl << "branch" << (request.branch.isEmpty() ? u"(default)"_s : redact(request.branch))
                   << "into" << destination;

    git_repository *rawRepo = nullptr;
    const int rc = git_clone(&rawRepo, source.toUtf8().constData(), QFile::encodeName(destination).constData(),
                             &options);
    RepoPtr repo(rawRepo);
    if (rc != 0) {
        const Error error = classifyFailure(rc, state, request, redact);
        repo.reset();
        removeCreated(destination, createdRoot);
        if (state.cancelled)
            qCInfo(lcGit).noquote() << error.message;
        else
            qCWarning(lcGit).noquote() << "clone failed:" << error.code << error.message;
        return std::unexpected(error);
    }

    auto failAfterClone = [&](const QString &what) -> Result<CloneResult> {
        const QString text = redact(gitErrorText());
        repo.reset();
        removeCreated(destination, createdRoot);
        qCWarning(lcGit).noquote() << "clone failed:" << what << text;
        return fail(u"git-error"_s, u"%1 in %2: %3"_s.arg(what, shownUrl, text));
    };

    git_reference *rawHead = nullptr;
    const int headRc = git_repository_head(&rawHead, repo.get());
    RefPtr head(rawHead);
    if (headRc == GIT_EUNBORNBRANCH || headRc == GIT_ENOTFOUND) {
        repo.reset();
        removeCreated(destination, createdRoot);
        return fail(u"git-error"_s, u"repository %1 has no commits"_s.arg(shownUrl));
    }
    if (headRc < 0)
        return failAfterClone(u"cannot read HEAD"_s);
    git_object *rawCommit = nullptr;
    if (git_reference_peel(&rawCommit, head.get(), GIT_OBJECT_COMMIT) < 0)
        return failAfterClone(u"HEAD is not a commit"_s);
    ObjectPtr commit(rawCommit);
    if (!request.commit.isEmpty()) {
        // A rollback: that commit, detached, whatever the branch's head is now.
        git_oid oid;
        git_object *rawPinned = nullptr;
        if (git_oid_fromstr(&oid, request.commit.toLatin1().constData()) < 0
            || git_object_lookup(&rawPinned, repo.get(), &oid, GIT_OBJECT_COMMIT) < 0) {
            head.reset();
            commit.reset();
            repo.reset();
            removeCreated(destination, createdRoot);
            return fail(u"git-commit-not-found"_s,
                        u"commit %1 is not in %2 any more (no branch holds it)"_s.arg(request.commit.left(12), shownUrl));
        }
        ObjectPtr pinned(rawPinned);
        git_checkout_options checkout;
        git_checkout_options_init(&checkout, GIT_CHECKOUT_OPTIONS_VERSION);
        checkout.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED;
        if (git_checkout_tree(repo.get(), pinned.get(), &checkout) < 0
            || git_repository_set_head_detached(repo.get(), git_object_id(pinned.get())) < 0)
            return failAfterClone(u"cannot check out commit "_s + request.commit.left(12));
        commit = std::move(pinned);
    }

    CloneResult result;
    char sha[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(sha, sizeof sha, git_object_id(commit.get()));
    result.commit = QString::fromLatin1(sha);
    const char *summary = git_commit_summary(reinterpret_cast<git_commit *>(commit.get()));
    result.message = summary ? QString::fromUtf8(summary) : QString();
    result.branch = git_reference_is_branch(head.get()) ? QString::fromUtf8(git_reference_shorthand(head.get()))
                                                        : request.branch;
    if (request.ownerUid >= 0) {
        QElapsedTimer owning;
        owning.start();
        if (auto given = giveToOwner(destination, request.ownerUid, request.ownerGid); !given) {
            repo.reset();
            removeCreated(destination, createdRoot);
            qCWarning(lcGit).noquote() << "clone failed:" << given.error().message;
            return std::unexpected(given.error());
        }
        qCDebug(lcGit).noquote() << "gave" << shownUrl << "to uid" << request.ownerUid << "in" << owning.elapsed() << "ms";
    }
    result.ms = elapsed.elapsed();
    qCInfo(lcGit).noquote() << "cloned" << shownUrl << "branch" << result.branch << "at" << result.commit
                            << "in" << result.ms << "ms";
    return result;
}

struct RemoteDeleter { void operator()(git_remote *r) const { git_remote_free(r); } };

Result<QString> remoteHeadImpl(const CloneRequest &request)
{
    const Redactor redact(request);
    const QString shownUrl = redact(redactUrl(request.url));
    const UrlKind kind = classifyUrl(request.url);
    if (kind == UrlKind::Invalid)
        return fail(u"git-invalid-url"_s, u"'%1' is not a git repository URL"_s.arg(shownUrl));
    ensureLibgit2();
    QString source = request.url;
    if (kind == UrlKind::LocalPath) {
        const QFileInfo info(request.url);
        if (!info.isDir())
            return fail(u"git-not-found"_s, u"no repository at %1"_s.arg(shownUrl));
        source = info.absoluteFilePath();
    }
    CallbackState state;
    state.token = request.token.toUtf8();
    if (request.timeoutSec > 0)
        state.deadline = QDeadlineTimer(qint64(request.timeoutSec) * 1000);

    git_remote *rawRemote = nullptr;
    if (git_remote_create_detached(&rawRemote, source.toUtf8().constData()) < 0)
        return fail(u"git-invalid-url"_s, u"'%1': %2"_s.arg(shownUrl, redact(gitErrorText())));
    std::unique_ptr<git_remote, RemoteDeleter> remote(rawRemote);
    git_remote_callbacks callbacks;
    git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
    callbacks.credentials = credentialsCallback;
    callbacks.sideband_progress = sidebandCallback;
    callbacks.payload = &state;
    if (const int rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr); rc < 0) {
        const Error error = classifyFailure(rc, state, request, redact);
        qCInfo(lcGit).noquote() << "ls-remote failed:" << error.code << error.message;
        return std::unexpected(error);
    }
    const git_remote_head **heads = nullptr;
    size_t count = 0;
    if (git_remote_ls(&heads, &count, remote.get()) < 0)
        return fail(u"git-error"_s, u"cannot list the refs of %1: %2"_s.arg(shownUrl, redact(gitErrorText())));
    const QByteArray wanted = request.branch.isEmpty() ? QByteArray("HEAD") : "refs/heads/" + request.branch.toUtf8();
    for (size_t i = 0; i < count; ++i) {
        if (wanted == heads[i]->name) {
            char sha[GIT_OID_HEXSZ + 1] = {};
            git_oid_tostr(sha, sizeof sha, &heads[i]->oid);
            git_remote_disconnect(remote.get());
            return QString::fromLatin1(sha);
        }
    }
    git_remote_disconnect(remote.get());
    if (request.branch.isEmpty())
        return fail(u"git-error"_s, u"repository %1 has no HEAD"_s.arg(shownUrl));
    return fail(u"git-branch-not-found"_s, u"branch '%1' not found in %2"_s.arg(redact(request.branch), shownUrl));
}

} // namespace

Result<QString> remoteHeadBlocking(const CloneRequest &request)
{
    return remoteHeadImpl(request);
}

Future<Result<QString>> remoteHead(const CloneRequest &request)
{
    QThreadPool *pool = s_clonePool();
    return QtConcurrent::run(pool, [request] { return remoteHeadImpl(request); });
}

Result<CloneResult> cloneBlocking(const CloneRequest &request)
{
    return cloneImpl(request, {});
}

Future<Result<CloneResult>> clone(const CloneRequest &request)
{
    QThreadPool *pool = s_clonePool(); // the QThreadPool* overload, not the callable one
    return QtConcurrent::run(pool, [request](QPromise<Result<CloneResult>> &promise) {
        Result<CloneResult> result = cloneImpl(request, [&promise] { return promise.isCanceled(); });
        promise.addResult(std::move(result));
    });
}

} // namespace gasper::git
