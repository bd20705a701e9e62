// SPDX-License-Identifier: MIT
// The master's rules without Docker: a real Kaze listening on loopback, its SQLite store in a
// temporary folder, and the in-process SimulatedAppWorker. Every answer of call() is checked
// against docs/openapi.json; a test takes the violations after each case (takeViolations).
#pragma once

#include "LoopbackHttp.h"
#include "OpenApiCheck.h"
#include "SimulatedAppWorker.h"

#include "core/Config.h"

#include <QHostAddress>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace gasper::master {
class Kaze;
}
namespace gasper::proxy {
class RouteTable;
}
namespace gasper::store {
class AsyncStore;
}

namespace gasper::testing {

class SimulatedMaster
{
public:
    static constexpr char kPassword[] = "correct horse battery";

    SimulatedMaster();
    ~SimulatedMaster();
    Q_DISABLE_COPY_MOVE(SimulatedMaster)

    // Opens the store and starts the master on a free port; `configure` adjusts the config
    // (defaults applied after it). Empty on success, else why it could not.
    QString start(const std::function<void(Config &)> &configure = {});
    void stop();

    HttpAnswer call(const QByteArray &method, const QString &target, const QByteArray &token = {},
                    const QByteArray &body = {}, const QByteArray &extraHead = {},
                    const QHostAddress &source = QHostAddress::LocalHost);
    // Registers `user` (the first one is admin) with kPassword and logs in: the token.
    QByteArray signIn(const QString &user);
    HttpAnswer login(const QString &user, const QByteArray &password, const QHostAddress &source = QHostAddress::LocalHost);

    void addViolations(const QStringList &violations) { m_violations << violations; }
    QStringList takeViolations() { return std::exchange(m_violations, {}); }

    master::Kaze &kaze() { return *m_kaze; }
    store::AsyncStore &store() { return *m_store; }
    SimulatedAppWorker &worker() { return *m_worker; }
    proxy::RouteTable &routes() { return *m_routes; }
    const OpenApiCheck &description() const { return m_description; }
    QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    OpenApiCheck m_description;
    QStringList m_violations;
    // Declared in the order they are made: the master goes first, the store last.
    std::unique_ptr<store::AsyncStore> m_store;
    std::unique_ptr<SimulatedAppWorker> m_worker;
    std::unique_ptr<proxy::RouteTable> m_routes;
    std::unique_ptr<master::Kaze> m_kaze;
};

} // namespace gasper::testing
