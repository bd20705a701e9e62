// SPDX-License-Identifier: MIT
#include "Commands.h"

#include "CommandContext.h"
#include "Console.h"
#include "Output.h"
#include "TableFormatter.h"
#include "WaitTracker.h"

#include <QElapsedTimer>
#include <QFile>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

QString normalizeApi(const QString &url)
{
    QString s = url.trimmed();
    while (s.endsWith(u'/'))
        s.chop(1);
    return s;
}

Result<ApiTarget> resolveEndpoint(const GlobalOptions &global, const CredentialStore &store)
{
    std::optional<Credentials> stored;
    if (auto loaded = store.load(); loaded)
        stored = *loaded;

    QString api = global.api;
    if (api.isEmpty())
        api = qEnvironmentVariable("GASPER_API");
    if (api.isEmpty() && stored && !stored->api.isEmpty())
        api = stored->api;
    if (api.isEmpty())
        api = kDefaultApi;
    api = normalizeApi(api);
    const QUrl url(api, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return fail(u"usage"_s, u"the API URL must be http:// or https://, not '%1' (from --api or GASPER_API)"_s.arg(api));

    ApiTarget target{url, global.token, false};
    if (target.token.isEmpty())
        target.token = qEnvironmentVariable("GASPER_TOKEN");
    if (target.token.isEmpty() && stored && normalizeApi(stored->api) == api) {
        target.token = stored->token;
        target.tokenIsStored = true;
    }
    return target;
}

namespace {

Result<QString> readSecret(Context &ctx, const QString &prompt)
{
    if (ctx.inv.secretFromStdin)
        return ctx.console.readStdinSecret();
    auto first = ctx.console.promptSecret(prompt);
    if (!first || !ctx.inv.confirmSecret || !Console::stdinIsTerminal())
        return first;
    auto second = ctx.console.promptSecret(u"Repeat password: "_s);
    if (!second)
        return second;
    if (*first != *second)
        return fail(u"usage"_s, u"the passwords do not match"_s);
    return first;
}

// register and login: the user's password goes into the request, then it is sent.
Result<ApiResponse> sendWithPassword(Context &ctx)
{
    auto password = readSecret(ctx, u"Password for %1: "_s.arg(ctx.inv.target));
    if (!password)
        return std::unexpected(password.error());
    applySecret(ctx.inv, *password);
    return ctx.client.send(ctx.inv.request);
}

void sleepMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
}

// Polls the app every 200 ms, printing each state change, until the tracker decides.
int waitForApp(Context &ctx, WaitTracker &tracker, const std::optional<QJsonObject> &first)
{
    const QString name = ctx.inv.target;
    QElapsedTimer elapsed;
    elapsed.start();
    QString shownState;
    QJsonObject app;
    auto show = [&](WaitTracker::Outcome outcome) {
        // A terminal state that does not decide yet is the app before the action (a rebuild's
        // old container still `running`): printing it would read as if the wait were over.
        if (tracker.state() == shownState || tracker.state().isEmpty()
            || (outcome == WaitTracker::Outcome::Pending && !WaitTracker::isTransitional(tracker.state())))
            return;
        shownState = tracker.state();
        const QString line = name + u": "_s + TableFormatter::printable(shownState) + u'\n';
        ctx.json() ? ctx.console.err(line) : ctx.console.out(line);
    };
    WaitTracker::Outcome outcome = WaitTracker::Outcome::Pending;
    if (first && first->contains(u"state"_s)) {
        app = *first;
        outcome = tracker.observeApp(app);
        show(outcome);
    }
    while (outcome == WaitTracker::Outcome::Pending) {
        if (elapsed.elapsed() > qint64(ctx.inv.waitTimeoutSec) * 1000) {
            return report(ctx, Error{u"timeout"_s, u"gave up waiting for %1 after %2 s (state: %3)"_s.arg(name).arg(ctx.inv.waitTimeoutSec).arg(tracker.state())});
        }
        sleepMs(200);
        auto got = ctx.client.send({"GET", appPath(name)});
        if (!got)
            return report(ctx, got.error());
        app = objectOf(*got);
        outcome = tracker.observeApp(app);
        if (outcome == WaitTracker::Outcome::Pending && tracker.needsDeploys()) {
            auto deploys = ctx.client.send({"GET", appPath(name, u"/deploys"_s)});
            if (!deploys)
                return report(ctx, deploys.error());
            outcome = tracker.observeDeploys(objectOf(*deploys).value(u"deploys"_s).toArray());
        }
        show(outcome);
    }
    if (ctx.json())
        printJson(ctx, app);
    if (outcome == WaitTracker::Outcome::Failed) {
        // A failed rebuild or update leaves the previous container serving: say so.
        const QString still = tracker.state() == u"running" ? u" (the previous deploy still serves)"_s : QString();
        ctx.console.err(u"error: %1 failed: %2%3\n"_s.arg(name, TableFormatter::printable(tracker.failure()).simplified(), still));
        return ExitFailure;
    }
    if (!ctx.json()) {
        const QString url = app.value(u"url"_s).toString();
        ctx.console.out(url.isEmpty() ? name + u" is running\n"_s
                                      : u"%1 is running at %2\n"_s.arg(name, TableFormatter::printable(url)));
    }
    return ExitOk;
}

// What the app looked like before an action, so --wait can tell the action's effect apart.
WaitTracker::Baseline baselineOf(Context &ctx, QString *stateBefore)
{
    WaitTracker::Baseline baseline;
    baseline.requireChange = true;
    if (auto app = ctx.client.send({"GET", appPath(ctx.inv.target)})) {
        const QJsonObject o = objectOf(*app);
        baseline.updatedAt = o.value(u"updated_at"_s).toString();
        baseline.state = o.value(u"state"_s).toString();
        if (stateBefore)
            *stateBefore = baseline.state;
    }
    if (auto deploys = ctx.client.send({"GET", appPath(ctx.inv.target, u"/deploys"_s)})) {
        int newest = 0;  // no deploy yet: any deploy is new
        for (const QJsonValue &d : objectOf(*deploys).value(u"deploys"_s).toArray())
            newest = std::max(newest, d.toObject().value(u"number"_s).toInt());
        baseline.lastDeploy = newest;
    }
    return baseline;
}

// ---- one function per command -------------------------------------------------------

int cmdRegister(Context &ctx)
{
    auto r = sendWithPassword(ctx);
    if (!r)
        return report(ctx, r.error());
    if (ctx.json())
        printJson(ctx, r->body);
    else
        ctx.console.out(u"registered "_s + formatUser(objectOf(*r)) + u"\nnext: gasperctl login "_s + ctx.inv.target + u'\n');
    return ExitOk;
}

int cmdLogin(Context &ctx)
{
    auto r = sendWithPassword(ctx);
    if (!r)
        return report(ctx, r.error());
    QJsonObject answer = objectOf(*r);
    const QString token = answer.value(u"token"_s).toString();
    if (token.isEmpty())
        return report(ctx, Error{u"bad-answer"_s, u"the login answer has no token"_s});
    const QJsonObject user = answer.value(u"user"_s).toObject();
    Credentials credentials{normalizeApi(ctx.target.api.toString()), token,
                            user.value(u"username"_s).toString(ctx.inv.target), answer.value(u"expires_at"_s).toString()};
    if (auto saved = ctx.store.save(credentials); !saved)
        return report(ctx, saved.error());
    if (ctx.json()) {
        answer.remove(u"token"_s);  // never printed, not even in --json
        printJson(ctx, answer);
    } else {
        QString line = u"logged in to %1 as %2"_s.arg(credentials.api, formatUser(user.isEmpty() ? QJsonObject{{u"username"_s, ctx.inv.target}} : user));
        if (!credentials.expiresAt.isEmpty())
            line += u"; the token expires "_s + formatTime(credentials.expiresAt);
        ctx.console.out(line + u'\n');
    }
    return ExitOk;
}

int cmdLogout(Context &ctx)
{
    if (ctx.target.token.isEmpty()) {
        ctx.console.err(u"not logged in\n"_s);
        return ExitOk;
    }
    auto r = ctx.client.send(ctx.inv.request);
    // A token the server no longer knows is as good as revoked: forget it anyway.
    const bool revoked = r.has_value() || ctx.client.lastStatus() == 401;
    if (ctx.target.tokenIsStored && revoked) {
        if (auto removed = ctx.store.remove(); !removed)
            return report(ctx, removed.error());
    }
    if (!r && !revoked)
        return report(ctx, r.error());
    if (!ctx.json())
        ctx.console.out(u"logged out\n"_s);
    return ExitOk;
}

int cmdWhoami(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) {
        ctx.console.out(formatUser(objectOf(r)) + u" at "_s + normalizeApi(ctx.target.api.toString()) + u'\n');
    });
}

int cmdApps(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) {
        const QJsonDocument doc = QJsonDocument::fromJson(r.body);
        const QJsonArray apps = doc.isArray() ? doc.array() : doc.object().value(u"apps"_s).toArray();
        if (apps.isEmpty())
            ctx.console.err(u"no apps yet — `gasperctl create <name> …` makes one\n"_s);
        else
            ctx.console.out(formatAppsTable(apps, QDateTime::currentDateTimeUtc()));
    });
}

int cmdCreate(Context &ctx)
{
    if (ctx.inv.secret == Secret::GitToken) {
        auto token = ctx.console.readStdinSecret();
        if (!token)
            return report(ctx, token.error());
        applySecret(ctx.inv, *token);
    }
    auto r = ctx.client.send(ctx.inv.request);
    if (!r)
        return report(ctx, r.error());
    const QJsonObject app = objectOf(*r);
    if (ctx.inv.wait) {
        WaitTracker tracker({});
        return waitForApp(ctx, tracker, app);
    }
    if (ctx.json())
        printJson(ctx, r->body);
    else
        ctx.console.out(u"%1 created (%2); `gasperctl get %1` shows its progress\n"_s.arg(
            ctx.inv.target, TableFormatter::printable(app.value(u"state"_s).toString(u"queued"_s))));
    return ExitOk;
}

int cmdGet(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) { ctx.console.out(formatApp(objectOf(r))); });
}

int cmdLogs(Context &ctx)
{
    auto r = ctx.client.stream(ctx.inv.request, [&ctx](const QByteArray &chunk) { ctx.console.raw(chunk); });
    if (!r)
        return report(ctx, r.error());
    return ExitOk;
}

int cmdDeploys(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) {
        const QJsonArray deploys = objectOf(r).value(u"deploys"_s).toArray();
        if (deploys.isEmpty())
            ctx.console.err(u"no deploys yet\n"_s);
        else
            ctx.console.out(formatDeploysTable(deploys));
    });
}

// rebuild, restart, stop, start, rollback (POST …/<action>) and update (PATCH): accepted with 202.
int cmdAction(Context &ctx)
{
    if (ctx.inv.secret == Secret::GitToken) {
        auto token = ctx.console.readStdinSecret();
        if (!token)
            return report(ctx, token.error());
        applySecret(ctx.inv, *token);
    }
    QString stateBefore;
    WaitTracker::Baseline baseline;
    if (ctx.inv.wait)
        baseline = baselineOf(ctx, &stateBefore);
    auto r = ctx.client.send(ctx.inv.request);
    if (!r)
        return report(ctx, r.error());
    const QJsonObject answer = objectOf(*r);
    if (ctx.inv.wait) {
        // Starting a running app changes nothing: waiting for a change would never end.
        if (ctx.inv.command == u"start" && stateBefore == u"running")
            baseline.requireChange = false;
        // Rebuild and update answer 202 with their deploy already recorded: it decides.
        baseline.deployDecides = ctx.inv.command == u"rebuild" || ctx.inv.command == u"update" || ctx.inv.command == u"rollback";
        WaitTracker tracker(baseline);
        return waitForApp(ctx, tracker, answer.contains(u"state"_s) ? std::optional(answer) : std::nullopt);
    }
    if (ctx.json()) {
        printJson(ctx, r->body);
        return ExitOk;
    }
    if (ctx.inv.command == u"rollback") {
        ctx.console.out(u"%1: rolling back to deploy #%2 (commit %3); the current container serves until the new one "
                        "is healthy\n"_s.arg(ctx.inv.target,
                                             QString::number(ctx.inv.request.body->value(u"deploy"_s).toInteger()),
                                             answer.value(u"git"_s).toObject().value(u"commit"_s).toString().left(12)));
        return ExitOk;
    }
    ctx.console.out(u"%1: %2 accepted\n"_s.arg(ctx.inv.target, ctx.inv.command));
    return ExitOk;
}

int cmdDelete(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &) { ctx.console.out(u"%1 deleted\n"_s.arg(ctx.inv.target)); });
}

int cmdKeysAdd(Context &ctx)
{
    QFile file;
    const bool fromStdin = ctx.inv.target == u"-";
    if (fromStdin ? !file.open(stdin, QIODevice::ReadOnly) : (file.setFileName(ctx.inv.target), !file.open(QIODevice::ReadOnly)))
        return report(ctx, Error{u"usage"_s, u"cannot read %1: %2"_s.arg(ctx.inv.target, file.errorString())});
    const QByteArray text = file.read(64 * 1024).trimmed();
    if (text.startsWith("-----BEGIN"))
        return report(ctx, Error{u"usage"_s, u"%1 is a private key: give the .pub file"_s.arg(ctx.inv.target)});
    ctx.inv.request.body->insert(u"public_key"_s, QString::fromUtf8(text));
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) {
        const QJsonObject key = objectOf(r);
        ctx.console.out(u"added key %1 (%2)\n"_s.arg(key.value(u"name"_s).toString(), key.value(u"fingerprint"_s).toString()));
    });
}

int cmdKeysList(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &r) {
        const QJsonArray keys = objectOf(r).value(u"keys"_s).toArray();
        if (keys.isEmpty()) {
            ctx.console.err(u"no SSH keys yet — `gasperctl keys add ~/.ssh/id_ed25519.pub` adds one\n"_s);
            return;
        }
        TableFormatter table({u"ID"_s, u"NAME"_s, u"TYPE"_s, u"FINGERPRINT"_s, u"ADDED"_s});
        for (const QJsonValue &v : keys) {
            const QJsonObject k = v.toObject();
            table.addRow({QString::number(k.value(u"id"_s).toInteger()), k.value(u"name"_s).toString(),
                          k.value(u"type"_s).toString(), k.value(u"fingerprint"_s).toString(),
                          k.value(u"created_at"_s).toString()});
        }
        ctx.console.out(table.toString());
    });
}

int cmdKeysRemove(Context &ctx)
{
    return sendAndShow(ctx, [&ctx](const ApiResponse &) { ctx.console.out(u"removed key %1\n"_s.arg(ctx.inv.target)); });
}

// The line to paste: the API's host, the SSH port, the app as the user name.
int cmdSsh(Context &ctx)
{
    const QString host = ctx.target.api.host().isEmpty() ? u"127.0.0.1"_s : ctx.target.api.host();
    const QString address = ctx.inv.target + u'@' + (host.contains(u':') ? u'[' + host + u']' : host);
    const QString port = QString::number(ctx.inv.sshPort);
    const QString ssh = u"ssh -p %1 %2"_s.arg(port, address);
    const QString sftp = u"sftp -P %1 %2"_s.arg(port, address);
    const QString line = ctx.inv.sftp ? sftp : ssh;
    if (ctx.json())
        ctx.console.out(QString::fromUtf8(QJsonDocument(QJsonObject{{u"command"_s, line}, {u"ssh"_s, ssh},
                                                                    {u"sftp"_s, sftp}, {u"app"_s, ctx.inv.target}})
                                              .toJson(QJsonDocument::Compact))
                        + u'\n');
    else
        ctx.console.out(line + u'\n');
    return ExitOk;
}

using CommandFn = int (*)(Context &);

CommandFn commandFunction(const QString &command)
{
    static const QHash<QString, CommandFn> table{
        {u"register"_s, cmdRegister}, {u"login"_s, cmdLogin},   {u"logout"_s, cmdLogout},
        {u"whoami"_s, cmdWhoami},     {u"apps"_s, cmdApps},     {u"create"_s, cmdCreate},
        {u"get"_s, cmdGet},           {u"logs"_s, cmdLogs},     {u"deploys"_s, cmdDeploys},
        {u"metrics"_s, cmdMetrics},
        {u"rebuild"_s, cmdAction},    {u"restart"_s, cmdAction}, {u"stop"_s, cmdAction},
        {u"start"_s, cmdAction},      {u"update"_s, cmdAction}, {u"delete"_s, cmdDelete},
        {u"rollback"_s, cmdAction},
        {u"keys add"_s, cmdKeysAdd},  {u"keys list"_s, cmdKeysList}, {u"keys rm"_s, cmdKeysRemove},
        {u"ssh"_s, cmdSsh},           {u"shell"_s, cmdShell},   {u"exec"_s, cmdShell}, {u"hooks"_s, cmdHooks},
    };
    return table.value(command, nullptr);
}

} // namespace

int runGasperctl(const QStringList &arguments, Console &console)
{
    auto parsed = parseCommandLine(arguments);
    if (!parsed)
        return report(console, parsed.error());
    Invocation &inv = *parsed;
    if (inv.showVersion) {
        console.out(versionText() + u'\n');
        return ExitOk;
    }
    if (inv.showHelp) {
        console.out(inv.helpText);
        return ExitOk;
    }
    CommandFn fn = commandFunction(inv.command);
    if (!fn)
        return report(console, Error{u"usage"_s, u"unknown command '%1'"_s.arg(inv.command)});

    CredentialStore store;
    auto target = resolveEndpoint(inv.global, store);
    if (!target)
        return report(console, target.error());
    Context ctx{std::move(inv), console, store, *target, ApiClient(target->api, target->token)};
    return fn(ctx);
}

} // namespace gasper::ctl
