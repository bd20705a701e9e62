// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QAbstractListModel>
#include <QJsonObject>

namespace gasper::console {

// The env editor's rows: the app's variables as loaded, edited in place. mergePatch() is
// what PATCH /api/v1/apps/{name} needs (RFC 7396): changed and new keys with their values,
// removed or renamed-away keys as null; empty when nothing changed. Secret variables come
// as `{"secret": true}` without their value: such a row is `kept` (its stored value stays,
// nothing is sent for it) until a new value is typed, which goes as
// `{"value": "…", "secret": true}`; marking a plain row secret sends its value that way.
class EnvModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(EnvModel)
    Q_PROPERTY(bool dirty READ dirty NOTIFY dirtyChanged)
    Q_PROPERTY(int count READ count NOTIFY dirtyChanged)

public:
    enum Role { KeyRole = Qt::UserRole + 1, ValueRole, SecretRole, KeptRole };

    explicit EnvModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    QHash<int, QByteArray> roleNames() const override;

    void load(const QJsonObject &env);
    Q_INVOKABLE void add();
    Q_INVOKABLE void removeAt(int row);
    Q_INVOKABLE void setKey(int row, const QString &key) { setData(index(row), key, KeyRole); }
    Q_INVOKABLE void setValue(int row, const QString &value) { setData(index(row), value, ValueRole); }
    Q_INVOKABLE void setSecret(int row, bool secret) { setData(index(row), secret, SecretRole); }
    Q_INVOKABLE void revert() { load(m_original); }
    QJsonObject mergePatch() const;
    bool dirty() const { return !mergePatch().isEmpty(); }
    int count() const { return int(m_rows.size()); }

signals:
    void dirtyChanged();

private:
    struct Row
    {
        QString key;
        QString value;
        bool secret = false;
        bool kept = false;  // a secret whose stored value is not known here and stays
    };
    QJsonObject m_original;
    QList<Row> m_rows;
};

} // namespace gasper::console
