// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

namespace gasper {

// App and database names are host names: `^[a-z][a-z0-9-]{1,39}$` (DESIGN.md) and,
// because they are DNS labels, they may not end with a hyphen.
bool isValidName(QStringView name);
Result<void> validateName(const QString &name, const QString &what = QStringLiteral("name"));

// Usernames: 2–32 of [a-z0-9_.-], starting with a letter.
bool isValidUsername(QStringView name);

} // namespace gasper
