// SPDX-License-Identifier: MIT
#pragma once

#include "core/Config.h"
#include "core/Result.h"
#include "ssh/Keys.h"
#include "ssh/Limits.h"
#include "ssh/SshAuthenticator.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <memory>
#include <thread>

namespace gasper::docker {
class DockerClient;
class ExecSession;
}

namespace gasper::ssh {

namespace detail {
struct SessionLink;
class Listener;
class SessionThread;
}

// Iwa: `ssh <app>@host [CMD]` into the app's live container. libssh 0.10 in server mode.
//
// Threads: the server, its listener, the authenticator and the Docker client live on one
// event-loop thread and never call libssh. Every accepted connection gets a thread of its
// own that alone touches its libssh session (key exchange, auth, channel) and talks to the
// event loop through a SessionLink: requests posted to the server (queued), answers and
// the command's output through a queue that wakes the session's poll loop (an eventfd).
//
// Limits (libssh has none of sshd's): login grace (key exchange + auth; the socket is shut
// when it passes), MaxAuthTries, MaxStartups with random early drop, connections per source
// address and in total, an idle timeout, failed logins per app and per source in a window.
// Port, agent and X11 forwarding are refused; libssh's global server config is not read.
// Flow control: when a session's queue of output holds more than kHighWater bytes the exec
// stream is paused (the engine's socket and then the process are held back) until the
// session thread has written it below kLowWater.
class SshServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshServer)

public:
    static constexpr qint64 kHighWater = 1024 * 1024;
    static constexpr qint64 kLowWater = 256 * 1024;

    SshServer(docker::DockerClient *docker, SshAuthenticator *authenticator, HostKey hostKey,
              SshSettings settings, QObject *parent = nullptr);
    ~SshServer() override;  // ends every session and joins its thread

    Result<void> listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;
    const HostKey &hostKey() const { return m_hostKey; }
    int sessionCount() const { return int(m_sessions.size()); }
    int unauthenticatedCount() const { return m_unauthenticated; }

signals:
    // A connection was refused before its thread started (limits), for tests and metrics.
    void connectionRefused(const QString &source, const QString &reason);

private:
    friend class detail::Listener;
    friend class detail::SessionThread;
    struct Session;

    void onConnection(qintptr fd);
    void onAuthRequest(quint64 id, quint64 ticket, const SshCredentials &credentials, bool probe);
    void answerAuth(quint64 id, quint64 ticket, Result<SshLogin> answer);
    void onStartExec(quint64 id, const QString &command, bool tty, const QString &term, int cols, int rows,
                     const QStringList &env);
    void onStdin(quint64 id, const QByteArray &data);
    void onStdinEof(quint64 id);
    void onResize(quint64 id, int cols, int rows);
    void onResumeOutput(quint64 id);
    void onSessionEnded(quint64 id);
    void onGraceExpired(quint64 id);
    Session *session(quint64 id) const;
    void post(quint64 id, std::function<void(Session &)> fn);

    QPointer<docker::DockerClient> m_docker;
    SshAuthenticator *m_authenticator;
    HostKey m_hostKey;
    SshSettings m_settings;
    detail::Listener *m_listener = nullptr;
    QHash<quint64, Session *> m_sessions;
    QHash<QString, int> m_perSource;
    int m_unauthenticated = 0;
    quint64 m_nextId = 1;
    FailureLimiter m_appFailures;
    FailureLimiter m_sourceFailures;
};

} // namespace gasper::ssh
