// SPDX-License-Identifier: MIT
#include "Session.h"

#include "ConsoleLog.h"
#include "FieldErrors.h"

#include <QJsonArray>

namespace gasper::console {

Session::Session(QObject *parent)
    : QObject(parent)
    , m_nodes({QStringLiteral("name"), QStringLiteral("status"), QStringLiteral("apps"),
               QStringLiteral("containers_running"), QStringLiteral("cpus"), QStringLiteral("memory_mb"),
               QStringLiteral("load1"), QStringLiteral("engine"), QStringLiteral("heartbeat_at"),
               QStringLiteral("services"), QStringLiteral("error")})
    , m_vault(new TokenVault({}, this))
{
    m_filter.setSourceModel(&m_apps);
    connect(&m_events, &EventStream::eventReceived, this, &Session::onEvent);
    connect(&m_events, &EventStream::statusChanged, this, [this] {
        switch (m_events.status()) {
        case EventStream::Status::Online:
            setConnectionLost(false);
            break;
        case EventStream::Status::Waiting:
            setConnectionLost(true, m_events.lastError());
            break;
        default:
            break;
        }
        emit connectionChanged();
    });
    connect(&m_events, &EventStream::resyncNeeded, this, [this] {
        qCInfo(lcConsole) << "event stream back: re-listing";
        refreshApps();
        if (m_current)
            m_current->refresh();
        if (m_admin)
            refreshNodes();
    });
    connect(&m_apps, &AppListModel::stateChanged, this, &Session::onStateChanged);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &Session::connectionChanged);
    // Signed out and the master gone: ask /healthz now and then, reconnect when it answers.
    m_healthPoll.setInterval(2000);
    connect(&m_healthPoll, &QTimer::timeout, this, [this] {
        if (loggedIn())
            return m_healthPoll.stop();
        const int generation = m_generation;
        m_api.get(QStringLiteral("/healthz"), this, [this, generation](const ApiResult &r) {
            if (generation != m_generation || !r.ok())
                return;
            m_healthPoll.stop();
            connectTo(masterUrl());
        });
    });
}

Session::~Session()
{
    m_events.disconnect(this);
    m_events.stop();
}

void Session::setVault(TokenVault *vault)
{
    if (m_vault && m_vault->parent() == this)
        m_vault->deleteLater();
    m_vault = vault;
}

QString Session::streamStatus() const
{
    switch (m_events.status()) {
    case EventStream::Status::Idle:
        return QStringLiteral("idle");
    case EventStream::Status::Connecting:
        return QStringLiteral("connecting");
    case EventStream::Status::Online:
        return QStringLiteral("online");
    case EventStream::Status::Waiting:
        return QStringLiteral("waiting");
    }
    return {};
}

void Session::beginBusy()
{
    if (m_busy++ == 0)
        emit busyChanged();
}

void Session::endBusy()
{
    if (--m_busy == 0)
        emit busyChanged();
}

void Session::setConnectionLost(bool lost, const QString &error)
{
    if (lost)
        m_connectionError = error;
    if (m_connectionLost == lost)
        return;
    m_connectionLost = lost;
    if (lost)
        m_tick.start();
    else
        m_tick.stop();
    emit connectionChanged();
}

void Session::noteUnreachable(const ApiResult &result)
{
    if (result.errorCode() != u"unreachable")
        return;
    setConnectionLost(true, result.errorMessage());
    if (!loggedIn() && !m_healthPoll.isActive())
        m_healthPoll.start();
}

void Session::raise(const QString &title, const QString &message)
{
    m_lastNotification = title + QStringLiteral(": ") + message;
    emit notify(title, message);
}

void Session::connectTo(const QString &url)
{
    const QString normalized = MasterList::normalize(url);
    signedOut();
    m_api.setBase(QUrl(normalized));
    m_api.setToken({});
    setConnectionLost(false);
    emit masterChanged();
    const int generation = m_generation;
    beginBusy();
    m_vault->load(normalized, this, [this, generation, normalized](const Result<std::optional<QString>> &token) {
        if (generation != m_generation)
            return endBusy();
        if (!token || !*token || (*token)->isEmpty()) {
            endBusy();
            emit needsLogin();
            return;
        }
        m_api.setToken(**token);
        m_api.get(QStringLiteral("/api/v1/users/me"), this, [this, generation, token = **token](const ApiResult &r) {
            endBusy();
            if (generation != m_generation)
                return;
            if (r.ok())
                return signedIn(token, r.json.toObject());
            m_api.setToken({});
            noteUnreachable(r);
            if (r.status == 401)
                m_vault->remove(masterUrl(), this, [](const Result<void> &) {});
            emit needsLogin();
        });
    });
}

void Session::setLoginError(const ApiResult &result)
{
    m_loginError = result.ok() ? QString() : result.errorMessage();
    m_loginErrorField = result.ok() ? QString() : fieldForError(*result.error);
    emit loginErrorChanged();
}

void Session::login(const QString &username, const QString &password)
{
    const int generation = m_generation;
    beginBusy();
    m_api.setToken({});
    m_api.send(QStringLiteral("POST"), QStringLiteral("/api/v1/auth/login"),
               QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}}, this,
               [this, generation](const ApiResult &r) {
        endBusy();
        if (generation != m_generation)
            return;
        setLoginError(r);
        noteUnreachable(r);
        if (!r.ok())
            return;
        setConnectionLost(false);
        const QJsonObject body = r.json.toObject();
        const QString token = body.value(u"token").toString();
        m_vault->store(masterUrl(), token, this, [this](const Result<void> &saved) {
            emit tokenSaved(saved.has_value(), saved ? QString() : saved.error().message);
        });
        signedIn(token, body.value(u"user").toObject());
    });
}

void Session::registerAndLogin(const QString &username, const QString &email, const QString &password)
{
    const int generation = m_generation;
    beginBusy();
    m_api.setToken({});
    m_api.send(QStringLiteral("POST"), QStringLiteral("/api/v1/auth/register"),
               QJsonObject{{QStringLiteral("username"), username}, {QStringLiteral("email"), email},
                           {QStringLiteral("password"), password}},
               this, [this, generation, username, password](const ApiResult &r) {
        endBusy();
        if (generation != m_generation)
            return;
        setLoginError(r);
        noteUnreachable(r);
        if (r.ok())
            login(username, password);
    });
}

void Session::signedIn(const QString &token, const QJsonObject &user)
{
    m_api.setToken(token);
    m_username = user.value(u"username").toString();
    m_admin = user.value(u"admin").toBool();
    m_masters.remember(masterUrl(), m_username);
    m_events.start(m_api.webSocketUrl(QStringLiteral("/api/v1/events")), token);
    emit userChanged();
    refreshApps();
    if (m_admin)
        refreshNodes();
}

void Session::signedOut()
{
    ++m_generation;
    m_events.stop();
    closeApp();
    m_apps.clear();
    m_nodes.clear();
    m_healthPoll.stop();
    const bool was = loggedIn();
    m_username.clear();
    m_admin = false;
    if (was)
        emit userChanged();
}

void Session::logout()
{
    const QString url = masterUrl();
    // Revoke on the server, forget here; either may fail without keeping the user signed in.
    m_api.send(QStringLiteral("POST"), QStringLiteral("/api/v1/auth/logout"), QJsonObject(), this, [](const ApiResult &) {});
    m_vault->remove(url, this, [](const Result<void> &) {});
    signedOut();
    m_api.setToken({});
    emit needsLogin();
}

void Session::refreshApps()
{
    if (!loggedIn())
        return;
    const int generation = m_generation;
    m_api.get(QStringLiteral("/api/v1/apps"), this, [this, generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        noteUnreachable(r);
        if (r.ok())
            m_apps.setApps(r.json.toObject().value(u"apps").toArray());
    });
}

void Session::refreshNodes()
{
    const int generation = m_generation;
    m_api.get(QStringLiteral("/api/v1/nodes"), this, [this, generation](const ApiResult &r) {
        if (generation != m_generation)
            return;
        m_nodesError = r.ok() ? QString() : r.errorMessage();
        if (r.ok())
            m_nodes.setRows(r.json.toObject().value(u"nodes").toArray());
        emit nodesChanged();
    });
}

QJsonObject Session::createBody(const QVariantMap &form)
{
    auto text = [&form](const char *key) { return form.value(QString::fromLatin1(key)).toString().trimmed(); };
    auto lines = [&form](const char *key) {
        QStringList out;
        const QStringList all = form.value(QString::fromLatin1(key)).toString().split(u'\n');
        for (const QString &line : all) {
            if (!line.trimmed().isEmpty())
                out << line.trimmed();
        }
        return out;
    };
    QJsonObject git{{QStringLiteral("url"), text("gitUrl")}};
    if (!text("gitBranch").isEmpty())
        git.insert(QStringLiteral("branch"), text("gitBranch"));
    QJsonObject body{{QStringLiteral("name"), text("name")},
                     {QStringLiteral("language"), text("language")},
                     {QStringLiteral("git"), git}};
    const QStringList build = lines("build");
    if (!build.isEmpty())
        body.insert(QStringLiteral("build"), QJsonArray::fromStringList(build));
    if (!text("run").isEmpty())
        body.insert(QStringLiteral("run"), text("run"));
    if (!text("port").isEmpty()) {
        bool ok = false;
        const int port = text("port").toInt(&ok);
        // Not a number: sent as it is, so the API's own message says what is wrong.
        body.insert(QStringLiteral("port"), ok ? QJsonValue(port) : QJsonValue(text("port")));
    }
    QJsonObject resources;
    if (!text("memoryMb").isEmpty()) {
        bool ok = false;
        const int mb = text("memoryMb").toInt(&ok);
        resources.insert(QStringLiteral("memory_mb"), ok ? QJsonValue(mb) : QJsonValue(text("memoryMb")));
    }
    if (!text("cpus").isEmpty()) {
        bool ok = false;
        const double cpus = text("cpus").toDouble(&ok);
        resources.insert(QStringLiteral("cpus"), ok ? QJsonValue(cpus) : QJsonValue(text("cpus")));
    }
    if (!resources.isEmpty())
        body.insert(QStringLiteral("resources"), resources);
    QJsonObject env;
    for (const QString &line : lines("env")) {
        const qsizetype eq = line.indexOf(u'=');
        env.insert(eq < 0 ? line : line.left(eq).trimmed(), eq < 0 ? QString() : line.mid(eq + 1));
    }
    if (!env.isEmpty())
        body.insert(QStringLiteral("env"), env);
    const QJsonValue health = AppDetail::healthBody(text("healthPath"), text("healthStatus"), text("healthTimeout"));
    if (health.isObject())
        body.insert(QStringLiteral("health"), health);
    return body;
}

void Session::clearFormErrors()
{
    m_formErrors.clear();
    m_formError.clear();
    emit formErrorsChanged();
}

void Session::createApp(const QVariantMap &form)
{
    clearFormErrors();
    const int generation = m_generation;
    beginBusy();
    m_api.send(QStringLiteral("POST"), QStringLiteral("/api/v1/apps"), createBody(form), this,
               [this, generation](const ApiResult &r) {
        endBusy();
        if (generation != m_generation)
            return;
        noteUnreachable(r);
        if (r.ok()) {
            m_apps.upsert(r.json.toObject());
            emit created(r.json.toObject().value(u"name").toString());
            return;
        }
        const QString explicitField = r.json.toObject().value(u"error").toObject().value(u"field").toString();
        const QString field = fieldForError(*r.error, explicitField);
        if (field.isEmpty())
            m_formError = r.errorMessage();
        else
            m_formErrors.insert(field, r.errorMessage());
        emit formErrorsChanged();
    });
}

void Session::openApp(const QString &name)
{
    if (m_current && m_current->name() == name)
        return m_current->refresh();
    closeApp();
    m_current = new AppDetail(&m_api, name, this);
    m_current->refresh();
    emit currentChanged();
}

void Session::closeApp()
{
    if (!m_current)
        return;
    m_current->deleteLater();
    m_current = nullptr;
    emit currentChanged();
}

void Session::deleteApp(const QString &name)
{
    beginBusy();
    m_api.send(QStringLiteral("DELETE"), QStringLiteral("/api/v1/apps/") + name, {}, this,
               [this, name](const ApiResult &r) {
        endBusy();
        noteUnreachable(r);
        if (!r.ok()) {
            raise(tr("Delete failed"), name + QStringLiteral(": ") + r.errorMessage());
            return;
        }
        m_apps.applyEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("app.deleted")}, {QStringLiteral("app"), name}});
        if (m_current && m_current->name() == name)
            closeApp();
        emit deleted(name);
    });
}

void Session::onEvent(const QJsonObject &event)
{
    if (!m_apps.applyEvent(event))
        refreshApps();  // an app this list has not seen yet (made elsewhere)
    if (m_current)
        m_current->applyEvent(event);
    if (event.value(u"type").toString() == u"deploy.finished" && event.value(u"status").toString() == u"failed")
        raise(tr("Deploy failed"), tr("%1: deploy #%2 failed").arg(event.value(u"app").toString()).arg(event.value(u"deploy").toInt()));
}

void Session::onStateChanged(const QString &app, const QString &from, const QString &to, const QString &)
{
    if ((from == u"restarting" || from == u"failed") && to == u"running")
        raise(tr("App recovered"), tr("%1 is running again").arg(app));
}

} // namespace gasper::console
