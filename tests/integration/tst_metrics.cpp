// SPDX-License-Identifier: MIT
// Metrics end to end (issue 9): a real gasperd sampling every second from the engine's
// streaming stats, real containers (a CPU burner under a 0.5 CPU limit, an app holding
// 96 MiB), curl for the API, a WebSocket for the live events, the docker CLI to kill a
// container. Each test says what it proves.
#include "Harness.h"
#include "../support/GitFixtures.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QWebSocket>

#include <optional>

using namespace gasper::testing;

namespace {

// The first and last non-null value of a series, and its maximum.
struct Seen
{
    std::optional<double> first, last, max;
    int values = 0;
};

Seen seen(const QJsonObject &answer, const char *key)
{
    Seen s;
    for (const QJsonValue &v : answer.value(u"series").toObject().value(QLatin1StringView(key)).toArray()) {
        if (v.isNull())
            continue;
        const double d = v.toDouble();
        if (!s.first)
            s.first = d;
        s.last = d;
        s.max = s.max ? std::max(*s.max, d) : d;
        ++s.values;
    }
    return s;
}

// Live app.metrics events of one user's WebSocket.
struct Events
{
    QWebSocket socket;
    QList<QJsonObject> metrics;
    QList<QJsonObject> of(const QString &app) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &e : metrics)
            if (e.value(u"app").toString() == app)
                out << e;
        return out;
    }
};

} // namespace

class tst_Metrics : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    GitHttpServer m_gitServer;
    QString m_gitBase;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_alice;
    std::unique_ptr<ApiClient> m_bob;

    QString metricsPath(const QString &app, const QString &query) const
    {
        return QStringLiteral("/api/v1/apps/") + app + QStringLiteral("/metrics") + query;
    }

    QJsonObject deployPython(const QString &name, const QString &run, int memoryMb = 256)
    {
        const QJsonObject body{{QStringLiteral("name"), name},
                               {QStringLiteral("language"), QStringLiteral("python")},
                               {QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(m_gitBase + QStringLiteral("/python"))}}},
                               {QStringLiteral("run"), run},
                               {QStringLiteral("resources"), QJsonObject{{QStringLiteral("memory_mb"), memoryMb},
                                                                         {QStringLiteral("cpus"), 0.5}}}};
        const CurlResult created = m_alice->post(QStringLiteral("/api/v1/apps"), body);
        if (created.status != 202)
            qWarning() << "create answered" << created.status << created.body;
        return m_alice->waitForState(name, {QStringLiteral("running"), QStringLiteral("failed")}, 180000);
    }

    std::unique_ptr<Events> openEvents(const QString &token)
    {
        auto events = std::make_unique<Events>();
        Events *e = events.get();
        connect(&e->socket, &QWebSocket::textMessageReceived, this, [e](const QString &text) {
            const QJsonObject event = QJsonDocument::fromJson(text.toUtf8()).object();
            if (const QStringList bad = apiDescription().checkEvent(event); !bad.isEmpty())
                apiViolations() << QStringLiteral("event %1: %2").arg(text, bad.join(QStringLiteral("; ")));
            if (event.value(u"type").toString() == u"app.metrics")
                e->metrics << event;
        });
        QSignalSpy connected(&e->socket, &QWebSocket::connected);
        e->socket.open(QUrl(m_gasperd->api().replace(QStringLiteral("http://"), QStringLiteral("ws://"))
                            + QStringLiteral("/api/v1/events?token=") + token));
        if (!connected.wait(5000))
            qWarning() << "the events WebSocket did not open";
        return events;
    }

    QString containerOf(const QString &app) const
    {
        return run(QStringLiteral("docker"), {QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--filter"),
                                              QStringLiteral("label=gasper.app=") + app, QStringLiteral("--filter"),
                                              QStringLiteral("label=gasper.node=") + m_gasperd->nodeName()});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_repos.isValid());
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/python"),
                                                  m_repos.path() + QStringLiteral("/python"));
        QVERIFY2(made, qPrintable(errorText(made)));
        auto base = m_gitServer.start(m_repos.path());
        QVERIFY2(base, qPrintable(errorText(base)));
        m_gitBase = *base;
        m_gasperd = std::make_unique<Gasperd>();  // samples every second (Harness)
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(QStringLiteral("root")).isEmpty());  // admin: keep it the first user
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(QStringLiteral("alice")).isEmpty());
        m_bob = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_bob->signIn(QStringLiteral("bob")).isEmpty());
    }

    void cleanupTestCase()
    {
        if (m_alice) {
            for (const QString &app : {QStringLiteral("burner"), QStringLiteral("holder")})
                m_alice->del(QStringLiteral("/api/v1/apps/") + app);
        }
        QVERIFY2(apiViolations().isEmpty(), qPrintable(apiViolations().join(u'\n')));
    }

    // One thread spinning under a 0.5 CPU limit: the samples say ~100 % of the limit
    // (~50 % of a core) within two sample periods of the first one, live and stored; the
    // events reach the owner only.
    void cpuBurningAppShowsItsLimitWithinTwoSamplePeriods()
    {
        auto alice = openEvents(m_alice->token());
        auto bob = openEvents(m_bob->token());
        const QJsonObject app = deployPython(
            QStringLiteral("burner"),
            QStringLiteral("python3 -c 'while True: pass' & exec python3 app.py"));
        QVERIFY2(app.value(u"state").toString() == u"running", qPrintable(app.value(u"last_error").toString()));
        QTRY_VERIFY_WITH_TIMEOUT(alice->of(QStringLiteral("burner")).size() >= 1, 15000);
        // The first sample, then at most two more periods (1 s each here, plus the engine's
        // one-second reading cadence) until one shows the limit used up.
        QTRY_VERIFY_WITH_TIMEOUT(alice->of(QStringLiteral("burner")).size() >= 3, 10000);
        const QList<QJsonObject> events = alice->of(QStringLiteral("burner"));
        double best = 0;
        for (qsizetype i = 0; i < 3; ++i)
            best = std::max(best, events[i].value(u"cpu_percent").toDouble());
        // "Near" on a shared 2-core machine with builds running beside: at least half the limit
        // (an idle app shows ~0 %); the stored series below must reach 70 %.
        QVERIFY2(best >= 50, qPrintable(QString::fromUtf8(QJsonDocument(events[2]).toJson(QJsonDocument::Compact))));
        const QJsonObject last = events.last();
        QCOMPARE(last.value(u"cpu_limit").toDouble(), 0.5);
        QVERIFY(last.value(u"cpu_core_percent").toDouble() < 80);  // the limit holds: about half a core
        QVERIFY(last.value(u"up").toBool());
        QCOMPARE(last.value(u"node").toString(), m_gasperd->nodeName());
        QVERIFY(bob->of(QStringLiteral("burner")).isEmpty());
        // Stored: the series of the last minute shows it too.
        QTRY_VERIFY_WITH_TIMEOUT(seen(m_alice->get(metricsPath(QStringLiteral("burner"), QStringLiteral("?since=1m&step=1"))).json(),
                                      "cpu_percent").max.value_or(0) >= 70, 30000);
        // Prometheus, labelled app and node.
        const QByteArray text = curl({m_gasperd->api() + QStringLiteral("/metrics")}).body;
        QVERIFY(text.contains(QByteArray("gasper_app_cpu_percent{app=\"burner\",node=\"" + m_gasperd->nodeName().toUtf8() + "\"} ")));
        QVERIFY(text.contains(QByteArray("gasper_node_apps{node=\"" + m_gasperd->nodeName().toUtf8() + "\"} ")));
    }

    void memoryHeldByTheAppIsShown()
    {
        const QJsonObject app = deployPython(
            QStringLiteral("holder"),
            QStringLiteral("python3 -c 'import runpy; kept = b\"x\" * (96 << 20); runpy.run_path(\"app.py\")'"));
        QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        QJsonObject answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer = m_alice->get(metricsPath(QStringLiteral("holder"), QStringLiteral("?since=1m&step=1"))).json(),
                                  seen(answer, "memory_bytes").last.value_or(0) >= 96.0 * 1024 * 1024), 15000);
        QCOMPARE(seen(answer, "memory_limit_bytes").last.value_or(0), 256.0 * 1024 * 1024);
        QVERIFY(seen(answer, "memory_bytes").last.value_or(0) < 256.0 * 1024 * 1024);
    }

    void restartsAreCountedAfterAKill()
    {
        const QString container = containerOf(QStringLiteral("holder"));
        QVERIFY2(!container.isEmpty() && !container.contains(u'\n'), qPrintable(container));
        run(QStringLiteral("docker"), {QStringLiteral("kill"), container});
        QJsonObject answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer = m_alice->get(metricsPath(QStringLiteral("holder"), QStringLiteral("?since=2m&step=1"))).json(),
                                  seen(answer, "restarts").last.value_or(0) >= 1 && seen(answer, "up").last.value_or(0) == 1.0), 60000);
        // The kill shows as down samples between the ups, or at least as the restart.
        QCOMPARE(seen(answer, "restarts").max.value_or(0), seen(answer, "restarts").last.value_or(0));
    }

    void anotherUsersMetricsAre404()
    {
        QCOMPARE(m_bob->get(metricsPath(QStringLiteral("holder"), {})).status, 404);
        QCOMPARE(m_bob->get(metricsPath(QStringLiteral("burner"), QStringLiteral("?since=1h"))).status, 404);
        QCOMPARE(m_bob->get(metricsPath(QStringLiteral("nobody-has-this"), {})).status, 404);
    }

    // Downsampled tiers: the minute series has a 60 s step, aligned buckets inside the
    // range, and keeps its points across a gasperd restart.
    void downsampledSeriesHaveTheirStepAndBoundsAndSurviveARestart()
    {
        const QString path = metricsPath(QStringLiteral("burner"), QStringLiteral("?since=10m&step=1m"));
        const QJsonObject before = m_alice->get(path).json();
        QCOMPARE(before.value(u"step_s").toInt(), 60);
        QCOMPARE(before.value(u"tier_step_s").toInt(), 60);
        const QJsonArray at = before.value(u"at").toArray();
        QVERIFY2(at.size() >= 10 && at.size() <= 12, qPrintable(QString::number(at.size())));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        for (qsizetype i = 0; i < at.size(); ++i) {
            QCOMPARE(at[i].toInteger() % 60, 0);
            if (i)
                QCOMPARE(at[i].toInteger() - at[i - 1].toInteger(), 60);
        }
        QVERIFY(at.first().toInteger() <= now - 600 && at.first().toInteger() > now - 660);
        QVERIFY(at.last().toInteger() <= now);
        for (const QJsonValue &series : before.value(u"series").toObject())
            QCOMPARE(series.toArray().size(), at.size());
        const Seen cpu = seen(before, "cpu_percent");
        QVERIFY(cpu.values >= 1);

        // The raw tier: one point a second over the last 2 minutes.
        const QJsonObject raw = m_alice->get(metricsPath(QStringLiteral("burner"), QStringLiteral("?since=2m"))).json();
        QCOMPARE(raw.value(u"step_s").toInt(), 1);
        QCOMPARE(raw.value(u"tier_step_s").toInt(), 1);
        QVERIFY(qAbs(raw.value(u"at").toArray().size() - 121) <= 1);
        // Last 30 days: the 10-minute tier, about 360 points.
        const QJsonObject month = m_alice->get(metricsPath(QStringLiteral("burner"), QStringLiteral("?since=30d"))).json();
        QCOMPARE(month.value(u"tier_step_s").toInt(), 600);
        QCOMPARE(month.value(u"step_s").toInt(), 7200);
        QVERIFY(seen(month, "cpu_percent").values >= 1);

        m_gasperd->stop();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        QJsonObject after;
        const QString same = metricsPath(QStringLiteral("burner"), QStringLiteral("?since=%1&until=%2&step=60")
                                                                     .arg(at.first().toInteger())
                                                                     .arg(at.last().toInteger() + 59));
        after = m_alice->get(same).json();
        QCOMPARE(after.value(u"at").toArray(), at);
        // Every bucket sampled before the restart is still there.
        const QJsonArray was = before.value(u"series").toObject().value(u"cpu_percent").toArray();
        const QJsonArray is = after.value(u"series").toObject().value(u"cpu_percent").toArray();
        for (qsizetype i = 0; i + 1 < was.size(); ++i)  // the last minute kept filling
            QCOMPARE(is[i].isNull(), was[i].isNull());
        // And sampling goes on after re-adoption.
        QTRY_VERIFY_WITH_TIMEOUT(m_alice->waitForState(QStringLiteral("burner"), {QStringLiteral("running")}, 60000)
                                     .value(u"state").toString() == u"running", 60000);
        auto events = openEvents(m_alice->token());
        QTRY_VERIFY_WITH_TIMEOUT(!events->of(QStringLiteral("burner")).isEmpty(), 20000);
    }

    // A deleted app's series are gone: a new app of the same name starts empty.
    void deletedAppsSeriesAreGone()
    {
        QVERIFY(seen(m_alice->get(metricsPath(QStringLiteral("holder"), QStringLiteral("?since=10m"))).json(), "memory_bytes").values > 0);
        QCOMPARE(m_alice->del(QStringLiteral("/api/v1/apps/holder")).status, 204);
        QCOMPARE(m_alice->get(metricsPath(QStringLiteral("holder"), {})).status, 404);
        QVERIFY(!curl({m_gasperd->api() + QStringLiteral("/metrics")}).body.contains("app=\"holder\""));
        const CurlResult created = m_alice->post(
            QStringLiteral("/api/v1/apps"),
            QJsonObject{{QStringLiteral("name"), QStringLiteral("holder")},
                        {QStringLiteral("language"), QStringLiteral("python")},
                        {QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(m_gitBase + QStringLiteral("/python"))}}},
                        {QStringLiteral("run"), QStringLiteral("python3 app.py")}});
        QCOMPARE(created.status, 202);
        const QJsonObject fresh = m_alice->get(metricsPath(QStringLiteral("holder"), QStringLiteral("?since=10m"))).json();
        QCOMPARE(seen(fresh, "memory_bytes").values, 0);
        QCOMPARE(m_alice->waitForState(QStringLiteral("holder"), {QStringLiteral("running"), QStringLiteral("failed")})
                     .value(u"state").toString(), QStringLiteral("running"));
    }
};

QTEST_GUILESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
