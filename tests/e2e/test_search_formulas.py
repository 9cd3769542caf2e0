"""Search figures against the README's model ("The model", Search and
Inflation), computed here from the Keyword Planner inputs the test writes.

The highest competing bid is log-normal through the top-of-page bids (20th
and 80th percentiles), scaled by (1 + rate)^years from the end of the export's
date range to the middle of the period; with inflation_by_competition the
rate is rate x (0.5 + competition / 100). Bidding b: clicks = V ctr F(b),
cost = V ctr E[B; B < b]. Every keyword here is bought up to its bid ceiling
(max_cpc): the budget is ample and every click brings conversions, and the
README puts a breakpoint on the ceiling, so spend and clicks are exact there.
The curves start where almost no auction is won (z = -4, 3e-5 of them): the
figures are compared within 1e-4 of the figure with every auction won."""
import math
import os
from datetime import date
from statistics import NormalDist

from mpcommon import *

N = NormalDist()
Z80 = N.inv_cdf(0.8)
# keyword, monthly searches, competition index, top-of-page bid low, high
KEYWORDS = [("trail shoes", 12100, 0, 0.40, 1.50), ("road shoes", 8100, 50, 0.50, 1.80),
            ("running shoes", 20100, 100, 0.30, 1.20), ("spikes", 5100, 80, 0.60, 2.40),
            ("insoles", 3100, 20, 0.20, 0.90)]
CTR, CVR, VALUE, MAX_CPC, RATE, CO2 = 0.05, 0.04, 100.0, 1.0, 0.4, 0.2
START = date(2027, 6, 28)  # one week: 3 days of June (30 days), 4 of July (31)
DATA_END = date(2026, 6, 1)  # the export covers June 1, 2025 - May 31, 2026 (to its end)

d = tmpdir("searchf")
rows = ["Keyword Stats 2026-06-15 at 09_12_40", "June 1, 2025 - May 31, 2026",
        "\t".join(["Keyword", "Currency", "Avg. monthly searches", "Competition",
                   "Competition (indexed value)", "Top of page bid (low range)",
                   "Top of page bid (high range)"])]
for kw, vol, comp, lo, hi in KEYWORDS:
    rows.append("\t".join([kw, "EUR", str(vol), "Medium", str(comp), f"{lo:.2f}", f"{hi:.2f}"]))
write(os.path.join(d, "kw.csv"), "\n".join(rows) + "\n")
channel_keys = f"""type = search
keywords = kw.csv
ctr = {CTR}
cvr = {CVR}
value = {VALUE:g}
max_cpc = {MAX_CPC}
inflation = {RATE}
co2 = {CO2}
"""
plan = write(os.path.join(d, "plan.ini"), f"""[plan]
budget = 1M
start = {START.isoformat()}
periods = 1
objective = max conversions
[channel "indexed"]
{channel_keys}inflation_by_competition = yes
[channel "flat"]
{channel_keys}""")
p, data = optimize_json(plan)
check(p.returncode == 0 and data and data["status"] == "optimal", f"exit {p.returncode}: {p.stderr}")

years = ((START.toordinal() + 3.5) - DATA_END.toordinal()) / 365.25
volume_share = 3 / 30 + 4 / 31  # monthly searches pro rata by day of each month


def expected(kw, vol, comp, lo, hi, indexed):
    rate = RATE * (0.5 + comp / 100) if indexed else RATE
    level = (1 + rate) ** years
    mu = (math.log(lo) + math.log(hi)) / 2
    sigma = (math.log(hi) - math.log(lo)) / (2 * Z80)
    zc = (math.log(MAX_CPC / level) - mu) / sigma
    vctr = vol * volume_share * CTR
    clicks = vctr * N.cdf(zc)
    cost = level * vctr * math.exp(mu + sigma * sigma / 2) * N.cdf(zc - sigma)
    return clicks, cost, vctr, level * vctr * math.exp(mu + sigma * sigma / 2)


rel = 1e-4
for name, indexed in (("indexed", True), ("flat", False)):
    if not data:
        break
    ch = channel(data, name)
    got = {k["keyword"]: k for k in data["keywords"] if k["channel"] == name}
    check(len(got) == len(KEYWORDS), f"{name}: {len(got)} keywords")
    impressions = 0.0
    for kw, vol, comp, lo, hi in KEYWORDS:
        k = got.get(kw)
        if not k:
            continue
        clicks, cost, all_clicks, all_cost = expected(kw, vol, comp, lo, hi, indexed)
        impressions += clicks / CTR
        check(k["competition"] == comp, f"{name} {kw}: competition {k['competition']}")
        close(k["bid"], MAX_CPC, 1e-9, f"{name} {kw}: bought up to its ceiling")
        tol = rel * all_clicks
        close(k["clicks"], clicks, tol, f"{name} {kw}: clicks")
        close(k["spend"], cost, rel * all_cost, f"{name} {kw}: cost")
        close(k["impressions"], clicks / CTR, tol / CTR, f"{name} {kw}: impressions = clicks / ctr")
        close(k["conversions"], clicks * CVR, tol * CVR, f"{name} {kw}: conversions = cvr clicks")
        close(k["revenue"], clicks * CVR * VALUE, tol * CVR * VALUE, f"{name} {kw}: revenue")
        # the keyword's own figures are consistent to 1e-9
        close(k["impressions"], k["clicks"] / CTR, 1e-9 * k["impressions"], f"{name} {kw}: impressions")
        close(k["conversions"], k["clicks"] * CVR, 1e-9 * k["conversions"], f"{name} {kw}: conversions")
    # CO2e: kg per 1000 impressions (README, channel co2)
    close(ch["kpis"]["co2"], CO2 * ch["kpis"]["impressions"] / 1000,
          1e-9 * ch["kpis"]["co2"], f"{name}: CO2e = factor x impressions / 1000")
    close(ch["kpis"]["co2"], CO2 * impressions / 1000, 2e-3 * CO2 * impressions / 1000,
          f"{name}: CO2e from the expected impressions")
done()
