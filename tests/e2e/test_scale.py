"""Numerically sound at any scale a brief can state (README, Limits): budgets
from 1 to 1e12 (a log grid, two points a decade) against unit costs and
response-curve scales of 1e-6 and 1e6, on small plans whose optimum has a
closed form. From the JSON of each what-if sweep (warm and cold) and of a few
optimize runs:

- the LP's objective (objective.lp) never falls as the budget rises, and the
  exact one (objective.value) falls by no more than the curve tolerance;
- total spend <= budget * (1 + 1e-9), every channel's spend within its
  max_spend and its per-period cap (frequency cap, max insertions, max GRP);
- the objective agrees with the optimum computed here: equal marginal returns
  on exp and Michaelis-Menten curves (a bisection on the common marginal
  return, with each curve's spend capped), or the cheapest GRP first. The
  reported (exact) objective lies between that optimum less the curves'
  tolerance and the optimum itself;
- search keywords with bids of 1e-6 and 1e6 (a bid ceiling of 4e6): the
  clicks within what the searches allow.
"""
import json
import math
import os

from mpcommon import *

PRECISION = 1e-4  # the plans' curve tolerance (0.01 %), relative to each curve's range
REL = 1e-9
BUDGETS = [10 ** (e / 2) for e in range(0, 25)]  # 1 .. 1e12

d = tmpdir("scale")


def exp_spend(beta, k, cap, lam):
    """Spend where beta/k e^(-x/k) = lam, within [0, cap]."""
    if beta / k <= lam:
        return 0.0
    return min(cap, k * math.log(beta / (k * lam)))


def mm_spend(beta, k, cap, lam):
    """Spend where beta k / (k + x)^2 = lam, within [0, cap]."""
    if beta / k <= lam:
        return 0.0
    return min(cap, math.sqrt(beta * k / lam) - k)


def optimum(curves, budget):
    """Spends and value of the best plan over concave curves (family, beta, k,
    cap): all caps when they fit in the budget, else equal marginal returns
    lam with the budget spent, lam found by bisection in log space."""
    spend_fn = {"exp": exp_spend, "mm": mm_spend}

    def spends(lam):
        return [spend_fn[f](b, k, cap, lam) for f, b, k, cap in curves]

    if sum(cap for *_, cap in curves) <= budget:
        x = [cap for *_, cap in curves]
    else:
        lo, hi = math.log(1e-300), math.log(1e300)
        for _ in range(300):
            mid = (lo + hi) / 2
            if sum(spends(math.exp(mid))) > budget:
                lo = mid
            else:
                hi = mid
        x = spends(math.exp(hi))
    value = 0.0
    for (f, b, k, _), xi in zip(curves, x):
        value += b * -math.expm1(-xi / k) if f == "exp" else b * xi / (k + xi)
    return x, value


def sweep(name, text, extra=()):
    path = write(os.path.join(d, name + ".ini"), text)
    out = os.path.join(d, name + "-" + "-".join(a.strip("-") for a in extra) + ".json")
    values = ",".join("%.10g" % b for b in BUDGETS)
    p = run("whatif", path, "--vary", "budget=" + values, "--json", out, *extra)
    check(p.returncode == 0, f"{name} {extra}: whatif exit {p.returncode}: {p.stderr[-600:]}")
    if p.returncode != 0:
        return path, []
    with open(out, encoding="utf-8") as f:
        return path, json.load(f)["scenarios"]


def check_frontier(name, scenarios, caps, slack):
    """Non-decreasing objective, spends within the budget and the caps."""
    prev_lp = prev_value = -math.inf
    for s in scenarios:
        b = s["params"]["budget"]
        where = f"{name} at budget {b:g}"
        check(s["status"] == "optimal", f"{where}: status {s['status']}")
        if s["status"] != "optimal":
            continue
        lp, value = s["objective"]["lp"], s["objective"]["value"]
        check(lp >= prev_lp - REL * abs(prev_lp), f"{where}: LP objective {lp!r} < {prev_lp!r}")
        check(value >= prev_value - slack, f"{where}: objective {value!r} < {prev_value!r}")
        prev_lp, prev_value = max(prev_lp, lp), max(prev_value, value)
        check(s["kpis"]["spend"] <= b * (1 + REL), f"{where}: spends {s['kpis']['spend']!r}")
        for c in s["channels"]:
            cap = caps.get(c["name"], math.inf)
            check(c["spend"] <= cap * (1 + REL), f"{where}: {c['name']} spends {c['spend']!r} > {cap!r}")


def check_optimum(name, scenarios, curves, tol):
    """Each scenario's objective against the optimum computed here."""
    for s in scenarios:
        if s["status"] != "optimal":
            continue
        b = s["params"]["budget"]
        _, best = optimum(curves, b)
        value = s["objective"]["value"]
        check(value <= best * (1 + REL) + 1e-12,
              f"{name} at budget {b:g}: {value!r} above the optimum {best!r}")
        check(value >= best - tol, f"{name} at budget {b:g}: {value!r} below the optimum {best!r} "
                                   f"by more than the curves' tolerance {tol:g}")


def check_optimize(name, path, budgets, curves, tol):
    """A few budgets through optimize, each with its value written into the plan."""
    text = open(path, encoding="utf-8").read()
    for b in budgets:
        one = write(os.path.join(d, f"{name}-{b:g}.ini"), text.replace("budget = 1000\n", f"budget = {b:.10g}\n"))
        p, data = optimize_json(one)
        check(p.returncode == 0 and data, f"{name} optimize at {b:g}: exit {p.returncode}: {p.stderr[-400:]}")
        if not data:
            continue
        check(data["kpis"]["spend"] <= b * (1 + REL), f"{name} optimize at {b:g}: spends {data['kpis']['spend']!r}")
        check_optimum(f"{name} optimize", [{"status": "optimal", "params": {"budget": b},
                                            "objective": data["objective"]}], curves, tol)


# 1. Response curves with scales of 1e-6 and 1e6 (exp and Michaelis-Menten), one capped.
curves_plan = f"""[plan]
budget = 1000
start = 2027-03-01
objective = max conversions
precision = {PRECISION * 100:g}%
[channel "tiny"]
type = curve
curve = exp
beta = 100
k = 0.000001
[channel "huge"]
type = curve
curve = exp
beta = 300
k = 1000000
max_spend = 5000000
[channel "mm"]
type = curve
curve = michaelis-menten
beta = 40
k = 0.000001
"""
curves = [("exp", 100, 1e-6, math.inf), ("exp", 300, 1e6, 5e6), ("mm", 40, 1e-6, math.inf)]
# the curves' tolerance: PRECISION of each curve's range (at most its height)
tol = PRECISION * (100 + 300 + 40) * 1.01
for extra in ((), ("--cold",)):
    path, sc = sweep("curves", curves_plan, extra)
    check(len(sc) == len(BUDGETS), f"curves {extra}: {len(sc)} scenarios")
    check_frontier("curves", sc, {"huge": 5e6}, tol)
    check_optimum("curves", sc, curves, tol)
check_optimize("curves", path, [1, 1e6, 1e12], curves, tol)

# 2. Social channels with CPMs of 1e-6 and 1e6 and press with a cost per insertion of
# 1e-6 and 1e6, over two periods of weights 1 and 2. A social curve is
# ctr cvr N w (1 - e^(-1000 x / (cpm N))) up to 20 impressions a person
# (x <= 20 cpm N / 1000); a press curve its response beta w x / (k + x) up to
# max_insertions x cpi.
weights = [1.0, 2.0]
social = [("cheap", 1e-6, 1e6), ("dear", 1e6, 1e6)]  # name, cpm, audience
press = [("daily", 1e6, 80, 1e6), ("weekly", 1e-6, 60, 1e-6)]  # name, cpi, beta, response_k
mixed_plan = f"""[plan]
budget = 1000
start = 2027-03-01
periods = 2
seasonality = 1, 2
objective = max conversions
precision = {PRECISION * 100:g}%
"""
for name, cpm, n in social:
    mixed_plan += f"[channel \"{name}\"]\ntype = social\ncpm = {cpm:g}\naudience = {n:g}\nctr = 1%\ncvr = 5%\n"
for name, cpi, beta, k in press:
    mixed_plan += (f"[channel \"{name}\"]\ntype = press\ncpi = {cpi:g}\naudience = 100k\nmax_insertions = 3\ncontinuous = yes\n"
                   f"response = michaelis-menten\nbeta = {beta:g}\nresponse_k = {k:g}\n")
mixed, caps = [], {}
for w in weights:
    for name, cpm, n in social:
        mixed.append(("exp", 0.01 * 0.05 * n * w, cpm * n / 1000, 20 * cpm * n / 1000))
    for name, cpi, beta, k in press:
        mixed.append(("mm", beta * w, k, 3 * cpi))
for name, cpm, n in social:
    caps[name] = 2 * 20 * cpm * n / 1000  # both periods at the frequency cap
for name, cpi, *_ in press:
    caps[name] = 2 * 3 * cpi
tol = PRECISION * sum(b for _, b, *_ in mixed) * 1.01
for extra in ((), ("--cold",)):
    path, sc = sweep("mixed", mixed_plan, extra)
    check(len(sc) == len(BUDGETS), f"mixed {extra}: {len(sc)} scenarios")
    check_frontier("mixed", sc, caps, tol)
    check_optimum("mixed", sc, mixed, tol)
check_optimize("mixed", path, [1, 3.16227766e5, 1e12], mixed, tol)

# 3. GRP at a cost per GRP of 1e-6 (at most 1e6 GRP) and of 1e6: linear, so the
# best plan buys the cheap GRP first: GRP = min(B, 1) / 1e-6 + max(0, B - 1) / 1e6.
grp_plan = """[plan]
budget = 1000
start = 2027-03-01
objective = max grp
universe = 10M
[channel "cheap-tv"]
type = tv
cpp = 0.000001
max_grp = 1000000
[channel "dear-radio"]
type = radio
cpp = 1000000
"""
for extra in ((), ("--cold",)):
    _, sc = sweep("grp", grp_plan, extra)
    check(len(sc) == len(BUDGETS), f"grp {extra}: {len(sc)} scenarios")
    check_frontier("grp", sc, {"cheap-tv": 1.0}, 0)
    for s in sc:
        b = s["params"]["budget"]
        best = min(b, 1.0) / 1e-6 + max(0.0, b - 1.0) / 1e6
        if s["status"] == "optimal":
            close(s["objective"]["value"], best, 1e-9 * best, f"grp at budget {b:g}")

# 4. Search with bids of 1e-6 to 5e-6 and of 1e6 to 5e6 (a bid ceiling of 4e6), two
# months: the frontier and the budget as above, and the clicks bounded by the
# searches: each channel has at most ctr x monthly searches x months = 2,500
# clicks, and at a budget of 1e12 the cheap one buys every click its curves
# reach (they run to the 99.9th-percentile bid), over 99.8 % of its 2,500.
header = ("Keyword Stats 2026-06-15 at 09_00_00\n\"June 1, 2025 - May 31, 2026\"\nKeyword\tCurrency\t"
          "Avg. monthly searches\tCompetition (indexed value)\tTop of page bid (low range)\t"
          "Top of page bid (high range)\n")
write(os.path.join(d, "cheap.csv"), header + "cheap one\tEUR\t5000\t30\t0.000001\t0.000003\n"
      "cheap two\tEUR\t20000\t60\t0.000002\t0.000005\n")
write(os.path.join(d, "dear.csv"), header + "dear one\tEUR\t5000\t30\t1000000\t3000000\n"
      "dear two\tEUR\t20000\t60\t2000000\t5000000\n")
search_plan = f"""[plan]
budget = 1000
start = 2027-01-04
period = month
periods = 2
objective = max clicks
precision = {PRECISION * 100:g}%
[channel "cheap"]
type = search
keywords = cheap.csv
ctr = 5%
cvr = 5%
inflation = 0
[channel "dear"]
type = search
keywords = dear.csv
ctr = 5%
cvr = 5%
inflation = 0
max_cpc = 4000000
"""
searches = 0.05 * (5000 + 20000) * 2  # clicks at most: ctr x monthly searches x months, per channel
for extra in ((), ("--cold",)):
    _, sc = sweep("search", search_plan, extra)
    check(len(sc) == len(BUDGETS), f"search {extra}: {len(sc)} scenarios")
    check_frontier("search", sc, {}, PRECISION * 2 * searches)
    for s in sc:
        if s["status"] == "optimal":
            check(s["objective"]["value"] <= 2 * searches * (1 + REL),
                  f"search at budget {s['params']['budget']:g}: {s['objective']['value']!r} clicks")
    # at 1e12 the cheap channel alone has every click its curves reach (99.9 % of its auctions)
    top = sc[-1]["objective"]["value"] if sc and sc[-1]["status"] == "optimal" else 0
    check(top >= 0.998 * searches, f"search at 1e12: {top!r} clicks, below 99.8 % of {searches:g}")

done()
