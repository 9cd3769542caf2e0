"""A time limit that stops the search for the plan best in the bad draws.

risk = cvar 10 % with a CPA cap that must hold in every draw (must_hold =
all), on 2,000 aligned draws of two hill channels, one with carryover. The
run without a limit is timed, then the same plan is run with limits at
fractions of that time (a time budget: a dozen short runs). Every run that
gives a plan must hold the cap in every draw, recomputed here from the
reported weekly spends through each draw's hill curve and the adstock
recursion a_t = x_t + 0.4 a_(t-1) (not from mixplan's figures); a run the
limit stopped before the plan for the bad draws was found must say so
(status time_limit, 'not yet for the bad draws'); a run that found no plan
holding the cap exits 4 and says to allow more time. At least one run must
be stopped with a plan: the limits span the risk search. A what-if scenario
stopped so has no plan and says why."""
import json
import os
import subprocess
import time

import numpy as np

from mpcommon import *

d = tmpdir("risk_stopped")
N, WEEKS, CAP = 2000, 12, 70.0
rng = np.random.default_rng(11)
z = rng.normal(0, 1, N)  # a common shock: one joint posterior
TF1 = [(620 * np.exp(0.25 * z[i] + 0.1 * rng.normal()), 45000 * np.exp(0.15 * rng.normal()))
       for i in range(N)]
META = [(2250 * np.exp(0.15 * z[i] + 0.1 * rng.normal()), 60000 * np.exp(0.1 * rng.normal()))
        for i in range(N)]
for fn, rows in (("tf1.csv", TF1), ("meta.csv", META)):
    write(os.path.join(d, fn), "beta,ec\n" + "".join(f"{b:.6f},{e:.3f}\n" for b, e in rows))
plan = write(os.path.join(d, "plan.ini"), f"""[plan]
name = Risk stopped
budget = 600k
start = 2027-08-02
periods = {WEEKS}
period = week
objective = max conversions
risk = cvar 10%
draws = aligned

[channel "tf1"]
type = curve
curve = hill
draws = tf1.csv
slope = 1

[channel "meta"]
type = curve
curve = hill
draws = meta.csv
slope = 1
adstock = 0.4

[constraint "cpa"]
expr = cpa <= {CAP:g}
must_hold = all
""")
B_TF1, EC_TF1 = np.array([b for b, _ in TF1]), np.array([e for _, e in TF1])
B_META, EC_META = np.array([b for b, _ in META]), np.array([e for _, e in META])


def weekly(data, name):
    return [w["spend"] for w in channel(data, name)["periods"]]


def worst_cpa(data):
    """The worst draw's CPA at the plan's weekly spends, from the curves."""
    conv = np.zeros(N)
    for x in weekly(data, "tf1"):
        conv += B_TF1 * x / (EC_TF1 + x)
    a = 0.0
    for x in weekly(data, "meta"):
        a = x + 0.4 * a
        conv += B_META * a / (EC_META + a)
    spend = sum(weekly(data, "tf1")) + sum(weekly(data, "meta"))
    return spend / conv.min() if spend > 0 else 0.0


def limited(seconds):
    """One run under --time-limit, outside valgrind (its timing is the test)."""
    out = os.path.join(d, f"limited-{seconds:.4f}.json")
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run([MIXPLAN, "optimize", plan, "--json", out, "--time-limit", f"{seconds:.4f}"],
                       capture_output=True, text=True, timeout=600)
    data = None
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
    return p, data


t0 = time.monotonic()
p = subprocess.run([MIXPLAN, "optimize", plan, "--json", os.path.join(d, "full.json")],
                   capture_output=True, text=True, timeout=600)
full_s = time.monotonic() - t0
with open(os.path.join(d, "full.json"), encoding="utf-8") as f:
    full = json.load(f)
check(p.returncode == 0 and full["status"] == "optimal" and not full["risk"]["stopped"]
      and "chosen for the bad draws" in p.stdout, f"no limit: exit {p.returncode}: {p.stdout[:300]}")
w = worst_cpa(full)
check(w <= CAP * (1 + 1e-6), f"no limit: the worst draw's CPA {w:.6f} > {CAP}")
stopped = 0
for frac in (0.02, 0.05, 0.08, 0.12, 0.17, 0.25, 0.35, 0.5, 0.7):
    p, data = limited(frac * full_s)
    what = f"--time-limit {frac:.2f} x {full_s:.2f} s"
    if p.returncode == 4:
        check(data is None and "the time limit ran out" in p.stderr and "--time-limit" in p.stderr,
              f"{what}: exit 4 says why: {p.stderr}")
        continue
    check(p.returncode == 0 and data is not None, f"{what}: exit {p.returncode}: {p.stderr}")
    if data is None:
        continue
    w = worst_cpa(data)
    check(w <= CAP * (1 + 1e-6), f"{what}: the worst draw's CPA {w:.6f} > {CAP} (status "
          f"{data['status']}, stopped {data['risk']['stopped']})")
    if data["risk"]["stopped"]:
        stopped += 1
        check(data["status"] == "time_limit" and "not yet for the bad draws" in p.stdout
              and "time limit reached" in p.stderr,
              f"{what}: a stopped risk search is said: {data['status']}: {p.stdout[:400]}")
check(stopped >= 1, f"no limit stopped the risk search with a plan (full run {full_s:.2f} s)")

# A budget sweep: a scenario the limit stops before the plan for the bad
# draws is found is the mean plan, which a scenario has no per-draw figures
# to check the cap on: it has no plan and says why; without a limit every
# scenario has its plan.
SWEEP = ["whatif", plan, "--vary", "budget=500k..600k/100k"]
t0 = time.monotonic()
p = subprocess.run([MIXPLAN, *SWEEP, "--json", os.path.join(d, "sweep.json")],
                   capture_output=True, text=True, timeout=600)
sweep_s = time.monotonic() - t0
with open(os.path.join(d, "sweep.json"), encoding="utf-8") as f:
    sweep = json.load(f)
check(p.returncode == 0 and all(sc["status"] == "optimal" and "channels" in sc
                                for sc in sweep["scenarios"]),
      f"sweep without a limit: exit {p.returncode}: {[sc['status'] for sc in sweep['scenarios']]}")
said = 0
for frac in (0.1, 0.2, 0.3, 0.45):
    out = os.path.join(d, f"sweep-{frac}.json")
    p = subprocess.run([MIXPLAN, *SWEEP, "--json", out, "--time-limit", f"{frac * sweep_s:.4f}"],
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0 or not os.path.exists(out):
        continue  # the base plan itself stopped: exit 4, checked above for optimize
    with open(out, encoding="utf-8") as f:
        for sc in json.load(f)["scenarios"]:
            why = sc.get("explanation") or ""
            if "holding cpa in every draw" in why:
                said += 1
                check(sc["status"] == "time_limit" and "channels" not in sc,
                      f"sweep {frac:.2f}: a stopped scenario has no plan: {sc}")
check(said >= 1, f"no sweep scenario was stopped before its plan for the bad draws (full sweep "
      f"{sweep_s:.2f} s)")
done()
