// SPDX-License-Identifier: MIT
#include "master/StreamsApi.h"

#include "apps/AppWorker.h"
#include "http/HttpServer.h"
#include "master/AppStates.h"
#include "master/EventHub.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace gasper::master {

void StreamsApi::addRoutes(Router &r)
{
    r.add("GET", u"/api/v1/apps/{name}/logs"_s, Access::TokenOrQuery, this, &StreamsApi::logs);
    r.add("GET", u"/api/v1/events"_s, Access::TokenOrQuery, this, &StreamsApi::events);
}

void StreamsApi::logs(const CallPtr &call)
{
    bool ok = true;
    const QString tailText = call->queryValue(u"tail"_s);
    int tail = 100;
    if (tailText == u"all")
        tail = -1;
    else if (!tailText.isEmpty())
        tail = tailText.toInt(&ok);
    if (!ok || tail < -1 || tail > 100000)
        return call->fail(u"invalid-query"_s, u"tail must be a number from 0 to 100000, or all"_s);
    const QString followText = call->queryValue(u"follow"_s);
    const bool follow = followText == u"1" || followText == u"true";
    withOwnedApp(call, [this, call, tail, follow](const store::AppRecord &app) {
        http::HttpResponder *responder = call->responder();
        if (!responder)
            return;  // the client went away
        if (m_ctx.states->value(app.spec.name).runtime.containerId.isEmpty())
            return call->fail(u"not-deployed"_s,
                              u"'%1' has no container yet: nothing has logged"_s.arg(app.spec.name));
        if (!m_ctx.worker)
            return call->fail(u"internal-error"_s, u"no app worker"_s);
        apps::LogStream *stream = m_ctx.worker->logs(app.spec.name, tail, follow, responder);
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
        connect(stream, &apps::LogStream::finished, responder, [call, follow, collected](const Result<void> &r) {
            if (!call->responder())
                return;
            if (call->isFinished()) {
                call->responder()->endStream();
                return;
            }
            if (!r && !follow)
                return call->fail(r.error());
            call->finish(Answer::text(*collected));
        });
    });
}

void StreamsApi::events(const CallPtr &call)
{
    http::HttpResponder *responder = call->responder();
    if (!responder)
        return;  // the client went away
    http::WebSocketConnection *ws = responder->acceptWebSocket();
    if (!ws)
        return call->finish(Answer::takenOver(400));  // the responder answered 400
    m_ctx.hub->add(ws, call->user().id, call->user().admin);
    call->finish(Answer::takenOver(101));
}

} // namespace gasper::master
