// SPDX-License-Identifier: MIT
#include "apps/LogLines.h"

#include <QDate>

#include <algorithm>

namespace gasper::apps {

QString maskSecrets(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets)
        text.replace(secret, QStringLiteral("***"));
    return text;
}

// ---- StreamMasker ---------------------------------------------------------------------

StreamMasker::StreamMasker(const QStringList &secrets)
{
    setSecrets(secrets);
}

void StreamMasker::setSecrets(const QStringList &secrets)
{
    // A secret with a newline never arrives in one engine log line: mask each line of it.
    QStringList parts;
    for (const QString &secret : secrets) {
        for (const QString &part : secret.split(u'\n')) {
            if (part.size() >= 4 && !parts.contains(part))
                parts << part;
        }
    }
    std::sort(parts.begin(), parts.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    m_secrets = parts;
    m_longest = 0;
    for (const QString &part : std::as_const(m_secrets))
        m_longest = std::max(m_longest, part.toUtf8().size());
}

QByteArray StreamMasker::mask(const QByteArray &bytes) const
{
    if (m_secrets.isEmpty() || bytes.isEmpty())
        return bytes;
    return maskSecrets(QString::fromUtf8(bytes), m_secrets).toUtf8();
}

QByteArray StreamMasker::feed(QByteArrayView bytes)
{
    if (m_secrets.isEmpty() && m_held.isEmpty())
        return bytes.toByteArray();
    m_held.append(bytes);
    qsizetype cut = m_held.lastIndexOf('\n') + 1;
    if (m_held.size() - cut > kMaxHeldBytes) {
        // A very long line: hand out all but what could be the start of a secret.
        cut = std::max<qsizetype>(0, m_held.size() - std::max<qsizetype>(m_longest - 1, 0));
        while (cut > 0 && cut < m_held.size() && (uchar(m_held.at(cut)) & 0xC0) == 0x80)
            --cut;  // never between the bytes of one UTF-8 character
    }
    if (cut <= 0)
        return {};
    const QByteArray ready = m_held.left(cut);
    m_held.remove(0, cut);
    return mask(ready);
}

QByteArray StreamMasker::finish()
{
    return mask(std::exchange(m_held, {}));
}

// ---- timestamps ------------------------------------------------------------------------

namespace {

bool digits(QByteArrayView s, qsizetype at, qsizetype n, int *value)
{
    if (at + n > s.size())
        return false;
    int v = 0;
    for (qsizetype i = at; i < at + n; ++i) {
        const char c = s.at(i);
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *value = v;
    return true;
}

constexpr qint64 kUnixEpochJulianDay = 2440588;

} // namespace

std::optional<TimestampedLine> parseTimestampedLine(QByteArrayView line)
{
    // 2026-12-01T22:03:55[.123456789](Z|+01:00) text
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(line, 0, 4, &year) || line.size() < 20 || line.at(4) != '-' || !digits(line, 5, 2, &month)
        || line.at(7) != '-' || !digits(line, 8, 2, &day) || line.at(10) != 'T' || !digits(line, 11, 2, &hour)
        || line.at(13) != ':' || !digits(line, 14, 2, &minute) || line.at(16) != ':' || !digits(line, 17, 2, &second))
        return std::nullopt;
    if (hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    const QDate date(year, month, day);
    if (!date.isValid())
        return std::nullopt;
    qsizetype at = 19;
    qint64 ms = 0;
    if (at < line.size() && line.at(at) == '.') {
        ++at;
        int n = 0;
        qint64 scale = 100;
        while (at < line.size() && line.at(at) >= '0' && line.at(at) <= '9') {
            if (n < 3) {
                ms += (line.at(at) - '0') * scale;
                scale /= 10;
            }
            ++at;
            ++n;
        }
        if (n == 0 || n > 9)
            return std::nullopt;
    }
    if (at >= line.size())
        return std::nullopt;
    qint64 offsetMs = 0;
    if (line.at(at) == 'Z') {
        ++at;
    } else if (line.at(at) == '+' || line.at(at) == '-') {
        int oh = 0, om = 0;
        if (!digits(line, at + 1, 2, &oh) || at + 3 >= line.size() || line.at(at + 3) != ':'
            || !digits(line, at + 4, 2, &om) || oh > 23 || om > 59)
            return std::nullopt;
        offsetMs = (qint64(oh) * 60 + om) * 60000 * (line.at(at) == '-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at >= line.size() || line.at(at) != ' ')
        return std::nullopt;
    TimestampedLine parsed;
    parsed.atMs = (date.toJulianDay() - kUnixEpochJulianDay) * 86'400'000 + qint64(hour) * 3'600'000
                  + qint64(minute) * 60'000 + qint64(second) * 1000 + ms - offsetMs;
    parsed.text = line.sliced(at + 1);
    return parsed;
}

// ---- LogFilter -------------------------------------------------------------------------

std::optional<QRegularExpression> LogFilter::compile(const QString &pattern, QString *error)
{
    QRegularExpression re(pattern, QRegularExpression::DontCaptureOption);
    if (!re.isValid()) {
        if (error)
            *error = re.errorString() + QStringLiteral(" at offset ") + QString::number(re.patternErrorOffset());
        return std::nullopt;
    }
    re.optimize();
    return re;
}

LogFilter::LogFilter(const LogQuery &query) : m_query(query), m_grep(query.grep.toUtf8())
{
    if (query.regex && !query.grep.isEmpty())
        m_regex = compile(query.grep, nullptr);
}

void LogFilter::take(QByteArrayView line, QByteArray &out)
{
    const auto stamped = parseTimestampedLine(line);
    const QByteArrayView text = stamped ? stamped->text : line;
    if (stamped && m_query.sinceMs > 0 && stamped->atMs < m_query.sinceMs)
        return;
    if (!m_query.grep.isEmpty()) {
        if (m_regex) {
            if (!m_regex->match(QString::fromUtf8(text)).hasMatch())
                return;
        } else if (!text.contains(QByteArrayView(m_grep))) {
            return;
        }
    }
    const QByteArrayView shown = m_query.timestamps ? line : text;
    if (m_keepLast < 0) {
        out.append(shown);
        out.append('\n');
        return;
    }
    if (m_keepLast == 0)
        return;
    m_kept.append(shown.toByteArray());
    if (m_kept.size() > m_keepLast)
        m_kept.removeFirst();
}

QByteArray LogFilter::feed(QByteArrayView bytes)
{
    QByteArray out;
    m_partial.append(bytes);
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_partial.indexOf('\n', start);
        if (nl < 0)
            break;
        qsizetype end = nl;
        if (end > start && m_partial.at(end - 1) == '\r')
            --end;
        take(QByteArrayView(m_partial).sliced(start, end - start), out);
        start = nl + 1;
    }
    m_partial.remove(0, start);
    return out;
}

QByteArray LogFilter::finish()
{
    QByteArray out;
    if (!m_partial.isEmpty())
        take(std::exchange(m_partial, {}), out);
    for (const QByteArray &line : std::as_const(m_kept)) {
        out.append(line);
        out.append('\n');
    }
    m_kept.clear();
    return out;
}

std::optional<qint64> parseDurationMs(QStringView text)
{
    if (text.isEmpty() || text.size() > 12)
        return std::nullopt;
    qint64 unit = 1000;
    QStringView number = text;
    switch (text.back().unicode()) {
    case 's': unit = 1000; number.chop(1); break;
    case 'm': unit = 60'000; number.chop(1); break;
    case 'h': unit = 3'600'000; number.chop(1); break;
    case 'd': unit = 86'400'000; number.chop(1); break;
    default: break;
    }
    bool ok = false;
    const qint64 n = number.toLongLong(&ok);
    if (!ok || n < 0 || n > 100LL * 365 * 86400)
        return std::nullopt;
    return n * unit;
}

} // namespace gasper::apps
