// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gasper::apps {

// A repository's Procfile (Heroku's and Dokku's convention): one `name: command` per line,
// names of letters, digits, `_` and `-`; `#` starts a comment line; blank lines, a UTF-8 BOM
// and CRLF line ends are fine. Like Heroku, a line that is not `name: command` is skipped
// (with a warning the deploy shows); a name given twice is an error, since which one runs
// would be a guess. Gasper uses `web` (the run command when the app has none) and
// `release` (runs after the build, before the switch); other types are kept but unused.
//
// The file is user input from a repository: parseProcfile() never reads past `text`, caps
// what it keeps (kMaxBytes, kMaxProcesses, kMaxCommandLength) and fails with
// `procfile-invalid` and the line number, never anything else.
struct Procfile
{
    static constexpr qsizetype kMaxBytes = 64 * 1024;
    static constexpr int kMaxProcesses = 100;
    static constexpr qsizetype kMaxCommandLength = 8192;
    static constexpr auto kFileName = "Procfile";

    struct Process
    {
        QString name;
        QString command;
        int line = 0;
    };
    QList<Process> processes;  // in file order
    QStringList warnings;      // lines skipped, for the deploy output

    std::optional<QString> command(const QString &name) const;
};

Result<Procfile> parseProcfile(QByteArrayView text);

// Reads <sourceDir>/Procfile: no file is std::nullopt (not an error), a file larger than
// kMaxBytes, unreadable, or not a regular file (a symlink included: it could point out of the
// checkout) is `procfile-invalid`.
Result<std::optional<Procfile>> readProcfile(const QString &sourceDir);

} // namespace gasper::apps
