// SPDX-License-Identifier: MIT
#include "master/Kaze.h"

#include "core/Log.h"
#include "core/Names.h"
#include "http/HttpServer.h"
#include "master/ApiSupport.h"
#include "master/AppJson.h"
#include "master/AppStates.h"
#include "master/Credentials.h"
#include "proxy/RouteTable.h"

#include <QFuture>
#include <QHostAddress>
#include <QJsonArray>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

constexpr qint64 kMaxRequestBody = 1024 * 1024;

QStringList splitPath(QByteArrayView path)
{
    QStringList segments;
    for (const QByteArray &part : path.toByteArray().split('/')) {
        if (!part.isEmpty())
            segments << QString::fromUtf8(QByteArray::fromPercentEncoding(part));
    }
    return segments;
}

QByteArray bearerToken(const http::Request &request, const QUrlQuery &query, bool allowQuery)
{
    const QByteArray header = request.headers.value("Authorization");
    if (header.size() > 7 && header.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return header.mid(7).trimmed();
    if (allowQuery && query.hasQueryItem(QStringLiteral("token")))
        return query.queryItemValue(QStringLiteral("token")).toUtf8();
    return {};
}

QString stringField(const QJsonObject &body, const char *key)
{
    return body.value(QLatin1StringView(key)).toString();
}

} // namespace

Kaze::Kaze(Config config, store::AsyncStore *store, apps::AppWorker *worker, proxy::RouteTable *routes, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_store(store), m_worker(worker), m_routes(routes),
      m_states(new AppStates(m_config, store, worker, routes, &m_hub, this))
{
    m_uptime.start();
    http::Limits limits;
    limits.maxBodyBytes = kMaxRequestBody;
    m_server = new http::HttpServer(limits, this);
    m_server->setHandler([this](const http::Request &request, http::HttpResponder *responder) {
        handle(request, responder);
    });

    const auto r = [this](const char *method, const char *path, bool auth, Handler handler) {
        m_table.append(Route{QByteArray(method), splitPath(path), auth, handler});
    };
    r("GET", "/healthz", false, &Kaze::healthz);
    r("GET", "/metrics", false, &Kaze::metrics);
    r("POST", "/api/v1/auth/register", false, &Kaze::registerUser);
    r("POST", "/api/v1/auth/login", false, &Kaze::login);
    r("POST", "/api/v1/auth/logout", true, &Kaze::logout);
    r("GET", "/api/v1/users/me", true, &Kaze::me);
    r("POST", "/api/v1/apps", true, &Kaze::createApp);
    r("GET", "/api/v1/apps", true, &Kaze::listApps);
    r("GET", "/api/v1/apps/{}", true, &Kaze::getApp);
    r("PATCH", "/api/v1/apps/{}", true, &Kaze::patchApp);
    r("DELETE", "/api/v1/apps/{}", true, &Kaze::deleteApp);
    r("POST", "/api/v1/apps/{}/rebuild", true, &Kaze::rebuildApp);
    r("POST", "/api/v1/apps/{}/restart", true, &Kaze::restartApp);
    r("POST", "/api/v1/apps/{}/stop", true, &Kaze::stopApp);
    r("POST", "/api/v1/apps/{}/start", true, &Kaze::startApp);
    r("GET", "/api/v1/apps/{}/logs", true, &Kaze::appLogs);
    r("GET", "/api/v1/apps/{}/deploys", true, &Kaze::appDeploys);
    r("GET", "/api/v1/apps/{}/metrics", true, &Kaze::appMetrics);
    r("GET", "/api/v1/apps/{}/deploys/{}/log", true, &Kaze::deployLog);
    r("GET", "/api/v1/events", true, &Kaze::events);
    r("GET", "/api/v1/nodes", true, &Kaze::nodes);

}

Kaze::~Kaze() = default;

Result<void> Kaze::listen()
{
    return m_server->listen(QHostAddress(m_config.api.host), m_config.api.port);
}

quint16 Kaze::serverPort() const
{
    return m_server->serverPort();
}

// ---- dispatch ----------------------------------------------------------------

void Kaze::handle(const http::Request &request, http::HttpResponder *responder)
{
    auto call = std::make_shared<Call>();
    call->responder = responder;
    call->path = request.path();
    call->body = request.body;
    call->query = QUrlQuery(QString::fromUtf8(request.query()));
    const QStringList segments = splitPath(call->path);

    const Route *match = nullptr;
    bool pathMatched = false;
    for (const Route &route : std::as_const(m_table)) {
        if (route.segments.size() != segments.size())
            continue;
        QStringList params;
        bool ok = true;
        for (qsizetype i = 0; i < segments.size() && ok; ++i) {
            if (route.segments[i] == u"{}")
                params << segments[i];
            else
                ok = route.segments[i] == segments[i];
        }
        if (!ok)
            continue;
        pathMatched = true;
        if (route.method == request.method || (route.method == "GET" && request.method == "HEAD")) {
            match = &route;
            call->params = params;
            break;
        }
    }
    if (!match && !pathMatched) {
        if (auto page = m_web.serve(request))  // the dashboard: "/", its routes and assets
            return reply(call, *page);
    }
    if (!match) {
        if (pathMatched)
            reply(call, errorResponse(QStringLiteral("method-not-allowed"),
                                      QStringLiteral("%1 is not allowed here").arg(QString::fromLatin1(request.method))));
        else
            reply(call, errorResponse(QStringLiteral("route-not-found"),
                                      QStringLiteral("no API route %1").arg(QString::fromUtf8(call->path))));
        return;
    }
    const Handler handler = match->handler;
    if (!match->auth) {
        (this->*handler)(call);
        return;
    }
    const QByteArray token = bearerToken(request, call->query, handler == &Kaze::events || handler == &Kaze::appLogs);
    if (token.isEmpty()) {
        reply(call, errorResponse(QStringLiteral("unauthorized"),
                                  QStringLiteral("log in first: send Authorization: Bearer <token>")));
        return;
    }
    const QByteArray hash = tokenHash(QString::fromUtf8(token));
    m_store->run([hash](store::Store &s) { return s.userByToken(hash, QDateTime::currentDateTimeUtc()); })
        .then(this, [this, call, handler](const Result<store::User> &user) {
            if (!user) {
                reply(call, errorResponse(QStringLiteral("unauthorized"),
                                          QStringLiteral("the token is unknown or expired: log in again")));
                return;
            }
            call->user = *user;
            (this->*handler)(call);
        });
}

void Kaze::reply(const CallPtr &call, const http::Response &response)
{
    m_responsesByStatus[response.status] += 1;
    if (call->responder)
        call->responder->respond(response);
}

void Kaze::replyError(const CallPtr &call, const Error &error)
{
    reply(call, errorResponse(error));
}

void Kaze::withApp(const CallPtr &call, std::function<void(store::AppRecord)> next)
{
    const QString name = call->params.value(0);
    m_store->run([name](store::Store &s) { return s.app(name); })
        .then(this, [this, call, name, next](const Result<store::AppRecord> &app) {
            if (!app || (app->ownerId != call->user.id && !call->user.admin)) {
                if (app || app.error().code == u"not-found")
                    replyError(call, Error{QStringLiteral("not-found"), QStringLiteral("no app named '%1'").arg(name)});
                else
                    replyError(call, app.error());
                return;
            }
            next(*app);
        });
}

// ---- service endpoints ---------------------------------------------------------

void Kaze::healthz(const CallPtr &call)
{
    reply(call, jsonResponse(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                              {QStringLiteral("uptime_s"), m_uptime.elapsed() / 1000}}));
}

void Kaze::metrics(const CallPtr &call)
{
    QByteArray text;
    text += "# HELP gasper_up 1 while gasperd runs.\n# TYPE gasper_up gauge\ngasper_up 1\n";
    text += "# HELP gasper_uptime_seconds Seconds since gasperd started.\n# TYPE gasper_uptime_seconds gauge\n";
    text += "gasper_uptime_seconds " + QByteArray::number(m_uptime.elapsed() / 1000) + '\n';
    QHash<QString, int> byState;
    for (const QString &s : {u"queued"_s, u"cloning"_s, u"building"_s, u"starting"_s, u"running"_s,
                             u"restarting"_s, u"failed"_s, u"stopped"_s})
        byState.insert(s, 0);
    for (const AppStates::LiveApp &a : m_states->all())
        byState[toString(a.state)] += 1;
    text += "# HELP gasper_apps Apps by state.\n# TYPE gasper_apps gauge\n";
    for (auto it = byState.cbegin(); it != byState.cend(); ++it)
        text += "gasper_apps{state=\"" + it.key().toUtf8() + "\"} " + QByteArray::number(it.value()) + '\n';
    text += "# HELP gasper_deploys_total Finished deploys by result.\n# TYPE gasper_deploys_total counter\n";
    text += "gasper_deploys_total{result=\"succeeded\"} " + QByteArray::number(m_states->deploysSucceeded()) + '\n';
    text += "gasper_deploys_total{result=\"failed\"} " + QByteArray::number(m_states->deploysFailed()) + '\n';
    text += "# HELP gasper_deploy_seconds_sum Time spent in successful deploys.\n# TYPE gasper_deploy_seconds_sum counter\n";
    text += "gasper_deploy_seconds_sum " + QByteArray::number(m_states->deploySecondsSum(), 'f', 3) + '\n';
    text += "# HELP gasper_api_responses_total API responses by status.\n# TYPE gasper_api_responses_total counter\n";
    for (auto it = m_responsesByStatus.cbegin(); it != m_responsesByStatus.cend(); ++it)
        text += "gasper_api_responses_total{status=\"" + QByteArray::number(it.key()) + "\"} "
                + QByteArray::number(it.value()) + '\n';
    text += "# HELP gasper_event_subscribers Open WebSocket event streams.\n# TYPE gasper_event_subscribers gauge\n";
    text += "gasper_event_subscribers " + QByteArray::number(m_hub.subscriberCount()) + '\n';
    text += "# HELP gasper_api_connections Open API connections.\n# TYPE gasper_api_connections gauge\n";
    text += "gasper_api_connections " + QByteArray::number(m_server->connectionCount()) + '\n';
    if (m_extraMetrics)
        text += m_extraMetrics();
    http::Response response;
    response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    response.body = text;
    reply(call, response);
}

// ---- auth ------------------------------------------------------------------------

void Kaze::registerUser(const CallPtr &call)
{
    auto body = parseJsonObject(call->body);
    if (!body)
        return replyError(call, body.error());
    for (auto it = body->begin(); it != body->end(); ++it) {
        if (it.key() != u"username" && it.key() != u"email" && it.key() != u"password")
            return replyError(call, Error{u"invalid-body"_s, QStringLiteral("'%1' is not a known field").arg(it.key())});
    }
    const QString username = stringField(*body, "username");
    const QString email = stringField(*body, "email").trimmed();
    const QString password = stringField(*body, "password");
    if (!isValidUsername(username))
        return replyError(call, Error{u"invalid-body"_s, u"username must be 2-32 characters of a-z, 0-9, '.', '_' "
                                                            "and '-', starting with a letter"_s});
    if (email.size() < 3 || email.size() > 254 || !email.contains(u'@') || email.contains(u' '))
        return replyError(call, Error{u"invalid-body"_s, u"email must be an e-mail address"_s});
    if (password.size() < 8 || password.size() > 1024)
        return replyError(call, Error{u"invalid-body"_s, u"password must be 8 to 1024 characters"_s});
    hashPassword(password).then(this, [this, call, username, email](const Result<QString> &hash) {
        if (!hash)
            return replyError(call, hash.error());
        m_store->run([username, email, h = *hash](store::Store &s) { return s.createUser(username, email, h); })
            .then(this, [this, call](const Result<store::User> &user) {
                if (!user)
                    return replyError(call, user.error());
                qCInfo(lcMaster).noquote() << "registered user" << user->username << (user->admin ? "(admin)" : "");
                reply(call, jsonResponse(201, userToJson(*user)));
            });
    });
}

void Kaze::login(const CallPtr &call)
{
    auto body = parseJsonObject(call->body);
    if (!body)
        return replyError(call, body.error());
    const QString username = stringField(*body, "username");
    const QString password = stringField(*body, "password");
    if (username.isEmpty() || password.isEmpty())
        return replyError(call, Error{u"invalid-body"_s, u"username and password are required"_s});
    if (const qint64 wait = m_loginThrottle.retryAfter(username, QDateTime::currentDateTimeUtc())) {
        http::Response response = errorResponse(u"too-many-attempts"_s,
                                                QStringLiteral("too many wrong passwords for '%1': try again in %2 s")
                                                    .arg(username).arg(wait));
        response.headers.set("Retry-After", QByteArray::number(wait));
        return reply(call, response);
    }
    m_store->run([username](store::Store &s) { return s.userByName(username); })
        .then(this, [this, call, username, password](const Result<store::User> &user) {
            const QString hash = user ? user->passwordHash : QString();
            verifyPassword(hash, password).then(this, [this, call, username, user](bool ok) {
                if (!ok || !user) {
                    m_loginThrottle.failed(username, QDateTime::currentDateTimeUtc());
                    return replyError(call, Error{u"invalid-credentials"_s, u"wrong username or password"_s});
                }
                m_loginThrottle.succeeded(username);
                const QString token = newToken();
                const QDateTime expires = QDateTime::currentDateTimeUtc().addSecs(qint64(m_config.tokenTtlHours) * 3600);
                m_store->run([id = user->id, h = tokenHash(token), expires](store::Store &s) {
                           return s.createToken(id, h, expires);
                       })
                    .then(this, [this, call, token, expires, u = *user](const Result<void> &stored) {
                        if (!stored)
                            return replyError(call, stored.error());
                        reply(call, jsonResponse(200, QJsonObject{{u"token"_s, token},
                                                                  {u"expires_at"_s, isoTime(expires)},
                                                                  {u"user"_s, userToJson(u)}}));
                    });
            });
        });
}

void Kaze::logout(const CallPtr &call)
{
    // The token was checked by handle(); revoke exactly that one.
    const QByteArray header = call->responder ? call->responder->request().headers.value("Authorization") : QByteArray();
    const QByteArray hash = tokenHash(QString::fromUtf8(header.mid(7).trimmed()));
    m_store->run([hash](store::Store &s) { return s.deleteToken(hash); }).then(this, [this, call](const Result<void> &r) {
        if (!r)
            return replyError(call, r.error());
        reply(call, emptyResponse(204));
    });
}

void Kaze::me(const CallPtr &call)
{
    reply(call, jsonResponse(200, userToJson(call->user)));
}

// ---- apps ------------------------------------------------------------------------

void Kaze::createApp(const CallPtr &call)
{
    auto body = parseJsonObject(call->body);
    if (!body)
        return replyError(call, body.error());
    auto spec = parseCreateApp(*body, m_config, call->user.admin);
    if (!spec)
        return replyError(call, spec.error());
    const qint64 owner = call->user.id;
    const QString node = m_worker ? m_worker->nodeName() : m_config.nodeName;
    const int quota = call->user.admin ? 0 : m_config.maxAppsPerUser;
    m_store
        ->run([owner, node, quota, s = *spec](store::Store &st) -> Result<std::pair<store::AppRecord, store::DeployRecord>> {
            if (quota > 0) {
                auto count = st.countApps(owner);
                if (!count)
                    return std::unexpected(count.error());
                if (*count >= quota)
                    return fail(u"quota-exceeded"_s, QStringLiteral("you already have %1 apps, the most allowed").arg(*count));
            }
            auto app = st.createApp(owner, s, node);
            if (!app)
                return std::unexpected(app.error());
            auto deploy = st.startDeploy(s.name, u"create"_s);
            if (!deploy)
                return std::unexpected(deploy.error());
            return std::pair{*app, *deploy};
        })
        .then(this, [this, call, name = spec->name](const Result<std::pair<store::AppRecord, store::DeployRecord>> &created) {
            if (!created) {
                if (created.error().code == u"name-taken")
                    return replyError(call, Error{u"name-taken"_s, QStringLiteral("the name '%1' is taken").arg(name)});
                return replyError(call, created.error());
            }
            const auto &[app, deploy] = *created;
            m_states->add(app.spec.name, app.ownerId);
            qCInfo(lcMaster).noquote() << "app" << app.spec.name << "created by" << call->user.username;
            reply(call, jsonResponse(202, appToJson(app, m_config)));
            m_states->publishState(app.spec.name);
            m_states->beginDeploy(app.spec, deploy);
        });
}

void Kaze::listApps(const CallPtr &call)
{
    const std::optional<qint64> owner = call->user.admin && call->query.queryItemValue(u"all"_s) != u"0"
                                            ? std::nullopt
                                            : std::optional<qint64>(call->user.id);
    m_store->run([owner](store::Store &s) { return s.apps(owner); })
        .then(this, [this, call](const Result<QList<store::AppRecord>> &apps) {
            if (!apps)
                return replyError(call, apps.error());
            QJsonArray list;
            for (const store::AppRecord &a : *apps)
                list.append(appToJson(a, m_config));
            reply(call, jsonResponse(200, QJsonObject{{u"apps"_s, list}}));
        });
}

void Kaze::getApp(const CallPtr &call)
{
    withApp(call, [this, call](const store::AppRecord &app) { reply(call, jsonResponse(200, appToJson(app, m_config))); });
}

void Kaze::patchApp(const CallPtr &call)
{
    auto body = parseJsonObject(call->body);
    if (!body)
        return replyError(call, body.error());
    withApp(call, [this, call, patch = *body](store::AppRecord app) {
        auto spec = applyAppPatch(app.spec, patch, m_config, call->user.admin);
        if (!spec)
            return replyError(call, spec.error());
        m_store
            ->run([s = *spec](store::Store &st) -> Result<std::pair<store::AppRecord, store::DeployRecord>> {
                if (auto ok = st.updateAppSpec(s.name, s); !ok)
                    return std::unexpected(ok.error());
                auto deploy = st.startDeploy(s.name, u"update"_s);
                if (!deploy)
                    return std::unexpected(deploy.error());
                auto app = st.app(s.name);
                if (!app)
                    return std::unexpected(app.error());
                return std::pair{*app, *deploy};
            })
            .then(this, [this, call](const Result<std::pair<store::AppRecord, store::DeployRecord>> &updated) {
                if (!updated)
                    return replyError(call, updated.error());
                reply(call, jsonResponse(202, appToJson(updated->first, m_config)));
                m_states->beginDeploy(updated->first.spec, updated->second);
            });
    });
}

void Kaze::deleteApp(const CallPtr &call)
{
    withApp(call, [this, call](const store::AppRecord &app) {
        const QString name = app.spec.name;
        if (m_routes)
            m_routes->remove(m_states->hostOf(name));
        if (!m_worker)
            return replyError(call, Error{u"internal-error"_s, u"no app worker"_s});
        m_worker->remove(name, this, [this, call, name, owner = app.ownerId](Result<void> removed) {
            if (!removed) {
                m_states->updateRoute(name);
                return replyError(call, removed.error());
            }
            m_store->run([name](store::Store &s) { return s.deleteApp(name); })
                .then(this, [this, call, name, owner](const Result<void> &deleted) {
                    if (!deleted)
                        return replyError(call, deleted.error());
                    m_states->forget(name);
                    qCInfo(lcMaster).noquote() << "app" << name << "deleted";
                    m_hub.publish(owner, QJsonObject{{u"type"_s, u"app.deleted"_s}, {u"app"_s, name},
                                                     {u"at"_s, isoTime(QDateTime::currentDateTimeUtc())}});
                    reply(call, emptyResponse(204));
                });
        });
    });
}

void Kaze::rebuildApp(const CallPtr &call)
{
    withApp(call, [this, call](const store::AppRecord &app) {
        m_store->run([name = app.spec.name](store::Store &s) { return s.startDeploy(name, u"rebuild"_s); })
            .then(this, [this, call, app](const Result<store::DeployRecord> &deploy) {
                if (!deploy)
                    return replyError(call, deploy.error());
                reply(call, jsonResponse(202, appToJson(app, m_config)));
                m_states->beginDeploy(app.spec, *deploy);
            });
    });
}

void Kaze::restartApp(const CallPtr &call) { lifecycle(call, u"restart"_s); }
void Kaze::stopApp(const CallPtr &call) { lifecycle(call, u"stop"_s); }
void Kaze::startApp(const CallPtr &call) { lifecycle(call, u"start"_s); }

void Kaze::lifecycle(const CallPtr &call, const QString &action)
{
    withApp(call, [this, call, action](const store::AppRecord &app) {
        const QString name = app.spec.name;
        const AppStates::LiveApp live = m_states->value(name);
        if (live.runtime.containerId.isEmpty() && action != u"stop")
            return replyError(call, Error{u"not-deployed"_s,
                                          QStringLiteral("'%1' has no running deploy to %2: rebuild it").arg(name, action)});
        auto done = [this, name, action](Result<void> r) {
            if (!r) {
                qCWarning(lcMaster).noquote() << action << name << "failed:" << r.error().message;
                m_states->setState(name, m_states->value(name).runtime.containerId.isEmpty() ? AppState::Failed : AppState::Restarting,
                         QStringLiteral("%1 failed: %2").arg(action, r.error().message), r.error().code);
            }
        };
        if (action == u"restart")
            m_worker->restart(name, this, done);
        else if (action == u"stop")
            m_worker->stop(name, this, done);
        else
            m_worker->start(name, this, done);
        store::AppRecord shown = app;
        shown.state = m_states->value(name).state;
        reply(call, jsonResponse(202, appToJson(shown, m_config)));
    });
}

void Kaze::appLogs(const CallPtr &call)
{
    bool ok = true;
    const QString tailText = call->query.queryItemValue(u"tail"_s);
    int tail = 100;
    if (tailText == u"all")
        tail = -1;
    else if (!tailText.isEmpty())
        tail = tailText.toInt(&ok);
    if (!ok || tail < -1 || tail > 100000)
        return replyError(call, Error{u"invalid-query"_s, u"tail must be a number from 0 to 100000, or all"_s});
    const QString followText = call->query.queryItemValue(u"follow"_s);
    const bool follow = followText == u"1" || followText == u"true";
    withApp(call, [this, call, tail, follow](const store::AppRecord &app) {
        if (!call->responder)
            return;
        if (m_states->value(app.spec.name).runtime.containerId.isEmpty())
            return replyError(call, Error{u"not-deployed"_s, QStringLiteral("'%1' has no container yet: nothing has "
                                                                            "logged").arg(app.spec.name)});
        apps::LogStream *stream = m_worker->logs(app.spec.name, tail, follow, call->responder);
        auto started = std::make_shared<bool>(false);
        auto collected = std::make_shared<QByteArray>();
        auto begin = [call, started] {
            if (*started || !call->responder)
                return;
            *started = true;
            http::Headers headers;
            headers.set("Content-Type", "text/plain; charset=utf-8");
            headers.set("Cache-Control", "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            call->responder->beginStream(200, headers);
        };
        if (follow)
            QTimer::singleShot(0, call->responder, begin);  // headers now: a quiet app still shows a live stream
        connect(stream, &apps::LogStream::data, call->responder, [call, follow, begin, collected](const QByteArray &d) {
            if (!follow) {
                collected->append(d);
                return;
            }
            begin();
            if (call->responder)
                call->responder->writeChunk(d);
        });
        connect(stream, &apps::LogStream::finished, call->responder,
                [this, call, follow, started, collected](const Result<void> &r) {
            if (!call->responder)
                return;
            if (*started) {
                call->responder->endStream();
                return;
            }
            if (!r && !follow)
                return replyError(call, r.error());
            http::Response response;
            response.headers.set("Content-Type", "text/plain; charset=utf-8");
            response.body = *collected;
            reply(call, response);
        });
    });
}

void Kaze::appDeploys(const CallPtr &call)
{
    withApp(call, [this, call](const store::AppRecord &app) {
        m_store->run([name = app.spec.name](store::Store &s) { return s.deploys(name, 50); })
            .then(this, [this, call, name = app.spec.name](const Result<QList<store::DeployRecord>> &deploys) {
                if (!deploys)
                    return replyError(call, deploys.error());
                QJsonArray list;
                const auto inProgress = m_states->deployInProgress(name);
                for (const store::DeployRecord &d : *deploys) {
                    if (inProgress && inProgress->number == d.number)
                        list.append(deployToJson(*inProgress));
                    else
                        list.append(deployToJson(d));
                }
                reply(call, jsonResponse(200, QJsonObject{{u"deploys"_s, list}}));
            });
    });
}

void Kaze::deployLog(const CallPtr &call)
{
    withApp(call, [this, call](const store::AppRecord &app) {
        const auto lines = m_states->deployLog(app.spec.name, call->params.value(1));
        if (!lines)
            return replyError(call, Error{u"not-found"_s, u"no output kept for that deploy (only recent deploys since "
                                                           "gasperd started are kept)"_s});
        http::Response response;
        response.headers.set("Content-Type", "text/plain; charset=utf-8");
        response.body = lines->join(u'\n').toUtf8();
        if (!response.body.isEmpty())
            response.body.append('\n');
        reply(call, response);
    });
}

void Kaze::events(const CallPtr &call)
{
    if (!call->responder)
        return;
    http::WebSocketConnection *ws = call->responder->acceptWebSocket();
    if (!ws)
        return;  // the responder answered 400
    m_responsesByStatus[101] += 1;
    m_hub.add(ws, call->user.id, call->user.admin);
}

void Kaze::appMetrics(const CallPtr &call)
{
    QDateTime since;
    const QString sinceText = call->query.queryItemValue(u"since"_s, QUrl::FullyDecoded);
    if (!sinceText.isEmpty()) {
        since = QDateTime::fromString(sinceText, Qt::ISODateWithMs);
        if (!since.isValid())
            since = QDateTime::fromString(sinceText, Qt::ISODate);
        if (!since.isValid())
            return replyError(call, Error{u"invalid-query"_s, u"since must be an ISO 8601 time such as 2026-11-27T10:00:00Z"_s});
    }
    withApp(call, [this, call, since](const store::AppRecord &app) {
        m_worker->metrics(app.spec.name, since, this, [this, call, name = app.spec.name](Result<QJsonObject> m) {
            if (!m)
                return replyError(call, m.error());
            QJsonObject body = *m;
            body.insert(u"app"_s, name);
            reply(call, jsonResponse(200, body));
        });
    });
}

void Kaze::nodes(const CallPtr &call)
{
    if (!call->user.admin)
        return replyError(call, Error{u"forbidden"_s, u"only admins see the nodes"_s});
    m_worker->nodeStatus(this, [this, call](Result<QJsonObject> node) {
        QJsonObject shown = node ? *node : QJsonObject{{u"name"_s, m_worker->nodeName()}};
        shown.insert(u"status"_s, node ? u"ready"_s : u"unreachable"_s);
        if (!node)
            shown.insert(u"error"_s, node.error().message);
        reply(call, jsonResponse(200, QJsonObject{{u"nodes"_s, QJsonArray{shown}}}));
    });
}

void Kaze::start()
{
    // Expired tokens are useless; sweep them hourly so the table does not only grow.
    auto *sweeper = new QTimer(this);
    connect(sweeper, &QTimer::timeout, this, [this] {
        m_store->run([](store::Store &s) { return s.deleteExpiredTokens(QDateTime::currentDateTimeUtc()); })
            .then(this, [](const Result<int> &) {});
    });
    sweeper->start(3600 * 1000);
    m_states->load();
}

} // namespace gasper::master
