// SPDX-License-Identifier: MIT
#include "FieldErrors.h"

#include <QRegularExpression>
#include <QStringList>

namespace gasper::console {

QString fieldForError(const Error &error, const QString &explicitField)
{
    if (!explicitField.isEmpty())
        return explicitField;
    const QString &code = error.code;
    if (code == u"invalid-name" || code == u"name-taken")
        return QStringLiteral("name");
    if (code == u"forbidden")
        return QStringLiteral("git.url");
    if (code == u"username-taken")
        return QStringLiteral("username");
    if (code == u"email-taken")
        return QStringLiteral("email");
    if (code == u"invalid-credentials" || code == u"too-many-attempts")
        return QStringLiteral("password");
    if (code != u"invalid-body")
        return {};
    // The longest known field path the message starts with ("resources.memory_mb" before
    // "resources"); "each build command …" and "'x' is not a known field" are special.
    static const QStringList known{
        QStringLiteral("resources.memory_mb"), QStringLiteral("resources.cpus"), QStringLiteral("health.path"),
        QStringLiteral("health.status"), QStringLiteral("health.timeout"), QStringLiteral("health"), QStringLiteral("git.url"),
        QStringLiteral("git.branch"), QStringLiteral("git.token"), QStringLiteral("resources"),
        QStringLiteral("language"), QStringLiteral("username"), QStringLiteral("password"),
        QStringLiteral("email"), QStringLiteral("build"), QStringLiteral("name"), QStringLiteral("run"),
        QStringLiteral("port"), QStringLiteral("env"), QStringLiteral("git")};
    const QString message = error.message;
    if (message.startsWith(u"each build command"))
        return QStringLiteral("build");
    static const QRegularExpression quoted(QStringLiteral("^'([a-z_.]+)' is not a known field"));
    if (const auto m = quoted.match(message); m.hasMatch())
        return m.captured(1);
    for (const QString &field : known) {
        if (message.startsWith(field)
            && (message.size() == field.size() || !message.at(field.size()).isLetterOrNumber()))
            return field == u"git" ? QStringLiteral("git.url") : field;
    }
    // "env: 'BAD-NAME' …", "environment variable …"
    if (message.contains(u"environment variable"))
        return QStringLiteral("env");
    return {};
}

} // namespace gasper::console
