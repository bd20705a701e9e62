// SPDX-License-Identifier: MIT
#include "proxy/RouteTable.h"

#include "core/Log.h"

#include <algorithm>

namespace gasper::proxy {

RouteTable::RouteTable(QObject *parent)
    : QObject(parent)
{
}

RouteTable::~RouteTable() = default;

QString RouteTable::normalizeHost(QStringView host)
{
    host = host.trimmed();
    if (host.startsWith(u'[')) {
        const qsizetype close = host.indexOf(u']');
        if (close > 0)
            host = host.left(close + 1);
    } else {
        // Only one colon can be a port separator; a bare IPv6 address is left alone.
        const qsizetype colon = host.indexOf(u':');
        if (colon >= 0 && host.lastIndexOf(u':') == colon)
            host = host.left(colon);
    }
    if (host.endsWith(u'.'))
        host.chop(1);
    return host.toString().toLower();
}

void RouteTable::setUpstream(const QString &host, const QString &address, quint16 port)
{
    const QString key = normalizeHost(host);
    Route route;
    route.kind = Route::Kind::Upstream;
    route.address = address;
    route.port = port;
    m_routes.insert(key, route);
    qCInfo(lcProxy).noquote() << "route" << key << "->" << address << port;
    emit changed(key);
}

void RouteTable::setUnavailable(const QString &host, int status, const QString &message)
{
    const QString key = normalizeHost(host);
    Route route;
    route.kind = Route::Kind::Unavailable;
    route.status = (status >= 400 && status <= 599) ? status : 503;
    route.message = message;
    m_routes.insert(key, route);
    qCInfo(lcProxy).noquote() << "route" << key << "unavailable" << route.status;
    emit changed(key);
}

void RouteTable::remove(const QString &host)
{
    const QString key = normalizeHost(host);
    if (m_routes.remove(key) > 0) {
        qCInfo(lcProxy).noquote() << "route" << key << "removed";
        emit changed(key);
    }
}

std::optional<RouteTable::Route> RouteTable::find(QStringView hostHeader) const
{
    const auto it = m_routes.constFind(normalizeHost(hostHeader));
    if (it == m_routes.constEnd())
        return std::nullopt;
    return *it;
}

QStringList RouteTable::hosts() const
{
    QStringList list = m_routes.keys();
    std::sort(list.begin(), list.end());
    return list;
}

} // namespace gasper::proxy
