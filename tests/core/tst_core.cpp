// SPDX-License-Identifier: MIT
// backend/core: names are exactly DNS labels, the config reads every key and refuses bad
// values with a message naming the key, endpoints parse IPv4/IPv6/host forms, app states
// survive a round trip through their API strings, and Future::then runs its handler once.
#include "core/AppModel.h"
#include "core/Config.h"
#include "core/Future.h"
#include "core/Names.h"

#include <QSemaphore>
#include <QThread>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gasper;

class TestCore : public QObject
{
    Q_OBJECT

private slots:
    void nameValidity_data();
    void nameValidity();
    void validateNameExplainsTheRule();
    void usernameValidity_data();
    void usernameValidity();

    void endpointParse_data();
    void endpointParse();
    void endpointToStringRoundTrips_data();
    void endpointToStringRoundTrips();

    void emptyConfigIsTheDefaults();
    void everyKeyIsRead();
    void integersAreAcceptedWhereNumbersAre();
    void proxyRoutesAreParsedInOrder();
    void connectionLimitKeysAreRead();
    void invalidConfigNamesTheProblem_data();
    void invalidConfigNamesTheProblem();
    void loadReadsFilesAndReportsMissingOnes();
    void applyDefaultsFillsOnlyWhatIsUnset();

    void appStateRoundTrips_data();
    void appStateRoundTrips();
    void unknownAppStateIsRejected_data();
    void unknownAppStateIsRejected();

    void futureThenRunsOnceWhenFinishedWhileAttaching();
    void futureThenSkipsADestroyedContext();
};

// ---- names -------------------------------------------------------------------------

void TestCore::nameValidity_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("two letters") << u"ab"_s << true;
    QTest::newRow("typical") << u"my-app-2"_s << true;
    QTest::newRow("letter digit") << u"a1"_s << true;
    QTest::newRow("double hyphen (punycode)") << u"xn--80ak6aa92e"_s << true;
    QTest::newRow("40 chars") << (u"a"_s + QString(39, u'b')) << true;
    QTest::newRow("40 chars ending in digit") << (QString(39, u'a') + u'9') << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("1 char") << u"a"_s << false;
    QTest::newRow("41 chars") << (u"a"_s + QString(40, u'b')) << false;
    QTest::newRow("uppercase first") << u"Web"_s << false;
    QTest::newRow("uppercase inside") << u"weB"_s << false;
    QTest::newRow("leading digit") << u"1web"_s << false;
    QTest::newRow("leading hyphen") << u"-web"_s << false;
    QTest::newRow("trailing hyphen") << u"web-"_s << false;
    QTest::newRow("two chars trailing hyphen") << u"a-"_s << false;
    QTest::newRow("underscore") << u"web_app"_s << false;
    QTest::newRow("dot") << u"web.app"_s << false;
    QTest::newRow("slash") << u"web/app"_s << false;
    QTest::newRow("space") << u"web app"_s << false;
    QTest::newRow("leading space") << u" web"_s << false;
    QTest::newRow("newline") << u"web\n"_s << false;
    QTest::newRow("nul") << QStringView(u"we\0b", 4).toString() << false;
    QTest::newRow("accented") << u"wéb"_s << false;
    QTest::newRow("cyrillic lookalike") << u"\u0430pp"_s << false;  // Cyrillic а
    QTest::newRow("fullwidth") << u"\uff57eb"_s << false;
    QTest::newRow("emoji") << u"web\U0001F600"_s << false;
    QTest::newRow("superscript digit") << u"web\u00b2"_s << false;
}

void TestCore::nameValidity()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidName(name), valid);
    QCOMPARE(validateName(name).has_value(), valid);
}

void TestCore::validateNameExplainsTheRule()
{
    auto bad = validateName(u"Bad_Name"_s, u"app name"_s);
    QVERIFY(!bad.has_value());
    QCOMPARE(bad.error().code, u"invalid-name"_s);
    QVERIFY(bad.error().message.startsWith(u"app name must be 2-40 characters"_s));
    QVERIFY(validateName(u"good"_s).has_value());
}

void TestCore::usernameValidity_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << u"alice"_s << true;
    QTest::newRow("with _ . -") << u"a.b_c-d"_s << true;
    QTest::newRow("32 chars") << (u"a"_s + QString(31, u'x')) << true;
    QTest::newRow("33 chars") << (u"a"_s + QString(32, u'x')) << false;
    QTest::newRow("1 char") << u"a"_s << false;
    QTest::newRow("leading digit") << u"1alice"_s << false;
    QTest::newRow("uppercase") << u"Alice"_s << false;
    QTest::newRow("at sign") << u"alice@x"_s << false;
    QTest::newRow("unicode") << u"alïce"_s << false;
}

void TestCore::usernameValidity()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidUsername(name), valid);
}

// ---- endpoints ---------------------------------------------------------------------

void TestCore::endpointParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << u"127.0.0.1:3000"_s << true << u"127.0.0.1"_s << 3000;
    QTest::newRow("any ipv4") << u"0.0.0.0:65535"_s << true << u"0.0.0.0"_s << 65535;
    QTest::newRow("ipv6 loopback") << u"[::1]:80"_s << true << u"::1"_s << 80;
    QTest::newRow("ipv6 any") << u"[::]:8080"_s << true << u"::"_s << 8080;
    QTest::newRow("ipv6 full") << u"[2001:db8::1]:443"_s << true << u"2001:db8::1"_s << 443;
    QTest::newRow("host name") << u"localhost:5353"_s << true << u"localhost"_s << 5353;
    QTest::newRow("port 0 (ephemeral)") << u"127.0.0.1:0"_s << true << u"127.0.0.1"_s << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
    QTest::newRow("no port") << u"127.0.0.1"_s << false << QString() << 0;
    QTest::newRow("empty port") << u"127.0.0.1:"_s << false << QString() << 0;
    QTest::newRow("no host") << u":80"_s << false << QString() << 0;
    QTest::newRow("port too big") << u"127.0.0.1:65536"_s << false << QString() << 0;
    QTest::newRow("port huge") << u"127.0.0.1:99999999999"_s << false << QString() << 0;
    QTest::newRow("negative port") << u"127.0.0.1:-1"_s << false << QString() << 0;
    QTest::newRow("signed port") << u"127.0.0.1:+80"_s << false << QString() << 0;
    QTest::newRow("blank in port") << u"127.0.0.1: 80"_s << false << QString() << 0;
    QTest::newRow("trailing blank") << u"127.0.0.1:80 "_s << false << QString() << 0;
    QTest::newRow("hex port") << u"127.0.0.1:0x50"_s << false << QString() << 0;
    QTest::newRow("port with text") << u"127.0.0.1:80a"_s << false << QString() << 0;
    QTest::newRow("bare ipv6") << u"::1"_s << false << QString() << 0;
    QTest::newRow("unbracketed ipv6 with port") << u"::1:80"_s << false << QString() << 0;
    QTest::newRow("brackets no port") << u"[::1]"_s << false << QString() << 0;
    QTest::newRow("brackets empty port") << u"[::1]:"_s << false << QString() << 0;
    QTest::newRow("empty brackets") << u"[]:80"_s << false << QString() << 0;
    QTest::newRow("open bracket only") << u"[::1:80"_s << false << QString() << 0;
    QTest::newRow("close bracket only") << u"::1]:80"_s << false << QString() << 0;
    QTest::newRow("blank in host") << u"local host:80"_s << false << QString() << 0;
    QTest::newRow("url, not endpoint") << u"http://127.0.0.1:80"_s << false << QString() << 0;
}

void TestCore::endpointParse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, host);
    QFETCH(int, port);
    auto e = Endpoint::parse(text);
    QCOMPARE(e.has_value(), valid);
    if (valid) {
        QCOMPARE(e->host, host);
        QCOMPARE(int(e->port), port);
    } else {
        QCOMPARE(e.error().code, u"invalid-config"_s);
        QVERIFY(e.error().message.contains(u"ADDR:PORT"_s));
    }
}

void TestCore::endpointToStringRoundTrips_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("ipv4") << u"127.0.0.1:3000"_s;
    QTest::newRow("ipv6") << u"[::1]:80"_s;
    QTest::newRow("name") << u"localhost:0"_s;
}

void TestCore::endpointToStringRoundTrips()
{
    QFETCH(QString, text);
    auto e = Endpoint::parse(text);
    QVERIFY(e.has_value());
    QCOMPARE(e->toString(), text);
    QCOMPARE(Endpoint::parse(e->toString())->host, e->host);
}

// ---- config ------------------------------------------------------------------------

void TestCore::emptyConfigIsTheDefaults()
{
    auto c = Config::fromToml(QString());
    QVERIFY(c.has_value());
    const Config d;
    QCOMPARE(c->services, (QStringList{u"master"_s, u"apps"_s, u"proxy"_s}));
    QCOMPARE(c->api.toString(), u"127.0.0.1:3000"_s);
    QCOMPARE(c->proxy.toString(), u"127.0.0.1:8080"_s);
    QCOMPARE(c->dns.toString(), u"127.0.0.1:5353"_s);
    QCOMPARE(c->ssh.toString(), u"127.0.0.1:2222"_s);
    QCOMPARE(c->domain, u"localhost"_s);
    QCOMPARE(c->dnsZone, u"gasper.localhost"_s);
    QCOMPARE(c->nodeName, u"local"_s);
    QVERIFY(c->dataDir.isEmpty());
    QVERIFY(c->storeUrl.isEmpty());
    QVERIFY(c->dockerSocket.isEmpty());
    QVERIFY(c->images.isEmpty());
    QVERIFY(c->staticRoutes.isEmpty());
    QCOMPARE(c->defaultMemoryMb, d.defaultMemoryMb);
    QCOMPARE(c->maxMemoryMb, d.maxMemoryMb);
    QCOMPARE(c->defaultCpus, d.defaultCpus);
    QCOMPARE(c->maxCpus, d.maxCpus);
    QCOMPARE(c->defaultAppPort, 8080);
    QCOMPARE(c->healthTimeoutSec, d.healthTimeoutSec);
    QCOMPARE(c->buildTimeoutSec, d.buildTimeoutSec);
    QCOMPARE(c->tokenTtlHours, d.tokenTtlHours);
    QCOMPARE(c->maxAppsPerUser, d.maxAppsPerUser);
    // Comments and unrelated tables change nothing.
    auto commented = Config::fromToml(u"# nothing here\n[api]\n"_s);
    QVERIFY(commented.has_value());
    QCOMPARE(commented->api.port, quint16(3000));
}

void TestCore::everyKeyIsRead()
{
    const QString toml = uR"(
data_dir = "/srv/gasper"
services = ["master", "apps", "databases", "proxy", "dns", "ssh"]

[api]
listen = "0.0.0.0:3100"
[proxy]
listen = "[::]:8081"
domain = "apps.example.org"
[dns]
listen = "127.0.0.1:5354"
zone = "gasper.example.org"
[ssh]
listen = "127.0.0.1:2223"
[store]
url = "postgresql://gasper:pw@127.0.0.1:5432/gasper"
[docker]
socket = "/run/user/1000/podman/podman.sock"
[node]
name = "worker-1"
[auth]
token_ttl_hours = 48
[apps]
default_memory_mb = 256
max_memory_mb = 2048
default_cpus = 0.5
max_cpus = 4.0
default_port = 9000
health_timeout_s = 30
build_timeout_s = 600
max_per_user = 10
[apps.images]
python = "registry.local/python:3.12"
node = "gasper/node:20"
)"_s;
    auto c = Config::fromToml(toml, u"test.toml"_s);
    QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
    QCOMPARE(c->dataDir, u"/srv/gasper"_s);
    QCOMPARE(c->services, (QStringList{u"master"_s, u"apps"_s, u"databases"_s, u"proxy"_s, u"dns"_s, u"ssh"_s}));
    QCOMPARE(c->api.toString(), u"0.0.0.0:3100"_s);
    QCOMPARE(c->proxy.host, u"::"_s);
    QCOMPARE(c->proxy.port, quint16(8081));
    QCOMPARE(c->domain, u"apps.example.org"_s);
    QCOMPARE(c->dns.toString(), u"127.0.0.1:5354"_s);
    QCOMPARE(c->dnsZone, u"gasper.example.org"_s);
    QCOMPARE(c->ssh.toString(), u"127.0.0.1:2223"_s);
    QCOMPARE(c->storeUrl, u"postgresql://gasper:pw@127.0.0.1:5432/gasper"_s);
    QCOMPARE(c->dockerSocket, u"/run/user/1000/podman/podman.sock"_s);
    QCOMPARE(c->nodeName, u"worker-1"_s);
    QCOMPARE(c->tokenTtlHours, 48);
    QCOMPARE(c->defaultMemoryMb, 256);
    QCOMPARE(c->maxMemoryMb, 2048);
    QCOMPARE(c->defaultCpus, 0.5);
    QCOMPARE(c->maxCpus, 4.0);
    QCOMPARE(c->defaultAppPort, 9000);
    QCOMPARE(c->healthTimeoutSec, 30);
    QCOMPARE(c->buildTimeoutSec, 600);
    QCOMPARE(c->maxAppsPerUser, 10);
    QCOMPARE(c->images.size(), 2);
    QCOMPARE(c->imageFor(u"python"_s), u"registry.local/python:3.12"_s);
    QCOMPARE(c->imageFor(u"node"_s), u"gasper/node:20"_s);
    QCOMPARE(c->imageFor(u"ruby"_s), u"gasper/ruby"_s);
}

void TestCore::integersAreAcceptedWhereNumbersAre()
{
    auto c = Config::fromToml(u"[apps]\ndefault_cpus = 2\nmax_cpus = 8\n"_s);
    QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
    QCOMPARE(c->defaultCpus, 2.0);
    QCOMPARE(c->maxCpus, 8.0);
    auto dup = Config::fromToml(u"services = [\"apps\", \"apps\"]\n"_s);
    QVERIFY(dup.has_value());
    QCOMPARE(dup->services, QStringList{u"apps"_s});
    auto none = Config::fromToml(u"services = []\n"_s);
    QVERIFY(none.has_value());
    QVERIFY(none->services.isEmpty());
}

void TestCore::proxyRoutesAreParsedInOrder()
{
    auto c = Config::fromToml(uR"(
[[proxy.routes]]
host = "grafana.localhost"
upstream = "127.0.0.1:9000"

[[proxy.routes]]
host = "docs.localhost"
upstream = "[::1]:9001"
)"_s);
    QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
    QCOMPARE(c->staticRoutes.size(), 2);
    QCOMPARE(c->staticRoutes[0].host, u"grafana.localhost"_s);
    QCOMPARE(c->staticRoutes[0].upstream, u"127.0.0.1:9000"_s);
    QCOMPARE(c->staticRoutes[1].host, u"docs.localhost"_s);
    QCOMPARE(c->staticRoutes[1].upstream, u"[::1]:9001"_s);
    // The proxy's other keys live in the same table.
    auto mixed = Config::fromToml(u"[proxy]\nlisten = \"127.0.0.1:8000\"\n[[proxy.routes]]\nhost = \"a.localhost\"\nupstream = \"127.0.0.1:1\"\n"_s);
    QVERIFY(mixed.has_value());
    QCOMPARE(mixed->proxy.port, quint16(8000));
    QCOMPARE(mixed->staticRoutes.size(), 1);
}

void TestCore::connectionLimitKeysAreRead()
{
    const Config d;
    QCOMPARE(d.apiLimits.maxConnections, 512);
    QCOMPARE(d.apiLimits.maxPerSource, 64);
    QCOMPARE(d.apiLimits.headTimeoutSec, 10);
    QCOMPARE(d.proxyLimits.maxConnections, 4096);
    QCOMPARE(d.proxyLimits.maxPerSource, 256);
    QCOMPARE(d.upstreamResponseTimeoutSec, 60);
    QCOMPARE(d.webSocketPingSec, 20);
    auto c = Config::fromToml(u"[api]\nmax_connections = 100\nmax_connections_per_source = 7\nrequest_head_timeout_s = 3\n"
                              "idle_timeout_s = 30\nsend_timeout_s = 9\nmax_queued_kb = 512\nwebsocket_ping_s = 0\n"
                              "websocket_max_message_kb = 64\n"
                              "[proxy]\nmax_connections = 200\nmax_connections_per_source = 8\nrequest_head_timeout_s = 4\n"
                              "idle_timeout_s = 31\nsend_timeout_s = 10\nupstream_connect_timeout_s = 2\n"
                              "upstream_response_timeout_s = 90\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n"_s);
    QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
    QCOMPARE(c->apiLimits.maxConnections, 100);
    QCOMPARE(c->apiLimits.maxPerSource, 7);
    QCOMPARE(c->apiLimits.headTimeoutSec, 3);
    QCOMPARE(c->apiLimits.idleTimeoutSec, 30);
    QCOMPARE(c->apiLimits.sendTimeoutSec, 9);
    QCOMPARE(c->apiLimits.maxQueuedKb, 512);
    QCOMPARE(c->webSocketPingSec, 0);
    QCOMPARE(c->webSocketMaxMessageKb, 64);
    QCOMPARE(c->proxyLimits.maxConnections, 200);
    QCOMPARE(c->proxyLimits.maxPerSource, 8);
    QCOMPARE(c->proxyLimits.headTimeoutSec, 4);
    QCOMPARE(c->proxyLimits.idleTimeoutSec, 31);
    QCOMPARE(c->proxyLimits.sendTimeoutSec, 10);
    QCOMPARE(c->upstreamConnectTimeoutSec, 2);
    QCOMPARE(c->upstreamResponseTimeoutSec, 90);
    QCOMPARE(c->trustedProxies, (QStringList{u"10.0.0.0/8"_s, u"::1"_s}));
}

void TestCore::invalidConfigNamesTheProblem_data()
{
    QTest::addColumn<QString>("toml");
    QTest::addColumn<QString>("message");  // a part of the error message

    QTest::newRow("syntax error has file and line") << u"[api\nlisten = 1"_s << u"conf.toml: line 1"_s;
    QTest::newRow("listen not string") << u"[api]\nlisten = 3000"_s << u"api.listen must be a string"_s;
    QTest::newRow("listen no port") << u"[api]\nlisten = \"127.0.0.1\""_s << u"api.listen: '127.0.0.1' is not ADDR:PORT"_s;
    QTest::newRow("proxy listen bad port") << u"[proxy]\nlisten = \"127.0.0.1:70000\""_s << u"proxy.listen:"_s;
    QTest::newRow("dns listen bare ipv6") << u"[dns]\nlisten = \"::1:53\""_s << u"dns.listen:"_s;
    QTest::newRow("ssh listen empty") << u"[ssh]\nlisten = \"\""_s << u"ssh.listen:"_s;
    QTest::newRow("memory as string") << u"[apps]\ndefault_memory_mb = \"512\""_s << u"apps.default_memory_mb must be an integer in [16, 1048576]"_s;
    QTest::newRow("memory too small") << u"[apps]\ndefault_memory_mb = 8"_s << u"apps.default_memory_mb must be"_s;
    QTest::newRow("memory fractional") << u"[apps]\ndefault_memory_mb = 512.5"_s << u"apps.default_memory_mb must be an integer"_s;
    QTest::newRow("max memory too big") << u"[apps]\nmax_memory_mb = 2000000"_s << u"apps.max_memory_mb must be"_s;
    QTest::newRow("cpus zero") << u"[apps]\ndefault_cpus = 0"_s << u"apps.default_cpus must be a number in [0.01, 1024]"_s;
    QTest::newRow("cpus bool") << u"[apps]\ndefault_cpus = true"_s << u"apps.default_cpus must be a number"_s;
    QTest::newRow("cpus nan") << u"[apps]\nmax_cpus = nan"_s << u"apps.max_cpus must be a number"_s;
    QTest::newRow("cpus inf") << u"[apps]\nmax_cpus = inf"_s << u"apps.max_cpus must be a number"_s;
    QTest::newRow("port zero") << u"[apps]\ndefault_port = 0"_s << u"apps.default_port must be an integer in [1, 65535]"_s;
    QTest::newRow("port too big") << u"[apps]\ndefault_port = 65536"_s << u"apps.default_port"_s;
    QTest::newRow("health timeout") << u"[apps]\nhealth_timeout_s = 0"_s << u"apps.health_timeout_s"_s;
    QTest::newRow("build timeout") << u"[apps]\nbuild_timeout_s = -5"_s << u"apps.build_timeout_s"_s;
    QTest::newRow("max per user") << u"[apps]\nmax_per_user = -1"_s << u"apps.max_per_user"_s;
    QTest::newRow("token ttl") << u"[auth]\ntoken_ttl_hours = 0"_s << u"auth.token_ttl_hours"_s;
    QTest::newRow("api cap zero") << u"[api]\nmax_connections = 0"_s << u"api.max_connections must be an integer"_s;
    QTest::newRow("proxy head timeout string") << u"[proxy]\nrequest_head_timeout_s = \"10\""_s
                                               << u"proxy.request_head_timeout_s must be an integer"_s;
    QTest::newRow("trusted proxies not array") << u"[proxy]\ntrusted_proxies = \"10.0.0.1\""_s
                                               << u"proxy.trusted_proxies must be an array"_s;
    QTest::newRow("trusted proxy number") << u"[proxy]\ntrusted_proxies = [1]"_s << u"proxy.trusted_proxies must be"_s;
    QTest::newRow("default above max memory") << u"[apps]\ndefault_memory_mb = 8192\nmax_memory_mb = 1024"_s
                                              << u"apps.default_memory_mb (8192) is above apps.max_memory_mb (1024)"_s;
    QTest::newRow("default above max cpus") << u"[apps]\ndefault_cpus = 3\n"_s << u"apps.default_cpus (3) is above apps.max_cpus (2)"_s;
    QTest::newRow("data_dir not string") << u"data_dir = 5"_s << u"data_dir must be a string"_s;
    QTest::newRow("store url not string") << u"[store]\nurl = 1"_s << u"store.url must be a string"_s;
    QTest::newRow("docker socket not string") << u"[docker]\nsocket = []"_s << u"docker.socket must be a string"_s;
    QTest::newRow("domain not string") << u"[proxy]\ndomain = 1"_s << u"proxy.domain must be a string"_s;
    QTest::newRow("domain empty") << u"[proxy]\ndomain = \"\""_s << u"may not be empty"_s;
    QTest::newRow("zone not string") << u"[dns]\nzone = false"_s << u"dns.zone must be a string"_s;
    QTest::newRow("node name not string") << u"[node]\nname = 1"_s << u"node.name must be a string"_s;
    QTest::newRow("services not array") << u"services = \"master\""_s << u"services must be an array of strings"_s;
    QTest::newRow("services with number") << u"services = [\"master\", 1]"_s << u"services must be an array of strings"_s;
    QTest::newRow("services typo") << u"services = [\"mastr\"]"_s << u"unknown service 'mastr'"_s;
    QTest::newRow("images not table") << u"[apps]\nimages = \"x\""_s << u"apps.images must be a table"_s;
    QTest::newRow("image not string") << u"[apps.images]\npython = 3"_s << u"apps.images values must be non-empty strings"_s;
    QTest::newRow("image empty") << u"[apps.images]\npython = \"\""_s << u"apps.images values"_s;
    QTest::newRow("routes not array") << u"[proxy]\nroutes = \"x\""_s << u"proxy.routes must be an array of tables"_s;
    QTest::newRow("route not table") << u"[proxy]\nroutes = [1]"_s << u"proxy.routes entries must be tables"_s;
    QTest::newRow("route without upstream") << u"[[proxy.routes]]\nhost = \"a.localhost\""_s << u"need host and upstream"_s;
    QTest::newRow("route without host") << u"[[proxy.routes]]\nupstream = \"127.0.0.1:1\""_s << u"(entry 1)"_s;
    QTest::newRow("route bad upstream") << u"[[proxy.routes]]\nhost = \"a.localhost\"\nupstream = \"127.0.0.1\""_s << u"ADDR:PORT"_s;
    QTest::newRow("second route bad")
        << u"[[proxy.routes]]\nhost = \"a.localhost\"\nupstream = \"127.0.0.1:1\"\n[[proxy.routes]]\nhost = 5\nupstream = \"127.0.0.1:2\""_s
        << u"(entry 2)"_s;
}

void TestCore::invalidConfigNamesTheProblem()
{
    QFETCH(QString, toml);
    QFETCH(QString, message);
    auto c = Config::fromToml(toml, u"conf.toml"_s);
    QVERIFY2(!c.has_value(), "accepted an invalid config");
    QCOMPARE(c.error().code, u"invalid-config"_s);
    QVERIFY2(c.error().message.contains(message), qPrintable(c.error().message));
}

void TestCore::loadReadsFilesAndReportsMissingOnes()
{
    auto defaults = Config::load(QString());
    QVERIFY(defaults.has_value());
    QCOMPARE(defaults->api.port, quint16(3000));

    QTemporaryDir dir;
    const QString missingPath = dir.filePath(u"missing.toml"_s);
    auto missing = Config::load(missingPath);
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, u"invalid-config"_s);
    QVERIFY(missing.error().message.contains(missingPath));

    const QString path = dir.filePath(u"gasper.toml"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[node]\nname = \"n\xc3\xa9\"\n[api]\nlisten = \"oops\"\n");
    f.close();
    auto bad = Config::load(path);
    QVERIFY(!bad.has_value());
    QVERIFY(bad.error().message.contains(u"api.listen"_s));

    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("[node]\nname = \"n\xc3\xa9\"\n");
    f.close();
    auto ok = Config::load(path);
    QVERIFY(ok.has_value());
    QCOMPARE(ok->nodeName, u"né"_s);

    // The shipped config, when there is one, must load.
    const QString shipped = QStringLiteral(GASPER_SOURCE_DIR "/packaging/gasper.toml");
    if (QFile::exists(shipped)) {
        auto s = Config::load(shipped);
        QVERIFY2(s.has_value(), qPrintable(s ? QString() : s.error().message));
    }
}

void TestCore::applyDefaultsFillsOnlyWhatIsUnset()
{
    const QByteArray savedDockerHost = qgetenv("DOCKER_HOST");
    const bool hadDockerHost = qEnvironmentVariableIsSet("DOCKER_HOST");
    auto restore = qScopeGuard([&] { hadDockerHost ? qputenv("DOCKER_HOST", savedDockerHost) : qunsetenv("DOCKER_HOST"); });

    qunsetenv("DOCKER_HOST");
    Config c;
    c.images.insert(u"python"_s, u"custom/python"_s);
    c.applyDefaults();
    QCOMPARE(c.dataDir, QDir::homePath() + u"/.local/share/gasper"_s);
    QCOMPARE(c.storeUrl, u"sqlite://"_s + QDir::homePath() + u"/.local/share/gasper/gasper.db"_s);
    QCOMPARE(c.dockerSocket, u"/var/run/docker.sock"_s);
    QCOMPARE(c.imageFor(u"python"_s), u"custom/python"_s);
    for (const QString &lang : Config::languages()) {
        QVERIFY(c.images.contains(lang));
        if (lang != u"python")
            QCOMPARE(c.images.value(lang), u"gasper/"_s + lang);
    }
    QCOMPARE(c.sourcesDir(), c.dataDir + u"/sources"_s);
    QCOMPARE(Config::languages().size(), 6);

    qputenv("DOCKER_HOST", "unix:///run/podman/podman.sock");
    Config tilde;
    tilde.dataDir = u"~/gasper-data"_s;
    tilde.applyDefaults();
    QCOMPARE(tilde.dataDir, QDir::homePath() + u"/gasper-data"_s);
    QCOMPARE(tilde.dockerSocket, u"/run/podman/podman.sock"_s);

    Config relative;
    relative.dataDir = u"rel/dir"_s;
    relative.storeUrl = u"postgresql://x@h/db"_s;
    relative.dockerSocket = u"/custom.sock"_s;
    relative.applyDefaults();
    QCOMPARE(relative.dataDir, QDir::current().absoluteFilePath(u"rel/dir"_s));
    QCOMPARE(relative.storeUrl, u"postgresql://x@h/db"_s);
    QCOMPARE(relative.dockerSocket, u"/custom.sock"_s);
}

// ---- app model ---------------------------------------------------------------------

void TestCore::appStateRoundTrips_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("text");
    QTest::newRow("queued") << int(AppState::Queued) << u"queued"_s;
    QTest::newRow("cloning") << int(AppState::Cloning) << u"cloning"_s;
    QTest::newRow("building") << int(AppState::Building) << u"building"_s;
    QTest::newRow("starting") << int(AppState::Starting) << u"starting"_s;
    QTest::newRow("running") << int(AppState::Running) << u"running"_s;
    QTest::newRow("restarting") << int(AppState::Restarting) << u"restarting"_s;
    QTest::newRow("failed") << int(AppState::Failed) << u"failed"_s;
    QTest::newRow("stopped") << int(AppState::Stopped) << u"stopped"_s;
}

void TestCore::appStateRoundTrips()
{
    QFETCH(int, state);
    QFETCH(QString, text);
    const auto s = AppState(state);
    QCOMPARE(toString(s), text);
    const auto back = appStateFromString(text);
    QVERIFY(back.has_value());
    QCOMPARE(int(*back), state);
}

void TestCore::unknownAppStateIsRejected_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("capitalised") << u"Running"_s;
    QTest::newRow("padded") << u" running"_s;
    QTest::newRow("prefix") << u"runnin"_s;
    QTest::newRow("other") << u"deleted"_s;
}

void TestCore::unknownAppStateIsRejected()
{
    QFETCH(QString, text);
    QVERIFY(!appStateFromString(text).has_value());
}

// ---- Future ------------------------------------------------------------------------

// QPromise::finish() is two steps: set Finished, then run the stored continuation. Qt 6.4's
// QFuture::then() attached between the two runs its continuation twice, the second time with
// a moved-from promise (a crash seen in gasperd under ASan). The finishing thread is held in
// exactly that window here.
void TestCore::futureThenRunsOnceWhenFinishedWhileAttaching()
{
    struct Interface : QFutureInterface<int>
    {
        using QFutureInterfaceBase::runContinuation;
    };
    Interface promise;
    promise.reportStarted();
    QSemaphore finished;
    QSemaphore attached;
    std::unique_ptr<QThread> producer(QThread::create([&] {
        promise.reportResult(42);
        promise.QFutureInterfaceBase::reportFinished();  // QPromise::finish(), first step
        finished.release();
        attached.acquire();
        promise.runContinuation();  // second step
    }));
    producer->start();
    finished.acquire();
    QObject context;
    QList<int> calls;
    Future<int>(promise.future()).then(&context, [&calls](int value) { calls << value; });
    attached.release();
    QVERIFY(producer->wait(10000));
    QTRY_COMPARE(calls, QList<int>{42});
    QTest::qWait(50);  // a second call would also come from the event loop
    QCOMPARE(calls, QList<int>{42});
}

void TestCore::futureThenSkipsADestroyedContext()
{
    QPromise<int> promise;
    promise.start();
    bool called = false;
    auto context = std::make_unique<QObject>();
    const QFuture<void> continuation =
        Future<int>(promise.future()).then(context.get(), [&called](int) { called = true; });
    context.reset();
    promise.addResult(1);
    promise.finish();
    QTest::qWait(50);
    QVERIFY(!called);
    QVERIFY(continuation.isCanceled());
}

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
