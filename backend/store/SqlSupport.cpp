// SPDX-License-Identifier: MIT
#include "store/SqlSupport.h"

#include "core/Log.h"

using namespace Qt::StringLiterals;

namespace gasper::store::sql {

QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QString(u""_s)) : QVariant(value);
}

QVariant nullBlob()
{
    return QVariant(QMetaType::fromType<QByteArray>());
}

QVariant toMsOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qlonglong>());
}

QDateTime fromMs(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QDateTime nowUtc()
{
    return QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

Error storeError(const QString &what, const QSqlError &error)
{
    // Driver texts name statements and constraint keys, never bound values, so no secret leaks.
    return Error{u"store-error"_s, what + u": "_s + error.text().trimmed()};
}

Result<QSqlQuery> exec(QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    bool ok = false;
    if (values.isEmpty()) {
        ok = query.exec(sql);
    } else {
        ok = query.prepare(sql);
        if (ok) {
            for (const auto &value : values)
                query.addBindValue(value);
            ok = query.exec();
        }
    }
    if (!ok) {
        // The statement text holds placeholders only, never the bound (possibly secret) values.
        qCWarning(lcStore).noquote() << "statement failed:" << sql.left(120) << "--" << query.lastError().text();
        return std::unexpected(storeError(u"database error"_s, query.lastError()));
    }
    return query;
}

Transaction::~Transaction()
{
    if (m_active)
        QSqlQuery(m_db).exec(u"ROLLBACK"_s);
}

Result<void> Transaction::begin()
{
    QSqlQuery query(m_db);
    if (!query.exec(m_sqlite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s))
        return std::unexpected(storeError(u"cannot begin a transaction"_s, query.lastError()));
    m_active = true;
    return {};
}

Result<void> Transaction::commit()
{
    QSqlQuery query(m_db);
    if (!query.exec(u"COMMIT"_s))
        return std::unexpected(storeError(u"cannot commit"_s, query.lastError()));
    m_active = false;
    return {};
}

} // namespace gasper::store::sql
