// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace gasper::ctl {

// Human-readable renderings of the API's JSON answers. Pure functions (the current time
// is a parameter) so the exact text is testable; every server-sent string is made printable.

// "41ms", "1.52s", "2m03s"
QString formatDuration(qint64 ms);
// "12s ago", "5m ago", "3h ago", "2d ago"; "-" for an invalid time.
QString formatAge(const QDateTime &then, const QDateTime &now);
// An ISO 8601 time from the API as local "yyyy-MM-dd HH:mm:ss"; the text itself if unparsable.
QString formatTime(const QString &iso);

// `gasperctl apps`: NAME STATE LANGUAGE URL UPDATED
QString formatAppsTable(const QJsonArray &apps, const QDateTime &now);
// `gasperctl get`: "key: value" lines, keys aligned, multi-valued keys on continuation lines.
QString formatApp(const QJsonObject &app);
// An app's health object: "GET /healthz -> 200 within 30 s", or "any answer on /".
QString formatHealth(const QJsonObject &health);
// `gasperctl deploys`: # STATUS TRIGGER COMMIT STARTED TOTAL STEPS, then a line per deploy error.
QString formatDeploysTable(const QJsonArray &deploys);
// `gasperctl whoami` / register / login
QString formatUser(const QJsonObject &user);
// `gasperctl hooks`: URL, secret (or a hint when hidden), branch, polling, recent deliveries.
QString formatHook(const QJsonObject &hook, bool showSecret);

} // namespace gasper::ctl
