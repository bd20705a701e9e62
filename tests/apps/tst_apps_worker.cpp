// SPDX-License-Identifier: MIT
// LocalAppWorker against the real Docker engine (DOCKER_HOST, else /var/run/docker.sock)
// and a real git repository: an app removed while its callbacks are in flight stays gone.
// Needs the local image gasper/python.

#include "../support/DockerTestSupport.h"
#include "../support/GitFixtures.h"
#include "apps/LocalAppWorker.h"
#include "docker/DockerClient.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace gasper;
using namespace gasper::apps;
using namespace gasper::testing;
using namespace Qt::StringLiterals;

class tst_AppsWorker : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_repo;
    Config m_config;
    std::unique_ptr<docker::DockerClient> m_docker;
    std::unique_ptr<LocalAppWorker> m_worker;
    int m_serial = 0;

    AppSpec spec(const QString &name) const
    {
        AppSpec s;
        s.name = name;
        s.language = u"python"_s;
        s.run = u"python3 app.py"_s;
        s.port = 8080;
        s.git.url = u"file://"_s + m_repo;
        return s;
    }

    // Containers of this worker's node for the app.
    QJsonArray containersOf(const QString &app)
    {
        Waiter<QJsonArray> listed;
        m_docker->listContainers(QJsonObject{{u"label"_s, QJsonArray{QString(u"gasper.app="_s + app),
                                                                      QString(u"gasper.node-id="_s + m_config.nodeId)}}},
                                 true, &listed.context, listed.callback());
        if (!listed.wait() || !*listed.result)
            return QJsonArray{QJsonObject{{u"error"_s, listed.why()}}};
        return **listed.result;
    }

    int appsOnNode()
    {
        Waiter<QJsonObject> status;
        m_worker->nodeStatus(&status.context, status.callback());
        if (!status.wait() || !*status.result)
            return -1;
        return (*status.result)->value(u"apps").toInt();
    }

    bool deployAndWait(const QString &app)
    {
        bool ok = false, done = false;
        QObject guard;
        connect(m_worker.get(), &AppWorker::deployFinished, &guard,
                [&](const QString &a, int, const DeployOutcome &outcome) {
            if (a == app) {
                ok = outcome.ok;
                done = true;
                if (!ok)
                    qWarning().noquote() << "deploy failed:" << outcome.error.message;
            }
        });
        m_worker->deploy(spec(app), 1, u"test"_s);
        return QTest::qWaitFor([&] { return done; }, 120000) && ok;
    }

private slots:
    void initTestCase()
    {
        m_repo = m_tmp.path() + u"/repo"_s;
        auto made = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/python"), m_repo);
        QVERIFY2(made, qPrintable(errorText(made)));
        m_config.dataDir = m_tmp.path() + u"/data"_s;
        m_config.nodeName = u"worker-test-%1"_s.arg(QCoreApplication::applicationPid());
        m_config.nodeNameSet = true;
        m_config.healthTimeoutSec = 60;
        m_config.applyDefaults();
        m_config.dockerSocket = dockerSocket();
        QVERIFY(QDir().mkpath(m_config.sourcesDir()));
        QVERIFY(m_config.loadNodeId());
        m_docker = std::make_unique<docker::DockerClient>(m_config.dockerSocket);
        m_worker = std::make_unique<LocalAppWorker>(m_docker.get(), m_config);
        m_worker->startSupervision();
    }

    void cleanupTestCase()
    {
        m_worker.reset();
        // Anything a failed run left behind, of this node only.
        Waiter<QJsonArray> listed;
        m_docker->listContainers(QJsonObject{{u"label"_s, QJsonArray{QString(u"gasper.node-id="_s + m_config.nodeId)}}}, true,
                                 &listed.context, listed.callback());
        if (listed.wait() && *listed.result) {
            for (const QJsonValue &c : **listed.result) {
                Waiter<void> removed;
                m_docker->removeContainer(c.toObject().value(u"Id").toString(), true, &removed.context,
                                          removed.callback());
                removed.wait();
            }
        }
        // and its users' networks (the worker removes one only 10 s after its last app)
        Waiter<QJsonArray> networks;
        m_docker->listNetworks(QJsonObject{{u"label"_s, QJsonArray{QString(u"gasper.node-id="_s + m_config.nodeId)}}},
                               &networks.context, networks.callback());
        if (networks.wait() && *networks.result) {
            for (const QJsonValue &n : **networks.result) {
                Waiter<void> removed;
                m_docker->removeNetwork(n.toObject().value(u"Id").toString(), &removed.context, removed.callback());
                removed.wait();
            }
        }
    }

    void removedAppNeverComesBack_data()
    {
        QTest::addColumn<QString>("moment");
        QTest::newRow("deploy in flight") << u"deploy"_s;
        QTest::newRow("restart in flight") << u"restart"_s;
        QTest::newRow("start in flight") << u"start"_s;
        QTest::newRow("recovery in flight") << u"recovery"_s;
    }

    // Whatever is in flight when remove() is called, nothing of the app comes back after
    // its callback: no signal, no container, no slot (nodeStatus counts none).
    void removedAppNeverComesBack()
    {
        QFETCH(QString, moment);
        const QString app = u"late-%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(++m_serial);
        if (moment == u"deploy") {
            m_worker->deploy(spec(app), 1, u"test"_s);
            QTest::qWait(20);  // clone and create are under way
        } else {
            QVERIFY(deployAndWait(app));
            QCOMPARE(containersOf(app).size(), 1);
            if (moment == u"restart") {
                m_worker->restart(app, this, [](Result<void>) {});
            } else if (moment == u"start") {
                Waiter<void> stopped;
                m_worker->stop(app, &stopped.context, stopped.callback());
                QVERIFY2(stopped.wait() && *stopped.result, qPrintable(stopped.why()));
                m_worker->start(app, this, [](Result<void>) {});
            } else {
                // Killed from outside: the worker sees the die and schedules a recovery.
                bool restarting = false;
                QObject guard;
                connect(m_worker.get(), &AppWorker::stateChanged, &guard, [&](const QString &a, AppState state) {
                    restarting = restarting || (a == app && state == AppState::Restarting);
                });
                const QString id = containersOf(app).first().toObject().value(u"Id").toString();
                Waiter<void> killed;
                m_docker->killContainer(id, {}, &killed.context, killed.callback());
                QVERIFY(killed.wait());
                QVERIFY(QTest::qWaitFor([&] { return restarting; }, 20000));
            }
        }

        Waiter<void> removed;
        m_worker->remove(app, &removed.context, removed.callback());
        QVERIFY2(removed.wait() && *removed.result, qPrintable(removed.why()));

        int signalsAfter = 0;
        QObject guard;
        const auto count = [&](const QString &a) { signalsAfter += a == app ? 1 : 0; };
        connect(m_worker.get(), &AppWorker::stateChanged, &guard, count);
        connect(m_worker.get(), &AppWorker::deployStep, &guard, count);
        connect(m_worker.get(), &AppWorker::deployOutput, &guard, count);
        connect(m_worker.get(), &AppWorker::deployFinished, &guard, count);
        connect(m_worker.get(), &AppWorker::runtimeChanged, &guard, count);
        connect(m_worker.get(), &AppWorker::deployRequested, &guard, count);
        // Longer than a recovery back-off, a restart and a health probe of this app.
        QTest::qWait(4000);
        QCOMPARE(signalsAfter, 0);
        QCOMPARE(containersOf(app), QJsonArray{});
        QCOMPARE(appsOnNode(), 0);
        QDirIterator left(m_config.sourcesDir() + u'/' + app, QDir::AllEntries | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        QStringList leftovers;
        while (left.hasNext())
            leftovers << left.next();
        QVERIFY2(!QDir(m_config.sourcesDir() + u'/' + app).exists(), qPrintable(leftovers.join(u' ')));
    }
};

QTEST_GUILESS_MAIN(tst_AppsWorker)
#include "tst_apps_worker.moc"
