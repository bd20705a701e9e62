// SPDX-License-Identifier: MIT
// Fuzz entry for the push-webhook reader (master/Webhooks): the input is a header block
// ("Name: value" lines), a blank line, and the body. Whatever the bytes, detect/verify/parse
// return, and their answers keep their promises; a broken promise aborts. It needs
// gasper_core (std::expected), which clang 14 cannot build, so today it runs only in the gcc
// smoke test master_webhooks_fuzz_smoke (tests/fuzz/tst_fuzz_smoke.cpp over corpus/webhooks).

#include "master/Webhooks.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdlib>

using namespace gasper;
using namespace gasper::master;

namespace {

constexpr char kSecret[] = "fuzz-secret";

bool isHex(const QString &s)
{
    for (QChar c : s) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = input.indexOf("\n\n");
    const QByteArray head = split < 0 ? input : input.left(split);
    const QByteArray body = split < 0 ? QByteArray() : input.mid(split + 2);
    http::Headers headers;
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.add(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
    }
    const HookProvider provider = hooks::detectProvider(headers);
    const auto verified = hooks::verify(provider, headers, body, kSecret);
    if (verified) {
        // Accepted only with the right proof for the sender.
        const QByteArray mac = hooks::hmacSha256Hex(kSecret, body);
        bool proven = false;
        switch (provider) {
        case HookProvider::GitHub: proven = headers.value("X-Hub-Signature-256").trimmed().toLower() == "sha256=" + mac; break;
        case HookProvider::Gitea: proven = headers.value("X-Gitea-Signature").trimmed().toLower() == mac; break;
        case HookProvider::Forgejo:
            proven = (headers.has("X-Forgejo-Signature") ? headers.value("X-Forgejo-Signature") : headers.value("X-Gitea-Signature"))
                         .trimmed()
                         .toLower()
                     == mac;
            break;
        case HookProvider::GitLab: proven = headers.value("X-Gitlab-Token") == kSecret; break;
        case HookProvider::Unknown: break;
        }
        if (!proven)
            std::abort();
    } else if (verified.error().message.contains(QLatin1StringView(kSecret))) {
        std::abort();
    }
    const auto parsed = hooks::parse(provider, headers, body);
    if (parsed) {
        if (parsed->isPush && parsed->isPing)
            std::abort();
        if (!parsed->commit.isEmpty() && (!isHex(parsed->commit) || (parsed->commit.size() != 40 && parsed->commit.size() != 64)))
            std::abort();
        if (!parsed->branch.isEmpty() && parsed->ref != QStringLiteral("refs/heads/") + parsed->branch)
            std::abort();
        if (parsed->deleted && !parsed->commit.isEmpty())
            std::abort();
    } else if (parsed.error().code != QStringLiteral("invalid-json")) {
        std::abort();
    }
    return 0;
}
