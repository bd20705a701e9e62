// SPDX-License-Identifier: MIT
// The console end to end: the real window's QML and Session against a real gasperd (free
// ports, own data dir, unique node name: tests/integration/Harness.h) and the real Docker
// engine. No keychain service runs here, so the token also takes the 0600-file fallback.
#include "AppDetail.h"
#include "LogStream.h"
#include "Session.h"
#include "TerminalSession.h"
#include "integration/Harness.h"
#include "support/GitFixtures.h"

#include <QMessageAuthenticationCode>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

#include <sys/stat.h>

Q_IMPORT_QML_PLUGIN(Gasper_ConsolePlugin)

using namespace gasper;
using namespace gasper::console;
using namespace gasper::testing;

class ConsoleEndToEndTest : public QObject
{
    Q_OBJECT

private:
    Gasperd m_gasperd;
    QTemporaryDir m_home;
    QString m_repo;
    QString m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QObject *m_root = nullptr;
    Session *m_session = nullptr;
    QStringList m_states;

    template<class T = QQuickItem>
    T *item(const QString &name) const
    {
        return m_root->findChild<T *>(name);
    }
    // Delegates of a view are children of its content item in the item tree, not QObject children.
    static QQuickItem *visualChild(QQuickItem *root, const QString &name)
    {
        if (!root)
            return nullptr;
        for (QQuickItem *child : root->childItems()) {
            if (child->objectName() == name)
                return child;
            if (QQuickItem *found = visualChild(child, name))
                return found;
        }
        return nullptr;
    }

    // Any item of the window's item tree showing exactly `text`.
    static bool showsText(QQuickItem *root, const QString &text)
    {
        if (!root)
            return false;
        for (QQuickItem *child : root->childItems()) {
            if (child->property("text").toString() == text || showsText(child, text))
                return true;
        }
        return false;
    }

private slots:
    void initTestCase()
    {
        // The console's settings and token file go to a folder of this run.
        QCoreApplication::setOrganizationName(QStringLiteral("Gasper"));
        QCoreApplication::setApplicationName(QStringLiteral("gasper-console"));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.path() + QStringLiteral("/config")));
        auto started = m_gasperd.start();
        QVERIFY2(started, qPrintable(errorText(started)));
        m_repo = m_home.path() + QStringLiteral("/repo");
        auto repo = createRepositoryFromDirectory(QStringLiteral(GASPER_SOURCE_DIR "/tests/fixtures/python"), m_repo);
        QVERIFY2(repo, qPrintable(errorText(repo)));
        m_app = QStringLiteral("con-%1").arg(QCoreApplication::applicationPid());

        m_engine = std::make_unique<QQmlApplicationEngine>();
        m_engine->setInitialProperties({{QStringLiteral("initialMaster"), m_gasperd.api()}});
        m_engine->load(QUrl(QStringLiteral("qrc:/Gasper/Console/Main.qml")));
        QVERIFY(!m_engine->rootObjects().isEmpty());
        m_root = m_engine->rootObjects().first();
        m_session = m_root->findChild<Session *>(QStringLiteral("session"));
        QVERIFY(m_session);
        connect(m_session->appModel(), &AppListModel::stateChanged, this,
                [this](const QString &app, const QString &, const QString &to) {
            if (app == m_app)
                m_states << to;
        });
    }

    void cleanupTestCase()
    {
        if (m_session && m_session->loggedIn()) {
            testing::ApiClient api(m_gasperd.api(), m_session->api()->token());
            api.del(QStringLiteral("/api/v1/apps/") + m_app);
        }
        m_engine.reset();
        m_gasperd.stop();
    }

    void firstUserRegistersAndIsAdmin()
    {
        m_session->registerAndLogin(QStringLiteral("admin"), QStringLiteral("admin@example.test"),
                                    QStringLiteral("correct horse battery"));
        QTRY_VERIFY_WITH_TIMEOUT(m_session->loggedIn(), 20000);
        QVERIFY(m_session->admin());
        QCOMPARE(m_session->username(), QStringLiteral("admin"));
        QTRY_COMPARE_WITH_TIMEOUT(m_session->streamStatus(), QStringLiteral("online"), 10000);
        // Admins see the nodes and their load.
        QTRY_COMPARE_WITH_TIMEOUT(m_session->nodes()->count(), 1, 10000);
        QCOMPARE(m_session->nodes()->at(0).value(u"name").toString(), m_gasperd.nodeName());
    }

    void withoutAKeychainTheTokenIsFiledAndTheWindowSaysSo()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_session->vault()->fallbackActive(), 20000);
        const QString path = m_session->vault()->fallbackPath();
        QVERIFY(path.startsWith(m_home.path()));
        QTRY_VERIFY(QFile::exists(path));
        struct stat st{};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        auto *badge = item(QStringLiteral("keychainFallbackBadge"));
        QVERIFY(badge);
        QVERIFY(badge->isVisible());

        // A second console on this machine signs in with the kept token, no password.
        Session again;
        again.connectTo(m_gasperd.api());
        QTRY_VERIFY_WITH_TIMEOUT(again.loggedIn(), 20000);
        QCOMPARE(again.username(), QStringLiteral("admin"));
    }

    void aFormErrorShowsUnderItsField()
    {
        m_root->setProperty("page", QStringLiteral("create"));
        QVariantMap form{{QStringLiteral("name"), QStringLiteral("Bad_Name")}, {QStringLiteral("language"), QStringLiteral("python")},
                         {QStringLiteral("gitUrl"), QString(QStringLiteral("file://") + m_repo)}, {QStringLiteral("run"), QStringLiteral("python3 app.py")}};
        QMetaObject::invokeMethod(m_session, "createApp", Q_ARG(QVariantMap, form));
        QTRY_VERIFY_WITH_TIMEOUT(m_session->formErrors().contains(QStringLiteral("name")), 10000);
        auto *nameError = item(QStringLiteral("error_name"));
        QVERIFY(nameError);
        QVERIFY(nameError->isVisible());
        QVERIFY(!nameError->property("text").toString().isEmpty());
        auto *urlError = item(QStringLiteral("error_git.url"));
        QVERIFY(urlError);
        QVERIFY(!urlError->isVisible());

        // Another field, another place: a bad port.
        form[QStringLiteral("name")] = m_app;
        form[QStringLiteral("port")] = QStringLiteral("99999");
        QMetaObject::invokeMethod(m_session, "createApp", Q_ARG(QVariantMap, form));
        QTRY_VERIFY_WITH_TIMEOUT(m_session->formErrors().contains(QStringLiteral("port")), 10000);
        QVERIFY(!nameError->isVisible());
        QVERIFY(item(QStringLiteral("error_port"))->isVisible());
    }

    void aCreatedAppReachesRunningLiveInTheList()
    {
        const QVariantMap form{{QStringLiteral("name"), m_app}, {QStringLiteral("language"), QStringLiteral("python")},
                               {QStringLiteral("gitUrl"), QString(QStringLiteral("file://") + m_repo)},
                               {QStringLiteral("run"), QStringLiteral("python3 app.py")}};
        QSignalSpy created(m_session, &Session::created);
        QMetaObject::invokeMethod(m_session, "createApp", Q_ARG(QVariantMap, form));
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10000);
        QCOMPARE(m_session->formErrors().size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->appModel()->stateOf(m_app), QStringLiteral("running"), 180000);
        // The badge changed through events, state by state, not by one poll at the end.
        QVERIFY2(m_states.size() >= 2, qPrintable(m_states.join(u',')));
        QCOMPARE(m_states.constLast(), QStringLiteral("running"));

        // The window opened the app page; its deploy view shows the steps with durations.
        QCOMPARE(m_root->property("page").toString(), QStringLiteral("app"));
        AppDetail *detail = m_session->current();
        QVERIFY(detail);
        QCOMPARE(detail->name(), m_app);
        QTRY_COMPARE_WITH_TIMEOUT(detail->deployStatus(), QStringLiteral("succeeded"), 20000);
        QVERIFY(detail->steps()->count() >= 4);
        QVERIFY(detail->deployMs() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(detail->deploys()->count() >= 1, 10000);
        // Metrics arrive (the harness samples every second): the stored series, then live
        // app.metrics events add to it (no polling).
        QTRY_VERIFY_WITH_TIMEOUT(detail->metrics()->count() >= 1, 30000);
        const int sampled = detail->metrics()->count();
        QTRY_VERIFY_WITH_TIMEOUT(detail->metrics()->count() > sampled, 30000);
        detail->setMetricsRange(QStringLiteral("24h"));
        QTRY_COMPARE_WITH_TIMEOUT(detail->metrics()->stepS(), 240, 10000);
        detail->setMetricsRange(QStringLiteral("1h"));
    }

    void logsStreamIntoTheAppPage()
    {
        AppDetail *detail = m_session->current();
        QVERIFY(detail);
        detail->logs()->start();
        QTRY_VERIFY_WITH_TIMEOUT(detail->logs()->active(), 10000);
        // The fixture answers HTTP and logs each request.
        for (int i = 0; i < 3; ++i)
            viaProxy(m_gasperd, m_app);
        QTRY_VERIFY_WITH_TIMEOUT(detail->logs()->lines()->count() > 0, 20000);
    }

    void logsSearchOnTheServerDownloadAndShowADeploysOutput()
    {
        AppDetail *detail = m_session->current();
        QVERIFY(detail);
        LogStream *logs = detail->logs();
        viaProxy(m_gasperd, m_app, QStringLiteral("/console-marker"));
        // The search runs on the master: the stream restarts with grep= and only matches come.
        logs->setSearch(QStringLiteral("console-marker"));
        QVERIFY(logs->path().contains(QStringLiteral("grep=console-marker")));
        QTRY_VERIFY_WITH_TIMEOUT(logs->lines()->count() > 0, 20000);
        QVERIFY2(logs->lines()->text().contains(QStringLiteral("/console-marker")), qPrintable(logs->lines()->text()));
        QVERIFY(!logs->lines()->text().contains(QStringLiteral("listening on")));
        logs->setTimestamps(true);
        QTRY_VERIFY_WITH_TIMEOUT(logs->lines()->text().startsWith(QStringLiteral("20")), 20000);

        // Download: the same query, whole, into a file the user chose.
        QTemporaryDir dir;
        const QString file = dir.path() + QStringLiteral("/saved.log");
        QSignalSpy saved(logs, &LogStream::downloaded);
        logs->download(QUrl::fromLocalFile(file));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        QCOMPARE(saved.first().at(1).toString(), QString());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray content = f.readAll();
        QVERIFY2(content.contains("/console-marker") && !content.contains("listening on"), content.constData());
        logs->setSearch({});
        logs->setTimestamps(false);

        // The history tab shows deploy #1's own output, as the master keeps it.
        detail->loadHistoryLog(1);
        QTRY_VERIFY_WITH_TIMEOUT(detail->historyLog()->count() > 0, 20000);
        QCOMPARE(detail->historyLogNumber(), 1);
        QVERIFY(detail->historyLogError().isEmpty());
    }

    void aLostConnectionShowsABannerAndRecovers()
    {
        auto *banner = item(QStringLiteral("connectionBanner"));
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
        m_gasperd.stop();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->connectionLost(), 15000);
        QVERIFY(banner->isVisible());
        const QString text = item(QStringLiteral("connectionBannerText"))->property("text").toString();
        QVERIFY2(text.contains(m_gasperd.api().mid(7)), qPrintable(text));

        auto started = m_gasperd.start();
        QVERIFY2(started, qPrintable(errorText(started)));
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->connectionLost(), 30000);
        QVERIFY(!banner->isVisible());
        QCOMPARE(m_session->streamStatus(), QStringLiteral("online"));
        // Re-listed after the gap: the app is there and (re-adopted) running.
        QTRY_COMPARE_WITH_TIMEOUT(m_session->appModel()->stateOf(m_app), QStringLiteral("running"), 60000);
    }

    // Types a command line: pasted (bracketed when the shell asked for it, as bash 5.2 does
    // once its prompt is up), then Enter as a key, since a pasted newline is only text.
    static void type(TerminalSession &terminal, const QString &line)
    {
        terminal.screen()->paste(line);
        terminal.screen()->sendChar('\r', 0);
    }

    void theTerminalRunsACommandAndFollowsResize()
    {
        testing::ApiClient api(m_gasperd.api(), m_session->api()->token());
        if (api.get(QStringLiteral("/api/v1/apps/%1/terminal").arg(m_app)).errorCode() == u"route-not-found")
            QSKIP("WS /api/v1/apps/{name}/terminal is not in this gasperd yet");
        TerminalSession terminal;
        terminal.setSession(m_session);
        terminal.setApp(m_app);
        terminal.screen()->resize(24, 80);
        terminal.open();
        QTRY_COMPARE_WITH_TIMEOUT(terminal.status(), QStringLiteral("open"), 15000);
        type(terminal, QStringLiteral("echo gasper-$((6*7))"));
        QTRY_VERIFY_WITH_TIMEOUT(terminal.screen()->screenText().contains(QStringLiteral("gasper-42")), 15000);
        terminal.screen()->resize(31, 97);
        QTest::qWait(300);
        type(terminal, QStringLiteral("stty size"));
        QTRY_VERIFY2_WITH_TIMEOUT(terminal.screen()->screenText().contains(QStringLiteral("31 97")),
                                  qPrintable(terminal.screen()->screenText()), 15000);
        // Ctrl+C reaches the shell: an endless command stops.
        type(terminal, QStringLiteral("sleep 1000"));
        QTest::qWait(300);
        terminal.screen()->sendChar('c', 4 /* VTERM_MOD_CTRL */);
        type(terminal, QStringLiteral("echo after-$((1+1))"));
        QTRY_VERIFY_WITH_TIMEOUT(terminal.screen()->screenText().contains(QStringLiteral("after-2")), 15000);
        type(terminal, QStringLiteral("exit 3"));
        QTRY_COMPARE_WITH_TIMEOUT(terminal.exitCode(), 3, 15000);
    }

    // The "Push to deploy" tab: URL and secret (hidden until revealed), a new secret after the
    // dialog, polling; a push signed with the shown secret shows up among the deliveries.
    void thePushToDeployTabShowsTheHookAndMakesANewSecret()
    {
        AppDetail *detail = m_session->current();
        QVERIFY(detail);
        QObject *appPage = nullptr;
        for (QObject *o : m_root->findChildren<QObject *>()) {
            if (o->metaObject()->indexOfMethod("showTab(QVariant)") >= 0)
                appPage = o;
        }
        QVERIFY(appPage);
        QMetaObject::invokeMethod(appPage, "showTab", Q_ARG(QVariant, QStringLiteral("hooks")));
        HookSettings *hooks = detail->hooks();
        QTRY_VERIFY_WITH_TIMEOUT(hooks->loaded(), 10000);
        QCOMPARE(hooks->url(), m_gasperd.api() + QStringLiteral("/api/v1/hooks/") + m_app);
        const QString secret = hooks->secret();
        QCOMPARE(secret.size(), 64);
        auto *secretField = item(QStringLiteral("hookSecret"));
        QVERIFY(secretField);
        QCOMPARE(secretField->property("text").toString(), secret);
        QCOMPARE(secretField->property("echoMode").toInt(), 2);  // TextInput.Password
        QMetaObject::invokeMethod(item(QStringLiteral("hookReveal")), "clicked");
        QCOMPARE(secretField->property("echoMode").toInt(), 0);  // TextInput.Normal

        // A push signed the GitHub way with that secret is a delivery on the tab.
        const QByteArray body = R"({"ref":"refs/heads/main","after":"0123456789abcdef0123456789abcdef01234567",)"
                                R"("repository":{"default_branch":"main"}})";
        const QString signature = QString::fromLatin1(
            QMessageAuthenticationCode::hash(body, secret.toLatin1(), QCryptographicHash::Sha256).toHex());
        const CurlResult pushed = curl({QStringLiteral("-X"), QStringLiteral("POST"), m_gasperd.api() + QStringLiteral("/api/v1/hooks/") + m_app,
                                        QStringLiteral("-H"), QStringLiteral("X-GitHub-Event: push"), QStringLiteral("-H"),
                                        QStringLiteral("X-Hub-Signature-256: sha256=") + signature, QStringLiteral("--data-binary"),
                                        QString::fromLatin1(body)});
        QCOMPARE(pushed.status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(hooks->deliveries()->count() >= 1, 120000);  // reloaded when the deploy ends
        QCOMPARE(hooks->deliveries()->at(0).value(u"outcome").toString(), QStringLiteral("deployed"));

        auto *dialog = m_root->findChild<QObject *>(QStringLiteral("confirmRotate"));
        QVERIFY(dialog);
        QMetaObject::invokeMethod(item(QStringLiteral("hookRotate")), "clicked");
        QTRY_VERIFY(dialog->property("opened").toBool());
        QSignalSpy rotated(hooks, &HookSettings::rotated);
        QMetaObject::invokeMethod(dialog, "accept");
        QTRY_COMPARE_WITH_TIMEOUT(rotated.count(), 1, 10000);
        QVERIFY(hooks->secret() != secret);
        QCOMPARE(secretField->property("text").toString(), hooks->secret());

        hooks->setPoll(60);
        QTRY_COMPARE_WITH_TIMEOUT(hooks->pollSeconds(), 60, 10000);
        QVERIFY(item(QStringLiteral("hookPollState"))->property("text").toString().contains(QStringLiteral("60")));
        hooks->setPoll(5);  // under the server's minimum: the error shows, nothing changes
        QTRY_VERIFY_WITH_TIMEOUT(!hooks->error().isEmpty(), 10000);
        QCOMPARE(hooks->pollSeconds(), 60);
        hooks->setPoll(0);
        QTRY_COMPARE_WITH_TIMEOUT(hooks->pollSeconds(), 0, 10000);
        QVERIFY(hooks->error().isEmpty());
    }

    // The History tab's "Roll back to this deploy" (after its confirmation) deploys the first
    // deploy's commit again; the Settings tab's health check saves and redeploys.
    void rollbackAndHealthCheckFromTheAppPage()
    {
        AppDetail *detail = m_session->current();
        QVERIFY(detail);
        QSignalSpy done(detail, &AppDetail::actionDone);
        detail->action(QStringLiteral("rebuild"));
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 10000);
        testing::ApiClient api(m_gasperd.api(), m_session->api()->token());
        const auto newest = [&] { return api.get(QStringLiteral("/api/v1/apps/%1/deploys").arg(m_app)).json()[u"deploys"][0].toObject(); };
        QTRY_COMPARE_WITH_TIMEOUT(newest()[u"status"].toString(), QStringLiteral("succeeded"), 120000);
        const int live = newest()[u"number"].toInt();
        detail->refreshDeploys();
        QTRY_VERIFY_WITH_TIMEOUT(detail->canRollBackTo(1), 10000);
        QVERIFY(!detail->canRollBackTo(live));  // the one serving now is not offered
        QObject *button = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((button = visualChild(item(QStringLiteral("deployHistory")), QStringLiteral("rollback1"))), 10000);
        QVERIFY(button);
        auto *dialog = m_root->findChild<QObject *>(QStringLiteral("confirmRollback"));
        QVERIFY(dialog);
        QMetaObject::invokeMethod(button, "clicked");
        QTRY_VERIFY(dialog->property("opened").toBool());
        QCOMPARE(dialog->property("deploy").toInt(), 1);
        done.clear();
        QMetaObject::invokeMethod(dialog, "accept");
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 10000);
        QCOMPARE(done.first().at(0).toString(), QStringLiteral("rollback"));
        QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(newest()[u"status"].toString(), QStringLiteral("succeeded"), 120000);
        QCOMPARE(newest()[u"trigger"].toString(), QStringLiteral("rollback"));
        QCOMPARE(newest()[u"rollback_to"].toInt(), 1);
        QVERIFY(!detail->app().value(QStringLiteral("git")).toMap().value(QStringLiteral("commit")).toString().isEmpty());

        done.clear();
        detail->saveHealth(QStringLiteral("/healthz"), QStringLiteral("200"), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty(), 10000);
        QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
        QCOMPARE(api.get(QStringLiteral("/api/v1/apps/") + m_app).json()[u"health"][u"path"].toString(), QStringLiteral("/healthz"));
        QTRY_COMPARE_WITH_TIMEOUT(newest()[u"status"].toString(), QStringLiteral("succeeded"), 120000);
        // The update went back to the branch's head: the rollback's pin is gone.
        QVERIFY(api.get(QStringLiteral("/api/v1/apps/") + m_app).json()[u"git"][u"commit"].isNull());
    }

    // The overview gives the lines to paste for a shell and for files, with the master's host.
    void theOverviewShowsTheSshAndSftpLines()
    {
        auto *window = qobject_cast<QQuickWindow *>(m_root);
        QVERIFY(window);
        const QString ssh = QStringLiteral("ssh -p %1 %2@127.0.0.1").arg(m_gasperd.sshPort()).arg(m_app);
        const QString sftp = QStringLiteral("sftp -P %1 %2@127.0.0.1").arg(m_gasperd.sshPort()).arg(m_app);
        QTRY_VERIFY2_WITH_TIMEOUT(showsText(window->contentItem(), ssh), qPrintable(ssh), 10000);
        QVERIFY2(showsText(window->contentItem(), sftp), qPrintable(sftp));
    }

    void deleteRemovesTheAppFromTheList()
    {
        QSignalSpy deleted(m_session, &Session::deleted);
        m_session->deleteApp(m_app);
        QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 1, 60000);
        QCOMPARE(m_session->appModel()->stateOf(m_app), QString());
        QCOMPARE(m_root->property("page").toString(), QStringLiteral("apps"));
    }
};

QTEST_MAIN(ConsoleEndToEndTest)
#include "tst_console_e2e.moc"
