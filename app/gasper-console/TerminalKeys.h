// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <Qt>

namespace gasper::console {

// What a key press means for the terminal. Ctrl+Shift+C / Ctrl+Shift+V copy and paste
// (plain Ctrl+C must reach the shell as ^C); Shift+PageUp/PageDown scroll the scrollback.
struct TerminalKeyAction
{
    enum Kind { Ignore, Key, Char, Copy, Paste, ScrollUp, ScrollDown };
    Kind kind = Ignore;
    int vtermKey = 0;   // VTermKey, for Key
    uint codepoint = 0; // for Char
    int vtermModifiers = 0;
};

TerminalKeyAction mapTerminalKey(int qtKey, Qt::KeyboardModifiers modifiers, const QString &text);

} // namespace gasper::console
