// SPDX-License-Identifier: MIT
#pragma once

// Test harness for the whole path: a real gasperd process on free loopback ports
// with its own data folder, driven with the clients users have (curl, docker).

#include "OpenApiCheck.h"
#include "core/Result.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

namespace gasper::testing {

inline quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

struct CurlResult
{
    int status = 0;
    QByteArray body;
    QByteArray headers;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const { return json().value(u"error").toObject().value(u"code").toString(); }
};

// Runs curl (the real client) and returns status, headers and body.
inline CurlResult curl(const QStringList &args, int timeoutMs = 30000)
{
    QTemporaryDir tmp;
    const QString headerFile = tmp.path() + QStringLiteral("/h");
    QProcess p;
    QStringList all{QStringLiteral("-sS"), QStringLiteral("--max-time"), QString::number(timeoutMs / 1000),
                    QStringLiteral("-D"), headerFile, QStringLiteral("-o"), QStringLiteral("-"),
                    QStringLiteral("-w"), QStringLiteral("\n%{http_code}")};
    p.start(QStringLiteral("curl"), all + args);
    p.waitForFinished(timeoutMs + 5000);
    QByteArray out = p.readAllStandardOutput();
    CurlResult r;
    const qsizetype nl = out.lastIndexOf('\n');
    r.status = out.mid(nl + 1).trimmed().toInt();
    r.body = out.left(nl);
    QFile h(headerFile);
    if (h.open(QIODevice::ReadOnly))
        r.headers = h.readAll();
    return r;
}

// Every answer ApiClient gets is checked against docs/openapi.json; what the description
// does not allow collects here, and each test's cleanup() fails on it.
inline const OpenApiCheck &apiDescription()
{
    static const OpenApiCheck description;
    return description;
}
inline QStringList &apiViolations()
{
    static QStringList violations;
    return violations;
}

// One gasperd, restartable on the same data folder and ports.
class Gasperd
{
public:
    Gasperd()
    {
        m_api = freePort();
        m_proxy = freePort();
        m_ssh = freePort();
        m_dataDir = m_tmp.path() + QStringLiteral("/data");
        m_nodeName = QStringLiteral("it-%1-%2").arg(QCoreApplication::applicationPid()).arg(m_api);
    }
    ~Gasperd()
    {
        stop();
        removeNetworks();
    }

    // The users' networks of this gasperd: they outlive it by design (a restart reuses them),
    // and go 10 s after a user's last app, which a suite ending at once never waits for.
    void removeNetworks() const
    {
        // By the node id when there is one: a gasperd on the default config is node "local".
        const QString id = nodeId();
        const QString filter = id.isEmpty() ? QStringLiteral("label=gasper.node=") + m_nodeName
                                            : QStringLiteral("label=gasper.node-id=") + id;
        QProcess ls;
        ls.start(QStringLiteral("docker"), {QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q"),
                                            QStringLiteral("--filter"), filter});
        ls.waitForFinished(30000);
        const QStringList ids = QString::fromUtf8(ls.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        if (ids.isEmpty())
            return;
        QProcess rm;
        rm.start(QStringLiteral("docker"), QStringList{QStringLiteral("network"), QStringLiteral("rm")} + ids);
        rm.waitForFinished(30000);
    }

    static QString binary() { return QStringLiteral(GASPER_BINARY_DIR "/bin/gasperd"); }
    QString api() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_api); }
    QString proxy() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_proxy); }
    quint16 proxyPort() const { return m_proxy; }
    quint16 sshPort() const { return m_ssh; }
    QString dataDir() const { return m_dataDir; }
    QString nodeName() const { return m_nodeName; }
    // No [node] name: the default config a new user runs (node "local", identity made in
    // the data dir on first start).
    void useDefaultNode() { m_nodeName.clear(); }
    // Another engine than the shared one (--docker-socket).
    void setDockerSocket(const QString &path) { m_dockerSocket = path; }
    // One more config line in a table ("apps", "api", …), written by the next start().
    void addConfig(const QByteArray &table, const QByteArray &line) { m_extraConfig[table] += line + '\n'; }
    // The identity gasperd made in its data dir (label gasper.node-id); empty before start.
    QString nodeId() const
    {
        QFile f(m_dataDir + QStringLiteral("/node-id"));
        return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).trimmed() : QString();
    }
    QString log() const { return QString::fromUtf8(m_log); }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }

    // GASPER_TEST_STORE_URL (a postgresql:// URL) runs gasperd on that store, emptied
    // first, under its own node name so it never touches another gasperd's containers.
    static QString storeUrl() { return qEnvironmentVariable("GASPER_TEST_STORE_URL"); }

    Result<void> resetStore()
    {
        const QUrl url(storeUrl());
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("harness-reset"));
            db.setHostName(url.host());
            db.setPort(url.port(5432));
            db.setUserName(url.userName());
            db.setPassword(url.password());
            db.setDatabaseName(url.path().mid(1));
            if (!db.open())
                return fail(QStringLiteral("test"), QStringLiteral("cannot reach ") + url.toDisplayString(QUrl::RemovePassword)
                                                        + QStringLiteral(": ") + db.lastError().text());
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("DROP SCHEMA public CASCADE")) || !q.exec(QStringLiteral("CREATE SCHEMA public")))
                return fail(QStringLiteral("test"), q.lastError().text());
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("harness-reset"));
        return {};
    }

    Result<void> start()
    {
        // A node name of its own: on start gasperd removes the containers of its node that
        // its store does not know, so two suites on one engine must not share a name.
        QByteArray toml = "[apps]\nmetrics_interval_s = 1\n" + m_extraConfig.value("apps");
        for (auto it = m_extraConfig.cbegin(); it != m_extraConfig.cend(); ++it) {
            if (it.key() != "apps")
                toml += "[" + it.key() + "]\n" + it.value();
        }
        if (!m_nodeName.isEmpty())
            toml += "[node]\nname = \"" + m_nodeName.toUtf8() + "\"\n";
        if (!storeUrl().isEmpty()) {
            if (!m_storeReset) {
                if (auto reset = resetStore(); !reset)
                    return reset;
                m_storeReset = true;
            }
            toml += "[store]\nurl = \"" + storeUrl().toUtf8() + "\"\n";
        }
        const QString config = m_tmp.path() + QStringLiteral("/gasper.toml");
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            return fail(QStringLiteral("test"), QStringLiteral("cannot write ") + config);
        file.write(toml);
        file.close();
        QStringList extra{QStringLiteral("--config"), config};
        if (!m_dockerSocket.isEmpty())
            extra << QStringLiteral("--docker-socket") << m_dockerSocket;
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(), [this] {
            const QByteArray chunk = m_process->readAll();
            m_log += chunk;
            if (qEnvironmentVariableIsSet("GASPER_TEST_VERBOSE"))
                fputs(chunk.constData(), stderr);
        });
        m_process->start(binary(), QStringList{QStringLiteral("--data-dir"), m_dataDir,
                                               QStringLiteral("--api"), QStringLiteral("127.0.0.1:%1").arg(m_api),
                                               QStringLiteral("--proxy"), QStringLiteral("127.0.0.1:%1").arg(m_proxy),
                                               QStringLiteral("--ssh"), QStringLiteral("127.0.0.1:%1").arg(m_ssh)}
                                       + extra);
        if (!m_process->waitForStarted(10000))
            return fail(QStringLiteral("test"), QStringLiteral("gasperd did not start: ") + m_process->errorString());
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 20000) {
            if (curl({api() + QStringLiteral("/healthz")}, 2000).status == 200)
                return {};
            if (m_process->state() != QProcess::Running)
                break;
            QTest::qWait(50);
        }
        return fail(QStringLiteral("test"), QStringLiteral("gasperd not healthy; log:\n") + log());
    }

    // A crash: SIGKILL, no chance to clean up.
    void crash()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        m_process->kill();
        m_process->waitForFinished(5000);
    }

    void stop()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        m_process->terminate();
        if (!m_process->waitForFinished(10000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }

private:
    QTemporaryDir m_tmp;
    QString m_dataDir;
    quint16 m_api = 0;
    quint16 m_proxy = 0;
    quint16 m_ssh = 0;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    bool m_storeReset = false;
    QString m_nodeName;
    QString m_dockerSocket;
    QMap<QByteArray, QByteArray> m_extraConfig;  // table -> lines
};

// The REST API through curl, with a bearer token.
class ApiClient
{
public:
    ApiClient(QString base, QString token = {}) : m_base(std::move(base)), m_token(std::move(token)) {}
    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }

    CurlResult call(const QString &method, const QString &path, const QByteArray &body = {}) const
    {
        QStringList args{QStringLiteral("-X"), method, m_base + path};
        if (!m_token.isEmpty())
            args << QStringLiteral("-H") << QStringLiteral("Authorization: Bearer ") + m_token;
        if (!body.isNull())
            args << QStringLiteral("-H") << QStringLiteral("Content-Type: application/json")
                 << QStringLiteral("--data-binary") << QString::fromUtf8(body);
        CurlResult r = curl(args);
        if (r.status != 0)
            apiViolations() << apiDescription().check(method.toLatin1(), path, r.status, r.body);
        return r;
    }
    CurlResult get(const QString &path) const { return call(QStringLiteral("GET"), path); }
    CurlResult post(const QString &path, const QJsonObject &body) const
    {
        return call(QStringLiteral("POST"), path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    CurlResult post(const QString &path) const { return call(QStringLiteral("POST"), path, QByteArray("")); }
    CurlResult patch(const QString &path, const QJsonObject &body) const
    {
        return call(QStringLiteral("PATCH"), path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    CurlResult del(const QString &path) const { return call(QStringLiteral("DELETE"), path); }

    // Registers (ignoring "taken") and logs in; the token.
    QString signIn(const QString &user, const QString &password = QStringLiteral("correct horse battery"))
    {
        post(QStringLiteral("/api/v1/auth/register"),
             QJsonObject{{QStringLiteral("username"), user}, {QStringLiteral("email"), QString(user + QStringLiteral("@example.test"))}, {QStringLiteral("password"), password}});
        const CurlResult r = post(QStringLiteral("/api/v1/auth/login"), QJsonObject{{QStringLiteral("username"), user}, {QStringLiteral("password"), password}});
        m_token = r.json().value(u"token").toString();
        return m_token;
    }

    // Polls the app until its state is one of `states`; the last answer.
    QJsonObject waitForState(const QString &app, const QStringList &states, int timeoutMs = 120000,
                             QStringList *seen = nullptr) const
    {
        QElapsedTimer clock;
        clock.start();
        QJsonObject last;
        while (clock.elapsed() < timeoutMs) {
            last = get(QStringLiteral("/api/v1/apps/") + app).json();
            const QString state = last.value(u"state").toString();
            if (seen && (seen->isEmpty() || seen->constLast() != state))
                *seen << state;
            if (states.contains(state))
                return last;
            QTest::qWait(50);
        }
        return last;
    }

private:
    QString m_base;
    QString m_token;
};

// curl through the proxy with the app's Host header.
inline CurlResult viaProxy(const Gasperd &g, const QString &app, const QString &path = QStringLiteral("/"))
{
    return curl({QStringLiteral("-H"), QStringLiteral("Host: %1.localhost").arg(app), g.proxy() + path}, 10000);
}

inline QString run(const QString &program, const QStringList &args, int timeoutMs = 30000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.waitForFinished(timeoutMs);
    return QString::fromUtf8(p.readAll()).trimmed();
}

} // namespace gasper::testing
