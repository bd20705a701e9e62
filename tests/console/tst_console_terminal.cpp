// SPDX-License-Identifier: MIT
// The terminal's screen model (libvterm) and view, fed bytes directly: text, escape
// sequences, colours, attributes, cursor, resize, scrollback, UTF-8 split across feeds,
// keys and pastes the other way, and the view's selection and size.
#include "TerminalKeys.h"
#include "TerminalScreen.h"
#include "TerminalView.h"

#include <QSignalSpy>
#include <QTest>

#include <vterm.h>

using namespace gasper::console;

class TerminalScreenTest : public QObject
{
    Q_OBJECT

private slots:
    void plainTextLandsOnTheScreen()
    {
        TerminalScreen screen(24, 80);
        screen.feed("hello\r\nworld");
        QCOMPARE(screen.lineText(0), QStringLiteral("hello"));
        QCOMPARE(screen.lineText(1), QStringLiteral("world"));
        QCOMPARE(screen.cursor(), QPoint(5, 1));
    }

    void escapeSequencesShapeTheScreen_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("screen");
        QTest::newRow("carriage return overwrites") << QByteArray("abcdef\rXY") << QStringLiteral("XYcdef");
        QTest::newRow("cursor position") << QByteArray("\x1b[3;5Hx") << QStringLiteral("\n\n    x");
        QTest::newRow("erase line") << QByteArray("keep\r\ngone\x1b[2K\rnew") << QStringLiteral("keep\nnew");
        QTest::newRow("clear screen") << QByteArray("old\x1b[2J\x1b[Hnew") << QStringLiteral("new");
        QTest::newRow("backspace") << QByteArray("ab\bc") << QStringLiteral("ac");
        QTest::newRow("tab stops") << QByteArray("a\tb") << QStringLiteral("a       b");
        QTest::newRow("cursor back and insert") << QByteArray("abc\x1b[2D\x1b[@Z") << QStringLiteral("aZbc");
        QTest::newRow("alternate screen restores") << QByteArray("main\x1b[?1049hvim stuff\x1b[?1049l") << QStringLiteral("main");
    }
    void escapeSequencesShapeTheScreen()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, screen);
        TerminalScreen s(10, 40);
        s.feed(input);
        QCOMPARE(s.screenText(), screen);
    }

    void coloursComeFromTheSgrSequences_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QColor>("fg");
        QTest::addColumn<QColor>("bg");
        QTest::newRow("default") << QByteArray("x") << QColor() << QColor();
        QTest::newRow("truecolor fg") << QByteArray("\x1b[38;2;10;20;30mx") << QColor(10, 20, 30) << QColor();
        QTest::newRow("truecolor bg") << QByteArray("\x1b[48;2;200;100;50mx") << QColor() << QColor(200, 100, 50);
        QTest::newRow("256 colour cube") << QByteArray("\x1b[38;5;196mx") << QColor(255, 0, 0) << QColor();
        QTest::newRow("reset after colour") << QByteArray("\x1b[31m\x1b[0mx") << QColor() << QColor();
    }
    void coloursComeFromTheSgrSequences()
    {
        QFETCH(QByteArray, input);
        QFETCH(QColor, fg);
        QFETCH(QColor, bg);
        TerminalScreen s(5, 20);
        s.feed(input);
        const TerminalCell c = s.cell(0, 0);
        QCOMPARE(c.text, QStringLiteral("x"));
        QCOMPARE(c.fg, fg);
        QCOMPARE(c.bg, bg);
    }

    void basicColoursAreDistinct()
    {
        TerminalScreen s(5, 20);
        s.feed("\x1b[31mr\x1b[32mg\x1b[44mb");
        const QColor red = s.cell(0, 0).fg;
        const QColor green = s.cell(0, 1).fg;
        QVERIFY(red.isValid() && green.isValid());
        QVERIFY(red.red() > red.green());
        QVERIFY(green.green() > green.red());
        QVERIFY(s.cell(0, 2).bg.blue() > s.cell(0, 2).bg.red());
    }

    void attributesAreKept()
    {
        TerminalScreen s(5, 20);
        s.feed("\x1b[1mB\x1b[0m\x1b[4mU\x1b[0m\x1b[7mR\x1b[0m\x1b[3mI\x1b[0mn");
        QVERIFY(s.cell(0, 0).bold);
        QVERIFY(s.cell(0, 1).underline);
        QVERIFY(s.cell(0, 2).reverse);
        QVERIFY(s.cell(0, 3).italic);
        const TerminalCell plain = s.cell(0, 4);
        QVERIFY(!plain.bold && !plain.underline && !plain.reverse && !plain.italic);
    }

    void utf8SplitAcrossFeedsIsJoined()
    {
        TerminalScreen s(5, 20);
        const QByteArray text = QStringLiteral("é日本ü").toUtf8();
        // Every split point, byte by byte.
        for (const char byte : text)
            s.feed(QByteArray(1, byte));
        QCOMPARE(s.lineText(0), QStringLiteral("é日本ü"));
    }

    void wideCharactersTakeTwoCells()
    {
        TerminalScreen s(5, 20);
        s.feed(QStringLiteral("日x").toUtf8());
        QCOMPARE(s.cell(0, 0).text, QStringLiteral("日"));
        QCOMPARE(s.cell(0, 0).width, 2);
        QCOMPARE(s.cell(0, 1).width, 0);
        QCOMPARE(s.cell(0, 2).text, QStringLiteral("x"));
        QCOMPARE(s.cursor(), QPoint(3, 0));
    }

    void linesScrolledOffGoToTheScrollback()
    {
        TerminalScreen s(24, 80);
        for (int i = 1; i <= 30; ++i)
            s.feed(QByteArray("line ") + QByteArray::number(i) + "\r\n");
        // 30 lines and the empty line the cursor is on: 31 rows, 24 visible.
        QCOMPARE(s.scrollbackCount(), 7);
        QCOMPARE(s.lineText(-1), QStringLiteral("line 7"));
        QCOMPARE(s.lineText(-7), QStringLiteral("line 1"));
        QCOMPARE(s.lineText(0), QStringLiteral("line 8"));
        QCOMPARE(s.textRange(QPoint(0, -2), QPoint(5, -1)), QStringLiteral("line 6\nline 7"));
    }

    void scrollbackIsCapped()
    {
        TerminalScreen s(5, 20);
        s.setScrollbackLimit(10);
        for (int i = 0; i < 100; ++i)
            s.feed("x\r\n");
        QCOMPARE(s.scrollbackCount(), 10);
    }

    void resizeChangesTheGridAndKeepsText()
    {
        TerminalScreen s(24, 80);
        QSignalSpy sized(&s, &TerminalScreen::sizeChanged);
        s.feed("top\r\nsecond");
        s.resize(30, 100);
        QCOMPARE(sized.count(), 1);
        QCOMPARE(s.rows(), 30);
        QCOMPARE(s.columns(), 100);
        QCOMPARE(s.lineText(0), QStringLiteral("top"));
        s.resize(30, 100);
        QCOMPARE(sized.count(), 1);  // same size: nothing happens
        // Fewer rows with the cursor at the bottom: the top line moves to the scrollback.
        for (int i = 0; i < 40; ++i)
            s.feed("\r\nfill");
        const int before = s.scrollbackCount();
        s.resize(10, 100);
        QVERIFY(s.scrollbackCount() > before);
        QCOMPARE(s.lineText(9), QStringLiteral("fill"));
    }

    void keysBecomeTheBytesTheShellExpects_data()
    {
        QTest::addColumn<QByteArray>("setup");
        QTest::addColumn<int>("qtKey");
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("ctrl+c is ^C") << QByteArray() << int(Qt::Key_C) << int(Qt::ControlModifier) << QString() << QByteArray("\x03");
        QTest::newRow("ctrl+d is ^D") << QByteArray() << int(Qt::Key_D) << int(Qt::ControlModifier) << QString() << QByteArray("\x04");
        QTest::newRow("ctrl+z is ^Z") << QByteArray() << int(Qt::Key_Z) << int(Qt::ControlModifier) << QString() << QByteArray("\x1a");
        QTest::newRow("enter is CR") << QByteArray() << int(Qt::Key_Return) << 0 << QString() << QByteArray("\r");
        QTest::newRow("backspace is DEL") << QByteArray() << int(Qt::Key_Backspace) << 0 << QString() << QByteArray("\x7f");
        QTest::newRow("tab") << QByteArray() << int(Qt::Key_Tab) << 0 << QString() << QByteArray("\t");
        QTest::newRow("escape") << QByteArray() << int(Qt::Key_Escape) << 0 << QString() << QByteArray("\x1b");
        QTest::newRow("up") << QByteArray() << int(Qt::Key_Up) << 0 << QString() << QByteArray("\x1b[A");
        QTest::newRow("up in application cursor mode") << QByteArray("\x1b[?1h") << int(Qt::Key_Up) << 0 << QString() << QByteArray("\x1bOA");
        QTest::newRow("letter") << QByteArray() << int(Qt::Key_A) << 0 << QStringLiteral("a") << QByteArray("a");
        QTest::newRow("shifted letter") << QByteArray() << int(Qt::Key_A) << int(Qt::ShiftModifier) << QStringLiteral("A") << QByteArray("A");
        QTest::newRow("non-ascii") << QByteArray() << int(Qt::Key_unknown) << 0 << QStringLiteral("ü") << QStringLiteral("ü").toUtf8();
        QTest::newRow("alt+b is ESC b") << QByteArray() << int(Qt::Key_B) << int(Qt::AltModifier) << QStringLiteral("b") << QByteArray("\x1b" "b");
        QTest::newRow("F5") << QByteArray() << int(Qt::Key_F5) << 0 << QString() << QByteArray("\x1b[15~");
    }
    void keysBecomeTheBytesTheShellExpects()
    {
        QFETCH(QByteArray, setup);
        QFETCH(int, qtKey);
        QFETCH(int, modifiers);
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        TerminalScreen s(5, 20);
        s.feed(setup);
        QByteArray sent;
        connect(&s, &TerminalScreen::output, this, [&sent](const QByteArray &b) { sent += b; });
        const TerminalKeyAction action = mapTerminalKey(qtKey, Qt::KeyboardModifiers(modifiers), text);
        if (action.kind == TerminalKeyAction::Key)
            s.sendKey(action.vtermKey, action.vtermModifiers);
        else if (action.kind == TerminalKeyAction::Char)
            s.sendChar(action.codepoint, action.vtermModifiers);
        else
            QFAIL("the key was not sent to the terminal");
        QCOMPARE(sent, bytes);
    }

    void copyPasteAndScrollKeysStayInTheConsole_data()
    {
        QTest::addColumn<int>("qtKey");
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<int>("kind");
        QTest::newRow("ctrl+shift+c copies") << int(Qt::Key_C) << int(Qt::ControlModifier | Qt::ShiftModifier) << int(TerminalKeyAction::Copy);
        QTest::newRow("ctrl+shift+v pastes") << int(Qt::Key_V) << int(Qt::ControlModifier | Qt::ShiftModifier) << int(TerminalKeyAction::Paste);
        QTest::newRow("shift+pageup scrolls") << int(Qt::Key_PageUp) << int(Qt::ShiftModifier) << int(TerminalKeyAction::ScrollUp);
        QTest::newRow("shift+pagedown scrolls") << int(Qt::Key_PageDown) << int(Qt::ShiftModifier) << int(TerminalKeyAction::ScrollDown);
    }
    void copyPasteAndScrollKeysStayInTheConsole()
    {
        QFETCH(int, qtKey);
        QFETCH(int, modifiers);
        QFETCH(int, kind);
        QCOMPARE(int(mapTerminalKey(qtKey, Qt::KeyboardModifiers(modifiers), QString()).kind), kind);
    }

    void pasteIsBracketedOnlyWhenAsked()
    {
        TerminalScreen s(5, 20);
        QByteArray sent;
        connect(&s, &TerminalScreen::output, this, [&sent](const QByteArray &b) { sent += b; });
        s.paste(QStringLiteral("ls\nпривет"));
        QCOMPARE(sent, QStringLiteral("ls\rпривет").toUtf8());
        sent.clear();
        s.feed("\x1b[?2004h");
        s.paste(QStringLiteral("rm -rf x\n"));
        QCOMPARE(sent, QByteArray("\x1b[200~rm -rf x\r\x1b[201~"));
    }

    void queriesAreAnswered()
    {
        TerminalScreen s(5, 20);
        QByteArray sent;
        connect(&s, &TerminalScreen::output, this, [&sent](const QByteArray &b) { sent += b; });
        s.feed("ab\x1b[6n");  // where is the cursor?
        QCOMPARE(sent, QByteArray("\x1b[1;3R"));
    }

    void titleAndCursorVisibilityFollowTheProgram()
    {
        TerminalScreen s(5, 20);
        QSignalSpy title(&s, &TerminalScreen::titleChanged);
        s.feed("\x1b]0;build log\x07");
        QCOMPARE(title.count(), 1);
        QCOMPARE(s.title(), QStringLiteral("build log"));
        s.feed("\x1b[?25l");
        QVERIFY(!s.cursorVisible());
        s.feed("\x1b[?25h");
        QVERIFY(s.cursorVisible());
    }

    void viewSizeDecidesRowsAndColumns()
    {
        TerminalScreen s(24, 80);
        TerminalView view;
        view.setScreen(&s);
        const QSizeF cell = view.cellSize();
        QVERIFY(cell.width() > 0 && cell.height() > 0);
        QSignalSpy sized(&s, &TerminalScreen::sizeChanged);
        view.setSize(QSizeF(cell.width() * 100 + 1, cell.height() * 30 + 1));
        QCOMPARE(s.columns(), 100);
        QCOMPARE(s.rows(), 30);
        view.setSize(QSizeF(cell.width() * 50 + 1, cell.height() * 12 + 1));
        QCOMPARE(s.columns(), 50);
        QCOMPARE(s.rows(), 12);
        QCOMPARE(sized.count(), 2);
    }

    void viewSelectionIsTheScreensText()
    {
        TerminalScreen s(5, 20);
        TerminalView view;
        view.setScreen(&s);
        s.feed("first\r\nsecond\r\nthird");
        view.selectRows(0, 1);
        QCOMPARE(view.selectedText(), QStringLiteral("first\nsecond"));
        view.clearSelection();
        QCOMPARE(view.selectedText(), QString());
    }

    void viewScrollsIntoTheScrollbackAndNoFurther()
    {
        TerminalScreen s(5, 20);
        TerminalView view;
        view.setScreen(&s);
        for (int i = 0; i < 12; ++i)
            s.feed("x\r\n");
        view.setScrollOffset(100);
        QCOMPARE(view.scrollOffset(), s.scrollbackCount());
        view.setScrollOffset(-3);
        QCOMPARE(view.scrollOffset(), 0);
    }
};

QTEST_MAIN(TerminalScreenTest)
#include "tst_console_terminal.moc"
