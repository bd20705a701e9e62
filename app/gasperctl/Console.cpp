// SPDX-License-Identifier: MIT
#include "Console.h"

#include <csignal>
#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

namespace {

// Ctrl-C at a password prompt must not leave the user's terminal without echo.
termios g_savedTerminal{};
volatile sig_atomic_t g_terminalSaved = 0;

extern "C" void restoreTerminalAndDie(int signal)
{
    if (g_terminalSaved)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_savedTerminal);
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

} // namespace

void Console::out(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void Console::err(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void Console::raw(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

bool Console::stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO) == 1;
}

Result<QString> Console::readStdinSecret()
{
    std::string data;
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        data.append(buffer, n);
        if (data.size() > 64 * 1024)
            return fail(u"usage"_s, u"stdin is too long for a secret"_s);
    }
    if (!data.empty() && data.back() == '\n')
        data.pop_back();
    if (!data.empty() && data.back() == '\r')
        data.pop_back();
    if (data.empty())
        return fail(u"usage"_s, u"nothing on stdin"_s);
    return QString::fromStdString(data);
}

Result<QString> Console::promptSecret(const QString &prompt)
{
    const bool tty = stdinIsTerminal();
    termios saved{};
    if (tty) {
        err(prompt);
        if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
            g_savedTerminal = saved;
            g_terminalSaved = 1;
            std::signal(SIGINT, restoreTerminalAndDie);
            std::signal(SIGTERM, restoreTerminalAndDie);
            termios quiet = saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            quiet.c_lflag |= ECHONL;  // the user still sees that Enter was taken
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
    }
    std::string line;
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        line.push_back(char(c));
    if (g_terminalSaved) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        g_terminalSaved = 0;
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (line.empty())
        return fail(u"usage"_s, u"empty password"_s);
    return QString::fromStdString(line);
}

} // namespace gasper::ctl
