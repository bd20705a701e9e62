// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "docker/DockerTypes.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace gasper::docker {

class DockerClient;
class DockerStream;

// What to run in a container, the way `ssh` runs it: `command` empty opens an interactive
// shell (bash if the image has it, else sh); otherwise `/bin/sh -c command`.
struct ExecRequest
{
    QString containerId;
    QString command;
    bool tty = false;
    QString term = QStringLiteral("xterm-256color");  // TERM, with a TTY only
    int cols = 80;
    int rows = 24;
    QStringList env;  // "KEY=value" on top of the container's own environment
    QString workingDir = QStringLiteral("/app");
    QString user;  // empty: the container's configured user (from inspect), never a constant
};

// One process run in a live container over the Docker client's hijacked exec stream — the
// shared glue of `ssh app@host` and the terminal WebSocket. Lives on the DockerClient's
// thread; every method must be called there.
//
// Steps: inspect the container (must be running; its Config.User is the user), create the
// exec (WorkingDir, TTY, stdin attached), start it; with a TTY the window size is applied
// after start (POST /exec/{id}/resize: Engine API 1.41 has no console size at create) and on
// every resize(). When the stream ends the exit code comes from exec inspect, retried until
// the exec no longer runs.
//
// Guarantees: started() at most once; output() only after started(); finished() exactly
// once, from the event loop, with the exit code or an error: `container-gone` (the
// container is not running or went away: the message says so), or the docker-* errors.
// terminate() ends the stream (with a TTY the shell gets SIGHUP) and finishes with
// `terminated`; a process that outlives it (no TTY, or SIGHUP ignored) is then signalled by
// its host PID when the engine is local (ExecReaper).
// Signals what is left of a terminated exec (see terminate()); a no-op for a remote engine.
void reapExec(DockerClient *docker, const QString &execId, const QString &containerId, bool tty);

class ExecSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExecSession)

public:
    ExecSession(DockerClient *docker, ExecRequest request, QObject *parent = nullptr);
    ~ExecSession() override;

    void start();
    void write(const QByteArray &data);
    void closeWrite();  // stdin EOF (half-close); output keeps coming
    void resize(int cols, int rows);
    void terminate();
    // Flow control: stop reading the process's output (the engine's socket backs up, and so
    // does the process) until resumed.
    void setOutputPaused(bool paused);
    QString execId() const { return m_execId; }
    QString user() const { return m_user; }

signals:
    void started();
    void output(gasper::docker::StreamKind kind, const QByteArray &data);
    void finished(const gasper::Result<int> &exitCode);

private:
    void createExec();
    void onStreamFinished(const Result<void> &result);
    void pollExitCode(int attempt);
    void checkContainer(Result<int> exitCode);
    void finish(Result<int> result);
    void applySize();

    QPointer<DockerClient> m_docker;
    ExecRequest m_request;
    QString m_user;
    QString m_execId;
    QString m_containerFullId;  // from inspect: the key of the process's cgroup
    QPointer<DockerStream> m_stream;
    bool m_started = false;
    bool m_finished = false;
    bool m_terminated = false;
    bool m_paused = false;
    bool m_stdinClosed = false;
    QByteArray m_pendingStdin;
};

} // namespace gasper::docker
