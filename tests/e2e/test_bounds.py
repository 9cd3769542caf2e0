"""Bounded work on hostile inputs: every run here has a timeout of its own, so a
run that hangs (a FIFO read forever, a quadratic join, a catastrophic pattern)
fails the test instead of stalling the suite. The sizes are chosen with a wide
margin: the fixed runs take well under a second, the timeouts are a minute."""
import os
import subprocess

from mpcommon import *

d = tmpdir("bounds")
TIMEOUT_S = 60


def run_bounded(*args):
    try:
        return subprocess.run([*VALGRIND, MIXPLAN, *args], capture_output=True, text=True,
                              timeout=TIMEOUT_S * (10 if VALGRIND else 1))
    except subprocess.TimeoutExpired:
        return None


def expect(p, code, fragment, what):
    check(p is not None, f"{what}: finished within the timeout")
    if p is None:
        return
    check(p.returncode == code, f"{what}: exit {p.returncode}, expected {code}: {p.stderr}")
    check(fragment in p.stderr, f"{what}: stderr lacks {fragment!r}: {p.stderr!r}")


SEARCH_PLAN = """[plan]
budget = 100k
start = 2027-03-01
[channel "s"]
type = search
ctr = 5%
keywords = {keywords}
"""

# A FIFO with no writer: open() would block forever, read() too; refused from fstat.
fifo = os.path.join(d, "keywords.csv")
os.mkfifo(fifo)
plan = write(os.path.join(d, "fifo.ini"), SEARCH_PLAN.format(keywords=fifo))
for command in ("validate", "optimize"):
    expect(run_bounded(command, plan), 3, fifo + ": is a FIFO (named pipe), not a regular file",
           f"{command} with a FIFO as keywords")
expect(run_bounded("validate", fifo), 3, "is a FIFO (named pipe), not a regular file",
       "a FIFO as the plan file")
expect(run_bounded("validate", "/dev/zero"), 3, "/dev/zero: is a character device",
       "/dev/zero as the plan file")

# A keyword rule slow on every keyword but under PCRE2's per-match limit: the
# classification's bound on the total work stops it, naming the rule (file:line),
# long before the 20,000 keywords are done (each takes 2^16 backtracking paths).
export = os.path.join(d, "slow.csv")
with open(export, "w") as f:
    f.write("Keyword\tCurrency\tAvg. monthly searches\n")
    for i in range(20000):
        f.write("a" * 16 + f"! w{i}\tEUR\t50\n")
rules = write(os.path.join(d, "rules.ini"), '[group "slow"]\nmatch = (a+)+$\n')
expect(run_bounded("keywords", export, "--rules", rules), 3,
       "rules.ini:2: match: pattern \"(a+)+$\" needs too much work", "a slow rule over many keywords")

done()
