// SPDX-License-Identifier: MIT
// libFuzzer target for the engine's stats stream (GET /containers/{id}/stats?stream=1),
// network input gasperd parses for every app every second: newline-delimited JSON as
// DockerStream hands it out, each object through metrics::readingFromStats and each pair of
// readings through sampleBetween, as MetricsSampler does. Beyond "no crash, no hang" it
// checks that a sample is always finite, rates and CPU never negative, and that a reading
// has a valid UTC time.
//
// Built by tests/fuzz (clang, -fsanitize=fuzzer) and, without libFuzzer, by the
// apps_stats_fuzz_smoke test in tests/apps.

#include "apps/MetricsMath.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace gasper::apps;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkSample(const MetricsSample &s)
{
    for (double v : {s.cpuPercent, s.cpuCorePercent, s.cpuLimit, s.rxBytesPerSec, s.txBytesPerSec,
                     s.blockReadBytesPerSec, s.blockWriteBytesPerSec}) {
        check(std::isfinite(v));
        check(v >= 0);
    }
    check(s.cpuLimit > 0);
    check(s.at.isValid());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte picks the CPU limit the samples are of (0: the host's CPUs).
    const double limit = size > 0 ? double(data[0] % 9) / 4.0 : 0;
    std::optional<StatsReading> previous;
    for (const QByteArray &line : input.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            continue;
        const std::optional<StatsReading> reading = metrics::readingFromStats(doc.object());
        if (!reading)
            continue;
        check(reading->at.isValid());
        check(reading->at.timeSpec() == Qt::UTC);
        checkSample(metrics::sampleFrom(*reading, limit, 0));
        if (previous)
            checkSample(metrics::sampleBetween(*previous, *reading, limit, 1));
        previous = reading;
    }
    return 0;
}
