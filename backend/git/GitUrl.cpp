// SPDX-License-Identifier: MIT
#include "git/GitUrl.h"

using namespace Qt::StringLiterals;

namespace gasper::git {

namespace {

// RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool isScheme(QStringView s)
{
    if (s.isEmpty() || !s.front().isLetter() || s.front().unicode() > 0x7f)
        return false;
    for (QChar c : s) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
                        || u == '+' || u == '-' || u == '.';
        if (!ok)
            return false;
    }
    return true;
}

// Position of "://" when the string starts with a valid scheme, else -1.
qsizetype schemeEnd(const QString &url)
{
    const qsizetype idx = url.indexOf("://"_L1);
    return idx > 0 && isScheme(QStringView(url).left(idx)) ? idx : -1;
}

// End of the authority part that starts at `from`.
qsizetype authorityEnd(const QString &url, qsizetype from)
{
    qsizetype end = url.size();
    for (char16_t c : {u'/', u'?', u'#'}) {
        const qsizetype i = url.indexOf(QChar(c), from);
        if (i >= 0 && i < end)
            end = i;
    }
    return end;
}

// A host[:port] (userinfo already removed) that a network transport can use.
bool isValidHostPort(QStringView hostPort)
{
    QStringView host = hostPort;
    QStringView port;
    if (hostPort.startsWith(u'[')) { // [v6]:port
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 2)
            return false;
        host = hostPort.mid(1, close - 1);
        const QStringView rest = hostPort.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return false;
            port = rest.mid(1);
        }
    } else {
        const qsizetype colon = hostPort.lastIndexOf(u':');
        if (colon >= 0) {
            host = hostPort.left(colon);
            port = hostPort.mid(colon + 1);
        }
    }
    if (host.isEmpty())
        return false;
    if (!port.isEmpty()) {
        bool ok = false;
        const uint n = port.toUInt(&ok);
        if (!ok || n == 0 || n > 65535)
            return false;
    }
    return true;
}

} // namespace

UrlKind classifyUrl(const QString &url)
{
    if (url.isEmpty() || url.front().isSpace() || url.back().isSpace() || url.startsWith(u'-'))
        return UrlKind::Invalid;
    for (QChar c : url) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return UrlKind::Invalid;
    }

    if (const qsizetype idx = schemeEnd(url); idx > 0) {
        const QString scheme = url.left(idx).toLower();
        const qsizetype from = idx + 3;
        const qsizetype end = authorityEnd(url, from);
        QStringView authority = QStringView(url).mid(from, end - from);

        if (scheme == "file"_L1) {
            // Only this machine: file:///path or file://localhost/path.
            const bool local = authority.isEmpty() || authority.compare(u"localhost", Qt::CaseInsensitive) == 0;
            return local && end < url.size() && url.at(end) == u'/' ? UrlKind::File : UrlKind::Invalid;
        }

        UrlKind kind = UrlKind::Invalid;
        if (scheme == "http"_L1)
            kind = UrlKind::Http;
        else if (scheme == "https"_L1)
            kind = UrlKind::Https;
        else if (scheme == "git"_L1)
            kind = UrlKind::Git;
        else if (scheme == "ssh"_L1 || scheme == "git+ssh"_L1 || scheme == "ssh+git"_L1)
            kind = UrlKind::Ssh;
        if (kind == UrlKind::Invalid)
            return kind;

        if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0)
            authority = authority.mid(at + 1);
        return isValidHostPort(authority) ? kind : UrlKind::Invalid;
    }

    // git's rule (url_is_local_not_ssh): a colon before the first slash makes it scp-like ssh.
    const qsizetype colon = url.indexOf(u':');
    const qsizetype slash = url.indexOf(u'/');
    if (colon >= 0 && (slash < 0 || colon < slash)) {
        QStringView host = QStringView(url).left(colon);
        if (const qsizetype at = host.lastIndexOf(u'@'); at >= 0)
            host = host.mid(at + 1);
        if (host.isEmpty() || colon + 1 >= url.size())
            return UrlKind::Invalid;
        return UrlKind::Ssh;
    }
    return UrlKind::LocalPath;
}

bool isLocalUrl(const QString &url)
{
    const UrlKind kind = classifyUrl(url);
    return kind == UrlKind::LocalPath || kind == UrlKind::File;
}

QString redactUrl(const QString &url)
{
    const qsizetype idx = schemeEnd(url);
    if (idx < 0)
        return url;
    const qsizetype from = idx + 3;
    const qsizetype end = authorityEnd(url, from);
    // The last '@' of the authority: an unencoded '@' inside a password must not leave a tail.
    const qsizetype at = url.lastIndexOf(u'@', end - 1);
    if (at < from || end == from)
        return url;
    QString out = url;
    out.remove(from, at + 1 - from);
    return out;
}

} // namespace gasper::git
