// SPDX-License-Identifier: MIT
#include "ApiClient.h"

#include "ConsoleLog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace gasper::console {

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
{
}

void ApiClient::setBase(const QUrl &base)
{
    m_base = base;
    // "http://host:3000/" and "http://host:3000" name the same master.
    QString path = m_base.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    m_base.setPath(path);
}

QUrl ApiClient::urlFor(const QString &path) const
{
    QUrl url = m_base;
    const qsizetype query = path.indexOf(u'?');
    url.setPath(m_base.path() + (query < 0 ? path : path.left(query)));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    return url;
}

QUrl ApiClient::webSocketUrl(const QString &path) const
{
    QUrl url = urlFor(path);
    url.setScheme(m_base.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

ApiResult ApiClient::resultOf(int status, const QByteArray &body, bool transportFailed, const QString &transportError)
{
    ApiResult result;
    result.status = status;
    result.body = body;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject())
        result.json = doc.object();
    else if (doc.isArray())
        result.json = doc.array();
    if (status == 0 || (transportFailed && status == 0)) {
        result.error = Error{QStringLiteral("unreachable"), transportError};
        return result;
    }
    if (status >= 400) {
        const QJsonObject error = doc.object().value(u"error").toObject();
        if (error.value(u"code").isString())
            result.error = Error{error.value(u"code").toString(), error.value(u"message").toString()};
        else
            result.error = Error{QStringLiteral("http-%1").arg(status), QString::fromUtf8(body.left(200))};
    }
    return result;
}

void ApiClient::send(const QString &method, const QString &path, const QJsonValue &body, QObject *context,
                     Callback done)
{
    QNetworkRequest request(urlFor(path));
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    QByteArray payload;
    if (body.isObject() || body.isArray()) {
        payload = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                  : QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    }
    QNetworkReply *reply = m_manager.sendCustomRequest(request, method.toLatin1(), payload);
    qCDebug(lcConsole) << method << request.url().path();
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, context, [reply, guard, done = std::move(done)] {
        reply->deleteLater();
        if (!guard)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool failed = reply->error() != QNetworkReply::NoError;
        done(resultOf(status, reply->readAll(), failed, reply->errorString()));
    });
    // A context that dies first takes the callback with it; the reply still finishes and
    // frees itself.
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

QNetworkReply *ApiClient::openStream(const QString &path)
{
    QNetworkRequest request(urlFor(path));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    return m_manager.get(request);
}

} // namespace gasper::console
