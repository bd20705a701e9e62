// SPDX-License-Identifier: MIT
#include "http/HttpParser.h"

#include "http/HttpUtil_p.h"

#include <cstring>

using namespace Qt::StringLiterals;

namespace gasper::http {

using namespace detail;

namespace {

// A chunk-size line with its extensions; nobody legitimate sends more.
constexpr qsizetype MaxChunkLine = 4096;
// Compact the buffer once this many consumed bytes sit before the unconsumed ones.
constexpr qsizetype CompactThreshold = 16 * 1024;

const char *findByte(const char *from, const char *to, char c)
{
    return static_cast<const char *>(std::memchr(from, c, size_t(to - from)));
}

// A line without its LF and optional CR; false when another CR is inside (a bare CR is
// a classic smuggling trick, RFC 9112 §2.2).
bool stripLine(QByteArrayView &line)
{
    if (!line.isEmpty() && line.back() == '\r')
        line.chop(1);
    return std::memchr(line.data(), '\r', size_t(line.size())) == nullptr;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// "HTTP/1.1": 0 on success with the minor version in *minor; otherwise the status to answer.
int parseVersion(QByteArrayView v, int *minor)
{
    if (v.size() != 8 || !v.startsWith("HTTP/") || !isDigit(v[5]) || v[6] != '.' || !isDigit(v[7]))
        return 400;
    if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
        return 505;
    *minor = v[7] - '0';
    return 0;
}

enum class ContentLength { Absent, Valid, Invalid };

// Every Content-Length field, and every element of a list in one, must be the same
// decimal number (RFC 9112 §6.3 item 5); anything else is a framing error.
ContentLength parseContentLength(const Headers &headers, qint64 *length)
{
    bool present = false;
    qint64 value = -1;
    for (const auto &[name, fieldValue] : headers.entries()) {
        if (!equalsIgnoreCase(name, "content-length"))
            continue;
        present = true;
        QByteArrayView rest(fieldValue);
        for (;;) {
            qsizetype comma = rest.indexOf(',');
            const QByteArrayView element = trimOws(comma < 0 ? rest : rest.first(comma));
            if (element.isEmpty() || element.size() > 18)
                return ContentLength::Invalid;
            qint64 n = 0;
            for (char c : element) {
                if (!isDigit(c))
                    return ContentLength::Invalid;
                n = n * 10 + (c - '0');
            }
            if (value >= 0 && n != value)
                return ContentLength::Invalid;
            value = n;
            if (comma < 0)
                break;
            rest = rest.sliced(comma + 1);
        }
    }
    if (!present)
        return ContentLength::Absent;
    *length = value;
    return ContentLength::Valid;
}

struct TransferCodings
{
    bool present = false;
    bool empty = true;          // present but naming no coding
    bool chunkedLast = false;   // the final coding is chunked
    int chunkedCount = 0;
    bool unknown = false;       // a coding other than chunked
};

TransferCodings parseTransferEncoding(const Headers &headers)
{
    TransferCodings t;
    for (const auto &[name, value] : headers.entries()) {
        if (!equalsIgnoreCase(name, "transfer-encoding"))
            continue;
        t.present = true;
        forEachListElement(value, [&](QByteArrayView coding) {
            t.empty = false;
            if (equalsIgnoreCase(coding, "chunked")) {
                ++t.chunkedCount;
                t.chunkedLast = true;
            } else {
                t.unknown = true;
                t.chunkedLast = false;
            }
        });
    }
    return t;
}

} // namespace

Parser::Parser(Kind kind, Limits limits)
    : m_kind(kind)
    , m_limits(limits)
{
}

void Parser::compact()
{
    if (m_offset == 0)
        return;
    if (m_offset >= m_buffer.size()) {
        m_buffer.resize(0);  // keeps the capacity for the next message
        m_offset = 0;
    } else if (m_offset >= CompactThreshold && m_offset * 2 >= m_buffer.size()) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
}

void Parser::feed(QByteArrayView data)
{
    if (data.isEmpty() || m_state == State::Failed)
        return;
    compact();
    m_buffer.append(data);
}

void Parser::feedEof()
{
    m_eof = true;
}

void Parser::expectResponseTo(QByteArrayView method)
{
    m_expectedMethods.append(method.toByteArray());
}

QByteArray Parser::takeBody()
{
    return std::exchange(m_body, QByteArray());
}

QByteArray Parser::takeRemaining()
{
    QByteArray rest = m_offset == 0 ? std::exchange(m_buffer, QByteArray()) : m_buffer.mid(m_offset);
    m_buffer.clear();
    m_offset = 0;
    m_scanned = 0;
    m_lineStart = 0;
    return rest;
}

bool Parser::inMessage() const
{
    switch (m_state) {
    case State::Head:
        return m_offset < m_buffer.size();
    case State::Body:
    case State::ChunkSize:
    case State::ChunkData:
    case State::ChunkDataEnd:
    case State::Trailers:
    case State::BodyUntilClose:
        return true;
    case State::Done:
    case State::Upgraded:
    case State::Failed:
        break;
    }
    return false;
}

Parser::Event Parser::fail(int status, QString message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    m_buffer.clear();
    m_offset = 0;
    m_body.clear();
    return Event::Error;
}

Parser::Event Parser::next()
{
    for (;;) {
        const qsizetype available = m_buffer.size() - m_offset;
        switch (m_state) {
        case State::Failed:
            return Event::Error;
        case State::Done:
        case State::Upgraded:
            return Event::NeedMore;
        case State::Head:
            return parseHead();
        case State::Body:
            if (m_remaining == 0)
                return complete();
            if (available == 0) {
                if (m_eof)
                    return fail(400, u"connection closed before the end of the body"_s);
                return Event::NeedMore;
            }
            return deliverBody(m_remaining);
        case State::BodyUntilClose:
            if (available > 0) {
                if (m_limits.maxBodyBytes >= 0 && m_bodySeen + available > m_limits.maxBodyBytes)
                    return fail(413, u"body larger than %1 bytes"_s.arg(m_limits.maxBodyBytes));
                m_bodySeen += available;
                return deliverBody(available);
            }
            if (m_eof)
                return complete();
            return Event::NeedMore;
        case State::ChunkSize: {
            const Event e = parseChunkSize();
            if (e != Event::Body)  // Body here only means "go on"
                return e;
            continue;
        }
        case State::ChunkData:
            if (m_remaining == 0) {
                m_state = State::ChunkDataEnd;
                continue;
            }
            if (available == 0) {
                if (m_eof)
                    return fail(400, u"connection closed inside a chunk"_s);
                return Event::NeedMore;
            }
            return deliverBody(m_remaining);
        case State::ChunkDataEnd: {
            const char *p = m_buffer.constData() + m_offset;
            if (available >= 1 && p[0] == '\n') {
                m_offset += 1;
            } else if (available >= 2 && p[0] == '\r' && p[1] == '\n') {
                m_offset += 2;
            } else if (available == 0 || (available == 1 && p[0] == '\r')) {
                if (m_eof)
                    return fail(400, u"connection closed inside a chunk"_s);
                return Event::NeedMore;
            } else {
                return fail(400, u"chunk data not followed by CRLF"_s);
            }
            m_state = State::ChunkSize;
            continue;
        }
        case State::Trailers:
            return parseTrailers();
        }
    }
}

Parser::Event Parser::deliverBody(qint64 max)
{
    const qsizetype available = m_buffer.size() - m_offset;
    const qsizetype n = qsizetype(std::min<qint64>(max, available));
    if (m_offset == 0 && n == m_buffer.size()) {
        // The whole buffer is body: hand it over without copying.
        m_body = std::exchange(m_buffer, QByteArray());
        m_offset = 0;
    } else {
        m_body = m_buffer.mid(m_offset, n);
        m_offset += n;
    }
    if (m_state != State::BodyUntilClose)
        m_remaining -= n;
    return Event::Body;
}

qsizetype Parser::findSectionEnd()
{
    const char *data = m_buffer.constData();
    const char *end = data + m_buffer.size();
    const char *lineStart = data + m_offset + m_lineStart;
    const char *pos = data + m_offset + m_scanned;
    while (pos < end) {
        const char *lf = findByte(pos, end, '\n');
        if (!lf) {
            pos = end;
            break;
        }
        const qsizetype lineLength = lf - lineStart;
        if (lineLength == 0 || (lineLength == 1 && *lineStart == '\r')) {
            m_scanned = 0;
            m_lineStart = 0;
            return (lf + 1) - data;
        }
        lineStart = lf + 1;
        pos = lf + 1;
    }
    m_scanned = pos - (data + m_offset);
    m_lineStart = lineStart - (data + m_offset);
    return -1;
}

bool Parser::parseFieldLine(QByteArrayView line, Headers &into, int &count, int &status, QString &message) const
{
    if (!stripLine(line)) {
        status = 400;
        message = u"bare CR in a header field"_s;
        return false;
    }
    if (isOws(line.front())) {
        status = 400;
        message = u"obsolete line folding is not accepted"_s;
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        status = 400;
        message = u"header field without a colon"_s;
        return false;
    }
    const QByteArrayView name = line.first(colon);
    // No whitespace is allowed between the name and the colon (RFC 9112 §5.1).
    if (!isToken(name)) {
        status = 400;
        message = u"invalid header field name"_s;
        return false;
    }
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    for (char c : value) {
        if (!isFieldValueChar(c)) {
            status = 400;
            message = u"invalid character in header field value"_s;
            return false;
        }
    }
    if (++count > m_limits.maxHeaderCount) {
        status = 431;
        message = u"more than %1 header fields"_s.arg(m_limits.maxHeaderCount);
        return false;
    }
    into.add(name.toByteArray(), value.toByteArray());
    return true;
}

bool Parser::parseRequestLine(QByteArrayView line, int &status, QString &message)
{
    status = 400;
    const qsizetype sp1 = line.indexOf(' ');
    if (sp1 <= 0) {
        message = u"malformed request line"_s;
        return false;
    }
    const qsizetype sp2 = line.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || sp2 == sp1 + 1) {
        message = u"malformed request line"_s;
        return false;
    }
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method)) {
        message = u"invalid method"_s;
        return false;
    }
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) {
            message = u"invalid character in request target"_s;
            return false;
        }
    }
    int minor = 1;
    if (const int s = parseVersion(version, &minor)) {
        status = s;
        message = s == 505 ? u"HTTP version not supported"_s : u"malformed HTTP version"_s;
        return false;
    }
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    m_request.versionMinor = minor;
    return true;
}

bool Parser::parseStatusLine(QByteArrayView line, int &status, QString &message)
{
    status = 400;
    if (line.size() < 12 || line[8] != ' ') {
        message = u"malformed status line"_s;
        return false;
    }
    int minor = 1;
    if (const int s = parseVersion(line.first(8), &minor)) {
        status = s;
        message = s == 505 ? u"HTTP version not supported"_s : u"malformed HTTP version"_s;
        return false;
    }
    if (!isDigit(line[9]) || !isDigit(line[10]) || !isDigit(line[11]) || line[9] == '0') {
        message = u"malformed status code"_s;
        return false;
    }
    // The SP before an empty reason is required by RFC 9112, but some servers leave it out.
    if (line.size() > 12 && line[12] != ' ') {
        message = u"malformed status line"_s;
        return false;
    }
    const QByteArrayView reason = line.size() > 13 ? line.sliced(13) : QByteArrayView();
    for (char c : reason) {
        if (!isFieldValueChar(c)) {
            message = u"invalid character in reason phrase"_s;
            return false;
        }
    }
    m_response.versionMinor = minor;
    m_response.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    m_response.reason = reason.toByteArray();
    return true;
}

Parser::Event Parser::parseHead()
{
    if (m_scanned == 0) {
        // Empty lines before a message are ignored (RFC 9112 §2.2).
        const char *data = m_buffer.constData();
        while (m_offset < m_buffer.size()) {
            if (data[m_offset] == '\n') {
                ++m_offset;
            } else if (data[m_offset] == '\r') {
                if (m_offset + 1 >= m_buffer.size())
                    return Event::NeedMore;
                if (data[m_offset + 1] != '\n')
                    return fail(400, u"bare CR before the start line"_s);
                m_offset += 2;
            } else {
                break;
            }
        }
    }
    if (m_offset >= m_buffer.size()) {
        compact();
        if (m_eof)
            m_state = State::Done;
        return Event::NeedMore;
    }

    const qsizetype end = findSectionEnd();
    if (end < 0) {
        if (m_buffer.size() - m_offset > m_limits.maxHeaderBytes)
            return fail(431, u"header section larger than %1 bytes"_s.arg(m_limits.maxHeaderBytes));
        if (m_eof)
            return fail(400, u"connection closed inside the message head"_s);
        return Event::NeedMore;
    }
    if (end - m_offset > m_limits.maxHeaderBytes)
        return fail(431, u"header section larger than %1 bytes"_s.arg(m_limits.maxHeaderBytes));

    if (m_kind == Kind::Request)
        m_request = Request();
    else
        m_response = Response();
    m_trailers.clear();
    m_body.clear();
    m_bodySeen = 0;
    m_remaining = 0;

    const char *data = m_buffer.constData();
    const char *p = data + m_offset;
    const char *stop = data + end;
    int status = 400;
    QString message;
    int count = 0;
    bool first = true;
    Headers &headers = m_kind == Kind::Request ? m_request.headers : m_response.headers;
    headers.reserve(16);  // typical browser requests carry 8-15 fields
    while (p < stop) {
        const char *lf = findByte(p, stop, '\n');
        QByteArrayView line(p, lf - p);
        p = lf + 1;
        if (first) {
            first = false;
            if (!stripLine(line))
                return fail(400, u"bare CR in the start line"_s);
            const bool ok = m_kind == Kind::Request ? parseRequestLine(line, status, message)
                                                    : parseStatusLine(line, status, message);
            if (!ok)
                return fail(status, message);
            continue;
        }
        if (p == stop)
            break;  // the empty line that ends the head
        if (!parseFieldLine(line, headers, count, status, message))
            return fail(status, message);
    }
    m_offset = end;
    return m_kind == Kind::Request ? setupRequestFraming() : setupResponseFraming();
}

Parser::Event Parser::setupRequestFraming()
{
    const Headers &headers = m_request.headers;
    if (m_request.versionMinor == 1) {
        // RFC 9112 §3.2: exactly one Host in an HTTP/1.1 request.
        int hosts = 0;
        for (const auto &entry : headers.entries())
            hosts += equalsIgnoreCase(entry.first, "host") ? 1 : 0;
        if (hosts != 1)
            return fail(400, hosts == 0 ? u"missing Host header"_s : u"more than one Host header"_s);
    }
    const TransferCodings te = parseTransferEncoding(headers);
    if (te.present) {
        if (m_request.versionMinor == 0)
            return fail(400, u"Transfer-Encoding in an HTTP/1.0 request"_s);
        if (headers.has("content-length"))
            return fail(400, u"both Transfer-Encoding and Content-Length"_s);
        if (te.unknown)
            return fail(501, u"unsupported transfer coding"_s);
        if (te.empty || !te.chunkedLast || te.chunkedCount != 1)
            return fail(400, u"chunked must be the final transfer coding, once"_s);
        m_state = State::ChunkSize;
        return Event::Head;
    }
    qint64 length = 0;
    switch (parseContentLength(headers, &length)) {
    case ContentLength::Invalid:
        return fail(400, u"invalid Content-Length"_s);
    case ContentLength::Absent:
        length = 0;
        break;
    case ContentLength::Valid:
        break;
    }
    if (m_limits.maxBodyBytes >= 0 && length > m_limits.maxBodyBytes)
        return fail(413, u"body larger than %1 bytes"_s.arg(m_limits.maxBodyBytes));
    m_remaining = length;
    m_state = State::Body;
    return Event::Head;
}

Parser::Event Parser::setupResponseFraming()
{
    m_currentMethod = m_expectedMethods.isEmpty() ? QByteArray() : m_expectedMethods.first();
    const int status = m_response.status;
    const Headers &headers = m_response.headers;
    // RFC 9112 §6.3 items 1 and 2: these responses end with their head.
    if (m_currentMethod == "HEAD" || status < 200 || status == 204 || status == 304
        || (m_currentMethod == "CONNECT" && status < 300)) {
        m_remaining = 0;
        m_state = State::Body;
        return Event::Head;
    }
    const TransferCodings te = parseTransferEncoding(headers);
    if (te.present) {
        if (m_response.versionMinor == 0)
            return fail(400, u"Transfer-Encoding in an HTTP/1.0 response"_s);
        if (te.chunkedCount > 1)
            return fail(400, u"chunked applied more than once"_s);
        // Transfer-Encoding overrides Content-Length (§6.3 item 3); a final coding other
        // than chunked means the body runs until the connection closes.
        m_state = te.chunkedLast ? State::ChunkSize : State::BodyUntilClose;
        return Event::Head;
    }
    qint64 length = 0;
    switch (parseContentLength(headers, &length)) {
    case ContentLength::Invalid:
        return fail(400, u"invalid Content-Length"_s);
    case ContentLength::Absent:
        m_state = State::BodyUntilClose;
        return Event::Head;
    case ContentLength::Valid:
        break;
    }
    if (m_limits.maxBodyBytes >= 0 && length > m_limits.maxBodyBytes)
        return fail(413, u"body larger than %1 bytes"_s.arg(m_limits.maxBodyBytes));
    m_remaining = length;
    m_state = State::Body;
    return Event::Head;
}

Parser::Event Parser::parseChunkSize()
{
    const char *data = m_buffer.constData();
    const char *begin = data + m_offset;
    const char *end = data + m_buffer.size();
    const char *lf = findByte(begin, end, '\n');
    if (!lf) {
        if (end - begin > MaxChunkLine)
            return fail(400, u"chunk size line too long"_s);
        if (m_eof)
            return fail(400, u"connection closed inside a chunked body"_s);
        return Event::NeedMore;
    }
    if (lf - begin > MaxChunkLine)
        return fail(400, u"chunk size line too long"_s);
    QByteArrayView line(begin, lf - begin);
    if (!stripLine(line))
        return fail(400, u"bare CR in a chunk size line"_s);
    qint64 size = 0;
    qsizetype i = 0;
    for (; i < line.size(); ++i) {
        const int v = hexValue(line[i]);
        if (v < 0)
            break;
        if (i >= 15)
            return fail(400, u"chunk size too large"_s);
        size = size * 16 + v;
    }
    if (i == 0)
        return fail(400, u"invalid chunk size"_s);
    // Chunk extensions (RFC 9112 §7.1.1) are ignored, but must look like ones.
    while (i < line.size() && isOws(line[i]))
        ++i;
    if (i < line.size()) {
        if (line[i] != ';')
            return fail(400, u"invalid chunk size"_s);
        for (; i < line.size(); ++i) {
            if (!isFieldValueChar(line[i]))
                return fail(400, u"invalid character in chunk extension"_s);
        }
    }
    m_offset = (lf + 1) - data;
    if (size == 0) {
        m_state = State::Trailers;
        m_scanned = 0;
        m_lineStart = 0;
        return Event::Body;
    }
    if (m_limits.maxBodyBytes >= 0 && m_bodySeen + size > m_limits.maxBodyBytes)
        return fail(413, u"body larger than %1 bytes"_s.arg(m_limits.maxBodyBytes));
    m_bodySeen += size;
    m_remaining = size;
    m_state = State::ChunkData;
    return Event::Body;
}

Parser::Event Parser::parseTrailers()
{
    const qsizetype end = findSectionEnd();
    if (end < 0) {
        if (m_buffer.size() - m_offset > m_limits.maxHeaderBytes)
            return fail(431, u"trailer section larger than %1 bytes"_s.arg(m_limits.maxHeaderBytes));
        if (m_eof)
            return fail(400, u"connection closed inside the trailer section"_s);
        return Event::NeedMore;
    }
    if (end - m_offset > m_limits.maxHeaderBytes)
        return fail(431, u"trailer section larger than %1 bytes"_s.arg(m_limits.maxHeaderBytes));
    const char *data = m_buffer.constData();
    const char *p = data + m_offset;
    const char *stop = data + end;
    int status = 400;
    QString message;
    int count = 0;
    while (p < stop) {
        const char *lf = findByte(p, stop, '\n');
        const QByteArrayView line(p, lf - p);
        p = lf + 1;
        if (p == stop)
            break;
        if (!parseFieldLine(line, m_trailers, count, status, message))
            return fail(status, message);
    }
    m_offset = end;
    return complete();
}

Parser::Event Parser::complete()
{
    bool upgrade = false;
    bool closeDelimited = m_state == State::BodyUntilClose;
    if (m_kind == Kind::Request) {
        upgrade = m_request.isUpgrade() || m_request.method == "CONNECT";
    } else {
        const int status = m_response.status;
        upgrade = status == 101 || (m_currentMethod == "CONNECT" && status >= 200 && status < 300);
        // An interim 1xx answer is followed by the final answer to the same request.
        if ((status >= 200 || status == 101) && !m_expectedMethods.isEmpty())
            m_expectedMethods.removeFirst();
    }
    if (upgrade) {
        m_state = State::Upgraded;
        m_upgraded = true;
    } else if (closeDelimited) {
        m_state = State::Done;
    } else {
        m_state = State::Head;
        // Only drop the buffer when all of it is consumed: moving pipelined bytes
        // forward here would copy them again for every message (feed() compacts).
        if (m_offset >= m_buffer.size()) {
            m_buffer.resize(0);
            m_offset = 0;
        }
    }
    return Event::Complete;
}

} // namespace gasper::http
