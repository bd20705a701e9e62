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
    // A commit to deploy instead of the branch's head: set by a rollback, kept for the
    // recoveries of that deploy, cleared by the next rebuild, update or push. Empty: the head.
    QString commit;
};

// How a deploy decides that the new container is healthy (the proxy switches only then).
// The defaults are the check every app had before there was a choice: any HTTP answer on /.
struct HealthCheck
{
    QString path;       // empty: "/" with any HTTP status counting as healthy
    int status = 0;     // 0: any status from 200 to 399 (with a path); otherwise exactly this one
    int timeoutSec = 0; // 0: the node's [apps] health_timeout_s

    bool isDefault() const { return path.isEmpty() && status == 0 && timeoutSec == 0; }
    QString effectivePath() const { return path.isEmpty() ? QStringLiteral("/") : path; }
    // Whether an answer with this status passes (a probe without a path takes any answer).
    bool accepts(int httpStatus) const
    {
        if (status != 0)
            return httpStatus == status;
        if (path.isEmpty())
            return httpStatus > 0;
        return httpStatus >= 200 && httpStatus < 400;
    }
    // "200", "200-399" or "any status": for messages.
    QString expectedText() const
    {
        if (status != 0)
            return QString::number(status);
        return path.isEmpty() ? QStringLiteral("any status") : QStringLiteral("200-399");
    }
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
    HealthCheck health;
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
