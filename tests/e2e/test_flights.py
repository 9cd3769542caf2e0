"""Flights, whole spots and whole insertions: the booked plan is a MIP.

Each rule is checked on the reported plan (GRP per airing period >= min_grp,
airing periods inside the flight, runs >= min_burst, at most
max_active_periods, spend a multiple of spot_cost, whole insertions); a small
flight plan's optimum is checked against every on/off pattern, each
pattern's continuous optimum in closed form here (exp curves: equal
marginals beta/k e^(-x/k) = lambda above each airing period's floor, lambda
by bisection on the budget); the implicit solve against --method direct; bad
keys exit 3 naming file and line."""
import itertools
import json
import math
import os

from mpcommon import *

d = tmpdir("flights")
T, BUDGET = 6, 150000.0
CPP, MIN_GRP, BURST, MAX_ACT = 1000.0, 20.0, 2, 4
FLIGHT = {1, 2, 4, 5, 6}
TV_B, TV_K = 900.0, 30000.0
W_B, W_K = 400.0, 15000.0

PLAN = f"""[plan]
budget = {BUDGET:.0f}
start = 2027-03-01
periods = {T}
objective = max conversions
precision = 0.01%

[channel "telly"]
type = tv
cpp = {CPP:.0f}
response = exp
beta = {TV_B:.0f}
response_k = {TV_K:.0f}
min_grp = {MIN_GRP:.0f}
min_burst = {BURST}
max_active_periods = {MAX_ACT}
flight = 1-2, 4-6

[channel "web"]
type = curve
curve = exp
beta = {W_B:.0f}
k = {W_K:.0f}
"""


def runs(on):
    """Lengths of the runs of 1 in on."""
    out, n = [], 0
    for v in list(on) + [0]:
        if v:
            n += 1
        elif n:
            out.append(n)
            n = 0
    return out


def best_for(on):
    """The most conversions with tv airing exactly in the periods of on (at
    least MIN_GRP GRP there, nothing elsewhere) and web in every period, or
    None when the floors exceed the budget."""
    floor = MIN_GRP * CPP
    if floor * sum(on) > BUDGET:
        return None

    def alloc(lam):
        tv = [max(floor, TV_K * math.log(TV_B / (TV_K * lam))) if o else 0.0 for o in on]
        web = [max(0.0, W_K * math.log(W_B / (W_K * lam)))] * T
        return tv, web

    lo, hi = 1e-12, 1.0
    for _ in range(300):
        lam = math.sqrt(lo * hi)
        tv, web = alloc(lam)
        lo, hi = (lam, hi) if sum(tv) + sum(web) > BUDGET else (lo, lam)
    tv, web = alloc(hi)
    return sum(TV_B * -math.expm1(-x / TV_K) for x in tv) + \
        sum(W_B * -math.expm1(-y / W_K) for y in web)


# ---- the optimum against every on/off pattern -------------------------------
best = None
for on in itertools.product([0, 1], repeat=T):
    if any(on[t] and (t + 1) not in FLIGHT for t in range(T)):
        continue
    if sum(on) > MAX_ACT or any(r < BURST for r in runs(on)):
        continue
    v = best_for(on)
    if v is not None and (best is None or v > best[0]):
        best = (v, on)

plan = write(os.path.join(d, "flights.ini"), PLAN)
p, data = optimize_json(plan)
check(p.returncode == 0 and data, f"optimize: {p.stderr}")
if data:
    close(data["objective"]["value"], best[0], 1e-3 * best[0], "objective vs enumeration")
    check(data.get("mip", {}).get("status") == "optimal", f"mip status: {data.get('mip')}")
    check(data["mip"]["nodes"] >= 1, "mip nodes reported")
    tv = channel(data, "telly")
    grp = [pp["kpis"]["grp"] for pp in tv["periods"]]
    on = [1 if pp["spend"] > 1e-6 else 0 for pp in tv["periods"]]
    # the airing pattern is one of the best (patterns can tie exactly: weeks 4-5 and
    # 5-6 of this plan are worth the same)
    got_v = best_for(tuple(on))
    check(got_v is not None and abs(got_v - best[0]) <= 1e-9 * best[0],
          f"airing pattern {on} worth {got_v} vs enumeration's best {best[1]} worth {best[0]}")
    for t in range(T):
        if on[t]:
            check(grp[t] >= MIN_GRP * (1 - 1e-9), f"period {t + 1}: {grp[t]} GRP >= min_grp")
            check((t + 1) in FLIGHT, f"period {t + 1} airs inside the flight")
        check(tv["periods"][t]["airs"] == bool(on[t]), f"period {t + 1}: airs flag")
    check(all(r >= BURST for r in runs(on)), f"runs {runs(on)} >= min_burst")
    check(sum(on) <= MAX_ACT, "max_active_periods")
    # Its marginal return is the derivative beta/k e^(-x/k) in the periods it airs
    # only: a period off air has no next euro to buy (its first euro's return,
    # beta/k, would overstate it).
    airing = [TV_B / TV_K * math.exp(-pp["spend"] / TV_K) for pp in tv["periods"] if pp["airs"]]
    close(tv["marginal_return"], max(airing), 1e-6 * max(airing),
          "telly: marginal return over the periods it airs")
    # the relaxation's bound stays an upper bound on the booked plan
    check(data["objective"]["bound"] >= data["objective"]["value"] - 1e-9, "bound >= value")

    p2, d2 = optimize_json(plan, "--method", "direct")
    check(p2.returncode == 0 and d2, f"--method direct: {p2.stderr}")
    if d2:
        close(d2["objective"]["value"], data["objective"]["value"],
              1e-6 * abs(data["objective"]["value"]), "direct vs implicit")

# ---- whole spots and insertions ---------------------------------------------
SPOT, GPS, CPI = 2500.0, 2.5, 7000.0
SPOTS = f"""[plan]
budget = 100000
start = 2027-03-01
periods = 4
objective = max conversions
precision = 0.01%

[channel "telly"]
type = tv
spot_cost = {SPOT:.0f}
grp_per_spot = {GPS}
response = exp
beta = 500
response_k = 20000

[channel "daily"]
type = press
cpi = {CPI:.0f}
audience = 500k
readership = 1.5M
response = exp
beta = 300
response_k = 15000

[channel "web"]
type = curve
curve = exp
beta = 200
k = 10000
"""
plan = write(os.path.join(d, "spots.ini"), SPOTS)
p, data = optimize_json(plan)
check(p.returncode == 0 and data, f"optimize spots: {p.stderr}")
if data:
    for name, unit in (("telly", SPOT), ("daily", CPI)):
        for pp in channel(data, name)["periods"]:
            n = pp["spend"] / unit
            check(abs(n - round(n)) < 1e-6, f"{name} period {pp['period']}: {pp['spend']} "
                  f"is a multiple of {unit}")
            check(pp.get("units") == round(n), f"{name} period {pp['period']}: units {pp.get('units')}")
    for pp in channel(data, "telly")["periods"]:
        close(pp["kpis"]["grp"], round(pp["spend"] / SPOT) * GPS, 1e-6, "GRP = spots x grp_per_spot")
    # A channel bought in whole units: its marginal return is the next unit's,
    # (f(x + unit) - f(x)) / unit in the period where that is best, from the
    # closed-form curve at the reported spends (not the next euro's derivative,
    # which no booking can buy).
    for name, unit, beta, k in (("telly", SPOT, 500.0, 20000.0), ("daily", CPI, 300.0, 15000.0)):
        nxt = [beta * (math.exp(-pp["spend"] / k) - math.exp(-(pp["spend"] + unit) / k)) / unit
               for pp in channel(data, name)["periods"]]
        close(channel(data, name)["marginal_return"], max(nxt), 1e-9 * max(nxt),
              f"{name}: marginal return = the next whole unit's")

# continuous = yes relaxes whole insertions
plan = write(os.path.join(d, "cont.ini"), SPOTS.replace("response = exp\nbeta = 300",
                                                        "continuous = yes\nresponse = exp\nbeta = 300"))
p, d3 = optimize_json(plan)
check(p.returncode == 0 and d3, f"continuous: {p.stderr}")
if data and d3:
    check(d3["objective"]["value"] >= data["objective"]["value"] - 1e-6,
          "the relaxed plan does at least as well")

# ---- bad keys: exit 3 at file:line ------------------------------------------
BAD = [
    ("flight = 0-3", "flight"),
    ("flight = 5-9", "flight"),
    ("flight = 1-", "flight"),
    ("min_grp = -4", "min_grp"),
    ("min_burst = 1.5", "min_burst"),
    ("max_active_periods = x", "max_active_periods"),
    ("spot_cost = 2000", "grp_per_spot"),
]
for line, key in BAD:
    text = PLAN.replace("flight = 1-2, 4-6", line)
    path = write(os.path.join(d, "bad.ini"), text)
    lineno = text.splitlines().index(line) + 1
    p = run("validate", path)
    check(p.returncode == 3, f"{line}: exit {p.returncode}")
    check(f"bad.ini:{lineno}" in p.stderr, f"{line}: names line {lineno}: {p.stderr}")
# a typo in a booking key gets its suggestion
text = PLAN.replace(f"min_grp = {MIN_GRP:.0f}", "min_gpr = 20")
path = write(os.path.join(d, "bad.ini"), text)
p = run("validate", path)
check(p.returncode == 3 and 'did you mean "min_grp"' in p.stderr, f"min_gpr: {p.returncode} {p.stderr}")
# a run of min_burst periods that fits in no window of the flight (1-2, 4-6: 3 at most)
text = PLAN.replace(f"min_burst = {BURST}", "min_burst = 4")
path = write(os.path.join(d, "bad.ini"), text)
p = run("validate", path)
lineno = text.splitlines().index("min_burst = 4") + 1
check(p.returncode == 3 and f"bad.ini:{lineno}: min_burst:" in p.stderr and
      "could never air" in p.stderr, f"min_burst past every flight window: {p.returncode} {p.stderr}")
# a tv key on a social channel; continuous on tv
for extra in ("min_grp = 10", "continuous = yes"):
    text = PLAN.replace("k = 15000\n", f"k = 15000\n{extra}\n")
    path = write(os.path.join(d, "bad2.ini"), text)
    lineno = text.splitlines().index(extra) + 1
    p = run("validate", path)
    check(p.returncode == 3 and f"bad2.ini:{lineno}" in p.stderr, f"{extra}: {p.returncode} {p.stderr}")

# ---- what-if sweeps on booked plans ------------------------------------------
# Each scenario is the scenario's own MIP: its booking checked rule by rule on
# the sweep's per-period figures, and its objective against a separate
# optimize of the plan with the change written in (a cost change is a price
# level on the channel: its cpp and its response_k both times 1 + change, the
# same outcome for that much more money, README "What-if runs").


def scenario_plan(text, budget, cost):
    """The plan text of a scenario: its budget, and tv's prices times 1 + cost."""
    out = text.replace(f"budget = {BUDGET:.0f}", f"budget = {budget:.0f}")
    out = out.replace("budget = 100000", f"budget = {budget:.0f}")
    if cost:
        out = out.replace(f"cpp = {CPP:.0f}", f"cpp = {CPP * (1 + cost):.6f}")
        out = out.replace(f"response_k = {TV_K:.0f}", f"response_k = {TV_K * (1 + cost):.6f}")
    return out


def whatif_json(plan_path, *args):
    out = os.path.join(tmpdir("flights_whatif"), "whatif.json")
    p = run("whatif", plan_path, *args, "--json", out, "--quiet")
    data = None
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
    return p, data


def same_as_optimize(text, sc, label):
    """The scenario's objective against optimize of its plan (1e-6 relative)."""
    prm = sc["params"]
    path = write(os.path.join(d, "scenario.ini"),
                 scenario_plan(text, prm.get("budget", BUDGET), prm.get("cpp:telly", 0)))
    p, o = optimize_json(path)
    check(p.returncode == 0 and o, f"{label}: optimize {p.stderr}")
    if o:
        v = o["objective"]["value"]
        close(sc["objective"]["value"], v, 1e-6 * abs(v), f"{label}: sweep vs optimize")
        check(o["mip"]["status"] == sc["mip"]["status"], f"{label}: mip status")


path = write(os.path.join(d, "sweep.ini"), PLAN)
p, w = whatif_json(path, "--vary", "budget=80k,150k", "--vary", "cpp:telly=0%,25%")
check(p.returncode == 0 and w, f"what-if booked: {p.returncode} {p.stderr}")
for sc in (w or {}).get("scenarios", []):
    label = f"flights {sc['params']}"
    check(sc["status"] == "optimal" and sc["mip"]["status"] == "optimal", f"{label}: optimal")
    cpp = CPP * (1 + sc["params"]["cpp:telly"])
    (tv,) = [b for b in sc["booking"] if b["name"] == "telly"]
    on = [1 if pp["spend"] > 1e-6 else 0 for pp in tv["periods"]]
    for t, pp in enumerate(tv["periods"]):
        check(pp["airs"] == bool(on[t]), f"{label}: period {t + 1} airs flag")
        if on[t]:
            check(pp["spend"] / cpp >= MIN_GRP * (1 - 1e-9), f"{label}: period {t + 1} >= min_grp")
            check((t + 1) in FLIGHT, f"{label}: period {t + 1} inside the flight")
    check(all(r >= BURST for r in runs(on)), f"{label}: runs {runs(on)} >= min_burst")
    check(sum(on) <= MAX_ACT, f"{label}: max_active_periods")
    check(sc["objective"]["bound"] >= sc["objective"]["value"] - 1e-9, f"{label}: bound")
    same_as_optimize(PLAN, sc, label)

path = write(os.path.join(d, "sweep_spots.ini"), SPOTS)
p, w = whatif_json(path, "--vary", "budget=40k,70k")
check(p.returncode == 0 and w, f"what-if spots: {p.returncode} {p.stderr}")
for sc in (w or {}).get("scenarios", []):
    label = f"spots {sc['params']}"
    for name, unit in (("telly", SPOT), ("daily", CPI)):
        (b,) = [b for b in sc["booking"] if b["name"] == name]
        for pp in b["periods"]:
            n = pp["spend"] / unit
            check(abs(n - round(n)) < 1e-6 and pp.get("units") == round(n),
                  f"{label}: {name} period {pp['period']}: {pp['spend']} in whole units")
    same_as_optimize(SPOTS, sc, label)

# The Scenarios sheet has each scenario's whole spots and insertions per channel
# (the JSON's booking), each its channel's spend over its unit cost.
import openpyxl
for lang, heads in (("en", ("spots telly", "insertions daily")),
                    ("fr", ("spots telly", "insertions daily"))):
    book = os.path.join(d, f"sweep_spots_{lang}.xlsx")
    p, w = whatif_json(path, "--vary", "budget=40k,70k", "-o", book, "--lang", lang)
    rows = list(openpyxl.load_workbook(book).worksheets[-1].iter_rows(values_only=True)) \
        if p.returncode == 0 and os.path.exists(book) else []
    at = [(i, [r.index(h) if h in r else -1 for h in heads]) for i, r in enumerate(rows)
          if heads[0] in r]
    check(len(at) == 1 and -1 not in at[0][1], f"Scenarios ({lang}): the columns {heads}: {at}")
    if len(at) != 1 or -1 in at[0][1] or not w:
        continue
    i, cols = at[0]
    for sc, r in zip(w["scenarios"], rows[i + 1:i + 1 + len(w["scenarios"])]):
        spend = {c["name"]: c["spend"] for c in sc["channels"]}
        check(r[0] == sc["params"]["budget"], f"Scenarios ({lang}): row of budget {r[0]}")
        for (name, unit), col in zip((("telly", SPOT), ("daily", CPI)), cols):
            close(r[col], spend[name] / unit, 1e-6, f"Scenarios ({lang}), budget {r[0]}: {name}'s units")

# Unbooked plans sweep as before: no mip or booking fields.
path = write(os.path.join(d, "sweep_cont.ini"),
             PLAN.replace("min_grp = 20\nmin_burst = 2\nmax_active_periods = 4\nflight = 1-2, 4-6\n", ""))
p, w = whatif_json(path, "--vary", "budget=80k,150k")
check(p.returncode == 0 and w and all("mip" not in sc and "booking" not in sc
                                      for sc in w["scenarios"]), "unbooked sweep: no mip fields")

done()
