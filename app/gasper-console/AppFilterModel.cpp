// SPDX-License-Identifier: MIT
#include "AppFilterModel.h"

#include "AppListModel.h"

#include <QDateTime>

namespace gasper::console {

AppFilterModel::AppFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0);
    connect(this, &QAbstractItemModel::rowsInserted, this, &AppFilterModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &AppFilterModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &AppFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &AppFilterModel::countChanged);
}

void AppFilterModel::setFilterText(const QString &text)
{
    if (m_filter == text)
        return;
    m_filter = text;
    invalidateFilter();
    emit filterTextChanged();
    emit countChanged();
}

void AppFilterModel::setSortKey(const QString &key)
{
    if (m_sortKey == key)
        return;
    m_sortKey = key;
    invalidate();
    sort(0);
    emit sortKeyChanged();
}

int AppFilterModel::stateRank(const QString &state)
{
    static const QStringList order{QStringLiteral("failed"),   QStringLiteral("restarting"), QStringLiteral("queued"),
                                   QStringLiteral("cloning"),  QStringLiteral("building"),   QStringLiteral("starting"),
                                   QStringLiteral("stopped"),  QStringLiteral("running")};
    const qsizetype rank = order.indexOf(state);
    return rank < 0 ? int(order.size()) : int(rank);
}

bool AppFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter.isEmpty())
        return true;
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    for (int role : {AppListModel::NameRole, AppListModel::LanguageRole, AppListModel::StateRole, AppListModel::OwnerRole}) {
        if (i.data(role).toString().contains(m_filter, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool AppFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QString ln = left.data(AppListModel::NameRole).toString();
    const QString rn = right.data(AppListModel::NameRole).toString();
    if (m_sortKey == u"state") {
        const int l = stateRank(left.data(AppListModel::StateRole).toString());
        const int r = stateRank(right.data(AppListModel::StateRole).toString());
        if (l != r)
            return l < r;
    } else if (m_sortKey == u"updated") {
        const QDateTime l = left.data(AppListModel::UpdatedAtRole).toDateTime();
        const QDateTime r = right.data(AppListModel::UpdatedAtRole).toDateTime();
        if (l != r)
            return l > r;
    }
    return ln < rn;
}

} // namespace gasper::console
