// SPDX-License-Identifier: MIT
#include "JsonListModel.h"

namespace gasper::console {

JsonListModel::JsonListModel(QStringList keys, QObject *parent)
    : QAbstractListModel(parent)
    , m_keys(std::move(keys))
{
}

int JsonListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant JsonListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &row = m_rows.at(index.row());
    if (role == Qt::UserRole)
        return row.toVariantMap();
    const int key = role - Qt::UserRole - 1;
    if (key < 0 || key >= m_keys.size())
        return {};
    return row.value(m_keys.at(key)).toVariant();
}

QHash<int, QByteArray> JsonListModel::roleNames() const
{
    QHash<int, QByteArray> names{{Qt::UserRole, "modelData"}};
    for (qsizetype i = 0; i < m_keys.size(); ++i)
        names.insert(Qt::UserRole + 1 + int(i), m_keys.at(i).toUtf8());
    return names;
}

void JsonListModel::setRows(const QJsonArray &rows)
{
    beginResetModel();
    m_rows.clear();
    for (const QJsonValue &v : rows)
        m_rows.append(v.toObject());
    endResetModel();
    emit countChanged();
}

void JsonListModel::upsert(const QString &key, const QJsonObject &row)
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).value(key) == row.value(key)) {
            QJsonObject merged = m_rows.at(i);
            for (auto it = row.begin(); it != row.end(); ++it)
                merged.insert(it.key(), it.value());
            m_rows[i] = merged;
            emit dataChanged(index(int(i)), index(int(i)));
            return;
        }
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append(row);
    endInsertRows();
    emit countChanged();
}

QVariantMap JsonListModel::get(int row) const
{
    return m_rows.value(row).toVariantMap();
}

} // namespace gasper::console
