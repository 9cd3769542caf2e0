#!/usr/bin/env python3
"""A min cost plan whose offline floor holds a channel up says so, as a
max plan does: "next conversion costs 25.5 EUR, above the 16.8 EUR of the
target's last one; held up by offline-floor" (and "maintenu par" in French).

Two Michaelis-Menten curves, one month: web 5000 x/(20k + x), fm (offline)
3000 x/(40k + x), at least 3,000 conversions and fm at least half the spend.
By hand (Lagrange): the floor binds, so both spend the same a with
f(a) + g(a) = 3000; minimising a + b under f(a) + g(b) >= T (price L) and
b - a >= 0 (price u) gives 1 = L f'(a) - u and 1 = L g'(b) + u, so the
target's last conversion costs L = 2 / (f'(a) + g'(a)) and fm's next one
1 / g'(a), above L because f'(a) > g'(a)."""
import os
import re

import openpyxl

from mpcommon import *

PLAN = """[plan]
budget = 200k
start = 2027-01-01
periods = 1
period = month
objective = min cost

[channel "web"]
type = curve
curve = michaelis-menten
beta = 5000
k = 20k
kpi = conversions

[channel "fm"]
type = curve
curve = michaelis-menten
beta = 3000
k = 40k
kpi = conversions
digital = no

[constraint "offline-floor"]
expr = share(fm) >= 50%

[constraint "target"]
expr = conversions >= 3000
"""


def f(x):
    return 5000 * x / (20e3 + x)


def g(x):
    return 3000 * x / (40e3 + x)


lo, hi = 0.0, 1e7
for _ in range(200):
    mid = (lo + hi) / 2
    lo, hi = (mid, hi) if f(mid) + g(mid) < 3000 else (lo, mid)
a = (lo + hi) / 2
fp, gp = 5000 * 20e3 / (20e3 + a) ** 2, 3000 * 40e3 / (40e3 + a) ** 2
target_cost, fm_cost = 2 / (fp + gp), 1 / gp
check(fm_cost > target_cost * 1.1, f"the case: fm's next conversion {fm_cost} above {target_cost}")

d = tmpdir("heldup")
plan = write(os.path.join(d, "plan.ini"), PLAN)
p, data = optimize_json(plan)
check(p.returncode == 0 and data is not None, f"exit {p.returncode}: {p.stderr}")
fm = channel(data, "fm") if data else {}
close(fm.get("spend"), a, 2e-3 * a, "fm's spend at the floor")
lim = fm.get("limit") or {}
check(lim.get("row") == "offline-floor", f"fm's limit row: {lim}")
want = (f"next conversion costs {fm_cost:.3g} EUR, above the {target_cost:.3g} EUR of the "
        f"target's last one; held up by offline-floor")
check(lim.get("text") == want, f"fm's limit:\n  {lim.get('text')}\nwanted\n  {want}")

p = run("optimize", plan)
# past 100 columns the text goes on under itself, from column 19
check(f"fm               {want}" in re.sub(r"\n {19}(?=\S)", " ", p.stdout),
      f"the terminal says {want!r}:\n{p.stdout}")

xlsx = os.path.join(d, "fr.xlsx")
p = run("optimize", plan, "-o", xlsx, "--lang", "fr", "--quiet")
check(p.returncode == 0, f"French workbook: exit {p.returncode}: {p.stderr}")
fr = (f"la conversion suivante coûte {fm_cost:.3g} EUR, plus que les {target_cost:.3g} EUR de la "
      f"dernière de l'objectif\u00a0; maintenu par offline-floor").replace(".", ",")
wb = openpyxl.load_workbook(xlsx, read_only=True)
cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
         for v in row if v is not None]
wb.close()
check(fr in cells, f"the French Channels sheet says {fr!r}")
done()
