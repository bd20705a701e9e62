// SPDX-License-Identifier: MIT
#include "apps/Procfile.h"

#include <QFile>
#include <QFileInfo>

namespace gasper::apps {

namespace {

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (isBlank(v.front()) || v.front() == '\r'))
        v = v.sliced(1);
    while (!v.isEmpty() && (isBlank(v.back()) || v.back() == '\r'))
        v.chop(1);
    return v;
}

std::unexpected<Error> invalid(int line, const QString &what)
{
    return fail(QStringLiteral("procfile-invalid"), QStringLiteral("Procfile line %1: %2").arg(line).arg(what));
}

} // namespace

std::optional<QString> Procfile::command(const QString &name) const
{
    for (const Process &p : processes) {
        if (p.name == name)
            return p.command;
    }
    return std::nullopt;
}

Result<Procfile> parseProcfile(QByteArrayView text)
{
    if (text.size() > Procfile::kMaxBytes)
        return fail(QStringLiteral("procfile-invalid"),
                    QStringLiteral("the Procfile is larger than %1 KiB").arg(Procfile::kMaxBytes / 1024));
    if (text.startsWith("\xEF\xBB\xBF"))
        text = text.sliced(3);
    Procfile out;
    int number = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView line = trimmed(text.sliced(start, end - start));
        start = end + 1;
        ++number;
        if (line.isEmpty() || line.front() == '#')
            continue;
        if (line.contains('\0'))
            return invalid(number, QStringLiteral("holds a NUL byte"));
        qsizetype colon = 0;
        while (colon < line.size() && isNameChar(line.at(colon)))
            ++colon;
        const bool named = colon > 0 && colon < line.size() && line.at(colon) == ':';
        const QByteArrayView command = named ? trimmed(line.sliced(colon + 1)) : QByteArrayView();
        if (command.isEmpty()) {
            if (out.warnings.size() < 20)
                out.warnings << QStringLiteral("Procfile line %1 is not `name: command`: skipped").arg(number);
            continue;
        }
        if (command.size() > Procfile::kMaxCommandLength)
            return invalid(number, QStringLiteral("the command is longer than %1 bytes").arg(Procfile::kMaxCommandLength));
        const QString name = QString::fromLatin1(line.first(colon));
        for (const Procfile::Process &p : std::as_const(out.processes)) {
            if (p.name == name)
                return invalid(number, QStringLiteral("`%1` is already defined on line %2").arg(name).arg(p.line));
        }
        if (out.processes.size() >= Procfile::kMaxProcesses)
            return invalid(number, QStringLiteral("more than %1 process types").arg(Procfile::kMaxProcesses));
        // Trimmed again once decoded, byte-order marks included: the decoder drops one that
        // began the command, so one written back would not read the same.
        QString text = QString::fromUtf8(command);
        for (QString previous; previous != text;) {
            previous = text;
            text = text.trimmed();
            while (text.startsWith(QChar(0xFEFF)))
                text.remove(0, 1);
        }
        if (text.isEmpty()) {
            if (out.warnings.size() < 20)
                out.warnings << QStringLiteral("Procfile line %1 is not `name: command`: skipped").arg(number);
            continue;
        }
        out.processes.append(Procfile::Process{name, text, number});
    }
    return out;
}

Result<std::optional<Procfile>> readProcfile(const QString &sourceDir)
{
    const QString path = sourceDir + u'/' + QLatin1StringView(Procfile::kFileName);
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return std::optional<Procfile>{};
    if (info.isSymLink() || !info.isFile())
        return fail(QStringLiteral("procfile-invalid"), QStringLiteral("the Procfile is not a regular file"));
    if (info.size() > Procfile::kMaxBytes)
        return fail(QStringLiteral("procfile-invalid"),
                    QStringLiteral("the Procfile is larger than %1 KiB").arg(Procfile::kMaxBytes / 1024));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("procfile-invalid"), QStringLiteral("cannot read the Procfile: %1").arg(file.errorString()));
    const QByteArray bytes = file.read(Procfile::kMaxBytes + 1);
    auto parsed = parseProcfile(bytes);
    if (!parsed)
        return std::unexpected(parsed.error());
    return std::optional<Procfile>(std::move(*parsed));
}

} // namespace gasper::apps
