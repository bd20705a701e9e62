// SPDX-License-Identifier: MIT
#include "SimulatedAppWorker.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gasper::testing {

namespace {

template<class T>
void deliver(QObject *context, const QPointer<QObject> &guard, std::function<void(Result<T>)> callback, Result<T> result)
{
    QTimer::singleShot(0, context, [guard, callback = std::move(callback), result = std::move(result)] {
        if (guard && callback)
            callback(result);
    });
}

} // namespace

SimulatedAppWorker::SimulatedAppWorker(QString nodeName, QObject *parent)
    : AppWorker(parent), m_nodeName(std::move(nodeName))
{
}

void SimulatedAppWorker::later(const QString &app, std::function<void()> f)
{
    const int generation = m_apps.value(app).generation;
    QTimer::singleShot(m_stepDelayMs, this, [this, app, generation, f = std::move(f)] {
        const auto it = m_apps.constFind(app);
        if (it != m_apps.cend() && it->generation == generation)
            f();
    });
}

void SimulatedAppWorker::deploy(const AppSpec &spec, int deployNumber, const QString &trigger)
{
    m_calls << u"deploy %1 %2 %3"_s.arg(spec.name).arg(deployNumber).arg(trigger);
    App &a = m_apps[spec.name];
    a.spec = spec;
    a.generation += 1;  // supersedes a deploy in progress: its timers stop here
    m_deployClocks[spec.name].start();
    // Queued, as the real worker's first signal comes from the event loop too.
    later(spec.name, [this, app = spec.name, deployNumber] {
        emit stateChanged(app, AppState::Cloning, {});
        emit deployStep(app, deployNumber, DeployStep{u"clone"_s, u"running"_s, 0});
        emit deployStep(app, deployNumber, DeployStep{u"create"_s, u"running"_s, 0});
        runDeploy(app, deployNumber, {u"clone"_s, u"build"_s, u"health"_s}, 0);
    });
}

void SimulatedAppWorker::runDeploy(const QString &app, int deploy, const QStringList &steps, int index)
{
    later(app, [this, app, deploy, steps, index] {
        const Script script = m_scripts.value(app);
        const QString step = steps.value(index);
        if (step == u"clone") {
            if (script.failAt == u"clone") {
                emit deployStep(app, deploy, DeployStep{u"clone"_s, u"failed"_s, 1});
                return finishDeploy(app, deploy, step);
            }
            emit deployStep(app, deploy, DeployStep{u"clone"_s, u"done"_s, 1});
            emit deployStep(app, deploy, DeployStep{u"create"_s, u"done"_s, 1});
            emit deployStep(app, deploy, DeployStep{u"start"_s, u"running"_s, 0});
            emit deployStep(app, deploy, DeployStep{u"start"_s, u"done"_s, 1});
        } else if (step == u"build") {
            const AppSpec spec = m_apps.value(app).spec;
            if (spec.build.isEmpty()) {
                emit stateChanged(app, AppState::Building, {});
                emit deployStep(app, deploy, DeployStep{u"build"_s, u"skipped"_s, 0});
            } else {
                emit stateChanged(app, AppState::Building, {});
                emit deployStep(app, deploy, DeployStep{u"build"_s, u"running"_s, 0});
                for (const QString &command : spec.build)
                    emit deployOutput(app, deploy, u"system"_s, u"$ "_s + command);
                for (const QString &line : script.output)
                    emit deployOutput(app, deploy, u"stdout"_s, line);
                if (script.failAt == u"build") {
                    emit deployStep(app, deploy, DeployStep{u"build"_s, u"failed"_s, 1});
                    return finishDeploy(app, deploy, step);
                }
                emit deployStep(app, deploy, DeployStep{u"build"_s, u"done"_s, 1});
            }
        } else if (step == u"health") {
            emit stateChanged(app, AppState::Starting, {});
            emit deployStep(app, deploy, DeployStep{u"health"_s, u"running"_s, 0});
            if (script.failAt == u"health") {
                emit deployStep(app, deploy, DeployStep{u"health"_s, u"failed"_s, 1});
                return finishDeploy(app, deploy, step);
            }
            emit deployStep(app, deploy, DeployStep{u"health"_s, u"done"_s, 1});
            return finishDeploy(app, deploy, {});
        }
        runDeploy(app, deploy, steps, index + 1);
    });
}

void SimulatedAppWorker::finishDeploy(const QString &app, int deploy, const QString &failedStep)
{
    App &a = m_apps[app];
    apps::DeployOutcome outcome;
    // A rollback deploys its pinned commit; a clone that failed recorded none.
    if (failedStep != u"clone") {
        const QString head = m_scripts.value(app).commit;
        outcome.commit = !a.spec.git.commit.isEmpty() ? a.spec.git.commit
                         : head.isEmpty()              ? u"0123456789abcdef0123456789abcdef01234567"_s
                                                       : head;
    }
    outcome.totalMs = m_deployClocks.value(app).elapsed();
    if (failedStep.isEmpty()) {
        outcome.ok = true;
        outcome.runtime.containerId = u"sim-%1-%2-%3"_s.arg(app).arg(deploy).arg(m_nextContainer++);
        outcome.runtime.hostPort = m_nextPort++;
        a.runtime = outcome.runtime;
        a.running = true;
        if (a.liveDeploy > 0 && a.liveDeploy != deploy) {  // a new "container": a fresh log
            a.retiringDeploy = a.liveDeploy;
            a.retiringLog = std::exchange(a.log, {});
        }
        a.liveDeploy = deploy;
        a.log << u"simulated: %1 deploy #%2 listening"_s.arg(app).arg(deploy);
    } else {
        const Script script = m_scripts.value(app);
        outcome.error = Error{script.code.isEmpty() ? failedStep + u"-failed"_s : script.code,
                              (script.message.isEmpty() ? failedStep + u" failed"_s : script.message) + u"\n"_s
                                  + script.output.join(u'\n')};
    }
    emit deployFinished(app, deploy, outcome);
}

void SimulatedAppWorker::lifecycle(const QString &app, const char *what, QObject *context, Callback<void> callback,
                                   std::function<void(App &)> change)
{
    m_calls << u"%1 %2"_s.arg(QLatin1StringView(what), app);
    const QPointer<QObject> guard(context);
    if (m_nextCallError) {
        deliver<void>(this, guard, std::move(callback), std::unexpected(*std::exchange(m_nextCallError, std::nullopt)));
        return;
    }
    App &a = m_apps[app];
    if (a.runtime.containerId.isEmpty() && qstrcmp(what, "stop") != 0 && qstrcmp(what, "remove") != 0) {
        deliver<void>(this, guard, std::move(callback),
                      fail(u"not-deployed"_s, u"the app has no container yet"_s));
        return;
    }
    change(a);
    deliver<void>(this, guard, std::move(callback), Result<void>{});
}

void SimulatedAppWorker::retire(const QString &app, int deployNumber, QObject *context, Callback<void> callback)
{
    m_calls << u"retire %1 %2"_s.arg(app).arg(deployNumber);
    if (auto it = m_apps.find(app); it != m_apps.end() && it->retiringDeploy > 0) {
        QByteArray log;
        for (const QString &line : std::exchange(it->retiringLog, {}))
            log += line.toUtf8() + '\n';
        emit appLogCaptured(app, std::exchange(it->retiringDeploy, 0), log);
    }
    deliver<void>(this, QPointer<QObject>(context), std::move(callback), Result<void>{});
}

void SimulatedAppWorker::restart(const QString &app, QObject *context, Callback<void> callback)
{
    lifecycle(app, "restart", context, std::move(callback), [this, app](App &a) {
        a.runtime.restarts += 1;
        emit stateChanged(app, AppState::Starting, {});
        emit runtimeChanged(app, a.runtime);
        later(app, [this, app] { emit stateChanged(app, AppState::Running, {}); });
    });
}

void SimulatedAppWorker::stop(const QString &app, QObject *context, Callback<void> callback)
{
    lifecycle(app, "stop", context, std::move(callback), [this, app](App &a) {
        a.generation += 1;  // cancels a deploy in progress
        a.running = false;
        later(app, [this, app] { emit stateChanged(app, AppState::Stopped, {}); });
    });
}

void SimulatedAppWorker::start(const QString &app, QObject *context, Callback<void> callback)
{
    lifecycle(app, "start", context, std::move(callback), [this, app](App &a) {
        a.running = true;
        emit stateChanged(app, AppState::Starting, {});
        later(app, [this, app] { emit stateChanged(app, AppState::Running, {}); });
    });
}

void SimulatedAppWorker::remove(const QString &app, QObject *context, Callback<void> callback)
{
    lifecycle(app, "remove", context, std::move(callback), [this, app](App &) { m_apps.remove(app); });
}

void SimulatedAppWorker::crash(const QString &app, int exitCode, int downMs)
{
    auto it = m_apps.find(app);
    if (it == m_apps.end() || it->runtime.containerId.isEmpty())
        return;
    emit stateChanged(app, AppState::Restarting, u"the app exited with code %1"_s.arg(exitCode));
    const int generation = it->generation;
    QTimer::singleShot(downMs, this, [this, app, generation] {
        auto it = m_apps.find(app);
        if (it == m_apps.end() || it->generation != generation)
            return;
        it->runtime.restarts += 1;
        emit runtimeChanged(app, it->runtime);
        emit stateChanged(app, AppState::Running, {});
    });
}

void SimulatedAppWorker::adopt(const QList<apps::AdoptRequest> &requests)
{
    for (const apps::AdoptRequest &r : requests) {
        m_calls << u"adopt %1"_s.arg(r.spec.name);
        App &a = m_apps[r.spec.name];
        a.spec = r.spec;
        if (r.containerId.isEmpty() || r.deployInterrupted) {
            if (r.state != AppState::Failed && r.state != AppState::Stopped)
                later(r.spec.name, [this, app = r.spec.name] { emit deployRequested(app, u"recovery"_s); });
            continue;
        }
        a.runtime.containerId = r.containerId;
        a.runtime.restarts = r.restarts;
        a.runtime.hostPort = m_nextPort++;
        a.running = r.state != AppState::Stopped;
        emit runtimeChanged(r.spec.name, a.runtime);
        if (a.running)
            later(r.spec.name, [this, app = r.spec.name] { emit stateChanged(app, AppState::Running, {}); });
    }
}

void SimulatedAppWorker::nodeStatus(QObject *context, Callback<QJsonObject> callback)
{
    int running = 0;
    for (const App &a : std::as_const(m_apps))
        running += a.running ? 1 : 0;
    const QJsonObject node{{u"name"_s, m_nodeName},
                           {u"cpus"_s, 2},
                           {u"memory_mb"_s, 4096},
                           {u"apps"_s, int(m_apps.size())},
                           {u"containers_running"_s, running},
                           {u"load1"_s, 0.5},
                           {u"engine"_s, u"simulated"_s},
                           {u"heartbeat_at"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}};
    deliver<QJsonObject>(this, QPointer<QObject>(context), std::move(callback), node);
}

void SimulatedAppWorker::sampleMetrics(const QList<apps::AppSample> &samples)
{
    apps::NodeSample node;
    node.at = QDateTime::currentDateTimeUtc();
    node.cpus = 2;
    node.cpuPercent = 12.5;
    node.memoryBytes = 1 << 30;
    node.memoryTotalBytes = qint64(4) << 30;
    node.apps = int(samples.size());
    emit metricsSampled(node, samples);
}

apps::LogStream *SimulatedAppWorker::logs(const QString &app, const apps::LogQuery &query, QObject *parent)
{
    auto *stream = new apps::LogStream(parent);
    if (query.deploy != 0 && query.deploy != m_apps.value(app).liveDeploy) {
        QTimer::singleShot(0, stream, [stream] {
            emit stream->finished(std::unexpected(Error{u"not-found"_s, u"no app log is kept for that deploy"_s}));
        });
        return stream;
    }
    QStringList lines = m_apps.value(app).log;
    const bool searchTail = !query.grep.isEmpty() && !query.follow;
    if (!searchTail && query.tail >= 0 && lines.size() > query.tail)
        lines = lines.mid(lines.size() - query.tail);
    QTimer::singleShot(0, stream, [stream, lines, query, searchTail] {
        apps::LogFilter filter(query);
        if (searchTail)
            filter.keepLast(query.tail);
        QByteArray out;
        for (const QString &line : lines)
            out += filter.feed((line + u'\n').toUtf8());
        if (!query.follow)
            out += filter.finish();
        if (!out.isEmpty())
            emit stream->data(out);
        if (!query.follow)
            emit stream->finished({});
    });
    return stream;
}

namespace {
class NoShell final : public apps::ShellSession
{
public:
    using apps::ShellSession::ShellSession;
    void write(const QByteArray &) override {}
    void resize(int, int) override {}
    void closeInput() override {}
    void setPaused(bool) override {}
    void terminate() override {}
};
} // namespace

apps::ShellSession *SimulatedAppWorker::openShell(const QString &, const apps::ShellOptions &, QObject *parent)
{
    auto *session = new NoShell(parent);
    QTimer::singleShot(0, session, [session] {
        emit session->failed(Error{u"not-supported"_s, u"the simulated worker runs no containers"_s});
    });
    return session;
}

} // namespace gasper::testing
