"""A constraint held in every draw of a plan whose draws file is crossed with
a range counts the file's rows, not the outcomes: "holds in each of the 5
draws at the ranges' low, base and high points (15 cases)" on the terminal
and the Summary sheet, whose table of the draws gives the plan's 5 draws;
the unspent line names the worst draw as the file's row and the range's
point, as the binding line does ("draw 2 of 5, the ranges at their low
point"), not as an outcome ("draw 2 of 15").

The worst draw is found here from the closed forms at the plan's spends
(conversions = beta (1 - exp(-x / k)), the CPA spend over conversions in
each of the 15 outcomes), the file's betas as this test writes them."""
import math
import os

import openpyxl

from mpcommon import *

d = tmpdir("hold_crossed")
A_BETAS = [1000.0, 760.0, 1150.0, 900.0, 1300.0]  # draw 2 is the lowest
A_K, B_BETA, B_K, RANGE, CAP = 20000.0, 800.0, 30000.0, 0.2, 30.0
N = len(A_BETAS)
path = held_cpa_plan(d, A_BETAS, f"{B_BETA:g} ± {100 * RANGE:g}%", CAP, A_K, B_K)

book = os.path.join(d, "plan.xlsx")
p = run("optimize", path, "-o", book)
check(p.returncode == 0, f"optimize: {p.stderr}")
_, data = optimize_json(path)
xa, xb = channel(data, "web")["spend"], channel(data, "radio1")["spend"]
check(xa + xb < 0.9 * 200000, f"the cap leaves budget unspent: {xa + xb}")
points = ("low", "base", "high")
cpa = {(i, pt): (xa + xb) / (a * (1 - math.exp(-xa / A_K)) +
                              B_BETA * f * (1 - math.exp(-xb / B_K)))
       for i, a in enumerate(A_BETAS) for pt, f in zip(points, (1 - RANGE, 1, 1 + RANGE))}
(wi, wp), worst = max(cpa.items(), key=lambda kv: kv[1])
check((wi, wp) == (1, "low"), f"the worst outcome is draw 2 at the low point: {(wi, wp)}")
close(worst, CAP, 1e-6, "the cap binds in the worst outcome")
draw = f"draw {wi + 1} of {N}, the ranges at their {wp} point"

out = logical(p.stdout)  # past 100 columns a line goes on under itself
hold = (f"must hold in every draw: cpa (cpa <= {CAP:g}) holds in each of the {N} draws at the "
        f"ranges' low, base and high points ({3 * N} cases); the worst gives {worst:.2f} EUR")
check(hold in out, f"the terminal counts the file's draws:\n{out}")
check(f"(held in every draw; worst: {draw})" in out, f"the unspent line names {draw!r}:\n{out}")
check(f"of {3 * N}" not in out, f"no draw is counted among the {3 * N} outcomes:\n{out}")
jw = next(c for c in data["constraints"] if c["name"] == "cpa")["worst_draw"]
check(jw.get("draw") == wi + 1 and jw.get("range_point") == wp, f"JSON worst_draw {jw}")

ws = openpyxl.load_workbook(book).worksheets[0]
rows = [r for r in ws.iter_rows(values_only=True)]
check(any(r[0] == hold for r in rows), "the Summary sheet's line counts the file's draws")
plan_row = [r for r in rows if r[0] == "the plan" and isinstance(r[5], (int, float))]
check(plan_row and plan_row[0][5] == N, f"the Summary's table gives the plan's {N} draws: "
      f"{plan_row[:1]}")
done()
