// SPDX-License-Identifier: MIT
// ssh <app>@host through gasperd: the app's password (set at create, changed or removed by
// PATCH), keys registered with POST /api/v1/users/me/keys, and who they open. OpenSSH's
// ssh and sshpass against the gasperd binary, a real deployed app.

#include "../support/GitFixtures.h"
#include "Harness.h"

#include <QDir>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {

struct Ssh
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Ssh runSsh(const QString &program, const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(program, args);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    p.waitForFinished(2000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

// Processes of this host (the engine's containers included) whose argv is exactly `argv`.
int processesRunning(const QList<QByteArray> &argv)
{
    int n = 0;
    for (const QString &pid : QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(pid));
        if (pid.toInt() > 0 && cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().split('\0').mid(0, argv.size()) == argv)
            ++n;
    }
    return n;
}

QString fileText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

} // namespace

class tst_SshAccess : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_root;
    std::unique_ptr<ApiClient> m_alice;
    std::unique_ptr<ApiClient> m_bob;
    GitHttpServer m_gitServer;
    QString m_gitBase;

    QString key(const QString &who) const { return m_dir.filePath(u"id_"_s + who); }

    QStringList common(const QString &app) const
    {
        return {u"-p"_s, QString::number(m_gasperd->sshPort()), u"-o"_s, u"StrictHostKeyChecking=no"_s, u"-o"_s,
                u"UserKnownHostsFile=/dev/null"_s, u"-o"_s, u"LogLevel=ERROR"_s, app + u"@127.0.0.1"_s};
    }
    Ssh withKey(const QString &who, const QString &app, const QString &command)
    {
        return runSsh(u"ssh"_s, QStringList{u"-o"_s, u"BatchMode=yes"_s, u"-o"_s, u"IdentitiesOnly=yes"_s, u"-o"_s,
                                            u"IdentityAgent=none"_s, u"-o"_s, u"PasswordAuthentication=no"_s, u"-i"_s, key(who)}
                                    + common(app) + QStringList{command});
    }
    Ssh withPassword(const QString &password, const QString &app, const QString &command)
    {
        return runSsh(u"sshpass"_s, QStringList{u"-p"_s, password, u"ssh"_s, u"-o"_s, u"PubkeyAuthentication=no"_s,
                                                u"-o"_s, u"PreferredAuthentications=password"_s, u"-o"_s,
                                                u"NumberOfPasswordPrompts=1"_s}
                                        + common(app) + QStringList{command});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString repo = m_dir.filePath(u"repos/static"_s);
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/static"), repo);
        QVERIFY2(made, qPrintable(errorText(made)));
        auto base = m_gitServer.start(m_dir.filePath(u"repos"_s));
        QVERIFY2(base, qPrintable(errorText(base)));
        m_gitBase = *base;
        for (const QString &who : {u"alice"_s, u"bob"_s, u"root"_s}) {
            const Ssh made = runSsh(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-C"_s,
                                                      who + u"@test"_s, u"-f"_s, key(who)});
            QCOMPARE(made.exitCode, 0);
        }
        m_gasperd = std::make_unique<Gasperd>();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_root = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_root->signIn(u"root"_s).isEmpty());
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(u"alice"_s).isEmpty());
        m_bob = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_bob->signIn(u"bob"_s).isEmpty());

        const QJsonObject body{{u"name"_s, u"sshweb"_s}, {u"language"_s, u"static"_s},
                               {u"git"_s, QJsonObject{{u"url"_s, QString(m_gitBase + u"/static"_s)}}},
                               {u"run"_s, u"busybox httpd -f -p $PORT -h /app"_s},
                               {u"password"_s, u"alice-app-pass"_s}};
        const CurlResult created = m_alice->post(u"/api/v1/apps"_s, body);
        QCOMPARE(created.status, 202);
        QVERIFY(!created.body.contains("alice-app-pass"));
        const QJsonObject app = m_alice->waitForState(u"sshweb"_s, {u"running"_s, u"failed"_s}, 180000);
        QCOMPARE(app.value(u"state").toString(), u"running"_s);
    }

    void cleanupTestCase()
    {
        if (m_alice)
            m_alice->del(u"/api/v1/apps/sshweb"_s);
        if (m_gasperd)
            m_gasperd->stop();
    }

    void shortPasswordAtCreateIsRefused()
    {
        const QJsonObject body{{u"name"_s, u"shortpw"_s}, {u"language"_s, u"static"_s},
                               {u"git"_s, QJsonObject{{u"url"_s, QString(m_gitBase + u"/static"_s)}}},
                               {u"run"_s, u"true"_s}, {u"password"_s, u"short"_s}};
        const CurlResult r = m_alice->post(u"/api/v1/apps"_s, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), u"invalid-body"_s);
        QCOMPARE(m_alice->get(u"/api/v1/apps/shortpw"_s).status, 404);
    }

    void appPasswordOpensAShellAsTheAppUserInApp()
    {
        const Ssh r = withPassword(u"alice-app-pass"_s, u"sshweb"_s, u"pwd; ls /app; exit 4"_s);
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.startsWith("/app\n"), r.out.constData());
        QVERIFY(r.out.contains("index.html") || r.out.size() > 5);
    }

    void keysAreValidatedListedAndUniqueAcrossUsers()
    {
        CurlResult bad = m_alice->post(u"/api/v1/users/me/keys"_s, QJsonObject{{u"public_key"_s, u"ssh-ed25519 AAAAnope"_s}});
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.errorCode(), u"invalid-key"_s);
        const QString alicePub = fileText(key(u"alice"_s) + u".pub"_s);
        const CurlResult added = m_alice->post(u"/api/v1/users/me/keys"_s, QJsonObject{{u"public_key"_s, alicePub}});
        QCOMPARE(added.status, 201);
        const QString fingerprint = added.json().value(u"fingerprint").toString();
        const QString keygen = run(u"ssh-keygen"_s, {u"-l"_s, u"-E"_s, u"sha256"_s, u"-f"_s, key(u"alice"_s) + u".pub"_s});
        QVERIFY2(keygen.contains(fingerprint) && fingerprint.startsWith(u"SHA256:"), qPrintable(keygen));
        QCOMPARE(added.json().value(u"name").toString(), u"alice@test"_s);  // the comment by default
        QVERIFY(!added.json().value(u"created_at").toString().isEmpty());

        const CurlResult stolen = m_bob->post(u"/api/v1/users/me/keys"_s, QJsonObject{{u"public_key"_s, alicePub}});
        QCOMPARE(stolen.status, 409);
        QCOMPARE(stolen.errorCode(), u"key-taken"_s);
        QCOMPARE(m_bob->post(u"/api/v1/users/me/keys"_s,
                             QJsonObject{{u"public_key"_s, fileText(key(u"bob"_s) + u".pub"_s)}, {u"name"_s, u"bob's"_s}})
                     .status,
                 201);
        QCOMPARE(m_root->post(u"/api/v1/users/me/keys"_s, QJsonObject{{u"public_key"_s, fileText(key(u"root"_s) + u".pub"_s)}})
                     .status,
                 201);
        const QJsonArray aliceKeys = m_alice->get(u"/api/v1/users/me/keys"_s).json().value(u"keys").toArray();
        QCOMPARE(aliceKeys.size(), 1);
        QCOMPARE(aliceKeys.at(0).toObject().value(u"fingerprint").toString(), fingerprint);
        QCOMPARE(m_bob->get(u"/api/v1/users/me/keys"_s).json().value(u"keys").toArray().size(), 1);
    }

    void ownerAndAdminKeysOpenTheAppAnotherUsersDoesNot()
    {
        QCOMPARE(withKey(u"alice"_s, u"sshweb"_s, u"echo owner"_s).out, QByteArray("owner\n"));
        QCOMPARE(withKey(u"root"_s, u"sshweb"_s, u"echo admin"_s).out, QByteArray("admin\n"));
        const Ssh bob = withKey(u"bob"_s, u"sshweb"_s, u"echo bob"_s);
        QCOMPARE(bob.exitCode, 255);
        QVERIFY(bob.out.isEmpty());
        const Ssh unknown = withKey(u"alice"_s, u"nosuchapp"_s, u"echo x"_s);
        QCOMPARE(unknown.exitCode, 255);
    }

    // sftp and scp (OpenSSH 9's, which speaks sftp) reach /app as the app's user; the
    // read-only image stays read-only.
    void sftpAndScpCopyFilesIntoAndOutOfTheApp()
    {
        QByteArray payload;
        for (int i = 0; i < 300000; ++i)
            payload += char((i * 31 + i / 256) & 0xff);  // every byte value: the channel is binary-clean
        QFile local(m_dir.filePath(u"payload.bin"_s));
        QVERIFY(local.open(QIODevice::WriteOnly) && local.write(payload) == payload.size());
        local.close();
        const QStringList options{u"-P"_s, QString::number(m_gasperd->sshPort()), u"-o"_s, u"StrictHostKeyChecking=no"_s,
                                  u"-o"_s, u"UserKnownHostsFile=/dev/null"_s, u"-o"_s, u"LogLevel=ERROR"_s,
                                  u"-o"_s, u"BatchMode=yes"_s, u"-o"_s, u"IdentitiesOnly=yes"_s, u"-o"_s, u"IdentityAgent=none"_s,
                                  u"-i"_s, key(u"alice"_s)};
        QFile batch(m_dir.filePath(u"sftp-batch"_s));
        QVERIFY(batch.open(QIODevice::WriteOnly));
        batch.write("pwd\nput " + local.fileName().toUtf8() + " /app/uploaded.bin\nget /app/uploaded.bin "
                    + m_dir.filePath(u"back.bin"_s).toUtf8() + "\n-put " + local.fileName().toUtf8() + " /usr/nope\n");
        batch.close();
        // The line gasperctl prints to paste, run as printed (with the owner's key: sftp -b
        // allows no password prompt).
        const Ssh printed = runSsh(QStringLiteral(GASPER_BINARY_DIR "/bin/gasperctl"),
                                   {u"ssh"_s, u"sshweb"_s, u"--sftp"_s, u"--port"_s, QString::number(m_gasperd->sshPort()),
                                    u"--api"_s, m_gasperd->api()});
        QCOMPARE(printed.exitCode, 0);
        QStringList line = QString::fromUtf8(printed.out).trimmed().split(u' ');
        QCOMPARE(line, (QStringList{u"sftp"_s, u"-P"_s, QString::number(m_gasperd->sshPort()), u"sshweb@127.0.0.1"_s}));
        const QString address = line.takeLast();
        line.removeFirst();
        const Ssh sftp = runSsh(u"sftp"_s, QStringList{u"-b"_s, batch.fileName()} + line + options.mid(2) + QStringList{address});
        QVERIFY2(sftp.exitCode == 0, sftp.err.constData());
        QVERIFY2(sftp.out.contains("Remote working directory: /app"), sftp.out.constData());
        QFile back(m_dir.filePath(u"back.bin"_s));
        QVERIFY(back.open(QIODevice::ReadOnly));
        QVERIFY(back.readAll() == payload);
        // The '-put' into /usr was refused (and the batch went on).
        QVERIFY2(sftp.err.contains("/usr/nope"), sftp.err.constData());

        const Ssh owner = withPassword(u"alice-app-pass"_s, u"sshweb"_s,
                                       u"stat -c '%u %s' /app/uploaded.bin; test -e /usr/nope || echo absent"_s);
        QCOMPARE(owner.exitCode, 0);
        QCOMPARE(owner.out, QByteArray("10000 " + QByteArray::number(payload.size()) + "\nabsent\n"));

        const Ssh scp = runSsh(u"scp"_s, options + QStringList{local.fileName(), u"sshweb@127.0.0.1:/app/copied.bin"_s});
        QVERIFY2(scp.exitCode == 0, scp.err.constData());
        const Ssh sum = withPassword(u"alice-app-pass"_s, u"sshweb"_s, u"cmp /app/copied.bin /app/uploaded.bin && echo same"_s);
        QCOMPARE(sum.out, QByteArray("same\n"));
    }

    // The Engine API cannot kill an exec: a command without a terminal whose client vanished
    // (no EOF, no close) would sleep on in the container. gasperd signals it by its host PID.
    void aCommandWhoseClientVanishesDoesNotRunOn()
    {
        const QList<QByteArray> argv{"sleep", "4242"};
        QCOMPARE(processesRunning(argv), 0);
        QProcess client;
        client.start(u"ssh"_s, QStringList{u"-o"_s, u"BatchMode=yes"_s, u"-o"_s, u"IdentitiesOnly=yes"_s, u"-o"_s,
                                           u"IdentityAgent=none"_s, u"-o"_s, u"PasswordAuthentication=no"_s, u"-i"_s,
                                           key(u"alice"_s)}
                                   + common(u"sshweb"_s) + QStringList{u"exec sleep 4242"_s});
        QTRY_COMPARE_WITH_TIMEOUT(processesRunning(argv), 1, 30000);
        client.kill();  // SIGKILL: the connection just drops
        client.waitForFinished(5000);
        QTRY_COMPARE_WITH_TIMEOUT(processesRunning(argv), 0, 15000);
    }

    void wrongPasswordIsRefused()
    {
        const Ssh r = withPassword(u"not-alices-password"_s, u"sshweb"_s, u"echo IN"_s);
        QVERIFY(!r.out.contains("IN"));
        QVERIFY(r.exitCode == 5 || r.exitCode == 255);
    }

    void patchChangesAndRemovesThePasswordWithoutARebuild()
    {
        const int deploysBefore = int(m_alice->get(u"/api/v1/apps/sshweb/deploys"_s).json().value(u"deploys").toArray().size());
        CurlResult changed = m_alice->patch(u"/api/v1/apps/sshweb"_s, QJsonObject{{u"password"_s, u"a-new-password"_s}});
        QCOMPARE(changed.status, 200);
        QVERIFY(!changed.body.contains("a-new-password"));
        QCOMPARE(withPassword(u"a-new-password"_s, u"sshweb"_s, u"echo new"_s).out, QByteArray("new\n"));
        QVERIFY(!withPassword(u"alice-app-pass"_s, u"sshweb"_s, u"echo old"_s).out.contains("old"));
        // Another user cannot change it (the app is not theirs: 404).
        QCOMPARE(m_bob->patch(u"/api/v1/apps/sshweb"_s, QJsonObject{{u"password"_s, u"bobs-password"_s}}).status, 404);
        QCOMPARE(m_alice->patch(u"/api/v1/apps/sshweb"_s, QJsonObject{{u"password"_s, u"short"_s}}).status, 400);
        CurlResult removed = m_alice->patch(u"/api/v1/apps/sshweb"_s, QJsonObject{{u"password"_s, QJsonValue()}});
        QCOMPARE(removed.status, 200);
        QVERIFY(!withPassword(u"a-new-password"_s, u"sshweb"_s, u"echo new"_s).out.contains("new"));
        const int deploysAfter = int(m_alice->get(u"/api/v1/apps/sshweb/deploys"_s).json().value(u"deploys").toArray().size());
        QCOMPARE(deploysAfter, deploysBefore);
    }

    void removedKeyNoLongerOpensTheApp()
    {
        QCOMPARE(m_alice->del(u"/api/v1/users/me/keys/alice@test"_s).status, 204);
        QCOMPARE(m_alice->del(u"/api/v1/users/me/keys/alice@test"_s).status, 404);
        QCOMPARE(withKey(u"alice"_s, u"sshweb"_s, u"echo x"_s).exitCode, 255);
        QVERIFY(m_alice->get(u"/api/v1/users/me/keys"_s).json().value(u"keys").toArray().isEmpty());
    }

    void hostKeyFingerprintSurvivesARestart()
    {
        // Every start prints its fingerprint; the log keeps both runs.
        const auto fingerprints = [this] {
            QStringList found;
            auto it = QRegularExpression(u"host key (SHA256:[A-Za-z0-9+/]+)"_s).globalMatch(m_gasperd->log());
            while (it.hasNext())
                found << it.next().captured(1);
            return found;
        };
        QCOMPARE(fingerprints().size(), 1);
        const QString before = fingerprints().constFirst();
        QCOMPARE(QFile::permissions(m_gasperd->dataDir() + u"/ssh_host_ed25519_key"_s) & 0x0077, QFileDevice::Permissions());
        m_gasperd->stop();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        QTRY_COMPARE_WITH_TIMEOUT(fingerprints().size(), 2, 5000);
        QCOMPARE(fingerprints().constLast(), before);
        const QString keyscan = run(u"sh"_s, {u"-c"_s, u"ssh-keyscan -p %1 127.0.0.1 2>/dev/null | ssh-keygen -lf -"_s
                                                            .arg(m_gasperd->sshPort())});
        QVERIFY2(keyscan.contains(before), qPrintable(keyscan));
    }
};

QTEST_GUILESS_MAIN(tst_SshAccess)
#include "tst_ssh_access.moc"
