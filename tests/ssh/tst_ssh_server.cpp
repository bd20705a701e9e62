// SPDX-License-Identifier: MIT
// The SSH server against OpenSSH's own client (sshpass for passwords, keys from
// ssh-keygen, tmux for an interactive terminal), execs in a real container on the real
// dockerd. The authenticator is the seam's test side: a fixed table of apps, passwords and
// key fingerprints (the master's SshAccess is tested through gasperd).

#include "../support/DockerTestSupport.h"
#include "core/Config.h"
#include "docker/DockerClient.h"
#include "ssh/SshServer.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace gasper;
using namespace gasper::ssh;
using namespace Qt::StringLiterals;

namespace {

struct TableAuthenticator final : SshAuthenticator
{
    struct App
    {
        QString password;
        QStringList fingerprints;  // keys of the owner (and admins)
        QString container;
    };
    QHash<QString, App> apps;

    void authenticate(const SshCredentials &c, QObject *context, std::function<void(Result<SshLogin>)> cb) override
    {
        const App app = apps.value(c.app);
        const bool ok = apps.contains(c.app)
                        && (c.method == SshCredentials::Method::Password ? !app.password.isEmpty() && c.password == app.password
                                                                          : app.fingerprints.contains(c.fingerprint));
        // Answers come later, as the master's do (store, argon2id on a pool).
        QTimer::singleShot(5, context, [cb, ok, name = c.app] {
            cb(ok ? Result<SshLogin>(SshLogin{name, u"test"_s}) : fail(u"denied"_s, u"no"_s));
        });
    }
    void liveContainer(const QString &name, QObject *context, std::function<void(Result<QString>)> cb) override
    {
        const QString container = apps.value(name).container;
        QTimer::singleShot(0, context, [cb, container] {
            cb(container.isEmpty() ? fail(u"container-gone"_s, u"none"_s) : Result<QString>(container));
        });
    }
};

struct Run
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class SshServerTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void commandRunsAsTheContainersUserInApp();
    void exitStatusIsPassedThrough_data();
    void exitStatusIsPassedThrough();
    void stdoutAndStderrStayApartWithoutPty();
    void stdinEofReachesTheCommand();
    void tenMegabytesOfStdoutArriveIntact();
    void interactiveShellFollowsResize();
    void badCredentialsAreRefused_data();
    void badCredentialsAreRefused();
    void remoteForwardingIsRefused();
    void silentConnectionIsDroppedAtTheGraceDeadline();
    void twentyParallelSessionsEachRespond();
    void failedLoginsLockTheAppEvenForTheRightPassword();
    void sessionEndsWithAMessageWhenTheContainerGoesAway();

private:
    Result<QString> makeContainer(const QString &user);
    QStringList sshArgs(const QString &user, const QString &identity, quint16 port = 0) const;
    QStringList passwordArgs(const QString &password, const QString &user, quint16 port = 0) const;
    Run run(const QString &program, const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000);
    void keygen(const QString &path);

    QTemporaryDir m_dir;
    std::unique_ptr<docker::DockerClient> m_docker;
    TableAuthenticator m_auth;
    std::unique_ptr<SshServer> m_server;
    QStringList m_containers;
    QString m_key;
    QString m_otherKey;
    QString m_tag;
};

Result<QString> SshServerTest::makeContainer(const QString &user)
{
    const QString name = u"gasper-test-ssh-%1-%2"_s.arg(m_tag).arg(m_containers.size());
    const QJsonObject config{
        {u"Image"_s, u"gasper/python"_s},
        {u"Cmd"_s, QJsonArray{u"sleep"_s, u"infinity"_s}},
        {u"User"_s, user},
        {u"Labels"_s, QJsonObject{{u"gasper.test"_s, u"ssh"_s}}},
        {u"HostConfig"_s, QJsonObject{{u"Init"_s, true}, {u"NetworkMode"_s, u"none"_s}}},
    };
    testing::Waiter<QString> created;
    m_docker->createContainer(name, config, &created.context, created.callback());
    if (!created.wait() || !*created.result)
        return fail(u"test"_s, created.why());
    m_containers << **created.result;
    testing::Waiter<void> started;
    m_docker->startContainer(**created.result, &started.context, started.callback());
    if (!started.wait() || !*started.result)
        return fail(u"test"_s, started.why());
    return **created.result;
}

void SshServerTest::keygen(const QString &path)
{
    const Run r = run(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-f"_s, path});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void SshServerTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_tag = QString::number(QCoreApplication::applicationPid()) + u'-'
            + QString::number(QRandomGenerator::global()->bounded(1 << 20));
    m_docker = std::make_unique<docker::DockerClient>(testing::dockerSocket());
    auto web = makeContainer(u"10123:10123"_s);
    QVERIFY2(web, qPrintable(web ? QString() : web.error().message));
    auto doomed = makeContainer(u"10124"_s);
    QVERIFY2(doomed, qPrintable(doomed ? QString() : doomed.error().message));

    m_key = m_dir.filePath(u"id_web"_s);
    m_otherKey = m_dir.filePath(u"id_other"_s);
    keygen(m_key);
    keygen(m_otherKey);
    const auto fingerprint = [this](const QString &path) {
        return QString::fromLatin1(run(u"ssh-keygen"_s, {u"-l"_s, u"-E"_s, u"sha256"_s, u"-f"_s, path + u".pub"_s})
                                       .out.split(' ').value(1));
    };
    m_auth.apps.insert(u"web"_s, {u"web-password-1"_s, {fingerprint(m_key)}, *web});
    m_auth.apps.insert(u"other"_s, {u"other-password"_s, {fingerprint(m_otherKey)}, *web});
    m_auth.apps.insert(u"doomed"_s, {QString(), {fingerprint(m_key)}, *doomed});
    m_auth.apps.insert(u"nocontainer"_s, {QString(), {fingerprint(m_key)}, QString()});

    auto hostKey = HostKey::loadOrCreate(m_dir.filePath(u"host_key"_s));
    QVERIFY(hostKey);
    SshSettings settings;
    settings.loginGraceSec = 3;
    settings.maxPerSource = 40;
    settings.startupsBegin = 40;
    settings.maxFailedLogins = 1000;
    m_server = std::make_unique<SshServer>(m_docker.get(), &m_auth, *hostKey, settings);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void SshServerTest::cleanupTestCase()
{
    m_server.reset();
    for (const QString &id : std::as_const(m_containers)) {
        testing::Waiter<void> removed;
        m_docker->removeContainer(id, true, &removed.context, removed.callback());
        removed.wait();
    }
}

Run SshServerTest::run(const QString &program, const QStringList &args, const QByteArray &input, int timeoutMs)
{
    // The server and the Docker client live on this thread: wait with the event loop running.
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    r.finished = QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(2000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QStringList SshServerTest::sshArgs(const QString &user, const QString &identity, quint16 port) const
{
    return {u"-p"_s, QString::number(port ? port : m_server->serverPort()), u"-o"_s, u"StrictHostKeyChecking=no"_s,
            u"-o"_s, u"UserKnownHostsFile=/dev/null"_s, u"-o"_s, u"LogLevel=ERROR"_s, u"-o"_s, u"BatchMode=yes"_s,
            u"-o"_s, u"IdentitiesOnly=yes"_s, u"-o"_s, u"IdentityAgent=none"_s, u"-o"_s,
            u"PasswordAuthentication=no"_s, u"-i"_s, identity, user + u"@127.0.0.1"_s};
}

QStringList SshServerTest::passwordArgs(const QString &password, const QString &user, quint16 port) const
{
    return {u"-p"_s, password, u"ssh"_s, u"-p"_s, QString::number(port ? port : m_server->serverPort()), u"-o"_s,
            u"StrictHostKeyChecking=no"_s, u"-o"_s, u"UserKnownHostsFile=/dev/null"_s, u"-o"_s, u"LogLevel=ERROR"_s,
            u"-o"_s, u"PubkeyAuthentication=no"_s, u"-o"_s, u"PreferredAuthentications=password"_s, u"-o"_s,
            u"NumberOfPasswordPrompts=1"_s, user + u"@127.0.0.1"_s};
}

void SshServerTest::commandRunsAsTheContainersUserInApp()
{
    const Run r = run(u"ssh"_s, sshArgs(u"web"_s, m_key) << u"id -u; id -g; pwd"_s);
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("10123\n10123\n/app\n"));
}

void SshServerTest::exitStatusIsPassedThrough_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<int>("status");
    QTest::newRow("true") << u"true"_s << 0;
    QTest::newRow("exit 7") << u"exit 7"_s << 7;
    QTest::newRow("false") << u"false"_s << 1;
    QTest::newRow("command not found") << u"no-such-command-here"_s << 127;
}

void SshServerTest::exitStatusIsPassedThrough()
{
    QFETCH(QString, command);
    QFETCH(int, status);
    const Run r = run(u"ssh"_s, sshArgs(u"web"_s, m_key) << command);
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, status);
}

void SshServerTest::stdoutAndStderrStayApartWithoutPty()
{
    const Run r = run(u"sshpass"_s, passwordArgs(u"web-password-1"_s, u"web"_s) << u"echo out; echo err >&2; echo out2"_s);
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("out\nout2\n"));
    QCOMPARE(r.err, QByteArray("err\n"));
}

void SshServerTest::stdinEofReachesTheCommand()
{
    const Run r = run(u"ssh"_s, sshArgs(u"web"_s, m_key) << u"cat; echo after-eof"_s, "hi\n", 20000);
    QVERIFY2(r.finished, "cat never saw end of file");
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("hi\nafter-eof\n"));
}

void SshServerTest::tenMegabytesOfStdoutArriveIntact()
{
    const Run r = run(u"ssh"_s, sshArgs(u"web"_s, m_key)
                                    << u"head -c 10485760 /dev/urandom > /tmp/blob && cat /tmp/blob && sha256sum /tmp/blob >&2"_s);
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.size(), 10485760);
    const QByteArray sent = r.err.split(' ').value(0);
    QCOMPARE(QCryptographicHash::hash(r.out, QCryptographicHash::Sha256).toHex(), sent);
}

void SshServerTest::interactiveShellFollowsResize()
{
    const QString socket = u"gasper-ssh-test-"_s + m_tag;
    const QString exitFile = m_dir.filePath(u"interactive-exit"_s);
    QStringList ssh = sshArgs(u"web"_s, m_key);
    ssh.prepend(u"-tt"_s);
    QString command = u"ssh"_s;
    for (const QString &a : std::as_const(ssh))
        command += u" '"_s + a + u"'"_s;
    command += u"; echo $? > '"_s + exitFile + u"'"_s;
    const auto tmux = [&](QStringList args) { return run(u"tmux"_s, QStringList{u"-L"_s, socket} + args, {}, 10000); };
    QVERIFY(tmux({u"new-session"_s, u"-d"_s, u"-s"_s, u"t"_s, u"-x"_s, u"100"_s, u"-y"_s, u"30"_s, command}).exitCode == 0);
    const auto screen = [&] { return tmux({u"capture-pane"_s, u"-p"_s, u"-t"_s, u"t"_s}).out; };
    const auto typeLine = [&](const QString &line) { tmux({u"send-keys"_s, u"-t"_s, u"t"_s, line, u"Enter"_s}); };
    // Each step waits for its own marker, so a slow machine only makes the test slower.
    typeLine(u"echo READY-$((40+2))"_s);
    QTRY_VERIFY_WITH_TIMEOUT(screen().contains("READY-42"), 20000);
    typeLine(u"echo TERM=$TERM; stty size"_s);
    QTRY_VERIFY_WITH_TIMEOUT(screen().contains("30 100"), 10000);
    QVERIFY(screen().contains("TERM=") && !screen().contains("TERM=\n"));
    QCOMPARE(tmux({u"resize-window"_s, u"-t"_s, u"t"_s, u"-x"_s, u"120"_s, u"-y"_s, u"40"_s}).exitCode, 0);
    QTest::qWait(300);  // SIGWINCH → ssh → window-change → POST /exec/{id}/resize
    typeLine(u"clear; stty size"_s);
    QTRY_VERIFY_WITH_TIMEOUT(screen().contains("40 120"), 10000);
    typeLine(u"exit 3"_s);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(exitFile) && QFile(exitFile).size() > 0, 10000);
    QFile file(exitFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().trimmed(), QByteArray("3"));
    tmux({u"kill-server"_s});
}

void SshServerTest::badCredentialsAreRefused_data()
{
    QTest::addColumn<QString>("app");
    QTest::addColumn<QString>("password");  // empty: log in with the key below
    QTest::addColumn<bool>("otherKey");
    QTest::newRow("wrong password") << u"web"_s << u"not-the-password"_s << false;
    QTest::newRow("another app's password") << u"web"_s << u"other-password"_s << false;
    QTest::newRow("unknown app by password") << u"nosuchapp"_s << u"web-password-1"_s << false;
    QTest::newRow("unknown app by key") << u"nosuchapp"_s << QString() << false;
    QTest::newRow("another user's key") << u"web"_s << QString() << true;
    QTest::newRow("app without a password") << u"doomed"_s << u""_s << true;
}

void SshServerTest::badCredentialsAreRefused()
{
    QFETCH(QString, app);
    QFETCH(QString, password);
    QFETCH(bool, otherKey);
    const Run r = password.isEmpty() ? run(u"ssh"_s, sshArgs(app, otherKey ? m_otherKey : m_key) << u"echo IN"_s)
                                     : run(u"sshpass"_s, passwordArgs(password, app) << u"echo IN"_s);
    QVERIFY(r.finished);
    QVERIFY2(!r.out.contains("IN"), "logged in");
    // ssh: 255 (permission denied); sshpass: 5 (wrong password).
    QVERIFY2(r.exitCode == 255 || r.exitCode == 5, qPrintable(QString::number(r.exitCode) + u' ' + QString::fromUtf8(r.err)));
}

void SshServerTest::remoteForwardingIsRefused()
{
    QStringList args = sshArgs(u"web"_s, m_key);
    args.prepend(u"ExitOnForwardFailure=yes"_s);
    args.prepend(u"-o"_s);
    args.prepend(u"0:127.0.0.1:9"_s);
    args.prepend(u"-R"_s);
    const Run r = run(u"ssh"_s, args << u"echo FORWARDED"_s, {}, 20000);
    QVERIFY(r.finished);
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.err.contains("forwarding failed"), r.err.constData());
    QVERIFY(!r.out.contains("FORWARDED"));
}

void SshServerTest::silentConnectionIsDroppedAtTheGraceDeadline()
{
    QTcpSocket socket;
    QElapsedTimer clock;
    clock.start();
    socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(socket.waitForConnected(5000));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->unauthenticatedCount() >= 1, true, 2000);
    // Says nothing at all (not even its banner): the server must hang up at the grace (3 s).
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 8000);
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= 2500 && elapsed < 6000, qPrintable(QString::number(elapsed)));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->sessionCount(), 0, 3000);
}

void SshServerTest::twentyParallelSessionsEachRespond()
{
    constexpr int kSessions = 20;
    std::vector<std::unique_ptr<QProcess>> processes;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kSessions; ++i) {
        auto p = std::make_unique<QProcess>();
        p->start(u"ssh"_s, sshArgs(u"web"_s, m_key) << u"echo start-%1; sleep 2; echo end-%1"_s.arg(i));
        processes.push_back(std::move(p));
    }
    // All 20 are inside the container at the same time: each answers its first line while
    // the others sleep.
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(processes.begin(), processes.end(),
                                         [](const auto &p) { return p->state() == QProcess::NotRunning; }),
                             60000);
    const qint64 elapsed = clock.elapsed();
    for (int i = 0; i < kSessions; ++i) {
        QCOMPARE(processes[i]->exitCode(), 0);
        QCOMPARE(processes[i]->readAllStandardOutput(), u"start-%1\nend-%1\n"_s.arg(i).toLatin1());
    }
    qInfo() << kSessions << "sessions of 2 s each took" << elapsed << "ms";
    QVERIFY2(elapsed < 20000, "sessions did not run in parallel");
}

void SshServerTest::failedLoginsLockTheAppEvenForTheRightPassword()
{
    auto hostKey = HostKey::loadOrCreate(m_dir.filePath(u"host_key"_s));
    QVERIFY(hostKey);
    SshSettings settings;
    settings.maxFailedLogins = 3;
    SshServer strict(m_docker.get(), &m_auth, *hostKey, settings);
    QVERIFY(strict.listen(QHostAddress::LocalHost, 0));
    const Run good = run(u"sshpass"_s, passwordArgs(u"web-password-1"_s, u"web"_s, strict.serverPort()) << u"echo IN"_s);
    QCOMPARE(good.out, QByteArray("IN\n"));
    for (int i = 0; i < 3; ++i) {
        const Run guess = run(u"sshpass"_s, passwordArgs(u"guess-%1"_s.arg(i), u"web"_s, strict.serverPort()) << u"echo IN"_s);
        QVERIFY(guess.exitCode == 5 || guess.exitCode == 255);
        QVERIFY(!guess.out.contains("IN"));
    }
    const Run locked = run(u"sshpass"_s, passwordArgs(u"web-password-1"_s, u"web"_s, strict.serverPort()) << u"echo IN"_s);
    QVERIFY2(!locked.out.contains("IN"), "the right password still opened a locked app");
    QVERIFY(locked.exitCode == 5 || locked.exitCode == 255);
    // The shared server (another instance, other counters) still lets the right password in.
    const Run elsewhere = run(u"sshpass"_s, passwordArgs(u"web-password-1"_s, u"web"_s) << u"echo IN"_s);
    QCOMPARE(elsewhere.out, QByteArray("IN\n"));
}

void SshServerTest::sessionEndsWithAMessageWhenTheContainerGoesAway()
{
    QProcess p;
    p.start(u"ssh"_s, sshArgs(u"doomed"_s, m_key) << u"echo IN; sleep 60"_s);
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("IN"), 20000);
    testing::Waiter<void> killed;
    m_docker->killContainer(m_containers.at(1), QString(), &killed.context, killed.callback());
    QVERIFY(killed.wait());
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 20000);
    QCOMPARE(p.exitCode(), 255);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("went away"), err.constData());

    const Run none = run(u"ssh"_s, sshArgs(u"nocontainer"_s, m_key) << u"echo IN"_s);
    QCOMPARE(none.exitCode, 255);
    QVERIFY2(none.err.contains("no running container") || none.err.contains("none"), none.err.constData());
}

QTEST_GUILESS_MAIN(SshServerTest)
#include "tst_ssh_server.moc"
