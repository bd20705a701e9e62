// SPDX-License-Identifier: MIT
#include "master/WebAssets.h"

#include "core/Log.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#ifdef GASPER_HAVE_WEB
#include "WebResources.h"
#endif

namespace gasper::master {

namespace {

QByteArray contentTypeFor(const QString &file)
{
    static const QHash<QString, QByteArray> types{
        {QStringLiteral("html"), "text/html; charset=utf-8"},
        {QStringLiteral("js"), "text/javascript; charset=utf-8"},
        {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("svg"), "image/svg+xml"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("json"), "application/json"},
        {QStringLiteral("txt"), "text/plain; charset=utf-8"},
        {QStringLiteral("map"), "application/json"},
    };
    return types.value(file.section(u'.', -1), "application/octet-stream");
}

bool acceptsDeflate(const http::Request &request)
{
    for (const QByteArray &field : request.headers.values("Accept-Encoding")) {
        for (const QByteArray &part : field.split(',')) {
            const QList<QByteArray> tokens = part.trimmed().split(';');
            if (tokens.value(0).trimmed().compare("deflate", Qt::CaseInsensitive) != 0)
                continue;
            const QByteArray q = tokens.value(1).trimmed();
            return !q.startsWith("q=") || q.mid(2).toDouble() > 0;  // "deflate;q=0" refuses it
        }
    }
    return false;
}

void setCommonHeaders(http::Headers &headers)
{
    headers.set("Content-Security-Policy", WebAssets::contentSecurityPolicy());
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
}

} // namespace

QByteArray WebAssets::contentSecurityPolicy(const QByteArray &styleNonce)
{
    // No inline script, no inline style but <style> elements with this response's nonce
    // (the dashboard's script gives them to the ones xterm.js creates), nothing from
    // another origin; 'self' covers the same origin's ws:// for the WebSockets.
    const QByteArray style = styleNonce.isEmpty() ? QByteArray("style-src 'self'")
                                                  : QByteArray("style-src 'self' 'nonce-" + styleNonce + '\'');
    return "default-src 'none'; script-src 'self'; " + style + "; img-src 'self'; font-src 'self'; "
           "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

WebAssets::Asset WebAssets::makeAsset(QByteArray body, QByteArray contentType, bool immutable)
{
    Asset a;
    a.contentType = std::move(contentType);
    a.immutable = immutable;
    a.etag = '"' + QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex().left(20) + '"';
    // qCompress gives a 4-byte length, then the zlib stream that HTTP calls "deflate".
    const QByteArray z = qCompress(body, 9).mid(4);
    if (z.size() < body.size() * 9 / 10)
        a.deflated = z;
    a.body = std::move(body);
    return a;
}

WebAssets::WebAssets()
{
#ifdef GASPER_HAVE_WEB
    web::initResources();
#endif
    QDir dir(QStringLiteral(":/web"));
    QByteArray index;
    for (const QString &file : dir.entryList(QDir::Files)) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QByteArray body = f.readAll();
        if (file == u"index.html") {
            index = body;
            continue;
        }
        const QByteArray name = file.toUtf8();
        const QByteArray hash = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex().left(12);
        const qsizetype dot = name.lastIndexOf('.');
        const QByteArray hashed = dot > 0 ? QByteArray("/assets/" + name.left(dot) + '.' + hash + name.mid(dot))
                                          : QByteArray("/assets/" + name + '.' + hash);
        const QByteArray type = contentTypeFor(file);
        m_assets.insert(hashed, makeAsset(body, type, true));
        m_assets.insert("/assets/" + name, makeAsset(body, type, false));
        m_hashedNames.insert(name, hashed);
    }
    if (index.isEmpty()) {
        qCInfo(lcMaster) << "no dashboard in this build (resources/web was not compiled in)";
        return;
    }
    for (auto it = m_hashedNames.cbegin(); it != m_hashedNames.cend(); ++it)
        index.replace(QByteArray("\"/assets/" + it.key() + '"'), QByteArray('"' + it.value() + '"'));
    m_index = index;
}

std::optional<http::Response> WebAssets::serve(const http::Request &request) const
{
    if (request.method != "GET" && request.method != "HEAD")
        return std::nullopt;
    const QByteArray path = request.path();
    if (path == "/api" || path.startsWith("/api/"))
        return std::nullopt;
    http::Response notFound;
    notFound.status = 404;
    notFound.headers.set("Content-Type", "text/plain; charset=utf-8");
    notFound.headers.set("Cache-Control", "no-cache");
    setCommonHeaders(notFound.headers);
    if (path.startsWith("/assets/")) {
        const auto it = m_assets.constFind(path);
        if (it == m_assets.cend()) {
            notFound.body = "no such asset\n";
            return notFound;
        }
        return answer(request, *it);
    }
    // Client-side routes have no dot in their last segment (app names cannot hold one);
    // /favicon.ico, /robots.txt and the like are not the dashboard.
    if (path.mid(path.lastIndexOf('/') + 1).contains('.')) {
        notFound.body = "not found\n";
        return notFound;
    }
    if (!m_index) {
        notFound.body = "this gasperd was built without the dashboard (resources/web); the API is under /api/v1\n";
        return notFound;
    }
    // The page differs per answer (its style nonce), so it has no validator and is sent
    // whole each time: it is 700 bytes.
    QByteArray nonceBytes(18, Qt::Uninitialized);
    QRandomGenerator::system()->generate(nonceBytes.begin(), nonceBytes.end());
    const QByteArray nonce = nonceBytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    http::Response r;
    setCommonHeaders(r.headers);
    r.headers.set("Content-Security-Policy", contentSecurityPolicy(nonce));
    r.headers.set("Cache-Control", "no-cache");
    r.headers.set("Content-Type", "text/html; charset=utf-8");
    r.body = QByteArray(*m_index).replace("content=\"CSP_NONCE\"", QByteArray("content=\"" + nonce + '"'));
    return r;
}

http::Response WebAssets::answer(const http::Request &request, const Asset &asset) const
{
    http::Response r;
    setCommonHeaders(r.headers);
    r.headers.set("Cache-Control", asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    r.headers.set("ETag", asset.etag);
    r.headers.set("Vary", "Accept-Encoding");
    const QByteArray ifNoneMatch = request.headers.value("If-None-Match");
    if (!ifNoneMatch.isEmpty() && (ifNoneMatch.contains(asset.etag) || ifNoneMatch.trimmed() == "*")) {
        r.status = 304;
        return r;
    }
    r.headers.set("Content-Type", asset.contentType);
    if (!asset.deflated.isEmpty() && acceptsDeflate(request)) {
        r.headers.set("Content-Encoding", "deflate");
        r.body = asset.deflated;
    } else {
        r.body = asset.body;
    }
    return r;
}

} // namespace gasper::master
