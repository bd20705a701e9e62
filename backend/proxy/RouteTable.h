// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace gasper::proxy {

// Host name -> where the proxy sends its requests. Host names are kept normalized
// (lower case, no trailing dot), so lookups by a raw `Host` header value match
// whatever case or port the client wrote. Owned by, and only touched from, the
// proxy's thread; ProxyServer looks a route up for every request, so a change
// takes effect for the next request (requests already under way finish as routed).
class RouteTable final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RouteTable)

public:
    struct Route
    {
        enum class Kind { Upstream, Unavailable };
        Kind kind = Kind::Upstream;
        QString address;  // Upstream: "127.0.0.1" (or a host name)
        quint16 port = 0;
        int status = 503;  // Unavailable: 503 while deploying (with Retry-After), 502 when down
        QString message;
    };

    explicit RouteTable(QObject *parent = nullptr);
    ~RouteTable() override;

    void setUpstream(const QString &host, const QString &address, quint16 port);
    void setUnavailable(const QString &host, int status, const QString &message);
    void remove(const QString &host);

    // hostHeader as a client sent it: strips ":port" (also after "[v6]"), lower-cases,
    // ignores a trailing dot.
    std::optional<Route> find(QStringView hostHeader) const;
    QStringList hosts() const;

    // The normal form used as key: "MyApp.LOCALHOST.:8080" -> "myapp.localhost".
    static QString normalizeHost(QStringView hostHeader);

signals:
    void changed(const QString &host);

private:
    QHash<QString, Route> m_routes;
};

} // namespace gasper::proxy
