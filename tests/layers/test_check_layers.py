#!/usr/bin/env python3
"""Self-test of check_layers.py: it runs over tiny fake trees (MP_SOURCE_DIR
points it at one) made of a clean tree plus one violation each, and must
report each one (exit 1, a FAIL line naming the file and saying what), while
the clean tree, which hides the banned words in comments, strings and
character literals, passes."""
import os
import subprocess
import sys
import tempfile

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_layers.py")

CLEAN = {
    "engine/include/mixplan.h": "/* the public header */\n#ifndef MIXPLAN_H\n#define MIXPLAN_H\n"
                                "#include <stddef.h>\ntypedef int mp_status;\n#endif\n",
    "engine/base/base.h": '#include "mixplan.h"\n#include <stdio.h>\nvoid *mpi_malloc(size_t n);\n',
    "engine/base/alloc.c": '#include "base.h"\n#include <stdlib.h>\n'
                           "void *mpi_malloc(size_t n) { return realloc(NULL, n); }\n",
    "engine/base/text.c": '#include "base.h"\n#include <string.h>\n'
                          "/* no strcpy( or printf( here, and no include: */\n"
                          '/* #include "adapters.h" */\n'
                          "// exit(1); malloc(2);\n"
                          "size_t mpi_len(const char *s) { return strlen(s); }\n"
                          'const char *mpi_msg(void) { return "stderr: malloc( /* abort("; }\n'
                          "char mpi_quote(void) { return '\"'; }\n"
                          "char mpi_slash(void) { return '/'; }\n",
    "engine/adapters/adapters.h": '#include "base.h"\n',
    "engine/adapters/glpk.c": '#include "adapters.h"\n#include <glpk.h>\n',
    "engine/adapters/csv.c": '#include "adapters.h"\n#include <csv.h>\n',
    "engine/adapters/xlsx.c": '#include "adapters.h"\n#include <xlsxwriter.h>\n'
                              "#include <xlsxwriter/format.h>\n",
    "engine/src/plan.h": '#include "adapters.h"\n#include "models.h"\n',
    "engine/src/plan.c": '#include "plan.h"\n#include <stdio.h>\n'
                         'int mpi_write(FILE *out) { return fprintf(out, "%s\\n", "ok"); }\n',
    "models/models.h": '#include "base.h"\n',
    "models/search.c": '#include "models.h"\nvoid *mpi_kw(void) { return mpi_malloc(8); }\n',
    "cli/main.c": '#include "mixplan.h"\n#include <stdio.h>\n'
                  'int main(void) { fprintf(stderr, "usage\\n"); exit(2); }\n',
}

# (what, file, text appended to it (a new file when absent), words the FAIL line holds)
CASES = [
    ("a model includes the plan", "models/search.c", '#include "plan.h"\n',
     ["models may not include plan.h"]),
    ("the base includes an adapter", "engine/base/text.c", '#include "adapters.h"\n',
     ["engine/base may not include adapters.h"]),
    ("GLPK outside its adapter", "engine/src/plan.c", "#include <glpk.h>\n",
     ["includes glpk.h", "only engine/adapters/glpk.c may include"]),
    ("a header of libxlsxwriter's folder outside its adapter", "models/search.c",
     "#include <xlsxwriter/worksheet.h>\n", ["(libxlsxwriter)", "engine/adapters/xlsx.c"]),
    ("printing to stderr", "engine/src/plan.c",
     'void mpi_say(void) { fprintf(stderr, "x"); }\n', ["prints on its own", "stderr"]),
    ("a raw malloc in a model", "models/search.c",
     "void *mpi_raw(void) { return malloc(8); }\n", ["allocates outside", "malloc("]),
    ("a folder include cycle", "engine/adapters/csv.c", '#include "plan.h"\n',
     ["include cycle between folders", "engine/adapters -> engine/src"]),
    ("strcpy", "engine/src/plan.c", "void mpi_cp(char *d, const char *s) { strcpy(d, s); }\n",
     ["banned function", "strcpy("]),
    ("a print after a quote character", "engine/src/plan.c",
     "int mpi_q(void) { char c = '\"'; printf(\"%c\", c); return 0; }\n",
     ["prints on its own", "printf("]),
    ("an abort after a comment opener in a string", "engine/base/text.c",
     'const char *mpi_s = "/*"; void mpi_x(void) { abort(); } /* end */\n',
     ["aborts or exits", "abort("]),
    ("_exit", "models/search.c", "void mpi_die(void) { _exit(1); }\n", ["aborts or exits"]),
    ("vprintf", "engine/src/plan.c", "void mpi_v(va_list ap) { vprintf(\"%d\", ap); }\n",
     ["prints on its own"]),
    ("a C file outside the layered folders", "engine/misc.c", '#include "base.h"\n',
     ["outside the layered folders"]),
    ("the command line includes an engine header", "cli/main.c", '#include "plan.h"\n',
     ["cli may not include plan.h"]),
    ("two headers of the same name", "models/plan.h", "/* another plan.h */\n",
     ["header name also used"]),
]


def write_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def run_checker(root):
    env = dict(os.environ, MP_SOURCE_DIR=root)
    p = subprocess.run([sys.executable, CHECKER], env=env, capture_output=True, text=True)
    fails = [line for line in p.stdout.splitlines() if line.startswith("FAIL:")]
    return p.returncode, fails, p.stdout + p.stderr


def main():
    base = os.environ.get("MP_TMP") or None
    if base:
        os.makedirs(base, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="layers", dir=base) as tmp:
        clean = os.path.join(tmp, "clean")
        write_tree(clean, CLEAN)
        rc, fails, out = run_checker(clean)
        if rc != 0 or fails:
            print(f"FAIL: the clean tree does not pass (exit {rc}):\n{out}")
            failed += 1
        for i, (what, rel, add, words) in enumerate(CASES):
            files = dict(CLEAN)
            files[rel] = files.get(rel, "") + add
            root = os.path.join(tmp, f"case{i}")
            write_tree(root, files)
            rc, fails, out = run_checker(root)
            hit = [f for f in fails if rel in f and all(w in f for w in words)]
            if rc != 1 or not hit:
                print(f"FAIL: {what}: exit {rc}, no FAIL line naming {rel} with {words}:\n{out}")
                failed += 1
    print(f"{len(CASES) + 1 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
