"""Plans of exp curves over seasonal periods, whose optimum has a closed form:
equal marginal returns beta w / k e^(-x/k) = lambda on every funded curve.
Also the dual problem: min cost for a conversions floor."""
import math
import os

from mpcommon import *

chans = [("a", 900, 30000), ("b", 600, 15000), ("c", 1500, 80000), ("d", 200, 50000)]
weights = [0.8, 1.0, 1.3, 0.9]
B = 240000.0
tol = 0.0001


def alloc_for(lam):
    """Spend per (channel, period) where the marginal return equals lam."""
    out = {}
    for name, beta, k in chans:
        for t, w in enumerate(weights):
            out[name, t] = max(0.0, k * math.log(beta * w / (k * lam))) if beta * w / k > lam else 0.0
    return out


def bisect(f, lo, hi):
    """Root of a decreasing f on [lo, hi] by bisection in log space."""
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


def value(x):
    return sum(beta * w * (1 - math.exp(-x[name, t] / k))
               for name, beta, k in chans for t, w in enumerate(weights))


def plan_text(objective, extra=""):
    s = f"""[plan]
budget = {B:.0f}
start = 2027-03-01
periods = {len(weights)}
seasonality = {", ".join(str(w) for w in weights)}
precision = {tol * 100}%
objective = {objective}
"""
    for name, beta, k in chans:
        s += f"[channel \"{name}\"]\ntype = curve\ncurve = exp\nbeta = {beta}\nk = {k}\n"
    return s + extra


d = tmpdir("closed")
# max conversions under the budget
lam = bisect(lambda l: sum(alloc_for(l).values()) - B, 1e-9, 1.0)
x = alloc_for(lam)
best = value(x)
ranges = sum(beta * w * (1 - math.exp(-B / k)) for _, beta, k in chans for w in weights)
p, data = optimize_json(write(os.path.join(d, "max.ini"), plan_text("max conversions")))
check(p.returncode == 0, f"max: exit {p.returncode}: {p.stderr}")
obj = data["objective"]["value"]
check(best - tol * ranges <= obj <= best + 1e-9 * best,
      f"max conversions {obj} vs closed form {best} (bound {tol * ranges})")
for name, _, _ in chans:
    c = channel(data, name)
    for t in range(len(weights)):
        close(c["periods"][t]["spend"], x[name, t], 0.01 * B, f"spend {name} period {t + 1}")
# the budget's dual is the common marginal return lambda
budget_row = [r for r in data["constraints"] if r["name"] == "budget"][0]
close(budget_row["dual"], lam, 0.05 * lam, "budget dual = marginal return")

# min cost for a conversions floor K: the same marginal condition, with
# lambda chosen so that the curves deliver exactly K.
K = 0.8 * best
lam2 = bisect(lambda l: value(alloc_for(l)) - K, 1e-9, 1.0)
cost = sum(alloc_for(lam2).values())
p, data = optimize_json(write(os.path.join(d, "min.ini"), plan_text(
    "min cost", f"[constraint \"floor\"]\nexpr = conversions >= {K:.6f}\n")))
check(p.returncode == 0, f"min: exit {p.returncode}: {p.stderr}")
obj = data["objective"]["value"]
# The chords under-state the curves by at most delta = tol x ranges in all, so
# the smooth optimum for K + delta is a plan the LP can afford: a rigorous
# upper bound, also in closed form.
delta = tol * ranges
cost_hi = sum(alloc_for(bisect(lambda l: value(alloc_for(l)) - K - delta, 1e-9, 1.0)).values())
check(cost_hi < B, "precondition: the budget does not bind")
check(cost - 1e-6 * cost <= obj <= cost_hi, f"min cost {obj} vs closed form [{cost}, {cost_hi}]")
close(data["kpis"]["conversions"], K, 1e-6 * K, "conversions at the floor")

# min co2 for the same floor, each channel with its own CO2e factor (kg per
# 1000 currency units for curve channels): marginal conversions per kg equal,
# beta w / k e^(-x/k) = mu c / 1000.
co2 = {"a": 2.0, "b": 6.0, "c": 1.0, "d": 3.0}
def alloc_co2(mu):
    out = {}
    for name, beta, k in chans:
        for t, w in enumerate(weights):
            r = beta * w * 1000 / (k * co2[name] * mu)
            out[name, t] = k * math.log(r) if r > 1 else 0.0
    return out
K = 0.5 * best  # low enough that the budget does not bind (checked below)
mu = bisect(lambda m: value(alloc_co2(m)) - K, 1e-9, 1e6)
kg = sum(co2[n] * v / 1000 for (n, t), v in alloc_co2(mu).items())
text = plan_text("min co2", f"[constraint \"floor\"]\nexpr = conversions >= {K:.6f}\n")
for name in co2:
    text = text.replace(f"[channel \"{name}\"]\ntype = curve\n", f"[channel \"{name}\"]\ntype = curve\nco2 = {co2[name]}\n")
p, data = optimize_json(write(os.path.join(d, "co2.ini"), text))
check(p.returncode == 0, f"co2: exit {p.returncode}: {p.stderr}")
obj = data["objective"]["value"]
mu_hi = bisect(lambda m: value(alloc_co2(m)) - K - delta, 1e-9, 1e6)
check(sum(alloc_co2(mu_hi).values()) < B, "precondition: the budget does not bind")
kg_hi = sum(co2[n] * v / 1000 for (n, t), v in alloc_co2(mu_hi).items())
check(kg - 1e-6 * kg <= obj <= kg_hi, f"min co2 {obj} vs closed form [{kg}, {kg_hi}]")
close(data["kpis"]["co2"], obj, 1e-9 * obj, "co2 KPI equals the objective")
done()
