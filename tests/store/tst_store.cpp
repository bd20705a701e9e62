// SPDX-License-Identifier: MIT
// Every test runs twice (initTestCase_data): on SQLite in a temp dir and on PostgreSQL at
// $GASPER_TEST_PG_URL (default: the cluster tests/support/start-postgres.sh starts). Each test
// starts from an empty database: a fresh SQLite file, or PostgreSQL's public schema recreated.
#include "store/AsyncStore.h"
#include "store/SecretBox.h"
#include "store/Store.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <array>
#include <numeric>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

using namespace gasper;
using namespace gasper::store;

namespace {

QString pgUrl()
{
    const QString fromEnv = qEnvironmentVariable("GASPER_TEST_PG_URL");
    return fromEnv.isEmpty() ? u"postgresql://gasper:gasper@127.0.0.1:55432/gasper_test"_s : fromEnv;
}

// A second, independent connection to the database under test: to look at raw columns.
class RawDb
{
public:
    explicit RawDb(const QString &url)
    {
        static QAtomicInteger<int> counter;
        m_name = u"raw-%1"_s.arg(counter.fetchAndAddRelaxed(1));
        if (url.startsWith("sqlite://"_L1)) {
            m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
            m_db.setDatabaseName(url.mid(9));
        } else {
            const QUrl parsed(url);
            m_db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_name);
            m_db.setHostName(parsed.host());
            m_db.setPort(parsed.port(5432));
            m_db.setUserName(parsed.userName());
            m_db.setPassword(parsed.password());
            m_db.setDatabaseName(parsed.path().mid(1));
            m_db.setConnectOptions(u"connect_timeout=5"_s);
        }
        m_open = m_db.open();
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDb)

    bool isOpen() const { return m_open; }
    QString error() const { return m_db.lastError().text(); }
    QSqlQuery exec(const QString &sql)
    {
        QSqlQuery query(m_db);
        if (!query.exec(sql))
            qWarning() << "raw query failed:" << sql << query.lastError().text();
        return query;
    }
    // With bound values, for blobs (their literals differ between the engines). Without
    // values the statement runs unprepared: PostgreSQL cannot PREPARE DDL.
    bool execBound(const QString &sql, const QVariantList &values)
    {
        QSqlQuery query(m_db);
        bool ok = false;
        if (values.isEmpty()) {
            ok = query.exec(sql);
        } else {
            ok = query.prepare(sql);
            for (const auto &value : values)
                query.addBindValue(value);
            ok = ok && query.exec();
        }
        if (!ok)
            qWarning() << "raw query failed:" << sql << query.lastError().text();
        return ok;
    }
    QVariant scalar(const QString &sql)
    {
        auto query = exec(sql);
        return query.next() ? query.value(0) : QVariant();
    }

private:
    QString m_name;
    QSqlDatabase m_db;
    bool m_open = false;
};

AppSpec fullSpec(const QString &name)
{
    AppSpec spec;
    spec.name = name;
    spec.language = u"python"_s;
    spec.git.url = u"https://git.example.org/team/"_s + name + u".git"_s;
    spec.git.branch = u"release/1.x"_s;
    spec.git.token = u"ghp_TopSecretGitToken_4f9a2c"_s;
    spec.build = {u"pip install -r requirements.txt"_s, u"python manage.py collectstatic --noinput"_s,
                  u"echo \"quoted\" 'and' ünïcödé"_s};
    spec.run = u"gunicorn app:app --bind 0.0.0.0:$PORT"_s;
    spec.port = 5000;
    spec.env = {{u"DATABASE_PASSWORD"_s, u"hunter2-VerySecretEnvValue"_s},
                {u"DEBUG"_s, u"0"_s},
                {u"EMPTY"_s, QString()},
                {u"MULTI_LINE"_s, u"line1\nline2=\"x\""_s}};
    spec.secretEnv = {u"DATABASE_PASSWORD"_s};  // sealed with the rest, read back as secret
    spec.resources.memoryMb = 768;
    spec.resources.cpus = 1.5;
    return spec;
}

void compareSpecs(const AppSpec &actual, const AppSpec &expected)
{
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.language, expected.language);
    QCOMPARE(actual.git.url, expected.git.url);
    QCOMPARE(actual.git.branch, expected.git.branch);
    QCOMPARE(actual.git.token, expected.git.token);
    QCOMPARE(actual.build, expected.build);
    QCOMPARE(actual.run, expected.run);
    QCOMPARE(actual.port, expected.port);
    QCOMPARE(actual.env.keys(), expected.env.keys());
    for (auto it = expected.env.cbegin(); it != expected.env.cend(); ++it)
        QCOMPARE(actual.env.value(it.key()), it.value().isNull() ? u""_s : it.value());
    QCOMPARE(actual.secretEnv, expected.secretEnv);
    QCOMPARE(actual.resources.memoryMb, expected.resources.memoryMb);
    QCOMPARE(actual.resources.cpus, expected.resources.cpus);
}

QDateTime msNow()
{
    return QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
}

} // namespace

#define VERIFY_OK(expr)                                                                                          \
    do {                                                                                                         \
        const auto &result_ = (expr);                                                                            \
        if (!result_)                                                                                            \
            QFAIL(qPrintable(u"%1 failed: %2 %3"_s.arg(QLatin1StringView(#expr), result_.error().code,          \
                                                        result_.error().message)));                             \
    } while (false)

#define VERIFY_ERROR(expr, slug)                                                                                 \
    do {                                                                                                         \
        const auto &result_ = (expr);                                                                            \
        QVERIFY2(!result_, #expr " unexpectedly succeeded");                                                     \
        QCOMPARE(result_.error().code, QString(slug));                                                           \
    } while (false)

class StoreTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();

    // users and tokens
    void firstUserBecomesAdminOthersDoNot();
    void duplicateUsernameOrEmailIsRefused_data();
    void duplicateUsernameOrEmailIsRefused();
    void unknownUserIsNotFound();
    void tokenAuthenticatesUntilItExpires();
    void deletedTokenNoLongerAuthenticates();
    void deleteExpiredTokensRemovesOnlyExpiredOnes();

    // apps
    void appSpecRoundTripsWithSecrets();
    void appWithoutOptionalFieldsRoundTrips();
    void appNamesAreGlobalWhoeverOwnsThem();
    void appsAreListedByNameAndFilteredByOwner();
    void updatesChangeSpecStateAndRuntime();
    void appErrorCodeRoundTripsAndClearsWithItsError();
    void unknownAppIsNotFoundEverywhere();
    void deleteAppRemovesItAndItsDeploys();
    void secretsAreEncryptedAtRest();

    // ssh keys and app ssh passwords
    void sshKeysRoundTripPerUserAndAreDeletedOnlyByTheirOwner();
    void sshKeyFingerprintBelongsToOneUserAndNamesAreUniquePerUser();
    void appSshPasswordIsStoredClearedAndReadWithTheContainer();

    // deploys
    void deployNumbersCountUpPerApp();
    void deployStepsAndResultRoundTrip();
    void deployErrorCodeRoundTripsAndClears();
    void deploysAreNewestFirstAndLimited();

    // logs (StoreLogs.cpp)
    void deployLogLinesRoundTripInOrderAndSurviveAReopen();
    void deployLogIsTrimmedToItsBoundsOldestFirst();
    void appLogsKeepTheNewestPerAppAndGoWithTheApp();

    // schema and lifetime
    void reopeningKeepsDataAndAppliesNoMigrationTwice();
    void version1DatabaseMigratesKeepingItsRows();
    void concurrentOpensMigrateOnce();
    void newerSchemaThanBinaryIsRefused();
    void inMemoryDatabaseWorks();
    void badUrlsAreRefusedWithoutLeakingPasswords_data();
    void badUrlsAreRefusedWithoutLeakingPasswords();

    // AsyncStore
    void asyncStoreRunsTasksInOrderOnOneThread();
    void asyncStoreReportsOpenFailure();
    void concurrentRegistrationsMakeExactlyOneAdmin();

    // SecretBox
    void secretBoxSealsAndOpens();
    void secretBoxRejectsTamperingAndWrongKey();
    void keyFileIsCreatedPrivateAndReused();
    void malformedKeyFileIsRefused();
    void keyFileOpenToOthersIsWarnedAbout();

private:
    std::unique_ptr<Store> openStore(const QString &connection = u"store"_s);
    std::unique_ptr<Store> openStoreWith(const SecretBox &secrets, const QString &connection);
    bool isSqlite() const { return m_url.startsWith("sqlite:"_L1); }
    QString keyPath() const { return m_dir.path() + u"/secret.key"_s; }
    void resetPostgres();

    QTemporaryDir m_dir;
    int m_testNumber = 0;
    QString m_url;
    QString m_sqliteFile;
    std::optional<SecretBox> m_secrets;
};

void StoreTest::initTestCase_data()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("sqlite") << u"sqlite"_s;
    QTest::newRow("postgresql") << u"postgresql"_s;
}

void StoreTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto secrets = SecretBox::loadOrCreate(keyPath());
    VERIFY_OK(secrets);
    m_secrets = *secrets;
}

void StoreTest::init()
{
    QFETCH_GLOBAL(QString, engine);
    ++m_testNumber;
    if (engine == "sqlite"_L1) {
        m_sqliteFile = m_dir.path() + u"/t%1/gasper.db"_s.arg(m_testNumber);
        m_url = u"sqlite://"_s + m_sqliteFile;
    } else {
        m_sqliteFile.clear();
        m_url = pgUrl();
        resetPostgres();
    }
}

// A clean schema for every PostgreSQL test, so runs are repeatable. Failing here (not
// skipping) is deliberate: the PostgreSQL half of the suite must run in CI.
void StoreTest::resetPostgres()
{
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
        QFAIL("Qt's PostgreSQL driver QPSQL is not installed (apt-get install libqt6sql6-psql)");
    RawDb raw(m_url);
    if (!raw.isOpen()) {
        QFAIL(qPrintable(u"PostgreSQL is not reachable at %1: %2\nStart it with tests/support/start-postgres.sh "
                         "(ctest runs it as the gasper_pg fixture) or point GASPER_TEST_PG_URL at a server."_s
                             .arg(QUrl(m_url).toString(QUrl::RemovePassword), raw.error())));
    }
    QSqlQuery drop = raw.exec(u"SET client_min_messages = warning; DROP SCHEMA IF EXISTS public CASCADE"_s);
    QVERIFY2(!drop.lastError().isValid(), qPrintable(drop.lastError().text()));
    QSqlQuery create = raw.exec(u"CREATE SCHEMA public"_s);
    QVERIFY2(!create.lastError().isValid(), qPrintable(create.lastError().text()));
}

std::unique_ptr<Store> StoreTest::openStoreWith(const SecretBox &secrets, const QString &connection)
{
    auto store = Store::open(m_url, secrets, connection);
    if (!store) {
        qWarning().noquote() << "Store::open failed:" << store.error().code << store.error().message;
        return {};
    }
    return std::move(*store);
}

std::unique_ptr<Store> StoreTest::openStore(const QString &connection)
{
    return openStoreWith(*m_secrets, connection);
}

// ---- users and tokens ----------------------------------------------------------------------

void StoreTest::firstUserBecomesAdminOthersDoNot()
{
    auto store = openStore();
    QVERIFY(store);
    QFETCH_GLOBAL(QString, engine);
    QCOMPARE(store->engine(), engine);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"$argon2id$v=19$alice"_s);
    VERIFY_OK(alice);
    QVERIFY(alice->admin);
    QVERIFY(alice->id > 0);
    QCOMPARE(alice->passwordHash, u"$argon2id$v=19$alice"_s);
    QVERIFY(alice->createdAt.toMSecsSinceEpoch() >= before);
    QCOMPARE(alice->createdAt.timeSpec(), Qt::UTC);

    auto bob = store->createUser(u"bob"_s, u"bob@example.org"_s, u"hash-b"_s);
    VERIFY_OK(bob);
    QVERIFY(!bob->admin);
    QVERIFY(bob->id != alice->id);

    auto readBack = store->userByName(u"alice"_s);
    VERIFY_OK(readBack);
    QCOMPARE(readBack->id, alice->id);
    QCOMPARE(readBack->email, u"alice@example.org"_s);
    QVERIFY(readBack->admin);
    QCOMPARE(readBack->createdAt, alice->createdAt);
    auto byId = store->userById(bob->id);
    VERIFY_OK(byId);
    QCOMPARE(byId->username, u"bob"_s);
    QVERIFY(!byId->admin);
}

void StoreTest::duplicateUsernameOrEmailIsRefused_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("code");
    QTest::newRow("same username") << u"alice"_s << u"other@example.org"_s << u"username-taken"_s;
    QTest::newRow("same username and email") << u"alice"_s << u"alice@example.org"_s << u"username-taken"_s;
    QTest::newRow("same email") << u"bob"_s << u"alice@example.org"_s << u"email-taken"_s;
    QTest::newRow("same email, other case") << u"bob"_s << u"Alice@Example.ORG"_s << u"email-taken"_s;
}

void StoreTest::duplicateUsernameOrEmailIsRefused()
{
    QFETCH(QString, username);
    QFETCH(QString, email);
    QFETCH(QString, code);
    auto store = openStore();
    QVERIFY(store);
    VERIFY_OK(store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s));
    VERIFY_ERROR(store->createUser(username, email, u"h2"_s), code);
    // Nothing changed: the refused user does not exist and the next one is not admin.
    VERIFY_ERROR(store->userByName(u"bob"_s), u"not-found"_s);
    auto carol = store->createUser(u"carol"_s, u"carol@example.org"_s, u"h3"_s);
    VERIFY_OK(carol);
    QVERIFY(!carol->admin);
}

void StoreTest::unknownUserIsNotFound()
{
    auto store = openStore();
    QVERIFY(store);
    VERIFY_ERROR(store->userByName(u"nobody"_s), u"not-found"_s);
    VERIFY_ERROR(store->userById(424242), u"not-found"_s);
}

void StoreTest::tokenAuthenticatesUntilItExpires()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    const QByteArray hash = QByteArray::fromHex("00ff10203040506070808090a0b0c0d0e0f000112233445566778899aabbccdd");
    const QDateTime now = msNow();
    VERIFY_OK(store->createToken(alice->id, hash, now.addSecs(3600)));

    auto user = store->userByToken(hash, now);
    VERIFY_OK(user);
    QCOMPARE(user->id, alice->id);
    QCOMPARE(user->username, u"alice"_s);
    VERIFY_OK(store->userByToken(hash, now.addSecs(3599)));
    VERIFY_ERROR(store->userByToken(hash, now.addSecs(3600)), u"unauthorized"_s);
    VERIFY_ERROR(store->userByToken(hash, now.addDays(2)), u"unauthorized"_s);
    VERIFY_ERROR(store->userByToken(QByteArray(32, 'x'), now), u"unauthorized"_s);
    VERIFY_ERROR(store->userByToken(hash.left(31), now), u"unauthorized"_s);
}

void StoreTest::deletedTokenNoLongerAuthenticates()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    const QDateTime now = msNow();
    const QByteArray first(32, '\x01'), second(32, '\x02');
    VERIFY_OK(store->createToken(alice->id, first, now.addDays(1)));
    VERIFY_OK(store->createToken(alice->id, second, now.addDays(1)));
    VERIFY_OK(store->deleteToken(first));
    VERIFY_ERROR(store->userByToken(first, now), u"unauthorized"_s);
    VERIFY_OK(store->userByToken(second, now));  // other sessions of the user stay valid
    VERIFY_OK(store->deleteToken(first));        // logging out twice is harmless
}

void StoreTest::deleteExpiredTokensRemovesOnlyExpiredOnes()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    const QDateTime now = msNow();
    VERIFY_OK(store->createToken(alice->id, "expired-1", now.addSecs(-10)));
    VERIFY_OK(store->createToken(alice->id, "expired-2", now));
    VERIFY_OK(store->createToken(alice->id, "valid", now.addSecs(10)));
    auto removed = store->deleteExpiredTokens(now);
    VERIFY_OK(removed);
    QCOMPARE(*removed, 2);
    VERIFY_OK(store->userByToken("valid", now));
    auto again = store->deleteExpiredTokens(now);
    VERIFY_OK(again);
    QCOMPARE(*again, 0);
}

// ---- apps ------------------------------------------------------------------------------------

void StoreTest::appSpecRoundTripsWithSecrets()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    const AppSpec spec = fullSpec(u"web"_s);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    auto created = store->createApp(alice->id, spec, u"node-1"_s);
    VERIFY_OK(created);
    compareSpecs(created->spec, spec);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(created->id > 0);
    QCOMPARE(created->ownerId, alice->id);
    QCOMPARE(created->ownerName, u"alice"_s);
    QCOMPARE(gasper::toString(created->state), gasper::toString(AppState::Queued));
    QCOMPARE(created->node, u"node-1"_s);
    QCOMPARE(created->containerId, QString());
    QCOMPARE(created->hostPort, 0);
    QCOMPARE(created->restarts, 0);
    QCOMPARE(created->lastError, QString());
    QVERIFY(created->createdAt.toMSecsSinceEpoch() >= before);
    QVERIFY(created->createdAt.toMSecsSinceEpoch() <= QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(created->updatedAt, created->createdAt);

    auto read = store->app(u"web"_s);
    VERIFY_OK(read);
    compareSpecs(read->spec, spec);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(read->id, created->id);
    QCOMPARE(read->ownerName, u"alice"_s);
    QCOMPARE(read->createdAt, created->createdAt);
    auto count = store->countApps(alice->id);
    VERIFY_OK(count);
    QCOMPARE(*count, 1);
}

void StoreTest::appWithoutOptionalFieldsRoundTrips()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    AppSpec spec;
    spec.name = u"bare"_s;
    spec.language = u"static"_s;
    spec.git.url = u"https://git.example.org/bare.git"_s;
    VERIFY_OK(store->createApp(alice->id, spec, QString()));
    auto read = store->app(u"bare"_s);
    VERIFY_OK(read);
    compareSpecs(read->spec, spec);
    QVERIFY(read->spec.git.token.isEmpty());
    QVERIFY(read->spec.env.isEmpty());
    QVERIFY(read->spec.build.isEmpty());
    QCOMPARE(read->node, QString());
}

void StoreTest::appNamesAreGlobalWhoeverOwnsThem()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    auto bob = store->createUser(u"bob"_s, u"bob@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(bob);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    VERIFY_ERROR(store->createApp(bob->id, fullSpec(u"web"_s), u"local"_s), u"name-taken"_s);
    VERIFY_ERROR(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s), u"name-taken"_s);
    VERIFY_ERROR(store->createApp(999999, fullSpec(u"orphan"_s), u"local"_s), u"not-found"_s);
    auto count = store->countApps(bob->id);
    VERIFY_OK(count);
    QCOMPARE(*count, 0);
    auto web = store->app(u"web"_s);
    VERIFY_OK(web);
    QCOMPARE(web->ownerName, u"alice"_s);
}

void StoreTest::appsAreListedByNameAndFilteredByOwner()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    auto bob = store->createUser(u"bob"_s, u"bob@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(bob);
    // Byte order puts "web-b" before "weba"; locale collations often would not.
    for (const auto &[name, owner] : {std::pair{u"weba"_s, alice->id}, std::pair{u"web"_s, bob->id},
                                      std::pair{u"web-b"_s, alice->id}, std::pair{u"api"_s, alice->id}})
        VERIFY_OK(store->createApp(owner, fullSpec(name), u"local"_s));

    const auto names = [](const QList<AppRecord> &apps) {
        QStringList list;
        for (const auto &app : apps)
            list.append(app.spec.name);
        return list;
    };
    auto all = store->apps();
    VERIFY_OK(all);
    QCOMPARE(names(*all), (QStringList{u"api"_s, u"web"_s, u"web-b"_s, u"weba"_s}));
    QCOMPARE(all->at(1).ownerName, u"bob"_s);
    QCOMPARE(all->at(0).spec.git.token, fullSpec(u"api"_s).git.token);
    auto mine = store->apps(alice->id);
    VERIFY_OK(mine);
    QCOMPARE(names(*mine), (QStringList{u"api"_s, u"web-b"_s, u"weba"_s}));
    auto bobs = store->apps(bob->id);
    VERIFY_OK(bobs);
    QCOMPARE(names(*bobs), QStringList{u"web"_s});
    auto count = store->countApps(alice->id);
    VERIFY_OK(count);
    QCOMPARE(*count, 3);
}

void StoreTest::updatesChangeSpecStateAndRuntime()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    auto created = store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s);
    VERIFY_OK(created);

    AppSpec changed = fullSpec(u"web"_s);
    changed.language = u"node"_s;
    changed.git.token.clear();  // token removed
    changed.git.branch = u"main"_s;
    changed.build = {u"npm ci"_s};
    changed.run = u"node server.js"_s;
    changed.port = 3000;
    changed.env = {{u"NEW"_s, u"value"_s}};
    changed.secretEnv = {u"NEW"_s};
    changed.resources = {256, 0.25};
    VERIFY_OK(store->updateAppSpec(u"web"_s, changed));
    auto read = store->app(u"web"_s);
    VERIFY_OK(read);
    compareSpecs(read->spec, changed);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(read->updatedAt >= created->updatedAt);
    QCOMPARE(read->createdAt, created->createdAt);

    VERIFY_OK(store->setAppState(u"web"_s, AppState::Failed, u"health check timed out"_s));
    read = store->app(u"web"_s);
    VERIFY_OK(read);
    QCOMPARE(gasper::toString(read->state), gasper::toString(AppState::Failed));
    QCOMPARE(read->lastError, u"health check timed out"_s);

    VERIFY_OK(store->setAppRuntime(u"web"_s, u"c0ffee1234"_s, 49153, 2));
    VERIFY_OK(store->setAppState(u"web"_s, AppState::Running));
    read = store->app(u"web"_s);
    VERIFY_OK(read);
    QCOMPARE(gasper::toString(read->state), gasper::toString(AppState::Running));
    QCOMPARE(read->lastError, QString());  // a new state without an error clears the old one
    QCOMPARE(read->containerId, u"c0ffee1234"_s);
    QCOMPARE(read->hostPort, 49153);
    QCOMPARE(read->restarts, 2);
    compareSpecs(read->spec, changed);  // runtime updates leave the spec alone
}

void StoreTest::appErrorCodeRoundTripsAndClearsWithItsError()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    auto created = store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s);
    VERIFY_OK(created);
    QCOMPARE(created->lastErrorCode, QString());

    VERIFY_OK(store->setAppState(u"web"_s, AppState::Failed, u"the build failed: exit code 2"_s, u"build-failed"_s));
    auto read = store->app(u"web"_s);
    VERIFY_OK(read);
    QCOMPARE(read->lastError, u"the build failed: exit code 2"_s);
    QCOMPARE(read->lastErrorCode, u"build-failed"_s);
    auto listed = store->apps(alice->id);  // the list query fills it too
    VERIFY_OK(listed);
    QCOMPARE(listed->size(), 1);
    QCOMPARE(listed->first().lastErrorCode, u"build-failed"_s);

    // A new error without a code replaces the old code rather than keeping it.
    VERIFY_OK(store->setAppState(u"web"_s, AppState::Restarting, u"the container exited"_s));
    read = store->app(u"web"_s);
    VERIFY_OK(read);
    QCOMPARE(read->lastError, u"the container exited"_s);
    QCOMPARE(read->lastErrorCode, QString());

    // No error: both are cleared, even if a code is passed.
    VERIFY_OK(store->setAppState(u"web"_s, AppState::Failed, u"health check timed out"_s, u"health-timeout"_s));
    VERIFY_OK(store->setAppState(u"web"_s, AppState::Running, QString(), u"health-timeout"_s));
    read = store->app(u"web"_s);
    VERIFY_OK(read);
    QCOMPARE(read->lastError, QString());
    QCOMPARE(read->lastErrorCode, QString());

    // Stored as '' rather than NULL, like the other text columns.
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM apps WHERE last_error_code = ''"_s).toInt(), 1);
}

void StoreTest::unknownAppIsNotFoundEverywhere()
{
    auto store = openStore();
    QVERIFY(store);
    const QString ghost = u"ghost"_s;
    VERIFY_ERROR(store->app(ghost), u"not-found"_s);
    VERIFY_ERROR(store->updateAppSpec(ghost, fullSpec(ghost)), u"not-found"_s);
    VERIFY_ERROR(store->setAppState(ghost, AppState::Running), u"not-found"_s);
    VERIFY_ERROR(store->setAppRuntime(ghost, u"c"_s, 1, 0), u"not-found"_s);
    VERIFY_ERROR(store->deleteApp(ghost), u"not-found"_s);
    VERIFY_ERROR(store->startDeploy(ghost, u"create"_s), u"not-found"_s);
    VERIFY_ERROR(store->deploys(ghost), u"not-found"_s);
    DeployRecord deploy;
    deploy.id = 987654;
    deploy.status = u"failed"_s;
    VERIFY_ERROR(store->saveDeploy(deploy), u"not-found"_s);
    auto all = store->apps();
    VERIFY_OK(all);
    QVERIFY(all->isEmpty());
}

void StoreTest::deleteAppRemovesItAndItsDeploys()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"keep"_s), u"local"_s));
    VERIFY_OK(store->startDeploy(u"web"_s, u"create"_s));
    VERIFY_OK(store->startDeploy(u"web"_s, u"rebuild"_s));
    VERIFY_OK(store->startDeploy(u"keep"_s, u"create"_s));

    VERIFY_OK(store->deleteApp(u"web"_s));
    VERIFY_ERROR(store->app(u"web"_s), u"not-found"_s);
    VERIFY_ERROR(store->deploys(u"web"_s), u"not-found"_s);
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM deploys"_s).toInt(), 1);  // only keep's

    // The name is free again and its history starts over.
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    auto deploy = store->startDeploy(u"web"_s, u"create"_s);
    VERIFY_OK(deploy);
    QCOMPARE(deploy->number, 1);
    auto keep = store->deploys(u"keep"_s);
    VERIFY_OK(keep);
    QCOMPARE(keep->size(), 1);
}

// ---- logs -----------------------------------------------------------------------------------

namespace {
DeployLogLine logLine(const QString &app, int deploy, const QString &stream, const QString &line)
{
    return DeployLogLine{app, deploy, QDateTime::fromMSecsSinceEpoch(1'796'162'635'123, Qt::UTC), stream, line};
}
} // namespace

void StoreTest::deployLogLinesRoundTripInOrderAndSurviveAReopen()
{
    {
        auto store = openStore();
        QVERIFY(store);
        auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
        VERIFY_OK(alice);
        VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
        VERIFY_OK(store->startDeploy(u"web"_s, u"create"_s));
        VERIFY_OK(store->appendDeployLog({logLine(u"web"_s, 1, u"system"_s, u"cloned main at 9c1e5b0f6a4d"_s),
                                          logLine(u"web"_s, 1, u"stdout"_s, u"ünïcödé ✓"_s)}));
        VERIFY_OK(store->appendDeployLog({logLine(u"web"_s, 1, u"stderr"_s, u"a warning"_s),
                                          logLine(u"gone"_s, 1, u"stdout"_s, u"of an app deleted meanwhile"_s)}));
        auto empty = store->startDeploy(u"web"_s, u"rebuild"_s);
        VERIFY_OK(empty);
        auto none = store->deployLog(u"web"_s, 2);
        VERIFY_OK(none);
        QVERIFY(none->isEmpty());  // a deploy without output: empty, not an error
        VERIFY_ERROR(store->deployLog(u"web"_s, 3), u"not-found"_s);
        VERIFY_ERROR(store->deployLog(u"nope"_s, 1), u"not-found"_s);
    }
    auto reopened = openStore(u"again"_s);
    QVERIFY(reopened);
    auto lines = reopened->deployLog(u"web"_s, 1);
    VERIFY_OK(lines);
    QCOMPARE(lines->size(), 3);
    QCOMPARE(lines->at(0).line, u"cloned main at 9c1e5b0f6a4d"_s);
    QCOMPARE(lines->at(0).stream, u"system"_s);
    QCOMPARE(lines->at(0).at.toMSecsSinceEpoch(), 1'796'162'635'123);
    QCOMPARE(lines->at(1).line, u"ünïcödé ✓"_s);
    QCOMPARE(lines->at(2).stream, u"stderr"_s);
}

void StoreTest::deployLogIsTrimmedToItsBoundsOldestFirst()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    for (int d = 1; d <= 4; ++d) {
        VERIFY_OK(store->startDeploy(u"web"_s, u"rebuild"_s));
        QList<DeployLogLine> batch;
        for (int i = 0; i < 30; ++i)
            batch << logLine(u"web"_s, d, u"stdout"_s, u"line %1"_s.arg(i, 2, 10, QLatin1Char('0')));
        VERIFY_OK(store->appendDeployLog(batch));
    }
    LogBounds bounds;
    bounds.maxLines = 10;
    bounds.maxChars = 1 << 20;
    bounds.deploysKept = 2;
    // Lines: the newest 10 stay.
    VERIFY_OK(store->trimDeployLog(u"web"_s, 4, bounds, false));
    auto four = store->deployLog(u"web"_s, 4);
    VERIFY_OK(four);
    QCOMPARE(four->size(), 10);
    QCOMPARE(four->first().line, u"line 20"_s);
    QCOMPARE(four->last().line, u"line 29"_s);
    // Characters: "line NN" is 7 + 1 (the newline counts): 40 characters keep 5 lines.
    bounds.maxChars = 40;
    VERIFY_OK(store->trimDeployLog(u"web"_s, 4, bounds, false));
    four = store->deployLog(u"web"_s, 4);
    VERIFY_OK(four);
    QCOMPARE(four->size(), 5);
    QCOMPARE(four->first().line, u"line 25"_s);
    // Pruning: only the newest 2 deploys keep output; the others' rows are gone.
    VERIFY_OK(store->trimDeployLog(u"web"_s, 4, bounds, true));
    QCOMPARE(store->deployLog(u"web"_s, 1)->size(), 0);
    QCOMPARE(store->deployLog(u"web"_s, 2)->size(), 0);
    QCOMPARE(store->deployLog(u"web"_s, 3)->size(), 30);  // never trimmed by its own bounds here
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM deploy_log_lines"_s).toInt(), 35);
}

void StoreTest::appLogsKeepTheNewestPerAppAndGoWithTheApp()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"keep"_s), u"local"_s));
    LogBounds bounds;
    bounds.appLogsKept = 2;
    static const char bytes[] = "2026-12-01T22:03:55.1Z bytes \xff\x00 kept as they are\n";
    const QByteArray binary(bytes, sizeof bytes - 1);
    for (int d = 1; d <= 3; ++d)
        VERIFY_OK(store->saveAppLog(u"web"_s, d, binary + QByteArray::number(d), bounds));
    VERIFY_OK(store->saveAppLog(u"keep"_s, 1, "other app", bounds));
    VERIFY_OK(store->saveAppLog(u"web"_s, 3, binary + "3 again", bounds));  // replaced, not added
    auto numbers = store->appLogDeploys(u"web"_s);
    VERIFY_OK(numbers);
    QCOMPARE(*numbers, (QList<int>{3, 2}));
    VERIFY_ERROR(store->appLog(u"web"_s, 1), u"not-found"_s);
    auto three = store->appLog(u"web"_s, 3);
    VERIFY_OK(three);
    QCOMPARE(*three, binary + "3 again");
    VERIFY_ERROR(store->saveAppLog(u"nope"_s, 1, "x", bounds), u"not-found"_s);

    VERIFY_OK(store->deleteApp(u"web"_s));
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM app_logs"_s).toInt(), 1);  // only keep's
    QCOMPARE(*store->appLog(u"keep"_s, 1), QByteArray("other app"));
}

void StoreTest::secretsAreEncryptedAtRest()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    const AppSpec spec = fullSpec(u"secret-app"_s);
    const QByteArray token = spec.git.token.toUtf8();
    const QByteArray envValue = spec.env.value(u"DATABASE_PASSWORD"_s).toUtf8();
    const QByteArray envKey = "DATABASE_PASSWORD";
    VERIFY_OK(store->createApp(alice->id, spec, u"local"_s));

    // The raw columns hold ciphertext only: no token, no env key or value, also not as hex.
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QSqlQuery row = raw.exec(u"SELECT git_token_sealed, env_sealed, git_url FROM apps WHERE name = 'secret-app'"_s);
    QVERIFY(row.next());
    const QByteArray sealedToken = row.value(0).toByteArray();
    const QByteArray sealedEnv = row.value(1).toByteArray();
    QCOMPARE(row.value(2).toString(), spec.git.url);  // the raw read does see plain columns
    QVERIFY(sealedToken.size() > token.size());
    QVERIFY(!sealedToken.contains(token));
    QVERIFY(!sealedToken.toHex().contains(token.toHex()));
    QVERIFY(sealedEnv.size() > envValue.size());
    QVERIFY(!sealedEnv.contains(envValue));
    QVERIFY(!sealedEnv.contains(envKey));
    auto opened = m_secrets->open(sealedToken);
    VERIFY_OK(opened);
    QCOMPARE(*opened, token);

    if (isSqlite()) {
        // And nowhere in the database files, whichever of them the rows are in right now.
        QByteArray bytes;
        for (const QString &suffix : {u""_s, u"-wal"_s}) {
            QFile file(m_sqliteFile + suffix);
            if (file.open(QIODevice::ReadOnly))
                bytes += file.readAll();
        }
        QVERIFY(bytes.contains(spec.git.url.toUtf8()));  // proves the scan sees plain text
        QVERIFY(!bytes.contains(token));
        QVERIFY(!bytes.contains(envValue));
        QVERIFY(!bytes.contains(envKey));
    }

    // With another key the secrets do not open, and the error names no secret.
    auto otherKey = SecretBox::fromKey(QByteArray(SecretBox::KeyBytes, '\x42'));
    VERIFY_OK(otherKey);
    auto foreign = openStoreWith(*otherKey, u"other-key"_s);
    QVERIFY(foreign);
    auto app = foreign->app(u"secret-app"_s);
    VERIFY_ERROR(app, u"store-error"_s);
    QVERIFY(!app.error().message.contains(spec.git.token));
    VERIFY_ERROR(foreign->apps(), u"store-error"_s);
    auto user = foreign->userByName(u"alice"_s);  // data without secrets still reads
    VERIFY_OK(user);
}

// ---- deploys ----------------------------------------------------------------------------------

void StoreTest::sshKeysRoundTripPerUserAndAreDeletedOnlyByTheirOwner()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    auto bob = store->createUser(u"bob"_s, u"bob@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(bob);
    auto laptop = store->addSshKey(alice->id, u"laptop"_s, u"ssh-ed25519 AAAAlaptop"_s, u"SHA256:laptop"_s);
    VERIFY_OK(laptop);
    QCOMPARE(laptop->name, u"laptop"_s);
    QCOMPARE(laptop->username, u"alice"_s);
    QVERIFY(laptop->userIsAdmin);
    QVERIFY(laptop->createdAt.isValid());
    VERIFY_OK(store->addSshKey(alice->id, u"desk"_s, u"ssh-ed25519 AAAAdesk"_s, u"SHA256:desk"_s));
    VERIFY_OK(store->addSshKey(bob->id, u"laptop"_s, u"ssh-ed25519 AAAAbob"_s, u"SHA256:bob"_s));

    auto aliceKeys = store->sshKeys(alice->id);
    VERIFY_OK(aliceKeys);
    QCOMPARE(aliceKeys->size(), 2);
    QCOMPARE(aliceKeys->at(0).name, u"laptop"_s);
    QCOMPARE(aliceKeys->at(1).publicKey, u"ssh-ed25519 AAAAdesk"_s);
    auto byFingerprint = store->sshKeyByFingerprint(u"SHA256:bob"_s);
    VERIFY_OK(byFingerprint);
    QCOMPARE(byFingerprint->userId, bob->id);
    QVERIFY(!byFingerprint->userIsAdmin);
    VERIFY_ERROR(store->sshKeyByFingerprint(u"SHA256:nobody"_s), u"not-found"_s);

    VERIFY_ERROR(store->deleteSshKey(bob->id, laptop->id), u"not-found"_s);  // not bob's
    VERIFY_OK(store->deleteSshKey(alice->id, laptop->id));
    VERIFY_ERROR(store->deleteSshKey(alice->id, laptop->id), u"not-found"_s);
    VERIFY_ERROR(store->sshKeyByFingerprint(u"SHA256:laptop"_s), u"not-found"_s);
    QCOMPARE(store->sshKeys(alice->id)->size(), 1);
    QCOMPARE(store->sshKeys(bob->id)->size(), 1);
}

void StoreTest::sshKeyFingerprintBelongsToOneUserAndNamesAreUniquePerUser()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    auto bob = store->createUser(u"bob"_s, u"bob@example.org"_s, u"h"_s);
    VERIFY_OK(store->addSshKey(alice->id, u"k"_s, u"ssh-ed25519 AAAA1"_s, u"SHA256:one"_s));
    VERIFY_ERROR(store->addSshKey(bob->id, u"stolen"_s, u"ssh-ed25519 AAAA1"_s, u"SHA256:one"_s), u"key-taken"_s);
    VERIFY_ERROR(store->addSshKey(alice->id, u"again"_s, u"ssh-ed25519 AAAA1"_s, u"SHA256:one"_s), u"key-taken"_s);
    VERIFY_ERROR(store->addSshKey(alice->id, u"k"_s, u"ssh-ed25519 AAAA2"_s, u"SHA256:two"_s), u"key-name-taken"_s);
    QCOMPARE(store->sshKeys(bob->id)->size(), 0);
    QCOMPARE(store->sshKeys(alice->id)->size(), 1);
}

void StoreTest::appSshPasswordIsStoredClearedAndReadWithTheContainer()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    auto access = store->appSshAccess(u"web"_s);
    VERIFY_OK(access);
    QCOMPARE(access->ownerId, alice->id);
    QVERIFY(access->passwordHash.isEmpty());
    VERIFY_OK(store->setAppSshPassword(u"web"_s, u"$argon2id$v=19$x"_s));
    VERIFY_OK(store->setAppRuntime(u"web"_s, u"c0ffee"_s, 4242, 0));
    access = store->appSshAccess(u"web"_s);
    VERIFY_OK(access);
    QCOMPARE(access->passwordHash, u"$argon2id$v=19$x"_s);
    QCOMPARE(access->containerId, u"c0ffee"_s);
    VERIFY_OK(store->setAppSshPassword(u"web"_s, QString()));
    QVERIFY(store->appSshAccess(u"web"_s)->passwordHash.isEmpty());
    VERIFY_ERROR(store->setAppSshPassword(u"nope"_s, u"x"_s), u"not-found"_s);
    VERIFY_ERROR(store->appSshAccess(u"nope"_s), u"not-found"_s);
}

void StoreTest::deployNumbersCountUpPerApp()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"one"_s), u"local"_s));
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"two"_s), u"local"_s));

    const QStringList triggers{u"create"_s, u"update"_s, u"rebuild"_s};
    QSet<qint64> ids;
    for (int i = 0; i < triggers.size(); ++i) {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        auto deploy = store->startDeploy(u"one"_s, triggers.at(i));
        VERIFY_OK(deploy);
        QCOMPARE(deploy->number, i + 1);
        QCOMPARE(deploy->app, u"one"_s);
        QCOMPARE(deploy->trigger, triggers.at(i));
        QCOMPARE(deploy->status, u"running"_s);
        QVERIFY(deploy->startedAt.toMSecsSinceEpoch() >= before);
        QVERIFY(!deploy->finishedAt.isValid());
        ids.insert(deploy->id);
    }
    QCOMPARE(ids.size(), 3);
    auto other = store->startDeploy(u"two"_s, u"create"_s);
    VERIFY_OK(other);
    QCOMPARE(other->number, 1);
    QVERIFY(!ids.contains(other->id));
}

void StoreTest::deployStepsAndResultRoundTrip()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    auto started = store->startDeploy(u"web"_s, u"create"_s);
    VERIFY_OK(started);

    DeployRecord deploy = *started;
    deploy.status = u"failed"_s;
    deploy.commit = u"9fceb02d0ae598e95dc970b74767f19372d61af8"_s;
    deploy.steps = {{u"clone"_s, u"done"_s, 41},
                    {u"create"_s, u"done"_s, 38},
                    {u"build"_s, u"failed"_s, 12034},
                    {u"health"_s, u"skipped"_s, 0}};
    deploy.error = u"build command exited with code 1"_s;
    deploy.finishedAt = deploy.startedAt.addMSecs(12113);
    deploy.totalMs = 12113;
    VERIFY_OK(store->saveDeploy(deploy));

    auto list = store->deploys(u"web"_s);
    VERIFY_OK(list);
    QCOMPARE(list->size(), 1);
    const DeployRecord &read = list->first();
    QCOMPARE(read.id, deploy.id);
    QCOMPARE(read.app, u"web"_s);
    QCOMPARE(read.number, 1);
    QCOMPARE(read.trigger, u"create"_s);
    QCOMPARE(read.status, deploy.status);
    QCOMPARE(read.commit, deploy.commit);
    QCOMPARE(read.steps.size(), deploy.steps.size());
    for (qsizetype i = 0; i < deploy.steps.size(); ++i) {
        QCOMPARE(read.steps.at(i).name, deploy.steps.at(i).name);
        QCOMPARE(read.steps.at(i).status, deploy.steps.at(i).status);
        QCOMPARE(read.steps.at(i).ms, deploy.steps.at(i).ms);
    }
    QCOMPARE(read.error, deploy.error);
    QCOMPARE(read.startedAt, deploy.startedAt);
    QCOMPARE(read.finishedAt, deploy.finishedAt);
    QCOMPARE(read.totalMs, deploy.totalMs);
}

void StoreTest::deployErrorCodeRoundTripsAndClears()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    auto started = store->startDeploy(u"web"_s, u"recovery"_s);
    VERIFY_OK(started);
    QCOMPARE(started->errorCode, QString());

    DeployRecord deploy = *started;
    deploy.status = u"failed"_s;
    deploy.error = u"the app did not answer on port 5000 within 60 s"_s;
    deploy.errorCode = u"health-timeout"_s;
    deploy.finishedAt = deploy.startedAt.addMSecs(60001);
    deploy.totalMs = 60001;
    VERIFY_OK(store->saveDeploy(deploy));
    auto list = store->deploys(u"web"_s);
    VERIFY_OK(list);
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().trigger, u"recovery"_s);
    QCOMPARE(list->first().error, deploy.error);
    QCOMPARE(list->first().errorCode, u"health-timeout"_s);

    // Saving again without an error (a null QString) stores '' for both.
    deploy.status = u"succeeded"_s;
    deploy.error = QString();
    deploy.errorCode = QString();
    VERIFY_OK(store->saveDeploy(deploy));
    list = store->deploys(u"web"_s);
    VERIFY_OK(list);
    QCOMPARE(list->first().error, QString());
    QCOMPARE(list->first().errorCode, QString());
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM deploys WHERE error_code = ''"_s).toInt(), 1);
}

void StoreTest::deploysAreNewestFirstAndLimited()
{
    auto store = openStore();
    QVERIFY(store);
    auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(alice);
    VERIFY_OK(store->createApp(alice->id, fullSpec(u"web"_s), u"local"_s));
    for (int i = 0; i < 5; ++i)
        VERIFY_OK(store->startDeploy(u"web"_s, u"rebuild"_s));
    const auto numbers = [](const QList<DeployRecord> &list) {
        QList<int> result;
        for (const auto &deploy : list)
            result.append(deploy.number);
        return result;
    };
    auto two = store->deploys(u"web"_s, 2);
    VERIFY_OK(two);
    QCOMPARE(numbers(*two), (QList<int>{5, 4}));
    auto all = store->deploys(u"web"_s, 0);
    VERIFY_OK(all);
    QCOMPARE(numbers(*all), (QList<int>{5, 4, 3, 2, 1}));
    auto byDefault = store->deploys(u"web"_s);
    VERIFY_OK(byDefault);
    QCOMPARE(byDefault->size(), 5);
}

// ---- schema and lifetime ---------------------------------------------------------------------

void StoreTest::reopeningKeepsDataAndAppliesNoMigrationTwice()
{
    qint64 aliceId = 0;
    {
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), Store::latestSchemaVersion());
        auto alice = store->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
        VERIFY_OK(alice);
        aliceId = alice->id;
        VERIFY_OK(store->createToken(aliceId, "tok", msNow().addDays(1)));
        VERIFY_OK(store->createApp(aliceId, fullSpec(u"web"_s), u"local"_s));
        VERIFY_OK(store->startDeploy(u"web"_s, u"create"_s));
    }
    for (int round = 0; round < 2; ++round) {
        auto store = openStore(u"reopen-%1"_s.arg(round));
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), Store::latestSchemaVersion());
        auto user = store->userByName(u"alice"_s);
        VERIFY_OK(user);
        QCOMPARE(user->id, aliceId);
        QVERIFY(user->admin);
        VERIFY_OK(store->userByToken("tok", msNow()));
        auto app = store->app(u"web"_s);
        VERIFY_OK(app);
        compareSpecs(app->spec, fullSpec(u"web"_s));
        auto deploys = store->deploys(u"web"_s);
        VERIFY_OK(deploys);
        QCOMPARE(deploys->size(), 1);
    }
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM schema_version"_s).toInt(), Store::migrationCount());
    if (isSqlite()) {
        QCOMPARE(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
    }
}

void StoreTest::version1DatabaseMigratesKeepingItsRows()
{
    // A database as gasperd with schema version 1 left it: the exact v1 DDL (frozen here on
    // purpose, it must not follow later migrations), the schema_version table, one row each.
    const QString idType = isSqlite() ? u"INTEGER PRIMARY KEY AUTOINCREMENT"_s
                                      : u"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"_s;
    const QString blobType = isSqlite() ? u"BLOB"_s : u"BYTEA"_s;
    const QStringList v1{
        u"CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
        " description TEXT NOT NULL, applied_at BIGINT NOT NULL)"_s,
        u"CREATE TABLE users ("
        " id %ID%,"
        " username TEXT NOT NULL UNIQUE,"
        " email TEXT NOT NULL,"
        " password_hash TEXT NOT NULL,"
        " admin INTEGER NOT NULL DEFAULT 0,"
        " created_at BIGINT NOT NULL)"_s,
        u"CREATE UNIQUE INDEX users_email_key ON users (lower(email))"_s,
        u"CREATE TABLE tokens ("
        " token_hash TEXT PRIMARY KEY,"
        " user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
        " expires_at BIGINT NOT NULL,"
        " created_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX tokens_user_id ON tokens (user_id)"_s,
        u"CREATE INDEX tokens_expires_at ON tokens (expires_at)"_s,
        u"CREATE TABLE apps ("
        " id %ID%,"
        " name TEXT NOT NULL UNIQUE,"
        " owner_id BIGINT NOT NULL REFERENCES users (id),"
        " language TEXT NOT NULL,"
        " git_url TEXT NOT NULL,"
        " git_branch TEXT NOT NULL DEFAULT '',"
        " git_token_sealed %BLOB%,"
        " build_json TEXT NOT NULL DEFAULT '[]',"
        " run_command TEXT NOT NULL DEFAULT '',"
        " port INTEGER NOT NULL,"
        " env_sealed %BLOB%,"
        " memory_mb INTEGER NOT NULL DEFAULT 0,"
        " cpus DOUBLE PRECISION NOT NULL DEFAULT 0,"
        " state TEXT NOT NULL,"
        " node TEXT NOT NULL DEFAULT '',"
        " container_id TEXT NOT NULL DEFAULT '',"
        " host_port INTEGER NOT NULL DEFAULT 0,"
        " restarts INTEGER NOT NULL DEFAULT 0,"
        " last_error TEXT NOT NULL DEFAULT '',"
        " created_at BIGINT NOT NULL,"
        " updated_at BIGINT NOT NULL)"_s,
        u"CREATE INDEX apps_owner_id ON apps (owner_id)"_s,
        u"CREATE TABLE deploys ("
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
        " UNIQUE (app_id, number))"_s,
        u"INSERT INTO schema_version (version, description, applied_at)"
        " VALUES (1, 'users, tokens, apps, deploys', 1700000000000)"_s,
    };
    const AppSpec spec = fullSpec(u"legacy"_s);
    {
        if (isSqlite())
            QVERIFY(QDir().mkpath(QFileInfo(m_sqliteFile).absolutePath()));
        RawDb raw(m_url);
        QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
        for (QString sql : v1) {
            sql.replace(u"%ID%"_s, idType).replace(u"%BLOB%"_s, blobType);
            QVERIFY2(raw.execBound(sql, {}), qPrintable(sql));
        }
        // Ids come from the engine (no literals), so later inserts through the Store do not collide.
        QVERIFY(raw.execBound(u"INSERT INTO users (username, email, password_hash, admin, created_at)"
                              " VALUES ('alice', 'alice@example.org', 'h', 1, 1700000000000)"_s,
                              {}));
        QVERIFY(raw.execBound(u"INSERT INTO apps (name, owner_id, language, git_url, git_branch, git_token_sealed,"
                              " build_json, run_command, port, env_sealed, memory_mb, cpus, state, node,"
                              " container_id, host_port, restarts, last_error, created_at, updated_at)"
                              " VALUES (?, (SELECT id FROM users WHERE username = 'alice'), ?, ?, ?, ?, '[]', ?, ?, ?,"
                              " 0, 0, 'failed', 'local', 'c0ffee', 49153, 3, 'the build failed', 1700000000000,"
                              " 1700000000001)"_s,
                              {spec.name, spec.language, spec.git.url, spec.git.branch,
                               m_secrets->seal(spec.git.token.toUtf8()), spec.run, spec.port,
                               m_secrets->seal(R"({"K":"v"})")}));
        QVERIFY(raw.execBound(u"INSERT INTO deploys (app_id, number, trigger_kind, status, error, started_at,"
                              " finished_at, total_ms)"
                              " VALUES ((SELECT id FROM apps WHERE name = 'legacy'), 1, 'create', 'failed',"
                              " 'the build failed', 1700000000000, 1700000000500, 500)"_s,
                              {}));
    }

    auto store = openStore();
    QVERIFY(store);
    QCOMPARE(store->schemaVersion(), Store::latestSchemaVersion());
    QVERIFY(Store::latestSchemaVersion() >= 2);
    auto user = store->userByName(u"alice"_s);
    VERIFY_OK(user);
    QVERIFY(user->admin);
    auto app = store->app(u"legacy"_s);
    VERIFY_OK(app);
    QCOMPARE(app->spec.git.token, spec.git.token);
    QCOMPARE(app->spec.env, (QMap<QString, QString>{{u"K"_s, u"v"_s}}));
    QCOMPARE(app->spec.run, spec.run);
    QCOMPARE(gasper::toString(app->state), gasper::toString(AppState::Failed));
    QCOMPARE(app->containerId, u"c0ffee"_s);
    QCOMPARE(app->restarts, 3);
    QCOMPARE(app->lastError, u"the build failed"_s);
    QCOMPARE(app->lastErrorCode, QString());
    QCOMPARE(app->updatedAt.toMSecsSinceEpoch(), Q_INT64_C(1700000000001));
    auto deploys = store->deploys(u"legacy"_s);
    VERIFY_OK(deploys);
    QCOMPARE(deploys->size(), 1);
    QCOMPARE(deploys->first().error, u"the build failed"_s);
    QCOMPARE(deploys->first().errorCode, QString());
    QCOMPARE(deploys->first().totalMs, qint64(500));

    // The migrated rows take the new fields, and new rows go in next to them.
    VERIFY_OK(store->setAppState(u"legacy"_s, AppState::Failed, u"the build failed again"_s, u"build-failed"_s));
    app = store->app(u"legacy"_s);
    VERIFY_OK(app);
    QCOMPARE(app->lastErrorCode, u"build-failed"_s);
    auto next = store->startDeploy(u"legacy"_s, u"rebuild"_s);
    VERIFY_OK(next);
    QCOMPARE(next->number, 2);
    next->status = u"failed"_s;
    next->error = u"the build failed again"_s;
    next->errorCode = u"build-failed"_s;
    VERIFY_OK(store->saveDeploy(*next));
    deploys = store->deploys(u"legacy"_s);
    VERIFY_OK(deploys);
    QCOMPARE(deploys->size(), 2);
    QCOMPARE(deploys->at(0).errorCode, u"build-failed"_s);
    QCOMPARE(deploys->at(1).errorCode, QString());
    VERIFY_OK(store->createApp(user->id, fullSpec(u"fresh"_s), u"local"_s));

    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM schema_version"_s).toInt(), Store::migrationCount());
    QCOMPARE(raw.scalar(u"SELECT applied_at FROM schema_version WHERE version = 1"_s).toLongLong(), Q_INT64_C(1700000000000));
}

void StoreTest::concurrentOpensMigrateOnce()
{
    // Several masters starting at once on an empty database.
    constexpr int Count = 3;
    std::array<std::optional<Result<std::unique_ptr<Store>>>, Count> results;
    std::array<std::unique_ptr<QThread>, Count> threads;
    const QString url = m_url;
    const SecretBox secrets = *m_secrets;
    for (int i = 0; i < Count; ++i) {
        threads[i].reset(QThread::create([&results, i, url, secrets] {
            results[i] = Store::open(url, secrets, u"concurrent-%1"_s.arg(i));
            // The connection belongs to this thread: close it here.
            if (results[i]->has_value())
                results[i]->value().reset();
        }));
        threads[i]->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(60000));
    for (const auto &result : results) {
        QVERIFY(result.has_value());
        if (!result->has_value())
            QFAIL(qPrintable(result->error().message));
    }
    RawDb raw(m_url);
    QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
    QCOMPARE(raw.scalar(u"SELECT COUNT(*) FROM schema_version"_s).toInt(), Store::migrationCount());
}

void StoreTest::newerSchemaThanBinaryIsRefused()
{
    {
        auto store = openStore();
        QVERIFY(store);
    }
    {
        RawDb raw(m_url);
        QVERIFY2(raw.isOpen(), qPrintable(raw.error()));
        raw.exec(u"INSERT INTO schema_version (version, description, applied_at) VALUES (%1, 'from the future', 0)"_s
                     .arg(Store::latestSchemaVersion() + 1));
    }
    auto store = Store::open(m_url, *m_secrets, u"future"_s);
    VERIFY_ERROR(store, u"store-error"_s);
    QVERIFY(store.error().message.contains(u"newer"_s));
    QVERIFY(!QSqlDatabase::contains(u"future"_s));  // a failed open leaves no connection behind
}

void StoreTest::inMemoryDatabaseWorks()
{
    auto store = Store::open(u"sqlite::memory:"_s, *m_secrets, u"memory"_s);
    VERIFY_OK(store);
    QCOMPARE((*store)->engine(), u"sqlite"_s);
    auto user = (*store)->createUser(u"alice"_s, u"alice@example.org"_s, u"h"_s);
    VERIFY_OK(user);
    QVERIFY(user->admin);
    VERIFY_OK((*store)->createApp(user->id, fullSpec(u"web"_s), u"local"_s));
    auto app = (*store)->app(u"web"_s);
    VERIFY_OK(app);
    compareSpecs(app->spec, fullSpec(u"web"_s));
}

void StoreTest::badUrlsAreRefusedWithoutLeakingPasswords_data()
{
    QTest::addColumn<QString>("url");
    QTest::newRow("empty") << QString();
    QTest::newRow("unknown scheme") << u"mysql://u:TopSecretPw@127.0.0.1/db"_s;
    QTest::newRow("relative sqlite path") << u"sqlite://relative/gasper.db"_s;
    QTest::newRow("postgres without database") << u"postgresql://u:TopSecretPw@127.0.0.1:5432"_s;
    QTest::newRow("postgres without host") << u"postgresql:///db"_s;
    // Port 1 on loopback refuses at once: a connection error that must not echo the password.
    QTest::newRow("postgres unreachable") << u"postgresql://u:TopSecretPw@127.0.0.1:1/db"_s;
}

void StoreTest::badUrlsAreRefusedWithoutLeakingPasswords()
{
    QFETCH(QString, url);
    auto store = Store::open(url, *m_secrets, u"bad"_s);
    VERIFY_ERROR(store, u"store-error"_s);
    QVERIFY(!store.error().message.isEmpty());
    QVERIFY2(!store.error().message.contains(u"TopSecretPw"_s), qPrintable(store.error().message));
    QVERIFY(!QSqlDatabase::contains(u"bad"_s));
}

// ---- AsyncStore --------------------------------------------------------------------------------

void StoreTest::asyncStoreRunsTasksInOrderOnOneThread()
{
    auto opened = AsyncStore::open(m_url, keyPath());
    VERIFY_OK(opened);
    auto &async = *opened;
    QFETCH_GLOBAL(QString, engine);
    QCOMPARE(async->engine(), engine);

    // Only the store thread touches these until every task has finished.
    QList<int> order;
    QSet<QThread *> threads;
    QList<QFuture<int>> futures;
    for (int i = 0; i < 40; ++i) {
        futures.append(async->run([i, &order, &threads](Store &store) {
            order.append(i);
            threads.insert(QThread::currentThread());
            if (i % 10 == 0) {
                auto user = store.createUser(u"user%1"_s.arg(i), u"user%1@example.org"_s.arg(i), u"h"_s);
                return user ? int(user->id) : -1;
            }
            return i;
        }));
    }
    // Waiting on a QPromise future must not pull the task onto this thread.
    auto last = async->run([](Store &store) { return store.userByName(u"user30"_s); });
    last.waitForFinished();
    QVERIFY(last.result().has_value());
    for (auto &future : futures)
        future.waitForFinished();

    QList<int> expected(40);
    std::iota(expected.begin(), expected.end(), 0);
    QCOMPARE(order, expected);
    QCOMPARE(threads.size(), 1);
    QVERIFY(*threads.begin() != QThread::currentThread());
    for (int i = 0; i < 40; i += 10)
        QVERIFY(futures.at(i).result() > 0);

    // Results come back to a context object's thread through .then().
    bool continued = false;
    QThread *continuationThread = nullptr;
    async->run([](Store &store) { return store.countApps(1); })
        .then(this, [&](const Result<int> &count) {
            continued = count.has_value() && *count == 0;
            continuationThread = QThread::currentThread();
        });
    QTRY_VERIFY(continued);
    QCOMPARE(continuationThread, QThread::currentThread());

    // Move-only state may travel into a task.
    auto owned = std::make_unique<QString>(u"alice"_s);
    auto moved = async->run([owned = std::move(owned)](Store &store) { return store.userByName(u"user0"_s).has_value() && *owned == u"alice"_s; });
    QVERIFY(moved.result());

    auto voidTask = async->run([](Store &) {});
    voidTask.waitForFinished();
    QVERIFY(voidTask.isFinished());
}

void StoreTest::asyncStoreReportsOpenFailure()
{
    auto badUrl = AsyncStore::open(u"mysql://nope"_s, keyPath());
    VERIFY_ERROR(badUrl, u"store-error"_s);
    const QString badKey = m_dir.path() + u"/bad-key-%1"_s.arg(m_testNumber);
    QFile file(badKey);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write("short");
    file.close();
    auto badKeyStore = AsyncStore::open(m_url, badKey);
    VERIFY_ERROR(badKeyStore, u"store-error"_s);
}

void StoreTest::concurrentRegistrationsMakeExactlyOneAdmin()
{
    // Two stores on the same database (two masters, or two connections), registering at once.
    auto first = AsyncStore::open(m_url, keyPath());
    VERIFY_OK(first);
    auto second = AsyncStore::open(m_url, keyPath());
    VERIFY_OK(second);
    QList<QFuture<Result<User>>> futures;
    for (int i = 0; i < 6; ++i) {
        AsyncStore &target = i % 2 ? **second : **first;
        futures.append(target.run([i](Store &store) {
            return store.createUser(u"user%1"_s.arg(i), u"user%1@example.org"_s.arg(i), u"h"_s);
        }));
    }
    // Two try the same name at once: exactly one wins.
    futures.append((*first)->run([](Store &store) { return store.createUser(u"twin"_s, u"t1@example.org"_s, u"h"_s); }));
    futures.append((*second)->run([](Store &store) { return store.createUser(u"twin"_s, u"t2@example.org"_s, u"h"_s); }));
    int admins = 0, created = 0, taken = 0;
    for (auto &future : futures) {
        future.waitForFinished();
        const Result<User> user = future.result();
        if (user) {
            ++created;
            admins += user->admin ? 1 : 0;
        } else {
            QCOMPARE(user.error().code, u"username-taken"_s);
            ++taken;
        }
    }
    QCOMPARE(created, 7);
    QCOMPARE(taken, 1);
    QCOMPARE(admins, 1);
}

// ---- SecretBox ---------------------------------------------------------------------------------

void StoreTest::secretBoxSealsAndOpens()
{
    const SecretBox &box = *m_secrets;
    for (const QByteArray &plain : {QByteArray(), QByteArray("x"), QByteArray("token\0with\0nul", 14),
                                    QByteArray(100000, 'a')}) {
        const QByteArray sealed = box.seal(plain);
        QCOMPARE(sealed.size(), plain.size() + 40);  // 24-byte nonce + 16-byte MAC
        auto opened = box.open(sealed);
        VERIFY_OK(opened);
        QCOMPARE(*opened, plain);
    }
    // A fresh nonce every time: equal secrets do not look equal at rest.
    QVERIFY(box.seal("same") != box.seal("same"));
}

void StoreTest::secretBoxRejectsTamperingAndWrongKey()
{
    const SecretBox &box = *m_secrets;
    const QByteArray sealed = box.seal("ghp_secret");
    for (qsizetype i : {qsizetype(0), qsizetype(30), sealed.size() - 1}) {
        QByteArray tampered = sealed;
        tampered[i] = char(tampered[i] ^ 0x01);
        VERIFY_ERROR(box.open(tampered), u"secret-invalid"_s);
    }
    VERIFY_ERROR(box.open(sealed.left(39)), u"secret-invalid"_s);
    VERIFY_ERROR(box.open(QByteArray()), u"secret-invalid"_s);
    auto other = SecretBox::fromKey(QByteArray(32, '\x07'));
    VERIFY_OK(other);
    VERIFY_ERROR(other->open(sealed), u"secret-invalid"_s);
    VERIFY_ERROR(SecretBox::fromKey("too short"), u"store-error"_s);
}

void StoreTest::keyFileIsCreatedPrivateAndReused()
{
    const QString path = m_dir.path() + u"/keys-%1/nested/secret.key"_s.arg(m_testNumber);
    auto created = SecretBox::loadOrCreate(path);
    VERIFY_OK(created);
    struct stat st{};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    QCOMPARE(QFileInfo(path).size(), qint64(SecretBox::KeyBytes));
    QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temp left

    const QByteArray sealed = created->seal("kept across restarts");
    auto reloaded = SecretBox::loadOrCreate(path);
    VERIFY_OK(reloaded);
    auto opened = reloaded->open(sealed);
    VERIFY_OK(opened);
    QCOMPARE(*opened, QByteArray("kept across restarts"));
}

void StoreTest::malformedKeyFileIsRefused()
{
    const QString path = m_dir.path() + u"/malformed-%1.key"_s.arg(m_testNumber);
    for (const QByteArray &content : {QByteArray(), QByteArray(31, 'k'), QByteArray(33, 'k')}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        file.write(content);
        file.close();
        auto box = SecretBox::loadOrCreate(path);
        VERIFY_ERROR(box, u"store-error"_s);
        QCOMPARE(QFileInfo(path).size(), content.size());  // never silently replaced
    }
}

void StoreTest::keyFileOpenToOthersIsWarnedAbout()
{
    const QString path = m_dir.path() + u"/open-%1.key"_s.arg(m_testNumber);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(SecretBox::KeyBytes, 'k'));
    file.close();
    QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"secret key file .* accessible to other users"_s));
    VERIFY_OK(SecretBox::loadOrCreate(path));
}

QTEST_GUILESS_MAIN(StoreTest)
#include "tst_store.moc"
