// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace gasper {

// The life of an app (DESIGN.md, deploy pipeline). `Restarting` is shown while the
// container exited and is being brought back with back-off.
enum class AppState { Queued, Cloning, Building, Starting, Running, Restarting, Failed, Stopped };

QString toString(AppState state);
std::optional<AppState> appStateFromString(QStringView text);

struct GitSource
{
    QString url;
    QString branch;  // empty: the remote's default branch
    QString token;   // secret: never logged, never returned by the API
};

struct Resources
{
    int memoryMb = 0;  // 0: the config default
    double cpus = 0;   // 0: the config default
};

// What a user asked for: everything a worker needs to build and run the app.
struct AppSpec
{
    QString name;
    QString language;  // python, node, php, ruby, go, static
    GitSource git;
    QStringList build;
    QString run;
    int port = 8080;  // the port the app listens on inside its container ($PORT)
    QMap<QString, QString> env;
    // Keys of `env` whose values are write-only: in the container's environment, never in an
    // API answer, an event or a log line (deploy output shows them as ***).
    QSet<QString> secretEnv;
    Resources resources;
    // The owning user's id: stable for the user's life, the same on every node. The worker
    // puts the app on that user's own network (apps/TenantNetworks.h). 0: not known.
    qint64 ownerId = 0;
};

// Per-step timing of one deploy (`clone`, `create`, `start`, `build`, `health`, `route`).
struct DeployStep
{
    QString name;
    QString status;  // running, done, failed, skipped
    qint64 ms = 0;
};

} // namespace gasper
