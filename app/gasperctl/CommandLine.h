// SPDX-License-Identifier: MIT
#pragma once

#include "ApiRequest.h"

#include "core/Result.h"

#include <QStringList>

namespace gasper::ctl {

// Exit codes of gasperctl (sysexits.h for usage).
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,      // the API answered with an error, or a --wait ended in `failed`
    ExitUnreachable = 2,  // no HTTP answer at all from the API
    ExitUsage = 64,       // bad command line
};

// Options every command accepts, before or after the command name.
struct GlobalOptions
{
    QString api;    // --api; empty: GASPER_API, the stored login's URL, the default
    QString token;  // --token; empty: GASPER_TOKEN, the stored login
    bool json = false;
};

// A secret the command needs before its request can be sent; read from stdin or a prompt,
// never from argv (it would show in `ps` and the shell history).
enum class Secret { None, Password, GitToken };

// shell/exec: whether the remote process gets a terminal (-t / -T; Auto: shell when stdin is one).
enum class TtyMode { Auto, Always, Never };

// A parsed command line: which command, the API request it makes first, and how to run it.
// Commands that make more than one request (logout, --wait) start with `request`.
struct Invocation
{
    QString command;  // "apps", "create", …
    QString target;   // the app name or username the command is about
    GlobalOptions global;
    ApiRequest request;

    Secret secret = Secret::None;
    bool secretFromStdin = false;  // --password-stdin / --token-stdin
    bool confirmSecret = false;    // register: ask twice when prompting

    bool wait = false;
    int waitTimeoutSec = 900;
    int sshPort = 2222;  // `ssh`: the port printed
    bool sftp = false;   // `ssh --sftp`: the sftp command line instead
    QString shellCommand;  // `exec`: the command line for /bin/sh -c; `shell`: empty
    TtyMode tty = TtyMode::Auto;
    bool table = false;  // `metrics --table`: one row per point instead of the summary
    bool showSecret = false;  // `hooks`: print the webhook secret (--show-secret, --rotate)

    bool showHelp = false;     // print helpText on stdout, exit 0
    bool showVersion = false;  // print the version, exit 0
    QString helpText;
};

// Parses `arguments` (arguments[0] is the program) into an Invocation. A usage error is
// `Error{"usage", "<what is wrong>\n\n<usage of the command>"}`; nothing is read or sent.
Result<Invocation> parseCommandLine(const QStringList &arguments);

// The overview printed by `gasperctl --help`.
QString mainHelpText();

// Puts the secret read for `invocation.secret` into the request body.
void applySecret(Invocation &invocation, const QString &secret);

QString versionText();

} // namespace gasper::ctl
