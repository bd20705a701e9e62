// SPDX-License-Identifier: MIT
// Two gasperd on one Docker engine, each with its own data dir and the default config a new
// user runs (no [node] name): neither may take the other's containers for its strays.
// Real gasperd processes, the real engine, real git repositories, curl.

#include "Harness.h"
#include "../support/GitFixtures.h"

#include <QJsonArray>

using namespace gasper::testing;

namespace {

// The containers of one gasperd, by the identity it put on them.
QStringList containersOf(const QString &nodeId, const QString &app)
{
    return run(QStringLiteral("docker"), {QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--no-trunc"),
                                          QStringLiteral("--filter"), QStringLiteral("label=gasper.node-id=") + nodeId,
                                          QStringLiteral("--filter"), QStringLiteral("label=gasper.app=") + app})
        .split(u'\n', Qt::SkipEmptyParts);
}

} // namespace

class tst_Nodes : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    Gasperd m_first;
    Gasperd m_second;
    std::unique_ptr<ApiClient> m_firstApi;
    std::unique_ptr<ApiClient> m_secondApi;
    // The same app name on both: deleting or adopting by name must not cross over either.
    const QString m_app = QStringLiteral("twin-%1").arg(QCoreApplication::applicationPid());

    QJsonObject body() const
    {
        return QJsonObject{{QStringLiteral("name"), m_app}, {QStringLiteral("language"), QStringLiteral("python")},
                           {QStringLiteral("git"), QJsonObject{{QStringLiteral("url"), QString(QStringLiteral("file://") + m_repos.path() + QStringLiteral("/python"))}}},
                           {QStringLiteral("run"), QStringLiteral("python3 app.py")}};
    }

private slots:
    void initTestCase()
    {
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/python"),
                                                  m_repos.path() + QStringLiteral("/python"));
        QVERIFY2(made, qPrintable(errorText(made)));
        m_first.useDefaultNode();
        m_second.useDefaultNode();
        for (auto [g, api] : {std::pair{&m_first, &m_firstApi}, std::pair{&m_second, &m_secondApi}}) {
            auto started = g->start();
            QVERIFY2(started, qPrintable(errorText(started)));
            *api = std::make_unique<ApiClient>(g->api());
            QVERIFY(!(*api)->signIn(QStringLiteral("root")).isEmpty());
        }
        QVERIFY(!m_first.nodeId().isEmpty());
        QVERIFY(m_first.nodeId() != m_second.nodeId());
    }

    void cleanupTestCase()
    {
        for (auto *api : {m_firstApi.get(), m_secondApi.get()}) {
            if (api)
                api->del(QStringLiteral("/api/v1/apps/") + m_app);
        }
        m_first.stop();
        m_second.stop();
        // Whatever a failed run left behind, of these two gasperd only.
        for (const Gasperd *g : {&m_first, &m_second}) {
            if (const QStringList left = containersOf(g->nodeId(), m_app); !g->nodeId().isEmpty() && !left.isEmpty())
                run(QStringLiteral("docker"), QStringList{QStringLiteral("rm"), QStringLiteral("-f")} + left);
        }
    }

    void eachKeepsTheOthersAppAcrossItsRestarts()
    {
        for (ApiClient *api : {m_firstApi.get(), m_secondApi.get()}) {
            QCOMPARE(api->post(QStringLiteral("/api/v1/apps"), body()).status, 202);
        }
        for (ApiClient *api : {m_firstApi.get(), m_secondApi.get()}) {
            const QJsonObject app = api->waitForState(m_app, {QStringLiteral("running"), QStringLiteral("failed")});
            QCOMPARE(app.value(u"state").toString(), QStringLiteral("running"));
        }
        const QStringList firstIds = containersOf(m_first.nodeId(), m_app);
        const QStringList secondIds = containersOf(m_second.nodeId(), m_app);
        QCOMPARE(firstIds.size(), 1);
        QCOMPARE(secondIds.size(), 1);
        // Both carry the default name: the name alone cannot tell them apart.
        QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                QStringLiteral("{{index .Config.Labels \"gasper.node\"}}"), firstIds.first()}),
                 QStringLiteral("local"));

        // Each restarts twice while the other runs: the other's container is never touched.
        for (int round = 0; round < 2; ++round) {
            for (auto [restarted, other, otherIds] :
                 {std::tuple{&m_first, &m_second, secondIds}, std::tuple{&m_second, &m_first, firstIds}}) {
                restarted->stop();
                auto again = restarted->start();
                QVERIFY2(again, qPrintable(errorText(again)));
                QTest::qWait(1500);  // adoption (and any stray removal) is done by then
                QCOMPARE(containersOf(other->nodeId(), m_app), otherIds);
                QCOMPARE(run(QStringLiteral("docker"), {QStringLiteral("inspect"), QStringLiteral("-f"),
                                                        QStringLiteral("{{.State.Running}} {{.RestartCount}}"),
                                                        otherIds.first()}),
                         QStringLiteral("true 0"));
                QCOMPARE(viaProxy(*other, m_app).status, 200);
                QCOMPARE(viaProxy(*restarted, m_app).status, 200);
            }
        }
        QCOMPARE(containersOf(m_first.nodeId(), m_app), firstIds);  // adopted, never replaced
        QCOMPARE(containersOf(m_second.nodeId(), m_app), secondIds);
        const QJsonArray deploys = m_firstApi->get(QStringLiteral("/api/v1/apps/") + m_app + QStringLiteral("/deploys"))
                                       .json().value(u"deploys").toArray();
        QCOMPARE(deploys.size(), 1);  // no redeploy either

        // Deleting the app on one removes its container only.
        QCOMPARE(m_firstApi->del(QStringLiteral("/api/v1/apps/") + m_app).status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(containersOf(m_first.nodeId(), m_app).isEmpty(), 15000);
        QCOMPARE(containersOf(m_second.nodeId(), m_app), secondIds);
        QCOMPARE(viaProxy(m_second, m_app).status, 200);
    }
};

QTEST_GUILESS_MAIN(tst_Nodes)
#include "tst_nodes.moc"
