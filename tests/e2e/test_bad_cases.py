"""The bad-input catalogue, as data: each tests/cases/bad/NAME.ini, or
tests/cases/bad/NAME/plan.ini with the files it names, starts with comment lines

    ; expect-exit: N
    ; expect-message: text that must appear on standard error   (one or more)
    ; args: extra arguments ({tmp} is a scratch folder)           (optional)
    ; command: optimize | whatif | validate                       (default optimize)
    ; expect-errors: N   exactly N errors listed (optional; a second, false error
                         after the first is what it catches)

and runs through the CLI with -o pointing at an existing workbook (unless the
args name another output), which must stay byte-identical. A few inputs
cannot be written as such files and are made here: a missing plan, a
directory, an empty file, an invalid UTF-16 plan and a 10 MB line."""
import glob
import os
import re
import shutil

from mpcommon import *

d = tmpdir("bad")
root = os.path.join(SRC, "tests", "cases", "bad")
cases = sorted(glob.glob(os.path.join(root, "*.ini")) + glob.glob(os.path.join(root, "*", "plan.ini")))


def expectations(path):
    code, msgs, args, command, nerr = None, [], [], "optimize", None
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("; expect-exit:"):
            code = int(line.split(":", 1)[1])
        elif line.startswith("; expect-message:"):
            msgs.append(line.split(":", 1)[1].strip())
        elif line.startswith("; args:"):
            args = line.split(":", 1)[1].split()
        elif line.startswith("; command:"):
            command = line.split(":", 1)[1].strip()
        elif line.startswith("; expect-errors:"):
            nerr = int(line.split(":", 1)[1])
    return code, msgs, args, command, nerr


def listed_errors(stderr):
    """The errors on standard error: 'mixplan: ' lines but the 'N errors' count."""
    return [l for l in stderr.splitlines()
            if l.startswith("mixplan: ") and not re.search(r": \d+ errors$", l)]


def run_case(name, plan, code, msgs, args=(), command="optimize", nerr=None):
    out = os.path.join(d, name + ".xlsx")
    with open(out, "wb") as f:
        f.write(b"previous")
    args = [a.replace("{tmp}", d) for a in args]
    if not any(a in ("-o", "--output", "--json") for a in args):
        args = ["-o", out, *args]
    if command == "validate":
        args = [a for a in args if a not in ("-o", out)]
    p = run(command, plan, *args)
    check(p.returncode == code, f"{name}: exit {p.returncode}, expected {code}: {p.stderr}")
    for m in msgs:
        check(m in p.stderr, f"{name}: stderr lacks {m!r}: {p.stderr!r}")
    if nerr is not None:
        errs = listed_errors(p.stderr)
        check(len(errs) == nerr, f"{name}: {len(errs)} errors listed, expected {nerr}: {errs}")
    # a planner reads these: no solver jargon (an LP file is export-lp's format)
    jargon = re.findall(r"\b(MIP|LP(?! file)|dual|relaxation)\b", p.stderr)
    check(not jargon, f"{name}: stderr speaks {jargon}: {p.stderr!r}")
    check(open(out, "rb").read() == b"previous", f"{name}: previous workbook untouched")
    leftovers = [f for f in os.listdir(d) if f.startswith(".")]
    check(not leftovers, f"{name}: temporary files left: {leftovers}")


for case in cases:
    code, msgs, args, command, nerr = expectations(case)
    name = os.path.basename(case) if not case.endswith("plan.ini") else \
        os.path.basename(os.path.dirname(case))
    check(code is not None and msgs, f"{name}: has expectations")
    run_case(name, case, code, msgs, args, command, nerr)

# Inputs made here.
run_case("missing_plan", os.path.join(d, "no-such-plan.ini"), 3, ["no-such-plan.ini: cannot open"])
run_case("directory_plan", d, 3, ["is a directory"])
run_case("empty_plan", write(os.path.join(d, "empty.ini"), ""), 3, ["empty plan file"])
u16 = os.path.join(d, "utf16.ini")
with open(u16, "wb") as f:
    # UTF-16 plans are read (tests/e2e/test_encodings.py); a lone surrogate is no UTF-16
    f.write(b"\xff\xfe" + "[plan]\r\nbudget = 100k\r\n".encode("utf-16-le") + b"\x00\xd8")
run_case("utf16_plan", u16, 3, ["utf16.ini:3: not valid UTF-16LE text"])
long_line = os.path.join(d, "long.ini")
with open(long_line, "w") as f:
    f.write("[plan]\nbudget = 100k\nname = " + "x" * (10 * 1024 * 1024) + "\nstart = 2027-03-01\n")
run_case("ten_megabyte_line", long_line, 3, ["long.ini:3: line longer than 198 characters"])
garbage = os.path.join(d, "garbage.ini")
with open(garbage, "wb") as f:
    f.write(bytes(range(256)) * 64)
run_case("binary_garbage", garbage, 3, ["not a text file"])
check(len(cases) + 6 >= 40, f"{len(cases) + 6} bad-input cases, at least 40 wanted")
shutil.rmtree(d, ignore_errors=True)
done()
