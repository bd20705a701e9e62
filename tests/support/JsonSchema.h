// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace gasper::testing {

// A small JSON Schema (2020-12, as OpenAPI 3.1 uses it) validator, for the keywords our
// OpenAPI description uses: type (a name or a list), properties, required,
// additionalProperties (false or a schema), items, enum, const, oneOf, anyOf, allOf,
// minimum, maximum, minLength, maxLength, pattern, minItems, and $ref to "#/…" inside
// `document`. Unknown keywords (format, description, example…) are ignored, as the
// specification says annotations are. validate() returns one message per violation,
// each with the JSON pointer of the offending value; empty means valid.
class JsonSchema
{
public:
    explicit JsonSchema(QJsonObject document = {}) : m_document(std::move(document)) {}

    QStringList validate(const QJsonValue &value, const QJsonValue &schema) const;
    // The schema at a "#/a/b" reference, or an empty object.
    QJsonValue resolve(const QString &ref) const;

private:
    void check(const QJsonValue &value, const QJsonValue &schema, const QString &at, QStringList &errors, int depth) const;

    QJsonObject m_document;
};

} // namespace gasper::testing
