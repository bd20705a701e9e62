// SPDX-License-Identifier: MIT
#pragma once

// A Docker engine of the test's own, to restart at will without touching the shared one
// (/var/run/docker.sock): its own dockerd with its own unix socket, data root, exec root
// (and so its own containerd), pid file, containerd namespace and bridge. No iptables, no
// IP forwarding or masquerading: ports are published on 127.0.0.1 by the userland proxy.
// Needs root and dockerd; skipReason() says when they are missing. Everything it made goes
// in the destructor (the engine, its folders, its bridge).

#include "core/Result.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

#include <algorithm>

#include <memory>

namespace gasper::testing {

class PrivateEngine
{
public:
    // `index` tells apart two engines of one test process; `extraArgs` go to dockerd.
    explicit PrivateEngine(int index = 0, QStringList extraArgs = {})
        : m_tmp(QStringLiteral("/tmp/gasper-engine-XXXXXX")),
          m_bridge(QStringLiteral("gspit%1x%2").arg(QCoreApplication::applicationPid() % 100000).arg(index)),
          m_subnet(QStringLiteral("10.%1.%2.1/24").arg(213 + index).arg(20 + QCoreApplication::applicationPid() % 200)),
          m_extraArgs(std::move(extraArgs))
    {
    }
    ~PrivateEngine()
    {
        stop();
        killLeftovers();
        unmountAll();
        QDir(m_tmp.path()).removeRecursively();
        if (m_bridgeMade)
            exec(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("del"), m_bridge});
        // dockerd keeps its user networks' bridges when it stops (for its next start): with the
        // engine gone for good they would hold their subnets on the host forever.
        for (const QString &id : std::as_const(m_networkIds))
            exec(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("del"), QStringLiteral("br-") + id.left(12)});
    }
    Q_DISABLE_COPY_MOVE(PrivateEngine)

    // Empty when a private engine can run here.
    static QString skipReason()
    {
        if (geteuid() != 0)
            return QStringLiteral("a private dockerd needs root");
        for (const char *tool : {"dockerd", "docker", "ip", "curl"}) {
            if (QStandardPaths::findExecutable(QLatin1StringView(tool)).isEmpty()
                && !QFile::exists(QStringLiteral("/usr/sbin/") + QLatin1StringView(tool)))
                return QStringLiteral("%1 is not installed").arg(QLatin1StringView(tool));
        }
        return {};
    }

    QString socket() const { return m_tmp.path() + QStringLiteral("/docker.sock"); }
    QString log() const
    {
        QFile f(m_tmp.path() + QStringLiteral("/dockerd.log"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(4000)) : QString();
    }

    Result<void> start()
    {
        if (!m_bridgeMade) {
            // Its own bridge: the default docker0 belongs to the shared engine.
            exec(QStringLiteral("ip"), {QStringLiteral("link"), QStringLiteral("del"), m_bridge});  // a crashed run's
            for (const QStringList &args : {QStringList{QStringLiteral("link"), QStringLiteral("add"), m_bridge,
                                                        QStringLiteral("type"), QStringLiteral("bridge")},
                                            QStringList{QStringLiteral("addr"), QStringLiteral("add"), m_subnet,
                                                        QStringLiteral("dev"), m_bridge},
                                            QStringList{QStringLiteral("link"), QStringLiteral("set"), m_bridge,
                                                        QStringLiteral("up")}}) {
                if (auto r = exec(QStringLiteral("ip"), args); !r)
                    return r;
                m_bridgeMade = true;
            }
        }
        const QString dir = m_tmp.path();
        m_process = std::make_unique<QProcess>();
        m_process->setStandardOutputFile(dir + QStringLiteral("/dockerd.log"), QIODevice::Append);
        m_process->setStandardErrorFile(dir + QStringLiteral("/dockerd.log"), QIODevice::Append);
        m_process->start(QStringLiteral("dockerd"),
                         QStringList{QStringLiteral("--host"), QStringLiteral("unix://") + socket(),
                          QStringLiteral("--data-root"), dir + QStringLiteral("/root"),
                          QStringLiteral("--exec-root"), dir + QStringLiteral("/exec"),
                          QStringLiteral("--pidfile"), dir + QStringLiteral("/docker.pid"),
                          QStringLiteral("--bridge"), m_bridge,
                          QStringLiteral("--iptables=false"), QStringLiteral("--ip-forward=false"),
                          QStringLiteral("--ip-masq=false"),
                          // No --default-address-pool here: Docker 20.10 given one deletes the host's
                          // docker0 (the shared engine's bridge) when it restarts. Its user networks
                          // take Docker's default pools, which setup.sh keeps free for it by giving
                          // the shared engine pools of its own.
                          QStringLiteral("--containerd-namespace"), QStringLiteral("gasper-test-") + m_bridge,
                          QStringLiteral("--containerd-plugins-namespace"), QStringLiteral("gasper-test-plugins-") + m_bridge,
                          QStringLiteral("--shutdown-timeout"), QStringLiteral("3")}
                             + m_extraArgs);
        if (!m_process->waitForStarted(10000))
            return fail(QStringLiteral("test"), QStringLiteral("dockerd did not start: ") + m_process->errorString());
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 60000) {
            if (docker({QStringLiteral("version"), QStringLiteral("--format"), QStringLiteral("{{.Server.Version}}")}))
                return {};
            if (m_process->state() != QProcess::Running)
                break;
            QTest::qWait(200);
        }
        return fail(QStringLiteral("test"), QStringLiteral("the private dockerd did not come up:\n") + log());
    }

    // SIGTERM, as a service manager stops it: its containers are stopped with it.
    void stop()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        if (auto ids = docker({QStringLiteral("network"), QStringLiteral("ls"), QStringLiteral("-q"), QStringLiteral("--no-trunc"),
                               QStringLiteral("--filter"), QStringLiteral("driver=bridge")})) {
            for (const QString &id : ids->split(u'\n', Qt::SkipEmptyParts))
                m_networkIds.insert(id.trimmed());
        }
        m_process->terminate();
        if (!m_process->waitForFinished(30000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }

    Result<void> restart()
    {
        stop();
        return start();
    }

    // `docker save <image> | docker load` from the shared engine into this one.
    Result<void> loadImage(const QString &image)
    {
        QProcess save, load;
        save.setStandardOutputProcess(&load);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + socket());
        load.setProcessEnvironment(env);
        load.setProcessChannelMode(QProcess::MergedChannels);
        save.start(QStringLiteral("docker"), {QStringLiteral("save"), image});
        load.start(QStringLiteral("docker"), {QStringLiteral("load"), QStringLiteral("-q")});
        save.waitForFinished(300000);
        load.waitForFinished(300000);
        if (save.exitCode() != 0 || load.exitCode() != 0)
            return fail(QStringLiteral("test"), QStringLiteral("cannot copy %1 into the private engine: %2%3")
                                                    .arg(image, QString::fromUtf8(save.readAllStandardError()),
                                                         QString::fromUtf8(load.readAll())));
        return {};
    }

    // The docker CLI against this engine; its output.
    Result<QString> docker(const QStringList &args) const
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix://") + socket());
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("docker"), args);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            return fail(QStringLiteral("test"), QString::fromUtf8(p.readAllStandardError()).trimmed());
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    }

private:
    // Container shims of this engine's containerd namespace that outlived it (by pid).
    void killLeftovers() const
    {
        const QByteArray ns = (QStringLiteral("gasper-test-") + m_bridge).toUtf8();
        const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &pid : pids) {
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (pid.toInt() <= 1 || !cmdline.open(QIODevice::ReadOnly))
                continue;
            const QList<QByteArray> args = cmdline.readAll().split('\0');
            if (args.value(0).endsWith("containerd-shim-runc-v2") && args.contains(ns))
                ::kill(pid.toInt(), SIGKILL);
        }
    }

    // What dockerd mounted under its folders (the data root itself, overlays, netns), deepest first.
    void unmountAll() const
    {
        QFile mounts(QStringLiteral("/proc/self/mounts"));
        if (!mounts.open(QIODevice::ReadOnly))
            return;
        QStringList ours;
        for (const QByteArray &line : mounts.readAll().split('\n')) {
            const QString target = QString::fromUtf8(line.split(' ').value(1));
            if (target.startsWith(m_tmp.path() + u'/'))
                ours << target;
        }
        std::sort(ours.begin(), ours.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
        for (const QString &target : std::as_const(ours))
            exec(QStringLiteral("umount"), {QStringLiteral("-l"), target});
    }

    static Result<void> exec(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForFinished(30000) || p.exitCode() != 0)
            return fail(QStringLiteral("test"), program + u' ' + args.join(u' ') + QStringLiteral(": ")
                                                    + QString::fromUtf8(p.readAll()).trimmed());
        return {};
    }

    QTemporaryDir m_tmp;
    QString m_bridge;
    QString m_subnet;
    QStringList m_extraArgs;
    bool m_bridgeMade = false;
    QSet<QString> m_networkIds;  // every bridge network this engine had (its default one has no br-)
    std::unique_ptr<QProcess> m_process;
};

} // namespace gasper::testing
