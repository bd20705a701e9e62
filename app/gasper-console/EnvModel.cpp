// SPDX-License-Identifier: MIT
#include "EnvModel.h"

#include <QSet>

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
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return row.key;
    case ValueRole:
        return row.value;
    case SecretRole:
        return row.secret;
    case KeptRole:
        return row.kept;
    default:
        return {};
    }
}

bool EnvModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return false;
    Row &row = m_rows[index.row()];
    if (role == SecretRole) {
        if (row.secret == value.toBool())
            return true;
        row.secret = value.toBool();
        row.kept = false;  // a plain value or a new secret one: sent as typed
    } else {
        QString &field = role == KeyRole ? row.key : row.value;
        if (field == value.toString())
            return true;
        field = value.toString();
        if (role == ValueRole)
            row.kept = false;
    }
    emit dataChanged(this->index(index.row()), this->index(index.row()));
    emit dirtyChanged();
    return true;
}

QHash<int, QByteArray> EnvModel::roleNames() const
{
    return {{KeyRole, "key"}, {ValueRole, "value"}, {SecretRole, "secret"}, {KeptRole, "kept"}};
}

void EnvModel::load(const QJsonObject &env)
{
    beginResetModel();
    m_original = env;
    m_rows.clear();
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (it.value().isObject())
            m_rows.append(Row{it.key(), {}, it.value().toObject().value(u"secret").toBool(), true});
        else
            m_rows.append(Row{it.key(), it.value().toString(), false, false});
    }
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
    QSet<QString> present;
    for (const Row &row : m_rows) {
        const QString key = row.key.trimmed();
        if (key.isEmpty())
            continue;
        present.insert(key);
        const QJsonValue original = m_original.value(key);
        if (row.kept) {
            if (!original.isObject())  // renamed: the stored value does not move with it
                patch.insert(key, QJsonObject{{QStringLiteral("secret"), true}});
            continue;
        }
        if (row.secret)
            patch.insert(key, QJsonObject{{QStringLiteral("value"), row.value}, {QStringLiteral("secret"), true}});
        else if (original != QJsonValue(row.value))
            patch.insert(key, row.value);
    }
    for (auto it = m_original.begin(); it != m_original.end(); ++it) {
        if (!present.contains(it.key()))
            patch.insert(it.key(), QJsonValue::Null);
    }
    return patch;
}

} // namespace gasper::console
