"""A channel's marginal return in a plan with a capped period is the return
of its next euro where money can still go (the weeks whose budget does not
bind), not a capped week's higher one: in the terminal's marginal column, the
"on the margin" line and the JSON's marginal_return. Two exp curves
(conversions = beta (1 - exp(-x / k)) each week) share two weeks, week 1
capped: in each week both channels' next euro returns the same lambda_t, and
sum_i k_i ln(beta_i / (k_i lambda_t)) = the week's spend gives it in closed
form; week 1's is well above week 2's, the budget's price."""
import math
import os
import re

from mpcommon import *

d = tmpdir("capped_margin")
CURVES = {"alpha": (3000.0, 60000.0), "bravo": (2000.0, 40000.0)}
POOR = (100.0, 50000.0)  # its first euro returns 2 conv/kEUR: not bought, a line of its own
BUDGET, CAP1 = 150000.0, 30000.0
text = f"""[plan]
budget = {BUDGET:.0f}
start = 2027-03-01
periods = 2
objective = max conversions
precision = 0.01%

[period 1]
budget = {CAP1:.0f}
"""
for name, (beta, k) in CURVES.items():
    text += f'[channel "{name}"]\ntype = curve\ncurve = exp\nbeta = {beta:g}\nk = {k:g}\n'
text += f'[channel "charlie"]\ntype = curve\ncurve = exp\nbeta = {POOR[0]:g}\nk = {POOR[1]:g}\n'
plan = write(os.path.join(d, "plan.ini"), text)


def week_price(spend):
    """lambda of a week whose spend both channels share at equal returns."""
    ks = sum(k for _, k in CURVES.values())
    return math.exp((sum(k * math.log(b / k) for b, k in CURVES.values()) - spend) / ks)


lam1, lam2 = week_price(CAP1), week_price(BUDGET - CAP1)
check(lam1 > 1.5 * lam2, f"week 1's return {1000 * lam1:.3f} well above week 2's {1000 * lam2:.3f}")
p, data = optimize_json(plan)
check(p.returncode == 0 and data, f"optimize: exit {p.returncode}: {p.stderr}")
for name, (beta, k) in CURVES.items():
    ch = channel(data, name)
    weeks = [w["spend"] for w in ch["periods"]]
    close(weeks[1], k * math.log(beta / (k * lam2)), 0.01 * k, f"{name}: week 2's spend")
    # within the plan's precision of the optimum, a return is near it, not at it
    close(ch["marginal_return"], lam2, 0.02 * lam2, f"{name}: the next euro where money can go")


def near(figure):
    return abs(float(figure.replace(",", "")) - 1000 * lam2) <= 0.02 * 1000 * lam2


p = run("optimize", plan)
line = next((l for l in p.stdout.splitlines() if "on the margin:" in l), "")
m = re.search(r"next euro returns ([\d.,]+)(?: to ([\d.,]+))? conv/kEUR; the budget ([\d.,]+)\)", line)
check(m and all(near(f) for f in m.groups() if f), f"the margin line near week 2's {fmt3(1000 * lam2)}: {line!r}")
rows = [l.split() for l in p.stdout.splitlines() if l.split()[:1] in (["alpha"], ["bravo"])]
check(len(rows) == 2 and all(near(r[-1]) for r in rows), f"marginal column: {rows}")
print(f"week 1 returns {1000 * lam1:.3f}, week 2 {1000 * lam2:.3f} conv/kEUR: {line.strip()}")
done()
