"""A constraint held in every draw of a plan whose only uncertainty is a
± range: its outcomes are the range's low, base and high points, not three
draws, and the must-hold line, the limit line, the workbook's Summary and the
what-if note say so, in English and French.

One exp curve beta (1 - exp(-x/k)) with beta = 600 ± 15 % and a CPA cap
held in every draw: CPA x / f(x) rises with x, so the cap binds at the low
point (beta 510) where x / (510 (1 - exp(-x/k))) = CAP; the test finds that
spend by bisection and the worst CPA from the plan's own spend."""
import math
import os

import openpyxl

from mpcommon import *

d = tmpdir("holdpoints")
BETA, K, CAP = 600.0, 20000.0, 60.0
LOW = BETA * 0.85
plan = write(os.path.join(d, "plan.ini"), f"""[plan]
budget = 90000
start = 2027-03-01
periods = 1
objective = max conversions
precision = 0.01%
must_hold = all

[channel "web"]
type = curve
curve = exp
beta = {BETA:g} ± 15%
k = {K:g}

[constraint "cpa"]
expr = cpa <= {CAP:g}
""")


def cpa_low(x):
    return x / (LOW * -math.expm1(-x / K))


lo, hi = 1.0, 90000.0
for _ in range(200):
    mid = (lo + hi) / 2
    lo, hi = (mid, hi) if cpa_low(mid) < CAP else (lo, mid)
x_cap = (lo + hi) / 2
check(x_cap < 80000, f"the test's premise: the cap binds well inside the budget ({x_cap:.0f})")

p, data = optimize_json(plan)
check(p.returncode == 0 and data, f"optimize: exit {p.returncode}: {p.stderr}")
x = sum(c["spend"] for c in data["channels"]) if data else x_cap
close(x, x_cap, 1e-3 * x_cap, "the spend where the low point's CPA meets the cap")
worst = f"{cpa_low(x):,.2f}"

POINTS = "the ranges' low, base and high points"
xlsx = os.path.join(d, "plan.xlsx")
p = run_in(False, "optimize", plan, "-o", xlsx)
check(p.returncode == 0, f"terminal: exit {p.returncode}: {p.stderr}")
hold = f"must hold in every draw: cpa (cpa <= {CAP:g}) holds at {POINTS}; the worst gives {worst} EUR"
check(hold in p.stdout, f"the must-hold line names the points: {p.stdout}")
check(f"held at {POINTS}, at its limit in the worst: the case of the ranges at their low point "
      f"gives {worst} EUR" in logical(p.stdout), f"the limit line names the low point: {p.stdout}")
check("of the 3 draws" not in p.stdout and "draw 1 of 3" not in p.stdout,
      f"no draws counted: {p.stdout}")
if os.path.exists(xlsx):
    cells = [c for row in openpyxl.load_workbook(xlsx)["Summary"].iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    check(hold in cells, f"the Summary's must-hold line: {[c for c in cells if 'must hold' in c]}")

p = run_in(True, "optimize", plan)
fr_worst = worst.replace(",", "\u202f").replace(".", ",")
check(f"cpa (cpa <= {CAP:g}) tient aux points bas, central et haut des fourchettes\u00a0; le pire "
      f"donne {fr_worst} EUR" in p.stdout, f"French must-hold line: {p.stdout}")
check("le cas des fourchettes à leur point bas donne" in logical(p.stdout), f"French limit line: {p.stdout}")

# what-if: the cap binds at 90,000, not at 10,000 (CPA 10000 / f_low(10000) < CAP)
check(cpa_low(10000) < CAP, f"the test's premise: the cap is slack at 10,000 ({cpa_low(10000):.2f})")
p = run_in(False, "whatif", plan, "--vary", "budget=10k,90k")
check(p.returncode == 0, f"whatif: exit {p.returncode}: {p.stderr}")
note = "(cpa at its limit in the case of the ranges at their low point: "
check(p.stdout.count(note) == 1, f"whatif: one scenario's note at the low point: {p.stdout}")
done()
