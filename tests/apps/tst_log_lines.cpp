// SPDX-License-Identifier: MIT
// The pure parts of app logs (apps/LogLines): the secret masker across read boundaries,
// the engine's timestamped lines, the filter (since, search, tail) and durations.

#include "apps/LogLines.h"

#include <QTest>

using namespace gasper::apps;
using namespace Qt::StringLiterals;

class tst_LogLines : public QObject
{
    Q_OBJECT

private slots:
    void maskerMasksASecretSplitAtEveryByte_data();
    void maskerMasksASecretSplitAtEveryByte();
    void maskerHoldsOnlyTheIncompleteLine();
    void maskerCutsAVeryLongLineKeepingATailOfTheLongestSecret();
    void maskerMasksEachLineOfAMultiLineSecret();
    void timestampedLinesParse_data();
    void timestampedLinesParse();
    void filterKeepsLinesSinceAndCutsTimestamps();
    void filterSearchKeepsTheLastMatchingLines();
    void filterRegexMatchesAndABadOneIsRefused();
    void durationsParse_data();
    void durationsParse();
};

void tst_LogLines::maskerMasksASecretSplitAtEveryByte_data()
{
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("one") << QStringList{u"hunter2-secret"_s} << QByteArray("token=hunter2-secret ok\nnext\n")
                         << QByteArray("token=*** ok\nnext\n");
    QTest::newRow("contained, longest first") << QStringList{u"abcdefgh"_s, u"abcd"_s}
                                              << QByteArray("x abcdefgh y abcd\n") << QByteArray("x *** y ***\n");
    QTest::newRow("utf-8") << QStringList{u"pässwörd"_s} << QByteArray("ü pässwörd ü\n") << QByteArray("ü *** ü\n");
    QTest::newRow("no secrets") << QStringList{} << QByteArray("plain\n") << QByteArray("plain\n");
}

void tst_LogLines::maskerMasksASecretSplitAtEveryByte()
{
    QFETCH(QStringList, secrets);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, shown);
    for (qsizetype split = 0; split <= input.size(); ++split) {
        StreamMasker masker(secrets);
        QByteArray out = masker.feed(QByteArrayView(input).first(split));
        out += masker.feed(QByteArrayView(input).sliced(split));
        out += masker.finish();
        QCOMPARE(out, shown);
    }
    // Byte by byte.
    StreamMasker masker(secrets);
    QByteArray out;
    for (char c : input)
        out += masker.feed(QByteArrayView(&c, 1));
    out += masker.finish();
    QCOMPARE(out, shown);
}

void tst_LogLines::maskerHoldsOnlyTheIncompleteLine()
{
    StreamMasker masker({u"s3cr3t-value"_s});
    QCOMPARE(masker.feed("line one\nline tw"), QByteArray("line one\n"));
    QCOMPARE(masker.held(), 7);
    QCOMPARE(masker.feed("o s3cr3t-"), QByteArray());
    QCOMPARE(masker.feed("value\n"), QByteArray("line two ***\n"));
    QCOMPARE(masker.held(), 0);
    QCOMPARE(masker.feed("end without newline s3cr3t-value"), QByteArray());
    QCOMPARE(masker.finish(), QByteArray("end without newline ***"));
}

void tst_LogLines::maskerCutsAVeryLongLineKeepingATailOfTheLongestSecret()
{
    const QString secret = u"long-secret-0123456789"_s;  // 22 bytes
    StreamMasker masker({secret});
    const QByteArray filler(StreamMasker::kMaxHeldBytes + 100, 'x');
    QByteArray out = masker.feed(QByteArray(filler + "long-secret-01"));
    // Everything but what could still become the secret went out.
    QVERIFY(masker.held() <= secret.size() - 1);
    QVERIFY(out.size() >= filler.size() - secret.size());
    out += masker.feed("23456789 done\n");
    out += masker.finish();
    QCOMPARE(out, QByteArray(filler + "*** done\n"));
}

void tst_LogLines::maskerMasksEachLineOfAMultiLineSecret()
{
    StreamMasker masker({u"-----BEGIN KEY-----\nAAAAsecretbody\n-----END KEY-----"_s});
    const QByteArray out = masker.feed("key:\n-----BEGIN KEY-----\nAAAAsecretbody\n-----END KEY-----\n") + masker.finish();
    QVERIFY2(!out.contains("AAAAsecretbody"), out.constData());
    QCOMPARE(out, QByteArray("key:\n***\n***\n***\n"));
}

void tst_LogLines::timestampedLinesParse_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("atMs");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("engine, nanoseconds") << QByteArray("2026-12-01T22:03:55.123456789Z hello world") << true
                                         << qint64(1796162635123) << QByteArray("hello world");
    QTest::newRow("no fraction") << QByteArray("1970-01-01T00:00:01Z x") << true << qint64(1000) << QByteArray("x");
    QTest::newRow("offset") << QByteArray("1970-01-01T01:00:00.5+01:00 y") << true << qint64(500) << QByteArray("y");
    QTest::newRow("empty text") << QByteArray("1970-01-01T00:00:00Z ") << true << qint64(0) << QByteArray();
    QTest::newRow("no timestamp") << QByteArray("hello") << false << qint64(0) << QByteArray();
    QTest::newRow("no space") << QByteArray("2026-12-01T22:03:55Zhello") << false << qint64(0) << QByteArray();
    QTest::newRow("bad month") << QByteArray("2026-13-01T22:03:55Z x") << false << qint64(0) << QByteArray();
    QTest::newRow("bad day") << QByteArray("2026-02-30T22:03:55Z x") << false << qint64(0) << QByteArray();
    QTest::newRow("ten fraction digits") << QByteArray("2026-12-01T22:03:55.1234567890Z x") << false << qint64(0)
                                         << QByteArray();
    QTest::newRow("cut short") << QByteArray("2026-12-01T22:03") << false << qint64(0) << QByteArray();
    QTest::newRow("bad offset") << QByteArray("2026-12-01T22:03:55+1:00 x") << false << qint64(0) << QByteArray();
}

void tst_LogLines::timestampedLinesParse()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(qint64, atMs);
    QFETCH(QByteArray, text);
    const auto parsed = parseTimestampedLine(line);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(parsed->atMs, atMs);
        QCOMPARE(parsed->text.toByteArray(), text);
    }
}

void tst_LogLines::filterKeepsLinesSinceAndCutsTimestamps()
{
    const QByteArray log = "1970-01-01T00:00:01Z one\n1970-01-01T00:00:02Z two\n1970-01-01T00:00:03Z three\n";
    LogQuery query;
    query.sinceMs = 2000;
    LogFilter filter(query);
    // Any split: whole lines only.
    QByteArray out = filter.feed(log.first(30));
    out += filter.feed(log.sliced(30));
    out += filter.finish();
    QCOMPARE(out, QByteArray("two\nthree\n"));
    query.timestamps = true;
    LogFilter stamped(query);
    QCOMPARE(stamped.feed(log) + stamped.finish(), QByteArray("1970-01-01T00:00:02Z two\n1970-01-01T00:00:03Z three\n"));
}

void tst_LogLines::filterSearchKeepsTheLastMatchingLines()
{
    LogQuery query;
    query.grep = u"GET"_s;
    LogFilter filter(query);
    filter.keepLast(2);
    const QByteArray log = "1970-01-01T00:00:01Z GET /a\n1970-01-01T00:00:02Z POST /b\n1970-01-01T00:00:03Z GET /c\n"
                           "1970-01-01T00:00:04Z GET /d\n1970-01-01T00:00:05Z 1970 GET-less\n";
    QCOMPARE(filter.feed(log), QByteArray());  // kept for finish()
    QCOMPARE(filter.finish(), QByteArray("GET /d\n1970 GET-less\n"));
    // The timestamp itself is never searched.
    LogQuery byYear;
    byYear.grep = u"1970-01"_s;
    LogFilter year(byYear);
    QCOMPARE(year.feed(log) + year.finish(), QByteArray());
}

void tst_LogLines::filterRegexMatchesAndABadOneIsRefused()
{
    QString why;
    QVERIFY(!LogFilter::compile(u"(unclosed"_s, &why));
    QVERIFY(!why.isEmpty());
    LogQuery query;
    query.grep = u"^(GET|PUT) /[a-c]$"_s;
    query.regex = true;
    LogFilter filter(query);
    QCOMPARE(filter.feed("GET /a\nPOST /b\nPUT /c\nGET /d\n") + filter.finish(), QByteArray("GET /a\nPUT /c\n"));
}

void tst_LogLines::durationsParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");  // -1: refused
    QTest::newRow("seconds") << u"90s"_s << qint64(90000);
    QTest::newRow("minutes") << u"10m"_s << qint64(600000);
    QTest::newRow("hours") << u"2h"_s << qint64(7200000);
    QTest::newRow("days") << u"3d"_s << qint64(3 * 86400000LL);
    QTest::newRow("plain seconds") << u"600"_s << qint64(600000);
    QTest::newRow("iso time") << u"2026-11-27T10:00:00Z"_s << qint64(-1);
    QTest::newRow("negative") << u"-5m"_s << qint64(-1);
    QTest::newRow("unit only") << u"m"_s << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
}

void tst_LogLines::durationsParse()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const auto parsed = parseDurationMs(text);
    QCOMPARE(parsed.value_or(-1), ms);
}

QTEST_APPLESS_MAIN(tst_LogLines)
#include "tst_log_lines.moc"
