// SPDX-License-Identifier: MIT
#pragma once

#include "core/AppModel.h"
#include "core/Result.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>

namespace gasper::apps {

// Where a running app answers, as seen from the proxy's node.
struct Runtime
{
    QString containerId;
    QString address = QStringLiteral("127.0.0.1");
    quint16 hostPort = 0;
    int restarts = 0;
};

// What the master knows of an app when it asks a worker to re-adopt it after a restart.
struct AdoptRequest
{
    AppSpec spec;
    AppState state = AppState::Queued;
    QString containerId;
    int restarts = 0;
    bool deployInterrupted = false;  // the last deploy never finished (gasperd stopped mid-way)
};

// How one deploy ended.
struct DeployOutcome
{
    bool ok = false;
    QString commit;
    Runtime runtime;     // when ok
    Error error;         // when not ok; error.message carries the last output lines
    qint64 totalMs = 0;
};

// A stream of log bytes (container output). Emits finished() once; deleting it stops it.
class LogStream : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
signals:
    void data(const QByteArray &bytes);
    void finished(const gasper::Result<void> &result);
};

// How to open a shell in an app's live container.
struct ShellOptions
{
    int cols = 80;
    int rows = 24;
    QString command;  // empty: an interactive shell; otherwise `/bin/sh -c command`
    bool tty = true;  // false: no PTY, stdout and stderr apart (output()'s channel), as `ssh host cmd`
};

// A process in an app's live container (with a PTY unless ShellOptions::tty is false), as the
// app's user in /app.
// Emits exactly one of exited(code) (the process ended) or failed(error) (it could not start,
// the container went away, or terminate() was called: `terminated`); output() only before.
// Deleting it ends the process (the PTY shell gets SIGHUP).
class ShellSession : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void write(const QByteArray &bytes) = 0;
    virtual void resize(int cols, int rows) = 0;
    virtual void closeInput() = 0;         // stdin EOF
    virtual void setPaused(bool paused) = 0;  // flow control: stop reading the output while paused
    virtual void terminate() = 0;
signals:
    // channel: 1 stdout (and everything with a PTY), 2 stderr
    void output(const QByteArray &bytes, int channel = 1);
    void exited(int code);
    void failed(const gasper::Error &error);
};

// The seam between the master (Kaze) and an app worker (Mizu). The master only
// talks to this interface: in-process on one node (LocalAppWorker), over
// authenticated HTTP/WebSocket when the worker is another node (later).
// Progress and state arrive as signals; the master persists them and fans them out.
class AppWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    template<class T>
    using Callback = std::function<void(Result<T>)>;

    virtual QString nodeName() const = 0;

    // Starts deploy number `deployNumber` of the app (first deploy, rebuild or
    // update). A running older container keeps serving until the new one is
    // healthy and the master called retire(); deployFinished() is emitted exactly once
    // per call (a deploy superseded by a newer one, or removed, emits nothing).
    virtual void deploy(const AppSpec &spec, int deployNumber, const QString &trigger) = 0;
    // The second half of a deploy, acknowledged by the master: once it has stored a healthy
    // deploy (deployFinished ok) and switched the app's route to it, it calls retire(), and
    // only then does the worker remove the app's older containers (after a short drain) and
    // their sources. Until then the previous container keeps serving, so a master that
    // stops between the two never leaves an app without one. The callback follows once they
    // are gone. A worker on another node gets the same call over the network.
    virtual void retire(const QString &app, int deployNumber, QObject *context, Callback<void> callback) = 0;

    virtual void restart(const QString &app, QObject *context, Callback<void> callback) = 0;
    virtual void stop(const QString &app, QObject *context, Callback<void> callback) = 0;
    virtual void start(const QString &app, QObject *context, Callback<void> callback) = 0;
    // Removes the app's containers and source; the callback follows once they are gone.
    virtual void remove(const QString &app, QObject *context, Callback<void> callback) = 0;

    // After gasperd started: find the containers of these apps by their labels and
    // take them back; an app whose container is gone or whose deploy was cut short
    // is deployed again (deployRequested()). Containers of unknown apps are removed.
    virtual void adopt(const QList<AdoptRequest> &apps) = 0;

    // This node's capacity and load: name, cpus, memory_mb, apps, containers_running,
    // load1, engine, heartbeat_at.
    virtual void nodeStatus(QObject *context, Callback<QJsonObject> callback) = 0;

    // Sampled CPU, memory, network and restarts of the app, oldest first, after `since`:
    // {"interval_s": N, "samples": [{at, cpu_percent, memory_bytes, memory_limit_bytes,
    //  rx_bytes, tx_bytes, restarts}, …]}
    virtual void metrics(const QString &app, const QDateTime &since, QObject *context,
                         Callback<QJsonObject> callback) = 0;

    // Container output (run command). tail < 0: everything.
    virtual LogStream *logs(const QString &app, int tail, bool follow, QObject *parent) = 0;

    // A shell in the app's live container (the terminal WebSocket). The session's parent is
    // `parent`; a session that cannot start emits failed() from the event loop
    // (`not-deployed` when the app has no container).
    virtual ShellSession *openShell(const QString &app, const ShellOptions &options, QObject *parent) = 0;

signals:
    void stateChanged(const QString &app, gasper::AppState state, const QString &detail);
    void deployStep(const QString &app, int deploy, const gasper::DeployStep &step);
    void deployOutput(const QString &app, int deploy, const QString &stream, const QString &line);
    void deployFinished(const QString &app, int deploy, const gasper::apps::DeployOutcome &outcome);
    // The app's live container or port changed (adoption, restart with a new port).
    void runtimeChanged(const QString &app, const gasper::apps::Runtime &runtime);
    // The worker wants a fresh deploy of an app it could not adopt.
    void deployRequested(const QString &app, const QString &trigger);
};

} // namespace gasper::apps
