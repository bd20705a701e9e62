// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QStringList>

namespace gasper::apps {

// Cuts a byte stream into text lines across arbitrary chunk boundaries. A line
// longer than maxLine is emitted in pieces so one endless line cannot grow memory.
class LineSplitter
{
public:
    explicit LineSplitter(qsizetype maxLine = 8192) : m_maxLine(maxLine) {}
    QStringList feed(QByteArrayView data);
    QStringList flush();  // the unterminated rest, if any

private:
    QByteArray m_partial;
    qsizetype m_maxLine;
};

} // namespace gasper::apps
