// SPDX-License-Identifier: MIT
#include "master/ApiSupport.h"

#include <QHash>
#include <QJsonParseError>

namespace gasper::master {

int httpStatusFor(const QString &code)
{
    static const QHash<QString, int> statuses{
        {QStringLiteral("invalid-json"), 400},       {QStringLiteral("invalid-body"), 400},
        {QStringLiteral("invalid-name"), 400},       {QStringLiteral("invalid-query"), 400},
        {QStringLiteral("unauthorized"), 401},       {QStringLiteral("invalid-credentials"), 401},
        {QStringLiteral("forbidden"), 403},          {QStringLiteral("quota-exceeded"), 403},
        {QStringLiteral("not-found"), 404},          {QStringLiteral("route-not-found"), 404},
        {QStringLiteral("method-not-allowed"), 405}, {QStringLiteral("name-taken"), 409},
        {QStringLiteral("username-taken"), 409},     {QStringLiteral("email-taken"), 409},
        {QStringLiteral("not-deployed"), 409},       {QStringLiteral("too-many-attempts"), 429},
        {QStringLiteral("docker-unavailable"), 503}, {QStringLiteral("docker-timeout"), 504},
        {QStringLiteral("store-error"), 500},
    };
    if (const auto it = statuses.constFind(code); it != statuses.cend())
        return *it;
    if (code.startsWith(u"docker-"))
        return 502;
    return 500;
}

http::Response jsonResponse(int status, const QJsonObject &body)
{
    http::Response response;
    response.status = status;
    response.headers.set("Content-Type", "application/json");
    response.headers.set("Cache-Control", "no-store");
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    response.body.append('\n');
    return response;
}

http::Response errorResponse(const QString &code, const QString &message)
{
    return jsonResponse(httpStatusFor(code),
                        QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), code},
                                                                          {QStringLiteral("message"), message}}}});
}

http::Response errorResponse(const Error &error)
{
    return errorResponse(error.code, error.message);
}

http::Response emptyResponse(int status)
{
    http::Response response;
    response.status = status;
    return response;
}

Result<QJsonObject> parseJsonObject(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return fail(QStringLiteral("invalid-body"), QStringLiteral("a JSON object body is required"));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(QStringLiteral("invalid-json"),
                    QStringLiteral("the body is not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return fail(QStringLiteral("invalid-body"), QStringLiteral("the body must be a JSON object"));
    return doc.object();
}

QString isoTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace gasper::master
