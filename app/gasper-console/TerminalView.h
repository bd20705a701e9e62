// SPDX-License-Identifier: MIT
#pragma once

#include "TerminalScreen.h"

#include <QColor>
#include <QFont>
#include <QPointer>
#include <QQuickPaintedItem>

namespace gasper::console {

// Draws a TerminalScreen and turns keys, mouse and wheel into terminal input. The screen
// is a model it does not own; the view owns only presentation: font, theme colours, the
// scroll position in the scrollback and the selection. Its size decides the screen's rows
// and columns (resize with the window). Ctrl+Shift+C copies the selection, Ctrl+Shift+V
// pastes (bracketed when the program asked for it); plain Ctrl+C goes to the shell.
class TerminalView : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(TerminalView)
    Q_PROPERTY(TerminalScreen *screen READ screen WRITE setScreen NOTIFY screenChanged)
    Q_PROPERTY(QFont font READ font WRITE setFont NOTIFY fontChanged)
    Q_PROPERTY(QColor foreground READ foreground WRITE setForeground NOTIFY coloursChanged)
    Q_PROPERTY(QColor background READ background WRITE setBackground NOTIFY coloursChanged)
    Q_PROPERTY(QColor selectionColor READ selectionColor WRITE setSelectionColor NOTIFY coloursChanged)
    Q_PROPERTY(int scrollOffset READ scrollOffset WRITE setScrollOffset NOTIFY scrollOffsetChanged)
    Q_PROPERTY(QString selectedText READ selectedText NOTIFY selectionChanged)
    Q_PROPERTY(QSizeF cellSize READ cellSize NOTIFY fontChanged)

public:
    explicit TerminalView(QQuickItem *parent = nullptr);

    void paint(QPainter *painter) override;

    TerminalScreen *screen() const { return m_screen; }
    void setScreen(TerminalScreen *screen);
    QFont font() const { return m_font; }
    void setFont(const QFont &font);
    QColor foreground() const { return m_fg; }
    void setForeground(const QColor &c);
    QColor background() const { return m_bg; }
    void setBackground(const QColor &c);
    QColor selectionColor() const { return m_selection; }
    void setSelectionColor(const QColor &c);
    int scrollOffset() const { return m_scrollOffset; }
    void setScrollOffset(int lines);
    QString selectedText() const;
    QSizeF cellSize() const { return m_cell; }

    Q_INVOKABLE void copy();
    Q_INVOKABLE void pasteClipboard();
    Q_INVOKABLE void clearSelection();
    // Selects screen rows [firstRow, lastRow] whole (tests, "select all").
    Q_INVOKABLE void selectRows(int firstRow, int lastRow);

signals:
    void screenChanged();
    void fontChanged();
    void coloursChanged();
    void scrollOffsetChanged();
    void selectionChanged();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    bool event(QEvent *event) override;

private:
    void updateCellSize();
    void fitScreen();
    QPoint cellAt(QPointF pos) const;  // x = column, y = row (screen rows; < 0 in scrollback)
    bool selected(int row, int column) const;

    QPointer<TerminalScreen> m_screen;
    QFont m_font;
    QSizeF m_cell{8, 16};
    qreal m_ascent = 12;
    QColor m_fg{0xd0, 0xd0, 0xd0};
    QColor m_bg{0x1e, 0x1e, 0x1e};
    QColor m_selection{0x26, 0x4f, 0x78};
    int m_scrollOffset = 0;  // lines scrolled back into the scrollback
    bool m_hasSelection = false;
    QPoint m_selFrom, m_selTo;
    bool m_selecting = false;
};

} // namespace gasper::console
