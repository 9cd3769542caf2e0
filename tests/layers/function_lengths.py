#!/usr/bin/env python3
"""Functions do one named step and fit on a screen (STYLE.md, 12): lists the
longest functions of the library and the CLI, and fails when one is longer
than LIMIT lines (from the line of its name to its closing brace)."""
import os
import re
import sys

ROOT = os.environ.get("MP_SOURCE_DIR") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
FOLDERS = ["engine", "models", "cli"]
LIMIT = int(os.environ.get("MP_FUNCTION_LIMIT", "70"))
# a function definition starts at column 0 with a name followed by "(" and has
# its opening brace alone at column 0 on a later line (the house format)
HEAD = re.compile(r"^(?:static\s+|inline\s+|MPI_PRINTF\([^)]*\)\s*)*[A-Za-z_][\w\s\*]*?\b(\w+)\s*\(")


def functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = HEAD.match(lines[i])
        if m and not lines[i].rstrip().endswith(";") and not lines[i].startswith(("typedef", "#")):
            j = i
            while j < len(lines) and lines[j] != "{" and not lines[j].rstrip().endswith(";"):
                j += 1
            if j < len(lines) and lines[j] == "{":
                k = j + 1
                while k < len(lines) and lines[k] != "}":
                    k += 1
                yield m.group(1), i + 1, k - i + 1
                i = k
        i += 1


def main():
    found = []
    for folder in FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(ROOT, folder)):
            for n in sorted(names):
                if n.endswith(".c"):
                    path = os.path.join(dirpath, n)
                    rel = os.path.relpath(path, ROOT)
                    for name, line, length in functions(path):
                        found.append((length, f"{rel}:{line}", name))
    found.sort(reverse=True)
    print(f"{len(found)} functions; the longest:")
    for length, where, name in found[:10]:
        print(f"  {length:4d} lines  {name}  ({where})")
    over = [f for f in found if f[0] > LIMIT]
    for length, where, name in over:
        print(f"FAIL: {where}: {name} is {length} lines (limit {LIMIT}): split it into named steps")
    print(f"{0 if over else 1} passed, {1 if over else 0} failed")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
