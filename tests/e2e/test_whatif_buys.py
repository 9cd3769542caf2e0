"""What a what-if scenario's money buys (the JSON's scenario cpa, roas,
channels' kpis, cpc and spend_change, delta.budget_equivalent; the Scénarios
sheet's CPA, ROAS and changes of spend; the terminal's reading under its
table), recomputed here by hand. One keyword in two search channels, bid up
to a 1.20 EUR ceiling (s) and a 3.00 EUR one (s2), bought to it in every
scenario (their last click costs 12 or 30 EUR a conversion, meta's about
120 EUR), and a social channel that takes the rest of the budget. As
competing bids rise, s pays less for fewer clicks; s2, whose ceiling is above
most competing bids, pays more for fewer clicks. The keyword's clicks
and cost at the ceiling are the search model's closed form (README, "Search"):
competing bids log-normal through the 0.80 and 2.00 EUR top-of-page bids,
scaled by (1 + rate)^years from the day after the export's range (2026-06-01)
to the middle of March 2027; clicks = V ctr (Phi(z) - Phi(-4)), cost = V ctr
f e^(mu + s^2/2) (Phi(z - s) - Phi(-4 - s)) at the ceiling's z."""
import datetime
import json
import math
import os
import subprocess

import openpyxl

from scipy.stats import norm

from mpcommon import *

d = tmpdir("whatif_buys")
kw = write(os.path.join(d, "kw.csv"), ONE_KEYWORD_EXPORT)
BUDGET, CEIL, CEIL2, CTR, CVR, VALUE = 20000.0, 1.20, 3.0, 0.05, 0.10, 85.0
CPM, MCTR, MCVR, AUD = 10.0, 0.01, 0.01, 10e6


def search(name, ceiling):
    return f"""[channel "{name}"]
type = search
keywords = {kw}
ctr = {CTR:.0%}
cvr = {CVR:.0%}
value = {VALUE:.0f}
max_cpc = {ceiling}
inflation = 9%
"""


plan = write(os.path.join(d, "plan.ini"), f"""[plan]
budget = {BUDGET:.0f}
start = 2027-03-01
periods = 1
period = month
objective = max conversions
precision = 0.01%

{search('s', CEIL)}
{search('s2', CEIL2)}
[channel "meta"]
type = social
cpm = {CPM:.0f}
ctr = {MCTR:.0%}
cvr = {MCVR:.0%}
audience = 10M
""")

RATES = [0.05, 0.20]
out, book = os.path.join(d, "w.json"), os.path.join(d, "w.xlsx")
p = run("whatif", plan, "--vary", "inflation=5%,20%", "--json", out, "-o", book, "--lang", "fr",
        "--quiet")
check(p.returncode == 0, f"whatif runs: {p.stderr}")
data = json.load(open(out, encoding="utf-8"))
base = data["base"]

vctr = 15500 * CTR
mu = 0.5 * (math.log(0.8) + math.log(2.0))
s = (math.log(2.0) - math.log(0.8)) / (2 * norm.ppf(0.8))
years = ((datetime.date(2027, 3, 1) - datetime.date(2026, 6, 1)).days + 15.5) / 365.25


def at_ceiling(rate, ceil=CEIL):
    """(clicks, cost) of the keyword bought up to the ceiling at this rate."""
    f = (1 + rate) ** years
    z = (math.log(ceil) - mu - math.log(f)) / s
    clicks = vctr * (norm.cdf(z) - norm.cdf(-4))
    cost = vctr * f * math.exp(mu + s * s / 2) * (norm.cdf(z - s) - norm.cdf(-4 - s))
    return clicks, cost


def meta_conv(x):
    return MCVR * MCTR * AUD * (1 - math.exp(-1000 * x / CPM / AUD))


base_spend = {c["name"]: c["spend"] for c in base["channels"]}
cpcs, ends = [], []
for sc, rate in zip(data["scenarios"], RATES):
    what = f"inflation {rate:.0%}"
    close(sc["params"]["inflation"], rate, 1e-12, what + ": its rate")
    ch = {c["name"]: c for c in sc["channels"]}
    clicks, cost = at_ceiling(rate)
    cpc = cost / clicks
    cpcs.append(cpc)
    close(ch["s"]["spend"], cost, 1e-6 * cost, what + ": search spend = the cost at the ceiling")
    close(ch["s"]["kpis"]["clicks"], clicks, 1e-6 * clicks, what + ": search clicks at the ceiling")
    close(ch["s"]["cpc"], cpc, 1e-6 * cpc, what + ": search CPC = E[B | B < ceiling]")
    close(ch["s"]["kpis"]["conversions"], CVR * clicks, 1e-6 * clicks, what + ": search conversions")
    close(ch["s"]["cpa"], cpc / CVR, 1e-5 * cpc / CVR, what + ": search CPA = CPC / cvr")
    close(ch["s"]["spend_at_bid_ceiling"], cost, 1e-6 * cost, what + ": all of it at the ceiling")
    close(ch["meta"]["spend_at_bid_ceiling"], 0, 0, what + ": meta has no ceiling")
    clicks2, cost2 = at_ceiling(rate, CEIL2)
    close(ch["s2"]["spend"], cost2, 1e-6 * cost2, what + ": s2's spend = the cost at its ceiling")
    close(ch["s2"]["cpc"], cost2 / clicks2, 1e-6, what + ": s2's CPC")
    close(ch["s2"]["spend_at_bid_ceiling"], cost2, 1e-6 * cost2, what + ": s2 at its ceiling")
    ends.append((clicks, cost, clicks2, cost2))
    # the scenario's CPA and ROAS from its channels' spends and conversions
    xm = BUDGET - cost - cost2
    close(ch["meta"]["spend"], xm, 1e-6 * BUDGET, what + ": meta takes the rest")
    conv = CVR * (clicks + clicks2) + meta_conv(xm)
    spend = sum(c["spend"] for c in sc["channels"])
    close(spend, BUDGET, 1e-6 * BUDGET, what + ": the budget is spent")
    close(sc["cpa"], spend / sum(c["kpis"]["conversions"] for c in sc["channels"]), 1e-9,
          what + ": cpa = spend / conversions of the channels")
    close(sc["cpa"], BUDGET / conv, 1e-5 * BUDGET / conv, what + ": cpa by hand")
    close(sc["cost_per_return"], sc["cpa"], 1e-12, what + ": the return KPI is conversions")
    revenue = VALUE * CVR * (clicks + clicks2)
    close(sc["roas"], revenue / BUDGET, 1e-6 * revenue / BUDGET, what + ": roas by hand")
    # where the money moves: changes against the base, summing to zero
    for name, c in ch.items():
        close(c["spend_change"], c["spend"] - base_spend[name], 1e-6,
              what + f": {name}'s spend change against the base")
    close(sum(c["spend_change"] for c in sc["channels"]), 0, 1e-6 * BUDGET,
          what + ": the changes sum to zero (the budget spent in both)")
    moved = {c["name"]: c["spend"] for c in sc["delta"]["channels"]}
    check(all(abs(moved[n] - ch[n]["spend_change"]) < 1e-9 for n in ch),
          what + ": delta.channels and spend_change agree")
    # the change of conversions said as budget, at the base plan's last euro
    # (meta's: the keyword is capped) d conv / d x = cvr ctr 1000/cpm e^(-I/N)
    xb = base_spend["meta"]
    price = MCVR * MCTR * 1000 / CPM * math.exp(-1000 * xb / CPM / AUD)
    dobj = sc["delta"]["objective"]
    close(sc["delta"]["budget_equivalent"], dobj / price, 1e-4 * abs(dobj / price) + 1e-6,
          what + ": budget equivalent = change of conversions / the base's marginal return")
check(cpcs[1] > cpcs[0], f"dearer clicks at 20 % than at 5 %: {cpcs}")

# The terminal's reading under the table, from 5 % to 20 %, by hand: the
# conversions lost and the budget they are worth at the first scenario's
# marginal return (meta's last euro), the CPA at each end, the money moved,
# and each search channel's average CPC and clicks.
(c0, x0, d0, y0), (c1, x1, d1, y1) = ends
m0, m1 = BUDGET - x0 - y0, BUDGET - x1 - y1
conv0 = CVR * (c0 + d0) + meta_conv(m0)
conv1 = CVR * (c1 + d1) + meta_conv(m1)
price0 = MCVR * MCTR * 1000 / CPM * math.exp(-1000 * m0 / CPM / AUD)
dconv = conv1 - conv0
check(x1 < x0 and y1 > y0 and c1 < c0 and d1 < d0,
      "s spends less and s2 more, both for fewer clicks (the test's premise)")
want = [f"from 5 % to 20 %: conversions {dconv:+.1f} ({100 * (conv1 / conv0 - 1):+.1f} %), as if "
        f"{abs(dconv) / price0:,.0f} EUR of budget were lost; CPA from {BUDGET / conv0:.2f} to "
        f"{BUDGET / conv1:.2f} EUR"]
gain = {"s": x1 - x0, "s2": y1 - y0, "meta": m1 - m0}
up = [n for n in gain if gain[n] > 0.5]
down = [n for n in gain if gain[n] < -0.5]


def side(names):
    if len(names) == 1:
        return names[0]
    return ", ".join(f"{n} ({gain[n]:+,.0f}\u00a0EUR)" for n in names)


want.append(f"{sum(gain[n] for n in up):,.0f} EUR move from {side(down)} to {side(up)}")
for name, (k0, k1, p0, p1) in (("s", (c0, c1, x0 / c0, x1 / c1)), ("s2", (d0, d1, y0 / d0, y1 / d1))):
    line = (f"{name}: average CPC from {p0:.2f} to {p1:.2f} EUR ({100 * (p1 / p0 - 1):+.1f} %), "
            f"clicks from {k0:,.0f} to {k1:,.0f} ({100 * (k1 / k0 - 1):+.1f} %)")
    if name == "s2":
        line += (f": it spends {y1 - y0:,.0f} EUR more for fewer clicks, as 100 % of its spend is "
                 "on keywords bid at their max_cpc ceiling, which pay more per click when "
                 "competing bids rise; its clicks still return more than the money would elsewhere")
    want.append(line)
p = run("whatif", plan, "--vary", "inflation=5%,20%")
check(p.returncode == 0, f"whatif to the terminal: {p.stderr}")
tail = p.stdout.split("\n\n")[-1]
lines, width = [], 0
for raw in tail.strip("\n").split("\n"):  # the reading's lines, 100 columns at most
    width = max(width, len(raw))
    if raw.startswith("  "):
        lines[-1] += " " + raw[2:]
    else:
        lines.append(raw)
check(width <= 100, f"the reading fits 100 columns: {width}")
check(lines == want, "the terminal's reading:\n  " + "\n  ".join(lines) + "\nby hand:\n  " +
      "\n  ".join(want))

# in French (LANG=fr_FR.UTF-8), the same reading in the planner's words
env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
env["LANG"] = "fr_FR.UTF-8"
fr = subprocess.run([*valgrind_prefix(), MIXPLAN, "whatif", plan, "--vary", "inflation=5%,20%"], capture_output=True,
                    text=True, env=env, timeout=600).stdout.split("\n\n")[-1].replace("\n  ", " ")
for words in ("de 5\u00a0% à 20\u00a0%\u00a0: conversions", "comme si", "de budget étaient perdus",
              "passent de s à s2", "s2\u00a0: CPC moyen de", "car 100\u00a0% de sa dépense va à des mots "
              "clés enchéris à leur plafond max_cpc", "ses clics rapportent encore plus"):
    check(words in fr, f"French reading has {words!r}: {fr!r}")

# The Scénarios sheet, in French: each scenario's CPA and ROAS and each
# channel's change of spend, the same figures
ws = openpyxl.load_workbook(book)["Scénarios"]
rows = list(ws.iter_rows(values_only=True))
hr = next(i for i, r in enumerate(rows) if "statut" in r)
col = {h: k for k, h in enumerate(rows[hr]) if h}
for k, sc in enumerate(data["scenarios"]):
    r = rows[hr + 1 + k]
    spend = sum(c["spend"] for c in sc["channels"])
    conv = sum(c["kpis"]["conversions"] for c in sc["channels"])
    close(r[col["CPA (EUR)"]], spend / conv, 1e-9, f"sheet CPA of scenario {k}")
    close(r[col["ROAS"]], sc["roas"], 1e-12, f"sheet ROAS of scenario {k}")
    for c in sc["channels"]:
        h = f"écart d'investissement {c['name']} par rapport au plan (EUR)"
        close(r[col[h]], c["spend"] - base_spend[c["name"]], 1e-6, f"sheet {h}, scenario {k}")
letter = openpyxl.utils.get_column_letter(1 + col["écart d'investissement s par rapport au plan (EUR)"])
check(not ws.column_dimensions[letter].hidden, "each channel's change of spend shows")
# the same reading under the Scénarios sheet's tables, in the workbook's French
notes = [r[0] for r in rows if r and isinstance(r[0], str)]
check("Du premier scénario au dernier" in notes, f"the sheet's reading has its title: {notes}")
if "Du premier scénario au dernier" in notes:
    sheet = "\n".join(notes[notes.index("Du premier scénario au dernier") + 1:])
    check(sheet.replace("\n  ", " ") == fr.strip("\n"),
          f"the sheet's reading is the terminal's:\n{sheet!r}\n{fr!r}")
done()
