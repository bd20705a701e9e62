// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QSortFilterProxyModel>

namespace gasper::console {

// The apps list as the user filters (name, language or state contains the text) and sorts
// it (by name, state — trouble first — or last change, newest first).
class AppFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(AppFilterModel)
    Q_PROPERTY(QString filterText READ filterText WRITE setFilterText NOTIFY filterTextChanged)
    Q_PROPERTY(QString sortKey READ sortKey WRITE setSortKey NOTIFY sortKeyChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit AppFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filter; }
    void setFilterText(const QString &text);
    QString sortKey() const { return m_sortKey; }
    void setSortKey(const QString &key);
    int count() const { return rowCount(); }

    // Lower ranks sort first: what needs attention on top.
    static int stateRank(const QString &state);

signals:
    void filterTextChanged();
    void sortKeyChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_filter;
    QString m_sortKey = QStringLiteral("name");
};

} // namespace gasper::console
