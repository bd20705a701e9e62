// SPDX-License-Identifier: MIT
#include "CommandContext.h"

#include "Console.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

int report(Console &console, const Error &error)
{
    if (error.code == u"usage") {
        console.err(u"error: "_s + error.message + (error.message.endsWith(u'\n') ? QString() : u"\n"_s));
        return ExitUsage;
    }
    if (error.code == u"unreachable") {
        console.err(u"error: "_s + error.message + u'\n');
        return ExitUnreachable;
    }
    console.err(u"error: %1 (%2)\n"_s.arg(error.message.trimmed(), error.code));
    return ExitFailure;
}

int report(Context &ctx, Error error)
{
    // The master's own sentence is about HTTP headers; the user needs the command.
    if (ctx.client.lastStatus() == 401 && !ctx.client.hasToken() && ctx.inv.request.authenticated)
        error.message = u"not logged in to %1: run `gasperctl login <username>`"_s.arg(
            normalizeApi(ctx.target.api.adjusted(QUrl::RemoveUserInfo).toString()));
    return report(ctx.console, error);
}

void printJson(Context &ctx, const QByteArray &body)
{
    if (body.isEmpty())
        return;
    ctx.console.raw(body.endsWith('\n') ? body : body + '\n');
}

void printJson(Context &ctx, const QJsonObject &object)
{
    printJson(ctx, QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject objectOf(const ApiResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

} // namespace gasper::ctl
