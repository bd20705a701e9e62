// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QQuickPaintedItem>
#include <QVariantList>

namespace gasper::console {

// A small line chart (Qt Charts is GPL and wants QApplication): the values as a line with a
// soft fill under it, horizontal grid lines, scaled to `maximum` (0: the largest value, at
// least `minimumRange`). Painted at the window's device pixel ratio, so it stays crisp.
class ChartItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(ChartItem)
    Q_PROPERTY(QVariantList values READ values WRITE setValues NOTIFY changed)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY changed)
    Q_PROPERTY(QColor gridColor READ gridColor WRITE setGridColor NOTIFY changed)
    Q_PROPERTY(double maximum READ maximum WRITE setMaximum NOTIFY changed)
    Q_PROPERTY(double minimumRange READ minimumRange WRITE setMinimumRange NOTIFY changed)
    Q_PROPERTY(double scaleMax READ scaleMax NOTIFY changed)
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY changed)

public:
    explicit ChartItem(QQuickItem *parent = nullptr);

    void paint(QPainter *painter) override;

    QVariantList values() const { return m_values; }
    void setValues(const QVariantList &values);
    QColor color() const { return m_color; }
    void setColor(const QColor &c);
    QColor gridColor() const { return m_grid; }
    void setGridColor(const QColor &c);
    double maximum() const { return m_maximum; }
    void setMaximum(double m);
    double minimumRange() const { return m_minimumRange; }
    void setMinimumRange(double m);
    int capacity() const { return m_capacity; }
    void setCapacity(int c);
    // The value at the top edge.
    double scaleMax() const;

signals:
    void changed();

private:
    QVariantList m_values;
    QColor m_color = QColor(0x2e, 0x86, 0xde);
    QColor m_grid = QColor(128, 128, 128, 60);
    double m_maximum = 0;
    double m_minimumRange = 1;
    int m_capacity = 60;
};

} // namespace gasper::console
