// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace gasper::ssh {

// The server's Ed25519 host key, made once and kept in a file (mode 0600) so that clients
// see the same fingerprint after every restart.
class HostKey
{
public:
    // Reads `path`, or makes a new key and writes it there (atomically, 0600) when the file
    // does not exist. A file readable by others is narrowed to 0600 with a warning.
    static Result<HostKey> loadOrCreate(const QString &path);

    QByteArray privateKeyText() const { return m_private; }  // OpenSSH private key format
    QString publicKeyLine() const { return m_public; }       // "ssh-ed25519 AAAA…"
    QString fingerprint() const { return m_fingerprint; }    // "SHA256:…", as ssh-keygen -l shows it

private:
    QByteArray m_private;
    QString m_public;
    QString m_fingerprint;
};

// An OpenSSH public key line ("ssh-ed25519 AAAA… comment"), validated by libssh.
struct PublicKey
{
    QString type;         // "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", …
    QString base64;       // the key blob
    QString comment;      // may be empty
    QString fingerprint;  // "SHA256:…"

    QString line() const { return type + u' ' + base64; }  // without the comment

    // `invalid-key` with a sentence: not "type base64 [comment]", a blob that does not
    // parse or whose type differs, DSA (refused, as by OpenSSH), RSA below 2048 bits.
    static Result<PublicKey> parse(const QString &text);
};

} // namespace gasper::ssh
