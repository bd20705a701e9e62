// SPDX-License-Identifier: MIT
#include "MasterList.h"

#include <QUrl>

namespace gasper::console {

MasterList::MasterList(QObject *parent)
    : QAbstractListModel(parent)
{
    QSettings settings;
    const int n = settings.beginReadArray(QStringLiteral("masters"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        const QString url = settings.value(QStringLiteral("url")).toString();
        if (!url.isEmpty())
            m_masters.append({url, settings.value(QStringLiteral("username")).toString()});
    }
    settings.endArray();
}

int MasterList::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_masters.size());
}

QVariant MasterList::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_masters.size())
        return {};
    const Master &m = m_masters.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case UrlRole:
        return m.url;
    case UsernameRole:
        return m.username;
    default:
        return {};
    }
}

QHash<int, QByteArray> MasterList::roleNames() const
{
    return {{UrlRole, "url"}, {UsernameRole, "username"}};
}

QString MasterList::normalize(const QString &input)
{
    QString text = input.trimmed();
    if (!text.contains(QStringLiteral("://")))
        text.prepend(QStringLiteral("http://"));
    QUrl url(text);
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url.toString();
}

void MasterList::remember(const QString &url, const QString &username)
{
    for (qsizetype i = 0; i < m_masters.size(); ++i) {
        if (m_masters.at(i).url == url) {
            beginRemoveRows({}, int(i), int(i));
            m_masters.removeAt(i);
            endRemoveRows();
            break;
        }
    }
    beginInsertRows({}, 0, 0);
    m_masters.prepend({url, username});
    endInsertRows();
    save();
    emit countChanged();
}

void MasterList::forget(const QString &url)
{
    for (qsizetype i = 0; i < m_masters.size(); ++i) {
        if (m_masters.at(i).url == url) {
            beginRemoveRows({}, int(i), int(i));
            m_masters.removeAt(i);
            endRemoveRows();
            save();
            emit countChanged();
            return;
        }
    }
}

QString MasterList::urlAt(int row) const
{
    return row >= 0 && row < m_masters.size() ? m_masters.at(row).url : QString();
}

QString MasterList::usernameFor(const QString &url) const
{
    for (const Master &m : m_masters) {
        if (m.url == url)
            return m.username;
    }
    return {};
}

void MasterList::save()
{
    QSettings settings;
    settings.beginWriteArray(QStringLiteral("masters"), int(m_masters.size()));
    for (qsizetype i = 0; i < m_masters.size(); ++i) {
        settings.setArrayIndex(int(i));
        settings.setValue(QStringLiteral("url"), m_masters.at(i).url);
        settings.setValue(QStringLiteral("username"), m_masters.at(i).username);
    }
    settings.endArray();
}

} // namespace gasper::console
