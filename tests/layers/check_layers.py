#!/usr/bin/env python3
"""The house goes one way (DESIGN.md, Layout). Checked over every C file:

- engine/base includes nothing of ours outside it, but the public header
  mixplan.h (for mp_status), which itself includes nothing of ours;
- models/ includes models/ and engine/base only (never the plan, the LP or an
  adapter: it sees the narrow context of models.h);
- engine/adapters includes engine/adapters and engine/base only;
- cli/ includes only mixplan.h; tests may include anything;
- there is no include cycle between these folders;
- each outside library is included by its one adapter file (any header of
  the library: <xlsxwriter/format.h> counts as xlsxwriter.h);
- the library (engine/, models/) never prints on its own, never aborts or
  exits, allocates only through engine/base/alloc.c and uses none of the
  banned functions;
- every C file of engine/ is in one of its layered folders.
Comments, string literals and character literals are read past, so that
"stderr" in a message is no print and an include in a comment no include.
tests/layers/test_check_layers.py runs this script over fake trees with one
violation each.
"""
import os
import re
import sys

ROOT = os.environ.get("MP_SOURCE_DIR") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
FOLDERS = ["engine/include", "engine/base", "engine/adapters", "engine/src", "models", "cli"]
ALLOWED = {
    "engine/include": {"engine/include"},
    "engine/base": {"engine/base", "engine/include"},
    "engine/adapters": {"engine/adapters", "engine/base", "engine/include"},
    "models": {"models", "engine/base", "engine/include"},
    "engine/src": {"engine/src", "engine/adapters", "models", "engine/base", "engine/include"},
    "cli": {"engine/include"},
}
# outside library -> the one file that may include it, and the headers it
# has (matched on the include's path: <xlsxwriter/format.h> is xlsxwriter's)
LIBRARIES = [
    ("GLPK", "engine/adapters/glpk.c", re.compile(r"(^|/)glpk\.h$")),
    ("inih", "engine/adapters/ini.c", re.compile(r"(^|/)(ini|INIReader)\.h$")),
    ("libcsv", "engine/adapters/csv.c", re.compile(r"(^|/)csv\.h$")),
    ("PCRE2", "engine/adapters/rules.c", re.compile(r"(^|/)pcre2(posix)?\.h$")),
    ("cJSON", "engine/adapters/json.c", re.compile(r"(^|/)cJSON(_Utils)?\.h$")),
    ("libxlsxwriter", "engine/adapters/xlsx.c", re.compile(r"^xlsxwriter(\.h$|/)")),
]
LIBRARY_CODE = ["engine/base", "engine/adapters", "engine/src", "models"]
BANNED = [
    (re.compile(r"\b(stderr|stdout)\b"), "prints", "prints on its own (stderr/stdout)"),
    (re.compile(r"\b(printf|vprintf|puts|putchar|perror)\s*\("), "prints", "prints on its own"),
    (re.compile(r"\b(abort|exit|_exit|_Exit|quick_exit|assert)\s*\("), "aborts",
     "aborts or exits"),
    (re.compile(r"(?<![\w.>])(malloc|calloc|realloc|strdup|strndup|reallocarray|asprintf|"
                r"vasprintf|aligned_alloc|posix_memalign|memalign|valloc)\s*\("),
     "allocates", "allocates outside engine/base/alloc.c (use mpi_malloc, mpi_calloc, ...)"),
    (re.compile(r"\b(atoi|atol|sprintf|vsprintf|strcpy|strcat|strtok|gets)\s*\("), "banned",
     "uses a banned function"),
]

# Known exceptions being removed (file, what): none may be added.
EXEMPT = set()

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)
# Comments, string literals and character literals, whichever starts first:
# a "/*" inside a string opens no comment and a '"' opens no string.
TOKENS = re.compile(r"""//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'""", re.S)


def strip(text, strings):
    """text without comments (line breaks kept); with strings, also without the
    contents of string and character literals."""
    def blank(m):
        tok = m.group(0)
        if tok.startswith("/"):
            return "\n" * tok.count("\n") or " "
        if not strings:
            return tok
        return '""' if tok[0] == '"' else "' '"
    return TOKENS.sub(blank, text)


def library_of(name):
    for lib, adapter, rx in LIBRARIES:
        if rx.search(name):
            return lib, adapter
    return None


def source_files():
    """(folder, path) of every C file of the layered folders; problems for a
    C file of engine/ outside them; our header names -> folder."""
    files, headers = [], {}
    walks = [os.walk(os.path.join(ROOT, top)) for top in ("engine", "models", "cli")]
    for dirpath, _, names in (entry for w in walks for entry in w):
        rel_dir = os.path.relpath(dirpath, ROOT)
        for n in sorted(names):
            if not n.endswith((".c", ".h")):
                continue
            rel = os.path.normpath(os.path.join(rel_dir, n))
            folder = next((f for f in FOLDERS if rel.startswith(f + "/")), None)
            if folder is None:
                if rel.startswith("engine/"):
                    problems.append(f"{rel}: a C file outside the layered folders "
                                    f"({', '.join(FOLDERS[:4])})")
                continue
            files.append((folder, rel))
            if n.endswith(".h"):
                if n in headers:
                    problems.append(f"{rel}: header name also used in {headers[n]}")
                headers[n] = folder
    return sorted(files), headers


def check_includes(folder, rel, text, headers, edges):
    for m in INCLUDE.finditer(strip(text, strings=False)):
        kind, name = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        ours = os.path.basename(name) in headers
        lib = None if ours and kind == '"' else library_of(name)
        if lib:
            if rel != lib[1] and (rel, lib[0]) not in EXEMPT:
                problems.append(f"{rel}:{line}: includes {name} ({lib[0]}), which only "
                                f"{lib[1]} may include")
            continue
        if kind == '"' or ours:
            target = headers.get(os.path.basename(name))
            if target is None:
                problems.append(f"{rel}:{line}: includes \"{name}\", not a header of ours")
                continue
            if target not in ALLOWED[folder]:
                problems.append(f"{rel}:{line}: {folder} may not include {name} ({target})")
            if target != folder:
                edges.setdefault(folder, {}).setdefault(target, f"{rel}:{line}")


def check_code(rel, text):
    if not any(rel.startswith(p + "/") for p in LIBRARY_CODE):
        return
    code = strip(text, strings=True)
    for rx, tag, why in BANNED:
        if (rel == "engine/base/alloc.c" and tag == "allocates") or (rel, tag) in EXEMPT:
            continue
        for m in rx.finditer(code):
            line = code.count("\n", 0, m.start()) + 1
            problems.append(f"{rel}:{line}: {why}: {m.group(0).strip()}")


def check_cycles(edges):
    """A cycle between folders, with the include that makes each step."""
    state = {}

    def visit(f, path):
        state[f] = 1
        for g in sorted(edges.get(f, {})):
            if state.get(g) == 1:
                cyc = path[path.index(g):] + [g]
                steps = [f"{a} -> {b} ({edges[a][b]})" for a, b in zip(cyc, cyc[1:])]
                problems.append("include cycle between folders: " + "; ".join(steps))
            elif not state.get(g):
                visit(g, path + [g])
        state[f] = 2

    for f in FOLDERS:
        if not state.get(f):
            visit(f, [f])


def main():
    files, headers = source_files()
    edges = {}  # folder -> {folder it includes: the first file:line that does}
    for folder, rel in files:
        text = open(os.path.join(ROOT, rel), encoding="utf-8").read()
        check_includes(folder, rel, text, headers, edges)
        check_code(rel, text)
    check_cycles(edges)
    print(f"{len(files)} files, folder edges: " +
          "; ".join(f"{a} -> {', '.join(sorted(b))}" for a, b in sorted(edges.items())))
    for p in problems:
        print("FAIL:", p)
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


problems = []
if __name__ == "__main__":
    sys.exit(main())
