// SPDX-License-Identifier: MIT
#include "core/Config.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include <algorithm>
#include <sstream>
#include <type_traits>

namespace gasper {

QString Endpoint::toString() const
{
    return host.contains(u':') ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                               : QStringLiteral("%1:%2").arg(host).arg(port);
}

Result<Endpoint> Endpoint::parse(const QString &text)
{
    const auto invalid = [&text] {
        return fail(QStringLiteral("invalid-config"),
                    QStringLiteral("'%1' is not ADDR:PORT (IPv6 as [ADDR]:PORT)").arg(text));
    };
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return invalid();
    QString host = text.left(colon);
    if (host.startsWith(u'[') || host.endsWith(u']')) {
        if (!host.startsWith(u'[') || !host.endsWith(u']') || host.size() < 3)
            return invalid();
        host = host.mid(1, host.size() - 2);
    } else if (host.contains(u':')) {
        // "::1:80" is ambiguous (is 80 part of the address?): IPv6 needs brackets.
        return invalid();
    }
    // QString::toUInt() accepts a sign and surrounding blanks; a port is digits only.
    const QString portText = text.mid(colon + 1);
    if (portText.isEmpty() || portText.size() > 5
        || !std::all_of(portText.begin(), portText.end(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return invalid();
    const uint port = portText.toUInt();
    if (port > 65535 || host.isEmpty()
        || std::any_of(host.begin(), host.end(), [](QChar c) { return c.isSpace() || c == u'/' || c == u'[' || c == u']'; }))
        return invalid();
    return Endpoint{host, quint16(port)};
}

QStringList Config::languages()
{
    return {QStringLiteral("python"), QStringLiteral("node"), QStringLiteral("php"),
            QStringLiteral("ruby"), QStringLiteral("go"), QStringLiteral("static")};
}

namespace {

using NodeView = toml::node_view<const toml::node>;

Error invalid(const QString &message)
{
    return Error{QStringLiteral("invalid-config"), message};
}

// A key given with the wrong type is an error, not silently the default: a typo'd
// `data_dir = 5` must not make gasperd write into ~/.local/share behind the user's back.
Result<void> string(const NodeView &node, QString &out, const char *key)
{
    if (!node)
        return {};
    auto v = node.value<std::string>();
    if (!v || !node.is_string())
        return std::unexpected(invalid(QStringLiteral("%1 must be a string").arg(QLatin1StringView(key))));
    out = QString::fromStdString(*v);
    return {};
}

Result<void> endpoint(const NodeView &node, Endpoint &out, const char *key)
{
    if (!node)
        return {};
    auto v = node.value<std::string>();
    if (!v || !node.is_string())
        return std::unexpected(invalid(QStringLiteral("%1 must be a string \"ADDR:PORT\"").arg(QLatin1StringView(key))));
    auto parsed = Endpoint::parse(QString::fromStdString(*v));
    if (!parsed)
        return std::unexpected(invalid(QLatin1StringView(key) + QStringLiteral(": ") + parsed.error().message));
    out = *parsed;
    return {};
}

template<class T>
Result<void> number(const NodeView &node, T &out, T min, T max, const char *key)
{
    if (!node)
        return {};
    // Integer settings must be TOML integers: 512.5 MB would otherwise be truncated silently.
    const bool typeOk = std::is_integral_v<T> ? node.is_integer() : (node.is_integer() || node.is_floating_point());
    std::optional<double> v = node.value<double>();
    if (!typeOk || !v || !(*v >= double(min) && *v <= double(max)))
        return std::unexpected(invalid(QStringLiteral("%1 must be %2 in [%3, %4]")
                                           .arg(QLatin1StringView(key),
                                                std::is_integral_v<T> ? QStringLiteral("an integer") : QStringLiteral("a number"))
                                           .arg(min)
                                           .arg(max)));
    out = T(*v);
    return {};
}

// "start:rate:full" as in sshd_config's MaxStartups (a bare "N" is N:100:N).
Result<void> startups(const NodeView &node, SshSettings &out)
{
    QString text;
    if (auto ok = string(node, text, "ssh.max_startups"); !ok || text.isEmpty())
        return ok;
    QList<int> values;
    for (const QString &part : text.split(u':')) {
        bool ok = false;
        const int v = part.toInt(&ok);
        values << (ok && v >= 0 && v <= 100000 ? v : -1);
    }
    if (values.contains(-1))
        values.clear();
    if (values.size() == 1 && values[0] >= 1)
        values = {values[0], 100, values[0]};
    if (values.size() != 3 || values[0] < 1 || values[1] > 100 || values[2] < values[0])
        return std::unexpected(invalid(QStringLiteral("ssh.max_startups must be \"start:rate:full\" (e.g. \"10:30:100\"), "
                                                      "1 <= start <= full, rate 0 … 100")));
    out.startupsBegin = values[0];
    out.startupsRate = values[1];
    out.startupsFull = values[2];
    return {};
}

// The services a gasperd can run (DESIGN.md, "Services"); a misspelt one is an error.
const QStringList &knownServices()
{
    static const QStringList services{QStringLiteral("master"), QStringLiteral("apps"), QStringLiteral("databases"),
                                      QStringLiteral("proxy"), QStringLiteral("dns"), QStringLiteral("ssh")};
    return services;
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
        const QString prefix = origin.isEmpty() ? QString() : origin + QStringLiteral(": ");
        return fail(QStringLiteral("invalid-config"),
                    QStringLiteral("%1%2: %3").arg(prefix, QString::fromStdString(where.str()),
                                                   QString::fromUtf8(e.description().data(), qsizetype(e.description().size()))));
    }
    Config c;
    const NodeView r{static_cast<const toml::node &>(root)};
    if (auto services = r["services"]) {
        auto array = services.as_array();
        if (!array)
            return fail(QStringLiteral("invalid-config"), QStringLiteral("services must be an array of strings"));
        c.services.clear();
        for (const auto &s : *array) {
            auto v = s.value<std::string>();
            if (!v || !s.is_string())
                return fail(QStringLiteral("invalid-config"), QStringLiteral("services must be an array of strings"));
            const QString name = QString::fromStdString(*v);
            if (!knownServices().contains(name))
                return fail(QStringLiteral("invalid-config"),
                            QStringLiteral("services: unknown service '%1' (known: %2)").arg(name, knownServices().join(u", ")));
            if (!c.services.contains(name))
                c.services << name;
        }
    }
    for (auto res : {string(r["data_dir"], c.dataDir, "data_dir"),
                     endpoint(r["api"]["listen"], c.api, "api.listen"),
                     endpoint(r["proxy"]["listen"], c.proxy, "proxy.listen"),
                     endpoint(r["dns"]["listen"], c.dns, "dns.listen"),
                     endpoint(r["ssh"]["listen"], c.ssh, "ssh.listen"),
                     string(r["store"]["url"], c.storeUrl, "store.url"),
                     string(r["docker"]["socket"], c.dockerSocket, "docker.socket"),
                     string(r["proxy"]["domain"], c.domain, "proxy.domain"),
                     string(r["api"]["public_url"], c.publicUrl, "api.public_url"),
                     number(r["apps"]["hook_poll_min_s"], c.hookPollMinSec, 1, 86400, "apps.hook_poll_min_s"),
                     string(r["dns"]["zone"], c.dnsZone, "dns.zone"),
                     string(r["node"]["name"], c.nodeName, "node.name"),
                     number(r["apps"]["default_memory_mb"], c.defaultMemoryMb, 16, 1 << 20, "apps.default_memory_mb"),
                     number(r["apps"]["max_memory_mb"], c.maxMemoryMb, 16, 1 << 20, "apps.max_memory_mb"),
                     number(r["apps"]["default_cpus"], c.defaultCpus, 0.01, 1024.0, "apps.default_cpus"),
                     number(r["apps"]["max_cpus"], c.maxCpus, 0.01, 1024.0, "apps.max_cpus"),
                     number(r["apps"]["default_port"], c.defaultAppPort, 1, 65535, "apps.default_port"),
                     number(r["apps"]["health_timeout_s"], c.healthTimeoutSec, 1, 3600, "apps.health_timeout_s"),
                     number(r["apps"]["build_timeout_s"], c.buildTimeoutSec, 1, 86400, "apps.build_timeout_s"),
                     number(r["apps"]["max_per_user"], c.maxAppsPerUser, 0, 100000, "apps.max_per_user"),
                     number(r["apps"]["metrics_interval_s"], c.metricsIntervalSec, 0, 60, "apps.metrics_interval_s"),
                     number(r["auth"]["token_ttl_hours"], c.tokenTtlHours, 1, 24 * 3650, "auth.token_ttl_hours"),
                     number(r["logs"]["deploy_log_lines"], c.logs.deployLogLines, 10, 1000000, "logs.deploy_log_lines"),
                     number(r["logs"]["deploy_log_kb"], c.logs.deployLogKb, 1, 1 << 20, "logs.deploy_log_kb"),
                     number(r["logs"]["deploy_logs_kept"], c.logs.deployLogsKept, 1, 100000, "logs.deploy_logs_kept"),
                     number(r["logs"]["app_log_kb"], c.logs.appLogKb, 0, 1 << 20, "logs.app_log_kb"),
                     number(r["logs"]["app_logs_kept"], c.logs.appLogsKept, 0, 100000, "logs.app_logs_kept"),
                     number(r["logs"]["flush_interval_ms"], c.logs.flushIntervalMs, 10, 1000, "logs.flush_interval_ms"),
                     number(r["ssh"]["login_grace_s"], c.sshSettings.loginGraceSec, 1, 600, "ssh.login_grace_s"),
                     number(r["ssh"]["max_auth_tries"], c.sshSettings.maxAuthTries, 1, 100, "ssh.max_auth_tries"),
                     number(r["ssh"]["max_per_source"], c.sshSettings.maxPerSource, 1, 100000, "ssh.max_per_source"),
                     number(r["ssh"]["max_sessions"], c.sshSettings.maxSessions, 1, 100000, "ssh.max_sessions"),
                     number(r["ssh"]["idle_timeout_s"], c.sshSettings.idleTimeoutSec, 0, 7 * 86400, "ssh.idle_timeout_s"),
                     number(r["ssh"]["max_failed_logins"], c.sshSettings.maxFailedLogins, 1, 100000, "ssh.max_failed_logins"),
                     number(r["ssh"]["failed_login_window_s"], c.sshSettings.failedLoginWindowSec, 1, 86400,
                            "ssh.failed_login_window_s"),
                     startups(r["ssh"]["max_startups"], c.sshSettings),
                     number(r["api"]["max_connections"], c.apiLimits.maxConnections, 1, 1 << 20, "api.max_connections"),
                     number(r["api"]["max_connections_per_source"], c.apiLimits.maxPerSource, 1, 1 << 20,
                            "api.max_connections_per_source"),
                     number(r["api"]["request_head_timeout_s"], c.apiLimits.headTimeoutSec, 1, 3600,
                            "api.request_head_timeout_s"),
                     number(r["api"]["idle_timeout_s"], c.apiLimits.idleTimeoutSec, 1, 86400, "api.idle_timeout_s"),
                     number(r["api"]["send_timeout_s"], c.apiLimits.sendTimeoutSec, 1, 86400, "api.send_timeout_s"),
                     number(r["api"]["max_queued_kb"], c.apiLimits.maxQueuedKb, 64, 1 << 20, "api.max_queued_kb"),
                     number(r["api"]["websocket_ping_s"], c.webSocketPingSec, 0, 3600, "api.websocket_ping_s"),
                     number(r["api"]["websocket_max_message_kb"], c.webSocketMaxMessageKb, 1, 1 << 20,
                            "api.websocket_max_message_kb"),
                     number(r["proxy"]["max_connections"], c.proxyLimits.maxConnections, 1, 1 << 20,
                            "proxy.max_connections"),
                     number(r["proxy"]["max_connections_per_source"], c.proxyLimits.maxPerSource, 1, 1 << 20,
                            "proxy.max_connections_per_source"),
                     number(r["proxy"]["request_head_timeout_s"], c.proxyLimits.headTimeoutSec, 1, 3600,
                            "proxy.request_head_timeout_s"),
                     number(r["proxy"]["idle_timeout_s"], c.proxyLimits.idleTimeoutSec, 1, 86400, "proxy.idle_timeout_s"),
                     number(r["proxy"]["send_timeout_s"], c.proxyLimits.sendTimeoutSec, 1, 86400, "proxy.send_timeout_s"),
                     number(r["proxy"]["upstream_connect_timeout_s"], c.upstreamConnectTimeoutSec, 1, 3600,
                            "proxy.upstream_connect_timeout_s"),
                     number(r["proxy"]["upstream_response_timeout_s"], c.upstreamResponseTimeoutSec, 1, 86400,
                            "proxy.upstream_response_timeout_s")}) {
        if (!res)
            return std::unexpected(res.error());
    }
    c.nodeNameSet = bool(r["node"]["name"]);
    if (c.domain.isEmpty() || c.dnsZone.isEmpty() || c.nodeName.isEmpty())
        return fail(QStringLiteral("invalid-config"), QStringLiteral("proxy.domain, dns.zone and node.name may not be empty"));
    if (c.defaultMemoryMb > c.maxMemoryMb)
        return fail(QStringLiteral("invalid-config"),
                    QStringLiteral("apps.default_memory_mb (%1) is above apps.max_memory_mb (%2)").arg(c.defaultMemoryMb).arg(c.maxMemoryMb));
    if (c.defaultCpus > c.maxCpus)
        return fail(QStringLiteral("invalid-config"),
                    QStringLiteral("apps.default_cpus (%1) is above apps.max_cpus (%2)").arg(c.defaultCpus).arg(c.maxCpus));
    if (auto imagesNode = r["apps"]["images"]) {
        auto images = imagesNode.as_table();
        if (!images)
            return fail(QStringLiteral("invalid-config"), QStringLiteral("apps.images must be a table of language = \"image\""));
        for (const auto &[key, value] : *images) {
            auto v = value.value<std::string>();
            if (!v || !value.is_string() || v->empty())
                return fail(QStringLiteral("invalid-config"), QStringLiteral("apps.images values must be non-empty strings"));
            c.images.insert(QString::fromStdString(std::string(key.str())), QString::fromStdString(*v));
        }
    }
    if (auto trusted = r["proxy"]["trusted_proxies"]) {
        // Parsed as addresses by the proxy (gasper_core has no Qt Network): here, strings.
        auto array = trusted.as_array();
        if (!array)
            return fail(QStringLiteral("invalid-config"), QStringLiteral("proxy.trusted_proxies must be an array of strings"));
        for (const auto &entry : *array) {
            auto v = entry.value<std::string>();
            if (!v || !entry.is_string() || v->empty())
                return fail(QStringLiteral("invalid-config"),
                            QStringLiteral("proxy.trusted_proxies must be an array of addresses or subnets (\"10.0.0.0/8\")"));
            c.trustedProxies << QString::fromStdString(*v);
        }
    }
    if (auto routesNode = r["proxy"]["routes"]) {
        auto routes = routesNode.as_array();
        if (!routes)
            return fail(QStringLiteral("invalid-config"), QStringLiteral("proxy.routes must be an array of tables ([[proxy.routes]])"));
        for (const auto &route : *routes) {
            auto t = route.as_table();
            if (!t)
                return fail(QStringLiteral("invalid-config"), QStringLiteral("proxy.routes entries must be tables"));
            StaticRoute sr{QString::fromStdString((*t)["host"].value_or(std::string())),
                           QString::fromStdString((*t)["upstream"].value_or(std::string()))};
            if (sr.host.isEmpty() || !(*t)["host"].is_string() || !Endpoint::parse(sr.upstream))
                return fail(QStringLiteral("invalid-config"),
                            QStringLiteral("proxy.routes entries need host and upstream \"ADDR:PORT\" (entry %1)")
                                .arg(c.staticRoutes.size() + 1));
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
    else if (dataDir == u"~" || dataDir.startsWith(QStringLiteral("~/")))
        dataDir = QDir::homePath() + dataDir.mid(1);  // no shell expands "~" in a TOML string
    dataDir = QDir(dataDir).absolutePath();
    if (storeUrl.isEmpty())
        storeUrl = QStringLiteral("sqlite://") + dataDir + QStringLiteral("/gasper.db");
    if (dockerSocket.isEmpty())
        dockerSocket = defaultDockerSocket();
    for (const QString &lang : languages()) {
        if (!images.contains(lang))
            images.insert(lang, QStringLiteral("gasper/") + lang);
    }
}

QString Config::defaultDockerSocket()
{
    const QString host = qEnvironmentVariable("DOCKER_HOST");
    return host.startsWith(QStringLiteral("unix://")) ? host.mid(7) : QStringLiteral("/var/run/docker.sock");
}

QString Config::imageFor(const QString &language) const
{
    return images.value(language, QStringLiteral("gasper/") + language);
}

QString Config::sourcesDir() const
{
    return dataDir + QStringLiteral("/sources");
}

Result<void> Config::loadNodeId()
{
    const QString path = dataDir + QStringLiteral("/node-id");
    QFile existing(path);
    if (existing.open(QIODevice::ReadOnly)) {
        const QString id = QString::fromLatin1(existing.readAll()).trimmed();
        const bool valid = id.size() >= 8 && id.size() <= 64
                           && std::all_of(id.begin(), id.end(), [](QChar ch) { return ch.isLetterOrNumber() || ch == u'-'; });
        if (!valid)
            return fail(QStringLiteral("invalid-config"),
                        QStringLiteral("%1 holds no valid node id (8-64 letters, digits or '-'); remove it to make a new one")
                            .arg(path));
        nodeId = id;
        return {};
    }
    if (existing.exists())
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot read %1: %2").arg(path, existing.errorString()));
    QByteArray random(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
    const QByteArray id = random.toHex();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(id + '\n') != id.size() + 1
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) || !file.commit())
        return fail(QStringLiteral("io-error"), QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    nodeId = QString::fromLatin1(id);
    return {};
}

} // namespace gasper
