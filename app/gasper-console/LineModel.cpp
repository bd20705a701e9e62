// SPDX-License-Identifier: MIT
#include "LineModel.h"

namespace gasper::console {

LineModel::LineModel(int limit, QObject *parent)
    : QAbstractListModel(parent)
    , m_limit(limit)
{
}

int LineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

QVariant LineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_lines.size())
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return m_lines.at(index.row()).text;
    case StreamRole:
        return m_lines.at(index.row()).stream;
    default:
        return {};
    }
}

QHash<int, QByteArray> LineModel::roleNames() const
{
    return {{TextRole, "text"}, {StreamRole, "stream"}};
}

void LineModel::appendLine(const QString &line, const QString &stream)
{
    if (m_lines.size() >= m_limit) {
        beginRemoveRows({}, 0, 0);
        m_lines.removeFirst();
        endRemoveRows();
    }
    beginInsertRows({}, int(m_lines.size()), int(m_lines.size()));
    m_lines.append({line, stream});
    endInsertRows();
    emit countChanged();
}

void LineModel::appendText(const QByteArray &chunk)
{
    m_partial += chunk;
    qsizetype start = 0;
    for (qsizetype nl = m_partial.indexOf('\n'); nl >= 0; nl = m_partial.indexOf('\n', start)) {
        QByteArray line = m_partial.mid(start, nl - start);
        if (line.endsWith('\r'))
            line.chop(1);
        appendLine(QString::fromUtf8(line));
        start = nl + 1;
    }
    m_partial.remove(0, start);
}

void LineModel::clear()
{
    beginResetModel();
    m_lines.clear();
    m_partial.clear();
    endResetModel();
    emit countChanged();
}

QString LineModel::text() const
{
    QStringList all;
    all.reserve(m_lines.size());
    for (const Line &l : m_lines)
        all << l.text;
    return all.join(u'\n');
}

} // namespace gasper::console
