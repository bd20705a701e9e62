// SPDX-License-Identifier: MIT
// Runs the libFuzzer entry point tests/fuzz/fuzz_docker_stats.cpp without libFuzzer: over
// the seed corpus (tests/fuzz/corpus/stats: stats answers of cgroup v1/v2 engines and
// streams of two readings), then over deterministic random mutations of it. The target
// aborts on a broken invariant, so reaching the end proves every input was handled.
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

// JSON fragments that steer mutations towards the numbers and shapes the parser reads.
const char *const dictionary[] = {
    "\n", "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e308", "-1e308", "9223372036854775807",
    "-9223372036854775808", "18446744073709551615", "0.5", "\"read\":", "\"0001-01-01T00:00:00Z\"",
    "\"2026-11-27T10:16:08.586984111Z\"", "\"cpu_stats\":", "\"precpu_stats\":", "\"system_cpu_usage\":",
    "\"online_cpus\":", "\"total_usage\":", "\"memory_stats\":", "\"usage\":", "\"limit\":", "\"networks\":",
    "\"rx_bytes\":", "\"blkio_stats\":", "\"io_service_bytes_recursive\":", "\"op\":\"read\"", "\"value\":",
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
            if (!input.isEmpty())
                input[pick(input.size())] = char(rng());
            break;
        case 2: {
            if (input.size() > 1) {
                const qsizetype at = pick(input.size());
                input.remove(at, 1 + pick(std::min<qsizetype>(24, input.size() - at)));
            }
            break;
        }
        case 3:
        case 4:
            input.insert(pick(input.size() + 1), QByteArray(dictionary[rng() % std::size(dictionary)]));
            break;
        case 5: {  // a digit run replaced by another number: the values the rates are made of
            const qsizetype at = pick(input.size());
            qsizetype end = at;
            while (end < input.size() && (std::isdigit(static_cast<unsigned char>(input[end])) || input[end] == '.'))
                ++end;
            if (end > at)
                input.replace(at, end - at, QByteArray::number(qint64(rng()) * (rng() % 2 ? -1 : 1) * qint64(rng() % 1000)));
            break;
        }
        case 6: {
            const QByteArray &other = corpus.at(pick(corpus.size()));
            input = input.left(pick(input.size() + 1)) + '\n' + other.mid(pick(other.size()));
            break;
        }
        }
    }
    return input.left(1 << 15);
}

} // namespace

class tst_StatsFuzzSmoke : public QObject
{
    Q_OBJECT

private slots:
    void seedCorpusPasses()
    {
        const QList<QByteArray> seeds = corpus();
        QVERIFY2(seeds.size() >= 8, "the seed corpus is missing");
        for (const QByteArray &seed : seeds)
            QCOMPARE(run(seed), 0);
        // Every pair of seeds as one stream.
        for (const QByteArray &a : seeds)
            for (const QByteArray &b : seeds)
                QCOMPARE(run(a + '\n' + b), 0);
        QCOMPARE(run(QByteArray()), 0);
    }

    void randomMutationsPass()
    {
        const QList<QByteArray> seeds = corpus();
        QVERIFY(!seeds.isEmpty());
        std::mt19937 rng(20261201);  // fixed: the same inputs on every run
        const int iterations = qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS") > 0
                                   ? qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS")
                                   : 20000;
        for (int i = 0; i < iterations; ++i)
            QCOMPARE(run(mutate(seeds.at(qsizetype(rng() % quint32(seeds.size()))), seeds, rng)), 0);
    }

private:
    QList<QByteArray> corpus() const
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

QTEST_GUILESS_MAIN(tst_StatsFuzzSmoke)
#include "tst_stats_fuzz_smoke.moc"
