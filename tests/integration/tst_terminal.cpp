// SPDX-License-Identifier: MIT
// WS /api/v1/apps/{name}/terminal: a QWebSocket client against the gasperd binary and a
// deployed app (tests/fixtures/python) on the real Docker engine.

#include "../support/GitFixtures.h"
#include "Harness.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

using namespace gasper::testing;
using namespace Qt::StringLiterals;

// A polling wait for helpers that return a bool (QTRY_* return from the test function).
#define WAIT_UNTIL(expr, timeout)                                                             \
    do {                                                                                                        \
        QElapsedTimer t_;                                                                                       \
        t_.start();                                                                                             \
        while (!(expr) && t_.elapsed() < (timeout))                                                             \
            QTest::qWait(20);                                                                                   \
    } while (false)

namespace {

// gasperd's resident memory in kB (VmRSS of /proc/<pid>/status).
qint64 rssKb(qint64 pid)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// One terminal client: everything the server sent, kept.
class Terminal
{
public:
    Terminal(const QString &api, const QString &app, const QString &token, int cols = 0, int rows = 0,
             const QString &query = {})
    {
        QString url = api;
        url.replace(u"http://"_s, u"ws://"_s);
        url += u"/api/v1/apps/"_s + app + u"/terminal"_s;
        if (cols > 0)
            url += u"?cols=%1&rows=%2"_s.arg(cols).arg(rows);
        if (!query.isEmpty())
            url += (cols > 0 ? u"&"_s : u"?"_s) + query;
        QNetworkRequest request{QUrl(url)};
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        QObject::connect(&ws, &QWebSocket::binaryMessageReceived, &ws, [this](const QByteArray &b) {
            output += b;
            frames << b;
        });
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [this](const QString &t) { texts << t; });
        QObject::connect(&ws, &QWebSocket::disconnected, &ws, [this] { closed = true; });
        ws.open(request);
    }
    bool waitConnected()
    {
        WAIT_UNTIL(ws.state() == QAbstractSocket::ConnectedState || closed, 15000);
        return ws.state() == QAbstractSocket::ConnectedState;
    }
    void type(const QByteArray &keys) { ws.sendBinaryMessage(keys); }
    // Waits until the output contains `what`.
    bool waitFor(const QByteArray &what, int timeoutMs = 15000)
    {
        WAIT_UNTIL(output.contains(what) || closed, timeoutMs);
        return output.contains(what);
    }

    // Without a TTY every output frame starts with its channel byte (1 stdout, 2 stderr).
    QByteArray channel(char which) const
    {
        QByteArray bytes;
        for (const QByteArray &frame : frames)
            if (frame.startsWith(which))
                bytes += frame.mid(1);
        return bytes;
    }

    QWebSocket ws;
    QByteArrayList frames;
    QByteArray output;
    QStringList texts;
    bool closed = false;
};


} // namespace

class tst_Terminal : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_alice;
    std::unique_ptr<ApiClient> m_bob;
    const QString m_app = u"termapp"_s;

    std::unique_ptr<Terminal> open(int cols = 0, int rows = 0)
    {
        return std::make_unique<Terminal>(m_gasperd->api(), m_app, m_alice->token(), cols, rows);
    }

    // The status of an upgrade request refused before the upgrade.
    int upgradeStatus(const QString &token, const QString &app)
    {
        const CurlResult r = curl({u"-H"_s, u"Authorization: Bearer "_s + token, u"-H"_s, u"Connection: Upgrade"_s,
                                   u"-H"_s, u"Upgrade: websocket"_s, u"-H"_s, u"Sec-WebSocket-Version: 13"_s, u"-H"_s,
                                   u"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="_s, u"-m"_s, u"10"_s,
                                   m_gasperd->api() + u"/api/v1/apps/"_s + app + u"/terminal"_s});
        return r.status;
    }

    // gasperctl as a user runs it, with alice's token; stdin from `input`.
    struct CtlRun
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };
    CtlRun gasperctl(const QStringList &args, const QByteArray &input = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"GASPER_API"_s, m_gasperd->api());
        env.insert(u"GASPER_TOKEN"_s, m_alice->token());
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"ctl-config"_s));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(ctlPath(), args);
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            p.kill();
        p.waitForFinished();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    static QString ctlPath() { return QStringLiteral(GASPER_BINARY_DIR "/bin/gasperctl"); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString repo = m_dir.filePath(u"python"_s);
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/python"), repo);
        QVERIFY2(made, qPrintable(errorText(made)));
        m_gasperd = std::make_unique<Gasperd>();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(u"alice"_s).isEmpty());
        m_bob = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_bob->signIn(u"bob"_s).isEmpty());
        const QJsonObject body{{u"name"_s, m_app}, {u"language"_s, u"python"_s},
                               {u"git"_s, QJsonObject{{u"url"_s, QString(u"file://"_s + repo)}}},
                               {u"run"_s, u"python3 app.py"_s}};
        const CurlResult created = m_alice->post(u"/api/v1/apps"_s, body);
        QCOMPARE(created.status, 202);
        const QJsonObject app = m_alice->waitForState(m_app, {u"running"_s, u"failed"_s}, 180000);
        QVERIFY2(app.value(u"state").toString() == u"running", qPrintable(m_gasperd->log().right(3000)));
    }

    void cleanupTestCase()
    {
        if (m_alice)
            m_alice->del(u"/api/v1/apps/"_s + m_app);
        if (m_gasperd)
            m_gasperd->stop();
    }

    void commandOutputArrivesInBinaryFrames()
    {
        auto t = open();
        QVERIFY(t->waitConnected());
        t->type("echo h\"\"i; pwd\n");
        QVERIFY2(t->waitFor("hi\r\n"), t->output.constData());
        QVERIFY2(t->waitFor("/app\r\n"), t->output.constData());
        QVERIFY(t->texts.isEmpty());
    }

    void startsAtTheRequestedSize()
    {
        auto t = open(101, 33);
        QVERIFY(t->waitConnected());
        t->type("stty size\n");
        QVERIFY2(t->waitFor("33 101"), t->output.constData());
    }

    void resizeChangesTheSize()
    {
        auto t = open();
        QVERIFY(t->waitConnected());
        t->ws.sendTextMessage(u"{\"resize\":[132,40]}"_s);
        QTest::qWait(300);
        t->type("stty size\n");
        QVERIFY2(t->waitFor("40 132"), t->output.constData());
    }

    void exitCodeComesBeforeTheClose()
    {
        auto t = open();
        QVERIFY(t->waitConnected());
        t->type("exit 3\n");
        QTRY_VERIFY_WITH_TIMEOUT(t->closed, 15000);
        QCOMPARE(t->texts, QStringList{u"{\"exit\":3}"_s});
        QCOMPARE(t->ws.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    }

    void commandWithoutTtyKeepsStdoutAndStderrApart()
    {
        const QString command = QString::fromLatin1(QUrl::toPercentEncoding(u"echo out; echo err >&2; exit 5"_s));
        auto t = std::make_unique<Terminal>(m_gasperd->api(), m_app, m_alice->token(), 0, 0,
                                            u"tty=0&command="_s + command);
        QVERIFY(t->waitConnected());
        QTRY_VERIFY_WITH_TIMEOUT(t->closed, 15000);
        QCOMPARE(t->channel(1), QByteArray("out\n"));  // no PTY: no \r\n translation
        QCOMPARE(t->channel(2), QByteArray("err\n"));
        QCOMPARE(t->texts, QStringList{u"{\"exit\":5}"_s});
    }

    void stdinEofEndsAPlainCommand()
    {
        auto t = std::make_unique<Terminal>(m_gasperd->api(), m_app, m_alice->token(), 0, 0, u"tty=0&command=wc%20-c"_s);
        QVERIFY(t->waitConnected());
        t->type("12345");
        t->ws.sendTextMessage(u"{\"eof\":true}"_s);
        QTRY_VERIFY_WITH_TIMEOUT(t->closed, 15000);
        QCOMPARE(t->channel(1).trimmed(), QByteArray("5"));
        QCOMPARE(t->texts, QStringList{u"{\"exit\":0}"_s});
    }

    void badShellQueriesAreRefusedBeforeTheUpgrade_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("tty=2") << u"tty=2"_s;
        QTest::newRow("cols=0") << u"cols=0"_s;
        QTest::newRow("command too long") << u"command="_s + QString(17000, u'x');
    }
    void badShellQueriesAreRefusedBeforeTheUpgrade()
    {
        QFETCH(QString, query);
        const CurlResult r = curl({u"-H"_s, u"Authorization: Bearer "_s + m_alice->token(), u"-H"_s, u"Connection: Upgrade"_s,
                                   u"-H"_s, u"Upgrade: websocket"_s, u"-H"_s, u"Sec-WebSocket-Version: 13"_s, u"-H"_s,
                                   u"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="_s, u"-m"_s, u"10"_s,
                                   m_gasperd->api() + u"/api/v1/apps/"_s + m_app + u"/terminal?"_s + query});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), u"invalid-query"_s);
    }

    void gasperctlExecPassesStatusStreamsAndStdin()
    {
        // argv words are quoted for the remote shell; stdout and stderr stay apart
        CtlRun r = gasperctl({u"exec"_s, m_app, u"--"_s, u"sh"_s, u"-c"_s, u"echo \"$1\"; echo oops >&2; exit 7"_s, u"sh"_s,
                              u"it's one word"_s});
        QCOMPARE(r.code, 7);
        QCOMPARE(r.out, QByteArray("it's one word\n"));
        QCOMPARE(r.err, QByteArray("oops\n"));
        // one word is a command line, as ssh takes it
        r = gasperctl({u"exec"_s, m_app, u"echo a b | wc -w"_s});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.trimmed(), QByteArray("2"));
        // 4 MB of binary stdin arrive intact, and EOF ends cat
        QByteArray blob(4 * 1024 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < blob.size(); ++i)
            blob[i] = char((i * 7919) >> 3);
        r = gasperctl({u"exec"_s, m_app, u"--"_s, u"sha256sum"_s}, blob);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.left(64), QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toHex());
        // errors are sentences, and the exit code says which kind
        r = gasperctl({u"exec"_s, u"nosuchapp"_s, u"--"_s, u"true"_s});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no app named"), r.err.constData());
        r = gasperctl({u"exec"_s, m_app});
        QCOMPARE(r.code, 64);
    }

    void gasperctlShellIsInteractiveInARealTerminal()
    {
        if (QStandardPaths::findExecutable(u"script"_s).isEmpty())
            QSKIP("util-linux script(1) is needed to give gasperctl a terminal");
        // script(1) gives gasperctl a PTY of 100x30; keys arrive one line at a time, as typed.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"GASPER_API"_s, m_gasperd->api());
        env.insert(u"GASPER_TOKEN"_s, m_alice->token());
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(u"script"_s, {u"-qec"_s, u"stty cols 100 rows 30; exec "_s + ctlPath() + u" shell "_s + m_app, u"/dev/null"_s});
        QVERIFY(p.waitForStarted());
        QByteArray seen;
        const auto waitFor = [&](const QByteArray &what) {
            QElapsedTimer t;
            t.start();
            while (!seen.contains(what) && t.elapsed() < 20000 && p.state() == QProcess::Running) {
                p.waitForReadyRead(100);
                seen += p.readAll();
            }
            return seen.contains(what);
        };
        QVERIFY2(waitFor("$ "), seen.constData());
        p.write("stty size; echo $((6*7))\r");
        QVERIFY2(waitFor("30 100"), seen.constData());
        QVERIFY2(waitFor("42"), seen.constData());
        p.write("exit 4\r");
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 4);
    }

    void unauthorisedCallersGetNoUpgrade_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<int>("status");
        QTest::newRow("bad token") << u"bad"_s << 401;
        QTest::newRow("another user") << u"bob"_s << 404;
        QTest::newRow("unknown app") << u"alice-unknown"_s << 404;
    }
    void unauthorisedCallersGetNoUpgrade()
    {
        QFETCH(QString, who);
        QFETCH(int, status);
        const QString token = who == u"bad" ? u"not-a-token"_s : who == u"bob" ? m_bob->token() : m_alice->token();
        const QString app = who == u"alice-unknown" ? u"nosuchapp"_s : m_app;
        QCOMPARE(upgradeStatus(token, app), status);
        auto t = std::make_unique<Terminal>(m_gasperd->api(), app, token);
        QVERIFY(!t->waitConnected());
    }

    void floodingShellDoesNotGrowMemoryAndEndsWithTheSocket()
    {
        const qint64 pid = m_gasperd->pid();
        QVERIFY(pid > 0);
        auto t = open();
        QVERIFY(t->waitConnected());
        t->type("echo sta\"\"rt; yes\n");
        QVERIFY(t->waitFor("start"));
        QTest::qWait(200);
        const qint64 before = rssKb(pid);
        QVERIFY(before > 0);
        // The client stops reading: no event loop here for 6 s, so its socket is not read.
        qint64 peak = before;
        for (int i = 0; i < 30; ++i) {
            QThread::msleep(200);
            peak = std::max(peak, rssKb(pid));
        }
        qInfo("gasperd RSS %lld kB before, %lld kB peak while the client did not read", before, peak);
        QVERIFY2(peak - before < 30 * 1024, qPrintable(u"grew by %1 kB"_s.arg(peak - before)));
        // Reading again: output still flows.
        const qsizetype had = t->output.size();
        QTRY_VERIFY_WITH_TIMEOUT(t->output.size() > had + 1024 * 1024, 15000);
        t->ws.close();
        QTRY_VERIFY_WITH_TIMEOUT(t->closed, 10000);
        // The shell and its `yes` are gone: no process named yes left in the container.
        QByteArray count;
        for (int attempt = 0; attempt < 50; ++attempt) {
            auto probe = open();
            QVERIFY(probe->waitConnected());
            probe->type("echo n=$(cat /proc/[0-9]*/comm 2>/dev/null | grep -cx yes)=; exit\n");
            QTRY_VERIFY_WITH_TIMEOUT(probe->closed, 15000);
            const qsizetype at = probe->output.lastIndexOf("n=");
            count = probe->output.mid(at, 4);
            if (count == "n=0=")
                break;
            QTest::qWait(200);
        }
        QCOMPARE(count, QByteArray("n=0="));
        // No session's shell is left: the only bash are the probe and its $(…) subshell. The
        // earlier sessions end asynchronously (^C, ^D, then the stream closes), so look again
        // for a while before calling it a leak.
        QByteArray procs;
        QElapsedTimer waited;
        waited.start();
        do {
            auto probe = open();
            QVERIFY(probe->waitConnected());
            probe->type("echo procs: $(cat /proc/[0-9]*/comm 2>/dev/null | tr '\\n' ' '); exit\n");
            QTRY_VERIFY_WITH_TIMEOUT(probe->closed, 15000);
            procs = probe->output.mid(probe->output.lastIndexOf("procs:"));
            if (procs.count(" bash") <= 2)
                break;
            QTest::qWait(500);
        } while (waited.elapsed() < 15000);
        qInfo("%s", procs.constData());
        QVERIFY2(procs.count(" bash") <= 2, procs.constData());
    }
};

QTEST_GUILESS_MAIN(tst_Terminal)
#include "tst_terminal.moc"
