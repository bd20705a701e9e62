// SPDX-License-Identifier: MIT
#include "master/AppJson.h"

#include "core/Names.h"
#include "git/GitUrl.h"
#include "master/ApiSupport.h"
#include "store/Store.h"

#include <QJsonArray>
#include <QUrl>
#include <QRegularExpression>
#include <QSet>

#include <optional>

namespace gasper::master {

namespace {

constexpr int kMaxBuildCommands = 50;
constexpr int kMaxCommandLength = 8192;
constexpr int kMaxEnvEntries = 200;
constexpr int kMaxEnvValue = 32768;

std::unexpected<Error> invalid(const QString &message)
{
    return fail(QStringLiteral("invalid-body"), message);
}

bool validBranch(const QString &branch)
{
    // git check-ref-format, the parts a user can get wrong
    static const QRegularExpression bad(QStringLiteral(R"((\.\.|[\x00-\x20~^:?*\[\\\x7f]|@\{|^/|/$|\.lock$|^-|//|/\.))"));
    return !branch.isEmpty() && branch.size() <= 255 && !branch.endsWith(u'.') && !bad.match(branch).hasMatch();
}

Result<void> applyGit(AppSpec &spec, const QJsonValue &value, bool callerIsAdmin, bool replaceAll)
{
    if (!value.isObject())
        return invalid(QStringLiteral("git must be an object {url, branch?, token?}"));
    const QJsonObject git = value.toObject();
    for (auto it = git.begin(); it != git.end(); ++it) {
        if (it.key() != u"url" && it.key() != u"branch" && it.key() != u"token")
            return invalid(QStringLiteral("git.%1 is not a known field (url, branch, token)").arg(it.key()));
    }
    if (git.contains(u"url") || replaceAll) {
        const QJsonValue url = git.value(u"url");
        if (!url.isString() || url.toString().trimmed().isEmpty())
            return invalid(QStringLiteral("git.url must be a non-empty string"));
        const QString text = url.toString().trimmed();
        if (text.size() > 2048)
            return invalid(QStringLiteral("git.url is too long"));
        if (git::classifyUrl(text) == git::UrlKind::Invalid)
            return invalid(QStringLiteral("git.url is not a git URL (http(s)://, git://, ssh://, user@host:path, "
                                          "or a local path for admins)"));
        if (git::classifyUrl(text) == git::UrlKind::LocalPath && !text.startsWith(u'/'))
            return invalid(QStringLiteral("git.url is neither a URL nor an absolute path"));
        if (git::isLocalUrl(text) && !callerIsAdmin)
            return fail(QStringLiteral("forbidden"),
                        QStringLiteral("local paths and file:// URLs read the server's own disk: only admins may use them"));
        spec.git.url = text;
    }
    if (git.contains(u"branch")) {
        const QJsonValue branch = git.value(u"branch");
        if (branch.isNull() || (branch.isString() && branch.toString().isEmpty())) {
            spec.git.branch.clear();
        } else if (!branch.isString() || !validBranch(branch.toString())) {
            return invalid(QStringLiteral("git.branch must be a valid branch name"));
        } else {
            spec.git.branch = branch.toString();
        }
    } else if (replaceAll) {
        spec.git.branch.clear();
    }
    if (git.contains(u"token")) {
        const QJsonValue token = git.value(u"token");
        if (!token.isString() && !token.isNull())
            return invalid(QStringLiteral("git.token must be a string"));
        if (token.toString().size() > 4096 || token.toString().contains(u'\n'))
            return invalid(QStringLiteral("git.token is not a valid token"));
        spec.git.token = token.toString();
    } else if (replaceAll) {
        spec.git.token.clear();
    }
    // A password written into the URL (https://user:secret@host/repo.git) is a secret:
    // it moves to the token, which is sealed at rest and never shown, and the URL
    // keeps only the user name.
    QUrl url(spec.git.url);
    if (url.isValid() && !url.password().isEmpty()) {
        if (spec.git.token.isEmpty() || !git.contains(u"token"))
            spec.git.token = url.password(QUrl::FullyDecoded);
        url.setPassword(QString());
        spec.git.url = url.toString();
    }
    return {};
}

Result<void> applyBuild(AppSpec &spec, const QJsonValue &value)
{
    if (value.isNull()) {
        spec.build.clear();
        return {};
    }
    if (!value.isArray())
        return invalid(QStringLiteral("build must be an array of command strings"));
    const QJsonArray commands = value.toArray();
    if (commands.size() > kMaxBuildCommands)
        return invalid(QStringLiteral("build may hold at most %1 commands").arg(kMaxBuildCommands));
    QStringList build;
    for (const QJsonValue &c : commands) {
        if (!c.isString() || c.toString().trimmed().isEmpty() || c.toString().size() > kMaxCommandLength)
            return invalid(QStringLiteral("each build command must be a non-empty string"));
        build << c.toString();
    }
    spec.build = build;
    return {};
}

Result<void> applyRun(AppSpec &spec, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined()) {
        spec.run.clear();
        return {};
    }
    if (!value.isString() || value.toString().size() > kMaxCommandLength)
        return invalid(QStringLiteral("run must be a command string"));
    spec.run = value.toString().trimmed();
    return {};
}

// One variable's value: "text" (numbers and booleans as their text), or the object form
// {"value": "text", "secret": bool}. `current` is the stored variable, if any, for
// {"secret": true} without a value, which keeps the value and makes it secret — so the
// env of GET (where a secret shows as {"secret": true}) can be sent back unchanged.
struct EnvValue
{
    QString value;
    bool secret = false;
};

Result<EnvValue> parseEnvValue(const QString &name, const QJsonValue &value, const std::optional<QString> &current)
{
    const auto scalar = [](const QJsonValue &v) -> std::optional<QString> {
        if (v.isString())
            return v.toString();
        if (v.isBool())
            return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        if (v.isDouble())
            return QString::number(v.toDouble());
        return std::nullopt;
    };
    EnvValue out;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() != u"value" && it.key() != u"secret")
                return invalid(QStringLiteral("env %1.%2 is not a known field (value, secret)").arg(name, it.key()));
        }
        if (object.contains(u"secret") && !object.value(u"secret").isBool())
            return invalid(QStringLiteral("env %1.secret must be true or false").arg(name));
        out.secret = object.value(u"secret").toBool();
        if (object.contains(u"value")) {
            const auto text = scalar(object.value(u"value"));
            if (!text)
                return invalid(QStringLiteral("env %1.value must be a string").arg(name));
            out.value = *text;
        } else if (out.secret && current) {
            out.value = *current;
        } else {
            return invalid(QStringLiteral("env %1 needs a value ({\"value\": \"…\", \"secret\": true}); only an "
                                          "existing variable can be made secret without one").arg(name));
        }
    } else {
        const auto text = scalar(value);
        if (!text)
            return invalid(QStringLiteral("env %1 must be a string or {\"value\": \"…\", \"secret\": true}").arg(name));
        out.value = *text;
    }
    if (out.value.size() > kMaxEnvValue || out.value.contains(QChar(0)))
        return invalid(QStringLiteral("env %1 is too long or holds a NUL").arg(name));
    return out;
}

// Create replaces; PATCH merges (RFC 7396): listed keys are set, a null value removes one.
// A variable set again without "secret": true is plain again (its new value is the owner's
// own choice to show).
Result<void> applyEnv(AppSpec &spec, const QJsonValue &value, bool merge = false)
{
    if (value.isNull()) {
        spec.env.clear();
        spec.secretEnv.clear();
        return {};
    }
    if (!value.isObject())
        return invalid(QStringLiteral("env must be an object of string values"));
    static const QRegularExpression key(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,127}$"));
    const QJsonObject env = value.toObject();
    if (env.size() > kMaxEnvEntries)
        return invalid(QStringLiteral("env may hold at most %1 variables").arg(kMaxEnvEntries));
    QMap<QString, QString> out = merge ? spec.env : QMap<QString, QString>{};
    QSet<QString> secret = merge ? spec.secretEnv : QSet<QString>{};
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (merge && it.value().isNull()) {
            out.remove(it.key());
            secret.remove(it.key());
            continue;
        }
        if (!key.match(it.key()).hasMatch())
            return invalid(QStringLiteral("env name '%1' is not a valid variable name").arg(it.key()));
        if (it.key() == u"PORT" || it.key().startsWith(u"GASPER_"))
            return invalid(QStringLiteral("env %1 is set by Gasper (PORT comes from the app's port; GASPER_* are reserved)")
                               .arg(it.key()));
        const auto current = out.contains(it.key()) ? std::optional<QString>(out.value(it.key())) : std::nullopt;
        const auto parsed = parseEnvValue(it.key(), it.value(), current);
        if (!parsed)
            return std::unexpected(parsed.error());
        out.insert(it.key(), parsed->value);
        if (parsed->secret)
            secret.insert(it.key());
        else
            secret.remove(it.key());
    }
    if (out.size() > kMaxEnvEntries)
        return invalid(QStringLiteral("env may hold at most %1 variables").arg(kMaxEnvEntries));
    spec.env = out;
    spec.secretEnv = secret;
    return {};
}

Result<void> applyResources(AppSpec &spec, const QJsonValue &value, const Config &config)
{
    if (value.isNull()) {
        spec.resources = Resources{};
        return {};
    }
    if (!value.isObject())
        return invalid(QStringLiteral("resources must be an object {memory_mb, cpus}"));
    const QJsonObject r = value.toObject();
    for (auto it = r.begin(); it != r.end(); ++it) {
        if (it.key() != u"memory_mb" && it.key() != u"cpus")
            return invalid(QStringLiteral("resources.%1 is not a known field (memory_mb, cpus)").arg(it.key()));
    }
    if (r.contains(u"memory_mb")) {
        const double mb = r.value(u"memory_mb").toDouble(-1);
        if (!r.value(u"memory_mb").isDouble() || mb < 16 || mb > config.maxMemoryMb || mb != std::floor(mb))
            return invalid(QStringLiteral("resources.memory_mb must be a whole number from 16 to %1").arg(config.maxMemoryMb));
        spec.resources.memoryMb = int(mb);
    }
    if (r.contains(u"cpus")) {
        const double cpus = r.value(u"cpus").toDouble(-1);
        if (!r.value(u"cpus").isDouble() || cpus < 0.01 || cpus > config.maxCpus)
            return invalid(QStringLiteral("resources.cpus must be a number from 0.01 to %1").arg(config.maxCpus));
        spec.resources.cpus = cpus;
    }
    return {};
}

Result<void> applyPort(AppSpec &spec, const QJsonValue &value, const Config &config)
{
    if (value.isNull()) {
        spec.port = config.defaultAppPort;
        return {};
    }
    const double port = value.toDouble(-1);
    if (!value.isDouble() || port < 1 || port > 65535 || port != std::floor(port))
        return invalid(QStringLiteral("port must be a whole number from 1 to 65535"));
    spec.port = int(port);
    return {};
}

// health: {"path": "/healthz", "status": 200, "timeout": 30}, each optional; null (or {})
// is the default check (any HTTP answer on /). PATCH replaces the whole object.
Result<void> applyHealth(AppSpec &spec, const QJsonValue &value)
{
    if (value.isNull()) {
        spec.health = HealthCheck{};
        return {};
    }
    if (!value.isObject())
        return invalid(QStringLiteral("health must be an object {path?, status?, timeout?}"));
    const QJsonObject h = value.toObject();
    for (auto it = h.begin(); it != h.end(); ++it) {
        if (it.key() != u"path" && it.key() != u"status" && it.key() != u"timeout")
            return invalid(QStringLiteral("health.%1 is not a known field (path, status, timeout)").arg(it.key()));
    }
    HealthCheck health;
    if (h.contains(u"path") && !h.value(u"path").isNull()) {
        const QString path = h.value(u"path").toString();
        static const QRegularExpression ok(QStringLiteral("^/[A-Za-z0-9._~!$&'()*+,;=:@/%?-]{0,1023}$"));
        if (!h.value(u"path").isString() || !ok.match(path).hasMatch())
            return invalid(QStringLiteral("health.path must be a URL path starting with / (letters, digits and "
                                          "URL punctuation, no spaces, at most 1024 characters)"));
        health.path = path;
    }
    if (h.contains(u"status") && !h.value(u"status").isNull()) {
        const double status = h.value(u"status").toDouble(-1);
        if (!h.value(u"status").isDouble() || status < 100 || status > 599 || status != std::floor(status))
            return invalid(QStringLiteral("health.status must be an HTTP status from 100 to 599"));
        health.status = int(status);
    }
    if (h.contains(u"timeout") && !h.value(u"timeout").isNull()) {
        const double timeout = h.value(u"timeout").toDouble(-1);
        if (!h.value(u"timeout").isDouble() || timeout < 1 || timeout > 600 || timeout != std::floor(timeout))
            return invalid(QStringLiteral("health.timeout must be a whole number of seconds from 1 to 600"));
        health.timeoutSec = int(timeout);
    }
    spec.health = health;
    return {};
}

// build, run, env, resources, port and health — the fields create and PATCH share — in that
// order, then whether the result can run; the first error wins. PATCH merges env.
Result<void> applyRunFields(AppSpec &spec, const QJsonObject &body, const Config &config, bool mergeEnv)
{
    if (body.contains(u"build")) {
        if (auto ok = applyBuild(spec, body.value(u"build")); !ok)
            return ok;
    }
    if (body.contains(u"run")) {
        if (auto ok = applyRun(spec, body.value(u"run")); !ok)
            return ok;
    }
    if (body.contains(u"env")) {
        if (auto ok = applyEnv(spec, body.value(u"env"), mergeEnv); !ok)
            return ok;
    }
    if (body.contains(u"resources")) {
        if (auto ok = applyResources(spec, body.value(u"resources"), config); !ok)
            return ok;
    }
    if (body.contains(u"port")) {
        if (auto ok = applyPort(spec, body.value(u"port"), config); !ok)
            return ok;
    }
    if (body.contains(u"health")) {
        if (auto ok = applyHealth(spec, body.value(u"health")); !ok)
            return ok;
    }
    // No run is fine: the deploy takes the web: line of the repository's Procfile, and says
    // so clearly when there is none.
    return {};
}

} // namespace

Result<AppSpec> parseCreateApp(const QJsonObject &body, const Config &config, bool callerIsAdmin)
{
    static const QSet<QString> known{QStringLiteral("name"),  QStringLiteral("language"), QStringLiteral("git"),
                                     QStringLiteral("build"), QStringLiteral("run"),      QStringLiteral("port"),
                                     QStringLiteral("env"),   QStringLiteral("resources"), QStringLiteral("password"),
                                     QStringLiteral("health")};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(QStringLiteral("'%1' is not a known field").arg(it.key()));
    }
    AppSpec spec;
    if (!body.value(u"name").isString())
        return invalid(QStringLiteral("name is required (a DNS label such as my-app)"));
    spec.name = body.value(u"name").toString();
    if (auto ok = validateName(spec.name, QStringLiteral("name")); !ok)
        return std::unexpected(ok.error());
    spec.language = body.value(u"language").toString();
    if (!Config::languages().contains(spec.language))
        return invalid(QStringLiteral("language must be one of %1").arg(Config::languages().join(QStringLiteral(", "))));
    if (!body.contains(u"git"))
        return invalid(QStringLiteral("git is required: {url, branch?, token?}"));
    if (auto ok = applyGit(spec, body.value(u"git"), callerIsAdmin, true); !ok)
        return std::unexpected(ok.error());
    spec.port = config.defaultAppPort;
    if (auto ok = applyRunFields(spec, body, config, false); !ok)
        return std::unexpected(ok.error());
    return spec;
}

Result<AppSpec> applyAppPatch(const AppSpec &current, const QJsonObject &body, const Config &config, bool callerIsAdmin)
{
    static const QSet<QString> known{QStringLiteral("git"), QStringLiteral("build"), QStringLiteral("run"),
                                     QStringLiteral("env"), QStringLiteral("resources"), QStringLiteral("port"),
                                     QStringLiteral("health")};
    if (body.isEmpty())
        return invalid(QStringLiteral("nothing to change: send one of git, build, run, env, resources, port, health"));
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(QStringLiteral("'%1' cannot be changed (git, build, run, env, resources, port, health can)")
                               .arg(it.key()));
    }
    AppSpec spec = current;
    if (body.contains(u"git")) {
        if (auto ok = applyGit(spec, body.value(u"git"), callerIsAdmin, false); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = applyRunFields(spec, body, config, true); !ok)
        return std::unexpected(ok.error());
    return spec;
}

QString appUrl(const QString &name, const Config &config)
{
    const QString port = config.proxy.port == 80 ? QString() : QStringLiteral(":%1").arg(config.proxy.port);
    return QStringLiteral("http://%1.%2%3/").arg(name, config.domain, port);
}

QJsonObject appToJson(const store::AppRecord &app, const Config &config)
{
    QJsonObject env;
    for (auto it = app.spec.env.cbegin(); it != app.spec.env.cend(); ++it) {
        // Write-only: a secret shows that it is set, never its value.
        if (app.spec.secretEnv.contains(it.key()))
            env.insert(it.key(), QJsonObject{{QStringLiteral("secret"), true}});
        else
            env.insert(it.key(), it.value());
    }
    QJsonObject git{{QStringLiteral("url"), app.spec.git.url},
                    {QStringLiteral("branch"), app.spec.git.branch.isEmpty() ? QJsonValue() : QJsonValue(app.spec.git.branch)},
                    {QStringLiteral("token_set"), !app.spec.git.token.isEmpty()},
                    // A rollback's pin: the commit deployed instead of the branch's head.
                    {QStringLiteral("commit"), app.spec.git.commit.isEmpty() ? QJsonValue() : QJsonValue(app.spec.git.commit)}};
    const HealthCheck &h = app.spec.health;
    QJsonObject health{{QStringLiteral("path"), h.effectivePath()},
                       {QStringLiteral("status"), h.status != 0 ? QJsonValue(h.status) : QJsonValue()},
                       {QStringLiteral("timeout"), h.timeoutSec != 0 ? QJsonValue(h.timeoutSec) : QJsonValue()}};
    return QJsonObject{
        {QStringLiteral("name"), app.spec.name},
        {QStringLiteral("language"), app.spec.language},
        {QStringLiteral("state"), toString(app.state)},
        {QStringLiteral("url"), appUrl(app.spec.name, config)},
        {QStringLiteral("node"), app.node},
        {QStringLiteral("port"), app.spec.port},
        {QStringLiteral("owner"), app.ownerName},
        {QStringLiteral("git"), git},
        {QStringLiteral("build"), QJsonArray::fromStringList(app.spec.build)},
        {QStringLiteral("run"), app.spec.run},
        {QStringLiteral("env"), env},
        {QStringLiteral("health"), health},
        {QStringLiteral("resources"),
         QJsonObject{{QStringLiteral("memory_mb"), app.spec.resources.memoryMb > 0 ? app.spec.resources.memoryMb : config.defaultMemoryMb},
                     {QStringLiteral("cpus"), app.spec.resources.cpus > 0 ? app.spec.resources.cpus : config.defaultCpus}}},
        {QStringLiteral("restarts"), app.restarts},
        {QStringLiteral("last_error"), app.lastError.isEmpty() ? QJsonValue() : QJsonValue(app.lastError)},
        {QStringLiteral("last_error_code"), app.lastErrorCode.isEmpty() ? QJsonValue() : QJsonValue(app.lastErrorCode)},
        {QStringLiteral("created_at"), isoTime(app.createdAt)},
        {QStringLiteral("updated_at"), isoTime(app.updatedAt)},
        // The clients compose `ssh -p PORT USER@HOST` / `sftp -P …` with the host they reach the API by.
        {QStringLiteral("ssh"), config.services.contains(QStringLiteral("ssh")) && config.ssh.port > 0
                                    ? QJsonValue(QJsonObject{{QStringLiteral("port"), config.ssh.port},
                                                             {QStringLiteral("user"), app.spec.name}})
                                    : QJsonValue()},
    };
}

QJsonObject deployToJson(const store::DeployRecord &deploy)
{
    QJsonArray steps;
    for (const DeployStep &s : deploy.steps)
        steps.append(QJsonObject{{QStringLiteral("name"), s.name}, {QStringLiteral("status"), s.status},
                                 {QStringLiteral("ms"), s.ms}});
    return QJsonObject{
        {QStringLiteral("number"), deploy.number},
        {QStringLiteral("app"), deploy.app},
        {QStringLiteral("status"), deploy.status},
        {QStringLiteral("trigger"), deploy.trigger},
        {QStringLiteral("rollback_to"), deploy.rollbackTo > 0 ? QJsonValue(deploy.rollbackTo) : QJsonValue()},
        {QStringLiteral("commit"), deploy.commit.isEmpty() ? QJsonValue() : QJsonValue(deploy.commit)},
        {QStringLiteral("steps"), steps},
        {QStringLiteral("error"), deploy.error.isEmpty() ? QJsonValue() : QJsonValue(deploy.error)},
        {QStringLiteral("error_code"), deploy.errorCode.isEmpty() ? QJsonValue() : QJsonValue(deploy.errorCode)},
        {QStringLiteral("started_at"), isoTime(deploy.startedAt)},
        {QStringLiteral("finished_at"), deploy.finishedAt.isValid() ? QJsonValue(isoTime(deploy.finishedAt)) : QJsonValue()},
        {QStringLiteral("total_ms"), deploy.totalMs},
    };
}

QJsonObject userToJson(const store::User &user)
{
    return QJsonObject{{QStringLiteral("username"), user.username},
                       {QStringLiteral("email"), user.email},
                       {QStringLiteral("admin"), user.admin},
                       {QStringLiteral("created_at"), isoTime(user.createdAt)}};
}

} // namespace gasper::master
