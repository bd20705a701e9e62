// SPDX-License-Identifier: MIT
#include "ConsoleLog.h"

Q_LOGGING_CATEGORY(lcConsole, "gasper.console")
