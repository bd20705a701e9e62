// SPDX-License-Identifier: MIT
#pragma once

#include "core/AppModel.h"
#include "core/Config.h"
#include "core/Result.h"

#include <QJsonObject>

namespace gasper::store {
struct AppRecord;
struct DeployRecord;
struct User;
}

namespace gasper::master {

// Parsing and validation of app bodies, and the JSON views the API returns. Pure
// functions: everything a user can get wrong is answered here with a clear
// invalid-body / invalid-name / forbidden error before anything is created.
Result<AppSpec> parseCreateApp(const QJsonObject &body, const Config &config, bool callerIsAdmin);
// PATCH: the fields present change the stored ones: build, run, port replace; git, resources
// and env merge (env per RFC 7396: a null value removes a variable, "env": null clears all).
Result<AppSpec> applyAppPatch(const AppSpec &current, const QJsonObject &body, const Config &config,
                              bool callerIsAdmin);

QString appUrl(const QString &name, const Config &config);
QJsonObject appToJson(const store::AppRecord &app, const Config &config);
QJsonObject deployToJson(const store::DeployRecord &deploy);
QJsonObject userToJson(const store::User &user);

} // namespace gasper::master
