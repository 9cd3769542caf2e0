#!/usr/bin/env python3
"""A plan too large to range (more than MPI_RANGE_WORK / (1 + MPI_RANGE_SOLVES)
= 4e6 / 49 = 81,633 LP columns, ranging.c) says so where the range would
be: the terminal's binding line ends "(range not computed for a plan this
size)", the Constraints sheet's range cells say it (in French too), and the
JSON keeps its contract (range null). The plan: six Michaelis-Menten curves
over 52 weeks at a 0.001 % curve tolerance; its column count is read here
from export-lp's LP file. The same plan at 0.1 % is small and ranged."""
import os
import re

import openpyxl

from mpcommon import *

d = tmpdir("toolarge")
text = ("[plan]\nbudget = 2M\nstart = 2027-01-04\nperiods = 52\nperiod = week\n"
        "objective = max conversions\nprecision = 0.001%\n")
for i in range(6):
    text += (f"\n[channel \"c{i}\"]\ntype = curve\ncurve = michaelis-menten\n"
             f"beta = {500 + 100 * i}\nk = {10 + 5 * i}k\nkpi = conversions\n")
plan = write(os.path.join(d, "large.ini"), text)
small = write(os.path.join(d, "small.ini"), text.replace("precision = 0.001%", "precision = 0.1%"))

lp = os.path.join(d, "large.lp")
p = run("export-lp", plan, "-o", lp)
check(p.returncode == 0, f"export-lp: {p.stderr}")
cols = len(set(re.findall(r"\bx_\w+", open(lp).read()))) if p.returncode == 0 else 0
check(cols > 4e6 / 49, f"the plan has {cols} columns, more than ranging takes")

SAID = {"en": "range not computed for a plan this size",
        "fr": "plage de validité non calculée pour un plan de cette taille"}
p, data = optimize_json(plan)
check(p.returncode == 0 and data is not None, f"large: exit {p.returncode}: {p.stderr}")
budget = [c for c in (data or {}).get("constraints", []) if c["name"] == "budget"]
check(len(budget) == 1 and budget[0]["range"] is None, f"JSON range stays null: {budget}")
p = run("optimize", plan)
line = [l for l in logical(p.stdout).splitlines() if l.startswith("limit reached: the budget of 2,000,000 EUR")]
check(len(line) == 1 and line[0].endswith(f"({SAID['en']})"), f"terminal: {line}")
for lang in ("en", "fr"):
    xlsx = os.path.join(d, f"large_{lang}.xlsx")
    p = run("optimize", plan, "-o", xlsx, "--lang", lang, "--quiet")
    check(p.returncode == 0, f"{lang}: exit {p.returncode}")
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    rows = [r for ws in wb.worksheets for r in ws.iter_rows(values_only=True)
            if r and r[0] == "budget"]
    wb.close()
    said = [r for r in rows if sum(v == SAID[lang] for v in r) == 2]
    check(len(said) == 1, f"{lang}: the budget's two range ends say {SAID[lang]!r}: {rows}")

p = run("optimize", small)
line = [l for l in logical(p.stdout).splitlines() if l.startswith("limit reached: the budget of 2,000,000 EUR")]
check(len(line) == 1 and SAID["en"] not in line[0] and "(true" in line[0],
      f"the small plan is ranged: {line}")
done()
