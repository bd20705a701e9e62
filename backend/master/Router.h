// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "http/HttpMessage.h"
#include "http/HttpServer.h"
#include "store/Store.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace gasper::store {
class AsyncStore;
}

namespace gasper::master {

class Router;

// Who may call a route. The router checks it before the handler runs.
enum class Access {
    Public,        // anyone
    Token,         // Authorization: Bearer <token>
    TokenOrQuery,  // the bearer header, or ?token=<token> (browsers cannot set headers on WebSockets)
    Admin,         // the bearer header of an admin; others get 403 forbidden
};

// A handler's successful answer. Failures are the Error of a Result: the router alone
// turns those into statuses and the {"error":{"code","message"}} body.
class Answer
{
public:
    static Answer json(int status, const QJsonObject &body);
    static Answer empty(int status = 204);
    static Answer text(QByteArray body, QByteArray contentType = QByteArrayLiteral("text/plain; charset=utf-8"));
    static Answer response(http::Response response);
    // The handler took the connection over (a chunked stream or a WebSocket) and answers
    // on it itself; `status` is what it sent, for the counters.
    static Answer takenOver(int status);

    int status() const { return m_response.status; }
    bool isTakenOver() const { return m_takenOver; }
    const http::Response &httpResponse() const { return m_response; }

private:
    http::Response m_response;
    bool m_takenOver = false;
};

using Reply = Result<Answer>;

// One API request between the router and its handler, shared by the handler's callbacks.
// finish() answers it, exactly once (later calls are ignored with a warning); a call
// whose client went away is finished harmlessly.
class Call
{
public:
    const QByteArray &method() const { return m_request.method; }
    QByteArray path() const { return m_request.path(); }
    const QByteArray &body() const { return m_request.body; }
    const http::Headers &headers() const { return m_request.headers; }
    const QUrlQuery &query() const { return m_query; }
    QString queryValue(const QString &key) const { return m_query.queryItemValue(key, QUrl::FullyDecoded); }
    // The route's {…} path segments, decoded, by name ("name") or position.
    QString param(const QString &name) const { return m_params.value(name); }
    const store::User &user() const { return m_user; }  // Access::Public: empty
    const QByteArray &token() const { return m_token; }  // the token the call authenticated with
    QHostAddress peer() const { return m_peer; }
    // The connection, for handlers that stream or upgrade; null once the client went away.
    http::HttpResponder *responder() const { return m_responder; }

    // Extra header fields for the answer, error or not (Retry-After, Location).
    void setHeader(QByteArray name, QByteArray value) { m_extraHeaders.set(std::move(name), std::move(value)); }
    void finish(Reply reply);
    void fail(Error error) { finish(std::unexpected(std::move(error))); }
    void fail(QString code, QString message) { fail(Error{std::move(code), std::move(message)}); }
    bool isFinished() const { return m_finished; }

private:
    friend class Router;
    QPointer<Router> m_router;
    QPointer<http::HttpResponder> m_responder;
    http::Request m_request;
    QUrlQuery m_query;
    QHash<QString, QString> m_params;
    store::User m_user;
    QByteArray m_token;
    QHostAddress m_peer;
    http::Headers m_extraHeaders;
    bool m_finished = false;
};

using CallPtr = std::shared_ptr<Call>;
// Answers through call->finish(), now or later.
using Handler = std::function<void(const CallPtr &call)>;

struct Route
{
    QByteArray method;
    QString pattern;            // "/api/v1/apps/{name}": each {x} matches one segment
    Access access = Access::Token;
    Handler handler;
    QStringList segments;       // pattern split; "{x}" kept as is
};

// The API's one router: each route's method, path pattern and access rule; token
// checks; the table from error codes (the HTTP parser's too) to statuses; and the
// error body. A handler never builds an error response: it finishes its Call with a
// Result. store-error messages carry SQL driver text: they are logged here and answered
// with a plain sentence.
class Router final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Router)
public:
    explicit Router(store::AsyncStore *store, QObject *parent = nullptr);

    // Adds a route. A handler member of `object` stops being called once object is gone
    // (the router answers 503 then).
    void add(QByteArray method, QString pattern, Access access, Handler handler);
    template<class T>
    void add(QByteArray method, QString pattern, Access access, T *object, void (T::*member)(const CallPtr &))
    {
        add(std::move(method), std::move(pattern), access, [guard = QPointer<T>(object), member](const CallPtr &call) {
            if (!guard)
                return call->fail(QStringLiteral("unavailable"), QStringLiteral("gasperd is shutting down"));
            (guard.data()->*member)(call);
        });
    }
    // A synchronous handler: its Reply is the answer.
    template<class T>
    void add(QByteArray method, QString pattern, Access access, T *object, Reply (T::*member)(const CallPtr &))
    {
        add(std::move(method), std::move(pattern), access, [guard = QPointer<T>(object), member](const CallPtr &call) {
            if (!guard)
                return call->fail(QStringLiteral("unavailable"), QStringLiteral("gasperd is shutting down"));
            call->finish((guard.data()->*member)(call));
        });
    }
    const QList<Route> &routes() const { return m_routes; }

    // The entry point (HttpServer's handler).
    void handle(const http::Request &request, http::HttpResponder *responder);

    // The error-code → status table, in one place.
    static int statusFor(const QString &code);
    // The error body {"error":{"code","message"}} with its status; store-error is logged
    // and its message replaced.
    static http::Response errorResponse(const Error &error);
    // For the HTTP server's own errors (malformed requests, bad upgrades), which know a
    // status only: the same body, with the code that status stands for.
    static http::Response protocolErrorResponse(int status, const QString &message);

    // Responses sent, by status (101 for WebSockets), for /metrics.
    const QHash<int, quint64> &responsesByStatus() const { return m_responsesByStatus; }

private:
    friend class Call;
    void answer(Call &call, Reply reply);
    void dispatch(const CallPtr &call, const Route &route);

    QPointer<store::AsyncStore> m_store;
    QList<Route> m_routes;
    QHash<int, quint64> m_responsesByStatus;
};

} // namespace gasper::master
