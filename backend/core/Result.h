// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <expected>

namespace gasper {

// A domain error: a stable slug for programs (`not-found`, `git-branch-not-found`)
// and a sentence for people. The master maps codes to HTTP statuses in one place.
struct Error
{
    QString code;
    QString message;
    // Qt's meta-type system compares signal arguments such as Result<void>.
    friend bool operator==(const Error &, const Error &) = default;
};

template<class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(QString code, QString message)
{
    return std::unexpected<Error>(Error{std::move(code), std::move(message)});
}

} // namespace gasper
