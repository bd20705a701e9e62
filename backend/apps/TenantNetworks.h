// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <chrono>
#include <functional>

class QTimer;

namespace gasper::docker {
class DockerClient;
}

namespace gasper::apps {

// Each user's own Docker network on this node (DESIGN.md: "each user's containers share
// a Docker network of that user's; no traffic between users' networks").
//
// A network is a user-defined bridge named networkName(node, owner) and labelled
// gasper.managed=1, gasper.node=<node>, gasper.owner=<id>: a second gasperd on the same
// engine (another node name) never touches it. It is created on first need and then
// reused; Docker's isolation chains (iptables) drop traffic between two such bridges,
// and the engine's DNS resolves the aliases of the containers on it (the app names).
//
// Who needs a network says so with acquire(owner, holder) — an app now; a database
// server later ("db:<name>") — and release() when it is gone. Once an owner has no
// holder left the network is removed after removeDelay() (default 10 s: a user who
// deletes an app and creates it again does not pay for a new network). A removal the
// engine refuses (a container still attached) keeps the network.
//
// ensure() calls back exactly once, from the event loop, never after `context` died.
class TenantNetworks final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TenantNetworks)
public:
    template<class T>
    using Callback = std::function<void(Result<T>)>;

    TenantNetworks(docker::DockerClient *docker, QString node, QObject *parent = nullptr);
    ~TenantNetworks() override;

    static QString networkName(const QString &node, qint64 ownerId);

    void setRemoveDelay(std::chrono::milliseconds delay) { m_removeDelayMs = int(delay.count()); }
    std::chrono::milliseconds removeDelay() const { return std::chrono::milliseconds(m_removeDelayMs); }

    void acquire(qint64 ownerId, const QString &holder);
    void release(qint64 ownerId, const QString &holder);
    bool holds(qint64 ownerId) const;

    // The owner's network name once it exists: created now if needed (one creation for
    // any number of concurrent callers). Errors are the engine's (docker-*), or
    // docker-conflict when the name belongs to a network that is not ours.
    void ensure(qint64 ownerId, QObject *context, Callback<QString> callback);

    // Removes this node's networks of owners that hold nothing (after gasperd restarted
    // and the apps were re-adopted: what a deleted user left behind).
    void pruneUnused();

signals:
    // The owner's network is gone (removed by us, or it was already gone).
    void networkRemoved(qint64 ownerId);

private:
    enum class Phase { Absent, Creating, Ready, Removing };
    struct Waiter
    {
        QPointer<QObject> context;
        Callback<QString> callback;
    };
    struct Entry
    {
        QSet<QString> holders;
        Phase phase = Phase::Absent;
        QList<Waiter> waiters;
        QPointer<QTimer> removeTimer;
    };

    void create(qint64 ownerId);
    void adoptExisting(qint64 ownerId);
    void settle(qint64 ownerId, const Result<QString> &result);
    void scheduleRemoval(qint64 ownerId);
    void removeNow(qint64 ownerId);

    QPointer<docker::DockerClient> m_docker;
    QString m_node;
    int m_removeDelayMs = 10000;
    QHash<qint64, Entry> m_owners;
};

} // namespace gasper::apps
