"""A what-if sweep of a booked plan, read as a planner reads a buy: each
scenario's whole spots and insertions in the terminal (`spots and insertions
booked:`), and under the table each booked channel's bookings before its
money (`tf1: same 12 spots, +28,800 EUR at the higher cost`, `rtl: from 24 to
27 spots, +4,500 EUR`), the `spend changes:` line keeping the other channels;
and the effective reach at [plan] effective_frequency of each scenario
(terminal `3+ reach`, JSON `scenarios[].kpis.effective_reach`, the Scenarios
sheet) and of the current plan (`effective reach (3+ exposures): A -> B
people`, JSON `baseline.kpis.effective_reach`, the Summary sheet's baseline
table).

Every expected figure comes from here: a spot's price is the plan's
spot_cost times 1 + the axis value, a booking's change of spend its spots'
change times that price; the effective reach is the README's: each
channel's exposures a negative binomial (scipy's nbinom) fitted to its mean
exposures and its closed-form 1+ reach (TV and radio Rmax (1 - e^(-k GRP)),
press R (1 - e^(-n A / R)), social A (1 - e^(-impressions / A))), the
channels' exposures added as independent (their convolution). The plan's
spots and spends are read from the JSON and checked whole and priced."""
import json
import math
import os
import re

import openpyxl

from mpcommon import *

d = tmpdir("booked_whatif")
U, K = 10e6, 3
SPOT = {"tf1": (12000, 2.5, 0.80, 0.006), "rtl": (1500, 2.0, 0.60, 0.004)}  # cost, GRP/spot, Rmax, k
CPI, AUD, READ = 9000, 500e3, 1.5e6  # daily
CPM, SOC = 6, 4e6  # meta
PLAN = """[plan]
name = Booked sweep
budget = 400k
start = 2027-03-01
periods = 4
objective = max conversions
universe = 10M
effective_frequency = 3
{extra}
[channel "tf1"]
type = tv
spot_cost = 12000
grp_per_spot = 2.5
rmax = 80%
k = 0.006
flight = 1-2
response = exp
beta = 4000
response_k = 80k

[channel "rtl"]
type = radio
spot_cost = 1500
grp_per_spot = 2
rmax = 60%
k = 0.004
response = exp
beta = 200
response_k = 15k

[channel "daily"]
type = press
cpi = 9000
audience = 500k
readership = 1.5M
max_insertions = 2
response = exp
beta = 300
response_k = 25k

[channel "meta"]
type = social
cpm = 6
audience = 4M
ctr = 1%
cvr = 2%

[constraint "tv-cap"]
expr = grp(tf1) <= 30
"""
plan = write(os.path.join(d, "sweep.ini"), PLAN.format(extra=""))
# last year: 12 tf1 spots, 20 rtl spots, 3 insertions, 60k on meta
write(os.path.join(d, "lastyear.csv"), "channel,period,spend\ntf1,1,72000\ntf1,2,72000\n"
      "rtl,1,15000\nrtl,3,15000\ndaily,1,18000\ndaily,3,9000\nmeta,1,30000\nmeta,2,30000\n")
based = write(os.path.join(d, "based.ini"), PLAN.format(extra="baseline = lastyear.csv\n"))


def effective(units, meta_spend):
    """People reached K+ times by the plan: units {channel: spots or
    insertions over the plan}, meta's spend."""
    p = [1.0] + [0.0] * (K - 1)
    chans = []
    for name, (_, gps, rmax, k) in SPOT.items():
        grp = units[name] * gps
        chans.append((grp / 100 * U, rmax * U * -math.expm1(-k * grp)))
    chans.append((units["daily"] * AUD, READ * -math.expm1(-units["daily"] * AUD / READ)))
    imp = 1000 * meta_spend / CPM
    chans.append((imp, SOC * -math.expm1(-imp / SOC)))
    for imp, reach in chans:
        q = exposures_pmf(imp, reach, U, K)
        p = [sum(p[i] * q[j - i] for i in range(j + 1)) for j in range(K)]
    return U * (1 - sum(p))


def norm(text):
    """Thin, no-break and narrow no-break spaces as plain ones."""
    return re.sub("[\u00a0\u202f\u2009]", " ", text)


def num(text):
    return float(norm(text).replace(" ", "").replace(",", "").replace("+", ""))


def booking(scen):
    """{channel: [units by period]} of a scenario's booked channels."""
    return {b["name"]: [q.get("units", 0) for q in b["periods"]] for b in scen["booking"]}


# ---- the sweep: spots, their prices, the reading, the effective reach -------
js, xlsx = os.path.join(d, "sweep.json"), os.path.join(d, "sweep.xlsx")
p = run_in(False, "whatif", plan, "--vary", "cpp:tv=0%..20%/10%", "--json", js, "-o", xlsx)
check(p.returncode == 0, f"whatif exits 0: {p.stderr}")
data = json.load(open(js))
scens = data["scenarios"]
values = [0.0, 0.1, 0.2]
check([s["params"]["cpp:tv"] for s in scens] == values, f"the axis values: {[s['params'] for s in scens]}")
units, spends, expect = [], [], []
for v, s in zip(values, scens):
    b = booking(s)
    tot = {n: sum(us) for n, us in b.items()}
    sp = {c["name"]: c["spend"] for c in s["channels"]}
    for n, us in b.items():
        check(all(u == round(u) for u in us), f"cpp:tv {v}: {n} whole units {us}")
    close(sp["tf1"], tot["tf1"] * 12000 * (1 + v), 1e-6, f"cpp:tv {v}: tf1 spend = spots x 12,000 x {1 + v}")
    close(sp["rtl"], tot["rtl"] * 1500, 1e-6, f"cpp:tv {v}: rtl spend = spots x 1,500")
    close(sp["daily"], tot["daily"] * CPI, 1e-6, f"cpp:tv {v}: daily spend = insertions x 9,000")
    units.append(b)
    spends.append(sp)
    expect.append(effective(tot, sp["meta"]))
    close(s["kpis"]["effective_reach"], expect[-1], 1e-6 * expect[-1],
          f"cpp:tv {v}: JSON kpis.effective_reach")

out = norm(p.stdout)
lines = out.splitlines()
head = next(i for i, l in enumerate(lines) if l.startswith("cpp:tv") and "status" in l)
check("3+ reach" in lines[head], f"the table has a 3+ reach column: {lines[head]}")
col = lines[head].index("3+ reach") + len("3+ reach")
for i, v in enumerate(values):
    row = lines[head + 1 + i]
    cell = row[:col].split()[-1]
    close(num(cell), expect[i], 1.0, f"terminal 3+ reach at cpp:tv {v} ({row})")
check(all(len(l) <= 100 for l in lines[head:] if not l.startswith("workbook:")), f"the tables and the reading within 100 columns: {[l for l in lines[head:] if len(l) > 100]}")

# spots and insertions booked: a row per scenario, the JSON's totals
at = lines.index("spots and insertions booked:")
check(lines[at + 1].split() == ["cpp:tv", "tf1", "spots", "rtl", "spots", "daily", "insertions"],
      f"the spots table's headings: {lines[at + 1]}")
for i, v in enumerate(values):
    cells = lines[at + 2 + i].split()
    want = [sum(units[i][n]) for n in ("tf1", "rtl", "daily")]
    check([num(c) for c in cells[2:]] == want, f"spots at cpp:tv {v}: {cells}, expected {want}")

# the reading: each booked channel's bookings, then its money
a, z = units[0], units[-1]
tf1 = sum(z["tf1"])
check(a["tf1"] == z["tf1"], f"the test's point: tf1 keeps its spots week by week ({a['tf1']}, {z['tf1']})")
dx = tf1 * 12000 * 0.2
close(spends[-1]["tf1"] - spends[0]["tf1"], dx, 1e-6, "tf1's spend change is its spots' dearer price")
want = [f"tf1: same {tf1:.0f} spots, +{dx:,.0f} EUR at the higher cost"]
for n, unit, price in (("rtl", "spots", 1500), ("daily", "insertions", CPI)):
    na, nz = sum(a[n]), sum(z[n])
    check(na != nz, f"the test's point: {n} changes its bookings ({na} -> {nz})")
    want.append(f"{n}: from {na:.0f} to {nz:.0f} {unit}, {(nz - na) * price:+,.0f} EUR")
dm = spends[-1]["meta"] - spends[0]["meta"]
check(abs(dm) > 1, f"the test's point: meta's spend moves ({dm})")
want.append(f"spend changes: meta {dm:+,.0f} EUR")
reading = lines[next(i for i, l in enumerate(lines) if l.startswith("from 0 % to 20 %")) + 1:]
check(reading[:4] == want, f"the reading's lines:\n{reading[:4]}\nexpected\n{want}")

# French
pf = norm(run_in(True, "whatif", plan, "--vary", "cpp:tv=0%..20%/10%").stdout)
check("spots et insertions réservés :" in pf, "French: the spots table's title")
check("couv. 3+" in pf, "French: the 3+ reach column")
fr_dx = f"{dx:,.0f}".replace(",", " ")
check(f"tf1 : toujours {tf1:.0f} spots, +{fr_dx} EUR au coût plus élevé" in pf,
      f"French: tf1's line: {pf}")

# Scenarios sheet: the effective reach column, the reading under the table
ws = openpyxl.load_workbook(xlsx)["Scenarios"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
h = next(i for i, r in enumerate(rows) if r[1] == "status")
c = rows[h].index("effective reach (3+ exposures) (people)")
for i, v in enumerate(values):
    close(rows[h + 1 + i][c], expect[i], 1e-6 * expect[i], f"Scenarios sheet: effective reach at {v}")
notes = [norm(r[0]) for r in rows if isinstance(r[0], str)]
check(want[0] in notes, f"Scenarios sheet: tf1's line among the notes {notes}")

# ---- against the current plan ----------------------------------------------
res = os.path.join(d, "based.json")
bx = os.path.join(d, "based.xlsx")
p = run_in(False, "optimize", based, "--json", res, "-o", bx)
check(p.returncode == 0, f"optimize with a baseline exits 0: {p.stderr}")
data = json.load(open(res))
last = effective({"tf1": 144000 / 12000, "rtl": 30000 / 1500, "daily": 3}, 60000)
close(data["baseline"]["kpis"]["effective_reach"], last, 1e-6 * last, "JSON baseline.kpis.effective_reach")
ob = {c["name"]: sum(q.get("units", 0) for q in c["periods"]) for c in data["channels"]}
now = effective(ob, channel(data, "meta")["spend"])
close(data["kpis"]["effective_reach"], now, 1e-6 * now, "JSON kpis.effective_reach of the optimised plan")
m = re.search(r"^effective reach \(3\+ exposures\): ([\d,]+) -> ([\d,]+) people \(([+-][\d.]+) %\)$",
              norm(p.stdout), re.M)
check(m is not None, f"the comparison's effective reach line: {p.stdout}")
if m:
    close(num(m.group(1)), last, 1.0, "terminal: the current plan's effective reach")
    close(num(m.group(2)), now, 1.0, "terminal: the optimised plan's effective reach")
    close(float(m.group(3)), 100 * (now / last - 1), 0.051, "terminal: the change in %")
    lines = norm(p.stdout).splitlines()
    check(lines[lines.index(m.group(0)) - 1].startswith("against the current plan"),
          "the line comes under the comparison's head")
ws = openpyxl.load_workbook(bx)["Summary"]
row = next((r for r in ([c.value for c in r] for r in ws.iter_rows())
            if r[0] == "effective reach (3+ exposures) (people)" and r[3] is not None), None)
check(row is not None, "Summary sheet: the baseline table's effective reach row")
if row:
    close(row[3], last, 1e-6 * last, "Summary sheet: baseline effective reach")
    close(row[4], now, 1e-6 * now, "Summary sheet: optimised effective reach")
    close(row[5], now - last, 1e-6 * now, "Summary sheet: the gain")
done()
