"""A what-if sweep of a plan chosen for the bad draws gives each scenario the
figures optimize gives the plan at the same axis value (README, What-if
bands): its P10, median, P90, mean and CVaR 10 % over the draws, in the JSON
and in the terminal's P10–P90 and CVaR columns. Checked on two budgets of a
sweep of a plan whose draws files are crossed with a range (20 draws × the
range's three points), each against optimize run on the plan at that budget,
and both against the test's own computation: every outcome from the curves'
closed forms at optimize's spends, weighted (1/20 × 1/6, 2/3, 1/6), P10 and
P90 as the inverse of the weighted distribution function, CVaR 10 % the
mean of the worst 10 % of the weight."""
import json
import math
import os
import random

from mpcommon import *

d = tmpdir("whatif_risk_optimize")
ND, RANGE = 20, 0.2
random.seed(29)
TV = [(500 * math.exp(random.gauss(0, 0.3)), 40000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
WEB = [(800 * math.exp(random.gauss(0, 0.2)), 15000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
RADIO = (600.0, 20000.0)
write(os.path.join(d, "tv.csv"), "beta,ec\n" + "".join(f"{b!r},{k!r}\n" for b, k in TV))
write(os.path.join(d, "web.csv"), "beta,k\n" + "".join(f"{b!r},{k!r}\n" for b, k in WEB))


def plan(budget):
    return write(os.path.join(d, f"plan_{budget}.ini"), f"""[plan]
budget = {budget}
start = 2027-03-01
periods = 1
objective = max conversions
risk = cvar 10%

{TWO_DRAW_CHANNELS}
[channel "radio1"]
type = curve
curve = exp
beta = {RADIO[0]:g} ± {100 * RANGE:g}%
k = {RADIO[1]:g}
""")


def outcomes(spend):
    """(outcome, weight) of every draw and range point at these spends."""
    t, w, r = spend["telly"], spend["web"], spend["radio1"]
    out = []
    for (bt, ec), (bw, kw) in zip(TV, WEB):
        base = bt * t / (ec + t) - bw * math.expm1(-w / kw)
        for f, pw in ((1 - RANGE, 1 / 6), (1, 2 / 3), (1 + RANGE, 1 / 6)):
            out.append((base - f * RADIO[0] * math.expm1(-r / RADIO[1]), pw / ND))
    return sorted(out)


def quantile(pts, p):
    cum = 0
    for y, w in pts:
        cum += w
        if cum >= p * (1 - 1e-12):
            return y
    return pts[-1][0]


def cvar(pts, level=0.1):
    cum = s = 0
    for y, w in pts:
        take = min(w, level - cum)
        if take <= 0:
            break
        s += take * y
        cum += take
    return s / cum


def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}"


out = os.path.join(d, "sweep.json")
p = run("whatif", plan(50000), "--vary", "budget=20k..60k/20k", "--json", out)
check(p.returncode == 0 and os.path.exists(out), f"whatif: exit {p.returncode}: {p.stderr}")
scens = {s["params"]["budget"]: s for s in json.load(open(out))["scenarios"]} if p.returncode == 0 else {}
rows = [l.split() for l in p.stdout.splitlines()]
for budget in (20000, 60000):
    po, opt = optimize_json(plan(budget))
    check(po.returncode == 0 and opt, f"optimize at {budget}: exit {po.returncode}: {po.stderr}")
    if not opt or budget not in scens:
        check(False, f"budget {budget}: no scenario or no plan")
        continue
    spend = {c["name"]: c["spend"] for c in opt["channels"]}
    pts = outcomes(spend)
    hand = {"p10": quantile(pts, 0.1), "p50": quantile(pts, 0.5), "p90": quantile(pts, 0.9),
            "mean": sum(y * w for y, w in pts)}
    qo, qs = opt["quantiles"], scens[budget]["quantiles"]
    check(qo.get("outcomes") == 3 * ND and qs.get("outcomes") == 3 * ND,
          f"{budget}: {3 * ND} outcomes counted: {qo.get('outcomes')}, {qs.get('outcomes')}")
    close(qo["cvar"], cvar(pts), 1e-7, f"{budget}: optimize's CVaR 10 % from the draws")
    close(qs["cvar"], qo["cvar"], 1e-6, f"{budget}: the scenario's CVaR 10 % is optimize's")
    for k in ("p10", "p50", "p90", "mean"):
        close(qo["objective"][k], hand[k], 1e-7, f"{budget}: optimize's {k} from the draws")
        close(qs["objective"][k], qo["objective"][k], 1e-6, f"{budget}: the scenario's {k} is optimize's")
    # the terminal's row: budget, status, objective, change, P10–P90, CVaR 10%
    band = f"{fmt(qo['objective']['p10'])}–{fmt(qo['objective']['p90'])}"
    row = [r for r in rows if r and r[0] == f"{budget:,}"]
    check(row and row[0][4] == band and row[0][5] == fmt(qo["cvar"]),
          f"{budget}: the terminal's row gives {band} and {fmt(qo['cvar'])}: {row}")
    print(f"budget {budget}: P10–P90 {band}, CVaR {fmt(qo['cvar'])} (optimize and the sweep)")
done()
