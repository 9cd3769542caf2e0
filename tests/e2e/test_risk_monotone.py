"""A plan for the bad draws never gets worse as its budget grows.

risk = cvar 20 % over 20 aligned draws of two exp channels and a certain
hill channel, four weeks, with a CPA cap held in every draw (must_hold =
all) that stops the spend from about 30k: past it every budget has the
same best plan. With a budget that is an upper limit a larger budget can
never give less, yet each run chose its plan on the chords of breakpoints
placed where its own mean plan filled the curves, and the CVaR fell and
rose by about 2e-5 from one budget to the next. The test brackets the best
CVaR itself with two LPs of its own (scipy's linprog): the plans on chords
of each week's curves (under the curves: a plan of them holds the cap on
the exact curves, and its exact CVaR is at most the best) and the plans on
tangents (above the curves: a relaxation, at least the best), on a grid
that is made finer around the chords' plan. The weeks are alike, so a best
plan spends alike in each (the problem is concave and the same under any
order of the weeks: the average of a plan's weekly orders is as good). Every
budget's CVaR, optimize's recomputed here from its weekly spends, and each
what-if scenario's, must be within a relative 1e-8 of the bracket and never
fall by more than a relative 1e-9 (the refinement's tolerance) from one
budget to the next."""
import json
import os

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from mpcommon import *

d = tmpdir("risk_monotone")
ND, WEEKS, CAP, LEVEL = 20, 4, 28.0, 0.2
rng = np.random.default_rng(5)
z = rng.normal(0, 1, ND)  # a common shock: one joint posterior
A = np.array([(900 * np.exp(0.3 * z[i] + 0.1 * rng.normal()), 20000 * np.exp(0.1 * rng.normal()))
              for i in range(ND)])
B = np.array([(600 * np.exp(0.2 * z[i] + 0.15 * rng.normal()), 9000 * np.exp(0.1 * rng.normal()))
              for i in range(ND)])
for fn, rows in (("a.csv", A), ("b.csv", B)):
    write(os.path.join(d, fn), "beta,k\n" + "".join(f"{b:.6f},{k:.3f}\n" for b, k in rows))
    rows[:, 0], rows[:, 1] = np.round(rows[:, 0], 6), np.round(rows[:, 1], 3)  # as written
C_BETA, C_EC = 300.0, 5000.0


def plan(budget):
    return write(os.path.join(d, f"plan-{budget}.ini"), f"""[plan]
budget = {budget}
start = 2027-03-01
periods = {WEEKS}
objective = max conversions
risk = cvar 20%
must_hold = all
{"".join(f'{chr(10)}[channel "{n}"]{chr(10)}type = curve{chr(10)}curve = exp{chr(10)}draws = {n.lower()}.csv{chr(10)}' for n in "AB")}
[channel "C"]
type = curve
curve = hill
beta = {C_BETA:g}
ec = {C_EC:g}
slope = 1

[constraint "cpa"]
expr = cpa <= {CAP:g}
""")


def f(c, x):
    """Each draw's weekly conversions of channel c at spend x, and their slope."""
    if c == 2:
        v = np.full(ND, C_BETA * x / (C_EC + x))
        return v, np.full(ND, C_BETA * C_EC / (C_EC + x) ** 2)
    beta, k = (A, B)[c].T
    return beta * (1 - np.exp(-x / k)), beta / k * np.exp(-x / k)


def cvar(y):
    """The mean of the worst LEVEL share of equally weighted outcomes."""
    n = LEVEL * len(y)
    s = np.sort(y)
    whole = int(np.floor(n))
    return (s[:whole].sum() + (n - whole) * (s[whole] if whole < len(y) else 0)) / n


def rows_common(nvar, t, zs, total_rows, weekly):
    """CVaR's rows z_d >= t - 4 y_d, the cap's 4 spend <= CAP 4 y_d and the
    budget, each y_d and spend given as (column, coefficient) lists."""
    ri, ci, v, b = [], [], [], []
    r = 0
    for dd in range(ND):
        for col, a in total_rows(dd):  # t - z_d - 4 y_d <= 0
            ri.append(r), ci.append(col), v.append(-WEEKS * a)
        ri += [r, r]
        ci += [t, zs + dd]
        v += [1.0, -1.0]
        b.append(0.0)
        r += 1
        for col, a in total_rows(dd):  # spend - CAP y_d <= 0
            ri.append(r), ci.append(col), v.append(-CAP * a)
        for col, a in weekly:
            ri.append(r), ci.append(col), v.append(a)
        b.append(0.0)
        r += 1
    return ri, ci, v, b, r


def chord_lp(points, week_budget):
    """Segments between each channel's points, each draw's chord on them."""
    cols, g = [], []  # (channel, width), each draw's slope
    for c in range(3):
        p = points[c]
        for lo, hi in zip(p[:-1], p[1:]):
            cols.append((c, hi - lo))
            g.append((f(c, hi)[0] - f(c, lo)[0]) / (hi - lo))
    n = len(cols)
    t, zs = n, n + 1
    ri, ci, v, b, r = rows_common(n + 1 + ND, t, zs, lambda dd: [(j, g[j][dd]) for j in range(n)],
                                  [(j, 1.0) for j in range(n)])
    for j in range(n):  # the week's budget
        ri.append(r), ci.append(j), v.append(1.0)
    b.append(week_budget)
    obj = np.zeros(n + 1 + ND)
    obj[t] = -1.0
    obj[zs:] = 1.0 / (LEVEL * ND)
    bounds = [(0, w) for _, w in cols] + [(None, None)] + [(0, None)] * ND
    res = linprog(obj, A_ub=coo_matrix((v, (ri, ci))).tocsr(), b_ub=b, bounds=bounds,
                  method="highs")
    x = np.zeros(3)
    for j, (c, _) in enumerate(cols):
        x[c] += res.x[j]
    return x


def tangent_lp(points, week_budget):
    """Spends x_c, each draw's conversions u_dc under every tangent at the
    points (channel C's the same in every draw: one u)."""
    nx, nu = 3, 2 * ND + 1
    t, zs = nx + nu, nx + nu + 1
    uidx = lambda dd, c: nx + (2 * ND if c == 2 else c * ND + dd)
    ri, ci, v, b, r = rows_common(zs + ND, t, zs,
                                  lambda dd: [(uidx(dd, c), 1.0) for c in range(3)],
                                  [(c, 1.0) for c in range(3)])
    for c in range(3):  # the week's budget
        ri.append(r), ci.append(c), v.append(1.0)
    b.append(week_budget)
    r += 1
    for c in range(3):
        for p in points[c]:
            val, slope = f(c, p)
            for dd in range(1 if c == 2 else ND):  # u - slope x <= val - slope p
                ri += [r, r]
                ci += [uidx(dd, c), c]
                v += [1.0, -slope[dd]]
                b.append(val[dd] - slope[dd] * p)
                r += 1
    obj = np.zeros(zs + ND)
    obj[t] = -1.0
    obj[zs:] = 1.0 / (LEVEL * ND)
    bounds = [(0, week_budget)] * nx + [(None, None)] * (nu + 1) + [(0, None)] * ND
    res = linprog(obj, A_ub=coo_matrix((v, (ri, ci))).tocsr(), b_ub=b, bounds=bounds,
                  method="highs")
    return -res.fun


def bracket(budget):
    """[the exact CVaR of the chords' plan, the tangents' bound]: the best
    plan's CVaR lies between."""
    wb = budget / WEEKS
    grid = np.linspace(0, wb, 401)
    pts = [grid] * 3
    for _ in range(2):  # finer around the chords' plan: 800 steps over two of the grid's
        x = chord_lp(pts, wb)
        pts = [np.unique(np.concatenate([grid, np.clip(np.linspace(x[c] - 2 * wb / 400,
                                                                   x[c] + 2 * wb / 400, 801), 0, wb)]))
               for c in range(3)]
    x = chord_lp(pts, wb)
    y = WEEKS * sum(f(c, x[c])[0] for c in range(3))
    check(WEEKS * x.sum() <= CAP * y.min() * (1 + 1e-9), f"budget {budget}: the test's plan holds the cap")
    return cvar(y), tangent_lp(pts, wb)


def weekly(data, name):
    return [w["spend"] for w in channel(data, name)["periods"]]


BUDGETS = [19000, 22000, 25000, 28000, 31000, 34000, 37000, 40000]
brackets = {b: bracket(b) for b in BUDGETS}
for b in BUDGETS:
    lo, hi = brackets[b]
    check(lo <= hi * (1 + 1e-12) and hi - lo <= 1e-8 * hi, f"budget {b}: the test's bracket [{lo}, {hi}]")

# optimize at three budgets: the CVaR recomputed from the weekly spends
got = {}
for b in (22000, 31000, 40000):
    p, data = optimize_json(plan(b))
    check(p.returncode == 0 and data is not None, f"optimize {b}: exit {p.returncode}: {p.stderr}")
    if data is None:
        continue
    y = np.zeros(ND)
    for c, name in enumerate("ABC"):
        for x in weekly(data, name):
            y += f(c, x)[0]
    spent = sum(sum(weekly(data, n)) for n in "ABC")
    check(spent <= CAP * y.min() * (1 + 1e-9), f"optimize {b}: worst CPA {spent / y.min()} > {CAP}")
    got[b] = cvar(y)
    close(data["risk"]["cvar"], got[b], 1e-9 * got[b], f"optimize {b}: the JSON's CVaR")
    lo, hi = brackets[b]
    check(lo * (1 - 1e-8) <= got[b] <= hi * (1 + 1e-8),
          f"optimize {b}: CVaR {got[b]!r} outside the test's bracket [{lo!r}, {hi!r}]")
    print(f"optimize {b}: CVaR {got[b]:.9f}, bracket [{lo:.9f}, {hi:.9f}]")
prev = None
for b in sorted(got):
    check(prev is None or got[b] >= prev * (1 - 1e-9), f"optimize {b}: CVaR {got[b]!r} fell from {prev!r}")
    prev = got[b]

# what-if over the budgets: each scenario's CVaR in the bracket, never falling
wf = os.path.join(tmpdir("json"), "sweep.json")
p = run("whatif", plan(BUDGETS[0]), "--vary", f"budget={BUDGETS[0]}..{BUDGETS[-1]}/3000", "--json", wf)
check(p.returncode == 0, f"what-if: exit {p.returncode}: {p.stderr}")
if p.returncode == 0:
    with open(wf, encoding="utf-8") as fh:
        sweep = json.load(fh)["scenarios"]
    check(len(sweep) == len(BUDGETS), f"what-if: {len(sweep)} scenarios")
    prev = None
    for sc in sweep:
        b = int(round(sc["params"]["budget"]))
        v = sc["quantiles"]["cvar"]
        lo, hi = brackets[b]
        check(sc["status"] == "optimal" and lo * (1 - 1e-8) <= v <= hi * (1 + 1e-8),
              f"what-if {b}: {sc['status']}, CVaR {v!r} outside the test's bracket [{lo!r}, {hi!r}]")
        check(prev is None or v >= prev * (1 - 1e-9), f"what-if {b}: CVaR {v!r} fell from {prev!r}")
        if b in got:
            close(v, got[b], 1e-9 * got[b], f"what-if {b}: optimize's CVaR")
        prev = v
        print(f"what-if {b}: CVaR {v:.9f}, spend {sc['kpis']['spend']:.2f}")

# risk = mean with a cap the mean plan holds in every draw: that plan stands,
# optimal (it read 'stopped at the time limit' with no limit given)
loose = write(os.path.join(d, "loose.ini"), open(plan(22000), encoding="utf-8").read()
              .replace("risk = cvar 20%", "risk = mean").replace(f"cpa <= {CAP:g}", "cpa <= 200"))
p, data = optimize_json(loose)
check(p.returncode == 0 and data is not None and data["status"] == "optimal"
      and "time limit" not in p.stdout + p.stderr, f"risk = mean, cap held: exit {p.returncode}: "
      f"{data and data['status']}: {p.stderr}")
done()
