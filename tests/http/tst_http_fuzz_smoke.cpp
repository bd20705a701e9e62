// SPDX-License-Identifier: MIT
// Runs a libFuzzer entry point of tests/fuzz without libFuzzer: over the seed corpus,
// then over deterministic random mutations of it. Built once per target (the HTTP parser
// here, the log reader in tests/apps), each with its corpus and minimum seed count. The fuzz target aborts on a broken
// invariant, so reaching the end proves every input was handled.

#include <QDir>
#include <QFile>
#include <QTest>

#include <cstdint>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

int run(const QByteArray &input)
{
    return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
}

// Fragments that steer mutations towards interesting framing.
const char *const dictionary[] = {
    "\r\n", "\r\n\r\n", "\n", "\r", " ", ":", ";", ",", "0\r\n\r\n", "chunked", "Transfer-Encoding: ",
    "Content-Length: ", "Connection: upgrade\r\nUpgrade: websocket\r\n", "HTTP/1.1 ", "HTTP/1.0 ", "HTTP/2.0",
    "HEAD ", "CONNECT ", "101", "204", "304", "100", "ffffffffffffffff", "99999999999999999999", "\x00", "\x7f",
    "\x88\x80", "\x81\xfe", "\x82\xff\x7f",
#ifdef GASPER_FUZZ_LOG_WORDS
    "2026-12-01T22:03:55.123456789Z ", "1970-01-01T00:00:00Z ", "+01:00 ", "-23:59 ", ".9999999999", "s3cr3t-fuzz",
    "s3cr3t-", "GET", "\xc3\xa4", "\xe2\x82", "\n\n",
#endif
};

QByteArray mutate(QByteArray input, const QList<QByteArray> &corpus, std::mt19937 &rng)
{
    auto pick = [&rng](qsizetype n) { return n <= 0 ? 0 : qsizetype(rng() % quint32(n)); };
    const int steps = 1 + int(rng() % 4);
    for (int s = 0; s < steps; ++s) {
        switch (rng() % 8) {
        case 0:  // flip a bit
            if (!input.isEmpty())
                input[pick(input.size())] ^= char(1 << (rng() % 8));
            break;
        case 1:  // random byte
            if (!input.isEmpty())
                input[pick(input.size())] = char(rng());
            break;
        case 2:  // insert a random byte
            input.insert(pick(input.size() + 1), char(rng()));
            break;
        case 3: {  // delete a range
            if (input.size() > 1) {
                const qsizetype at = pick(input.size());
                input.remove(at, 1 + pick(std::min<qsizetype>(16, input.size() - at)));
            }
            break;
        }
        case 4: {  // duplicate a range
            if (!input.isEmpty()) {
                const qsizetype at = pick(input.size());
                const QByteArray part = input.mid(at, 1 + pick(32));
                input.insert(pick(input.size() + 1), part);
            }
            break;
        }
        case 5:
        case 6: {  // insert a dictionary word
            const char *word = dictionary[rng() % std::size(dictionary)];
            const QByteArray w = *word ? QByteArray(word) : QByteArray(1, '\0');
            input.insert(pick(input.size() + 1), w);
            break;
        }
        case 7: {  // splice with another seed
            const QByteArray &other = corpus.at(pick(corpus.size()));
            input = input.left(pick(input.size() + 1)) + other.mid(pick(other.size()));
            break;
        }
        }
    }
    return input.left(8192);
}

} // namespace

class tst_HttpFuzzSmoke : public QObject
{
    Q_OBJECT

private slots:
    void seedCorpusPasses();
    void randomMutationsPass();

private:
    QList<QByteArray> corpus() const;
};

QList<QByteArray> tst_HttpFuzzSmoke::corpus() const
{
    QList<QByteArray> seeds;
    const QDir dir(QStringLiteral(GASPER_FUZZ_CORPUS));
    const QStringList names = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &name : names) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            seeds.append(file.readAll());
    }
    return seeds;
}

void tst_HttpFuzzSmoke::seedCorpusPasses()
{
    const QList<QByteArray> seeds = corpus();
#ifndef GASPER_FUZZ_MIN_SEEDS
#define GASPER_FUZZ_MIN_SEEDS 20
#endif
    QVERIFY2(seeds.size() >= GASPER_FUZZ_MIN_SEEDS, "the seed corpus is missing");
    for (const QByteArray &seed : seeds) {
        QCOMPARE(run(seed), 0);
        // Every selector over the same bytes: all split points and limit variants.
        for (int selector = 0; selector < 256; ++selector) {
            QByteArray variant = seed;
            variant[0] = char(selector);
            QCOMPARE(run(variant), 0);
        }
    }
    QCOMPARE(run(QByteArray()), 0);
    QCOMPARE(run(QByteArray(1, 'x')), 0);
}

void tst_HttpFuzzSmoke::randomMutationsPass()
{
    const QList<QByteArray> seeds = corpus();
    QVERIFY(!seeds.isEmpty());
    std::mt19937 rng(20240611);  // fixed: the same inputs on every run
    const int iterations = qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS") > 0
                               ? qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS")
                               : 20000;
    for (int i = 0; i < iterations; ++i) {
        const QByteArray input = mutate(seeds.at(qsizetype(rng() % quint32(seeds.size()))), seeds, rng);
        QCOMPARE(run(input), 0);
    }
}

QTEST_GUILESS_MAIN(tst_HttpFuzzSmoke)
#include "tst_http_fuzz_smoke.moc"
