"""A search channel whose competitor keywords a spend cap holds says what
holds its other keywords too: their bids at the max_cpc ceiling, or, where a
keyword's auctions top out below the ceiling, bought to the end of its curve
("competitor-cap holds its competitor keywords; other bids at the 1.50 EUR
ceiling or bought to the end of their curves"), not the cap alone. Checked
here from the JSON's keywords and by hand: the cap is met by the competitor
keywords' spend, every other keyword bought bids the ceiling or less, some of
each, and the budget's price, the derivative of the other channel's closed
form (conversions = beta (1 - exp(-x / k))) at its spend, would bid each of
them far above the ceiling (a click's marginal cost is its bid: cvr / price),
so a keyword below the ceiling is at its curve's end."""
import math
import os
import re

from mpcommon import *

d = tmpdir("search_other_bids")
CAP, CEIL, CVR, TELE = 300.0, 1.5, 0.032, (2000.0, 200000.0)
groups = write(os.path.join(d, "groups.ini"),
               '[group "competitor"]\nmatch = (?i)\\b(nike|asics|salomon|hoka|adidas)\\b\n'
               '[group "generic"]\nmatch = .\n')
plan = write(os.path.join(d, "plan.ini"), f"""[plan]
budget = 500k
start = 2027-03-01
periods = 2
objective = max conversions
[channel "sea"]
type = search
keywords = {os.path.join(SRC, "datasets", "keywords", "fr_running.csv")}
groups = {groups}
ctr = 4.5%
cvr = {CVR:.1%}
max_cpc = {CEIL}
[channel "tele"]
type = curve
curve = exp
beta = {TELE[0]:g}
k = {TELE[1]:g}
[constraint "competitor-cap"]
expr = spend(sea:competitor) <= {CAP:g}
""")
p, data = optimize_json(plan)
check(p.returncode == 0 and data, f"optimize: exit {p.returncode}: {p.stderr}")
kws = data["keywords"] if data else []
comp = sum(k["spend"] for k in kws if k["group"] == "competitor")
close(comp, CAP, 1e-6, "the competitor keywords spend the cap")
others = [k for k in kws if k["group"] != "competitor" and k["spend"] > 0]
at = [k for k in others if abs(k["bid"] - CEIL) < 1e-6]
below = [k for k in others if k["bid"] < CEIL - 1e-6]
check(len(at) + len(below) == len(others), "no other keyword bids above the ceiling")
check(at and below, f"some other keywords at the ceiling ({len(at)}), some below ({len(below)})")
# the budget's price: the per-period budget spread over two alike periods
tele = channel(data, "tele")["spend"] / 2
price = TELE[0] / TELE[1] * math.exp(-tele / TELE[1])
check(CVR / price > 3 * CEIL, f"the budget's price {1000 * price:.3f}/kEUR bids {CVR / price:.2f} EUR")
lim = channel(data, "sea")["limit"]
want = ("competitor-cap holds its competitor keywords; other bids at the 1.50 EUR ceiling or "
        "bought to the end of their curves")
check(lim.get("reason") == "row" and lim.get("row") == "competitor-cap" and lim.get("text") == want,
      f"sea's limit: {lim}")
p = run("optimize", plan)
said = re.sub(r"\n {19}(?=\S)", " ", p.stdout)  # past 100 columns, the text goes on under itself
check(any(l.split()[:1] == ["sea"] and l.endswith(want) for l in said.splitlines()),
      f"terminal:\n{p.stdout}")
print(f"{len(at)} keywords at the ceiling, {len(below)} at their curve's end: {want}")
done()
