"""A single-budget plan of four MMM curves against a greedy allocation on
marginal returns, computed here on the exact curves."""
import math
import os

from mpcommon import *

B = 200000.0
curves = {
    "hill": lambda x: 800 * x / (x + 60000),
    "exp": lambda x: 500 * (1 - math.exp(-x / 40000)),
    "mm": lambda x: 1000 * x / (150000 + x),
    "logistic": lambda x: 300 * (1 - math.exp(-3 * x / 100000)) / (1 + math.exp(-3 * x / 100000)),
}
tol = 0.001
d = tmpdir("greedy")
plan = write(os.path.join(d, "plan.ini"), f"""
[plan]
budget = {B:.0f}
start = 2027-03-01
precision = {tol * 100}%
[channel "hill"]
type = curve
curve = hill
beta = 800
ec = 60000
[channel "exp"]
type = curve
curve = exp
beta = 500
k = 40000
[channel "mm"]
type = curve
curve = michaelis-menten
beta = 1000
k = 150000
[channel "logistic"]
type = curve
curve = logistic
beta = 300
lambda = 3
scale = 100000
""")

# Greedy on marginal returns: 10,000 steps of 20 EUR to the best next step.
h = B / 10000
alloc = {k: 0.0 for k in curves}
for _ in range(10000):
    best = max(curves, key=lambda k: curves[k](alloc[k] + h) - curves[k](alloc[k]))
    alloc[best] += h
greedy = sum(curves[k](alloc[k]) for k in curves)
# The LP works on chords below each concave curve, each within tol of its
# range on [0, B]: the optimum it reports lies below the true one by at most
# the sum of those errors.
bound = sum(tol * f(B) for f in curves.values())

p, data = optimize_json(plan)
check(p.returncode == 0, f"exit code {p.returncode}: {p.stderr}")
obj = data["objective"]["value"]
check(obj <= greedy + 1e-6 * greedy, f"LP objective {obj} above the greedy optimum {greedy}")
check(obj >= greedy - bound, f"LP objective {obj} more than {bound} below greedy {greedy}")
# The LP's allocation, valued on the exact curves, is near-optimal too.
exact = sum(curves[k](channel(data, k)["spend"]) for k in curves)
close(exact, greedy, bound, "exact value of the LP allocation")
close(sum(c["spend"] for c in data["channels"]), B, 1e-6 * B, "budget spent")
for k in curves:
    close(channel(data, k)["spend"], alloc[k], 0.03 * B, f"spend on {k}")
done()
