// SPDX-License-Identifier: MIT
#pragma once

#include "http/HttpMessage.h"

#include <QHash>

#include <optional>

namespace gasper::master {

// Serves the browser dashboard that is compiled into gasperd as Qt resources (:/web,
// built from resources/web). Loaded once at construction, answered from memory:
// - each asset at /assets/<name> (Cache-Control: no-cache, with an ETag) and at
//   /assets/<stem>.<hash>.<ext>, named by its content's SHA-256, which never changes and
//   is cached for a year (immutable); index.html is rewritten to use the hashed names;
// - index.html (no-cache) for "/" and every client-side route (SPA fallback): any GET
//   whose path is outside /api/ and /assets/ and whose last segment has no dot;
// - a Content-Security-Policy on every answer: no inline script, no inline style but
//   <style> elements with the nonce that each page answer carries (fresh each time, also
//   in the page's <meta name="csp-nonce">); nosniff, no framing; assets deflated when the
//   client accepts it, If-None-Match on an asset gives 304.
// serve() answers nullopt for what is not the dashboard's (API paths, other methods),
// so the caller keeps its JSON 404/405 there. Without the resources (a build without
// the web component) every dashboard path is a 404 that says so.
class WebAssets final
{
public:
    WebAssets();

    std::optional<http::Response> serve(const http::Request &request) const;
    bool hasDashboard() const { return m_index.has_value(); }
    // The hashed path of an asset ("app.js" → "/assets/app.1a2b3c4d5e6f.js"), for tests.
    QByteArray hashedPath(const QByteArray &name) const { return m_hashedNames.value(name); }

    // The policy of every answer; the page's names the nonce its <style> elements carry.
    static QByteArray contentSecurityPolicy(const QByteArray &styleNonce = {});

private:
    struct Asset
    {
        QByteArray body;
        QByteArray deflated;  // empty when deflate does not make it smaller
        QByteArray contentType;
        QByteArray etag;
        bool immutable = false;
    };
    static Asset makeAsset(QByteArray body, QByteArray contentType, bool immutable);
    http::Response answer(const http::Request &request, const Asset &asset) const;

    QHash<QByteArray, Asset> m_assets;  // by URL path
    QHash<QByteArray, QByteArray> m_hashedNames;
    std::optional<QByteArray> m_index;  // index.html with the hashed asset names
};

} // namespace gasper::master
