// SPDX-License-Identifier: MIT
#include "TerminalScreen.h"

#include <vterm.h>

#include <algorithm>

namespace gasper::console {

namespace {
TerminalCell convertCell(VTermScreen *screen, const VTermScreenCell &c);
}

struct TerminalScreenCallbacks
{
    static TerminalScreen *self(void *user) { return static_cast<TerminalScreen *>(user); }

    static int damage(VTermRect rect, void *user)
    {
        emit self(user)->damaged(rect.start_row, rect.end_row);
        return 1;
    }
    static int moveCursor(VTermPos pos, VTermPos, int visible, void *user)
    {
        TerminalScreen *s = self(user);
        s->m_cursor = QPoint(pos.col, pos.row);
        s->m_cursorVisible = visible;
        emit s->cursorChanged();
        return 1;
    }
    static int setTermProp(VTermProp prop, VTermValue *value, void *user)
    {
        TerminalScreen *s = self(user);
        switch (prop) {
        case VTERM_PROP_TITLE:
            s->m_title = QString::fromUtf8(value->string);
            emit s->titleChanged();
            break;
        case VTERM_PROP_CURSORVISIBLE:
            s->m_cursorVisible = value->boolean;
            emit s->cursorChanged();
            break;
        case VTERM_PROP_ALTSCREEN:
            s->m_altScreen = value->boolean;
            break;
        default:
            break;
        }
        return 1;
    }
    static int bell(void *user)
    {
        emit self(user)->bell();
        return 1;
    }
    static int pushLine(int cols, const VTermScreenCell *cells, void *user)
    {
        TerminalScreen *s = self(user);
        QList<TerminalCell> line;
        line.reserve(cols);
        for (int i = 0; i < cols; ++i)
            line.append(convertCell(s->m_screen, cells[i]));
        s->m_scrollback.push_front(std::move(line));
        while (int(s->m_scrollback.size()) > s->m_scrollbackLimit)
            s->m_scrollback.pop_back();
        return 1;
    }
    static int popLine(int cols, VTermScreenCell *cells, void *user)
    {
        TerminalScreen *s = self(user);
        if (s->m_scrollback.empty())
            return 0;
        const QList<TerminalCell> line = s->m_scrollback.front();
        s->m_scrollback.pop_front();
        for (int i = 0; i < cols; ++i) {
            VTermScreenCell &c = cells[i];
            c = VTermScreenCell{};
            c.width = 1;
            vterm_color_rgb(&c.fg, 0, 0, 0);
            c.fg.type = VTERM_COLOR_DEFAULT_FG;
            vterm_color_rgb(&c.bg, 0, 0, 0);
            c.bg.type = VTERM_COLOR_DEFAULT_BG;
            if (i < line.size() && line.at(i).width == 0) {
                c.chars[0] = uint32_t(-1);  // the right half of a wide character
            } else if (i < line.size()) {
                const QList<uint> ucs4 = line.at(i).text.toUcs4();
                for (qsizetype k = 0; k < ucs4.size() && k < VTERM_MAX_CHARS_PER_CELL; ++k)
                    c.chars[k] = ucs4.at(k);
                c.width = char(std::max(1, line.at(i).width));
            }
        }
        return 1;
    }
    static void output(const char *bytes, size_t len, void *user)
    {
        self(user)->m_pendingOutput.append(bytes, qsizetype(len));
    }
};

namespace {
const VTermScreenCallbacks kCallbacks = {
    &TerminalScreenCallbacks::damage,     nullptr /* moverect: damage is enough */,
    &TerminalScreenCallbacks::moveCursor, &TerminalScreenCallbacks::setTermProp,
    &TerminalScreenCallbacks::bell,       nullptr /* resize */,
    &TerminalScreenCallbacks::pushLine,   &TerminalScreenCallbacks::popLine,
};
} // namespace

TerminalScreen::TerminalScreen(QObject *parent)
    : TerminalScreen(24, 80, parent)
{
}

TerminalScreen::TerminalScreen(int rows, int columns, QObject *parent)
    : QObject(parent)
{
    init(rows, columns);
}

TerminalScreen::~TerminalScreen()
{
    vterm_free(m_vt);
}

void TerminalScreen::init(int rows, int columns)
{
    m_rows = std::max(1, rows);
    m_columns = std::max(1, columns);
    m_vt = vterm_new(m_rows, m_columns);
    vterm_set_utf8(m_vt, 1);
    vterm_output_set_callback(m_vt, &TerminalScreenCallbacks::output, this);
    m_screen = vterm_obtain_screen(m_vt);
    vterm_screen_set_callbacks(m_screen, &kCallbacks, this);
    vterm_screen_set_damage_merge(m_screen, VTERM_DAMAGE_SCROLL);
    vterm_screen_enable_altscreen(m_screen, 1);
    vterm_screen_reset(m_screen, 1);
}

void TerminalScreen::flushOutput()
{
    if (m_pendingOutput.isEmpty())
        return;
    const QByteArray bytes = std::exchange(m_pendingOutput, {});
    emit output(bytes);
}

void TerminalScreen::feed(const QByteArray &bytes)
{
    vterm_input_write(m_vt, bytes.constData(), size_t(bytes.size()));
    vterm_screen_flush_damage(m_screen);
    flushOutput();  // answers to DSR and friends
    emit contentChanged();
}

void TerminalScreen::resize(int rows, int columns)
{
    rows = std::max(1, rows);
    columns = std::max(1, columns);
    if (rows == m_rows && columns == m_columns)
        return;
    m_rows = rows;
    m_columns = columns;
    vterm_set_size(m_vt, rows, columns);
    vterm_screen_flush_damage(m_screen);
    emit sizeChanged();
    emit contentChanged();
}

namespace {
TerminalCell convertCell(VTermScreen *screen, const VTermScreenCell &c)
{
    TerminalCell cell;
    // libvterm marks the right half of a wide character with (uint32_t)-1.
    if (c.chars[0] == uint32_t(-1)) {
        cell.width = 0;
        return cell;
    }
    for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && c.chars[i]; ++i) {
        const char32_t ch = c.chars[i];
        cell.text += QString::fromUcs4(&ch, 1);
    }
    cell.width = c.width;
    cell.bold = c.attrs.bold;
    cell.italic = c.attrs.italic;
    cell.underline = c.attrs.underline != 0;
    cell.reverse = c.attrs.reverse;
    cell.strike = c.attrs.strike;
    VTermColor fg = c.fg;
    VTermColor bg = c.bg;
    if (!VTERM_COLOR_IS_DEFAULT_FG(&fg)) {
        vterm_screen_convert_color_to_rgb(screen, &fg);
        cell.fg = QColor(fg.rgb.red, fg.rgb.green, fg.rgb.blue);
    }
    if (!VTERM_COLOR_IS_DEFAULT_BG(&bg)) {
        vterm_screen_convert_color_to_rgb(screen, &bg);
        cell.bg = QColor(bg.rgb.red, bg.rgb.green, bg.rgb.blue);
    }
    return cell;
}
} // namespace

TerminalCell TerminalScreen::cell(int row, int column) const
{
    if (row < 0) {
        const qsizetype index = -row - 1;
        if (index >= qsizetype(m_scrollback.size()))
            return {};
        const QList<TerminalCell> &line = m_scrollback.at(size_t(index));
        return column < line.size() ? line.at(column) : TerminalCell{};
    }
    if (row >= m_rows || column < 0 || column >= m_columns)
        return {};
    VTermScreenCell c;
    if (!vterm_screen_get_cell(m_screen, VTermPos{row, column}, &c))
        return {};
    return convertCell(m_screen, c);
}

QString TerminalScreen::lineText(int row) const
{
    const int columns = row < 0 ? int(m_scrollback.size() > size_t(-row - 1) ? m_scrollback.at(size_t(-row - 1)).size() : 0)
                                : m_columns;
    QString text;
    for (int col = 0; col < columns; ++col) {
        const TerminalCell c = cell(row, col);
        if (c.width == 0)
            continue;
        text += c.text.isEmpty() ? QStringLiteral(" ") : c.text;
    }
    while (text.endsWith(u' '))
        text.chop(1);
    return text;
}

QString TerminalScreen::screenText() const
{
    QStringList lines;
    for (int row = 0; row < m_rows; ++row)
        lines << lineText(row);
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines.join(u'\n');
}

QString TerminalScreen::textRange(QPoint from, QPoint to) const
{
    if (from.y() > to.y() || (from.y() == to.y() && from.x() > to.x()))
        std::swap(from, to);
    QStringList lines;
    for (int row = from.y(); row <= to.y(); ++row) {
        const QString line = lineText(row);
        const int start = row == from.y() ? from.x() : 0;
        const int end = row == to.y() ? to.x() + 1 : int(line.size());
        lines << line.mid(start, std::max(0, end - start));
    }
    return lines.join(u'\n');
}

void TerminalScreen::sendKey(int vtermKey, int vtermModifiers)
{
    vterm_keyboard_key(m_vt, VTermKey(vtermKey), VTermModifier(vtermModifiers));
    flushOutput();
}

void TerminalScreen::sendChar(uint codepoint, int vtermModifiers)
{
    vterm_keyboard_unichar(m_vt, codepoint, VTermModifier(vtermModifiers));
    flushOutput();
}

void TerminalScreen::paste(const QString &text)
{
    vterm_keyboard_start_paste(m_vt);
    flushOutput();
    // Newlines as the Enter key sends them.
    QString normalized = text;
    normalized.replace(QStringLiteral("\r\n"), QStringLiteral("\r")).replace(u'\n', u'\r');
    emit output(normalized.toUtf8());
    vterm_keyboard_end_paste(m_vt);
    flushOutput();
}

} // namespace gasper::console
