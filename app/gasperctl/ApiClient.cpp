// SPDX-License-Identifier: MIT
#include "ApiClient.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

namespace {

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host == u"localhost" || host.endsWith(u".localhost"_s))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString displayUrl(const QUrl &url)
{
    // No user info: a URL typed as http://user:secret@host must not echo its secret.
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash).toString();
}

} // namespace

ApiClient::ApiClient(QUrl base, QString token)
    : m_base(std::move(base))
    , m_token(std::move(token))
{
    // An http_proxy in the environment must not swallow requests meant for the local daemon.
    if (isLoopback(m_base))
        m_manager.setProxy(QNetworkProxy::NoProxy);
    m_manager.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
}

QUrl ApiClient::urlFor(const ApiRequest &request) const
{
    QString base = m_base.toString(QUrl::FullyEncoded);
    while (base.endsWith(u'/'))
        base.chop(1);
    return QUrl(base + request.path, QUrl::StrictMode);
}

Error ApiClient::errorFromResponse(int status, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject error = doc.object().value(u"error"_s).toObject();
    const QString code = error.value(u"code"_s).toString();
    const QString message = error.value(u"message"_s).toString();
    if (parseError.error == QJsonParseError::NoError && !code.isEmpty())
        return Error{code, message.isEmpty() ? code : message};
    QString fallback;
    switch (status) {
    case 401: fallback = u"not logged in or the token expired — run `gasperctl login <username>`"_s; break;
    case 403: fallback = u"not allowed"_s; break;
    case 404: fallback = u"not found"_s; break;
    default: fallback = u"the API answered HTTP %1"_s.arg(status); break;
    }
    return Error{u"http-%1"_s.arg(status), fallback};
}

Result<ApiResponse> ApiClient::send(const ApiRequest &request, int timeoutMs)
{
    return run(request, timeoutMs, nullptr);
}

Result<ApiResponse> ApiClient::stream(const ApiRequest &request, const std::function<void(const QByteArray &)> &sink)
{
    return run(request, 0, &sink);
}

Result<ApiResponse> ApiClient::run(const ApiRequest &request, int timeoutMs,
                                   const std::function<void(const QByteArray &)> *sink)
{
    const QUrl url = urlFor(request);
    if (!url.isValid())
        return fail(u"usage"_s, u"not a valid URL: %1"_s.arg(displayUrl(url)));
    QNetworkRequest nr(url);
    nr.setRawHeader("Accept", request.streaming ? "text/plain, application/json" : "application/json");
    nr.setRawHeader("User-Agent", "gasperctl/" GASPER_VERSION);
    if (request.authenticated && !m_token.isEmpty())
        nr.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    nr.setTransferTimeout(timeoutMs);
    QByteArray payload;
    if (request.body) {
        payload = QJsonDocument(*request.body).toJson(QJsonDocument::Compact);
        nr.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    }

    QNetworkReply *reply = m_manager.sendCustomRequest(nr, request.method, payload);
    ApiResponse response;
    QByteArray errorBody;
    QEventLoop loop;
    auto httpStatus = [reply] { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); };
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        const int status = httpStatus();
        if (sink && status >= 200 && status < 300)
            (*sink)(reply->readAll());
        else if (status >= 300)
            errorBody += reply->read(1 << 20);  // enough for any error object; the rest is dropped
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);

    const int status = httpStatus();
    m_lastStatus = status;
    const QNetworkReply::NetworkError netError = reply->error();
    const QString netErrorText = reply->errorString();
    if (status >= 200 && status < 300) {
        if (sink)
            (*sink)(reply->readAll());
        else
            response.body = reply->readAll();
    } else if (status > 0) {
        errorBody += reply->readAll();
    }
    reply->deleteLater();

    if (status >= 200 && status < 300) {
        // A follow stream cut by the server or the network still lost the end of the output.
        if (netError != QNetworkReply::NoError && netError != QNetworkReply::OperationCanceledError)
            return fail(u"unreachable"_s, u"the connection to %1 broke: %2"_s.arg(displayUrl(m_base), netErrorText));
        response.status = status;
        return response;
    }
    if (status > 0)
        return std::unexpected(errorFromResponse(status, errorBody));

    switch (netError) {
    case QNetworkReply::OperationCanceledError:  // transferTimeout
    case QNetworkReply::TimeoutError:
        return fail(u"unreachable"_s, u"the Gasper API at %1 did not answer within %2 s"_s.arg(displayUrl(m_base)).arg(timeoutMs / 1000));
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
        return fail(u"unreachable"_s, u"cannot reach the Gasper API at %1 — is gasperd running?"_s.arg(displayUrl(m_base)));
    default:
        return fail(u"unreachable"_s, u"talking to the Gasper API at %1 failed: %2"_s.arg(displayUrl(m_base), netErrorText));
    }
}

} // namespace gasper::ctl
