// SPDX-License-Identifier: MIT
// Logs that last, end to end: a real gasperd on the real Docker engine, curl as the client.
// App logs follow within a second, search, since, timestamps and download; a printed secret
// is masked (also split across writes); every deploy's output is in the store, readable
// after a rebuild and after gasperd was killed; the previous deploy's app log outlives its
// container; another user's logs are 404.

#include "Harness.h"
#include "../support/GitFixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QUrl>

using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {

const QString kSecret = QStringLiteral("sk-live-9f8e7d6c5b4a3210");

QJsonObject fixtureSpec(const QString &fixture)
{
    QFile f(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/%1/gasper.json").arg(fixture));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

} // namespace

class tst_Logs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    GitHttpServer m_gitServer;
    QString m_gitBase;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_alice;
    std::unique_ptr<ApiClient> m_bob;
    const QString m_app = QStringLiteral("logger-%1").arg(QCoreApplication::applicationPid() % 100000);

    QString path(const QString &tail) const { return QStringLiteral("/api/v1/apps/") + m_app + tail; }
    QString failure() const { return m_gasperd->log().right(3000); }
    // The app prints `text` as one line (through the proxy, like any visitor).
    bool print(const QString &text) const
    {
        return viaProxy(*m_gasperd, m_app, QStringLiteral("/print?text=") + encoded(text)).status == 200;
    }
    QByteArray logs(const QString &query) const { return m_alice->get(path(QStringLiteral("/logs?")) + query).body; }
    int deployed() const
    {
        const QJsonArray deploys = m_alice->get(path(QStringLiteral("/deploys"))).json().value(u"deploys").toArray();
        return deploys.isEmpty() ? 0 : deploys.first().toObject().value(u"number").toInt();
    }
    bool rebuild(int expected) const
    {
        if (m_alice->post(path(QStringLiteral("/rebuild"))).status != 202)
            return false;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 180000) {
            const QJsonArray deploys = m_alice->get(path(QStringLiteral("/deploys"))).json().value(u"deploys").toArray();
            const QJsonObject last = deploys.isEmpty() ? QJsonObject() : deploys.first().toObject();
            if (last.value(u"number").toInt() == expected && last.value(u"status").toString() != u"running")
                return last.value(u"status").toString() == u"succeeded";
            QTest::qWait(100);
        }
        return false;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_repos.isValid());
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/logger"),
                                                  m_repos.path() + QStringLiteral("/logger"));
        QVERIFY2(made, qPrintable(errorText(made)));
        auto base = m_gitServer.start(m_repos.path());
        QVERIFY2(base, qPrintable(errorText(base)));
        m_gitBase = *base;
        m_gasperd = std::make_unique<Gasperd>();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(QStringLiteral("alice")).isEmpty());
        m_bob = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_bob->signIn(QStringLiteral("bob")).isEmpty());

        const QJsonObject spec = fixtureSpec(QStringLiteral("logger"));
        const QJsonObject body{
            {QStringLiteral("name"), m_app},
            {QStringLiteral("language"), spec.value(u"language")},
            {QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(m_gitBase + QStringLiteral("/logger"))}}},
            {QStringLiteral("build"), spec.value(u"build")},
            {QStringLiteral("run"), spec.value(u"run")},
            {QStringLiteral("env"), QJsonObject{{QStringLiteral("API_KEY"),
                                                 QJsonObject{{QStringLiteral("value"), kSecret}, {QStringLiteral("secret"), true}}}}}};
        QCOMPARE(m_alice->post(QStringLiteral("/api/v1/apps"), body).status, 202);
        const QJsonObject app = m_alice->waitForState(m_app, {QStringLiteral("running"), QStringLiteral("failed")}, 180000);
        QVERIFY2(app.value(u"state").toString() == u"running", qPrintable(failure()));
    }

    void cleanup()
    {
        const QStringList violations = std::exchange(apiViolations(), {});
        QVERIFY2(violations.isEmpty(), qPrintable(QStringLiteral("answers docs/openapi.json does not allow:\n") + violations.join(u'\n')));
    }

    void cleanupTestCase()
    {
        if (m_alice && m_gasperd)
            m_alice->del(path({}));
        if (m_gasperd)
            m_gasperd->stop();
    }

    void followStreamsANewLineWithinASecond()
    {
        QProcess follow;
        follow.start(QStringLiteral("curl"), {QStringLiteral("-sN"), QStringLiteral("-H"),
                                              QStringLiteral("Authorization: Bearer ") + m_alice->token(),
                                              m_gasperd->api() + path(QStringLiteral("/logs?tail=0&follow=1&grep=followed"))});
        QVERIFY(follow.waitForStarted());
        QTest::qWait(500);  // the stream is open (headers go out at once)
        QVERIFY(print(QStringLiteral("not this one")));
        QVERIFY(print(QStringLiteral("followed-line-1")));
        QElapsedTimer clock;
        clock.start();
        QByteArray followed;
        QTRY_VERIFY_WITH_TIMEOUT((followed += follow.readAllStandardOutput()).contains("followed-line-1\n"), 1000);
        qInfo() << "a printed line reached the follower in" << clock.elapsed() << "ms";
        QVERIFY2(!followed.contains("not this one"), followed.constData());  // the search applies while following
        follow.kill();
        follow.waitForFinished();
    }

    void searchReturnsOnlyMatchingLinesAndSinceWorks()
    {
        for (const QString &line : {QStringLiteral("alpha one"), QStringLiteral("beta two"), QStringLiteral("alpha three")})
            QVERIFY(print(line));
        QTRY_VERIFY_WITH_TIMEOUT(logs(QStringLiteral("grep=alpha")).contains("alpha three"), 5000);
        QCOMPARE(logs(QStringLiteral("tail=all&grep=alpha")), QByteArray("alpha one\nalpha three\n"));
        QCOMPARE(logs(QStringLiteral("tail=1&grep=alpha")), QByteArray("alpha three\n"));
        QCOMPARE(logs(QStringLiteral("tail=all&regex=1&grep=") + encoded(QStringLiteral("^(alpha|beta) t"))),
                 QByteArray("beta two\nalpha three\n"));
        const CurlResult bad = m_alice->get(path(QStringLiteral("/logs?regex=1&grep=")) + encoded(QStringLiteral("(alpha")));
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.errorCode(), QStringLiteral("invalid-query"));

        // since: only what came after, to the millisecond.
        QTest::qWait(50);
        const QString since = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        QTest::qWait(50);
        QVERIFY(print(QStringLiteral("late line")));
        QTRY_VERIFY_WITH_TIMEOUT(logs(QStringLiteral("tail=all")).contains("late line"), 5000);
        const QByteArray after = logs(QStringLiteral("tail=all&since=") + encoded(since));
        QCOMPARE(after, QByteArray("late line\n"));
        QVERIFY(logs(QStringLiteral("tail=all&since=1h")).contains("alpha one"));
        // timestamps: the engine's, in front of each line.
        const QByteArray stamped = logs(QStringLiteral("tail=1&timestamps=1"));
        QVERIFY2(QRegularExpression(QStringLiteral("^20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z late line\\n$"))
                     .match(QString::fromUtf8(stamped)).hasMatch(), stamped.constData());
        // A download is a file.
        const CurlResult file = m_alice->get(path(QStringLiteral("/logs?download=1&tail=all")));
        QCOMPARE(file.status, 200);
        QVERIFY2(file.headers.toLower().contains(QByteArray("content-disposition: attachment; filename=\"" + m_app.toUtf8() + ".log\"")),
                 file.headers.constData());
        QVERIFY(file.body.contains("late line"));
    }

    void aPrintedSecretIsMaskedAlsoWhenSplitAcrossWrites()
    {
        QVERIFY(viaProxy(*m_gasperd, m_app, QStringLiteral("/secret")).status == 200);
        QVERIFY(viaProxy(*m_gasperd, m_app, QStringLiteral("/split")).status == 200);
        QTRY_VERIFY_WITH_TIMEOUT(logs(QStringLiteral("tail=all")).contains("split key"), 5000);
        const QByteArray all = logs(QStringLiteral("tail=all&timestamps=1"));
        QVERIFY2(!all.contains(kSecret.toUtf8()) && !all.contains(kSecret.left(12).toUtf8()), all.constData());
        QVERIFY2(all.contains("the key is *** (printed by the app)"), all.constData());
        QVERIFY2(all.contains("split key *** end"), all.constData());
        QCOMPARE(logs(QStringLiteral("tail=all&grep=") + encoded(kSecret)), QByteArray());  // not even searchable
    }

    void deployLogLastsAndThePreviousAppLogOutlivesARebuild()
    {
        // Deploy 1's output: the platform's lines and the build's stdout and stderr.
        const CurlResult first = m_alice->get(path(QStringLiteral("/deploys/1/log")));
        QCOMPARE(first.status, 200);
        QVERIFY2(first.body.contains("building the logger") && first.body.contains("a build warning"), first.body.constData());
        const QJsonArray lines = m_alice->get(path(QStringLiteral("/deploys/1/log?format=json"))).json().value(u"lines").toArray();
        QStringList streams;
        for (const QJsonValue &l : lines)
            streams << l.toObject().value(u"stream").toString();
        QVERIFY2(streams.contains(u"stderr"_s) && streams.contains(u"stdout"_s) && streams.contains(u"system"_s),
                 qPrintable(streams.join(u',')));

        QVERIFY(print(QStringLiteral("written by deploy one")));
        QTRY_VERIFY_WITH_TIMEOUT(logs(QStringLiteral("tail=all")).contains("written by deploy one"), 5000);
        QVERIFY2(rebuild(2), qPrintable(failure()));
        // The old container goes after a short drain; its output stays, masked.
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->get(path(QStringLiteral("/logs?deploy=1&tail=all"))).status, 200, 15000);
        const QByteArray previous = logs(QStringLiteral("deploy=1&tail=all"));
        QVERIFY2(previous.contains("written by deploy one"), previous.constData());
        QVERIFY2(previous.contains("the key is ***") && !previous.contains(kSecret.toUtf8()), previous.constData());
        QCOMPARE(logs(QStringLiteral("deploy=1&tail=all&grep=deploy%20one")), QByteArray("written by deploy one\n"));
        QVERIFY(!logs(QStringLiteral("tail=all")).contains("written by deploy one"));  // the live one is deploy 2's
        QVERIFY(logs(QStringLiteral("deploy=2&tail=all")).contains("listening on"));
        // Captured first, then removed: the container goes right after.
        const auto oldContainers = [this] {
            return run(QStringLiteral("docker"), {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                                                  QStringLiteral("label=gasper.app=") + m_app, QStringLiteral("--filter"),
                                                  QStringLiteral("label=gasper.deploy=1")})
                .trimmed();
        };
        QTRY_VERIFY_WITH_TIMEOUT(oldContainers().isEmpty(), 10000);

        // Killed, not stopped: both stay, from the store.
        m_gasperd->crash();
        auto restarted = m_gasperd->start();
        QVERIFY2(restarted, qPrintable(errorText(restarted)));
        QVERIFY(m_alice->waitForState(m_app, {QStringLiteral("running")}).value(u"state").toString() == u"running");
        QVERIFY(m_alice->get(path(QStringLiteral("/deploys/1/log"))).body.contains("building the logger"));
        QVERIFY(m_alice->get(path(QStringLiteral("/deploys/2/log"))).body.contains("a build warning"));
        QVERIFY(logs(QStringLiteral("deploy=1&tail=all")).contains("written by deploy one"));
        const CurlResult file = m_alice->get(path(QStringLiteral("/deploys/2/log?download=1")));
        QVERIFY(file.headers.toLower().contains("content-disposition: attachment"));
        QCOMPARE(deployed(), 2);
    }

    void anotherUsersLogsAreNotFound()
    {
        for (const QString &tail : {QStringLiteral("/logs"), QStringLiteral("/logs?deploy=1"),
                                    QStringLiteral("/logs?grep=alpha&download=1"), QStringLiteral("/deploys/1/log"),
                                    QStringLiteral("/deploys/1/log?format=json")}) {
            const CurlResult r = m_bob->get(path(tail));
            QCOMPARE(r.status, 404);
            QCOMPARE(r.errorCode(), QStringLiteral("not-found"));
        }
    }
};

QTEST_GUILESS_MAIN(tst_Logs)
#include "tst_logs.moc"
