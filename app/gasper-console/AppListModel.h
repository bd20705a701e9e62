// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QAbstractListModel>
#include <QJsonArray>
#include <QJsonObject>

namespace gasper::console {

// The caller's apps as the API lists them, kept live by events. setApps() merges a fresh
// listing into the rows (rows that stay keep their place, so a view does not jump);
// applyEvent() changes a state badge or drops a deleted app and returns false when the
// event names an app the model does not know (the owner re-lists then).
class AppListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(AppListModel)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        StateRole,
        LanguageRole,
        UrlRole,
        NodeRole,
        OwnerRole,
        LastErrorRole,
        UpdatedAtRole,
        RestartsRole,
    };
    Q_ENUM(Role)

    explicit AppListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_apps.size()); }
    void setApps(const QJsonArray &apps);
    void upsert(const QJsonObject &app);
    bool applyEvent(const QJsonObject &event);
    void clear();

    Q_INVOKABLE QString stateOf(const QString &name) const;
    Q_INVOKABLE QVariantMap get(const QString &name) const;
    int indexOf(const QString &name) const;

signals:
    void countChanged();
    // From → to, for notifications (a deploy that failed, an app that recovered).
    void stateChanged(const QString &app, const QString &from, const QString &to, const QString &detail);

private:
    QList<QJsonObject> m_apps;
};

} // namespace gasper::console
