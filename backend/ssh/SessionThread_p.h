// SPDX-License-Identifier: MIT
#pragma once

#include "core/Config.h"
#include "ssh/SessionLink_p.h"

#include <QByteArray>
#include <QStringList>

#include <chrono>
#include <memory>

namespace gasper::ssh {
class SshServer;
}

namespace gasper::ssh::detail {

// The body of one session's thread: the only code that touches its libssh session. Talks
// to the event loop only by posting to `server` (queued) and through the link.
class SessionThread
{
public:
    SessionThread(SshServer *server, std::shared_ptr<SessionLink> link, QByteArray hostKey, SshSettings settings);
    void run();

    // libssh callbacks (C linkage trampolines call these).
    int onAuthPassword(const char *user, const char *password);
    int onAuthPublicKey(const char *user, void *key, signed char state);
    void *onChannelOpen();
    int onPtyRequest(const char *term, int cols, int rows);
    int onShellOrExec(const char *command);
    int onSubsystem(const char *name);
    int onEnv(const char *name, const char *value);
    int onWindowChange(int cols, int rows);
    int onData(void *data, uint32_t len, int isStderr);
    void onEof();
    void onClose();
    void onWake();

private:
    std::optional<Result<SshLogin>> ask(const SshCredentials &credentials, bool probe);
    int denied();
    bool pastGrace() const;
    bool flushOutput();  // false on a channel error
    void finishCommand(const Result<int> &exit);
    void post(std::function<void(SshServer &)> fn);

    SshServer *m_server;
    std::shared_ptr<SessionLink> m_link;
    QByteArray m_hostKey;
    SshSettings m_settings;
    std::chrono::steady_clock::time_point m_graceDeadline;
    std::chrono::steady_clock::time_point m_lastActivity;

    void *m_session = nullptr;  // ssh_session
    void *m_channel = nullptr;  // ssh_channel
    void *m_channelCallbacks = nullptr;
    QString m_app;
    QString m_source;
    bool m_authenticated = false;
    bool m_fatal = false;
    int m_failedTries = 0;
    quint64 m_ticket = 0;
    bool m_tty = false;
    QString m_term;
    int m_cols = 80;
    int m_rows = 24;
    QStringList m_env;
    bool m_commandStarted = false;
    bool m_channelClosed = false;
    bool m_exitSent = false;
};

} // namespace gasper::ssh::detail
