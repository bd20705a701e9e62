// SPDX-License-Identifier: MIT
#include "core/Log.h"

Q_LOGGING_CATEGORY(lcCore, "gasper.core")
Q_LOGGING_CATEGORY(lcHttp, "gasper.http")
Q_LOGGING_CATEGORY(lcDocker, "gasper.docker")
Q_LOGGING_CATEGORY(lcGit, "gasper.git")
Q_LOGGING_CATEGORY(lcStore, "gasper.store")
Q_LOGGING_CATEGORY(lcProxy, "gasper.proxy")
Q_LOGGING_CATEGORY(lcApps, "gasper.apps")
Q_LOGGING_CATEGORY(lcMaster, "gasper.master")
Q_LOGGING_CATEGORY(lcSsh, "gasper.ssh")
