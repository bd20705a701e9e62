// SPDX-License-Identifier: MIT
#include "apps/Recipe.h"

#include <QTimer>

#include <algorithm>
#include <memory>

namespace gasper::apps {

Recipe::Step &Recipe::Step::withTimeout(std::chrono::milliseconds t, Error error)
{
    timeout = t;
    timeoutError = std::move(error);
    return *this;
}

Recipe::Step &Recipe::Step::when(std::function<bool()> c)
{
    condition = std::move(c);
    return *this;
}

Recipe::Step &Recipe::Step::onCancel(std::function<void()> hook)
{
    cancelHook = std::move(hook);
    return *this;
}

Recipe::Step &Recipe::Step::unreported()
{
    reported = false;
    return *this;
}

Recipe::Step step(const QString &name, std::function<void(Recipe::Done)> run)
{
    Recipe::Step s;
    s.name = name;
    s.run = std::move(run);
    return s;
}

Recipe::Step call(std::function<Result<void>()> fn)
{
    Recipe::Step s;
    s.name = QStringLiteral("call");
    s.reported = false;
    s.run = [fn = std::move(fn)](const Recipe::Done &done) { done(fn()); };
    return s;
}

Recipe::Group sequence(std::vector<Recipe::Item> items)
{
    return Recipe::Group{Recipe::Mode::Sequence, std::move(items)};
}

Recipe::Group parallel(std::vector<Recipe::Item> items)
{
    return Recipe::Group{Recipe::Mode::Parallel, std::move(items)};
}

Recipe::Recipe(Group root, QObject *parent) : QObject(parent), m_root(std::move(root)) {}

Recipe::~Recipe()
{
    // Destroyed mid-way: the steps' own objects go with their owners; stop the clocks.
    for (Running &r : m_running) {
        if (r.timer)
            r.timer->stop();
    }
}

void Recipe::start()
{
    if (m_started)
        return;
    m_started = true;
    runGroup(m_root, 0, [this](const Result<void> &) {
        if (m_finished)
            return;
        m_finished = true;
        emit finished({});
    });
}

void Recipe::cancel(const Error &error)
{
    if (!m_started) {
        m_started = true;  // never starts now
        m_finished = true;
        emit finished(std::unexpected(error));
        return;
    }
    fail(error, -1);
}

void Recipe::runItem(const Item &item, Done next)
{
    if (const Step *s = std::get_if<Step>(&item.node))
        runStep(*s, std::move(next));
    else
        runGroup(std::get<Group>(item.node), 0, std::move(next));
}

void Recipe::runGroup(const Group &group, size_t index, Done next)
{
    if (group.mode == Mode::Sequence) {
        if (index >= group.items.size()) {
            next({});
            return;
        }
        runItem(group.items[index], [this, &group, index, next](const Result<void> &) {
            if (!m_finished)
                runGroup(group, index + 1, next);
        });
        return;
    }
    // Parallel: all at once; the group is done when every item is.
    if (group.items.empty()) {
        next({});
        return;
    }
    auto pending = std::make_shared<size_t>(group.items.size());
    for (const Item &item : group.items) {
        runItem(item, [this, pending, next](const Result<void> &) {
            if (--*pending == 0 && !m_finished)
                next({});
        });
        if (m_finished)
            return;  // an item failed at once: the others never start
    }
}

void Recipe::runStep(const Step &step, Done next)
{
    if (step.condition && !step.condition()) {
        if (step.reported)
            emit stepFinished(step.name, QStringLiteral("skipped"), 0);
        next({});
        return;
    }
    const int id = m_nextId++;
    Running &running = m_running[id];
    running.name = step.name;
    running.reported = step.reported;
    running.cancelHook = step.cancelHook;
    running.clock.start();
    if (step.timeout.count() > 0) {
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        const Error error = step.timeoutError.code.isEmpty()
                                ? Error{step.name + QStringLiteral("-timeout"),
                                        QStringLiteral("%1 did not finish within %2 s")
                                            .arg(step.name)
                                            .arg(double(step.timeout.count()) / 1000.0)}
                                : step.timeoutError;
        connect(timer, &QTimer::timeout, this, [this, id, error] {
            const auto it = m_running.find(id);
            if (it == m_running.end())
                return;
            if (it->cancelHook)
                std::exchange(it->cancelHook, {})();  // it is still at work: stop it
            fail(error, id);
        });
        timer->start(step.timeout);
        running.timer = timer;
    }
    if (step.reported)
        emit stepStarted(step.name);
    QPointer<Recipe> self(this);
    auto called = std::make_shared<bool>(false);
    step.run([self, id, called, next](Result<void> result) {
        if (!self || *called)
            return;
        *called = true;
        if (self->m_finished || !self->m_running.contains(id))
            return;  // the recipe ended meanwhile (failure elsewhere, timeout, cancel)
        if (!result) {
            self->fail(result.error(), id);
            return;
        }
        self->endStep(id, QStringLiteral("done"));
        next({});
    });
}

void Recipe::endStep(int id, const QString &status)
{
    const auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    const Running r = *it;
    m_running.erase(it);
    if (r.timer) {
        r.timer->stop();
        r.timer->deleteLater();
    }
    if (r.reported)
        emit stepFinished(r.name, status, r.clock.elapsed());
}

void Recipe::fail(const Error &error, int failingStep)
{
    if (m_finished)
        return;
    m_finished = true;
    if (failingStep >= 0)
        endStep(failingStep, QStringLiteral("failed"));
    // Steps still at work are cut short, in the order they started.
    QList<int> ids = m_running.keys();
    std::sort(ids.begin(), ids.end());
    for (int id : ids) {
        if (auto hook = m_running.value(id).cancelHook)
            hook();
        endStep(id, QStringLiteral("failed"));
    }
    emit finished(std::unexpected(error));
}

} // namespace gasper::apps
