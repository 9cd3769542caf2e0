"""Effective reach as a planner reads it: a 6-week plan with a floor over two
channels spreads each channel whose weeks are a tie (its effective reach
counts its impressions over the campaign, at one price every week) evenly
over the weeks instead of putting it all in week 1; the objective line names
the channels and the exposures of `max effective_reach`; its row binds in
words, not "objective >= X"; a min cost plan asking only for effective reach
reads its channels by people reached, not conversions, with each channel's
marginal people reached 3+ times per kEUR, what its floor counts, from the
NBD computed here."""
import math
import os
import re

from scipy.optimize import brentq
from scipy.stats import nbinom, poisson

from mpcommon import *

d = tmpdir("effective_words")
U = 10e6
HEAD = ("[plan]\nbudget = 1M\nstart = 2027-03-01\nperiods = 6\nuniverse = 10M\n"
        "effective_frequency = 3\nobjective = {obj}\n" + TV_AND_SOCIAL)

def pmf3(imp, reach):
    m, f = imp / U, reach / U
    if m <= 0 or f <= 0:
        return [1.0, 0.0, 0.0]
    t = -math.log1p(-f)
    if t >= m * (1 - 1e-9):
        return [poisson.pmf(j, m) for j in range(3)]
    n = brentq(lambda n: n * math.log1p(m / n) - t, 1e-12, 1e12, xtol=1e-300, rtol=1e-15)
    return [nbinom.pmf(j, n, n / (n + m)) for j in range(3)]


def both(a, b):
    grp, imp = a / 4000, 1000 * b / 6
    p = pmf3(grp / 100 * U, 0.8 * U * -math.expm1(-0.006 * grp))
    q = pmf3(imp, 4e6 * -math.expm1(-imp / 4e6))
    return U * (1 - sum(p[i] * q[j] for i in range(3) for j in range(3) if i + j < 3))


# ---- a floor over two channels, six weeks: the tie spread ------------------
for obj, cons in (("max conversions", "[constraint \"eff\"]\nexpr = effective_reach(tf1, meta) >= 45%\n"),
                  ("max effective_reach(tf1, meta)", "")):
    path = write(os.path.join(d, f"six_{obj.split()[1][:3]}.ini"), HEAD.format(obj=obj) + cons)
    p, data = optimize_json(path)
    check(p.returncode == 0 and data and data["status"] == "optimal", f"{obj}: {p.stderr}")
    if not data:
        continue
    tf1 = [w["spend"] for w in channel(data, "tf1")["periods"]]
    check(len(tf1) == 6 and sum(tf1) > 0, f"{obj}: tf1 spends {tf1}")
    # a TV channel at one cost per GRP: any split of its GRP over the weeks
    # reaches the same people as often; the plan spreads it
    for w in tf1:
        close(w, sum(tf1) / 6, 1e-6 * sum(tf1), f"{obj}: tf1's weeks even ({tf1})")
    if obj == "max conversions":
        # meta's conversions saturate within a week: its even split brings the most
        meta = [w["spend"] for w in channel(data, "meta")["periods"]]
        for w in meta:
            close(w, sum(meta) / 6, 1e-6 * sum(meta), f"{obj}: meta's weeks even ({meta})")

# ---- max effective_reach: its objective line and its row in words ----------
for obj, names in (("max effective_reach(tf1)", "tf1"), ("max effective_reach(tf1, meta)", "tf1, meta")):
    path = write(os.path.join(d, f"words_{len(names)}.ini"), HEAD.format(obj=obj))
    p = run("optimize", path)
    check(p.returncode == 0, f"{obj}: {p.stderr}")
    check(re.search(rf"^objective: max effective reach \(3\+ exposures\) of {names} -> [0-9,.]+ people",
                    logical(p.stdout), re.M) is not None, f"{obj}: objective line names {names}:\n{logical(p.stdout)}")
    check("objective >=" not in logical(p.stdout), f"{obj}: no 'objective >=' line:\n{logical(p.stdout)}")
    if names == "tf1":
        check(re.search(r"^limit reached: effective reach \(3\+ exposures\) of tf1, the objective, at the most "
                        r"the plan allows: [0-9,]+ people$", logical(p.stdout), re.M) is not None,
              f"{obj}: the objective's row in words:\n{logical(p.stdout)}")

# ---- min cost asking only for effective reach: read by people ---------------
path = write(os.path.join(d, "min_reach.ini"),
             HEAD.format(obj="min cost") + "[constraint \"tv3\"]\nexpr = effective_reach(tf1) >= 30%\n")
p = run("optimize", path)
check(p.returncode == 0, f"min cost: {p.stderr}")
head = next((l for l in logical(p.stdout).splitlines() if l.startswith("channel ")), "")
check("reach" in head and "marginal 3+ reach/kEUR" in head and "conversions" not in head and
      "CPA" not in head, f"min cost: the table reads reach, priced by the 3+ floor: {head!r}")
row = next((l for l in logical(p.stdout).splitlines() if l.startswith("tf1 ")), "")
cells = row.split()
if len(cells) >= 7:
    spend = float(cells[2].replace(",", ""))
    grp = spend / 4000
    # what the floor counts: tf1's people reached 3+ times (its NBD here),
    # their slope in its spend per kEUR, by central differences of 50 EUR
    want = (both(spend + 50, 0) - both(spend - 50, 0)) / 100 * 1000
    close(float(cells[6].replace(",", "")), want, 0.005 * want + 0.01,
          "min cost: tf1's marginal 3+ people/kEUR")
    # the spend is printed to the euro: its reach to a few people
    close(float(cells[4].replace(",", "")), 0.8 * U * -math.expm1(-0.006 * grp), 5, "min cost: tf1's reach")
else:
    check(False, f"min cost: tf1's row {row!r}")
# ---- a plan held only to effective reach over two channels: not "booked" -------
path = write(os.path.join(d, "max_two_words.ini"), HEAD.format(obj="max effective_reach(tf1, meta)"))
p = run("optimize", path)
check(re.search(r"^limit reached: the budget of 1,000,000 EUR — at its bound \(a plan held to effective reach over several channels",
                logical(p.stdout), re.M) is not None and "booked" not in logical(p.stdout).replace(d, ""),
      f"two channels: the budget binds without 'booked':\n{logical(p.stdout)}")
check(re.search(r"^objective: .*\(optimal, effective reach over several channels held level by level; "
                r"within [0-9.]+ % of the exact optimum, certified\)$", logical(p.stdout), re.M) is not None and
      re.search(r"^effective reach over several channels: held on a grid of each channel's levels "
                r"\([0-9,]+ search steps?\)$", logical(p.stdout), re.M) is not None,
      f"two channels, max: how the plan is held, in words:\n{logical(p.stdout)}")
path = write(os.path.join(d, "floor_words.ini"), HEAD.format(obj="min cost") +
             "[constraint \"eff\"]\nexpr = effective_reach(tf1, meta) >= 40%\n")
p = run("optimize", path, "-o", os.path.join(d, "floor_words.xlsx"))
check(p.returncode == 0 and "booked" not in logical(p.stdout).replace(d, "") and
      re.search(r"^objective: min cost -> .*\(optimal, effective reach over several channels held level "
                r"by level; within [0-9.]+ % of the best plan with the effective reach floor loosened, "
                r"certified\)$", logical(p.stdout), re.M) is not None and
      re.search(r"^effective reach over several channels: held on a grid of each channel's levels, refined "
                r"around the plan found \([0-9,]+ search steps?\)$", logical(p.stdout), re.M) is not None,
      f"two channels, a floor: how the plan is held, in words:\n{logical(p.stdout)}")
try:
    import openpyxl
    ws = openpyxl.load_workbook(os.path.join(d, "floor_words.xlsx"))["Summary"]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    check("Effective reach over several channels" in cells and "Booked plan" not in cells and
          not any("booked" in c for c in cells), f"the Summary sheet: {cells}")
except ImportError:
    check(False, "openpyxl")
# 50 % three times or more is past what 1M buys of the two: the most they
# reach 3+ times together, every split of the budget by 5 kEUR, by the NBDs
# here, is under 49 % (a smooth function: no split between reaches 50 %)


most = max(both(a, 1e6 - a) for a in range(0, 1_000_001, 5000))
check(most < 4.9e6, f"the most 1M reaches 3+ times: {most:.0f}")
path = write(os.path.join(d, "past.ini"), HEAD.format(obj="max conversions") +
             "[constraint \"eff\"]\nexpr = effective_reach(tf1, meta) >= 50%\n")
p = run("optimize", path)
check(p.returncode == 1 and "effective reach asked of several channels together" in p.stderr and
      "booked" not in p.stderr.replace(d, "") and "the nearest plan must relax:" in p.stderr,
      f"infeasible: said without 'booked': {p.returncode} {p.stderr}")
done()
