// SPDX-License-Identifier: MIT
// The pure parts of the app worker: the container recipe, and how the line splitter it
// uses for deploy output (docker::LineSplitter) cuts lines.

#include "apps/ContainerSpec.h"
#include "apps/EngineFeatures.h"
#include "docker/FrameDemuxer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace gasper;
using namespace gasper::apps;

class tst_AppsUnit : public QObject
{
    Q_OBJECT

private:
    static AppSpec sample()
    {
        AppSpec spec;
        spec.name = QStringLiteral("web");
        spec.language = QStringLiteral("python");
        spec.run = QStringLiteral("python3 app.py");
        spec.port = 8080;
        spec.env.insert(QStringLiteral("GREETING"), QStringLiteral("hi"));
        return spec;
    }

    // Lines as DeployJob reports them: decoded, and the unterminated rest without its '\r'.
    static QStringList splitLines(docker::LineSplitter &splitter, QByteArrayView data)
    {
        QStringList out;
        for (const QByteArray &l : splitter.feed(data))
            out << QString::fromUtf8(l);
        return out;
    }
    static QStringList restLine(docker::LineSplitter &splitter)
    {
        QByteArray line = splitter.takeRest();
        if (line.isEmpty())
            return {};
        if (line.endsWith('\r'))
            line.chop(1);
        return {QString::fromUtf8(line)};
    }

private slots:
    void initMissingIsRecognisedFromTheEnginesAnswer_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("missing");
        QTest::newRow("podman without catatonit")
            << QStringLiteral("docker-error")
            << QStringLiteral("container-init binary not found on the host: stat /usr/libexec/podman/catatonit: "
                              "no such file or directory") << true;
        QTest::newRow("docker without docker-init")
            << QStringLiteral("docker-bad-request")
            << QStringLiteral("failed to create task for container: exec: \"docker-init\": executable file not found in $PATH")
            << true;
        QTest::newRow("docker with a wrong --init-path")
            << QStringLiteral("docker-error")
            << QStringLiteral("OCI runtime create failed: /nonexistent/docker-init: no such file or directory") << true;
        QTest::newRow("missing image") << QStringLiteral("docker-not-found")
                                       << QStringLiteral("No such image: gasper/python:latest") << false;
        QTest::newRow("port in use") << QStringLiteral("docker-error")
                                     << QStringLiteral("Bind for 127.0.0.1:8080 failed: port is already allocated") << false;
        QTest::newRow("not an engine error") << QStringLiteral("build-failed")
                                             << QStringLiteral("build command `docker-init` not found") << false;
    }
    void initMissingIsRecognisedFromTheEnginesAnswer()
    {
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(bool, missing);
        QCOMPARE(EngineFeatures::isInitMissing(Error{code, message}), missing);
    }

    void initIsSwitchedOffOnceAndContainersGoWithout()
    {
        EngineFeatures features;
        QVERIFY(features.initAvailable());
        QVERIFY(!features.noteInitMissing(Error{QStringLiteral("docker-error"), QStringLiteral("port is already allocated")}));
        QVERIFY(features.initAvailable());
        const Error podman{QStringLiteral("docker-error"), QStringLiteral("container-init binary not found on the host")};
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no init helper")));
        QVERIFY(features.noteInitMissing(podman));   // said once in the log
        QVERIFY(!features.noteInitMissing(podman));  // and not again
        QVERIFY(!features.initAvailable());

        ContainerOptions o;
        o.image = QStringLiteral("gasper/python");
        QCOMPARE(containerConfig(sample(), o).value(u"HostConfig").toObject().value(u"Init").toBool(), true);
        o.init = features.initAvailable();
        QCOMPARE(containerConfig(sample(), o).value(u"HostConfig").toObject().value(u"Init"), QJsonValue(false));
    }

    void containerIsLimitedUnprivilegedAndPublishedOnLoopbackOnly()
    {
        ContainerOptions o;
        o.image = QStringLiteral("gasper/python");
        o.sourceDir = QStringLiteral("/data/sources/web/d1/src");
        o.controlDir = QStringLiteral("/data/sources/web/d1/ctl");
        o.memoryMb = 256;
        o.cpus = 0.5;
        o.node = QStringLiteral("local");
        o.deployNumber = 3;
        const QJsonObject c = containerConfig(sample(), o);
        const QJsonObject host = c.value(u"HostConfig").toObject();
        QCOMPARE(host.value(u"Memory").toInteger(), 256LL * 1024 * 1024);
        QCOMPARE(host.value(u"NanoCpus").toInteger(), 500000000LL);
        QCOMPARE(host.value(u"Privileged").toBool(true), false);
        QVERIFY(host.value(u"NetworkMode").toString() != u"host");
        const QJsonArray bindings = host.value(u"PortBindings").toObject().value(u"8080/tcp").toArray();
        QCOMPARE(bindings.size(), 1);
        QCOMPARE(bindings.first().toObject().value(u"HostIp").toString(), QStringLiteral("127.0.0.1"));
        const QStringList binds = host.value(u"Binds").toVariant().toStringList();
        QVERIFY(binds.contains(QStringLiteral("/data/sources/web/d1/src:/app")));
        QVERIFY(binds.contains(QStringLiteral("/data/sources/web/d1/ctl:/run/gasper:ro")));
        for (const QString &b : binds)
            QVERIFY2(!b.contains(u"docker.sock"), qPrintable(b));
        const QJsonObject labels = c.value(u"Labels").toObject();
        QCOMPARE(labels.value(u"gasper.app").toString(), QStringLiteral("web"));
        QCOMPARE(labels.value(u"gasper.deploy").toString(), QStringLiteral("3"));
        QCOMPARE(labels.value(u"gasper.managed").toString(), QStringLiteral("1"));
        const QStringList env = c.value(u"Env").toVariant().toStringList();
        QVERIFY(env.contains(QStringLiteral("PORT=8080")));
        QVERIFY(env.contains(QStringLiteral("GREETING=hi")));
        const QStringList cmd = c.value(u"Cmd").toVariant().toStringList();
        QCOMPARE(cmd.size(), 3);
        // the run command is written after the clone (it may come from the Procfile): the container runs that file
        QVERIFY2(cmd.at(2).contains(u"/run/gasper/ready") && cmd.at(2).endsWith(u". /run/gasper/run"), qPrintable(cmd.at(2)));
        QCOMPARE(containerName(QStringLiteral("web"), 3, QStringLiteral("a1b2c3")), QStringLiteral("gasper-web-3-a1b2c3"));
        // unprivileged: not root, no capability, no setuid gain, nothing written outside /app and /tmp
        QCOMPARE(c.value(u"User").toString(), QStringLiteral("10000:10000"));
        QCOMPARE(host.value(u"CapDrop").toVariant().toStringList(), QStringList{QStringLiteral("ALL")});
        QVERIFY(!host.contains(u"CapAdd"));
        QCOMPARE(host.value(u"SecurityOpt").toVariant().toStringList(), QStringList{QStringLiteral("no-new-privileges")});
        QCOMPARE(host.value(u"ReadonlyRootfs").toBool(), true);
        QVERIFY(host.value(u"Tmpfs").toObject().contains(u"/tmp"));
        QCOMPARE(host.value(u"PidsLimit").toInt(), 1024);
        QVERIFY(env.contains(QStringLiteral("HOME=/tmp")));
        // without a network (older callers): the default bridge, no aliases
        QCOMPARE(host.value(u"NetworkMode").toString(), QStringLiteral("bridge"));
        QVERIFY(!c.contains(u"NetworkingConfig"));
    }

    void containerJoinsItsOwnersNetworkOnlyWithTheAppNameAsAlias()
    {
        ContainerOptions o;
        o.image = QStringLiteral("gasper/python");
        o.network = QStringLiteral("gasper-local-u7");
        AppSpec spec = sample();
        spec.ownerId = 7;
        const QJsonObject c = containerConfig(spec, o);
        QCOMPARE(c.value(u"HostConfig").toObject().value(u"NetworkMode").toString(), QStringLiteral("gasper-local-u7"));
        const QJsonObject endpoints = c.value(u"NetworkingConfig").toObject().value(u"EndpointsConfig").toObject();
        QCOMPARE(endpoints.keys(), QStringList{QStringLiteral("gasper-local-u7")});
        QCOMPARE(endpoints.value(u"gasper-local-u7").toObject().value(u"Aliases").toVariant().toStringList(),
                 QStringList{QStringLiteral("web")});
        QCOMPARE(c.value(u"Labels").toObject().value(u"gasper.owner").toString(), QStringLiteral("7"));
    }

    void anAppsOwnHomeWins()
    {
        AppSpec spec = sample();
        spec.env.insert(QStringLiteral("HOME"), QStringLiteral("/app"));
        const QStringList env = environment(spec);
        QVERIFY(env.contains(QStringLiteral("HOME=/app")));
        QVERIFY(!env.contains(QStringLiteral("HOME=/tmp")));
    }

    void secretValuesAreMaskedInOutput_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("shown");
        QTest::newRow("alone") << QStringLiteral("hunter2-long") << QStringLiteral("***");
        QTest::newRow("inside") << QStringLiteral("pw=hunter2-long;") << QStringLiteral("pw=***;");
        QTest::newRow("twice") << QStringLiteral("hunter2-long hunter2-long") << QStringLiteral("*** ***");
        QTest::newRow("longer secret first") << QStringLiteral("abcd-and-more") << QStringLiteral("***");
        QTest::newRow("plain value shown") << QStringLiteral("plainvalue") << QStringLiteral("plainvalue");
        QTest::newRow("short secret left") << QStringLiteral("x1y") << QStringLiteral("x1y");
    }
    void secretValuesAreMaskedInOutput()
    {
        QFETCH(QString, line);
        QFETCH(QString, shown);
        AppSpec spec = sample();
        spec.env.insert(QStringLiteral("PW"), QStringLiteral("hunter2-long"));
        spec.env.insert(QStringLiteral("A"), QStringLiteral("abcd"));
        spec.env.insert(QStringLiteral("B"), QStringLiteral("abcd-and-more"));
        spec.env.insert(QStringLiteral("SHORT"), QStringLiteral("1"));
        spec.env.insert(QStringLiteral("PLAIN"), QStringLiteral("plainvalue"));
        spec.secretEnv = {QStringLiteral("PW"), QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("SHORT")};
        QCOMPARE(maskSecrets(line, secretValues(spec)), shown);
    }

    void publishedHostPortIsReadFromTheInspectAnswer()
    {
        const auto inspect = [](const char *json) { return QJsonDocument::fromJson(json).object(); };
        // as the engine answers: an IPv4 and an IPv6 binding of the same port
        QCOMPARE(publishedHostPort(inspect(R"({"NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"49153"}]}}})"), 8080), quint16(49153));
        QCOMPARE(publishedHostPort(inspect(R"({"NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":""},{"HostIp":"::1","HostPort":"49154"}]}}})"), 8080), quint16(49154));
        QCOMPARE(publishedHostPort(inspect(R"({"NetworkSettings":{"Ports":{"8080/tcp":null}}})"), 8080), quint16(0));  // stopped
        QCOMPARE(publishedHostPort(inspect(R"({"NetworkSettings":{"Ports":{"3000/tcp":[{"HostPort":"1"}]}}})"), 8080), quint16(0));
        QCOMPARE(publishedHostPort(inspect("{}"), 8080), quint16(0));
    }

    void staticAppsGetADefaultServer()
    {
        AppSpec spec = sample();
        spec.language = QStringLiteral("static");
        spec.run.clear();
        QVERIFY(effectiveRunCommand(spec).contains(u"httpd"));
        spec.language = QStringLiteral("python");
        QVERIFY(effectiveRunCommand(spec).isEmpty());
    }

    void lineSplitterHandlesAnySplit_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("plain") << QByteArray("a\nbb\nccc\n") << QStringList{QStringLiteral("a"), QStringLiteral("bb"), QStringLiteral("ccc")};
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QStringList{QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("unterminated") << QByteArray("a\nrest") << QStringList{QStringLiteral("a"), QStringLiteral("rest")};
        QTest::newRow("empty lines") << QByteArray("\n\nx\n") << QStringList{QString(), QString(), QStringLiteral("x")};
        QTest::newRow("utf8") << QByteArray("h\xc3\xa9llo\n") << QStringList{QString::fromUtf8("h\xc3\xa9llo")};
    }
    void lineSplitterHandlesAnySplit()
    {
        QFETCH(QByteArray, input);
        QFETCH(QStringList, lines);
        for (qsizetype cut = 0; cut <= input.size(); ++cut) {
            docker::LineSplitter splitter(8192);
            QStringList got = splitLines(splitter, input.first(cut));
            got += splitLines(splitter, input.sliced(cut));
            got += restLine(splitter);
            QCOMPARE(got, lines);
        }
    }

    void lineSplitterBoundsEndlessLines()
    {
        docker::LineSplitter splitter(10);
        const QStringList got = splitLines(splitter, QByteArray(35, 'x'));
        QCOMPARE(got.size(), 3);
        QCOMPARE(restLine(splitter), QStringList{QString(5, u'x')});
    }
};

QTEST_APPLESS_MAIN(tst_AppsUnit)
#include "tst_apps_unit.moc"
