// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QString>

namespace gasper::console {

// Which form field an API error is about, so a form can show it under that field.
// The API names the field in `error.field` when it sends one; otherwise the slug decides
// (`invalid-name`, `name-taken` → name; `forbidden` on create → git.url; `username-taken`
// …) and for `invalid-body` the message, which starts with the field's JSON path
// ("git.branch must be a valid branch name"). Empty: the error is about the whole form.
QString fieldForError(const Error &error, const QString &explicitField = {});

} // namespace gasper::console
