// SPDX-License-Identifier: MIT
#include "master/TerminalApi.h"

#include "apps/AppWorker.h"
#include "http/HttpServer.h"
#include "master/AppStates.h"
#include "store/Store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

constexpr int kMaxSize = 1000;

// Parses a size query value: empty gives the default, otherwise 1..kMaxSize.
std::optional<int> sizeValue(const QString &text, int fallback)
{
    if (text.isEmpty())
        return fallback;
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok || v < 1 || v > kMaxSize)
        return std::nullopt;
    return v;
}

} // namespace

void TerminalApi::addRoutes(Router &r)
{
    r.add("GET", u"/api/v1/apps/{name}/terminal"_s, Access::TokenOrQuery, this, &TerminalApi::terminal);
}

void TerminalApi::terminal(const CallPtr &call)
{
    const std::optional<int> cols = sizeValue(call->queryValue(u"cols"_s), 80);
    const std::optional<int> rows = sizeValue(call->queryValue(u"rows"_s), 24);
    if (!cols || !rows)
        return call->fail(u"invalid-query"_s, u"cols and rows must be numbers from 1 to %1"_s.arg(kMaxSize));
    withOwnedApp(call, [this, call, cols = *cols, rows = *rows](const store::AppRecord &app) {
        http::HttpResponder *responder = call->responder();
        if (!responder)
            return;  // the client went away
        if (m_ctx.states->value(app.spec.name).runtime.containerId.isEmpty())
            return call->fail(u"not-deployed"_s, u"'%1' has no running container"_s.arg(app.spec.name));
        if (!m_ctx.worker)
            return call->fail(u"internal-error"_s, u"no app worker"_s);
        http::WebSocketConnection *ws = responder->acceptWebSocket();
        if (!ws)
            return call->finish(Answer::takenOver(400));  // the responder answered 400
        call->finish(Answer::takenOver(101));

        apps::ShellOptions options;
        options.cols = cols;
        options.rows = rows;
        // The session is the socket's child: the socket's end deletes it, which ends the shell.
        apps::ShellSession *shell = m_ctx.worker->openShell(app.spec.name, options, ws);
        auto paused = std::make_shared<bool>(false);

        connect(shell, &apps::ShellSession::output, ws, [ws, shell, paused](const QByteArray &bytes) {
            ws->sendBinary(bytes);
            if (!*paused && ws->bytesToWrite() > kHighWater) {
                *paused = true;
                shell->setPaused(true);
            }
        });
        connect(ws, &http::WebSocketConnection::bytesWritten, shell, [ws, shell, paused](qint64) {
            if (*paused && ws->bytesToWrite() < kLowWater) {
                *paused = false;
                shell->setPaused(false);
            }
        });
        connect(ws, &http::WebSocketConnection::binaryMessage, shell,
                [shell](const QByteArray &bytes) { shell->write(bytes); });
        connect(ws, &http::WebSocketConnection::textMessage, shell, [shell](const QByteArray &utf8) {
            const QJsonArray size = QJsonDocument::fromJson(utf8).object().value(u"resize"_s).toArray();
            const int c = size.at(0).toInt();
            const int r = size.at(1).toInt();
            if (size.size() == 2 && c >= 1 && c <= kMaxSize && r >= 1 && r <= kMaxSize)
                shell->resize(c, r);
        });
        connect(shell, &apps::ShellSession::exited, ws, [ws](int code) {
            ws->sendText(QJsonDocument(QJsonObject{{u"exit"_s, code}}).toJson(QJsonDocument::Compact));
            ws->close(1000);
        });
        connect(shell, &apps::ShellSession::failed, ws, [ws](const Error &error) {
            if (error.code == u"terminated")
                return;
            const QJsonObject e{{u"code"_s, error.code}, {u"message"_s, error.message}};
            ws->sendText(QJsonDocument(QJsonObject{{u"error"_s, e}}).toJson(QJsonDocument::Compact));
            ws->close(1011);
        });
        connect(ws, &http::WebSocketConnection::closed, shell, [shell] { shell->terminate(); });
    });
}

} // namespace gasper::master
