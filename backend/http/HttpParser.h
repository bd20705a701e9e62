// SPDX-License-Identifier: MIT
#pragma once

#include "http/HttpMessage.h"

#include <QByteArray>
#include <QString>

namespace gasper::http {

struct Limits
{
    qsizetype maxHeaderBytes = 64 * 1024;  // request/status line plus all fields
    int maxHeaderCount = 128;
    qint64 maxBodyBytes = 16 * 1024 * 1024;  // -1: unlimited (streams: logs, proxied bodies)
};

// Incremental HTTP/1.1 parser for one direction of one connection (requests on a
// server, responses on a client). Push bytes with feed(), then call next() until it
// returns NeedMore: each message yields Head, zero or more Body, then Complete;
// pipelined messages follow one another. Body chunks are already de-chunked.
// Once Error is returned the parser stays in error; errorStatus() says what a
// server should answer (400, 413, 431, 501, 505).
//
// Framing follows RFC 9112 §6: chunked Transfer-Encoding wins over Content-Length in
// responses; a request carrying both, differing or malformed Content-Length values,
// chunked that is not the final coding, or Transfer-Encoding in HTTP/1.0 is a 400; any
// other request coding is a 501. Responses to HEAD, 1xx, 204 and 304 end with their
// head; a response with neither field runs until feedEof(). Lines end with CRLF or a
// bare LF; a bare CR, obsolete line folding, whitespace before the colon or an
// HTTP/1.1 request without exactly one Host is a 400. Leading empty lines are skipped.
// A CONNECT request, like an upgrade request, stops the parser after its Complete.
// Input is scanned with memchr and never copied per byte; the work per byte fed is
// constant, however the input is split.
class Parser
{
public:
    enum class Kind { Request, Response };
    enum class Event { NeedMore, Head, Body, Complete, Error };

    explicit Parser(Kind kind, Limits limits = {});

    void feed(QByteArrayView data);
    Event next();

    // Valid after Head until the next Head.
    const Request &request() const { return m_request; }
    const Response &response() const { return m_response; }
    Request &request() { return m_request; }
    Response &response() { return m_response; }

    QByteArray takeBody();  // after Body: the bytes of this event
    // Trailer fields of a chunked message; valid after its Complete until the next Head.
    const Headers &trailers() const { return m_trailers; }

    // Response parsing: the method of the request this response answers (HEAD and
    // CONNECT change the framing). Call before the response's bytes are parsed;
    // for pipelined requests, call once per request in order.
    void expectResponseTo(QByteArrayView method);
    // The peer closed the connection: completes a response framed by close, or errors.
    void feedEof();

    // After a Complete for a message that switches protocols (a request with
    // isUpgrade(), a 101 response, a 2xx answer to CONNECT), the parser stops;
    // the bytes that follow belong to the new protocol.
    bool upgraded() const { return m_upgraded; }
    QByteArray takeRemaining();

    // True while a message is partly parsed (head or body started, not complete).
    bool inMessage() const;

    QString errorMessage() const { return m_errorMessage; }
    int errorStatus() const { return m_errorStatus; }

private:
    // implementation detail; see HttpParser.cpp
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, BodyUntilClose, Done, Upgraded, Failed };
    Event fail(int status, QString message);
    Event parseHead();
    Event parseTrailers();
    Event parseChunkSize();
    Event deliverBody(qint64 max);
    Event complete();
    Event setupRequestFraming();
    Event setupResponseFraming();
    qsizetype findSectionEnd();
    bool parseFieldLine(QByteArrayView line, Headers &into, int &count, int &status, QString &message) const;
    bool parseRequestLine(QByteArrayView line, int &status, QString &message);
    bool parseStatusLine(QByteArrayView line, int &status, QString &message);
    void compact();

    Kind m_kind;
    Limits m_limits;
    State m_state = State::Head;
    QByteArray m_buffer;
    qsizetype m_offset = 0;       // first unconsumed byte of m_buffer
    qsizetype m_scanned = 0;      // bytes after m_offset already searched for the end of a field section
    qsizetype m_lineStart = 0;    // start of the current line in that search, relative to m_offset
    Request m_request;
    Response m_response;
    Headers m_trailers;
    QByteArray m_body;
    qint64 m_remaining = 0;
    qint64 m_bodySeen = 0;
    QList<QByteArray> m_expectedMethods;
    QByteArray m_currentMethod;
    bool m_eof = false;
    bool m_upgraded = false;
    QString m_errorMessage;
    int m_errorStatus = 0;
};

} // namespace gasper::http
