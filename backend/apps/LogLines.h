// SPDX-License-Identifier: MIT
#pragma once

// The pure parts of app logs: secret masking (also across read boundaries), the engine's
// timestamped line format, and the server-side filter (since, search, tail). Qt Core only,
// so the fuzz target (tests/fuzz/fuzz_log_lines.cpp) builds it without the rest of gasper.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <optional>

namespace gasper::apps {

// `text` with every secret value replaced by ***, longest secret first (secretValues()
// sorts them so), so a secret that contains another is masked whole. Deploy output, error
// messages and app logs all pass through this one function.
QString maskSecrets(QString text, const QStringList &secrets);

// Masks a byte stream that arrives in arbitrary pieces (the engine's reads), so a secret
// split across two reads is still masked. It emits only whole lines and holds back the
// incomplete last one; a line longer than kMaxHeldBytes is cut, keeping the last
// (longest secret − 1) bytes (moved back to a UTF-8 boundary) for the next piece. A secret
// that spans lines is masked line by line (each line of it of at least 4 bytes on its own).
// finish() hands out what is held. Memory: at most kMaxHeldBytes + one piece.
class StreamMasker
{
public:
    static constexpr qsizetype kMaxHeldBytes = 64 * 1024;

    explicit StreamMasker(const QStringList &secrets = {});
    void setSecrets(const QStringList &secrets);
    QByteArray feed(QByteArrayView bytes);
    QByteArray finish();
    qsizetype held() const { return m_held.size(); }

private:
    QByteArray mask(const QByteArray &bytes) const;

    QStringList m_secrets;
    qsizetype m_longest = 0;  // bytes of the longest secret (UTF-8)
    QByteArray m_held;
};

// One line of `docker logs --timestamps`: "2026-12-01T22:03:55.123456789Z text".
struct TimestampedLine
{
    qint64 atMs = 0;        // milliseconds since the epoch (UTC)
    QByteArrayView text;    // the line after the timestamp and its space, without '\n'
};
// The timestamp the engine put in front of `line` (RFC 3339 with up to 9 fraction digits,
// `Z` or a ±HH:MM offset, then one space), or nothing when the line has none.
std::optional<TimestampedLine> parseTimestampedLine(QByteArrayView line);

// What a reader asked of an app's log (GET /api/v1/apps/{name}/logs). Validated by parse().
struct LogQuery
{
    int tail = 100;          // lines; -1: all. With a search: the last N matching lines
    bool follow = false;
    bool timestamps = false; // keep the engine's timestamp in front of each line
    qint64 sinceMs = 0;      // only lines at or after (ms since the epoch); 0: from the start
    QString grep;            // only lines that contain it (or match it, with regex)
    bool regex = false;
    int deploy = 0;          // a past deploy's app log; 0: the live container's

    bool filters() const { return sinceMs > 0 || !grep.isEmpty(); }
};

// Turns timestamped engine lines into what the reader asked for: lines before `since` and
// lines that do not match the search dropped, the timestamp kept or cut. feed() takes any
// pieces and emits whole lines at once; with keepLast() set it keeps only the last N
// output lines and emits them from finish() (a search over a finished log). A line
// without a timestamp passes `since` (nothing to compare) and is searched whole.
class LogFilter
{
public:
    // `pattern`: a valid regular expression (LogFilter::compile) when query.regex.
    explicit LogFilter(const LogQuery &query);
    // The search's expression, or the reason it is not one (for a 400).
    static std::optional<QRegularExpression> compile(const QString &pattern, QString *error);
    void keepLast(int lines) { m_keepLast = lines; }
    QByteArray feed(QByteArrayView bytes);
    QByteArray finish();

private:
    void take(QByteArrayView line, QByteArray &out);

    LogQuery m_query;
    QByteArray m_grep;  // UTF-8 of the substring
    std::optional<QRegularExpression> m_regex;
    QByteArray m_partial;
    int m_keepLast = -1;
    QList<QByteArray> m_kept;  // with keepLast: the last lines, oldest first
    qsizetype m_keptStart = 0;
};

// A duration as people write it after --since: "90s", "10m", "2h", "3d" (and plain
// seconds, "600"); nothing for anything else.
std::optional<qint64> parseDurationMs(QStringView text);

} // namespace gasper::apps
