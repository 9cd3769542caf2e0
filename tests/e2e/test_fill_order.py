"""A cap on one outcome of a channel whose outcomes saturate at different
rates: the LP alone would buy the channel's late segments (many clicks, few
conversions) without its first ones, which no real plan can do. mixplan must
force the curve in order (MIP) and find the physical optimum, computed here:
spend x is limited by conversions(x) <= C, and clicks rise with x."""
import math
import os

from mpcommon import *

N, cpm, ctr = 1e6, 10.0, 0.01
beta, ec, C = 500.0, 5000.0, 300.0
d = tmpdir("order")
plan = write(os.path.join(d, "plan.ini"), f"""
[plan]
budget = 100k
start = 2027-03-01
objective = max clicks
precision = 0.01%
[channel "meta"]
type = social
cpm = {cpm}
ctr = {ctr * 100}%
audience = {N:.0f}
response = hill
beta = {beta}
ec = {ec}
[constraint "conversions-cap"]
expr = conversions <= {C}
""")
x = ec * C / (beta - C)  # hill: beta x / (x + ec) = C
clicks = ctr * N * (1 - math.exp(-1000 * x / cpm / N))
p, data = optimize_json(plan)
check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
close(data["objective"]["value"], clicks, 0.01 * clicks, "clicks at the physical optimum")
close(channel(data, "meta")["spend"], x, 0.01 * x, "spend where conversions reach the cap")
close(data["kpis"]["conversions"], C, 0.01 * C, "conversions at the cap")
cap = [r for r in data["constraints"] if r["name"] == "conversions-cap"][0]
check(cap["dual"] is None, "a MIP reports no dual")
p = run("optimize", plan)
check("each curve bought from its first euros" in p.stdout, f"summary says so: {p.stdout}")

# A cap below what a spend floor necessarily brings: infeasible once in order.
txt = open(plan).read().replace("beta = 500.0\n", "beta = 500.0\nmin_spend = 20k\n")
plan2 = write(os.path.join(d, "floor.ini"), txt)
p = run("optimize", plan2)
check(p.returncode == 1, f"floor: exit {p.returncode}: {p.stderr}")
check("filled in order" in p.stderr, f"floor: explains the order: {p.stderr}")
done()
