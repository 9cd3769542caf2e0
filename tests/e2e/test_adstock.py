"""Carryover (adstock): the response in period t is the channel's curve at
a_t = x_t + lambda a_{t-1}, a_0 carried in (carryover_in, or a history
file), and [plan] count_after = k adds the response of the k periods after
the plan, at lambda^j a_T. Every expected figure comes from the closed-form
curves here: a_t by the recursion over the reported spends, the curve at
a_t, scipy on the closed-form concave problem, glpsol on the exported LP."""
import math
import os
import re
import subprocess
import zipfile

import numpy as np
from scipy.optimize import minimize

from mpcommon import *

GLPSOL = os.environ.get("GLPSOL", "glpsol")
d = tmpdir("adstock")

# ---- tv (hill of slope 1: beta a / (ec + a)) with 30k carried in, beside a
# curve channel without carryover (exp) --------------------------------------
T, LAM, A0, K_AFTER, BUDGET = 6, 0.6, 30000.0, 4, 240000.0
TV_BETA, TV_EC, TV_CPP = 900.0, 30000.0, 1500.0
C_BETA, C_K = 600.0, 15000.0
PLAN = f"""[plan]
budget = {BUDGET:.0f}
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
"""


def f_tv(a):
    return TV_BETA * a / (TV_EC + a)


def f_c(x):
    return C_BETA * -math.expm1(-x / C_K)


def adstocks(spends, lam, a0):
    out, a = [], a0
    for x in spends:
        a = x + lam * a
        out.append(a)
    return out


def total(z):
    """The plan's objective in closed form: tv's response at its adstocks and
    after the plan, the curve channel's at its spends."""
    a = adstocks(z[:T], LAM, A0)
    v = sum(f_tv(x) for x in a) + sum(f_tv(LAM ** j * a[-1]) for j in range(1, K_AFTER + 1))
    return v + sum(f_c(x) for x in z[T:])


plan = write(os.path.join(d, "tv.ini"), PLAN)
p, data = optimize_json(plan)
check(p.returncode == 0 and data and data["status"] == "optimal", f"tv plan: {p.stderr}")
tv, web = channel(data, "telly"), channel(data, "web")
x = [q["spend"] for q in tv["periods"]]
a = adstocks(x, LAM, A0)
for t in range(T):
    check(x[t] >= -1e-6, f"tv spend in period {t + 1} is not negative")
    close(tv["periods"][t]["adstock"], a[t], 1e-6 * a[t], f"tv adstock in period {t + 1}")
    close(tv["periods"][t]["kpis"]["conversions"], f_tv(a[t]), 1e-7 * f_tv(a[t]),
          f"tv conversions in period {t + 1} at its adstock")
    close(tv["periods"][t]["kpis"]["grp"], x[t] / TV_CPP, 1e-7 * (1 + x[t] / TV_CPP),
          f"tv GRP in period {t + 1} from the money paid")
after = sum(f_tv(LAM ** j * a[-1]) for j in range(1, K_AFTER + 1))
close(tv["after_plan"]["conversions"], after, 1e-7 * after, "tv's response after the plan")
close(data["after_plan"]["conversions"], after, 1e-7 * after, "the plan's response after it")
close(tv["carryover"]["carried_in"], A0, 1e-9, "tv's carried-in adstock")
close(tv["spend"], sum(x), 1e-6 * sum(x), "tv's spend is the money paid")
close(data["kpis"]["spend"], BUDGET, 1e-6 * BUDGET, "the budget is spent")
z = np.array(x + [q["spend"] for q in web["periods"]])
value = total(z)
close(data["objective"]["value"], value, 1e-7 * value, "objective: closed form at the spends")
bound = data["objective"]["bound"]
check(bound >= value * (1 - 1e-9), "the certified bound is above the plan")

# scipy on the closed-form concave problem: the best of a few SLSQP starts,
# one of them the reported plan, never beats the certified bound, and the
# plan is within its gap of it.
cons = [{"type": "ineq", "fun": lambda v: BUDGET - v.sum()}]
starts = [np.full(2 * T, BUDGET / (2 * T)), z.copy(), np.r_[np.full(T, BUDGET / T / 1.5),
                                                              np.full(T, BUDGET / T / 3)]]
best = -math.inf
for s in starts:
    r = minimize(lambda v: -total(v), s, method="SLSQP", bounds=[(0, None)] * (2 * T),
                 constraints=cons, options={"ftol": 1e-12, "maxiter": 500})
    if r.x.sum() <= BUDGET * (1 + 1e-9):
        best = max(best, -r.fun)
check(best <= bound * (1 + 1e-7), f"scipy's optimum {best} above the certified bound {bound}")
check(value >= best * (1 - 1e-3), f"plan {value} within 0.1 % of scipy's optimum {best}")

# the explicit LP: --method direct and glpsol on the exported LP agree with
# the implicit solve's LP objective; the LP carries the spend >= 0 rows
lp_obj = data["objective"]["lp"]
p2, d2 = optimize_json(plan, "--method", "direct")
check(p2.returncode == 0 and d2, f"--method direct: {p2.stderr}")
if d2:
    close(d2["objective"]["lp"], lp_obj, 1e-6 * lp_obj, "--method direct vs the implicit solve")
    close(d2["objective"]["value"], value, 1e-6 * value, "--method direct's plan")
lp = os.path.join(d, "tv.lp")
p3 = run("export-lp", plan, "-o", lp)
check(p3.returncode == 0, f"export-lp: {p3.stderr}")
text = open(lp).read()
check(len(re.findall(r"^ *carry_telly_t\d+:", text, re.M)) == T, "a spend >= 0 row a period")
check("carried_in" not in text, "a response objective has no constant to carry in")


def glpsol_objective(path):
    """glpsol's optimum on an LP file, to all its digits (its -w solution file)."""
    sol = path + ".sol"
    g = subprocess.run([GLPSOL, "--lp", path, "-w", sol], capture_output=True, text=True)
    m = re.search(r"^s bas \d+ \d+ f f ([-+0-9.eE]+)$", open(sol).read(), re.M) \
        if os.path.exists(sol) else None
    check(g.returncode == 0 and m is not None, f"glpsol on {path}: {g.stdout}")
    return float(m.group(1)) if m else None


g = glpsol_objective(lp)
if g is not None:
    close(lp_obj, g, 1e-9 * lp_obj, "LP objective vs glpsol")

# the terminal says what carries over and what comes after the plan
p4 = run("optimize", plan)
check("carryover: telly keeps 60.0% of its adstock" in p4.stdout, f"terminal: {p4.stdout}")
check("after the plan:" in p4.stdout, "terminal: the response after the plan")
p5 = subprocess.run([MIXPLAN, "optimize", plan], capture_output=True, text=True,
                    env={**os.environ, "LANG": "fr_FR.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
check("report\u00a0: telly garde 60,0\u00a0% de son adstock" in p5.stdout and "après le plan\u00a0:" in p5.stdout, f"terminal in French: {p5.stdout}")

# the workbook's Summary says the same, in English and in French
for lang, words in (("en", ["Carryover", "keeps 60.0% of its adstock from one week",
                            "After the plan:"]),
                    ("fr", ["Report (adstock)", "garde 60,0\u00a0% de son adstock d'une semaine",
                            "Après le plan\u00a0:"])):
    book = os.path.join(d, f"tv_{lang}.xlsx")
    p6 = run("optimize", plan, "-o", book, "--quiet", "--lang", lang)
    check(p6.returncode == 0, f"workbook ({lang}): {p6.stderr}")
    with zipfile.ZipFile(book) as z:
        strings = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                          if n.startswith("xl/") and n.endswith(".xml"))
    strings = strings.replace("&apos;", "'")
    for w in words:
        check(w in strings, f"workbook ({lang}) says {w!r}")

# a CPA cap on the carrying-over channel counts its response after the plan
# too (its last period's curve carries it): binding, met on the closed form,
# and the plan still within its gap of scipy's optimum under the same cap
CPA = 27.0
cplan = write(os.path.join(d, "cpa.ini"), PLAN + f'[constraint "cpa"]\nexpr = cpa(telly) <= {CPA:.0f}\n')
p, data = optimize_json(cplan)
check(p.returncode == 0 and data and data["status"] == "optimal", f"cpa plan: {p.stderr}")
if data:
    tv = channel(data, "telly")
    x = [q["spend"] for q in tv["periods"]]
    z = np.array(x + [q["spend"] for q in channel(data, "web")["periods"]])
    a = adstocks(x, LAM, A0)
    conv = sum(f_tv(v) for v in a) + sum(f_tv(LAM ** j * a[-1]) for j in range(1, K_AFTER + 1))
    cpa = sum(x) / conv
    close(cpa, CPA, 1e-6 * CPA, "the CPA cap binds on the closed form")
    value, bound = total(z), data["objective"]["bound"]
    close(data["objective"]["value"], value, 1e-7 * value, "cpa plan: objective at the spends")

    def cpa_room(v):
        aa = adstocks(v[:T], LAM, A0)
        c = sum(f_tv(u) for u in aa) + sum(f_tv(LAM ** j * aa[-1]) for j in range(1, K_AFTER + 1))
        return CPA * c - v[:T].sum()

    cons2 = cons + [{"type": "ineq", "fun": cpa_room}]
    best = -math.inf
    for s0 in (z.copy(), np.full(2 * T, BUDGET / (2 * T))):
        r = minimize(lambda v: -total(v), s0, method="SLSQP", bounds=[(0, None)] * (2 * T),
                     constraints=cons2, options={"ftol": 1e-12, "maxiter": 500})
        if r.x.sum() <= BUDGET * (1 + 1e-9) and cpa_room(r.x) >= -1e-6 * BUDGET:
            best = max(best, -r.fun)
    check(best <= bound * (1 + 1e-7), f"cpa plan: scipy's {best} above the bound {bound}")
    check(value >= best * (1 - 1e-3), f"cpa plan: {value} within 0.1 % of scipy's {best}")

# rows over the money paid: a period's budget, a channel's max_spend and a
# de-duplicated reach floor over the campaign's money (tv and radio reach
# closed forms, defaults rmax 85 % and k 0.0058 per GRP), on both cores
U, RADIO_CPP = 10e6, 800.0
RPLAN = (PLAN.replace("count_after = 4", "count_after = 4\nuniverse = 10M")
         .replace("carryover_in = 30k", "carryover_in = 30k\nmax_spend = 120k")
         + f'[channel "radio1"]\ntype = radio\ncpp = {RADIO_CPP:.0f}\ncurve = exp\nbeta = 300\n'
         + 'response_k = 20k\n[period 2]\nbudget = 20k\n'
         + '[constraint "reach"]\nexpr = reach(telly, radio1) >= 40%\n')
rplan = write(os.path.join(d, "rows.ini"), RPLAN)
for method in ("auto", "direct"):
    p, data = optimize_json(rplan, "--method", method)
    check(p.returncode == 0 and data and data["status"] == "optimal", f"rows plan ({method}): {p.stderr}")
    if not data:
        continue
    per2 = sum(c["periods"][1]["spend"] for c in data["channels"])
    check(per2 <= 20000 * (1 + 1e-9), f"{method}: period 2's budget holds ({per2})")
    tv = channel(data, "telly")
    check(tv["spend"] <= 120000 * (1 + 1e-9), f"{method}: telly's max_spend holds")
    for t, q in enumerate(tv["periods"]):
        check(q["spend"] >= -1e-6, f"{method}: telly pays nothing negative in period {t + 1}")
    r = [U * 0.85 * -math.expm1(-0.0058 * channel(data, n)["spend"] / cpp)
         for n, cpp in (("telly", TV_CPP), ("radio1", RADIO_CPP))]
    dedup = U * (1 - (1 - r[0] / U) * (1 - r[1] / U))
    check(dedup >= 0.4 * U * (1 - 1e-7), f"{method}: the reach floor holds on the closed form ({dedup})")
    a = adstocks([q["spend"] for q in tv["periods"]], LAM, A0)
    close(sum(q["kpis"]["conversions"] for q in tv["periods"]), sum(f_tv(v) for v in a),
          1e-7 * sum(f_tv(v) for v in a), f"{method}: telly's conversions at its adstocks")

# ---- a curve channel (exp) whose carried-in adstock comes from a history
# file, monthly periods -------------------------------------------------------
HLAM, HB, HK = 0.5, 60000.0, 50000.0
past = [("2026-12-01", 40000.0), ("2026-11-01", 20000.0), ("2026-10-01", 10000.0)]
write(os.path.join(d, "past.csv"), "channel,period_start,spend\n" +
      "".join(f"x1,{day},{v:.0f}\n" for day, v in past) + "other,2026-12-01,99\n")
HPLAN = f"""[plan]
budget = 300k
start = 2027-01-01
periods = 4
period = month
objective = max revenue
precision = 0.01%
count_after = 2

[channel "x1"]
type = curve
curve = exp
beta = {HB:.0f}
k = {HK:.0f}
kpi = revenue
adstock = {HLAM}
history = past.csv

[channel "x2"]
type = curve
curve = michaelis-menten
beta = 90k
k = 40k
kpi = revenue
"""
a0 = sum(v * HLAM ** j for j, (_, v) in enumerate(past))  # December is j = 0
hplan = write(os.path.join(d, "hist.ini"), HPLAN)
p, data = optimize_json(hplan)
check(p.returncode == 0 and data and data["status"] == "optimal", f"history plan: {p.stderr}")
x1 = channel(data, "x1")
close(x1["carryover"]["carried_in"], a0, 1e-9, "adstock carried in from the history")
hx = [q["spend"] for q in x1["periods"]]
ha = adstocks(hx, HLAM, a0)
for t, q in enumerate(x1["periods"]):
    rev = HB * -math.expm1(-ha[t] / HK)
    close(q["adstock"], ha[t], 1e-6 * ha[t], f"x1 adstock in month {t + 1}")
    close(q["kpis"]["revenue"], rev, 1e-7 * rev, f"x1 revenue in month {t + 1} at its adstock")
hafter = sum(HB * -math.expm1(-HLAM ** j * ha[-1] / HK) for j in (1, 2))
close(x1["after_plan"]["revenue"], hafter, 1e-7 * hafter, "x1's revenue after the plan")
hd = optimize_json(hplan, "--method", "direct")[1]
if hd:
    close(hd["objective"]["lp"], data["objective"]["lp"], 1e-6 * abs(data["objective"]["lp"]),
          "history plan: --method direct vs the implicit solve")

# ---- objectives over what spend buys, counted on the money paid x_t =
# a_t - lambda a_{t-1}: the LP's objective weighs period t's curve by its
# yield less lambda times period t+1's, and the carried-in adstock takes
# lambda a_0 times period 1's yield off it ----------------------------------
CONV = 4000.0
def tv_conv(xs):
    aa = adstocks(xs, LAM, A0)
    return sum(f_tv(u) for u in aa) + sum(f_tv(LAM ** j * aa[-1]) for j in range(1, K_AFTER + 1))


def min_paid(n_web):
    """scipy: the least money paid (tv's T periods, then n_web web periods)
    that buys CONV conversions on the closed forms."""
    def conv(v):
        return tv_conv(v[:T]) + sum(f_c(u) for u in v[T:])
    n = T + n_web
    cons_c = [{"type": "ineq", "fun": lambda v: conv(v) - CONV}]
    best = math.inf
    for s0 in (np.full(n, 15000.0), np.full(n, 40000.0), np.r_[np.full(T, 30000.0), np.full(n_web, 5000.0)]):
        r = minimize(lambda v: v.sum(), s0, method="SLSQP", bounds=[(0, None)] * n,
                     constraints=cons_c, options={"ftol": 1e-12, "maxiter": 1000})
        if conv(r.x) >= CONV * (1 - 1e-7):
            best = min(best, r.x.sum())
    return best


cost_text = (PLAN.replace("objective = max conversions", "objective = min cost")
             + f'[constraint "conv"]\nexpr = conversions >= {CONV:.0f}\n')
co2_text = (cost_text.replace("objective = min cost", "objective = min co2")
            .replace("carryover_in = 30k", "carryover_in = 30k\nco2 = 12"))
co2_text = co2_text[:co2_text.index('[channel "web"]')] + co2_text[co2_text.index('[constraint'):]
cost_best, co2_best = min_paid(T), min_paid(0) * 12 / TV_CPP
for name, text, best, key in (("cost", cost_text, cost_best, "spend"),
                              ("co2", co2_text, co2_best, "co2")):
    path = write(os.path.join(d, f"min_{name}.ini"), text)
    for method in ("auto", "direct"):
        p, data = optimize_json(path, "--method", method)
        check(p.returncode == 0 and data and data["status"] == "optimal",
              f"min {name} ({method}): {p.stderr}")
        if method == "auto":
            auto = data
        if not data:
            continue
        tv = channel(data, "telly")
        xs = [q["spend"] for q in tv["periods"]]
        paid = sum(c["spend"] for c in data["channels"])
        value = paid if key == "spend" else sum(xs) * 12 / TV_CPP
        close(data["objective"]["value"], value, 1e-7 * value,
              f"min {name} ({method}): the objective is what the money paid buys")
        close(data["kpis"][key], value, 1e-7 * value, f"min {name} ({method}): the plan's {key}")
        conv = tv_conv(xs) + sum(f_c(q["spend"]) for c in data["channels"] if c["name"] == "web"
                                 for q in c["periods"])
        check(conv >= CONV * (1 - 1e-4), f"min {name} ({method}): the conversions floor ({conv})")
        bound = data["objective"]["bound"]
        check(bound <= value * (1 + 1e-9), f"min {name} ({method}): bound {bound} below the plan {value}")
        check(bound <= best * (1 + 1e-7), f"min {name} ({method}): bound {bound} below scipy's {best}")
        check(value <= best * (1 + 2e-3), f"min {name} ({method}): plan {value} near scipy's {best}")
        gap = data["objective"]["gap"]
        close(gap, (value - bound) / bound, 1e-9 + 1e-6 * gap, f"min {name} ({method}): the gap")
    if name == "cost":  # glpsol on the exported LP (solved as optimize --method auto
        # solves it): the constant -lambda a_0 (period 1's yield over the money paid
        # is 1) is the objective coefficient of a column carried_in fixed at 1
        lp = os.path.join(d, "min_cost.lp")
        check(run("export-lp", path, "-o", lp).returncode == 0, "min cost: export-lp")
        text = open(lp).read()
        c0 = re.search(r"([-+]) ([0-9.eE+-]+) carried_in\b", text)
        check(c0 is not None and re.search(r"^ *carried_in = 1$", text, re.M) is not None,
              "min cost: the carried-in constant as a column fixed at 1")
        if c0:
            close(float(c0.group(2)) * (-1 if c0.group(1) == "-" else 1), -LAM * A0, 1e-12 * LAM * A0,
                  "min cost: carried_in's coefficient is -lambda a_0")
        g = glpsol_objective(lp)
        if g is not None and auto:
            lp_cost = auto["objective"]["lp"]
            close(g, lp_cost, 1e-9 * abs(lp_cost), "min cost: glpsol's optimum is objective.lp")

# max grp / max impressions with tv capped at 40 GRP of adstock a period: the
# most money paid keeps a_t = 60k every period, x_1 = 60k - lambda a_0 and x_t
# = (1 - lambda) 60k after; web buys no GRP. The budget does not bind.
CAP = 40 * TV_CPP
grp_paid = CAP - LAM * A0 + (T - 1) * (1 - LAM) * CAP
for kpi, per_money in (("grp", 1 / TV_CPP), ("impressions", 1e7 / 100 / TV_CPP)):
    text = (PLAN.replace("objective = max conversions", f"objective = max {kpi}\nuniverse = 10M")
            .replace("carryover_in = 30k", "carryover_in = 30k\nmax_grp = 40"))
    path = write(os.path.join(d, f"max_{kpi}.ini"), text)
    want = grp_paid * per_money
    for method in ("auto", "direct"):
        p, data = optimize_json(path, "--method", method)
        check(p.returncode == 0 and data and data["status"] == "optimal", f"max {kpi} ({method}): {p.stderr}")
        if not data:
            continue
        close(data["objective"]["value"], want, 1e-7 * want, f"max {kpi} ({method}): the closed form")
        close(channel(data, "telly")["spend"], grp_paid, 1e-6 * grp_paid, f"max {kpi} ({method}): money paid")
        bound = data["objective"]["bound"]
        check(want * (1 - 1e-9) <= bound <= want * (1 + 1e-7), f"max {kpi} ({method}): bound {bound}")

# ---- bad keys and a bad history file: exit 3, file and line ------------------
KW = os.path.join(SRC, "datasets", "keywords", "uk_consulting.csv")


def bad(name, text, where, files=()):
    for fname, body in files:
        write(os.path.join(d, fname), body)
    path = write(os.path.join(d, name), text)
    r = run("validate", path)
    check(r.returncode == 3, f"{name}: exit {r.returncode}, expected 3: {r.stderr}")
    check(where in r.stderr, f"{name}: {where!r} not in {r.stderr!r}")


base = "[plan]\nbudget = 100k\nstart = 2027-01-01\nperiods = 4\nperiod = month\n"
curve = '[channel "x1"]\ntype = curve\ncurve = exp\nbeta = 60k\nk = 50k\n'
bad("search.ini", base + f'[channel "s"]\ntype = search\nkeywords = {KW}\nadstock = 0.5\n',
    "search.ini:9: adstock")
bad("one.ini", base + curve + "adstock = 1\n", "one.ini:11: adstock")
bad("neg.ini", base + curve + "adstock = -0.2\n", "neg.ini:11: adstock")
bad("noadstock.ini", base + curve + "carryover_in = 10k\n", "noadstock.ini:11: carryover_in")
bad("both.ini", base + curve + "adstock = 0.5\ncarryover_in = 1k\nhistory = p.csv\n",
    "both.ini:13: history", [("p.csv", "channel,period_start,spend\nx1,2026-12-01,1\n")])
bad("after.ini", base.replace("period = month\n", "period = month\ncount_after = two\n") + curve,
    "after.ini:6: count_after")
bad("date.ini", base + curve + "adstock = 0.5\nhistory = d.csv\n", "d.csv:3: period_start",
    [("d.csv", "channel,period_start,spend\nx1,2026-12-01,1\nx1,2026-12-15,1\n")])
bad("late.ini", base + curve + "adstock = 0.5\nhistory = l.csv\n", "l.csv:2: period_start",
    [("l.csv", "channel,period_start,spend\nx1,2027-02-01,1\n")])
bad("spend.ini", base + curve + "adstock = 0.5\nhistory = s.csv\n", "s.csv:2: spend",
    [("s.csv", "channel,period_start,spend\nx1,2026-12-01,lots\n")])
bad("head.ini", base + curve + "adstock = 0.5\nhistory = h.csv\n", "h.csv:1:",
    [("h.csv", "channel,week,spend\nx1,2026-12-01,1\n")])
bad("missing.ini", base + curve + "adstock = 0.5\nhistory = nothere.csv\n", "missing.ini:12: history")
done()
