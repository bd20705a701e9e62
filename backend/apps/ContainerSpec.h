// SPDX-License-Identifier: MIT
#pragma once

#include "apps/LogLines.h"
#include "apps/Procfile.h"
#include "core/AppModel.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QStringList>

namespace gasper::apps {

// Labels that let gasperd find its containers again after a restart.
inline constexpr auto kLabelManaged = "gasper.managed";
inline constexpr auto kLabelApp = "gasper.app";
inline constexpr auto kLabelDeploy = "gasper.deploy";
inline constexpr auto kLabelNode = "gasper.node";       // the node's name, for people
inline constexpr auto kLabelNodeId = "gasper.node-id";  // the node's identity (Config::nodeId)
inline constexpr auto kLabelOwner = "gasper.owner";  // the owning user's id (AppSpec::ownerId)

// Apps run as this user and group, never as root; the cloned source is owned by it (the
// clone chowns what it wrote). Above the range distributions give people (1000…), so an
// escape would not land as a host user.
inline constexpr int kAppUid = 10000;
inline constexpr int kAppGid = 10000;
// HOME of the app when its env does not set one: the root file system is read-only, /tmp
// is a fresh tmpfs (caches of pip, npm, go, gem land there; lost on restart by design).
inline constexpr auto kAppHome = "/tmp";

// The container starts while the source is still being cloned (the Gasper
// optimisation); its command waits until gasperd creates this file in a small
// host folder bind-mounted read-only at /run/gasper: after the clone, and after
// the build commands (run as execs) and the release command succeeded. Then it runs the
// shell script kRunFile, which gasperd wrote just before: the run command is only known
// after the clone when it comes from the repository's Procfile. Both files stay, so a
// container restarted later runs its app at once.
inline constexpr auto kControlMount = "/run/gasper";
inline constexpr auto kReadyFile = "ready";
inline constexpr auto kRunFile = "run";

struct ContainerOptions
{
    QString image;
    QString sourceDir;   // host path bind-mounted at /app
    QString controlDir;  // host path bind-mounted read-only at /run/gasper
    int memoryMb = 512;
    double cpus = 1.0;
    QString node;
    QString nodeId;
    int deployNumber = 0;
    bool init = true;  // --init, unless the engine has no init helper (EngineFeatures)
    // The owner's user-defined bridge (TenantNetworks): the container joins it only, with
    // the app's name as alias. Empty: Docker's default bridge (older callers only).
    QString network;
};

// Readable and unique: two gasperd (or a test suite next to a real one) may share
// an engine, and a deploy cut short never blocks the name of the next attempt.
QString containerName(const QString &app, int deployNumber, const QString &unique);
// The run command actually used: the user's, or the language default (static).
QString effectiveRunCommand(const AppSpec &spec);
// After the clone: the app's `run`, else the `web:` line of its Procfile, else the language
// default (static). Neither: `run-missing`, naming both (and whether a Procfile was there).
Result<QString> resolveRunCommand(const AppSpec &spec, const std::optional<Procfile> &procfile);
// Body of POST /containers/create: limits always set, source at /app, the app port
// published on 127.0.0.1 only, labels for re-adoption; unprivileged: user kAppUid, all
// capabilities dropped, no-new-privileges, read-only root with a tmpfs /tmp, never
// privileged; on the owner's network only.
QJsonObject containerConfig(const AppSpec &spec, const ContainerOptions &options);
// Secret env values as they may appear in output, longest first; values shorter than
// kMinMaskedSecret are left out (masking "1" would blank out ordinary output).
inline constexpr qsizetype kMinMaskedSecret = 4;
QStringList secretValues(const AppSpec &spec);
// What the worker masks in everything an app prints (deploy output, errors, app logs):
// the secret env values and the git token, longest first. The per-app set of a worker
// (LocalAppWorker's Slot::secrets) starts from this; secrets the worker learns later
// (database passwords) join it there. maskSecrets() (apps/LogLines.h) applies it.
QStringList secretsToMask(const AppSpec &spec);
// argv of the exec that runs one build command.
QStringList buildCommandArgv(const QString &command);
QStringList environment(const AppSpec &spec);
// The host port the engine published for containerPort, from GET /containers/{id}/json;
// 0 while there is none (the container is not running).
quint16 publishedHostPort(const QJsonObject &inspect, int containerPort);

} // namespace gasper::apps
