// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <functional>

class QNetworkReply;

namespace gasper::console {

// One answer of the API: a 2xx with its JSON (or raw) body, or an Error. The error is the
// API's own `{"error":{"code","message"}}` for an HTTP error answer, `http-<status>` when
// the body has another shape, and `unreachable` when no HTTP answer came at all.
struct ApiResult
{
    int status = 0;  // 0: no HTTP answer
    QJsonValue json;
    QByteArray body;
    std::optional<Error> error;

    bool ok() const { return !error.has_value(); }
    QString errorCode() const { return error ? error->code : QString(); }
    QString errorMessage() const { return error ? error->message : QString(); }
};

// The master's REST API, asynchronous: every call returns at once and hands its ApiResult
// to `done` exactly once, on the GUI thread, from the event loop — never after `context`
// is destroyed. The token goes only into the Authorization header and is never logged.
// This is the console's own client; gasperctl's ApiClient is a blocking one for a CLI.
class ApiClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiClient)

public:
    using Callback = std::function<void(const ApiResult &)>;

    explicit ApiClient(QObject *parent = nullptr);

    void setBase(const QUrl &base);
    QUrl base() const { return m_base; }
    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // body undefined: no body. A JSON object or array is sent as application/json.
    void send(const QString &method, const QString &path, const QJsonValue &body, QObject *context,
              Callback done);
    void get(const QString &path, QObject *context, Callback done) { send(QStringLiteral("GET"), path, {}, context, std::move(done)); }

    // A streaming GET (logs?follow=1): the caller reads the reply as it comes and owns it.
    QNetworkReply *openStream(const QString &path);

    // ws:// or wss:// URL for a WebSocket path on this master.
    QUrl webSocketUrl(const QString &path) const;
    QUrl urlFor(const QString &path) const;

    static ApiResult resultOf(int status, const QByteArray &body, bool transportFailed, const QString &transportError);

private:
    QNetworkAccessManager m_manager;
    QUrl m_base;
    QString m_token;
    int m_timeoutMs = 30000;
};

} // namespace gasper::console
