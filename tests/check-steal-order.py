#!/usr/bin/env python3
# Finds calls that pass g_steal_pointer (&x) and also read x in another argument, such as
#   write_async (export->file, ..., g_steal_pointer (&export));
# C leaves the order in which arguments are evaluated open: GCC may steal first, then read
# through NULL (it did: astra-tokens died in the inventory export). Read first, then call.
import os
import re
import sys

STEAL = re.compile(r'g_steal_pointer\s*\(\s*&\s*([A-Za-z_]\w*)\s*\)')


def enclosing_call(text, pos):
    """The span of the argument list that holds @pos, or None outside any call."""
    depth = 0
    i = pos
    while i > 0:
        i -= 1
        c = text[i]
        if c == ')':
            depth += 1
        elif c == '(':
            if depth == 0:
                break
            depth -= 1
        elif c in ';{}' and depth == 0:
            return None
    else:
        return None
    # Only a function call: an identifier before the parenthesis, not if/while/return.
    head = re.search(r'([A-Za-z_]\w*)\s*$', text[:i])
    if head is None or head.group(1) in ('if', 'while', 'for', 'switch', 'return', 'sizeof'):
        return None
    depth = 0
    j = i
    while j < len(text):
        c = text[j]
        if c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                return i + 1, j
        j += 1
    return None


def check(path):
    text = open(path, encoding='utf-8').read()
    found = []
    for m in STEAL.finditer(text):
        span = enclosing_call(text, m.start())
        if span is None:
            continue
        args = text[span[0]:m.start()] + text[m.end():span[1]]
        # A member of the same name (self->trashed beside trashed) is another variable.
        if re.search(r'(?<!->)(?<!\.)\b' + re.escape(m.group(1)) + r'\b', args):
            line = text.count('\n', 0, m.start()) + 1
            found.append(f'{path}:{line}: {m.group(1)} is read in the same call that steals it')
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    problems = []
    for top in ('src', 'tests', 'benchmarks'):
        for folder, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if name.endswith('.c'):
                    problems += check(os.path.join(folder, name))
    for p in problems:
        print(p)
    print(f'{len(problems)} call(s) read a pointer they also steal')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
