// SPDX-License-Identifier: MIT
#pragma once

#include "ApiClient.h"
#include "CommandLine.h"
#include "Commands.h"
#include "CredentialStore.h"

#include <QJsonObject>

namespace gasper::ctl {

class Console;

// Everything a command needs; one per run. Commands are `int cmdX(Context &)` returning an
// ExitCode; they live in Commands.cpp or, for a command family of their own, in a file of
// their own (ShellCommands.cpp) declared at the end of this header.
struct Context
{
    Invocation inv;
    Console &console;
    CredentialStore store;
    ApiTarget target;
    ApiClient client;

    bool json() const { return inv.global.json; }
};

// Prints `error` on stderr as gasperctl does everywhere and returns its exit code.
int report(Console &console, const Error &error);
// An API error, with a hint when the reason is that we sent no token at all.
int report(Context &ctx, Error error);

// --json output: the API's body as it came (one line, newline-terminated).
void printJson(Context &ctx, const QByteArray &body);
void printJson(Context &ctx, const QJsonObject &object);
QJsonObject objectOf(const ApiResponse &response);

// The shape most commands share: send the invocation's request; on an error report it; with
// --json print the answer as it came; otherwise hand it to `human` to print for a person.
template<class Human>
int sendAndShow(Context &ctx, Human &&human)
{
    auto r = ctx.client.send(ctx.inv.request);
    if (!r)
        return report(ctx, r.error());
    if (ctx.json())
        printJson(ctx, r->body);
    else
        human(*r);
    return ExitOk;
}

// Commands in files of their own.
int cmdShell(Context &ctx);  // shell and exec, over WS /api/v1/apps/{name}/terminal

} // namespace gasper::ctl
