// SPDX-License-Identifier: MIT
#include "TerminalMode.h"


#include <csignal>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace gasper::ctl {

namespace {

int g_signalPipe = -1;  // write end; async-signal-safe use only

void onPosixSignal(int signal)
{
    const int saved = errno;
    if (g_signalPipe >= 0) {
        const char byte = char(signal);
        [[maybe_unused]] const ssize_t n = ::write(g_signalPipe, &byte, 1);
    }
    errno = saved;
}

constexpr int kSignals[] = {SIGWINCH, SIGHUP, SIGTERM, SIGINT};

} // namespace

TerminalMode::TerminalMode(QObject *parent) : QObject(parent)
{
    if (::pipe2(m_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return;
    g_signalPipe = m_pipe[1];
    m_notifier = new QSocketNotifier(m_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TerminalMode::onSignal);
    struct sigaction action = {};
    action.sa_handler = onPosixSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int s : kSignals)
        ::sigaction(s, &action, nullptr);
}

TerminalMode::~TerminalMode()
{
    restore();
    struct sigaction action = {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int s : kSignals)
        ::sigaction(s, &action, nullptr);
    g_signalPipe = -1;
    delete m_notifier;
    for (int fd : m_pipe) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool TerminalMode::isTerminal(int fd)
{
    return ::isatty(fd) == 1;
}

bool TerminalMode::enterRaw()
{
    if (m_saved || !isTerminal(STDIN_FILENO))
        return bool(m_saved);
    auto saved = std::make_unique<termios>();
    if (::tcgetattr(STDIN_FILENO, saved.get()) != 0)
        return false;
    termios raw = *saved;
    ::cfmakeraw(&raw);
    if (::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) != 0)
        return false;
    m_saved = std::move(saved);
    return true;
}

void TerminalMode::restore()
{
    if (m_saved)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, m_saved.get());
    m_saved.reset();
}

std::optional<std::pair<int, int>> TerminalMode::size()
{
    for (int fd : {STDOUT_FILENO, STDIN_FILENO}) {
        winsize ws = {};
        if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
            return std::pair<int, int>(ws.ws_col, ws.ws_row);
    }
    return std::nullopt;
}

void TerminalMode::onSignal()
{
    char received[64];
    const ssize_t n = ::read(m_pipe[0], received, sizeof received);
    bool resize = false;
    for (ssize_t i = 0; i < n; ++i) {
        if (received[i] == SIGWINCH)
            resize = true;
        else
            emit interrupted(received[i]);
    }
    if (resize) {
        if (const auto s = size())
            emit resized(s->first, s->second);
    }
}

} // namespace gasper::ctl
