// SPDX-License-Identifier: MIT
// libFuzzer target for the HTTP/1.1 parser (both kinds). (Server WebSockets are Qt
// WebSockets'; the frame codec that was fuzzed here is gone.)
// Input: one selector byte, then the bytes to parse. The selector picks where the input
// is split into two feeds, which methods the responses answer and the limits, so the
// fuzzer explores incremental parsing too. Beyond "no crash, no hang" it checks
// invariants: errors are sticky, no more body than input, a parsed request serializes
// and parses back to the same request.
//
// Built by tests/fuzz (clang, -fsanitize=fuzzer) and, without libFuzzer, by the
// http_fuzz_smoke test in tests/http.

#include "http/HttpMessage.h"
#include "http/HttpParser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace gasper;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

struct Drained
{
    int messages = 0;
    qint64 bodyBytes = 0;
    bool error = false;
};

// Calls next() until NeedMore/Error. A parser that keeps returning events without
// consuming input would hang the proxy: the bound turns that into a crash.
void drain(http::Parser &parser, qsizetype inputSize, Drained &d, QList<http::Request> *requests = nullptr)
{
    const qint64 bound = 4 * qint64(inputSize) + 64;
    for (qint64 i = 0;; ++i) {
        check(i < bound);
        const auto event = parser.next();
        switch (event) {
        case http::Parser::Event::NeedMore:
            return;
        case http::Parser::Event::Error:
            d.error = true;
            check(parser.errorStatus() >= 400 && parser.errorStatus() < 600);
            check(parser.next() == http::Parser::Event::Error);
            return;
        case http::Parser::Event::Head:
            if (requests) {
                const http::Request &r = parser.request();
                (void)r.path();
                (void)r.query();
                (void)r.keepAlive();
                requests->append(r);
            } else {
                (void)parser.response().keepAlive();
            }
            break;
        case http::Parser::Event::Body: {
            const QByteArray body = parser.takeBody();
            check(!body.isEmpty());
            d.bodyBytes += body.size();
            check(d.bodyBytes <= inputSize);
            if (requests && !requests->isEmpty())
                requests->last().body += body;
            break;
        }
        case http::Parser::Event::Complete:
            ++d.messages;
            break;
        }
    }
}

// A request we parsed, serialized by our own serializer, must parse back the same.
void checkRoundTrip(const http::Request &original)
{
    http::Request expected = original;
    expected.headers.remove("content-length");
    expected.headers.remove("transfer-encoding");
    const QByteArray wire = http::serialize(original);
    http::Parser parser(http::Parser::Kind::Request, http::Limits{1 << 20, 1 << 10, -1});
    parser.feed(wire);
    check(parser.next() == http::Parser::Event::Head);
    http::Request again = parser.request();
    QByteArray body;
    for (int i = 0; i < 4; ++i) {
        const auto e = parser.next();
        if (e == http::Parser::Event::Body) {
            body += parser.takeBody();
            continue;
        }
        check(e == http::Parser::Event::Complete);
        break;
    }
    check(again.method == expected.method);
    check(again.target == expected.target);
    check(again.versionMinor == expected.versionMinor);
    check(body == expected.body);
    again.headers.remove("content-length");
    check(again.headers.entries() == expected.headers.entries());
}

void fuzzHttp(http::Parser::Kind kind, QByteArrayView input, quint8 selector)
{
    const http::Limits limits{selector & 0x10 ? 256 : 8192, selector & 0x20 ? 4 : 64, selector & 0x40 ? 16 : 1 << 20};
    http::Parser parser(kind, limits);
    if (kind == http::Parser::Kind::Response) {
        static const char *const methods[] = {"GET", "HEAD", "CONNECT", "POST"};
        for (int i = 0; i < 4; ++i)
            parser.expectResponseTo(methods[(selector >> (2 * i)) & 3]);
    }
    const qsizetype split = input.isEmpty() ? 0 : (qsizetype(selector) * 131) % (input.size() + 1);
    Drained d;
    QList<http::Request> requests;
    QList<http::Request> *collect = kind == http::Parser::Kind::Request ? &requests : nullptr;
    parser.feed(input.first(split));
    drain(parser, input.size(), d, collect);
    parser.feed(input.sliced(split));
    drain(parser, input.size(), d, collect);
    const bool upgraded = parser.upgraded();
    parser.feedEof();
    drain(parser, input.size(), d, collect);
    if (upgraded)
        check(parser.takeRemaining().size() <= input.size());
    (void)parser.inMessage();
    // Round-trip the completed requests (the last one may be partial).
    for (qsizetype i = 0; i < requests.size() && i < d.messages; ++i)
        checkRoundTrip(requests.at(i));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > (1 << 20))
        return 0;
    const quint8 selector = data[0];
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    fuzzHttp(http::Parser::Kind::Request, input, selector);
    fuzzHttp(http::Parser::Kind::Response, input, selector);
    return 0;
}
