// SPDX-License-Identifier: MIT
// Runs one libFuzzer entry point of tests/fuzz without libFuzzer, so every CI run (gcc, no
// clang needed) exercises it: over its seed corpus, every pair of seeds as one stream, then
// deterministic random mutations steered by the target's libFuzzer dictionary. A fuzz target
// aborts on a broken invariant, so reaching the end proves every input was handled.
// Built once per target by gasper_add_fuzz_smoke() (cmake/GasperHelpers.cmake), which sets:
//   GASPER_FUZZ_CORPUS      the seed folder          GASPER_FUZZ_DICT        the .dict file, or ""
//   GASPER_FUZZ_MIN_SEEDS   seeds the folder must hold (a missing corpus must fail, not pass)
//   GASPER_FUZZ_ITERATIONS  mutations per run (GASPER_FUZZ_SMOKE_ITERATIONS overrides it)
//   GASPER_FUZZ_MAX_LEN     the longest input tried  GASPER_FUZZ_SELECTOR   1: byte 0 picks a mode

#include <QDir>
#include <QFile>
#include <QTest>

#include <cctype>
#include <cstdint>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

int run(const QByteArray &input)
{
    return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
}

// One entry of a libFuzzer dictionary: `name="bytes"` or `"bytes"`, with \\, \" and \xNN.
std::optional<QByteArray> dictionaryEntry(const QByteArray &line)
{
    const qsizetype open = line.indexOf('"');
    const qsizetype close = line.lastIndexOf('"');
    if (open < 0 || close <= open)
        return std::nullopt;
    QByteArray word;
    for (qsizetype i = open + 1; i < close; ++i) {
        if (line[i] != '\\' || i + 1 >= close) {
            word += line[i];
        } else if (line[i + 1] == 'x' && i + 3 < close && std::isxdigit(uchar(line[i + 2])) && std::isxdigit(uchar(line[i + 3]))) {
            word += QByteArray::fromHex(line.mid(i + 2, 2));
            i += 3;
        } else {
            word += line[++i];
        }
    }
    return word;
}

QList<QByteArray> readDictionary(const QString &path)
{
    QList<QByteArray> words;
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return words;
    for (const QByteArray &raw : file.readAll().split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (const auto word = dictionaryEntry(line); word && !word->isEmpty())
            words.append(*word);
    }
    return words;
}

QList<QByteArray> readCorpus(const QString &path)
{
    QList<QByteArray> seeds;
    const QDir dir(path);
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            seeds.append(file.readAll());
    }
    return seeds;
}

class Mutator
{
public:
    Mutator(QList<QByteArray> corpus, QList<QByteArray> dictionary)
        : m_corpus(std::move(corpus)), m_dictionary(std::move(dictionary))
    {
        if (m_dictionary.isEmpty())  // framing bytes every format has
            m_dictionary = {"\n", "\r\n", " ", ":", ",", "\"", "{", "}", QByteArray(1, '\0'), "\xff"};
    }

    QByteArray next()
    {
        QByteArray input = m_corpus.at(pick(m_corpus.size()));
        const int steps = 1 + int(m_rng() % 4);
        for (int s = 0; s < steps; ++s)
            mutateOnce(input);
        return input.left(GASPER_FUZZ_MAX_LEN);
    }

private:
    qsizetype pick(qsizetype n) { return n <= 0 ? 0 : qsizetype(m_rng() % quint32(n)); }

    void mutateOnce(QByteArray &input)
    {
        switch (m_rng() % 9) {
        case 0:  // flip a bit
            if (!input.isEmpty())
                input[pick(input.size())] ^= char(1 << (m_rng() % 8));
            break;
        case 1:  // overwrite a byte
            if (!input.isEmpty())
                input[pick(input.size())] = char(m_rng());
            break;
        case 2:  // insert a byte
            input.insert(pick(input.size() + 1), char(m_rng()));
            break;
        case 3:  // delete a range
            if (input.size() > 1) {
                const qsizetype at = pick(input.size());
                input.remove(at, 1 + pick(std::min<qsizetype>(24, input.size() - at)));
            }
            break;
        case 4:  // duplicate a range
            if (!input.isEmpty())
                input.insert(pick(input.size() + 1), input.mid(pick(input.size()), 1 + pick(32)));
            break;
        case 5:
        case 6:  // insert a dictionary word
            input.insert(pick(input.size() + 1), m_dictionary.at(pick(m_dictionary.size())));
            break;
        case 7: {  // a run of digits becomes another number: lengths, counters, rates
            const qsizetype at = pick(input.size());
            qsizetype end = at;
            while (end < input.size() && ((input[end] >= '0' && input[end] <= '9') || input[end] == '.'))
                ++end;
            const qint64 value = qint64(m_rng()) * qint64(m_rng() % 1000) * (m_rng() % 2 ? -1 : 1);
            input.replace(at, end - at, QByteArray::number(value));
            break;
        }
        case 8: {  // splice with another seed
            const QByteArray &other = m_corpus.at(pick(m_corpus.size()));
            input = input.left(pick(input.size() + 1)) + other.mid(pick(other.size()));
            break;
        }
        }
    }

    QList<QByteArray> m_corpus;
    QList<QByteArray> m_dictionary;
    std::mt19937 m_rng{20261201};  // fixed: the same inputs on every run
};

} // namespace

class tst_FuzzSmoke : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void seedCorpusPasses();
    void seedPairsPass();
    void randomMutationsPass();

private:
    QList<QByteArray> m_seeds;
};

void tst_FuzzSmoke::initTestCase()
{
    m_seeds = readCorpus(QStringLiteral(GASPER_FUZZ_CORPUS));
    QVERIFY2(m_seeds.size() >= GASPER_FUZZ_MIN_SEEDS, "the seed corpus is missing or short");
    QVERIFY2(QByteArray(GASPER_FUZZ_DICT).isEmpty() || !readDictionary(QStringLiteral(GASPER_FUZZ_DICT)).isEmpty(),
             "the dictionary is missing or empty");
}

void tst_FuzzSmoke::seedCorpusPasses()
{
    for (const QByteArray &seed : std::as_const(m_seeds)) {
        QCOMPARE(run(seed), 0);
        if (GASPER_FUZZ_SELECTOR && !seed.isEmpty()) {
            // The target reads byte 0 as its mode (split points, limits): every mode over every seed.
            for (int selector = 0; selector < 256; ++selector) {
                QByteArray variant = seed;
                variant[0] = char(selector);
                QCOMPARE(run(variant), 0);
            }
        }
    }
    QCOMPARE(run(QByteArray()), 0);
    QCOMPARE(run(QByteArray(1, 'x')), 0);
    QCOMPARE(run(QByteArray(1, '\0')), 0);
}

void tst_FuzzSmoke::seedPairsPass()
{
    // Readers of streams must not carry state wrongly from one message into the next.
    for (const QByteArray &a : std::as_const(m_seeds)) {
        for (const QByteArray &b : std::as_const(m_seeds))
            QCOMPARE(run(QByteArray(a + '\n' + b).left(GASPER_FUZZ_MAX_LEN)), 0);
    }
}

void tst_FuzzSmoke::randomMutationsPass()
{
    Mutator mutator(m_seeds, readDictionary(QStringLiteral(GASPER_FUZZ_DICT)));
    const int override = qEnvironmentVariableIntValue("GASPER_FUZZ_SMOKE_ITERATIONS");
    const int iterations = override > 0 ? override : GASPER_FUZZ_ITERATIONS;
    for (int i = 0; i < iterations; ++i)
        QCOMPARE(run(mutator.next()), 0);
}

QTEST_GUILESS_MAIN(tst_FuzzSmoke)
#include "tst_fuzz_smoke.moc"
