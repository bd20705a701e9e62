// SPDX-License-Identifier: MIT
#include "WebResources.h"

#include <QtGlobal>

static void initWebResources()
{
    Q_INIT_RESOURCE(web);
}

namespace gasper::web {

void initResources()
{
    static const bool once = (initWebResources(), true);
    Q_UNUSED(once);
}

} // namespace gasper::web
