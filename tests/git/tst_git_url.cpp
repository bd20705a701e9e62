// SPDX-License-Identifier: MIT
// URL rules of gasper_git: what counts as a local (admin-only) source, and that credentials
// never survive redaction.
#include "git/GitUrl.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gasper::git::UrlKind;

class TestGitUrl final : public QObject
{
    Q_OBJECT

private slots:
    void classifyUrlFollowsGitRules_data();
    void classifyUrlFollowsGitRules();
    void isLocalUrlIsTrueOnlyForPathsAndFileUrls_data();
    void isLocalUrlIsTrueOnlyForPathsAndFileUrls();
    void redactUrlRemovesCredentials_data();
    void redactUrlRemovesCredentials();
};

void TestGitUrl::classifyUrlFollowsGitRules_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<UrlKind>("kind");

    QTest::newRow("absolute path") << u"/srv/repo"_s << UrlKind::LocalPath;
    QTest::newRow("dot relative path") << u"./x"_s << UrlKind::LocalPath;
    QTest::newRow("parent relative path") << u"../x/y.git"_s << UrlKind::LocalPath;
    QTest::newRow("bare name is a relative path") << u"repo"_s << UrlKind::LocalPath;
    QTest::newRow("path with colon after slash") << u"/srv/a:b"_s << UrlKind::LocalPath;
    QTest::newRow("path with unknown scheme-like part") << u"/srv/x://y"_s << UrlKind::LocalPath;
    QTest::newRow("file url") << u"file:///srv/repo"_s << UrlKind::File;
    QTest::newRow("file url localhost") << u"file://localhost/srv/repo"_s << UrlKind::File;
    QTest::newRow("file url upper-case scheme") << u"FILE:///srv/repo"_s << UrlKind::File;
    QTest::newRow("file url remote host") << u"file://example.com/srv/repo"_s << UrlKind::Invalid;
    QTest::newRow("file url without path") << u"file://"_s << UrlKind::Invalid;
    QTest::newRow("http") << u"http://example.com/a/b.git"_s << UrlKind::Http;
    QTest::newRow("http with port") << u"http://127.0.0.1:8080/a"_s << UrlKind::Http;
    QTest::newRow("http with credentials") << u"http://u:p@example.com/a"_s << UrlKind::Http;
    QTest::newRow("http ipv6") << u"http://[::1]:3000/a"_s << UrlKind::Http;
    QTest::newRow("https") << u"https://github.com/o/r.git"_s << UrlKind::Https;
    QTest::newRow("https upper-case scheme") << u"HTTPS://github.com/o/r"_s << UrlKind::Https;
    QTest::newRow("https host only") << u"https://github.com"_s << UrlKind::Https;
    QTest::newRow("git protocol") << u"git://example.com/r.git"_s << UrlKind::Git;
    QTest::newRow("ssh url") << u"ssh://git@example.com:22/r.git"_s << UrlKind::Ssh;
    QTest::newRow("git+ssh url") << u"git+ssh://example.com/r.git"_s << UrlKind::Ssh;
    QTest::newRow("scp-like") << u"git@github.com:o/r.git"_s << UrlKind::Ssh;
    QTest::newRow("scp-like without user") << u"github.com:o/r.git"_s << UrlKind::Ssh;
    QTest::newRow("empty") << QString() << UrlKind::Invalid;
    QTest::newRow("spaces only") << u"   "_s << UrlKind::Invalid;
    QTest::newRow("leading space") << u" https://github.com/o/r"_s << UrlKind::Invalid;
    QTest::newRow("trailing newline") << u"https://github.com/o/r\n"_s << UrlKind::Invalid;
    QTest::newRow("embedded control char") << u"https://github.com/o\x01r"_s << UrlKind::Invalid;
    QTest::newRow("leading dash") << u"-uhack"_s << UrlKind::Invalid;
    QTest::newRow("unknown scheme") << u"ftp://example.com/r.git"_s << UrlKind::Invalid;
    QTest::newRow("http without host") << u"http:///r.git"_s << UrlKind::Invalid;
    QTest::newRow("http with only credentials") << u"https://user:pw@/r.git"_s << UrlKind::Invalid;
    QTest::newRow("http bad port") << u"http://example.com:99999/r"_s << UrlKind::Invalid;
    QTest::newRow("scp-like without host") << u"git@:r.git"_s << UrlKind::Invalid;
    QTest::newRow("scp-like without path") << u"git@github.com:"_s << UrlKind::Invalid;
}

void TestGitUrl::classifyUrlFollowsGitRules()
{
    QFETCH(QString, url);
    QFETCH(UrlKind, kind);
    QCOMPARE(gasper::git::classifyUrl(url), kind);
}

void TestGitUrl::isLocalUrlIsTrueOnlyForPathsAndFileUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("local");

    QTest::newRow("absolute path") << u"/srv/repo"_s << true;
    QTest::newRow("relative path") << u"./x"_s << true;
    QTest::newRow("file url") << u"file:///etc"_s << true;
    QTest::newRow("https") << u"https://github.com/o/r"_s << false;
    QTest::newRow("http") << u"http://127.0.0.1/o/r"_s << false;
    QTest::newRow("git") << u"git://example.com/r"_s << false;
    QTest::newRow("ssh") << u"ssh://example.com/r"_s << false;
    QTest::newRow("scp-like") << u"git@example.com:r"_s << false;
    QTest::newRow("invalid") << u"ftp://x/y"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestGitUrl::isLocalUrlIsTrueOnlyForPathsAndFileUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, local);
    QCOMPARE(gasper::git::isLocalUrl(url), local);
}

void TestGitUrl::redactUrlRemovesCredentials_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("redacted");

    QTest::newRow("user and password") << u"https://user:s3cret@github.com/o/r.git"_s << u"https://github.com/o/r.git"_s;
    QTest::newRow("token as user") << u"https://ghp_abc123@github.com/o/r"_s << u"https://github.com/o/r"_s;
    QTest::newRow("with port") << u"http://u:p@127.0.0.1:8080/r"_s << u"http://127.0.0.1:8080/r"_s;
    QTest::newRow("unencoded @ in password") << u"https://u:p@ss@host/r"_s << u"https://host/r"_s;
    QTest::newRow("host only") << u"https://u:p@host"_s << u"https://host"_s;
    QTest::newRow("query after host") << u"https://u:p@host?x=1"_s << u"https://host?x=1"_s;
    QTest::newRow("ssh url user") << u"ssh://git@host/r"_s << u"ssh://host/r"_s;
    QTest::newRow("no credentials") << u"https://github.com/o/r"_s << u"https://github.com/o/r"_s;
    QTest::newRow("@ in path is kept") << u"https://host/o/r@v1"_s << u"https://host/o/r@v1"_s;
    QTest::newRow("@ in query is kept") << u"https://host/r?a=b@c"_s << u"https://host/r?a=b@c"_s;
    QTest::newRow("scp-like keeps user") << u"git@github.com:o/r.git"_s << u"git@github.com:o/r.git"_s;
    QTest::newRow("local path unchanged") << u"/srv/a@b"_s << u"/srv/a@b"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestGitUrl::redactUrlRemovesCredentials()
{
    QFETCH(QString, url);
    QFETCH(QString, redacted);
    QCOMPARE(gasper::git::redactUrl(url), redacted);
}

QTEST_APPLESS_MAIN(TestGitUrl)
#include "tst_git_url.moc"
