// SPDX-License-Identifier: MIT
#include "master/LogsApi.h"

#include "apps/AppWorker.h"
#include "http/HttpServer.h"
#include "master/ApiSupport.h"
#include "master/AppStates.h"
#include "master/DeployLogWriter.h"
#include "store/AsyncStore.h"

#include <QJsonArray>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

bool flag(const QUrlQuery &query, const QString &key)
{
    const QString v = query.queryItemValue(key, QUrl::FullyDecoded);
    return v == u"1" || v == u"true";
}

QByteArray attachment(const QString &file)
{
    return "attachment; filename=\"" + file.toUtf8() + '"';
}

} // namespace

void LogsApi::addRoutes(Router &r)
{
    r.add("GET", u"/api/v1/apps/{name}/logs"_s, Access::TokenOrQuery, this, &LogsApi::appLog);
    r.add("GET", u"/api/v1/apps/{name}/deploys/{deploy}/log"_s, Access::Token, this, &LogsApi::deployLog);
}

Result<apps::LogQuery> LogsApi::parseQuery(const QUrlQuery &q, const QDateTime &now)
{
    apps::LogQuery query;
    const auto value = [&q](const QString &key) { return q.queryItemValue(key, QUrl::FullyDecoded); };
    bool ok = true;
    const QString tailText = value(u"tail"_s);
    if (tailText == u"all")
        query.tail = -1;
    else if (!tailText.isEmpty())
        query.tail = tailText.toInt(&ok);
    if (!ok || query.tail < -1 || query.tail > 100000)
        return fail(u"invalid-query"_s, u"tail must be a number from 0 to 100000, or all"_s);
    query.follow = flag(q, u"follow"_s);
    query.timestamps = flag(q, u"timestamps"_s);
    query.regex = flag(q, u"regex"_s);
    query.grep = value(u"grep"_s);
    if (query.grep.size() > 1000)
        return fail(u"invalid-query"_s, u"grep may be at most 1000 characters"_s);
    if (query.regex && !query.grep.isEmpty()) {
        QString why;
        if (!apps::LogFilter::compile(query.grep, &why))
            return fail(u"invalid-query"_s, u"grep is not a valid regular expression: "_s + why);
    }
    if (const QString since = value(u"since"_s); !since.isEmpty()) {
        if (const auto ago = apps::parseDurationMs(since)) {
            query.sinceMs = now.toMSecsSinceEpoch() - *ago;
        } else {
            QDateTime at = QDateTime::fromString(since, Qt::ISODateWithMs);
            if (!at.isValid())
                at = QDateTime::fromString(since, Qt::ISODate);
            if (!at.isValid())
                return fail(u"invalid-query"_s,
                            u"since must be an ISO 8601 time (2026-11-27T10:00:00Z) or a duration ago (90s, 10m, 2h, 3d)"_s);
            query.sinceMs = at.toMSecsSinceEpoch();
        }
        query.sinceMs = std::max<qint64>(query.sinceMs, 1);
    }
    if (const QString deploy = value(u"deploy"_s); !deploy.isEmpty()) {
        query.deploy = deploy.toInt(&ok);
        if (!ok || query.deploy < 1)
            return fail(u"invalid-query"_s, u"deploy must be a deploy number (1, 2, …)"_s);
    }
    return query;
}

void LogsApi::appLog(const CallPtr &call)
{
    auto parsed = parseQuery(call->query(), QDateTime::currentDateTimeUtc());
    if (!parsed)
        return call->fail(parsed.error());
    apps::LogQuery query = *parsed;
    const bool download = flag(call->query(), u"download"_s);
    if (download)
        query.follow = false;  // a file ends
    withOwnedApp(call, [this, call, query, download](const store::AppRecord &app) {
        const QString name = app.spec.name;
        if (query.deploy == 0)
            return liveLog(call, name, query, download);
        // A replaced deploy's output, kept when its container was retired; else the live one's.
        m_ctx.store->run([name, n = query.deploy](store::Store &s) { return s.appLog(name, n); })
            .then(this, [this, call, name, query, download](const Result<QByteArray> &kept) {
                if (!kept) {
                    if (kept.error().code == u"not-found")
                        return liveLog(call, name, query, download);
                    return call->fail(kept.error());
                }
                apps::LogFilter filter(query);
                filter.keepLast(query.tail);
                QByteArray text = filter.feed(*kept);
                text += filter.finish();
                if (download)
                    call->setHeader("Content-Disposition", attachment(u"%1-deploy-%2.log"_s.arg(name).arg(query.deploy)));
                call->finish(Answer::text(text));
            });
    });
}

void LogsApi::liveLog(const CallPtr &call, const QString &name, const apps::LogQuery &query, bool download)
{
    http::HttpResponder *responder = call->responder();
    if (!responder)
        return;  // the client went away
    if (m_ctx.states->value(name).runtime.containerId.isEmpty())
        return call->fail(u"not-deployed"_s, u"'%1' has no container yet: nothing has logged"_s.arg(name));
    if (!m_ctx.worker)
        return call->fail(u"internal-error"_s, u"no app worker"_s);
    const bool follow = query.follow;
    apps::LogStream *stream = m_ctx.worker->logs(name, query, responder);
    auto collected = std::make_shared<QByteArray>();
    // A followed stream starts at once (a quiet app still shows a live stream); a
    // plain one is answered whole once the worker has sent everything.
    auto begin = [call] {
        if (call->isFinished() || !call->responder())
            return;
        http::Headers headers;
        headers.set("Content-Type", "text/plain; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        call->responder()->beginStream(200, headers);
        call->finish(Answer::takenOver(200));
    };
    if (follow)
        QTimer::singleShot(0, responder, begin);
    connect(stream, &apps::LogStream::data, responder, [call, follow, begin, collected](const QByteArray &d) {
        if (!follow) {
            collected->append(d);
            return;
        }
        begin();
        if (call->responder())
            call->responder()->writeChunk(d);
    });
    connect(stream, &apps::LogStream::finished, responder,
            [call, follow, collected, download, name, deploy = query.deploy](const Result<void> &r) {
                if (!call->responder())
                    return;
                if (call->isFinished()) {
                    call->responder()->endStream();
                    return;
                }
                if (!r && !follow)
                    return call->fail(r.error());
                if (download)
                    call->setHeader("Content-Disposition",
                                    attachment(deploy > 0 ? u"%1-deploy-%2.log"_s.arg(name).arg(deploy) : u"%1.log"_s.arg(name)));
                call->finish(Answer::text(*collected));
            });
}

void LogsApi::deployLog(const CallPtr &call)
{
    bool ok = false;
    const int number = call->param(u"deploy"_s).toInt(&ok);
    const QString format = call->queryValue(u"format"_s);
    if (!format.isEmpty() && format != u"text" && format != u"json")
        return call->fail(u"invalid-query"_s, u"format must be text or json"_s);
    const bool download = flag(call->query(), u"download"_s);
    withOwnedApp(call, [this, call, ok, number, format, download](const store::AppRecord &app) {
        if (!ok || number < 1)
            return call->fail(u"not-found"_s, u"no such deploy"_s);
        // Lines still queued go first; the store runs tasks in order, so the read sees them.
        m_ctx.states->deployLogs()->flush();
        const QString name = app.spec.name;
        m_ctx.store->run([name, number](store::Store &s) { return s.deployLog(name, number); })
            .then(this, [call, name, number, format, download](const Result<QList<store::DeployLogLine>> &lines) {
                if (!lines)
                    return call->fail(lines.error());
                if (download)
                    call->setHeader("Content-Disposition", attachment(u"%1-deploy-%2-build.log"_s.arg(name).arg(number)));
                if (format == u"json") {
                    QJsonArray array;
                    for (const store::DeployLogLine &l : *lines)
                        array.append(QJsonObject{{u"at"_s, isoTime(l.at)}, {u"stream"_s, l.stream}, {u"line"_s, l.line}});
                    return call->finish(
                        Answer::json(200, QJsonObject{{u"app"_s, name}, {u"deploy"_s, number}, {u"lines"_s, array}}));
                }
                QByteArray text;
                for (const store::DeployLogLine &l : *lines) {
                    text += l.line.toUtf8();
                    text += '\n';
                }
                call->finish(Answer::text(text));
            });
    });
}

} // namespace gasper::master
