// SPDX-License-Identifier: MIT
// apps::Recipe, the deploy pipeline's runner: order, parallelism, timeouts, failure,
// cancellation and the once-only guarantees, with timers standing in for slow steps.

#include "apps/Recipe.h"

#include <QTest>
#include <QTimer>

using namespace gasper;
using namespace gasper::apps;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// Records what the recipe reports, in order: "+name", "-name:status", "=ok" / "=code".
struct Trace
{
    QStringList events;
    int finishedCount = 0;
    QString message;
    void attach(Recipe &recipe)
    {
        QObject::connect(&recipe, &Recipe::stepStarted, &recipe, [this](const QString &n) { events << u'+' + n; });
        QObject::connect(&recipe, &Recipe::stepFinished, &recipe,
                         [this](const QString &n, const QString &status, qint64) { events << u'-' + n + u':' + status; });
        QObject::connect(&recipe, &Recipe::finished, &recipe, [this](const Result<void> &r) {
            ++finishedCount;
            message = r ? QString() : r.error().message;
            events << (r ? u"=ok"_s : u'=' + r.error().code);
        });
    }
};

// A step that finishes after `ms` with `result`.
Recipe::Step later(const QString &name, int ms, QObject *context, Result<void> result = {})
{
    return step(name, [ms, context, result](const Recipe::Done &done) {
        QTimer::singleShot(ms, context, [done, result] { done(result); });
    });
}

} // namespace

class tst_Recipe : public QObject
{
    Q_OBJECT

private slots:
    void sequenceRunsStepsInOrderAndFinishesOnce()
    {
        Recipe recipe(sequence({later(u"a"_s, 5, this), later(u"b"_s, 1, this), later(u"c"_s, 1, this)}));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        QTRY_COMPARE(trace.finishedCount, 1);
        QCOMPARE(trace.events, (QStringList{u"+a"_s, u"-a:done"_s, u"+b"_s, u"-b:done"_s, u"+c"_s, u"-c:done"_s, u"=ok"_s}));
        QTest::qWait(20);
        QCOMPARE(trace.finishedCount, 1);
    }

    void parallelStepsRunAtOnceAndTheGroupWaitsForAll()
    {
        Recipe recipe(sequence({parallel({later(u"slow"_s, 40, this),
                                          sequence({later(u"x"_s, 5, this), later(u"y"_s, 5, this)})}),
                                later(u"after"_s, 1, this)}));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        QCOMPARE(trace.events, (QStringList{u"+slow"_s, u"+x"_s}));  // both branches began at once
        QTRY_COMPARE(trace.finishedCount, 1);
        QCOMPARE(trace.events, (QStringList{u"+slow"_s, u"+x"_s, u"-x:done"_s, u"+y"_s, u"-y:done"_s, u"-slow:done"_s,
                                            u"+after"_s, u"-after:done"_s, u"=ok"_s}));
    }

    void firstFailureEndsTheRecipeAndCutsRunningStepsShort()
    {
        bool slowCancelled = false;
        bool afterRan = false;
        Recipe::Done slowDone;
        Recipe recipe(sequence({
            parallel({step(u"slow"_s, [&](const Recipe::Done &done) { slowDone = done; })
                          .onCancel([&] { slowCancelled = true; }),
                      later(u"bad"_s, 5, this, fail(u"boom"_s, u"it broke"_s))}),
            step(u"after"_s, [&](const Recipe::Done &done) { afterRan = true; done({}); }),
        }));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        QTRY_COMPARE(trace.finishedCount, 1);
        QCOMPARE(trace.events, (QStringList{u"+slow"_s, u"+bad"_s, u"-bad:failed"_s, u"-slow:failed"_s, u"=boom"_s}));
        QVERIFY(slowCancelled);
        QCOMPARE(trace.message, u"it broke"_s);
        slowDone({});  // a late answer of a cut-short step changes nothing
        QTest::qWait(10);
        QVERIFY(!afterRan);
        QCOMPARE(trace.finishedCount, 1);
    }

    void stepTimeoutFailsWithItsErrorAndCancelsTheStep()
    {
        bool cancelled = false;
        Recipe recipe(sequence({step(u"build"_s, [](const Recipe::Done &) {})
                                    .withTimeout(30ms, Error{u"build-timeout"_s, u"too slow"_s})
                                    .onCancel([&] { cancelled = true; })}));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        QTRY_COMPARE(trace.finishedCount, 1);
        QCOMPARE(trace.events, (QStringList{u"+build"_s, u"-build:failed"_s, u"=build-timeout"_s}));
        QVERIFY(cancelled);
    }

    void stepThatAnswersInTimeIsNotTimedOut()
    {
        Recipe recipe(sequence({later(u"quick"_s, 5, this).withTimeout(200ms)}));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        QTRY_COMPARE(trace.finishedCount, 1);
        QTest::qWait(250);  // the timer is gone with the step
        QCOMPARE(trace.events, (QStringList{u"+quick"_s, u"-quick:done"_s, u"=ok"_s}));
    }

    void conditionFalseSkipsTheStepAndReportsIt()
    {
        bool ran = false;
        Recipe recipe(sequence({step(u"build"_s, [&](const Recipe::Done &done) { ran = true; done({}); })
                                    .when([] { return false; }),
                                call([] { return Result<void>{}; }), later(u"health"_s, 1, this)}));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        QTRY_COMPARE(trace.finishedCount, 1);
        QVERIFY(!ran);
        QCOMPARE(trace.events, (QStringList{u"-build:skipped"_s, u"+health"_s, u"-health:done"_s, u"=ok"_s}));
    }

    void synchronousAnswersAndFailingGlueWork()
    {
        bool second = false;
        Recipe recipe(sequence({step(u"now"_s, [](const Recipe::Done &done) { done({}); }),
                                call([] { return Result<void>(fail(u"io-error"_s, u"no"_s)); }),
                                step(u"never"_s, [&](const Recipe::Done &done) { second = true; done({}); })}));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        QCOMPARE(trace.finishedCount, 1);  // all synchronous: over before start() returns
        QCOMPARE(trace.events, (QStringList{u"+now"_s, u"-now:done"_s, u"=io-error"_s}));
        QVERIFY(!second);
    }

    void cancelEndsWithTheGivenErrorOnce()
    {
        bool cancelled = false;
        Recipe recipe(sequence({step(u"clone"_s, [](const Recipe::Done &) {}).onCancel([&] { cancelled = true; })}));
        Trace trace;
        trace.attach(recipe);
        recipe.start();
        recipe.cancel(Error{u"deploy-cancelled"_s, u"stop"_s});
        recipe.cancel(Error{u"again"_s, u"ignored"_s});
        QCOMPARE(trace.events, (QStringList{u"+clone"_s, u"-clone:failed"_s, u"=deploy-cancelled"_s}));
        QVERIFY(cancelled);
        QVERIFY(!recipe.isRunning());

        Recipe unstarted(sequence({later(u"x"_s, 1, this)}));
        Trace other;
        other.attach(unstarted);
        unstarted.cancel(Error{u"deploy-cancelled"_s, u"stop"_s});
        unstarted.start();  // too late: it ended
        QTest::qWait(10);
        QCOMPARE(other.events, (QStringList{u"=deploy-cancelled"_s}));
    }

    void destroyedRecipeIgnoresLateAnswers()
    {
        Recipe::Done pending;
        auto *recipe = new Recipe(sequence({step(u"slow"_s, [&](const Recipe::Done &done) { pending = done; })
                                                .withTimeout(20ms)}));
        int finished = 0;
        connect(recipe, &Recipe::finished, this, [&] { ++finished; });
        recipe->start();
        delete recipe;
        pending({});  // no crash, nothing emitted
        QTest::qWait(40);  // nor does the timeout fire
        QCOMPARE(finished, 0);
    }
};

QTEST_GUILESS_MAIN(tst_Recipe)
#include "tst_recipe.moc"
