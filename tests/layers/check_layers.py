#!/usr/bin/env python3
"""The house goes one way (DESIGN.md, Layout). Checked over every C file:

- engine/base includes nothing of ours outside it, but the public header
  mixplan.h (for mp_status), which itself includes nothing of ours;
- models/ includes models/ and engine/base only (never the plan, the LP or an
  adapter: it sees the narrow context of models.h);
- engine/adapters includes engine/adapters and engine/base only;
- cli/ includes only mixplan.h; tests may include anything;
- there is no include cycle between these folders;
- each outside library is included by its one adapter file;
- the library (engine/, models/) never prints on its own, never aborts or
  exits, and allocates only through engine/base/alloc.c.
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
# outside library header -> the one file that may include it
LIBRARIES = {
    "glpk.h": "engine/adapters/glpk.c",
    "ini.h": "engine/adapters/ini.c",
    "csv.h": "engine/adapters/csv.c",
    "pcre2.h": "engine/adapters/rules.c",
    "cjson/cJSON.h": "engine/adapters/json.c",
    "xlsxwriter.h": "engine/adapters/xlsx.c",
}
LIBRARY_CODE = ["engine/base", "engine/adapters", "engine/src", "models"]
BANNED = [
    (re.compile(r"\b(stderr|stdout)\b"), "prints", "prints on its own (stderr/stdout)"),
    (re.compile(r"\b(printf|puts|perror)\s*\("), "prints", "prints on its own"),
    (re.compile(r"\b(abort|exit|_Exit|assert)\s*\("), "aborts", "aborts or exits"),
    (re.compile(r"(?<![\w.>])(malloc|calloc|realloc|strdup|strndup|reallocarray)\s*\("),
     "allocates", "allocates outside engine/base/alloc.c (use mpi_malloc, mpi_calloc, ...)"),
    (re.compile(r"\b(atoi|atol|sprintf|strcpy|strcat|gets)\s*\("), "banned",
     "uses a banned function"),
]

# Known exceptions being removed (file, what): none may be added.
EXEMPT = set()

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def main():
    headers = {}  # our header file name -> folder
    files = []
    for folder in FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(ROOT, folder)):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    rel = os.path.relpath(os.path.join(dirpath, n), ROOT)
                    files.append((folder, rel))
                    if n.endswith(".h"):
                        if n in headers:
                            problems.append(f"{rel}: header name also used in {headers[n]}")
                        headers[n] = folder
    edges = {}
    for folder, rel in files:
        text = open(os.path.join(ROOT, rel), encoding="utf-8").read()
        for m in INCLUDE.finditer(text):
            kind, name = m.group(1), m.group(2)
            line = text.count("\n", 0, m.start()) + 1
            if name in LIBRARIES:
                if rel != LIBRARIES[name] and (rel, name) not in EXEMPT:
                    problems.append(f"{rel}:{line}: includes {name}, which only "
                                    f"{LIBRARIES[name]} may include")
                continue
            if kind == '"' or os.path.basename(name) in headers and kind == "<":
                target = headers.get(os.path.basename(name))
                if target is None:
                    problems.append(f"{rel}:{line}: includes \"{name}\", not a header of ours")
                    continue
                if target not in ALLOWED[folder]:
                    problems.append(f"{rel}:{line}: {folder} may not include {name} ({target})")
                if target != folder:
                    edges.setdefault(folder, set()).add(target)
        if any(rel.startswith(p + "/") for p in LIBRARY_CODE):
            code = strip_comments(text)
            for rx, tag, why in BANNED:
                if (rel == "engine/base/alloc.c" and tag == "allocates") or (rel, tag) in EXEMPT:
                    continue
                for m in rx.finditer(code):
                    line = code.count("\n", 0, m.start()) + 1
                    problems.append(f"{rel}:{line}: {why}: {m.group(0).strip()}")
    # a cycle between folders
    state = {}

    def visit(f, path):
        state[f] = 1
        for g in sorted(edges.get(f, ())):
            if state.get(g) == 1:
                problems.append("include cycle between folders: " + " -> ".join(path + [g]))
            elif not state.get(g):
                visit(g, path + [g])
        state[f] = 2

    for f in FOLDERS:
        if not state.get(f):
            visit(f, [f])
    print(f"{len(files)} files, folder edges: " +
          "; ".join(f"{a} -> {', '.join(sorted(b))}" for a, b in sorted(edges.items())))
    for p in problems:
        print("FAIL:", p)
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


problems = []
if __name__ == "__main__":
    sys.exit(main())
