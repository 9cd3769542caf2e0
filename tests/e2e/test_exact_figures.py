"""Reported figures are the exact model's at the plan's spends, and a cap on a
concave KPI that binds holds on them: each expected figure is recomputed here
from the models' closed forms at the spends the JSON reports."""
import math
import os

from scipy.optimize import brentq
from scipy.stats import norm

from mpcommon import *

d = tmpdir("exact")
HEAD = """[plan]
budget = 200k
start = 2027-03-01
periods = 1
period = month
universe = 20M
objective = max conversions
[channel "b"]
type = curve
curve = exp
beta = 1000
k = 100000
"""


def b_conv(x):
    return 1000 * (1 - math.exp(-x / 100000))


def solve(name, text):
    p, data = optimize_json(write(os.path.join(d, name + ".ini"), HEAD + text))
    check(p.returncode == 0 and data and data["status"] == "optimal", f"{name}: {p.stderr}")
    return data


def row(data, name):
    return [r for r in data["constraints"] if r["name"] == name][0]


def check_cap(data, what, exact, cap):
    """The exact KPI meets the cap and sits at it (the cap binds), and the
    constraint reports that exact value."""
    r = row(data, "cap")
    check(exact <= cap * (1 + 1e-9), f"{what}: exact {exact} above the cap {cap}")
    check(exact >= cap * (1 - 1e-6), f"{what}: exact {exact} well below the cap {cap}")
    close(r["value"], exact, 1e-9 * cap, f"{what}: constraint value = exact")
    check(r["binding"], f"{what}: the cap binds")


# Social clicks: ctr N (1 - e^(-I/N)), I = 1000 x / cpm, concave in spend.
data = solve("social", """[channel "meta"]
type = social
cpm = 8
ctr = 1%
cvr = 2%
audience = 1M
[constraint "cap"]
expr = clicks(meta) <= 6000
""")
x = channel(data, "meta")["spend"]
xb = channel(data, "b")["spend"]
clicks = 0.01 * 1e6 * (1 - math.exp(-1000 * x / 8 / 1e6))
check_cap(data, "social clicks", clicks, 6000)
close(channel(data, "meta")["kpis"]["clicks"], clicks, 1e-9 * clicks, "social clicks figure")
conv = 0.02 * clicks + b_conv(xb)
close(data["objective"]["value"], conv, 1e-9 * conv, "objective = exact conversions")
close(data["kpis"]["conversions"], conv, 1e-9 * conv, "total conversions")
close(channel(data, "b")["kpis"]["conversions"], b_conv(xb), 1e-9 * b_conv(xb), "curve channel")

# Search, one keyword in March 2027 at the export's prices (no inflation):
# bidding at z buys V ctr (Phi(z) - Phi(-4)) clicks for V ctr e^(mu + s^2/2)
# (Phi(z - s) - Phi(-4 - s)); the spend is inverted here for z.
free_kw = write(os.path.join(d, "kw.csv"), ONE_KEYWORD_EXPORT)
vctr = 15500 * 0.05
mu = 0.5 * (math.log(0.8) + math.log(2.0))
s = (math.log(2.0) - math.log(0.8)) / (2 * norm.ppf(0.8))


def cost(z):
    return vctr * math.exp(mu + s * s / 2) * (norm.cdf(z - s) - norm.cdf(-4 - s))


def search_clicks(x):
    z = brentq(lambda z: cost(z) - x, -4, 3.0902323061678132, xtol=1e-14, rtol=1e-15)
    return vctr * (norm.cdf(z) - norm.cdf(-4))


data = solve("search", f"""[channel "s"]
type = search
keywords = {free_kw}
ctr = 5%
cvr = 10%
inflation = 0%
[constraint "cap"]
expr = clicks(s) <= 500
""")
x = channel(data, "s")["spend"]
clicks = search_clicks(x)
check_cap(data, "search clicks", clicks, 500)
kw = data["keywords"][0]
close(kw["clicks"], clicks, 1e-9 * clicks, "keyword clicks")
close(kw["conversions"], 0.1 * clicks, 1e-9 * clicks, "keyword conversions")
z = brentq(lambda z: cost(z) - x, -4, 3.09, xtol=1e-14)
close(kw["bid"], math.exp(mu + s * z), 1e-9, "keyword bid: the exact bid at its spend")
done()
