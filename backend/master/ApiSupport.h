// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "http/HttpMessage.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace gasper::master {

// The one place where domain errors become HTTP answers.
int httpStatusFor(const QString &code);
http::Response errorResponse(const Error &error);
http::Response errorResponse(const QString &code, const QString &message);
http::Response jsonResponse(int status, const QJsonObject &body);
http::Response emptyResponse(int status);

// The request body as a JSON object, or invalid-json / invalid-body.
Result<QJsonObject> parseJsonObject(const QByteArray &body);

QString isoTime(const QDateTime &time);

} // namespace gasper::master
