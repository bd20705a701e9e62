// SPDX-License-Identifier: MIT
#include "docker/FrameDemuxer.h"

#include <QtEndian>
#include <QtTest>

using namespace gasper;
using namespace gasper::docker;
using namespace Qt::StringLiterals;

namespace {

QByteArray frame(int stream, const QByteArray &payload)
{
    QByteArray header(8, '\0');
    header[0] = char(stream);
    qToBigEndian<quint32>(quint32(payload.size()), header.data() + 4);
    return header + payload;
}

// "[1]abc[2]def": adjacent pieces of one stream merged, since where a frame is cut into
// chunks depends on how the input arrived.
QByteArray render(const QList<StreamChunk> &chunks)
{
    QByteArray out;
    int last = -1;
    for (const StreamChunk &chunk : chunks) {
        if (chunk.data.isEmpty())
            continue;
        if (int(chunk.kind) != last) {
            out += '[' + QByteArray::number(int(chunk.kind)) + ']';
            last = int(chunk.kind);
        }
        out += chunk.data;
    }
    return out;
}

QByteArray feedInParts(FrameDemuxer &demuxer, const QList<QByteArrayView> &parts, QString *error)
{
    QList<StreamChunk> all;
    for (QByteArrayView part : parts) {
        const DemuxResult result = demuxer.feed(part);
        all += result.chunks;
        if (result.error) {
            *error = result.error->code + u": "_s + result.error->message;
            break;
        }
    }
    return render(all);
}

} // namespace

// The multiplexed stream of logs/exec/attach and the newline-delimited events stream,
// cut at every possible place.
class TestFrames : public QObject
{
    Q_OBJECT

private slots:
    void demuxesWholeInput_data() { demuxData(); }
    void demuxesWholeInput();
    void demuxesWhenSplitAtEveryByte_data() { demuxData(); }
    void demuxesWhenSplitAtEveryByte();
    void demuxesByteByByte_data() { demuxData(); }
    void demuxesByteByByte();

    void rejectsCorruptOrErrorFramesWhereverSplit_data();
    void rejectsCorruptOrErrorFramesWhereverSplit();

    void splitsLinesWhereverSplit_data();
    void splitsLinesWhereverSplit();
    void capsOverlongLines();

private:
    void demuxData();
};

void TestFrames::demuxData()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("endsAtBoundary");

    QTest::newRow("empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("one stdout frame") << frame(1, "hello\n") << QByteArray("[1]hello\n") << true;
    QTest::newRow("stdout then stderr") << frame(1, "out\n") + frame(2, "err\n") << QByteArray("[1]out\n[2]err\n")
                                        << true;
    QTest::newRow("stdin stream") << frame(0, "in") << QByteArray("[0]in") << true;
    QTest::newRow("empty frame in the middle") << frame(1, "a") + frame(2, "") + frame(1, "b")
                                               << QByteArray("[1]ab") << true;
    const QByteArray big(300, 'x');  // size needs two bytes of the length field
    QTest::newRow("frame over 255 bytes") << frame(2, big) + frame(1, "z") << "[2]" + big + "[1]z" << true;
    QTest::newRow("payload that looks like headers")
        << frame(1, frame(2, "nested")) << "[1]" + frame(2, "nested") << true;
    QTest::newRow("binary payload with NULs") << frame(1, QByteArray("\0\x01\x02\xff", 4))
                                              << QByteArray("[1]\0\x01\x02\xff", 7) << true;
    QTest::newRow("truncated payload") << frame(1, "complete").left(8 + 3) << QByteArray("[1]com") << false;
    QTest::newRow("truncated header") << frame(1, "x") + frame(2, "y").left(5) << QByteArray("[1]x") << false;
    QByteArray manyInput;
    QByteArray manyExpected;
    for (int i = 0; i < 20; ++i) {
        const QByteArray line = "line " + QByteArray::number(i) + '\n';
        manyInput += frame(1 + i % 2, line);
        manyExpected += "[" + QByteArray::number(1 + i % 2) + "]" + line;
    }
    QTest::newRow("twenty alternating frames") << manyInput << manyExpected << true;
}

void TestFrames::demuxesWholeInput()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(bool, endsAtBoundary);
    FrameDemuxer demuxer;
    QString error;
    QCOMPARE(feedInParts(demuxer, {input}, &error), expected);
    QCOMPARE(error, QString());
    QCOMPARE(demuxer.atFrameBoundary(), endsAtBoundary);
}

void TestFrames::demuxesWhenSplitAtEveryByte()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(bool, endsAtBoundary);
    for (qsizetype cut = 0; cut <= input.size(); ++cut) {
        FrameDemuxer demuxer;
        QString error;
        const QByteArrayView view(input);
        const QByteArray got = feedInParts(demuxer, {view.first(cut), view.sliced(cut)}, &error);
        if (got != expected || !error.isEmpty() || demuxer.atFrameBoundary() != endsAtBoundary)
            QFAIL(qPrintable(u"cut at %1: got %2 error '%3'"_s.arg(cut).arg(QString::fromLatin1(got.toHex()), error)));
    }
}

void TestFrames::demuxesByteByByte()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(bool, endsAtBoundary);
    FrameDemuxer demuxer;
    QList<QByteArrayView> parts;
    for (qsizetype i = 0; i < input.size(); ++i)
        parts.append(QByteArrayView(input).sliced(i, 1));
    QString error;
    QCOMPARE(feedInParts(demuxer, parts, &error), expected);
    QCOMPARE(error, QString());
    QCOMPARE(demuxer.atFrameBoundary(), endsAtBoundary);
}

void TestFrames::rejectsCorruptOrErrorFramesWhereverSplit_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("outputBefore");
    QTest::addColumn<QString>("error");

    QTest::newRow("unknown stream 5") << frame(1, "ok") + frame(5, "x") << QByteArray("[1]ok")
                                      << u"docker-error: Docker sent a corrupt multiplexed stream (frame header 05 00 00 00 00 00 00 01)"_s;
    QByteArray padded = frame(2, "y");
    padded[2] = 1;
    QTest::newRow("non-zero padding") << padded << QByteArray()
                                      << u"docker-error: Docker sent a corrupt multiplexed stream (frame header 02 00 01 00 00 00 00 01)"_s;
    QTest::newRow("text instead of frames") << QByteArray("hello world\n") << QByteArray()
                                            << u"docker-error: Docker sent a corrupt multiplexed stream (frame header 68 65 6c 6c 6f 20 77 6f)"_s;
    QTest::newRow("engine error frame") << frame(1, "partial") + frame(3, "error from daemon in stream: boom\n")
                                        << QByteArray("[1]partial")
                                        << u"docker-error: error from daemon in stream: boom"_s;
}

void TestFrames::rejectsCorruptOrErrorFramesWhereverSplit()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, outputBefore);
    QFETCH(QString, error);
    for (qsizetype cut = 0; cut <= input.size(); ++cut) {
        FrameDemuxer demuxer;
        QString got;
        const QByteArrayView view(input);
        const QByteArray output = feedInParts(demuxer, {view.first(cut), view.sliced(cut)}, &got);
        QCOMPARE(got, error);
        QCOMPARE(output, outputBefore);  // what came before the bad frame is still delivered
        // Failed for good: later input is refused with the same error.
        const DemuxResult again = demuxer.feed(frame(1, "more"));
        QVERIFY(again.chunks.isEmpty());
        QVERIFY(again.error);
        QCOMPARE(again.error->code + u": "_s + again.error->message, error);
    }
}

void TestFrames::splitsLinesWhereverSplit_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<QByteArray>("rest");

    QTest::newRow("nothing") << QByteArray() << QByteArrayList() << QByteArray();
    QTest::newRow("one line") << QByteArray("{\"a\":1}\n") << QByteArrayList{"{\"a\":1}"} << QByteArray();
    QTest::newRow("crlf and empty lines") << QByteArray("a\r\n\nb\n") << QByteArrayList{"a", "", "b"} << QByteArray();
    QTest::newRow("unterminated rest") << QByteArray("x\ny") << QByteArrayList{"x"} << QByteArray("y");
    QTest::newRow("lone cr is kept") << QByteArray("a\rb\n") << QByteArrayList{"a\rb"} << QByteArray();
}

void TestFrames::splitsLinesWhereverSplit()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, lines);
    QFETCH(QByteArray, rest);
    for (qsizetype cut = 0; cut <= input.size(); ++cut) {
        LineSplitter splitter;
        QByteArrayList got = splitter.feed(QByteArrayView(input).first(cut));
        got += splitter.feed(QByteArrayView(input).sliced(cut));
        QCOMPARE(got, lines);
        QCOMPARE(splitter.takeRest(), rest);
        QCOMPARE(splitter.takeRest(), QByteArray());
    }
}

void TestFrames::capsOverlongLines()
{
    LineSplitter splitter(4);
    QCOMPARE(splitter.feed("abcdefghij"), (QByteArrayList{"abcd", "efgh"}));
    QCOMPARE(splitter.feed("k\n"), (QByteArrayList{"ijk"}));
    QCOMPARE(splitter.takeRest(), QByteArray());
}

QTEST_GUILESS_MAIN(TestFrames)
#include "tst_frames.moc"
