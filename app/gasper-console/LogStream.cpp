// SPDX-License-Identifier: MIT
#include "LogStream.h"

#include "ApiClient.h"

#include <QNetworkReply>

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

void LogStream::start()
{
    stop();
    m_lines.clear();
    m_error.clear();
    m_reply = m_api->openStream(QStringLiteral("/api/v1/apps/%1/logs?tail=200&follow=1").arg(m_app));
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
