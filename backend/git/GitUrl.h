// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace gasper::git {

// What a git repository URL points at. The master lets only admins use LocalPath and File
// (they read the server's own disk); everyone may use the network kinds.
enum class UrlKind { LocalPath, File, Http, Https, Git, Ssh, Invalid };

// Classifies like git does: "scheme://..." by its scheme (file, http, https, git, ssh,
// git+ssh, ssh+git; any other scheme is Invalid), scp-like "[user@]host:path" (a colon before
// the first slash) is Ssh, anything else ("/srv/repo", "./x", "x") is LocalPath. Empty strings,
// surrounding whitespace, control characters, a leading '-' and network URLs without a host
// are Invalid. Errs towards LocalPath so that the admin-only check is never bypassed.
UrlKind classifyUrl(const QString &url);

// LocalPath or File: the URL reads the server's disk (only admins may use it).
bool isLocalUrl(const QString &url);

// Removes the userinfo ("user:password@", or a bare "token@") from a scheme URL, for logs and
// messages. scp-like "git@host:path" keeps its user (it is not a secret); strings that are
// not URLs come back unchanged.
QString redactUrl(const QString &url);

} // namespace gasper::git
