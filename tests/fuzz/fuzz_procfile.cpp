// SPDX-License-Identifier: MIT
// libFuzzer target for the Procfile parser (apps/Procfile): a repository's Procfile is user
// input that gasperd reads on every deploy. Beyond "no crash, no hang" it checks what the
// deploy relies on: every kept name is [A-Za-z0-9_-]+ and unique, every command is
// non-empty, has no line break or NUL and is within the cap, a file over the size cap is
// refused, errors are `procfile-invalid`, and a parsed file written back as `name: command`
// lines parses to the same processes.
//
// Built by tests/fuzz (a clang whose libstdc++ has std::expected) and, without libFuzzer, by
// the apps_procfile_fuzz_smoke test in tests/apps.

#include "apps/Procfile.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace gasper;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

bool validName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'
                        || c == u'-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto parsed = apps::parseProcfile(input);
    if (!parsed) {
        check(parsed.error().code == QStringLiteral("procfile-invalid"));
        check(!parsed.error().message.isEmpty());
        return 0;
    }
    check(input.size() <= apps::Procfile::kMaxBytes);
    check(parsed->processes.size() <= apps::Procfile::kMaxProcesses);
    check(parsed->warnings.size() <= 20);
    QByteArray again;
    bool fits = true;  // re-encoded invalid UTF-8 (U+FFFD) can outgrow the caps
    for (qsizetype i = 0; i < parsed->processes.size(); ++i) {
        const apps::Procfile::Process &p = parsed->processes.at(i);
        check(validName(p.name));
        check(!p.command.isEmpty() && !p.command.contains(u'\n') && !p.command.contains(QChar(0)));
        for (QChar edge : {p.command.front(), p.command.back()})
            check(edge != u' ' && edge != u'\t' && edge != u'\r');
        check(p.command.toUtf8().size() <= apps::Procfile::kMaxCommandLength * 3);  // invalid UTF-8 grows
        check(p.line >= 1);
        for (qsizetype j = 0; j < i; ++j)
            check(parsed->processes.at(j).name != p.name);
        check(parsed->command(p.name) == p.command);
        const QByteArray command = p.command.toUtf8();
        fits = fits && command.size() <= apps::Procfile::kMaxCommandLength;
        again += p.name.toLatin1() + ": " + command + "\r\n";
    }
    // Round trip (lossy UTF-8 aside): the same names and commands in the same order.
    const auto reparsed = apps::parseProcfile(again);
    if (fits && again.size() <= apps::Procfile::kMaxBytes) {
        check(reparsed.has_value());
        check(reparsed->processes.size() == parsed->processes.size());
        for (qsizetype i = 0; i < parsed->processes.size(); ++i) {
            check(reparsed->processes.at(i).name == parsed->processes.at(i).name);
            check(reparsed->processes.at(i).command == parsed->processes.at(i).command);
        }
    }
    return 0;
}
