"""The warning catalogue, as data: each tests/cases/warn/NAME.ini, or
tests/cases/warn/NAME/plan.ini with the files it names, starts with comment
lines

    ; expect-warning: text that must appear in one warning   (one or more)
    ; args: extra arguments ({tmp} is a scratch folder)     (optional)
    ; command: optimize | whatif | validate                 (default optimize)

and runs through the CLI: the run must succeed (exit 0) and every expected
fragment must be found in a "warning: " line on standard error (with optimize,
in the JSON's warnings list and in a cell of the workbook too; with whatif, in
the what-if JSON's top-level warnings and in a cell of the workbook). A warning
is advice on a plan that runs: a case whose plan is refused belongs in
tests/cases/bad/."""
import glob
import json
import os
import shutil

import openpyxl

from mpcommon import *

d = tmpdir("warn")
root = os.path.join(SRC, "tests", "cases", "warn")
cases = sorted(glob.glob(os.path.join(root, "*.ini")) + glob.glob(os.path.join(root, "*", "plan.ini")))


def expectations(path):
    frags, args, command = [], [], "optimize"
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("; expect-warning:"):
            frags.append(line.split(":", 1)[1].strip())
        elif line.startswith("; args:"):
            args = line.split(":", 1)[1].split()
        elif line.startswith("; command:"):
            command = line.split(":", 1)[1].strip()
    return frags, args, command


def run_case(name, plan, frags, args=(), command="optimize"):
    args = [a.replace("{tmp}", d) for a in args]
    out_json = os.path.join(d, name + ".json")
    if command in ("optimize", "whatif") and "--json" not in args:
        args = ["--json", out_json, *args]
    if command in ("optimize", "whatif") and not any(a in ("-o", "--output") for a in args):
        args = ["-o", os.path.join(d, name + ".xlsx"), *args]
    p = run(command, plan, *args)
    check(p.returncode == 0, f"{name}: exit {p.returncode}, expected 0: {p.stderr}")
    warnings = [l[len("warning: "):] for l in p.stderr.splitlines() if l.startswith("warning: ")]
    for f in frags:
        check(any(f in w for w in warnings), f"{name}: no warning contains {f!r}: {warnings!r}")
    xlsx = os.path.join(d, name + ".xlsx")
    if command in ("optimize", "whatif") and os.path.exists(xlsx):
        wb = openpyxl.load_workbook(xlsx, read_only=True)
        cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                 for v in row if v is not None]
        wb.close()
        for f in frags:
            check(any(f in c for c in cells), f"{name}: no workbook cell contains {f!r}")
    if command in ("optimize", "whatif") and os.path.exists(out_json):
        with open(out_json, encoding="utf-8") as fh:
            listed = json.load(fh).get("warnings", [])
        for f in frags:
            check(any(f in w for w in listed), f"{name}: JSON warnings lack {f!r}: {listed!r}")


for case in cases:
    frags, args, command = expectations(case)
    name = os.path.basename(case) if not case.endswith("plan.ini") else \
        os.path.basename(os.path.dirname(case))
    check(bool(frags), f"{name}: has expectations")
    run_case(name, case, frags, args, command)

check(len(cases) >= 1, f"{len(cases)} warning cases found")
shutil.rmtree(d, ignore_errors=True)
done()
