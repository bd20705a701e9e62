// SPDX-License-Identifier: MIT
#include "RemoteShell.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>

#include <cerrno>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

namespace {

// Blocking: a slow reader of our stdout slows us, and through TCP the remote process.
void writeAll(int fd, const char *data, qsizetype size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;  // stdout closed (`| head`): drop the rest
        data += n;
        size -= n;
    }
}

} // namespace

RemoteShell::RemoteShell(QUrl url, QString token, bool tty, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_token(std::move(token)), m_tty(tty)
{
    // One frame of output is at most what the server read at once; a generous cap guards
    // against a broken peer.
    m_socket.setMaxAllowedIncomingMessageSize(16 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::connected, this, &RemoteShell::onConnected);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &RemoteShell::onBinary);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &RemoteShell::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, &RemoteShell::onDisconnected);
    connect(&m_socket, &QWebSocket::bytesWritten, this, [this](qint64) {
        if (m_stdinPaused && m_socket.bytesToWrite() < kHighWater / 4 && m_stdin) {
            m_stdinPaused = false;
            m_stdin->setEnabled(true);
        }
    });
}

RemoteShell::~RemoteShell() = default;

void RemoteShell::start()
{
    QNetworkRequest request(m_url);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_socket.open(request);
}

void RemoteShell::resize(int cols, int rows)
{
    if (m_connected && m_tty)
        m_socket.sendTextMessage(u"{\"resize\":[%1,%2]}"_s.arg(cols).arg(rows));
}

void RemoteShell::hangUp()
{
    if (!m_error && !m_exit)
        m_error = Error{u"interrupted"_s, u"the session was interrupted"_s};
    m_socket.close();
}

void RemoteShell::onConnected()
{
    m_connected = true;
    m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdin, &QSocketNotifier::activated, this, &RemoteShell::readStdin);
}

void RemoteShell::readStdin()
{
    char buffer[16384];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        // EOF (or an unreadable stdin): the remote side reads end of input, output goes on.
        m_stdin->setEnabled(false);
        m_stdin->deleteLater();
        m_stdin = nullptr;
        m_socket.sendTextMessage(u"{\"eof\":true}"_s);
        return;
    }
    m_socket.sendBinaryMessage(QByteArray(buffer, n));
    if (m_socket.bytesToWrite() > kHighWater) {
        m_stdinPaused = true;
        m_stdin->setEnabled(false);
    }
}

void RemoteShell::onBinary(const QByteArray &frame)
{
    if (m_tty) {
        writeAll(STDOUT_FILENO, frame.constData(), frame.size());
        return;
    }
    if (frame.isEmpty())
        return;
    const int fd = frame.at(0) == 2 ? STDERR_FILENO : STDOUT_FILENO;
    writeAll(fd, frame.constData() + 1, frame.size() - 1);
}

void RemoteShell::onText(const QString &text)
{
    const QJsonObject control = QJsonDocument::fromJson(text.toUtf8()).object();
    if (const QJsonValue exit = control.value(u"exit"_s); exit.isDouble())
        m_exit = exit.toInt();
    const QJsonObject error = control.value(u"error"_s).toObject();
    if (!error.isEmpty())
        m_error = Error{error.value(u"code"_s).toString(u"terminal-error"_s), error.value(u"message"_s).toString()};
}

void RemoteShell::onDisconnected()
{
    if (m_exit)
        return finish(*m_exit);
    if (m_error)
        return finish(std::unexpected(*m_error));
    if (!m_connected)
        return finish(fail(u"unreachable"_s, u"could not open the terminal at %1: %2"_s.arg(
                                                 m_url.adjusted(QUrl::RemoveQuery).toString(), m_socket.errorString())));
    finish(fail(u"terminal-closed"_s, u"the terminal closed without an exit status (code %1)"_s.arg(int(m_socket.closeCode()))));
}

void RemoteShell::finish(Result<int> result)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_stdin)
        m_stdin->setEnabled(false);
    emit finished(result);
}

} // namespace gasper::ctl
