// SPDX-License-Identifier: MIT
#include "TerminalKeys.h"

#include <QList>

#include <vterm.h>

namespace gasper::console {

namespace {
int vtermModifiers(Qt::KeyboardModifiers modifiers)
{
    int mod = VTERM_MOD_NONE;
    if (modifiers & Qt::ShiftModifier)
        mod |= VTERM_MOD_SHIFT;
    if (modifiers & Qt::AltModifier)
        mod |= VTERM_MOD_ALT;
    if (modifiers & Qt::ControlModifier)
        mod |= VTERM_MOD_CTRL;
    return mod;
}
} // namespace

TerminalKeyAction mapTerminalKey(int qtKey, Qt::KeyboardModifiers modifiers, const QString &text)
{
    const bool ctrl = modifiers & Qt::ControlModifier;
    const bool shift = modifiers & Qt::ShiftModifier;
    const int mod = vtermModifiers(modifiers);
    if (ctrl && shift && qtKey == Qt::Key_C)
        return {TerminalKeyAction::Copy};
    if (ctrl && shift && qtKey == Qt::Key_V)
        return {TerminalKeyAction::Paste};
    if (shift && !ctrl && qtKey == Qt::Key_PageUp)
        return {TerminalKeyAction::ScrollUp};
    if (shift && !ctrl && qtKey == Qt::Key_PageDown)
        return {TerminalKeyAction::ScrollDown};

    auto key = [mod](int k) { return TerminalKeyAction{TerminalKeyAction::Key, k, 0, mod}; };
    switch (qtKey) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        return key(VTERM_KEY_ENTER);
    case Qt::Key_Tab:
        return key(VTERM_KEY_TAB);
    case Qt::Key_Backtab:
        return TerminalKeyAction{TerminalKeyAction::Key, VTERM_KEY_TAB, 0, mod | VTERM_MOD_SHIFT};
    case Qt::Key_Backspace:
        return key(VTERM_KEY_BACKSPACE);
    case Qt::Key_Escape:
        return key(VTERM_KEY_ESCAPE);
    case Qt::Key_Up:
        return key(VTERM_KEY_UP);
    case Qt::Key_Down:
        return key(VTERM_KEY_DOWN);
    case Qt::Key_Left:
        return key(VTERM_KEY_LEFT);
    case Qt::Key_Right:
        return key(VTERM_KEY_RIGHT);
    case Qt::Key_Insert:
        return key(VTERM_KEY_INS);
    case Qt::Key_Delete:
        return key(VTERM_KEY_DEL);
    case Qt::Key_Home:
        return key(VTERM_KEY_HOME);
    case Qt::Key_End:
        return key(VTERM_KEY_END);
    case Qt::Key_PageUp:
        return key(VTERM_KEY_PAGEUP);
    case Qt::Key_PageDown:
        return key(VTERM_KEY_PAGEDOWN);
    default:
        break;
    }
    if (qtKey >= Qt::Key_F1 && qtKey <= Qt::Key_F12)
        return key(VTERM_KEY_FUNCTION(qtKey - Qt::Key_F1 + 1));
    // Ctrl+letter and friends: the letter with the Ctrl modifier; libvterm makes it ^C etc.
    if (ctrl && qtKey >= Qt::Key_A && qtKey <= Qt::Key_Z)
        return {TerminalKeyAction::Char, 0, uint('a' + (qtKey - Qt::Key_A)), mod & ~VTERM_MOD_SHIFT};
    if (ctrl && (qtKey == Qt::Key_BracketLeft || qtKey == Qt::Key_Backslash || qtKey == Qt::Key_BracketRight
                 || qtKey == Qt::Key_Space || qtKey == Qt::Key_At))
        return {TerminalKeyAction::Char, 0, uint(qtKey == Qt::Key_Space ? ' ' : qtKey), mod};
    if (!text.isEmpty() && text.at(0).isPrint()) {
        const QList<uint> ucs4 = text.toUcs4();
        // Shift is already in the character itself.
        return {TerminalKeyAction::Char, 0, ucs4.value(0), mod & ~VTERM_MOD_SHIFT};
    }
    return {};
}

} // namespace gasper::console
