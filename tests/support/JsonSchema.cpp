// SPDX-License-Identifier: MIT
#include "JsonSchema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gasper::testing {

namespace {

bool hasType(const QJsonValue &value, const QString &type)
{
    if (type == u"null")
        return value.isNull();
    if (type == u"boolean")
        return value.isBool();
    if (type == u"string")
        return value.isString();
    if (type == u"object")
        return value.isObject();
    if (type == u"array")
        return value.isArray();
    if (type == u"number")
        return value.isDouble();
    if (type == u"integer") {
        if (!value.isDouble())
            return false;
        const double d = value.toDouble();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

QString shown(const QJsonValue &value)
{
    QByteArray text = value.isObject()  ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                      : value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                        : QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    if (text.size() > 80)
        text = text.left(77) + "...";
    return QString::fromUtf8(text);
}

QString child(const QString &at, const QString &key)
{
    QString escaped = key;
    escaped.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
    return at + u'/' + escaped;
}

} // namespace

QJsonValue JsonSchema::resolve(const QString &ref) const
{
    if (!ref.startsWith(u"#"))
        return QJsonObject{};
    QJsonValue node = m_document;
    const QStringList parts = ref.mid(1).split(u'/', Qt::SkipEmptyParts);
    for (QString part : parts) {
        part.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
        if (!node.isObject() || !node.toObject().contains(part))
            return QJsonObject{};
        node = node.toObject().value(part);
    }
    return node;
}

QStringList JsonSchema::validate(const QJsonValue &value, const QJsonValue &schema) const
{
    QStringList errors;
    check(value, schema, QString(), errors, 0);
    return errors;
}

void JsonSchema::check(const QJsonValue &value, const QJsonValue &schemaValue, const QString &at, QStringList &errors,
                       int depth) const
{
    const QString where = at.isEmpty() ? u"/"_s : at;
    if (depth > 64) {
        errors << u"%1: schema nesting too deep (a $ref cycle?)"_s.arg(where);
        return;
    }
    if (schemaValue.isBool()) {
        if (!schemaValue.toBool())
            errors << u"%1: no value is allowed here"_s.arg(where);
        return;
    }
    const QJsonObject schema = schemaValue.toObject();
    if (schema.contains(u"$ref")) {
        const QString ref = schema.value(u"$ref").toString();
        const QJsonValue target = resolve(ref);
        if (target.isObject() && target.toObject().isEmpty() && ref != u"#")
            errors << u"%1: unresolvable $ref %2"_s.arg(where, ref);
        else
            check(value, target, at, errors, depth + 1);
    }
    if (const QJsonValue type = schema.value(u"type"); !type.isUndefined()) {
        QStringList types;
        if (type.isArray()) {
            for (const QJsonValue &t : type.toArray())
                types << t.toString();
        } else {
            types << type.toString();
        }
        bool any = false;
        for (const QString &t : std::as_const(types))
            any = any || hasType(value, t);
        if (!any) {
            errors << u"%1: %2 is not of type %3"_s.arg(where, shown(value), types.join(u" or "_s));
            return;  // the other keywords would only repeat it
        }
    }
    if (const QJsonValue e = schema.value(u"enum"); e.isArray() && !e.toArray().contains(value))
        errors << u"%1: %2 is not one of %3"_s.arg(where, shown(value), shown(e));
    if (const QJsonValue c = schema.value(u"const"); !c.isUndefined() && c != value)
        errors << u"%1: %2 is not %3"_s.arg(where, shown(value), shown(c));

    for (const char *combinator : {"oneOf", "anyOf"}) {
        const QJsonValue list = schema.value(QLatin1StringView(combinator));
        if (!list.isArray())
            continue;
        int matches = 0;
        for (const QJsonValue &option : list.toArray())
            matches += validate(value, option).isEmpty() ? 1 : 0;
        const bool oneOf = qstrcmp(combinator, "oneOf") == 0;
        if (matches == 0 || (oneOf && matches > 1))
            errors << u"%1: %2 matches %3 of the %4 schemas of %5"_s.arg(where, shown(value)).arg(matches)
                          .arg(list.toArray().size()).arg(QLatin1StringView(combinator));
    }
    if (const QJsonValue all = schema.value(u"allOf"); all.isArray()) {
        for (const QJsonValue &part : all.toArray())
            check(value, part, at, errors, depth + 1);
    }

    if (value.isDouble()) {
        const double d = value.toDouble();
        if (schema.contains(u"minimum") && d < schema.value(u"minimum").toDouble())
            errors << u"%1: %2 is below the minimum %3"_s.arg(where, shown(value), shown(schema.value(u"minimum")));
        if (schema.contains(u"maximum") && d > schema.value(u"maximum").toDouble())
            errors << u"%1: %2 is above the maximum %3"_s.arg(where, shown(value), shown(schema.value(u"maximum")));
    }
    if (value.isString()) {
        const QString s = value.toString();
        if (schema.contains(u"minLength") && s.size() < schema.value(u"minLength").toInt())
            errors << u"%1: %2 is shorter than %3"_s.arg(where, shown(value)).arg(schema.value(u"minLength").toInt());
        if (schema.contains(u"maxLength") && s.size() > schema.value(u"maxLength").toInt())
            errors << u"%1: %2 is longer than %3"_s.arg(where, shown(value)).arg(schema.value(u"maxLength").toInt());
        if (const QJsonValue p = schema.value(u"pattern"); p.isString()) {
            const QRegularExpression re(p.toString());
            if (!re.isValid())
                errors << u"%1: invalid pattern %2"_s.arg(where, p.toString());
            else if (!re.match(s).hasMatch())
                errors << u"%1: %2 does not match %3"_s.arg(where, shown(value), p.toString());
        }
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (schema.contains(u"minItems") && array.size() < schema.value(u"minItems").toInt())
            errors << u"%1: fewer than %2 items"_s.arg(where).arg(schema.value(u"minItems").toInt());
        if (const QJsonValue items = schema.value(u"items"); !items.isUndefined()) {
            for (qsizetype i = 0; i < array.size(); ++i)
                check(array.at(i), items, child(at, QString::number(i)), errors, depth + 1);
        }
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QJsonObject properties = schema.value(u"properties").toObject();
        for (const QJsonValue &name : schema.value(u"required").toArray()) {
            if (!object.contains(name.toString()))
                errors << u"%1: the required property '%2' is missing"_s.arg(where, name.toString());
        }
        const QJsonValue additional = schema.value(u"additionalProperties");
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (properties.contains(it.key()))
                check(it.value(), properties.value(it.key()), child(at, it.key()), errors, depth + 1);
            else if (additional.isBool() && !additional.toBool())
                errors << u"%1: the property '%2' is not allowed"_s.arg(where, it.key());
            else if (additional.isObject())
                check(it.value(), additional, child(at, it.key()), errors, depth + 1);
        }
    }
}

} // namespace gasper::testing
