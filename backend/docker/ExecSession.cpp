// SPDX-License-Identifier: MIT
#include "docker/ExecSession.h"

#include "core/Log.h"
#include "docker/DockerClient.h"
#include "docker/DockerStream.h"

#include <QFile>
#include <QJsonObject>

#include <csignal>
#include <sys/types.h>

namespace gasper::docker {

using namespace Qt::StringLiterals;

namespace {

// An interactive shell: bash where the image has it, else the POSIX sh every image has.
QStringList shellArgv(const QString &command)
{
    if (command.isEmpty())
        return {u"/bin/sh"_s, u"-c"_s, u"if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi"_s};
    return {u"/bin/sh"_s, u"-c"_s, command};
}

constexpr int kExitPollAttempts = 100;  // × 20…100 ms: the engine notes the exit within ms

Error containerGone(const QString &detail)
{
    return Error{u"container-gone"_s, u"The app's container went away (%1)."_s.arg(detail)};
}

// True when `pid` is, in this PID namespace, a process of the container `containerId`: its
// cgroup path names the container (cgroupfs /docker/<id>, systemd docker-<id>.scope). False
// for a remote engine or another PID namespace: nothing is signalled then.
bool isProcessOf(qint64 pid, const QString &containerId)
{
    if (pid <= 1 || containerId.size() < 64)
        return false;
    QFile cgroup(u"/proc/%1/cgroup"_s.arg(pid));
    return cgroup.open(QIODevice::ReadOnly) && cgroup.readAll().contains(containerId.toLatin1());
}

constexpr int kReapGraceMs = 3000;

// The Engine API cannot kill an exec, and a process without a terminal does not notice its
// client went away until it writes. After terminate(): SIGTERM (without a TTY; with one the
// shell had SIGHUP), then SIGKILL if it still runs after the grace. Runs with the client as
// context: the session may be gone by then.
void signalIfRunning(DockerClient *docker, const QString &execId, const QString &containerId, int signal,
                     std::function<void()> then)
{
    docker->inspectExec(execId, docker, [execId, containerId, signal, then = std::move(then)](Result<QJsonObject> info) {
        if (!info || !info->value(u"Running").toBool())
            return;
        const qint64 pid = info->value(u"Pid").toInteger();
        if (!isProcessOf(pid, containerId))
            return;
        if (signal != 0) {
            qCDebug(lcDocker) << "exec" << execId.left(12) << "outlived its session: signal" << signal << "to pid" << pid;
            ::kill(pid_t(pid), signal);
        }
        if (then)
            then();
    });
}

} // namespace

void reapExec(DockerClient *docker, const QString &execId, const QString &containerId, bool tty)
{
    QPointer<DockerClient> client(docker);
    auto kill = [client, execId, containerId] {
        QTimer::singleShot(kReapGraceMs, client, [client, execId, containerId] {
            if (client)
                signalIfRunning(client, execId, containerId, SIGKILL, {});
        });
    };
    // Asked once the stream is closed (the next turn of the loop): a process that ends on
    // its own with the stream is left alone.
    QTimer::singleShot(200, docker, [client, execId, containerId, tty, kill] {
        if (client)
            signalIfRunning(client, execId, containerId, tty ? 0 : SIGTERM, kill);
    });
}

ExecSession::ExecSession(DockerClient *docker, ExecRequest request, QObject *parent)
    : QObject(parent), m_docker(docker), m_request(std::move(request))
{
}

ExecSession::~ExecSession()
{
    if (m_stream)
        delete m_stream.data();  // closes the hijacked connection; emits nothing
}

void ExecSession::start()
{
    if (!m_docker) {
        finish(fail(u"docker-unavailable"_s, u"The Docker client is gone."_s));
        return;
    }
    m_docker->inspectContainer(m_request.containerId, this, [this](Result<QJsonObject> info) {
        if (!info) {
            finish(info.error().code == u"docker-not-found" ? std::unexpected(containerGone(u"no such container"_s))
                                                             : std::unexpected(info.error()));
            return;
        }
        if (!info->value(u"State").toObject().value(u"Running").toBool()) {
            finish(std::unexpected(containerGone(u"it is not running"_s)));
            return;
        }
        m_user = m_request.user.isEmpty() ? info->value(u"Config").toObject().value(u"User").toString() : m_request.user;
        m_containerFullId = info->value(u"Id").toString();
        createExec();
    });
}

void ExecSession::createExec()
{
    if (m_terminated) {
        finish(fail(u"terminated"_s, u"The session ended before the command started."_s));
        return;
    }
    ExecOptions options;
    options.cmd = shellArgv(m_request.command);
    options.env = m_request.env;
    if (m_request.tty && !m_request.term.isEmpty())
        options.env << u"TERM="_s + m_request.term;
    options.workingDir = m_request.workingDir;
    options.user = m_user;
    options.tty = m_request.tty;
    options.attachStdin = true;
    m_docker->createExec(m_request.containerId, options, this, [this](Result<QString> id) {
        if (!id) {
            finish(id.error().code == u"docker-not-found" || id.error().code == u"docker-conflict"
                       ? std::unexpected(containerGone(id.error().message))
                       : std::unexpected(id.error()));
            return;
        }
        m_execId = *id;
        if (m_terminated) {
            finish(fail(u"terminated"_s, u"The session ended before the command started."_s));
            return;
        }
        DockerStream *stream = m_docker->startExec(m_execId, m_request.tty, this);
        m_stream = stream;
        connect(stream, &DockerStream::started, this, [this] {
            m_started = true;
            if (m_request.tty)
                applySize();
            emit started();
        });
        connect(stream, &DockerStream::output, this, &ExecSession::output);
        connect(stream, &DockerStream::finished, this, &ExecSession::onStreamFinished);
        if (!m_pendingStdin.isEmpty())
            stream->write(std::exchange(m_pendingStdin, {}));
        if (m_stdinClosed)
            stream->closeWrite();
        if (m_paused)
            stream->setReadPaused(true);
    });
}

void ExecSession::applySize()
{
    if (!m_docker || m_execId.isEmpty() || !m_started)
        return;
    m_docker->resizeExec(m_execId, m_request.cols, m_request.rows, this, [this](Result<void> ok) {
        if (!ok)
            qCDebug(lcDocker) << "resize of exec" << m_execId << "failed:" << ok.error().message;
    });
}

void ExecSession::write(const QByteArray &data)
{
    if (m_stream)
        m_stream->write(data);
    else if (!m_stdinClosed)
        m_pendingStdin.append(data);
}

void ExecSession::closeWrite()
{
    m_stdinClosed = true;
    if (m_stream)
        m_stream->closeWrite();
}

void ExecSession::resize(int cols, int rows)
{
    if (cols <= 0 || rows <= 0 || cols > 10000 || rows > 10000)
        return;
    m_request.cols = cols;
    m_request.rows = rows;
    if (m_request.tty)
        applySize();  // before start: applied once started
}

void ExecSession::setOutputPaused(bool paused)
{
    m_paused = paused;
    if (m_stream)
        m_stream->setReadPaused(paused);
}

void ExecSession::terminate()
{
    if (m_finished || m_terminated)
        return;
    m_terminated = true;
    if (!m_execId.isEmpty() && m_docker)
        reapExec(m_docker, m_execId, m_containerFullId, m_request.tty);
    if (m_stream)
        m_stream->close();  // onStreamFinished follows
    else if (!m_execId.isEmpty() || m_docker.isNull())
        finish(fail(u"terminated"_s, u"The session ended before the command started."_s));
    // else: the inspect/create callback sees m_terminated
}

void ExecSession::onStreamFinished(const Result<void> &result)
{
    m_stream = nullptr;
    if (m_terminated) {
        finish(fail(u"terminated"_s, u"The session was closed."_s));
        return;
    }
    if (!result) {
        finish(std::unexpected(result.error()));
        return;
    }
    pollExitCode(0);
}

void ExecSession::pollExitCode(int attempt)
{
    if (!m_docker) {
        finish(fail(u"docker-unavailable"_s, u"The Docker client is gone."_s));
        return;
    }
    m_docker->inspectExec(m_execId, this, [this, attempt](Result<QJsonObject> info) {
        if (!info) {
            checkContainer(std::unexpected(info.error()));
            return;
        }
        if (info->value(u"Running").toBool()) {
            // The output ended before the engine noticed the exit: ask again shortly.
            if (attempt + 1 >= kExitPollAttempts) {
                checkContainer(fail(u"docker-error"_s, u"The command's exit status did not arrive."_s));
                return;
            }
            QTimer::singleShot(attempt < 10 ? 20 : 100, this, [this, attempt] { pollExitCode(attempt + 1); });
            return;
        }
        const QJsonValue code = info->value(u"ExitCode");
        checkContainer(code.isDouble() ? Result<int>(code.toInt()) : fail(u"docker-error"_s, u"No exit status."_s));
    });
}

// A process killed because its container stopped is the container's story, not the
// command's: say so rather than pass on a 137.
void ExecSession::checkContainer(Result<int> exitCode)
{
    m_docker->inspectContainer(m_request.containerId, this, [this, exitCode](Result<QJsonObject> info) {
        if (!info && info.error().code == u"docker-not-found") {
            finish(std::unexpected(containerGone(u"it was removed"_s)));
            return;
        }
        if (info && !info->value(u"State").toObject().value(u"Running").toBool()) {
            finish(std::unexpected(containerGone(u"it stopped"_s)));
            return;
        }
        finish(exitCode);
    });
}

void ExecSession::finish(Result<int> result)
{
    if (m_finished)
        return;
    m_finished = true;
    QMetaObject::invokeMethod(this, [this, result = std::move(result)] { emit finished(result); },
                              Qt::QueuedConnection);
}

} // namespace gasper::docker
