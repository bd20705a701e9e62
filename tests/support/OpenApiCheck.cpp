// SPDX-License-Identifier: MIT
#include "OpenApiCheck.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace gasper::testing {

namespace {

void collectRefs(const QJsonValue &value, QStringList &refs)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == u"$ref")
                refs << it.value().toString();
            else
                collectRefs(it.value(), refs);
        }
    } else if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            collectRefs(v, refs);
    }
}

} // namespace

OpenApiCheck::OpenApiCheck(const QString &path)
{
#ifdef GASPER_SOURCE_DIR
    QFile file(path.isEmpty() ? QStringLiteral(GASPER_SOURCE_DIR "/docs/openapi.json") : path);
#else
    QFile file(path);
#endif
    if (file.open(QIODevice::ReadOnly))
        m_document = QJsonDocument::fromJson(file.readAll()).object();
    m_schema = JsonSchema(m_document);
}

QJsonObject OpenApiCheck::operation(const QByteArray &method, const QString &path) const
{
    const QStringList segments = path.split(u'/', Qt::SkipEmptyParts);
    const QJsonObject paths = m_document.value(u"paths").toObject();
    for (auto it = paths.begin(); it != paths.end(); ++it) {
        const QStringList pattern = it.key().split(u'/', Qt::SkipEmptyParts);
        if (pattern.size() != segments.size())
            continue;
        bool match = true;
        for (qsizetype i = 0; i < pattern.size() && match; ++i)
            match = pattern[i].startsWith(u'{') || pattern[i] == segments[i];
        if (match) {
            const QString m = QString::fromLatin1(method).toLower();
            return it.value().toObject().value(m == u"head" ? u"get"_s : m).toObject();
        }
    }
    return {};
}

QStringList OpenApiCheck::check(const QByteArray &method, const QString &target, int status, const QByteArray &body) const
{
    const QString what = u"%1 %2 -> %3"_s.arg(QString::fromLatin1(method), target).arg(status);
    const QJsonObject op = operation(method, target.section(u'?', 0, 0));
    const QJsonObject error{{u"$ref"_s, u"#/components/schemas/Error"_s}};
    if (op.isEmpty()) {
        if (status < 400)
            return {what + u": not in the description"_s};
        const QStringList e = m_schema.validate(QJsonDocument::fromJson(body).object(), error);
        return e.isEmpty() ? QStringList() : QStringList{what + u": "_s + e.join(u"; "_s)};
    }
    const QJsonObject responses = op.value(u"responses").toObject();
    const QString code = QString::number(status);
    const QJsonObject response = responses.contains(code) ? responses.value(code).toObject()
                                                          : responses.value(code.left(1) + u"XX"_s).toObject();
    if (response.isEmpty())
        return {what + u": status not described"_s};
    const QJsonObject content = response.value(u"content").toObject();
    if (content.contains(u"application/json")) {
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            // An answer that may be either (a deploy log: text, or JSON with format=json).
            if (content.contains(u"text/plain"))
                return {};
            return {what + u": the body is not JSON"_s};
        }
        const QJsonValue value = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
        const QStringList e = m_schema.validate(value, content.value(u"application/json").toObject().value(u"schema"));
        return e.isEmpty() ? QStringList() : QStringList{what + u": "_s + e.join(u"; "_s)};
    }
    if (content.isEmpty() && !body.isEmpty() && method != "HEAD")
        return {what + u": a body where the description has none"_s};
    return {};
}

QStringList OpenApiCheck::checkEvent(const QJsonObject &event) const
{
    return m_schema.validate(event, QJsonObject{{u"$ref"_s, u"#/components/schemas/Event"_s}});
}

QStringList OpenApiCheck::checkDocument() const
{
    QStringList problems;
    if (m_document.value(u"openapi").toString() != u"3.1.0")
        problems << u"openapi is not 3.1.0"_s;
    QStringList refs;
    collectRefs(m_document, refs);
    for (const QString &ref : std::as_const(refs)) {
        const QJsonValue target = m_schema.resolve(ref);
        if (!target.isObject() || target.toObject().isEmpty())
            problems << u"unresolvable $ref "_s + ref;
    }
    QSet<QString> operationIds;
    const QJsonObject paths = m_document.value(u"paths").toObject();
    static const QRegularExpression param(u"\\{([a-z_]+)\\}"_s);
    for (auto p = paths.begin(); p != paths.end(); ++p) {
        QSet<QString> inPath;
        for (auto m = param.globalMatch(p.key()); m.hasNext();)
            inPath << m.next().captured(1);
        const QJsonObject operations = p.value().toObject();
        for (auto o = operations.begin(); o != operations.end(); ++o) {
            const QJsonObject op = o.value().toObject();
            const QString where = o.key().toUpper() + u' ' + p.key();
            const QString id = op.value(u"operationId").toString();
            if (id.isEmpty() || operationIds.contains(id))
                problems << where + u": missing or repeated operationId "_s + id;
            operationIds << id;
            QSet<QString> declared;
            for (const QJsonValue &parameter : op.value(u"parameters").toArray()) {
                if (parameter.toObject().value(u"in").toString() == u"path")
                    declared << parameter.toObject().value(u"name").toString();
            }
            if (declared != inPath)
                problems << where + u": path parameters are not all declared"_s;
            const QJsonObject responses = op.value(u"responses").toObject();
            if (responses.isEmpty())
                problems << where + u": no responses"_s;
            for (auto r = responses.begin(); r != responses.end(); ++r) {
                if (r.value().toObject().value(u"description").toString().isEmpty())
                    problems << where + u": response "_s + r.key() + u" has no description"_s;
            }
        }
    }
    return problems;
}

} // namespace gasper::testing
