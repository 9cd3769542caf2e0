"""A reach floor written in % is answered in people and in % of the
universe (the brief's unit): the infeasible explanation's "the most that can
be reached with the others", the baseline's broken row, the Constraints
sheet's reading of the row whose value and bound count people, the Summary's
row for it ("people (10.5 %)" beside the figure). The
percentages are computed here from the people and the universe."""
import os
import re

import openpyxl

from mpcommon import *

d = tmpdir("reachunits")
UNIVERSE = 20e6  # booked_brief_a's
write(os.path.join(d, "last.csv"), "channel,period,spend\ntf1,1,150000\ntf1,2,150000\n")


def pct(people):
    """people as a share of the universe, one decimal, as the terminal writes it."""
    return f"{100 * people / UNIVERSE:.1f} %"


# Infeasible: tf1's 3+ reach cannot reach 25 % within the budget beside the
# brief's other rows; the explanation says how far, in both units.
plan = write(os.path.join(d, "far.ini"),
             booked_brief_a(tail='[constraint "tv-far"]\nexpr = effective_reach(tf1) >= 25%\n'))
p = run("optimize", plan)
check(p.returncode == 1, f"infeasible: exit {p.returncode}: {p.stderr}")
m = re.search(r"tv-far: effective_reach\(tf1\) >= 25% \(the most that can be reached with the "
              r"others: ([\d,]+) people \((\d+\.\d) %\)\)", p.stderr)
check(m, f"the most reachable in people and %: {p.stderr}")
if m:
    most = float(m.group(1).replace(",", ""))
    check(0 < most < 0.25 * UNIVERSE, f"below the floor: {most}")
    check(m.group(2) + " %" == pct(most), f"{m.group(2)} % is {most:,.0f} of {UNIVERSE:,.0f}")

# The brief's 12 % floor with a baseline that breaks it (24 spots, 60 GRP):
# its reach in both units; the Constraints sheet reads the bound in the
# brief's % and in people.
plan = write(os.path.join(d, "base.ini"), booked_brief_a(plan_extra="baseline = last.csv"))
xlsx = os.path.join(d, "base.xlsx")
p = run("optimize", plan, "-o", xlsx)
check(p.returncode == 0, f"feasible: {p.stderr}")
m = re.search(r"breaks tv-3plus \(effective_reach\(tf1\) >= 12%\): it has ([\d,]+) people "
              r"\((\d+\.\d) %\)", p.stdout)
check(m, f"the baseline's reach in people and %: {p.stdout}")
if m:
    check(m.group(2) + " %" == pct(float(m.group(1).replace(",", ""))), f"baseline %: {m.group(0)}")
# the Summary's row for it: the people, and beside them the unit and the share
summary = openpyxl.load_workbook(xlsx)["Summary"]
srow = next((r for r in summary.iter_rows(values_only=True)
             if r[0] and str(r[0]).startswith("! the current plan breaks tv-3plus")), None)
check(srow is not None, "the Summary marks tv-3plus as broken by the current plan")
if srow and m:
    people = float(m.group(1).replace(",", ""))
    close(srow[4], people, 0.5, "the Summary's people are the terminal's")
    check(srow[5] == f"people ({pct(srow[4])})", f"the Summary's unit and share: {srow[5]!r}")
ws = openpyxl.load_workbook(xlsx)["Constraints"]
row = next((r for r in ws.iter_rows(values_only=True) if r[0] == "tv-3plus"), None)
check(row is not None, "the Constraints sheet has tv-3plus")
if row:
    bound = 0.12 * UNIVERSE
    check(row[1] == f"effective_reach(tf1) >= 12 % ({bound:,.0f} people)", f"reading: {row[1]!r}")
    close(row[3], bound, 1e-6 * bound, "the bound column counts people")

done()
