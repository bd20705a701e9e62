// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// The console's logging category (`QT_LOGGING_RULES="gasper.console.debug=true"`).
Q_DECLARE_LOGGING_CATEGORY(lcConsole)
