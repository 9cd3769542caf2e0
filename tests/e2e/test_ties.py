"""Equal things get equal answers: where several plans are optimal (identical
channels, whose segments tie), the plan gives tied segments the same fill
fraction. By symmetry, n identical channels under a budget B each get B / n
(the exact optimum of a sum of identical strictly concave curves is the
equal split), period by period when the periods are alike."""
import os

from mpcommon import *

d = tmpdir("ties")


def mm_plan(name, budget, n, extra="", periods=1):
    text = f"""[plan]
budget = {budget}
start = 2027-03-01
periods = {periods}
"""
    for i in range(n):
        text += f"""[channel "c{i}"]
type = curve
curve = michaelis-menten
beta = 1000
k = 50000
{extra}
"""
    return write(os.path.join(d, name + ".ini"), text)


for budget in (100000, 1000000):
    for n, extra in ((2, ""), (2, "max_spend = 700000"), (3, ""), (3, "min_spend = 1000")):
        name = f"mm_{budget}_{n}_{extra.split(' ')[0] or 'plain'}"
        p, data = optimize_json(mm_plan(name, budget, n, extra))
        check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr}")
        if not data:
            continue
        for i in range(n):
            close(channel(data, f"c{i}")["spend"], budget / n, 1e-9 * budget,
                  f"{name}: channel c{i} gets B / {n}")
        # the objective is the LP's optimum: n f(B / n) within the tolerance
        exact = n * 1000 * (budget / n) / (50000 + budget / n)
        close(data["objective"]["value"], exact, 0.001 * n * 1000, f"{name}: objective")

# Four alike periods of two identical channels: every curve gets B / 8.
p, data = optimize_json(mm_plan("periods", 400000, 2, periods=4))
check(p.returncode == 0, f"periods: exit {p.returncode}: {p.stderr}")
if data:
    for i in range(2):
        for t, per in enumerate(channel(data, f"c{i}")["periods"]):
            close(per["spend"], 400000 / 8, 1e-9 * 400000, f"periods: c{i} period {t + 1}")
done()
