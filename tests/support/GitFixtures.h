// SPDX-License-Identifier: MIT
#pragma once

// Test helpers for real git repositories and a real smart-HTTP git server (header-only).
// Used by tests/git and the integration tests. Needs Qt Core and the `git` and `python3`
// programs; blocking by design (tests only, never on a server's event loop).

#include "core/Result.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QUrl>

#include <memory>

namespace gasper::testing {

// Relative path → content.
using FileMap = QMap<QString, QByteArray>;

// "code: message" of a failed Result, "" of a successful one. For QVERIFY2, which evaluates
// its message even when the check passes (so `r.error()` there would be undefined behaviour).
template<class T>
QString errorText(const Result<T> &result)
{
    return result ? QString() : result.error().code + QStringLiteral(": ") + result.error().message;
}

// git with a fixed identity and clock, isolated from the machine's and the user's config:
// the same files and messages always give the same commit shas.
inline QProcessEnvironment gitEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString date = QStringLiteral("1704067200 +0000"); // 2024-01-01T00:00:00Z
    env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Gasper Test"));
    env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("test@gasper.localhost"));
    env.insert(QStringLiteral("GIT_AUTHOR_DATE"), date);
    env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Gasper Test"));
    env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("test@gasper.localhost"));
    env.insert(QStringLiteral("GIT_COMMITTER_DATE"), date);
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("GIT_CONFIG_GLOBAL"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    return env;
}

// Runs `git args...` in workDir; its trimmed stdout, or an Error with its stderr.
inline Result<QString> runGit(const QString &workDir, const QStringList &args, int timeoutMs = 60000)
{
    QProcess git;
    git.setProcessEnvironment(gitEnvironment());
    git.setWorkingDirectory(workDir);
    const QStringList fullArgs = QStringList{QStringLiteral("-c"), QStringLiteral("commit.gpgsign=false"),
                                             QStringLiteral("-c"), QStringLiteral("core.autocrlf=false")}
                                 + args;
    git.start(QStringLiteral("git"), fullArgs);
    if (!git.waitForStarted(timeoutMs))
        return fail(QStringLiteral("test-git"), QStringLiteral("cannot start git: ") + git.errorString());
    if (!git.waitForFinished(timeoutMs)) {
        git.kill();
        git.waitForFinished(5000);
        return fail(QStringLiteral("test-git"), QStringLiteral("git %1 timed out").arg(args.join(u' ')));
    }
    const QString out = QString::fromUtf8(git.readAllStandardOutput()).trimmed();
    if (git.exitStatus() != QProcess::NormalExit || git.exitCode() != 0)
        return fail(QStringLiteral("test-git"), QStringLiteral("git %1 failed (%2): %3")
                                                    .arg(args.join(u' '))
                                                    .arg(git.exitCode())
                                                    .arg(QString::fromUtf8(git.readAllStandardError()).trimmed()));
    return out;
}

// The sha that `rev` names in repoDir (`git rev-parse`).
inline Result<QString> revParse(const QString &repoDir, const QString &rev = QStringLiteral("HEAD"))
{
    return runGit(repoDir, {QStringLiteral("rev-parse"), rev});
}

// Writes files (creating their directories) under dir.
inline Result<void> writeFiles(const QString &dir, const FileMap &files)
{
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = QDir(dir).filePath(it.key());
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return fail(QStringLiteral("test-git"), QStringLiteral("cannot create directory for ") + path);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(it.value()) != it.value().size())
            return fail(QStringLiteral("test-git"), QStringLiteral("cannot write ") + path);
    }
    return {};
}

// Adds files to the checked-out branch of repoDir and commits them; the new HEAD sha.
inline Result<QString> commitFiles(const QString &repoDir, const FileMap &files, const QString &message)
{
    if (auto written = writeFiles(repoDir, files); !written)
        return std::unexpected(written.error());
    if (auto added = runGit(repoDir, {QStringLiteral("add"), QStringLiteral("-A")}); !added)
        return std::unexpected(added.error());
    if (auto committed = runGit(repoDir, {QStringLiteral("commit"), QStringLiteral("-q"),
                                          QStringLiteral("--allow-empty"), QStringLiteral("-m"), message});
        !committed)
        return std::unexpected(committed.error());
    return revParse(repoDir);
}

// A new repository (work tree, branch `main`) at repoDir with one commit of files; its sha.
inline Result<QString> createRepository(const QString &repoDir, const FileMap &files,
                                        const QString &message = QStringLiteral("Initial commit"))
{
    if (!QDir().mkpath(repoDir))
        return fail(QStringLiteral("test-git"), QStringLiteral("cannot create ") + repoDir);
    if (auto init = runGit(repoDir, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                                     QStringLiteral("main")});
        !init)
        return std::unexpected(init.error());
    return commitFiles(repoDir, files, message);
}

// Like createRepository, with the files of sourceDir (recursively, without any .git).
inline Result<QString> createRepositoryFromDirectory(const QString &sourceDir, const QString &repoDir,
                                                     const QString &message = QStringLiteral("Initial commit"))
{
    const QDir source(sourceDir);
    if (!source.exists())
        return fail(QStringLiteral("test-git"), QStringLiteral("no directory ") + sourceDir);
    FileMap files;
    QDirIterator it(sourceDir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = source.relativeFilePath(path);
        if (relative == QLatin1String(".git") || relative.startsWith(QLatin1String(".git/")))
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("test-git"), QStringLiteral("cannot read ") + path);
        files.insert(relative, file.readAll());
    }
    return createRepository(repoDir, files, message);
}

// Creates `branch` at the current HEAD of repoDir; with files, commits them on the branch.
// The previously checked-out branch stays checked out. Returns the branch's tip sha.
inline Result<QString> addBranch(const QString &repoDir, const QString &branch, const FileMap &files = {},
                                 const QString &message = QStringLiteral("Branch commit"))
{
    auto current = runGit(repoDir, {QStringLiteral("symbolic-ref"), QStringLiteral("--short"), QStringLiteral("HEAD")});
    if (!current)
        return current;
    if (files.isEmpty()) {
        if (auto made = runGit(repoDir, {QStringLiteral("branch"), branch}); !made)
            return std::unexpected(made.error());
        return revParse(repoDir, branch);
    }
    if (auto sw = runGit(repoDir, {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), branch}); !sw)
        return std::unexpected(sw.error());
    auto tip = commitFiles(repoDir, files, message);
    if (auto back = runGit(repoDir, {QStringLiteral("checkout"), QStringLiteral("-q"), *current}); !back)
        return std::unexpected(back.error());
    return tip;
}

// A bare copy of sourceRepo at bareDir (`git clone --bare`), e.g. `<root>/app.git` to serve.
inline Result<void> createBareCopy(const QString &sourceRepo, const QString &bareDir)
{
    if (auto cloned = runGit(QDir::currentPath(), {QStringLiteral("clone"), QStringLiteral("-q"), QStringLiteral("--bare"),
                                                   QDir(sourceRepo).absolutePath(), QDir(bareDir).absolutePath()});
        !cloned)
        return std::unexpected(cloned.error());
    return {};
}

// How GitHttpServer::start() runs the server.
struct GitHttpServerOptions
{
    QString token;                             // require Basic auth with this password
    int throttleMs = 0;                        // delay between 4 KiB response chunks
    QString bind = QStringLiteral("127.0.0.1");
    bool verbose = false;                      // requests and http-backend errors on stderr
};

// The python git smart-HTTP server (tests/support/git-http-server.py) as a child process.
// Serves every repository under a root directory at <baseUrl>/<dir name> (work trees and bare
// repositories alike). Stops on stop() or destruction; also exits by itself if the test dies.
class GitHttpServer
{
public:
    using Options = GitHttpServerOptions;

    GitHttpServer() = default;
    ~GitHttpServer() { stop(); }
    GitHttpServer(const GitHttpServer &) = delete;
    GitHttpServer &operator=(const GitHttpServer &) = delete;

    static QString scriptPath()
    {
        if (const QString env = qEnvironmentVariable("GASPER_GIT_HTTP_SERVER"); !env.isEmpty())
            return env;
#ifdef GASPER_SOURCE_DIR
        return QStringLiteral(GASPER_SOURCE_DIR "/tests/support/git-http-server.py");
#else
        return QStringLiteral("tests/support/git-http-server.py");
#endif
    }

    // Starts serving root; the base URL ("http://127.0.0.1:<port>").
    Result<QString> start(const QString &root, const Options &options = {})
    {
        stop();
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            return fail(QStringLiteral("test-git"), QStringLiteral("python3 not found"));
        QStringList args{scriptPath(), QStringLiteral("--root"), root, QStringLiteral("--port"), QStringLiteral("0"),
                         QStringLiteral("--bind"), options.bind, QStringLiteral("--exit-on-stdin-eof")};
        if (!options.token.isEmpty())
            args << QStringLiteral("--token") << options.token;
        if (options.throttleMs > 0)
            args << QStringLiteral("--throttle-ms") << QString::number(options.throttleMs);
        if (options.verbose)
            args << QStringLiteral("--verbose");

        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process->start(python, args);
        if (!m_process->waitForStarted(10000))
            return failStart(QStringLiteral("cannot start: ") + m_process->errorString());

        // The first stdout line is "PORT <n>".
        QByteArray line;
        while (!m_process->canReadLine()) {
            if (m_process->state() != QProcess::Running || !m_process->waitForReadyRead(15000))
                return failStart(QStringLiteral("no PORT line from ") + scriptPath());
        }
        line = m_process->readLine().trimmed();
        bool ok = false;
        const uint port = line.startsWith("PORT ") ? line.mid(5).toUInt(&ok) : 0;
        if (!ok || port == 0 || port > 65535)
            return failStart(QStringLiteral("unexpected first line: ") + QString::fromUtf8(line));
        m_port = quint16(port);
        m_bind = options.bind;
        return baseUrl();
    }

    void stop()
    {
        if (!m_process)
            return;
        if (m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(5000)) {
                m_process->kill();
                m_process->waitForFinished(5000);
            }
        }
        m_process.reset();
        m_port = 0;
    }

    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    quint16 port() const { return m_port; }

    QString baseUrl() const
    {
        const QString host = m_bind.contains(u':') ? u'[' + m_bind + u']' : m_bind;
        return QStringLiteral("http://%1:%2").arg(host).arg(m_port);
    }

    // URL of the repository <root>/<name>.
    QString repoUrl(const QString &name) const { return baseUrl() + u'/' + name; }

    // Same, with credentials in the URL (http://user:password@host:port/name).
    QString repoUrl(const QString &name, const QString &user, const QString &password) const
    {
        const auto encode = [](const QString &s) { return QString::fromLatin1(QUrl::toPercentEncoding(s)); };
        QString url = repoUrl(name);
        return url.insert(int(sizeof "http://" - 1), encode(user) + u':' + encode(password) + u'@');
    }

private:
    Result<QString> failStart(const QString &why)
    {
        stop();
        return fail(QStringLiteral("test-git"), QStringLiteral("git HTTP server: ") + why);
    }

    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QString m_bind;
};

} // namespace gasper::testing
