// SPDX-License-Identifier: MIT
#include "apps/HealthProbe.h"

#include <QTcpSocket>

namespace gasper::apps {

namespace {
constexpr int kAttemptTimeoutMs = 2000;
} // namespace

HealthProbe::HealthProbe(QString address, quint16 port, QString hostHeader, int timeoutMs, QObject *parent)
    : QObject(parent), m_address(std::move(address)), m_port(port), m_host(std::move(hostHeader)),
      m_timeoutMs(timeoutMs)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &HealthProbe::attempt);
    // An app that accepts connections but never answers must not stall the probe.
    m_attemptTimeout.setSingleShot(true);
    connect(&m_attemptTimeout, &QTimer::timeout, this, &HealthProbe::retry);
}

void HealthProbe::start()
{
    m_clock.start();
    attempt();
}

void HealthProbe::cancel()
{
    finish(fail(QStringLiteral("health-cancelled"), QStringLiteral("health check cancelled")));
}

void HealthProbe::attempt()
{
    if (m_done)
        return;
    ++m_attempts;
    m_received.clear();
    auto *socket = new QTcpSocket(this);
    m_socket = socket;
    connect(socket, &QTcpSocket::connected, this, [this, socket] {
        socket->write("GET " + m_check.effectivePath().toUtf8() + " HTTP/1.1\r\nHost: " + m_host.toUtf8()
                      + "\r\nUser-Agent: gasper-health\r\nConnection: close\r\n\r\n");
    });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
        m_received += socket->readAll();
        if (m_received.size() < 5)
            return;
        if (!m_received.startsWith("HTTP/")) {
            retry();  // not HTTP (yet): keep trying until the deadline
            return;
        }
        // "HTTP/1.1 200 OK": without a path any answer will do, so no need to wait for the code.
        if (m_check.path.isEmpty() && m_check.status == 0) {
            finish({});
            return;
        }
        const qsizetype space = m_received.indexOf(' ');
        if (space < 0 || m_received.size() < space + 4) {
            if (m_received.size() > 64)
                retry();  // no status line: not an answer we can judge
            return;
        }
        bool ok = false;
        const int status = m_received.mid(space + 1, 3).toInt(&ok);
        m_lastStatus = ok ? status : 0;
        if (ok && m_check.accepts(status))
            finish({});
        else
            retry();
    });
    // Refused, reset, or closed without an answer: the app is not listening yet.
    connect(socket, &QTcpSocket::errorOccurred, this, [this] { retry(); });
    connect(socket, &QTcpSocket::disconnected, this, [this] { retry(); });
    socket->connectToHost(m_address, m_port);
    m_attemptTimeout.start(kAttemptTimeoutMs);
}

void HealthProbe::retry()
{
    if (m_done)
        return;
    m_attemptTimeout.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    if (m_clock.elapsed() >= m_timeoutMs) {
        if (m_lastStatus != 0) {
            finish(fail(QStringLiteral("health-failed"),
                        QStringLiteral("health check GET %1 expected %2, got %3 (for %4 s)")
                            .arg(m_check.effectivePath(), m_check.expectedText())
                            .arg(m_lastStatus)
                            .arg(m_timeoutMs / 1000)));
            return;
        }
        finish(fail(QStringLiteral("health-timeout"),
                    QStringLiteral("the app did not answer HTTP (GET %1) on port %2 within %3 s")
                        .arg(m_check.effectivePath())
                        .arg(m_port)
                        .arg(m_timeoutMs / 1000)));
        return;
    }
    // Fast at first (a typical app is up within 100 ms), then back off to 200 ms.
    const int delay = m_attempts < 20 ? 10 : (m_attempts < 60 ? 50 : 200);
    if (!m_retry.isActive())
        m_retry.start(delay);
}

void HealthProbe::finish(const Result<void> &result)
{
    if (m_done)
        return;
    m_done = true;
    m_retry.stop();
    m_attemptTimeout.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    emit finished(result);
}

} // namespace gasper::apps
