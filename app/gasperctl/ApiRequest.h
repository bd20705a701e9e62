// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gasper::ctl {

// One call of the master's REST API, as plain data so that the command line can be turned
// into requests (and tested) without a server. `path` is already percent-encoded and may
// carry a query ("/api/v1/apps/x/logs?tail=10").
struct ApiRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QString path;
    std::optional<QJsonObject> body;
    bool authenticated = true;  // sends `Authorization: Bearer <token>`
    bool streaming = false;     // body is delivered as it arrives, no transfer timeout

    friend bool operator==(const ApiRequest &, const ApiRequest &) = default;
};

// "/api/v1/apps/<name>" with the name percent-encoded, so a name like "../users" stays
// one path segment whatever the user typed.
QString appPath(const QString &name, const QString &suffix = {});

} // namespace gasper::ctl
