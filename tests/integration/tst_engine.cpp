// SPDX-License-Identifier: MIT
// The Docker engine restarts under a running gasperd, at several moments: gasperd notices
// each time (its event stream broke and it reconciled), and every app serves again, its
// own answers, without a hand. The engine is a private dockerd the test starts and
// restarts itself (tests/support/PrivateEngine.h), never the shared one.

#include "Harness.h"
#include "../support/GitFixtures.h"
#include "../support/PrivateEngine.h"

#include <QJsonArray>

using namespace gasper::testing;

class tst_Engine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    std::unique_ptr<PrivateEngine> m_engine;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_api;
    QStringList m_apps;

    QJsonObject body(const QString &name, const QJsonArray &build = {}) const
    {
        return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("language"), QStringLiteral("python")},
                           {QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(QStringLiteral("file://") + m_repos.path() + QStringLiteral("/python"))}}},
                           {QStringLiteral("build"), build},
                           {QStringLiteral("run"), QStringLiteral("python3 app.py")},
                           {QStringLiteral("env"), QJsonObject{{QStringLiteral("MESSAGE"), QString(QStringLiteral("I am ") + name)}}}};
    }

    int interruptions() const
    {
        return m_api->get(QStringLiteral("/api/v1/nodes")).json().value(u"nodes").toArray().first().toObject()
            .value(u"engine_interruptions").toInt(-1);
    }

    // The app answers through the proxy with its own words (not another app's, on a port
    // that moved to it).
    bool serves(const QString &app) const
    {
        const CurlResult r = viaProxy(*m_gasperd, app);
        return r.status == 200 && r.body.contains(QByteArray(QByteArray("I am ") + app.toUtf8()));
    }

    QString containerOf(const QString &app) const
    {
        return m_engine->docker({QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--filter"),
                                 QStringLiteral("label=gasper.app=") + app})
            .value_or(QString());
    }

private slots:
    void initTestCase()
    {
        if (const QString why = PrivateEngine::skipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/python"),
                                                  m_repos.path() + QStringLiteral("/python"));
        QVERIFY2(made, qPrintable(errorText(made)));
        m_engine = std::make_unique<PrivateEngine>();
        auto up = m_engine->start();
        QVERIFY2(up, qPrintable(errorText(up)));
        auto image = m_engine->loadImage(QStringLiteral("gasper/python"));
        QVERIFY2(image, qPrintable(errorText(image)));
        m_gasperd = std::make_unique<Gasperd>();
        m_gasperd->setDockerSocket(m_engine->socket());
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_api = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_api->signIn(QStringLiteral("root")).isEmpty());
        // Two apps, so that ports published anew after a restart may trade places.
        for (const QString &app : {QStringLiteral("alpha"), QStringLiteral("beta")}) {
            QCOMPARE(m_api->post(QStringLiteral("/api/v1/apps"), body(app)).status, 202);
            m_apps << app;
        }
        for (const QString &app : std::as_const(m_apps)) {
            const QJsonObject shown = m_api->waitForState(app, {QStringLiteral("running"), QStringLiteral("failed")});
            QVERIFY2(shown.value(u"state").toString() == u"running",
                     qPrintable(QString::fromUtf8(QJsonDocument(shown).toJson()) + m_gasperd->log().right(3000)));
            QVERIFY(serves(app));
        }
        QCOMPARE(interruptions(), 0);
    }

    void cleanupTestCase()
    {
        if (m_api) {
            for (const QString &app : std::as_const(m_apps))
                m_api->del(QStringLiteral("/api/v1/apps/") + app);
        }
        if (m_gasperd)
            m_gasperd->stop();
        m_engine.reset();  // the engine, its containers, folders and bridge
    }

    // An engine whose init helper is missing (as Podman's service without catatonit, here a
    // dockerd pointed at a docker-init that does not exist): the first deploy learns it,
    // says so once in the log, and every app deploys and serves without --init.
    void engineWithoutInitHelperStillDeploys()
    {
        PrivateEngine engine(1, {QStringLiteral("--init-path"), QStringLiteral("/nonexistent/docker-init")});
        auto up = engine.start();
        QVERIFY2(up, qPrintable(errorText(up)));
        auto image = engine.loadImage(QStringLiteral("gasper/python"));
        QVERIFY2(image, qPrintable(errorText(image)));
        Gasperd gasperd;
        gasperd.setDockerSocket(engine.socket());
        auto started = gasperd.start();
        QVERIFY2(started, qPrintable(errorText(started)));
        ApiClient api(gasperd.api());
        QVERIFY(!api.signIn(QStringLiteral("root")).isEmpty());
        for (const QString &app : {QStringLiteral("noinit1"), QStringLiteral("noinit2")}) {
            QCOMPARE(api.post(QStringLiteral("/api/v1/apps"), body(app)).status, 202);
            const QJsonObject done = api.waitForState(app, {QStringLiteral("running"), QStringLiteral("failed")});
            QVERIFY2(done.value(u"state").toString() == u"running", qPrintable(gasperd.log().right(3000)));
            const CurlResult r = viaProxy(gasperd, app);
            QCOMPARE(r.status, 200);
            const QString id = engine.docker({QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--filter"),
                                              QStringLiteral("label=gasper.app=") + app}).value_or(QString());
            QCOMPARE(engine.docker({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.HostConfig.Init}}"), id})
                         .value_or(QString()),
                     QStringLiteral("false"));
            api.del(QStringLiteral("/api/v1/apps/") + app);
        }
        QCOMPARE(gasperd.log().count(QStringLiteral("run without --init from now on")), 1);  // said once
        gasperd.stop();
    }

    void engineRestartIsNoticedAndEveryAppServesAgain_data()
    {
        QTest::addColumn<QString>("moment");
        QTest::newRow("idle") << QStringLiteral("idle");
        QTest::newRow("first deploy building") << QStringLiteral("building");
        QTest::newRow("rebuild building") << QStringLiteral("rebuild");
        QTest::newRow("right after an app died") << QStringLiteral("died");
        QTest::newRow("idle again") << QStringLiteral("idle");
    }

    void engineRestartIsNoticedAndEveryAppServesAgain()
    {
        QFETCH(QString, moment);
        const int before = interruptions();
        if (moment == u"building") {
            const QString app = QStringLiteral("gamma%1").arg(m_apps.size());
            QCOMPARE(m_api->post(QStringLiteral("/api/v1/apps"), body(app, QJsonArray{QStringLiteral("sleep 3")})).status, 202);
            m_apps << app;
            QCOMPARE(m_api->waitForState(app, {QStringLiteral("building")}, 60000).value(u"state").toString(),
                     QStringLiteral("building"));
        } else if (moment == u"rebuild") {
            QCOMPARE(m_api->patch(QStringLiteral("/api/v1/apps/alpha"),
                                  QJsonObject{{QStringLiteral("build"), QJsonArray{QStringLiteral("sleep 3")}}}).status, 202);
            QCOMPARE(m_api->waitForState(QStringLiteral("alpha"), {QStringLiteral("building")}, 60000).value(u"state").toString(),
                     QStringLiteral("building"));
        } else if (moment == u"died") {
            const QString id = containerOf(QStringLiteral("beta"));
            QVERIFY(!id.isEmpty());
            QVERIFY(m_engine->docker({QStringLiteral("kill"), id}));
        }

        auto restarted = m_engine->restart();
        QVERIFY2(restarted, qPrintable(errorText(restarted)));

        QTRY_VERIFY2_WITH_TIMEOUT(interruptions() > before, qPrintable(m_gasperd->log().right(3000)), 30000);
        for (const QString &app : std::as_const(m_apps)) {
            QTRY_VERIFY2_WITH_TIMEOUT(serves(app), qPrintable(app + QStringLiteral(" does not serve; log:\n")
                                                              + m_gasperd->log().right(4000)),
                                      120000);
            // A rebuild cut short is redone while the old container keeps serving: wait for it.
            QTRY_COMPARE_WITH_TIMEOUT(m_api->get(QStringLiteral("/api/v1/apps/") + app).json().value(u"state").toString(),
                                      QStringLiteral("running"), 120000);
        }
        // One container per app, and the deploy the engine cut short ended well.
        for (const QString &app : std::as_const(m_apps)) {
            QTRY_COMPARE_WITH_TIMEOUT(containerOf(app).split(u'\n', Qt::SkipEmptyParts).size(), 1, 15000);
            // A deploy the engine cut short is redone under its number: wait until it has ended
            // (the next row restarts the engine again, which must not find it still running).
            const auto lastStatus = [&] {
                return m_api->get(QStringLiteral("/api/v1/apps/") + app + QStringLiteral("/deploys"))
                    .json().value(u"deploys").toArray().first().toObject().value(u"status").toString();
            };
            QTRY_COMPARE_WITH_TIMEOUT(lastStatus(), QStringLiteral("succeeded"), 120000);
        }
    }
};

QTEST_GUILESS_MAIN(tst_Engine)
#include "tst_engine.moc"
