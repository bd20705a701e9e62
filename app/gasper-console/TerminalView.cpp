// SPDX-License-Identifier: MIT
#include "TerminalView.h"

#include "TerminalKeys.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>

#include <algorithm>

namespace gasper::console {

TerminalView::TerminalView(QQuickItem *parent)
    : QQuickPaintedItem(parent)
    , m_font(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
    setFlag(ItemAcceptsInputMethod, false);
    setFlag(ItemIsFocusScope, true);
    setActiveFocusOnTab(true);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::MiddleButton);
    m_font.setStyleHint(QFont::Monospace);
    updateCellSize();
}

void TerminalView::setScreen(TerminalScreen *screen)
{
    if (m_screen == screen)
        return;
    if (m_screen)
        m_screen->disconnect(this);
    m_screen = screen;
    if (m_screen) {
        connect(m_screen, &TerminalScreen::contentChanged, this, [this] { update(); });
        connect(m_screen, &TerminalScreen::cursorChanged, this, [this] { update(); });
        fitScreen();
    }
    emit screenChanged();
    update();
}

void TerminalView::setFont(const QFont &font)
{
    m_font = font;
    m_font.setStyleHint(QFont::Monospace);
    updateCellSize();
    fitScreen();
    emit fontChanged();
    update();
}

void TerminalView::setForeground(const QColor &c)
{
    m_fg = c;
    emit coloursChanged();
    update();
}

void TerminalView::setBackground(const QColor &c)
{
    m_bg = c;
    emit coloursChanged();
    update();
}

void TerminalView::setSelectionColor(const QColor &c)
{
    m_selection = c;
    emit coloursChanged();
    update();
}

void TerminalView::setScrollOffset(int lines)
{
    const int max = m_screen ? m_screen->scrollbackCount() : 0;
    lines = std::clamp(lines, 0, max);
    if (lines == m_scrollOffset)
        return;
    m_scrollOffset = lines;
    emit scrollOffsetChanged();
    update();
}

void TerminalView::updateCellSize()
{
    const QFontMetricsF metrics(m_font);
    m_cell = QSizeF(metrics.horizontalAdvance(u'M'), std::ceil(metrics.height()));
    m_ascent = metrics.ascent();
}

void TerminalView::fitScreen()
{
    if (!m_screen || width() <= 0 || height() <= 0)
        return;
    const int columns = std::max(2, int(width() / m_cell.width()));
    const int rows = std::max(1, int(height() / m_cell.height()));
    m_screen->resize(rows, columns);
}

void TerminalView::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size())
        fitScreen();
}

QPoint TerminalView::cellAt(QPointF pos) const
{
    const int column = std::clamp(int(pos.x() / m_cell.width()), 0, m_screen ? m_screen->columns() - 1 : 0);
    const int row = int(pos.y() / m_cell.height()) - m_scrollOffset;
    return QPoint(column, std::min(row, m_screen ? m_screen->rows() - 1 : 0));
}

bool TerminalView::selected(int row, int column) const
{
    if (!m_hasSelection)
        return false;
    QPoint a = m_selFrom, b = m_selTo;
    if (a.y() > b.y() || (a.y() == b.y() && a.x() > b.x()))
        std::swap(a, b);
    if (row < a.y() || row > b.y())
        return false;
    if (row == a.y() && column < a.x())
        return false;
    if (row == b.y() && column > b.x())
        return false;
    return true;
}

QString TerminalView::selectedText() const
{
    return m_hasSelection && m_screen ? m_screen->textRange(m_selFrom, m_selTo) : QString();
}

void TerminalView::copy()
{
    if (m_hasSelection)
        QGuiApplication::clipboard()->setText(selectedText());
}

void TerminalView::pasteClipboard()
{
    if (m_screen)
        m_screen->paste(QGuiApplication::clipboard()->text());
}

void TerminalView::clearSelection()
{
    if (!m_hasSelection)
        return;
    m_hasSelection = false;
    emit selectionChanged();
    update();
}

void TerminalView::selectRows(int firstRow, int lastRow)
{
    if (!m_screen)
        return;
    m_selFrom = QPoint(0, firstRow);
    m_selTo = QPoint(m_screen->columns() - 1, lastRow);
    m_hasSelection = true;
    emit selectionChanged();
    update();
}

bool TerminalView::event(QEvent *event)
{
    // Tab and Backtab belong to the shell, not to focus navigation.
    if (event->type() == QEvent::ShortcutOverride) {
        event->accept();
        return true;
    }
    return QQuickPaintedItem::event(event);
}

void TerminalView::keyPressEvent(QKeyEvent *event)
{
    if (!m_screen)
        return;
    const TerminalKeyAction action = mapTerminalKey(event->key(), event->modifiers(), event->text());
    switch (action.kind) {
    case TerminalKeyAction::Ignore:
        QQuickPaintedItem::keyPressEvent(event);
        return;
    case TerminalKeyAction::Copy:
        copy();
        break;
    case TerminalKeyAction::Paste:
        pasteClipboard();
        break;
    case TerminalKeyAction::ScrollUp:
        setScrollOffset(m_scrollOffset + m_screen->rows() / 2);
        break;
    case TerminalKeyAction::ScrollDown:
        setScrollOffset(m_scrollOffset - m_screen->rows() / 2);
        break;
    case TerminalKeyAction::Key:
        setScrollOffset(0);
        m_screen->sendKey(action.vtermKey, action.vtermModifiers);
        break;
    case TerminalKeyAction::Char:
        setScrollOffset(0);
        clearSelection();
        m_screen->sendChar(action.codepoint, action.vtermModifiers);
        break;
    }
    event->accept();
}

void TerminalView::mousePressEvent(QMouseEvent *event)
{
    forceActiveFocus(Qt::MouseFocusReason);
    if (event->button() == Qt::MiddleButton && m_screen) {
        m_screen->paste(QGuiApplication::clipboard()->text(QClipboard::Selection));
        return;
    }
    m_selFrom = m_selTo = cellAt(event->position());
    m_selecting = true;
    if (m_hasSelection) {
        m_hasSelection = false;
        emit selectionChanged();
    }
    update();
}

void TerminalView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_selecting)
        return;
    m_selTo = cellAt(event->position());
    m_hasSelection = m_selTo != m_selFrom;
    emit selectionChanged();
    update();
}

void TerminalView::mouseReleaseEvent(QMouseEvent *)
{
    m_selecting = false;
    if (m_hasSelection && QGuiApplication::clipboard()->supportsSelection())
        QGuiApplication::clipboard()->setText(selectedText(), QClipboard::Selection);
}

void TerminalView::wheelEvent(QWheelEvent *event)
{
    const int lines = event->angleDelta().y() / 40;
    setScrollOffset(m_scrollOffset + lines);
    event->accept();
}

void TerminalView::paint(QPainter *painter)
{
    painter->fillRect(boundingRect(), m_bg);
    if (!m_screen)
        return;
    painter->setFont(m_font);
    QFont bold = m_font;
    bold.setBold(true);
    const int rows = m_screen->rows();
    const int columns = m_screen->columns();
    for (int line = 0; line < rows; ++line) {
        const int row = line - m_scrollOffset;
        const qreal y = line * m_cell.height();
        int col = 0;
        while (col < columns) {
            const TerminalCell first = m_screen->cell(row, col);
            // A run of narrow cells with the same look is drawn in one go.
            QString text = first.text.isEmpty() ? QStringLiteral(" ") : first.text;
            const bool sel = selected(row, col);
            int end = col + std::max(1, first.width);
            if (first.width == 1) {
                while (end < columns) {
                    const TerminalCell next = m_screen->cell(row, end);
                    if (next.width != 1 || next.fg != first.fg || next.bg != first.bg || next.bold != first.bold
                        || next.reverse != first.reverse || next.underline != first.underline
                        || next.italic != first.italic || selected(row, end) != sel)
                        break;
                    text += next.text.isEmpty() ? QStringLiteral(" ") : next.text;
                    ++end;
                }
            }
            QColor fg = first.fg.isValid() ? first.fg : m_fg;
            QColor bg = first.bg.isValid() ? first.bg : m_bg;
            if (first.reverse)
                std::swap(fg, bg);
            if (sel)
                bg = m_selection;
            const QRectF rect(col * m_cell.width(), y, (end - col) * m_cell.width(), m_cell.height());
            if (bg != m_bg)
                painter->fillRect(rect, bg);
            if (!text.trimmed().isEmpty()) {
                QFont f = first.bold ? bold : m_font;
                f.setItalic(first.italic);
                f.setUnderline(first.underline);
                f.setStrikeOut(first.strike);
                painter->setFont(f);
                painter->setPen(fg);
                painter->drawText(QPointF(rect.left(), y + m_ascent), text);
            }
            col = end;
        }
    }
    if (m_screen->cursorVisible() && m_scrollOffset == 0) {
        const QPoint c = m_screen->cursor();
        const QRectF rect(c.x() * m_cell.width(), (c.y()) * m_cell.height(), m_cell.width(), m_cell.height());
        if (hasActiveFocus()) {
            QColor cursor = m_fg;
            cursor.setAlpha(160);
            painter->fillRect(rect, cursor);
        } else {
            painter->setPen(m_fg);
            painter->drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
        }
    }
}

} // namespace gasper::console
