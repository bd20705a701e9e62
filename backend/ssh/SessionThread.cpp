// SPDX-License-Identifier: MIT
#include "ssh/SessionThread_p.h"

#include "core/Log.h"
#include "ssh/SshServer.h"

#include <QMetaObject>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace gasper::ssh::detail {

using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;

SessionLink::~SessionLink()
{
    ::close(wakeFd);
}

void SessionLink::wake()
{
    const uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakeFd, &one, sizeof one);
}

void SessionLink::shutdownSocket()
{
    std::lock_guard lock(mutex);
    if (fdOpen)
        ::shutdown(fd, SHUT_RDWR);
}

namespace {

SessionThread *self(void *userdata)
{
    return static_cast<SessionThread *>(userdata);
}

// C trampolines: libssh calls these on the session thread, from inside ssh_event_dopoll().
int authPassword(ssh_session, const char *user, const char *password, void *ud)
{
    return self(ud)->onAuthPassword(user, password);
}
int authPubkey(ssh_session, const char *user, struct ssh_key_struct *key, char state, void *ud)
{
    return self(ud)->onAuthPublicKey(user, key, static_cast<signed char>(state));
}
ssh_channel channelOpen(ssh_session, void *ud)
{
    return static_cast<ssh_channel>(self(ud)->onChannelOpen());
}
int ptyRequest(ssh_session, ssh_channel, const char *term, int cols, int rows, int, int, void *ud)
{
    return self(ud)->onPtyRequest(term, cols, rows);
}
int shellRequest(ssh_session, ssh_channel, void *ud)
{
    return self(ud)->onShellOrExec(nullptr);
}
int execRequest(ssh_session, ssh_channel, const char *command, void *ud)
{
    return self(ud)->onShellOrExec(command ? command : "");
}
int envRequest(ssh_session, ssh_channel, const char *name, const char *value, void *ud)
{
    return self(ud)->onEnv(name, value);
}
int subsystemRequest(ssh_session, ssh_channel, const char *subsystem, void *ud)
{
    return self(ud)->onSubsystem(subsystem ? subsystem : "");
}
int windowChange(ssh_session, ssh_channel, int cols, int rows, int, int, void *ud)
{
    return self(ud)->onWindowChange(cols, rows);
}
int channelData(ssh_session, ssh_channel, void *data, uint32_t len, int isStderr, void *ud)
{
    return self(ud)->onData(data, len, isStderr);
}
void channelEof(ssh_session, ssh_channel, void *ud)
{
    self(ud)->onEof();
}
void channelClose(ssh_session, ssh_channel, void *ud)
{
    self(ud)->onClose();
}
int wakeReady(socket_t, int, void *ud)
{
    self(ud)->onWake();
    return 0;
}

QString peerAddress(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return u"?"_s;
    QHostAddress host(reinterpret_cast<sockaddr *>(&address));
    return host.toString();
}

// What `ssh` shows before "Permission denied" for a locked or gone session: nothing, as sshd.
constexpr int kPollMs = 200;

} // namespace

SessionThread::SessionThread(SshServer *server, std::shared_ptr<SessionLink> link, QByteArray hostKey,
                             SshSettings settings)
    : m_server(server)
    , m_link(std::move(link))
    , m_hostKey(std::move(hostKey))
    , m_settings(settings)
    , m_graceDeadline(Clock::now() + std::chrono::seconds(settings.loginGraceSec))
    , m_lastActivity(Clock::now())
{
}

void SessionThread::post(std::function<void(SshServer &)> fn)
{
    SshServer *server = m_server;
    QMetaObject::invokeMethod(server, [server, fn = std::move(fn)] { fn(*server); }, Qt::QueuedConnection);
}

bool SessionThread::pastGrace() const
{
    return !m_authenticated && Clock::now() >= m_graceDeadline;
}

void SessionThread::run()
{
    m_source = peerAddress(m_link->fd);
    ssh_bind bind = ssh_bind_new();
    ssh_session session = ssh_new();
    m_session = session;
    ssh_event event = nullptr;
    bool ok = bind && session;

    struct ssh_server_callbacks_struct serverCallbacks = {};
    serverCallbacks.userdata = this;
    serverCallbacks.auth_password_function = authPassword;
    serverCallbacks.auth_pubkey_function = authPubkey;
    serverCallbacks.channel_open_request_session_function = channelOpen;
    ssh_callbacks_init(&serverCallbacks);

    struct ssh_channel_callbacks_struct channelCallbacks = {};
    channelCallbacks.userdata = this;
    channelCallbacks.channel_pty_request_function = ptyRequest;
    channelCallbacks.channel_shell_request_function = shellRequest;
    channelCallbacks.channel_exec_request_function = execRequest;
    channelCallbacks.channel_env_request_function = envRequest;
    channelCallbacks.channel_subsystem_request_function = subsystemRequest;
    channelCallbacks.channel_pty_window_change_function = windowChange;
    channelCallbacks.channel_data_function = channelData;
    channelCallbacks.channel_eof_function = channelEof;
    channelCallbacks.channel_close_function = channelClose;
    // Agent and X11 requests have no callback: libssh answers them with a failure. Port
    // forwarding (tcpip-forward, direct-tcpip) is refused the same way.
    ssh_callbacks_init(&channelCallbacks);
    m_channelCallbacks = &channelCallbacks;

    if (ok) {
        bool no = false;
        ssh_key key = nullptr;
        // The global sshd config of libssh (/etc/libssh/libssh_server.config) is not read.
        ok = ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no) == SSH_OK
             && ssh_pki_import_privkey_base64(m_hostKey.constData(), nullptr, nullptr, nullptr, &key) == SSH_OK
             && ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY, key) == SSH_OK;
        if (!ok && key)
            ssh_key_free(key);
    }
    if (ok) {
        bool no = false;
        long timeout = m_settings.loginGraceSec;
        ssh_options_set(session, SSH_OPTIONS_PROCESS_CONFIG, &no);
        // Blocking libssh has no key-exchange deadline unless given one: the login grace.
        ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout);
        ok = ssh_bind_accept_fd(bind, session, m_link->fd) == SSH_OK;
        if (!ok)
            qCDebug(lcSsh) << "accept failed for" << m_source << ssh_get_error(bind);
    }
    if (ok) {
        ssh_set_auth_methods(session, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
        ssh_set_server_callbacks(session, &serverCallbacks);
        ok = ssh_handle_key_exchange(session) == SSH_OK;
        if (!ok)
            qCDebug(lcSsh) << "key exchange with" << m_source << "failed:" << ssh_get_error(session);
    }
    if (ok) {
        event = ssh_event_new();
        ok = event && ssh_event_add_session(event, session) == SSH_OK
             && ssh_event_add_fd(event, m_link->wakeFd, POLLIN, wakeReady, this) == SSH_OK;
    }
    // Authentication and the channel's shell/exec request, within the grace.
    while (ok && !m_fatal && !(m_authenticated && m_commandStarted)) {
        {
            std::lock_guard lock(m_link->mutex);
            if (m_link->stop)
                break;
        }
        if (pastGrace()) {
            qCInfo(lcSsh).noquote() << "login grace passed for" << m_source << "- disconnecting";
            break;
        }
        if (m_channelClosed || ssh_event_dopoll(event, kPollMs) == SSH_ERROR)
            break;
        if ((ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0)
            break;
    }
    const bool running = ok && !m_fatal && m_authenticated && m_commandStarted;
    if (running) {
        // A blocking flush may wait for a slow client this long before it gives up.
        long timeout = std::max(m_settings.idleTimeoutSec, 60);
        ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &timeout);
        m_lastActivity = Clock::now();
    }
    while (running && !m_exitSent) {
        {
            std::lock_guard lock(m_link->mutex);
            if (m_link->stop)
                break;
        }
        if (ssh_event_dopoll(event, kPollMs) == SSH_ERROR)
            break;
        if (m_channelClosed || (ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0)
            break;
        if (!flushOutput())
            break;
        if (m_settings.idleTimeoutSec > 0 && Clock::now() - m_lastActivity > std::chrono::seconds(m_settings.idleTimeoutSec)) {
            qCInfo(lcSsh).noquote() << "session" << m_link->id << "of" << m_app << "idle: closing";
            if (m_channel) {
                const QByteArray message = "\r\ngasper: closing an idle session\r\n";
                ssh_channel_write_stderr(static_cast<ssh_channel>(m_channel), message.constData(), uint32_t(message.size()));
            }
            break;
        }
    }
    if (m_channel && !m_exitSent && ssh_channel_is_open(static_cast<ssh_channel>(m_channel))) {
        QString message;
        {
            std::lock_guard lock(m_link->mutex);
            message = m_link->stopMessage;
        }
        if (!message.isEmpty()) {
            const QByteArray bytes = "gasper: " + message.toUtf8() + "\r\n";
            ssh_channel_write_stderr(static_cast<ssh_channel>(m_channel), bytes.constData(), uint32_t(bytes.size()));
        }
        ssh_channel_close(static_cast<ssh_channel>(m_channel));
    }
    if (running && m_exitSent && event) {
        // Let the client see exit-status, EOF and close and answer with its own close before
        // the connection goes (else it reports "closed by remote host").
        for (int i = 0; i < 50 && !m_channelClosed && (ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR)) == 0;
             ++i) {
            if (ssh_event_dopoll(event, 40) == SSH_ERROR)
                break;
        }
    }

    {
        std::lock_guard lock(m_link->mutex);
        m_link->fdOpen = false;  // from here on nobody may shut the descriptor down
    }
    if (event) {
        ssh_event_remove_fd(event, m_link->wakeFd);
        ssh_event_remove_session(event, session);
        ssh_event_free(event);
    }
    if (session) {
        ssh_disconnect(session);  // closes the descriptor (frees the channel with the session)
        ssh_free(session);
    }
    if (bind)
        ssh_bind_free(bind);
    const quint64 id = m_link->id;
    post([id](SshServer &server) { server.onSessionEnded(id); });
}

std::optional<Result<SshLogin>> SessionThread::ask(const SshCredentials &credentials, bool probe)
{
    const quint64 ticket = ++m_ticket;
    const quint64 id = m_link->id;
    post([id, ticket, credentials, probe](SshServer &server) { server.onAuthRequest(id, ticket, credentials, probe); });
    std::unique_lock lock(m_link->mutex);
    m_link->cv.wait_until(lock, m_graceDeadline, [&] { return m_link->stop || m_link->answeredTicket == ticket; });
    if (m_link->answeredTicket != ticket || !m_link->authAnswer)
        return std::nullopt;
    return std::exchange(m_link->authAnswer, std::nullopt);
}

int SessionThread::denied()
{
    if (++m_failedTries >= m_settings.maxAuthTries) {
        qCInfo(lcSsh).noquote() << "too many authentication failures from" << m_source << "for" << m_app;
        m_fatal = true;
    }
    return SSH_AUTH_DENIED;
}

int SessionThread::onAuthPassword(const char *user, const char *password)
{
    if (m_authenticated || m_fatal)
        return SSH_AUTH_DENIED;
    SshCredentials credentials;
    credentials.app = QString::fromUtf8(user);
    credentials.source = m_source;
    credentials.method = SshCredentials::Method::Password;
    credentials.password = QString::fromUtf8(password);
    m_app = credentials.app;
    auto answer = ask(credentials, false);
    if (!answer) {
        m_fatal = true;
        return SSH_AUTH_DENIED;
    }
    if (!*answer)
        return denied();
    m_authenticated = true;
    m_app = (*answer)->app;
    return SSH_AUTH_SUCCESS;
}

int SessionThread::onAuthPublicKey(const char *user, void *rawKey, signed char state)
{
    if (m_authenticated || m_fatal)
        return SSH_AUTH_DENIED;
    auto *key = static_cast<ssh_key>(rawKey);
    if (state == SSH_PUBLICKEY_STATE_WRONG)
        return denied();
    SshCredentials credentials;
    credentials.app = QString::fromUtf8(user);
    credentials.source = m_source;
    credentials.method = SshCredentials::Method::PublicKey;
    char *b64 = nullptr;
    unsigned char *hash = nullptr;
    size_t hashLength = 0;
    if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK
        || ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hashLength) != SSH_OK) {
        ssh_string_free_char(b64);
        return denied();
    }
    credentials.publicKey = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key))) + u' ' + QString::fromLatin1(b64);
    ssh_string_free_char(b64);
    char *fingerprint = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hashLength);
    ssh_clean_pubkey_hash(&hash);
    credentials.fingerprint = QString::fromLatin1(fingerprint ? fingerprint : "");
    ssh_string_free_char(fingerprint);
    m_app = credentials.app;
    // A query without signature ("would this key do?") is answered the same way; only the
    // signed attempt logs in. libssh has verified the signature when state is VALID.
    const bool probe = state == SSH_PUBLICKEY_STATE_NONE;
    auto answer = ask(credentials, probe);
    if (!answer) {
        m_fatal = true;
        return SSH_AUTH_DENIED;
    }
    if (!*answer)
        return denied();
    if (probe)
        return SSH_AUTH_SUCCESS;  // libssh turns this into SSH_MSG_USERAUTH_PK_OK
    m_authenticated = true;
    m_app = (*answer)->app;
    return SSH_AUTH_SUCCESS;
}

void *SessionThread::onChannelOpen()
{
    if (!m_authenticated || m_channel)
        return nullptr;  // one session channel per connection
    ssh_channel channel = ssh_channel_new(static_cast<ssh_session>(m_session));
    if (!channel)
        return nullptr;
    ssh_set_channel_callbacks(channel, static_cast<ssh_channel_callbacks>(m_channelCallbacks));
    m_channel = channel;
    return channel;
}

int SessionThread::onPtyRequest(const char *term, int cols, int rows)
{
    if (m_commandStarted)
        return -1;
    m_tty = true;
    m_term = QString::fromUtf8(term).left(64);
    m_cols = cols > 0 ? cols : 80;
    m_rows = rows > 0 ? rows : 24;
    return 0;
}

int SessionThread::onEnv(const char *name, const char *value)
{
    // As sshd's default AcceptEnv: the locale, nothing that could change what runs.
    const QString key = QString::fromUtf8(name);
    if (m_commandStarted || !(key == u"LANG" || key.startsWith(u"LC_")) || m_env.size() >= 32)
        return -1;
    m_env << key + u'=' + QString::fromUtf8(value).left(256);
    return 0;
}

int SessionThread::onShellOrExec(const char *command)
{
    if (m_commandStarted || !m_authenticated)
        return -1;
    m_commandStarted = true;
    const quint64 id = m_link->id;
    const QString text = command ? QString::fromUtf8(command) : QString();
    post([id, text, tty = m_tty, term = m_term, cols = m_cols, rows = m_rows, env = m_env](SshServer &server) {
        server.onStartExec(id, text, tty, term, cols, rows, env);
    });
    return 0;
}

// sftp (and OpenSSH 9's scp, which speaks it) is the image's own sftp-server, run in the
// container as the app's user without a terminal: files land where the app sees them, with
// its rights, and Gasper parses none of the protocol. build-images.sh puts it in every image.
int SessionThread::onSubsystem(const char *name)
{
    if (qstrcmp(name, "sftp") != 0)
        return -1;
    m_tty = false;  // a terminal would mangle the binary protocol
    return onShellOrExec("if [ -x /usr/lib/openssh/sftp-server ]; then exec /usr/lib/openssh/sftp-server; fi; "
                         "echo 'this image has no /usr/lib/openssh/sftp-server' >&2; exit 127");
}

int SessionThread::onWindowChange(int cols, int rows)
{
    m_cols = cols;
    m_rows = rows;
    const quint64 id = m_link->id;
    post([id, cols, rows](SshServer &server) { server.onResize(id, cols, rows); });
    return 0;
}

int SessionThread::onData(void *data, uint32_t len, int)
{
    if (!m_commandStarted)
        return int(len);  // nothing to feed yet: dropped, as sshd before the shell starts
    m_lastActivity = Clock::now();
    const quint64 id = m_link->id;
    QByteArray bytes(static_cast<const char *>(data), qsizetype(len));
    post([id, bytes = std::move(bytes)](SshServer &server) { server.onStdin(id, bytes); });
    return int(len);
}

void SessionThread::onEof()
{
    const quint64 id = m_link->id;
    post([id](SshServer &server) { server.onStdinEof(id); });
}

void SessionThread::onClose()
{
    m_channelClosed = true;
}

void SessionThread::onWake()
{
    uint64_t count = 0;
    [[maybe_unused]] auto n = ::read(m_link->wakeFd, &count, sizeof count);
}

bool SessionThread::flushOutput()
{
    auto *channel = static_cast<ssh_channel>(m_channel);
    while (true) {
        SessionLink::Chunk chunk;
        std::optional<Result<int>> exit;
        {
            std::lock_guard lock(m_link->mutex);
            if (!m_link->output.empty())
                chunk = m_link->output.front();
            else
                exit = m_link->exit;
        }
        if (chunk.data.isEmpty()) {
            if (exit)
                finishCommand(*exit);
            return true;
        }
        const uint32_t window = ssh_channel_window_size(channel);
        if (window == 0)
            return true;  // the client's window adjust wakes the poll
        const uint32_t n = std::min<uint32_t>(window, uint32_t(std::min<qsizetype>(chunk.data.size(), 256 * 1024)));
        const int written = chunk.isStderr ? ssh_channel_write_stderr(channel, chunk.data.constData(), n)
                                           : ssh_channel_write(channel, chunk.data.constData(), n);
        if (written < 0)
            return false;
        m_lastActivity = Clock::now();
        bool resume = false;
        {
            std::lock_guard lock(m_link->mutex);
            SessionLink::Chunk &front = m_link->output.front();
            if (written >= front.data.size())
                m_link->output.pop_front();
            else
                front.data.remove(0, written);
            m_link->queuedBytes -= written;
            if (m_link->outputPaused && m_link->queuedBytes < SshServer::kLowWater) {
                m_link->outputPaused = false;
                resume = true;
            }
        }
        if (resume) {
            const quint64 id = m_link->id;
            post([id](SshServer &server) { server.onResumeOutput(id); });
        }
    }
}

void SessionThread::finishCommand(const Result<int> &exit)
{
    auto *channel = static_cast<ssh_channel>(m_channel);
    int status = 255;
    if (exit) {
        status = *exit;
    } else {
        const QByteArray message = "gasper: " + exit.error().message.toUtf8() + (m_tty ? "\r\n" : "\n");
        ssh_channel_write_stderr(channel, message.constData(), uint32_t(message.size()));
    }
    ssh_channel_request_send_exit_status(channel, status);
    ssh_channel_send_eof(channel);
    ssh_channel_close(channel);
    m_exitSent = true;
}

} // namespace gasper::ssh::detail
