// SPDX-License-Identifier: MIT
#include "master/StreamsApi.h"

#include "http/HttpServer.h"
#include "master/EventHub.h"


using namespace Qt::StringLiterals;

namespace gasper::master {

void StreamsApi::addRoutes(Router &r)
{
    r.add("GET", u"/api/v1/events"_s, Access::TokenOrQuery, this, &StreamsApi::events);
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
