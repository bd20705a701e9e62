// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QObject>
#include <QPoint>
#include <QQmlEngine>
#include <QRect>

#include <deque>

struct VTerm;
struct VTermScreen;

namespace gasper::console {

// One character cell as the view draws it. An invalid colour means the terminal's default
// (the view's theme decides it); `width` is 2 for the first half of a wide (CJK) character
// and 0 for the second half.
struct TerminalCell
{
    QString text;
    QColor fg;
    QColor bg;
    bool bold = false;
    bool italic = false;
    bool underline = false;
    bool reverse = false;
    bool strike = false;
    int width = 1;
};

// The screen state of a terminal, without any drawing: libvterm (0.1.4) parses the bytes
// the shell sends (feed(), UTF-8, split anywhere) into cells, colours, the cursor and a
// scrollback of at most scrollbackLimit lines; keys and pastes go the other way as the
// bytes the shell expects (output()). Rows count from the top of the screen: 0 … rows-1;
// scrollback lines are rows -1 (newest) … -scrollbackCount(). Not thread-safe: use it on
// one thread. TerminalView draws it; TerminalSession connects it to the WebSocket.
class TerminalScreen : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(TerminalScreen)
    Q_PROPERTY(int rows READ rows NOTIFY sizeChanged)
    Q_PROPERTY(int columns READ columns NOTIFY sizeChanged)
    Q_PROPERTY(int scrollbackCount READ scrollbackCount NOTIFY contentChanged)
    Q_PROPERTY(QString title READ title NOTIFY titleChanged)
    Q_PROPERTY(QPoint cursor READ cursor NOTIFY cursorChanged)
    Q_PROPERTY(bool cursorVisible READ cursorVisible NOTIFY cursorChanged)

public:
    explicit TerminalScreen(QObject *parent = nullptr);
    TerminalScreen(int rows, int columns, QObject *parent = nullptr);
    ~TerminalScreen() override;

    int rows() const { return m_rows; }
    int columns() const { return m_columns; }
    int scrollbackCount() const { return int(m_scrollback.size()); }
    int scrollbackLimit() const { return m_scrollbackLimit; }
    void setScrollbackLimit(int lines) { m_scrollbackLimit = lines; }
    QString title() const { return m_title; }
    QPoint cursor() const { return m_cursor; }  // x = column, y = row
    bool cursorVisible() const { return m_cursorVisible; }
    bool altScreen() const { return m_altScreen; }

    // Bytes from the shell.
    Q_INVOKABLE void feed(const QByteArray &bytes);
    // Rows and columns at least 1. Lines pushed off the top go to the scrollback.
    Q_INVOKABLE void resize(int rows, int columns);

    TerminalCell cell(int row, int column) const;
    // The text of a row, trailing blanks trimmed.
    Q_INVOKABLE QString lineText(int row) const;
    // The whole screen, rows joined with '\n' (trailing blanks and blank rows trimmed).
    Q_INVOKABLE QString screenText() const;
    // Text from (row, column) to (row, column), inclusive, rows as above; lines joined with '\n'.
    QString textRange(QPoint from, QPoint to) const;

    // Keys: libvterm knows the sequences (and the modes: application cursor keys …).
    void sendKey(int vtermKey, int vtermModifiers);
    void sendChar(uint codepoint, int vtermModifiers);
    // A paste: wrapped in ESC[200~ … ESC[201~ when the program asked for bracketed paste.
    Q_INVOKABLE void paste(const QString &text);

signals:
    // Bytes for the shell (keys, pastes, answers to queries such as the cursor position).
    void output(const QByteArray &bytes);
    // Rows changed (screen coordinates, inclusive top, exclusive bottom).
    void damaged(int firstRow, int endRow);
    void contentChanged();
    void sizeChanged();
    void cursorChanged();
    void titleChanged();
    void bell();

private:
    friend struct TerminalScreenCallbacks;
    void init(int rows, int columns);
    void flushOutput();

    VTerm *m_vt = nullptr;
    VTermScreen *m_screen = nullptr;
    int m_rows = 24;
    int m_columns = 80;
    std::deque<QList<TerminalCell>> m_scrollback;  // front = newest
    int m_scrollbackLimit = 5000;
    QString m_title;
    QPoint m_cursor;
    bool m_cursorVisible = true;
    bool m_altScreen = false;
    QByteArray m_pendingOutput;
};

} // namespace gasper::console
