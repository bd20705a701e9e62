// SPDX-License-Identifier: MIT
#include "apps/LineSplitter.h"

namespace gasper::apps {

static QString toLine(QByteArrayView bytes)
{
    if (bytes.endsWith('\r'))
        bytes.chop(1);
    return QString::fromUtf8(bytes);
}

QStringList LineSplitter::feed(QByteArrayView data)
{
    QStringList lines;
    m_partial.append(data);
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_partial.indexOf('\n', start);
        if (nl < 0)
            break;
        lines << toLine(QByteArrayView(m_partial).sliced(start, nl - start));
        start = nl + 1;
    }
    m_partial.remove(0, start);
    while (m_partial.size() > m_maxLine) {
        lines << toLine(QByteArrayView(m_partial).first(m_maxLine));
        m_partial.remove(0, m_maxLine);
    }
    return lines;
}

QStringList LineSplitter::flush()
{
    if (m_partial.isEmpty())
        return {};
    QStringList rest{toLine(m_partial)};
    m_partial.clear();
    return rest;
}

} // namespace gasper::apps
