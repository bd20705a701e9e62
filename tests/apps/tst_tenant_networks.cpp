// SPDX-License-Identifier: MIT
// TenantNetworks against the real dockerd: one labelled bridge per user and node, made
// once, reused, removed after the last holder, and never touched by another node.

#include "apps/TenantNetworks.h"
#include "docker/DockerClient.h"
#include "../support/DockerTestSupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace gasper;
using namespace gasper::apps;
using namespace gasper::testing;
using namespace std::chrono_literals;

class tst_TenantNetworks : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<docker::DockerClient> m_docker;
    QString m_run;

    QString node(const QString &suffix) const { return QStringLiteral("tnt-%1-%2").arg(m_run, suffix); }

    Result<QString> ensure(TenantNetworks &networks, qint64 owner)
    {
        Waiter<QString> w;
        networks.ensure(owner, &w.context, w.callback());
        if (!w.wait())
            return fail(QStringLiteral("test"), QStringLiteral("no answer"));
        return *w.result;
    }
    Result<QJsonObject> inspect(const QString &name)
    {
        Waiter<QJsonObject> w;
        m_docker->inspectNetwork(name, &w.context, w.callback());
        if (!w.wait())
            return fail(QStringLiteral("test"), QStringLiteral("no answer"));
        return *w.result;
    }
    int countNetworksOf(const QString &nodeName)
    {
        Waiter<QJsonArray> w;
        m_docker->listNetworks(QJsonObject{{QStringLiteral("label"), QJsonArray{QString(QStringLiteral("gasper.node=") + nodeName)}}},
                               &w.context, w.callback());
        return w.wait() && *w.result ? int((*w.result)->size()) : -1;
    }
    void removeAllOf(const QString &nodeName)
    {
        Waiter<QJsonArray> w;
        m_docker->listNetworks(QJsonObject{{QStringLiteral("label"), QJsonArray{QString(QStringLiteral("gasper.node=") + nodeName)}}},
                               &w.context, w.callback());
        if (!w.wait() || !*w.result)
            return;
        for (const QJsonValue &n : **w.result) {
            Waiter<void> r;
            m_docker->removeNetwork(n.toObject().value(u"Id").toString(), &r.context, r.callback());
            r.wait();
        }
    }

private slots:
    void initTestCase()
    {
        m_run = QUuid::createUuid().toString(QUuid::Id128).left(8);
        m_docker = std::make_unique<docker::DockerClient>(dockerSocket());
    }

    void cleanupTestCase()
    {
        for (const QString &suffix : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")})
            removeAllOf(node(suffix));
    }

    void concurrentCallersGetOneLabelledNetworkThatIsReused()
    {
        TenantNetworks networks(m_docker.get(), node(QStringLiteral("a")));
        networks.acquire(7, QStringLiteral("web"));
        Waiter<QString> first, second;
        networks.ensure(7, &first.context, first.callback());
        networks.ensure(7, &second.context, second.callback());
        QVERIFY(first.wait() && second.wait());
        QVERIFY2(*first.result, qPrintable(first.why()));
        QVERIFY2(*second.result, qPrintable(second.why()));
        QCOMPARE(**first.result, TenantNetworks::networkName(node(QStringLiteral("a")), 7));
        QCOMPARE(**second.result, **first.result);
        QCOMPARE(countNetworksOf(node(QStringLiteral("a"))), 1);

        const auto info = inspect(**first.result);
        QVERIFY(info);
        const QJsonObject labels = info->value(u"Labels").toObject();
        QCOMPARE(labels.value(u"gasper.managed").toString(), QStringLiteral("1"));
        QCOMPARE(labels.value(u"gasper.node").toString(), node(QStringLiteral("a")));
        QCOMPARE(labels.value(u"gasper.owner").toString(), QStringLiteral("7"));
        QCOMPARE(info->value(u"Driver").toString(), QStringLiteral("bridge"));

        const auto again = ensure(networks, 7);  // made once: the same network afterwards
        QVERIFY(again);
        QCOMPARE(inspect(*again)->value(u"Id").toString(), info->value(u"Id").toString());
        // another user: another network
        networks.acquire(8, QStringLiteral("api"));
        const auto other = ensure(networks, 8);
        QVERIFY(other);
        QVERIFY(*other != *again);
        QCOMPARE(countNetworksOf(node(QStringLiteral("a"))), 2);
    }

    void lastReleaseRemovesTheNetworkAfterTheDelayUnlessReacquired()
    {
        TenantNetworks networks(m_docker.get(), node(QStringLiteral("b")));
        networks.setRemoveDelay(300ms);
        QSignalSpy removed(&networks, &TenantNetworks::networkRemoved);
        networks.acquire(1, QStringLiteral("one"));
        networks.acquire(1, QStringLiteral("two"));
        const auto name = ensure(networks, 1);
        QVERIFY(name);
        networks.release(1, QStringLiteral("one"));
        QTest::qWait(600);
        QVERIFY(inspect(*name));  // "two" still holds it
        networks.release(1, QStringLiteral("two"));
        networks.acquire(1, QStringLiteral("three"));  // back within the delay: kept
        QTest::qWait(600);
        QVERIFY(inspect(*name));
        QCOMPARE(removed.size(), 0);
        networks.release(1, QStringLiteral("three"));
        QVERIFY(removed.wait(10000));
        QCOMPARE(removed.first().first().toLongLong(), 1);
        QCOMPARE(inspect(*name).error().code, QStringLiteral("docker-not-found"));
        // needed again: made again
        networks.acquire(1, QStringLiteral("four"));
        QVERIFY(ensure(networks, 1));
        QVERIFY(inspect(*name));
    }

    void aRestartedGasperdReusesItsNetworkAndPrunesUnheldOnes()
    {
        const QString n = node(QStringLiteral("c"));
        QString kept, stale;
        {
            TenantNetworks before(m_docker.get(), n);
            before.acquire(1, QStringLiteral("web"));
            before.acquire(2, QStringLiteral("gone"));
            kept = ensure(before, 1).value_or(QString());
            stale = ensure(before, 2).value_or(QString());
        }  // gasperd stops: networks stay
        QVERIFY(!kept.isEmpty() && !stale.isEmpty());
        const QString keptId = inspect(kept)->value(u"Id").toString();
        TenantNetworks after(m_docker.get(), n);
        after.setRemoveDelay(0ms);
        after.acquire(1, QStringLiteral("web"));  // re-adopted app; user 2's apps were deleted
        QSignalSpy removed(&after, &TenantNetworks::networkRemoved);
        after.pruneUnused();
        QVERIFY(removed.wait(10000));
        QCOMPARE(removed.first().first().toLongLong(), 2);
        QCOMPARE(inspect(stale).error().code, QStringLiteral("docker-not-found"));
        const auto reused = ensure(after, 1);
        QVERIFY2(reused, qPrintable(reused ? QString() : reused.error().message));
        QCOMPARE(inspect(*reused)->value(u"Id").toString(), keptId);
    }

    void anotherNodeOnTheSameEngineNeverTouchesOurNetworks()
    {
        TenantNetworks ours(m_docker.get(), node(QStringLiteral("d")));
        ours.acquire(5, QStringLiteral("web"));
        const auto mine = ensure(ours, 5);
        QVERIFY(mine);
        TenantNetworks theirs(m_docker.get(), node(QStringLiteral("e")));
        theirs.setRemoveDelay(0ms);
        QSignalSpy removed(&theirs, &TenantNetworks::networkRemoved);
        theirs.pruneUnused();  // holds nothing: would remove every network it thought its own
        QTest::qWait(1000);
        QCOMPARE(removed.size(), 0);
        QVERIFY(inspect(*mine));
        theirs.acquire(5, QStringLiteral("web"));
        const auto other = ensure(theirs, 5);
        QVERIFY(other);
        QVERIFY(*other != *mine);
        removeAllOf(node(QStringLiteral("e")));
    }
};

QTEST_GUILESS_MAIN(tst_TenantNetworks)
#include "tst_tenant_networks.moc"
