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
constexpr int kMaxCommandBytes = 16 * 1024;

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
    apps::ShellOptions options;
    options.cols = *cols;
    options.rows = *rows;
    options.command = call->queryValue(u"command"_s);
    if (options.command.toUtf8().size() > kMaxCommandBytes || options.command.contains(QChar(0)))
        return call->fail(u"invalid-query"_s, u"command must be at most %1 bytes, without NUL"_s.arg(kMaxCommandBytes));
    const QString tty = call->queryValue(u"tty"_s);
    if (tty != u"" && tty != u"1" && tty != u"0")
        return call->fail(u"invalid-query"_s, u"tty must be 1 (a terminal, the default) or 0 (plain pipes)"_s);
    options.tty = tty != u"0";
    withOwnedApp(call, [this, call, options](const store::AppRecord &app) {
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

        // The session is the socket's child: the socket's end deletes it, which ends the shell.
        apps::ShellSession *shell = m_ctx.worker->openShell(app.spec.name, options, ws);
        auto paused = std::make_shared<bool>(false);

        // Without a terminal, stdout and stderr stay apart: each binary frame starts with its
        // channel byte (1 stdout, 2 stderr), as Kubernetes' exec channels do.
        const bool tty = options.tty;
        connect(shell, &apps::ShellSession::output, ws, [ws, shell, paused, tty](const QByteArray &bytes, int channel) {
            ws->sendBinary(tty ? bytes : char(channel) + bytes);
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
            const QJsonObject control = QJsonDocument::fromJson(utf8).object();
            if (control.value(u"eof"_s).toBool()) {
                shell->closeInput();
                return;
            }
            const QJsonArray size = control.value(u"resize"_s).toArray();
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
