// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace gasper::ctl {

// The process's terminal: stdout, stderr and stdin, unbuffered enough that `logs -f`
// shows each chunk as it arrives. Secrets are read here and nowhere else.
class Console final
{
public:
    void out(const QString &text);           // stdout, UTF-8
    void err(const QString &text);           // stderr, UTF-8
    void raw(const QByteArray &bytes);       // stdout as is, flushed

    // The whole of stdin with one trailing newline removed (`--password-stdin`, like docker login).
    Result<QString> readStdinSecret();
    // Prompts on stderr and reads a line from the terminal with echo off; from a pipe,
    // reads a line without prompting.
    Result<QString> promptSecret(const QString &prompt);
    static bool stdinIsTerminal();
};

} // namespace gasper::ctl
