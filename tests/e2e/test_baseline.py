"""The planner's current plan ([plan] baseline = file.csv) against the
optimised one. The baseline's KPIs are computed here from the closed-form
curves (modelcheck.PlanSpec) at the baseline's spends: a channel-only spend
spread over the periods by the seasonality weights (worked out by hand
below), or the spend per period given by index or start date. Social, TV,
radio (with their MMM responses, inflated prices) and hill / exp curves.
Checked: JSON `baseline` and `uplift`, the terminal lines, which constraints
the baseline breaks (computed here), that the optimised plan does not move,
and the Summary sheet's Baseline-vs-optimised table read back with openpyxl."""
import os

from modelcheck import KPIS, PlanSpec
from mpcommon import *

d = tmpdir("baseline")

SPEC = dict(
    plan={"name": "baseline", "budget": "200k", "start": "2027-03-01", "periods": 4,
          "objective": "max conversions", "universe": "20M", "seasonality": "0.8, 1, 1.2, 1"},
    channels={
        "meta": {"type": "social", "cpm": 8, "ctr": 0.01, "cvr": 0.02, "value": 60,
                 "audience": "10M", "co2": 0.45, "inflation": 0.2, "price_date": "2026-03-01"},
        "tf1": {"type": "tv", "cpp": 4000, "rmax": 0.8, "k": 0.006, "response": "hill",
                "beta": 900, "ec": 30000, "slope": 1, "co2": 60, "inflation": 0.1,
                "price_date": "2026-09-01"},
        "rtl": {"type": "radio", "cpp": 800, "rmax": 0.6, "k": 0.004, "response": "exp",
                "beta": 300, "response_k": 10000, "co2": 8},
        "mmm": {"type": "curve", "response": "exp", "beta": 2500, "k": 60000, "value": 40}},
    constraints={"offline-share": "share(tv, radio) >= 30%", "cpa": "cpa <= 90"})


def plan_with(csv_name, csv_text):
    spec = PlanSpec(dict(SPEC["plan"], baseline=csv_name), SPEC["channels"], SPEC["constraints"])
    write(os.path.join(d, csv_name), csv_text)
    return spec, write(os.path.join(d, csv_name.replace(".csv", ".ini")), spec.ini())


def expected(spec, spends):
    """{channel: kpis}, totals and tolerances from the closed forms at spends
    {channel: [spend per period]}."""
    out, tol = {}, {}
    for name, per in spends.items():
        k, t = dict.fromkeys(KPIS, 0.0), dict.fromkeys(KPIS, 0.0)
        for p, s in enumerate(per):
            v, dv = spec.period_kpis(name, p, s)
            for q in KPIS:
                k[q] += v[q]
                t[q] += dv[q]
        k["spend"], t["spend"] = sum(per), 0.0
        k["reach"], t["reach"] = spec.campaign_reach(name, per)
        out[name], tol[name] = k, t
    return out, tol


def check_baseline_kpis(spec, data, spends, label):
    exp, tol = expected(spec, spends)
    b = data.get("baseline")
    check(b is not None, f"{label}: JSON has baseline")
    if not b:
        return exp
    got = {c["name"]: c for c in b["channels"]}
    for name in spec.channels:
        for q in ("spend",) + KPIS + ("reach",):
            e = exp[name][q]
            close(got[name]["kpis"][q], e, tol[name][q] + 1e-9 * (1 + abs(e)),
                  f"{label}: baseline {name} {q}")
        close(got[name]["unplaced"], 0, 1e-6, f"{label}: {name} all placed")
    for q in ("spend", "conversions", "revenue", "impressions", "co2"):
        e = sum(exp[n][q] for n in spec.channels)
        close(b["kpis"][q], e, 1e-6 * (1 + abs(e)), f"{label}: baseline total {q}")
    conv = sum(exp[n]["conversions"] for n in spec.channels)
    close(b["objective"], conv, 1e-6 * conv, f"{label}: baseline objective = its conversions")
    # uplift = optimised - baseline, in total and per channel
    up = data["uplift"]
    close(up["objective"], data["objective"]["value"] - conv, 1e-6 * conv, f"{label}: uplift")
    close(up["objective_relative"], (data["objective"]["value"] - conv) / conv, 1e-9,
          f"{label}: relative uplift")
    for c in up["channels"]:
        opt = channel(data, c["name"])
        close(c["spend"], opt["spend"] - exp[c["name"]]["spend"], 1e-6, f"{label}: {c['name']} spend uplift")
        close(c["objective"], opt["kpis"]["conversions"] - exp[c["name"]]["conversions"],
              1e-6 * (1 + conv), f"{label}: {c['name']} conversions uplift")
    return exp


def broken_expected(exp, budget):
    """The rows the baseline breaks, computed from the closed-form figures."""
    total = sum(k["spend"] for k in exp.values())
    conv = sum(k["conversions"] for k in exp.values())
    out = set()
    if total > budget:
        out.add("budget")
    if (exp["tf1"]["spend"] + exp["rtl"]["spend"]) / total < 0.30:
        out.add("offline-share")
    if total / conv > 90:
        out.add("cpa")
    return out


# ---- the optimised plan alone, for comparison --------------------------------
plain = PlanSpec(SPEC["plan"], SPEC["channels"], SPEC["constraints"])
p, ref = optimize_json(write(os.path.join(d, "plain.ini"), plain.ini()))
check(p.returncode == 0 and ref, f"plain plan solves: {p.stderr}")

# ---- channel,spend: spread by the seasonality weights 0.8, 1, 1.2, 1 ----------
# Each period's share is its weight over their sum 4.0: 20 %, 25 %, 30 %, 25 %.
spec, ini = plan_with("whole.csv", "channel,spend\nmeta,60k\ntf1,30000\nrtl,10k\nmmm,50000\n")
spread = {"meta": [12000, 15000, 18000, 15000], "tf1": [6000, 7500, 9000, 7500],
          "rtl": [2000, 2500, 3000, 2500], "mmm": [10000, 12500, 15000, 12500]}
p, data = optimize_json(ini)
check(p.returncode == 0 and data, f"whole: exit {p.returncode}: {p.stderr}")
if data and ref:
    close(data["objective"]["value"], ref["objective"]["value"], 0,
          "whole: the optimised plan is the same with a baseline")
    exp = check_baseline_kpis(spec, data, spread, "whole")
    names = {r["name"] for r in data["baseline"]["broken"]}
    want = broken_expected(exp, 200000)
    check("offline-share" in want, "whole: the test's baseline breaks the share floor (40k of 150k)")
    check(names == want, f"whole: broken rows {names}, expected {want}")
    share = [r for r in data["baseline"]["broken"] if r["name"] == "offline-share"]
    if share:
        close(share[0]["value"], 40000 / 150000, 1e-9, "whole: the share the baseline has")
        close(share[0]["bound"], 0.30, 1e-12, "whole: the share's bound")

# ---- channel,period,spend: periods by index or start date, over the budget -----
# 2027-03-01 + 7 t: period 2 starts 2027-03-08, period 4 2027-03-22.
rows = ["channel,period,spend",
        "meta,1,40k", "meta,2027-03-08,40k", "meta,3,30000", "meta,2027-03-22,30k",
        "tf1,1,10k", "tf1,2,10k", "tf1,3,5k",  # nothing in period 4
        "rtl,2027-03-15,4k",
        "mmm,1,15k", "mmm,2,15k", "mmm,3,15k", "mmm,4,15k"]
spec, ini = plan_with("periods.csv", "\n".join(rows) + "\n")
per = {"meta": [40000, 40000, 30000, 30000], "tf1": [10000, 10000, 5000, 0],
       "rtl": [0, 0, 4000, 0], "mmm": [15000] * 4}
book = os.path.join(d, "periods.xlsx")
p, data = optimize_json(ini, "-o", book)
check(p.returncode == 0 and data, f"periods: exit {p.returncode}: {p.stderr}")
if data:
    exp = check_baseline_kpis(spec, data, per, "periods")
    names = {r["name"] for r in data["baseline"]["broken"]}
    want = broken_expected(exp, 200000)
    check({"budget", "offline-share"} <= want, "periods: the test's baseline is over budget, "
          "under the share floor")
    check(names == want, f"periods: broken rows {names}, expected {want}")
    budget = [r for r in data["baseline"]["broken"] if r["name"] == "budget"]
    if budget:
        close(budget[0]["value"], 229000, 1e-6, "periods: the budget row's measure is the spend")
    # the terminal names and marks each broken row, and says the uplift
    t = run("optimize", ini)
    out = t.stdout
    for n in want:
        check(f"! the current plan breaks {n} (" in out, f"periods: terminal marks {n}: {out}")
    conv = sum(k["conversions"] for k in exp.values())
    check("against the current plan (periods.csv): " in out, f"periods: terminal head: {out}")
    check(f"{conv:,.1f} -> " in out, f"periods: terminal says the baseline's {conv:,.1f}")
    # the Summary sheet's table
    import openpyxl
    ws = openpyxl.load_workbook(book)["Summary"]
    cells = [r for r in ws.iter_rows(values_only=True)]
    at = [i for i, r in enumerate(cells) if r[0] == "Current plan (periods.csv) vs optimised"]
    check(len(at) == 1, "periods: Summary has the Baseline-vs-optimised table")
    if at:
        head = cells[at[0] + 1]
        check(head[:6] == ("channel", "current plan spend (EUR)", "optimised spend (EUR)",
                           "current plan (conversions)", "optimised (conversions)",
                           "gain (conversions)"), f"periods: table heading {head}")
        for i, name in enumerate(spec.channels):
            r = cells[at[0] + 2 + i]
            check(r[0] == name, f"periods: table row {i} is {name}")
            close(r[1], sum(per[name]), 1e-6, f"periods: table {name} baseline spend")
            close(r[2], channel(data, name)["spend"], 1e-6, f"periods: table {name} optimised spend")
            close(r[3], exp[name]["conversions"], 1e-6 * (1 + conv), f"periods: table {name} baseline conv")
            close(r[5], channel(data, name)["kpis"]["conversions"] - exp[name]["conversions"],
                  1e-6 * (1 + conv), f"periods: table {name} gain")
        marks = [r[0] for r in cells if r[0] and str(r[0]).startswith("! the current plan breaks ")]
        check({m.split()[5] for m in marks} == want, f"periods: sheet marks {marks}")
        # spends in whole euros, conversions as counts (one decimal below 100)
        first = [c.number_format for c in next(ws.iter_rows(min_row=at[0] + 3, max_row=at[0] + 3))]
        conv_fmt = "[>=100]#,##0;[<=-100]-#,##0;#,##0.0"
        check(first[1:6] == ['#,##0 "\u20ac"'] * 2 + [conv_fmt] * 3,
              f"periods: table formats {first[1:6]}")

# ---- a search channel: its spend split over its keywords as its optimum would --
# Every click brings the same conversions, so the best split of a spend S
# bids one price b on every keyword (a click's marginal cost is the bid):
# cost_k(b) = V_k ctr E[B; B < b] with B log-normal through the top-of-page
# bids (the README's search model), b found here by bisection on
# sum_k cost_k(b) = S. One week in June, prices as exported (no inflation).
import math
from statistics import NormalDist

N = NormalDist()
KW = [("trail shoes", 12100, 0.40, 1.50), ("road shoes", 8100, 0.50, 1.80),
      ("running shoes", 20100, 0.30, 1.20), ("spikes", 5100, 0.60, 2.40),
      ("insoles", 3100, 0.20, 0.90)]
CTR, CVR = 0.05, 0.04
rows = ["Keyword Stats 2026-06-15 at 09_12_40", "June 1, 2025 - May 31, 2026",
        "\t".join(["Keyword", "Currency", "Avg. monthly searches", "Top of page bid (low range)",
                   "Top of page bid (high range)"])]
rows += ["\t".join([k, "EUR", str(v), f"{lo:.2f}", f"{hi:.2f}"]) for k, v, lo, hi in KW]
write(os.path.join(d, "kw.csv"), "\n".join(rows) + "\n")
share = 30 / 30 * 7 / 30  # one week of June: 7 of its 30 days of monthly searches


def at_bid(b):
    cost = clicks = 0.0
    for _, v, lo, hi in KW:
        mu = (math.log(lo) + math.log(hi)) / 2
        sig = (math.log(hi) - math.log(lo)) / (2 * N.inv_cdf(0.8))
        z = (math.log(b) - mu) / sig
        vctr = v * share * CTR
        clicks += vctr * N.cdf(z)
        cost += vctr * math.exp(mu + sig * sig / 2) * N.cdf(z - sig)
    return cost, clicks


SPEND = 120.0
lo_b, hi_b = 0.01, 1.0
check(at_bid(hi_b)[0] > SPEND, "search: the spend is less than every keyword at the ceiling")
for _ in range(200):
    mid = (lo_b + hi_b) / 2
    lo_b, hi_b = (mid, hi_b) if at_bid(mid)[0] < SPEND else (lo_b, mid)
conv = at_bid(lo_b)[1] * CVR
write(os.path.join(d, "search.csv"), f"channel,spend\ngeneric,{SPEND:g}\n")
search_ini = write(os.path.join(d, "search.ini"), f"""[plan]
budget = 5k
start = 2027-06-07
periods = 1
objective = max conversions
baseline = search.csv
[channel "generic"]
type = search
keywords = kw.csv
ctr = {CTR}
cvr = {CVR}
max_cpc = 1.0
""")
p, data = optimize_json(search_ini)
check(p.returncode == 0 and data, f"search: exit {p.returncode}: {p.stderr}")
if data:
    b = data["baseline"]["channels"][0]
    close(b["spend"], SPEND, 1e-6, "search: the baseline's spend is all placed")
    close(b["kpis"]["conversions"], conv, 1e-3 * conv,
          f"search: conversions of the best split (one bid, {lo_b:.4f} EUR, on every keyword)")
# More than every keyword takes at its max_cpc: the rest buys nothing, is left out and said.
top = at_bid(1.0)[0]
write(os.path.join(d, "search.csv"), "channel,spend\ngeneric,900\n")
p, data = optimize_json(search_ini)
if data:
    b = data["baseline"]["channels"][0]
    close(b["spend"], top, 1e-4 * top, "search: the baseline buys every keyword up to its ceiling")
    close(b["unplaced"], 900 - top, 1e-4 * top, "search: the rest is unplaced")
    t = run("optimize", search_ini)
    check("more of the current plan finds nothing left to buy" in t.stdout,
          f"search: the terminal says so: {t.stdout}")

# ---- a baseline the plan does not name: nothing changes ------------------------
if ref:
    check("baseline" not in ref and "uplift" not in ref, "no baseline: no baseline in the JSON")

done()
