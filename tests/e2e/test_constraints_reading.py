"""The Constraints sheet's expression as a planner reads it: the bound in
the workbook's numbers and unit (French: a narrow no-break space between
thousands, a decimal comma, a no-break space before %), the amounts a plan
writes with k or M written out, a share or reach written in % kept in %;
the expression as the plan file writes it in a column of its own, headed.
What stops a channel quotes its constraint in the same words.
The sheet is read from the xlsx's XML (zipfile), not through a library;
every expected text is written out here from the plan below."""
import os
import re
import subprocess
import zipfile
import xml.etree.ElementTree as ET

from mpcommon import *

d = tmpdir("constraints_reading")
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
NNBSP, NBSP = "\u202f", "\u00a0"
PLAN = ("""[plan]
name = Readings
budget = 300k
start = 2027-03-01
periods = 4
universe = 10M
objective = max conversions
period_budget = 120k

[period 2]
budget = 80k
"""
        + TV_AND_SOCIAL + """
[channel "mmm"]
type = curve
response = hill
beta = 3000
ec = 50k
slope = 1
max_spend = 90k
""")
CONS = {"tv-floor": "share(tv) >= 25%", "cpa": "cpa <= 142.5", "meta-cap": "spend(meta) <= 12.5k",
        "leads": "conversions >= 1000", "tv-reach": "reach(tf1) >= 20%"}
# name: (French, English) as a planner reads them; the budget's row is the
# plan's budget = 300k
READ = {"budget": (f"spend <= 300{NNBSP}000 EUR", "spend <= 300,000 EUR"),
        "tv-floor": (f"share(tv) >= 25{NBSP}%", "share(tv) >= 25 %"),
        "cpa": ("cpa <= 142,50 EUR", "cpa <= 142.50 EUR"),
        "meta-cap": (f"spend(meta) <= 12{NNBSP}500 EUR", "spend(meta) <= 12,500 EUR"),
        "leads": (f"conversions >= 1{NNBSP}000", "conversions >= 1,000"),
        # and the people its value and bound count: 20 % of the universe of 10M
        "tv-reach": (f"reach(tf1) >= 20{NBSP}% (2{NNBSP}000{NNBSP}000 personnes)",
                     "reach(tf1) >= 20 % (2,000,000 people)")}

# The rows the plan makes of its keys, as its file writes them (the same in
# either language: the plan's own text, never "spend <= 300,000 EUR")
WRITTEN = {"budget": "budget = 300k", "budget_p1": "period_budget = 120k",
           "budget_p2": "period_budget = 120k; [period 2] budget = 80k",
           "max_spend_mmm": '[channel "mmm"] max_spend = 90k'}


def sheet_rows(path, name):
    """The sheet's rows as lists of cell texts (numbers as their XML text)."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iterfind("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    rows = []
    for row in ET.fromstring(z.read(sheet_part(z, name))).iter(
            f"{{{NS['m']}}}row"):
        cells = {}
        for c in row.iterfind("m:c", NS):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            idx = 0
            for ch in col:
                idx = idx * 26 + ord(ch) - 64
            v = c.find("m:v", NS)
            if c.get("t") == "s":
                cells[idx - 1] = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[idx - 1] = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
            else:
                cells[idx - 1] = v.text if v is not None else None
        rows.append([cells.get(i) for i in range(max(cells) + 1)] if cells else [])
    return rows


plan = write(os.path.join(d, "readings.ini"),
             PLAN + "".join(f'\n[constraint "{n}"]\nexpr = {e}\n' for n, e in CONS.items()))
for lang, sheet, head in (("fr", "Contraintes", "expression telle que le plan l'écrit"),
                          ("en", "Constraints", "expression as the plan writes it")):
    xlsx = os.path.join(d, f"readings_{lang}.xlsx")
    p = run("optimize", plan, "-o", xlsx, "--lang", lang, "-q")
    check(p.returncode == 0, f"{lang}: exit {p.returncode} {p.stderr}")
    if p.returncode:
        continue
    rows = sheet_rows(xlsx, sheet)
    col = rows[0].index(head) if head in rows[0] else None
    check(col is not None and col > 1, f"{lang}: a column headed {head!r}: {rows[0]}")
    byname = {r[0]: r for r in rows[1:] if r}
    for name, texts in READ.items():
        r = byname.get(name)
        check(r is not None, f"{lang}: a row {name}")
        if r is None:
            continue
        want = texts[0] if lang == "fr" else texts[1]
        check(r[1] == want, f"{lang}: {name} reads {r[1]!r}, not {want!r}")
        if name in CONS and col is not None:
            check(len(r) > col and r[col] == CONS[name],
                  f"{lang}: {name} as written: {r[col] if len(r) > col else None!r}")
    for name, text in WRITTEN.items():
        r = byname.get(name)
        got = r[col] if r and col is not None and len(r) > col else None
        check(got == text, f"{lang}: {name} as written: {got!r}, not {text!r}")

# the MMM example's x4 is capped by x4-cap (share(x4) <= 25%): its line in
# the terminal, English and French, says the cap as the sheet does
mmm = os.path.join(SRC, "datasets", "examples", "mmm_curves.ini")
FR_LOCALE = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
for env, want in ((None, "capped by its own constraint x4-cap: share(x4) <= 25 %"),
                  (dict(FR_LOCALE, LANG="fr_FR.UTF-8"),
                   f"plafonné par sa propre contrainte x4-cap{NBSP}: share(x4) <= 25{NBSP}%")):
    p = subprocess.run([MIXPLAN, "optimize", mmm], capture_output=True, text=True, env=env, timeout=600)
    check(p.returncode == 0 and want in p.stdout, f"x4's limit says {want!r}:\n{p.stdout}")
done()
