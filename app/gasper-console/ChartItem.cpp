// SPDX-License-Identifier: MIT
#include "ChartItem.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace gasper::console {

ChartItem::ChartItem(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    connect(this, &ChartItem::changed, this, [this] { update(); });
}

void ChartItem::setValues(const QVariantList &values)
{
    m_values = values;
    emit changed();
}

void ChartItem::setColor(const QColor &c)
{
    if (c != m_color) {
        m_color = c;
        emit changed();
    }
}

void ChartItem::setGridColor(const QColor &c)
{
    if (c != m_grid) {
        m_grid = c;
        emit changed();
    }
}

void ChartItem::setMaximum(double m)
{
    if (m != m_maximum) {
        m_maximum = m;
        emit changed();
    }
}

void ChartItem::setMinimumRange(double m)
{
    if (m != m_minimumRange) {
        m_minimumRange = m;
        emit changed();
    }
}

void ChartItem::setCapacity(int c)
{
    if (c != m_capacity && c > 1) {
        m_capacity = c;
        emit changed();
    }
}

double ChartItem::scaleMax() const
{
    if (m_maximum > 0)
        return m_maximum;
    double top = m_minimumRange;
    for (const QVariant &v : m_values)
        top = std::max(top, v.toDouble());
    return top * 1.1;
}

void ChartItem::paint(QPainter *painter)
{
    const QRectF area = boundingRect().adjusted(1, 1, -1, -1);
    if (area.width() <= 2 || area.height() <= 2)
        return;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(m_grid, 1));
    for (int i = 0; i <= 4; ++i) {
        const qreal y = area.top() + area.height() * i / 4.0;
        painter->drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
    }
    if (m_values.isEmpty())
        return;
    const double top = scaleMax();
    const qsizetype n = std::min<qsizetype>(m_values.size(), m_capacity);
    const qsizetype first = m_values.size() - n;
    const qreal step = area.width() / qreal(std::max(1, m_capacity - 1));
    // Newest sample at the right edge.
    const qreal x0 = area.right() - step * qreal(n - 1);
    QPainterPath line;
    for (qsizetype i = 0; i < n; ++i) {
        const double v = std::clamp(m_values.at(first + i).toDouble(), 0.0, top);
        const QPointF p(x0 + step * qreal(i), area.bottom() - area.height() * v / top);
        if (i == 0)
            line.moveTo(p);
        else
            line.lineTo(p);
    }
    QPainterPath fill = line;
    fill.lineTo(QPointF(x0 + step * qreal(n - 1), area.bottom()));
    fill.lineTo(QPointF(x0, area.bottom()));
    fill.closeSubpath();
    QColor soft = m_color;
    soft.setAlpha(50);
    painter->fillPath(fill, soft);
    painter->setPen(QPen(m_color, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawPath(line);
}

} // namespace gasper::console
