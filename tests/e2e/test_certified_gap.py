"""The certified bound and gap (objective.bound, objective.gap, --gap, [plan] gap),
checked against optima computed here:

- max conversions over exp curves: equal marginals beta w / k e^(-x/k) = lambda
  on every funded curve, lambda found by bisection;
- min cost for a conversions floor: the same condition, lambda set so that the
  curves deliver the floor exactly;
- max revenue under a cap on conversions, where the cap's price puts a negative
  weight on a concave KPI (the Lagrangian subproblem of a cheap-revenue
  channel is convex, as lo's here, whose 40 per conversion is below the
  cap's price of about mid's 80): the best of many scipy SLSQP starts is a
  feasible plan of the exact model, so the bound must not be below it.

A bound is valid when it is on the right side of the exact optimum (above it
for max, below for min); the gap is |bound - value| / |bound| and at most the
gap asked for."""
import math
import os

import numpy as np
from scipy.optimize import minimize

from mpcommon import *

d = tmpdir("certified")
chans = [("a", 900, 30000), ("b", 600, 15000), ("c", 1500, 80000), ("d", 200, 50000)]
weights = [0.8, 1.0, 1.3, 0.9]
B = 240000.0


def alloc_for(lam):
    return {(n, t): max(0.0, k * math.log(beta * w / (k * lam))) if beta * w / k > lam else 0.0
            for n, beta, k in chans for t, w in enumerate(weights)}


def bisect(f, lo, hi):
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


def conversions(x):
    return sum(beta * w * (1 - math.exp(-x[n, t] / k))
               for n, beta, k in chans for t, w in enumerate(weights))


def plan_text(objective, precision, extra=""):
    s = f"""[plan]
budget = {B:.0f}
start = 2027-03-01
periods = {len(weights)}
seasonality = {", ".join(str(w) for w in weights)}
precision = {precision}
objective = {objective}
{extra}"""
    for name, beta, k in chans:
        s += f"[channel \"{name}\"]\ntype = curve\ncurve = exp\nbeta = {beta}\nk = {k}\n"
    return s


def certified(data, best, sense, gap, what):
    o = data["objective"]
    value, bound = o["value"], o["bound"]
    if sense == "max":
        check(bound >= best * (1 - 1e-12), f"{what}: bound {bound} below the exact optimum {best}")
        check(value <= best * (1 + 1e-9), f"{what}: value {value} above the exact optimum {best}")
    else:
        check(bound <= best * (1 + 1e-12), f"{what}: bound {bound} above the exact minimum {best}")
        check(value >= best * (1 - 1e-9), f"{what}: value {value} below the exact minimum {best}")
    close(o["gap"], abs(bound - value) / abs(bound), 1e-12, f"{what}: gap = |bound - value| / |bound|")
    check(o["gap"] <= gap * (1 + 1e-9), f"{what}: gap {o['gap']} over {gap}")


# max conversions: coarse curves (1 %), the default gap (0.1 %) and two finer ones
lam = bisect(lambda l: sum(alloc_for(l).values()) - B, 1e-9, 1.0)
best = conversions(alloc_for(lam))
plan = write(os.path.join(d, "max.ini"), plan_text("max conversions", "1%"))
for gap, args in ((0.001, ()), (1e-4, ("--gap", "0.01%")), (1e-5, ("--gap", "0.001%"))):
    p, data = optimize_json(plan, *args)
    check(p.returncode == 0, f"max {args}: exit {p.returncode}: {p.stderr}")
    if data:
        certified(data, best, "max", gap, f"max conversions {args}")
# [plan] gap, as the plan file says it
p, data = optimize_json(write(os.path.join(d, "maxgap.ini"),
                              plan_text("max conversions", "1%", "gap = 0.005%\n")))
check(p.returncode == 0, f"[plan] gap: exit {p.returncode}: {p.stderr}")
if data:
    certified(data, best, "max", 5e-5, "max conversions, [plan] gap = 0.005%")
# the terminal says it in words, the percentage rounded up
p = run("optimize", plan, "--gap", "0.01%")
line = [l for l in logical(p.stdout).splitlines() if l.startswith("objective:")]
check(line and "(optimal; within " in line[0] and "% of the exact optimum, certified)" in line[0],
      f"terminal wording: {line}")
if line:
    pct = float(line[0].split("within ")[1].split(" %")[0])
    check(pct <= 0.01, f"terminal gap {pct} % within --gap 0.01 %")

# min cost for a conversions floor
K = 0.8 * best
lam2 = bisect(lambda l: conversions(alloc_for(l)) - K, 1e-9, 1.0)
cost = sum(alloc_for(lam2).values())
plan = write(os.path.join(d, "min.ini"), plan_text(
    "min cost", "1%", "") + f"[constraint \"floor\"]\nexpr = conversions >= {K:.6f}\n")
for gap, args in ((0.001, ()), (1e-5, ("--gap", "0.001%"))):
    p, data = optimize_json(plan, *args)
    check(p.returncode == 0, f"min {args}: exit {p.returncode}: {p.stderr}")
    if data:
        certified(data, cost, "min", gap, f"min cost {args}")

# max revenue under a conversions cap: channels of unequal value per conversion
vals = [("lo", 40, 500, 20000), ("mid", 80, 400, 30000), ("hi", 120, 300, 40000)]
cap, budget = 500.0, 2e6  # the budget hardly binds: the cap's price is about mid's value
text = f"[plan]\nbudget = {budget:.0f}\nstart = 2027-03-01\nprecision = 1%\nobjective = max revenue\n"
for name, v, beta, k in vals:
    text += f"[channel \"{name}\"]\ntype = curve\ncurve = exp\nbeta = {beta}\nk = {k}\nvalue = {v}\n"
text += f"[constraint \"conv-cap\"]\nexpr = conversions <= {cap:.0f}\n"


def conv_of(x):
    return np.array([b * (1 - np.exp(-xi / k)) for xi, (_, _, b, k) in zip(x, vals)])


def revenue(x):
    return float(sum(v * c for c, (_, v, _, _) in zip(conv_of(x), vals)))


cons = [{"type": "ineq", "fun": lambda x: budget - sum(x)},
        {"type": "ineq", "fun": lambda x: cap - sum(conv_of(x))}]
rng = np.random.default_rng(7)
feasible_best = 0.0
for start in range(40):
    u0 = rng.uniform(0, budget / 3e3, 3)  # in thousands, for SLSQP's scaling
    r = minimize(lambda u: -revenue(1e3 * u), u0, method="SLSQP", bounds=[(0, budget / 1e3)] * 3,
                 constraints=[{"type": c["type"], "fun": (lambda f: lambda u: f(1e3 * u))(c["fun"])}
                              for c in cons], options={"ftol": 1e-12, "maxiter": 500})
    x = np.clip(1e3 * r.x, 0, budget)
    if sum(x) <= budget * (1 + 1e-9) and sum(conv_of(x)) <= cap * (1 + 1e-9):
        feasible_best = max(feasible_best, revenue(x))
check(feasible_best > 0, "scipy found a feasible plan under the cap")
for args in ((), ("--gap", "0.001%")):
    p, data = optimize_json(write(os.path.join(d, "cap.ini"), text), *args)
    check(p.returncode == 0, f"cap {args}: exit {p.returncode}: {p.stderr}")
    if data:
        o = data["objective"]
        check(o["bound"] >= feasible_best * (1 - 1e-9),
              f"cap {args}: bound {o['bound']} below a feasible plan's {feasible_best}")
        check(o["bound"] >= o["value"], f"cap {args}: bound {o['bound']} below the value {o['value']}")
        # a plan forced in order by a MIP takes its LP relaxation's prices, and says so
        if o.get("bound_prices") == "lp_relaxation":
            t = run("optimize", os.path.join(d, "cap.ini"), *args)
            check("certified from the plan whose curves need not be bought from their first "
                  "euros" in logical(t.stdout),
                  f"cap {args}: the terminal names the relaxation's prices: {logical(t.stdout)[:400]}")

# what-if scenarios carry their bound and gap
p = run("whatif", os.path.join(d, "max.ini"), "--vary", "budget=200k,240k", "--json", "-")
check(p.returncode == 0, f"whatif: exit {p.returncode}: {p.stderr}")
if p.returncode == 0:
    import json
    w = json.loads(p.stdout)
    for s in w["scenarios"]:
        o = s["objective"]
        check(o["bound"] >= o["value"], f"whatif scenario {s['params']}: bound {o}")
        close(o["gap"], abs(o["bound"] - o["value"]) / abs(o["bound"]), 1e-12,
              f"whatif scenario {s['params']}: gap")
    s240 = [s for s in w["scenarios"] if s["params"]["budget"] == 240000][0]
    check(s240["objective"]["bound"] >= best * (1 - 1e-12), "whatif 240k: bound above the optimum")

# with a gap asked for, each scenario is refined to it (and stays valid)
p = run("whatif", os.path.join(d, "max.ini"), "--vary", "budget=200k,240k", "--gap", "0.01%",
        "--json", "-")
check(p.returncode == 0, f"whatif --gap: exit {p.returncode}: {p.stderr}")
if p.returncode == 0:
    import json
    for s in json.loads(p.stdout)["scenarios"]:
        b = s["params"]["budget"]
        lam_b = bisect(lambda l: sum(alloc_for(l).values()) - b, 1e-9, 1.0)
        best_b = conversions(alloc_for(lam_b))
        o = s["objective"]
        check(o["bound"] >= best_b * (1 - 1e-12) and o["value"] <= best_b * (1 + 1e-9),
              f"whatif --gap {b}: {o} vs the exact optimum {best_b}")
        check(o["gap"] <= 1e-4 * (1 + 1e-9), f"whatif --gap {b}: gap {o['gap']} over 0.01 %")

done()
