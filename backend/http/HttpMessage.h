// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace gasper::http {

// Header fields in arrival order; names compared case-insensitively.
class Headers
{
public:
    void add(QByteArray name, QByteArray value);
    void set(QByteArray name, QByteArray value);  // replaces every field of that name
    void remove(QByteArrayView name);
    bool has(QByteArrayView name) const;
    QByteArray value(QByteArrayView name) const;  // first field of that name, or empty
    QList<QByteArray> values(QByteArrayView name) const;
    // True when a comma-separated field (Connection, Upgrade, Transfer-Encoding) holds the token.
    bool hasToken(QByteArrayView name, QByteArrayView token) const;
    const QList<std::pair<QByteArray, QByteArray>> &entries() const { return m_entries; }
    qsizetype size() const { return m_entries.size(); }
    void clear() { m_entries.clear(); }
    void reserve(qsizetype n) { m_entries.reserve(n); }

private:
    QList<std::pair<QByteArray, QByteArray>> m_entries;
};

struct Request
{
    QByteArray method;  // "GET"
    QByteArray target;  // as sent: "/api/v1/apps?tail=10"
    int versionMinor = 1;
    Headers headers;
    QByteArray body;  // filled only by callers that collect the body

    QByteArray path() const;   // target up to '?', not decoded
    QByteArray query() const;  // after '?', not decoded
    bool keepAlive() const;    // HTTP/1.1 unless "Connection: close"; 1.0 only with keep-alive
    bool isUpgrade() const;    // "Connection: upgrade" and an Upgrade field
};

struct Response
{
    int status = 200;
    QByteArray reason;  // empty: the standard phrase
    int versionMinor = 1;
    Headers headers;
    QByteArray body;

    bool keepAlive() const;
};

QByteArray reasonPhrase(int status);

// Request line / status line and fields, ending with the blank line. The caller sets
// Content-Length or Transfer-Encoding itself.
QByteArray serializeHead(const Request &request);
QByteArray serializeHead(const Response &response);
// Whole message with Content-Length set from body (replacing any framing fields).
QByteArray serialize(const Request &request);
QByteArray serialize(const Response &response);

// Chunked transfer coding (RFC 9112 §7.1).
QByteArray encodeChunk(QByteArrayView data);  // empty input gives empty output, never the last chunk
QByteArray lastChunk();                       // "0\r\n\r\n"

} // namespace gasper::http
