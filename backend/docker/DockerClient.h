// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"
#include "docker/DockerStream.h"
#include "docker/DockerTypes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <algorithm>
#include <chrono>
#include <functional>

class QLocalSocket;

namespace gasper::docker {

namespace detail {
class Call;
}

// Asynchronous Docker Engine API client over the engine's unix socket (no docker CLI,
// nothing blocks). Plain calls share a small keep-alive pool of connections (an idle one
// is reused, else a fresh one is opened; at most maxConnections() at once, the rest
// queue); streams get connections of their own. The API version is kApiVersion, lowered
// to the engine's own (not below kMinApiVersion) after one GET /version on first use.
//
// Guarantees for every callback: called exactly once, always from the event loop (never
// inside the call that started it, even for an immediate error), and never after its
// `context` was destroyed (a null context means "as long as the client lives"). The
// request itself still completes when the context goes away (a stop still stops).
// Destroying the client drops pending calls without calling back.
//
// Errors: `docker-unavailable` (socket missing, refused, no permission, engine gone or
// too old; the message names the socket and says to start dockerd), `docker-not-found`
// (404), `docker-conflict` (409), `docker-bad-request` (400), `docker-error` (5xx, other
// statuses, malformed answers), `docker-timeout` (no answer within requestTimeout()).
// Messages are the engine's own (`No such container: x`) where it gave one.
class DockerClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DockerClient)

public:
    // `socketPath` is a file path; a `unix://` prefix (DOCKER_HOST style) is accepted.
    explicit DockerClient(const QString &socketPath, QObject *parent = nullptr);
    ~DockerClient() override;

    QString socketPath() const { return m_socketPath; }

    // A plain call fails with docker-timeout after this (default 60 s). Calls that wait by
    // design add their own wait (stop/restart: the grace period) or have none (wait).
    void setRequestTimeout(std::chrono::milliseconds timeout) { m_timeoutMs = int(timeout.count()); }
    std::chrono::milliseconds requestTimeout() const { return std::chrono::milliseconds(m_timeoutMs); }
    void setMaxIdleConnections(int count) { m_maxIdle = std::max(count, 0); }
    void setMaxConnections(int count) { m_maxActive = std::max(count, 1); }  // plain calls at once
    int maxConnections() const { return m_maxActive; }
    int idleConnectionCount() const { return int(m_idle.size()); }
    qint64 openedConnectionCount() const { return m_opened; }  // since construction
    // "v1.41" once negotiated, empty before.
    QByteArray apiVersion() const { return m_apiPrefix.mid(1); }

    template<class T>
    using Callback = std::function<void(Result<T>)>;

    // Any Engine API call; `path` WITHOUT the version prefix, e.g. "/containers/json?all=1"
    // (query values already percent-encoded). `jsonBody` empty: no body. Succeeds for any
    // status below 400 (304 included); 4xx/5xx become the errors above.
    void request(const QByteArray &method, const QByteArray &path, const QByteArray &jsonBody, QObject *context,
                 Callback<ApiResponse> cb);

    void ping(QObject *context, Callback<void> cb);
    void version(QObject *context, Callback<QJsonObject> cb);
    void inspectImage(const QString &image, QObject *context, Callback<QJsonObject> cb);
    // `config` is the body of POST /containers/create; returns the new container's id.
    void createContainer(const QString &name, const QJsonObject &config, QObject *context, Callback<QString> cb);
    void startContainer(const QString &id, QObject *context, Callback<void> cb);                 // 304 = success
    void stopContainer(const QString &id, int timeoutSec, QObject *context, Callback<void> cb);  // 304 = success
    void restartContainer(const QString &id, int timeoutSec, QObject *context, Callback<void> cb);
    void killContainer(const QString &id, const QString &signal, QObject *context, Callback<void> cb);  // "" = KILL
    // Also removes the container's anonymous volumes (`docker rm -v`).
    void removeContainer(const QString &id, bool force, QObject *context, Callback<void> cb);
    void inspectContainer(const QString &id, QObject *context, Callback<QJsonObject> cb);
    // filters e.g. {"label":["gasper.app"]}, {"name":["^/gasper-"]}
    void listContainers(const QJsonObject &filters, bool all, QObject *context, Callback<QJsonArray> cb);
    // One sample (stream=false). The engine takes about a second so that precpu_stats is
    // filled and CPU % can be computed.
    void containerStats(const QString &id, QObject *context, Callback<QJsonObject> cb);
    // Waits (no timeout) until the container stops; its exit code.
    void waitContainer(const QString &id, QObject *context, Callback<int> cb);
    void createExec(const QString &containerId, const QStringList &cmd, const QStringList &env,
                    const QString &workingDir, bool tty, bool attachStdin, QObject *context, Callback<QString> cb);
    void createExec(const QString &containerId, const ExecOptions &options, QObject *context, Callback<QString> cb);
    void inspectExec(const QString &execId, QObject *context, Callback<QJsonObject> cb);  // ExitCode, Running
    void resizeExec(const QString &execId, int cols, int rows, QObject *context, Callback<void> cb);

    // Networks. create: a bridge with these labels; its id. Names are unique per engine: a
    // taken one is docker-conflict. remove: docker-error while containers are attached.
    void createNetwork(const QString &name, const QJsonObject &labels, QObject *context, Callback<QString> cb);
    void inspectNetwork(const QString &idOrName, QObject *context, Callback<QJsonObject> cb);
    // filters e.g. {"label":["gasper.node=n1"]}
    void listNetworks(const QJsonObject &filters, QObject *context, Callback<QJsonArray> cb);
    void removeNetwork(const QString &idOrName, QObject *context, Callback<void> cb);
    void connectNetwork(const QString &network, const QString &containerId, const QStringList &aliases,
                        QObject *context, Callback<void> cb);
    void disconnectNetwork(const QString &network, const QString &containerId, bool force, QObject *context,
                           Callback<void> cb);

    // Streams; `tty` must match how the exec/container was created (raw vs multiplexed).
    DockerStream *startExec(const QString &execId, bool tty, QObject *parent);     // hijacked
    DockerStream *attachContainer(const QString &id, bool tty, QObject *parent);  // hijacked: stdin, stdout, stderr
    // Inspects the container first to learn whether its output is multiplexed (no TTY).
    DockerStream *containerLogs(const QString &id, const LogOptions &options, QObject *parent);
    // `since`: replay the events from that moment on ("1700000000.123456789", unix time as the
    // engine gives it in timeNano / 1e9), so a reconnect misses nothing the engine still holds.
    DockerStream *events(const QJsonObject &filters, QObject *parent, const QByteArray &since = {});
    // GET /containers/{id}/stats?stream=1: one jsonMessage() per reading (about one a second
    // while the container runs, zeroed ones while it is stopped) on a connection of its own.
    DockerStream *containerStatsStream(const QString &id, QObject *parent);

private:
    friend class detail::Call;
    friend class DockerStream;
    using PrefixCallback = std::function<void(Result<QByteArray>)>;

    // A plain call, versioned (negotiates first) or not. timeoutMs 0: none. Long calls
    // (wait) do not count against maxConnections().
    void send(const QByteArray &method, const QByteArray &path, const QByteArray &body, bool versioned,
              int timeoutMs, bool longRunning, QObject *context, Callback<ApiResponse> cb);
    void submit(detail::Call *call);
    void callFinished(detail::Call *call);
    QLocalSocket *takeIdle();
    void releaseSocket(QLocalSocket *socket);  // back to the pool, or closed
    QLocalSocket *newSocket();
    // The "/v1.41" prefix once known; delivered like any callback.
    void withApiPrefix(QObject *context, PrefixCallback cb);
    void launch(DockerStream *stream);

    QString m_socketPath;
    int m_timeoutMs = 60000;
    int m_maxIdle = 4;
    int m_maxActive = 32;
    qint64 m_opened = 0;
    int m_active = 0;
    QList<QLocalSocket *> m_idle;
    QList<detail::Call *> m_queued;

    enum class VersionState { Unknown, Negotiating, Known };
    VersionState m_versionState = VersionState::Unknown;
    QByteArray m_apiPrefix;
    QList<std::pair<QPointer<QObject>, PrefixCallback>> m_prefixWaiters;
};

namespace detail {
// Errors shared by the client and its streams.
Error responseError(int status, const QByteArray &body, const QByteArray &method, const QByteArray &path);
Error unavailableError(const QString &socketPath, int localSocketError, const QString &detail);
QByteArray requestBytes(const QByteArray &method, const QByteArray &target, const QByteArray &body, bool upgrade);
// Posts `fn` to `context`'s event loop; dropped if context dies first.
void post(QObject *context, std::function<void()> fn);
} // namespace detail

} // namespace gasper::docker
