// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>
#include <optional>

struct termios;

namespace gasper::ctl {

// The local terminal while `gasperctl shell` runs: stdin in raw mode (every key, ^C
// included, goes to the remote shell), restored when this object goes, whatever ended the
// session. SIGWINCH becomes resized(); SIGHUP, SIGTERM and SIGINT become interrupted(), so
// the terminal is restored instead of being left raw by a killed process. One instance at a
// time (the signal handlers write to one self-pipe).
class TerminalMode final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TerminalMode)

public:
    explicit TerminalMode(QObject *parent = nullptr);
    ~TerminalMode() override;

    // Raw mode on stdin when it is a terminal; false (and nothing changed) otherwise.
    bool enterRaw();
    void restore();  // back to the mode before enterRaw() (the destructor does it too)
    // The size of the terminal on stdout (else stdin); nullopt when neither is one.
    static std::optional<std::pair<int, int>> size();
    static bool isTerminal(int fd);

signals:
    void resized(int cols, int rows);
    void interrupted(int signal);

private:
    void onSignal();

    std::unique_ptr<termios> m_saved;
    int m_pipe[2] = {-1, -1};
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace gasper::ctl
