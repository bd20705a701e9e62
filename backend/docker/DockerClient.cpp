// SPDX-License-Identifier: MIT
#include "docker/DockerClient.h"

#include "core/Log.h"
#include "http/HttpParser.h"

#include <QJsonDocument>
#include <QLocalSocket>
#include <QTimer>
#include <QUrl>

#include <optional>

namespace gasper::docker {

using namespace Qt::StringLiterals;

QJsonValue ApiResponse::json() const
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue(QJsonValue::Undefined);
}

namespace detail {

void post(QObject *context, std::function<void()> fn)
{
    // A queued call on the context: runs from the event loop, and Qt drops it if the
    // context is destroyed before it runs.
    QMetaObject::invokeMethod(context, std::move(fn), Qt::QueuedConnection);
}

Error responseError(int status, const QByteArray &body, const QByteArray &method, const QByteArray &path)
{
    QString message = QJsonDocument::fromJson(body).object().value(u"message").toString();
    if (message.isEmpty())
        message = QString::fromUtf8(body.left(500)).trimmed();
    if (message.isEmpty())
        message = QStringLiteral("Docker answered %1 %2 to %3 %4")
                      .arg(status)
                      .arg(QString::fromLatin1(http::reasonPhrase(status)), QString::fromLatin1(method),
                           QString::fromUtf8(path));
    QString code = QStringLiteral("docker-error");
    if (status == 400)
        code = QStringLiteral("docker-bad-request");
    else if (status == 404)
        code = QStringLiteral("docker-not-found");
    else if (status == 409)
        code = QStringLiteral("docker-conflict");
    return Error{code, message};
}

Error unavailableError(const QString &socketPath, int localSocketError, const QString &detail)
{
    QString message;
    switch (QLocalSocket::LocalSocketError(localSocketError)) {
    case QLocalSocket::ServerNotFoundError:
        message = QStringLiteral("The Docker engine socket %1 does not exist: start the Docker engine "
                                 "(`sudo systemctl start docker` or run dockerd), or point DOCKER_HOST / "
                                 "[docker] socket at its socket.")
                      .arg(socketPath);
        break;
    case QLocalSocket::ConnectionRefusedError:
        message = QStringLiteral("The Docker engine socket %1 refused the connection: dockerd is not running; "
                                 "start it (`sudo systemctl start docker` or run dockerd).")
                      .arg(socketPath);
        break;
    case QLocalSocket::SocketAccessError:
        message = QStringLiteral("No permission to use the Docker engine socket %1: run gasperd as a user in "
                                 "the docker group.")
                      .arg(socketPath);
        break;
    default:
        message = QStringLiteral("Cannot talk to the Docker engine at %1 (%2): make sure dockerd is running.")
                      .arg(socketPath, detail);
        break;
    }
    return Error{QStringLiteral("docker-unavailable"), message};
}

QByteArray requestBytes(const QByteArray &method, const QByteArray &target, const QByteArray &body, bool upgrade)
{
    http::Request request;
    request.method = method;
    request.target = target;
    // Go's HTTP server refuses HTTP/1.1 requests without Host; the value does not matter.
    request.headers.add("Host", "docker");
    request.headers.add("User-Agent", "gasper");
    if (!body.isEmpty())
        request.headers.add("Content-Type", "application/json");
    if (upgrade) {
        request.headers.add("Connection", "Upgrade");
        request.headers.add("Upgrade", "tcp");
    }
    request.body = body;
    return http::serialize(request);
}

// One plain call: a request on a pooled or fresh connection, its answer collected
// whole, the connection handed back to the pool when the engine keeps it open.
class Call final : public QObject
{
public:
    Call(DockerClient *client, QByteArray method, QByteArray target, QByteArray body, int timeoutMs,
         bool longRunning, QObject *context, DockerClient::Callback<ApiResponse> cb)
        : QObject(client)
        , m_client(client)
        , m_method(std::move(method))
        , m_target(std::move(target))
        , m_body(std::move(body))
        , m_timeoutMs(timeoutMs)
        , m_longRunning(longRunning)
        , m_context(context ? context : client)
        , m_cb(std::move(cb))
    {
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &Call::onTimeout);
    }

    bool longRunning() const { return m_longRunning; }
    // A kept-alive connection handed over by a call that just finished, for start().
    void handOff(QLocalSocket *socket) { m_handoff = socket; }

    void start()
    {
        if (m_done)
            return;
        http::Limits limits;
        limits.maxBodyBytes = 256 * 1024 * 1024;
        m_parser.emplace(http::Parser::Kind::Response, limits);
        m_parser->expectResponseTo(m_method);
        m_bytesReceived = 0;
        m_sent = false;
        if (m_timeoutMs > 0 && !m_timer.isActive())
            m_timer.start(m_timeoutMs);  // covers a retry too

        QLocalSocket *socket = std::exchange(m_handoff, nullptr);
        if (socket && socket->state() != QLocalSocket::ConnectedState) {
            socket->deleteLater();
            socket = nullptr;
        }
        if (!socket && !m_retried)
            socket = m_client->takeIdle();
        m_reused = socket != nullptr;
        if (!socket)
            socket = m_client->newSocket();
        m_socket = socket;
        connect(socket, &QLocalSocket::readyRead, this, &Call::onReadyRead);
        connect(socket, &QLocalSocket::disconnected, this, &Call::onClosed);
        connect(socket, &QLocalSocket::errorOccurred, this, &Call::onError);
        if (m_reused) {
            sendRequest();
            return;
        }
        connect(socket, &QLocalSocket::connected, this, &Call::sendRequest);
        socket->connectToServer(m_client->m_socketPath);  // may fail right here: onError runs inside
    }

private:
    void sendRequest()
    {
        if (!m_socket || m_sent)
            return;
        m_sent = true;
        qCDebug(lcDocker) << "request" << m_method << m_target << (m_reused ? "(reused connection)" : "");
        m_socket->write(requestBytes(m_method, m_target, m_body, false));
    }

    void onReadyRead()
    {
        if (!m_socket || m_done)
            return;
        const QByteArray data = m_socket->readAll();
        m_bytesReceived += data.size();
        m_parser->feed(data);
        pump();
    }

    void pump()
    {
        while (!m_done) {
            switch (m_parser->next()) {
            case http::Parser::Event::NeedMore:
                return;
            case http::Parser::Event::Head:
                m_response.status = m_parser->response().status;
                m_response.headers = m_parser->response().headers;
                break;
            case http::Parser::Event::Body:
                m_response.body.append(m_parser->takeBody());
                break;
            case http::Parser::Event::Complete: {
                const bool keepAlive = m_parser->response().keepAlive();
                // Reuse only a connection with nothing left over.
                const bool clean = m_socket && m_socket->state() == QLocalSocket::ConnectedState
                                   && m_socket->bytesAvailable() == 0
                                   && m_parser->next() == http::Parser::Event::NeedMore && !m_parser->inMessage();
                if (m_response.status >= 400)
                    complete(std::unexpected(responseError(m_response.status, m_response.body, m_method, m_target)),
                             keepAlive && clean);
                else
                    complete(std::move(m_response), keepAlive && clean);
                return;
            }
            case http::Parser::Event::Error:
                complete(fail(QStringLiteral("docker-error"),
                              QStringLiteral("Docker sent a malformed answer to %1 %2: %3")
                                  .arg(QString::fromLatin1(m_method), QString::fromUtf8(m_target),
                                       m_parser->errorMessage())),
                         false);
                return;
            }
        }
    }

    void onError(QLocalSocket::LocalSocketError error)
    {
        if (m_done)
            return;
        if (error == QLocalSocket::PeerClosedError) {
            onClosed();
            return;
        }
        if (!m_reused && !m_sent) {
            complete(std::unexpected(unavailableError(m_client->m_socketPath, error,
                                                      m_socket ? m_socket->errorString() : QString())),
                     false);
            return;
        }
        complete(fail(QStringLiteral("docker-unavailable"),
                      QStringLiteral("The connection to the Docker engine at %1 failed during %2 %3: %4")
                          .arg(m_client->m_socketPath, QString::fromLatin1(m_method), QString::fromUtf8(m_target),
                               m_socket ? m_socket->errorString() : QString())),
                 false);
    }

    void onClosed()
    {
        if (m_done || !m_socket)
            return;
        if (m_socket->bytesAvailable() > 0)
            onReadyRead();
        if (m_done)
            return;
        // A kept-alive connection the engine closed while it sat idle: nothing of ours was
        // read. Docker never answers half a request, so sending it again on a fresh
        // connection is safe (as Go's HTTP client does for a closed idle connection).
        if (m_reused && m_bytesReceived == 0 && !m_retried) {
            m_retried = true;
            dropSocket();
            start();
            return;
        }
        if (m_bytesReceived > 0) {
            m_parser->feedEof();  // completes a response framed by the end of the connection
            pump();
            if (m_done)
                return;
        }
        complete(fail(QStringLiteral("docker-unavailable"),
                      QStringLiteral("The Docker engine at %1 closed the connection before answering %2 %3.")
                          .arg(m_client->m_socketPath, QString::fromLatin1(m_method), QString::fromUtf8(m_target))),
                 false);
    }

    void onTimeout()
    {
        if (QLocalSocket *socket = std::exchange(m_socket, nullptr)) {
            socket->disconnect(this);  // first: abort() reports the close synchronously
            socket->abort();           // from a timer, not inside a signal of the socket
            socket->deleteLater();
        }
        complete(fail(QStringLiteral("docker-timeout"),
                      QStringLiteral("The Docker engine at %1 did not answer %2 %3 within %4 s.")
                          .arg(m_client->m_socketPath, QString::fromLatin1(m_method), QString::fromUtf8(m_target))
                          .arg(m_timeoutMs / 1000.0)),
                 false);
    }

    void dropSocket()
    {
        if (QLocalSocket *socket = std::exchange(m_socket, nullptr)) {
            socket->disconnect(this);
            socket->deleteLater();  // we may be inside one of its signals
        }
    }

    void complete(Result<ApiResponse> result, bool reuseSocket)
    {
        if (m_done)
            return;
        m_done = true;
        m_timer.stop();
        if (QLocalSocket *socket = std::exchange(m_socket, nullptr)) {
            socket->disconnect(this);
            if (reuseSocket)
                m_client->releaseSocket(socket);
            else
                socket->deleteLater();
        }
        if (!result)
            qCDebug(lcDocker) << "failed" << m_method << m_target << result.error().code << result.error().message;
        if (m_cb && m_context)
            post(m_context, [cb = std::move(m_cb), result = std::move(result)] { cb(result); });
        m_client->callFinished(this);
        deleteLater();
    }

    DockerClient *m_client;
    QByteArray m_method;
    QByteArray m_target;
    QByteArray m_body;
    int m_timeoutMs;
    bool m_longRunning;
    QPointer<QObject> m_context;
    DockerClient::Callback<ApiResponse> m_cb;

    QTimer m_timer;
    QLocalSocket *m_socket = nullptr;
    QLocalSocket *m_handoff = nullptr;
    std::optional<http::Parser> m_parser;
    ApiResponse m_response;
    qint64 m_bytesReceived = 0;
    bool m_reused = false;
    bool m_retried = false;
    bool m_sent = false;
    bool m_done = false;
};

} // namespace detail

namespace {

using detail::post;

QByteArray pathPart(const QString &value)
{
    return QUrl::toPercentEncoding(value);
}

QByteArray queryValue(const QString &value)
{
    return QUrl::toPercentEncoding(value);
}

QByteArray filtersQuery(const QJsonObject &filters)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(QJsonDocument(filters).toJson(QJsonDocument::Compact)));
}

// Adapts a typed callback to an ApiResponse one; `convert` turns the answer into a T.
template<class T, class Convert>
DockerClient::Callback<ApiResponse> mapped(DockerClient::Callback<T> cb, Convert convert)
{
    return [cb = std::move(cb), convert = std::move(convert)](Result<ApiResponse> response) {
        if (!response) {
            cb(std::unexpected(response.error()));
            return;
        }
        cb(convert(*response));
    };
}

Result<void> toVoid(const ApiResponse &)
{
    return {};
}

Result<QJsonObject> toObject(const ApiResponse &response)
{
    const QJsonValue json = response.json();
    if (!json.isObject())
        return fail(QStringLiteral("docker-error"),
                    QStringLiteral("Docker answered %1 without a JSON object").arg(response.status));
    return json.toObject();
}

Result<QString> toId(const ApiResponse &response)
{
    const auto object = toObject(response);
    if (!object)
        return std::unexpected(object.error());
    const QString id = object->value(u"Id").toString();
    if (id.isEmpty())
        return fail(QStringLiteral("docker-error"), QStringLiteral("Docker answered without an Id"));
    return id;
}

// "1.41" -> 141, for comparing; -1 when not a version.
int versionNumber(QStringView text)
{
    if (text.startsWith(u'v'))
        text = text.mid(1);
    const auto parts = text.split(u'.');
    if (parts.size() != 2)
        return -1;
    bool okMajor = false;
    bool okMinor = false;
    const int major = parts[0].toInt(&okMajor);
    const int minor = parts[1].toInt(&okMinor);
    return okMajor && okMinor && minor < 100 ? major * 100 + minor : -1;
}

} // namespace

DockerClient::DockerClient(const QString &socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(socketPath.startsWith(u"unix://") ? socketPath.mid(7) : socketPath)
{
}

DockerClient::~DockerClient()
{
    // Calls and sockets are children and go with us, callbacks unsent. Silence the sockets
    // first: one closing during QObject's cleanup must not run a call's handler, which
    // would reach into members already destroyed by then.
    const auto sockets = findChildren<QLocalSocket *>(Qt::FindDirectChildrenOnly);
    for (QLocalSocket *socket : sockets)
        socket->disconnect();
    qDeleteAll(sockets);
}

QLocalSocket *DockerClient::newSocket()
{
    ++m_opened;
    return new QLocalSocket(this);
}

QLocalSocket *DockerClient::takeIdle()
{
    while (!m_idle.isEmpty()) {
        QLocalSocket *socket = m_idle.takeLast();
        socket->disconnect(this);
        if (socket->state() == QLocalSocket::ConnectedState && socket->bytesAvailable() == 0)
            return socket;
        socket->deleteLater();
    }
    return nullptr;
}

void DockerClient::releaseSocket(QLocalSocket *socket)
{
    if (socket->state() == QLocalSocket::ConnectedState && !m_queued.isEmpty()) {
        // Straight to the next waiting call: under load the pool would otherwise close
        // connections past maxIdle only for the queue to open new ones.
        detail::Call *next = m_queued.takeFirst();
        ++m_active;
        next->handOff(socket);
        post(next, [next] { next->start(); });  // not here: we are inside a signal of the socket
        return;
    }
    if (socket->state() != QLocalSocket::ConnectedState || m_idle.size() >= m_maxIdle) {
        socket->deleteLater();
        return;
    }
    m_idle.append(socket);
    // The engine may close an idle connection, or (never expected) send something on it:
    // either way it is no longer fit for a request.
    const auto retire = [this, socket] {
        if (m_idle.removeOne(socket)) {
            socket->disconnect(this);
            socket->deleteLater();
        }
    };
    connect(socket, &QLocalSocket::disconnected, this, retire);
    connect(socket, &QLocalSocket::readyRead, this, retire);
}

void DockerClient::submit(detail::Call *call)
{
    if (!call->longRunning()) {
        if (m_active >= m_maxActive) {
            m_queued.append(call);
            return;
        }
        ++m_active;
    }
    call->start();
}

void DockerClient::callFinished(detail::Call *call)
{
    if (call->longRunning())
        return;
    --m_active;
    while (!m_queued.isEmpty() && m_active < m_maxActive) {
        detail::Call *next = m_queued.takeFirst();
        ++m_active;
        // Not right here: we are inside the finished call's socket signal.
        post(next, [next] { next->start(); });
    }
}

void DockerClient::send(const QByteArray &method, const QByteArray &path, const QByteArray &body, bool versioned,
                        int timeoutMs, bool longRunning, QObject *context, Callback<ApiResponse> cb)
{
    if (!versioned) {
        submit(new detail::Call(this, method, path, body, timeoutMs, longRunning, context, std::move(cb)));
        return;
    }
    const QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    withApiPrefix(this, [this, method, path, body, timeoutMs, longRunning, guard, hasContext,
                         cb = std::move(cb)](Result<QByteArray> prefix) {
        if (hasContext && !guard) {
            // The caller is gone; the call still happens (a stop still stops).
            if (prefix)
                submit(new detail::Call(this, method, *prefix + path, body, timeoutMs, longRunning, this, {}));
            return;
        }
        if (!prefix) {
            cb(std::unexpected(prefix.error()));
            return;
        }
        submit(new detail::Call(this, method, *prefix + path, body, timeoutMs, longRunning, guard.data(), cb));
    });
}

void DockerClient::withApiPrefix(QObject *context, PrefixCallback cb)
{
    if (!context)
        context = this;
    if (m_versionState == VersionState::Known) {
        post(context, [cb = std::move(cb), prefix = m_apiPrefix] { cb(prefix); });
        return;
    }
    m_prefixWaiters.append({QPointer<QObject>(context), std::move(cb)});
    if (m_versionState == VersionState::Negotiating)
        return;
    m_versionState = VersionState::Negotiating;
    send("GET", "/version", {}, false, m_timeoutMs, false, this, [this](Result<ApiResponse> response) {
        Result<QByteArray> prefix = std::unexpected(Error{});
        if (!response) {
            prefix = std::unexpected(response.error());
        } else {
            const QString engine = response->json().toObject().value(u"ApiVersion").toString();
            const int engineNumber = versionNumber(engine);
            if (engineNumber < 0) {
                qCWarning(lcDocker) << "the engine did not say its API version; using" << kApiVersion;
                prefix = QByteArray("/") + kApiVersion;
            } else if (engineNumber >= versionNumber(QString::fromLatin1(kApiVersion))) {
                prefix = QByteArray("/") + kApiVersion;
            } else if (engineNumber >= versionNumber(QString::fromLatin1(kMinApiVersion))) {
                prefix = "/v" + engine.toLatin1();
            } else {
                prefix = fail(QStringLiteral("docker-unavailable"),
                              QStringLiteral("The Docker engine at %1 speaks API %2; Gasper needs %3 or newer "
                                             "(Docker 19.03+). Upgrade the Docker engine.")
                                  .arg(m_socketPath, engine, QLatin1StringView(kMinApiVersion).mid(1)));
            }
        }
        if (prefix) {
            m_versionState = VersionState::Known;
            m_apiPrefix = *prefix;
            qCDebug(lcDocker) << "speaking Engine API" << m_apiPrefix.mid(1);
        } else {
            m_versionState = VersionState::Unknown;  // the next call tries again
        }
        const auto waiters = std::exchange(m_prefixWaiters, {});
        for (const auto &[waiterContext, waiterCb] : waiters) {
            // Already on the event loop; a waiter may delete its peers (or us): check each.
            if (waiterContext)
                waiterCb(prefix);
        }
    });
}

void DockerClient::request(const QByteArray &method, const QByteArray &path, const QByteArray &jsonBody,
                           QObject *context, Callback<ApiResponse> cb)
{
    send(method, path, jsonBody, true, m_timeoutMs, false, context, std::move(cb));
}

void DockerClient::ping(QObject *context, Callback<void> cb)
{
    send("GET", "/_ping", {}, false, m_timeoutMs, false, context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::version(QObject *context, Callback<QJsonObject> cb)
{
    send("GET", "/version", {}, false, m_timeoutMs, false, context, mapped<QJsonObject>(std::move(cb), toObject));
}

void DockerClient::inspectImage(const QString &image, QObject *context, Callback<QJsonObject> cb)
{
    // Image references keep their '/' and ':' (the engine routes /images/{name:.*}/json).
    request("GET", "/images/" + QUrl::toPercentEncoding(image, "/:@") + "/json", {}, context,
            mapped<QJsonObject>(std::move(cb), toObject));
}

void DockerClient::createContainer(const QString &name, const QJsonObject &config, QObject *context,
                                   Callback<QString> cb)
{
    QByteArray path = "/containers/create";
    if (!name.isEmpty())
        path += "?name=" + queryValue(name);
    request("POST", path, QJsonDocument(config).toJson(QJsonDocument::Compact), context,
            mapped<QString>(std::move(cb), toId));
}

void DockerClient::startContainer(const QString &id, QObject *context, Callback<void> cb)
{
    request("POST", "/containers/" + pathPart(id) + "/start", {}, context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::stopContainer(const QString &id, int timeoutSec, QObject *context, Callback<void> cb)
{
    // The engine answers after the grace period at the latest (then it kills).
    send("POST", "/containers/" + pathPart(id) + "/stop?t=" + QByteArray::number(timeoutSec), {}, true,
         m_timeoutMs + std::max(timeoutSec, 0) * 1000, false, context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::restartContainer(const QString &id, int timeoutSec, QObject *context, Callback<void> cb)
{
    send("POST", "/containers/" + pathPart(id) + "/restart?t=" + QByteArray::number(timeoutSec), {}, true,
         m_timeoutMs + std::max(timeoutSec, 0) * 1000, false, context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::killContainer(const QString &id, const QString &signal, QObject *context, Callback<void> cb)
{
    QByteArray path = "/containers/" + pathPart(id) + "/kill";
    if (!signal.isEmpty())
        path += "?signal=" + queryValue(signal);
    request("POST", path, {}, context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::removeContainer(const QString &id, bool force, QObject *context, Callback<void> cb)
{
    request("DELETE", "/containers/" + pathPart(id) + "?v=1&force=" + (force ? "1" : "0"), {}, context,
            mapped<void>(std::move(cb), toVoid));
}

void DockerClient::inspectContainer(const QString &id, QObject *context, Callback<QJsonObject> cb)
{
    request("GET", "/containers/" + pathPart(id) + "/json", {}, context, mapped<QJsonObject>(std::move(cb), toObject));
}

void DockerClient::listContainers(const QJsonObject &filters, bool all, QObject *context, Callback<QJsonArray> cb)
{
    QByteArray path = QByteArray("/containers/json?all=") + (all ? "1" : "0");
    if (!filters.isEmpty())
        path += "&filters=" + filtersQuery(filters);
    request("GET", path, {}, context, mapped<QJsonArray>(std::move(cb), [](const ApiResponse &response) -> Result<QJsonArray> {
                const QJsonValue json = response.json();
                if (!json.isArray())
                    return fail(QStringLiteral("docker-error"), QStringLiteral("Docker answered without a JSON array"));
                return json.toArray();
            }));
}

void DockerClient::containerStats(const QString &id, QObject *context, Callback<QJsonObject> cb)
{
    request("GET", "/containers/" + pathPart(id) + "/stats?stream=false", {}, context,
            mapped<QJsonObject>(std::move(cb), toObject));
}

void DockerClient::waitContainer(const QString &id, QObject *context, Callback<int> cb)
{
    send("POST", "/containers/" + pathPart(id) + "/wait", {}, true, 0, true, context,
         mapped<int>(std::move(cb), [](const ApiResponse &response) -> Result<int> {
             const auto object = toObject(response);
             if (!object)
                 return std::unexpected(object.error());
             const QString error = object->value(u"Error").toObject().value(u"Message").toString();
             if (!error.isEmpty())
                 return fail(QStringLiteral("docker-error"), error);
             return object->value(u"StatusCode").toInt();
         }));
}

void DockerClient::createExec(const QString &containerId, const QStringList &cmd, const QStringList &env,
                              const QString &workingDir, bool tty, bool attachStdin, QObject *context,
                              Callback<QString> cb)
{
    createExec(containerId, ExecOptions{cmd, env, workingDir, QString(), tty, attachStdin}, context, std::move(cb));
}

void DockerClient::createExec(const QString &containerId, const ExecOptions &options, QObject *context,
                              Callback<QString> cb)
{
    QJsonObject config{
        {u"AttachStdin"_s, options.attachStdin},
        {u"AttachStdout"_s, true},
        {u"AttachStderr"_s, true},
        {u"Tty"_s, options.tty},
        {u"Cmd"_s, QJsonArray::fromStringList(options.cmd)},
    };
    if (!options.env.isEmpty())
        config.insert(u"Env"_s, QJsonArray::fromStringList(options.env));
    if (!options.workingDir.isEmpty())
        config.insert(u"WorkingDir"_s, options.workingDir);
    if (!options.user.isEmpty())
        config.insert(u"User"_s, options.user);
    request("POST", "/containers/" + pathPart(containerId) + "/exec",
            QJsonDocument(config).toJson(QJsonDocument::Compact), context, mapped<QString>(std::move(cb), toId));
}

void DockerClient::inspectExec(const QString &execId, QObject *context, Callback<QJsonObject> cb)
{
    request("GET", "/exec/" + pathPart(execId) + "/json", {}, context, mapped<QJsonObject>(std::move(cb), toObject));
}

void DockerClient::resizeExec(const QString &execId, int cols, int rows, QObject *context, Callback<void> cb)
{
    request("POST",
            "/exec/" + pathPart(execId) + "/resize?h=" + QByteArray::number(rows) + "&w=" + QByteArray::number(cols),
            {}, context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::createNetwork(const QString &name, const QJsonObject &labels, QObject *context, Callback<QString> cb)
{
    const QJsonObject body{
        {u"Name"_s, name},
        {u"Driver"_s, u"bridge"_s},
        {u"CheckDuplicate"_s, true},  // engines before API 1.44 otherwise allow a second one
        {u"Labels"_s, labels},
    };
    request("POST", "/networks/create", QJsonDocument(body).toJson(QJsonDocument::Compact), context,
            mapped<QString>(std::move(cb), toId));
}

void DockerClient::inspectNetwork(const QString &idOrName, QObject *context, Callback<QJsonObject> cb)
{
    request("GET", "/networks/" + pathPart(idOrName), {}, context, mapped<QJsonObject>(std::move(cb), toObject));
}

void DockerClient::listNetworks(const QJsonObject &filters, QObject *context, Callback<QJsonArray> cb)
{
    QByteArray path = "/networks";
    if (!filters.isEmpty())
        path += "?filters=" + filtersQuery(filters);
    request("GET", path, {}, context, mapped<QJsonArray>(std::move(cb), [](const ApiResponse &response) -> Result<QJsonArray> {
                const QJsonValue json = response.json();
                if (!json.isArray())
                    return fail(QStringLiteral("docker-error"), QStringLiteral("Docker answered without a JSON array"));
                return json.toArray();
            }));
}

void DockerClient::removeNetwork(const QString &idOrName, QObject *context, Callback<void> cb)
{
    request("DELETE", "/networks/" + pathPart(idOrName), {}, context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::connectNetwork(const QString &network, const QString &containerId, const QStringList &aliases,
                                  QObject *context, Callback<void> cb)
{
    QJsonObject body{{u"Container"_s, containerId}};
    if (!aliases.isEmpty())
        body.insert(u"EndpointConfig"_s, QJsonObject{{u"Aliases"_s, QJsonArray::fromStringList(aliases)}});
    request("POST", "/networks/" + pathPart(network) + "/connect", QJsonDocument(body).toJson(QJsonDocument::Compact),
            context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::disconnectNetwork(const QString &network, const QString &containerId, bool force, QObject *context,
                                     Callback<void> cb)
{
    const QJsonObject body{{u"Container"_s, containerId}, {u"Force"_s, force}};
    request("POST", "/networks/" + pathPart(network) + "/disconnect",
            QJsonDocument(body).toJson(QJsonDocument::Compact), context, mapped<void>(std::move(cb), toVoid));
}

void DockerClient::launch(DockerStream *stream)
{
    withApiPrefix(stream, [stream](Result<QByteArray> prefix) {
        if (!prefix)
            stream->finish(std::unexpected(prefix.error()));
        else
            stream->open(*prefix);
    });
}

DockerStream *DockerClient::startExec(const QString &execId, bool tty, QObject *parent)
{
    const QJsonObject body{{u"Detach"_s, false}, {u"Tty"_s, tty}};
    auto *stream = new DockerStream(this, "POST", "/exec/" + pathPart(execId) + "/start",
                                    QJsonDocument(body).toJson(QJsonDocument::Compact), true,
                                    tty ? DockerStream::Framing::Raw : DockerStream::Framing::Multiplexed, parent);
    launch(stream);
    return stream;
}

DockerStream *DockerClient::attachContainer(const QString &id, bool tty, QObject *parent)
{
    auto *stream = new DockerStream(this, "POST",
                                    "/containers/" + pathPart(id) + "/attach?stream=1&stdin=1&stdout=1&stderr=1", {},
                                    true, tty ? DockerStream::Framing::Raw : DockerStream::Framing::Multiplexed,
                                    parent);
    launch(stream);
    return stream;
}

DockerStream *DockerClient::containerLogs(const QString &id, const LogOptions &options, QObject *parent)
{
    QByteArray path = "/containers/" + pathPart(id) + "/logs?stdout=" + (options.stdoutStream ? "1" : "0")
                      + "&stderr=" + (options.stderrStream ? "1" : "0") + "&follow=" + (options.follow ? "1" : "0")
                      + "&timestamps=" + (options.timestamps ? "1" : "0");
    path += "&tail=" + (options.tail < 0 ? QByteArray("all") : QByteArray::number(options.tail));
    if (options.since > 0)
        path += "&since=" + QByteArray::number(options.since);
    auto *stream = new DockerStream(this, "GET", path, {}, false, DockerStream::Framing::Multiplexed, parent);
    // The engine (API < 1.42) does not say whether the log is multiplexed: it is unless
    // the container has a TTY.
    inspectContainer(id, stream, [stream](Result<QJsonObject> container) {
        if (!container) {
            stream->finish(std::unexpected(container.error()));
            return;
        }
        const bool tty = container->value(u"Config").toObject().value(u"Tty").toBool();
        stream->setFraming(tty ? DockerStream::Framing::Raw : DockerStream::Framing::Multiplexed);
        if (DockerClient *client = stream->m_client)
            client->launch(stream);
    });
    return stream;
}

DockerStream *DockerClient::events(const QJsonObject &filters, QObject *parent, const QByteArray &since)
{
    QByteArray path = "/events";
    QByteArrayList query;
    if (!filters.isEmpty())
        query << "filters=" + filtersQuery(filters);
    if (!since.isEmpty())
        query << "since=" + QUrl::toPercentEncoding(QString::fromLatin1(since));
    if (!query.isEmpty())
        path += '?' + query.join('&');
    auto *stream = new DockerStream(this, "GET", path, {}, false, DockerStream::Framing::JsonLines, parent);
    launch(stream);
    return stream;
}

DockerStream *DockerClient::containerStatsStream(const QString &id, QObject *parent)
{
    auto *stream = new DockerStream(this, "GET", "/containers/" + pathPart(id) + "/stats?stream=1", {}, false,
                                    DockerStream::Framing::JsonLines, parent);
    launch(stream);
    return stream;
}

} // namespace gasper::docker
