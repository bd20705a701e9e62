// SPDX-License-Identifier: MIT
// gasperctl without a server: every command line becomes the right request (method, path,
// JSON body) or a usage error; tables and app views print exactly; the credential file is
// private; --wait stops at the right moment; and the binary's exit codes that need no server
// hold. Talking to a real gasperd is tested in tests/integration (gasperctlDrivesTheApi).
#include "ApiClient.h"
#include "CommandLine.h"
#include "Commands.h"
#include "CredentialStore.h"
#include "Output.h"
#include "TableFormatter.h"
#include "WaitTracker.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace gasper::ctl;

namespace {

QStringList argv(const QString &line)
{
    // Rows quote with '…' for readability; splitCommand() knows only "…" and drops empty
    // arguments, so an empty one is written <empty>.
    QStringList args = QProcess::splitCommand(QString(line).replace(u'\'', u'"'));
    for (QString &a : args) {
        if (a == u"<empty>")
            a.clear();
    }
    return QStringList{u"gasperctl"_s} + args;
}

QByteArray compact(const std::optional<QJsonObject> &body)
{
    return body ? QJsonDocument(*body).toJson(QJsonDocument::Compact) : QByteArray();
}

mode_t modeOf(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

// A port on 127.0.0.1 that nothing listens on (bound, then released).
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 1;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

// Restores an environment variable when the test ends.
struct EnvGuard
{
    QByteArray name;
    QByteArray saved;
    bool wasSet;
    explicit EnvGuard(const char *n) : name(n), saved(qgetenv(n)), wasSet(qEnvironmentVariableIsSet(n)) {}
    ~EnvGuard() { wasSet ? qputenv(name.constData(), saved) : qunsetenv(name.constData()); }
};

} // namespace

class TestGasperctl : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // command line → request
    void commandBecomesRequest_data();
    void commandBecomesRequest();
    void badCommandLineIsUsageError_data();
    void badCommandLineIsUsageError();
    void globalOptionsWorkBeforeAndAfterTheCommand();
    void helpAndVersionAreNotErrors_data();
    void helpAndVersionAreNotErrors();
    void secretsGoIntoTheBodyNotTheCommandLine();
    void appNameIsOnePathSegmentWhateverItContains();
    void execWordsBecomeOneShellCommandLine_data();
    void execWordsBecomeOneShellCommandLine();

    // output
    void tableAlignsColumnsWithoutTrailingBlanks();
    void tableCellsCannotBreakTheTerminal();
    void durationsReadNaturally_data();
    void durationsReadNaturally();
    void agesReadNaturally_data();
    void agesReadNaturally();
    void appsTableHasTheDocumentedColumns();
    void deploysTableShowsPerStepTimings();
    void appViewListsEveryField();
    void hookViewHidesTheSecretUnlessAsked();

    // credentials and endpoint resolution
    void credentialsAreWrittenPrivateAndReadBack();
    void credentialsLooserFileIsTightenedOnSave();
    void credentialsMissingFileIsNoLoginAndCorruptFileIsAnError();
    void credentialsDefaultPathFollowsXdgConfigHome();
    void storedTokenIsOnlySentToTheApiThatIssuedIt();

    // --wait decisions
    void waitTrackerDecides_data();
    void waitTrackerDecides();
    void waitTrackerTrustsTheDeployHistoryForRebuildAndUpdate();

    // the API client without a server (its HTTP path runs against gasperd in tests/integration)
    void apiErrorBodyBecomesError_data();
    void apiErrorBodyBecomesError();
    void urlJoinsBaseAndPath();
    void refusedConnectionIsUnreachable();

    // the binary
    void binaryExitCodes_data();
    void binaryExitCodes();
    void failedLoginWritesNoCredentialsAndPrintsNoSecret();
};

void TestGasperctl::initTestCase()
{
    // Output renders times in local time; pin it so expected strings are stable.
    qputenv("TZ", "UTC");
    ::tzset();
}

// ---- command line → request ----------------------------------------------------------

void TestGasperctl::commandBecomesRequest_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("authenticated");
    QTest::addColumn<int>("secret");
    QTest::addColumn<bool>("wait");

    const int none = int(Secret::None), password = int(Secret::Password), gitToken = int(Secret::GitToken);
    QTest::newRow("register") << u"register alice alice@example.org"_s << "POST"_ba << u"/api/v1/auth/register"_s
                              << R"({"email":"alice@example.org","username":"alice"})"_ba << false << password << false;
    QTest::newRow("login") << u"login alice --password-stdin"_s << "POST"_ba << u"/api/v1/auth/login"_s
                           << R"({"username":"alice"})"_ba << false << password << false;
    QTest::newRow("logout") << u"logout"_s << "POST"_ba << u"/api/v1/auth/logout"_s << QByteArray() << true << none << false;
    QTest::newRow("whoami") << u"whoami"_s << "GET"_ba << u"/api/v1/users/me"_s << QByteArray() << true << none << false;
    QTest::newRow("apps") << u"apps"_s << "GET"_ba << u"/api/v1/apps"_s << QByteArray() << true << none << false;
    QTest::newRow("create minimal")
        << u"create web --language python --git https://example.org/r.git --run 'python app.py'"_s << "POST"_ba
        << u"/api/v1/apps"_s
        << R"({"build":[],"git":{"url":"https://example.org/r.git"},"language":"python","name":"web","run":"python app.py"})"_ba
        << true << none << false;
    QTest::newRow("create everything")
        << u"create web --language node --git https://example.org/r.git --branch dev --build 'npm ci' --build 'npm run build' "
           "--run 'node server.js' --port 3000 --env A=1 --env B=x=y --env A=2 --memory 256 --cpus 0.5 --wait"_s
        << "POST"_ba << u"/api/v1/apps"_s
        << R"({"build":["npm ci","npm run build"],"env":{"A":"2","B":"x=y"},"git":{"branch":"dev","url":"https://example.org/r.git"},)"
           R"("language":"node","name":"web","port":3000,"resources":{"cpus":0.5,"memory_mb":256},"run":"node server.js"})"_ba
        << true << none << true;
    QTest::newRow("create with git token")
        << u"create web --language go --git https://example.org/r.git --run ./app --token-stdin"_s << "POST"_ba
        << u"/api/v1/apps"_s
        << R"({"build":[],"git":{"url":"https://example.org/r.git"},"language":"go","name":"web","run":"./app"})"_ba << true
        << gitToken << false;
    QTest::newRow("create without run: the Procfile")
        << u"create web --language python --git https://example.org/r.git"_s << "POST"_ba << u"/api/v1/apps"_s
        << R"({"build":[],"git":{"url":"https://example.org/r.git"},"language":"python","name":"web"})"_ba << true << none << false;
    QTest::newRow("create with a health check")
        << u"create web --language python --git https://example.org/r.git --health-path /healthz --health-status 204 --health-timeout 20"_s
        << "POST"_ba << u"/api/v1/apps"_s
        << R"({"build":[],"git":{"url":"https://example.org/r.git"},"health":{"path":"/healthz","status":204,"timeout":20},"language":"python","name":"web"})"_ba
        << true << none << false;
    QTest::newRow("update back to the Procfile, new health path") << u"update web --no-run --health-path /up"_s << "PATCH"_ba
        << u"/api/v1/apps/web"_s << R"({"health":{"path":"/up"},"run":null})"_ba << true << none << false;
    QTest::newRow("update default health") << u"update web --no-health --wait"_s << "PATCH"_ba << u"/api/v1/apps/web"_s
        << R"({"health":null})"_ba << true << none << true;
    QTest::newRow("rollback") << u"rollback web --to 3"_s << "POST"_ba << u"/api/v1/apps/web/rollback"_s
        << R"({"deploy":3})"_ba << true << none << false;
    QTest::newRow("rollback wait") << u"rollback web --wait --to 12 --timeout 60"_s << "POST"_ba << u"/api/v1/apps/web/rollback"_s
        << R"({"deploy":12})"_ba << true << none << true;
    QTest::newRow("create, options before name")
        << u"create --run x --git g --language static site"_s << "POST"_ba << u"/api/v1/apps"_s
        << R"({"build":[],"git":{"url":"g"},"language":"static","name":"site","run":"x"})"_ba << true << none << false;
    QTest::newRow("get") << u"get web"_s << "GET"_ba << u"/api/v1/apps/web"_s << QByteArray() << true << none << false;
    QTest::newRow("logs") << u"logs web"_s << "GET"_ba << u"/api/v1/apps/web/logs"_s << QByteArray() << true << none << false;
    QTest::newRow("logs tail follow") << u"logs web --tail 50 -f"_s << "GET"_ba
                                      << u"/api/v1/apps/web/logs?tail=50&follow=1"_s << QByteArray() << true << none << false;
    QTest::newRow("logs follow long") << u"logs --follow web"_s << "GET"_ba << u"/api/v1/apps/web/logs?follow=1"_s
                                      << QByteArray() << true << none << false;
    QTest::newRow("logs tail all") << u"logs web --tail all"_s << "GET"_ba << u"/api/v1/apps/web/logs?tail=all"_s
                                   << QByteArray() << true << none << false;
    QTest::newRow("logs tail 0") << u"logs web --tail 0"_s << "GET"_ba << u"/api/v1/apps/web/logs?tail=0"_s
                                 << QByteArray() << true << none << false;
    QTest::newRow("logs since grep") << u"logs web --since 10m --grep GET&/x"_s << "GET"_ba
                                     << u"/api/v1/apps/web/logs?since=10m&grep=GET%26%2Fx"_s << QByteArray() << true << none << false;
    QTest::newRow("logs regex timestamps deploy") << u"logs web --grep ^GET --regex -t --deploy 3 -f"_s << "GET"_ba
                                                  << u"/api/v1/apps/web/logs?follow=1&grep=%5EGET&regex=1&timestamps=1&deploy=3"_s
                                                  << QByteArray() << true << none << false;
    QTest::newRow("logs deploy build") << u"logs web --deploy 2 --build"_s << "GET"_ba << u"/api/v1/apps/web/deploys/2/log"_s
                                       << QByteArray() << true << none << false;
    QTest::newRow("deploys") << u"deploys web"_s << "GET"_ba << u"/api/v1/apps/web/deploys"_s << QByteArray() << true
                             << none << false;
    QTest::newRow("rebuild") << u"rebuild web"_s << "POST"_ba << u"/api/v1/apps/web/rebuild"_s << QByteArray() << true
                             << none << false;
    QTest::newRow("rebuild wait") << u"rebuild web --wait"_s << "POST"_ba << u"/api/v1/apps/web/rebuild"_s << QByteArray()
                                  << true << none << true;
    QTest::newRow("restart") << u"restart web"_s << "POST"_ba << u"/api/v1/apps/web/restart"_s << QByteArray() << true
                             << none << false;
    QTest::newRow("stop") << u"stop web"_s << "POST"_ba << u"/api/v1/apps/web/stop"_s << QByteArray() << true << none << false;
    QTest::newRow("start wait") << u"start web --wait --timeout 30"_s << "POST"_ba << u"/api/v1/apps/web/start"_s
                                << QByteArray() << true << none << true;
    QTest::newRow("delete") << u"delete web"_s << "DELETE"_ba << u"/api/v1/apps/web"_s << QByteArray() << true << none << false;
    QTest::newRow("keys list") << u"keys list"_s << "GET"_ba << u"/api/v1/users/me/keys"_s << QByteArray() << true << none << false;
    QTest::newRow("keys add named") << u"keys add id.pub --name laptop"_s << "POST"_ba << u"/api/v1/users/me/keys"_s
                                    << R"({"name":"laptop"})"_ba << true << none << false;
    QTest::newRow("keys rm by fingerprint") << u"keys rm SHA256:ab/c+d"_s << "DELETE"_ba
                                            << u"/api/v1/users/me/keys/SHA256%3Aab%2Fc%2Bd"_s << QByteArray() << true << none << false;
    QTest::newRow("update run and env") << u"update web --run 'python main.py' --env DEBUG=1"_s << "PATCH"_ba
                                        << u"/api/v1/apps/web"_s << R"({"env":{"DEBUG":"1"},"run":"python main.py"})"_ba
                                        << true << none << false;
    QTest::newRow("update git") << u"update web --git https://example.org/new.git --branch main --wait"_s << "PATCH"_ba
                                << u"/api/v1/apps/web"_s << R"({"git":{"branch":"main","url":"https://example.org/new.git"}})"_ba
                                << true << none << true;
    QTest::newRow("update builds") << u"update web --build make --build 'make install'"_s << "PATCH"_ba
                                   << u"/api/v1/apps/web"_s << R"({"build":["make","make install"]})"_ba << true << none << false;
    QTest::newRow("update no builds") << u"update web --no-build"_s << "PATCH"_ba << u"/api/v1/apps/web"_s
                                      << R"({"build":[]})"_ba << true << none << false;
    QTest::newRow("update resources") << u"update web --memory 1024 --cpus 2"_s << "PATCH"_ba << u"/api/v1/apps/web"_s
                                      << R"({"resources":{"cpus":2,"memory_mb":1024}})"_ba << true << none << false;
    QTest::newRow("hooks") << u"hooks web"_s << "GET"_ba << u"/api/v1/apps/web/hooks"_s << QByteArray() << true << none << false;
    QTest::newRow("hooks show secret") << u"hooks web --show-secret"_s << "GET"_ba << u"/api/v1/apps/web/hooks"_s << QByteArray()
                                       << true << none << false;
    QTest::newRow("hooks rotate") << u"hooks web --rotate"_s << "POST"_ba << u"/api/v1/apps/web/hooks/rotate"_s << QByteArray()
                                  << true << none << false;
    QTest::newRow("hooks poll 60") << u"hooks web --poll 60"_s << "PATCH"_ba << u"/api/v1/apps/web/hooks"_s
                                   << R"({"poll_seconds":60})"_ba << true << none << false;
    QTest::newRow("hooks poll off") << u"hooks --poll off web"_s << "PATCH"_ba << u"/api/v1/apps/web/hooks"_s
                                    << R"({"poll_seconds":0})"_ba << true << none << false;
    QTest::newRow("update token only") << u"update web --token-stdin"_s << "PATCH"_ba << u"/api/v1/apps/web"_s
                                       << R"({"git":{}})"_ba << true << gitToken << false;
}

void TestGasperctl::commandBecomesRequest()
{
    QFETCH(QString, line);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, authenticated);
    QFETCH(int, secret);
    QFETCH(bool, wait);

    auto inv = parseCommandLine(argv(line));
    QVERIFY2(inv.has_value(), qPrintable(inv ? QString() : inv.error().message));
    QVERIFY(!inv->showHelp);
    QCOMPARE(inv->request.method, method);
    QCOMPARE(inv->request.path, path);
    QCOMPARE(compact(inv->request.body), body);
    QCOMPARE(inv->request.authenticated, authenticated);
    QCOMPARE(int(inv->secret), secret);
    QCOMPARE(inv->wait, wait);
    QCOMPARE(inv->request.streaming, inv->command == u"logs");
}

void TestGasperctl::badCommandLineIsUsageError_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("message");

    QTest::newRow("nothing") << QString() << u"no command given"_s;
    QTest::newRow("unknown command") << u"deploy web"_s << u"unknown command 'deploy'"_s;
    QTest::newRow("missing name") << u"get"_s << u"'get' needs <name>"_s;
    QTest::newRow("extra argument") << u"get web api"_s << u"'get' needs <name>"_s;
    QTest::newRow("apps takes none") << u"apps web"_s << u"'apps' takes no arguments"_s;
    QTest::newRow("keys without subcommand") << u"keys"_s << u"unknown command 'keys'"_s;
    QTest::newRow("keys unknown subcommand") << u"keys forget x"_s << u"unknown command 'keys forget'"_s;
    QTest::newRow("keys add without file") << u"keys add"_s << u"'keys add' needs <file.pub>"_s;
    QTest::newRow("ssh bad port") << u"ssh web --port 0"_s << u"--port must be 1"_s;
    QTest::newRow("register needs email") << u"register alice"_s << u"'register' needs <username> <email>"_s;
    QTest::newRow("empty name") << u"get <empty>"_s << u"empty argument"_s;
    QTest::newRow("unknown option") << u"apps --all"_s << u"Unknown option 'all'"_s;
    QTest::newRow("password on argv") << u"login alice --password secret"_s << u"Unknown option 'password'"_s;
    QTest::newRow("create without git") << u"create web --language python --run x"_s << u"--git is required"_s;
    QTest::newRow("create without language") << u"create web --git g --run x"_s << u"--language is required"_s;
    QTest::newRow("health path not a path") << u"create web --git g --language go --health-path healthz"_s << u"--health-path must start with /"_s;
    QTest::newRow("health status 99") << u"create web --git g --language go --health-status 99"_s << u"--health-status must be an integer in [100, 599]"_s;
    QTest::newRow("health timeout 0") << u"update web --health-timeout 0"_s << u"--health-timeout must be"_s;
    QTest::newRow("update health and no-health") << u"update web --health-path /x --no-health"_s << u"--no-health excludes"_s;
    QTest::newRow("update run and no-run") << u"update web --run x --no-run"_s << u"exclude each other"_s;
    QTest::newRow("rollback without --to") << u"rollback web"_s << u"--to is required"_s;
    QTest::newRow("rollback to 0") << u"rollback web --to 0"_s << u"--to must be an integer"_s;
    QTest::newRow("rollback to text") << u"rollback web --to last"_s << u"--to must be an integer"_s;
    QTest::newRow("rollback without name") << u"rollback --to 3"_s << u"'rollback' needs <name>"_s;
    QTest::newRow("option without value") << u"create web --git g --language go --run"_s << u"Missing value after '--run'"_s;
    QTest::newRow("env without =") << u"create web --git g --language go --run x --env FOO"_s << u"--env wants KEY=VALUE"_s;
    QTest::newRow("env empty key") << u"create web --git g --language go --run x --env =1"_s << u"--env wants KEY=VALUE"_s;
    QTest::newRow("env digit key") << u"create web --git g --language go --run x --env 1A=1"_s << u"--env wants KEY=VALUE"_s;
    QTest::newRow("port 0") << u"create web --git g --language go --run x --port 0"_s << u"--port must be an integer in [1, 65535]"_s;
    QTest::newRow("port too big") << u"create web --git g --language go --run x --port 65536"_s << u"--port must be"_s;
    QTest::newRow("port text") << u"create web --git g --language go --run x --port http"_s << u"--port must be"_s;
    QTest::newRow("memory 0") << u"create web --git g --language go --run x --memory 0"_s << u"--memory must be"_s;
    QTest::newRow("cpus 0") << u"create web --git g --language go --run x --cpus 0"_s << u"--cpus must be a number above 0"_s;
    QTest::newRow("cpus nan") << u"create web --git g --language go --run x --cpus nan"_s << u"--cpus must be"_s;
    QTest::newRow("tail negative") << u"logs web --tail -1"_s << u"--tail must be"_s;
    QTest::newRow("tail text") << u"logs web --tail everything"_s << u"--tail must be"_s;
    QTest::newRow("deploy 0") << u"logs web --deploy 0"_s << u"--deploy must be"_s;
    QTest::newRow("build without deploy") << u"logs web --build"_s << u"--build needs --deploy"_s;
    QTest::newRow("timeout 0") << u"rebuild web --wait --timeout 0"_s << u"--timeout must be"_s;
    QTest::newRow("wait on stop") << u"stop web --wait"_s << u"Unknown option 'wait'"_s;
    QTest::newRow("update nothing") << u"update web"_s << u"nothing to update"_s;
    QTest::newRow("update build and no-build") << u"update web --build a --no-build"_s << u"exclude each other"_s;
    QTest::newRow("update empty run") << u"update web --run <empty>"_s << u"--run may not be empty"_s;
    QTest::newRow("api not http") << u"apps --api ftp://example.org"_s << u"--api must be an http:// or https:// URL"_s;
    QTest::newRow("api no host") << u"--api http:// apps"_s << u"--api must be"_s;
    QTest::newRow("help of unknown") << u"help frobnicate"_s << u"unknown command 'frobnicate'"_s;
    QTest::newRow("exec without command") << u"exec web"_s << u"'exec' needs <name> -- <command>..."_s;
    QTest::newRow("exec option after name") << u"exec web ls -la"_s << u"goes after --"_s;
    QTest::newRow("shell -t and -T") << u"shell web -t -T"_s << u"exclude each other"_s;
    QTest::newRow("hooks rotate and poll") << u"hooks web --rotate --poll 60"_s << u"exclude each other"_s;
    QTest::newRow("hooks poll text") << u"hooks web --poll often"_s << u"--poll wants a number of seconds"_s;
    QTest::newRow("hooks poll negative") << u"hooks web --poll -5"_s << u"--poll wants"_s;
    QTest::newRow("hooks without app") << u"hooks"_s << u"'hooks' needs <name>"_s;
    QTest::newRow("shell extra argument") << u"shell web ls"_s << u"'shell' needs <name>"_s;
    QTest::newRow("ssh port 0") << u"ssh web --port 0"_s << u"--port must be 1"_s;
    QTest::newRow("ssh sftp with a value") << u"ssh web --sftp=yes"_s << u"sftp"_s;
}

void TestGasperctl::badCommandLineIsUsageError()
{
    QFETCH(QString, line);
    QFETCH(QString, message);
    auto inv = parseCommandLine(argv(line));
    QVERIFY(!inv.has_value());
    QCOMPARE(inv.error().code, u"usage"_s);
    QVERIFY2(inv.error().message.contains(message), qPrintable(inv.error().message));
    QVERIFY2(inv.error().message.contains(u"Usage: gasperctl"_s), qPrintable(inv.error().message));
}

void TestGasperctl::execWordsBecomeOneShellCommandLine_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("command");
    QTest::addColumn<int>("tty");
    const int autoTty = int(TtyMode::Auto);
    QTest::newRow("one word is a command line") << u"exec web 'ls | wc -l'"_s << u"ls | wc -l"_s << autoTty;
    QTest::newRow("argv words, safe ones bare") << u"exec web -- ls -la /app"_s << u"ls -la /app"_s << autoTty;
    QTest::newRow("argv words are quoted") << u"exec web -- sh -c 'echo $HOME'"_s << u"sh -c 'echo $HOME'"_s << autoTty;
    QTest::newRow("a word with a blank") << u"exec web -- echo 'a b' c"_s << u"echo 'a b' c"_s << autoTty;
    QTest::newRow("-t before --") << u"exec web -t -- top"_s << u"top"_s << int(TtyMode::Always);
    QTest::newRow("-t after -- is the command's") << u"exec web -- ls -t"_s << u"ls -t"_s << autoTty;
    QTest::newRow("shell") << u"shell web"_s << QString() << autoTty;
    QTest::newRow("shell -T") << u"shell web -T"_s << QString() << int(TtyMode::Never);
}

void TestGasperctl::execWordsBecomeOneShellCommandLine()
{
    QFETCH(QString, line);
    QFETCH(QString, command);
    QFETCH(int, tty);
    auto inv = parseCommandLine(argv(line));
    QVERIFY2(inv.has_value(), qPrintable(inv ? QString() : inv.error().message));
    QCOMPARE(inv->target, u"web"_s);
    QCOMPARE(inv->shellCommand, command);
    QCOMPARE(int(inv->tty), tty);
    QCOMPARE(inv->request.path, u"/api/v1/apps/web/terminal"_s);
}

void TestGasperctl::globalOptionsWorkBeforeAndAfterTheCommand()
{
    auto before = parseCommandLine(argv(u"--json --api http://h:1 --token T get web"_s));
    auto after = parseCommandLine(argv(u"get web --json --api=http://h:1 --token=T"_s));
    for (const auto *inv : {&before, &after}) {
        QVERIFY(inv->has_value());
        QVERIFY((*inv)->global.json);
        QCOMPARE((*inv)->global.api, u"http://h:1"_s);
        QCOMPARE((*inv)->global.token, u"T"_s);
        QCOMPARE((*inv)->request.path, u"/api/v1/apps/web"_s);
    }
    // After the command the command's own parse wins.
    auto both = parseCommandLine(argv(u"--api http://a:1 apps --api http://b:2"_s));
    QVERIFY(both.has_value());
    QCOMPARE(both->global.api, u"http://b:2"_s);
}

void TestGasperctl::helpAndVersionAreNotErrors_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("expected");
    QTest::newRow("--help") << u"--help"_s << u"Commands:"_s;
    QTest::newRow("-h") << u"-h"_s << u"Commands:"_s;
    QTest::newRow("help") << u"help"_s << u"Commands:"_s;
    QTest::newRow("help create") << u"help create"_s << u"Usage: gasperctl create [options] <name>"_s;
    QTest::newRow("create --help") << u"create --help"_s << u"--language L"_s;
    QTest::newRow("--help logs") << u"--help logs"_s << u"-f, --follow"_s;
    QTest::newRow("update -h") << u"update web -h"_s << u"--no-build"_s;
}

void TestGasperctl::helpAndVersionAreNotErrors()
{
    QFETCH(QString, line);
    QFETCH(QString, expected);
    auto inv = parseCommandLine(argv(line));
    QVERIFY(inv.has_value());
    QVERIFY(inv->showHelp);
    QVERIFY2(inv->helpText.contains(expected), qPrintable(inv->helpText));

    auto version = parseCommandLine(argv(u"--version"_s));
    QVERIFY(version.has_value() && version->showVersion);
    QVERIFY(versionText().startsWith(u"gasperctl "_s));
}

void TestGasperctl::secretsGoIntoTheBodyNotTheCommandLine()
{
    auto login = parseCommandLine(argv(u"login alice --password-stdin"_s));
    QVERIFY(login.has_value());
    QVERIFY(login->secretFromStdin);
    applySecret(*login, u"pa ss"_s);
    QCOMPARE(compact(login->request.body), R"({"password":"pa ss","username":"alice"})"_ba);

    auto reg = parseCommandLine(argv(u"register alice a@b.c"_s));
    QVERIFY(reg.has_value());
    QVERIFY(!reg->secretFromStdin);
    QVERIFY(reg->confirmSecret);

    auto create = parseCommandLine(argv(u"create web --language go --git https://g/r.git --branch b --run x --token-stdin"_s));
    QVERIFY(create.has_value());
    applySecret(*create, u"ghp_123"_s);
    QCOMPARE(create->request.body->value(u"git"_s).toObject(),
             (QJsonObject{{u"url"_s, u"https://g/r.git"_s}, {u"branch"_s, u"b"_s}, {u"token"_s, u"ghp_123"_s}}));
}

void TestGasperctl::appNameIsOnePathSegmentWhateverItContains()
{
    QCOMPARE(appPath(u"../users/me"_s), u"/api/v1/apps/..%2Fusers%2Fme"_s);
    QCOMPARE(appPath(u"a b?c#d"_s, u"/logs"_s), u"/api/v1/apps/a%20b%3Fc%23d/logs"_s);
    auto inv = parseCommandLine(argv(u"stop ../../auth/logout"_s));
    QVERIFY(inv.has_value());
    QCOMPARE(inv->request.path, u"/api/v1/apps/..%2F..%2Fauth%2Flogout/stop"_s);
    ApiClient client(QUrl(u"http://127.0.0.1:3000"_s), {});
    QCOMPARE(client.urlFor(inv->request).path(QUrl::FullyEncoded), u"/api/v1/apps/..%2F..%2Fauth%2Flogout/stop"_s);
}

// ---- output --------------------------------------------------------------------------

void TestGasperctl::tableAlignsColumnsWithoutTrailingBlanks()
{
    TableFormatter table({u"NAME"_s, u"STATE"_s, u"URL"_s});
    table.addRow({u"web"_s, u"running"_s, u"http://web.localhost:8080"_s});
    table.addRow({u"api-server"_s, u"failed"_s, QString()});
    table.addRow({u"x"_s});
    QCOMPARE(table.rowCount(), 3);
    QCOMPARE(table.toString(),
             u"NAME         STATE     URL\n"
             "web          running   http://web.localhost:8080\n"
             "api-server   failed    -\n"
             "x            -         -\n"_s);
    QCOMPARE(TableFormatter({u"A"_s, u"B"_s}).toString(), u"A   B\n"_s);
}

void TestGasperctl::tableCellsCannotBreakTheTerminal()
{
    TableFormatter table({u"NAME"_s, u"ERROR"_s});
    table.addRow({u"web\x1b[31m"_s, u"line one\nline two\r\t\u2028end"_s});
    const QString text = table.toString();
    QCOMPARE(text.count(u'\n'), 2);
    QVERIFY(!text.contains(QChar(0x1b)));
    QVERIFY(text.contains(u"line one line two"_s));
    QCOMPARE(TableFormatter::printable(u"a\u0007b\u009bc"_s), u"a b c"_s);
    QCOMPARE(TableFormatter::printable(u"zürich 東京"_s), u"zürich 東京"_s);
}

void TestGasperctl::durationsReadNaturally_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("0") << qint64(0) << u"0ms"_s;
    QTest::newRow("41") << qint64(41) << u"41ms"_s;
    QTest::newRow("999") << qint64(999) << u"999ms"_s;
    QTest::newRow("1000") << qint64(1000) << u"1.00s"_s;
    QTest::newRow("1520") << qint64(1520) << u"1.52s"_s;
    QTest::newRow("59999") << qint64(59999) << u"60.00s"_s;
    QTest::newRow("60000") << qint64(60000) << u"1m00s"_s;
    QTest::newRow("123456") << qint64(123456) << u"2m03s"_s;
    QTest::newRow("negative") << qint64(-5) << u"-"_s;
}

void TestGasperctl::durationsReadNaturally()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(formatDuration(ms), text);
}

void TestGasperctl::agesReadNaturally_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("now") << qint64(0) << u"0s ago"_s;
    QTest::newRow("59s") << qint64(59) << u"59s ago"_s;
    QTest::newRow("1m") << qint64(60) << u"1m ago"_s;
    QTest::newRow("59m") << qint64(3599) << u"59m ago"_s;
    QTest::newRow("1h") << qint64(3600) << u"1h ago"_s;
    QTest::newRow("2d") << qint64(2 * 86400 + 5) << u"2d ago"_s;
    QTest::newRow("clock skew") << qint64(-30) << u"0s ago"_s;
}

void TestGasperctl::agesReadNaturally()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    const QDateTime now = QDateTime::fromString(u"2024-05-01T12:00:00Z"_s, Qt::ISODate);
    QCOMPARE(formatAge(now.addSecs(-seconds), now), text);
    QCOMPARE(formatAge(QDateTime(), now), u"-"_s);
}

void TestGasperctl::appsTableHasTheDocumentedColumns()
{
    const QJsonArray apps = QJsonDocument::fromJson(R"([
        {"name":"web","state":"running","language":"python","url":"http://web.localhost:8080","updated_at":"2024-05-01T11:55:00Z"},
        {"name":"worker-2","state":"building","language":"go","url":"","updated_at":"2024-05-01T11:59:58.120Z"}])").array();
    const QDateTime now = QDateTime::fromString(u"2024-05-01T12:00:00Z"_s, Qt::ISODate);
    QCOMPARE(formatAppsTable(apps, now),
             u"NAME       STATE      LANGUAGE   URL                         UPDATED\n"
             "web        running    python     http://web.localhost:8080   5m ago\n"
             "worker-2   building   go         -                           1s ago\n"_s);
}

void TestGasperctl::deploysTableShowsPerStepTimings()
{
    // The shape GET /api/v1/apps/<name>/deploys answers: commit and error may be null, a
    // running deploy has total_ms 0 and finished_at null.
    const QJsonArray deploys = QJsonDocument::fromJson(R"([
        {"number":8,"app":"web","status":"running","trigger":"rollback","rollback_to":6,"commit":null,"error":null,
         "started_at":"2024-05-01T11:00:00Z","finished_at":null,"total_ms":0,
         "steps":[{"name":"clone","status":"done","ms":30},{"name":"health","status":"running","ms":0}]},
        {"number":7,"app":"web","status":"succeeded","trigger":"rebuild","commit":"b4db678aa163750fd810399d2b8fe1b1f8ad6a47",
         "started_at":"2024-05-01T10:00:00Z","finished_at":"2024-05-01T10:00:01Z","total_ms":1520,"error":null,
         "steps":[{"name":"clone","status":"done","ms":41},{"name":"create","status":"done","ms":230},
                  {"name":"build","status":"done","ms":1100},{"name":"health","status":"done","ms":149}]},
        {"number":6,"app":"web","status":"failed","trigger":"create","commit":"0123456789abcdef","started_at":"2024-05-01T09:00:00Z",
         "finished_at":"2024-05-01T09:01:04Z","total_ms":64000,"error":"build step 1 exited with 2\nmake: *** [all] Error 2",
         "steps":[{"name":"clone","status":"done","ms":12},{"name":"build","status":"failed","ms":63988},
                  {"name":"health","status":"skipped","ms":0}]}])").array();
    QCOMPARE(formatDeploysTable(deploys),
             u"#   STATUS      TRIGGER          COMMIT    STARTED               TOTAL   STEPS\n"
             "8   running     rollback to #6   -         2024-05-01 11:00:00   -       clone 30ms, health running\n"
             "7   succeeded   rebuild          b4db678   2024-05-01 10:00:00   1.52s   clone 41ms, create 230ms, build 1.10s, health 149ms\n"
             "6   failed      create           0123456   2024-05-01 09:00:00   1m04s   clone 12ms, build 1m03s (failed), health skipped\n"
             "\n"
             "#6 failed: build step 1 exited with 2 make: *** [all] Error 2\n"_s);
}

void TestGasperctl::hookViewHidesTheSecretUnlessAsked()
{
    const QString secret(64, u'f');
    const QJsonObject hook{
        {u"app"_s, u"web"_s}, {u"url"_s, u"https://gasper.example.org/api/v1/hooks/web"_s}, {u"secret"_s, secret},
        {u"branch"_s, u"main"_s}, {u"poll_seconds"_s, 60}, {u"min_poll_seconds"_s, 30},
        {u"rotated_at"_s, u"2026-12-01T10:00:00.000Z"_s},
        {u"deliveries"_s, QJsonArray{QJsonObject{{u"at"_s, u"2026-12-01T10:05:00.000Z"_s}, {u"source"_s, u"github"_s},
                                                 {u"event"_s, u"push"_s}, {u"branch"_s, u"main"_s},
                                                 {u"commit"_s, u"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"_s},
                                                 {u"outcome"_s, u"deployed"_s}, {u"detail"_s, u"deploy #4 started"_s},
                                                 {u"deploy"_s, 4}}}}};
    const QString hidden = formatHook(hook, false);
    QVERIFY2(!hidden.contains(secret), qPrintable(hidden));
    QVERIFY(hidden.contains(u"--show-secret"_s));
    QVERIFY(hidden.contains(u"https://gasper.example.org/api/v1/hooks/web"_s));
    QVERIFY(hidden.contains(u"every 60 s"_s));
    QVERIFY(hidden.contains(u"deployed #4"_s));
    QVERIFY(hidden.contains(u"a94a8fe "_s));
    QVERIFY(hidden.contains(u"GitLab"_s));
    const QString shown = formatHook(hook, true);
    QVERIFY(shown.contains(u"Secret     "_s + secret));
    QJsonObject quiet = hook;
    quiet[u"poll_seconds"_s] = 0;
    quiet[u"deliveries"_s] = QJsonArray();
    QVERIFY(formatHook(quiet, false).contains(u"Polling    off"_s));
    QVERIFY(formatHook(quiet, false).contains(u"no deliveries yet"_s));
}

void TestGasperctl::appViewListsEveryField()
{
    const QJsonObject app = QJsonDocument::fromJson(R"({"name":"web","language":"python","state":"failed",
        "url":"http://web.localhost:8080","node":"local","port":8080,"created_at":"2024-05-01T10:00:00Z",
        "updated_at":"2024-05-01T10:05:00Z","last_error":"build step 1 exited with 2",
        "git":{"url":"https://example.org/r.git","branch":"main","token_set":true,"commit":"b4db678aa163750fd810399d2b8fe1b1f8ad6a47"},
        "build":["pip install -r requirements.txt","make"],"health":{"path":"/healthz","status":200,"timeout":null},
        "run":"python app.py","env":{"A":"1","B":"two"},"resources":{"memory_mb":512,"cpus":0.5},"owner":"alice","restarts":3})")
                                .object();
    QCOMPARE(formatApp(app),
             u"name:       web\n"
             "state:      failed\n"
             "language:   python\n"
             "url:        http://web.localhost:8080\n"
             "node:       local\n"
             "port:       8080\n"
             "git:        https://example.org/r.git (token set)\n"
             "branch:     main\n"
             "pinned:     commit b4db678aa163 (a rollback; the next rebuild deploys the branch again)\n"
             "build:      pip install -r requirements.txt\n"
             "            make\n"
             "run:        python app.py\n"
             "health:     GET /healthz -> 200\n"
             "env:        A=1\n"
             "            B=two\n"
             "resources:  512 MB, 0.5 cpus\n"
             "owner:      alice\n"
             "restarts:   3\n"
             "created:    2024-05-01 10:00:00\n"
             "updated:    2024-05-01 10:05:00\n"
             "last error: build step 1 exited with 2\n"_s);
    // A sparse app (fields the master does not send yet) still prints, with "-".
    const QString sparse = formatApp(QJsonObject{{u"name"_s, u"x"_s}});
    QVERIFY(sparse.contains(u"build:     -\n"_s));
    QVERIFY(!sparse.contains(u"last error"_s));
    QVERIFY(sparse.contains(u"run:       (the Procfile's web: line)\n"_s));  // no run: the Procfile's
    QCOMPARE(formatHealth(QJsonObject{{u"path"_s, u"/"_s}, {u"status"_s, QJsonValue()}, {u"timeout"_s, 30}}),
             u"any answer on / within 30 s"_s);
}

// ---- credentials ---------------------------------------------------------------------

void TestGasperctl::credentialsAreWrittenPrivateAndReadBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"cfg/gasper/credentials.json"_s);
    CredentialStore store(path);
    const Credentials c{u"http://127.0.0.1:3000"_s, u"tok-\u00e9-123"_s, u"alice"_s, u"2030-01-01T00:00:00Z"_s};
    const mode_t oldMask = ::umask(0);  // the widest umask must still give 0600
    auto saved = store.save(c);
    ::umask(oldMask);
    QVERIFY2(saved.has_value(), qPrintable(saved ? QString() : saved.error().message));
    QCOMPARE(modeOf(path), mode_t(0600));
    QCOMPARE(modeOf(dir.filePath(u"cfg/gasper"_s)), mode_t(0700));
    auto loaded = store.load();
    QVERIFY(loaded.has_value() && loaded->has_value());
    QCOMPARE(**loaded, c);
    QCOMPARE(QDir(dir.filePath(u"cfg/gasper"_s)).entryList(QDir::Files | QDir::Hidden), QStringList{u"credentials.json"_s});

    QVERIFY(store.remove().has_value());
    QVERIFY(!QFile::exists(path));
    QVERIFY(store.remove().has_value());  // already gone: fine
}

void TestGasperctl::credentialsLooserFileIsTightenedOnSave()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"credentials.json"_s);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("{}");
    old.close();
    QVERIFY(old.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QCOMPARE(modeOf(path), mode_t(0644));
    CredentialStore store(path);
    QVERIFY(store.save({u"http://h:1"_s, u"t"_s, u"bob"_s, {}}).has_value());
    QCOMPARE(modeOf(path), mode_t(0600));
    QCOMPARE((*store.load())->username, u"bob"_s);
}

void TestGasperctl::credentialsMissingFileIsNoLoginAndCorruptFileIsAnError()
{
    QTemporaryDir dir;
    CredentialStore missing(dir.filePath(u"nope/credentials.json"_s));
    auto none = missing.load();
    QVERIFY(none.has_value());
    QVERIFY(!none->has_value());

    for (const QByteArray &content : {"not json"_ba, "[1,2]"_ba, R"({"api":"x"})"_ba}) {
        const QString path = dir.filePath(u"bad.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
        f.close();
        auto bad = CredentialStore(path).load();
        QVERIFY(!bad.has_value());
        QCOMPARE(bad.error().code, u"credentials"_s);
        QVERIFY(bad.error().message.contains(u"gasperctl login"_s));
    }
}

void TestGasperctl::credentialsDefaultPathFollowsXdgConfigHome()
{
    EnvGuard xdg("XDG_CONFIG_HOME");
    qputenv("XDG_CONFIG_HOME", "/tmp/xdg-test");
    QCOMPARE(CredentialStore::defaultPath(), u"/tmp/xdg-test/gasper/credentials.json"_s);
    qputenv("XDG_CONFIG_HOME", "relative/dir");  // invalid per the XDG spec: ignored
    QCOMPARE(CredentialStore::defaultPath(), QDir::homePath() + u"/.config/gasper/credentials.json"_s);
    qunsetenv("XDG_CONFIG_HOME");
    QCOMPARE(CredentialStore::defaultPath(), QDir::homePath() + u"/.config/gasper/credentials.json"_s);
}

void TestGasperctl::storedTokenIsOnlySentToTheApiThatIssuedIt()
{
    EnvGuard api("GASPER_API"), token("GASPER_TOKEN");
    qunsetenv("GASPER_API");
    qunsetenv("GASPER_TOKEN");
    QTemporaryDir dir;
    CredentialStore store(dir.filePath(u"credentials.json"_s));

    auto nothing = resolveEndpoint({}, store);
    QVERIFY(nothing.has_value());
    QCOMPARE(nothing->api, QUrl(u"http://127.0.0.1:3000"_s));
    QVERIFY(nothing->token.isEmpty());

    QVERIFY(store.save({u"http://127.0.0.1:4000/"_s, u"stored"_s, u"alice"_s, {}}).has_value());
    auto stored = resolveEndpoint({}, store);
    QCOMPARE(stored->api, QUrl(u"http://127.0.0.1:4000"_s));  // the login's API is the default
    QCOMPARE(stored->token, u"stored"_s);
    QVERIFY(stored->tokenIsStored);

    auto sameWithSlash = resolveEndpoint({u"http://127.0.0.1:4000/"_s, {}, false}, store);
    QCOMPARE(sameWithSlash->token, u"stored"_s);

    auto elsewhere = resolveEndpoint({u"http://evil.example:80"_s, {}, false}, store);
    QCOMPARE(elsewhere->api, QUrl(u"http://evil.example:80"_s));
    QVERIFY(elsewhere->token.isEmpty());

    qputenv("GASPER_API", "http://127.0.0.1:5000");
    auto env = resolveEndpoint({}, store);
    QCOMPARE(env->api, QUrl(u"http://127.0.0.1:5000"_s));
    QVERIFY(env->token.isEmpty());

    qputenv("GASPER_TOKEN", "from-env");
    QCOMPARE(resolveEndpoint({}, store)->token, u"from-env"_s);
    QCOMPARE(resolveEndpoint({{}, u"flag"_s, false}, store)->token, u"flag"_s);

    qputenv("GASPER_API", "localhost:3000");
    auto bad = resolveEndpoint({}, store);
    QVERIFY(!bad.has_value());
    QCOMPARE(bad.error().code, u"usage"_s);
}

// ---- --wait --------------------------------------------------------------------------

void TestGasperctl::waitTrackerDecides_data()
{
    QTest::addColumn<bool>("requireChange");
    QTest::addColumn<QString>("stateBefore");
    QTest::addColumn<QStringList>("states");  // "state" or "state@updated_at"
    QTest::addColumn<int>("outcome");         // after the last observation
    QTest::addColumn<int>("decidedAt");       // index of the first non-pending observation, -1 none

    const int pending = int(WaitTracker::Outcome::Pending), running = int(WaitTracker::Outcome::Running),
              failed = int(WaitTracker::Outcome::Failed);
    QTest::newRow("create runs") << false << QString() << QStringList{u"queued"_s, u"cloning"_s, u"building"_s, u"running"_s} << running << 3;
    QTest::newRow("create fails") << false << QString() << QStringList{u"queued"_s, u"building"_s, u"failed"_s} << failed << 2;
    QTest::newRow("create, polls missed everything") << false << QString() << QStringList{u"running"_s} << running << 0;
    QTest::newRow("still building") << false << QString() << QStringList{u"queued"_s, u"building"_s} << pending << -1;
    QTest::newRow("unknown state keeps waiting") << false << QString() << QStringList{u"migrating"_s} << pending << -1;
    QTest::newRow("rebuild: old one still running first")
        << true << QString() << QStringList{u"running@t0"_s, u"running@t0"_s, u"building@t1"_s, u"running@t2"_s} << running << 3;
    QTest::newRow("rebuild: only updated_at moved") << true << QString() << QStringList{u"running@t0"_s, u"running@t5"_s} << running << 1;
    QTest::newRow("rebuild: nothing happened yet") << true << QString() << QStringList{u"running@t0"_s, u"running@t0"_s} << pending << -1;
    QTest::newRow("start from failed must see a change") << true << QString() << QStringList{u"failed@t0"_s, u"starting@t1"_s, u"running@t2"_s}
                                                         << running << 2;
    QTest::newRow("start from stopped: stale stopped is not failure")
        << true << QString() << QStringList{u"stopped@t0"_s, u"stopped@t0"_s, u"starting@t1"_s, u"running@t2"_s} << running << 3;
    QTest::newRow("stopped while waiting") << false << QString() << QStringList{u"building"_s, u"stopped"_s} << failed << 1;
    QTest::newRow("start from stopped: polls missed every step")
        << true << u"stopped"_s << QStringList{u"stopped@t0"_s, u"running@t0"_s} << running << 1;
    QTest::newRow("rebuild of a failed app: still the old failure")
        << true << u"failed"_s << QStringList{u"failed@t0"_s, u"failed@t0"_s} << pending << -1;
    QTest::newRow("rebuild of a failed app recovers")
        << true << u"failed"_s << QStringList{u"failed@t0"_s, u"running@t0"_s} << running << 1;
    QTest::newRow("restarting is transitional") << true << QString() << QStringList{u"restarting@t0"_s, u"running@t0"_s} << running << 1;
}

void TestGasperctl::waitTrackerDecides()
{
    QFETCH(bool, requireChange);
    QFETCH(QString, stateBefore);
    QFETCH(QStringList, states);
    QFETCH(int, outcome);
    QFETCH(int, decidedAt);

    WaitTracker tracker({requireChange, stateBefore, u"t0"_s, std::nullopt});
    int firstDecision = -1;
    WaitTracker::Outcome last = WaitTracker::Outcome::Pending;
    for (int i = 0; i < states.size(); ++i) {
        const QStringList parts = states[i].split(u'@');
        QJsonObject app{{u"state"_s, parts[0]}, {u"last_error"_s, u"boom"_s}};
        if (parts.size() > 1)
            app.insert(u"updated_at"_s, parts[1]);
        last = tracker.observeApp(app);
        QVERIFY(!tracker.needsDeploys());  // no deploy baseline: never asks
        if (last != WaitTracker::Outcome::Pending && firstDecision < 0)
            firstDecision = i;
        if (last != WaitTracker::Outcome::Pending)
            break;
    }
    QCOMPARE(int(last), outcome);
    QCOMPARE(firstDecision, decidedAt);
    QCOMPARE(tracker.state(), states[qMax(0, firstDecision < 0 ? int(states.size()) - 1 : firstDecision)].split(u'@')[0]);
    if (last == WaitTracker::Outcome::Failed)
        QVERIFY(!tracker.failure().isEmpty());
}

void TestGasperctl::waitTrackerTrustsTheDeployHistoryForRebuildAndUpdate()
{
    const QJsonObject running{{u"state"_s, u"running"_s}, {u"updated_at"_s, u"t0"_s}};
    auto deploys = [](int number, const char *status, const char *finished, const char *error = "") {
        return QJsonArray{QJsonObject{{u"number"_s, number - 1}, {u"status"_s, u"done"_s}, {u"finished_at"_s, u"x"_s}},
                          QJsonObject{{u"number"_s, number},
                                      {u"status"_s, QLatin1StringView(status)},
                                      {u"finished_at"_s, *finished ? QJsonValue(QLatin1StringView(finished)) : QJsonValue()},
                                      {u"error"_s, QLatin1StringView(error)}}};
    };
    using O = WaitTracker::Outcome;
    {
        WaitTracker t({true, u"running"_s, u"t0"_s, 4});
        QCOMPARE(t.observeApp(running), O::Pending);
        QVERIFY(t.needsDeploys());
        QCOMPARE(t.observeDeploys(deploys(4, "done", "t")), O::Pending);  // nothing newer than the baseline
        QCOMPARE(t.observeDeploys(deploys(5, "running", "")), O::Pending);
        QCOMPARE(t.observeDeploys(deploys(5, "done", "2024-05-01T10:00:00Z")), O::Running);
    }
    {
        WaitTracker t({true, u"running"_s, u"t0"_s, 4});
        QCOMPARE(t.observeApp(running), O::Pending);
        QCOMPARE(t.observeDeploys(deploys(5, "failed", "t", "health check timed out")), O::Failed);
        QCOMPARE(t.failure(), u"health check timed out"_s);
    }
    {
        // update: the PATCH moves updated_at at once while the old container still serves;
        // only the new deploy's end counts.
        WaitTracker t({true, u"running"_s, u"t0"_s, 4, true});
        QCOMPARE(t.observeApp(QJsonObject{{u"state"_s, u"running"_s}, {u"updated_at"_s, u"t1"_s}}), O::Pending);
        QVERIFY(t.needsDeploys());
        QCOMPARE(t.observeDeploys(deploys(5, "running", "")), O::Pending);
        QCOMPARE(t.observeApp(QJsonObject{{u"state"_s, u"starting"_s}, {u"updated_at"_s, u"t2"_s}}), O::Pending);
        QVERIFY(t.needsDeploys());
        QCOMPARE(t.observeApp(QJsonObject{{u"state"_s, u"running"_s}, {u"updated_at"_s, u"t3"_s}}), O::Pending);
        QCOMPARE(t.observeDeploys(deploys(5, "succeeded", "2024-05-01T10:00:00Z")), O::Running);
    }
    {
        // A failed rebuild leaves the old container serving (`running`): still a failure.
        WaitTracker t({true, u"running"_s, u"t0"_s, 4, true});
        QCOMPARE(t.observeApp(QJsonObject{{u"state"_s, u"running"_s}, {u"updated_at"_s, u"t9"_s}}), O::Pending);
        QCOMPARE(t.observeDeploys(deploys(5, "failed", "t", "the app did not answer HTTP")), O::Failed);
        QCOMPARE(t.failure(), u"the app did not answer HTTP"_s);
    }
    {
        // The action's own deploy (the first after the baseline) speaks, not a later recovery.
        WaitTracker t({true, u"running"_s, u"t0"_s, 4, true});
        QCOMPARE(t.observeApp(running), O::Pending);
        const QJsonArray history{
            QJsonObject{{u"number"_s, 6}, {u"status"_s, u"succeeded"_s}, {u"finished_at"_s, u"t2"_s}, {u"error"_s, QJsonValue()}},
            QJsonObject{{u"number"_s, 5}, {u"status"_s, u"failed"_s}, {u"finished_at"_s, u"t1"_s}, {u"error"_s, u"cancelled"_s}},
            QJsonObject{{u"number"_s, 4}, {u"status"_s, u"succeeded"_s}, {u"finished_at"_s, u"t0"_s}, {u"error"_s, QJsonValue()}}};
        QCOMPARE(t.observeDeploys(history), O::Failed);
        QCOMPARE(t.failure(), u"cancelled"_s);
    }
    {
        WaitTracker t({true, u"running"_s, u"t0"_s, 0});  // the app had no deploy yet: deploy 1 is new
        QCOMPARE(t.observeApp(running), O::Pending);
        QCOMPARE(t.observeDeploys(QJsonArray{QJsonObject{{u"number"_s, 1}, {u"status"_s, u"done"_s}, {u"finished_at"_s, u"t"_s}}}),
                 O::Running);
    }
}

// ---- API client ----------------------------------------------------------------------

void TestGasperctl::apiErrorBodyBecomesError_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("api error") << 409 << R"({"error":{"code":"name-taken","message":"the name web is taken"}})"_ba
                               << u"name-taken"_s << u"the name web is taken"_s;
    QTest::newRow("code only") << 400 << R"({"error":{"code":"invalid-name"}})"_ba << u"invalid-name"_s << u"invalid-name"_s;
    QTest::newRow("html 502") << 502 << "<html>Bad gateway</html>"_ba << u"http-502"_s << u"the API answered HTTP 502"_s;
    QTest::newRow("empty 404") << 404 << QByteArray() << u"http-404"_s << u"not found"_s;
    QTest::newRow("empty 401") << 401 << QByteArray() << u"http-401"_s << u"not logged in or the token expired — run `gasperctl login <username>`"_s;
    QTest::newRow("wrong shape") << 500 << R"({"error":"boom"})"_ba << u"http-500"_s << u"the API answered HTTP 500"_s;
}

void TestGasperctl::apiErrorBodyBecomesError()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const gasper::Error e = ApiClient::errorFromResponse(status, body);
    QCOMPARE(e.code, code);
    QCOMPARE(e.message, message);
}

void TestGasperctl::urlJoinsBaseAndPath()
{
    const ApiRequest r{"GET", u"/api/v1/apps/web/logs?tail=5&follow=1"_s};
    for (const QString &base : {u"http://127.0.0.1:3000"_s, u"http://127.0.0.1:3000/"_s, u"http://127.0.0.1:3000//"_s})
        QCOMPARE(ApiClient(QUrl(base), {}).urlFor(r), QUrl(u"http://127.0.0.1:3000/api/v1/apps/web/logs?tail=5&follow=1"_s));
    // An API mounted under a prefix keeps it.
    QCOMPARE(ApiClient(QUrl(u"https://paas.example/gasper/"_s), {}).urlFor(r).toString(),
             u"https://paas.example/gasper/api/v1/apps/web/logs?tail=5&follow=1"_s);
}

void TestGasperctl::refusedConnectionIsUnreachable()
{
    const QString api = u"http://127.0.0.1:%1"_s.arg(closedPort());
    ApiClient client{QUrl(api), u"secret-token"_s};
    auto r = client.send({"GET", u"/api/v1/apps"_s});
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().code, u"unreachable"_s);
    QCOMPARE(r.error().message, u"cannot reach the Gasper API at %1 — is gasperd running?"_s.arg(api));
    QVERIFY(!r.error().message.contains(u"secret-token"_s));
    QCOMPARE(client.lastStatus(), 0);
}

// ---- the binary ----------------------------------------------------------------------

void TestGasperctl::binaryExitCodes_data()
{
    const QString unreachable = u"http://127.0.0.1:%1"_s.arg(closedPort());
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stdoutHas");
    QTest::addColumn<QString>("stderrHas");
    QTest::newRow("version") << QStringList{u"--version"_s} << 0 << u"gasperctl 0.1"_s << QString();
    QTest::newRow("help") << QStringList{u"--help"_s} << 0 << u"Commands:"_s << QString();
    QTest::newRow("no command") << QStringList{} << 64 << QString() << u"error: no command given"_s;
    QTest::newRow("bad option") << QStringList{u"apps"_s, u"--bogus"_s} << 64 << QString() << u"Usage: gasperctl apps"_s;
    QTest::newRow("missing --git") << QStringList{u"create"_s, u"web"_s, u"--language"_s, u"go"_s, u"--run"_s, u"x"_s} << 64
                                   << QString() << u"error: --git is required"_s;
    QTest::newRow("unreachable") << QStringList{u"--api"_s, unreachable, u"apps"_s} << 2 << QString()
                                 << u"cannot reach the Gasper API at %1 — is gasperd running?"_s.arg(unreachable);
    QTest::newRow("unreachable with token") << QStringList{u"get"_s, u"web"_s, u"--api"_s, unreachable, u"--token"_s, u"SECRET"_s}
                                            << 2 << QString() << u"is gasperd running?"_s;
    QTest::newRow("logout when logged out") << QStringList{u"logout"_s, u"--api"_s, unreachable} << 0 << QString()
                                            << u"not logged in"_s;
}

void TestGasperctl::binaryExitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, stdoutHas);
    QFETCH(QString, stderrHas);
    QTemporaryDir config;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CONFIG_HOME"_s, config.path());
    env.remove(u"GASPER_API"_s);
    env.remove(u"GASPER_TOKEN"_s);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(GASPERCTL_BINARY), args);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == exitCode, qPrintable(u"exit %1\nstdout: %2\nstderr: %3"_s.arg(p.exitCode()).arg(out, err)));
    QVERIFY2(out.contains(stdoutHas), qPrintable(out));
    QVERIFY2(err.contains(stderrHas), qPrintable(err));
    QVERIFY(!out.contains(u"SECRET"_s) && !err.contains(u"SECRET"_s));
}

void TestGasperctl::failedLoginWritesNoCredentialsAndPrintsNoSecret()
{
    QTemporaryDir config;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CONFIG_HOME"_s, config.path());
    env.insert(u"GASPER_API"_s, u"http://127.0.0.1:%1"_s.arg(closedPort()));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(GASPERCTL_BINARY), {u"login"_s, u"alice"_s, u"--password-stdin"_s});
    p.write("hunter2\n");
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    const QByteArray all = p.readAllStandardOutput() + p.readAllStandardError();
    QVERIFY(!all.contains("hunter2"));
    QVERIFY(!QFile::exists(config.filePath(u"gasper/credentials.json"_s)));

    // Nothing on stdin is a usage error, not an empty password sent to the server.
    QProcess empty;
    empty.setProcessEnvironment(env);
    empty.start(QStringLiteral(GASPERCTL_BINARY), {u"login"_s, u"alice"_s, u"--password-stdin"_s});
    empty.closeWriteChannel();
    QVERIFY(empty.waitForFinished(60000));
    QCOMPARE(empty.exitCode(), 64);
    QVERIFY(empty.readAllStandardError().contains("nothing on stdin"));
}

QTEST_GUILESS_MAIN(TestGasperctl)
#include "tst_gasperctl.moc"
