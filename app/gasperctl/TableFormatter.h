// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace gasper::ctl {

// A plain-text table the way `docker ps` prints one: a header row, columns left-aligned and
// padded to their widest cell, three spaces between columns, no trailing blanks. Cells are
// made printable (control characters, such as an ANSI escape in a server-sent string or a
// newline in an error message, become a space) so one row stays one line; an empty cell
// shows as "-". Rows shorter than the header are padded, longer ones cut.
class TableFormatter final
{
public:
    explicit TableFormatter(QStringList headers);

    void addRow(QStringList cells);
    qsizetype rowCount() const { return m_rows.size(); }
    QString toString() const;

    static QString printable(const QString &text);

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};

} // namespace gasper::ctl
