"""Why not more of this channel: `channels[].limit` against the truth of
plans built so that each reason is certain, each checked independently of
mixplan's classification:

- own cap: a channel's max_spend holds it; raising the cap in a re-solve moves
  spend there;
- a share row (a cap on two channels' share, a floor on another's) and a CPA
  cap: a binding row that the channel's spend pushes;
  moving the row's bound in a re-solve moves the channel's spend;
- saturation: the channel's first euro, from the closed form, returns less
  than the budget earns, the budget's price by finite difference of two
  re-solves;
- bid ceiling: every keyword's bid is the ceiling and a higher ceiling
  spends more;
- curve end: press at its most insertions every week, one more a week spends
  more;
- a min-cost plan: a channel whose first conversion costs more than the
  target's last one (finite difference of the target) is saturated, the
  others cost what the target's last conversion costs;
- none: on the margin, the channel's exact derivative (closed form, at its
  spend) equals the budget's price by finite difference.

Plans have one period and `curve` channels with closed forms
(conversions = beta (1 - exp(-x / k))), so the figures are computed here."""
import math
import os
import re

from mpcommon import *

d = tmpdir("limits")
DATA = os.path.abspath(os.path.join(SRC, "datasets"))
GAP = "0.001%"
REASONS = {"none", "own_cap", "row", "saturation", "bid_ceiling", "curve_end", "time_limit"}

CURVES = {"a": (3000.0, 100e3), "b": (2000.0, 80e3), "c": (100.0, 50e3)}


def curve_plan(name, budget="150k", extra_channel=None, tail="", curves=CURVES):
    text = f"[plan]\nbudget = {budget}\nstart = 2027-03-01\nperiods = 1\n" \
           f"objective = max conversions\n"
    for ch, (beta, k) in curves.items():
        text += f'[channel "{ch}"]\ntype = curve\ncurve = exp\nbeta = {beta:g}\nk = {k:g}\n' \
                f"kpi = conversions\n"
        if extra_channel and ch in extra_channel:
            text += extra_channel[ch]
    return write(os.path.join(d, name + ".ini"), text + tail)


def solve(path):
    p, data = optimize_json(path, "--gap", GAP)
    check(p.returncode == 0 and data, f"{path}: exit {p.returncode}: {p.stderr}")
    return data


def deriv(ch, x, curves=CURVES):
    """d conversions / d spend of curve ch at spend x (closed form)."""
    beta, k = curves[ch]
    return beta / k * math.exp(-x / k)


def limit(data, ch):
    lim = channel(data, ch).get("limit")
    check(isinstance(lim, dict) and lim.get("reason") in REASONS and lim.get("text"),
          f"{ch}: a limit with a reason and a text: {lim!r}")
    return lim or {}


def budget_price(path_of, lo, hi):
    """Objective gained per currency unit of budget, from two re-solves."""
    a, b = solve(path_of(lo)), solve(path_of(hi))
    return (b["objective"]["lp"] - a["objective"]["lp"]) / (hi - lo)


# ---- none and saturation: a and b share the budget, c's first euro is poor ----
base = solve(curve_plan("base"))
price = budget_price(lambda b: curve_plan(f"base{b:.0f}", budget=f"{b:.0f}"), 149e3, 151e3)
print(f"budget's price by finite difference: {1000 * price:.3f} conversions per kEUR")
for ch in ("a", "b"):
    x = channel(base, ch)["spend"]
    g = deriv(ch, x)
    close(g, price, 0.01 * price, f"{ch}: on the margin (exact derivative at its spend)")
    check(limit(base, ch).get("reason") == "none", f"{ch}: none, got {limit(base, ch)}")
first = deriv("c", 0)
check(channel(base, "c")["spend"] < 1, "c: nothing spent")
check(first < 0.5 * price, f"c: first euro {first} below the budget's {price}")
lim = limit(base, "c")
check(lim.get("reason") == "saturation", f"c: saturation, got {lim}")
check("first euro returns" in lim.get("text", ""), f"c: text says so: {lim}")
# the figures it quotes: c's first return and the budget's, per kEUR; the
# first return is the report's marginal (a chord's slope until the report
# takes exact derivatives: the closed form's within 5 %)
m = re.search(r"first euro returns ([\d.,]+) conv/kEUR, below the ([\d.,]+) the budget earns",
              lim.get("text", ""))
check(m, f"c: text in a planner's words: {lim}")
if m:
    close(float(m.group(1)), 1000 * first, 0.05 * 1000 * first, "c: first euro's return quoted")
    # the budget's shadow price, the LP's: within 2 % of the finite difference (as
    # test_shadow.py allows)
    close(float(m.group(2)), 1000 * price, 0.02 * 1000 * price, "c: budget's price quoted")

# ---- saturation at a floor: c held at its min_spend ------------------------------
floor = solve(curve_plan("floor", extra_channel={"c": "min_spend = 10k\n"}))
close(channel(floor, "c")["spend"], 10e3, 1, "c: at its floor")
fprice = budget_price(lambda b: curve_plan(f"floor{b:.0f}", budget=f"{b:.0f}",
                                           extra_channel={"c": "min_spend = 10k\n"}),
                      149e3, 151e3)
check(deriv("c", 10e3) < 0.5 * fprice, "c: its next euro returns less than the budget's")
lim = limit(floor, "c")
check(lim.get("reason") == "saturation" and lim.get("row") == "min_spend_c",
      f"c at its floor: saturation held up by min_spend_c, got {lim}")

# ---- own cap: a's max_spend holds it; a higher cap moves spend there ----------
cap = solve(curve_plan("cap", extra_channel={"a": "max_spend = 40k\n"}))
lim = limit(cap, "a")
check(lim.get("reason") == "own_cap" and lim.get("row") == "max_spend_a",
      f"a: own_cap max_spend_a, got {lim}")
close(channel(cap, "a")["spend"], 40e3, 1, "a: spends its cap")
cap2 = solve(curve_plan("cap50", extra_channel={"a": "max_spend = 50k\n"}))
close(channel(cap2, "a")["spend"], 50e3, 1, "a: a higher cap moves spend there")
check(limit(cap, "b").get("reason") == "none", f"b under a's cap: none, got {limit(cap, 'b')}")

# ---- a share row: share(a, b) <= 50 % with a strong c --------------------------
strong = dict(CURVES, c=(1500.0, 50e3))
share = solve(curve_plan("share", curves=strong,
                         tail='[constraint "ab-share"]\nexpr = share(a, b) <= 50%\n'))
row = next(r for r in share["constraints"] if r["name"] == "ab-share")
check(row["binding"], "ab-share binds")
looser = solve(curve_plan("share60", curves=strong,
                          tail='[constraint "ab-share"]\nexpr = share(a, b) <= 60%\n'))
for ch in ("a", "b"):
    lim = limit(share, ch)
    check(lim.get("reason") == "row" and lim.get("row") == "ab-share",
          f"{ch}: held by ab-share, got {lim}")
    check(channel(looser, ch)["spend"] > channel(share, ch)["spend"] + 1000,
          f"{ch}: a looser share moves spend there")

# ---- a floor on another channel's share: more of a or b dilutes it -----------
def floor_plan(name, pct):
    return curve_plan(name, tail=f'[constraint "c-floor"]\nexpr = share(c) >= {pct}%\n')


cfl, cfl30 = solve(floor_plan("cfloor", 40)), solve(floor_plan("cfloor30", 30))
for ch in ("a", "b"):
    lim = limit(cfl, ch)
    check(lim.get("reason") == "row" and lim.get("row") == "c-floor",
          f"{ch}: held by c-floor, got {lim}")
    check(channel(cfl30, ch)["spend"] > channel(cfl, ch)["spend"] + 1000,
          f"{ch}: a lower floor on c moves spend there")
lim = limit(cfl, "c")
check(lim.get("reason") == "saturation" and lim.get("row") == "c-floor",
      f"c: held up by c-floor, got {lim}")

# ---- a CPA cap: the budget is not all spent ------------------------------------
cpa = solve(curve_plan("cpa", budget="600k", tail='[constraint "cpa"]\nexpr = cpa <= 60\n'))
spent = cpa["kpis"]["spend"]
check(spent < 600e3 - 1000, f"cpa: budget left unspent ({spent})")
close(spent / cpa["kpis"]["conversions"], 60, 0.1, "cpa: at its cap")
cpa65 = solve(curve_plan("cpa65", budget="600k", tail='[constraint "cpa"]\nexpr = cpa <= 65\n'))
for ch in ("a", "b"):
    lim = limit(cpa, ch)
    check(lim.get("reason") == "row" and lim.get("row") == "cpa", f"{ch}: held by cpa, got {lim}")
    check(channel(cpa65, ch)["spend"] > channel(cpa, ch)["spend"] + 1000,
          f"{ch}: a higher CPA cap moves spend there")

# ---- bid ceiling: every keyword at max_cpc, a higher ceiling spends more -------
def search_plan(name, max_cpc):
    return write(os.path.join(d, name + ".ini"), f"""[plan]
budget = 500k
start = 2027-03-01
periods = 2
objective = max conversions
[channel "sea"]
type = search
keywords = {os.path.join(DATA, "keywords", "fr_running.csv")}
ctr = 4.5%
cvr = 3.2%
max_cpc = {max_cpc}
""")


bid = solve(search_plan("bid", 0.6))
kws = [k for k in bid["keywords"] if k["spend"] > 0]
check(kws and all(abs(k["bid"] - 0.6) < 1e-6 for k in kws),
      f"every keyword bought bids at the ceiling: {sorted(set(k['bid'] for k in kws))}")
check(bid["kpis"]["spend"] < 500e3, "search: budget left")
bid8 = solve(search_plan("bid8", 0.8))
check(bid8["kpis"]["spend"] > bid["kpis"]["spend"] * 1.01, "a higher ceiling spends more")
lim = limit(bid, "sea")
check(lim.get("reason") == "bid_ceiling", f"sea: bid_ceiling, got {lim}")
check("0.60 EUR" in lim.get("text", ""), f"sea: names the ceiling: {lim}")

# Two ceilings (a keyword group with its own max_cpc) and keywords whose auction
# curve tops out below its ceiling: the line names both ceilings, as read from
# the plan, and says that some keywords are bought to the end of their curve
# (their bid, read from the JSON, is below their ceiling).
groups = write(os.path.join(d, "two_ceilings_groups.ini"),
               '[group "competitor"]\nmatch = (?i)\\b(nike|asics|salomon|hoka|adidas)\\b\n'
               'max_cpc = 2.5\n[group "generic"]\nmatch = .\n')
two = solve(write(os.path.join(d, "two.ini"),
                  open(search_plan("two0", 1.5)).read() + f"groups = {groups}\n"))
ceil_of = {"competitor": 2.5, "generic": 1.5}
kws = [k for k in two["keywords"] if k["spend"] > 0]
check(all(k["bid"] <= ceil_of[k["group"]] + 1e-9 for k in kws), "two ceilings: no bid passes its own")
below = [k for k in kws if k["bid"] < ceil_of[k["group"]] - 1e-6]
lim = limit(two, "sea")
text = lim.get("text", "")
check(lim.get("reason") == "bid_ceiling", f"two ceilings: bid_ceiling, got {lim}")
check("1.50 to 2.50 EUR" in text and "2.50 EUR ceiling" not in text,
      f"two ceilings: names both, not only the highest: {lim}")
check(("bought to the end of its curve" in text) == bool(below),
      f"two ceilings: keywords below their ceiling ({len(below)}) are said to be bought to "
      f"their curve's end: {lim}")

# ---- curve end: press at its most insertions every week -----------------------
def press_plan(name, most):
    return write(os.path.join(d, name + ".ini"), f"""[plan]
budget = 500k
start = 2027-03-01
periods = 2
objective = max conversions
[channel "daily"]
type = press
cpi = 18000
audience = 1.2M
readership = 2.6M
max_insertions = {most}
response = michaelis-menten
beta = 160
response_k = 30000
""")


press = solve(press_plan("press", 2))
close(channel(press, "daily")["spend"], 2 * 2 * 18000, 1, "press: 2 insertions a week, 2 weeks")
more = solve(press_plan("press3", 3))
close(channel(more, "daily")["spend"], 3 * 2 * 18000, 1, "press: one more insertion a week")
lim = limit(press, "daily")
check(lim.get("reason") == "curve_end", f"press: curve_end, got {lim}")

# ---- the Channels sheet says the same as the JSON -----------------------------
import openpyxl  # noqa: E402

xlsx = os.path.join(d, "base.xlsx")
p, wbdata = optimize_json(curve_plan("base"), "-o", xlsx)
ws = openpyxl.load_workbook(xlsx)["Channels"]
rows = list(ws.iter_rows(values_only=True))
col = rows[0].index("what stops it")
check(rows[-1][0] == "total", "the Channels sheet ends with its total row")
for r in rows[1:-1]:
    check(r[col] == channel(wbdata, r[0])["limit"]["text"], f"Channels {r[0]}: {r[col]!r}")

# ---- min cost: c's first conversion costs more than the target's last one ---
def min_plan(name, target):
    text = open(curve_plan("minbase")).read().replace("budget = 150k", "budget = 500k")
    text = text.replace("objective = max conversions", "objective = min cost")
    return write(os.path.join(d, name + ".ini"),
                 text + f'[constraint "leads"]\nexpr = conversions >= {target}\n')


mn = solve(min_plan("min", 2000))
# the cost of the target's last conversion, by finite difference
last = (solve(min_plan("min2010", 2010))["objective"]["lp"] -
        solve(min_plan("min1990", 1990))["objective"]["lp"]) / 20
first_cost = 1 / deriv("c", 0)
print(f"min plan: a conversion at the margin costs {last:.2f} EUR, c's first {first_cost:.0f} EUR")
check(first_cost > 2 * last, "c's first conversion costs more than the margin's")
lim = limit(mn, "c")
check(lim.get("reason") == "saturation", f"min: c saturation, got {lim}")
for ch in ("a", "b"):
    close(1 / deriv(ch, channel(mn, ch)["spend"]), last, 0.01 * last,
          f"min: {ch} on the margin (exact cost of its next conversion)")
    check(limit(mn, ch).get("reason") == "none", f"min: {ch} none, got {limit(mn, ch)}")

# ---- after a fill-order MIP: no prices, but the units are named ----------------
mip = write(os.path.join(d, "mip.ini"), """[plan]
budget = 100k
start = 2027-03-01
objective = max clicks
precision = 0.01%
[channel "meta"]
type = social
cpm = 10
ctr = 1%
audience = 1000000
response = hill
beta = 500
ec = 5000
[constraint "conversions-cap"]
expr = conversions <= 300
""")
p, data = optimize_json(mip)
check(p.returncode == 0 and data, f"mip: exit {p.returncode}")
for r in (data or {}).get("constraints", []):
    check(r["shadow_price"] is None and r["unit"].startswith("clicks per "),
          f"mip: {r['name']}: no price, a unit: {r['shadow_price']!r} {r['unit']!r}")
lim = limit(data, "meta") if data else {}
check(lim.get("reason") == "row" and lim.get("row") == "conversions-cap",
      f"mip: meta held by conversions-cap, got {lim}")

done()
