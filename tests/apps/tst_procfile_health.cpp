// SPDX-License-Identifier: MIT
// Procfiles (parsed as Heroku and Dokku do), how the run command is chosen from them, and
// the health probe's checks against a real HTTP listener on loopback.

#include "apps/ContainerSpec.h"
#include "apps/HealthProbe.h"
#include "apps/Procfile.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace gasper;
using namespace gasper::apps;
using namespace Qt::StringLiterals;

using Processes = QList<std::pair<QString, QString>>;
Q_DECLARE_METATYPE(Processes)

namespace {

// Answers every request with `status` (or not at all with 0) and counts the paths asked for.
class StatusServer final : public QTcpServer
{
public:
    int status = 200;
    QStringList paths;
    StatusServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray head = socket->readAll();
                    paths << QString::fromLatin1(head.split(' ').value(1));
                    if (status > 0)
                        socket->write("HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
};

} // namespace

class tst_ProcfileHealth : public QObject
{
    Q_OBJECT

private slots:
    void procfilesParseAsHerokuAndDokkuDo_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<Processes>("processes");
        QTest::addColumn<int>("warnings");
        using P = Processes;
        QTest::newRow("web and release") << QByteArray("web: gunicorn app:app\nrelease: ./migrate\n")
                                         << P{{u"web"_s, u"gunicorn app:app"_s}, {u"release"_s, u"./migrate"_s}} << 0;
        QTest::newRow("crlf") << QByteArray("web: node server.js\r\nworker: node w.js\r\n")
                              << P{{u"web"_s, u"node server.js"_s}, {u"worker"_s, u"node w.js"_s}} << 0;
        QTest::newRow("bom, comments, blanks, spaces") << QByteArray("\xef\xbb\xbf# hi\n\n  web:   puma -p $PORT  \n#web: no\n")
                                                       << P{{u"web"_s, u"puma -p $PORT"_s}} << 0;
        QTest::newRow("no final newline") << QByteArray("web: python3 -m http.server $PORT") << P{{u"web"_s, u"python3 -m http.server $PORT"_s}} << 0;
        QTest::newRow("colons and hashes in the command") << QByteArray("web: sh -c 'echo a: b # c'\n")
                                                          << P{{u"web"_s, u"sh -c 'echo a: b # c'"_s}} << 0;
        QTest::newRow("odd lines are skipped") << QByteArray("just text\n: x\nweb:\nweb x: y\nw.b: z\nweb: ok\n")
                                               << P{{u"web"_s, u"ok"_s}} << 5;
        QTest::newRow("names: letters, digits, _ and -") << QByteArray("Web_2-x: a\n") << P{{u"Web_2-x"_s, u"a"_s}} << 0;
        QTest::newRow("empty") << QByteArray() << P{} << 0;
        QTest::newRow("utf8 command") << QByteArray("web: echo caf\xc3\xa9\n") << P{{u"web"_s, QString::fromUtf8("echo caf\xc3\xa9")}} << 0;
    }
    void procfilesParseAsHerokuAndDokkuDo()
    {
        QFETCH(QByteArray, text);
        QFETCH(Processes, processes);
        QFETCH(int, warnings);
        const auto parsed = parseProcfile(text);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        Processes got;
        for (const auto &p : parsed->processes)
            got.append({p.name, p.command});
        QCOMPARE(got, processes);
        QCOMPARE(parsed->warnings.size(), warnings);
    }

    void badProcfilesAreRefusedWithTheLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("duplicate") << QByteArray("web: a\n\nweb: b\n") << u"Procfile line 3: `web` is already defined on line 1"_s;
        QTest::newRow("nul") << QByteArray("web: a\0b\n", 9) << u"Procfile line 1: holds a NUL byte"_s;
        QTest::newRow("too long a command") << QByteArray("web: " + QByteArray(9000, 'x')) << u"Procfile line 1: the command is longer"_s;
        QTest::newRow("too large") << QByteArray(64 * 1024 + 1, '#') << u"the Procfile is larger than 64 KiB"_s;
    }
    void badProcfilesAreRefusedWithTheLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto parsed = parseProcfile(text);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, u"procfile-invalid"_s);
        QVERIFY2(parsed.error().message.startsWith(message), qPrintable(parsed.error().message));
    }

    void theRunCommandIsRunThenWebThenTheLanguageDefault()
    {
        AppSpec spec;
        spec.language = u"python"_s;
        Procfile procfile = *parseProcfile("web: python3 app.py\nrelease: true\n");
        spec.run = u"gunicorn x"_s;
        QCOMPARE(*resolveRunCommand(spec, procfile), u"gunicorn x"_s);  // run wins
        spec.run.clear();
        QCOMPARE(*resolveRunCommand(spec, procfile), u"python3 app.py"_s);
        // Neither: the error names both.
        const auto none = resolveRunCommand(spec, std::nullopt);
        QVERIFY(!none);
        QCOMPARE(none.error().code, u"run-missing"_s);
        QVERIFY2(none.error().message.contains(u"no run command") && none.error().message.contains(u"no Procfile"),
                 qPrintable(none.error().message));
        const auto noWeb = resolveRunCommand(spec, *parseProcfile("release: true\n"));
        QVERIFY(!noWeb);
        QVERIFY2(noWeb.error().message.contains(u"no `web:` line"), qPrintable(noWeb.error().message));
        // Static sites still have their default server.
        spec.language = u"static"_s;
        QVERIFY(resolveRunCommand(spec, std::nullopt)->contains(u"httpd"));
        QCOMPARE(*resolveRunCommand(spec, procfile), u"python3 app.py"_s);
    }

    void theProcfileIsReadFromTheCheckoutOnly()
    {
        QTemporaryDir dir;
        QVERIFY(!readProcfile(dir.path())->has_value());  // none: not an error
        QFile file(dir.filePath(u"Procfile"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("web: ./serve\n");
        file.close();
        QCOMPARE((*readProcfile(dir.path()))->command(u"web"_s), std::optional<QString>(u"./serve"_s));
        // A symlink could point out of the checkout (at the server's own files): refused.
        QTemporaryDir other;
        QVERIFY(QFile::remove(dir.filePath(u"Procfile"_s)));
        QVERIFY(QFile::link(u"/etc/hostname"_s, dir.filePath(u"Procfile"_s)));
        const auto linked = readProcfile(dir.path());
        QVERIFY(!linked);
        QCOMPARE(linked.error().code, u"procfile-invalid"_s);
        QVERIFY(QFile::remove(dir.filePath(u"Procfile"_s)));
        QVERIFY(QDir(dir.path()).mkdir(u"Procfile"_s));
        QVERIFY(!readProcfile(dir.path()));
    }

    void healthChecksAcceptWhatTheySay_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("expected");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("default: any answer") << QString() << 0 << 503 << true;
        QTest::newRow("a path: 2xx") << u"/up"_s << 0 << 204 << true;
        QTest::newRow("a path: 3xx") << u"/up"_s << 0 << 302 << true;
        QTest::newRow("a path: not 4xx") << u"/up"_s << 0 << 404 << false;
        QTest::newRow("a path: not 5xx") << u"/up"_s << 0 << 500 << false;
        QTest::newRow("exact") << u"/up"_s << 200 << 200 << true;
        QTest::newRow("exact, other 2xx") << u"/up"_s << 200 << 204 << false;
        QTest::newRow("exact 503 wanted") << u"/maint"_s << 503 << 503 << true;
    }
    void healthChecksAcceptWhatTheySay()
    {
        QFETCH(QString, path);
        QFETCH(int, expected);
        QFETCH(int, status);
        QFETCH(bool, accepted);
        HealthCheck check;
        check.path = path;
        check.status = expected;
        QCOMPARE(check.accepts(status), accepted);
    }

    void theProbeAsksThePathAndWaitsForTheStatus()
    {
        StatusServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        server.status = 503;
        HealthProbe probe(u"127.0.0.1"_s, server.serverPort(), u"x.localhost"_s, 5000);
        HealthCheck check;
        check.path = u"/healthz"_s;
        check.status = 200;
        probe.setCheck(check);
        QSignalSpy finished(&probe, &HealthProbe::finished);
        probe.start();
        QTRY_VERIFY(server.paths.size() >= 3);  // 503 is retried
        QCOMPARE(finished.size(), 0);
        server.status = 200;
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(finished.first().first().value<Result<void>>().has_value());
        QCOMPARE(server.paths.first(), u"/healthz"_s);
    }

    void aFailingCheckNamesPathExpectedAndGot()
    {
        StatusServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        server.status = 500;
        HealthProbe probe(u"127.0.0.1"_s, server.serverPort(), u"x.localhost"_s, 1000);
        HealthCheck check;
        check.path = u"/healthz"_s;
        probe.setCheck(check);
        QSignalSpy finished(&probe, &HealthProbe::finished);
        probe.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        const auto result = finished.first().first().value<Result<void>>();
        QVERIFY(!result);
        QCOMPARE(result.error().code, u"health-failed"_s);
        QVERIFY2(result.error().message.startsWith(u"health check GET /healthz expected 200-399, got 500"),
                 qPrintable(result.error().message));
    }

    void theDefaultProbeTakesAnyAnswerOnTheRoot()
    {
        StatusServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        server.status = 404;
        HealthProbe probe(u"127.0.0.1"_s, server.serverPort(), u"x.localhost"_s, 5000);
        QSignalSpy finished(&probe, &HealthProbe::finished);
        probe.start();
        QTRY_COMPARE(finished.size(), 1);
        QVERIFY(finished.first().first().value<Result<void>>().has_value());
        QCOMPARE(server.paths, QStringList{u"/"_s});
    }
};

QTEST_GUILESS_MAIN(tst_ProcfileHealth)
#include "tst_procfile_health.moc"
