"""What-if runs: warm re-solves equal cold ones, scenario by scenario; the
objective falls as inflation rises; the budget frontier rises and is concave;
scenario values against closed forms; infeasible scenarios kept; the
Scenarios sheet equals the JSON."""
import json
import math
import os
from datetime import date
from statistics import NormalDist

import openpyxl

from mpcommon import *

# the workbook heads a media family as a planner does (report.c media_words)
MEDIA_HEADING = {"search": "Paid search", "social": "Social", "tv": "TV", "radio": "Radio",
                 "press": "Press", "curve": "Other media", "digital": "Digital", "offline": "Offline"}

valgrind_sample(6)  # many re-solves of a few plans: see mpcommon.valgrind_sample

d = tmpdir("whatif")
ex = os.path.join(SRC, "datasets", "examples")


def whatif(plan, *args):
    out = os.path.join(d, "w.json")
    if os.path.exists(out):
        os.remove(out)
    p = run("whatif", plan, "--json", out, "--quiet", *args)
    data = json.load(open(out)) if os.path.exists(out) else None
    return p, data


def objectives(data):
    return [s["objective"]["value"] for s in data["scenarios"]]


# 1. Inflation sweep on the spring launch: warm equals cold on every scenario,
#    and the objective never rises with inflation.
spring = os.path.join(ex, "spring_launch.ini")
p, warm = whatif(spring, "--vary", "inflation=0%..30%/2.5%")
check(p.returncode == 0, f"sweep: exit {p.returncode}: {p.stderr}")
p, cold = whatif(spring, "--vary", "inflation=0%..30%/2.5%", "--cold")
check(p.returncode == 0, f"cold sweep: exit {p.returncode}: {p.stderr}")
check(len(warm["scenarios"]) == 13, f"13 scenarios, got {len(warm['scenarios'])}")
for a, b in zip(objectives(warm), objectives(cold)):
    close(a, b, 1e-6 * abs(b), "warm start equals cold solve")
for ws_, cs_ in zip(warm["scenarios"], cold["scenarios"]):
    for x, y in zip(ws_["channels"], cs_["channels"]):
        close(x["spend"], y["spend"], 1e-4 * 450000, f"warm/cold spend {x['name']}")
obj = objectives(warm)
for i in range(1, len(obj)):
    check(obj[i] <= obj[i - 1] * (1 + 1e-9), f"objective rises from {obj[i - 1]} to {obj[i]}")
# The scenario at the plan's own rate (the plan says 9 %) is the optimize run:
# exactly when no scenario is cheaper (the curves then cover the same range),
# within the curve tolerance otherwise.
p, base = optimize_json(spring)
p, nine = whatif(spring, "--vary", "inflation=9%,10%")
close(nine["scenarios"][0]["objective"]["value"], base["objective"]["value"],
      1e-9 * base["objective"]["value"], "scenario at the plan's rate = optimize")
p, wide = whatif(spring, "--vary", "inflation=0%,9%")
close(wide["scenarios"][1]["objective"]["value"], base["objective"]["value"],
      2e-3 * base["objective"]["value"], "same, with cheaper scenarios in the run")
# A plan without inflation: the 0 % scenario equals optimize.
flat = write(os.path.join(d, "flat.ini"), open(spring).read().replace(
    "inflation   = 9%", "inflation   = 0%").replace("inflation = 9%", "inflation = 0%").replace(
    "../", ex + "/../"))
p, b0 = optimize_json(flat)
p, w0 = whatif(flat, "--vary", "inflation=0%..20%/10%")
close(w0["scenarios"][0]["objective"]["value"], b0["objective"]["value"],
      1e-9 * b0["objective"]["value"], "inflation 0 equals optimize")
close(nine["base"]["objective"]["value"], base["objective"]["value"], 1e-9 * base["objective"]["value"],
      "the run's base is the optimize result")
# Each scenario keeps the plan's constraints.
for s in warm["scenarios"]:
    ch = {c["name"]: c["spend"] for c in s["channels"]}
    spend = sum(ch.values())
    check(spend <= 450000 * (1 + 1e-9), "budget in every scenario")
    off = s["media"]["tv"] + s["media"]["radio"] + s["media"]["press"]
    check(off >= 0.3 * spend * (1 - 1e-6), "offline share in every scenario")
    check(spend <= 65 * s["kpis"]["conversions"] * (1 + 1e-6), "CPA cap in every scenario")

# 2. Closed form: one social channel, clicks at a binding budget. CPM inflation
#    from a price date two years before the campaign, and a CPM change, scale
#    the price by g: clicks = ctr N (1 - exp(-1000 B / (cpm g N))).
B, cpm, ctr, N = 50000.0, 8.0, 0.01, 2e6
plan = write(os.path.join(d, "social.ini"), f"""
[plan]
budget = {B:.0f}
start = 2027-03-01
period = month
objective = max clicks
precision = 0.01%
[channel "meta"]
type = social
cpm = {cpm}
ctr = 1%
audience = {N:.0f}
price_date = 2025-03-16
""")
from datetime import date
# from the price date to the middle of March 2027
years = ((date(2027, 3, 1) - date(2025, 3, 16)).days + 31 / 2) / 365.25
p, data = whatif(plan, "--vary", "inflation:meta=0%..40%/10%")
check(p.returncode == 0, f"social: {p.stderr}")
for s in data["scenarios"]:
    g = (1 + s["params"]["inflation:meta"]) ** years
    clicks = ctr * N * (1 - math.exp(-1000 * B / (cpm * g * N)))
    close(s["objective"]["value"], clicks, 1e-3 * clicks, f"clicks at CPM inflation {s['params']}")
p, data = whatif(plan, "--vary", "cpm:meta=-20%..20%/10%")
for s in data["scenarios"]:
    g = 1 + s["params"]["cpm:meta"]
    clicks = ctr * N * (1 - math.exp(-1000 * B / (cpm * g * N)))
    close(s["objective"]["value"], clicks, 1e-3 * clicks, f"clicks at CPM change {s['params']}")

# 3. Budget frontier of a plan without minimum-spend rows: non-decreasing and
#    concave, with a non-increasing marginal return.
curves = write(os.path.join(d, "curves.ini"), """
[plan]
budget = 200k
start = 2027-03-01
periods = 4
[channel "a"]
type = curve
curve = hill
beta = 800
ec = 60000
[channel "b"]
type = curve
curve = exp
beta = 500
k = 40000
[channel "c"]
type = curve
curve = michaelis-menten
beta = 1000
k = 150000
""")
# --gap 10%: no scenario's curves are refined, so that every scenario is
# solved on the same curves and the LP frontier below is one LP's.
p, data = whatif(curves, "--vary", "budget=50k..1M/50k", "--gap", "10%")
check(p.returncode == 0, f"frontier: {p.stderr}")
f = objectives(data)
mr = [s["marginal_return"] for s in data["scenarios"]]
for i in range(1, len(f)):
    check(f[i] >= f[i - 1] - 1e-9 * f[i], f"frontier falls at {i}")
    check(mr[i] <= mr[i - 1] * (1 + 1e-9), f"marginal return rises at {i}")
for i in range(1, len(f) - 1):
    check(f[i + 1] - f[i] <= f[i] - f[i - 1] + 1e-6 * f[i], f"frontier not concave at {i}")
# the slope of the LP's frontier (its chords) between two budget levels lies
# between the marginal returns (the LP's duals) at its ends; the exact figures
# lie on the concave curves, above the chords
flp = [s["objective"]["lp"] for s in data["scenarios"]]
for i in range(len(f)):
    check(f[i] >= flp[i] * (1 - 1e-12), f"exact objective above the chords' at {i}")
for i in range(1, len(f)):
    slope = (flp[i] - flp[i - 1]) / 50000
    check(mr[i] * (1 - 1e-6) <= slope <= mr[i - 1] * (1 + 1e-6), f"slope {slope} vs duals at {i}")

# 4. A grid with an infeasible corner: kept, marked, explained; the run goes on.
lead = os.path.join(ex, "leadgen_b2b.ini")
p, data = whatif(lead, "--vary", "budget=20k,40k,80k", "--vary", "constraint:leads=300,600,900")
check(p.returncode == 0, f"grid: exit {p.returncode}: {p.stderr}")
check(len(data["scenarios"]) == 9, "3 x 3 scenarios")
bad = [s for s in data["scenarios"] if s["status"] == "infeasible"]
good = [s for s in data["scenarios"] if s["status"] == "optimal"]
check(bad and good, "some scenarios infeasible, others not")
check(all("explanation" in s and s["explanation"] for s in bad), "infeasible scenarios explained")
for s in good:
    close(s["kpis"]["conversions"], s["params"]["constraint:leads"], 1e-6 * 900,
          "min cost meets the lead target exactly")
    check(sum(c["spend"] for c in s["channels"]) <= s["params"]["budget"] * (1 + 1e-9), "budget")

# 5. The Scenarios sheet equals the JSON; a grid gets a heat-map table.
xlsx = os.path.join(d, "grid.xlsx")
p = run("whatif", lead, "--vary", "budget=20k,40k,80k", "--vary", "constraint:leads=300,600,900",
        "-o", xlsx, "--json", os.path.join(d, "grid.json"), "--quiet")
check(p.returncode == 0 and "\r" not in p.stderr, "no progress bar when stderr is not a terminal")
data = json.load(open(os.path.join(d, "grid.json")))
wb = openpyxl.load_workbook(xlsx)
check("Scenarios" in wb.sheetnames and "Plan" in wb.sheetnames, f"sheets {wb.sheetnames}")
ws = wb["Scenarios"]
# the table's heading row: the charts sit above it
hrow = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if len(r) > 2 and r[2] == "status")
rows = list(ws.iter_rows(min_row=hrow + 1, max_row=hrow + len(data["scenarios"]), values_only=True))
for r, s in zip(rows, data["scenarios"]):
    close(r[0], s["params"]["budget"], 1e-9, "sheet budget")
    close(r[1], s["params"]["constraint:leads"], 1e-9, "sheet lead target")
    check(r[2] == s["status"], "sheet status")
    if s["status"] == "optimal":
        close(r[3], s["objective"]["value"], 1e-9 * s["objective"]["value"], "sheet objective")
# Every column, found by its heading: KPIs, spend, share and change of spend
# per channel, share per media type; shares and changes recomputed here from
# the JSON's spends and its base plan.
head = [c.value for c in ws[hrow]]
col = {h: i for i, h in enumerate(head) if h}
base_spend = {c["name"]: c["spend"] for c in data["base"]["channels"]}
for r, s in zip(rows, data["scenarios"]):
    if s["status"] != "optimal":
        continue
    total = sum(c["spend"] for c in s["channels"])
    for k, v in s["kpis"].items():
        h = next((h for h in col if h.startswith(k + " (")), None)
        if h:
            close(r[col[h]], v, 1e-9 * (1 + abs(v)), f"sheet {h}")
    for c in s["channels"]:
        close(r[col[f"spend {c['name']} (GBP)"]], c["spend"], 1e-6, f"sheet spend {c['name']}")
        close(r[col[f"share {c['name']}"]], c["spend"] / total, 1e-9, f"sheet share {c['name']}")
        close(c["share"], c["spend"] / total, 1e-9, f"JSON share {c['name']}")
        close(r[col[f"change of spend {c['name']} against the plan (GBP)"]],
              c["spend"] - base_spend[c["name"]], 1e-6, f"sheet change of spend {c['name']}")
    for m, v in s["media"].items():
        close(r[col[f"share {MEDIA_HEADING[m]}"]], v / total, 1e-9, f"sheet share {m}")
check(len(ws.conditional_formatting) >= 1, "heat-map format on the grid")
check(len(ws._charts) == 2, "a line chart and a stacked chart")

# 6. Where the money moves. The spring launch bids up to a ceiling in
#    currency (max_cpc, from its ROAS target): as competing bids inflate it
#    wins fewer auctions, search spend falls and TV takes the money, so the
#    search and digital shares do not rise. Keywords of low value, bid below
#    their median competing bid, behave alike without a ceiling. (Keywords
#    free to follow the bids up would keep their clicks and cost more: see
#    README.)
p, data = whatif(spring, "--vary", "inflation=0%..30%/5%")
check(p.returncode == 0, f"spring launch sweep: {p.stderr}")


def shares_do_not_rise(data, what):
    prev = None
    for s_ in data["scenarios"]:
        total = sum(c["spend"] for c in s_["channels"])
        cur = (s_["media"]["search"] / total, s_["media"]["digital"] / total)
        if prev:
            check(cur[0] <= prev[0] + 1e-9, f"{what}: search share rises to {cur[0]} at {s_['params']}")
            check(cur[1] <= prev[1] + 1e-9, f"{what}: digital share rises to {cur[1]} at {s_['params']}")
        prev = cur
    first, last = data["scenarios"][0], data["scenarios"][-1]
    check(last["media"]["search"] < first["media"]["search"], f"{what}: search spend falls")
    check(last["media"]["offline"] > first["media"]["offline"], f"{what}: offline takes the money")


shares_do_not_rise(data, "spring launch")

low = write(os.path.join(d, "low.ini"), f"""
[plan]
budget = 150k
start = 2027-03-01
periods = 4
inflation = 9%
[channel "google"]
type = search
keywords = {os.path.join(SRC, "datasets", "keywords", "fr_running.csv")}
ctr = 4.5%
cvr = 0.35%
[channel "meta"]
type = social
cpm = 7.5
ctr = 1.2%
cvr = 1.6%
audience = 2.5M
[channel "tf1"]
type = tv
cpp = 5200
response = hill
beta = 400
ec = 45000
""")
p, data = whatif(low, "--vary", "inflation=0%..30%/5%")
check(p.returncode == 0, f"low-value search: {p.stderr}")
shares_do_not_rise(data, "low-value keywords")

# A bid ceiling in currency, against the auction's closed form: one keyword
# bought to its ceiling, clicks = searches x ctr x (Phi(z) - Phi(-4)) with
# z = (ln(max_cpc / g) - mu) / sigma, where the competing bids' median has
# grown by g = (1 + rate)^years since the export.
ceil_csv = write(os.path.join(d, "one_kw.csv"),
                 "Keyword Stats 2026-06-15 at 21_38_13\n\"June 1, 2025 - May 31, 2026\"\n"
                 "Keyword,Currency,Avg. monthly searches,Top of page bid (low range),"
                 "Top of page bid (high range),"
                 + ",".join(f"Searches: {m}" for m in (
                     "Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025", "Oct 2025", "Nov 2025",
                     "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026"))
                 + "\nrunning shoes,EUR,10458,0.80,2.00,"
                 + ",".join(["10000"] * 9 + ["15500", "10000", "10000"]) + "\n")
ceil = write(os.path.join(d, "ceiling.ini"), f"""
[plan]
budget = 1M
start = 2027-03-01
periods = 1
period = month
objective = max clicks
[channel "s"]
type = search
keywords = {ceil_csv}
ctr = 5%
cvr = 2%
inflation = 10%
max_cpc = 1.5
""")
p, data = whatif(ceil, "--vary", "inflation=0%..30%/10%")
check(p.returncode == 0, f"ceiling sweep: {p.stderr}")
N = NormalDist()
mu0 = 0.5 * (math.log(0.8) + math.log(2.0))
sig = (math.log(2.0) - math.log(0.8)) / (2 * N.inv_cdf(0.8))
years = ((date(2027, 3, 1) - date(2026, 6, 1)).days + 15.5) / 365.25
vctr = 15500 * 0.05
for s_ in data["scenarios"]:
    rate = s_["params"]["inflation"]
    z = (math.log(1.5) - mu0 - years * math.log(1 + rate)) / sig
    clicks = vctr * (N.cdf(z) - N.cdf(-4))
    # within the curve tolerance: 0.1 % of the curve's range of clicks
    close(s_["kpis"]["clicks"], clicks, 1e-3 * vctr, f"clicks under the ceiling at {rate}")
clicks = [s_["kpis"]["clicks"] for s_ in data["scenarios"]]
check(all(b < a for a, b in zip(clicks, clicks[1:])), f"the ceiling wins fewer clicks: {clicks}")

# 7. Bad axes are usage-level input errors.
for args, text in [(("--vary", "inflation"), "expected NAME=VALUES"),
                   (("--vary", "cpm:nosuch=10%"), "no channel \"nosuch\" with a cpm"),
                   (("--vary", "constraint:cpx=1,2"), "did you mean \"cpa\""),
                   (("--vary", "budget=1..2000000/1"), "more than 1001 values"),
                   (("--vary", "frobs=1,2"), "unknown parameter")]:
    p = run("whatif", spring, *args)
    check(p.returncode == 3 and text in p.stderr, f"{args}: exit {p.returncode}: {p.stderr}")
p = run("whatif", spring)
check(p.returncode == 2, "whatif without --vary is a usage error")
done()
