// SPDX-License-Identifier: MIT
// The JSON Schema subset that checks API answers against docs/openapi.json: each
// keyword accepts what it should and names what it refuses.

#include "JsonSchema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gasper::testing;
using namespace Qt::StringLiterals;

// JSON written with single quotes (moc 6.4 cannot parse raw string literals).
static QJsonValue J(const char *text)
{
    QByteArray json(text);
    json.replace('\'', '"');
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson("[" + json + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", text);
    return doc.array().first();
}

class tst_JsonSchema : public QObject
{
    Q_OBJECT

private slots:
    void keywords_data()
    {
        QTest::addColumn<QJsonValue>("schema");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("error");  // empty: valid; else a part of the one message expected
        QTest::newRow("type string ok") << J("{'type':'string'}") << J("'x'") << QString();
        QTest::newRow("type string bad") << J("{'type':'string'}") << J("1") << u"not of type string"_s;
        QTest::newRow("integer ok") << J("{'type':'integer'}") << J("3") << QString();
        QTest::newRow("integer fraction") << J("{'type':'integer'}") << J("3.5") << u"not of type integer"_s;
        QTest::newRow("number takes integers") << J("{'type':'number'}") << J("3") << QString();
        QTest::newRow("type list with null") << J("{'type':['string','null']}") << J("null") << QString();
        QTest::newRow("type list refuses") << J("{'type':['string','null']}") << J("true") << u"string or null"_s;
        QTest::newRow("boolean") << J("{'type':'boolean'}") << J("0") << u"not of type boolean"_s;
        QTest::newRow("enum ok") << J("{'enum':['a','b']}") << J("'b'") << QString();
        QTest::newRow("enum bad") << J("{'enum':['a','b']}") << J("'c'") << u"not one of"_s;
        QTest::newRow("const") << J("{'const':'x'}") << J("'y'") << u"is not \"x\""_s;
        QTest::newRow("required missing") << J("{'type':'object','required':['a']}") << J("{}") << u"'a' is missing"_s;
        QTest::newRow("additional refused") << J("{'type':'object','properties':{'a':{}},'additionalProperties':false}")
                                            << J("{'a':1,'b':2}") << u"'b' is not allowed"_s;
        QTest::newRow("additional allowed by default") << J("{'type':'object','properties':{'a':{}}}") << J("{'b':2}") << QString();
        QTest::newRow("additional schema") << J("{'type':'object','additionalProperties':{'type':'string'}}")
                                           << J("{'k':1}") << u"/k: 1 is not of type string"_s;
        QTest::newRow("nested property path") << J("{'properties':{'a':{'properties':{'b':{'type':'string'}}}}}")
                                              << J("{'a':{'b':false}}") << u"/a/b:"_s;
        QTest::newRow("items") << J("{'type':'array','items':{'type':'integer'}}") << J("[1,'x']") << u"/1:"_s;
        QTest::newRow("minItems") << J("{'type':'array','minItems':1}") << J("[]") << u"fewer than 1"_s;
        QTest::newRow("oneOf exactly one") << J("{'oneOf':[{'type':'string'},{'type':'integer'}]}") << J("2") << QString();
        QTest::newRow("oneOf none") << J("{'oneOf':[{'type':'string'},{'type':'integer'}]}") << J("true") << u"matches 0"_s;
        QTest::newRow("oneOf two") << J("{'oneOf':[{'type':'number'},{'type':'integer'}]}") << J("2") << u"matches 2"_s;
        QTest::newRow("anyOf two is fine") << J("{'anyOf':[{'type':'number'},{'type':'integer'}]}") << J("2") << QString();
        QTest::newRow("allOf") << J("{'allOf':[{'type':'integer'},{'minimum':5}]}") << J("4") << u"below the minimum"_s;
        QTest::newRow("maximum") << J("{'maximum':5}") << J("6") << u"above the maximum"_s;
        QTest::newRow("pattern") << J("{'type':'string','pattern':'^[a-z]+$'}") << J("'A'") << u"does not match"_s;
        QTest::newRow("minLength") << J("{'minLength':2}") << J("'a'") << u"shorter than 2"_s;
        QTest::newRow("maxLength") << J("{'maxLength':2}") << J("'abc'") << u"longer than 2"_s;
        QTest::newRow("false schema") << J("false") << J("1") << u"no value is allowed"_s;
        QTest::newRow("annotations ignored") << J("{'description':'d','format':'date-time','example':1}") << J("'x'") << QString();
    }
    void keywords()
    {
        QFETCH(QJsonValue, schema);
        QFETCH(QJsonValue, value);
        QFETCH(QString, error);
        const QStringList errors = JsonSchema().validate(value, schema);
        if (error.isEmpty()) {
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        } else {
            QCOMPARE(errors.size(), 1);
            QVERIFY2(errors.first().contains(error), qPrintable(errors.first()));
        }
    }

    void refsResolveInsideTheDocument()
    {
        const QJsonObject doc = J("{'components':{'schemas':{'Name':{'type':'string'},"
                                  "'Thing':{'type':'object','required':['name'],'properties':{'name':{'$ref':'#/components/schemas/Name'}}}}}}")
                                    .toObject();
        const JsonSchema schema(doc);
        const QJsonValue thing = J("{'$ref':'#/components/schemas/Thing'}");
        QVERIFY(schema.validate(J("{'name':'x'}"), thing).isEmpty());
        const QStringList errors = schema.validate(J("{'name':3}"), thing);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(u"/name:"), qPrintable(errors.first()));
        QVERIFY(schema.validate(J("1"), J("{'$ref':'#/components/schemas/Nope'}")).first().contains(u"unresolvable"));
    }

    void refCyclesAreReportedNotFollowedForever()
    {
        const JsonSchema schema(J("{'a':{'$ref':'#/a'}}").toObject());
        const QStringList errors = schema.validate(J("1"), J("{'$ref':'#/a'}"));
        QVERIFY(!errors.isEmpty());
        QVERIFY(errors.first().contains(u"too deep"));
    }
};

QTEST_MAIN(tst_JsonSchema)
#include "tst_jsonschema.moc"
