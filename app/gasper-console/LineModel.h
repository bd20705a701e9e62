// SPDX-License-Identifier: MIT
#pragma once

#include <QQmlEngine>

#include <QAbstractListModel>

namespace gasper::console {

// Text output as lines (logs, deploy output), at most `limit` kept (oldest dropped).
// appendText() takes chunks as they arrive: a line split across chunks is joined, UTF-8
// split across chunks too; a stream tag (stdout/stderr/system) goes with each line.
class LineModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_DISABLE_COPY_MOVE(LineModel)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { TextRole = Qt::UserRole + 1, StreamRole };

    explicit LineModel(int limit = 5000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_lines.size()); }
    void appendText(const QByteArray &chunk);
    void appendLine(const QString &line, const QString &stream = {});
    void clear();
    Q_INVOKABLE QString text() const;

signals:
    void countChanged();

private:
    struct Line
    {
        QString text;
        QString stream;
    };
    int m_limit;
    QList<Line> m_lines;
    QByteArray m_partial;
};

} // namespace gasper::console
