// SPDX-License-Identifier: MIT
// gasperctl shell / exec: a process in the app's container over WS /api/v1/apps/{name}/terminal,
// so no SSH client (and no SSH port) is needed.
#include "CommandContext.h"
#include "Console.h"
#include "RemoteShell.h"
#include "TableFormatter.h"
#include "TerminalMode.h"

#include <QEventLoop>
#include <QUrlQuery>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

namespace {

QUrl terminalUrl(const Context &ctx, int cols, int rows, bool tty)
{
    QUrl url = ctx.target.api;
    url.setScheme(url.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    // appPath() is percent-encoded already: keep it as it is.
    url.setPath(url.path(QUrl::FullyEncoded) + appPath(ctx.inv.target, u"/terminal"_s), QUrl::StrictMode);
    QUrlQuery query;
    query.addQueryItem(u"cols"_s, QString::number(cols));
    query.addQueryItem(u"rows"_s, QString::number(rows));
    if (!ctx.inv.shellCommand.isEmpty())
        query.addQueryItem(u"command"_s, QString::fromLatin1(QUrl::toPercentEncoding(ctx.inv.shellCommand)));
    if (!tty)
        query.addQueryItem(u"tty"_s, u"0"_s);
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

} // namespace

int cmdShell(Context &ctx)
{
    // Ask the REST API first: its errors (not logged in, no such app, not running) are clear
    // sentences, where a refused WebSocket upgrade only says "handshake failed".
    auto app = ctx.client.send({"GET", appPath(ctx.inv.target)});
    if (!app)
        return report(ctx, app.error());
    const QString state = objectOf(*app).value(u"state"_s).toString();
    if (state != u"running" && state != u"restarting")
        return report(ctx, Error{u"not-running"_s, u"%1 is %2: a shell needs its running container"_s.arg(
                                                        ctx.inv.target, TableFormatter::printable(state))});

    // A terminal when asked (-t), never when refused (-T); by default for `shell` when stdin
    // is one, and not for `exec` (as ssh and docker exec do), so scripts get clean bytes.
    const bool stdinTty = TerminalMode::isTerminal(STDIN_FILENO);
    const bool tty = ctx.inv.tty == TtyMode::Always || (ctx.inv.tty == TtyMode::Auto && ctx.inv.command == u"shell" && stdinTty);
    const auto size = TerminalMode::size().value_or(std::pair<int, int>(80, 24));

    TerminalMode terminal;
    RemoteShell shell(terminalUrl(ctx, size.first, size.second, tty), ctx.target.token, tty);
    QEventLoop loop;
    Result<int> outcome = fail(u"terminal-closed"_s, u"the session ended early"_s);
    QObject::connect(&shell, &RemoteShell::finished, &loop, [&](const Result<int> &r) {
        outcome = r;
        loop.quit();
    });
    QObject::connect(&terminal, &TerminalMode::resized, &shell, &RemoteShell::resize);
    QObject::connect(&terminal, &TerminalMode::interrupted, &shell, [&shell](int) { shell.hangUp(); });
    if (tty && stdinTty)
        terminal.enterRaw();
    shell.start();
    loop.exec();
    terminal.restore();  // before anything is printed for the user
    if (!outcome)
        return report(ctx, outcome.error());
    return std::clamp(*outcome, 0, 255);
}

} // namespace gasper::ctl
