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


EFF_PLAN = BTS_EFFECTIVE
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
    check("limit reached: eff-3plus >= 4,500,000 people" in p.stdout, f"terminal: {p.stdout}")
done()
