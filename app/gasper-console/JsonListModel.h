// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QAbstractListModel>
#include <QJsonArray>
#include <QJsonObject>

namespace gasper::console {

// A list of JSON objects from the API (nodes, deploys, deploy steps), each of the given
// keys a role named as the key (`total_ms` → `total_ms`); `modelData` is the whole object.
// upsert() replaces the row whose `key` matches, or appends.
class JsonListModel final : public QAbstractListModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(JsonListModel)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit JsonListModel(QStringList keys, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rows.size()); }
    void setRows(const QJsonArray &rows);
    void upsert(const QString &key, const QJsonObject &row);
    void clear() { setRows({}); }
    Q_INVOKABLE QVariantMap get(int row) const;
    QJsonObject at(int row) const { return m_rows.value(row); }

signals:
    void countChanged();

private:
    QStringList m_keys;
    QList<QJsonObject> m_rows;
};

} // namespace gasper::console
