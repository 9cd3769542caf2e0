"""Which constraints hold a booked plan (a share floor that whole spots meet
with room to spare: test_booked_alike_weeks). A floor on
effective reach over two channels (its model row a bound on impressions, not
the figure) binds when its figure is at the bound (the reported people against
the floor, within 1e-5)."""
import os

from mpcommon import *

d = tmpdir("booked_binding")


def row(data, name):
    (r,) = [c for c in data["constraints"] if c["name"] == name]
    return r


EFF_PLAN = """[plan]
budget = 600k
start = 2027-08-02
periods = 12
period = week
objective = min cost
universe = 30M
effective_frequency = 3

[channel "meta"]
type     = social
cpm      = 7.5
ctr      = 1.2%
cvr      = 1.6%
audience = 2.5M

[channel "tf1"]
type         = tv
cpp          = 5200
rmax         = 85%
k            = 0.0058
response     = hill
beta         = 620
ec           = 45000
slope        = 1
min_grp      = 40
flight       = 3-6, 9-11
min_burst    = 2

[constraint "eff-3plus"]
expr = effective_reach(tf1, meta) >= 15%
"""
path = write(os.path.join(d, "eff.ini"), EFF_PLAN)
p, data = optimize_json(path)
check(p.returncode == 0 and data, f"effective plan: {p.returncode} {p.stderr}")
if data:
    r = row(data, "eff-3plus")
    at = abs(r["value"] - 0.15 * 30e6) <= 1e-5 * 0.15 * 30e6
    check(r["value"] >= 0.15 * 30e6 * (1 - 1e-9), f"the floor is met: {r}")
    check(r["binding"] is at, f"binding when at the bound: {r}")
    check(at, f"min cost buys the floor and no more: {r['value']}")
    p = run("optimize", path)
    check("binding: eff-3plus >= 4,500,000 people" in p.stdout, f"terminal: {p.stdout}")
done()
