// SPDX-License-Identifier: MIT
#include "AppListModel.h"

#include <QDateTime>
#include <QSet>

namespace gasper::console {

AppListModel::AppListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int AppListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_apps.size());
}

QVariant AppListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_apps.size())
        return {};
    const QJsonObject &app = m_apps.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return app.value(u"name").toString();
    case StateRole:
        return app.value(u"state").toString();
    case LanguageRole:
        return app.value(u"language").toString();
    case UrlRole:
        return app.value(u"url").toString();
    case NodeRole:
        return app.value(u"node").toString();
    case OwnerRole:
        return app.value(u"owner").toString();
    case LastErrorRole:
        return app.value(u"last_error").toString();
    case UpdatedAtRole:
        return QDateTime::fromString(app.value(u"updated_at").toString(), Qt::ISODateWithMs);
    case RestartsRole:
        return app.value(u"restarts").toInt();
    default:
        return {};
    }
}

QHash<int, QByteArray> AppListModel::roleNames() const
{
    return {{NameRole, "name"},     {StateRole, "state"},         {LanguageRole, "language"},
            {UrlRole, "url"},       {NodeRole, "node"},           {OwnerRole, "owner"},
            {LastErrorRole, "lastError"}, {UpdatedAtRole, "updatedAt"}, {RestartsRole, "restarts"}};
}

int AppListModel::indexOf(const QString &name) const
{
    for (qsizetype i = 0; i < m_apps.size(); ++i) {
        if (m_apps.at(i).value(u"name").toString() == name)
            return int(i);
    }
    return -1;
}

void AppListModel::upsert(const QJsonObject &app)
{
    const QString name = app.value(u"name").toString();
    const int row = indexOf(name);
    if (row >= 0) {
        const QString before = m_apps.at(row).value(u"state").toString();
        m_apps[row] = app;
        emit dataChanged(index(row), index(row));
        const QString after = app.value(u"state").toString();
        if (before != after)
            emit stateChanged(name, before, after, app.value(u"last_error").toString());
        return;
    }
    // Sorted by name, as the API lists them.
    int at = 0;
    while (at < m_apps.size() && m_apps.at(at).value(u"name").toString() < name)
        ++at;
    beginInsertRows({}, at, at);
    m_apps.insert(at, app);
    endInsertRows();
    emit countChanged();
}

void AppListModel::setApps(const QJsonArray &apps)
{
    QSet<QString> present;
    for (const QJsonValue &v : apps)
        present.insert(v.toObject().value(u"name").toString());
    for (int row = int(m_apps.size()) - 1; row >= 0; --row) {
        if (!present.contains(m_apps.at(row).value(u"name").toString())) {
            beginRemoveRows({}, row, row);
            m_apps.removeAt(row);
            endRemoveRows();
        }
    }
    for (const QJsonValue &v : apps)
        upsert(v.toObject());
    emit countChanged();
}

bool AppListModel::applyEvent(const QJsonObject &event)
{
    const QString type = event.value(u"type").toString();
    const QString name = event.value(u"app").toString();
    const int row = indexOf(name);
    if (type == u"app.deleted") {
        if (row >= 0) {
            beginRemoveRows({}, row, row);
            m_apps.removeAt(row);
            endRemoveRows();
            emit countChanged();
        }
        return true;
    }
    if (type != u"app.state")
        return true;
    if (row < 0)
        return false;
    QJsonObject &app = m_apps[row];
    const QString before = app.value(u"state").toString();
    const QString after = event.value(u"state").toString();
    app.insert(QStringLiteral("state"), after);
    app.insert(QStringLiteral("updated_at"), event.value(u"at"));
    if (event.contains(u"detail"))
        app.insert(QStringLiteral("last_error"), event.value(u"detail"));
    else if (after == u"running")
        app.insert(QStringLiteral("last_error"), QJsonValue::Null);
    emit dataChanged(index(row), index(row));
    if (before != after)
        emit stateChanged(name, before, after, event.value(u"detail").toString());
    return true;
}

void AppListModel::clear()
{
    beginResetModel();
    m_apps.clear();
    endResetModel();
    emit countChanged();
}

QString AppListModel::stateOf(const QString &name) const
{
    const int row = indexOf(name);
    return row < 0 ? QString() : m_apps.at(row).value(u"state").toString();
}

QVariantMap AppListModel::get(const QString &name) const
{
    const int row = indexOf(name);
    return row < 0 ? QVariantMap() : m_apps.at(row).toVariantMap();
}

} // namespace gasper::console
