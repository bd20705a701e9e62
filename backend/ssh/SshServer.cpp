// SPDX-License-Identifier: MIT
#include "ssh/SshServer.h"

#include "core/Log.h"
#include "docker/DockerClient.h"
#include "docker/ExecSession.h"
#include "ssh/SessionLink_p.h"
#include "ssh/SessionThread_p.h"

#include <QRandomGenerator>
#include <QTcpServer>
#include <QTimer>

#include <optional>

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gasper::ssh {

using namespace Qt::StringLiterals;

namespace detail {

// Hands the raw descriptor of each accepted connection to the server: a libssh session
// owns it from there, no QTcpSocket in between.
class Listener final : public QTcpServer
{
public:
    explicit Listener(SshServer *server) : QTcpServer(server), m_server(server) {}

protected:
    void incomingConnection(qintptr fd) override { m_server->onConnection(fd); }

private:
    SshServer *m_server;
};

} // namespace detail

struct SshServer::Session
{
    std::shared_ptr<detail::SessionLink> link;
    std::thread thread;
    QString source;
    QString app;
    bool authenticated = false;
    QTimer *grace = nullptr;
    docker::ExecSession *exec = nullptr;
    // What the client sent while the exec was still being set up (container lookup,
    // inspect, create): handed over once it exists.
    QByteArray pendingStdin;
    bool pendingEof = false;
    std::optional<std::pair<int, int>> pendingSize;
};

SshServer::SshServer(docker::DockerClient *docker, SshAuthenticator *authenticator, HostKey hostKey,
                     SshSettings settings, QObject *parent)
    : QObject(parent)
    , m_docker(docker)
    , m_authenticator(authenticator)
    , m_hostKey(std::move(hostKey))
    , m_settings(settings)
    , m_listener(new detail::Listener(this))
    , m_appFailures(settings.maxFailedLogins, settings.failedLoginWindowSec)
    , m_sourceFailures(settings.maxFailedLogins, settings.failedLoginWindowSec)
{
    m_listener->setMaxPendingConnections(64);
}

SshServer::~SshServer()
{
    m_listener->close();
    for (Session *s : std::as_const(m_sessions)) {
        {
            std::lock_guard lock(s->link->mutex);
            s->link->stop = true;
            s->link->stopMessage = u"the SSH service is shutting down"_s;
        }
        s->link->cv.notify_all();
        s->link->wake();
        s->link->shutdownSocket();
    }
    for (Session *s : std::as_const(m_sessions)) {
        if (s->thread.joinable())
            s->thread.join();
        delete s->exec;
        delete s;
    }
    m_sessions.clear();
}

Result<void> SshServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_listener->listen(address, port))
        return fail(u"listen-failed"_s, m_listener->errorString());
    return {};
}

quint16 SshServer::serverPort() const
{
    return m_listener->serverPort();
}

SshServer::Session *SshServer::session(quint64 id) const
{
    return m_sessions.value(id, nullptr);
}

void SshServer::onConnection(qintptr fd)
{
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    ::getpeername(int(fd), reinterpret_cast<sockaddr *>(&peer), &length);
    const QString source = QHostAddress(reinterpret_cast<sockaddr *>(&peer)).toString();
    const auto refuse = [&](const QString &reason) {
        qCInfo(lcSsh).noquote() << "refused a connection from" << source << "-" << reason;
        ::close(int(fd));
        emit connectionRefused(source, reason);
    };
    if (m_sessions.size() >= m_settings.maxSessions)
        return refuse(u"too many sessions"_s);
    if (m_perSource.value(source) >= m_settings.maxPerSource)
        return refuse(u"too many connections from this address"_s);
    if (!admitStartup(m_unauthenticated, m_settings.startupsBegin, m_settings.startupsRate, m_settings.startupsFull,
                      QRandomGenerator::global()->generateDouble()))
        return refuse(u"too many unauthenticated connections (max_startups)"_s);
    const int wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd < 0)
        return refuse(u"out of descriptors"_s);

    const quint64 id = m_nextId++;
    auto *s = new Session;
    s->link = std::make_shared<detail::SessionLink>(id, int(fd), wakeFd);
    s->source = source;
    m_sessions.insert(id, s);
    ++m_perSource[source];
    ++m_unauthenticated;
    // The thread watches the grace itself; this also cuts a libssh call that waits on a
    // silent peer, by shutting the socket under it.
    s->grace = new QTimer(this);
    s->grace->setSingleShot(true);
    connect(s->grace, &QTimer::timeout, this, [this, id] { onGraceExpired(id); });
    s->grace->start(std::chrono::seconds(m_settings.loginGraceSec) + std::chrono::milliseconds(500));
    s->thread = std::thread([thread = detail::SessionThread(this, s->link, m_hostKey.privateKeyText(), m_settings)]() mutable {
        thread.run();
    });
    qCDebug(lcSsh).noquote() << "session" << id << "from" << source;
}

void SshServer::onGraceExpired(quint64 id)
{
    Session *s = session(id);
    if (!s || s->authenticated)
        return;
    qCInfo(lcSsh).noquote() << "session" << id << "from" << s->source << "did not log in within"
                            << m_settings.loginGraceSec << "s: dropped";
    {
        std::lock_guard lock(s->link->mutex);
        s->link->stop = true;
    }
    s->link->cv.notify_all();
    s->link->wake();
    s->link->shutdownSocket();
}

void SshServer::onAuthRequest(quint64 id, quint64 ticket, const SshCredentials &credentials, bool probe)
{
    Session *s = session(id);
    if (!s)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_appFailures.isLocked(credentials.app, now) || m_sourceFailures.isLocked(s->source, now)) {
        qCInfo(lcSsh).noquote() << "login for" << credentials.app << "from" << s->source
                                << "refused: too many failed logins lately";
        answerAuth(id, ticket, fail(u"denied"_s, u"too many failed logins"_s));
        return;
    }
    m_authenticator->authenticate(credentials, this, [this, id, ticket, credentials, probe](Result<SshLogin> login) {
        Session *s = session(id);
        if (!s)
            return;
        if (!login && !probe) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            m_appFailures.failed(credentials.app, now);
            m_sourceFailures.failed(s->source, now);
            qCInfo(lcSsh).noquote() << "failed login for" << credentials.app << "from" << s->source << "by"
                                    << (credentials.method == SshCredentials::Method::Password ? "password" : "key")
                                    << credentials.fingerprint;
        }
        if (login && !probe) {
            s->authenticated = true;
            s->app = login->app;
            --m_unauthenticated;
            if (s->grace)
                s->grace->stop();
            qCInfo(lcSsh).noquote() << "session" << id << "from" << s->source << "logged in to" << login->app << "as"
                                    << login->account;
        }
        answerAuth(id, ticket, std::move(login));
    });
}

void SshServer::answerAuth(quint64 id, quint64 ticket, Result<SshLogin> answer)
{
    Session *s = session(id);
    if (!s)
        return;
    {
        std::lock_guard lock(s->link->mutex);
        s->link->answeredTicket = ticket;
        s->link->authAnswer = std::move(answer);
    }
    s->link->cv.notify_all();
}

void SshServer::onStartExec(quint64 id, const QString &command, bool tty, const QString &term, int cols, int rows,
                            const QStringList &env)
{
    Session *s = session(id);
    if (!s || !s->authenticated || s->exec)
        return;
    const auto end = [this, id](const Result<int> &result) {
        Session *s = session(id);
        if (!s)
            return;
        {
            std::lock_guard lock(s->link->mutex);
            s->link->exit = result;
        }
        s->link->wake();
    };
    m_authenticator->liveContainer(s->app, this, [=, this](Result<QString> container) {
        Session *s = session(id);
        if (!s)
            return;
        if (!container || !m_docker) {
            end(container ? fail(u"docker-unavailable"_s, u"The Docker client is gone."_s)
                          : Result<int>(std::unexpected(container.error())));
            return;
        }
        docker::ExecRequest request;
        request.containerId = *container;
        request.command = command;
        request.tty = tty;
        if (!term.isEmpty())
            request.term = term;
        request.cols = cols;
        request.rows = rows;
        request.env = env;
        if (s->pendingSize) {
            request.cols = s->pendingSize->first;
            request.rows = s->pendingSize->second;
        }
        auto *exec = new docker::ExecSession(m_docker, request, this);
        s->exec = exec;
        if (!s->pendingStdin.isEmpty())
            exec->write(std::exchange(s->pendingStdin, {}));
        if (s->pendingEof)
            exec->closeWrite();
        const std::shared_ptr<detail::SessionLink> link = s->link;
        connect(exec, &docker::ExecSession::output, this, [link, exec](docker::StreamKind kind, const QByteArray &data) {
            bool pause = false;
            {
                std::lock_guard lock(link->mutex);
                link->output.push_back({kind == docker::StreamKind::Stderr, data});
                link->queuedBytes += data.size();
                if (link->queuedBytes > kHighWater && !link->outputPaused)
                    pause = link->outputPaused = true;
            }
            link->wake();
            if (pause)
                exec->setOutputPaused(true);
        });
        connect(exec, &docker::ExecSession::finished, this, [this, id, end](const Result<int> &result) {
            if (Session *s = session(id)) {
                s->exec->deleteLater();
                s->exec = nullptr;
            }
            if (!result && result.error().code != u"terminated")
                qCInfo(lcSsh).noquote() << "session" << id << "command ended:" << result.error().message;
            end(result);
        });
        exec->start();
    });
}

void SshServer::onStdin(quint64 id, const QByteArray &data)
{
    Session *s = session(id);
    if (!s)
        return;
    if (s->exec)
        s->exec->write(data);
    else
        s->pendingStdin.append(data);
}

void SshServer::onStdinEof(quint64 id)
{
    Session *s = session(id);
    if (!s)
        return;
    if (s->exec)
        s->exec->closeWrite();
    else
        s->pendingEof = true;
}

void SshServer::onResize(quint64 id, int cols, int rows)
{
    Session *s = session(id);
    if (!s)
        return;
    if (s->exec)
        s->exec->resize(cols, rows);
    else
        s->pendingSize = std::pair{cols, rows};
}

void SshServer::onResumeOutput(quint64 id)
{
    if (Session *s = session(id); s && s->exec)
        s->exec->setOutputPaused(false);
}

void SshServer::onSessionEnded(quint64 id)
{
    Session *s = m_sessions.take(id);
    if (!s)
        return;
    if (s->thread.joinable())
        s->thread.join();  // it has posted this as its last act
    if (!s->authenticated)
        --m_unauthenticated;
    if (--m_perSource[s->source] <= 0)
        m_perSource.remove(s->source);
    delete s->grace;
    if (s->exec) {
        s->exec->terminate();  // the exec process ends with the session
        connect(s->exec, &docker::ExecSession::finished, s->exec, &QObject::deleteLater);
        s->exec->disconnect(this);
    }
    qCDebug(lcSsh).noquote() << "session" << id << "from" << s->source << "ended";
    delete s;
}

} // namespace gasper::ssh
