#!/usr/bin/env python3
"""The README's worked example is what the program prints: its block is run
as written (from the source tree, the workbook written to a scratch folder)
and compared line by line; lines of the README that quote the spring
example's objective line elsewhere quote it as printed."""
import os
import re
import subprocess

from mpcommon import MIXPLAN, SRC, check, done, tmpdir


def worked_example(text):
    """The command and the output lines of the block under '## A worked example'."""
    part = text.split("## A worked example", 1)[1]
    block = part.split("```", 2)[1].strip("\n").splitlines()
    check(block[0].startswith("$ build/mixplan "), "the worked example starts with its command")
    return block[0][2:].split(), block[1:]


def carryover_example(text):
    """The plan under '### Carryover (adstock)' solves, and the summary says
    what it carries over and what comes after the plan."""
    part = text.split("### Carryover (adstock)", 1)[1]
    block = part.split("```ini", 1)[1].split("```", 1)[0]
    plan = os.path.join(tmpdir("readme"), "carryover.ini")
    with open(plan, "w", encoding="utf-8") as f:
        f.write(block)
    p = subprocess.run([os.path.abspath(MIXPLAN), "optimize", plan], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "carryover example: exit %d %s" % (p.returncode, p.stderr[-300:]))
    check("carryover: tv_spots keeps 60.0% of its adstock" in p.stdout,
          "carryover example: the carryover line\n" + p.stdout)
    check("after the plan:" in p.stdout, "carryover example: the after-the-plan line")


def booked_example(text):
    """The plan under '### Booked media' prints the lines quoted after it."""
    part = text.split("### Booked media", 1)[1]
    plan = part.split("```ini", 1)[1].split("```", 1)[0]
    lines = part.split("```ini", 1)[1].split("```", 2)[2].split("```", 1)[0].strip("\n")
    path = os.path.join(tmpdir("readme"), "booked.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(plan)
    p = subprocess.run([os.path.abspath(MIXPLAN), "optimize", path], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "booked example: exit %d %s" % (p.returncode, p.stderr[-300:]))
    got = p.stdout.splitlines()
    want = lines.splitlines()
    check(len(want) == 6, "booked example: six lines quoted (the objective's on two)")
    check(got[:len(want)] == want, "booked example: README has\n  %s\nthe program prints\n  %s"
          % ("\n  ".join(want), "\n  ".join(got[:len(want)])))


def effective_bound_example(text):
    """The plan under '#### Effective reach in constraints and the objective'
    prints the lines quoted after it."""
    part = text.split("#### Effective reach in constraints and the objective", 1)[1]
    plan = part.split("```ini", 1)[1].split("```", 1)[0]
    lines = part.split("```ini", 1)[1].split("```", 2)[2].split("```", 1)[0].strip("\n")
    path = os.path.join(tmpdir("readme"), "effective_bound.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(plan)
    p = subprocess.run([os.path.abspath(MIXPLAN), "optimize", path], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "effective example: exit %d %s" % (p.returncode, p.stderr[-300:]))
    got = p.stdout.splitlines()
    for line in lines.splitlines():
        check(line in got, "effective example: README has\n  %s\nnot printed in\n  %s"
              % (line, "\n  ".join(got)))


def main():
    with open(os.path.join(SRC, "README.md"), encoding="utf-8") as f:
        text = f.read()
    argv, want = worked_example(text)
    out = os.path.join(tmpdir("readme"), "spring_launch.xlsx")
    i = argv.index("-o")
    shown = argv[i + 1]
    argv[i + 1] = out
    p = subprocess.run([os.path.abspath(MIXPLAN), *argv[1:]], cwd=SRC, capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "worked example: exit %d %s" % (p.returncode, p.stderr[-300:]))
    got = (p.stderr + p.stdout).replace(out, shown).strip("\n").splitlines()
    # the read: lines go to standard error, the summary to standard output
    got = [l for l in got if l.startswith("read:")] + [l for l in got if not l.startswith("read:")]
    check(len(got) == len(want), "worked example: %d lines printed, %d in the README"
          % (len(got), len(want)))
    for g, w in zip(got, want):
        check(g.rstrip() == w.rstrip(), "worked example: README has\n  %s\nthe program prints\n  %s"
              % (w, g))
    carryover_example(text)
    # past 100 columns a line goes on under itself, two columns in: read it whole
    objective = [l for l in re.sub(r"\n  (?=\S)", " ", "\n".join(want)).splitlines()
                 if l.startswith("objective:")]
    # (the booked example's objective line is checked with its own block)
    for line in re.findall(r"(?m)^\s*(objective: max conversions -> (?!.*as booked).*certified\))\s*$",
                           text):
        check(objective and line == objective[0], "README quotes '%s', the example prints '%s'"
              % (line, objective[0] if objective else None))
    effective_example(text)
    draws_example(text)
    whatif_bands_example(text)
    risk_example(text)
    must_hold_example(text)
    booked_example(text)
    effective_bound_example(text)
    robyn_example(text)
    whatif_example(text)
    done()


def draws_example(text):
    """The plan under '### Uncertain curves (draws)' prints the line quoted after it."""
    part = text.split("### Uncertain curves (draws)", 1)[1]
    plan = part.split("```ini", 1)[1].split("```", 1)[0]
    line = part.split("```ini", 1)[1].split("```", 3)[2].strip("\n")
    path = os.path.join(tmpdir("readme"), "draws.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(plan)
    p = subprocess.run([os.path.abspath(MIXPLAN), "optimize", path], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "draws example: exit %d %s" % (p.returncode, p.stderr))
    check(line in p.stdout.splitlines(), "draws example: README has\n  %s\n"
          "the program prints\n  %s" % (line, p.stdout))


def whatif_bands_example(text):
    """The plan under '### Uncertain curves (draws)', run as '#### What-if bands' says,
    prints the lines quoted there."""
    part = text.split("### Uncertain curves (draws)", 1)[1]
    plan = part.split("```ini", 1)[1].split("```", 1)[0]
    bands = part.split("#### What-if bands", 1)[1].split("```")
    argv, lines = bands[1].split(), bands[3].strip("\n").splitlines()
    path = os.path.join(tmpdir("readme"), "draws.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(plan)
    check(argv[:3] == ["mixplan", "whatif", "draws.ini"], "what-if bands: the command")
    p = subprocess.run([os.path.abspath(MIXPLAN), "whatif", path, *argv[3:]],
                       capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, "what-if bands: exit %d %s" % (p.returncode, p.stderr))
    for line in lines:
        check(line in p.stdout.splitlines(), "what-if bands: README has\n  %s\n"
              "the program prints\n  %s" % (line, p.stdout))


def risk_example(text):
    """The plan under '#### Plans for the bad draws' prints the lines quoted after it."""
    part = text.split("#### Plans for the bad draws", 1)[1]
    plan = part.split("```ini", 1)[1].split("```", 1)[0]
    lines = part.split("```ini", 1)[1].split("```", 3)[2].strip("\n").splitlines()
    path = os.path.join(tmpdir("readme"), "risk.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(plan)
    p = subprocess.run([os.path.abspath(MIXPLAN), "optimize", path], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "risk example: exit %d %s" % (p.returncode, p.stderr))
    for line in lines:
        check(line in p.stdout.splitlines(), "risk example: README has\n  %s\n"
              "the program prints\n  %s" % (line, p.stdout))


def must_hold_example(text):
    """The plan under '#### Constraints in every draw' prints the lines quoted after it."""
    part = text.split("#### Constraints in every draw (must_hold)", 1)[1]
    plan = part.split("```ini", 1)[1].split("```", 1)[0]
    lines = part.split("```ini", 1)[1].split("```", 3)[2].strip("\n").splitlines()
    path = os.path.join(tmpdir("readme"), "must_hold.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(plan)
    p = subprocess.run([os.path.abspath(MIXPLAN), "optimize", path], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "must_hold example: exit %d %s" % (p.returncode, p.stderr))
    check(len(lines) == 2, "must_hold example: two lines quoted")
    for line in lines:
        check(line in p.stdout.splitlines(), "must_hold example: README has\n  %s\n"
              "the program prints\n  %s" % (line, p.stdout))


def effective_example(text):
    """The plan under '### Effective frequency' prints the line quoted after it."""
    part = text.split("### Effective frequency", 1)[1]
    blocks = part.split("```")
    plan, line = blocks[1].strip("\n"), blocks[3].strip("\n")
    path = os.path.join(tmpdir("readme"), "effective.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(plan + "\n")
    p = subprocess.run([os.path.abspath(MIXPLAN), "optimize", path], capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "effective frequency example: exit %d %s" % (p.returncode, p.stderr))
    check(line in p.stdout.splitlines(), "effective frequency example: README has\n  %s\n"
          "the program prints\n  %s" % (line, p.stdout))


def robyn_example(text):
    """The command under '### Curves from Robyn' runs from the source tree and
    prints each line quoted after it."""
    part = text.split("### Curves from Robyn", 1)[1]
    block = part.split("```", 2)[1].strip("\n").splitlines()
    check(block[0].startswith("$ build/mixplan "), "robyn example starts with its command")
    argv = block[0][2:].split()
    p = subprocess.run([os.path.abspath(MIXPLAN), *argv[1:]], cwd=SRC, capture_output=True,
                       text=True, timeout=600)
    check(p.returncode == 0, "robyn example: exit %d %s" % (p.returncode, p.stderr[-300:]))
    got = (p.stdout + p.stderr).splitlines()
    for line in block[1:]:
        check(line in got, "robyn example: README has\n  %s\nnot printed in\n%s"
              % (line, p.stdout + p.stderr))


def whatif_example(text):
    """The command under '## What-if runs' runs from the source tree and prints
    the block's lines as they stand, one after the other, in 100 columns."""
    part = text.split("## What-if runs", 1)[1]
    block = part.split("```", 2)[1].strip("\n").splitlines()
    check(block[0].startswith("$ build/mixplan whatif "), "what-if example starts with its command")
    p = subprocess.run([os.path.abspath(MIXPLAN), *block[0][2:].split()[1:]], cwd=SRC,
                       capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, "what-if example: exit %d %s" % (p.returncode, p.stderr[-300:]))
    got = p.stdout.splitlines()
    at = got.index(block[1]) if block[1] in got else -1
    check(at >= 0 and got[at:at + len(block) - 1] == block[1:],
          "what-if example: README has\n  %s\nthe program prints\n  %s"
          % ("\n  ".join(block[1:]), "\n  ".join(got)))
    wide = [l for l in got if len(l) > 100 and not l.startswith("from ")]
    check(not any(l in wide for l in block), "what-if example: its lines in 100 columns: %s" % wide)

if __name__ == "__main__":
    main()

