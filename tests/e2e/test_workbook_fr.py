"""The French workbook read back with openpyxl: each kind of cell in the
number format the issue names, with the French locale ([$-40C]) that makes
LibreOffice show French separators (Excel shows its reader's own), a
percentage written "5,9 %"; figures equal to the JSON; channel types as a
French planner heads a table; the CO2e factors and their sources on the
Assumptions sheet, its pages cut between blocks; wrapped sentences in rows tall enough for them; the LP
dual folded away on the Constraints sheet; headings right-aligned over
numbers; the chart axes' round ticks."""
import datetime
import math
import os

import openpyxl

from mpcommon import *

d = tmpdir("workbook_fr")
xlsx = os.path.join(d, "spring_fr.xlsx")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
p, data = optimize_json(plan, "-o", xlsx, "--lang", "fr")
check(p.returncode == 0 and data, f"exit {p.returncode}: {p.stderr}")
wb = openpyxl.load_workbook(xlsx)

FR = "[$-40C]"
MONEY = FR + '#,##0 "\u20ac"'       # whole euros
CENTS = FR + '#,##0.00 "\u20ac"'    # CPA, bids, unit costs
COUNT = FR + "#,##0"                # people, impressions, clicks, kg
CONV = FR + "[>=100]#,##0;[<=-100]-#,##0;#,##0.0"  # a decimal within 100 of 0
DEC1 = FR + "#,##0.0"               # GRP
PCT = FR + '0.0"\u00a0"%'           # shares, ROAS: 5,9 %
DATE = "dd/mm/yyyy"                 # digits alone: no locale needed


def fmt(cell, want, what):
    check(cell.number_format == want, f"{what}: format {cell.number_format!r}, expected {want!r}")


rel = 1e-9
spend = data["kpis"]["spend"]

# Summary: the KPIs in their formats, equal to the JSON; the channels' types
# and the media as a French planner heads them; shares in %.
ws = wb["Synthèse"]
rows = {}
for r in ws.iter_rows(min_row=1, max_row=45):  # the first row of a name: its table's
    rows.setdefault(r[0].value, r)
fmt(rows["Budget"][1], MONEY, "Budget")
# the objective as a French planner says it (the plan: objective = max conversions)
check(rows["Objectif"][1].value == "conversions au maximum",
      f"Objectif: {rows['Objectif'][1].value!r}")
close(rows["Budget"][1].value, data["plan"]["budget"], 0, "Budget")
for label, key, f in (("investissement", "spend", MONEY), ("impressions", "impressions", COUNT),
                      ("clics", "clicks", COUNT), ("conversions", "conversions", CONV),
                      ("chiffre d'affaires", "revenue", MONEY), ("GRP", "grp", DEC1),
                      ("couverture", "reach", COUNT), ("CO2e", "co2", COUNT)):
    fmt(rows[label][2], f, f"Synthèse {label}")
    close(rows[label][2].value, data["kpis"][key], rel * (1 + data["kpis"][key]), f"Synthèse {label}")
FR_TYPE = {"search": "Recherche payante", "social": "Réseaux sociaux", "tv": "TV", "radio": "Radio",
           "press": "Presse"}
for ch in data["channels"]:
    r = rows[ch["name"]]
    check(r[1].value == FR_TYPE[ch["type"]], f"{ch['name']}: type {r[1].value!r}")
    fmt(r[2], MONEY, f"Synthèse {ch['name']} spend")
    fmt(r[3], PCT, f"Synthèse {ch['name']} share")
    close(r[3].value, ch["spend"] / spend, 1e-9, f"Synthèse {ch['name']} share")
for m, label in (("digital", "Numérique"), ("offline", "Hors ligne")):
    fmt(rows[label][3], PCT, f"Synthèse {label} share")
    close(rows[label][3].value, data["media"][m] / spend, 1e-9, f"Synthèse {label} share")

# Channels: money, counts, CPA with cents, ROAS in % of the same ratio; no
# CO2e factor columns (they are inputs: on the Assumptions sheet).
ws = wb["Canaux"]
head = [c.value for c in ws[1]]
col = {h: i for i, h in enumerate(head)}
check(not any("facteur" in (h or "") for h in head), f"Canaux: no CO2e factor column: {head}")
check(head[-1] == "ce qui le limite", f"Canaux: what stops it last: {head}")
for i, ch in enumerate(data["channels"]):
    r, k = ws[2 + i], ch["kpis"]
    check(r[1].value == FR_TYPE[ch["type"]], f"Canaux {ch['name']} type {r[1].value!r}")
    for h, key, f in (("investissement (EUR)", None, MONEY), ("impressions", "impressions", COUNT),
                      ("clics", "clicks", COUNT), ("conversions", "conversions", CONV),
                      ("chiffre d'affaires (EUR)", "revenue", MONEY), ("GRP", "grp", DEC1),
                      ("couverture (personnes)", "reach", COUNT), ("CO2e (kg)", "co2", COUNT)):
        want = ch["spend"] if key is None else k[key]
        fmt(r[col[h]], f, f"Canaux {ch['name']} {h}")
        close(r[col[h]].value, want, rel * (1 + abs(want)), f"Canaux {ch['name']} {h}")
    if k["conversions"] > 0:
        fmt(r[col["CPA (EUR)"]], CENTS, f"Canaux {ch['name']} CPA")
        close(r[col["CPA (EUR)"]].value, ch["spend"] / k["conversions"], 1e-9 * ch["spend"],
              f"Canaux {ch['name']} CPA")
    if ch["spend"] > 0:
        fmt(r[col["ROAS"]], PCT, f"Canaux {ch['name']} ROAS")
        close(r[col["ROAS"]].value, k["revenue"] / ch["spend"], 1e-9, f"Canaux {ch['name']} ROAS")
    # the sentence wraps in its column; its row is as tall as its lines (a
    # line of the column's width holds at most about width characters)
    why = r[col["ce qui le limite"]]
    width = ws.column_dimensions[why.column_letter].width
    lines = math.ceil(len(why.value) / width)
    height = ws.row_dimensions[2 + i].height or 15
    check(why.alignment.wrap_text and height >= 15 * lines,
          f"Canaux {ch['name']}: {len(why.value)} characters in a width of {width} "
          f"take {lines} lines, the row is {height} pt high")

# Assumptions: each channel's CO2e factor with its source, by its name.
ws = wb["Hypothèses"]
factors = {r[0]: r for r in ws.iter_rows(values_only=True) if r[1] == "facteur CO2e"}
for ch in data["channels"]:
    r = factors.get(ch["name"])
    check(r is not None and r[2] and "kg par" in r[2] and r[3],
          f"Hypothèses: {ch['name']}'s CO2e factor and source: {r}")
# price periods as date cells, unit costs with cents, yearly rates in %
dates = [r for r in ws.iter_rows(min_row=2) if isinstance(r[3].value, datetime.datetime)]
check(len(dates) >= data["plan"]["periods"], f"Hypothèses: price periods are dates ({len(dates)})")
for r in dates:
    fmt(r[3], DATE, "Hypothèses period")
    fmt(r[5], CENTS, "Hypothèses unit cost")
    fmt(r[2], PCT, "Hypothèses yearly rate")

# The sheet's pages are cut by manual breaks, none between a block's title
# and its first row (a break's id is the last row of its page, counted from 1).
breaks = [b.id for b in ws.row_breaks.brk]
check(breaks == sorted(breaks) and len(breaks) >= 2, f"Hypothèses: page breaks {breaks}")
for title, rows in (("Données sources", 1), ("Prix par période (inflation appliquée)", 2),
                    ("Notes sur le modèle", 1)):
    at = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == title)
    check(not any(at <= b < at + rows for b in breaks),
          f"Hypothèses: {title!r} (row {at}) with its first rows: breaks {breaks}")

# Plan: each period's heading a date cell, spends whole money.
ws = wb["Plan média"]
start = datetime.datetime.fromisoformat(data["plan"]["start"])
for t in range(data["plan"]["periods"]):
    c = ws.cell(2, 3 + t)
    check(c.is_date and c.value == start + datetime.timedelta(days=7 * t), f"Plan P{t + 1}: {c.value!r}")
    fmt(c, DATE, f"Plan P{t + 1} heading")
    fmt(ws.cell(3, 3 + t), MONEY, f"Plan P{t + 1} spend")

# Constraints: the LP dual folded away (hidden, outline level 1: not
# printed), the exact shadow price beside it; values in their measure's
# format; three significant digits on the prices.
ws = wb["Contraintes"]
head = [c.value for c in ws[1]]
dual = next(i for i, h in enumerate(head, 1) if h.startswith("valeur duale"))
dim = ws.column_dimensions[openpyxl.utils.get_column_letter(dual)]
check(dim.hidden and dim.outlineLevel == 1, f"Contraintes: the dual folded: {dim.hidden} {dim.outlineLevel}")
shown = [h for i, h in enumerate(head, 1)
         if not ws.column_dimensions[openpyxl.utils.get_column_letter(i)].hidden]
check(shown[:5] == ["nom", "expression", "valeur", "borne", "saturée"] and len(shown) == len(head) - 1,
      f"Contraintes: what a planner reads printed: {shown}")
byname = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
for c in data["constraints"]:
    r = byname[c["name"]]
    close(ws.cell(r, dual).value, c["dual"], 1e-12, f"{c['name']} dual")
    close(ws.cell(r, dual + 1).value, c["shadow_price"], 1e-9 * (1 + abs(c["shadow_price"])),
          f"{c['name']} shadow price")
    for k in (dual, dual + 1):
        v, f = ws.cell(r, k).value, ws.cell(r, k).number_format
        check(f.startswith(FR), f"{c['name']}: {f!r} in French")
        if v and "E+" not in f:
            dec = len(f.split(".")[1]) if "." in f else 0
            check(dec == max(0, 2 - math.floor(math.log10(abs(v)))), f"{c['name']} {v}: {f!r}")
for name, f in (("budget", MONEY), ("cpa", CENTS), ("competitor-cap", MONEY),
                ("offline-share", PCT)):
    fmt(ws.cell(byname[name], 3), f, f"Contraintes {name} value")
    fmt(ws.cell(byname[name], 4), f, f"Contraintes {name} bound")

# Keywords: bids with cents, clicks counted, cost whole, conversions.
ws = wb["Mots clés"]
for r in range(2, ws.max_row + 1):
    fmt(ws.cell(r, 4), CENTS, "mot clé enchère")
    fmt(ws.cell(r, 5), COUNT, "mot clé clics")
    fmt(ws.cell(r, 6), MONEY, "mot clé coût")
    fmt(ws.cell(r, 7), CONV, "mot clé conversions")

# Every heading over a column of numbers is right-aligned as they are, every
# heading over text left as it is: the table's heading row (bold, a bottom
# border) of each sheet, read against the first row under it.
for ws in wb.worksheets:
    for row in ws.iter_rows(max_row=min(ws.max_row - 1, 60)):
        for c in row:
            if not (isinstance(c.value, str) and c.font.b and c.border.bottom.style == "thin"):
                continue
            below = ws.cell(c.row + 1, c.column).value
            if below is None or below == "n.d.":
                continue
            under = ws.cell(c.row + 1, c.column)
            numeric = (isinstance(below, (int, float, datetime.datetime)) or
                       str(below)[:5] == "=SUM(" or under.alignment.horizontal == "right")
            want = "right" if numeric else under.alignment.horizontal  # a sentence indented
            check(c.alignment.horizontal == want and c.alignment.indent == under.alignment.indent,
                  f"{ws.title}!{c.coordinate} {c.value!r} over {below!r}: "
                  f"aligned {c.alignment.horizontal!r}, expected {want!r}")

# Text among figures reads right-aligned: the week names under the Plan's
# columns, "oui" or "non" right of a constraint's bound.
ws = wb["Plan média"]
names = [c for c in ws[ws.max_row] if isinstance(c.value, str) and c.value.startswith("S")]
check(len(names) == data["plan"]["periods"] and all(c.alignment.horizontal == "right" for c in names),
      f"Plan: the weeks' names right-aligned: {[(c.value, c.alignment.horizontal) for c in names]}")
ws = wb["Contraintes"]
check(all(ws.cell(r, 5).alignment.horizontal == "right" for r in range(2, ws.max_row + 1)),
      "Contraintes: saturée right-aligned")

# The charts' value axes: round ticks (whole conversions, whole percent).
sx = os.path.join(d, "sweep_fr.xlsx")
p = run("whatif", plan, "--vary", "inflation=0%,10%", "-o", sx, "--lang", "fr", "--quiet")
check(p.returncode == 0, f"whatif: {p.stderr}")
charts = openpyxl.load_workbook(sx)["Scénarios"]._charts
axes = {type(c).__name__: c.y_axis.numFmt.formatCode for c in charts if c.y_axis.numFmt}
check(axes.get("LineChart") == COUNT, f"the conversions axis in whole numbers: {axes}")
check(axes.get("BarChart") == FR + '0"\u00a0"%', f"the shares axis in whole percent: {axes}")
# A booked plan in French: the Summary's MIP rows and the Plan sheet's
# booking block in the catalogue's words (po/fr.po).
BOOKED = """[plan]
budget = 100000
start = 2027-03-01
periods = 4
objective = max conversions

[channel "telly"]
type = tv
spot_cost = 2500
grp_per_spot = 2.5
response = exp
beta = 500
response_k = 20000
min_grp = 10

[channel "web"]
type = curve
curve = exp
beta = 200
k = 10000
"""
bx = os.path.join(d, "booked_fr.xlsx")
p, bd = optimize_json(write(os.path.join(d, "booked.ini"), BOOKED), "-o", bx, "--lang", "fr")
check(p.returncode == 0 and bd and bd["mip"]["status"] == "optimal", f"booked: {p.stderr}")
if bd:
    bw = openpyxl.load_workbook(bx)
    said = {r[0]: r[1] for r in bw["Synthèse"].iter_rows(min_row=1, max_row=14, values_only=True)
            if r[0]}
    check(said.get("Plan réservable") == "le meilleur des plans réservables",
          f"Synthèse: plan réservable {said.get('Plan réservable')!r}")
    # ce que coûtent les règles de réservation, dit une fois : sur la ligne Optimalité
    check(str(said.get("Optimalité", "")).startswith("les règles de réservation (spots et "
                                                     "insertions entiers, vagues, réservations "
                                                     "minimales) coûtent au plus ")
          and "Face aux dépenses continues" not in said,
          f"Synthèse: optimalité {said.get('Optimalité')!r}")
    check(str(said.get("Recherche du plan réservable", "")).startswith("prouvé le meilleur après "),
          f"Synthèse: recherche {said.get('Recherche du plan réservable')!r}")
    rows = [[c.value for c in r] for r in bw["Plan média"].iter_rows(min_row=1, max_row=30)]
    got = {(r[0], r[1]): r[2:6] for r in rows if r[0] == "telly"}
    per = channel(bd, "telly")["periods"]
    check(got.get(("telly", "spots")) == [pp["units"] for pp in per], "Plan: telly spots")
    check(got.get(("telly", "à l’antenne")) == ["oui" if pp["airs"] else "non" for pp in per],
          f"Plan: telly à l’antenne {got.get(('telly', 'à l’antenne'))}")
done()
