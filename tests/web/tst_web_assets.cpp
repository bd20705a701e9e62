// SPDX-License-Identifier: MIT
// How gasperd serves the dashboard compiled into it: the page for client-side routes,
// hashed immutable assets, the CSP, revalidation, deflate, and staying out of /api/.
#include "master/WebAssets.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace gasper;
using gasper::master::WebAssets;

namespace {

http::Request get(const QByteArray &target, std::initializer_list<std::pair<QByteArray, QByteArray>> headers = {})
{
    http::Request r;
    r.method = "GET";
    r.target = target;
    for (const auto &[k, v] : headers)
        r.headers.add(k, v);
    return r;
}

} // namespace

class TestWebAssets final : public QObject
{
    Q_OBJECT

private slots:
    void dashboardIsCompiledIn()
    {
        QVERIFY(WebAssets().hasDashboard());
    }

    void clientRoutesGetTheUncachedPage_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::newRow("root") << QByteArray("/");
        QTest::newRow("apps") << QByteArray("/apps");
        QTest::newRow("app section") << QByteArray("/apps/hello/logs");
        QTest::newRow("with query") << QByteArray("/login?next=%2Fapps");
    }
    void clientRoutesGetTheUncachedPage()
    {
        QFETCH(QByteArray, target);
        const auto r = WebAssets().serve(get(target));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->headers.value("Content-Type"), QByteArray("text/html; charset=utf-8"));
        QCOMPARE(r->headers.value("Cache-Control"), QByteArray("no-cache"));
        QVERIFY(r->body.contains("<div id=\"app\">"));
    }

    void everyAnswerCarriesAStrictPolicy()
    {
        const WebAssets web;
        for (const QByteArray &target : {QByteArray("/"), web.hashedPath("app.js"), QByteArray("/assets/missing.js")}) {
            const auto r = web.serve(get(target));
            QVERIFY(r);
            const QByteArray csp = r->headers.value("Content-Security-Policy");
            QVERIFY2(csp.contains("script-src 'self';") && csp.contains("style-src 'self'"), target.constData());
            QVERIFY(!csp.contains("unsafe"));
            QVERIFY(!csp.contains("http"));
            QCOMPARE(r->headers.value("X-Content-Type-Options"), QByteArray("nosniff"));
        }
    }

    void pageNamesAssetsByContentHashAndThoseAreImmutable()
    {
        const WebAssets web;
        const QByteArray page = web.serve(get("/"))->body;
        for (const QByteArray &name : {QByteArray("app.js"), QByteArray("app.css"), QByteArray("favicon.svg")}) {
            const QByteArray hashed = web.hashedPath(name);
            QVERIFY2(QRegularExpression(QStringLiteral("^/assets/[a-z]+\\.[0-9a-f]{12}\\.[a-z]+$")).match(QString::fromUtf8(hashed)).hasMatch(),
                     hashed.constData());
            QVERIFY2(page.contains(QByteArray('"' + hashed + '"')), name.constData());
            const auto r = web.serve(get(hashed));
            QCOMPARE(r->status, 200);
            QCOMPARE(r->headers.value("Cache-Control"), QByteArray("public, max-age=31536000, immutable"));
        }
        QCOMPARE(web.serve(get(web.hashedPath("app.js")))->headers.value("Content-Type"), QByteArray("text/javascript; charset=utf-8"));
        QCOMPARE(web.serve(get(web.hashedPath("app.css")))->headers.value("Content-Type"), QByteArray("text/css; charset=utf-8"));
        QCOMPARE(web.serve(get(web.hashedPath("favicon.svg")))->headers.value("Content-Type"), QByteArray("image/svg+xml"));
        // The plain name works too (the page's own <img>), revalidated each time.
        QCOMPARE(web.serve(get("/assets/favicon.svg"))->headers.value("Cache-Control"), QByteArray("no-cache"));
    }

    void staleOrUnknownAssetsAreNotFoundNotThePage_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::newRow("old hash") << QByteArray("/assets/app.000000000000.js");
        QTest::newRow("unknown") << QByteArray("/assets/nope.js");
        QTest::newRow("traversal") << QByteArray("/assets/../index.html");
        QTest::newRow("file at root") << QByteArray("/favicon.ico");
    }
    void staleOrUnknownAssetsAreNotFoundNotThePage()
    {
        QFETCH(QByteArray, target);
        const auto r = WebAssets().serve(get(target));
        QVERIFY(r);
        QCOMPARE(r->status, 404);
        QVERIFY(!r->body.contains("<html"));
    }

    void apiPathsAndOtherMethodsAreLeftToTheApi()
    {
        const WebAssets web;
        QVERIFY(!web.serve(get("/api/v1/nothing")));
        QVERIFY(!web.serve(get("/api")));
        http::Request post = get("/");
        post.method = "POST";
        QVERIFY(!web.serve(post));
    }

    void matchingEtagGives304()
    {
        const WebAssets web;
        const QByteArray etag = web.serve(get("/assets/app.js"))->headers.value("ETag");
        QVERIFY(!etag.isEmpty());
        const auto r = web.serve(get("/assets/app.js", {{"If-None-Match", etag}}));
        QCOMPARE(r->status, 304);
        QVERIFY(r->body.isEmpty());
        QCOMPARE(web.serve(get("/assets/app.js", {{"If-None-Match", "\"other\""}}))->status, 200);
    }

    void eachPageAnswerHasAFreshStyleNonceInPolicyAndPage()
    {
        const WebAssets web;
        QSet<QByteArray> seen;
        for (int i = 0; i < 3; ++i) {
            const auto r = web.serve(get("/apps"));
            const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("style-src 'self' 'nonce-([A-Za-z0-9_-]{24})'"))
                                                  .match(QString::fromUtf8(r->headers.value("Content-Security-Policy")));
            QVERIFY(m.hasMatch());
            const QByteArray nonce = m.captured(1).toUtf8();
            QVERIFY(r->body.contains(QByteArray("<meta name=\"csp-nonce\" content=\"" + nonce + "\">")));
            QVERIFY(!r->body.contains("CSP_NONCE"));
            seen.insert(nonce);
        }
        QCOMPARE(seen.size(), 3);
        // Assets are not documents: their policy names no nonce.
        QVERIFY(!web.serve(get(web.hashedPath("app.js")))->headers.value("Content-Security-Policy").contains("nonce"));
    }

    void deflateOnlyWhenAccepted()
    {
        const WebAssets web;
        const QByteArray js = web.hashedPath("app.js");
        const auto plain = web.serve(get(js));
        QVERIFY(!plain->headers.has("Content-Encoding"));
        const auto z = web.serve(get(js, {{"Accept-Encoding", "gzip, deflate, br"}}));
        QCOMPARE(z->headers.value("Content-Encoding"), QByteArray("deflate"));
        QCOMPARE(z->headers.value("Vary"), QByteArray("Accept-Encoding"));
        QVERIFY(z->body.size() < plain->body.size() / 2);
        // The zlib stream inflates back to the asset (qUncompress wants the length first).
        QByteArray withLength(4, '\0');
        const quint32 n = quint32(plain->body.size());
        for (int i = 0; i < 4; ++i)
            withLength[i] = char((n >> (24 - 8 * i)) & 0xff);
        QCOMPARE(qUncompress(withLength + z->body), plain->body);
        QVERIFY(!web.serve(get(js, {{"Accept-Encoding", "deflate;q=0, gzip"}}))->headers.has("Content-Encoding"));
    }
};

QTEST_GUILESS_MAIN(TestWebAssets)
#include "tst_web_assets.moc"
