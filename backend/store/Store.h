// SPDX-License-Identifier: MIT
#pragma once

#include "core/AppModel.h"
#include "core/Result.h"
#include "store/SecretBox.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>

class QSqlQuery;

namespace gasper::store::sql {
class Transaction;
}

namespace gasper::store {

struct User
{
    qint64 id = 0;
    QString username;
    QString email;
    QString passwordHash;
    bool admin = false;
    QDateTime createdAt;
};

struct AppRecord
{
    qint64 id = 0;
    qint64 ownerId = 0;
    QString ownerName;  // filled by queries (join)
    AppSpec spec;       // including git.token and env (decrypted)
    AppState state = AppState::Queued;
    QString node;
    QString containerId;
    int hostPort = 0;
    int restarts = 0;
    QString lastError;      // a sentence for people; empty when the last state change had no error
    QString lastErrorCode;  // stable slug of lastError for programs; empty without one
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct DeployRecord
{
    qint64 id = 0;
    QString app;
    int number = 0;         // 1, 2, 3… per app
    QString trigger;        // create, update, rebuild, recovery, rollback (and the hooks' triggers)
    int rollbackTo = 0;     // trigger rollback: the deploy whose commit this one deployed again
    QString status;         // running, succeeded, failed, cancelled
    QString commit;         // git commit sha once cloned
    QList<DeployStep> steps;
    QString error;          // a sentence for people; empty without an error
    QString errorCode;      // stable slug of error for programs; empty without one
    QDateTime startedAt;
    QDateTime finishedAt;   // invalid while running
    qint64 totalMs = 0;
};

// A user's SSH public key (OpenSSH "type base64"), unique by fingerprint across users.
struct SshKeyRecord
{
    qint64 id = 0;
    qint64 userId = 0;
    QString username;          // filled by queries (join)
    bool userIsAdmin = false;  // filled by queries (join)
    QString name;
    QString publicKey;
    QString fingerprint;  // "SHA256:…"
    QDateTime createdAt;
};

// What the SSH service needs of an app to let someone in.
// ---- metrics (issue 9: Metrics; StoreMetrics.cpp) ----------------------------------------
// A downsampling tier: rows of stepSec buckets, kept for keepSec.
struct MetricsTier
{
    int stepSec = 0;
    int keepSec = 0;
};

// One bucket of a series: the average of `samples` samples (a maximum for the columns that
// say so), in the order of appMetricsColumns() / nodeMetricsColumns().
struct MetricsPoint
{
    qint64 atMs = 0;  // start of the bucket, a multiple of the tier's step
    int samples = 0;
    QList<double> values;
};

// What one sampling tick writes: a raw sample per app and one of the node.
struct MetricsBatch
{
    struct App
    {
        QString app;
        qint64 atMs = 0;
        QList<double> values;  // appMetricsColumns()
    };
    QString node;
    qint64 nodeAtMs = 0;
    QList<double> nodeValues;  // nodeMetricsColumns(); empty: no node sample
    QList<App> apps;
};

struct AppSshAccess
{
    qint64 ownerId = 0;
    QString passwordHash;  // argon2id; empty: the app has no SSH password
    QString containerId;   // the live container; empty when none
    QString state;
};

// One line of a deploy's output (build, release, run and Gasper's own lines), as kept.
struct DeployLogLine
{
    QString app;
    int deploy = 0;
    QDateTime at;
    QString stream;  // stdout, stderr, system
    QString line;
};

// How much deploy output and how many retired app logs are kept (Config::logs).
struct LogBounds
{
    int maxLines = 10000;      // per deploy
    qint64 maxChars = 1 << 20; // per deploy (characters of the lines)
    int deploysKept = 20;      // per app, the newest deploys' output
    int appLogsKept = 5;       // per app, the newest retired containers' output
};

// Push to deploy: an app's webhook secret and polling period (StoreHooks.cpp).
struct AppHook
{
    QString app;
    QString secret;       // decrypted; never logged
    int pollSeconds = 0;  // 0: no polling
    QDateTime createdAt;
    QDateTime rotatedAt;
};

// One webhook delivery or poll, and what came of it.
struct HookDelivery
{
    qint64 id = 0;
    QString app;
    QDateTime at;
    QString source;   // github, gitlab, gitea, forgejo, unknown, poll
    QString event;    // push, ping, … ("poll" for polls)
    QString branch;
    QString commit;
    QString outcome;  // deployed, queued, ignored, refused, failed
    QString detail;   // a sentence for people
    int deploy = 0;   // the deploy number it started; 0: none
};

// All state of the master (users, tokens, apps, deploys) in SQL that SQLite and PostgreSQL
// both accept, chosen by URL:
//   sqlite:///abs/path/gasper.db   sqlite::memory:   postgresql://user:pass@host:5432/db[?sslmode=…]
// open() connects and runs the pending schema migrations, each once, in its own transaction
// (on PostgreSQL under an advisory lock, so several masters may start at once). SQLite runs
// in WAL mode with foreign keys on and a busy timeout. Timestamps are stored as integer
// milliseconds since the epoch (UTC) and come back as UTC QDateTimes.
//
// Every write is one transaction; name checks happen inside it under a write lock, so the
// domain slugs (username-taken, email-taken, name-taken) are exact on both engines and the
// first user created is admin even when several register at once. Secrets (app git token,
// app env map) are sealed with the SecretBox before they reach SQL. SQL failures come back
// as Error{"store-error", …} whose messages never contain secrets.
//
// Synchronous, on one SQL connection: use a Store from one thread only (AsyncStore does that).
class Store
{
public:
    static Result<std::unique_ptr<Store>> open(const QString &url, const SecretBox &secrets,
                                               const QString &connectionName);
    ~Store();  // closes and removes its QSqlDatabase connection
    Q_DISABLE_COPY_MOVE(Store)

    QString engine() const;  // "sqlite" or "postgresql"
    int schemaVersion() const;
    static int latestSchemaVersion();
    static int migrationCount();  // applied ones are counted in schema_version; numbers may have gaps

    // Users and tokens. The first user created becomes admin (decided in the same transaction).
    Result<User> createUser(const QString &username, const QString &email, const QString &passwordHash);
    Result<User> userByName(const QString &username);  // not-found
    Result<User> userById(qint64 id);                  // not-found
    Result<void> createToken(qint64 userId, const QByteArray &tokenHash, const QDateTime &expiresAt);
    Result<User> userByToken(const QByteArray &tokenHash, const QDateTime &now);  // unauthorized
    Result<void> deleteToken(const QByteArray &tokenHash);  // unknown token: success (idempotent)
    Result<int> deleteExpiredTokens(const QDateTime &now);

    // Apps. Names are global (host names) whoever owns them.
    Result<AppRecord> createApp(qint64 ownerId, const AppSpec &spec, const QString &node);  // name-taken, not-found (owner)
    Result<AppRecord> app(const QString &name);  // not-found
    Result<QList<AppRecord>> apps(std::optional<qint64> ownerId = std::nullopt);  // ordered by name
    Result<int> countApps(qint64 ownerId);
    // Replaces everything of the spec except its name (an app is never renamed). not-found
    Result<void> updateAppSpec(const QString &name, const AppSpec &spec);
    // updatedAt = now. An empty lastError clears both lastError and lastErrorCode (a code
    // without its sentence is never stored).
    Result<void> setAppState(const QString &name, AppState state, const QString &lastError = {},
                             const QString &lastErrorCode = {});
    Result<void> setAppRuntime(const QString &name, const QString &containerId, int hostPort, int restarts);
    Result<void> deleteApp(const QString &name);  // also its deploys; not-found

    // Deploys
    Result<DeployRecord> startDeploy(const QString &app, const QString &trigger,
                                     int rollbackTo = 0);  // status running, next number
    // status, commit, steps, error, errorCode, finishedAt, totalMs (by id)
    Result<void> saveDeploy(const DeployRecord &deploy);
    Result<QList<DeployRecord>> deploys(const QString &app, int limit = 50);  // newest first; limit <= 0: all

    // SSH keys and app SSH passwords. key-taken (the fingerprint is anyone's already),
    // key-name-taken (this user has a key of that name); deleteSshKey: not-found unless the
    // key is this user's.
    Result<SshKeyRecord> addSshKey(qint64 userId, const QString &name, const QString &publicKey,
                                   const QString &fingerprint);
    Result<QList<SshKeyRecord>> sshKeys(qint64 userId);  // oldest first
    Result<SshKeyRecord> sshKeyByFingerprint(const QString &fingerprint);  // not-found
    Result<void> deleteSshKey(qint64 userId, qint64 keyId);
    Result<void> setAppSshPassword(const QString &app, const QString &passwordHash);  // "" clears; not-found
    Result<AppSshAccess> appSshAccess(const QString &app);                            // not-found

    // ---- metrics (issue 9: Metrics; StoreMetrics.cpp) ----
    // Column names, also the keys of the API's series.
    static const QStringList &appMetricsColumns();
    static const QStringList &nodeMetricsColumns();
    static bool isMaxColumn(const QString &column);  // kept as the maximum, not the average
    // One transaction: each sample folded into its bucket of every tier (a running average).
    // Samples of apps that are not (or no longer) stored are skipped. The number of app
    // samples written.
    Result<int> recordMetrics(const MetricsBatch &batch, const QList<MetricsTier> &tiers);
    // Rows of one tier with fromMs <= at <= toMs, oldest first. An unknown app: empty.
    Result<QList<MetricsPoint>> appMetrics(const QString &app, int stepSec, qint64 fromMs, qint64 toMs);
    Result<QList<MetricsPoint>> nodeMetrics(const QString &node, int stepSec, qint64 fromMs, qint64 toMs);
    // Drops rows older than their tier keeps and rows of steps that are no tier (an
    // interval changed in the config). Rows removed. An app's rows go with it (deleteApp).
    Result<int> pruneMetrics(const QList<MetricsTier> &tiers, qint64 nowMs);
    // ---- hooks: push to deploy (StoreHooks.cpp) ----
    // The app's hook, made with `secretIfNew` the first time it is asked for. not-found (app)
    Result<AppHook> appHook(const QString &app, const QString &secretIfNew);
    Result<AppHook> rotateAppHook(const QString &app, const QString &secret);  // not-found
    Result<AppHook> setAppHookPoll(const QString &app, int seconds, const QString &secretIfNew);  // not-found
    // Every app that polls (poll_seconds > 0), secret left empty.
    Result<QList<AppHook>> polledAppHooks();
    // Keeps the newest `keep` deliveries of the app. not-found (app)
    Result<void> addHookDelivery(const HookDelivery &delivery, int keep = 20);
    Result<QList<HookDelivery>> hookDeliveries(const QString &app, int limit = 20);  // newest first
    // The commit of the app's newest succeeded deploy; empty without one.
    Result<QString> lastDeployedCommit(const QString &app);
    // ---- deploys area (issue 9: rollback; StoreDeploys.cpp) ----
    // Deploy `number` of the app: not-found (no such app or deploy).
    Result<DeployRecord> deploy(const QString &app, int number);
    // In one transaction: deploy `number` must exist (not-found) and have recorded a commit
    // (no-commit); the app is pinned to that commit (AppSpec::GitSource::commit) and a deploy
    // with trigger "rollback" and rollbackTo = number starts. Returns the app (pinned) and it.
    Result<std::pair<AppRecord, DeployRecord>> startRollback(const QString &app, int number);
    // The pin of a rollback goes with the next deploy of the branch's head. not-found
    Result<void> setAppCommit(const QString &app, const QString &commit);

    // ---- Logs (issue 9, StoreLogs.cpp): deploy output and retired containers' app logs ----
    // Appends lines (any apps and deploys) in one transaction; lines of a removed app are
    // dropped without an error (a late flush after DELETE).
    Result<void> appendDeployLog(const QList<DeployLogLine> &lines);
    // Drops the oldest lines of deploy `deploy` beyond the bounds; with pruneOld also the
    // output of the app's deploys older than the newest bounds.deploysKept.
    Result<void> trimDeployLog(const QString &app, int deploy, const LogBounds &bounds, bool pruneOld);
    // Oldest first. not-found: no such app or no such deploy (a deploy without output: empty).
    Result<QList<DeployLogLine>> deployLog(const QString &app, int deploy);
    // The end of a retired container's output (timestamped engine lines, masked), replacing
    // what deploy `deploy` had; keeps only the app's newest bounds.appLogsKept.
    Result<void> saveAppLog(const QString &app, int deploy, const QByteArray &log, const LogBounds &bounds);
    Result<QByteArray> appLog(const QString &app, int deploy);  // not-found
    Result<QList<int>> appLogDeploys(const QString &app);        // newest first

private:
    Result<AppHook> appHookRow(qint64 appId, const QString &app);
    // A transaction on this store's engine (store/SqlSupport.h), and one around body.
    sql::Transaction transaction();
    Result<void> inWriteTransaction(const std::function<Result<void>()> &body);
    enum class Engine { Sqlite, Postgres };

    Store(Engine engine, const SecretBox &secrets, const QString &connectionName);
    Result<void> configure();
    Result<void> migrate();
    Result<void> lockTable(const QString &table);
    Result<AppRecord> appInTx(const QString &name);
    Result<qint64> appId(const QString &name);
    Result<AppRecord> appFromRow(const QSqlQuery &query) const;
    Result<void> touchApp(const QString &name, const QString &setClause, const QVariantList &values);

    Engine m_engine;
    SecretBox m_secrets;
    QString m_connectionName;
    QSqlDatabase m_db;
    int m_schemaVersion = 0;
};

} // namespace gasper::store
