// SPDX-License-Identifier: MIT
#pragma once

// Small byte helpers shared by the HTTP codec; not part of the library's API.

#include <QByteArrayView>

#include <array>

namespace gasper::http::detail {

constexpr char toLowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

inline bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (toLowerAscii(a[i]) != toLowerAscii(b[i]))
            return false;
    }
    return true;
}

constexpr bool isOws(char c)
{
    return c == ' ' || c == '\t';
}

inline QByteArrayView trimOws(QByteArrayView v)
{
    qsizetype b = 0;
    qsizetype e = v.size();
    while (b < e && isOws(v[b]))
        ++b;
    while (e > b && isOws(v[e - 1]))
        --e;
    return v.sliced(b, e - b);
}

// Calls f for every non-empty element of a comma-separated field value (RFC 9110 §5.6.1),
// with surrounding whitespace removed.
template<class F>
void forEachListElement(QByteArrayView value, F &&f)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype comma = value.indexOf(',', start);
        if (comma < 0)
            comma = value.size();
        const QByteArrayView element = trimOws(value.sliced(start, comma - start));
        if (!element.isEmpty())
            f(element);
        start = comma + 1;
    }
}

// RFC 9110 §5.6.2 tchar.
constexpr std::array<bool, 256> makeTokenTable()
{
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = true;
    for (char c : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'})
        table[static_cast<unsigned char>(c)] = true;
    return table;
}

inline constexpr std::array<bool, 256> tokenTable = makeTokenTable();

constexpr bool isTokenChar(char c)
{
    return tokenTable[static_cast<unsigned char>(c)];
}

inline bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (char c : v) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Field values: HTAB, SP, VCHAR and obs-text; no other control character (RFC 9110 §5.5).
constexpr bool isFieldValueChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

} // namespace gasper::http::detail
