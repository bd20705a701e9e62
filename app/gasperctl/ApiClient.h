// SPDX-License-Identifier: MIT
#pragma once

#include "ApiRequest.h"

#include "core/Result.h"

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QUrl>

#include <functional>

namespace gasper::ctl {

struct ApiResponse
{
    int status = 0;
    QByteArray body;
};

// Sends ApiRequests to the master and maps every failure to a gasper::Error:
//  - an HTTP error answer becomes the API's own `{"error":{"code","message"}}` (or
//    `http-<status>` when the body is not that shape);
//  - no HTTP answer at all becomes code `unreachable` with a sentence naming the URL.
// Each call runs its own QEventLoop until the reply is finished: gasperctl is a CLI, one
// request at a time, so blocking the (only) thread is what we want. Needs a QCoreApplication.
// The token is sent only in the Authorization header and never appears in an Error.
class ApiClient final
{
public:
    ApiClient(QUrl base, QString token);
    Q_DISABLE_COPY_MOVE(ApiClient)

    // Whole answer; a 2xx status or an Error.
    Result<ApiResponse> send(const ApiRequest &request, int timeoutMs = 30000);

    // Hands the 2xx body to `sink` chunk by chunk as it arrives (logs -f); no timeout.
    // The returned ApiResponse has an empty body.
    Result<ApiResponse> stream(const ApiRequest &request, const std::function<void(const QByteArray &)> &sink);

    QUrl base() const { return m_base; }
    bool hasToken() const { return !m_token.isEmpty(); }
    // HTTP status of the last answer; 0 when there was none.
    int lastStatus() const { return m_lastStatus; }
    QUrl urlFor(const ApiRequest &request) const;

    // The Error for an HTTP error answer (status >= 400).
    static Error errorFromResponse(int status, const QByteArray &body);

private:
    Result<ApiResponse> run(const ApiRequest &request, int timeoutMs, const std::function<void(const QByteArray &)> *sink);

    QUrl m_base;
    QString m_token;
    int m_lastStatus = 0;
    QNetworkAccessManager m_manager;
};

} // namespace gasper::ctl
