// SPDX-License-Identifier: MIT
// libFuzzer target: the app-log reader (apps/LogLines) on engine output. The first byte picks
// the query (since, search, timestamps, keepLast) and where the input is split into reads;
// the rest is the engine's bytes. Invariants: no crash; the masker never lets a secret through
// whatever the split, and holds back no more than its bound; every line the filter emits is
// whole (ends with '\n'); a timestamp that parses gives back text inside the line.
#include "apps/LogLines.h"

#include <cstdint>
#include <cstdlib>

using namespace gasper::apps;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t selector = data[0];
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype split = input.isEmpty() ? 0 : qsizetype(selector) % (input.size() + 1);

    // Timestamps of every line.
    qsizetype start = 0;
    while (start <= input.size()) {
        qsizetype nl = input.indexOf('\n', start);
        if (nl < 0)
            nl = input.size();
        const QByteArrayView line = QByteArrayView(input).sliced(start, nl - start);
        if (const auto parsed = parseTimestampedLine(line)) {
            if (parsed->text.size() > line.size() || (parsed->text.size() > 0 && parsed->text.data() < line.data()))
                abort();
        }
        start = nl + 1;
    }

    // The masker, split in two reads: the secret never comes through.
    const QString secret = QStringLiteral("s3cr3t-fuzz");
    StreamMasker masker({secret});
    QByteArray masked = masker.feed(QByteArrayView(input).first(split));
    if (masker.held() > StreamMasker::kMaxHeldBytes + input.size())
        abort();
    masked += masker.feed(QByteArrayView(input).sliced(split));
    masked += masker.finish();
    if (QString::fromUtf8(masked).contains(secret) && !QString::fromUtf8(input).contains(QStringLiteral("s3cr3t-fuzz")))
        abort();  // invented from nothing
    if (input.contains("s3cr3t-fuzz") && !input.contains('\xff') && masked.contains("s3cr3t-fuzz")
        && QString::fromUtf8(input).toUtf8() == input)
        abort();  // valid UTF-8 with the secret: it must be masked

    // The filter over the masked bytes.
    LogQuery query;
    query.timestamps = selector & 1;
    query.sinceMs = (selector & 2) ? 1'700'000'000'000 : 0;
    if (selector & 4)
        query.grep = QStringLiteral("GET");
    if (selector & 8) {
        query.grep = QStringLiteral("^[0-9]+ (a|b)*$");
        query.regex = true;
    }
    LogFilter filter(query);
    if (selector & 16)
        filter.keepLast(selector >> 5);
    QByteArray out = filter.feed(QByteArrayView(masked).first(std::min(split, masked.size())));
    out += filter.feed(QByteArrayView(masked).sliced(std::min(split, masked.size())));
    out += filter.finish();
    if (!out.isEmpty() && !out.endsWith('\n'))
        abort();
    if (out.size() > masked.size() + masked.count('\n') + 1)
        abort();
    return 0;
}
