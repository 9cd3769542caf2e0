"""De-duplicated reach: `reach(a, b, c) >= R` and `max reach` are the reach of
the channels under random duplication, U (1 - prod(1 - r_i / U)), taken by the
LP in its log form. Checked here from the product formula at the reported
spends (the row holds, binds when it should), a `max reach` optimum against
scipy on the closed-form product formula, the implicit solve against
`--method direct` and glpsol on the exported LP, a reach row's shadow price
against re-solves at nearby bounds, and the plans refused."""
import math
import os
import re
import subprocess

import numpy as np
from scipy.optimize import brentq, minimize

from mpcommon import *

GLPSOL = os.environ.get("GLPSOL", "glpsol")
d = tmpdir("reach")
U = 10e6
# (name, type, keys, reach ceiling A, b: r(x) = A (1 - e^(-b x)) of spend x)
CHANNELS = [
    ("tf1", "tv", "cpp = 4000\nrmax = 80%\nk = 0.006\n", 0.8 * U, 0.006 / 4000),
    ("rtl", "radio", "cpp = 800\nrmax = 60%\nk = 0.004\n", 0.6 * U, 0.004 / 800),
    ("meta", "social", "cpm = 6\naudience = 4M\nctr = 1%\ncvr = 2%\n", 4e6, 1000 / (6 * 4e6)),
]


def reach_of(name, spend):
    for n, _, _, a, b in CHANNELS:
        if n == name:
            return a * -math.expm1(-b * spend)
    raise KeyError(name)


def dedup(data, names):
    """U (1 - prod(1 - r_i / U)) from each channel's reported spend."""
    miss = 1.0
    for n in names:
        miss *= 1 - reach_of(n, channel(data, n)["spend"]) / U
    return U * (1 - miss)


def plan_text(objective, budget, extra="", universe=True, tv_response=False):
    text = f"[plan]\nbudget = {budget}\nstart = 2027-03-01\nperiods = 2\nperiod = week\n"
    text += f"objective = {objective}\n" + ("universe = 10M\n" if universe else "")
    for n, t, keys, _, _ in CHANNELS:
        text += f"[channel \"{n}\"]\ntype = {t}\n{keys}"
        if n == "tf1" and tv_response:
            text += "response = hill\nbeta = 300\nec = 50000\nslope = 1\n"
    return text + extra


def glpsol_objective(plan):
    """glpsol's optimum of the exported LP as written: the file carries the
    right-hand sides the solve used (JSON lp_rhs: a row the exact figures
    moved)."""
    lp = os.path.join(d, os.path.basename(plan) + ".lp")
    p = run("export-lp", plan, "-o", lp)
    check(p.returncode == 0, f"export-lp {plan}: {p.stderr}")
    out = lp + ".txt"
    g = subprocess.run([GLPSOL, "--lp", lp, "-o", out], capture_output=True, text=True)
    check(g.returncode == 0, f"glpsol: {g.stdout} {g.stderr}")
    m = re.search(r"Objective:\s+\S+\s+=\s+([-+0-9.eE]+)", open(out).read())
    check(m is not None, "glpsol found an optimum")
    return float(m.group(1)) if m else float("nan")


def row(data, name):
    return next(c for c in data["constraints"] if c["name"] == name)


# ---- max reach over three channels against scipy ---------------------------
BUDGET = 300e3
mr = write(os.path.join(d, "max_reach.ini"), plan_text("max reach", "300k"))
p, data = optimize_json(mr)
check(p.returncode == 0 and data and data["status"] == "optimal", f"max reach: {p.stderr}")
names = [c[0] for c in CHANNELS]


def neg_reach(x):
    return -U * (1 - np.prod([1 - reach_of(n, v) / U for n, v in zip(names, x)]))


best = None
for start in ([1e5, 1e5, 1e5], [2.9e5, 5e3, 5e3], [5e3, 2.9e5, 5e3], [5e3, 5e3, 2.9e5]):
    r = minimize(neg_reach, start, method="SLSQP", bounds=[(0, BUDGET)] * 3,
                 constraints=[{"type": "ineq", "fun": lambda x: BUDGET - sum(x)}],
                 options={"ftol": 1e-14, "maxiter": 500})
    if best is None or r.fun < best.fun:
        best = r
most = -best.fun
# the same optimum from the equal marginals of the log form's terms (each
# g_i' = a b e^(-bx) / (1 - a + a e^(-bx)) = lambda, solved in closed form)
def spend_at(lam, a, b):
    if lam >= a * b:
        return 0.0
    return -math.log(lam * (1 - a) / (a * (b - lam))) / b if a < 1 else float("inf")


lam = brentq(lambda l: sum(spend_at(l, A / U, b) for _, _, _, A, b in CHANNELS) - BUDGET,
             1e-15, max(A / U * b for _, _, _, A, b in CHANNELS) * (1 - 1e-12), xtol=1e-30)
kkt = U * (1 - math.prod(1 - reach_of(n, spend_at(lam, A / U, b)) / U
                         for n, _, _, A, b in CHANNELS))
close(most, kkt, 1e-6 * kkt, "scipy's max reach vs the equal marginals of the log form")
if data and data["status"] == "optimal":
    obj = data["objective"]
    gap = obj["gap"]
    close(obj["value"], dedup(data, names), 1e-9 * U, "objective = product formula at the spends")
    close(data["kpis"]["reach"], obj["value"], 1e-9 * U, "kpis.reach is the de-duplicated reach")
    close(data["kpis"]["reach_dedup"], obj["value"], 1e-9 * U, "reach_dedup = reach")
    close(data["kpis"]["reach_summed"], sum(reach_of(n, channel(data, n)["spend"]) for n in names),
          1e-6 * U, "reach_summed adds up the channels' reach")
    check(obj["value"] <= most * (1 + 1e-9), f"no more than the optimum: {obj['value']} vs {most}")
    check(obj["value"] >= most * (1 - max(gap, 1e-9)) - 1,
          f"within the certified gap of scipy's optimum: {obj['value']} vs {most} (gap {gap})")
    check(obj["bound"] >= most * (1 - 1e-9), f"the certified bound holds: {obj['bound']} vs {most}")
    check(gap <= 1e-3, f"within the plan's gap: {gap}")
    close(sum(channel(data, n)["spend"] for n in names), BUDGET, 1e-6 * BUDGET, "budget spent")
    # the implicit solve and GLPK on the whole LP find the same LP optimum,
    # and glpsol the same on the exported LP (in the log form: s = -ln(1 - R/U))
    p2, direct = optimize_json(mr, "--method", "direct")
    check(p2.returncode == 0 and direct is not None, f"--method direct: {p2.stderr}")
    if direct:
        close(direct["objective"]["lp"], obj["lp"], 1e-7 * U, "implicit vs --method direct (LP)")
        close(direct["objective"]["value"], obj["value"], 1e-6 * U, "implicit vs direct (exact)")
    glp = glpsol_objective(mr)
    close(-math.log1p(-obj["lp"] / U), glp, 1e-7, "LP objective in log form vs glpsol")
    # the budget's shadow price in people (the log row's dual times U e^-s)
    # against re-solves 5 kEUR either side at a tight gap
    ends = []
    for b in ("295k", "305k"):
        _, dd = optimize_json(write(os.path.join(d, f"max_reach_{b}.ini"), plan_text("max reach", b)),
                              "--gap", "0.001%")
        ends.append(dd["objective"]["value"] if dd else float("nan"))
    slope = (ends[1] - ends[0]) / 10
    close(row(data, "budget")["shadow_price"], slope, 0.01 * slope,
          "max reach: the budget's shadow price (people per kEUR) vs re-solves")

# ---- a de-duplicated reach floor -------------------------------------------
def floor_plan(pct, name):
    return write(os.path.join(d, name), plan_text(
        "max conversions", "600k", f"[constraint \"reach\"]\nexpr = reach(tf1, rtl, meta) >= {pct}%\n",
        tv_response=True))


fp = floor_plan(70, "floor70.ini")
p, data = optimize_json(fp)
check(p.returncode == 0 and data and data["status"] == "optimal", f"reach floor: {p.stderr}")
if data and data["status"] == "optimal":
    r = row(data, "reach")
    exact = dedup(data, names)
    check(exact >= 0.7 * U * (1 - 1e-9), f"the floor holds on the product formula: {exact}")
    check(r["binding"], "a floor above what maximising conversions reaches binds")
    close(exact, 0.7 * U, 1e-6 * U, "binding: the product formula at the floor")
    close(r["value"], exact, 1e-6 * U, "the row's value is the product formula")
    check(exact < sum(reach_of(n, channel(data, n)["spend"]) for n in names),
          "the summed reach over-counts")
    for method in ("direct",):
        p2, d2 = optimize_json(fp, "--method", method)
        check(p2.returncode == 0 and d2 is not None, f"floor --method {method}: {p2.stderr}")
        if d2:
            close(d2["objective"]["value"], data["objective"]["value"],
                  2e-3 * data["objective"]["value"], f"floor: implicit vs --method {method}")
            close(dedup(d2, names), 0.7 * U, 1e-6 * U, f"floor --method {method} binds")
    glp = glpsol_objective(fp)
    close(data["objective"]["lp"], glp, 1e-6 * abs(glp), "floor: LP objective vs glpsol")
    # the shadow price per point of reach against re-solves 1 point either side
    vals = []
    for pct in (69, 71):
        _, dd = optimize_json(floor_plan(pct, f"floor{pct}.ini"))
        vals.append(dd["objective"]["value"] if dd and dd["status"] == "optimal" else float("nan"))
    slope = (vals[1] - vals[0]) / 2
    check("point of reach" in r["unit"], f"shadow price per point of reach: {r['unit']}")
    close(r["shadow_price"], slope, 0.05 * abs(slope), "shadow price vs re-solves at 69 % and 71 %")

# a what-if sweep of the reach bound moves the log form's right-hand side as
# optimize builds it: each scenario is the plan optimized at that bound
wj = os.path.join(d, "sweep.json")
p = run("whatif", floor_plan(70, "floor70.ini"), "--vary", "constraint:reach=65%,70%", "--json", wj)
check(p.returncode == 0 and os.path.exists(wj), f"whatif on the reach bound: {p.stderr}")
if os.path.exists(wj):
    import json
    scen = json.load(open(wj))["scenarios"]
    for pct, sc in zip((65, 70), scen):
        _, one = optimize_json(floor_plan(pct, f"floor{pct}.ini"))
        close(sc["objective"]["value"], one["objective"]["value"], 1e-3 * one["objective"]["value"],
              f"what-if at reach {pct} % vs optimize")

# a floor the plan meets anyway does not bind
fp = floor_plan(30, "floor30.ini")
p, data = optimize_json(fp)
check(p.returncode == 0 and data and data["status"] == "optimal", f"low floor: {p.stderr}")
if data and data["status"] == "optimal":
    check(not row(data, "reach")["binding"], "a floor met with room to spare does not bind")
    check(dedup(data, names) >= 0.3 * U, "the low floor holds")

# ---- effective reach against the negative binomial ------------------------
from scipy.stats import nbinom, poisson


def impressions_of(name, spend):
    """Campaign impressions from the closed forms: TV/radio GRP/100 x U,
    social 1000 x spend / cpm."""
    if name == "tf1":
        return spend / 4000 / 100 * U
    if name == "rtl":
        return spend / 800 / 100 * U
    return 1000 * spend / 6


def exposures(name, spend, k):
    """P(0..k-1) of a person's exposures: the NBD (scipy's nbinom) of mean
    impressions / U and P(0) = 1 - reach / U, fitted here by brentq on its
    size n (p = n / (n + m))."""
    m, f = impressions_of(name, spend) / U, reach_of(name, spend) / U
    if m <= 0 or f <= 0:
        return np.array([1.0] + [0.0] * (k - 1))
    target = -math.log1p(-f)
    if target >= m * (1 - 1e-9):  # no NBD reaches that many: Poisson
        return poisson.pmf(np.arange(k), m)
    n = brentq(lambda n: n * math.log1p(m / n) - target, 1e-12, 1e12, xtol=1e-300, rtol=1e-15)
    return nbinom.pmf(np.arange(k), n, n / (n + m))


# TV held at 100 kEUR so that every channel has exposures: TV's reach is below
# a Poisson's (an NBD), social's over an audience below the universe too
ef = write(os.path.join(d, "effective.ini"), plan_text("max reach", "300k").replace(
    "universe = 10M\n", "universe = 10M\neffective_frequency = 3\n").replace(
    "type = radio\n", "type = radio\neffective_frequency = 2\n").replace(
    "k = 0.006\n", "k = 0.006\nmin_spend = 100k\n"))
p, data = optimize_json(ef)
check(p.returncode == 0 and data and data["status"] == "optimal", f"effective reach: {p.stderr}")
if data and data["status"] == "optimal":
    check(data["plan"].get("effective_frequency") == 3, "plan effective_frequency in the JSON")
    total = np.array([1.0, 0.0, 0.0])
    for n in names:
        ch = channel(data, n)
        k = 2 if n == "rtl" else 3
        check(ch.get("effective_frequency") == k, f"{n} effective_frequency {ch.get('effective_frequency')}")
        pmf = exposures(n, ch["spend"], k)
        close(ch["effective_reach"], U * (1 - pmf.sum()), 1e-6 * U, f"{n} effective reach ({k}+) vs NBD")
        total = np.convolve(total, exposures(n, ch["spend"], 3))[:3]
    # the plan's: every channel's exposures added, independent of each other
    close(data["kpis"]["effective_reach"], U * (1 - total.sum()), 1e-6 * U,
          "plan effective reach (3+) vs the convolution of the channels' NBDs")
    check(data["kpis"]["effective_reach"] < data["kpis"]["reach"], "3+ below 1+")
    p2 = run("optimize", ef)
    check(re.search(r"^effective reach \(3\+ exposures\): [0-9,]+ people; tf1 ", p2.stdout, re.M)
          is not None, f"terminal effective reach line: {p2.stdout}")
    from openpyxl import load_workbook
    xl = os.path.join(d, "effective.xlsx")
    p3 = run("optimize", ef, "-o", xl, "--quiet")
    check(p3.returncode == 0, f"workbook: {p3.stderr}")
    rows = {r[0]: r[2] for r in load_workbook(xl, read_only=True)["Summary"].iter_rows(values_only=True)
            if r and isinstance(r[0], str) and r[0].startswith("effective reach")}
    close(rows.get("effective reach (3+ exposures)"), data["kpis"]["effective_reach"], 1,
          "workbook's effective reach")
    close(rows.get("effective reach of rtl (2+ exposures)"), channel(data, "rtl")["effective_reach"], 1,
          "workbook's rtl effective reach")
# at 1 exposure the effective reach is the reach
p, data = optimize_json(write(os.path.join(d, "effective1.ini"), plan_text("max reach", "300k").replace(
    "universe = 10M\n", "universe = 10M\neffective_frequency = 1\n")))
if data and data["status"] == "optimal":
    for n in names:
        close(channel(data, n)["effective_reach"], channel(data, n)["kpis"]["reach"], 1e-6 * U,
              f"{n}: 1+ effective reach is the reach")
    close(data["kpis"]["effective_reach"], data["kpis"]["reach"], 1e-6 * U, "plan 1+ is the reach")

# ---- ranging around a reach row --------------------------------------------
# A slack reach row's curve columns cost nothing, so the LP may fill them out
# of order; ranging judges binding on the reach the spends give. Expected
# ends from scipy: the max-conversions optimum without the reach row at
# budget B (the closed-form curves below) and the budget where its
# de-duplicated reach reaches 6 M. Tolerances: the range's bisection (0.5 %
# of the bound) plus the chords' error in the split (about 1 %).
RANGE_PLAN = """[plan]
budget = {budget}
start = 2027-03-01
periods = 4
universe = 10M
objective = max conversions
[channel "tf1"]
type = tv
cpp = 4000
rmax = 80%
k = 0.006
response = hill
beta = 3000
ec = 200k
slope = 1
[channel "rtl"]
type = radio
cpp = 1500
rmax = 60%
k = 0.005
response = exp
beta = 800
response_k = 50k
[channel "meta"]
type = social
cpm = 6
audience = 4M
ctr = 1%
cvr = 3%
[constraint "reach60"]
expr = reach(tv, radio, social) >= 60%
"""


def range_conv(x):
    t, r, m = x  # four weekly periods, spent evenly (the curves are per period)
    return (4 * 3000 * (t / 4) / (t / 4 + 200e3) + 4 * 800 * -math.expm1(-(r / 4) / 50e3)
            + 4 * 0.03 * 0.01 * 4e6 * -math.expm1(-(1000 * m / 4 / 6) / 4e6))


def range_reach(x):
    t, r, m = x
    rs = (0.8 * U * -math.expm1(-0.006 * t / 4000), 0.6 * U * -math.expm1(-0.005 * r / 1500),
          4e6 * -math.expm1(-1000 * m / 6 / 4e6))
    return U * (1 - math.prod(1 - v / U for v in rs))


def free_optimum(budget):
    best = None
    for f in ((1 / 3, 1 / 3, 1 / 3), (0.5, 0.25, 0.25), (0.2, 0.5, 0.3)):
        r = minimize(lambda x: -range_conv(x) / 1e3, [budget * v for v in f], method="SLSQP",
                     bounds=[(0, budget)] * 3,
                     constraints=[{"type": "eq", "fun": lambda x: (budget - sum(x)) / 1e5}],
                     options={"ftol": 1e-15, "maxiter": 2000})
        if best is None or r.fun < best.fun:
            best = r
    return best.x


starts = brentq(lambda b: range_reach(free_optimum(b)) - 6e6, 400e3, 500e3, xtol=1)
free_420 = range_reach(free_optimum(420e3))
_, slack = optimize_json(write(os.path.join(d, "range_600k.ini"), RANGE_PLAN.format(budget="600k")))
check(slack is not None, "the 600k ranging plan solves")
if slack:
    check(not row(slack, "reach60")["binding"], "reach60 is slack at 600k")
    bud = row(slack, "budget")
    check(bud["range_ends"][0] == {"what": "binds", "row": "reach60"},
          f"600k: the budget's range starts where reach60 binds: {bud['range_ends']}")
    close(bud["range"][0], starts, 0.015 * starts, "600k: where reach60 starts binding vs scipy")
_, tight = optimize_json(write(os.path.join(d, "range_420k.ini"), RANGE_PLAN.format(budget="420k")))
check(tight is not None, "the 420k ranging plan solves")
if tight:
    rr = row(tight, "reach60")
    check(rr["binding"] and rr["range_ends"][0]["what"] == "unbinds",
          f"420k: reach60 binds and its range starts where it stops binding: {rr['range_ends']}")
    close(rr["range"][0], free_420, 0.01 * 6e6, "420k: where reach60 stops binding vs scipy")
    bud = row(tight, "budget")
    check(bud["range_ends"][1] == {"what": "releases", "row": "reach60"},
          f"420k: the budget's range ends where reach60 lets go: {bud['range_ends']}")
    close(bud["range"][1], starts, 0.015 * starts, "420k: the budget where reach60 lets go vs scipy")

# ---- refused ----------------------------------------------------------------
for what, text in (("constraint", plan_text("max conversions", "300k",
                                            "[constraint \"e\"]\nexpr = effective_reach(tf1) >= 1M\n")),
                   ("objective", plan_text("max effective_reach", "300k"))):
    # effective_reach in a row or the objective holds one channel at its
    # frequency (test_effective_reach.py): without a frequency, or over the
    # plan's three channels with reach, refused
    p = run("optimize", write(os.path.join(d, f"eff_{what}.ini"), text), "--quiet")
    want = "needs an effective frequency" if what == "constraint" else "over several channels"
    check(p.returncode == 3 and want in p.stderr,
          f"effective_reach as a {what}: {p.returncode} {p.stderr}")
p = run("optimize", write(os.path.join(d, "eff_no_universe.ini"), plan_text(
    "max conversions", "300k", universe=False).replace("[channel", "effective_frequency = 3\n[channel", 1)),
    "--quiet")
check(p.returncode == 3 and "effective_frequency needs [plan] universe" in p.stderr,
      f"effective_frequency without a universe: {p.returncode} {p.stderr}")
p = run("optimize", write(os.path.join(d, "eff_bad.ini"), plan_text("max reach", "300k").replace(
    "universe = 10M\n", "universe = 10M\neffective_frequency = 2.5\n")), "--quiet")
check(p.returncode == 3 and "whole number of exposures" in p.stderr, f"effective_frequency 2.5: {p.stderr}")
p = run("optimize", write(os.path.join(d, "no_universe.ini"), plan_text(
    "max conversions", "600k", "[constraint \"reach\"]\nexpr = reach(tf1, meta) >= 3M\n",
    universe=False)), "--quiet")
check(p.returncode == 3 and "set [plan] universe" in p.stderr,
      f"several channels without a universe: {p.returncode} {p.stderr}")
p = run("optimize", write(os.path.join(d, "max_no_universe.ini"),
                          plan_text("max reach", "300k", universe=False)), "--quiet")
check(p.returncode == 3 and "set [plan] universe" in p.stderr,
      f"max reach without a universe: {p.returncode} {p.stderr}")
big = plan_text("max reach", "300k").replace("audience = 4M", "audience = 12M")
p = run("optimize", write(os.path.join(d, "too_big.ini"), big), "--quiet")
check(p.returncode == 3 and "more than [plan] universe" in p.stderr,
      f"a channel reaching past the universe: {p.returncode} {p.stderr}")

def line_of(text, key_line):
    """The 1-based line of the plan text that starts with key_line."""
    return next(i + 1 for i, l in enumerate(text.splitlines()) if l.startswith(key_line))


# refused at load, so validate says so too, at the key to change
over = plan_text("max conversions", "300k").replace("audience = 4M", "audience = 14M").replace(
    "[channel", "effective_frequency = 3\n[channel", 1)
over_path = write(os.path.join(d, "over_universe_frequency.ini"), over)
for command in ("validate", "optimize"):
    p = run(command, over_path)
    want = f"{over_path}:{line_of(over, 'audience = 14M')}: audience: "
    check(p.returncode == 3 and want in p.stderr and "more than [plan] universe" in p.stderr
          and f"line {line_of(over, 'universe = 10M')}" in p.stderr
          and "lower the channel's audience or raise universe" in p.stderr,
          f"{command}: a channel past the universe with an effective frequency: {p.stderr}")
no_u = plan_text("max conversions", "300k", universe=False).replace(
    "[channel", "effective_frequency = 3\n[channel", 1)
no_u_path = write(os.path.join(d, "frequency_no_universe.ini"), no_u)
p = run("validate", no_u_path)
check(p.returncode == 3 and f"{no_u_path}:{line_of(no_u, 'effective_frequency')}: "
      "effective_frequency: effective_frequency needs [plan] universe" in p.stderr,
      f"validate: effective_frequency without a universe, at its line: {p.stderr}")
mr_no_u = plan_text("max reach", "300k", universe=False)
mr_no_u_path = write(os.path.join(d, "max_reach_no_universe_at.ini"), mr_no_u)
p = run("validate", mr_no_u_path)
check(p.returncode == 3 and f"{mr_no_u_path}:{line_of(mr_no_u, 'objective')}: objective: "
      in p.stderr, f"validate: max reach without a universe, at the objective's line: {p.stderr}")
# a curve channel has a response but no reach: in max reach it is not on the
# margin, and the warning does not ask for the response curve it has
brand = plan_text("max reach", "300k") + ("[channel \"brand\"]\ntype = curve\nresponse = hill\n"
                                          "beta = 1000\nec = 50k\nslope = 1\nmax_spend = 20k\n")
p = run("optimize", write(os.path.join(d, "max_reach_brand.ini"), brand))
margin = next((l for l in p.stdout.splitlines() if "on the margin:" in l), "")
check(p.returncode == 0 and "brand" not in margin
      and re.search(r"^\s+brand\s+brings no reach \(the objective\)", p.stdout, re.M),
      f"max reach: the curve channel is not on the margin: {p.stdout}")
check("other media channels have none" in p.stderr and "add a response curve" not in p.stderr,
      f"max reach: the warning on the curve channel: {p.stderr}")
# a reach bound in % without a universe: one error, not a second on the same row
pct_no_u = plan_text("max conversions", "300k", "[constraint \"r60\"]\nexpr = reach(tf1, meta) >= 60%\n",
                     universe=False)
pct_path = write(os.path.join(d, "pct_no_universe.ini"), pct_no_u)
p = run("validate", pct_path)
errs = [l for l in p.stderr.splitlines() if "r60" in l or "reach(tf1, meta)" in l]
check(p.returncode == 3 and len(errs) == 1 and f":{line_of(pct_no_u, 'expr')}: expr: " in errs[0]
      and "needs [plan] universe" in errs[0], f"validate: one error for a reach % without a universe: {p.stderr}")

# ---- equal weeks under a binding reach row ---------------------------------
# A channel's reach is one curve over its campaign spend, so its weeks (each
# the same one-segment spend curve) are exact ties. The exact figures move
# the reach row's bound and solve the LP again; that new vertex must also go
# through the tie rule (it came back with every euro in week 1).
WEEKS = 6
tied = plan_text("max reach", "500k", "[constraint \"tv-radio\"]\nexpr = reach(tf1, rtl) >= 55%\n")
tied = tied.replace("periods = 2\n", f"periods = {WEEKS}\n")
tied_path = write(os.path.join(d, "max_reach_tied_weeks.ini"), tied)
p, data = optimize_json(tied_path)
check(p.returncode == 0 and data and data["status"] == "optimal", f"tied weeks: {p.stderr}")
if data and data["status"] == "optimal":
    for n in names:
        weeks = [w["spend"] for w in channel(data, n)["periods"]]
        total = sum(weeks)
        check(len(weeks) == WEEKS, f"{n}: {WEEKS} weeks reported: {weeks}")
        check(all(abs(w - total / WEEKS) <= 1e-9 * total for w in weeks),
              f"{n}: equal weeks get equal spends: {weeks}")
    # the reach row binds (a tie broken the other way would not change that)
    pair = U * (1 - math.prod(1 - reach_of(n, channel(data, n)["spend"]) / U for n in ("tf1", "rtl")))
    check(pair >= 0.55 * U * (1 - 1e-9), f"reach(tf1, rtl) >= 55% on the closed form: {pair}")
    check(pair <= 0.55 * U * (1 + 1e-6), f"reach(tf1, rtl) binds: {pair}")
    # the objective is the closed form at the channels' totals, whatever the
    # weekly split: the exact reach of the plan as it was reported before the
    # weeks were spread (each total in week 1), to 1e-9
    vertex = [[channel(data, n)["spend"]] + [0.0] * (WEEKS - 1) for n in names]
    at_vertex = U * (1 - math.prod(1 - reach_of(n, sum(w)) / U for n, w in zip(names, vertex)))
    close(data["objective"]["value"], at_vertex, 1e-9 * at_vertex,
          "tied weeks: the objective is the week-1 vertex's exact reach")
    close(sum(channel(data, n)["spend"] for n in names), 500e3, 1e-6 * 500e3, "tied weeks: budget spent")
    # and the plan is optimal: within its certified gap of scipy's optimum
    # of the product formula over the channels' totals under the reach row
    def pair_reach(x):
        return U * (1 - (1 - reach_of("tf1", x[0]) / U) * (1 - reach_of("rtl", x[1]) / U))

    best = None
    for start in ([1.5e5, 3e5, 5e4], [2.5e5, 2e5, 5e4], [1e5, 3.5e5, 5e4]):
        r = minimize(neg_reach, start, method="SLSQP", bounds=[(0, 500e3)] * 3,
                     constraints=[{"type": "ineq", "fun": lambda x: 500e3 - sum(x)},
                                  {"type": "ineq", "fun": lambda x: pair_reach(x) / U - 0.55}],
                     options={"ftol": 1e-14, "maxiter": 500})
        if r.success and (best is None or r.fun < best.fun):
            best = r
    check(best is not None, "scipy found the optimum under the reach row")
    most = -best.fun if best is not None else float("nan")
    obj = data["objective"]
    check(obj["value"] <= most * (1 + 1e-9), f"tied weeks: no more than scipy's optimum {most}")
    check(obj["value"] >= most * (1 - max(obj["gap"], 1e-9)) - 1,
          f"tied weeks: within the certified gap of scipy's optimum: {obj['value']} vs {most}")
done()
