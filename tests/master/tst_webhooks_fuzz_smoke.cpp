// SPDX-License-Identifier: MIT
// Runs tests/fuzz/fuzz_webhooks.cpp over seed deliveries of every sender (signed right, signed
// wrong, pings, pushes, junk) and over deterministic random mutations of them. The entry
// point aborts on a broken promise, so reaching the end proves every input was handled.

#include "master/Webhooks.h"

#include <QTest>

#include <cstdint>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

using namespace gasper::master;

namespace {

int run(const QByteArray &input)
{
    return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
}

QList<QByteArray> seeds()
{
    const QByteArray push = R"({"ref":"refs/heads/main","after":"a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",)"
                            R"("repository":{"default_branch":"main"},"project":{"default_branch":"main"}})";
    const QByteArray mac = hooks::hmacSha256Hex("fuzz-secret", push);
    return {
        "X-GitHub-Event: push\nX-Hub-Signature-256: sha256=" + mac + "\n\n" + push,
        "X-GitHub-Event: ping\nX-Hub-Signature-256: sha256=" + hooks::hmacSha256Hex("fuzz-secret", "{}") + "\n\n{}",
        "X-GitHub-Event: push\nX-Hub-Signature-256: sha256=00\n\n" + push,
        "X-Gitea-Event: push\nX-Gitea-Signature: " + mac + "\n\n" + push,
        "X-Forgejo-Event: push\nX-Gitea-Event: push\nX-Forgejo-Signature: " + mac + "\n\n" + push,
        "X-Gitlab-Event: Push Hook\nX-Gitlab-Token: fuzz-secret\n\n" + push,
        "X-Gitlab-Event: Push Hook\nX-Gitlab-Token: fuzz\n\n{\"ref\":1}",
        "X-GitHub-Event: push\nX-Hub-Signature-256: sha256=" + hooks::hmacSha256Hex("fuzz-secret", "[]") + "\n\n[]",
        "User-Agent: curl\n\n" + push,
        "X-GitHub-Event: push\nX-Hub-Signature-256: sha256="
            + hooks::hmacSha256Hex("fuzz-secret", R"({"ref":"refs/heads/x","after":"0000000000000000000000000000000000000000"})")
            + "\n\n" + R"({"ref":"refs/heads/x","after":"0000000000000000000000000000000000000000"})",
    };
}

const char *const dictionary[] = {"\n", "\n\n", ":", "X-GitHub-Event: push\n", "X-Gitlab-Event: Push Hook\n",
                                  "X-Gitea-Event: ping\n", "sha256=", "refs/heads/", "refs/tags/", "\"after\":",
                                  "\"ref\":", "{", "}", "\"", "\\u0000", "null", "0000000000"};

QByteArray mutate(QByteArray input, const QList<QByteArray> &corpus, std::mt19937 &rng)
{
    auto pick = [&rng](qsizetype n) { return n <= 0 ? 0 : qsizetype(rng() % quint32(n)); };
    const int steps = 1 + int(rng() % 4);
    for (int s = 0; s < steps; ++s) {
        switch (rng() % 6) {
        case 0:
            if (!input.isEmpty())
                input[pick(input.size())] ^= char(1 << (rng() % 8));
            break;
        case 1:
            input.insert(pick(input.size() + 1), char(rng()));
            break;
        case 2:
            if (input.size() > 1) {
                const qsizetype at = pick(input.size());
                input.remove(at, 1 + pick(std::min<qsizetype>(16, input.size() - at)));
            }
            break;
        case 3:
        case 4:
            input.insert(pick(input.size() + 1), dictionary[rng() % std::size(dictionary)]);
            break;
        case 5: {
            const QByteArray &other = corpus.at(pick(corpus.size()));
            input = input.left(pick(input.size() + 1)) + other.mid(pick(other.size()));
            break;
        }
        }
    }
    return input.left(16384);
}

} // namespace

class tst_WebhooksFuzzSmoke : public QObject
{
    Q_OBJECT

private slots:
    void seedsPass()
    {
        for (const QByteArray &seed : seeds())
            QCOMPARE(run(seed), 0);
        QCOMPARE(run(QByteArray()), 0);
    }

    void randomMutationsPass()
    {
        const QList<QByteArray> corpus = seeds();
        std::mt19937 rng(20261201);  // fixed: the same inputs on every run
        const int iterations = qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS") > 0
                                   ? qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS")
                                   : 20000;
        for (int i = 0; i < iterations; ++i)
            QCOMPARE(run(mutate(corpus.at(qsizetype(rng() % quint32(corpus.size()))), corpus, rng)), 0);
    }
};

QTEST_GUILESS_MAIN(tst_WebhooksFuzzSmoke)
#include "tst_webhooks_fuzz_smoke.moc"
