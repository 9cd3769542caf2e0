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
        return subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
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

# A keyword longer than a workbook cell holds (Excel: 32,767 UTF-16 units; a character
# above U+FFFF counts two) is cut in the workbook with a warning on the terminal, in the
# JSON and on the Assumptions sheet; the JSON keeps it whole.
import json
import openpyxl

long_kw = "\u00e9" * 20000 + "\U0001F600" * 10000  # 40,000 units
cut, units = "", 0
for ch in long_kw:  # the longest start of at most 32,767 units, character by character
    w = 2 if ord(ch) > 0xFFFF else 1
    if units + w > 32767:
        break
    cut += ch
    units += w
export = os.path.join(d, "long.csv")
with open(export, "w", encoding="utf-8") as f:
    f.write("Keyword\tCurrency\tAvg. monthly searches\tTop of page bid (low range)\t"
            "Top of page bid (high range)\n")
    f.write("running shoes\tEUR\t5000\t0.5\t1.0\n" + long_kw + "\tEUR\t500\t0.5\t1.0\n")
plan = write(os.path.join(d, "long.ini"), SEARCH_PLAN.format(keywords=export) + "cvr = 2%\n")
xlsx, js = os.path.join(d, "long.xlsx"), os.path.join(d, "long.json")
p = run_bounded("optimize", plan, "-o", xlsx, "--json", js)
warning = "long.csv:3: keyword of 40000 characters: the workbook shows its first 32767"
expect(p, 0, warning, "a keyword longer than a cell")
data = json.load(open(js, encoding="utf-8"))
check(any(warning in w for w in data["warnings"]), f"the JSON warns: {data['warnings']}")
check(long_kw in [k["keyword"] for k in data["keywords"]], "the JSON keeps the keyword whole")
wb = openpyxl.load_workbook(xlsx)
cells = [r[1] for r in wb["Keywords"].iter_rows(min_row=2, values_only=True)]
check(cut in cells and long_kw not in cells, "the workbook has the keyword cut to 32,767 units")
assumptions = [c for r in wb["Assumptions"].iter_rows(values_only=True) for c in r if c]
check(any(isinstance(c, str) and warning in c for c in assumptions),
      "the Assumptions sheet lists the warning")

# --time-limit covers building the curves: a limit of 1 ms on a plan of 128 channels over
# 104 weeks (13,312 curves: far more than 1 ms of work on any machine) stops the build; the
# run returns the best plan known to meet every constraint, here the trivial one (spend
# nothing: no floor, no outcome to reach), and says so.
big = "[plan]\nbudget = 5M\nstart = 2027-01-04\nperiods = 104\nperiod = week\n"
for i in range(128):
    big += f'[channel "c{i}"]\ntype = curve\ncurve = exp\nbeta = {1000 + i}\nk = {20000 + 50 * i}\n'
plan = write(os.path.join(d, "big.ini"), big)
js = os.path.join(d, "big.json")
trivial = "this plan spends nothing, which meets every constraint; allow more time"
p = run_bounded("optimize", plan, "--json", js, "--time-limit", "0.001")
expect(p, 0, trivial, "a time limit during the build")
if p is not None and p.returncode == 0:
    data = json.load(open(js, encoding="utf-8"))
    check(data["status"] == "time_limit", f"status time_limit: {data['status']}")
    check(all(c["spend"] == 0 for c in data["channels"]), "the trivial plan spends nothing")
    check(any(trivial in w for w in data["warnings"]), f"the JSON says so: {data['warnings']}")
    # Nothing was priced and the curves stop where the limit cut them: no bound is
    # certified (a bound of 0 would claim the empty plan optimal), and no channel is
    # "bought to the end of its curve" or "saturated".
    obj = data["objective"]
    check(obj["bound"] is None and obj["gap"] is None, f"no certified bound: {obj}")
    check(all(c["limit"]["reason"] == "time_limit" for c in data["channels"]),
          f"every channel stopped by the time limit: {[c['limit'] for c in data['channels']][:3]}")
    check("no certified bound" in logical(p.stdout) and "certified)" not in logical(p.stdout),
          f"the terminal certifies nothing: {logical(p.stdout)[:400]}")
    check("saturated" not in logical(p.stdout) and "end of its curve" not in logical(p.stdout),
          "the terminal calls no channel saturated")
# With a spend floor, spending nothing breaks a constraint: no plan, exit 4 (a limit
# this short runs out while the curves are built, or else in the solve).
floor = write(os.path.join(d, "floor.ini"), big + "min_spend = 10k\n")
p = run_bounded("optimize", floor, "--time-limit", "0.001")
expect(p, 4, "the time limit ran out ", "a time limit with a floor")
check(p is not None and ("before a plan meeting every constraint was found" in p.stderr
                         or "while the response curves were being built" in p.stderr),
      f"a time limit with a floor: {p and p.stderr}")
# whatif: each scenario that hits its limit is marked time_limit and the run goes on.
wjs = os.path.join(d, "whatif.json")
p = run_bounded("whatif", plan, "--vary", "budget=1M..3M/1M", "--json", wjs, "--time-limit",
                "0.001")
check(p is not None and p.returncode == 0, f"whatif with a time limit: {p and p.stderr}")
if p is not None and p.returncode == 0:
    data = json.load(open(wjs, encoding="utf-8"))
    check([s["status"] for s in data["scenarios"]] == ["time_limit"] * 3,
          f"every scenario marked time_limit: {[s['status'] for s in data['scenarios']]}")

done()
