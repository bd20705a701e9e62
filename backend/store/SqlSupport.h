// SPDX-License-Identifier: MIT
// What every part of the store (Store*.cpp) says to Qt SQL the same way: value conversions
// between the records and the columns, one statement with the store's error, one
// transaction. Private to backend/store: the rest of Gasper sees Store only.
#pragma once

#include "core/Result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace gasper::store::sql {

// Bound null QStrings become SQL NULL; NOT NULL text columns need a real empty string.
QVariant text(const QString &value);
QVariant nullBlob();
QVariant toMsOrNull(const QDateTime &time);
QDateTime fromMs(const QVariant &value);
// "now" at millisecond precision, so what a caller gets back equals what a later read returns.
QDateTime nowUtc();
qint64 nowMs();

// A store-error carrying the driver's text: the router logs it and answers a plain sentence.
Error storeError(const QString &what, const QSqlError &error);

// Runs one statement. With values it is prepared and bound (`?` placeholders work on both
// drivers); without, it runs as plain text, which PostgreSQL needs for DDL and transaction control.
Result<QSqlQuery> exec(QSqlDatabase &db, const QString &sql, const QVariantList &values = {});

// One SQL transaction; rolled back unless commit() succeeded. SQLite uses BEGIN IMMEDIATE so
// that a writer takes the write lock up front (waiting up to the busy timeout) instead of
// failing later when a read lock cannot be upgraded.
class Transaction
{
public:
    Transaction(QSqlDatabase &db, bool sqlite) : m_db(db), m_sqlite(sqlite) {}
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    Result<void> begin();
    Result<void> commit();

private:
    QSqlDatabase &m_db;
    bool m_sqlite;
    bool m_active = false;
};

} // namespace gasper::store::sql
