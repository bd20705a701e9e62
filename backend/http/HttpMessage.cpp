// SPDX-License-Identifier: MIT
#include "http/HttpMessage.h"

#include "http/HttpUtil_p.h"

namespace gasper::http {

using detail::equalsIgnoreCase;
using detail::trimOws;

void Headers::add(QByteArray name, QByteArray value)
{
    m_entries.append({std::move(name), std::move(value)});
}

void Headers::set(QByteArray name, QByteArray value)
{
    // Keep the first field's position so a replaced field stays where it was.
    qsizetype at = -1;
    for (qsizetype i = 0; i < m_entries.size();) {
        if (equalsIgnoreCase(m_entries.at(i).first, name)) {
            if (at < 0) {
                at = i;
                ++i;
            } else {
                m_entries.removeAt(i);
            }
        } else {
            ++i;
        }
    }
    if (at >= 0)
        m_entries[at] = {std::move(name), std::move(value)};
    else
        m_entries.append({std::move(name), std::move(value)});
}

void Headers::remove(QByteArrayView name)
{
    m_entries.removeIf([name](const auto &entry) { return equalsIgnoreCase(entry.first, name); });
}

bool Headers::has(QByteArrayView name) const
{
    for (const auto &entry : m_entries) {
        if (equalsIgnoreCase(entry.first, name))
            return true;
    }
    return false;
}

QByteArray Headers::value(QByteArrayView name) const
{
    for (const auto &entry : m_entries) {
        if (equalsIgnoreCase(entry.first, name))
            return entry.second;
    }
    return {};
}

QList<QByteArray> Headers::values(QByteArrayView name) const
{
    QList<QByteArray> result;
    for (const auto &entry : m_entries) {
        if (equalsIgnoreCase(entry.first, name))
            result.append(entry.second);
    }
    return result;
}

bool Headers::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const auto &entry : m_entries) {
        if (!equalsIgnoreCase(entry.first, name))
            continue;
        bool found = false;
        detail::forEachListElement(entry.second, [&](QByteArrayView element) {
            if (equalsIgnoreCase(element, token))
                found = true;
        });
        if (found)
            return true;
    }
    return false;
}

QByteArray Request::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

QByteArray Request::query() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArray() : target.mid(q + 1);
}

bool Request::keepAlive() const
{
    if (headers.hasToken("connection", "close"))
        return false;
    return versionMinor >= 1 || headers.hasToken("connection", "keep-alive");
}

bool Request::isUpgrade() const
{
    return headers.hasToken("connection", "upgrade") && headers.has("upgrade");
}

bool Response::keepAlive() const
{
    if (headers.hasToken("connection", "close"))
        return false;
    return versionMinor >= 1 || headers.hasToken("connection", "keep-alive");
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return QByteArrayLiteral("Continue");
    case 101: return QByteArrayLiteral("Switching Protocols");
    case 103: return QByteArrayLiteral("Early Hints");
    case 200: return QByteArrayLiteral("OK");
    case 201: return QByteArrayLiteral("Created");
    case 202: return QByteArrayLiteral("Accepted");
    case 203: return QByteArrayLiteral("Non-Authoritative Information");
    case 204: return QByteArrayLiteral("No Content");
    case 205: return QByteArrayLiteral("Reset Content");
    case 206: return QByteArrayLiteral("Partial Content");
    case 301: return QByteArrayLiteral("Moved Permanently");
    case 302: return QByteArrayLiteral("Found");
    case 303: return QByteArrayLiteral("See Other");
    case 304: return QByteArrayLiteral("Not Modified");
    case 307: return QByteArrayLiteral("Temporary Redirect");
    case 308: return QByteArrayLiteral("Permanent Redirect");
    case 400: return QByteArrayLiteral("Bad Request");
    case 401: return QByteArrayLiteral("Unauthorized");
    case 403: return QByteArrayLiteral("Forbidden");
    case 404: return QByteArrayLiteral("Not Found");
    case 405: return QByteArrayLiteral("Method Not Allowed");
    case 406: return QByteArrayLiteral("Not Acceptable");
    case 408: return QByteArrayLiteral("Request Timeout");
    case 409: return QByteArrayLiteral("Conflict");
    case 410: return QByteArrayLiteral("Gone");
    case 411: return QByteArrayLiteral("Length Required");
    case 412: return QByteArrayLiteral("Precondition Failed");
    case 413: return QByteArrayLiteral("Content Too Large");
    case 414: return QByteArrayLiteral("URI Too Long");
    case 415: return QByteArrayLiteral("Unsupported Media Type");
    case 416: return QByteArrayLiteral("Range Not Satisfiable");
    case 417: return QByteArrayLiteral("Expectation Failed");
    case 421: return QByteArrayLiteral("Misdirected Request");
    case 422: return QByteArrayLiteral("Unprocessable Content");
    case 426: return QByteArrayLiteral("Upgrade Required");
    case 428: return QByteArrayLiteral("Precondition Required");
    case 429: return QByteArrayLiteral("Too Many Requests");
    case 431: return QByteArrayLiteral("Request Header Fields Too Large");
    case 500: return QByteArrayLiteral("Internal Server Error");
    case 501: return QByteArrayLiteral("Not Implemented");
    case 502: return QByteArrayLiteral("Bad Gateway");
    case 503: return QByteArrayLiteral("Service Unavailable");
    case 504: return QByteArrayLiteral("Gateway Timeout");
    case 505: return QByteArrayLiteral("HTTP Version Not Supported");
    default: break;
    }
    return QByteArrayLiteral("Unknown");
}

namespace {

void appendFields(QByteArray &out, const Headers &headers)
{
    for (const auto &[name, value] : headers.entries()) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
}

qsizetype fieldsSize(const Headers &headers)
{
    qsizetype size = 2;
    for (const auto &[name, value] : headers.entries())
        size += name.size() + value.size() + 4;
    return size;
}

// Methods whose requests carry content by convention; others get no Content-Length
// when their body is empty (RFC 9110 §8.6: a user agent SHOULD NOT send one).
bool methodExpectsContent(QByteArrayView method)
{
    return method == "POST" || method == "PUT" || method == "PATCH";
}

} // namespace

QByteArray serializeHead(const Request &request)
{
    QByteArray out;
    out.reserve(request.method.size() + request.target.size() + 12 + fieldsSize(request.headers));
    out += request.method;
    out += ' ';
    out += request.target;
    out += request.versionMinor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n";
    appendFields(out, request.headers);
    out += "\r\n";
    return out;
}

QByteArray serializeHead(const Response &response)
{
    QByteArray out;
    const QByteArray reason = response.reason.isEmpty() ? reasonPhrase(response.status) : response.reason;
    out.reserve(reason.size() + 16 + fieldsSize(response.headers));
    out += response.versionMinor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += QByteArray::number(response.status);
    out += ' ';
    out += reason;
    out += "\r\n";
    appendFields(out, response.headers);
    out += "\r\n";
    return out;
}

QByteArray serialize(const Request &request)
{
    Request copy = request;
    copy.headers.remove("transfer-encoding");
    copy.headers.remove("content-length");
    if (!copy.body.isEmpty() || methodExpectsContent(copy.method))
        copy.headers.add(QByteArrayLiteral("Content-Length"), QByteArray::number(copy.body.size()));
    QByteArray out = serializeHead(copy);
    out += copy.body;
    return out;
}

QByteArray serialize(const Response &response)
{
    Response copy = response;
    copy.headers.remove("transfer-encoding");
    copy.headers.remove("content-length");
    // 1xx and 204 never carry Content-Length (RFC 9110 §8.6); a 304's would describe the
    // representation, not this message, so it is only kept when the caller gives a body.
    const bool noContent = (copy.status >= 100 && copy.status < 200) || copy.status == 204;
    if (noContent)
        copy.body.clear();
    else if (copy.status != 304 || !copy.body.isEmpty())
        copy.headers.add(QByteArrayLiteral("Content-Length"), QByteArray::number(copy.body.size()));
    QByteArray out = serializeHead(copy);
    if (copy.status != 304)
        out += copy.body;
    return out;
}

QByteArray encodeChunk(QByteArrayView data)
{
    if (data.isEmpty())
        return {};
    QByteArray out;
    out.reserve(data.size() + 20);
    out += QByteArray::number(data.size(), 16);
    out += "\r\n";
    out += data;
    out += "\r\n";
    return out;
}

QByteArray lastChunk()
{
    return QByteArrayLiteral("0\r\n\r\n");
}

} // namespace gasper::http
