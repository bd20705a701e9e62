// SPDX-License-Identifier: MIT
#pragma once

#include "core/Result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <functional>
#include <variant>
#include <vector>

class QTimer;

namespace gasper::apps {

// A multi-step asynchronous flow written down as one tree, after Qt Creator's Tasking
// (`Group { parallel, task, … }`): steps, sequences and parallel groups, a timeout per
// step, and one rule for failure — the first step that fails (or times out) ends the whole
// recipe: steps still running are cancelled (their cancel hook runs, their late answers
// are ignored) and nothing after them starts.
//
//   Recipe recipe(sequence({
//       parallel({ step("clone", 30s, clone).onCancel(stopClone),
//                  sequence({ step("create", 2min, create), step("start", 2min, start) }) }),
//       step("build", 15min, build).when(hasBuildCommands),
//       step("health", 65s, probe),
//   }));
//
// Guarantees: a step's run() is called at most once, from the event loop or from start();
// its Done may be called synchronously or later, at most once counts; finished() is
// emitted exactly once (success, the first failure, or cancel()), after every
// stepFinished(); nothing is emitted after the Recipe is destroyed.
class Recipe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Recipe)
public:
    using Done = std::function<void(Result<void>)>;

    struct Step
    {
        QString name;
        std::chrono::milliseconds timeout{0};  // 0: none
        std::function<void(Done)> run;
        std::function<bool()> condition;        // false when reached: reported skipped, not run
        std::function<void()> cancelHook;       // the recipe stopped while this step ran
        Error timeoutError;                     // default: <name>-timeout
        bool reported = true;                   // false: no stepStarted/stepFinished (glue)

        Step &withTimeout(std::chrono::milliseconds t, Error error = {});
        Step &when(std::function<bool()> c);
        Step &onCancel(std::function<void()> hook);
        Step &unreported();
    };
    struct Item;
    enum class Mode { Sequence, Parallel };
    struct Group
    {
        Mode mode = Mode::Sequence;
        std::vector<Item> items;
    };
    struct Item
    {
        Item(Step s) : node(std::move(s)) {}   // NOLINT: implicit, for brace lists
        Item(Group g) : node(std::move(g)) {}  // NOLINT
        std::variant<Step, Group> node;
    };

    explicit Recipe(Group root, QObject *parent = nullptr);
    ~Recipe() override;

    void start();
    // Ends the recipe with `error` (running steps are cancelled); nothing if it ended.
    void cancel(const Error &error);
    bool isRunning() const { return m_started && !m_finished; }

signals:
    void stepStarted(const QString &name);
    // status: "done", "failed" (it failed, timed out, or was cut short) or "skipped"
    void stepFinished(const QString &name, const QString &status, qint64 ms);
    void finished(const gasper::Result<void> &result);

private:
    struct Running
    {
        QString name;
        bool reported = true;
        QElapsedTimer clock;
        QTimer *timer = nullptr;
        std::function<void()> cancelHook;
    };
    void runItem(const Item &item, Done next);
    void runStep(const Step &step, Done next);
    void runGroup(const Group &group, size_t index, Done next);
    void fail(const Error &error, int failingStep);
    void endStep(int id, const QString &status);

    Group m_root;
    bool m_started = false;
    bool m_finished = false;
    int m_nextId = 0;
    QHash<int, Running> m_running;
};

// Builders, so a recipe reads as a tree.
Recipe::Step step(const QString &name, std::function<void(Recipe::Done)> run);
// A synchronous piece of glue between steps (a state change, say): not reported.
Recipe::Step call(std::function<Result<void>()> fn);
Recipe::Group sequence(std::vector<Recipe::Item> items);
Recipe::Group parallel(std::vector<Recipe::Item> items);

} // namespace gasper::apps
