// SPDX-License-Identifier: MIT
// Runs the Procfile fuzz target of tests/fuzz without libFuzzer: over its seed corpus, then
// over deterministic random mutations of it (the way http_fuzz_smoke runs the HTTP one). The
// target aborts on a broken invariant, so reaching the end proves every input was handled.

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

const char *const dictionary[] = {
    "\r\n", "\n", "\r", ":", ": ", " ", "\t", "#", "web", "release", "worker", "web: ", "release: ", "\xef\xbb\xbf",
    "\x00", "\xff", "-", "_", "$PORT",
};

QByteArray mutate(QByteArray input, const QList<QByteArray> &corpus, std::mt19937 &rng)
{
    auto pick = [&rng](qsizetype n) { return n <= 0 ? 0 : qsizetype(rng() % quint32(n)); };
    const int steps = 1 + int(rng() % 4);
    for (int s = 0; s < steps; ++s) {
        switch (rng() % 7) {
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
            if (!input.isEmpty())
                input.insert(pick(input.size() + 1), input.mid(pick(input.size()), 1 + pick(32)));
            break;
        case 4:
        case 5: {
            const char *word = dictionary[rng() % std::size(dictionary)];
            input.insert(pick(input.size() + 1), *word ? QByteArray(word) : QByteArray(1, '\0'));
            break;
        }
        case 6: {
            const QByteArray &other = corpus.at(pick(corpus.size()));
            input = input.left(pick(input.size() + 1)) + other.mid(pick(other.size()));
            break;
        }
        }
    }
    return input.left(4096);
}

} // namespace

class tst_ProcfileFuzzSmoke : public QObject
{
    Q_OBJECT

private slots:
    void seedCorpusPasses()
    {
        const QList<QByteArray> seeds = corpus();
        QVERIFY2(seeds.size() >= 8, "the seed corpus is missing");
        for (const QByteArray &seed : seeds)
            QCOMPARE(run(seed), 0);
        QCOMPARE(run(QByteArray()), 0);
        // At and over the size cap, many process types, an endless line.
        QCOMPARE(run(QByteArray(64 * 1024, '\n')), 0);
        QCOMPARE(run(QByteArray(64 * 1024 + 1, '\n')), 0);
        QByteArray many;
        for (int i = 0; i < 150; ++i)
            many += "p" + QByteArray::number(i) + ": run\n";
        QCOMPARE(run(many), 0);
        QCOMPARE(run("web: " + QByteArray(9000, 'x')), 0);
    }

    void randomMutationsPass()
    {
        const QList<QByteArray> seeds = corpus();
        QVERIFY(!seeds.isEmpty());
        std::mt19937 rng(20261201);  // fixed: the same inputs on every run
        const int iterations = qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS") > 0
                                   ? qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS")
                                   : 50000;
        for (int i = 0; i < iterations; ++i)
            QCOMPARE(run(mutate(seeds.at(qsizetype(rng() % quint32(seeds.size()))), seeds, rng)), 0);
    }

private:
    static QList<QByteArray> corpus()
    {
        QList<QByteArray> seeds;
        const QDir dir(QStringLiteral(GASPER_FUZZ_CORPUS));
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
            QFile file(dir.filePath(name));
            if (file.open(QIODevice::ReadOnly))
                seeds.append(file.readAll());
        }
        return seeds;
    }
};

QTEST_GUILESS_MAIN(tst_ProcfileFuzzSmoke)
#include "tst_procfile_fuzz_smoke.moc"
