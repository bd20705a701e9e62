// SPDX-License-Identifier: MIT
#pragma once

namespace gasper::web {

// Registers the dashboard's Qt resources (:/web/…). They live in a static library, whose
// resource initializer the linker would drop unless something calls it.
void initResources();

} // namespace gasper::web
