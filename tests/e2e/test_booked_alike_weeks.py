"""Whole spots over alike weeks: a min cost plan whose offline-share floor
asks for a fractional number of spots (11.9 radio spots, spread over 12
identical weeks) proved its cheapest booking only after the search had tried
spread after spread (an 80 kEUR plan ran for minutes). The plan must come back
proven, within a generous time budget (--time-limit, not a timed assertion).

The cheapest booking is found here: min cost keeps the floored channel at its
floor F, the share floor asks the offline media for share/(1-share) x F, and
every count of insertions is tried with the fewest whole spots that make up
the rest. The weeks are a tie, so the spots and insertions are dealt over
them (the search left them all in one week), which costs the same. The share floor, met with room to spare, holds the plan when one
spot or insertion fewer would break it (the share recomputed without it)."""
import math
import os

from mpcommon import *

d = tmpdir("booked_alike_weeks")
SHARE = 0.30


def plan_text(floor, spot, cpi):
    return f"""[plan]
budget = 600k
start = 2027-08-02
periods = 12
objective = min cost

[channel "feed"]
type = curve
curve = exp
beta = 400
k = 15000

[channel "fm"]
type = radio
spot_cost = {spot:.0f}
grp_per_spot = 2
response = exp
beta = 110
response_k = 12000

[channel "paper"]
type = press
cpi = {cpi:.0f}
audience = 1.2M
response = michaelis-menten
beta = 160
response_k = 30000

[constraint "feed-floor"]
expr = spend(feed) >= {floor:.0f}

[constraint "offline-share"]
expr = share(fm, paper) >= {SHARE * 100:.0f}%
"""


def cheapest(floor, spot, cpi):
    """The least cost: the floor plus the cheapest whole spots and insertions
    paying at least share/(1-share) of it."""
    need = SHARE / (1 - SHARE) * floor
    best = None
    for n_p in range(int(math.ceil(need / cpi)) + 1):
        n_r = max(0, math.ceil((need - n_p * cpi) / spot - 1e-9))
        cost = floor + n_r * spot + n_p * cpi
        best = cost if best is None else min(best, cost)
    return best


for floor, spot, cpi in ((50000, 1800, 18000), (55356, 1800, 18000), (41000, 2300, 9000)):
    label = f"floor {floor}, spot {spot}, insertion {cpi}"
    path = write(os.path.join(d, f"alike_{floor}_{spot}.ini"), plan_text(floor, spot, cpi))
    p, data = optimize_json(path, "--time-limit", "120")
    check(p.returncode == 0 and data, f"{label}: optimize {p.returncode} {p.stderr}")
    if not data:
        continue
    check(data.get("mip", {}).get("status") == "optimal",
          f"{label}: proven the cheapest booking, not stopped: {data.get('mip')}")
    want = cheapest(floor, spot, cpi)
    close(data["objective"]["value"], want, 0.01, f"{label}: cost")
    fm, paper = channel(data, "fm"), channel(data, "paper")
    offline = sum(pp["spend"] for pp in fm["periods"]) + sum(pp["spend"] for pp in paper["periods"])
    check(offline >= SHARE / (1 - SHARE) * floor - 1e-6, f"{label}: offline {offline} meets the share")
    for pp in fm["periods"]:
        n = pp["spend"] / spot
        check(abs(n - round(n)) < 1e-6, f"{label}: {pp['spend']} is whole spots")
    # the weeks are a tie (one spot price, alike curves): the spots and the
    # insertions are dealt over them, never all in one week, at the same cost
    for ch, unit in ((fm, spot), (paper, cpi)):
        units = [round(pp["spend"] / unit) for pp in ch["periods"]]
        n = sum(units)
        check(max(units) <= -(-n // len(units)) and (n < 2 or units.count(0) < len(units) - 1),
              f"{label}: {ch['name']} dealt over the weeks: {units}")
    # met with room to spare, the share still holds the plan: one spot (or
    # insertion) fewer breaks it; the budget, one more spot away, does not bind
    total = data["objective"]["value"]
    least = min([spot] * any(pp["spend"] > 0 for pp in fm["periods"]) +
                [cpi] * any(pp["spend"] > 0 for pp in paper["periods"]))
    rows = {r["name"]: r for r in data["constraints"]}
    check(rows["offline-share"]["binding"] is ((offline - least) / (total - least) < SHARE),
          f"{label}: offline-share holds the plan: {rows['offline-share']}")
    check(rows["budget"]["binding"] is False and total + max(spot, cpi) < 600000,
          f"{label}: budget does not bind: {rows['budget']}")
    if floor == 50000:
        p = run("optimize", path)
        check("limit reached: offline-share >= 30 % — holds the plan: one spot or insertion fewer "
              "would break it" in p.stdout and "limit reached: the budget" not in p.stdout,
              f"{label}: terminal: {p.stdout}")
done()
