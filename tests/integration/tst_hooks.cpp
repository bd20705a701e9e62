// SPDX-License-Identifier: MIT
// Push to deploy, end to end: a real gasperd and Docker engine, a real git repository served
// by the smart-HTTP fixture server, deliveries sent with curl and signed here with
// QMessageAuthenticationCode (gasperd verifies with libsodium). A push signed the GitHub way
// rebuilds and serves the new commit; unsigned or wrongly signed ones deploy nothing; a
// GitLab token works; branch polling picks up a new commit, also after a restart.

#include "Harness.h"
#include "../support/GitFixtures.h"

#include <QJsonArray>
#include <QMessageAuthenticationCode>

using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {

const QString kApp = u"hooked"_s;

QByteArray pushBody(const QString &branch, const QString &after)
{
    return QJsonDocument(QJsonObject{{u"ref"_s, QString(u"refs/heads/"_s + branch)},
                                     {u"after"_s, after},
                                     {u"repository"_s, QJsonObject{{u"default_branch"_s, u"main"_s}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray hmacHex(const QByteArray &secret, const QByteArray &body)
{
    return QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

QByteArray page(const QString &version)
{
    return "<!doctype html><p>site " + version.toUtf8() + "</p>\n";
}

} // namespace

class tst_Hooks : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_repos;
    QTemporaryDir m_scratch;
    GitHttpServer m_gitServer;
    QString m_repo;
    std::unique_ptr<Gasperd> m_gasperd;
    std::unique_ptr<ApiClient> m_alice;
    QByteArray m_secret;

    // POST /api/v1/hooks/<app> with curl: exactly these bytes and header fields.
    CurlResult deliver(const QByteArray &body, const QStringList &fields)
    {
        const QString file = m_scratch.filePath(u"body.json"_s);
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(body);
        f.close();
        QStringList args{u"-X"_s, u"POST"_s, m_gasperd->api() + u"/api/v1/hooks/"_s + kApp, u"-H"_s,
                         u"Content-Type: application/json"_s, u"--data-binary"_s, u'@' + file};
        for (const QString &field : fields)
            args << u"-H"_s << field;
        CurlResult r = curl(args);
        if (r.status != 0)
            apiViolations() << apiDescription().check("POST", u"/api/v1/hooks/"_s + kApp, r.status, r.body);
        return r;
    }
    CurlResult githubPush(const QString &branch, const QString &after, const QByteArray &secret)
    {
        const QByteArray body = pushBody(branch, after);
        return deliver(body, {u"X-GitHub-Event: push"_s, u"X-GitHub-Delivery: 72d3162e"_s,
                              u"X-Hub-Signature-256: sha256="_s + QString::fromLatin1(hmacHex(secret, body))});
    }

    QJsonArray deploys() { return m_alice->get(u"/api/v1/apps/"_s + kApp + u"/deploys"_s).json().value(u"deploys").toArray(); }

    // Waits until the newest deploy is number `number` and finished; it.
    QJsonObject waitForDeploy(int number, int timeoutMs = 120000)
    {
        QElapsedTimer clock;
        clock.start();
        QJsonObject newest;
        while (clock.elapsed() < timeoutMs) {
            const QJsonArray list = deploys();
            newest = list.isEmpty() ? QJsonObject() : list.first().toObject();
            if (newest.value(u"number").toInt() == number && newest.value(u"status").toString() != u"running")
                return newest;
            QTest::qWait(200);
        }
        qWarning() << "deploy" << number << "did not finish; newest:" << newest << m_gasperd->log().right(3000);
        return newest;
    }

    QByteArray served() { return viaProxy(*m_gasperd, kApp).body; }

    gasper::Result<QString> commitVersion(const QString &version)
    {
        return commitFiles(m_repo, {{u"index.html"_s, page(version)}}, u"version "_s + version);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_repos.isValid() && m_scratch.isValid());
        m_repo = m_repos.filePath(u"site"_s);
        auto made = createRepository(m_repo, {{u"index.html"_s, page(u"v1"_s)}});
        QVERIFY2(made, qPrintable(errorText(made)));
        auto branch = addBranch(m_repo, u"feature"_s, {{u"index.html"_s, page(u"feature"_s)}});
        QVERIFY2(branch, qPrintable(errorText(branch)));
        auto base = m_gitServer.start(m_repos.path());
        QVERIFY2(base, qPrintable(errorText(base)));
        m_gasperd = std::make_unique<Gasperd>();
        m_gasperd->addConfig("api", "public_url = \"https://gasper.example.test/\"");
        m_gasperd->addConfig("apps", "hook_poll_min_s = 1");
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        ApiClient admin(m_gasperd->api());
        QVERIFY(!admin.signIn(u"root"_s).isEmpty());
        m_alice = std::make_unique<ApiClient>(m_gasperd->api());
        QVERIFY(!m_alice->signIn(u"alice"_s).isEmpty());

        const CurlResult created = m_alice->post(
            u"/api/v1/apps"_s,
            QJsonObject{{u"name"_s, kApp}, {u"language"_s, u"static"_s},
                        {u"git"_s, QJsonObject{{u"url"_s, QString(*base + u"/site"_s)}, {u"branch"_s, u"main"_s}}},
                        {u"run"_s, u"busybox httpd -f -p $PORT -h /app"_s}});
        QCOMPARE(created.status, 202);
        QCOMPARE(m_alice->waitForState(kApp, {u"running"_s, u"failed"_s}).value(u"state").toString(), u"running"_s);
        QVERIFY2(served().contains("site v1"), served().constData());
    }

    void cleanup()
    {
        const QStringList violations = std::exchange(apiViolations(), {});
        QVERIFY2(violations.isEmpty(), qPrintable(u"answers docs/openapi.json does not allow:\n"_s + violations.join(u'\n')));
    }

    void cleanupTestCase()
    {
        if (m_alice)
            m_alice->del(u"/api/v1/apps/"_s + kApp);
        if (m_gasperd) {
            m_gasperd->stop();
            // Never a secret in gasperd's log, whatever happened above.
            if (!m_secret.isEmpty())
                QVERIFY(!m_gasperd->log().contains(QString::fromLatin1(m_secret)));
            m_gasperd->removeNetworks();
        }
    }

    void theHookUrlUsesThePublicUrl()
    {
        const QJsonObject hook = m_alice->get(u"/api/v1/apps/"_s + kApp + u"/hooks"_s).json();
        QCOMPARE(hook.value(u"url").toString(), u"https://gasper.example.test/api/v1/hooks/"_s + kApp);
        m_secret = hook.value(u"secret").toString().toLatin1();
        QCOMPARE(m_secret.size(), 64);
    }

    void gasperctlShowsTheHookAndTheSecretOnlyWhenAsked()
    {
        const QString ctl = QStringLiteral(GASPER_BINARY_DIR "/bin/gasperctl");
        const QStringList common{u"--api"_s, m_gasperd->api(), u"--token"_s, m_alice->token()};
        const QString hidden = run(ctl, QStringList{u"hooks"_s, kApp} + common);
        QVERIFY2(hidden.contains(u"https://gasper.example.test/api/v1/hooks/"_s + kApp), qPrintable(hidden));
        QVERIFY2(!hidden.contains(QString::fromLatin1(m_secret)), qPrintable(hidden));
        QVERIFY(hidden.contains(u"Polling    off"_s));
        const QString shown = run(ctl, QStringList{u"hooks"_s, kApp, u"--show-secret"_s} + common);
        QVERIFY2(shown.contains(QString::fromLatin1(m_secret)), qPrintable(shown));
    }

    void unsignedOrWronglySignedPushesDeployNothing()
    {
        auto v2 = commitVersion(u"v2"_s);
        QVERIFY2(v2, qPrintable(errorText(v2)));
        const CurlResult unsigned_ = deliver(pushBody(u"main"_s, *v2), {u"X-GitHub-Event: push"_s});
        QCOMPARE(unsigned_.status, 401);
        QCOMPARE(unsigned_.errorCode(), u"hook-signature-missing"_s);
        const CurlResult wrong = githubPush(u"main"_s, *v2, "not the secret");
        QCOMPARE(wrong.status, 403);
        QCOMPARE(wrong.errorCode(), u"hook-signature-invalid"_s);
        // A body changed after signing is refused too.
        const QByteArray body = pushBody(u"main"_s, *v2);
        const CurlResult tampered = deliver(body + " ", {u"X-GitHub-Event: push"_s,
                                                         u"X-Hub-Signature-256: sha256="_s + QString::fromLatin1(hmacHex(m_secret, body))});
        QCOMPARE(tampered.status, 403);
        QTest::qWait(1500);
        QCOMPARE(deploys().size(), 1);
        QVERIFY(served().contains("site v1"));
        QVERIFY(m_gasperd->log().contains(u"webhook of hooked refused"_s));
    }

    void aPushToAnotherBranchIsIgnored()
    {
        const CurlResult r = githubPush(u"feature"_s, QString(40, u'a'), m_secret);
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json().value(u"outcome").toString(), u"ignored"_s);
        QTest::qWait(500);
        QCOMPARE(deploys().size(), 1);
    }

    void aSignedGithubPushRebuildsAndServesTheNewCommit()
    {
        auto v2 = revParse(m_repo);
        QVERIFY2(v2, qPrintable(errorText(v2)));
        QElapsedTimer clock;
        clock.start();
        const CurlResult r = githubPush(u"main"_s, *v2, m_secret);
        const qint64 answeredMs = clock.elapsed();
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json().value(u"outcome").toString(), u"deployed"_s);
        QCOMPARE(r.json().value(u"deploy").toInt(), 2);
        QVERIFY2(answeredMs < 2000, qPrintable(u"answered after %1 ms"_s.arg(answeredMs)));  // before the deploy ran
        const QJsonObject deploy = waitForDeploy(2);
        QCOMPARE(deploy.value(u"status").toString(), u"succeeded"_s);
        QCOMPARE(deploy.value(u"trigger").toString(), u"webhook"_s);
        QCOMPARE(deploy.value(u"commit").toString(), *v2);
        QTRY_VERIFY_WITH_TIMEOUT(served().contains("site v2"), 10000);
        qInfo() << "webhook answered in" << answeredMs << "ms";
    }

    void aGitlabTokenPushRebuilds()
    {
        auto v3 = commitVersion(u"v3"_s);
        QVERIFY2(v3, qPrintable(errorText(v3)));
        const CurlResult wrong = deliver(pushBody(u"main"_s, *v3), {u"X-Gitlab-Event: Push Hook"_s, u"X-Gitlab-Token: nope"_s});
        QCOMPARE(wrong.status, 403);
        const CurlResult r = deliver(pushBody(u"main"_s, *v3),
                                     {u"X-Gitlab-Event: Push Hook"_s, u"X-Gitlab-Token: "_s + QString::fromLatin1(m_secret)});
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json().value(u"outcome").toString(), u"deployed"_s);
        const QJsonObject deploy = waitForDeploy(3);
        QCOMPARE(deploy.value(u"status").toString(), u"succeeded"_s);
        QCOMPARE(deploy.value(u"commit").toString(), *v3);
        QTRY_VERIFY_WITH_TIMEOUT(served().contains("site v3"), 10000);
        const QJsonArray deliveries = m_alice->get(u"/api/v1/apps/"_s + kApp + u"/hooks"_s).json().value(u"deliveries").toArray();
        QCOMPARE(deliveries.first().toObject().value(u"source").toString(), u"gitlab"_s);
        QCOMPARE(deliveries.first().toObject().value(u"outcome").toString(), u"deployed"_s);
    }

    void pollingPicksUpANewCommit()
    {
        const CurlResult set = m_alice->patch(u"/api/v1/apps/"_s + kApp + u"/hooks"_s, QJsonObject{{u"poll_seconds"_s, 1}});
        QCOMPARE(set.status, 200);
        QTest::qWait(2500);
        QCOMPARE(deploys().size(), 3);  // the head did not move: nothing to do
        auto v4 = commitVersion(u"v4"_s);
        QVERIFY2(v4, qPrintable(errorText(v4)));
        const QJsonObject deploy = waitForDeploy(4);
        QCOMPARE(deploy.value(u"status").toString(), u"succeeded"_s);
        QCOMPARE(deploy.value(u"trigger").toString(), u"poll"_s);
        QCOMPARE(deploy.value(u"commit").toString(), *v4);
        QTRY_VERIFY_WITH_TIMEOUT(served().contains("site v4"), 10000);
        QTest::qWait(2500);
        QCOMPARE(deploys().size(), 4);  // one rebuild per new head
    }

    void pollingSurvivesARestart()
    {
        m_gasperd->stop();
        auto v5 = commitVersion(u"v5"_s);
        QVERIFY2(v5, qPrintable(errorText(v5)));
        auto started = m_gasperd->start();
        QVERIFY2(started, qPrintable(errorText(started)));
        const QJsonObject deploy = waitForDeploy(5);
        QCOMPARE(deploy.value(u"status").toString(), u"succeeded"_s);
        QCOMPARE(deploy.value(u"trigger").toString(), u"poll"_s);
        QCOMPARE(deploy.value(u"commit").toString(), *v5);
        QTRY_VERIFY_WITH_TIMEOUT(served().contains("site v5"), 10000);
        QCOMPARE(m_alice->get(u"/api/v1/apps/"_s + kApp + u"/hooks"_s).json().value(u"poll_seconds").toInt(), 1);
    }

    void pollingStopsWhenTheAppIsDeleted()
    {
        QCOMPARE(m_alice->del(u"/api/v1/apps/"_s + kApp).status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(m_gasperd->log().contains(u"stopped polling hooked"_s), 5000);
    }
};

QTEST_GUILESS_MAIN(tst_Hooks)
#include "tst_hooks.moc"
