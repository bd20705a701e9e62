// SPDX-License-Identifier: MIT
#pragma once

#include "CommandLine.h"

#include <QStringList>
#include <QUrl>

namespace gasper::ctl {

class Console;
class CredentialStore;

inline constexpr QLatin1StringView kDefaultApi{"http://127.0.0.1:3000"};

// Where to send requests and with which token, after the precedence rules:
// api   = --api, $GASPER_API, the stored login's URL, http://127.0.0.1:3000;
// token = --token, $GASPER_TOKEN, the stored token — but the stored token only when the
//         API is the one it was issued by, so `--api https://elsewhere` never leaks it.
struct ApiTarget
{
    QUrl api;
    QString token;
    bool tokenIsStored = false;
};
Result<ApiTarget> resolveEndpoint(const GlobalOptions &global, const CredentialStore &store);

// "http://host:3000/" and "http://host:3000" are the same API.
QString normalizeApi(const QString &url);

// gasperctl's whole life: parse `arguments`, run the command, return the exit code
// (ExitCode). Prints results on stdout, diagnostics on stderr, never a token.
int runGasperctl(const QStringList &arguments, Console &console);

} // namespace gasper::ctl
