// SPDX-License-Identifier: MIT
#pragma once

#include "AppDetail.h"
#include "AppFilterModel.h"
#include "AppListModel.h"
#include "ApiClient.h"
#include "EventStream.h"
#include "JsonListModel.h"
#include "MasterList.h"
#include "TokenVault.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QTimer>
#include <QVariantMap>

namespace gasper::console {

// The console's connection to one master at a time, and what QML binds to: sign-in (the
// token in the TokenVault, per master), the live apps list (listed once, then kept current
// by the event stream, re-listed after every gap), the nodes (admins), the create form's
// errors by field, the app page (AppDetail) and the connection banner. Switching masters
// drops everything of the old one. Every request is asynchronous and guarded by this object.
class Session : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(Session)
    Q_PROPERTY(MasterList *masters READ masters CONSTANT)
    Q_PROPERTY(QString masterUrl READ masterUrl NOTIFY masterChanged)
    Q_PROPERTY(AppFilterModel *apps READ apps CONSTANT)
    Q_PROPERTY(AppListModel *appModel READ appModel CONSTANT)
    Q_PROPERTY(JsonListModel *nodes READ nodes CONSTANT)
    Q_PROPERTY(TokenVault *vault READ vault CONSTANT)
    Q_PROPERTY(bool loggedIn READ loggedIn NOTIFY userChanged)
    Q_PROPERTY(QString username READ username NOTIFY userChanged)
    Q_PROPERTY(bool admin READ admin NOTIFY userChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString streamStatus READ streamStatus NOTIFY connectionChanged)
    Q_PROPERTY(bool connectionLost READ connectionLost NOTIFY connectionChanged)
    Q_PROPERTY(int retryInS READ retryInS NOTIFY connectionChanged)
    Q_PROPERTY(QString connectionError READ connectionError NOTIFY connectionChanged)
    Q_PROPERTY(QString loginError READ loginError NOTIFY loginErrorChanged)
    Q_PROPERTY(QString loginErrorField READ loginErrorField NOTIFY loginErrorChanged)
    Q_PROPERTY(QVariantMap formErrors READ formErrors NOTIFY formErrorsChanged)
    Q_PROPERTY(QString formError READ formError NOTIFY formErrorsChanged)
    Q_PROPERTY(AppDetail *current READ current NOTIFY currentChanged)
    Q_PROPERTY(QString lastNotification READ lastNotification NOTIFY notify)
    Q_PROPERTY(QString nodesError READ nodesError NOTIFY nodesChanged)

public:
    // vaultFolder: where the token file goes when no keychain answers (tests pass their own).
    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    MasterList *masters() { return &m_masters; }
    QString masterUrl() const { return m_api.base().toString(); }
    AppFilterModel *apps() { return &m_filter; }
    AppListModel *appModel() { return &m_apps; }
    JsonListModel *nodes() { return &m_nodes; }
    TokenVault *vault() { return m_vault; }
    ApiClient *api() { return &m_api; }
    EventStream *events() { return &m_events; }
    bool loggedIn() const { return !m_username.isEmpty(); }
    QString username() const { return m_username; }
    bool admin() const { return m_admin; }
    bool busy() const { return m_busy > 0; }
    QString streamStatus() const;
    bool connectionLost() const { return m_connectionLost; }
    int retryInS() const { return (m_events.retryInMs() + 999) / 1000; }
    QString connectionError() const { return m_connectionError; }
    QString loginError() const { return m_loginError; }
    QString loginErrorField() const { return m_loginErrorField; }
    QVariantMap formErrors() const { return m_formErrors; }
    QString formError() const { return m_formError; }
    AppDetail *current() const { return m_current; }
    QString lastNotification() const { return m_lastNotification; }
    QString nodesError() const { return m_nodesError; }

    // Replaces the vault (tests: a folder of their own, keychain forced off or not).
    void setVault(TokenVault *vault);

    // Points the console at a master; signs in with the token kept for it, if any and valid.
    // `--no-keychain`: tokens go to the 0600 file from the start.
    Q_INVOKABLE void useFileVault() { m_vault->forceFallback(QStringLiteral("--no-keychain")); }
    Q_INVOKABLE void connectTo(const QString &url);
    Q_INVOKABLE void login(const QString &username, const QString &password);
    Q_INVOKABLE void registerAndLogin(const QString &username, const QString &email, const QString &password);
    Q_INVOKABLE void logout();
    Q_INVOKABLE void refreshApps();
    Q_INVOKABLE void refreshNodes();
    // form: name, language, gitUrl, gitBranch, build (one command a line), run, port,
    // memoryMb, cpus, env (KEY=value a line). Ends in created(name) or formErrors.
    Q_INVOKABLE void createApp(const QVariantMap &form);
    Q_INVOKABLE void clearFormErrors();
    Q_INVOKABLE void openApp(const QString &name);
    Q_INVOKABLE void closeApp();
    Q_INVOKABLE void deleteApp(const QString &name);

    // The request body createApp() sends for a form (tests check the mapping).
    static QJsonObject createBody(const QVariantMap &form);

signals:
    void masterChanged();
    void userChanged();
    void busyChanged();
    void connectionChanged();
    void loginErrorChanged();
    void formErrorsChanged();
    void currentChanged();
    void nodesChanged();
    void created(const QString &name);
    void deleted(const QString &name);
    void needsLogin();
    void notify(const QString &title, const QString &message);
    void tokenSaved(bool ok, const QString &message);

private:
    void beginBusy();
    void endBusy();
    void signedIn(const QString &token, const QJsonObject &user);
    void signedOut();
    void onEvent(const QJsonObject &event);
    void onStateChanged(const QString &app, const QString &from, const QString &to, const QString &detail);
    void setLoginError(const ApiResult &result);
    void setConnectionLost(bool lost, const QString &error = {});
    void noteUnreachable(const ApiResult &result);
    void raise(const QString &title, const QString &message);

    ApiClient m_api;
    EventStream m_events;
    MasterList m_masters;
    AppListModel m_apps;
    AppFilterModel m_filter;
    JsonListModel m_nodes;
    TokenVault *m_vault = nullptr;
    QString m_username;
    bool m_admin = false;
    int m_busy = 0;
    bool m_connectionLost = false;
    QString m_connectionError;
    QString m_loginError;
    QString m_loginErrorField;
    QVariantMap m_formErrors;
    QString m_formError;
    QPointer<AppDetail> m_current;
    QString m_lastNotification;
    QString m_nodesError;
    QTimer m_tick;       // refreshes the banner's countdown
    QTimer m_healthPoll; // while the stream is down: is the master back?
    int m_generation = 0; // bumps on every master switch / sign-out
};

} // namespace gasper::console
