// SPDX-License-Identifier: MIT
#include "CommandLine.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

QString appPath(const QString &name, const QString &suffix)
{
    return u"/api/v1/apps/"_s + QString::fromLatin1(QUrl::toPercentEncoding(name)) + suffix;
}

QString versionText()
{
    return u"gasperctl "_s + QLatin1StringView(GASPER_VERSION);
}

namespace {

// ---- options --------------------------------------------------------------------------

QCommandLineOption opt(const QStringList &names, const QString &description, const QString &valueName = {})
{
    return QCommandLineOption(names, description, valueName);
}

QList<QCommandLineOption> globalOptions()
{
    return {opt({u"api"_s}, u"API base URL (default: $GASPER_API, the login's URL, http://127.0.0.1:3000)"_s, u"URL"_s),
            opt({u"token"_s}, u"API token (default: $GASPER_TOKEN, the stored login)"_s, u"T"_s),
            opt({u"json"_s}, u"print the API's raw JSON answers"_s),
            opt({u"h"_s, u"help"_s}, u"show help"_s)};
}

QCommandLineOption waitOption()
{
    return opt({u"wait"_s}, u"poll until the app is running (exit 0) or failed (exit 1)"_s);
}
QCommandLineOption timeoutOption()
{
    return opt({u"timeout"_s}, u"give up waiting after S seconds (default 900)"_s, u"S"_s);
}
QCommandLineOption buildOption()
{
    return opt({u"build"_s}, u"build command, run in order (repeatable)"_s, u"CMD"_s);
}
QCommandLineOption runOption()
{
    return opt({u"run"_s}, u"command that starts the app, listening on $PORT (default: the Procfile's web: line)"_s, u"CMD"_s);
}
QList<QCommandLineOption> healthOptions()
{
    return {opt({u"health-path"_s}, u"health check: the path a new container must answer before it serves (default: any answer on /)"_s, u"PATH"_s),
            opt({u"health-status"_s}, u"health check: the status it must answer (default: 200-399)"_s, u"N"_s),
            opt({u"health-timeout"_s}, u"health check: seconds a new container has to pass it"_s, u"S"_s)};
}
QCommandLineOption envOption()
{
    return opt({u"env"_s}, u"environment variable (repeatable)"_s, u"K=V"_s);
}
QCommandLineOption gitOption()
{
    return opt({u"git"_s}, u"git repository URL"_s, u"URL"_s);
}
QCommandLineOption branchOption()
{
    return opt({u"branch"_s}, u"branch to deploy (default: the remote's default)"_s, u"B"_s);
}
QCommandLineOption tokenStdinOption()
{
    return opt({u"token-stdin"_s}, u"read a git access token from stdin"_s);
}
QCommandLineOption memoryOption()
{
    return opt({u"memory"_s}, u"memory limit in MB"_s, u"MB"_s);
}
QCommandLineOption cpusOption()
{
    return opt({u"cpus"_s}, u"CPU limit (e.g. 0.5)"_s, u"N"_s);
}
QCommandLineOption portOption()
{
    return opt({u"port"_s}, u"port the app listens on in its container (default 8080)"_s, u"N"_s);
}
QCommandLineOption passwordStdinOption()
{
    return opt({u"password-stdin"_s}, u"read the password from stdin instead of prompting"_s);
}

// ---- small parsers ----------------------------------------------------------------------

Error usage(const QString &message)
{
    return Error{u"usage"_s, message};
}

Result<int> intValue(const QCommandLineParser &p, const QString &name, int min, int max)
{
    bool ok = false;
    const QString text = p.value(name);
    const int v = text.toInt(&ok);
    if (!ok || v < min || v > max || text.trimmed() != text)
        return std::unexpected(usage(u"--%1 must be an integer in [%2, %3], not '%4'"_s.arg(name).arg(min).arg(max).arg(text)));
    return v;
}

Result<double> cpusValue(const QCommandLineParser &p)
{
    bool ok = false;
    const QString text = p.value(u"cpus"_s);
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v) || v <= 0 || v > 1024)
        return std::unexpected(usage(u"--cpus must be a number above 0, not '%1'"_s.arg(text)));
    return v;
}

Result<QJsonObject> envValues(const QCommandLineParser &p)
{
    static const QRegularExpression key(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    QJsonObject env;
    for (const QString &kv : p.values(u"env"_s)) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0 || !key.match(kv.left(eq)).hasMatch())
            return std::unexpected(usage(u"--env wants KEY=VALUE with KEY of [A-Za-z0-9_] not starting with a digit, not '%1'"_s.arg(kv)));
        env.insert(kv.left(eq), kv.mid(eq + 1));
    }
    return env;
}

Result<void> readWait(const QCommandLineParser &p, Invocation &inv)
{
    inv.wait = p.isSet(u"wait"_s);
    if (p.isSet(u"timeout"_s)) {
        auto t = intValue(p, u"timeout"_s, 1, 86400);
        if (!t)
            return std::unexpected(t.error());
        inv.waitTimeoutSec = *t;
    }
    return {};
}

// --memory/--cpus into {memory_mb, cpus}; absent when neither is given.
Result<void> readResources(const QCommandLineParser &p, QJsonObject &body)
{
    QJsonObject resources;
    if (p.isSet(u"memory"_s)) {
        auto mb = intValue(p, u"memory"_s, 1, 1 << 20);
        if (!mb)
            return std::unexpected(mb.error());
        resources.insert(u"memory_mb"_s, *mb);
    }
    if (p.isSet(u"cpus"_s)) {
        auto cpus = cpusValue(p);
        if (!cpus)
            return std::unexpected(cpus.error());
        resources.insert(u"cpus"_s, *cpus);
    }
    if (!resources.isEmpty())
        body.insert(u"resources"_s, resources);
    return {};
}

QJsonArray stringArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

// ---- commands ---------------------------------------------------------------------------

using Builder = Result<void> (*)(const QCommandLineParser &, const QStringList &, Invocation &);

struct CommandSpec
{
    QLatin1StringView name;
    QLatin1StringView arguments;
    QLatin1StringView summary;
    QList<QCommandLineOption> (*options)();
    Builder build;
};

QList<QCommandLineOption> noOptions()
{
    return {};
}

Result<void> buildRegister(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"POST", u"/api/v1/auth/register"_s, QJsonObject{{u"username"_s, args.at(0)}, {u"email"_s, args.at(1)}}, false};
    inv.secret = Secret::Password;
    inv.secretFromStdin = p.isSet(u"password-stdin"_s);
    inv.confirmSecret = true;
    return {};
}

Result<void> buildLogin(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"POST", u"/api/v1/auth/login"_s, QJsonObject{{u"username"_s, args.at(0)}}, false};
    inv.secret = Secret::Password;
    inv.secretFromStdin = p.isSet(u"password-stdin"_s);
    return {};
}

Result<void> buildLogout(const QCommandLineParser &, const QStringList &, Invocation &inv)
{
    inv.request = {"POST", u"/api/v1/auth/logout"_s};
    return {};
}

Result<void> buildWhoami(const QCommandLineParser &, const QStringList &, Invocation &inv)
{
    inv.request = {"GET", u"/api/v1/users/me"_s};
    return {};
}

Result<void> buildApps(const QCommandLineParser &, const QStringList &, Invocation &inv)
{
    inv.request = {"GET", u"/api/v1/apps"_s};
    return {};
}

// --health-path/--health-status/--health-timeout into {path, status, timeout}; none when none is given.
Result<std::optional<QJsonObject>> readHealth(const QCommandLineParser &p)
{
    QJsonObject health;
    if (p.isSet(u"health-path"_s)) {
        if (!p.value(u"health-path"_s).startsWith(u'/'))
            return std::unexpected(usage(u"--health-path must start with /, not '%1'"_s.arg(p.value(u"health-path"_s))));
        health.insert(u"path"_s, p.value(u"health-path"_s));
    }
    if (p.isSet(u"health-status"_s)) {
        auto status = intValue(p, u"health-status"_s, 100, 599);
        if (!status)
            return std::unexpected(status.error());
        health.insert(u"status"_s, *status);
    }
    if (p.isSet(u"health-timeout"_s)) {
        auto timeout = intValue(p, u"health-timeout"_s, 1, 600);
        if (!timeout)
            return std::unexpected(timeout.error());
        health.insert(u"timeout"_s, *timeout);
    }
    if (health.isEmpty())
        return std::optional<QJsonObject>{};
    return std::optional<QJsonObject>(health);
}

Result<void> buildCreate(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    for (const char *required : {"language", "git"}) {
        const QString name = QLatin1StringView(required);
        if (!p.isSet(name) || p.value(name).isEmpty())
            return std::unexpected(usage(u"--%1 is required"_s.arg(name)));
    }
    QJsonObject git{{u"url"_s, p.value(u"git"_s)}};
    if (p.isSet(u"branch"_s))
        git.insert(u"branch"_s, p.value(u"branch"_s));
    QJsonObject body{{u"name"_s, inv.target},
                     {u"language"_s, p.value(u"language"_s)},
                     {u"git"_s, git},
                     {u"build"_s, stringArray(p.values(u"build"_s))}};
    // Without --run the deploy takes the web: line of the repository's Procfile.
    if (!p.value(u"run"_s).isEmpty())
        body.insert(u"run"_s, p.value(u"run"_s));
    auto health = readHealth(p);
    if (!health)
        return std::unexpected(health.error());
    if (*health)
        body.insert(u"health"_s, **health);
    if (p.isSet(u"port"_s)) {
        auto port = intValue(p, u"port"_s, 1, 65535);
        if (!port)
            return std::unexpected(port.error());
        body.insert(u"port"_s, *port);
    }
    auto env = envValues(p);
    if (!env)
        return std::unexpected(env.error());
    if (!env->isEmpty())
        body.insert(u"env"_s, *env);
    if (auto r = readResources(p, body); !r)
        return r;
    if (p.isSet(u"token-stdin"_s)) {
        inv.secret = Secret::GitToken;
        inv.secretFromStdin = true;
    }
    inv.request = {"POST", u"/api/v1/apps"_s, body};
    return readWait(p, inv);
}

Result<void> buildGet(const QCommandLineParser &, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"GET", appPath(inv.target)};
    return {};
}

Result<void> buildLogs(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    QStringList query;
    if (p.isSet(u"tail"_s) && p.value(u"tail"_s) == u"all") {
        query << u"tail=all"_s;
    } else if (p.isSet(u"tail"_s)) {
        auto tail = intValue(p, u"tail"_s, 0, 100000);
        if (!tail)
            return std::unexpected(tail.error());
        query << u"tail="_s + QString::number(*tail);
    }
    if (p.isSet(u"follow"_s))
        query << u"follow=1"_s;
    const auto encoded = [](const QString &v) { return QString::fromLatin1(QUrl::toPercentEncoding(v)); };
    if (p.isSet(u"since"_s))
        query << u"since="_s + encoded(p.value(u"since"_s));
    if (p.isSet(u"grep"_s))
        query << u"grep="_s + encoded(p.value(u"grep"_s));
    if (p.isSet(u"regex"_s))
        query << u"regex=1"_s;
    if (p.isSet(u"timestamps"_s))
        query << u"timestamps=1"_s;
    std::optional<int> deploy;
    if (p.isSet(u"deploy"_s)) {
        auto n = intValue(p, u"deploy"_s, 1, 1 << 30);
        if (!n)
            return std::unexpected(n.error());
        deploy = *n;
    }
    if (p.isSet(u"build"_s)) {
        // The deploy's own output (build, release, Gasper's lines), kept in the store.
        if (!deploy)
            return std::unexpected(usage(u"--build needs --deploy N (gasperctl deploys shows the numbers)"_s));
        inv.request = {"GET", appPath(inv.target, u"/deploys/%1/log"_s.arg(*deploy)), std::nullopt, true, true};
        return {};
    }
    if (deploy)
        query << u"deploy="_s + QString::number(*deploy);
    QString path = appPath(inv.target, u"/logs"_s);
    if (!query.isEmpty())
        path += u'?' + query.join(u'&');
    inv.request = {"GET", path, std::nullopt, true, true};
    return {};
}

// metrics <app>: GET …/metrics with since/until/step passed on (the server checks them).
Result<void> buildMetrics(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    QStringList query;
    for (const QString &key : {u"since"_s, u"until"_s, u"step"_s}) {
        if (!p.isSet(key))
            continue;
        const QString value = p.value(key).trimmed();
        if (value.isEmpty())
            return std::unexpected(usage(u"--%1 needs a value"_s.arg(key)));
        query << key + u'=' + QString::fromLatin1(QUrl::toPercentEncoding(value));
    }
    inv.table = p.isSet(u"table"_s);
    QString path = appPath(inv.target, u"/metrics"_s);
    if (!query.isEmpty())
        path += u'?' + query.join(u'&');
    inv.request = {"GET", path};
    return {};
}

Result<void> buildDeploys(const QCommandLineParser &, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"GET", appPath(inv.target, u"/deploys"_s)};
    return {};
}

Result<void> buildAction(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"POST", appPath(inv.target, u'/' + inv.command)};
    if (inv.command == u"rebuild" || inv.command == u"start")
        return readWait(p, inv);
    return {};
}

// rollback <name> --to N: deploys the commit of deploy N again.
Result<void> buildRollback(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    if (!p.isSet(u"to"_s))
        return std::unexpected(usage(u"--to is required: the number of the deploy to roll back to (see `gasperctl deploys %1`)"_s
                                         .arg(inv.target)));
    auto number = intValue(p, u"to"_s, 1, 2147483647);
    if (!number)
        return std::unexpected(number.error());
    inv.request = {"POST", appPath(inv.target, u"/rollback"_s), QJsonObject{{u"deploy"_s, *number}}};
    return readWait(p, inv);
}

Result<void> buildDelete(const QCommandLineParser &, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"DELETE", appPath(inv.target)};
    return {};
}

Result<void> buildUpdate(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    QJsonObject body;
    if (p.isSet(u"build"_s) && p.isSet(u"no-build"_s))
        return std::unexpected(usage(u"--build and --no-build exclude each other"_s));
    if (p.isSet(u"build"_s))
        body.insert(u"build"_s, stringArray(p.values(u"build"_s)));
    if (p.isSet(u"no-build"_s))
        body.insert(u"build"_s, QJsonArray());
    if (p.isSet(u"run"_s) && p.isSet(u"no-run"_s))
        return std::unexpected(usage(u"--run and --no-run exclude each other"_s));
    if (p.isSet(u"run"_s)) {
        if (p.value(u"run"_s).isEmpty())
            return std::unexpected(usage(u"--run may not be empty (--no-run goes back to the Procfile's web: line)"_s));
        body.insert(u"run"_s, p.value(u"run"_s));
    }
    if (p.isSet(u"no-run"_s))
        body.insert(u"run"_s, QJsonValue::Null);
    auto health = readHealth(p);
    if (!health)
        return std::unexpected(health.error());
    if (*health && p.isSet(u"no-health"_s))
        return std::unexpected(usage(u"--no-health excludes the other --health-… options"_s));
    if (*health)
        body.insert(u"health"_s, **health);  // replaces the whole check
    if (p.isSet(u"no-health"_s))
        body.insert(u"health"_s, QJsonValue::Null);
    auto env = envValues(p);
    if (!env)
        return std::unexpected(env.error());
    if (p.isSet(u"env"_s))
        body.insert(u"env"_s, *env);
    QJsonObject git;
    if (p.isSet(u"git"_s))
        git.insert(u"url"_s, p.value(u"git"_s));
    if (p.isSet(u"branch"_s))
        git.insert(u"branch"_s, p.value(u"branch"_s));
    if (p.isSet(u"token-stdin"_s)) {
        inv.secret = Secret::GitToken;
        inv.secretFromStdin = true;
    }
    if (!git.isEmpty() || inv.secret == Secret::GitToken)
        body.insert(u"git"_s, git);
    if (auto r = readResources(p, body); !r)
        return r;
    if (body.isEmpty())
        return std::unexpected(usage(u"nothing to update: give at least one of --build, --no-build, --run, --no-run, "
                                     "--env, --git, --branch, --token-stdin, --memory, --cpus, --health-path, "
                                     "--health-status, --health-timeout, --no-health"_s));
    inv.request = {"PATCH", appPath(inv.target), body};
    return readWait(p, inv);
}

// keys add <file>: the file is read when the command runs (a usage error reads nothing).
Result<void> buildKeysAdd(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    QJsonObject body;
    if (p.isSet(u"name"_s)) {
        if (p.value(u"name"_s).isEmpty())
            return std::unexpected(usage(u"--name may not be empty"_s));
        body.insert(u"name"_s, p.value(u"name"_s));
    }
    inv.request = {"POST", u"/api/v1/users/me/keys"_s, body};
    return {};
}

Result<void> buildKeysList(const QCommandLineParser &, const QStringList &, Invocation &inv)
{
    inv.request = {"GET", u"/api/v1/users/me/keys"_s};
    return {};
}

Result<void> buildKeysRemove(const QCommandLineParser &, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"DELETE", u"/api/v1/users/me/keys/"_s + QString::fromLatin1(QUrl::toPercentEncoding(inv.target))};
    return {};
}

// ssh <app>: prints the command line; the API is asked nothing.
Result<void> buildSsh(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    const QString port = p.isSet(u"port"_s) ? p.value(u"port"_s) : qEnvironmentVariable("GASPER_SSH_PORT", u"2222"_s);
    bool ok = false;
    const int number = port.toInt(&ok);
    if (!ok || number < 1 || number > 65535)
        return std::unexpected(usage(u"--port must be 1 … 65535"_s));
    inv.sshPort = number;
    inv.sftp = p.isSet(u"sftp"_s);
    return {};
}

QList<QCommandLineOption> ttyOptions()
{
    return {opt({u"t"_s, u"tty"_s}, u"give the process a terminal (default for shell when stdin is one)"_s),
            opt({u"T"_s, u"no-tty"_s}, u"no terminal: plain pipes, stdout and stderr apart (default for exec)"_s)};
}

Result<void> readTty(const QCommandLineParser &p, Invocation &inv)
{
    if (p.isSet(u"tty"_s) && p.isSet(u"no-tty"_s))
        return std::unexpected(usage(u"-t and -T exclude each other"_s));
    inv.tty = p.isSet(u"tty"_s) ? TtyMode::Always : p.isSet(u"no-tty"_s) ? TtyMode::Never : TtyMode::Auto;
    return {};
}

// sh quoting for one word: 'it'\''s' style, bare when only safe characters.
QString shellQuoted(const QString &word)
{
    static const QRegularExpression safe(u"^[A-Za-z0-9_@%+=:,./-]+$"_s);
    if (safe.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

// shell <app>: an interactive shell over the terminal WebSocket.
Result<void> buildShell(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.request = {"GET", appPath(inv.target, u"/terminal"_s)};
    return readTty(p, inv);
}

// exec <app> -- <command>…: one word is a command line as ssh takes it (`'ls | wc -l'`);
// several are an argv, each word quoted, as docker exec takes it.
Result<void> buildExec(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    const QStringList words = args.mid(1);
    if (words.size() == 1) {
        inv.shellCommand = words.constFirst();
    } else {
        QStringList quoted;
        for (const QString &w : words)
            quoted << shellQuoted(w);
        inv.shellCommand = quoted.join(u' ');
    }
    inv.request = {"GET", appPath(inv.target, u"/terminal"_s)};
    return readTty(p, inv);
}

// hooks <app> [--show-secret] [--rotate | --poll N|off]: push to deploy.
Result<void> buildHooks(const QCommandLineParser &p, const QStringList &args, Invocation &inv)
{
    inv.target = args.at(0);
    inv.showSecret = p.isSet(u"show-secret"_s);
    if (p.isSet(u"rotate"_s) && p.isSet(u"poll"_s))
        return std::unexpected(usage(u"--rotate and --poll exclude each other"_s));
    if (p.isSet(u"rotate"_s)) {
        // A new secret is only useful once pasted into the git host: it is printed.
        inv.showSecret = true;
        inv.request = {"POST", appPath(inv.target, u"/hooks/rotate"_s)};
        return {};
    }
    if (p.isSet(u"poll"_s)) {
        int seconds = 0;
        if (p.value(u"poll"_s) != u"off") {
            auto n = intValue(p, u"poll"_s, 1, 86400);
            if (!n)
                return std::unexpected(usage(u"--poll wants a number of seconds (at least the server's minimum, 30 by "
                                             "default) or off"_s));
            seconds = *n;
        }
        inv.request = {"PATCH", appPath(inv.target, u"/hooks"_s), QJsonObject{{u"poll_seconds"_s, seconds}}};
        return {};
    }
    inv.request = {"GET", appPath(inv.target, u"/hooks"_s)};
    return {};
}

const QList<CommandSpec> &commands()
{
    static const QList<CommandSpec> list{
        {"register"_L1, "<username> <email>"_L1, "create an account (the first one becomes admin)"_L1,
         [] { return QList{passwordStdinOption()}; }, buildRegister},
        {"login"_L1, "<username>"_L1, "log in and store the token in $XDG_CONFIG_HOME/gasper/credentials.json"_L1,
         [] { return QList{passwordStdinOption()}; }, buildLogin},
        {"logout"_L1, ""_L1, "revoke the stored token and forget it"_L1, noOptions, buildLogout},
        {"whoami"_L1, ""_L1, "show the logged-in user"_L1, noOptions, buildWhoami},
        {"apps"_L1, ""_L1, "list your apps"_L1, noOptions, buildApps},
        {"create"_L1, "<name>"_L1, "deploy a new app from a git repository"_L1,
         [] {
             return QList{opt({u"language"_s}, u"python, node, php, ruby, go or static (required)"_s, u"L"_s),
                          gitOption(), branchOption(), tokenStdinOption(), buildOption(), runOption(), portOption(),
                          envOption(), memoryOption(), cpusOption(), waitOption(), timeoutOption()}
                    + healthOptions();
         },
         buildCreate},
        {"get"_L1, "<name>"_L1, "show one app"_L1, noOptions, buildGet},
        {"logs"_L1, "<name>"_L1, "print the app's output"_L1,
         [] {
             return QList{opt({u"tail"_s}, u"only the last N lines (with --grep: matching lines), or all (default 100)"_s, u"N"_s),
                          opt({u"f"_s, u"follow"_s}, u"keep printing new lines as they come"_s),
                          opt({u"since"_s}, u"only lines since a time (ISO 8601) or a duration ago: 90s, 10m, 2h, 3d"_s,
                              u"WHEN"_s),
                          opt({u"grep"_s}, u"only lines that contain TEXT (searched on the server)"_s, u"TEXT"_s),
                          opt({u"regex"_s}, u"--grep is a regular expression"_s),
                          opt({u"t"_s, u"timestamps"_s}, u"show the time each line was written"_s),
                          opt({u"deploy"_s}, u"the app log of deploy N (also one a rebuild replaced)"_s, u"N"_s),
                          opt({u"build"_s}, u"with --deploy: that deploy's build and platform output instead"_s)};
         },
         buildLogs},
        {"deploys"_L1, "<name>"_L1, "deploy history with per-step timings"_L1, noOptions, buildDeploys},
        {"metrics"_L1, "<name>"_L1, "CPU, memory, network, disk I/O and restarts over time"_L1,
         [] {
             return QList{opt({u"since"_s}, u"from: 15m, 1h, 24h, 30d ago, or an ISO 8601 time (default 1h)"_s, u"T"_s),
                          opt({u"until"_s}, u"to, the same forms (default now)"_s, u"T"_s),
                          opt({u"step"_s}, u"seconds per point: 60, 30s, 5m, 1h (default: about 360 points)"_s, u"S"_s),
                          opt({u"table"_s}, u"one row per point instead of the summary with sparklines"_s)};
         },
         buildMetrics},
        {"rebuild"_L1, "<name>"_L1, "fresh clone and new container; the old one serves until the new one is healthy"_L1,
         [] { return QList{waitOption(), timeoutOption()}; }, buildAction},
        {"restart"_L1, "<name>"_L1, "restart the app's container"_L1, noOptions, buildAction},
        {"stop"_L1, "<name>"_L1, "stop the app"_L1, noOptions, buildAction},
        {"start"_L1, "<name>"_L1, "start a stopped app"_L1, [] { return QList{waitOption(), timeoutOption()}; }, buildAction},
        {"delete"_L1, "<name>"_L1, "delete the app: its containers, source and route"_L1, noOptions, buildDelete},
        {"update"_L1, "<name>"_L1, "change the app's settings, then rebuild it"_L1,
         [] {
             return QList{buildOption(), opt({u"no-build"_s}, u"remove all build commands"_s), runOption(),
                          opt({u"no-run"_s}, u"no run command: use the Procfile's web: line"_s), envOption(),
                          gitOption(), branchOption(), tokenStdinOption(), memoryOption(), cpusOption(), waitOption(),
                          timeoutOption(), opt({u"no-health"_s}, u"back to the default health check (any answer on /)"_s)}
                    + healthOptions();
         },
         buildUpdate},
        {"hooks"_L1, "<name>"_L1, "push to deploy: the webhook URL for GitHub/GitLab/Gitea, polling, recent deliveries"_L1,
         [] {
             return QList{opt({u"show-secret"_s}, u"print the webhook secret too"_s),
                          opt({u"rotate"_s}, u"make a new secret (the old one stops working) and print it"_s),
                          opt({u"poll"_s}, u"also poll the branch every N seconds (off: stop polling)"_s, u"N|off"_s)};
         },
         buildHooks},
        {"rollback"_L1, "<name>"_L1,
         "deploy the commit of deploy --to N again; the old container serves until the new one is healthy"_L1,
         [] {
             return QList{opt({u"to"_s}, u"the number of the deploy to roll back to (gasperctl deploys)"_s, u"N"_s), waitOption(),
                          timeoutOption()};
         },
         buildRollback},
        {"keys add"_L1, "<file.pub>"_L1, "register an SSH public key (OpenSSH format; - reads stdin): it opens your apps"_L1,
         [] { return QList{opt({u"name"_s}, u"a name for the key (default: its comment)"_s, u"NAME"_s)}; }, buildKeysAdd},
        {"keys list"_L1, ""_L1, "list your SSH public keys with their fingerprints"_L1, noOptions, buildKeysList},
        {"keys rm"_L1, "<id|name|fingerprint>"_L1, "remove one of your SSH public keys"_L1, noOptions, buildKeysRemove},
        {"ssh"_L1, "<name>"_L1, "print the ssh command line that opens a shell in the app's container"_L1,
         [] {
             return QList{opt({u"port"_s}, u"the SSH service's port (default: $GASPER_SSH_PORT, else 2222)"_s, u"PORT"_s),
                          opt({u"sftp"_s}, u"print the sftp command line instead (files in and out of /app; scp works too)"_s)};
         },
         buildSsh},
        {"shell"_L1, "<name>"_L1, "open a shell in the app's container over the API (no SSH client needed)"_L1, ttyOptions,
         buildShell},
        {"exec"_L1, "<name> -- <command>..."_L1,
         "run a command in the app's container; gasperctl exits with its status"_L1, ttyOptions, buildExec},
    };
    return list;
}

const CommandSpec *findCommand(const QString &name)
{
    const auto &list = commands();
    auto it = std::find_if(list.begin(), list.end(), [&](const CommandSpec &c) { return c.name == name; });
    return it == list.end() ? nullptr : &*it;
}

// Option help in our own format: QCommandLineParser::helpText() names the test binary
// in tests and has no notion of subcommands.
QString optionsHelp(const QList<QCommandLineOption> &options)
{
    QList<std::pair<QString, QString>> rows;
    for (const QCommandLineOption &o : options) {
        QStringList names;
        for (const QString &n : o.names())
            names << (n.size() == 1 ? u"-"_s : u"--"_s) + n;
        QString left = names.join(u", "_s);
        if (!o.valueName().isEmpty())
            left += u' ' + o.valueName();
        rows.append({left, o.description()});
    }
    qsizetype width = 0;
    for (const auto &row : rows)
        width = std::max(width, row.first.size());
    QString text;
    for (const auto &[left, description] : rows)
        text += u"  "_s + left.leftJustified(width + 2) + description + u'\n';
    return text;
}

QString usageLine(const CommandSpec &spec)
{
    QString line = u"Usage: gasperctl "_s + spec.name + u" [options]"_s;
    if (!spec.arguments.isEmpty())
        line += u' ' + spec.arguments;
    return line;
}

// What follows a usage error: the synopsis and where the rest is, not the whole help.
QString shortUsage(const CommandSpec &spec)
{
    return usageLine(spec) + u"\nRun `gasperctl "_s + spec.name + u" --help` for its options.\n"_s;
}

QString commandHelp(const CommandSpec &spec)
{
    return usageLine(spec) + u"\n"_s + spec.summary + u"\n\nOptions:\n"_s + optionsHelp(spec.options()) + u"\nGlobal options:\n"_s
           + optionsHelp(globalOptions());
}

int positionalCount(const CommandSpec &spec)
{
    return spec.arguments.isEmpty() ? 0 : int(spec.arguments.count(u' ') + 1);
}

// "<name> -- <command>...": at least the words before "--" and one after; any number more.
bool isVariadic(const CommandSpec &spec)
{
    return spec.arguments.endsWith("..."_L1);
}

void readGlobals(const QCommandLineParser &p, GlobalOptions &g)
{
    if (p.isSet(u"api"_s))
        g.api = p.value(u"api"_s);
    if (p.isSet(u"token"_s))
        g.token = p.value(u"token"_s);
    if (p.isSet(u"json"_s))
        g.json = true;
}

Result<void> checkApi(const QString &api)
{
    if (api.isEmpty())
        return {};
    const QUrl url(api, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()
        || url.hasQuery() || url.hasFragment())
        return std::unexpected(usage(u"--api must be an http:// or https:// URL, not '%1'"_s.arg(api)));
    return {};
}

} // namespace

QString mainHelpText()
{
    QString text = u"gasperctl — command-line client of the Gasper API\n\n"
                   "Usage: gasperctl [global options] <command> [options] [arguments]\n\nCommands:\n"_s;
    QList<std::pair<QString, QString>> rows;
    qsizetype width = 0;
    for (const CommandSpec &c : commands()) {
        QString left = c.name + (c.arguments.isEmpty() ? QString() : u' ' + c.arguments);
        width = std::max(width, left.size());
        rows.append({left, c.summary});
    }
    for (const auto &[left, summary] : rows)
        text += u"  "_s + left.leftJustified(width + 2) + summary + u'\n';
    text += u"\nGlobal options:\n"_s + optionsHelp(globalOptions() << opt({u"version"_s}, u"show the version"_s));
    text += u"\n`gasperctl <command> --help` shows a command's options.\n"
            "Environment: GASPER_API, GASPER_TOKEN, XDG_CONFIG_HOME.\n"
            "Exit codes: 0 ok, 1 the API said no or the app failed, 2 the API is unreachable, 64 usage.\n"_s;
    return text;
}

Result<Invocation> parseCommandLine(const QStringList &arguments)
{
    const QString program = arguments.value(0, u"gasperctl"_s);
    Invocation inv;

    // First pass: global options up to the command name; all after it is the command's.
    QCommandLineParser top;
    top.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    top.addOptions(globalOptions());
    top.addOption(opt({u"version"_s}, u"show the version"_s));
    if (!top.parse(QStringList{program} + arguments.mid(1)))
        return std::unexpected(usage(top.errorText() + u"\n\n"_s + mainHelpText()));
    readGlobals(top, inv.global);
    if (top.isSet(u"version"_s)) {
        inv.showVersion = true;
        return inv;
    }
    QStringList positional = top.positionalArguments();
    if (!positional.isEmpty() && positional.constFirst() == u"help") {
        positional.removeFirst();
        if (positional.isEmpty()) {
            inv.showHelp = true;
            inv.helpText = mainHelpText();
            return inv;
        }
        positional = {positional.constFirst(), u"--help"_s};
    }
    if (positional.isEmpty()) {
        if (top.isSet(u"help"_s)) {
            inv.showHelp = true;
            inv.helpText = mainHelpText();
            return inv;
        }
        return std::unexpected(usage(u"no command given\n\n"_s + mainHelpText()));
    }
    // Two-word commands: "keys add", "keys list", "keys rm".
    if (positional.constFirst() == u"keys" && positional.size() >= 2 && !positional.at(1).startsWith(u'-')) {
        const QString second = positional.takeAt(1);
        positional.first() += u' ' + second;
    }
    const CommandSpec *spec = findCommand(positional.constFirst());
    if (!spec)
        return std::unexpected(usage(u"unknown command '%1'\n\n"_s.arg(positional.constFirst()) + mainHelpText()));
    inv.command = spec->name;
    const QString help = commandHelp(*spec);
    const QString brief = shortUsage(*spec);
    if (top.isSet(u"help"_s)) {
        inv.showHelp = true;
        inv.helpText = help;
        return inv;
    }

    QCommandLineParser sub;
    sub.addOptions(globalOptions());
    sub.addOptions(spec->options());
    if (!sub.parse(QStringList{program} + positional.mid(1))) {
        // `exec web ls -la`: -la is the command's, not ours.
        const QString hint = isVariadic(*spec) ? u"\n(a command with options goes after --: gasperctl %1 <name> -- ls -la)"_s.arg(inv.command)
                                               : QString();
        return std::unexpected(usage(sub.errorText() + hint + u"\n\n"_s + brief));
    }
    if (sub.isSet(u"help"_s)) {
        inv.showHelp = true;
        inv.helpText = help;
        return inv;
    }
    readGlobals(sub, inv.global);
    if (auto r = checkApi(inv.global.api); !r)
        return std::unexpected(usage(r.error().message + u"\n\n"_s + brief));
    const QStringList args = sub.positionalArguments();
    const int expected = positionalCount(*spec) - (spec->arguments.contains(" -- "_L1) ? 1 : 0);
    if (isVariadic(*spec) ? args.size() < expected : args.size() != expected) {
        const QString what = expected == 0 ? u"'%1' takes no arguments"_s.arg(inv.command)
                                           : u"'%1' needs %2"_s.arg(inv.command, QString(spec->arguments));
        return std::unexpected(usage(what + u"\n\n"_s + brief));
    }
    for (const QString &a : args) {
        if (a.isEmpty())
            return std::unexpected(usage(u"empty argument\n\n"_s + brief));
    }
    if (auto r = spec->build(sub, args, inv); !r)
        return std::unexpected(usage(r.error().message + u"\n\n"_s + brief));
    return inv;
}

void applySecret(Invocation &invocation, const QString &secret)
{
    if (!invocation.request.body)
        invocation.request.body = QJsonObject();
    QJsonObject &body = *invocation.request.body;
    switch (invocation.secret) {
    case Secret::None:
        break;
    case Secret::Password:
        body.insert(u"password"_s, secret);
        break;
    case Secret::GitToken: {
        QJsonObject git = body.value(u"git"_s).toObject();
        git.insert(u"token"_s, secret);
        body.insert(u"git"_s, git);
        break;
    }
    }
}

} // namespace gasper::ctl
