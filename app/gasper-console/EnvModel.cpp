// SPDX-License-Identifier: MIT
#include "EnvModel.h"

namespace gasper::console {

EnvModel::EnvModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int EnvModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant EnvModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    return role == KeyRole ? m_rows.at(index.row()).key : role == ValueRole ? m_rows.at(index.row()).value : QVariant();
}

bool EnvModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return false;
    Row &row = m_rows[index.row()];
    QString &field = role == KeyRole ? row.key : row.value;
    if (field == value.toString())
        return true;
    field = value.toString();
    emit dataChanged(index, index, {role});
    emit dirtyChanged();
    return true;
}

QHash<int, QByteArray> EnvModel::roleNames() const
{
    return {{KeyRole, "key"}, {ValueRole, "value"}};
}

void EnvModel::load(const QJsonObject &env)
{
    beginResetModel();
    m_original = env;
    m_rows.clear();
    for (auto it = env.begin(); it != env.end(); ++it)
        m_rows.append({it.key(), it.value().toString()});
    endResetModel();
    emit dirtyChanged();
}

void EnvModel::add()
{
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append(Row{});
    endInsertRows();
    emit dirtyChanged();
}

void EnvModel::removeAt(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    emit dirtyChanged();
}

QJsonObject EnvModel::mergePatch() const
{
    QJsonObject patch;
    QJsonObject now;
    for (const Row &row : m_rows) {
        if (!row.key.trimmed().isEmpty())
            now.insert(row.key.trimmed(), row.value);
    }
    for (auto it = m_original.begin(); it != m_original.end(); ++it) {
        if (!now.contains(it.key()))
            patch.insert(it.key(), QJsonValue::Null);
    }
    for (auto it = now.begin(); it != now.end(); ++it) {
        if (m_original.value(it.key()) != it.value())
            patch.insert(it.key(), it.value());
    }
    return patch;
}

} // namespace gasper::console
