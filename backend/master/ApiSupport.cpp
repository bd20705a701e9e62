// SPDX-License-Identifier: MIT
#include "master/ApiSupport.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace gasper::master {

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
