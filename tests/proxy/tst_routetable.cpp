// SPDX-License-Identifier: MIT
#include "proxy/RouteTable.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using gasper::proxy::RouteTable;

class tst_RouteTable final : public QObject
{
    Q_OBJECT

private slots:
    void findNormalizesTheHostHeader_data();
    void findNormalizesTheHostHeader();
    void unavailableRouteKeepsStatusAndMessage();
    void removeForgetsTheHostAndSignals();
    void hostsAreListedNormalizedAndSorted();
};

void tst_RouteTable::findNormalizesTheHostHeader_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<bool>("found");
    QTest::newRow("exact") << u"myapp.localhost"_s << true;
    QTest::newRow("with port") << u"myapp.localhost:8080"_s << true;
    QTest::newRow("upper case") << u"MyApp.LOCALHOST"_s << true;
    QTest::newRow("upper case with port") << u"MYAPP.localhost:80"_s << true;
    QTest::newRow("trailing dot") << u"myapp.localhost."_s << true;
    QTest::newRow("trailing dot and port") << u"myapp.localhost.:8080"_s << true;
    QTest::newRow("surrounding space") << u" myapp.localhost "_s << true;
    QTest::newRow("other host") << u"other.localhost"_s << false;
    QTest::newRow("suffix only") << u"localhost"_s << false;
    QTest::newRow("longer") << u"xmyapp.localhost"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void tst_RouteTable::findNormalizesTheHostHeader()
{
    QFETCH(QString, header);
    QFETCH(bool, found);
    RouteTable table;
    table.setUpstream(u"MyApp.localhost"_s, u"127.0.0.1"_s, 41234);
    const auto route = table.find(header);
    QCOMPARE(route.has_value(), found);
    if (found) {
        QCOMPARE(route->kind, RouteTable::Route::Kind::Upstream);
        QCOMPARE(route->address, u"127.0.0.1"_s);
        QCOMPARE(route->port, quint16(41234));
    }
}

void tst_RouteTable::unavailableRouteKeepsStatusAndMessage()
{
    RouteTable table;
    QSignalSpy spy(&table, &RouteTable::changed);
    table.setUnavailable(u"app.localhost"_s, 503, u"deploying"_s);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), u"app.localhost"_s);
    auto route = table.find(u"app.localhost:8080");
    QVERIFY(route);
    QCOMPARE(route->kind, RouteTable::Route::Kind::Unavailable);
    QCOMPARE(route->status, 503);
    QCOMPARE(route->message, u"deploying"_s);

    table.setUnavailable(u"app.localhost"_s, 502, u"down"_s);
    route = table.find(u"app.localhost");
    QCOMPARE(route->status, 502);

    // A status that is not an error falls back to 503 instead of a bogus answer.
    table.setUnavailable(u"app.localhost"_s, 200, u"?"_s);
    QCOMPARE(table.find(u"app.localhost")->status, 503);

    table.setUpstream(u"app.localhost"_s, u"127.0.0.1"_s, 9);
    QCOMPARE(table.find(u"app.localhost")->kind, RouteTable::Route::Kind::Upstream);
    QCOMPARE(spy.count(), 4);
}

void tst_RouteTable::removeForgetsTheHostAndSignals()
{
    RouteTable table;
    table.setUpstream(u"a.localhost"_s, u"127.0.0.1"_s, 1000);
    QSignalSpy spy(&table, &RouteTable::changed);
    table.remove(u"A.LOCALHOST."_s);
    QCOMPARE(spy.count(), 1);
    QVERIFY(!table.find(u"a.localhost"));
    table.remove(u"a.localhost"_s);  // nothing left: no signal
    QCOMPARE(spy.count(), 1);
}

void tst_RouteTable::hostsAreListedNormalizedAndSorted()
{
    RouteTable table;
    table.setUpstream(u"B.localhost"_s, u"127.0.0.1"_s, 1);
    table.setUnavailable(u"a.localhost."_s, 503, {});
    QCOMPARE(table.hosts(), (QStringList{u"a.localhost"_s, u"b.localhost"_s}));
    QCOMPARE(RouteTable::normalizeHost(u"[::1]:8080"), u"[::1]"_s);
    QCOMPARE(RouteTable::normalizeHost(u"127.0.0.1:80"), u"127.0.0.1"_s);
}

QTEST_GUILESS_MAIN(tst_RouteTable)
#include "tst_routetable.moc"
