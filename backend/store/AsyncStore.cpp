// SPDX-License-Identifier: MIT
#include "store/AsyncStore.h"

#include <QAtomicInteger>

using namespace Qt::StringLiterals;

namespace gasper::store {

AsyncStore::AsyncStore()
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);  // the one thread lives as long as the pool
    m_pool.setObjectName(u"gasper-store"_s);
}

AsyncStore::~AsyncStore()
{
    // The connection must be closed on the thread that used it, after every queued task.
    detail::startOn(m_pool, [this] { m_store.reset(); });
    m_pool.waitForDone();
}

Result<std::unique_ptr<AsyncStore>> AsyncStore::open(const QString &url, const QString &secretKeyPath)
{
    static QAtomicInteger<int> counter;
    const QString connectionName = u"gasper-store-%1"_s.arg(counter.fetchAndAddRelaxed(1));

    std::unique_ptr<AsyncStore> store(new AsyncStore);
    QPromise<Result<void>> promise;
    QFuture<Result<void>> opened = promise.future();
    promise.start();
    AsyncStore *raw = store.get();
    detail::startOn(raw->m_pool, [raw, url, secretKeyPath, connectionName, promise = std::move(promise)]() mutable {
        promise.addResult([&]() -> Result<void> {
            auto secrets = SecretBox::loadOrCreate(secretKeyPath);
            if (!secrets)
                return std::unexpected(secrets.error());
            auto opened = Store::open(url, *secrets, connectionName);
            if (!opened)
                return std::unexpected(opened.error());
            raw->m_store = std::move(*opened);
            raw->m_engine = raw->m_store->engine();
            return {};
        }());
        promise.finish();
    });
    opened.waitForFinished();
    if (const Result<void> result = opened.result(); !result)
        return std::unexpected(result.error());
    return store;
}

QString AsyncStore::engine() const
{
    return m_engine;
}

} // namespace gasper::store
