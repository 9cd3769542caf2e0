"""What a what-if scenario's money buys (the JSON's scenario cpa, roas,
channels' kpis, cpc and spend_change, delta.budget_equivalent), recomputed
here by hand. One keyword bid up to a 1.20 EUR ceiling, bought to it in every
scenario (its last click costs 12 EUR a conversion, meta's about 10,000 EUR),
and a social channel that takes the rest of the budget. The keyword's clicks
and cost at the ceiling are the search model's closed form (README, "Search"):
competing bids log-normal through the 0.80 and 2.00 EUR top-of-page bids,
scaled by (1 + rate)^years from the day after the export's range (2026-06-01)
to the middle of March 2027; clicks = V ctr (Phi(z) - Phi(-4)), cost = V ctr
f e^(mu + s^2/2) (Phi(z - s) - Phi(-4 - s)) at the ceiling's z."""
import datetime
import json
import math
import os

from scipy.stats import norm

from mpcommon import *

d = tmpdir("whatif_buys")
kw = write(os.path.join(d, "kw.csv"), (
    "Keyword Stats 2026-06-15 at 21_38_13\n\"June 1, 2025 - May 31, 2026\"\n"
    "Keyword,Currency,Avg. monthly searches,Competition (indexed value),"
    "Top of page bid (low range),Top of page bid (high range),Searches: Jun 2025,"
    "Searches: Jul 2025,Searches: Aug 2025,Searches: Sep 2025,Searches: Oct 2025,"
    "Searches: Nov 2025,Searches: Dec 2025,Searches: Jan 2026,Searches: Feb 2026,"
    "Searches: Mar 2026,Searches: Apr 2026,Searches: May 2026\n"
    "running shoes,EUR,12000,60,0.80,2.00,10000,10000,10000,10000,10000,10000,10000,10000,"
    "10000,15500,10000,10000\n"))
BUDGET, CEIL, CTR, CVR, VALUE = 20000.0, 1.20, 0.05, 0.10, 85.0
CPM, MCTR, MCVR, AUD = 10.0, 0.01, 0.01, 10e6
plan = write(os.path.join(d, "plan.ini"), f"""[plan]
budget = {BUDGET:.0f}
start = 2027-03-01
periods = 1
period = month
objective = max conversions
precision = 0.01%

[channel "s"]
type = search
keywords = {kw}
ctr = {CTR:.0%}
cvr = {CVR:.0%}
value = {VALUE:.0f}
max_cpc = {CEIL}
inflation = 9%

[channel "meta"]
type = social
cpm = {CPM:.0f}
ctr = {MCTR:.0%}
cvr = {MCVR:.0%}
audience = 10M
""")

RATES = [0.05, 0.20]
out = os.path.join(d, "w.json")
p = run("whatif", plan, "--vary", "inflation=5%,20%", "--json", out, "--quiet")
check(p.returncode == 0, f"whatif runs: {p.stderr}")
data = json.load(open(out, encoding="utf-8"))
base = data["base"]

vctr = 15500 * CTR
mu = 0.5 * (math.log(0.8) + math.log(2.0))
s = (math.log(2.0) - math.log(0.8)) / (2 * norm.ppf(0.8))
years = ((datetime.date(2027, 3, 1) - datetime.date(2026, 6, 1)).days + 15.5) / 365.25


def at_ceiling(rate):
    """(clicks, cost) of the keyword bought up to the ceiling at this rate."""
    f = (1 + rate) ** years
    z = (math.log(CEIL) - mu - math.log(f)) / s
    clicks = vctr * (norm.cdf(z) - norm.cdf(-4))
    cost = vctr * f * math.exp(mu + s * s / 2) * (norm.cdf(z - s) - norm.cdf(-4 - s))
    return clicks, cost


def meta_conv(x):
    return MCVR * MCTR * AUD * (1 - math.exp(-1000 * x / CPM / AUD))


base_spend = {c["name"]: c["spend"] for c in base["channels"]}
cpcs = []
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
    # the scenario's CPA and ROAS from its channels' spends and conversions
    xm = BUDGET - cost
    close(ch["meta"]["spend"], xm, 1e-6 * BUDGET, what + ": meta takes the rest")
    conv = CVR * clicks + meta_conv(xm)
    spend = sum(c["spend"] for c in sc["channels"])
    close(spend, BUDGET, 1e-6 * BUDGET, what + ": the budget is spent")
    close(sc["cpa"], spend / sum(c["kpis"]["conversions"] for c in sc["channels"]), 1e-9,
          what + ": cpa = spend / conversions of the channels")
    close(sc["cpa"], BUDGET / conv, 1e-5 * BUDGET / conv, what + ": cpa by hand")
    close(sc["cost_per_return"], sc["cpa"], 1e-12, what + ": the return KPI is conversions")
    revenue = VALUE * CVR * clicks
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
done()
