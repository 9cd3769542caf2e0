"""Carryover (adstock) under what-if runs, --method near and the
infeasibility explanation. Each what-if scenario is checked against a fresh
`optimize` of the plan with the same change written in (warm and --cold), the
small plan's budget sweep against scipy on the closed-form curves, and the
explanation's figures against the closed form (x_t >= 0 under a per-period
GRP cap on the adstock) and scipy (the least CPA a min_spend allows)."""
import json
import re
import math
import os

import numpy as np
from scipy.optimize import minimize

from mpcommon import *

d = tmpdir("adstock_whatif")
T, LAM, A0, K_AFTER = 6, 0.6, 30000.0, 4
TV_BETA, TV_EC, TV_CPP, C_BETA, C_K = 900.0, 30000.0, 1500.0, 600.0, 15000.0
PLAN = f"""[plan]
budget = 240000
start = 2027-03-01
periods = {T}
objective = max conversions
precision = 0.01%
count_after = {K_AFTER}

[channel "telly"]
type = tv
cpp = {TV_CPP:.0f}
curve = hill
beta = {TV_BETA:.0f}
ec = {TV_EC:.0f}
slope = 1
adstock = {LAM}
carryover_in = 30k

[channel "web"]
type = curve
curve = exp
beta = {C_BETA:.0f}
k = {C_K:.0f}

[constraint "grp"]
expr = grp(telly) >= 60

[constraint "cpa"]
expr = cpa(telly) <= 45
"""


def f_tv(a):
    return TV_BETA * a / (TV_EC + a)


def f_c(x):
    return C_BETA * -math.expm1(-x / C_K)


def tv_conv(xs, a0=A0):
    a, out = a0, 0.0
    for x in xs:
        a = x + LAM * a
        out += f_tv(a)
    return out + sum(f_tv(LAM ** j * a) for j in range(1, K_AFTER + 1))


def total(v):
    return tv_conv(v[:T]) + sum(f_c(x) for x in v[T:])


def scipy_best(budget):
    """The closed-form plan's optimum under the budget, the GRP floor and the
    CPA cap (best of a few SLSQP starts)."""
    cons = [{"type": "ineq", "fun": lambda v: budget - v.sum()},
            {"type": "ineq", "fun": lambda v: v[:T].sum() / TV_CPP - 60},
            {"type": "ineq", "fun": lambda v: 45 * tv_conv(v[:T]) - v[:T].sum()}]
    best = -math.inf
    for s0 in (np.full(2 * T, budget / (2 * T)), np.r_[np.full(T, budget / T / 1.5), np.full(T, budget / T / 3)]):
        r = minimize(lambda v: -total(v), s0, method="SLSQP", bounds=[(0, None)] * (2 * T),
                     constraints=cons, options={"ftol": 1e-12, "maxiter": 1000})
        v = r.x
        if (v.sum() <= budget * (1 + 1e-9) and v[:T].sum() / TV_CPP >= 60 * (1 - 1e-9)
                and 45 * tv_conv(v[:T]) - v[:T].sum() >= -1e-6 * budget):
            best = max(best, -r.fun)
    return best


def whatif(path, axis, *extra):
    out = os.path.join(d, f"w{abs(hash((path, axis, extra)))}.json")
    p = run("whatif", path, "--vary", axis, "--json", out, "--quiet", *extra)
    check(p.returncode == 0, f"whatif {axis}: {p.stderr}")
    return json.load(open(out)) if p.returncode == 0 else {"scenarios": []}


plan = write(os.path.join(d, "plan.ini"), PLAN)
NOCARRY = PLAN.replace("carryover_in = 30k\n", "")
nocarry = write(os.path.join(d, "nocarry.ini"), NOCARRY)
# each axis: its values and the plan text with a value written in
AXES = [
    ("budget", [150000, 200000, 240000],
     lambda v: PLAN.replace("budget = 240000", f"budget = {v:.0f}")),
    # a cost change is a price level: money m buys what m / (1 + r) bought, so
    # the plan alone has cpp and the hill's ec (in money) times 1 + r; nothing
    # carried in here (whether past money is read at the new price is left open)
    ("cpp:telly", ["-20%", "0%", "20%"],
     lambda v: NOCARRY.replace(f"cpp = {TV_CPP:.0f}", f"cpp = {TV_CPP * (1 + int(v[:-1]) / 100):.0f}")
     .replace(f"ec = {TV_EC:.0f}", f"ec = {TV_EC * (1 + int(v[:-1]) / 100):.0f}")),
    ("constraint:cpa", [35, 45, 60],
     lambda v: PLAN.replace("cpa(telly) <= 45", f"cpa(telly) <= {v}")),
]
for axis, values, text_of in AXES:
    spec = f"{axis}=" + ",".join(str(v) for v in values)
    base = nocarry if axis.startswith("cpp") else plan
    runs = {"warm": whatif(base, spec), "cold": whatif(base, spec, "--cold")}
    for i, v in enumerate(values):
        alone = write(os.path.join(d, f"alone_{axis.replace(':', '_')}_{i}.ini"), text_of(v))
        p, ref = optimize_json(alone)
        check(p.returncode == 0 and ref and ref["status"] == "optimal", f"{axis}={v} alone: {p.stderr}")
        if not ref:
            continue
        want = ref["objective"]["value"]
        for how, w in runs.items():
            sc = w["scenarios"][i] if i < len(w["scenarios"]) else None
            check(sc is not None and sc["status"] == "optimal", f"{axis}={v} ({how}): a scenario")
            if not sc:
                continue
            close(sc["objective"]["value"], want, 1e-9 * want, f"{axis}={v} ({how}) vs optimize")
            for c in ref["channels"]:
                got = next(x["spend"] for x in sc["channels"] if x["name"] == c["name"])
                close(got, c["spend"], 1e-6 * (1 + c["spend"]), f"{axis}={v} ({how}): {c['name']}'s spend")
        if axis == "budget":  # and against scipy on the closed forms
            best = scipy_best(float(v))
            check(best <= ref["objective"]["bound"] * (1 + 1e-7),
                  f"budget {v}: scipy's {best} above the bound {ref['objective']['bound']}")
            check(want >= best * (1 - 1e-3), f"budget {v}: plan {want} within 0.1 % of scipy's {best}")

# a min cost plan's conversions floor swept: each scenario the least money
# paid that optimize finds for that floor
COST = (PLAN.replace("objective = max conversions", "objective = min cost")
        .replace('[constraint "cpa"]\nexpr = cpa(telly) <= 45\n', '[constraint "conv"]\nexpr = conversions >= 3000\n'))
cplan = write(os.path.join(d, "cost.ini"), COST)
w = whatif(cplan, "constraint:conv=2500,3000,4000")
for i, v in enumerate((2500, 3000, 4000)):
    p, ref = optimize_json(write(os.path.join(d, f"cost_{v}.ini"), COST.replace(">= 3000", f">= {v}")))
    check(ref is not None and i < len(w["scenarios"]), f"min cost, conv {v}: {p.stderr}")
    if ref and i < len(w["scenarios"]):
        sc = w["scenarios"][i]
        close(sc["objective"]["value"], ref["objective"]["value"], 1e-9 * ref["objective"]["value"],
              f"min cost, conv {v}: scenario vs optimize")
        paid = sum(c["spend"] for c in ref["channels"])
        close(ref["objective"]["value"], paid, 1e-7 * paid, f"min cost, conv {v}: the money paid")

# --method near: the same plan as the implicit solve
p, auto = optimize_json(plan)
p2, near = optimize_json(plan, "--method", "near")
check(near is not None and near["status"] == "optimal", f"--method near: {p2.stderr}")
if auto and near:
    close(near["objective"]["value"], auto["objective"]["value"], 1e-6 * auto["objective"]["value"],
          "--method near vs the implicit solve")
    check(near["objective"]["bound"] >= near["objective"]["value"] * (1 - 1e-9), "--method near: its bound")

# infeasible: tv's adstock capped at 40 GRP (60k) a period pays at most
# 60k - lambda a_0 + (T - 1)(1 - lambda) 60k in all, below a min_spend of 200k
most = 60000 - LAM * A0 + (T - 1) * (1 - LAM) * 60000
INF = (PLAN.replace("carryover_in = 30k", "carryover_in = 30k\nmax_grp = 40\nmin_spend = 200k")
       .split('[constraint "grp"]')[0])
p = run("optimize", write(os.path.join(d, "inf_cap.ini"), INF))
check(p.returncode != 0 and "min_spend >= 200,000" in p.stderr, f"infeasible min_spend: {p.stderr}")
check(f"the most that can be reached with the others: {most:,.0f}" in p.stderr,
      f"the most telly can pay is {most:,.0f}: {p.stderr}")

# infeasible: with nothing carried in, a min_spend of 50k on tv makes its CPA
# at least 50k over the most conversions 50k buys (scipy), above a cap of 5
INF2 = PLAN.replace("carryover_in = 30k", "min_spend = 50k").replace("cpa(telly) <= 45", "cpa(telly) <= 5")
INF2 = INF2.replace('[constraint "grp"]\nexpr = grp(telly) >= 60\n', "")
p, data = optimize_json(write(os.path.join(d, "inf_cpa.ini"), INF2))
check(data is not None and data["status"] == "infeasible", f"infeasible cpa: {p.stderr}")
r = minimize(lambda v: -tv_conv(v, 0.0), np.full(T, 50000.0 / T), method="SLSQP", bounds=[(0, None)] * T,
             constraints=[{"type": "eq", "fun": lambda v: v.sum() - 50000.0}],
             options={"ftol": 1e-12, "maxiter": 1000})
least = 50000.0 / -r.fun
expl = data["explanation"] if data else ""
m = re.search(r"cpa\(telly\) <= 5 \(the least that can be reached with the others: ([0-9.]+)\)", expl)
check(m is not None and "min_spend >= 50,000" in expl, f"the explanation names the cap and min_spend: {expl}")
if m:
    close(float(m.group(1)), least, 1e-3 * least + 0.005, "the least CPA telly can reach at 50k")
done()
