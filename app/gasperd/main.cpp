// SPDX-License-Identifier: MIT
// gasperd: runs the Gasper services its config enables (DESIGN.md). One node runs
// them all: master (API), apps worker, proxy.

#include "apps/LocalAppWorker.h"
#include "core/Config.h"
#include "core/Log.h"
#include "docker/DockerClient.h"
#include "master/Kaze.h"
#include "proxy/ProxyServer.h"
#include "proxy/RouteTable.h"
#include "store/AsyncStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace gasper;

namespace {

int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char b = 1;
    [[maybe_unused]] auto n = ::write(g_signalFds[0], &b, 1);
}

// SIGTERM/SIGINT end the event loop cleanly: apps keep running in their
// containers and are re-adopted when gasperd starts again.
void installSignalHandlers(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] {
        char b;
        [[maybe_unused]] auto n = ::read(g_signalFds[1], &b, 1);
        qCInfo(lcCore) << "signal received: stopping (apps keep running)";
        app.quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

int die(const QString &message)
{
    fprintf(stderr, "gasperd: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gasperd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GASPER_VERSION));
    if (qEnvironmentVariableIsEmpty("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                                          "%{if-warning}W%{endif}%{if-critical}E%{endif}%{if-fatal}F%{endif} "
                                          "%{category}: %{message}"));

    // Debug lines only on request (QT_LOGGING_RULES="gasper.*.debug=true").
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Gasper daemon: API, app worker and reverse proxy."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOpt(QStringLiteral("config"), QStringLiteral("TOML config file."), QStringLiteral("FILE"));
    const QCommandLineOption dataOpt(QStringLiteral("data-dir"), QStringLiteral("Data folder (store, sources, secrets)."), QStringLiteral("DIR"));
    const QCommandLineOption apiOpt(QStringLiteral("api"), QStringLiteral("API listen address."), QStringLiteral("ADDR:PORT"));
    const QCommandLineOption proxyOpt(QStringLiteral("proxy"), QStringLiteral("Proxy listen address."), QStringLiteral("ADDR:PORT"));
    const QCommandLineOption dnsOpt(QStringLiteral("dns"), QStringLiteral("DNS listen address."), QStringLiteral("ADDR:PORT"));
    const QCommandLineOption sshOpt(QStringLiteral("ssh"), QStringLiteral("SSH listen address."), QStringLiteral("ADDR:PORT"));
    const QCommandLineOption storeOpt(QStringLiteral("store"), QStringLiteral("Store URL (sqlite:///path or postgresql://…)."), QStringLiteral("URL"));
    const QCommandLineOption dockerOpt(QStringLiteral("docker-socket"), QStringLiteral("Docker engine socket."), QStringLiteral("PATH"));
    parser.addOptions({configOpt, dataOpt, apiOpt, proxyOpt, dnsOpt, sshOpt, storeOpt, dockerOpt});
    parser.process(app);

    auto loaded = Config::load(parser.value(configOpt));
    if (!loaded)
        return die(loaded.error().message);
    Config config = *loaded;
    if (parser.isSet(dataOpt))
        config.dataDir = parser.value(dataOpt);
    if (parser.isSet(storeOpt))
        config.storeUrl = parser.value(storeOpt);
    if (parser.isSet(dockerOpt))
        config.dockerSocket = parser.value(dockerOpt);
    for (const auto &[option, target] : {std::pair{&apiOpt, &config.api}, std::pair{&proxyOpt, &config.proxy},
                                         std::pair{&dnsOpt, &config.dns}, std::pair{&sshOpt, &config.ssh}}) {
        if (!parser.isSet(*option))
            continue;
        auto endpoint = Endpoint::parse(parser.value(*option));
        if (!endpoint)
            return die(QStringLiteral("--%1: %2").arg(option->names().constFirst(), endpoint.error().message));
        *target = *endpoint;
    }
    config.applyDefaults();

    if (!QDir().mkpath(config.sourcesDir()))
        return die(QStringLiteral("cannot create the data folder %1").arg(config.dataDir));
    QFile::setPermissions(config.dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QLockFile lock(config.dataDir + QStringLiteral("/gasperd.lock"));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(100))
        return die(QStringLiteral("another gasperd uses the data folder %1").arg(config.dataDir));

    installSignalHandlers(app);

    auto store = store::AsyncStore::open(config.storeUrl, config.dataDir + QStringLiteral("/secret.key"));
    if (!store)
        return die(QStringLiteral("store: %1").arg(store.error().message));

    auto *docker = new docker::DockerClient(config.dockerSocket, &app);
    docker->ping(&app, [socket = config.dockerSocket](Result<void> ok) {
        if (!ok)
            qCCritical(lcCore).noquote() << "Docker engine:" << ok.error().message
                                         << "— deploys fail until it answers on" << socket;
    });

    proxy::RouteTable routes;
    std::unique_ptr<proxy::ProxyServer> proxyServer;
    if (config.services.contains(QStringLiteral("proxy"))) {
        for (const StaticRoute &r : config.staticRoutes) {
            const Endpoint upstream = *Endpoint::parse(r.upstream);
            routes.setUpstream(r.host, upstream.host, upstream.port);
        }
        proxyServer = std::make_unique<proxy::ProxyServer>(&routes);
        proxyServer->setConnectionLimits(http::ConnectionLimits::from(config.proxyLimits));
        proxyServer->setUpstreamConnectTimeout(config.upstreamConnectTimeoutSec * 1000);
        proxyServer->setUpstreamResponseTimeout(config.upstreamResponseTimeoutSec * 1000);
        if (auto ok = proxyServer->setTrustedProxies(config.trustedProxies); !ok)
            return die(ok.error().message);
        if (auto ok = proxyServer->listen(QHostAddress(config.proxy.host), config.proxy.port); !ok)
            return die(QStringLiteral("proxy on %1: %2").arg(config.proxy.toString(), ok.error().message));
    }

    apps::LocalAppWorker worker(docker, config);
    worker.startSupervision();

    master::Kaze kaze(config, store->get(), &worker, &routes);
    if (proxyServer) {
        kaze.setMetricsSource([p = proxyServer.get()] { return p->stats().toPrometheus(); });
    }
    if (auto ok = kaze.listen(); !ok)
        return die(QStringLiteral("API on %1: %2").arg(config.api.toString(), ok.error().message));
    kaze.start();

    const QString apiUrl = QStringLiteral("http://%1").arg(Endpoint{config.api.host, kaze.serverPort()}.toString());
    printf("gasperd %s ready\n  API    %s\n  proxy  %s (apps at http://<app>.%s:%u/)\n  data   %s\n  store  %s\n",
           GASPER_VERSION, qPrintable(apiUrl),
           proxyServer ? qPrintable(QStringLiteral("http://%1").arg(Endpoint{config.proxy.host, proxyServer->serverPort()}.toString()))
                       : "off",
           qPrintable(config.domain), unsigned(proxyServer ? proxyServer->serverPort() : config.proxy.port),
           qPrintable(config.dataDir), (*store)->engine() == u"sqlite" ? "sqlite" : "postgresql");
    fflush(stdout);

    const int code = app.exec();
    return code;
}
