// SPDX-License-Identifier: MIT
// Push to deploy, the master's rules without Docker: a real Kaze over loopback HTTP, a SQLite
// store in a temporary folder and the in-process SimulatedAppWorker. Deliveries are signed
// here with QMessageAuthenticationCode (the code signs with libsodium). Every answer is
// checked against docs/openapi.json.

#include "SimulatedMaster.h"

#include "master/Kaze.h"
#include "proxy/RouteTable.h"
#include "store/AsyncStore.h"

#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace gasper;
using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {


QByteArray hmac(const QByteArray &secret, const QByteArray &body)
{
    return QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

QByteArray pushBody(const QString &branch, const QString &after = u"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"_s)
{
    return QJsonDocument(QJsonObject{{u"ref"_s, QString(u"refs/heads/"_s + branch)},
                                     {u"before"_s, QString(40, u'1')},
                                     {u"after"_s, after},
                                     {u"repository"_s, QJsonObject{{u"default_branch"_s, u"main"_s}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class tst_MasterHooks : public QObject
{
    Q_OBJECT

private:
    SimulatedMaster m_master;
    QByteArray m_admin, m_alice, m_bob;

    HttpAnswer call(const QByteArray &method, const QString &target, const QByteArray &token = {},
                    const QByteArray &body = {}, const QByteArray &head = {})
    {
        return m_master.call(method, target, token, body, head);
    }

    QByteArray signIn(const QString &user) { return m_master.signIn(user); }

    // An app of alice's on branch `branch`, running its first deploy.
    void createApp(const QString &name, const QString &branch = u"main"_s, const QByteArray &token = {})
    {
        const QByteArray body = QJsonDocument(QJsonObject{
            {u"name"_s, name}, {u"language"_s, u"python"_s},
            {u"git"_s, QJsonObject{{u"url"_s, u"https://git.example.test/x.git"_s}, {u"branch"_s, branch}}},
            {u"run"_s, u"python3 app.py"_s}}).toJson(QJsonDocument::Compact);
        QCOMPARE(call("POST", u"/api/v1/apps"_s, token.isEmpty() ? m_alice : token, body).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(deploys(name, token).size(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(deploys(name, token).first().toObject().value(u"status").toString(), u"succeeded"_s, 5000);
    }

    QJsonArray deploys(const QString &name, const QByteArray &token = {})
    {
        return call("GET", u"/api/v1/apps/%1/deploys"_s.arg(name), token.isEmpty() ? m_alice : token)
            .json().value(u"deploys").toArray();
    }

    QJsonObject hook(const QString &name, const QByteArray &token = {})
    {
        const HttpAnswer a = call("GET", u"/api/v1/apps/%1/hooks"_s.arg(name), token.isEmpty() ? m_alice : token);
        return a.json();
    }

    HttpAnswer githubPush(const QString &name, const QByteArray &secret, const QString &branch, const QString &event = u"push"_s)
    {
        const QByteArray body = pushBody(branch);
        return call("POST", u"/api/v1/hooks/"_s + name, {}, body,
                    "X-GitHub-Event: " + event.toLatin1() + "\r\nX-GitHub-Delivery: 1\r\nX-Hub-Signature-256: sha256="
                        + hmac(secret, body) + "\r\nContent-Type: application/json\r\n");
    }

    int webhookDeploys(const QString &name, const QString &trigger = u"webhook"_s)
    {
        int n = 0;
        for (const QJsonValue &d : deploys(name))
            n += d.toObject().value(u"trigger").toString() == trigger ? 1 : 0;
        return n;
    }

private slots:
    void initTestCase()
    {
        const QString started = m_master.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        m_admin = signIn(u"admin"_s);
        m_alice = signIn(u"alice"_s);
        m_bob = signIn(u"bob"_s);
        QVERIFY(!m_admin.isEmpty() && !m_alice.isEmpty() && !m_bob.isEmpty());
    }

    void cleanup()
    {
        m_master.worker().setStepDelay(0);
        const QStringList violations = m_master.takeViolations();
        QVERIFY2(violations.isEmpty(), qPrintable(u"answers that docs/openapi.json does not allow:\n"_s + violations.join(u'\n')));
    }

    void cleanupTestCase()
    {
        m_master.stop();
    }

    void theOwnerSeesUrlAndSecretAndTheSameSecretTwice()
    {
        createApp(u"hook-show"_s);
        const QJsonObject first = hook(u"hook-show"_s);
        // No [api] public_url: the Host the owner reached the API by (the test client sends 127.0.0.1).
        QCOMPARE(first.value(u"url").toString(), u"http://127.0.0.1/api/v1/hooks/hook-show"_s);
        QCOMPARE(first.value(u"secret").toString().size(), 64);
        QCOMPARE(first.value(u"poll_seconds").toInt(), 0);
        QCOMPARE(first.value(u"branch").toString(), u"main"_s);
        QCOMPARE(hook(u"hook-show"_s).value(u"secret"), first.value(u"secret"));
        QCOMPARE(hook(u"hook-show"_s, m_admin).value(u"secret"), first.value(u"secret"));  // admins see all
    }

    void anotherUsersHookIs404_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("show") << QByteArray("GET") << u"/api/v1/apps/hook-show/hooks"_s << QByteArray();
        QTest::newRow("rotate") << QByteArray("POST") << u"/api/v1/apps/hook-show/hooks/rotate"_s << QByteArray();
        QTest::newRow("poll") << QByteArray("PATCH") << u"/api/v1/apps/hook-show/hooks"_s << QByteArray(R"({"poll_seconds":60})");
    }
    void anotherUsersHookIs404()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const QString before = hook(u"hook-show"_s).value(u"secret").toString();
        const HttpAnswer a = call(method, path, m_bob, body);
        QCOMPARE(a.status, 404);
        QCOMPARE(a.errorCode(), u"not-found"_s);
        QVERIFY(!a.body.contains(before.toLatin1()));
        QCOMPARE(hook(u"hook-show"_s).value(u"secret").toString(), before);
        QCOMPARE(hook(u"hook-show"_s).value(u"poll_seconds").toInt(), 0);
        QCOMPARE(call(method, path, {}, body).status, 401);
    }

    void aSignedPushForTheBranchRebuilds()
    {
        createApp(u"hook-push"_s);
        const QByteArray secret = hook(u"hook-push"_s).value(u"secret").toString().toLatin1();
        const HttpAnswer a = githubPush(u"hook-push"_s, secret, u"main"_s);
        QCOMPARE(a.status, 202);
        QCOMPARE(a.json().value(u"outcome").toString(), u"deployed"_s);
        QCOMPARE(a.json().value(u"deploy").toInt(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(webhookDeploys(u"hook-push"_s), 1, 5000);
        QVERIFY(m_master.worker().calls().contains(u"deploy hook-push 2 webhook"_s));
        QTRY_COMPARE_WITH_TIMEOUT(deploys(u"hook-push"_s).first().toObject().value(u"status").toString(), u"succeeded"_s, 5000);
        const QJsonArray deliveries = hook(u"hook-push"_s).value(u"deliveries").toArray();
        QCOMPARE(deliveries.size(), 1);
        const QJsonObject d = deliveries.first().toObject();
        QCOMPARE(d.value(u"source").toString(), u"github"_s);
        QCOMPARE(d.value(u"event").toString(), u"push"_s);
        QCOMPARE(d.value(u"branch").toString(), u"main"_s);
        QCOMPARE(d.value(u"commit").toString(), u"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"_s);
        QCOMPARE(d.value(u"outcome").toString(), u"deployed"_s);
        QCOMPARE(d.value(u"deploy").toInt(), 2);
    }

    void aPushToAnotherBranchOrATagIsIgnored()
    {
        const QByteArray secret = hook(u"hook-push"_s).value(u"secret").toString().toLatin1();
        const int before = deploys(u"hook-push"_s).size();
        const HttpAnswer other = githubPush(u"hook-push"_s, secret, u"feature"_s);
        QCOMPARE(other.status, 202);
        QCOMPARE(other.json().value(u"outcome").toString(), u"ignored"_s);
        QVERIFY2(other.json().value(u"detail").toString().contains(u"'feature'"), other.body.constData());
        const QByteArray tag = R"({"ref":"refs/tags/v1","after":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"})";
        const HttpAnswer tagged = call("POST", u"/api/v1/hooks/hook-push"_s, {}, tag,
                                       "X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + hmac(secret, tag) + "\r\n");
        QCOMPARE(tagged.json().value(u"outcome").toString(), u"ignored"_s);
        const HttpAnswer issue = githubPush(u"hook-push"_s, secret, u"main"_s, u"issues"_s);
        QCOMPARE(issue.status, 202);
        QCOMPARE(issue.json().value(u"outcome").toString(), u"ignored"_s);
        const QByteArray skip = R"({"ref":"refs/heads/main","after":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3","head_commit":{"message":"typo [skip ci]"}})";
        const HttpAnswer skipped = call("POST", u"/api/v1/hooks/hook-push"_s, {}, skip,
                                        "X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + hmac(secret, skip) + "\r\n");
        QCOMPARE(skipped.status, 202);
        QCOMPARE(skipped.json().value(u"outcome").toString(), u"ignored"_s);
        QVERIFY2(skipped.json().value(u"detail").toString().contains(u"skip"_s), skipped.body.constData());
        const HttpAnswer ping = githubPush(u"hook-push"_s, secret, u"main"_s, u"ping"_s);
        QCOMPARE(ping.status, 200);
        QCOMPARE(ping.json().value(u"outcome").toString(), u"ping"_s);
        QTest::qWait(100);
        QCOMPARE(deploys(u"hook-push"_s).size(), before);
        const QJsonArray deliveries = hook(u"hook-push"_s).value(u"deliveries").toArray();
        QCOMPARE(deliveries.at(0).toObject().value(u"outcome").toString(), u"ping"_s);  // newest first
        QCOMPARE(deliveries.at(4).toObject().value(u"outcome").toString(), u"ignored"_s);
        QCOMPARE(deliveries.at(4).toObject().value(u"branch").toString(), u"feature"_s);
    }

    void badOrMissingSignaturesAreRefusedAndDeployNothing_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("github unsigned") << QByteArray("X-GitHub-Event: push\r\n") << 401 << u"hook-signature-missing"_s;
        QTest::newRow("github signed with another secret")
            << QByteArray("X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + hmac("nope", pushBody(u"main"_s)) + "\r\n")
            << 403 << u"hook-signature-invalid"_s;
        QTest::newRow("gitlab wrong token") << QByteArray("X-Gitlab-Event: Push Hook\r\nX-Gitlab-Token: nope\r\n") << 403
                                            << u"hook-signature-invalid"_s;
        QTest::newRow("gitea unsigned") << QByteArray("X-Gitea-Event: push\r\n") << 401 << u"hook-signature-missing"_s;
        QTest::newRow("no sender at all") << QByteArray("User-Agent: curl\r\n") << 400 << u"hook-unknown-sender"_s;
    }
    void badOrMissingSignaturesAreRefusedAndDeployNothing()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, status);
        QFETCH(QString, code);
        const int before = deploys(u"hook-push"_s).size();
        const HttpAnswer a = call("POST", u"/api/v1/hooks/hook-push"_s, {}, pushBody(u"main"_s), head);
        QCOMPARE(a.status, status);
        QCOMPARE(a.errorCode(), code);
        QTest::qWait(50);
        QCOMPARE(deploys(u"hook-push"_s).size(), before);
        const QJsonObject newest = hook(u"hook-push"_s).value(u"deliveries").toArray().first().toObject();
        QCOMPARE(newest.value(u"outcome").toString(), u"refused"_s);
        QVERIFY(!newest.value(u"detail").toString().isEmpty());
    }

    void anAppOnTheDefaultBranchNeedsThePayloadToNameIt()
    {
        // No branch: the app follows the repository's default branch, which the payload names.
        const QByteArray app = R"({"name":"hook-default","language":"python","git":{"url":"https://git.example.test/x.git"},"run":"x"})";
        const HttpAnswer created = call("POST", u"/api/v1/apps"_s, m_alice, app);
        QCOMPARE(created.status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(deploys(u"hook-default"_s).size(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(deploys(u"hook-default"_s).first().toObject().value(u"status").toString(), u"succeeded"_s, 5000);
        const QByteArray secret = hook(u"hook-default"_s).value(u"secret").toString().toLatin1();
        QCOMPARE(hook(u"hook-default"_s).value(u"branch").toString(), QString());
        const QByteArray unnamed = R"({"ref":"refs/heads/feature","after":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"})";
        const HttpAnswer guessed = call("POST", u"/api/v1/hooks/hook-default"_s, {}, unnamed,
                                        "X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + hmac(secret, unnamed) + "\r\n");
        QCOMPARE(guessed.json().value(u"outcome").toString(), u"ignored"_s);
        QVERIFY2(guessed.json().value(u"detail").toString().contains(u"set the app's branch"_s), guessed.body.constData());
        QCOMPARE(githubPush(u"hook-default"_s, secret, u"feature"_s).json().value(u"outcome").toString(), u"ignored"_s);
        QCOMPARE(githubPush(u"hook-default"_s, secret, u"main"_s).json().value(u"outcome").toString(), u"deployed"_s);
        QTRY_COMPARE_WITH_TIMEOUT(webhookDeploys(u"hook-default"_s), 1, 5000);
    }

    void aHookOfAnUnknownAppIs404()
    {
        const HttpAnswer a = githubPush(u"no-such-app"_s, "x", u"main"_s);
        QCOMPARE(a.status, 404);
    }

    void rotatingInvalidatesTheOldSecret()
    {
        const QByteArray old = hook(u"hook-push"_s).value(u"secret").toString().toLatin1();
        const HttpAnswer rotated = call("POST", u"/api/v1/apps/hook-push/hooks/rotate"_s, m_alice);
        QCOMPARE(rotated.status, 200);
        const QByteArray fresh = rotated.json().value(u"secret").toString().toLatin1();
        QVERIFY(fresh != old);
        QCOMPARE(hook(u"hook-push"_s).value(u"secret").toString().toLatin1(), fresh);
        QCOMPARE(githubPush(u"hook-push"_s, old, u"main"_s).status, 403);
        QTRY_COMPARE_WITH_TIMEOUT(deploys(u"hook-push"_s).first().toObject().value(u"status").toString(), u"succeeded"_s, 5000);
        const HttpAnswer ok = githubPush(u"hook-push"_s, fresh, u"main"_s);
        QCOMPARE(ok.status, 202);
        QCOMPARE(ok.json().value(u"outcome").toString(), u"deployed"_s);
        QTRY_COMPARE_WITH_TIMEOUT(webhookDeploys(u"hook-push"_s), 2, 5000);
    }

    void gitlabTokenAndGiteaAndForgejoSignaturesDeploy_data()
    {
        QTest::addColumn<QByteArray>("sender");
        QTest::newRow("gitlab") << QByteArray("gitlab");
        QTest::newRow("gitea") << QByteArray("gitea");
        QTest::newRow("forgejo") << QByteArray("forgejo");
    }
    void gitlabTokenAndGiteaAndForgejoSignaturesDeploy()
    {
        QFETCH(QByteArray, sender);
        const QString name = u"hook-"_s + QString::fromLatin1(sender);
        createApp(name, u"dev"_s);
        const QByteArray secret = hook(name).value(u"secret").toString().toLatin1();
        const QByteArray body = pushBody(u"dev"_s);
        QByteArray head;
        if (sender == "gitlab")
            head = "X-Gitlab-Event: Push Hook\r\nX-Gitlab-Token: " + secret + "\r\n";
        else if (sender == "gitea")
            head = "X-Gitea-Event: push\r\nX-GitHub-Event: push\r\nX-Gitea-Signature: " + hmac(secret, body) + "\r\n";
        else
            head = "X-Forgejo-Event: push\r\nX-Gitea-Event: push\r\nX-Forgejo-Signature: " + hmac(secret, body) + "\r\n";
        const HttpAnswer a = call("POST", u"/api/v1/hooks/"_s + name, {}, body, head);
        QCOMPARE(a.status, 202);
        QCOMPARE(a.json().value(u"outcome").toString(), u"deployed"_s);
        QTRY_COMPARE_WITH_TIMEOUT(webhookDeploys(name), 1, 5000);
        QCOMPARE(hook(name).value(u"deliveries").toArray().first().toObject().value(u"source").toString(),
                 QString::fromLatin1(sender));
        // Its push to main (the repository's default branch, not the app's) is ignored.
        const QByteArray mainBody = pushBody(u"main"_s);
        QByteArray mainHead = head;
        if (sender != "gitlab")
            mainHead.replace(hmac(secret, body), hmac(secret, mainBody));
        QCOMPARE(call("POST", u"/api/v1/hooks/"_s + name, {}, mainBody, mainHead).json().value(u"outcome").toString(),
                 u"ignored"_s);
    }

    void pushesDuringADeployCoalesceIntoOneQueuedRebuild()
    {
        createApp(u"hook-flood"_s);
        const QByteArray secret = hook(u"hook-flood"_s).value(u"secret").toString().toLatin1();
        m_master.worker().setStepDelay(100);  // a deploy now takes ~0.5 s
        QCOMPARE(githubPush(u"hook-flood"_s, secret, u"main"_s).json().value(u"outcome").toString(), u"deployed"_s);
        for (int i = 0; i < 10; ++i) {
            const HttpAnswer a = githubPush(u"hook-flood"_s, secret, u"main"_s);
            QCOMPARE(a.status, 202);
            QCOMPARE(a.json().value(u"outcome").toString(), u"queued"_s);
        }
        QTRY_COMPARE_WITH_TIMEOUT(webhookDeploys(u"hook-flood"_s), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(deploys(u"hook-flood"_s).first().toObject().value(u"status").toString(), u"succeeded"_s, 10000);
        QTest::qWait(400);
        QCOMPARE(webhookDeploys(u"hook-flood"_s), 2);  // eleven pushes, two deploys, none cancelled
        for (const QJsonValue &d : deploys(u"hook-flood"_s))
            QCOMPARE(d.toObject().value(u"status").toString(), u"succeeded"_s);
    }

    void pollSettingsAreCheckedAndKept_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("kept");
        QTest::newRow("60") << QByteArray(R"({"poll_seconds":60})") << 200 << 60;
        QTest::newRow("off") << QByteArray(R"({"poll_seconds":0})") << 200 << 0;
        QTest::newRow("below the minimum") << QByteArray(R"({"poll_seconds":10})") << 400 << 0;
        QTest::newRow("fraction") << QByteArray(R"({"poll_seconds":45.5})") << 400 << 0;
        QTest::newRow("string") << QByteArray(R"({"poll_seconds":"60"})") << 400 << 0;
        QTest::newRow("over a day") << QByteArray(R"({"poll_seconds":86401})") << 400 << 0;
        QTest::newRow("another field") << QByteArray(R"({"poll_seconds":60,"secret":"x"})") << 400 << 0;
        QTest::newRow("not json") << QByteArray("poll=60") << 400 << 0;
    }
    void pollSettingsAreCheckedAndKept()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(int, kept);
        QCOMPARE(call("PATCH", u"/api/v1/apps/hook-show/hooks"_s, m_alice, body).status, status);
        QCOMPARE(hook(u"hook-show"_s).value(u"poll_seconds").toInt(), kept);
        call("PATCH", u"/api/v1/apps/hook-show/hooks"_s, m_alice, R"({"poll_seconds":0})");
    }

    void aDeletedAppTakesItsHookAlong()
    {
        createApp(u"hook-gone"_s);
        const QByteArray secret = hook(u"hook-gone"_s).value(u"secret").toString().toLatin1();
        QCOMPARE(call("PATCH", u"/api/v1/apps/hook-gone/hooks"_s, m_alice, R"({"poll_seconds":60})").status, 200);
        QCOMPARE(call("DELETE", u"/api/v1/apps/hook-gone"_s, m_alice).status, 204);
        QCOMPARE(githubPush(u"hook-gone"_s, secret, u"main"_s).status, 404);
        // A new app of that name has a new secret, no polling and no deliveries.
        createApp(u"hook-gone"_s, u"main"_s, m_bob);
        const QJsonObject fresh = hook(u"hook-gone"_s, m_bob);
        QVERIFY(fresh.value(u"secret").toString().toLatin1() != secret);
        QCOMPARE(fresh.value(u"poll_seconds").toInt(), 0);
        QCOMPARE(fresh.value(u"deliveries").toArray().size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_MasterHooks)
#include "tst_master_hooks.moc"
