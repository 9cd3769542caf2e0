"""What the plan cannot do, said everywhere a result goes: an offline-only
max-conversions brief (no response curves) gives 0 conversions with the
reason on standard error, in the terminal summary, in the JSON and on the
workbook's Assumptions sheet, exit 0; plans that can do what they ask carry
none of these warnings."""
import json
import math
import os
import shutil

import openpyxl

from mpcommon import *

d = tmpdir("cannot_do")
warn_dir = os.path.join(SRC, "tests", "cases", "warn")

# The offline-only brief: TV and radio without a response curve bring no
# conversions, so the optimum is 0 whatever the budget.
plan = os.path.join(warn_dir, "offline_only_max_conversions.ini")
xlsx = os.path.join(d, "offline.xlsx")
js = os.path.join(d, "offline.json")
p = run("optimize", plan, "-o", xlsx, "--json", js)
check(p.returncode == 0, f"offline-only: exit {p.returncode} (0 with warnings): {p.stderr}")
zero = ("max conversions -> 0 conversions: no channel of this plan brings conversions "
        "(tf1-prime, radio-national have no response curve)")
check(f"warning: {zero}" in p.stderr, f"stderr says why 0: {p.stderr!r}")
check("objective: max conversions -> 0 conversions" in p.stdout, "the summary's objective line")
check("this plan cannot do all it asks: 3 warnings" in p.stdout, f"summary points at them: {p.stdout!r}")
with open(js, encoding="utf-8") as f:
    data = json.load(f)
check(data["objective"]["value"] == 0, "JSON objective 0")
check(zero in data["warnings"], f"JSON warnings: {data['warnings']!r}")
idle = [w for w in data["warnings"] if "brings no conversions (the objective)" in w]
check(len(idle) == 2, f"one idle-channel warning per channel: {idle!r}")
wb = openpyxl.load_workbook(xlsx)
texts = [c.value for row in wb["Assumptions"].iter_rows() for c in row if isinstance(c.value, str)]
check(zero in texts, "Assumptions sheet carries the warning")
check(any("grp(tf1-prime) >= 300" in t for t in texts), "Assumptions: what to add")

# A GRP floor on the TV channel: it now serves a constraint, so no idle
# warning for it (radio still has one); the objective is still 0 (no curve).
text = open(plan, encoding="utf-8").read() + '[constraint "tv-grp"]\nexpr = grp(tf1-prime) >= 50\n'
plan2 = os.path.join(d, "grp_floor.ini")
write(plan2, text)
p, data = optimize_json(plan2)
check(p.returncode == 0, f"grp floor: exit {p.returncode}: {p.stderr}")
ws = data["warnings"]
check(not any('channel "tf1-prime" brings no' in w for w in ws), f"tv in a constraint: {ws!r}")
check(any('channel "radio-national" brings no' in w for w in ws), f"radio still idle: {ws!r}")

# Plans that can do what they ask: the examples, and min cost with a floor.
for name in ("spring_launch.ini", "mmm_curves.ini", "leadgen_b2b.ini"):
    p, data = optimize_json(os.path.join(SRC, "datasets", "examples", name))
    check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr}")
    bad = [w for w in data["warnings"] if "brings no" in w or " -> 0 " in w]
    check(not bad, f"{name}: no can't-do warning: {bad!r}")
floor = os.path.join(d, "min_cost_floor.ini")
write(floor, "[plan]\nbudget = 100k\nstart = 2027-03-01\nobjective = min cost\n"
             "[channel \"web\"]\ntype = curve\ncurve = exp\nbeta = 1000\nk = 20k\n"
             "[constraint \"floor\"]\nexpr = conversions >= 500\n")
p, data = optimize_json(floor)
check(p.returncode == 0, f"min cost with a floor: exit {p.returncode}: {p.stderr}")
# 1000 (1 - e^(-x/20000)) = 500  ->  x = 20000 ln 2
close(data["objective"]["value"], 20000 * math.log(2), 20000 * math.log(2) * 2e-3,
      "min cost to reach 500 conversions")
check(not any("asks for nothing" in w for w in data["warnings"]), f"{data['warnings']!r}")

shutil.rmtree(d, ignore_errors=True)
done()
