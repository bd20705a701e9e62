// SPDX-License-Identifier: MIT
#include "apps/EngineFeatures.h"

#include "core/Log.h"

namespace gasper::apps {

bool EngineFeatures::isInitMissing(const Error &error)
{
    if (!error.code.startsWith(u"docker-"))
        return false;
    const QString m = error.message;
    // Podman: "container-init binary not found on the host: stat /usr/libexec/podman/catatonit: …"
    // Docker: "…exec: \"docker-init\": executable file not found in $PATH", or the --init-path it was given.
    return m.contains(u"container-init binary not found", Qt::CaseInsensitive)
           || m.contains(u"catatonit", Qt::CaseInsensitive)
           || (m.contains(u"docker-init", Qt::CaseInsensitive)
               && (m.contains(u"not found", Qt::CaseInsensitive) || m.contains(u"no such file", Qt::CaseInsensitive)));
}

bool EngineFeatures::noteInitMissing(const Error &error)
{
    if (!m_init || !isInitMissing(error))
        return false;
    m_init = false;
    qCWarning(lcApps).noquote() << "the container engine has no init helper (" << error.message.left(200)
                                << "): app containers run without --init from now on";
    return true;
}

} // namespace gasper::apps
