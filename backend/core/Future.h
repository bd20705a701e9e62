// SPDX-License-Identifier: MIT
#pragma once

// A QFuture whose then(context, f) is safe with Qt 6.4 (found under ASan: gasperd crashed
// with a null dereference in QPromise<void>::start() inside a Kaze continuation).
//
// Qt 6.4's QFuture::then() is not safe against a future that another thread finishes at
// that very moment: QPromise::finish() sets the Finished state and then, as a second step,
// runs the stored continuation; QFutureInterfaceBase::setContinuation() sees Finished,
// runs the continuation itself and then still stores it (moved-from). When the finishing
// thread's second step comes after that, the continuation runs twice, the second time
// with a moved-from QPromise and functor -> crash (or the handler called twice). The
// window is small, but AsyncStore tasks finish in microseconds on another thread, right
// while the caller attaches its continuation. QFutureWatcher has no such window: it
// attaches under the future's own mutex, the same one the finishing thread takes.

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThread>

#include <memory>
#include <type_traits>
#include <utility>

namespace gasper {

// Future<T> is a QFuture<T> (it converts both ways) that replaces then(context, f) with a
// QFutureWatcher-based one. Guarantees: f runs at most once, on context's thread, from the
// event loop; never after context is destroyed; not at all when the future was cancelled.
// The other then() overloads are hidden on purpose: convert to QFuture<T> to use them.
template<class T>
class Future : public QFuture<T>
{
public:
    Future() = default;
    Future(const QFuture<T> &future) : QFuture<T>(future) {}  // NOLINT: implicit on purpose

    // f(const T &) (f() for T = void). Call it on context's thread. The returned future
    // finishes once f has run, and is cancelled when f never will (as QFuture::then's).
    template<class F>
    QFuture<void> then(QObject *context, F &&f) const
    {
        Q_ASSERT(context && context->thread() == QThread::currentThread());
        auto done = std::make_shared<QPromise<void>>();
        done->start();
        QFuture<void> continuation = done->future();
        auto *watcher = new QFutureWatcher<T>(context);  // dies with context, f with it
        QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                         [watcher, done, f = std::forward<F>(f)]() mutable {
            watcher->deleteLater();
            const QFuture<T> future = watcher->future();
            if (future.isCanceled())
                return;  // done's destructor cancels the continuation future
            if constexpr (std::is_void_v<T>)
                f();
            else
                f(future.result());
            done->finish();
        });
        watcher->setFuture(*this);
        return continuation;
    }
};

} // namespace gasper
