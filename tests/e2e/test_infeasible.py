"""Infeasible plans: exit code 1, an explanation naming the constraints and
the figure that can be reached, and no workbook written or overwritten."""
import json
import math
import os

from mpcommon import *

d = tmpdir("infeasible")
B = 100000.0
base, most = exp_channels_plan([("a", 900, 30000), ("b", 600, 15000)], B)

plan = write(os.path.join(d, "target.ini"), base + "[constraint \"target\"]\nexpr = conversions >= 5000\n")
xlsx = os.path.join(d, "client.xlsx")
with open(xlsx, "wb") as f:
    f.write(b"the previous workbook")
js = os.path.join(d, "out.json")
p = run("optimize", plan, "-o", xlsx, "--json", js)
check(p.returncode == 1, f"exit code {p.returncode}, expected 1")
check("target: conversions >= 5000" in p.stderr, f"names the constraint: {p.stderr}")
check("budget" in p.stderr, "names the budget as involved")
m = __import__("re").search(r"the most that can be reached with the others: ([0-9,.]+)", p.stderr)
check(m is not None, "gives the most that can be reached")
if m:
    close(float(m.group(1).replace(",", "")), most, 1e-3 * most, "most reachable conversions")
check(open(xlsx, "rb").read() == b"the previous workbook", "previous workbook byte-identical")
data = json.load(open(js))
check(data["status"] == "infeasible" and "target" in data["explanation"], "JSON says infeasible")

# Channel minimums above the budget: both figures in the message.
plan = write(os.path.join(d, "mins.ini"),
             base.replace("k = 15000\n", "k = 15000\nmin_spend = 70k\n").replace(
                 "k = 30000\n", "k = 30000\nmin_spend = 45k\n"))
p = run("optimize", plan, "-o", xlsx)
check(p.returncode == 1, f"minimums: exit {p.returncode}")
check("the budget of 100,000 EUR is below the sum of channel minimums, 115,000 EUR" in p.stderr,
      f"both figures: {p.stderr}")
check("a: 45,000" in p.stderr and "b: 70,000" in p.stderr, "each minimum listed")
check(open(xlsx, "rb").read() == b"the previous workbook", "workbook still unchanged")

# A cap below what a tiny channel's spend floor necessarily brings, on a curve
# a millionth of a currency unit wide: the fill-order MIP's binaries sit within
# GLPK's integrality tolerance of 0 and 1, which once gave exit 4 (a broken
# fill-order row). Each period's curve is 1000 (1 - exp(-x / 1e-6)) (beta per
# period, no seasonality), so the 5e-6 floor brings at least
# 1000 (1 - exp(-5)) = 993 conversions, all of it in one period (concave):
# a cap of 10 cannot be met.
floor_least = 1000 * (1 - math.exp(-5))
tiny = write(os.path.join(d, "tiny.ini"), f"""[plan]
budget = 100
start = 2027-03-01
periods = 2
[channel "tiny"]
type = curve
curve = exp
beta = 1000
k = 0.000001
min_spend = 0.000005
[channel "big"]
type = curve
curve = exp
beta = 1000
k = 50
[constraint "cap"]
expr = conversions(tiny) <= 10
""")
check(floor_least > 10, "the tiny plan's floor brings more than its cap")
p = run("optimize", tiny)
check(p.returncode == 1 and "infeasible" in p.stdout + p.stderr,
      f"tiny floor over its cap: exit {p.returncode}, expected 1 (infeasible): {p.stderr[-200:]}")

done()
