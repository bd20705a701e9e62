// SPDX-License-Identifier: MIT
#include "TableFormatter.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

TableFormatter::TableFormatter(QStringList headers)
    : m_headers(std::move(headers))
{
}

QString TableFormatter::printable(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        // Cc (C0, DEL, C1) would let a server-chosen string move the cursor or recolour the terminal.
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    return out;
}

void TableFormatter::addRow(QStringList cells)
{
    cells.resize(m_headers.size());
    for (QString &cell : cells) {
        cell = printable(cell).trimmed();
        if (cell.isEmpty())
            cell = u"-"_s;
    }
    m_rows.append(std::move(cells));
}

QString TableFormatter::toString() const
{
    QList<qsizetype> widths;
    for (const QString &h : m_headers)
        widths.append(h.size());
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    QString out;
    auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i + 1 < cells.size())
                text += cells[i].leftJustified(widths[i] + 3);
            else
                text += cells[i];
        }
        // An empty last cell must not leave padding behind.
        while (text.endsWith(u' '))
            text.chop(1);
        out += text + u'\n';
    };
    line(m_headers);
    for (const QStringList &row : m_rows)
        line(row);
    return out;
}

} // namespace gasper::ctl
