// SPDX-License-Identifier: MIT
#pragma once

#include "core/AppModel.h"
#include "core/Result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QTcpSocket;

namespace gasper::apps {

// Polls an app's published port until it answers HTTP as its HealthCheck wants (by
// default any status on `/` counts: the app is up) or the deadline passes. A bare TCP
// accept is not enough: Docker's userland proxy accepts before the app listens. An answer
// with the wrong status is retried like no answer; the deadline's error then names the
// path, the expected status and the last one received (`health-failed`), or says that
// nothing answered HTTP (`health-timeout`). Emits finished() exactly once.
class HealthProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HealthProbe)
public:
    HealthProbe(QString address, quint16 port, QString hostHeader, int timeoutMs, QObject *parent = nullptr);
    // Before start(): what counts as healthy (default: any answer on /).
    void setCheck(const HealthCheck &check) { m_check = check; }
    int lastStatus() const { return m_lastStatus; }
    void start();
    void cancel();  // finishes with health-cancelled
    int attempts() const { return m_attempts; }

signals:
    void finished(const gasper::Result<void> &result);

private:
    void attempt();
    void retry();
    void finish(const Result<void> &result);

    QString m_address;
    quint16 m_port;
    QString m_host;
    int m_timeoutMs;
    HealthCheck m_check;
    int m_attempts = 0;
    int m_lastStatus = 0;  // of the last HTTP answer; 0: none yet
    bool m_done = false;
    QElapsedTimer m_clock;
    QTimer m_retry;
    QTimer m_attemptTimeout;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_received;
};

} // namespace gasper::apps
