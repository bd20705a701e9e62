// SPDX-License-Identifier: MIT
#include "docker/DockerClient.h"
#include "../support/DockerTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

#include <memory>
#include <optional>

using namespace gasper;
using namespace gasper::docker;
using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 60000;  // generous: a shared 2-core machine under load
const QString kNamePrefix = u"gasper-test-docker-"_s;

QString describe(const Error &error)
{
    return error.code + u": "_s + error.message;
}

// For QVERIFY2, which builds its message even when the check passes.
template<class T>
QString why(const Result<T> &result)
{
    return result ? QString() : describe(result.error());
}

// Everything a stream said, with stdout and stderr kept apart.
struct StreamRecorder
{
    QByteArray out;
    QByteArray err;
    QList<QJsonObject> messages;
    bool started = false;
    std::optional<Result<void>> finished;

    void attach(DockerStream *stream)
    {
        QObject::connect(stream, &DockerStream::started, stream, [this] { started = true; });
        QObject::connect(stream, &DockerStream::output, stream, [this](StreamKind kind, const QByteArray &data) {
            (kind == StreamKind::Stderr ? err : out) += data;
        });
        QObject::connect(stream, &DockerStream::jsonMessage, stream,
                         [this](const QJsonObject &message) { messages.append(message); });
        QObject::connect(stream, &DockerStream::finished, stream,
                         [this](const Result<void> &result) { finished = result; });
    }
    bool waitFinished(int ms = kWaitMs)
    {
        return QTest::qWaitFor([this] { return finished.has_value(); }, ms);
    }
};

} // namespace

// The Docker Engine API client against the real dockerd: containers of the local image
// gasper/python (never pulled), named gasper-test-docker-*, labelled gasper.test=1.
class TestDockerClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void pingAndVersionAnswerAndApiVersionIsNegotiated();
    void inspectImageFindsLocalImageAndMissingIsNotFound();
    void containerLifecycleCreateStartInspectStopRemove();
    void waitContainerReturnsExitCodeAndKillEndsContainer();
    void execReportsStdoutStderrAndExitCode();
    void hijackedExecEchoesStdinUntilCloseWrite_data();
    void hijackedExecEchoesStdinUntilCloseWrite();
    void ttyExecIsRawAndResizeChangesWindowSize();
    void attachStreamsContainerStdio();
    void logsTailReturnsOnlyLastLines();
    void logsKeepStdoutAndStderrApartAndFilterThem();
    void logsFollowReceivesLinesPrintedLater();
    void logsOfTtyContainerAreRaw();
    void eventsStreamReportsStartOfLabelledContainer();
    void listContainersFiltersByLabel();
    void networkLifecycleCreateInspectListConnectRemove();
    void containerStatsReturnsOneSample();
    void inspectOfMissingContainerIsNotFound();
    void createWithDuplicateNameIsConflict();
    void createWithInvalidNameIsBadRequest();
    void streamOfMissingContainerFinishesNotFoundWithoutStarting();
    void missingSocketIsUnavailableAndSaysWhich();
    void callbacksAreAsynchronousEvenForImmediateErrors();
    void callbackIsNotCalledAfterContextIsDestroyed();
    void plainRequestTimesOut();
    void sequentialRequestsReuseOneConnection();
    void fiftyConcurrentInspectsAllAnswer();
    void closingStreamFinishesItOnce();
    void destroyingClientDropsCallsAndFailsStreamsStillSettingUp();

private:
    // Creates (not starts) a labelled test container; empty string on failure (test fails).
    QString create(const QString &suffix, const QJsonArray &cmd, QJsonObject extra = {});
    QString createAndStart(const QString &suffix, const QJsonArray &cmd, QJsonObject extra = {});
    bool start(const QString &id);
    void removeTestContainers();
    QByteArray fullLogs(const QString &id);

    std::unique_ptr<DockerClient> m_client;
    QString m_runId;
    QStringList m_created;
};

QString TestDockerClient::create(const QString &suffix, const QJsonArray &cmd, QJsonObject extra)
{
    QJsonObject labels{{u"gasper.test"_s, u"1"_s}, {u"gasper.test.docker"_s, m_runId}};
    const QJsonObject extraLabels = extra.take(u"Labels"_s).toObject();
    for (auto it = extraLabels.begin(); it != extraLabels.end(); ++it)
        labels.insert(it.key(), it.value());
    QJsonObject hostConfig{
        {u"Init"_s, true},  // signals reach python, so a stop is quick
        {u"Memory"_s, 256 * 1024 * 1024},
        {u"NetworkMode"_s, u"none"_s},
        {u"Privileged"_s, false},
    };
    QJsonObject config{
        {u"Image"_s, u"gasper/python"_s},
        {u"Cmd"_s, cmd},
        {u"Labels"_s, labels},
        {u"HostConfig"_s, hostConfig},
    };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        config.insert(it.key(), it.value());
    const QString name = kNamePrefix + suffix + u'-' + m_runId;
    Waiter<QString> created;
    m_client->createContainer(name, config, &created.context, created.callback());
    if (!created.wait() || !*created.result) {
        qWarning() << "create failed:" << (created.result ? describe(created.result->error()) : u"no answer"_s);
        return {};
    }
    m_created.append(**created.result);
    return **created.result;
}

bool TestDockerClient::start(const QString &id)
{
    Waiter<void> started;
    m_client->startContainer(id, &started.context, started.callback());
    if (!started.wait() || !*started.result) {
        qWarning() << "start failed:" << (started.result ? describe(started.result->error()) : u"no answer"_s);
        return false;
    }
    return true;
}

QString TestDockerClient::createAndStart(const QString &suffix, const QJsonArray &cmd, QJsonObject extra)
{
    const QString id = create(suffix, cmd, std::move(extra));
    if (id.isEmpty() || !start(id))
        return {};
    return id;
}

QByteArray TestDockerClient::fullLogs(const QString &id)
{
    StreamRecorder rec;
    rec.attach(m_client->containerLogs(id, LogOptions{}, this));
    if (!rec.waitFinished() || !*rec.finished)
        return {};
    return rec.out + rec.err;
}

void TestDockerClient::removeTestContainers()
{
    // Ours and any left over by an earlier run that crashed.
    Waiter<QJsonArray> listed;
    m_client->listContainers(QJsonObject{{u"label"_s, QJsonArray{u"gasper.test=1"_s}},
                                         {u"name"_s, QJsonArray{QString(u"^/"_s + kNamePrefix)}}},
                             true, &listed.context, listed.callback());
    QVERIFY(listed.wait());
    QVERIFY2(*listed.result, qPrintable(why(*listed.result)));
    QList<std::shared_ptr<Waiter<void>>> removals;
    for (const QJsonValue &container : **listed.result) {
        auto removal = std::make_shared<Waiter<void>>();
        m_client->removeContainer(container[u"Id"].toString(), true, &removal->context, removal->callback());
        removals.append(removal);
    }
    for (const auto &removal : removals) {
        QVERIFY(removal->wait());
        if (!*removal->result && removal->result->error().code != u"docker-not-found")
            qWarning() << "cleanup:" << describe(removal->result->error());
    }
    Waiter<QJsonArray> networks;  // after the containers: attached ones cannot go
    m_client->listNetworks(QJsonObject{{u"label"_s, QJsonArray{u"gasper.test=1"_s}}}, &networks.context,
                           networks.callback());
    QVERIFY(networks.wait());
    QVERIFY2(*networks.result, qPrintable(why(*networks.result)));
    for (const QJsonValue &network : **networks.result) {
        if (!network[u"Name"].toString().startsWith(kNamePrefix))
            continue;
        Waiter<void> removal;
        m_client->removeNetwork(network[u"Id"].toString(), &removal.context, removal.callback());
        QVERIFY(removal.wait());
    }
}

void TestDockerClient::initTestCase()
{
    m_runId = QUuid::createUuid().toString(QUuid::Id128).left(10);
    m_client = std::make_unique<DockerClient>(dockerSocket());
    Waiter<void> ping;
    m_client->ping(&ping.context, ping.callback());
    QVERIFY(ping.wait());
    QVERIFY2(*ping.result, qPrintable(why(*ping.result)));
    Waiter<QJsonObject> image;
    m_client->inspectImage(u"gasper/python"_s, &image.context, image.callback());
    QVERIFY(image.wait());
    QVERIFY2(*image.result, "the image gasper/python must exist locally (packaging/ builds it)");
    removeTestContainers();
}

void TestDockerClient::cleanupTestCase()
{
    if (m_client)
        removeTestContainers();
}

void TestDockerClient::pingAndVersionAnswerAndApiVersionIsNegotiated()
{
    Waiter<void> ping;
    m_client->ping(&ping.context, ping.callback());
    QVERIFY(ping.wait());
    QVERIFY(*ping.result);

    Waiter<QJsonObject> version;
    m_client->version(&version.context, version.callback());
    QVERIFY(version.wait());
    QVERIFY2(*version.result, qPrintable(why(*version.result)));
    QVERIFY(!(*version.result)->value(u"ApiVersion").toString().isEmpty());
    QVERIFY(!(*version.result)->value(u"Version").toString().isEmpty());

    // A versioned call settles the version: the engine here (20.10) speaks 1.41.
    Waiter<ApiResponse> info;
    m_client->request("GET", "/info", {}, &info.context, info.callback());
    QVERIFY(info.wait());
    QVERIFY(*info.result);
    QCOMPARE((*info.result)->status, 200);
    QVERIFY((*info.result)->json().toObject().contains(u"Containers"));
    QCOMPARE(m_client->apiVersion(), QByteArray(kApiVersion));
}

void TestDockerClient::inspectImageFindsLocalImageAndMissingIsNotFound()
{
    Waiter<QJsonObject> found;
    m_client->inspectImage(u"gasper/python:latest"_s, &found.context, found.callback());
    QVERIFY(found.wait());
    QVERIFY(*found.result);
    QVERIFY((*found.result)->value(u"Id").toString().startsWith(u"sha256:"));

    Waiter<QJsonObject> missing;
    m_client->inspectImage(u"gasper/no-such-image-"_s + m_runId, &missing.context, missing.callback());
    QVERIFY(missing.wait());
    QVERIFY(!*missing.result);
    QCOMPARE(missing.result->error().code, u"docker-not-found"_s);
}

void TestDockerClient::containerLifecycleCreateStartInspectStopRemove()
{
    const QString id = create(u"lifecycle"_s, QJsonArray{u"python3"_s, u"-c"_s,
                                                          u"import time; print('ready', flush=True); time.sleep(300)"_s});
    QVERIFY(!id.isEmpty());
    QVERIFY(start(id));
    QVERIFY2(start(id), "starting a running container (304) counts as success");

    Waiter<QJsonObject> running;
    m_client->inspectContainer(id, &running.context, running.callback());
    QVERIFY(running.wait());
    QVERIFY(*running.result);
    QCOMPARE((*running.result)->value(u"Id").toString(), id);
    QCOMPARE((*running.result)->value(u"State").toObject().value(u"Running").toBool(), true);
    QCOMPARE((*running.result)->value(u"Config").toObject().value(u"Labels").toObject().value(u"gasper.test").toString(),
             u"1"_s);
    QCOMPARE((*running.result)->value(u"HostConfig").toObject().value(u"Privileged").toBool(), false);

    Waiter<void> stopped;
    m_client->stopContainer(id, 10, &stopped.context, stopped.callback());
    QVERIFY(stopped.wait());
    QVERIFY2(*stopped.result, qPrintable(why(*stopped.result)));

    Waiter<void> stoppedAgain;
    m_client->stopContainer(id, 10, &stoppedAgain.context, stoppedAgain.callback());
    QVERIFY(stoppedAgain.wait());
    QVERIFY2(*stoppedAgain.result, "stopping a stopped container (304) counts as success");

    Waiter<QJsonObject> exited;
    m_client->inspectContainer(id, &exited.context, exited.callback());
    QVERIFY(exited.wait());
    QVERIFY(*exited.result);
    QCOMPARE((*exited.result)->value(u"State").toObject().value(u"Running").toBool(), false);

    Waiter<void> restarted;
    m_client->restartContainer(id, 5, &restarted.context, restarted.callback());
    QVERIFY(restarted.wait());
    QVERIFY2(*restarted.result, qPrintable(why(*restarted.result)));

    Waiter<void> removed;
    m_client->removeContainer(id, true, &removed.context, removed.callback());
    QVERIFY(removed.wait());
    QVERIFY(*removed.result);

    Waiter<QJsonObject> gone;
    m_client->inspectContainer(id, &gone.context, gone.callback());
    QVERIFY(gone.wait());
    QVERIFY(!*gone.result);
    QCOMPARE(gone.result->error().code, u"docker-not-found"_s);
}

void TestDockerClient::waitContainerReturnsExitCodeAndKillEndsContainer()
{
    const QString quick = createAndStart(u"exit7"_s, QJsonArray{u"python3"_s, u"-c"_s, u"import sys; sys.exit(7)"_s});
    QVERIFY(!quick.isEmpty());
    Waiter<int> exitCode;
    m_client->waitContainer(quick, &exitCode.context, exitCode.callback());
    QVERIFY(exitCode.wait());
    QVERIFY2(*exitCode.result, qPrintable(why(*exitCode.result)));
    QCOMPARE(**exitCode.result, 7);

    const QString sleeper = createAndStart(u"killme"_s, QJsonArray{u"sleep"_s, u"300"_s});
    QVERIFY(!sleeper.isEmpty());
    Waiter<int> killedCode;
    m_client->waitContainer(sleeper, &killedCode.context, killedCode.callback());
    Waiter<void> killed;
    m_client->killContainer(sleeper, u"SIGKILL"_s, &killed.context, killed.callback());
    QVERIFY(killed.wait());
    QVERIFY2(*killed.result, qPrintable(why(*killed.result)));
    QVERIFY(killedCode.wait());
    QVERIFY(*killedCode.result);
    QCOMPARE(**killedCode.result, 137);  // 128 + SIGKILL
}

void TestDockerClient::execReportsStdoutStderrAndExitCode()
{
    const QString id = createAndStart(u"exec"_s, QJsonArray{u"sleep"_s, u"300"_s});
    QVERIFY(!id.isEmpty());
    Waiter<QString> exec;
    m_client->createExec(id, {u"sh"_s, u"-c"_s, u"echo out-$GREETING; echo err-$(pwd) >&2; exit 3"_s},
                         {u"GREETING=hi"_s}, u"/tmp"_s, false, false, &exec.context, exec.callback());
    QVERIFY(exec.wait());
    QVERIFY2(*exec.result, qPrintable(why(*exec.result)));

    StreamRecorder rec;
    rec.attach(m_client->startExec(**exec.result, false, this));
    QVERIFY(rec.waitFinished());
    QVERIFY2(*rec.finished, qPrintable(why(*rec.finished)));
    QVERIFY(rec.started);
    QCOMPARE(rec.out, QByteArray("out-hi\n"));
    QCOMPARE(rec.err, QByteArray("err-/tmp\n"));

    // The engine records the exit code as the process ends; ask until it says so.
    QJsonObject state;
    QVERIFY(QTest::qWaitFor(
        [&] {
            Waiter<QJsonObject> inspected;
            m_client->inspectExec(**exec.result, &inspected.context, inspected.callback());
            if (!inspected.wait() || !*inspected.result)
                return false;
            state = **inspected.result;
            return !state.value(u"Running").toBool();
        },
        kWaitMs));
    QCOMPARE(state.value(u"ExitCode").toInt(), 3);
}

void TestDockerClient::hijackedExecEchoesStdinUntilCloseWrite_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("one line") << QByteArray("hello gasper\n");
    QByteArray big;
    for (int i = 0; big.size() < 512 * 1024; ++i)
        big += "line " + QByteArray::number(i) + " of a stdin larger than any socket buffer\n";
    QTest::newRow("half a megabyte") << big;
}

void TestDockerClient::hijackedExecEchoesStdinUntilCloseWrite()
{
    QFETCH(QByteArray, input);
    const QString id = createAndStart(u"cat"_s + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'),
                                      QJsonArray{u"sleep"_s, u"300"_s});
    QVERIFY(!id.isEmpty());
    Waiter<QString> exec;
    m_client->createExec(id, {u"cat"_s}, {}, {}, false, true, &exec.context, exec.callback());
    QVERIFY(exec.wait());
    QVERIFY(*exec.result);

    StreamRecorder rec;
    DockerStream *stream = m_client->startExec(**exec.result, false, this);
    rec.attach(stream);
    // Written before the engine switched protocols: kept until then.
    stream->write(input.left(5));
    QVERIFY(QTest::qWaitFor([&] { return rec.started || rec.finished; }, kWaitMs));
    QVERIFY(rec.started);
    stream->write(input.mid(5));
    stream->closeWrite();  // cat sees EOF, exits, and the engine ends the stream
    QVERIFY(rec.waitFinished());
    QVERIFY2(*rec.finished, qPrintable(why(*rec.finished)));
    QCOMPARE(rec.out.size(), input.size());
    QVERIFY(rec.out == input);
    QCOMPARE(rec.err, QByteArray());
}

void TestDockerClient::ttyExecIsRawAndResizeChangesWindowSize()
{
    const QString id = createAndStart(u"tty"_s, QJsonArray{u"sleep"_s, u"300"_s});
    QVERIFY(!id.isEmpty());
    Waiter<QString> exec;
    m_client->createExec(id, {u"sh"_s}, {u"PS1=$ "_s}, {}, true, true, &exec.context, exec.callback());
    QVERIFY(exec.wait());
    QVERIFY(*exec.result);

    StreamRecorder rec;
    DockerStream *stream = m_client->startExec(**exec.result, true, this);
    rec.attach(stream);
    QVERIFY(QTest::qWaitFor([&] { return rec.started || rec.finished; }, kWaitMs));
    QVERIFY(rec.started);

    Waiter<void> resized;
    m_client->resizeExec(**exec.result, 123, 45, &resized.context, resized.callback());
    QVERIFY(resized.wait());
    QVERIFY2(*resized.result, qPrintable(why(*resized.result)));

    stream->write("stty size; exit\n");
    QVERIFY(rec.waitFinished());
    QVERIFY2(*rec.finished, qPrintable(why(*rec.finished)));
    QVERIFY2(rec.out.contains("45 123\r\n"), rec.out.constData());  // a TTY turns \n into \r\n
    QCOMPARE(rec.err, QByteArray());                                  // one raw stream, no frames
}

void TestDockerClient::attachStreamsContainerStdio()
{
    const QString id = create(u"attach"_s, QJsonArray{u"cat"_s},
                              QJsonObject{{u"OpenStdin"_s, true}, {u"StdinOnce"_s, true}, {u"AttachStdin"_s, true},
                                          {u"AttachStdout"_s, true}, {u"AttachStderr"_s, true}});
    QVERIFY(!id.isEmpty());
    StreamRecorder rec;
    DockerStream *stream = m_client->attachContainer(id, false, this);
    rec.attach(stream);
    QVERIFY(QTest::qWaitFor([&] { return rec.started || rec.finished; }, kWaitMs));
    QVERIFY(rec.started);
    QVERIFY(start(id));
    stream->write("attached\n");
    stream->closeWrite();
    QVERIFY(rec.waitFinished());
    QVERIFY2(*rec.finished, qPrintable(why(*rec.finished)));
    QCOMPARE(rec.out, QByteArray("attached\n"));
}

void TestDockerClient::logsTailReturnsOnlyLastLines()
{
    // Only stdout here: the engine counts `tail` over both streams merged in the order its
    // two pipe readers happened to store them, which is not the order of the prints.
    const QString id = createAndStart(
        u"logs"_s, QJsonArray{u"python3"_s, u"-u"_s, u"-c"_s,
                               u"import time\nfor i in range(5): print(f'line {i}')\ntime.sleep(300)"_s});
    QVERIFY(!id.isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return fullLogs(id).contains("line 4"); }, kWaitMs));

    LogOptions options;
    options.tail = 2;
    StreamRecorder rec;
    rec.attach(m_client->containerLogs(id, options, this));
    QVERIFY(rec.waitFinished());
    QVERIFY2(*rec.finished, qPrintable(why(*rec.finished)));
    QVERIFY(rec.started);
    QCOMPARE(rec.out, QByteArray("line 3\nline 4\n"));
    QCOMPARE(rec.err, QByteArray());
}

void TestDockerClient::logsKeepStdoutAndStderrApartAndFilterThem()
{
    const QString id = createAndStart(
        u"logs-streams"_s, QJsonArray{u"python3"_s, u"-u"_s, u"-c"_s,
                                       u"import sys, time\nprint('to out')\nprint('to err', file=sys.stderr)\n"
                                       u"time.sleep(300)"_s});
    QVERIFY(!id.isEmpty());
    StreamRecorder both;
    QVERIFY(QTest::qWaitFor(
        [&] {
            both = StreamRecorder();
            both.attach(m_client->containerLogs(id, LogOptions{}, this));
            return both.waitFinished() && *both.finished && both.out.contains("to out") && both.err.contains("to err");
        },
        kWaitMs));
    QCOMPARE(both.out, QByteArray("to out\n"));
    QCOMPARE(both.err, QByteArray("to err\n"));

    LogOptions onlyErr;
    onlyErr.stdoutStream = false;
    StreamRecorder errors;
    errors.attach(m_client->containerLogs(id, onlyErr, this));
    QVERIFY(errors.waitFinished());
    QVERIFY(*errors.finished);
    QCOMPARE(errors.out, QByteArray());
    QCOMPARE(errors.err, QByteArray("to err\n"));
}

void TestDockerClient::logsFollowReceivesLinesPrintedLater()
{
    const QString id = createAndStart(
        u"follow"_s, QJsonArray{u"python3"_s, u"-u"_s, u"-c"_s,
                                 u"import time\ni = 0\nwhile True:\n    print(f'tick {i}')\n    i += 1\n    time.sleep(0.3)"_s});
    QVERIFY(!id.isEmpty());

    LogOptions options;
    options.tail = 0;  // nothing from before: only what is printed from now on
    options.follow = true;
    StreamRecorder rec;
    DockerStream *stream = m_client->containerLogs(id, options, this);
    rec.attach(stream);
    QVERIFY(QTest::qWaitFor([&] { return rec.started || rec.finished; }, kWaitMs));
    QVERIFY(rec.started);
    QVERIFY(QTest::qWaitFor([&] { return rec.out.count('\n') >= 3 || rec.finished; }, kWaitMs));
    QVERIFY(!rec.finished);
    const QList<QByteArray> lines = rec.out.split('\n');
    QVERIFY(lines[0].startsWith("tick "));
    const int first = lines[0].mid(5).toInt();
    QCOMPARE(lines[1], "tick " + QByteArray::number(first + 1));

    QSignalSpy finished(stream, &DockerStream::finished);
    stream->close();
    QVERIFY(rec.waitFinished());
    QVERIFY(*rec.finished);
}

void TestDockerClient::logsOfTtyContainerAreRaw()
{
    const QString id = createAndStart(u"ttylogs"_s,
                                      QJsonArray{u"sh"_s, u"-c"_s, u"echo from-a-tty; sleep 300"_s},
                                      QJsonObject{{u"Tty"_s, true}});
    QVERIFY(!id.isEmpty());
    QByteArray text;
    QVERIFY(QTest::qWaitFor([&] { return (text = fullLogs(id)).contains("from-a-tty"); }, kWaitMs));
    QCOMPARE(text, QByteArray("from-a-tty\r\n"));
}

void TestDockerClient::eventsStreamReportsStartOfLabelledContainer()
{
    const QString label = u"gasper.test.events="_s + m_runId;
    StreamRecorder rec;
    DockerStream *stream = m_client->events(QJsonObject{{u"type"_s, QJsonArray{u"container"_s}},
                                                        {u"event"_s, QJsonArray{u"start"_s}},
                                                        {u"label"_s, QJsonArray{label}}},
                                            this);
    rec.attach(stream);
    QVERIFY(QTest::qWaitFor([&] { return rec.started || rec.finished; }, kWaitMs));
    QVERIFY(rec.started);

    const QString id = createAndStart(u"events"_s, QJsonArray{u"sleep"_s, u"300"_s},
                                      QJsonObject{{u"Labels"_s, QJsonObject{{u"gasper.test.events"_s, m_runId}}}});
    QVERIFY(!id.isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return !rec.messages.isEmpty() || rec.finished; }, kWaitMs));
    QVERIFY(!rec.finished);
    const QJsonObject event = rec.messages.first();
    QCOMPARE(event.value(u"Action").toString(), u"start"_s);
    QCOMPARE(event.value(u"Type").toString(), u"container"_s);
    QCOMPARE(event.value(u"id").toString(), id);
    stream->close();
    QVERIFY(rec.waitFinished());
    QVERIFY(*rec.finished);
}

void TestDockerClient::listContainersFiltersByLabel()
{
    const QJsonObject labels{{u"Labels"_s, QJsonObject{{u"gasper.test.list"_s, m_runId}}}};
    const QString a = create(u"list-a"_s, QJsonArray{u"true"_s}, labels);
    const QString b = create(u"list-b"_s, QJsonArray{u"true"_s}, labels);
    const QString other = create(u"list-other"_s, QJsonArray{u"true"_s});
    QVERIFY(!a.isEmpty() && !b.isEmpty() && !other.isEmpty());

    const QJsonObject filters{{u"label"_s, QJsonArray{QString(u"gasper.test.list="_s + m_runId)}}};
    Waiter<QJsonArray> all;
    m_client->listContainers(filters, true, &all.context, all.callback());
    QVERIFY(all.wait());
    QVERIFY2(*all.result, qPrintable(why(*all.result)));
    QStringList ids;
    for (const QJsonValue &container : **all.result)
        ids.append(container[u"Id"].toString());
    ids.sort();
    QStringList expected{a, b};
    expected.sort();
    QCOMPARE(ids, expected);

    Waiter<QJsonArray> runningOnly;  // created, never started: not listed without all
    m_client->listContainers(filters, false, &runningOnly.context, runningOnly.callback());
    QVERIFY(runningOnly.wait());
    QVERIFY(*runningOnly.result);
    QCOMPARE((*runningOnly.result)->size(), 0);
}

void TestDockerClient::networkLifecycleCreateInspectListConnectRemove()
{
    const QString name = kNamePrefix + u"net-"_s + m_runId;
    const QJsonObject labels{{u"gasper.test"_s, u"1"_s}, {u"gasper.test.docker"_s, m_runId}};
    Waiter<QString> created;
    m_client->createNetwork(name, labels, &created.context, created.callback());
    QVERIFY(created.wait());
    QVERIFY2(*created.result, qPrintable(why(*created.result)));
    const QString networkId = **created.result;

    Waiter<QString> again;  // names are unique per engine
    m_client->createNetwork(name, labels, &again.context, again.callback());
    QVERIFY(again.wait());
    QVERIFY(!*again.result);
    QCOMPARE(again.result->error().code, u"docker-conflict"_s);

    Waiter<QJsonObject> inspected;
    m_client->inspectNetwork(name, &inspected.context, inspected.callback());
    QVERIFY(inspected.wait());
    QVERIFY2(*inspected.result, qPrintable(why(*inspected.result)));
    QCOMPARE((*inspected.result)->value(u"Id").toString(), networkId);
    QCOMPARE((*inspected.result)->value(u"Driver").toString(), u"bridge"_s);
    QCOMPARE((*inspected.result)->value(u"Labels").toObject().value(u"gasper.test.docker").toString(), m_runId);

    Waiter<QJsonArray> listed;
    m_client->listNetworks(QJsonObject{{u"label"_s, QJsonArray{QString(u"gasper.test.docker="_s + m_runId)}}},
                           &listed.context, listed.callback());
    QVERIFY(listed.wait());
    QVERIFY2(*listed.result, qPrintable(why(*listed.result)));
    QCOMPARE((*listed.result)->size(), 1);
    QCOMPARE((*listed.result)->first().toObject().value(u"Name").toString(), name);

    // A container joins it with an alias; while attached the network cannot go.
    const QJsonObject bridged{{u"HostConfig"_s, QJsonObject{{u"Init"_s, true}, {u"NetworkMode"_s, u"bridge"_s}}}};
    const QString id = createAndStart(u"net-member"_s, QJsonArray{u"sleep"_s, u"60"_s}, bridged);
    QVERIFY(!id.isEmpty());
    Waiter<void> connected;
    m_client->connectNetwork(name, id, {u"member-alias"_s}, &connected.context, connected.callback());
    QVERIFY(connected.wait());
    QVERIFY2(*connected.result, qPrintable(why(*connected.result)));
    Waiter<QJsonObject> member;
    m_client->inspectContainer(id, &member.context, member.callback());
    QVERIFY(member.wait());
    QVERIFY(*member.result);
    const QJsonObject endpoint = (*member.result)->value(u"NetworkSettings").toObject().value(u"Networks").toObject()
                                     .value(name).toObject();
    QVERIFY2(endpoint.value(u"Aliases").toVariant().toStringList().contains(u"member-alias"_s),
             QJsonDocument(endpoint).toJson().constData());
    Waiter<void> busy;
    m_client->removeNetwork(name, &busy.context, busy.callback());
    QVERIFY(busy.wait());
    QVERIFY(!*busy.result);

    Waiter<void> disconnected;
    m_client->disconnectNetwork(name, id, true, &disconnected.context, disconnected.callback());
    QVERIFY(disconnected.wait());
    QVERIFY2(*disconnected.result, qPrintable(why(*disconnected.result)));
    Waiter<void> removed;
    m_client->removeNetwork(networkId, &removed.context, removed.callback());
    QVERIFY(removed.wait());
    QVERIFY2(*removed.result, qPrintable(why(*removed.result)));
    Waiter<QJsonObject> gone;
    m_client->inspectNetwork(name, &gone.context, gone.callback());
    QVERIFY(gone.wait());
    QVERIFY(!*gone.result);
    QCOMPARE(gone.result->error().code, u"docker-not-found"_s);
}

void TestDockerClient::containerStatsReturnsOneSample()
{
    const QString id = createAndStart(u"stats"_s, QJsonArray{u"sleep"_s, u"300"_s});
    QVERIFY(!id.isEmpty());
    Waiter<QJsonObject> stats;
    m_client->containerStats(id, &stats.context, stats.callback());
    QVERIFY(stats.wait());
    QVERIFY2(*stats.result, qPrintable(why(*stats.result)));
    QVERIFY((*stats.result)->value(u"memory_stats").isObject());
    QVERIFY((*stats.result)->value(u"cpu_stats").isObject());
}

void TestDockerClient::inspectOfMissingContainerIsNotFound()
{
    Waiter<QJsonObject> missing;
    m_client->inspectContainer(kNamePrefix + u"missing-"_s + m_runId, &missing.context, missing.callback());
    QVERIFY(missing.wait());
    QVERIFY(!*missing.result);
    QCOMPARE(missing.result->error().code, u"docker-not-found"_s);
    QVERIFY2(missing.result->error().message.contains(u"No such container"), qPrintable(missing.result->error().message));
}

void TestDockerClient::createWithDuplicateNameIsConflict()
{
    QVERIFY(!create(u"dup"_s, QJsonArray{u"true"_s}).isEmpty());
    Waiter<QString> again;
    m_client->createContainer(kNamePrefix + u"dup-"_s + m_runId,
                              QJsonObject{{u"Image"_s, u"gasper/python"_s}, {u"Cmd"_s, QJsonArray{u"true"_s}},
                                          {u"Labels"_s, QJsonObject{{u"gasper.test"_s, u"1"_s}}}},
                              &again.context, again.callback());
    QVERIFY(again.wait());
    QVERIFY(!*again.result);
    QCOMPARE(again.result->error().code, u"docker-conflict"_s);
    QVERIFY2(again.result->error().message.contains(u"already in use"), qPrintable(again.result->error().message));
}

void TestDockerClient::createWithInvalidNameIsBadRequest()
{
    Waiter<QString> bad;
    m_client->createContainer(u"not a valid name!"_s,
                              QJsonObject{{u"Image"_s, u"gasper/python"_s}, {u"Cmd"_s, QJsonArray{u"true"_s}},
                                          {u"Labels"_s, QJsonObject{{u"gasper.test"_s, u"1"_s}}}},
                              &bad.context, bad.callback());
    QVERIFY(bad.wait());
    QVERIFY(!*bad.result);
    QCOMPARE(bad.result->error().code, u"docker-bad-request"_s);
}

void TestDockerClient::streamOfMissingContainerFinishesNotFoundWithoutStarting()
{
    StreamRecorder logs;
    logs.attach(m_client->containerLogs(kNamePrefix + u"missing-"_s + m_runId, LogOptions{}, this));
    QVERIFY(logs.waitFinished());
    QVERIFY(!*logs.finished);
    QCOMPARE(logs.finished->error().code, u"docker-not-found"_s);
    QVERIFY(!logs.started);

    StreamRecorder exec;
    exec.attach(m_client->startExec(u"0123456789abcdef"_s, false, this));
    QVERIFY(exec.waitFinished());
    QVERIFY(!*exec.finished);
    QCOMPARE(exec.finished->error().code, u"docker-not-found"_s);
    QVERIFY(!exec.started);
}

void TestDockerClient::missingSocketIsUnavailableAndSaysWhich()
{
    const QString path = QDir::tempPath() + u"/gasper-no-docker-"_s + m_runId + u".sock"_s;
    DockerClient client(path);
    Waiter<void> ping;
    client.ping(&ping.context, ping.callback());
    QVERIFY(ping.wait());
    QVERIFY(!*ping.result);
    QCOMPARE(ping.result->error().code, u"docker-unavailable"_s);
    QVERIFY2(ping.result->error().message.contains(path), qPrintable(ping.result->error().message));
    QVERIFY2(ping.result->error().message.contains(u"start"), qPrintable(ping.result->error().message));

    // Versioned calls and streams fail the same way (negotiation fails first).
    Waiter<QJsonObject> inspected;
    client.inspectContainer(u"x"_s, &inspected.context, inspected.callback());
    QVERIFY(inspected.wait());
    QVERIFY(!*inspected.result);
    QCOMPARE(inspected.result->error().code, u"docker-unavailable"_s);

    StreamRecorder events;
    events.attach(client.events({}, this));
    QVERIFY(events.waitFinished());
    QVERIFY(!*events.finished);
    QCOMPARE(events.finished->error().code, u"docker-unavailable"_s);
}

void TestDockerClient::callbacksAreAsynchronousEvenForImmediateErrors()
{
    DockerClient client(QDir::tempPath() + u"/gasper-no-docker-"_s + m_runId + u".sock"_s);
    QObject context;
    bool returned = false;
    bool calledBeforeReturn = false;
    bool called = false;
    client.ping(&context, [&](Result<void>) {
        called = true;
        calledBeforeReturn = !returned;
    });
    returned = true;
    QVERIFY(!called);
    QVERIFY(QTest::qWaitFor([&] { return called; }, kWaitMs));
    QVERIFY(!calledBeforeReturn);
}

void TestDockerClient::callbackIsNotCalledAfterContextIsDestroyed()
{
    bool called = false;
    auto *context = new QObject;
    m_client->ping(context, [&](Result<void>) { called = true; });
    delete context;
    // And one that is still alive, to know when the first would have answered.
    Waiter<void> later;
    m_client->ping(&later.context, later.callback());
    QVERIFY(later.wait());
    QTest::qWait(200);
    QVERIFY(!called);
}

void TestDockerClient::plainRequestTimesOut()
{
    const QString id = createAndStart(u"timeout"_s, QJsonArray{u"sleep"_s, u"300"_s});
    QVERIFY(!id.isEmpty());
    DockerClient client(dockerSocket());
    client.setRequestTimeout(std::chrono::milliseconds(500));
    Waiter<ApiResponse> wait;  // the generic call keeps the timeout; this one never answers in time
    client.request("POST", "/containers/" + id.toLatin1() + "/wait", {}, &wait.context, wait.callback());
    QVERIFY(wait.wait());
    QVERIFY(!*wait.result);
    QCOMPARE(wait.result->error().code, u"docker-timeout"_s);
}

void TestDockerClient::sequentialRequestsReuseOneConnection()
{
    DockerClient client(dockerSocket());
    for (int i = 0; i < 10; ++i) {
        Waiter<void> ping;
        client.ping(&ping.context, ping.callback());
        QVERIFY(ping.wait());
        QVERIFY(*ping.result);
    }
    QCOMPARE(client.openedConnectionCount(), 1);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TestDockerClient::fiftyConcurrentInspectsAllAnswer()
{
    const QString id = createAndStart(u"many"_s, QJsonArray{u"sleep"_s, u"300"_s});
    QVERIFY(!id.isEmpty());
    DockerClient client(dockerSocket());
    QObject context;
    int ok = 0;
    int failed = 0;
    for (int i = 0; i < 50; ++i) {
        client.inspectContainer(id, &context, [&](Result<QJsonObject> r) {
            if (r && r->value(u"Id").toString() == id)
                ++ok;
            else
                ++failed;
        });
    }
    QVERIFY(QTest::qWaitFor([&] { return ok + failed == 50; }, kWaitMs));
    QCOMPARE(failed, 0);
    // Version negotiation plus at most maxConnections() connections at once.
    QVERIFY(client.openedConnectionCount() <= client.maxConnections() + 1);
    QVERIFY(client.idleConnectionCount() >= 1);
}

void TestDockerClient::closingStreamFinishesItOnce()
{
    StreamRecorder rec;
    DockerStream *stream = m_client->events({}, this);
    rec.attach(stream);
    QSignalSpy finished(stream, &DockerStream::finished);
    QSignalSpy destroyed(stream, &QObject::destroyed);
    QVERIFY(QTest::qWaitFor([&] { return rec.started || rec.finished; }, kWaitMs));
    stream->close();
    stream->close();
    QCOMPARE(finished.size(), 0);  // from the event loop, not inside close()
    QVERIFY(destroyed.wait(kWaitMs));
    QCOMPARE(finished.size(), 1);
    QVERIFY(*rec.finished);
}

void TestDockerClient::destroyingClientDropsCallsAndFailsStreamsStillSettingUp()
{
    auto client = std::make_unique<DockerClient>(dockerSocket());
    QObject context;
    int called = 0;
    for (int i = 0; i < 5; ++i)
        client->ping(&context, [&](Result<void>) { ++called; });
    StreamRecorder rec;
    rec.attach(client->events({}, this));  // waits for the API version: still setting up
    client.reset();
    QVERIFY(rec.waitFinished());
    QVERIFY(!*rec.finished);
    QCOMPARE(rec.finished->error().code, u"docker-unavailable"_s);
    QTest::qWait(100);
    QCOMPARE(called, 0);
}

QTEST_GUILESS_MAIN(TestDockerClient)
#include "tst_dockerclient.moc"
