#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails when Qt's own QFuture::then(context, f) is called anywhere in the given trees.

Qt 6.4's QFuture::then(context, f) can run f twice when the future finishes on another
thread while the continuation is attached (backend/core/Future.h). gasper::Future hides
that overload with a safe one, so a context continuation is fine exactly when it is
called on a gasper::Future. This check finds every `.then(` with two or more arguments
whose first is not a lambda or a QtFuture launch policy (the context overload), and
accepts it only when its receiver is, by name, a gasper::Future: a function declared to
return Future<…>, a variable or member declared Future<…>, or a Future<…>(…) wrap. A name
that is also declared QFuture<…> somewhere counts as raw.

  tests/core/check-future-then.py DIR…     exit 1 and list the call sites when one is raw
  check-future-then.py --self-test
"""
import os
import re
import sys

SOURCE_EXT = ('.cpp', '.h', '.hpp', '.cc')


def strip(text):
    """Comments and string/char literals blanked, line structure kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(c + ' ' * max(0, j - i - 2) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def skip_angles(text, i):
    """text[i] == '<': index after the matching '>'."""
    depth = 0
    while i < len(text):
        if text[i] == '<':
            depth += 1
        elif text[i] == '>':
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def declared_names(text, type_name):
    """Names declared with type `type_name<…>`: functions, variables, members, and
    functions with a trailing `-> type_name<…>`."""
    names = set()
    for m in re.finditer(r'(?<![\w:])(?:gasper::)?' + type_name + r'<', text):
        end = skip_angles(text, m.end() - 1)
        d = re.match(r'\s*&?\s*(\w+)\s*[(;={]', text[end:])
        if d:
            names.add(d.group(1))
    for m in re.finditer(r'(\w+)\s*\([^;{}]*\)\s*(?:const\s*)?->\s*(?:gasper::)?' + type_name + r'<', text):
        names.add(m.group(1))
    return names


def then_calls(text):
    """(offset, receiver name or None) of every context-taking .then( call."""
    calls = []
    for m in re.finditer(r'\.\s*then\s*\(', text):
        args = m.end()
        rest = text[args:].lstrip()
        if rest.startswith('[') or rest.startswith('QtFuture::'):
            continue
        # Two or more top-level arguments?
        depth, i, commas = 0, args, 0
        while i < len(text):
            ch = text[i]
            if ch in '([{':
                depth += 1
            elif ch in ')]}':
                if depth == 0:
                    break
                depth -= 1
            elif ch == ',' and depth == 0:
                commas += 1
            i += 1
        if commas == 0:
            continue
        calls.append((m.start(), receiver(text, m.start())))
    return calls


def receiver(text, dot):
    """The name the call is made on: `x.then`, `f(…).then`, `Future<T>(…).then`, `a->f(…).then`."""
    i = dot - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    if i >= 0 and text[i] == ')':
        depth = 0
        while i >= 0:
            if text[i] == ')':
                depth += 1
            elif text[i] == '(':
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        i -= 1
        while i >= 0 and text[i].isspace():
            i -= 1
        if i >= 0 and text[i] == '>':  # Future<T>(…)
            depth = 0
            while i >= 0:
                if text[i] == '>':
                    depth += 1
                elif text[i] == '<':
                    depth -= 1
                    if depth == 0:
                        break
                i -= 1
            i -= 1
    end = i + 1
    while i >= 0 and (text[i].isalnum() or text[i] == '_'):
        i -= 1
    name = text[i + 1:end]
    return name or None


def check(files):
    """{path: stripped text} -> list of 'path:line: …' problems."""
    futures, raw = set(), set()
    for text in files.values():
        futures |= declared_names(text, 'Future')
        raw |= declared_names(text, 'QFuture')
    safe = (futures - raw) | {'Future'}
    problems = []
    for path, text in sorted(files.items()):
        for offset, name in then_calls(text):
            if name not in safe:
                line = text.count('\n', 0, offset) + 1
                problems.append(f'{path}:{line}: .then(context, …) on {name or "an expression"}, '
                                f'which is not a gasper::Future (Qt 6.4 QFuture::then races; use core/Future.h)')
    return problems


def load(roots):
    files = {}
    for root in roots:
        for dirpath, _, names in os.walk(root):
            for name in names:
                if name.endswith(SOURCE_EXT):
                    path = os.path.join(dirpath, name)
                    with open(path, encoding='utf-8', errors='replace') as f:
                        files[path] = strip(f.read())
    return files


SELF_TEST = {
    # (source, number of raw calls it holds)
    'QFuture<int> f = run(); f.then(this, [](int) {});': 1,
    'QFuture<int> m_job;\nvoid X::go() { m_job.then(this, [this](int) {}); }': 1,
    'QtConcurrent::run([] { return 1; }).then(context, [](int) {});': 1,
    'Future<int> g(); void h() { g().then(this, [](int) {}); }': 0,
    'Future<Result<int>> m_clone; void X::go() { m_clone.then(this, [](auto) {}); }': 0,
    'Future<void>(QtConcurrent::run([] {})).then(this, [] {});': 0,
    'auto run(F &&f) -> Future<std::invoke_result_t<F, Store &>>;\n'
    'void y() { m_store\n  ->run([](Store &s) { return 1; })\n  .then(this, [](int) {}); }': 0,
    'QFuture<int> q; q.then([](int) {}); q.then(QtFuture::Launch::Async, [](int) {});': 0,
    '// f.then(this, [] {}) in a comment\nconst char *s = "x.then(this, y)";': 0,
    'Future<int> g(); void h() { g().then(this, [](int) {}).then(this, [] {}); }': 1,
    'Future<int> a; QFuture<int> a2; void h() { QFuture<int> a; a.then(this, [](int) {}); }': 1,
}


def self_test():
    ok = True
    for source, expected in SELF_TEST.items():
        found = len(check({'sample.cpp': strip(source)}))
        if found != expected:
            ok = False
            print(f'self-test: expected {expected} raw call(s), found {found} in:\n  {source}', file=sys.stderr)
    return ok


def main(argv):
    if argv[1:] == ['--self-test']:
        return 0 if self_test() else 1
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not self_test():
        return 1
    files = load(argv[1:])
    if not files:
        print('check-future-then: no sources under ' + ' '.join(argv[1:]), file=sys.stderr)
        return 1
    problems = check(files)
    for p in problems:
        print(p, file=sys.stderr)
    print(f'check-future-then: {len(files)} files, {len(problems)} raw QFuture::then(context, …) call(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
