"""The workbook's formulas recalculated by another program: LibreOffice opens
the spring example's workbook with recalculation on load forced (a profile
of the test's own), and every sheet it exports as CSV is compared with the
JSON of the same run. openpyxl (test_workbook.py) only reads the values the
program cached beside its formulas, so a wrong SUM range with a right cached
value passes there; here the formula itself is evaluated.

One LibreOffice conversion (about 2 s): every sheet at once."""
import csv
import glob
import os
import shutil
import subprocess

from mpcommon import *

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if not SOFFICE:
    print("skipped: LibreOffice (soffice) is not installed; make deps installs libreoffice-calc-nogui")
    done()

d = tmpdir("recalc")
xlsx = os.path.join(d, "spring.xlsx")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
p, data = optimize_json(plan, "-o", xlsx)
check(p.returncode == 0 and data, f"exit {p.returncode}: {p.stderr}")

# A LibreOffice profile that recalculates formulas whenever a file is loaded
# (by default an xlsx keeps the values cached in it).
profile = os.path.join(d, "profile")
os.makedirs(os.path.join(profile, "user"))
write(os.path.join(profile, "user", "registrymodifications.xcu"), """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
""")
out = os.path.join(d, "csv")
# CSV filter options: comma, double quote, UTF-8, from line 1, no column
# formats, en-US, then full precision (not "as shown") and the last token -1:
# every sheet, each to <name>-<Sheet>.csv.
conv = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                       "--convert-to",
                       "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1",
                       "--outdir", out, xlsx], capture_output=True, text=True, timeout=300)
sheets = {}
for f in glob.glob(os.path.join(out, "spring-*.csv")):
    with open(f, encoding="utf-8") as fh:
        sheets[os.path.basename(f)[len("spring-"):-4]] = list(csv.reader(fh))
check({"Summary", "Plan", "Channels", "Constraints"} <= set(sheets),
      f"LibreOffice exported {sorted(sheets)}: {conv.stderr}")


def num(s):
    s = s.strip()
    if s.endswith("%"):
        return float(s[:-1]) / 100
    return float(s)


def near(got, want, what, rel=1e-9):
    close(num(got) if isinstance(got, str) else got, want, rel * (1 + abs(want)), what)


if data and "Plan" in sheets:
    grid = sheets["Plan"]
    np_ = data["plan"]["periods"]
    chans = data["channels"]
    body = {r[0]: r for r in grid[2:2 + len(chans)]}
    for ch in chans:
        r = body.get(ch["name"])
        check(r is not None, f"Plan row of {ch['name']}")
        if r is None:
            continue
        for t in range(np_):
            near(r[2 + t], ch["periods"][t]["spend"], f"Plan {ch['name']} P{t + 1}")
        near(r[2 + np_], ch["spend"], f"Plan {ch['name']} total (recalculated)")
    tot = grid[2 + len(chans)]
    check(tot[0] == "total", f"Plan totals row: {tot[:2]}")
    for t in range(np_):
        near(tot[2 + t], sum(ch["periods"][t]["spend"] for ch in chans),
             f"Plan total of P{t + 1} (recalculated)")
    near(tot[2 + np_], data["kpis"]["spend"], "Plan grand total (recalculated)")

if data and "Channels" in sheets:
    rows = sheets["Channels"]
    head = [h.split(" (")[0] for h in rows[0]]
    keys = {"spend": None, "impressions": "impressions", "clicks": "clicks",
            "conversions": "conversions", "revenue": "revenue", "GRP": "grp", "reach": "reach",
            "CO2e": "co2"}
    for r, ch in zip(rows[1:], data["channels"]):
        check(r[0] == ch["name"], f"Channels row {r[0]}")
        for h, q in keys.items():
            want = ch["spend"] if q is None else ch["kpis"][q]
            near(r[head.index(h)], want, f"Channels {ch['name']} {h}")
        # CPA = spend / conversions, ROAS = revenue / spend ("n/a" without a divisor)
        k = ch["kpis"]
        for h, num_, den in (("CPA", ch["spend"], k["conversions"]), ("ROAS", k["revenue"], ch["spend"])):
            cell = r[head.index(h)]
            if den > 0:
                near(cell, num_ / den, f"Channels {ch['name']} {h}")
            else:
                check(cell in ("", "-", "n/a"), f"Channels {ch['name']} {h} without a divisor: {cell!r}")

if data and "Summary" in sheets:
    # the labels are the planners' ("GRP", "CO2e"), the JSON's keys lower case
    key = {"GRP": "grp", "CO2e": "co2"}
    kpi = {key.get(r[0], r[0]): r[2] for r in sheets["Summary"]
           if len(r) > 2 and key.get(r[0], r[0]) in data["kpis"]}
    for q in ("spend", "impressions", "clicks", "conversions", "revenue", "grp", "reach", "co2"):
        check(q in kpi, f"Summary has {q}")
        if q in kpi:
            near(kpi[q], data["kpis"][q], f"Summary {q}")
    media = {r[0].lower(): r[2] for r in sheets["Summary"] if len(r) > 2 and r[0] in ("Digital", "Offline")}
    for m in ("digital", "offline"):
        check(m in media, f"Summary has {m}")
        if m in media:
            near(media[m], data["media"][m], f"Summary {m}")

if data and "Constraints" in sheets:
    rows = {r[0]: r for r in sheets["Constraints"][1:]}
    for c in data["constraints"]:
        r = rows.get(c["name"])
        check(r is not None, f"Constraints row {c['name']}")
        if r:
            near(r[2], c["value"], f"Constraints {c['name']} value")
            near(r[3], c["bound"], f"Constraints {c['name']} bound")
done()
