// SPDX-License-Identifier: MIT
#include "SimulatedMaster.h"

#include "master/Kaze.h"
#include "proxy/RouteTable.h"
#include "store/AsyncStore.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gasper::testing {

SimulatedMaster::SimulatedMaster() = default;

SimulatedMaster::~SimulatedMaster()
{
    stop();
}

QString SimulatedMaster::start(const std::function<void(Config &)> &configure)
{
    if (!m_dir.isValid())
        return u"no temporary folder"_s;
    if (!m_description.isLoaded())
        return u"docs/openapi.json did not load"_s;
    auto store = store::AsyncStore::open(u"sqlite://"_s + m_dir.path() + u"/gasper.db"_s, m_dir.path() + u"/secret.key"_s);
    if (!store)
        return store.error().message;
    m_store = std::move(*store);
    m_worker = std::make_unique<SimulatedAppWorker>(u"sim"_s);
    m_routes = std::make_unique<proxy::RouteTable>();
    Config config;
    config.dataDir = m_dir.path();
    config.api = Endpoint{u"127.0.0.1"_s, 0};
    config.proxy = Endpoint{u"127.0.0.1"_s, 8080};
    if (configure)
        configure(config);
    config.applyDefaults();
    m_kaze = std::make_unique<master::Kaze>(config, m_store.get(), m_worker.get(), m_routes.get());
    if (!m_kaze->listen())
        return u"the master cannot listen on 127.0.0.1"_s;
    m_kaze->start();
    return {};
}

void SimulatedMaster::stop()
{
    m_kaze.reset();
    m_routes.reset();
    m_worker.reset();
    m_store.reset();
}

HttpAnswer SimulatedMaster::call(const QByteArray &method, const QString &target, const QByteArray &token,
                                 const QByteArray &body, const QByteArray &extraHead, const QHostAddress &source)
{
    const QByteArray auth = token.isEmpty() ? QByteArray() : "Authorization: Bearer " + token + "\r\n";
    const HttpAnswer answer = httpCall(m_kaze->serverPort(), method, target.toUtf8(), body, auth + extraHead, source);
    m_violations << m_description.check(method, target, answer.status, answer.body);
    return answer;
}

QByteArray SimulatedMaster::signIn(const QString &user)
{
    call("POST", u"/api/v1/auth/register"_s, {},
         QJsonDocument(QJsonObject{{u"username"_s, user}, {u"email"_s, QString(user + u"@example.test"_s)},
                                   {u"password"_s, QString::fromUtf8(kPassword)}})
             .toJson(QJsonDocument::Compact));
    return login(user, kPassword).json().value(u"token").toString().toUtf8();
}

HttpAnswer SimulatedMaster::login(const QString &user, const QByteArray &password, const QHostAddress &source)
{
    return call("POST", u"/api/v1/auth/login"_s, {},
                QJsonDocument(QJsonObject{{u"username"_s, user}, {u"password"_s, QString::fromUtf8(password)}})
                    .toJson(QJsonDocument::Compact),
                {}, source);
}

} // namespace gasper::testing
