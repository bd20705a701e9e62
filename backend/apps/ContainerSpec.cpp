// SPDX-License-Identifier: MIT
#include "apps/ContainerSpec.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace gasper::apps {

QString containerName(const QString &app, int deployNumber, const QString &unique)
{
    return QStringLiteral("gasper-%1-%2-%3").arg(app).arg(deployNumber).arg(unique);
}

QString effectiveRunCommand(const AppSpec &spec)
{
    if (!spec.run.trimmed().isEmpty())
        return spec.run;
    if (spec.language == u"static")
        return QStringLiteral("busybox httpd -f -p \"$PORT\" -h /app");
    return {};
}

Result<QString> resolveRunCommand(const AppSpec &spec, const std::optional<Procfile> &procfile)
{
    if (!spec.run.trimmed().isEmpty())
        return spec.run;
    if (procfile) {
        if (auto web = procfile->command(QStringLiteral("web")))
            return *web;
    }
    if (QString fallback = effectiveRunCommand(spec); !fallback.isEmpty())
        return fallback;
    if (procfile)
        return fail(QStringLiteral("run-missing"),
                    QStringLiteral("the app has no run command and its Procfile has no `web:` line: set run, or add "
                                   "`web: <command>` to the Procfile"));
    return fail(QStringLiteral("run-missing"),
                QStringLiteral("the app has no run command and the repository has no Procfile: set run, or add a "
                               "Procfile with a `web: <command>` line"));
}

QStringList environment(const AppSpec &spec)
{
    QStringList env;
    for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it)
        env << it.key() + u'=' + it.value();
    if (!spec.env.contains(QStringLiteral("HOME")))
        env << QStringLiteral("HOME=") + QLatin1StringView(kAppHome);
    env << QStringLiteral("PORT=%1").arg(spec.port) << QStringLiteral("GASPER_APP=") + spec.name;
    return env;
}

quint16 publishedHostPort(const QJsonObject &inspect, int containerPort)
{
    const QJsonArray bindings = inspect.value(u"NetworkSettings").toObject().value(u"Ports").toObject()
                                    .value(QStringLiteral("%1/tcp").arg(containerPort)).toArray();
    for (const QJsonValue &b : bindings) {
        if (const uint port = b.toObject().value(u"HostPort").toString().toUInt(); port > 0 && port <= 65535)
            return quint16(port);
    }
    return 0;
}

QStringList secretValues(const AppSpec &spec)
{
    QStringList values;
    for (const QString &key : spec.secretEnv) {
        const QString value = spec.env.value(key);
        if (value.size() >= kMinMaskedSecret)
            values << value;
    }
    // A secret that contains another is masked whole.
    std::sort(values.begin(), values.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    return values;
}

QStringList secretsToMask(const AppSpec &spec)
{
    QStringList values = secretValues(spec);
    if (spec.git.token.size() >= kMinMaskedSecret && !values.contains(spec.git.token))
        values << spec.git.token;
    std::sort(values.begin(), values.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    return values;
}

QStringList buildCommandArgv(const QString &command)
{
    return {QStringLiteral("/bin/sh"), QStringLiteral("-c"), command};
}

QJsonObject containerConfig(const AppSpec &spec, const ContainerOptions &options)
{
    const QString port = QStringLiteral("%1/tcp").arg(spec.port);
    const QString script = QStringLiteral("until [ -e %1/%2 ]; do sleep 0.01; done; . %1/%3")
                               .arg(QLatin1StringView(kControlMount), QLatin1StringView(kReadyFile),
                                    QLatin1StringView(kRunFile));
    const QJsonObject labels{
        {QLatin1StringView(kLabelManaged), QStringLiteral("1")},
        {QLatin1StringView(kLabelApp), spec.name},
        {QLatin1StringView(kLabelDeploy), QString::number(options.deployNumber)},
        {QLatin1StringView(kLabelNode), options.node},
        {QLatin1StringView(kLabelNodeId), options.nodeId},
        {QLatin1StringView(kLabelOwner), QString::number(spec.ownerId)},
    };
    const QString network = options.network.isEmpty() ? QStringLiteral("bridge") : options.network;
    const qint64 memory = qint64(options.memoryMb) * 1024 * 1024;
    const QJsonObject hostConfig{
        {QStringLiteral("Binds"),
         QJsonArray{QString(options.sourceDir + QStringLiteral(":/app")),
                    QString(options.controlDir + u':' + QLatin1StringView(kControlMount) + QStringLiteral(":ro"))}},
        {QStringLiteral("PortBindings"),
         QJsonObject{{port, QJsonArray{QJsonObject{{QStringLiteral("HostIp"), QStringLiteral("127.0.0.1")},
                                                   {QStringLiteral("HostPort"), QString()}}}}}},
        {QStringLiteral("Memory"), memory},
        {QStringLiteral("MemorySwap"), memory},
        {QStringLiteral("NanoCpus"), qint64(std::llround(options.cpus * 1e9))},
        {QStringLiteral("PidsLimit"), 1024},
        {QStringLiteral("Privileged"), false},
        // No runtime of the six needs a capability: ports above 1023, no chown or setuid at
        // run time (the engine sets ip_unprivileged_port_start=0 in the container anyway).
        {QStringLiteral("CapDrop"), QJsonArray{QStringLiteral("ALL")}},
        {QStringLiteral("SecurityOpt"), QJsonArray{QStringLiteral("no-new-privileges")}},
        {QStringLiteral("ReadonlyRootfs"), true},
        {QStringLiteral("Tmpfs"), QJsonObject{{QStringLiteral("/tmp"), QStringLiteral("rw,nosuid,nodev,mode=1777")}}},
        {QStringLiteral("Init"), options.init},
        {QStringLiteral("NetworkMode"), network},
        {QStringLiteral("RestartPolicy"), QJsonObject{{QStringLiteral("Name"), QStringLiteral("unless-stopped")}}},
        {QStringLiteral("LogConfig"),
         QJsonObject{{QStringLiteral("Type"), QStringLiteral("json-file")},
                     {QStringLiteral("Config"), QJsonObject{{QStringLiteral("max-size"), QStringLiteral("10m")},
                                                            {QStringLiteral("max-file"), QStringLiteral("3")}}}}},
    };
    QJsonObject config{
        {QStringLiteral("Image"), options.image},
        {QStringLiteral("User"), QStringLiteral("%1:%2").arg(kAppUid).arg(kAppGid)},
        {QStringLiteral("Cmd"), QJsonArray{QStringLiteral("/bin/sh"), QStringLiteral("-c"), script}},
        {QStringLiteral("Env"), QJsonArray::fromStringList(environment(spec))},
        {QStringLiteral("WorkingDir"), QStringLiteral("/app")},
        {QStringLiteral("ExposedPorts"), QJsonObject{{port, QJsonObject{}}}},
        {QStringLiteral("Labels"), labels},
        {QStringLiteral("HostConfig"), hostConfig},
    };
    if (!options.network.isEmpty()) {
        // The same user's apps reach each other by name (Docker's embedded DNS).
        config.insert(QStringLiteral("NetworkingConfig"),
                      QJsonObject{{QStringLiteral("EndpointsConfig"),
                                   QJsonObject{{network, QJsonObject{{QStringLiteral("Aliases"), QJsonArray{spec.name}}}}}}});
    }
    return config;
}

} // namespace gasper::apps
