// SPDX-License-Identifier: MIT
#include "apps/TenantNetworks.h"

#include "apps/ContainerSpec.h"
#include "core/Log.h"
#include "docker/DockerClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

namespace gasper::apps {

TenantNetworks::TenantNetworks(docker::DockerClient *docker, QString node, QObject *parent)
    : QObject(parent), m_docker(docker), m_node(std::move(node))
{
}

TenantNetworks::~TenantNetworks() = default;

QString TenantNetworks::networkName(const QString &node, qint64 ownerId)
{
    // Docker network names: [A-Za-z0-9][A-Za-z0-9_.-]*
    QString safeNode = node;
    safeNode.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("-"));
    return QStringLiteral("gasper-%1-u%2").arg(safeNode).arg(ownerId);
}

void TenantNetworks::acquire(qint64 ownerId, const QString &holder)
{
    Entry &e = m_owners[ownerId];
    e.holders.insert(holder);
    if (e.removeTimer)
        e.removeTimer->stop();
}

void TenantNetworks::release(qint64 ownerId, const QString &holder)
{
    const auto it = m_owners.find(ownerId);
    if (it == m_owners.end())
        return;
    it->holders.remove(holder);
    if (it->holders.isEmpty())
        scheduleRemoval(ownerId);
}

bool TenantNetworks::holds(qint64 ownerId) const
{
    const auto it = m_owners.constFind(ownerId);
    return it != m_owners.cend() && !it->holders.isEmpty();
}

void TenantNetworks::ensure(qint64 ownerId, QObject *context, Callback<QString> callback)
{
    if (!context)
        context = this;
    Entry &e = m_owners[ownerId];
    if (e.phase == Phase::Ready) {
        QTimer::singleShot(0, context, [callback, name = networkName(m_node, ownerId)] { callback(name); });
        return;
    }
    e.waiters.append(Waiter{context, std::move(callback)});
    if (e.phase == Phase::Absent)
        create(ownerId);
    // Creating: the waiter is answered with it; Removing: a new one follows the removal.
}

void TenantNetworks::create(qint64 ownerId)
{
    if (!m_docker) {
        settle(ownerId, fail(QStringLiteral("docker-unavailable"), QStringLiteral("no Docker engine")));
        return;
    }
    m_owners[ownerId].phase = Phase::Creating;
    const QJsonObject labels{
        {QLatin1StringView(kLabelManaged), QStringLiteral("1")},
        {QLatin1StringView(kLabelNode), m_node},
        {QLatin1StringView(kLabelOwner), QString::number(ownerId)},
    };
    const QString name = networkName(m_node, ownerId);
    m_docker->createNetwork(name, labels, this, [this, ownerId, name](Result<QString> id) {
        if (!id && id.error().code == u"docker-conflict") {
            adoptExisting(ownerId);  // made by an earlier run of this gasperd
            return;
        }
        if (id) {
            qCInfo(lcApps).noquote() << "created network" << name << "for user" << ownerId;
            settle(ownerId, name);
            return;
        }
        Error error = id.error();
        if (error.message.contains(u"address pool"))
            // dockerd's default pools hold about 30 bridges: one per user with apps on this node.
            error.message += QStringLiteral(" (the Docker engine has no subnet left for another user's network: give it "
                                            "more with \"default-address-pools\" in daemon.json, e.g. "
                                            "{\"base\": \"10.64.0.0/10\", \"size\": 24})");
        settle(ownerId, std::unexpected(error));
    });
}

void TenantNetworks::adoptExisting(qint64 ownerId)
{
    const QString name = networkName(m_node, ownerId);
    m_docker->inspectNetwork(name, this, [this, ownerId, name](Result<QJsonObject> info) {
        if (!info) {
            settle(ownerId, std::unexpected(info.error()));
            return;
        }
        const QJsonObject labels = info->value(u"Labels").toObject();
        const bool ours = labels.value(QLatin1StringView(kLabelNode)).toString() == m_node
                          && labels.value(QLatin1StringView(kLabelOwner)).toString() == QString::number(ownerId);
        if (!ours) {
            settle(ownerId, fail(QStringLiteral("docker-conflict"),
                                 QStringLiteral("the Docker network %1 exists but was not made by this gasperd "
                                                "(node %2)").arg(name, m_node)));
            return;
        }
        settle(ownerId, name);
    });
}

void TenantNetworks::settle(qint64 ownerId, const Result<QString> &result)
{
    Entry &e = m_owners[ownerId];
    e.phase = result ? Phase::Ready : Phase::Absent;
    if (!result)
        qCWarning(lcApps).noquote() << "cannot set up the network of user" << ownerId << ":" << result.error().message;
    const QList<Waiter> waiters = std::exchange(e.waiters, {});
    for (const Waiter &w : waiters) {
        if (w.context)
            w.callback(result);
    }
    // Everyone who wanted it may be gone already.
    const auto it = m_owners.constFind(ownerId);
    if (result && it != m_owners.cend() && it->holders.isEmpty())
        scheduleRemoval(ownerId);
}

void TenantNetworks::scheduleRemoval(qint64 ownerId)
{
    Entry &e = m_owners[ownerId];
    if (e.phase != Phase::Ready)
        return;  // Absent: nothing to remove; Creating: settle() looks again
    if (!e.removeTimer) {
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, ownerId] { removeNow(ownerId); });
        e.removeTimer = timer;
    }
    e.removeTimer->start(m_removeDelayMs);
}

void TenantNetworks::removeNow(qint64 ownerId)
{
    const auto it = m_owners.find(ownerId);
    if (it == m_owners.end() || !it->holders.isEmpty() || it->phase != Phase::Ready || !m_docker)
        return;
    it->phase = Phase::Removing;
    const QString name = networkName(m_node, ownerId);
    m_docker->removeNetwork(name, this, [this, ownerId, name](Result<void> removed) {
        Entry &e = m_owners[ownerId];
        const bool gone = removed || removed.error().code == u"docker-not-found";
        if (gone) {
            qCInfo(lcApps).noquote() << "removed network" << name << "(user" << ownerId << "has no app left)";
            e.phase = Phase::Absent;
        } else {
            // Still in use (a container outside our books is attached): keep it.
            qCWarning(lcApps).noquote() << "keeping network" << name << ":" << removed.error().message;
            e.phase = Phase::Ready;
        }
        if (!e.waiters.isEmpty()) {
            if (e.phase == Phase::Absent)
                create(ownerId);
            else
                settle(ownerId, name);
        } else if (e.holders.isEmpty() && e.phase == Phase::Absent) {
            if (e.removeTimer)
                e.removeTimer->deleteLater();
            m_owners.remove(ownerId);
        }
        if (gone)
            emit networkRemoved(ownerId);  // last: a handler may change m_owners
    });
}

void TenantNetworks::pruneUnused()
{
    if (!m_docker)
        return;
    const QJsonObject filters{{QStringLiteral("label"),
                               QJsonArray{QStringLiteral("%1=1").arg(QLatin1StringView(kLabelManaged)),
                                          QStringLiteral("%1=%2").arg(QLatin1StringView(kLabelNode), m_node)}}};
    m_docker->listNetworks(filters, this, [this](Result<QJsonArray> list) {
        if (!list) {
            qCWarning(lcApps).noquote() << "cannot list networks:" << list.error().message;
            return;
        }
        for (const QJsonValue &v : *list) {
            const QJsonObject network = v.toObject();
            bool ok = false;
            const qint64 owner = network.value(u"Labels").toObject().value(QLatin1StringView(kLabelOwner)).toString()
                                     .toLongLong(&ok);
            if (!ok || network.value(u"Name").toString() != networkName(m_node, owner))
                continue;
            Entry &e = m_owners[owner];
            if (!e.holders.isEmpty() || e.phase != Phase::Absent)
                continue;
            e.phase = Phase::Ready;  // it exists; remove it like any unused one
            removeNow(owner);
        }
    });
}

} // namespace gasper::apps
