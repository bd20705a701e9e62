// SPDX-License-Identifier: MIT
#include "store/Store.h"

#include "core/Log.h"
#include "store/SqlSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSet>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gasper::store {

using namespace sql;

namespace {

// How long a SQLite writer waits for another connection's write lock before giving up.
constexpr int SqliteBusyTimeoutMs = 10000;
// Key of the PostgreSQL advisory lock that serialises migrations between masters.
constexpr qint64 MigrationLockKey = 0x6761737065720001;  // "gasper" + 1

// One schema migration. %ID% and %BLOB% are the only per-engine differences in DDL.
struct Migration
{
    int version;
    QLatin1StringView description;
    QList<QLatin1StringView> statements;
};

// Append-only: later sessions add migrations at the end, never edit applied ones.
const QList<Migration> &migrations()
{
    static const QList<Migration> list{
        {1, "users, tokens, apps, deploys"_L1,
         {
             "CREATE TABLE users ("
             " id %ID%,"
             " username TEXT NOT NULL UNIQUE,"
             " email TEXT NOT NULL,"
             " password_hash TEXT NOT NULL,"
             " admin INTEGER NOT NULL DEFAULT 0,"
             " created_at BIGINT NOT NULL)"_L1,
             // Emails are unique whatever their case.
             "CREATE UNIQUE INDEX users_email_key ON users (lower(email))"_L1,
             "CREATE TABLE tokens ("
             " token_hash TEXT PRIMARY KEY,"  // hex of the token's hash; the token itself is never stored
             " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
             " expires_at BIGINT NOT NULL,"
             " created_at BIGINT NOT NULL)"_L1,
             "CREATE INDEX tokens_user_id ON tokens (user_id)"_L1,
             "CREATE INDEX tokens_expires_at ON tokens (expires_at)"_L1,
             "CREATE TABLE apps ("
             " id %ID%,"
             " name TEXT NOT NULL UNIQUE,"
             " owner_id BIGINT NOT NULL REFERENCES users (id),"
             " language TEXT NOT NULL,"
             " git_url TEXT NOT NULL,"
             " git_branch TEXT NOT NULL DEFAULT '',"
             " git_token_sealed %BLOB%,"  // SecretBox; NULL when the app has no token
             " build_json TEXT NOT NULL DEFAULT '[]',"
             " run_command TEXT NOT NULL DEFAULT '',"
             " port INTEGER NOT NULL,"
             " env_sealed %BLOB%,"  // SecretBox over the JSON object of the env map
             " memory_mb INTEGER NOT NULL DEFAULT 0,"
             " cpus DOUBLE PRECISION NOT NULL DEFAULT 0,"
             " state TEXT NOT NULL,"
             " node TEXT NOT NULL DEFAULT '',"
             " container_id TEXT NOT NULL DEFAULT '',"
             " host_port INTEGER NOT NULL DEFAULT 0,"
             " restarts INTEGER NOT NULL DEFAULT 0,"
             " last_error TEXT NOT NULL DEFAULT '',"
             " created_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL)"_L1,
             "CREATE INDEX apps_owner_id ON apps (owner_id)"_L1,
             "CREATE TABLE deploys ("
             " id %ID%,"
             " app_id BIGINT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,"
             " number INTEGER NOT NULL,"
             " trigger_kind TEXT NOT NULL,"
             " status TEXT NOT NULL,"
             " commit_sha TEXT NOT NULL DEFAULT '',"
             " steps_json TEXT NOT NULL DEFAULT '[]',"
             " error TEXT NOT NULL DEFAULT '',"
             " started_at BIGINT NOT NULL,"
             " finished_at BIGINT,"
             " total_ms BIGINT NOT NULL DEFAULT 0,"
             " UNIQUE (app_id, number))"_L1,
         }},
        // Machine-readable slugs next to the error sentences. NOT NULL DEFAULT '': existing rows
        // read as "no code", and both engines add such a column without rewriting the table.
        {2, "error codes of apps and deploys"_L1,
         {
             "ALTER TABLE apps ADD COLUMN last_error_code TEXT NOT NULL DEFAULT ''"_L1,
             "ALTER TABLE deploys ADD COLUMN error_code TEXT NOT NULL DEFAULT ''"_L1,
         }},
        // SSH (Iwa): users' public keys, and each app's own SSH password (argon2id; '' = none).
        // A key belongs to one user only (its fingerprint is unique), so it names who logs in.
        {3, "ssh keys and app ssh passwords"_L1,
         {
             "CREATE TABLE ssh_keys ("
             " id %ID%,"
             " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
             " name TEXT NOT NULL,"
             " public_key TEXT NOT NULL,"
             " fingerprint TEXT NOT NULL UNIQUE,"
             " created_at BIGINT NOT NULL,"
             " UNIQUE (user_id, name))"_L1,
             "CREATE INDEX ssh_keys_user_id ON ssh_keys (user_id)"_L1,
             "ALTER TABLE apps ADD COLUMN ssh_password_hash TEXT NOT NULL DEFAULT ''"_L1,
         }},
        // Metrics (issue 9): app and node series in downsampling tiers (step_s: the sampling
        // interval, 60, 600), each row the average of `samples` samples of its bucket
        // [at, at + step_s) (restarts: the maximum). StoreMetrics.cpp.
        {4, "app and node metrics"_L1,
         {
             "CREATE TABLE app_metrics ("
             " app_id BIGINT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,"
             " step_s INTEGER NOT NULL,"
             " at BIGINT NOT NULL,"
             " samples INTEGER NOT NULL,"
             " cpu_percent DOUBLE PRECISION NOT NULL,"
             " cpu_core_percent DOUBLE PRECISION NOT NULL,"
             " cpu_limit DOUBLE PRECISION NOT NULL,"
             " memory_bytes DOUBLE PRECISION NOT NULL,"
             " memory_limit_bytes DOUBLE PRECISION NOT NULL,"
             " rx_bytes_per_s DOUBLE PRECISION NOT NULL,"
             " tx_bytes_per_s DOUBLE PRECISION NOT NULL,"
             " block_read_bytes_per_s DOUBLE PRECISION NOT NULL,"
             " block_write_bytes_per_s DOUBLE PRECISION NOT NULL,"
             " restarts DOUBLE PRECISION NOT NULL,"
             " up DOUBLE PRECISION NOT NULL,"
             " PRIMARY KEY (app_id, step_s, at))"_L1,
             "CREATE INDEX app_metrics_step_at ON app_metrics (step_s, at)"_L1,
             "CREATE TABLE node_metrics ("
             " node TEXT NOT NULL,"
             " step_s INTEGER NOT NULL,"
             " at BIGINT NOT NULL,"
             " samples INTEGER NOT NULL,"
             " cpu_percent DOUBLE PRECISION NOT NULL,"
             " cpus DOUBLE PRECISION NOT NULL,"
             " memory_bytes DOUBLE PRECISION NOT NULL,"
             " memory_total_bytes DOUBLE PRECISION NOT NULL,"
             " disk_used_bytes DOUBLE PRECISION NOT NULL,"
             " disk_total_bytes DOUBLE PRECISION NOT NULL,"
             " docker_disk_used_bytes DOUBLE PRECISION NOT NULL,"
             " docker_disk_total_bytes DOUBLE PRECISION NOT NULL,"
             " apps DOUBLE PRECISION NOT NULL,"
             " PRIMARY KEY (node, step_s, at))"_L1,
             "CREATE INDEX node_metrics_step_at ON node_metrics (step_s, at)"_L1,
         }},
        // Logs (issue 9): every deploy's output, line by line in arrival order (id), and the
        // end of each retired container's own output. Both go with their app (cascade).
        {5, "deploy logs and retired app logs"_L1,
         {
             "CREATE TABLE deploy_log_lines ("
             " id %ID%,"
             " app_id BIGINT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,"
             " number INTEGER NOT NULL,"
             " at BIGINT NOT NULL,"
             " stream TEXT NOT NULL,"
             " line TEXT NOT NULL)"_L1,
             "CREATE INDEX deploy_log_lines_deploy ON deploy_log_lines (app_id, number, id)"_L1,
             "CREATE TABLE app_logs ("
             " app_id BIGINT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,"
             " number INTEGER NOT NULL,"
             " captured_at BIGINT NOT NULL,"
             " log %BLOB% NOT NULL,"
             " PRIMARY KEY (app_id, number))"_L1,
         }},
        // Deploys (issue 9): an app's health check (JSON {path, status, timeout}; '' = the
        // default), the commit a rollback pinned it to ('' = the branch head), and which deploy
        // a rollback deploy went back to (0 = not a rollback).
        {6, "health checks and rollbacks"_L1,
         {
             "ALTER TABLE apps ADD COLUMN health_json TEXT NOT NULL DEFAULT ''"_L1,
             "ALTER TABLE apps ADD COLUMN git_commit TEXT NOT NULL DEFAULT ''"_L1,
             "ALTER TABLE deploys ADD COLUMN rollback_to INTEGER NOT NULL DEFAULT 0"_L1,
         }},
        // Push to deploy (hooks): each app's webhook secret (SecretBox: its owner must be able to
        // read it back to paste it into GitHub/GitLab/Gitea) and polling period (0 = off), and
        // the last deliveries (webhook or poll) with what came of them, bounded per app.
        {7, "push to deploy: app hooks and their deliveries"_L1,
         {
             "CREATE TABLE app_hooks ("
             " app_id BIGINT PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,"
             " secret_sealed %BLOB% NOT NULL,"
             " poll_seconds INTEGER NOT NULL DEFAULT 0,"
             " created_at BIGINT NOT NULL,"
             " rotated_at BIGINT NOT NULL)"_L1,
             "CREATE TABLE hook_deliveries ("
             " id %ID%,"
             " app_id BIGINT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,"
             " at BIGINT NOT NULL,"
             " source TEXT NOT NULL,"
             " event TEXT NOT NULL DEFAULT '',"
             " branch TEXT NOT NULL DEFAULT '',"
             " commit_sha TEXT NOT NULL DEFAULT '',"
             " outcome TEXT NOT NULL,"
             " detail TEXT NOT NULL DEFAULT '',"
             " deploy INTEGER NOT NULL DEFAULT 0)"_L1,
             "CREATE INDEX hook_deliveries_app_id ON hook_deliveries (app_id, id)"_L1,
         }},
    };
    return list;
}

bool isUniqueViolation(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    // PostgreSQL SQLSTATE 23505; SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY (extended) or SQLITE_CONSTRAINT.
    return code == "23505"_L1 || code == "2067"_L1 || code == "1555"_L1 || code == "19"_L1;
}

qint64 toMs(const QDateTime &time)
{
    return time.toMSecsSinceEpoch();
}

QString hex(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex());
}

QString stepsToJson(const QList<DeployStep> &steps)
{
    QJsonArray array;
    for (const auto &step : steps)
        array.append(QJsonObject{{u"name"_s, step.name}, {u"status"_s, step.status}, {u"ms"_s, step.ms}});
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

// '' for the default check, so apps without one read and write as before.
QString healthToJson(const HealthCheck &health)
{
    if (health.isDefault())
        return {};
    QJsonObject object;
    if (!health.path.isEmpty())
        object.insert(u"path"_s, health.path);
    if (health.status != 0)
        object.insert(u"status"_s, health.status);
    if (health.timeoutSec != 0)
        object.insert(u"timeout"_s, health.timeoutSec);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

HealthCheck healthFromJson(const QString &json)
{
    HealthCheck health;
    if (json.isEmpty())
        return health;
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    health.path = object.value(u"path"_s).toString();
    health.status = object.value(u"status"_s).toInt();
    health.timeoutSec = object.value(u"timeout"_s).toInt();
    return health;
}

QList<DeployStep> stepsFromJson(const QString &json)
{
    QList<DeployStep> steps;
    const auto array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const auto &value : array) {
        const auto object = value.toObject();
        steps.append(DeployStep{object.value(u"name"_s).toString(), object.value(u"status"_s).toString(),
                                object.value(u"ms"_s).toInteger()});
    }
    return steps;
}

struct Target
{
    QString driver;
    QString database;
    QString host;
    int port = -1;
    QString user;
    QString password;
    QString options;
    QString display;  // the URL without its password, for messages
};

Result<Target> parseUrl(const QString &url)
{
    const auto bad = [&](const QString &why) {
        return fail(u"store-error"_s, u"bad store URL: "_s + why
                                          + u" (expected sqlite:///abs/path/gasper.db, sqlite::memory: or "
                                            "postgresql://user:pass@host:5432/db)"_s);
    };
    if (url == "sqlite::memory:"_L1)
        return Target{u"QSQLITE"_s, u":memory:"_s, {}, -1, {}, {}, {}, url};
    if (url.startsWith("sqlite://"_L1)) {
        const QString path = url.mid(9);
        if (!path.startsWith(u'/'))
            return bad(u"the SQLite path must be absolute"_s);
        return Target{u"QSQLITE"_s, QDir::cleanPath(path), {}, -1, {}, {}, {}, url};
    }
    if (url.startsWith("postgresql://"_L1) || url.startsWith("postgres://"_L1)) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid())
            return bad(u"not a valid URL"_s);
        Target target;
        target.driver = u"QPSQL"_s;
        target.display = parsed.toString(QUrl::RemovePassword);
        target.host = parsed.host(QUrl::FullyDecoded);
        target.port = parsed.port(5432);
        target.user = parsed.userName(QUrl::FullyDecoded);
        target.password = parsed.password(QUrl::FullyDecoded);
        target.database = parsed.path(QUrl::FullyDecoded).mid(1);
        if (target.host.isEmpty())
            return bad(u"no host in "_s + target.display);
        if (target.database.isEmpty() || target.database.contains(u'/'))
            return bad(u"no database name in "_s + target.display);
        // libpq keywords (sslmode=…, connect_timeout=…) pass through as QPSQL connect options.
        QStringList options{u"application_name=gasper"_s};
        bool hasTimeout = false;
        for (const auto &[key, value] : QUrlQuery(parsed).queryItems(QUrl::FullyDecoded)) {
            if (key.contains(u';') || value.contains(u';') || value.contains(u' ') || key.isEmpty())
                return bad(u"unsupported query parameter in "_s + target.display);
            hasTimeout = hasTimeout || key == "connect_timeout"_L1;
            options.append(key + u'=' + value);
        }
        if (!hasTimeout)
            options.append(u"connect_timeout=10"_s);
        target.options = options.join(u';');
        return target;
    }
    return bad(u"unsupported scheme"_s);
}

} // namespace

namespace {

const QString UserColumns = u"u.id, u.username, u.email, u.password_hash, u.admin, u.created_at"_s;

User userFromRow(const QSqlQuery &query)
{
    return User{query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toString(),
                query.value(3).toString(), query.value(4).toInt() != 0, fromMs(query.value(5))};
}

const QString AppSelect = u"SELECT a.id, a.owner_id, u.username, a.name, a.language, a.git_url, a.git_branch,"
                          " a.git_token_sealed, a.build_json, a.run_command, a.port, a.env_sealed, a.memory_mb,"
                          " a.cpus, a.state, a.node, a.container_id, a.host_port, a.restarts, a.last_error,"
                          " a.last_error_code, a.created_at, a.updated_at, a.health_json, a.git_commit"
                          " FROM apps a JOIN users u ON u.id = a.owner_id"_s;

const QString DeploySelect = u"SELECT d.id, a.name, d.number, d.trigger_kind, d.status, d.commit_sha, d.steps_json,"
                             " d.error, d.error_code, d.started_at, d.finished_at, d.total_ms, d.rollback_to FROM deploys d"
                             " JOIN apps a ON a.id = d.app_id"_s;

DeployRecord deployFromRow(const QSqlQuery &query)
{
    DeployRecord deploy;
    deploy.id = query.value(0).toLongLong();
    deploy.app = query.value(1).toString();
    deploy.number = query.value(2).toInt();
    deploy.trigger = query.value(3).toString();
    deploy.status = query.value(4).toString();
    deploy.commit = query.value(5).toString();
    deploy.steps = stepsFromJson(query.value(6).toString());
    deploy.error = query.value(7).toString();
    deploy.errorCode = query.value(8).toString();
    deploy.startedAt = fromMs(query.value(9));
    deploy.finishedAt = fromMs(query.value(10));
    deploy.totalMs = query.value(11).toLongLong();
    deploy.rollbackTo = query.value(12).toInt();
    return deploy;
}

Error notFound(const QString &what, const QString &name)
{
    return Error{u"not-found"_s, u"no %1 named '%2'"_s.arg(what, name)};
}

} // namespace

Store::Store(Engine engine, const SecretBox &secrets, const QString &connectionName)
    : m_engine(engine), m_secrets(secrets), m_connectionName(connectionName)
{
}

Store::~Store()
{
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();  // no handle may outlive removeDatabase()
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<std::unique_ptr<Store>> Store::open(const QString &url, const SecretBox &secrets, const QString &connectionName)
{
    auto target = parseUrl(url);
    if (!target)
        return std::unexpected(target.error());
    if (QSqlDatabase::contains(connectionName))
        return fail(u"store-error"_s, u"the SQL connection name '%1' is already in use"_s.arg(connectionName));
    if (!QSqlDatabase::isDriverAvailable(target->driver))
        return fail(u"store-error"_s, u"the Qt SQL driver %1 is not installed"_s.arg(target->driver));

    const Engine engine = target->driver == "QSQLITE"_L1 ? Engine::Sqlite : Engine::Postgres;
    std::unique_ptr<Store> store(new Store(engine, secrets, connectionName));
    store->m_db = QSqlDatabase::addDatabase(target->driver, connectionName);
    if (engine == Engine::Sqlite) {
        if (target->database != ":memory:"_L1 && !QDir().mkpath(QFileInfo(target->database).absolutePath()))
            return fail(u"store-error"_s, u"cannot create the directory of "_s + target->database);
        store->m_db.setDatabaseName(target->database);
        store->m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(SqliteBusyTimeoutMs));
    } else {
        store->m_db.setHostName(target->host);
        store->m_db.setPort(target->port);
        store->m_db.setDatabaseName(target->database);
        store->m_db.setUserName(target->user);
        store->m_db.setPassword(target->password);
        store->m_db.setConnectOptions(target->options);
    }
    if (!store->m_db.open())
        return std::unexpected(storeError(u"cannot open the store "_s + target->display, store->m_db.lastError()));
    if (auto ok = store->configure(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = store->migrate(); !ok)
        return std::unexpected(ok.error());
    qCInfo(lcStore).noquote() << "store open:" << store->engine() << target->display << "schema version"
                              << store->m_schemaVersion;
    return store;
}

QString Store::engine() const
{
    return m_engine == Engine::Sqlite ? u"sqlite"_s : u"postgresql"_s;
}

int Store::schemaVersion() const
{
    return m_schemaVersion;
}

int Store::migrationCount()
{
    return int(migrations().size());
}

int Store::latestSchemaVersion()
{
    int latest = 0;  // the highest, wherever it sits in the list
    for (const auto &migration : migrations())
        latest = std::max(latest, migration.version);
    return latest;
}

Result<void> Store::configure()
{
    if (m_engine == Engine::Postgres) {
        // IF NOT EXISTS and similar notices are noise in our logs.
        if (auto q = exec(m_db, u"SET client_min_messages = warning"_s); !q)
            return std::unexpected(q.error());
        return {};
    }
    // WAL: readers never block the writer, and a commit is one append. synchronous=NORMAL:
    // a commit is in the WAL file before COMMIT returns, so a crash or kill of gasperd loses
    // nothing; only an OS crash or power cut may roll back the last commits (never corrupt).
    // FULL (an fsync per commit) measured ~5.5 ms vs ~40 us per commit on our CI disk, and the
    // store thread serialises every query behind those fsyncs, so NORMAL it is.
    const QStringList pragmas{u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = NORMAL"_s,
                              u"PRAGMA foreign_keys = ON"_s,
                              u"PRAGMA busy_timeout = %1"_s.arg(SqliteBusyTimeoutMs)};
    for (const auto &pragma : pragmas) {
        auto q = exec(m_db, pragma);
        if (!q)
            return std::unexpected(q.error());
        if (pragma.contains("journal_mode"_L1) && q->next()) {
            const QString mode = q->value(0).toString().toLower();
            if (mode != "wal"_L1 && mode != "memory"_L1)
                return fail(u"store-error"_s, u"SQLite refused WAL mode (got %1)"_s.arg(mode));
        }
    }
    return {};
}

Result<void> Store::migrate()
{
    const auto lockMigrations = [this]() -> Result<void> {
        if (m_engine == Engine::Postgres) {
            if (auto q = exec(m_db, u"SELECT pg_advisory_xact_lock(%1)"_s.arg(MigrationLockKey)); !q)
                return std::unexpected(q.error());
        }
        return {};  // SQLite: BEGIN IMMEDIATE already excludes other writers
    };
    {
        auto tx = transaction();
        if (auto ok = tx.begin(); !ok)
            return ok;
        if (auto ok = lockMigrations(); !ok)
            return ok;
        if (auto q = exec(m_db, u"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                                 " description TEXT NOT NULL, applied_at BIGINT NOT NULL)"_s);
            !q)
            return std::unexpected(q.error());
        if (auto ok = tx.commit(); !ok)
            return ok;
    }
    const auto currentVersion = [this]() -> Result<int> {
        auto q = exec(m_db, u"SELECT COALESCE(MAX(version), 0) FROM schema_version"_s);
        if (!q)
            return std::unexpected(q.error());
        return q->next() ? q->value(0).toInt() : 0;
    };
    auto current = currentVersion();
    if (!current)
        return std::unexpected(current.error());
    if (*current > latestSchemaVersion())
        return fail(u"store-error"_s, u"the store has schema version %1, newer than this gasperd knows (%2); "
                                      "upgrade gasperd"_s.arg(*current).arg(latestSchemaVersion()));

    const QString idType = m_engine == Engine::Sqlite ? u"INTEGER PRIMARY KEY AUTOINCREMENT"_s
                                                      : u"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"_s;
    const QString blobType = m_engine == Engine::Sqlite ? u"BLOB"_s : u"BYTEA"_s;
    // By version, not by the highest one: migrations numbered apart in parallel branches
    // (4, 5, 6…) may land in any order, and a store that has 5 still gets 4.
    QSet<int> applied;
    {
        auto q = exec(m_db, u"SELECT version FROM schema_version"_s);
        if (!q)
            return std::unexpected(q.error());
        while (q->next())
            applied.insert(q->value(0).toInt());
    }
    for (const auto &migration : migrations()) {
        if (applied.contains(migration.version))
            continue;
        auto tx = transaction();
        if (auto ok = tx.begin(); !ok)
            return ok;
        if (auto ok = lockMigrations(); !ok)
            return ok;
        // Another master may have applied it while we waited for the lock.
        auto done = exec(m_db, u"SELECT 1 FROM schema_version WHERE version = ?"_s, {migration.version});
        if (!done)
            return std::unexpected(done.error());
        if (done->next())
            continue;
        done->finish();
        for (const auto statement : migration.statements) {
            QString sql = statement;
            sql.replace("%ID%"_L1, idType).replace("%BLOB%"_L1, blobType);
            if (auto q = exec(m_db, sql); !q)
                return fail(u"store-error"_s,
                            u"migration %1 failed: %2"_s.arg(migration.version).arg(q.error().message));
        }
        if (auto q = exec(m_db, u"INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)"_s,
                          {migration.version, QString(migration.description), toMs(nowUtc())});
            !q)
            return std::unexpected(q.error());
        if (auto ok = tx.commit(); !ok)
            return ok;
        qCInfo(lcStore).noquote() << "applied schema migration" << migration.version << migration.description;
    }
    current = currentVersion();
    if (!current)
        return std::unexpected(current.error());
    m_schemaVersion = *current;
    return {};
}

Result<void> Store::lockTable(const QString &table)
{
    // PostgreSQL: a self-conflicting lock that still lets readers in, so check-then-insert
    // (name taken? first user? next deploy number?) is race-free between masters.
    // SQLite: BEGIN IMMEDIATE already holds the database write lock.
    if (m_engine == Engine::Postgres) {
        if (auto q = exec(m_db, u"LOCK TABLE %1 IN SHARE ROW EXCLUSIVE MODE"_s.arg(table)); !q)
            return std::unexpected(q.error());
    }
    return {};
}

// ---- users and tokens ------------------------------------------------------------------

Result<User> Store::createUser(const QString &username, const QString &email, const QString &passwordHash)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = lockTable(u"users"_s); !ok)
        return std::unexpected(ok.error());
    {
        auto taken = exec(m_db, u"SELECT username FROM users WHERE username = ? OR lower(email) = lower(?)"_s,
                          {text(username), text(email)});
        if (!taken)
            return std::unexpected(taken.error());
        bool emailTaken = false;
        while (taken->next()) {
            if (taken->value(0).toString() == username)
                return fail(u"username-taken"_s, u"the username '%1' is taken"_s.arg(username));
            emailTaken = true;
        }
        if (emailTaken)
            return fail(u"email-taken"_s, u"the email address is already registered"_s);
    }
    auto count = exec(m_db, u"SELECT COUNT(*) FROM users"_s);
    if (!count)
        return std::unexpected(count.error());
    const bool admin = count->next() && count->value(0).toLongLong() == 0;
    count->finish();

    User user{0, username, email, passwordHash, admin, nowUtc()};
    auto insert = exec(m_db, u"INSERT INTO users (username, email, password_hash, admin, created_at)"
                             " VALUES (?, ?, ?, ?, ?) RETURNING id"_s,
                       {text(username), text(email), text(passwordHash), admin ? 1 : 0, toMs(user.createdAt)});
    if (!insert)
        return std::unexpected(insert.error());
    if (!insert->next())
        return fail(u"store-error"_s, u"the new user got no id"_s);
    user.id = insert->value(0).toLongLong();
    insert->finish();
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return user;
}

Result<User> Store::userByName(const QString &username)
{
    auto q = exec(m_db, u"SELECT "_s + UserColumns + u" FROM users u WHERE u.username = ?"_s, {text(username)});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(u"not-found"_s, u"no user named '%1'"_s.arg(username));
    return userFromRow(*q);
}

Result<User> Store::userById(qint64 id)
{
    auto q = exec(m_db, u"SELECT "_s + UserColumns + u" FROM users u WHERE u.id = ?"_s, {id});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(u"not-found"_s, u"no user with id %1"_s.arg(id));
    return userFromRow(*q);
}

Result<void> Store::createToken(qint64 userId, const QByteArray &tokenHash, const QDateTime &expiresAt)
{
    if (tokenHash.isEmpty() || !expiresAt.isValid())
        return fail(u"store-error"_s, u"a token needs a hash and an expiry time"_s);
    auto q = exec(m_db, u"INSERT INTO tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)"_s,
                  {hex(tokenHash), userId, toMs(expiresAt), toMs(nowUtc())});
    if (!q)
        return std::unexpected(q.error());
    return {};
}

Result<User> Store::userByToken(const QByteArray &tokenHash, const QDateTime &now)
{
    auto q = exec(m_db, u"SELECT "_s + UserColumns
                            + u" FROM tokens t JOIN users u ON u.id = t.user_id"
                              " WHERE t.token_hash = ? AND t.expires_at > ?"_s,
                  {hex(tokenHash), toMs(now)});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(u"unauthorized"_s, u"unknown or expired token"_s);
    return userFromRow(*q);
}

Result<void> Store::deleteToken(const QByteArray &tokenHash)
{
    auto q = exec(m_db, u"DELETE FROM tokens WHERE token_hash = ?"_s, {hex(tokenHash)});
    if (!q)
        return std::unexpected(q.error());
    return {};
}

Result<int> Store::deleteExpiredTokens(const QDateTime &now)
{
    auto q = exec(m_db, u"DELETE FROM tokens WHERE expires_at <= ?"_s, {toMs(now)});
    if (!q)
        return std::unexpected(q.error());
    return q->numRowsAffected();
}

// ---- ssh keys ----------------------------------------------------------------------------

namespace {

SshKeyRecord sshKeyFromRow(const QSqlQuery &q)
{
    SshKeyRecord key;
    key.id = q.value(0).toLongLong();
    key.userId = q.value(1).toLongLong();
    key.name = q.value(2).toString();
    key.publicKey = q.value(3).toString();
    key.fingerprint = q.value(4).toString();
    key.createdAt = fromMs(q.value(5));
    key.username = q.value(6).toString();
    key.userIsAdmin = q.value(7).toLongLong() != 0;
    return key;
}

const auto SshKeyColumns = u"k.id, k.user_id, k.name, k.public_key, k.fingerprint, k.created_at, u.username, u.admin"
                           " FROM ssh_keys k JOIN users u ON u.id = k.user_id"_s;

} // namespace

Result<SshKeyRecord> Store::addSshKey(qint64 userId, const QString &name, const QString &publicKey,
                                      const QString &fingerprint)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = lockTable(u"ssh_keys"_s); !ok)
        return std::unexpected(ok.error());
    auto taken = exec(m_db, u"SELECT user_id, name FROM ssh_keys WHERE fingerprint = ? OR (user_id = ? AND name = ?)"_s,
                      {fingerprint, userId, name});
    if (!taken)
        return std::unexpected(taken.error());
    if (taken->next()) {
        if (taken->value(0).toLongLong() == userId && taken->value(1).toString() == name)
            return fail(u"key-name-taken"_s, u"you already have a key named '%1'"_s.arg(name));
        return fail(u"key-taken"_s, u"this key (%1) is already registered"_s.arg(fingerprint));
    }
    auto insert = exec(m_db,
                       u"INSERT INTO ssh_keys (user_id, name, public_key, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)"_s,
                       {userId, name, publicKey, fingerprint, toMs(nowUtc())});
    if (!insert) {
        return std::unexpected(insert.error());
    }
    auto row = exec(m_db, u"SELECT "_s + SshKeyColumns + u" WHERE k.fingerprint = ?"_s, {fingerprint});
    if (!row)
        return std::unexpected(row.error());
    if (!row->next())
        return fail(u"store-error"_s, u"the new key was not found"_s);
    const SshKeyRecord key = sshKeyFromRow(*row);
    row->finish();
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return key;
}

Result<QList<SshKeyRecord>> Store::sshKeys(qint64 userId)
{
    auto q = exec(m_db, u"SELECT "_s + SshKeyColumns + u" WHERE k.user_id = ? ORDER BY k.id"_s, {userId});
    if (!q)
        return std::unexpected(q.error());
    QList<SshKeyRecord> keys;
    while (q->next())
        keys << sshKeyFromRow(*q);
    return keys;
}

Result<SshKeyRecord> Store::sshKeyByFingerprint(const QString &fingerprint)
{
    auto q = exec(m_db, u"SELECT "_s + SshKeyColumns + u" WHERE k.fingerprint = ?"_s, {fingerprint});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(u"not-found"_s, u"no such key"_s);
    return sshKeyFromRow(*q);
}

Result<void> Store::deleteSshKey(qint64 userId, qint64 keyId)
{
    auto q = exec(m_db, u"DELETE FROM ssh_keys WHERE id = ? AND user_id = ?"_s, {keyId, userId});
    if (!q)
        return std::unexpected(q.error());
    if (q->numRowsAffected() == 0)
        return fail(u"not-found"_s, u"you have no key with id %1"_s.arg(keyId));
    return {};
}

Result<void> Store::setAppSshPassword(const QString &app, const QString &passwordHash)
{
    auto q = exec(m_db, u"UPDATE apps SET ssh_password_hash = ? WHERE name = ?"_s, {text(passwordHash), app});
    if (!q)
        return std::unexpected(q.error());
    if (q->numRowsAffected() == 0)
        return fail(u"not-found"_s, u"no app named '%1'"_s.arg(app));
    return {};
}

Result<AppSshAccess> Store::appSshAccess(const QString &app)
{
    auto q = exec(m_db,
                  u"SELECT a.owner_id, a.ssh_password_hash, a.container_id, a.state FROM apps a WHERE a.name = ?"_s,
                  {app});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(u"not-found"_s, u"no app named '%1'"_s.arg(app));
    AppSshAccess access;
    access.ownerId = q->value(0).toLongLong();
    access.passwordHash = q->value(1).toString();
    access.containerId = q->value(2).toString();
    access.state = q->value(3).toString();
    return access;
}

// ---- apps --------------------------------------------------------------------------------

namespace {

struct SealedSpec
{
    QVariant token;
    QVariant env;
    QString build;
    QString health;
};

SealedSpec sealSpec(const SecretBox &secrets, const AppSpec &spec)
{
    // A plain variable is a string, a secret one {"value": …, "secret": true}: the blob
    // written before secrets existed reads the same.
    QJsonObject env;
    for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it) {
        if (spec.secretEnv.contains(it.key()))
            env.insert(it.key(), QJsonObject{{u"value"_s, it.value()}, {u"secret"_s, true}});
        else
            env.insert(it.key(), it.value());
    }
    return SealedSpec{spec.git.token.isEmpty() ? nullBlob() : QVariant(secrets.seal(spec.git.token.toUtf8())),
                      QVariant(secrets.seal(QJsonDocument(env).toJson(QJsonDocument::Compact))),
                      QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(spec.build))
                                            .toJson(QJsonDocument::Compact)),
                      healthToJson(spec.health)};
}

} // namespace

Result<AppRecord> Store::appFromRow(const QSqlQuery &query) const
{
    AppRecord app;
    app.id = query.value(0).toLongLong();
    app.ownerId = query.value(1).toLongLong();
    app.ownerName = query.value(2).toString();
    app.spec.ownerId = app.ownerId;
    app.spec.name = query.value(3).toString();
    app.spec.language = query.value(4).toString();
    app.spec.git.url = query.value(5).toString();
    app.spec.git.branch = query.value(6).toString();
    const auto cannotDecrypt = [&app] {
        return fail(u"store-error"_s, u"cannot decrypt the secrets of app '%1' (wrong secret key or corrupted data)"_s
                                          .arg(app.spec.name));
    };
    if (const QVariant sealed = query.value(7); !sealed.isNull()) {
        auto token = m_secrets.open(sealed.toByteArray());
        if (!token)
            return cannotDecrypt();
        app.spec.git.token = QString::fromUtf8(*token);
    }
    for (const auto &command : QJsonDocument::fromJson(query.value(8).toString().toUtf8()).array())
        app.spec.build.append(command.toString());
    app.spec.run = query.value(9).toString();
    app.spec.port = query.value(10).toInt();
    if (const QVariant sealed = query.value(11); !sealed.isNull()) {
        auto env = m_secrets.open(sealed.toByteArray());
        if (!env)
            return cannotDecrypt();
        const auto object = QJsonDocument::fromJson(*env).object();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it.value().isObject()) {
                app.spec.env.insert(it.key(), it.value().toObject().value(u"value").toString());
                if (it.value().toObject().value(u"secret").toBool())
                    app.spec.secretEnv.insert(it.key());
            } else {
                app.spec.env.insert(it.key(), it.value().toString());
            }
        }
    }
    app.spec.resources.memoryMb = query.value(12).toInt();
    app.spec.resources.cpus = query.value(13).toDouble();
    const QString state = query.value(14).toString();
    app.state = appStateFromString(state).value_or(AppState::Failed);
    if (!appStateFromString(state))
        qCWarning(lcStore) << "app" << app.spec.name << "has an unknown state" << state << "- shown as failed";
    app.node = query.value(15).toString();
    app.containerId = query.value(16).toString();
    app.hostPort = query.value(17).toInt();
    app.restarts = query.value(18).toInt();
    app.lastError = query.value(19).toString();
    app.lastErrorCode = query.value(20).toString();
    app.createdAt = fromMs(query.value(21));
    app.updatedAt = fromMs(query.value(22));
    app.spec.health = healthFromJson(query.value(23).toString());
    app.spec.git.commit = query.value(24).toString();
    return app;
}

Result<AppRecord> Store::appInTx(const QString &name)
{
    auto q = exec(m_db, AppSelect + u" WHERE a.name = ?"_s, {text(name)});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return std::unexpected(notFound(u"app"_s, name));
    return appFromRow(*q);
}

Result<qint64> Store::appId(const QString &name)
{
    auto q = exec(m_db, u"SELECT id FROM apps WHERE name = ?"_s, {text(name)});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return std::unexpected(notFound(u"app"_s, name));
    return q->value(0).toLongLong();
}

Result<AppRecord> Store::createApp(qint64 ownerId, const AppSpec &spec, const QString &node)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = lockTable(u"apps"_s); !ok)
        return std::unexpected(ok.error());
    {
        auto owner = exec(m_db, u"SELECT 1 FROM users WHERE id = ?"_s, {ownerId});
        if (!owner)
            return std::unexpected(owner.error());
        if (!owner->next())
            return fail(u"not-found"_s, u"no user with id %1"_s.arg(ownerId));
    }
    if (auto existing = appId(spec.name); existing)
        return fail(u"name-taken"_s, u"the name '%1' is taken"_s.arg(spec.name));
    else if (existing.error().code != "not-found"_L1)
        return std::unexpected(existing.error());

    const SealedSpec sealed = sealSpec(m_secrets, spec);
    const qint64 now = toMs(nowUtc());
    QSqlQuery insert(m_db);
    insert.prepare(u"INSERT INTO apps (name, owner_id, language, git_url, git_branch, git_token_sealed, build_json,"
                   " run_command, port, env_sealed, memory_mb, cpus, state, node, container_id, host_port, restarts,"
                   " last_error, last_error_code, created_at, updated_at, health_json, git_commit)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    for (const QVariant &value : QVariantList{text(spec.name), ownerId, text(spec.language), text(spec.git.url),
                                              text(spec.git.branch), sealed.token, sealed.build, text(spec.run),
                                              spec.port, sealed.env, spec.resources.memoryMb, spec.resources.cpus,
                                              toString(AppState::Queued), text(node), text({}), 0, 0, text({}), text({}),
                                              now, now, text(sealed.health), text(spec.git.commit)})
        insert.addBindValue(value);
    if (!insert.exec()) {
        // The pre-check runs under the write lock, so this is a backstop only.
        if (isUniqueViolation(insert.lastError()))
            return fail(u"name-taken"_s, u"the name '%1' is taken"_s.arg(spec.name));
        return std::unexpected(storeError(u"cannot create the app"_s, insert.lastError()));
    }
    insert.finish();
    auto app = appInTx(spec.name);
    if (!app)
        return app;
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return app;
}

Result<AppRecord> Store::app(const QString &name)
{
    return appInTx(name);
}

Result<QList<AppRecord>> Store::apps(std::optional<qint64> ownerId)
{
    auto q = ownerId ? exec(m_db, AppSelect + u" WHERE a.owner_id = ?"_s, {*ownerId}) : exec(m_db, AppSelect);
    if (!q)
        return std::unexpected(q.error());
    QList<AppRecord> list;
    while (q->next()) {
        auto app = appFromRow(*q);
        if (!app)
            return std::unexpected(app.error());
        list.append(std::move(*app));
    }
    // Sorted here, not by ORDER BY: PostgreSQL would sort by the database's collation
    // (hyphens ignored under most locales), SQLite by bytes. Names are ASCII, so this is byte order.
    std::sort(list.begin(), list.end(), [](const AppRecord &a, const AppRecord &b) { return a.spec.name < b.spec.name; });
    return list;
}

Result<int> Store::countApps(qint64 ownerId)
{
    auto q = exec(m_db, u"SELECT COUNT(*) FROM apps WHERE owner_id = ?"_s, {ownerId});
    if (!q)
        return std::unexpected(q.error());
    return q->next() ? q->value(0).toInt() : 0;
}

Result<void> Store::touchApp(const QString &name, const QString &setClause, const QVariantList &values)
{
    QVariantList all = values;
    all << toMs(nowUtc()) << text(name);
    auto q = exec(m_db, u"UPDATE apps SET "_s + setClause + u", updated_at = ? WHERE name = ?"_s, all);
    if (!q)
        return std::unexpected(q.error());
    if (q->numRowsAffected() == 0)
        return std::unexpected(notFound(u"app"_s, name));
    return {};
}

Result<void> Store::updateAppSpec(const QString &name, const AppSpec &spec)
{
    const SealedSpec sealed = sealSpec(m_secrets, spec);
    return touchApp(name,
                    u"language = ?, git_url = ?, git_branch = ?, git_token_sealed = ?, build_json = ?,"
                    " run_command = ?, port = ?, env_sealed = ?, memory_mb = ?, cpus = ?, health_json = ?, git_commit = ?"_s,
                    {text(spec.language), text(spec.git.url), text(spec.git.branch), sealed.token, sealed.build,
                     text(spec.run), spec.port, sealed.env, spec.resources.memoryMb, spec.resources.cpus,
                     text(sealed.health), text(spec.git.commit)});
}

Result<void> Store::setAppState(const QString &name, AppState state, const QString &lastError,
                                const QString &lastErrorCode)
{
    // A state without an error clears the code too: a stale code must not outlive its sentence.
    return touchApp(name, u"state = ?, last_error = ?, last_error_code = ?"_s,
                    {toString(state), text(lastError), text(lastError.isEmpty() ? QString() : lastErrorCode)});
}

Result<void> Store::setAppRuntime(const QString &name, const QString &containerId, int hostPort, int restarts)
{
    return touchApp(name, u"container_id = ?, host_port = ?, restarts = ?"_s, {text(containerId), hostPort, restarts});
}

Result<void> Store::deleteApp(const QString &name)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return ok;
    auto id = appId(name);
    if (!id)
        return std::unexpected(id.error());
    // Explicit rather than trusting ON DELETE CASCADE alone: same result on both engines even
    // if a SQLite connection somewhere runs with foreign keys off.
    for (const QString &table : {u"deploy_log_lines"_s, u"app_logs"_s, u"deploys"_s, u"hook_deliveries"_s, u"app_hooks"_s}) {
        if (auto q = exec(m_db, u"DELETE FROM %1 WHERE app_id = ?"_s.arg(table), {*id}); !q)
            return std::unexpected(q.error());
    }
    if (auto q = exec(m_db, u"DELETE FROM apps WHERE id = ?"_s, {*id}); !q)
        return std::unexpected(q.error());
    return tx.commit();
}

// ---- deploys -----------------------------------------------------------------------------

Result<DeployRecord> Store::startDeploy(const QString &app, const QString &trigger, int rollbackTo)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return std::unexpected(ok.error());
    if (auto ok = lockTable(u"deploys"_s); !ok)
        return std::unexpected(ok.error());
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    DeployRecord deploy;
    deploy.app = app;
    deploy.trigger = trigger;
    deploy.rollbackTo = rollbackTo;
    deploy.status = u"running"_s;
    deploy.startedAt = nowUtc();
    {
        auto next = exec(m_db, u"SELECT COALESCE(MAX(number), 0) + 1 FROM deploys WHERE app_id = ?"_s, {*id});
        if (!next)
            return std::unexpected(next.error());
        deploy.number = next->next() ? next->value(0).toInt() : 1;
    }
    auto insert = exec(m_db, u"INSERT INTO deploys (app_id, number, trigger_kind, status, started_at, rollback_to)"
                             " VALUES (?, ?, ?, ?, ?, ?) RETURNING id"_s,
                       {*id, deploy.number, text(trigger), deploy.status, toMs(deploy.startedAt), rollbackTo});
    if (!insert)
        return std::unexpected(insert.error());
    if (!insert->next())
        return fail(u"store-error"_s, u"the new deploy got no id"_s);
    deploy.id = insert->value(0).toLongLong();
    insert->finish();
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return deploy;
}

Result<void> Store::saveDeploy(const DeployRecord &deploy)
{
    auto q = exec(m_db, u"UPDATE deploys SET status = ?, commit_sha = ?, steps_json = ?, error = ?, error_code = ?,"
                        " finished_at = ?, total_ms = ? WHERE id = ?"_s,
                  {text(deploy.status), text(deploy.commit), stepsToJson(deploy.steps), text(deploy.error),
                   text(deploy.errorCode), toMsOrNull(deploy.finishedAt), deploy.totalMs, deploy.id});
    if (!q)
        return std::unexpected(q.error());
    if (q->numRowsAffected() == 0)
        return fail(u"not-found"_s, u"no deploy with id %1"_s.arg(deploy.id));
    return {};
}

Result<QList<DeployRecord>> Store::deploys(const QString &app, int limit)
{
    auto id = appId(app);
    if (!id)
        return std::unexpected(id.error());
    QString sql = DeploySelect + u" WHERE d.app_id = ? ORDER BY d.number DESC"_s;
    QVariantList values{*id};
    if (limit > 0) {
        sql += u" LIMIT ?"_s;
        values.append(limit);
    }
    auto q = exec(m_db, sql, values);
    if (!q)
        return std::unexpected(q.error());
    QList<DeployRecord> list;
    while (q->next())
        list.append(deployFromRow(*q));
    return list;
}

// ---- helpers of the area files ------------------------------------------------------

sql::Transaction Store::transaction()
{
    return sql::Transaction(m_db, m_engine == Engine::Sqlite);
}

Result<void> Store::inWriteTransaction(const std::function<Result<void>()> &body)
{
    auto tx = transaction();
    if (auto ok = tx.begin(); !ok)
        return ok;
    if (auto ok = body(); !ok)
        return ok;
    return tx.commit();
}

} // namespace gasper::store
