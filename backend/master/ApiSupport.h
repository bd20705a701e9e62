// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QDateTime>
#include <QJsonObject>

namespace gasper::master {

// The request body as a JSON object, or invalid-json / invalid-body.
Result<QJsonObject> parseJsonObject(const QByteArray &body);

QString isoTime(const QDateTime &time);

} // namespace gasper::master
