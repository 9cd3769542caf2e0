"""A booked TV or radio schedule is read in GRP per week: the terminal's
`spots by period` line gives each period's GRP beside its spots
(`4 (10 GRP)`), wrapped at 100 columns, the Plan sheet has a GRP row under
each TV or radio channel's spots, and the `kpis:` line gives the GRP total
with its decimal (`GRP 105.4`, not `GRP 105`). Every expected GRP is the
period's whole spots times the channel's grp_per_spot from the plan file
below; the spots are the plan's (JSON booking units, the Plan sheet's spots
row), and each is checked whole."""
import os
import re

import openpyxl

from mpcommon import *

d = tmpdir("booked_grp")
GPS = {"tf1": 2.5, "radio-nationale-matin": 1.6}  # grp_per_spot, as written below
PLAN = write(os.path.join(d, "grp.ini"), """[plan]
name = GRP by week
budget = 300k
start = 2027-03-01
periods = 6
objective = max conversions

[channel "tf1"]
type = tv
spot_cost = 9000
grp_per_spot = 2.5
response = exp
beta = 900
response_k = 60k
flight = 1-2, 4-5

[channel "radio-nationale-matin"]
type = radio
spot_cost = 1500
grp_per_spot = 1.6
response = exp
beta = 300
response_k = 20k

[channel "daily"]
type = press
cpi = 9000
audience = 500k
readership = 1.5M
response = exp
beta = 450
response_k = 30k
""")


def fmt(v, fr=False):
    """A GRP figure as a planner writes it: one decimal, none when whole."""
    s = f"{v:,.0f}" if abs(v - round(v)) < 0.05 else f"{v:,.1f}"
    return s.replace(",", "\u202f").replace(".", ",") if fr else s


def schedule(text, name, fr=False):
    """The figures of a channel's `by period` line, its wrapped lines joined."""
    lines = text.splitlines()
    head = f"{name}, spots par période\u00a0:" if fr else f"{name} spots by period:"
    i = next(i for i, l in enumerate(lines) if l.startswith(head))
    body = lines[i][len(head):]
    for more in lines[i + 1:]:
        if not more.startswith("  ") or more.startswith("   "):
            break
        body += " " + more.strip()
    return body.strip(), lines[i:i + 3]


out = os.path.join(d, "grp.xlsx")
p, data = optimize_json(PLAN, "-o", out)
check(p.returncode == 0 and data is not None, f"optimize exits 0: {p.stderr}")
units = {b["name"]: [q.get("units") for q in b["periods"]] for b in data["channels"]
         if b["name"] in GPS}
for name, us in units.items():
    check(all(u is not None and u == round(u) for u in us), f"{name}: whole spots {us}")

total = sum(u * GPS[n] for n, us in units.items() for u in us)
check(abs(total - round(total)) > 0.05, f"the plan's GRP total {total} is not whole (the test's point)")
p = run("optimize", PLAN)
check(f", GRP {fmt(total)}, " in p.stdout, f"kpis line says GRP {fmt(total)}: {p.stdout}")
close(data["kpis"]["grp"], total, 1e-9, "JSON kpis.grp")

for fr in (False, True):
    p = run_in(fr, "optimize", PLAN)
    for name, us in units.items():
        body, shown = schedule(p.stdout, name, fr)
        want = " ".join(f"{u:.0f} ({fmt(u * GPS[name], fr)} GRP)" if u > 0 else f"{u:.0f}"
                        for u in us)
        check(body == want, f"{name} ({'fr' if fr else 'en'}): '{body}', expected '{want}'")
        check(all(len(l) <= 100 for l in shown), f"{name}: the line wraps at 100 columns {shown}")
    # the radio's long name makes its line wrap
    check(len(schedule(p.stdout, "radio-nationale-matin", fr)[1][1]) > 2
          and schedule(p.stdout, "radio-nationale-matin", fr)[1][1].startswith("  "),
          f"the radio's schedule goes on a second line: {p.stdout}")
    if fr:
        check(re.search(r"GRP 105,4\b|GRP \d+,\d\b", p.stdout) is not None,
              "the French kpis line writes GRP with a decimal comma")

# Plan sheet: under each TV or radio channel's spots row, its GRP row.
ws = openpyxl.load_workbook(out)["Plan"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
for name, us in units.items():
    at = next(i for i, r in enumerate(rows) if r[0] == name and r[1] == "spots")
    spots, grp = rows[at], rows[at + 1]
    check(spots[2:2 + 6] == us, f"Plan sheet {name} spots {spots[2:8]} = JSON units {us}")
    check(grp[0] == name and grp[1] == "GRP", f"Plan sheet: a GRP row under {name}'s spots: {grp}")
    for t, u in enumerate(us):
        close(grp[2 + t], u * GPS[name], 1e-9, f"Plan sheet {name} GRP in week {t + 1}")
    check(isinstance(grp[8], str) and grp[8].startswith("=SUM("), f"{name}: GRP total is a SUM {grp[8]}")
check(not any(r[0] == "daily" and r[1] == "GRP" for r in rows), "press has no GRP row")
done()
