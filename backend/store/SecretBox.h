// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>

namespace gasper::store {

// Symmetric encryption of secrets at rest (app git tokens, app env maps) with libsodium's
// crypto_secretbox (XSalsa20-Poly1305). The 32-byte key lives in a file in the data dir,
// created with mode 0600 when missing. seal() output is `nonce || mac || ciphertext` with a
// fresh random nonce each call; open() authenticates before returning anything, so a wrong key
// or a flipped bit is an error, never garbage. Copyable (the key is zeroed on destruction) and
// usable from any thread (const methods touch no shared state).
class SecretBox
{
public:
    static constexpr int KeyBytes = 32;

    // Reads the key file, or creates it (0600, written atomically: a half-written key never
    // appears under keyPath, and two processes racing end up with the same key).
    static Result<SecretBox> loadOrCreate(const QString &keyPath);
    // A box over a given key (tests, key rotation tools). Fails unless key has KeyBytes bytes.
    static Result<SecretBox> fromKey(QByteArrayView key);

    SecretBox(const SecretBox &other) = default;
    SecretBox &operator=(const SecretBox &other) = default;
    ~SecretBox();

    QByteArray seal(QByteArrayView plain) const;
    Result<QByteArray> open(QByteArrayView sealed) const;  // error code "secret-invalid"

private:
    SecretBox() = default;
    std::array<unsigned char, KeyBytes> m_key{};
};

} // namespace gasper::store
