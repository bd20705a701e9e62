// SPDX-License-Identifier: MIT
#include "core/Names.h"

namespace gasper {

static bool isLowerAlpha(QChar c) { return c >= u'a' && c <= u'z'; }
static bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }

bool isValidName(QStringView name)
{
    if (name.size() < 2 || name.size() > 40 || !isLowerAlpha(name.front()) || name.back() == u'-')
        return false;
    for (QChar c : name) {
        if (!isLowerAlpha(c) && !isDigit(c) && c != u'-')
            return false;
    }
    return true;
}

Result<void> validateName(const QString &name, const QString &what)
{
    if (isValidName(name))
        return {};
    return fail(QStringLiteral("invalid-name"),
                QStringLiteral("%1 must be 2-40 characters of a-z, 0-9 and '-', start with a letter "
                               "and not end with '-'")
                    .arg(what));
}

bool isValidUsername(QStringView name)
{
    if (name.size() < 2 || name.size() > 32 || !isLowerAlpha(name.front()))
        return false;
    for (QChar c : name) {
        if (!isLowerAlpha(c) && !isDigit(c) && c != u'-' && c != u'_' && c != u'.')
            return false;
    }
    return true;
}

} // namespace gasper
