"""Each bundled example plan runs, and its constraints hold when recomputed
from the per-channel figures."""
import os

import numpy as np

from mpcommon import *

ex = os.path.join(SRC, "datasets", "examples")
eps = 1e-6


def run_example(name):
    d = tmpdir(name)
    p, data = optimize_json(os.path.join(ex, name + ".ini"), "-o", os.path.join(d, name + ".xlsx"))
    check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr}")
    check(os.path.exists(os.path.join(d, name + ".xlsx")), f"{name}: workbook written")
    return p, data


def total(data, k):
    return sum(c["spend"] if k == "spend" else c["kpis"][k] for c in data["channels"])


# spring_launch: max conversions, offline >= 30 %, CPA <= 65, TV >= 100k.
p, data = run_example("spring_launch")
ch = {c["name"]: c for c in data["channels"]}
spend, conv = total(data, "spend"), total(data, "conversions")
check(spend <= 450000 * (1 + eps), "spring: budget")
check(ch["tf1-prime"]["spend"] >= 100000 * (1 - eps), "spring: TV minimum")
off = sum(c["spend"] for c in data["channels"] if not c["digital"])
check(off >= 0.30 * spend * (1 - eps), f"spring: offline share {off / spend:.4f}")
check(spend <= 65 * conv * (1 + eps), f"spring: CPA {spend / conv:.2f}")
close(data["objective"]["value"], conv, 1e-6 * conv, "spring: objective = sum of conversions")
check({c["type"] for c in data["channels"]} == {"search", "social", "tv", "radio", "press"},
      "spring: all five media")

# leadgen_b2b: the cheapest plan for 600 leads at CPL <= 150.
p, data = run_example("leadgen_b2b")
spend, conv = total(data, "spend"), total(data, "conversions")
close(conv, 600, 1e-6 * 600, "leadgen: exactly the lead target (more would cost more)")
check(spend <= 150 * conv * (1 + eps), "leadgen: cost per lead")
close(data["objective"]["value"], spend, 1e-6 * spend, "leadgen: objective is the cost")
check("keywords without bids, which take the channel's or group's cpc_low and cpc_high: 1" in p.stderr or data["warnings"], "leadgen: warns about default bids")

# mmm_curves: revenue from imported curves, x4 <= 25 % of spend, ROAS >= 150 %.
p, data = run_example("mmm_curves")
ch = {c["name"]: c for c in data["channels"]}
spend, rev = total(data, "spend"), total(data, "revenue")
check(ch["x4"]["spend"] <= 0.25 * spend * (1 + eps), "mmm: x4 share")
check(rev >= 1.5 * spend * (1 - eps), "mmm: ROAS floor")
check(ch["x3"]["spend"] >= 150000 * (1 - eps), "mmm: x3 minimum")
check(any("concave envelope" in w for w in data["warnings"]), "mmm: S-curve warning")
# x4 is a concave table: its revenue is the table interpolated at each month's
# spend, times the month's seasonality weight.
tx = [0, 20000, 40000, 60000, 80000, 100000, 150000, 200000, 300000, 400000]
ty = [0, 52000, 96000, 132000, 160000, 182000, 220000, 244000, 268000, 280000]
w = [0.8, 0.85, 1.0, 1.05, 1.1, 1.0, 0.9, 0.8, 1.0, 1.1, 1.25, 1.4]
exp_rev = sum(w[t] * np.interp(per["spend"], tx, ty) for t, per in enumerate(ch["x4"]["periods"]))
close(ch["x4"]["kpis"]["revenue"], exp_rev, 1e-6 * exp_rev, "mmm: x4 revenue from the table")
done()
