// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gasper {

struct Endpoint
{
    QString host;
    quint16 port = 0;
    QString toString() const;
    static Result<Endpoint> parse(const QString &text);  // "ADDR:PORT", "[::1]:PORT"
};

// Limits of the SSH service (Iwa), modelled on OpenSSH's sshd_config, because libssh
// enforces none of them itself.
struct SshSettings
{
    int loginGraceSec = 30;      // LoginGraceTime: key exchange + authentication
    int maxAuthTries = 6;        // MaxAuthTries per connection
    // MaxStartups start:rate:full — above `startupsBegin` unauthenticated connections a new one
    // is dropped with probability rate% rising linearly to 100% at `startupsFull`.
    int startupsBegin = 10;
    int startupsRate = 30;
    int startupsFull = 100;
    int maxPerSource = 10;       // connections at once from one source address
    int maxSessions = 200;       // connections at once in total
    int idleTimeoutSec = 3600;   // no byte either way for this long ends a session; 0: never
    int maxFailedLogins = 10;    // failed logins per app and per source within the window…
    int failedLoginWindowSec = 300;  // …lock that app / that source out for the window
};

// How much output is kept per deploy ([logs]). Deploy lines live in the store, written in
// batches at least every second and at the end of each deploy; a retired container's own
// output (the app log of a deploy a rebuild replaced) is captured before it is removed.
struct LogSettings
{
    int deployLogLines = 10000;  // deploy_log_lines: lines of build/run/platform output per deploy…
    int deployLogKb = 1024;      // deploy_log_kb: …and at most this much (the oldest lines go first)
    int deployLogsKept = 20;     // deploy_logs_kept: deploys per app whose output is kept
    int appLogKb = 512;          // app_log_kb: the end of a retired container's output kept
    int appLogsKept = 5;         // app_logs_kept: retired deploys per app whose app log is kept
    int flushIntervalMs = 1000;  // flush_interval_ms: the longest a deploy line waits for the store
};

struct StaticRoute
{
    QString host;      // "name.localhost"
    QString upstream;  // "127.0.0.1:9000"
};

// Caps and deadlines of one listener (the API, the proxy); gasper_http's ConnectionLimits
// in the units of the config file.
struct ListenerLimits
{
    int maxConnections = 512;
    int maxPerSource = 64;
    int headTimeoutSec = 10;  // the whole request head, from its first byte
    int idleTimeoutSec = 60;  // keep-alive wait; longest pause inside a request body
    int sendTimeoutSec = 30;  // a peer whose queued bytes do not move this long is dropped
    int maxQueuedKb = 4096;   // still queued for a peer when more is written: dropped
};

// Every setting of gasperd with its embedded default (packaging/gasper.toml lists
// them all). Loaded from TOML, then command-line flags override single keys.
struct Config
{
    QString dataDir;  // default ~/.local/share/gasper
    QStringList services{QStringLiteral("master"), QStringLiteral("apps"), QStringLiteral("proxy"), QStringLiteral("ssh")};

    Endpoint api{QStringLiteral("127.0.0.1"), 3000};
    Endpoint proxy{QStringLiteral("127.0.0.1"), 8080};
    Endpoint dns{QStringLiteral("127.0.0.1"), 5353};
    Endpoint ssh{QStringLiteral("127.0.0.1"), 2222};

    QString storeUrl;      // default sqlite:///<dataDir>/gasper.db
    QString dockerSocket;  // default: DOCKER_HOST (unix://), else /var/run/docker.sock

    QString domain = QStringLiteral("localhost");  // apps answer at <app>.<domain>
    QString dnsZone = QStringLiteral("gasper.localhost");
    QString nodeName = QStringLiteral("local");  // shown; [node] name
    bool nodeNameSet = false;                      // [node] name given explicitly
    // What this gasperd's containers carry (label gasper.node-id): made once, random, kept
    // in <dataDir>/node-id (loadNodeId()), so two gasperd on one engine never take each
    // other's containers for strays, whatever their names.
    QString nodeId;

    QHash<QString, QString> images;  // language -> image; defaults gasper/<language>
    int defaultMemoryMb = 512;
    double defaultCpus = 1.0;
    int maxMemoryMb = 4096;
    double maxCpus = 2.0;
    int defaultAppPort = 8080;
    int healthTimeoutSec = 60;
    int buildTimeoutSec = 900;
    int tokenTtlHours = 24 * 30;
    int maxAppsPerUser = 50;
    int metricsIntervalSec = 5;  // [apps] metrics_interval_s: app and node samples; 0 = sampler off
    // Push to deploy: the API's address as GitHub/GitLab/Gitea reach it, for webhook URLs
    // ([api] public_url, e.g. "https://gasper.example.com"); empty: from the caller's Host.
    QString publicUrl;
    int hookPollMinSec = 30;  // [apps] hook_poll_min_s: the shortest branch-polling period

    QList<StaticRoute> staticRoutes;
    SshSettings sshSettings;
    LogSettings logs;  // [logs]

    ListenerLimits apiLimits;                    // [api]
    ListenerLimits proxyLimits{4096, 256, 10, 60, 60, 4096};  // [proxy]
    int webSocketPingSec = 20;                   // [api] websocket_ping_s
    int webSocketMaxMessageKb = 1024;            // [api] websocket_max_message_kb
    int upstreamConnectTimeoutSec = 5;           // [proxy] upstream_connect_timeout_s (then 502)
    int upstreamResponseTimeoutSec = 60;         // [proxy] upstream_response_timeout_s (then 504)
    QStringList trustedProxies;                  // [proxy] trusted_proxies: addresses or ADDR/BITS

    static QStringList languages();
    static Result<Config> fromToml(const QString &text, const QString &origin = {});
    static Result<Config> load(const QString &path);  // empty path: the defaults
    void applyDefaults();  // fill dataDir, storeUrl, dockerSocket, images when unset
    // The engine as the docker CLI finds it: DOCKER_HOST (unix://…), else /var/run/docker.sock.
    static QString defaultDockerSocket();
    QString imageFor(const QString &language) const;
    QString sourcesDir() const;  // <dataDir>/sources
    // Reads <dataDir>/node-id into nodeId, creating it (16 random bytes, hex, mode 0600) on
    // first start. Call after applyDefaults(), once the data folder exists.
    Result<void> loadNodeId();
};

} // namespace gasper
