// SPDX-License-Identifier: MIT
#include "master/Router.h"

#include "core/Log.h"
#include "http/HttpServer.h"
#include "master/Credentials.h"
#include "store/AsyncStore.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

QStringList splitPath(QByteArrayView path)
{
    QStringList segments;
    for (const QByteArray &part : path.toByteArray().split('/')) {
        if (!part.isEmpty())
            segments << QString::fromUtf8(QByteArray::fromPercentEncoding(part));
    }
    return segments;
}

bool isParam(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

QByteArray bearerToken(const http::Request &request, const QUrlQuery &query, bool allowQuery)
{
    const QByteArray header = request.headers.value("Authorization");
    if (header.size() > 7 && header.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return header.mid(7).trimmed();
    if (allowQuery && query.hasQueryItem(u"token"_s))
        return query.queryItemValue(u"token"_s, QUrl::FullyDecoded).toUtf8();
    return {};
}

struct CodeStatus
{
    const char16_t *code;
    int status;
    bool protocol;  // a code the HTTP server itself answers with (it knows the status only)
};

// Every error code the API answers with, and its status. Codes not listed: docker-*
// is 502 (the engine answered badly), anything else 500.
constexpr CodeStatus kStatuses[] = {
    // the HTTP server's own (malformed requests, limits)
    {u"bad-request", 400, true},
    {u"request-timeout", 408, true},
    {u"body-too-large", 413, true},
    {u"uri-too-long", 414, true},
    {u"expectation-failed", 417, true},
    {u"headers-too-large", 431, true},
    {u"not-implemented", 501, true},
    {u"http-version-not-supported", 505, true},
    {u"too-many-connections", 503, true},
    // the API's
    {u"invalid-json", 400, false},
    {u"invalid-body", 400, false},
    {u"invalid-name", 400, false},
    {u"invalid-query", 400, false},
    {u"unauthorized", 401, false},
    {u"invalid-credentials", 401, false},
    {u"forbidden", 403, false},
    {u"quota-exceeded", 403, false},
    {u"not-found", 404, true},
    {u"route-not-found", 404, false},
    {u"method-not-allowed", 405, false},
    {u"name-taken", 409, false},
    {u"username-taken", 409, false},
    {u"email-taken", 409, false},
    {u"invalid-key", 400, false},
    {u"key-taken", 409, false},
    {u"key-name-taken", 409, false},
    {u"not-deployed", 409, false},
    {u"no-commit", 409, false},
    {u"too-many-attempts", 429, false},
    // push to deploy (HooksApi)
    {u"hook-unknown-sender", 400, false},
    {u"hook-signature-missing", 401, false},
    {u"hook-signature-invalid", 403, false},
    {u"internal-error", 500, true},
    {u"store-error", 500, false},
    {u"busy", 503, false},
    {u"unavailable", 503, false},
    {u"docker-unavailable", 503, false},
    {u"docker-timeout", 504, false},
};

} // namespace

// ---- Answer --------------------------------------------------------------------------

Answer Answer::json(int status, const QJsonObject &body)
{
    Answer a;
    a.m_response.status = status;
    a.m_response.headers.set("Content-Type", "application/json");
    a.m_response.headers.set("Cache-Control", "no-store");
    a.m_response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    a.m_response.body.append('\n');
    return a;
}

Answer Answer::empty(int status)
{
    Answer a;
    a.m_response.status = status;
    return a;
}

Answer Answer::text(QByteArray body, QByteArray contentType)
{
    Answer a;
    a.m_response.headers.set("Content-Type", std::move(contentType));
    a.m_response.body = std::move(body);
    return a;
}

Answer Answer::response(http::Response response)
{
    Answer a;
    a.m_response = std::move(response);
    return a;
}

Answer Answer::takenOver(int status)
{
    Answer a;
    a.m_response.status = status;
    a.m_takenOver = true;
    return a;
}

// ---- Call ----------------------------------------------------------------------------

void Call::finish(Reply reply)
{
    if (m_finished) {
        qCWarning(lcMaster).noquote() << "a handler answered" << m_request.method << m_request.path() << "twice";
        return;
    }
    m_finished = true;
    if (m_router)
        m_router->answer(*this, std::move(reply));
}

// ---- Router --------------------------------------------------------------------------

Router::Router(store::AsyncStore *store, QObject *parent) : QObject(parent), m_store(store) {}

void Router::add(QByteArray method, QString pattern, Access access, Handler handler)
{
    Route route{std::move(method), std::move(pattern), access, std::move(handler), {}};
    route.segments = route.pattern.split(u'/', Qt::SkipEmptyParts);
    for (const Route &r : std::as_const(m_routes))
        Q_ASSERT_X(!(r.method == route.method && r.pattern == route.pattern), "Router::add", "route added twice");
    m_routes.append(std::move(route));
}

int Router::statusFor(const QString &code)
{
    for (const CodeStatus &entry : kStatuses) {
        if (code == QStringView(entry.code))
            return entry.status;
    }
    if (code.startsWith(u"docker-"))
        return 502;
    return 500;
}

http::Response Router::errorResponse(const Error &error)
{
    QString message = error.message;
    if (error.code == u"store-error") {
        // SQL driver text can name tables, constraints and values: it stays in the log.
        qCWarning(lcStore).noquote() << "store failure behind an API answer:" << error.message;
        message = u"the store could not complete the request; the details are in gasperd's log"_s;
    }
    const QJsonObject body{{u"error"_s, QJsonObject{{u"code"_s, error.code}, {u"message"_s, message}}}};
    return Answer::json(statusFor(error.code), body).httpResponse();
}

http::Response Router::protocolErrorResponse(int status, const QString &message)
{
    QString code = status >= 500 ? u"internal-error"_s : u"bad-request"_s;
    for (const CodeStatus &entry : kStatuses) {
        if (entry.protocol && entry.status == status) {
            code = QString::fromUtf16(entry.code);
            break;
        }
    }
    http::Response response = errorResponse(Error{code, message});
    response.status = status;  // a status the table does not list keeps its own
    return response;
}

void Router::handle(const http::Request &request, http::HttpResponder *responder)
{
    auto call = std::make_shared<Call>();
    call->m_router = this;
    call->m_responder = responder;
    call->m_request = request;
    call->m_peer = responder ? responder->peerAddress() : QHostAddress();
    call->m_query = QUrlQuery(QString::fromUtf8(request.query()));
    const QStringList segments = splitPath(request.path());

    const Route *match = nullptr;
    bool pathMatched = false;
    for (const Route &route : std::as_const(m_routes)) {
        if (route.segments.size() != segments.size())
            continue;
        QHash<QString, QString> params;
        bool ok = true;
        for (qsizetype i = 0; i < segments.size() && ok; ++i) {
            if (isParam(route.segments[i]))
                params.insert(route.segments[i].mid(1, route.segments[i].size() - 2), segments[i]);
            else
                ok = route.segments[i] == segments[i];
        }
        if (!ok)
            continue;
        pathMatched = true;
        if (route.method == request.method || (route.method == "GET" && request.method == "HEAD")) {
            match = &route;
            call->m_params = std::move(params);
            break;
        }
    }
    if (!match && !pathMatched && m_fallback) {
        if (std::optional<http::Response> page = m_fallback(request))
            return call->finish(Answer::response(std::move(*page)));
    }
    if (!match) {
        if (pathMatched)
            return call->fail(u"method-not-allowed"_s,
                              u"%1 is not allowed here"_s.arg(QString::fromLatin1(request.method)));
        return call->fail(u"route-not-found"_s, u"no API route %1"_s.arg(QString::fromUtf8(request.path())));
    }
    if (match->access == Access::Public)
        return match->handler(call);

    const QByteArray token = bearerToken(request, call->m_query, match->access == Access::TokenOrQuery);
    if (token.isEmpty())
        return call->fail(u"unauthorized"_s, u"log in first: send Authorization: Bearer <token>"_s);
    if (!m_store)
        return call->fail(u"unavailable"_s, u"gasperd is shutting down"_s);
    call->m_token = token;
    const QByteArray hash = tokenHash(QString::fromUtf8(token));
    const Handler handler = match->handler;
    const Access access = match->access;
    m_store->run([hash](store::Store &s) { return s.userByToken(hash, QDateTime::currentDateTimeUtc()); })
        .then(this, [call, handler, access](const Result<store::User> &user) {
            if (!user) {
                if (user.error().code == u"unauthorized")
                    return call->fail(u"unauthorized"_s, u"the token is unknown or expired: log in again"_s);
                return call->fail(user.error());
            }
            if (access == Access::Admin && !user->admin)
                return call->fail(u"forbidden"_s, u"only admins may do this"_s);
            call->m_user = *user;
            handler(call);
        });
}

void Router::answer(Call &call, Reply reply)
{
    http::Response response = reply ? reply->httpResponse() : errorResponse(reply.error());
    m_responsesByStatus[response.status] += 1;
    if (reply && reply->isTakenOver())
        return;
    for (const auto &[name, value] : call.m_extraHeaders.entries())
        response.headers.set(name, value);
    if (call.m_responder)
        call.m_responder->respond(std::move(response));
}

} // namespace gasper::master
