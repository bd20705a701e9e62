// SPDX-License-Identifier: MIT
// Push webhooks without a server: telling GitHub, GitLab, Gitea and Forgejo apart, checking
// their signatures, reading their payloads. The expected HMACs come from other
// implementations than the code's libsodium: the openssl command line and Qt's
// QMessageAuthenticationCode, so a shared mistake cannot make both sides agree.

#include "master/Webhooks.h"

#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace gasper;
using namespace gasper::master;
using namespace Qt::StringLiterals;

namespace {

// `openssl dgst -sha256 -hmac KEY` over the body on stdin; its hex digest.
QByteArray opensslHmac(const QByteArray &key, const QByteArray &body)
{
    QProcess openssl;
    openssl.start(u"openssl"_s, {u"dgst"_s, u"-sha256"_s, u"-hmac"_s, QString::fromLatin1(key)});
    if (!openssl.waitForStarted(5000))
        return {};
    openssl.write(body);
    openssl.closeWriteChannel();
    openssl.waitForFinished(10000);
    const QByteArray out = openssl.readAllStandardOutput().trimmed();
    // "SHA2-256(stdin)= <hex>" (or "(stdin)= <hex>" in older versions)
    return out.mid(out.lastIndexOf(' ') + 1);
}

http::Headers headers(std::initializer_list<std::pair<QByteArray, QByteArray>> fields)
{
    http::Headers h;
    for (const auto &[name, value] : fields)
        h.add(name, value);
    return h;
}

const QByteArray kSecret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const QByteArray kPush = R"({"ref":"refs/heads/main","before":"1111111111111111111111111111111111111111",)"
                         R"("after":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3","repository":{"default_branch":"main"}})";

} // namespace

Q_DECLARE_METATYPE(gasper::http::Headers)

class tst_Webhooks : public QObject
{
    Q_OBJECT

private slots:
    void hmacMatchesOpensslAndQt_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("push payload") << kSecret << kPush;
        QTest::newRow("empty body") << QByteArray("s3cret") << QByteArray();
        QTest::newRow("RFC 4231 case 2") << QByteArray("Jefe") << QByteArray("what do ya want for nothing?");
        QTest::newRow("unicode body") << QByteArray("k") << QString(u"{\"ref\":\"refs/heads/fünf\"}"_s).toUtf8();
        QTest::newRow("key longer than a block") << QByteArray(200, 'k') << QByteArray(5000, 'x');
    }
    void hmacMatchesOpensslAndQt()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, message);
        const QByteArray ours = hooks::hmacSha256Hex(key, message);
        QCOMPARE(ours, QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256).toHex());
        const QByteArray openssl = opensslHmac(key, message);
        QVERIFY2(QRegularExpression(u"^[0-9a-f]{64}$"_s).match(QString::fromLatin1(openssl)).hasMatch(), openssl.constData());
        QCOMPARE(ours, openssl);
    }

    void rfc4231KnownVectorHolds()
    {
        // RFC 4231, test case 2: written down, not computed.
        QCOMPARE(hooks::hmacSha256Hex("Jefe", "what do ya want for nothing?"),
                 QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }

    void providersAreToldApartByTheirEventHeader_data()
    {
        QTest::addColumn<http::Headers>("fields");
        QTest::addColumn<int>("provider");
        QTest::newRow("github") << headers({{"X-GitHub-Event", "push"}}) << int(HookProvider::GitHub);
        QTest::newRow("gitlab") << headers({{"X-Gitlab-Event", "Push Hook"}}) << int(HookProvider::GitLab);
        // Gitea also sends X-GitHub-Event; Forgejo also sends X-Gitea-Event.
        QTest::newRow("gitea") << headers({{"X-GitHub-Event", "push"}, {"X-Gitea-Event", "push"}}) << int(HookProvider::Gitea);
        QTest::newRow("forgejo") << headers({{"X-Gitea-Event", "push"}, {"X-Forgejo-Event", "push"}, {"X-GitHub-Event", "push"}})
                                 << int(HookProvider::Forgejo);
        QTest::newRow("lower-case names") << headers({{"x-github-event", "push"}}) << int(HookProvider::GitHub);
        QTest::newRow("none") << headers({{"User-Agent", "curl"}}) << int(HookProvider::Unknown);
    }
    void providersAreToldApartByTheirEventHeader()
    {
        QFETCH(http::Headers, fields);
        QFETCH(int, provider);
        QCOMPARE(int(hooks::detectProvider(fields)), provider);
    }

    void signaturesAreCheckedPerSender_data()
    {
        const QByteArray good = opensslHmac(kSecret, kPush);
        const QByteArray wrong = opensslHmac("another secret", kPush);
        QTest::addColumn<int>("provider");
        QTest::addColumn<http::Headers>("fields");
        QTest::addColumn<QString>("error");  // empty: accepted
        const auto gh = int(HookProvider::GitHub), gl = int(HookProvider::GitLab), gt = int(HookProvider::Gitea),
                   fj = int(HookProvider::Forgejo);
        QTest::newRow("github signed") << gh << headers({{"X-Hub-Signature-256", "sha256=" + good}}) << QString();
        QTest::newRow("github upper-case hex") << gh << headers({{"X-Hub-Signature-256", "sha256=" + good.toUpper()}}) << QString();
        QTest::newRow("github wrong secret") << gh << headers({{"X-Hub-Signature-256", "sha256=" + wrong}}) << u"hook-signature-invalid"_s;
        QTest::newRow("github no prefix") << gh << headers({{"X-Hub-Signature-256", good}}) << u"hook-signature-invalid"_s;
        QTest::newRow("github truncated") << gh << headers({{"X-Hub-Signature-256", "sha256=" + good.left(63)}})
                                          << u"hook-signature-invalid"_s;
        QTest::newRow("github sha1 only") << gh << headers({{"X-Hub-Signature", "sha1=" + good.left(40)}})
                                          << u"hook-signature-missing"_s;
        QTest::newRow("github unsigned") << gh << headers({}) << u"hook-signature-missing"_s;
        QTest::newRow("gitea signed") << gt << headers({{"X-Gitea-Signature", good}}) << QString();
        QTest::newRow("gitea wrong") << gt << headers({{"X-Gitea-Signature", wrong}}) << u"hook-signature-invalid"_s;
        QTest::newRow("gitea github header only") << gt << headers({{"X-Hub-Signature-256", "sha256=" + good}})
                                                  << u"hook-signature-missing"_s;
        QTest::newRow("forgejo signed") << fj << headers({{"X-Forgejo-Signature", good}}) << QString();
        QTest::newRow("forgejo gitea header") << fj << headers({{"X-Gitea-Signature", good}}) << QString();
        QTest::newRow("forgejo wrong") << fj << headers({{"X-Forgejo-Signature", wrong}}) << u"hook-signature-invalid"_s;
        QTest::newRow("gitlab token") << gl << headers({{"X-Gitlab-Token", kSecret}}) << QString();
        QTest::newRow("gitlab wrong token") << gl << headers({{"X-Gitlab-Token", kSecret.left(63) + "1"}}) << u"hook-signature-invalid"_s;
        QTest::newRow("gitlab prefix of token") << gl << headers({{"X-Gitlab-Token", kSecret.left(10)}}) << u"hook-signature-invalid"_s;
        QTest::newRow("gitlab no token") << gl << headers({}) << u"hook-signature-missing"_s;
        QTest::newRow("unknown sender") << int(HookProvider::Unknown) << headers({{"X-Hub-Signature-256", "sha256=" + good}})
                                        << u"hook-unknown-sender"_s;
    }
    void signaturesAreCheckedPerSender()
    {
        QFETCH(int, provider);
        QFETCH(http::Headers, fields);
        QFETCH(QString, error);
        const auto result = hooks::verify(HookProvider(provider), fields, kPush, kSecret);
        QCOMPARE(result ? QString() : result.error().code, error);
        if (!result)
            QVERIFY2(!result.error().message.contains(QString::fromLatin1(kSecret)), "the secret is in the message");
    }

    void aChangedBodyFailsItsSignature()
    {
        const QByteArray signature = "sha256=" + opensslHmac(kSecret, kPush);
        QByteArray tampered = kPush;
        tampered.replace("refs/heads/main", "refs/heads/evil");
        QVERIFY(hooks::verify(HookProvider::GitHub, headers({{"X-Hub-Signature-256", signature}}), kPush, kSecret));
        QVERIFY(!hooks::verify(HookProvider::GitHub, headers({{"X-Hub-Signature-256", signature}}), tampered, kSecret));
    }

    void anEmptySecretAcceptsNothing()
    {
        const QByteArray signature = "sha256=" + opensslHmac("", kPush);
        QVERIFY(!hooks::verify(HookProvider::GitHub, headers({{"X-Hub-Signature-256", signature}}), kPush, {}));
        QVERIFY(!hooks::verify(HookProvider::GitLab, headers({{"X-Gitlab-Token", ""}}), kPush, {}));
    }

    void payloadsAreRead_data()
    {
        QTest::addColumn<int>("provider");
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("push");
        QTest::addColumn<bool>("ping");
        QTest::addColumn<QString>("branch");
        QTest::addColumn<QString>("commit");
        QTest::addColumn<bool>("deleted");
        QTest::addColumn<QString>("defaultBranch");
        const QString sha = u"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"_s;
        QTest::newRow("github push") << int(HookProvider::GitHub) << QByteArray("push") << kPush << true << false << u"main"_s
                                     << sha << false << u"main"_s;
        QTest::newRow("github ping") << int(HookProvider::GitHub) << QByteArray("ping") << QByteArray(R"({"zen":"x"})") << false
                                     << true << QString() << QString() << false << QString();
        QTest::newRow("github issues") << int(HookProvider::GitHub) << QByteArray("issues") << QByteArray("not json") << false
                                       << false << QString() << QString() << false << QString();
        QTest::newRow("github tag push") << int(HookProvider::GitHub) << QByteArray("push")
                                         << QByteArray(R"({"ref":"refs/tags/v1","after":")" + sha.toLatin1() + R"("})")
                                         << true << false << QString() << sha << false << QString();
        QTest::newRow("github branch deleted")
            << int(HookProvider::GitHub) << QByteArray("push")
            << QByteArray(R"({"ref":"refs/heads/old","after":"0000000000000000000000000000000000000000","deleted":true})")
            << true << false << u"old"_s << QString() << true << QString();
        QTest::newRow("gitlab push") << int(HookProvider::GitLab) << QByteArray("Push Hook")
                                     << QByteArray(R"({"object_kind":"push","ref":"refs/heads/dev","after":")" + sha.toLatin1()
                                                   + R"(","project":{"default_branch":"trunk"}})")
                                     << true << false << u"dev"_s << sha << false << u"trunk"_s;
        QTest::newRow("gitlab tag push") << int(HookProvider::GitLab) << QByteArray("Tag Push Hook") << QByteArray("{}") << false
                                         << false << QString() << QString() << false << QString();
        QTest::newRow("gitea push with a branch named feature/x")
            << int(HookProvider::Gitea) << QByteArray("push")
            << QByteArray(R"({"ref":"refs/heads/feature/x","after":")" + sha.toLatin1() + R"("})") << true << false
            << u"feature/x"_s << sha << false << QString();
        QTest::newRow("not a sha is not kept") << int(HookProvider::Forgejo) << QByteArray("push")
                                               << QByteArray(R"({"ref":"refs/heads/main","after":"rm -rf /"})") << true << false
                                               << u"main"_s << QString() << false << QString();
    }
    void payloadsAreRead()
    {
        QFETCH(int, provider);
        QFETCH(QByteArray, event);
        QFETCH(QByteArray, body);
        const HookProvider p = HookProvider(provider);
        const QByteArray header = p == HookProvider::GitLab ? "X-Gitlab-Event"
                                  : p == HookProvider::Gitea ? "X-Gitea-Event"
                                  : p == HookProvider::Forgejo ? "X-Forgejo-Event"
                                                               : "X-GitHub-Event";
        const auto parsed = hooks::parse(p, headers({{header, event}}), body);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QTEST(parsed->isPush, "push");
        QTEST(parsed->isPing, "ping");
        QTEST(parsed->branch, "branch");
        QTEST(parsed->commit, "commit");
        QTEST(parsed->deleted, "deleted");
        QTEST(parsed->defaultBranch, "defaultBranch");
    }

    void skipMarkersInTheHeadCommitAreSeen_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("skip");
        const QByteArray sha = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";
        QTest::newRow("github head_commit [skip ci]")
            << QByteArray(R"({"ref":"refs/heads/main","after":")" + sha + R"(","head_commit":{"message":"docs only [skip ci]"}})") << true;
        QTest::newRow("gitlab commits[] [ci skip]")
            << QByteArray(R"({"ref":"refs/heads/main","after":")" + sha + R"(","commits":[{"id":"x","message":"a"},{"id":")" + sha
                          + R"(","message":"b [CI SKIP]"}]})")
            << true;
        QTest::newRow("an older commit's marker does not count")
            << QByteArray(R"({"ref":"refs/heads/main","after":")" + sha + R"(","commits":[{"id":"x","message":"[skip ci]"},{"id":")"
                          + sha + R"(","message":"real change"}]})")
            << false;
        QTest::newRow("[skip deploy]") << QByteArray(R"({"ref":"refs/heads/main","head_commit":{"message":"x\n\n[skip deploy]"}})")
                                       << true;
        QTest::newRow("no marker") << kPush << false;
    }
    void skipMarkersInTheHeadCommitAreSeen()
    {
        QFETCH(QByteArray, body);
        const auto parsed = hooks::parse(HookProvider::GitHub, headers({{"X-GitHub-Event", "push"}}), body);
        QVERIFY(parsed);
        QTEST(parsed->skipCi, "skip");
    }

    void aPushThatIsNotJsonIsRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("array") << QByteArray("[1,2]");
        QTest::newRow("truncated") << kPush.left(30);
        QTest::newRow("form-encoded") << QByteArray("payload=%7B%22ref%22%3A%22x%22%7D");
    }
    void aPushThatIsNotJsonIsRefused()
    {
        QFETCH(QByteArray, body);
        const auto parsed = hooks::parse(HookProvider::GitHub, headers({{"X-GitHub-Event", "push"}}), body);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, u"invalid-json"_s);
    }

    void secretsAreFreshHex()
    {
        const QString a = hooks::newSecret(), b = hooks::newSecret();
        QVERIFY(QRegularExpression(u"^[0-9a-f]{64}$"_s).match(a).hasMatch());
        QVERIFY(a != b);
    }

    void constantTimeEqualsComparesWholeValues()
    {
        QVERIFY(hooks::constantTimeEquals("abc", "abc"));
        QVERIFY(!hooks::constantTimeEquals("abc", "abd"));
        QVERIFY(!hooks::constantTimeEquals("abc", "ab"));
        QVERIFY(!hooks::constantTimeEquals("", "a"));
    }
};

QTEST_GUILESS_MAIN(tst_Webhooks)
#include "tst_webhooks.moc"
