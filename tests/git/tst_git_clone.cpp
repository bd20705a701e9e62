// SPDX-License-Identifier: MIT
// gasper::git::clone against real repositories made by the git CLI, served from disk and by a
// real smart-HTTP server (git http-backend) on 127.0.0.1, with and without a token.
#include "git/GitClone.h"
#include "support/GitFixtures.h"

#include <QDir>
#include <QMutex>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using gasper::testing::FileMap;
using gasper::testing::GitHttpServer;

namespace {

const QString Token = u"s3cr3t-T0ken-42"_s;
const QString WrongToken = u"wr0ng-T0ken-99"_s;

// Where a row clones from; resolved in the test so rows need no running server.
enum class Source {
    LocalPath,
    FileUrl,
    Http,             // open server
    HttpWithToken,    // server that requires Token
    HttpTokenInUrl,   // token server, credentials in the URL (user:Token@)
    HttpWrongInUrl,   // token server, wrong password in the URL
    MissingLocalPath,
    NotARepository,   // an existing directory without .git
    MissingFileUrl,
    Http404,
    UnreachablePort,
    InvalidUrl,
};

// Collects every log message while alive (and still passes them on), to prove that no
// secret reaches a log line.
class LogCapture
{
public:
    LogCapture() { s_current = this; m_previous = qInstallMessageHandler(&LogCapture::handler); }
    ~LogCapture() { qInstallMessageHandler(m_previous); s_current = nullptr; }
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;

    QStringList lines() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lines;
    }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (LogCapture *self = s_current) {
            {
                QMutexLocker lock(&self->m_mutex);
                self->m_lines << message;
            }
            self->m_previous(type, context, message);
        }
    }

    static inline LogCapture *s_current = nullptr;
    QtMessageHandler m_previous = nullptr;
    mutable QMutex m_mutex;
    QStringList m_lines;
};

bool anyContains(const QStringList &lines, const QString &secret)
{
    return std::any_of(lines.cbegin(), lines.cend(), [&](const QString &l) { return l.contains(secret); });
}

QStringList entriesOf(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

} // namespace

class TestGitClone final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void cloneChecksOutRequestedBranchAtSourceCommit_data();
    void cloneChecksOutRequestedBranchAtSourceCommit();
    void cloneOfNamedBranchFetchesOnlyThatBranch();
    void cloneOfACommitChecksItOutWhicheverBranchHoldsIt_data();
    void cloneOfACommitChecksItOutWhicheverBranchHoldsIt();
    void cloneOfAMissingCommitFailsAndRemovesWhatItCreated_data();
    void cloneOfAMissingCommitFailsAndRemovesWhatItCreated();
    void cloneOfLocalPathHardlinksObjects();
    void failedCloneHasStableCodeRemovesWhatItCreatedAndHidesToken_data();
    void failedCloneHasStableCodeRemovesWhatItCreatedAndHidesToken();
    void cloneIntoNonEmptyDestinationFailsWithoutTouchingIt();
    void cloneIntoExistingEmptyDirectoryWorksAndFailureLeavesItEmpty();
    void cloneSlowerThanTimeoutIsAbortedAsNetworkError();
    void cloneFutureDeliversResultOnContextThread();
    void cancelledCloneStopsAndRemovesDestination();

private:
    QString url(Source source) const;
    QString newDestination(const QString &tag) { return m_tmp.filePath(u"out/%1-%2"_s.arg(tag).arg(++m_counter)); }

    QTemporaryDir m_tmp;
    QString m_root;      // served directory
    QString m_app;       // <root>/app, branches main and feature
    QString m_mainSha;
    QString m_featureSha;
    GitHttpServer m_open;
    GitHttpServer m_locked; // --token Token
    GitHttpServer m_slow;   // throttled
    quint16 m_deadPort = 0;
    int m_counter = 0;
};

void TestGitClone::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_root = m_tmp.filePath(u"srv"_s);
    m_app = m_root + u"/app"_s;

    auto main = gasper::testing::createRepository(
        m_app, FileMap{{u"README.md"_s, "# app\n"}, {u"src/main.py"_s, "print('hello')\n"}},
        u"Add the app\n\nWith a body that is not the summary."_s);
    QVERIFY2(main.has_value(), qPrintable(gasper::testing::errorText(main)));
    m_mainSha = *main;
    auto feature = gasper::testing::addBranch(m_app, u"feature"_s, FileMap{{u"feature.txt"_s, "on feature\n"}},
                                              u"Feature work"_s);
    QVERIFY2(feature.has_value(), qPrintable(gasper::testing::errorText(feature)));
    m_featureSha = *feature;
    QVERIFY(m_featureSha != m_mainSha);

    // A megabyte of incompressible data, for the slow-server tests.
    FileMap big;
    for (int i = 0; i < 8; ++i) {
        QByteArray data(128 * 1024, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        big.insert(u"blob-%1.bin"_s.arg(i), data);
    }
    auto bigRepo = gasper::testing::createRepository(m_root + u"/big"_s, big);
    QVERIFY2(bigRepo.has_value(), qPrintable(gasper::testing::errorText(bigRepo)));

    QDir().mkpath(m_tmp.filePath(u"not-a-repo"_s));

    auto open = m_open.start(m_root);
    QVERIFY2(open.has_value(), qPrintable(gasper::testing::errorText(open)));
    auto locked = m_locked.start(m_root, {.token = Token});
    QVERIFY2(locked.has_value(), qPrintable(gasper::testing::errorText(locked)));
    auto slow = m_slow.start(m_root, {.throttleMs = 25});
    QVERIFY2(slow.has_value(), qPrintable(gasper::testing::errorText(slow)));

    // A port nobody listens on: bind, remember, close.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_deadPort = probe.serverPort();
    probe.close();
}

void TestGitClone::cleanupTestCase()
{
    m_open.stop();
    m_locked.stop();
    m_slow.stop();
}

QString TestGitClone::url(Source source) const
{
    switch (source) {
    case Source::LocalPath: return m_app;
    case Source::FileUrl: return QUrl::fromLocalFile(m_app).toString();
    case Source::Http: return m_open.repoUrl(u"app"_s);
    case Source::HttpWithToken: return m_locked.repoUrl(u"app"_s);
    case Source::HttpTokenInUrl: return m_locked.repoUrl(u"app"_s, u"deploy"_s, Token);
    case Source::HttpWrongInUrl: return m_locked.repoUrl(u"app"_s, u"deploy"_s, WrongToken);
    case Source::MissingLocalPath: return m_tmp.filePath(u"no/such/repo"_s);
    case Source::NotARepository: return m_tmp.filePath(u"not-a-repo"_s);
    case Source::MissingFileUrl: return QUrl::fromLocalFile(m_tmp.filePath(u"no/such/repo"_s)).toString();
    case Source::Http404: return m_open.repoUrl(u"no-such-repo"_s);
    case Source::UnreachablePort: return u"http://127.0.0.1:%1/app"_s.arg(m_deadPort);
    case Source::InvalidUrl: return u"ftp://127.0.0.1/app"_s;
    }
    return {};
}

void TestGitClone::cloneChecksOutRequestedBranchAtSourceCommit_data()
{
    QTest::addColumn<Source>("source");
    QTest::addColumn<QString>("branch");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("expectedBranch");

    QTest::newRow("local path, default branch") << Source::LocalPath << QString() << QString() << u"main"_s;
    QTest::newRow("local path, feature") << Source::LocalPath << u"feature"_s << QString() << u"feature"_s;
    QTest::newRow("file url, default branch") << Source::FileUrl << QString() << QString() << u"main"_s;
    QTest::newRow("file url, feature") << Source::FileUrl << u"feature"_s << QString() << u"feature"_s;
    QTest::newRow("http, default branch") << Source::Http << QString() << QString() << u"main"_s;
    QTest::newRow("http, main named") << Source::Http << u"main"_s << QString() << u"main"_s;
    QTest::newRow("http, feature") << Source::Http << u"feature"_s << QString() << u"feature"_s;
    QTest::newRow("http, token not needed") << Source::Http << QString() << Token << u"main"_s;
    QTest::newRow("http + token") << Source::HttpWithToken << QString() << Token << u"main"_s;
    QTest::newRow("http + token, feature") << Source::HttpWithToken << u"feature"_s << Token << u"feature"_s;
    QTest::newRow("http, token in url") << Source::HttpTokenInUrl << QString() << QString() << u"main"_s;
    // libgit2 tries the URL's credentials first; once rejected, the token answers.
    QTest::newRow("http, wrong password in url, token") << Source::HttpWrongInUrl << QString() << Token << u"main"_s;
}

void TestGitClone::cloneChecksOutRequestedBranchAtSourceCommit()
{
    QFETCH(Source, source);
    QFETCH(QString, branch);
    QFETCH(QString, token);
    QFETCH(QString, expectedBranch);

    const QString destination = newDestination(u"ok"_s);
    LogCapture log;
    const auto result = gasper::git::cloneBlocking({.url = url(source), .branch = branch, .token = token,
                                                    .destination = destination});
    QVERIFY2(result.has_value(), qPrintable(gasper::testing::errorText(result)));
    QVERIFY(!log.lines().isEmpty());
    QVERIFY2(!anyContains(log.lines(), Token), "the token reached a log line");

    const auto sourceSha = gasper::testing::revParse(m_app, expectedBranch);
    QVERIFY(sourceSha.has_value());
    QCOMPARE(result->commit, *sourceSha);
    QCOMPARE(result->commit.size(), 40);
    QCOMPARE(result->branch, expectedBranch);
    QCOMPARE(result->message, expectedBranch == u"main"_s ? u"Add the app"_s : u"Feature work"_s);
    QVERIFY(result->ms >= 0);

    // What the clone checked out is the source's commit and work tree.
    QCOMPARE(gasper::testing::revParse(destination).value_or(QString()), *sourceSha);
    QCOMPARE(gasper::testing::runGit(destination, {u"symbolic-ref"_s, u"--short"_s, u"HEAD"_s}).value_or(QString()),
             expectedBranch);
    QVERIFY(QFile::exists(destination + u"/src/main.py"_s));
    QCOMPARE(QFile::exists(destination + u"/feature.txt"_s), expectedBranch == u"feature"_s);
    QCOMPARE(gasper::testing::runGit(destination, {u"status"_s, u"--porcelain"_s}).value_or(u"?"_s), QString());
}

// A rollback: the commit of an earlier deploy, whatever the branch's head is now, even when
// only another branch still holds it.
void TestGitClone::cloneOfACommitChecksItOutWhicheverBranchHoldsIt_data()
{
    QTest::addColumn<Source>("source");
    QTest::addColumn<QString>("branch");
    QTest::addColumn<bool>("feature");  // the commit: feature's head, else main's
    QTest::newRow("http, main's commit on main") << Source::Http << u"main"_s << false;
    QTest::newRow("http, feature's commit asked on main") << Source::Http << u"main"_s << true;
    QTest::newRow("http, default branch, feature's commit") << Source::Http << QString() << true;
    QTest::newRow("file url, main's commit on feature") << Source::FileUrl << u"feature"_s << false;
    QTest::newRow("local path, feature's commit on main") << Source::LocalPath << u"main"_s << true;
}
void TestGitClone::cloneOfACommitChecksItOutWhicheverBranchHoldsIt()
{
    QFETCH(Source, source);
    QFETCH(QString, branch);
    QFETCH(bool, feature);
    const QString commit = feature ? m_featureSha : m_mainSha;
    const QString destination = newDestination(u"pinned"_s);
    const auto result = gasper::git::cloneBlocking({.url = url(source), .branch = branch, .commit = commit,
                                                    .destination = destination});
    QVERIFY2(result.has_value(), qPrintable(gasper::testing::errorText(result)));
    QCOMPARE(result->commit, commit);
    QCOMPARE(gasper::testing::revParse(destination).value_or(QString()), commit);
    QCOMPARE(QFile::exists(destination + u"/feature.txt"_s), feature);
    QCOMPARE(gasper::testing::runGit(destination, {u"status"_s, u"--porcelain"_s}).value_or(u"?"_s), QString());
}

void TestGitClone::cloneOfAMissingCommitFailsAndRemovesWhatItCreated_data()
{
    QTest::addColumn<QString>("commit");
    QTest::addColumn<QString>("message");
    QTest::newRow("no branch holds it") << u"0123456789abcdef0123456789abcdef01234567"_s << u"commit 0123456789ab is not in"_s;
    QTest::newRow("abbreviated") << u"0123456"_s << u"'0123456' is not a full commit id"_s;
    QTest::newRow("upper case") << u"0123456789ABCDEF0123456789ABCDEF01234567"_s << u"is not a full commit id"_s;
}
void TestGitClone::cloneOfAMissingCommitFailsAndRemovesWhatItCreated()
{
    QFETCH(QString, commit);
    QFETCH(QString, message);
    const QString destination = newDestination(u"gone"_s);
    const auto result = gasper::git::cloneBlocking({.url = url(Source::Http), .branch = u"main"_s, .commit = commit,
                                                    .destination = destination});
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, u"git-commit-not-found"_s);
    QVERIFY2(result.error().message.contains(message), qPrintable(result.error().message));
    QVERIFY(!QFileInfo::exists(destination));
}

void TestGitClone::cloneOfNamedBranchFetchesOnlyThatBranch()
{
    const QString destination = newDestination(u"single"_s);
    const auto result = gasper::git::cloneBlocking({.url = url(Source::Http), .branch = u"feature"_s,
                                                    .destination = destination});
    QVERIFY2(result.has_value(), qPrintable(gasper::testing::errorText(result)));
    const auto feature = gasper::testing::runGit(destination, {u"rev-parse"_s, u"--verify"_s, u"-q"_s,
                                                               u"refs/remotes/origin/feature"_s});
    QCOMPARE(feature.value_or(QString()), m_featureSha);
    const auto main = gasper::testing::runGit(destination, {u"rev-parse"_s, u"--verify"_s, u"-q"_s,
                                                            u"refs/remotes/origin/main"_s});
    QVERIFY2(!main.has_value(), "main was fetched although only feature was asked for");
}

void TestGitClone::cloneOfLocalPathHardlinksObjects()
{
    // The local fast path: objects are hardlinked, not copied or sent through a transport.
    const QString destination = newDestination(u"hardlink"_s);
    const auto result = gasper::git::cloneBlocking({.url = m_app, .destination = destination});
    QVERIFY2(result.has_value(), qPrintable(gasper::testing::errorText(result)));
    const QString object = u"/.git/objects/%1/%2"_s.arg(result->commit.left(2), result->commit.mid(2));
    struct stat source {};
    struct stat cloned {};
    QCOMPARE(::stat(QFile::encodeName(m_app + object).constData(), &source), 0);
    QCOMPARE(::stat(QFile::encodeName(destination + object).constData(), &cloned), 0);
    QCOMPARE(cloned.st_ino, source.st_ino);
}

void TestGitClone::failedCloneHasStableCodeRemovesWhatItCreatedAndHidesToken_data()
{
    QTest::addColumn<Source>("source");
    QTest::addColumn<QString>("branch");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions"); // the message must contain this

    QTest::newRow("missing local path") << Source::MissingLocalPath << QString() << Token << u"git-not-found"_s << u"no/such/repo"_s;
    QTest::newRow("directory is not a repository") << Source::NotARepository << QString() << Token << u"git-not-found"_s << u"not-a-repo"_s;
    QTest::newRow("missing file url") << Source::MissingFileUrl << QString() << Token << u"git-not-found"_s << u"no/such/repo"_s;
    QTest::newRow("http 404") << Source::Http404 << QString() << Token << u"git-not-found"_s << u"no-such-repo"_s;
    QTest::newRow("local, unknown branch") << Source::LocalPath << u"nope-branch"_s << Token << u"git-branch-not-found"_s << u"nope-branch"_s;
    QTest::newRow("file url, unknown branch") << Source::FileUrl << u"nope-branch"_s << Token << u"git-branch-not-found"_s << u"nope-branch"_s;
    QTest::newRow("http, unknown branch") << Source::Http << u"nope-branch"_s << Token << u"git-branch-not-found"_s << u"nope-branch"_s;
    QTest::newRow("http + token, unknown branch") << Source::HttpWithToken << u"nope-branch"_s << Token << u"git-branch-not-found"_s << u"nope-branch"_s;
    QTest::newRow("invalid branch name") << Source::Http << u"bad..name"_s << Token << u"git-branch-not-found"_s << u"bad..name"_s;
    QTest::newRow("http, token missing") << Source::HttpWithToken << QString() << QString() << u"git-auth-failed"_s << u"127.0.0.1"_s;
    QTest::newRow("http, wrong token") << Source::HttpWithToken << QString() << WrongToken << u"git-auth-failed"_s << u"127.0.0.1"_s;
    QTest::newRow("http, wrong password in url") << Source::HttpWrongInUrl << QString() << QString() << u"git-auth-failed"_s << u"127.0.0.1"_s;
    QTest::newRow("unreachable port") << Source::UnreachablePort << QString() << Token << u"git-network"_s << u"127.0.0.1"_s;
    QTest::newRow("unsupported scheme") << Source::InvalidUrl << QString() << Token << u"git-invalid-url"_s << u"ftp://"_s;
}

void TestGitClone::failedCloneHasStableCodeRemovesWhatItCreatedAndHidesToken()
{
    QFETCH(Source, source);
    QFETCH(QString, branch);
    QFETCH(QString, token);
    QFETCH(QString, code);
    QFETCH(QString, mentions);

    // Two directory levels that do not exist yet: a failure must remove both.
    const QString top = newDestination(u"fail"_s);
    const QString destination = top + u"/nested/dest"_s;
    LogCapture log;
    const auto result = gasper::git::cloneBlocking({.url = url(source), .branch = branch, .token = token,
                                                    .destination = destination});
    QVERIFY2(!result.has_value(), "the clone should have failed");
    QVERIFY2(!anyContains(log.lines(), Token), "the token reached a log line");
    QVERIFY2(!anyContains(log.lines(), WrongToken), "the token reached a log line");
    QCOMPARE(result.error().code, code);
    QVERIFY2(result.error().message.contains(mentions), qPrintable(gasper::testing::errorText(result)));
    QVERIFY2(!result.error().message.contains(Token), qPrintable(gasper::testing::errorText(result)));
    QVERIFY2(!result.error().message.contains(WrongToken), qPrintable(gasper::testing::errorText(result)));
    QVERIFY2(!QFileInfo::exists(top), "a failed clone left its directories behind");
}

void TestGitClone::cloneIntoNonEmptyDestinationFailsWithoutTouchingIt()
{
    const QString destination = newDestination(u"nonempty"_s);
    QVERIFY(gasper::testing::writeFiles(destination, {{u"keep.txt"_s, "precious"}, {u"sub/x"_s, "y"}}));
    const QStringList before = entriesOf(destination);

    const auto result = gasper::git::cloneBlocking({.url = url(Source::LocalPath), .token = Token,
                                                    .destination = destination});
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, u"git-error"_s);
    QVERIFY2(result.error().message.contains(u"not empty"_s), qPrintable(gasper::testing::errorText(result)));
    QCOMPARE(entriesOf(destination), before);
    QFile keep(destination + u"/keep.txt"_s);
    QVERIFY(keep.open(QIODevice::ReadOnly));
    QCOMPARE(keep.readAll(), "precious");
}

void TestGitClone::cloneIntoExistingEmptyDirectoryWorksAndFailureLeavesItEmpty()
{
    const QString failing = newDestination(u"empty-fail"_s);
    QVERIFY(QDir().mkpath(failing));
    const auto failed = gasper::git::cloneBlocking({.url = url(Source::Http), .branch = u"nope"_s,
                                                    .destination = failing});
    QVERIFY(!failed.has_value());
    QCOMPARE(failed.error().code, u"git-branch-not-found"_s);
    QVERIFY2(QFileInfo(failing).isDir(), "an existing destination must survive a failed clone");
    QCOMPARE(entriesOf(failing), QStringList());

    const auto cloned = gasper::git::cloneBlocking({.url = url(Source::Http), .destination = failing});
    QVERIFY2(cloned.has_value(), qPrintable(gasper::testing::errorText(cloned)));
    QCOMPARE(cloned->commit, m_mainSha);
}

void TestGitClone::cloneSlowerThanTimeoutIsAbortedAsNetworkError()
{
    // The throttled server needs several seconds for the 1 MiB repository; 1 s is not enough.
    const QString destination = newDestination(u"timeout"_s);
    const auto result = gasper::git::cloneBlocking({.url = m_slow.repoUrl(u"big"_s), .destination = destination,
                                                    .timeoutSec = 1});
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, u"git-network"_s);
    QVERIFY2(result.error().message.contains(u"timed out"_s), qPrintable(gasper::testing::errorText(result)));
    QVERIFY(!QFileInfo::exists(destination));
}

void TestGitClone::cloneFutureDeliversResultOnContextThread()
{
    QObject context;
    std::optional<gasper::Result<gasper::git::CloneResult>> delivered;
    QThread *deliveredOn = nullptr;
    const QString destination = newDestination(u"future"_s);

    gasper::git::clone({.url = url(Source::HttpWithToken), .branch = u"feature"_s, .token = Token,
                        .destination = destination})
        .then(&context, [&](const gasper::Result<gasper::git::CloneResult> &result) {
            deliveredOn = QThread::currentThread();
            delivered = result;
        });

    QTRY_VERIFY_WITH_TIMEOUT(delivered.has_value(), 60000);
    QCOMPARE(deliveredOn, QThread::currentThread());
    QVERIFY2(delivered->has_value(), qPrintable(gasper::testing::errorText(*delivered)));
    QCOMPARE((*delivered)->commit, m_featureSha);
    QCOMPARE((*delivered)->branch, u"feature"_s);
}

void TestGitClone::cancelledCloneStopsAndRemovesDestination()
{
    const QString destination = newDestination(u"cancel"_s);
    auto future = gasper::git::clone({.url = m_slow.repoUrl(u"big"_s), .destination = destination});
    // The destination appears when the clone has started on its worker thread.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(destination) || future.isFinished(), 30000);
    future.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 60000);
    QVERIFY(future.isCanceled());
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(destination), 10000);
}

QTEST_GUILESS_MAIN(TestGitClone)
#include "tst_git_clone.moc"
