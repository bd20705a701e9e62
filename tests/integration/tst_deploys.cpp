// SPDX-License-Identifier: MIT
// Deploys the way Heroku and Dokku users expect them (issue 9), end to end: a real gasperd,
// the real Docker engine, real git repositories, curl through the proxy. An app with only a
// Procfile, its release phase before the switch, rollback without a failed request, and
// health checks that keep the old container serving until the new one passes.

#include "Harness.h"
#include "../support/GitFixtures.h"

#include <QFile>
#include <QJsonArray>

using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {

QString g_node;
QString dockerPs(const QString &filter)
{
    return run(u"docker"_s, {u"ps"_s, u"-q"_s, u"--filter"_s, filter, u"--filter"_s, u"label=gasper.node="_s + g_node});
}

// A client polling the app through the proxy until stop(): counts the answers that are not 200.
class ProxyLoad
{
public:
    ProxyLoad(const Gasperd &g, const QString &app)
    {
        m_stop = m_tmp.path() + u"/stop"_s;
        m_process.start(u"bash"_s, {u"-c"_s, u"ok=0; bad=0; while [ ! -e %1 ]; do "
                                             "c=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: %2.localhost' %3/); "
                                             "if [ \"$c\" = 200 ]; then ok=$((ok+1)); else bad=$((bad+1)); echo \"bad $c\"; fi; "
                                             "done; echo \"ok=$ok bad=$bad\""_s.arg(m_stop, app, g.proxy())});
    }
    bool started() { return m_process.waitForStarted(); }
    QString stop()
    {
        QFile(m_stop).open(QIODevice::WriteOnly);
        m_process.waitForFinished(20000);
        return QString::fromUtf8(m_process.readAllStandardOutput());
    }

private:
    QTemporaryDir m_tmp;
    QString m_stop;
    QProcess m_process;
};

} // namespace

class tst_Deploys : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_admin;

    QString repo(const QString &name) const { return m_repos.path() + u'/' + name; }
    // A fresh repository from tests/fixtures/<fixture>, named for one test.
    QString makeRepo(const QString &name, const QString &fixture)
    {
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/") + fixture, repo(name));
        if (!made)
            qWarning() << errorText(made);
        return u"file://"_s + repo(name);
    }
    QJsonObject deploy(const QJsonObject &body)
    {
        const CurlResult created = m_admin->post(u"/api/v1/apps"_s, body);
        if (created.status != 202)
            qWarning() << "create answered" << created.status << created.body;
        return m_admin->waitForState(body.value(u"name").toString(), {u"running"_s, u"failed"_s}, 180000);
    }
    QJsonArray deploys(const QString &app) { return m_admin->get(u"/api/v1/apps/%1/deploys"_s.arg(app)).json()[u"deploys"].toArray(); }
    // The newest deploy once it has ended.
    QJsonObject waitForDeploy(const QString &app, int number, int timeoutMs = 120000)
    {
        QElapsedTimer clock;
        clock.start();
        QJsonObject last;
        while (clock.elapsed() < timeoutMs) {
            last = deploys(app).first().toObject();
            if (last[u"number"].toInt() == number && last[u"status"].toString() != u"running")
                return last;
            QTest::qWait(100);
        }
        return last;
    }
    QString deployLog(const QString &app, int number)
    {
        return QString::fromUtf8(m_admin->get(u"/api/v1/apps/%1/deploys/%2/log"_s.arg(app).arg(number)).body);
    }
    QString served(const QString &app) { return QString::fromUtf8(viaProxy(*m_gasperd, app).body); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_repos.isValid());
        m_gasperd = std::make_unique<Gasperd>();
        g_node = m_gasperd->nodeName();
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_admin = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_admin->signIn(u"root"_s).isEmpty());  // admin: may deploy file:// repositories
    }

    void cleanup()
    {
        if (!m_admin)
            return;
        for (const QJsonValue &a : m_admin->get(u"/api/v1/apps"_s).json()[u"apps"].toArray())
            m_admin->del(u"/api/v1/apps/"_s + a[u"name"].toString());
        const QStringList violations = std::exchange(apiViolations(), {});
        QVERIFY2(violations.isEmpty(), qPrintable(u"answers docs/openapi.json does not allow:\n"_s + violations.join(u'\n')));
    }

    void cleanupTestCase()
    {
        if (m_gasperd)
            m_gasperd->stop();
    }

    void anAppWithOnlyAProcfileDeploysAndItsReleaseRunsFirst()
    {
        const QString url = makeRepo(u"only-procfile"_s, u"procfile"_s);
        const QJsonObject app = deploy(QJsonObject{{u"name"_s, u"only-procfile"_s}, {u"language"_s, u"python"_s},
                                                   {u"git"_s, QJsonObject{{u"url"_s, url}}}});
        QVERIFY2(app[u"state"].toString() == u"running", qPrintable(QString::fromUtf8(QJsonDocument(app).toJson()) + m_gasperd->log().right(3000)));
        QCOMPARE(app[u"run"].toString(), QString());
        // The web: line serves; what the release: line wrote was there before the first request.
        const QString body = served(u"only-procfile"_s);
        QVERIFY2(body.startsWith(u"hello from python (procfile) version v1 released "), qPrintable(body));
        const QJsonObject first = deploys(u"only-procfile"_s).first().toObject();
        QStringList steps;
        for (const QJsonValue &s : first[u"steps"].toArray())
            steps << s[u"name"].toString() + u'=' + s[u"status"].toString();
        QVERIFY2(steps.contains(u"release=done"_s), qPrintable(steps.join(u' ')));
        QVERIFY(steps.indexOf(u"release=done"_s) < steps.indexOf(u"health=done"_s));
        // Its output is in the deploy's lines like build output.
        const QString log = deployLog(u"only-procfile"_s, 1);
        QVERIFY2(log.contains(u"run command from the Procfile: python3 app.py"), qPrintable(log));
        QVERIFY2(log.contains(u"$ python3 release.py") && log.contains(u"release: wrote released.txt"), qPrintable(log));
    }

    void aFailingReleaseFailsTheDeployAndKeepsTheOldOneServing()
    {
        const QString url = makeRepo(u"bad-release"_s, u"procfile"_s);
        QCOMPARE(deploy(QJsonObject{{u"name"_s, u"bad-release"_s}, {u"language"_s, u"python"_s},
                                    {u"git"_s, QJsonObject{{u"url"_s, url}}}})[u"state"].toString(), u"running"_s);
        const QString before = served(u"bad-release"_s);
        QVERIFY2(before.contains(u"version v1 released"), qPrintable(before));
        auto committed = commitFiles(repo(u"bad-release"_s),
                                     {{u"Procfile"_s, "web: python3 app.py\nrelease: echo migrating; exit 3\n"},
                                      {u"VERSION"_s, "v2\n"}}, u"a release that fails"_s);
        QVERIFY2(committed, qPrintable(errorText(committed)));
        QCOMPARE(m_admin->post(u"/api/v1/apps/bad-release/rebuild"_s).status, 202);
        const QJsonObject second = waitForDeploy(u"bad-release"_s, 2);
        QCOMPARE(second[u"status"].toString(), u"failed"_s);
        QCOMPARE(second[u"error_code"].toString(), u"release-failed"_s);
        QVERIFY2(second[u"error"].toString().startsWith(u"release command (Procfile) `echo migrating; exit 3` exited with code 3"),
                 qPrintable(second[u"error"].toString()));
        QVERIFY2(second[u"error"].toString().contains(u"migrating"), qPrintable(second[u"error"].toString()));
        const QJsonObject app = m_admin->get(u"/api/v1/apps/bad-release"_s).json();
        QCOMPARE(app[u"state"].toString(), u"running"_s);
        QCOMPARE(app[u"last_error_code"].toString(), u"release-failed"_s);
        // The old container, untouched: same version, same release mark.
        QCOMPARE(served(u"bad-release"_s), before);
        QCOMPARE(dockerPs(u"label=gasper.app=bad-release"_s).split(u'\n', Qt::SkipEmptyParts).size(), 1);
    }

    void noProcfileAndNoRunFailsNamingBoth()
    {
        const QString url = makeRepo(u"no-run"_s, u"python"_s);
        const QJsonObject app = deploy(QJsonObject{{u"name"_s, u"no-run"_s}, {u"language"_s, u"python"_s},
                                                   {u"git"_s, QJsonObject{{u"url"_s, url}}}});
        QCOMPARE(app[u"state"].toString(), u"failed"_s);
        QCOMPARE(app[u"last_error_code"].toString(), u"run-missing"_s);
        const QString error = app[u"last_error"].toString();
        QVERIFY2(error.contains(u"no run command") && error.contains(u"no Procfile"), qPrintable(error));
        QVERIFY(dockerPs(u"label=gasper.app=no-run"_s).isEmpty());
    }

    void rollbackServesTheOldCommitWithoutAFailedRequest()
    {
        const QString url = makeRepo(u"rolls"_s, u"procfile"_s);
        const QString v1 = *revParse(repo(u"rolls"_s));
        QCOMPARE(deploy(QJsonObject{{u"name"_s, u"rolls"_s}, {u"language"_s, u"python"_s},
                                    {u"git"_s, QJsonObject{{u"url"_s, url}, {u"branch"_s, u"main"_s}}}})[u"state"].toString(),
                 u"running"_s);
        QVERIFY(commitFiles(repo(u"rolls"_s), {{u"VERSION"_s, "v2\n"}}, u"v2"_s));
        QCOMPARE(m_admin->post(u"/api/v1/apps/rolls/rebuild"_s).status, 202);
        QCOMPARE(waitForDeploy(u"rolls"_s, 2)[u"status"].toString(), u"succeeded"_s);
        QTRY_VERIFY_WITH_TIMEOUT(served(u"rolls"_s).contains(u"version v2"), 10000);
        QTest::qWait(2000);  // v1's container retired

        ProxyLoad load(*m_gasperd, u"rolls"_s);
        QVERIFY(load.started());
        QTest::qWait(300);
        const CurlResult rolled = m_admin->post(u"/api/v1/apps/rolls/rollback"_s, QJsonObject{{u"deploy"_s, 1}});
        QCOMPARE(rolled.status, 202);
        QCOMPARE(rolled.json()[u"git"][u"commit"].toString(), v1);
        const QJsonObject third = waitForDeploy(u"rolls"_s, 3);
        QCOMPARE(third[u"status"].toString(), u"succeeded"_s);
        QTest::qWait(2500);  // past the retirement of v2's container
        const QString out = load.stop();
        QVERIFY2(out.contains(u" bad=0"), qPrintable(out));
        QVERIFY2(!out.contains(u"ok=0 "), qPrintable(out));
        QVERIFY2(served(u"rolls"_s).contains(u"version v1"), qPrintable(served(u"rolls"_s)));
        QCOMPARE(third[u"trigger"].toString(), u"rollback"_s);
        QCOMPARE(third[u"rollback_to"].toInt(), 1);
        QCOMPARE(third[u"commit"].toString(), v1);
        QCOMPARE(dockerPs(u"label=gasper.app=rolls"_s).split(u'\n', Qt::SkipEmptyParts).size(), 1);
        // The next rebuild goes back to the branch's head.
        QCOMPARE(m_admin->post(u"/api/v1/apps/rolls/rebuild"_s).status, 202);
        QCOMPARE(waitForDeploy(u"rolls"_s, 4)[u"status"].toString(), u"succeeded"_s);
        QTRY_VERIFY_WITH_TIMEOUT(served(u"rolls"_s).contains(u"version v2"), 10000);
        QVERIFY(m_admin->get(u"/api/v1/apps/rolls"_s).json()[u"git"][u"commit"].isNull());
        // A deploy that does not exist: a clear 404, nothing started.
        const CurlResult missing = m_admin->post(u"/api/v1/apps/rolls/rollback"_s, QJsonObject{{u"deploy"_s, 42}});
        QCOMPARE(missing.status, 404);
        QVERIFY2(missing.json()[u"error"][u"message"].toString().contains(u"no deploy #42"), missing.body.constData());
        QCOMPARE(deploys(u"rolls"_s).size(), 4);
    }

    void aFailingHealthPathKeepsTheOldContainerAndAGoodOneSwitches()
    {
        const QString url = makeRepo(u"checked"_s, u"procfile"_s);
        const QJsonObject app = deploy(QJsonObject{{u"name"_s, u"checked"_s}, {u"language"_s, u"python"_s},
                                                   {u"git"_s, QJsonObject{{u"url"_s, url}}},
                                                   {u"health"_s, QJsonObject{{u"path"_s, u"/healthz"_s}, {u"status"_s, 200}}}});
        QCOMPARE(app[u"state"].toString(), u"running"_s);
        QCOMPARE(app[u"health"][u"path"].toString(), u"/healthz"_s);
        const QString firstContainer = dockerPs(u"label=gasper.app=checked"_s);
        QCOMPARE(firstContainer.split(u'\n', Qt::SkipEmptyParts).size(), 1);

        ProxyLoad load(*m_gasperd, u"checked"_s);
        QVERIFY(load.started());
        const CurlResult patched = m_admin->patch(u"/api/v1/apps/checked"_s,
            QJsonObject{{u"health"_s, QJsonObject{{u"path"_s, u"/broken"_s}, {u"status"_s, 200}, {u"timeout"_s, 3}}}});
        QCOMPARE(patched.status, 202);
        const QJsonObject failed = waitForDeploy(u"checked"_s, 2);
        QCOMPARE(failed[u"status"].toString(), u"failed"_s);
        QCOMPARE(failed[u"error_code"].toString(), u"health-failed"_s);
        const QJsonObject after = m_admin->get(u"/api/v1/apps/checked"_s).json();
        QCOMPARE(after[u"state"].toString(), u"running"_s);
        QVERIFY2(after[u"last_error"].toString().contains(u"health check GET /broken expected 200, got 503"),
                 qPrintable(after[u"last_error"].toString()));
        QCOMPARE(dockerPs(u"label=gasper.app=checked"_s), firstContainer);  // the new one is gone, the old one serves
        // A check it passes switches to the new container.
        QCOMPARE(m_admin->patch(u"/api/v1/apps/checked"_s, QJsonObject{{u"health"_s, QJsonObject{{u"path"_s, u"/healthz"_s}}}}).status, 202);
        QCOMPARE(waitForDeploy(u"checked"_s, 3)[u"status"].toString(), u"succeeded"_s);
        QTest::qWait(2500);
        const QString out = load.stop();
        QVERIFY2(out.contains(u" bad=0"), qPrintable(out));
        const QString now = dockerPs(u"label=gasper.app=checked"_s);
        QCOMPARE(now.split(u'\n', Qt::SkipEmptyParts).size(), 1);
        QVERIFY(now != firstContainer);
        QVERIFY(m_admin->get(u"/api/v1/apps/checked"_s).json()[u"last_error"].isNull());
    }
};

QTEST_MAIN(tst_Deploys)
#include "tst_deploys.moc"
