// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QString>

#include <optional>

namespace gasper::ctl {

struct Credentials
{
    QString api;  // the API the token belongs to; it is never sent anywhere else
    QString token;
    QString username;
    QString expiresAt;

    friend bool operator==(const Credentials &, const Credentials &) = default;
};

// The login kept between gasperctl runs, one JSON file:
// $XDG_CONFIG_HOME/gasper/credentials.json (default ~/.config/gasper/credentials.json).
// Guarantees: the file is created 0600 (its folder 0700) before any byte of the token is
// written, replaced atomically (rename), and a file left with looser permissions is
// tightened to 0600 on the next save. Blocking file I/O: meant for the CLI only.
class CredentialStore final
{
public:
    explicit CredentialStore(QString path = defaultPath());

    static QString defaultPath();
    QString path() const { return m_path; }

    // No file: std::nullopt. A file that is not ours (bad JSON, no token): an Error.
    Result<std::optional<Credentials>> load() const;
    Result<void> save(const Credentials &credentials) const;
    // Removing a file that is not there is success.
    Result<void> remove() const;

private:
    QString m_path;
};

} // namespace gasper::ctl
