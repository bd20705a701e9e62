// SPDX-License-Identifier: MIT
#include "LogStream.h"

#include "ApiClient.h"

#include <QCoreApplication>
#include <QFile>
#include <QNetworkReply>
#include <QSaveFile>
#include <QThreadPool>

namespace gasper::console {

LogStream::LogStream(ApiClient *api, QString app, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_app(std::move(app))
    , m_lines(5000)
{
}

LogStream::~LogStream()
{
    stop();
}

QString LogStream::path(bool forDownload) const
{
    QStringList q;
    const auto enc = [](const QString &v) { return QString::fromLatin1(QUrl::toPercentEncoding(v)); };
    q << (forDownload ? QStringLiteral("tail=all&download=1") : QStringLiteral("tail=200"));
    if (!forDownload && m_deploy == 0)
        q << QStringLiteral("follow=1");
    if (!m_search.isEmpty()) {
        q << QStringLiteral("grep=") + enc(m_search);
        if (m_regex)
            q << QStringLiteral("regex=1");
    }
    if (!m_since.isEmpty())
        q << QStringLiteral("since=") + enc(m_since);
    if (m_timestamps)
        q << QStringLiteral("timestamps=1");
    if (m_deploy > 0)
        q << QStringLiteral("deploy=") + QString::number(m_deploy);
    return QStringLiteral("/api/v1/apps/%1/logs?").arg(m_app) + q.join(u'&');
}

void LogStream::changed()
{
    emit queryChanged();
    if (m_wanted)
        start();
}

void LogStream::setSearch(const QString &search)
{
    if (search == m_search)
        return;
    m_search = search;
    changed();
}

void LogStream::setRegex(bool regex)
{
    if (regex == m_regex)
        return;
    m_regex = regex;
    changed();
}

void LogStream::setTimestamps(bool timestamps)
{
    if (timestamps == m_timestamps)
        return;
    m_timestamps = timestamps;
    changed();
}

void LogStream::setSince(const QString &since)
{
    if (since == m_since)
        return;
    m_since = since;
    changed();
}

void LogStream::setDeploy(int deploy)
{
    if (deploy == m_deploy || deploy < 0)
        return;
    m_deploy = deploy;
    changed();
}

void LogStream::download(const QUrl &file)
{
    const QString target = file.isLocalFile() ? file.toLocalFile() : file.toString();
    m_api->get(path(true), this, [this, target](const ApiResult &r) {
        if (!r.ok()) {
            emit downloaded(target, r.errorMessage());
            return;
        }
        // The file is written off the GUI thread; the answer comes back to it.
        QPointer<LogStream> self(this);
        QThreadPool::globalInstance()->start([self, target, body = r.body] {
            QSaveFile out(target);
            QString error;
            if (!out.open(QIODevice::WriteOnly) || out.write(body) != body.size() || !out.commit())
                error = out.errorString();
            QMetaObject::invokeMethod(qApp, [self, target, error] {
                if (self)
                    emit self->downloaded(target, error);
            });
        });
    });
}

void LogStream::start()
{
    stop();
    m_wanted = true;
    m_lines.clear();
    m_error.clear();
    m_reply = m_api->openStream(path());
    QNetworkReply *reply = m_reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() < 400)
            m_lines.appendText(reply->readAll());
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const ApiResult result = ApiClient::resultOf(status, reply->readAll(), reply->error() != QNetworkReply::NoError,
                                                     reply->errorString());
        m_error = result.ok() ? QString() : result.errorMessage();
        reply->deleteLater();
        if (m_reply == reply)
            m_reply = nullptr;
        emit activeChanged();
    });
    emit activeChanged();
}

void LogStream::stop()
{
    m_wanted = false;
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
    emit activeChanged();
}

} // namespace gasper::console
