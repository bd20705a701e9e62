// SPDX-License-Identifier: MIT
#pragma once

#include "JsonSchema.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace gasper::testing {

// Checks API answers against docs/openapi.json: the operation whose path template matches
// the request, its response for the status (or the status class, "5XX"), and the body
// against that response's schema. Answers of paths the description does not have must be
// errors with the Error body. check() returns what is wrong; empty means the answer is
// as described.
class OpenApiCheck
{
public:
    // Loads GASPER_SOURCE_DIR/docs/openapi.json unless given another path.
    explicit OpenApiCheck(const QString &path = {});

    bool isLoaded() const { return !m_document.isEmpty(); }
    const QJsonObject &document() const { return m_document; }
    const JsonSchema &schema() const { return m_schema; }

    QStringList check(const QByteArray &method, const QString &target, int status, const QByteArray &body) const;
    // One event of WS /api/v1/events against components/schemas/Event.
    QStringList checkEvent(const QJsonObject &event) const;
    // The description's own consistency: unique operationIds, every $ref resolving,
    // every {param} of a path declared, every response described.
    QStringList checkDocument() const;

private:
    QJsonObject operation(const QByteArray &method, const QString &path) const;

    QJsonObject m_document;
    JsonSchema m_schema;
};

} // namespace gasper::testing
