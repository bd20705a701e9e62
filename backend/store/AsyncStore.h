// SPDX-License-Identifier: MIT
#pragma once

#include "core/Future.h"
#include "core/Result.h"
#include "store/Store.h"

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QRunnable>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace gasper::store {

namespace detail {

// A one-shot QRunnable over a callable that may be move-only (QThreadPool::start(std::function)
// needs a copyable one, and QPromise is move-only).
template<class F>
class CallTask final : public QRunnable
{
public:
    explicit CallTask(F &&f) : m_f(std::move(f)) { setAutoDelete(true); }
    void run() override { m_f(); }

private:
    F m_f;
};

template<class F>
void startOn(QThreadPool &pool, F &&f)
{
    pool.start(new CallTask<std::decay_t<F>>(std::forward<F>(f)));
}

} // namespace detail

// Owns one Store and runs it on a dedicated thread: a QThreadPool with one thread that
// never expires, so the SQL connection is always used from the thread that opened it and
// the event-loop thread never blocks on SQL. Tasks run one at a time in submission order;
// each hands its result back as a gasper::Future (continue with .then(context, …), which is
// safe against the task finishing while the continuation is attached; see core/Future.h).
// The destructor waits for queued tasks, then closes the store on its thread.
class AsyncStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AsyncStore)

public:
    // Opens the store (and runs the migrations) on the store thread and waits for that:
    // call it at start-up, before the event loop serves requests.
    static Result<std::unique_ptr<AsyncStore>> open(const QString &url, const QString &secretKeyPath);
    ~AsyncStore() override;

    // f(Store &) runs on the store thread, after everything submitted before it.
    template<class F>
    auto run(F &&f) -> Future<std::invoke_result_t<F, Store &>>
    {
        using R = std::invoke_result_t<F, Store &>;
        // Not QtConcurrent::run: a thread waiting on a QtConcurrent future may steal the task and
        // run it itself, which would use the SQL connection off the store thread. A future
        // from a QPromise has no task to steal.
        QPromise<R> promise;
        QFuture<R> future = promise.future();
        promise.start();
        detail::startOn(m_pool, [store = m_store.get(), fn = std::forward<F>(f), promise = std::move(promise)]() mutable {
            if constexpr (std::is_void_v<R>) {
                std::invoke(fn, *store);
            } else {
                promise.addResult(std::invoke(fn, *store));
            }
            promise.finish();
        });
        return Future<R>(future);
    }

    QString engine() const;

private:
    AsyncStore();

    QThreadPool m_pool;
    std::unique_ptr<Store> m_store;  // created, used and destroyed on the pool's thread only
    QString m_engine;
};

} // namespace gasper::store
