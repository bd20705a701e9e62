// SPDX-License-Identifier: MIT
#include "core/Config.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include <sstream>

namespace gasper {

QString Endpoint::toString() const
{
    return host.contains(u':') ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                               : QStringLiteral("%1:%2").arg(host).arg(port);
}

Result<Endpoint> Endpoint::parse(const QString &text)
{
    const int colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return fail(QStringLiteral("invalid-config"), QStringLiteral("'%1' is not ADDR:PORT").arg(text));
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535 || host.isEmpty())
        return fail(QStringLiteral("invalid-config"), QStringLiteral("'%1' is not ADDR:PORT").arg(text));
    return Endpoint{host, quint16(port)};
}

QStringList Config::languages()
{
    return {QStringLiteral("python"), QStringLiteral("node"), QStringLiteral("php"),
            QStringLiteral("ruby"), QStringLiteral("go"), QStringLiteral("static")};
}

namespace {

QString str(const toml::node_view<const toml::node> &node, const QString &fallback)
{
    if (auto v = node.value<std::string>())
        return QString::fromStdString(*v);
    return fallback;
}

Result<void> endpoint(const toml::node_view<const toml::node> &node, Endpoint &out, const char *key)
{
    if (!node)
        return {};
    auto v = node.value<std::string>();
    if (!v)
        return fail(QStringLiteral("invalid-config"), QStringLiteral("%1 must be a string \"ADDR:PORT\"").arg(QLatin1StringView(key)));
    auto parsed = Endpoint::parse(QString::fromStdString(*v));
    if (!parsed)
        return std::unexpected(parsed.error());
    out = *parsed;
    return {};
}

template<class T>
Result<void> number(const toml::node_view<const toml::node> &node, T &out, T min, T max, const char *key)
{
    if (!node)
        return {};
    std::optional<double> v = node.value<double>();
    if (!v || *v < double(min) || *v > double(max))
        return fail(QStringLiteral("invalid-config"),
                    QStringLiteral("%1 must be a number in [%2, %3]").arg(QLatin1StringView(key)).arg(min).arg(max));
    out = T(*v);
    return {};
}

} // namespace

Result<Config> Config::fromToml(const QString &text, const QString &origin)
{
    toml::table root;
    try {
        root = toml::parse(text.toStdString(), origin.toStdString());
    } catch (const toml::parse_error &e) {
        std::ostringstream where;
        where << e.source().begin;
        return fail(QStringLiteral("invalid-config"),
                    QStringLiteral("%1: %2").arg(QString::fromStdString(where.str()),
                                                 QString::fromUtf8(e.description().data(), qsizetype(e.description().size()))));
    }
    Config c;
    const toml::node_view<const toml::node> r{static_cast<const toml::node &>(root)};
    c.dataDir = str(r["data_dir"], {});
    if (auto services = r["services"].as_array()) {
        c.services.clear();
        for (const auto &s : *services) {
            if (auto v = s.value<std::string>())
                c.services << QString::fromStdString(*v);
        }
    }
    for (auto res : {endpoint(r["api"]["listen"], c.api, "api.listen"),
                     endpoint(r["proxy"]["listen"], c.proxy, "proxy.listen"),
                     endpoint(r["dns"]["listen"], c.dns, "dns.listen"),
                     endpoint(r["ssh"]["listen"], c.ssh, "ssh.listen"),
                     number(r["apps"]["default_memory_mb"], c.defaultMemoryMb, 16, 1 << 20, "apps.default_memory_mb"),
                     number(r["apps"]["max_memory_mb"], c.maxMemoryMb, 16, 1 << 20, "apps.max_memory_mb"),
                     number(r["apps"]["default_cpus"], c.defaultCpus, 0.01, 1024.0, "apps.default_cpus"),
                     number(r["apps"]["max_cpus"], c.maxCpus, 0.01, 1024.0, "apps.max_cpus"),
                     number(r["apps"]["default_port"], c.defaultAppPort, 1, 65535, "apps.default_port"),
                     number(r["apps"]["health_timeout_s"], c.healthTimeoutSec, 1, 3600, "apps.health_timeout_s"),
                     number(r["apps"]["build_timeout_s"], c.buildTimeoutSec, 1, 86400, "apps.build_timeout_s"),
                     number(r["apps"]["max_per_user"], c.maxAppsPerUser, 0, 100000, "apps.max_per_user"),
                     number(r["auth"]["token_ttl_hours"], c.tokenTtlHours, 1, 24 * 3650, "auth.token_ttl_hours")}) {
        if (!res)
            return std::unexpected(res.error());
    }
    c.storeUrl = str(r["store"]["url"], {});
    c.dockerSocket = str(r["docker"]["socket"], {});
    c.domain = str(r["proxy"]["domain"], c.domain);
    c.dnsZone = str(r["dns"]["zone"], c.dnsZone);
    c.nodeName = str(r["node"]["name"], c.nodeName);
    if (auto images = r["apps"]["images"].as_table()) {
        for (const auto &[key, value] : *images) {
            auto v = value.value<std::string>();
            if (!v)
                return fail(QStringLiteral("invalid-config"), QStringLiteral("apps.images values must be strings"));
            c.images.insert(QString::fromStdString(std::string(key.str())), QString::fromStdString(*v));
        }
    }
    if (auto routes = r["proxy"]["routes"].as_array()) {
        for (const auto &route : *routes) {
            auto t = route.as_table();
            if (!t)
                return fail(QStringLiteral("invalid-config"), QStringLiteral("proxy.routes entries must be tables"));
            StaticRoute sr{QString::fromStdString((*t)["host"].value_or(std::string())),
                           QString::fromStdString((*t)["upstream"].value_or(std::string()))};
            if (sr.host.isEmpty() || !Endpoint::parse(sr.upstream))
                return fail(QStringLiteral("invalid-config"),
                            QStringLiteral("proxy.routes entries need host and upstream \"ADDR:PORT\""));
            c.staticRoutes << sr;
        }
    }
    return c;
}

Result<Config> Config::load(const QString &path)
{
    if (path.isEmpty())
        return Config{};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("invalid-config"), QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return fromToml(QString::fromUtf8(file.readAll()), path);
}

void Config::applyDefaults()
{
    if (dataDir.isEmpty())
        dataDir = QDir::homePath() + QStringLiteral("/.local/share/gasper");
    dataDir = QDir(dataDir).absolutePath();
    if (storeUrl.isEmpty())
        storeUrl = QStringLiteral("sqlite://") + dataDir + QStringLiteral("/gasper.db");
    if (dockerSocket.isEmpty()) {
        const QString host = qEnvironmentVariable("DOCKER_HOST");
        dockerSocket = host.startsWith(QStringLiteral("unix://")) ? host.mid(7) : QStringLiteral("/var/run/docker.sock");
    }
    for (const QString &lang : languages()) {
        if (!images.contains(lang))
            images.insert(lang, QStringLiteral("gasper/") + lang);
    }
}

QString Config::imageFor(const QString &language) const
{
    return images.value(language, QStringLiteral("gasper/") + language);
}

QString Config::sourcesDir() const
{
    return dataDir + QStringLiteral("/sources");
}

} // namespace gasper
