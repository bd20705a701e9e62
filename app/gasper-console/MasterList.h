// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QAbstractListModel>
#include <QSettings>

namespace gasper::console {

// The masters this console has been pointed at (URL and the user last signed in there),
// remembered in QSettings, most recently used first. Tokens are not here: TokenVault has them.
class MasterList : public QAbstractListModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(MasterList)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { UrlRole = Qt::UserRole + 1, UsernameRole };

    explicit MasterList(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_masters.size()); }
    // Moves (or adds) url to the top.
    void remember(const QString &url, const QString &username);
    Q_INVOKABLE void forget(const QString &url);
    Q_INVOKABLE QString urlAt(int row) const;
    QString usernameFor(const QString &url) const;

    // "127.0.0.1:3000" → "http://127.0.0.1:3000"; no trailing slash.
    static QString normalize(const QString &url);

signals:
    void countChanged();

private:
    struct Master
    {
        QString url;
        QString username;
    };
    void save();

    QList<Master> m_masters;
};

} // namespace gasper::console
