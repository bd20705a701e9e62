// SPDX-License-Identifier: MIT
// Tenants fenced off, end to end: a real gasperd, the real Docker engine, docker exec as
// the probe. Each user's apps share a network of that user's only; containers run
// unprivileged; secret env values reach the app and nothing else.

#include "Harness.h"
#include "../support/GitFixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QWebSocket>

using namespace gasper::testing;

namespace {

QJsonObject fixtureSpec(const QString &fixture)
{
    QFile f(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/%1/gasper.json").arg(fixture));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

struct Exec
{
    int exitCode = -1;
    QString output;
};

// `docker exec` in a container: what a process of the app can do.
Exec dockerExec(const QString &container, const QStringList &argv, int timeoutMs = 30000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("docker"), QStringList{QStringLiteral("exec"), container} + argv);
    p.waitForFinished(timeoutMs);
    return Exec{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll()).trimmed()};
}

// A TCP connection attempt from inside the container, with python3 (in gasper/python).
Exec connectFrom(const QString &container, const QString &host, int port)
{
    return dockerExec(container, {QStringLiteral("python3"), QStringLiteral("-c"),
                                  QStringLiteral("import socket, sys\n"
                                                 "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)\n"
                                                 "s.sendall(b'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n')\n"
                                                 "print('connected', s.recv(200).decode(errors='replace'))"),
                                  host, QString::number(port)});
}

} // namespace

class tst_Tenancy : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    GitHttpServer m_gitServer;
    QString m_gitBase;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_admin;
    std::unique_ptr<ApiClient> m_alice;
    std::unique_ptr<ApiClient> m_bob;

    QJsonObject createBody(const QString &name, const QString &fixture) const
    {
        const QJsonObject spec = fixtureSpec(fixture);
        return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("language"), spec.value(u"language")},
                           {QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(m_gitBase + u'/' + fixture)}}},
                           {QStringLiteral("build"), spec.value(u"build")}, {QStringLiteral("run"), spec.value(u"run")}};
    }
    QJsonObject deploy(ApiClient &api, const QJsonObject &body, int timeoutMs = 180000)
    {
        const CurlResult created = api.post(QStringLiteral("/api/v1/apps"), body);
        if (created.status != 202)
            qWarning() << "create answered" << created.status << created.body;
        return api.waitForState(body.value(u"name").toString(), {QStringLiteral("running"), QStringLiteral("failed")},
                                timeoutMs);
    }
    QString failure(const QJsonObject &app) const
    {
        return QString::fromUtf8(QJsonDocument(app).toJson()) + m_gasperd->log().right(3000);
    }
    QString containerOf(const QString &app) const
    {
        return run(QStringLiteral("docker"), {QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--filter"),
                                              QStringLiteral("label=gasper.app=") + app, QStringLiteral("--filter"),
                                              QStringLiteral("label=gasper.node=") + m_gasperd->nodeName()});
    }
    QJsonObject networksOf(const QString &container) const
    {
        return QJsonDocument::fromJson(run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                                     QStringLiteral("{{json .NetworkSettings.Networks}}"),
                                                                     container}).toUtf8()).object();
    }
    QStringList networksOfThisGasperd() const
    {
        return run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q"),
                                              QStringLiteral("--filter"), QStringLiteral("label=gasper.node=") + m_gasperd->nodeName()})
            .split(u'\n', Qt::SkipEmptyParts);
    }
    void removeAllApps()
    {
        if (!m_admin)
            return;
        const QJsonArray apps = m_admin->get(QStringLiteral("/api/v1/apps")).json().value(u"apps").toArray();
        for (const QJsonValue &a : apps)
            m_admin->del(QStringLiteral("/api/v1/apps/") + a.toObject().value(u"name").toString());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_repos.isValid());
        for (const QString &fixture : {QStringLiteral("python"), QStringLiteral("node"), QStringLiteral("php"),
                                       QStringLiteral("ruby"), QStringLiteral("go"), QStringLiteral("static")}) {
            auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/") + fixture,
                                                      m_repos.path() + u'/' + fixture);
            QVERIFY2(made, qPrintable(errorText(made)));
        }
        auto base = m_gitServer.start(m_repos.path());
        QVERIFY2(base, qPrintable(errorText(base)));
        m_gitBase = *base;
        // Every log category at debug: a secret must not reach even those lines.
        qputenv("QT_LOGGING_RULES", "gasper.*.debug=true");
        m_gasperd = std::make_unique<Gasperd>();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_admin = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_admin->signIn(QStringLiteral("root")).isEmpty());
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(QStringLiteral("alice")).isEmpty());
        m_bob = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_bob->signIn(QStringLiteral("bob")).isEmpty());
    }

    void cleanup() { removeAllApps(); }

    void cleanupTestCase()
    {
        removeAllApps();
        if (m_gasperd)
            m_gasperd->stop();
    }

    void appOfOneUserCannotReachAnotherUsersAppButReachesItsOwnByName()
    {
        for (const auto &[api, name] : {std::pair{m_alice.get(), QStringLiteral("alice-one")},
                                        std::pair{m_alice.get(), QStringLiteral("alice-two")},
                                        std::pair{m_bob.get(), QStringLiteral("bob-one")}}) {
            const QJsonObject app = deploy(*api, createBody(name, QStringLiteral("python")));
            QVERIFY2(app.value(u"state").toString() == u"running", qPrintable(failure(app)));
        }
        const QString a1 = containerOf(QStringLiteral("alice-one"));
        const QString a2 = containerOf(QStringLiteral("alice-two"));
        const QString b1 = containerOf(QStringLiteral("bob-one"));
        QVERIFY(!a1.isEmpty() && !a2.isEmpty() && !b1.isEmpty());

        // Each container is on its owner's network only (not Docker's default bridge);
        // both of alice's on the same one, bob's on another.
        const QJsonObject netA1 = networksOf(a1), netA2 = networksOf(a2), netB1 = networksOf(b1);
        QCOMPARE(netA1.keys().size(), 1);
        QCOMPARE(netB1.keys().size(), 1);
        QCOMPARE(netA2.keys(), netA1.keys());
        QVERIFY(netA1.keys() != netB1.keys());
        QVERIFY(!netA1.contains(u"bridge") && !netB1.contains(u"bridge"));
        QVERIFY(netA1.keys().first().contains(m_gasperd->nodeName()));
        QCOMPARE(networksOfThisGasperd().size(), 2);  // made once per user, not per app
        const QString bobAddress = netB1.value(netB1.keys().first()).toObject().value(u"IPAddress").toString();
        QVERIFY(!bobAddress.isEmpty());

        // The control: bob's app does listen on that address (the host reaches it) ...
        QCOMPARE(curl({QStringLiteral("http://%1:8080/").arg(bobAddress)}, 5000).status, 200);
        // ... and alice's app reaches her other app by its name ...
        const Exec own = connectFrom(a1, QStringLiteral("alice-two"), 8080);
        QVERIFY2(own.exitCode == 0 && own.output.contains(u"connected HTTP/1."), qPrintable(own.output));
        // ... but not bob's, neither by address nor by name.
        const Exec other = connectFrom(a1, bobAddress, 8080);
        QVERIFY2(other.exitCode != 0 && !other.output.contains(u"connected"), qPrintable(other.output));
        const Exec byName = connectFrom(a1, QStringLiteral("bob-one"), 8080);
        QVERIFY2(byName.exitCode != 0 && !byName.output.contains(u"connected"), qPrintable(byName.output));
        const Exec back = connectFrom(b1, netA1.value(netA1.keys().first()).toObject().value(u"IPAddress").toString(), 8080);
        QVERIFY2(back.exitCode != 0 && !back.output.contains(u"connected"), qPrintable(back.output));
        // The proxy still reaches every app on its published loopback port.
        for (const QString &name : {QStringLiteral("alice-one"), QStringLiteral("alice-two"), QStringLiteral("bob-one")})
            QCOMPARE(viaProxy(*m_gasperd, name).status, 200);

        // The network goes with the user's last app, not before.
        const QString aliceNetwork = netA1.keys().first();
        QCOMPARE(m_alice->del(QStringLiteral("/api/v1/apps/alice-one")).status, 204);
        QTest::qWait(12000);  // past the removal delay (10 s)
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("inspect"), QStringLiteral("-f"),
                                                QStringLiteral("{{.Name}}"), aliceNetwork}), aliceNetwork);
        QCOMPARE(m_alice->del(QStringLiteral("/api/v1/apps/alice-two")).status, 204);
        QTRY_COMPARE_WITH_TIMEOUT(networksOfThisGasperd().size(), 1, 30000);  // bob's stays
    }

    void appsRunUnprivilegedAndEveryLanguageBuildsIntoApp_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("build");  // writes into /app with the language's own tool, and into $HOME
        QTest::newRow("python") << QStringLiteral("python")
                                << QStringLiteral("python3 -m compileall -q . && python3 -c \"open('built','w').write('x')\"");
        QTest::newRow("node") << QStringLiteral("node") << QStringLiteral("node -e \"require('fs').writeFileSync('built', 'x')\"");
        QTest::newRow("php") << QStringLiteral("php") << QStringLiteral("php -r \"file_put_contents('built', 'x');\"");
        QTest::newRow("ruby") << QStringLiteral("ruby")
                              << QStringLiteral("ruby -e \"File.write('built', 'x')\" && gem env gempath >/dev/null");
        // no GOCACHE/GOPATH given: they default below HOME, which Gasper points at /tmp
        QTest::newRow("go") << QStringLiteral("go") << QStringLiteral("go build -o app . && touch built");
        QTest::newRow("static") << QStringLiteral("static") << QStringLiteral("busybox touch built");
    }
    void appsRunUnprivilegedAndEveryLanguageBuildsIntoApp()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, build);
        const QString name = QStringLiteral("unpriv-") + fixture;
        QJsonObject body = createBody(name, fixture);
        body.insert(QStringLiteral("build"), QJsonArray{build, QStringLiteral("mkdir -p \"$HOME/.cache/probe\"")});
        const QJsonObject app = deploy(*m_alice, body, 300000);
        QVERIFY2(app.value(u"state").toString() == u"running", qPrintable(failure(app)));
        QCOMPARE(viaProxy(*m_gasperd, name).status, 200);
        const QString id = containerOf(name);
        QVERIFY(!id.isEmpty());

        const Exec uid = dockerExec(id, {QStringLiteral("id"), QStringLiteral("-u")});
        QCOMPARE(uid.exitCode, 0);
        QVERIFY(uid.output.toInt() >= 10000);
        const Exec caps = dockerExec(id, {QStringLiteral("grep"), QStringLiteral("^Cap"), QStringLiteral("/proc/self/status")});
        QVERIFY2(caps.output.contains(u"CapEff:\t0000000000000000"), qPrintable(caps.output));
        QVERIFY2(caps.output.contains(u"CapBnd:\t0000000000000000"), qPrintable(caps.output));
        const Exec noNewPrivs = dockerExec(id, {QStringLiteral("grep"), QStringLiteral("^NoNewPrivs"), QStringLiteral("/proc/self/status")});
        QVERIFY2(noNewPrivs.output.contains(u"1"), qPrintable(noNewPrivs.output));
        const Exec usr = dockerExec(id, {QStringLiteral("touch"), QStringLiteral("/usr/gasper-probe")});
        QVERIFY2(usr.exitCode != 0, qPrintable(usr.output));
        const Exec etc = dockerExec(id, {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo x > /etc/gasper-probe")});
        QVERIFY2(etc.exitCode != 0, qPrintable(etc.output));
        const Exec owner = dockerExec(id, {QStringLiteral("stat"), QStringLiteral("-c"), QStringLiteral("%u"),
                                           QStringLiteral("/app"), QStringLiteral("/app/built")});
        QCOMPARE(owner.output.split(u'\n'), QStringList(2, uid.output));
        const Exec tmp = dockerExec(id, {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo x > /tmp/probe && cat /tmp/probe")});
        QCOMPARE(tmp.output, QStringLiteral("x"));
    }

    void secretEnvReachesTheAppButNoAnswerEventOrLogLine()
    {
        const QString secret = QStringLiteral("s3cret-value-9f2c4e");
        QWebSocket ws;
        QSignalSpy connected(&ws, &QWebSocket::connected);
        QStringList events;
        connect(&ws, &QWebSocket::textMessageReceived, this, [&events](const QString &m) { events << m; });
        ws.open(QUrl(m_gasperd->api().replace(QStringLiteral("http://"), QStringLiteral("ws://"))
                     + QStringLiteral("/api/v1/events?token=") + m_alice->token()));
        QVERIFY(connected.wait(5000));

        const QString name = QStringLiteral("secret-py");
        QJsonObject body = createBody(name, QStringLiteral("python"));
        body.insert(QStringLiteral("env"), QJsonObject{{QStringLiteral("MESSAGE"), QJsonObject{{QStringLiteral("value"), secret},
                                                                                               {QStringLiteral("secret"), true}}},
                                                       {QStringLiteral("PLAIN"), QStringLiteral("visible")}});
        body.insert(QStringLiteral("build"), QJsonArray{QStringLiteral("echo \"build sees $MESSAGE\"")});
        const CurlResult created = m_alice->post(QStringLiteral("/api/v1/apps"), body);
        QCOMPARE(created.status, 202);
        QVERIFY(!created.body.contains(secret.toUtf8()));
        QJsonObject app = m_alice->waitForState(name, {QStringLiteral("running"), QStringLiteral("failed")});
        QVERIFY2(app.value(u"state").toString() == u"running", qPrintable(failure(app)));

        // In the container's environment: the fixture appends $MESSAGE to its answer.
        const CurlResult served = viaProxy(*m_gasperd, name);
        QCOMPARE(served.status, 200);
        QVERIFY2(served.body.contains(secret.toUtf8()), served.body.constData());

        // Shown as set, never as its value; the plain one is shown.
        const QJsonObject env = app.value(u"env").toObject();
        QCOMPARE(env.value(u"MESSAGE").toObject(), (QJsonObject{{QStringLiteral("secret"), true}}));
        QCOMPARE(env.value(u"PLAIN").toString(), QStringLiteral("visible"));
        // PATCH merges around it: removing the plain one keeps the secret in the app.
        QCOMPARE(m_alice->patch(QStringLiteral("/api/v1/apps/") + name,
                                QJsonObject{{QStringLiteral("env"), QJsonObject{{QStringLiteral("PLAIN"), QJsonValue()}}}}).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->get(QStringLiteral("/api/v1/apps/") + name + QStringLiteral("/deploys")).json()
                                      .value(u"deploys").toArray().first().toObject().value(u"status").toString(),
                                  QStringLiteral("succeeded"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(viaProxy(*m_gasperd, name).body.contains(secret.toUtf8()), 10000);
        app = m_alice->get(QStringLiteral("/api/v1/apps/") + name).json();
        QVERIFY(!app.value(u"env").toObject().contains(u"PLAIN"));
        QCOMPARE(app.value(u"env").toObject().value(u"MESSAGE").toObject().value(u"secret").toBool(), true);

        // A failing build that prints it: the error and its output lines show *** instead.
        const QString failing = QStringLiteral("secret-fail");
        QJsonObject bad = createBody(failing, QStringLiteral("python"));
        bad.insert(QStringLiteral("env"), QJsonObject{{QStringLiteral("TOKEN"), QJsonObject{{QStringLiteral("value"), secret},
                                                                                            {QStringLiteral("secret"), true}}}});
        bad.insert(QStringLiteral("build"), QJsonArray{QStringLiteral("echo \"token is $TOKEN\"; exit 3")});
        const QJsonObject failed = deploy(*m_alice, bad);
        QCOMPARE(failed.value(u"state").toString(), QStringLiteral("failed"));
        QVERIFY2(failed.value(u"last_error").toString().contains(u"token is ***"), qPrintable(failure(failed)));

        // Nowhere else: no API answer (as owner or admin), no event, no daemon log line.
        QStringList answers;
        for (ApiClient *api : {m_alice.get(), m_admin.get()}) {
            const QString app = QStringLiteral("/api/v1/apps/") + name;
            const QString bad = QStringLiteral("/api/v1/apps/") + failing;
            const QStringList paths{QStringLiteral("/api/v1/apps"), app, app + QStringLiteral("/deploys"),
                                    app + QStringLiteral("/deploys/1/log"), app + QStringLiteral("/deploys/2/log"),
                                    bad, bad + QStringLiteral("/deploys"), bad + QStringLiteral("/deploys/1/log")};
            for (const QString &path : paths) {
                const CurlResult r = api->get(path);
                QVERIFY2(r.status == 200, qPrintable(path + QStringLiteral(" answered %1").arg(r.status)));
                QVERIFY2(!r.body.contains(secret.toUtf8()), qPrintable(path + QStringLiteral(": ") + QString::fromUtf8(r.body)));
                answers << QString::fromUtf8(r.body);
            }
        }
        QVERIFY(answers.join(u'\n').contains(u"build sees ***"));  // the output line is there, masked
        QTRY_VERIFY_WITH_TIMEOUT(events.join(u'\n').contains(u"token is ***"), 10000);
        const QString allEvents = events.join(u'\n');
        QVERIFY(allEvents.contains(u"build sees ***"));
        QVERIFY2(!allEvents.contains(secret), qPrintable(allEvents.right(2000)));
        QVERIFY(m_gasperd->log().contains(u" D gasper."));  // debug lines were written ...
        QVERIFY2(!m_gasperd->log().contains(secret), "a secret reached gasperd's log");  // ... none with it
    }
};

QTEST_MAIN(tst_Tenancy)
#include "tst_tenancy.moc"
