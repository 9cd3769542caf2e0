"""Every row of a plan recomputed from the spends mixplan reports, by the
README's formulas (tests/e2e/modelcheck.py): each holds, the rows that bind
by construction sit exactly at their bound, period spends stay under their
caps; every KPI of every channel and period is the README's formula at the
reported spend; the JSON's totals are the sums of their parts.

Why these plans bind where they do (the test's own reasoning, not the
program's output):
- rows one: the period caps add up to 95k, under the 120k budget, and every
  curve still rises at 25k a period, so each period cap binds and the budget
  does not; "weak" brings at most 50/50000 = 0.001 conversions per euro while
  "mid" brings at least 1000/20000 e^(-25000/20000) = 0.014 at any spend a
  period allows, so weak gets only what its share floor forces (25 %), and
  "floor" (0.0001 a euro) only its min_spend; "strong" (0.2 a euro at 0,
  0.037 at 20k a period) is held by its max_spend.
- rows two: tf1 and rtl bring 0.001 and 0.002 conversions a euro at most, far
  under meta's and daily's, so their GRP and reach floors bind; meta's
  impressions cap binds at 15M (meta still brings 0.01 a euro there); daily
  (0.05 a euro at 0) is held by its CO2e cap of two insertions; the CPA cap
  of 90 binds (without it, meta's and daily's spend would buy conversions
  at a far higher cost per conversion).
- rows four: tf1 and daily bring 6 and 8 euros of revenue (0.15 and 0.2
  conversions) a euro at 0, so their per-period caps (5 GRP, 1 insertion)
  bind; the exact budget is spent; without the ROAS floor the conversions
  would go to mmm (0.08 a euro at 0, 10 euros each: a ROAS of at most 0.8
  falling to 0.56 at 75k a period), and meta (30 euros a conversion) is
  bought only to lift the digital ROAS to its floor.
- rows three (min cost): the cheapest plan meets its conversions floor
  exactly; the CPA cap on meta binds (meta alone would go past it)."""
import math
import os

from modelcheck import PlanSpec, check_channel_caps, check_kpis, check_rows, check_totals
from mpcommon import *

d = tmpdir("rows")


def solve(spec, name, *extra):
    p, data = optimize_json(write(os.path.join(d, name + ".ini"), spec.ini()), *extra)
    check(p.returncode == 0 and data and data["status"] == "optimal",
          f"{name}: exit {p.returncode}: {p.stderr}")
    return data


# ---- budget, period budgets, channel min / max / fixed, share ----------------
one = PlanSpec(
    {"name": "rows one", "budget": "120k", "start": "2027-03-01", "periods": 4,
     "objective": "max conversions", "period_budget": "25k"},
    {"strong": {"type": "curve", "response": "exp", "beta": 2000, "k": 10000, "max_spend": 40000},
     "mid": {"type": "curve", "response": "exp", "beta": 1000, "k": 20000},
     "weak": {"type": "curve", "response": "exp", "beta": 50, "k": 50000, "digital": "no"},
     "fixed": {"type": "curve", "response": "exp", "beta": 100, "k": 10000, "fixed_spend": 6000},
     "floor": {"type": "curve", "response": "exp", "beta": 10, "k": 100000, "min_spend": 5000}},
    {"weak-share": "share(weak) >= 25%"},
    {2: {"weight": 1.5}, 4: {"budget": "20k"}})
data = solve(one, "one")
if data:
    check_rows(one, data, {"budget_p1", "budget_p2", "budget_p3", "budget_p4", "max_spend_strong",
                           "fixed_spend_fixed", "min_spend_floor", "weak-share"}, "rows one")
    # each period's spend against its cap, read off the channel grid
    for t in range(one.nperiods()):
        spent = sum(ch["periods"][t]["spend"] for ch in data["channels"])
        close(spent, one.period_cap(t), 1e-9 * one.period_cap(t), f"rows one: period {t + 1} at its cap")
    check_kpis(one, data, "rows one")
    check_totals(data, "rows one")
    for ch in data["channels"]:
        check(ch["digital"] == one.digital(ch["name"]), f"rows one {ch['name']}: digital flag")

# ---- KPI rows over every offline medium and social, with inflation -----------
two = PlanSpec(
    {"name": "rows two", "budget": "300k", "start": "2027-03-01", "periods": 2,
     "objective": "max conversions", "universe": "20M"},
    {"meta": {"type": "social", "cpm": 8, "ctr": 0.01, "cvr": 0.02, "value": 60,
              "audience": "10M", "co2": 0.45, "inflation": 0.2, "price_date": "2026-03-01"},
     "tf1": {"type": "tv", "cpp": 4000, "rmax": 0.8, "k": 0.006, "response": "hill", "beta": 50,
             "ec": 50000, "slope": 1, "co2": 60, "inflation": 0.1, "price_date": "2026-09-01"},
     "rtl": {"type": "radio", "cpp": 800, "rmax": 0.6, "k": 0.004, "response": "exp", "beta": 20,
             "response_k": 10000, "co2": 8},
     "daily": {"type": "press", "cpi": 15000, "audience": "1M", "readership": "2M",
               "max_insertions": 2, "response": "michaelis-menten", "beta": 1000,
               "response_k": 20000, "co2": 350},
     "mmm": {"type": "curve", "response": "logistic", "beta": 9000, "lambda": 2, "scale": 40000,
             "kpi": "revenue", "value": 50}},
    {"tv-grp": "grp(tf1) >= 10", "meta-imp": "impressions(meta) <= 15M",
     "radio-reach": "reach(rtl) >= 2M", "press-co2": "co2(daily) <= 700", "cpa": "cpa <= 90"})
book = os.path.join(d, "two.xlsx")
data = solve(two, "two", "-o", book)
if data:
    # The Assumptions sheet's prices by period: (1 + rate)^years from the
    # channel's price date (the plan's start by default) to each period's middle.
    import openpyxl
    ws = openpyxl.load_workbook(book)["Assumptions"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    at = [i for i, r in enumerate(rows) if r[0] == "Prices by period (inflation applied)"]
    check(len(at) == 1, "rows two: the Assumptions sheet has its prices by period")
    prices = {}
    for r in rows[at[0] + 2:] if at else []:
        if r[0] not in two.channels:
            break
        prices.setdefault(r[0], []).append(r)
    base = {"social": "cpm", "tv": "cpp", "radio": "cpp", "press": "cpi"}
    for name, keys in two.channels.items():
        if keys["type"] not in base:
            continue
        got = prices.get(name, [])
        check(len(got) == two.nperiods(), f"rows two: {name} has a price a period")
        for t, r in enumerate(got):
            lvl = two.level(name, t)
            close(r[2], float(keys.get("inflation", 0)), 1e-12, f"rows two {name} P{t + 1}: yearly rate")
            close(r[4], lvl, 1e-9 * lvl, f"rows two {name} P{t + 1}: price index")
            close(r[5], keys[base[keys["type"]]] * lvl, 1e-9 * keys[base[keys["type"]]] * lvl,
                  f"rows two {name} P{t + 1}: unit cost in the period")
    check_rows(two, data, {"tv-grp", "meta-imp", "radio-reach", "press-co2", "cpa"}, "rows two")
    check_channel_caps(two, data, set(), "rows two")
    check_kpis(two, data, "rows two")
    check_totals(data, "rows two")

# ---- the cheapest plan for a conversions floor, under a CPA cap --------------
three = PlanSpec(
    {"name": "rows three", "budget": "500k", "start": "2027-03-01", "periods": 3,
     "objective": "min cost", "universe": "20M", "seasonality": "0.8, 1, 1.2"},
    {"meta": {"type": "social", "cpm": 6, "ctr": 0.012, "cvr": 0.03, "value": 40,
              "audience": "3M", "co2": 0.45},
     "mmm": {"type": "curve", "response": "exp", "beta": 800, "k": 30000, "value": 50},
     "mm": {"type": "curve", "response": "michaelis-menten", "beta": 500, "k": 20000, "value": 50}},
    {"floor": "conversions >= 2500", "meta-cpa": "cpa(meta) <= 25",
     "rev-cap": "revenue(mm) <= 30000", "digital-spend": "spend(digital) <= 450k"})
data = solve(three, "three")
if data:
    check_rows(three, data, {"floor", "meta-cpa"}, "rows three")
    check_kpis(three, data, "rows three")
    check_totals(data, "rows three")

# ---- an exact budget, a ROAS floor, per-period GRP, insertion and frequency caps
four = PlanSpec(
    {"name": "rows four", "budget": "200k", "budget_mode": "exact", "start": "2027-03-01",
     "periods": 2, "objective": "max conversions", "universe": "20M"},
    {"meta": {"type": "social", "cpm": 5, "ctr": 0.01, "cvr": 0.02, "value": 30,
              "audience": "5M", "max_frequency": 3},
     "tf1": {"type": "tv", "cpp": 3000, "max_grp": 5, "response": "exp", "beta": 3000,
             "response_k": 20000, "value": 40},
     "daily": {"type": "press", "cpi": 10000, "audience": "500k", "max_insertions": 1,
               "response": "michaelis-menten", "beta": 2000, "response_k": 10000, "value": 40},
     "mmm": {"type": "curve", "response": "exp", "beta": 8000, "k": 100000, "value": 10}},
    {"digital-roas": "roas(digital) >= 60%"})
data = solve(four, "four")
if data:
    check_rows(four, data, {"budget", "digital-roas"}, "rows four")
    check_channel_caps(four, data, {("tf1", 1), ("tf1", 2), ("daily", 1), ("daily", 2)}, "rows four")
    check_kpis(four, data, "rows four")
    check_totals(data, "rows four")
# ---- a social frequency cap: meta still brings 1000 / 10 x 1 % x e^(-2) x 2 %
# = 0.0027 conversions a euro at 2 impressions a person, far above the weak
# curve's 0.0001 at 0, so it is bought up to its cap in each period.
five = PlanSpec(
    {"name": "rows five", "budget": "500k", "start": "2027-03-01", "periods": 2,
     "objective": "max conversions"},
    {"meta": {"type": "social", "cpm": 10, "ctr": 0.01, "cvr": 0.02, "audience": "1M",
              "max_frequency": 2, "co2": 0.45},
     "weak": {"type": "curve", "response": "exp", "beta": 10, "k": 100000}})
data = solve(five, "five")
if data:
    check_rows(five, data, set(), "rows five")
    check_channel_caps(five, data, {("meta", 1), ("meta", 2)}, "rows five")
    check_kpis(five, data, "rows five")
    check_totals(data, "rows five")

# ---- what-if totals: each scenario's media and digital / offline spend are
# the sums of its channels, its delta the difference from the base plan, and
# its rows still hold (the budget and the share floor at each budget).
p = run("whatif", os.path.join(d, "one.ini"), "--vary", "budget=80k,100k", "--json", "-")
check(p.returncode == 0, f"whatif rows one: exit {p.returncode}: {p.stderr}")
if p.returncode == 0:
    import json
    w = json.loads(p.stdout)
    base = {c["name"]: c["spend"] for c in w["base"]["channels"]}
    for sc in w["scenarios"]:
        label = f"whatif budget {sc['params']['budget']:g}"
        spend = {c["name"]: c["spend"] for c in sc["channels"]}
        total = sum(spend.values())
        close(sc["kpis"]["spend"], total, 1e-9 * total, f"{label}: spend = sum of channels")
        close(total, min(sc["params"]["budget"], 95000), 1e-6 * total, f"{label}: budget or period caps spent")
        close(spend["weak"] / total, 0.25, 1e-6, f"{label}: the share floor binds")
        for key, names in (("curve", list(one.channels)),
                           ("digital", [c for c in one.channels if one.digital(c)]),
                           ("offline", [c for c in one.channels if not one.digital(c)])):
            close(sc["media"][key], sum(spend[c] for c in names), 1e-9 * total, f"{label}: media.{key}")
            close(sc["delta"]["media"][key], sum(spend[c] - base[c] for c in names), 1e-6 * total,
                  f"{label}: delta.media.{key} = scenario - base")
        for c in sc["delta"]["channels"]:
            close(c["spend"], spend[c["name"]] - base[c["name"]], 1e-6 * total,
                  f"{label}: delta of {c['name']}")

# ---- the terminal's media line: the share of spend of each media type in the
# plan and of digital / offline, as the JSON's spends give them (to the 0.1 %
# printed).
p = run("optimize", os.path.join(d, "two.ini"))
data = solve(two, "two")
media_line = [ln for ln in p.stdout.splitlines() if ln.startswith("media:")]
check(p.returncode == 0 and len(media_line) == 1, f"rows two terminal: {p.stdout[-400:]}")
if media_line and data:
    import re
    # the terminal names a family as a planner does, the JSON by its type
    word = {"search": "paid search", "tv": "TV", "curve": "other media"}
    shown = {m.strip(): float(v) / 100
             for m, v in re.findall(r"([A-Za-z][A-Za-z ]*?) (-?[\d.]+)%", media_line[0][6:])}
    total = data["kpis"]["spend"]
    present = {k["type"] for k in two.channels.values()} | {"digital", "offline"}
    for m, v in data["media"].items():
        w = word.get(m, m)
        check((w in shown) == (m in present), f"rows two terminal: {w} shown when in the plan")
        if w in shown:
            close(shown[w], v / total, 0.0005 + 1e-9, f"rows two terminal: {w} share")

# ---- marginal returns: with only the budget binding, every funded channel's
# next euro brings about the same, beta / k e^(-x / k) at its spend on an exp
# curve (one period); the reported figure is a segment's slope, so within a
# factor 1.25 of the derivative (a unit slip, per 1000 euros, is far outside).
six = PlanSpec(
    {"name": "rows six", "budget": "100k", "start": "2027-03-01", "periods": 1,
     "objective": "max conversions"},
    {"a": {"type": "curve", "response": "exp", "beta": 3000, "k": 40000},
     "b": {"type": "curve", "response": "exp", "beta": 2000, "k": 20000},
     "c": {"type": "curve", "response": "exp", "beta": 1000, "k": 30000}})
data = solve(six, "six")
if data:
    for ch in data["channels"]:
        keys = six.channels[ch["name"]]
        slope = keys["beta"] / keys["k"] * math.exp(-ch["spend"] / keys["k"])
        check(ch["spend"] > 0 and ch["marginal_return"] is not None
              and 0.8 <= ch["marginal_return"] / slope <= 1.25,
              f"rows six {ch['name']}: marginal return {ch['marginal_return']!r}, derivative {slope!r}")

# ---- the bundled examples: totals are the sums of their parts ----------------
for ex in ("spring_launch", "leadgen_b2b", "mmm_curves"):
    p, data = optimize_json(os.path.join(SRC, "datasets", "examples", ex + ".ini"))
    check(p.returncode == 0 and data, f"{ex}: exit {p.returncode}")
    if data:
        check_totals(data, ex)
done()
