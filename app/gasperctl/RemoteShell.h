// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QObject>
#include <QSocketNotifier>
#include <QUrl>
#include <QWebSocket>

#include <optional>

namespace gasper::ctl {

// One session of WS /api/v1/apps/{name}/terminal for gasperctl: stdin's bytes go out as
// binary frames, output is written to stdout (and, without a TTY, stderr by its channel
// byte), resize() and stdin EOF become the JSON controls. finished() comes once, with the
// remote exit status, or an Error when the session could not start or broke off.
//
// Flow control both ways: stdin is not read while more than kHighWater bytes wait to be
// sent; output is written with blocking writes, so a slow stdout stops us reading the
// socket and the server pauses the process.
class RemoteShell final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteShell)

public:
    static constexpr qint64 kHighWater = 1024 * 1024;

    // `url` is the ws:// or wss:// terminal URL with its query; `token` goes in the header.
    RemoteShell(QUrl url, QString token, bool tty, QObject *parent = nullptr);
    ~RemoteShell() override;

    void start();
    void resize(int cols, int rows);
    void hangUp();  // close the socket: the remote shell ends

signals:
    void finished(const gasper::Result<int> &exitStatus);

private:
    void onConnected();
    void onBinary(const QByteArray &frame);
    void onText(const QString &text);
    void onDisconnected();
    void readStdin();
    void finish(Result<int> result);

    QUrl m_url;
    QString m_token;
    bool m_tty;
    QWebSocket m_socket;
    QSocketNotifier *m_stdin = nullptr;
    bool m_stdinPaused = false;
    bool m_connected = false;
    bool m_finished = false;
    std::optional<int> m_exit;
    std::optional<Error> m_error;
};

} // namespace gasper::ctl
