"""What a client sees in the workbook, read back with openpyxl and from the
book's own XML: the column charts' value axes start at 0 (columns compared by
their heights); a plan without a search channel has no Keywords or Groups
sheet, the command's "workbook:" line does not name them and no formula,
defined name or chart refers to them; a French workbook of every example
(and a what-if's Scenarios sheet) says its media in French: no "Search",
"Social", "Digital" or "Offline" left in a cell, a chart's title, its
series' names or the model notes."""
import os
import re
import zipfile

import openpyxl

from mpcommon import *

d = tmpdir("workbook_polish")
EXAMPLES = os.path.join(SRC, "datasets", "examples")


def chart_xml(path):
    """Each chart of the book: (its title's text, its XML)."""
    out = []
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if re.match(r"xl/charts/chart\d+\.xml$", n):
                xml = z.read(n).decode("utf-8")
                title = re.search(r"<c:title>.*?<a:t>([^<]*)</a:t>", xml, re.S)
                out.append((title.group(1) if title else "", xml))
    return out


def value_axis_min(xml):
    """The value axis's <c:min val>, or None when the chart leaves it to the
    spreadsheet."""
    ax = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S)
    m = ax and re.search(r'<c:min val="([^"]*)"', ax.group(0))
    return float(m.group(1)) if m else None


# ---- column charts from 0 ---------------------------------------------------
xlsx = os.path.join(d, "spring.xlsx")
p = run("optimize", os.path.join(EXAMPLES, "spring_launch.ini"), "-o", xlsx, "--quiet")
check(p.returncode == 0, f"spring: exit {p.returncode}: {p.stderr}")
charts = dict(chart_xml(xlsx))
for title in ("Spend by media", "Spend by period and channel"):
    check(title in charts, f"spring: a chart titled {title!r} (charts {sorted(charts)})")
    if title in charts:
        check(value_axis_min(charts[title]) == 0, f"{title}: value axis starts at 0")
check("Keywords" in openpyxl.load_workbook(xlsx, read_only=True).sheetnames,
      "a plan with a search channel keeps its Keywords sheet")

# ---- no search channel: no Keywords, no Groups ------------------------------
for lang, want in (("en", ["Summary", "Plan", "Channels", "Constraints", "Assumptions"]),
                   ("fr", ["Synthèse", "Plan média", "Canaux", "Contraintes", "Hypothèses"])):
    xlsx = os.path.join(d, f"mmm_{lang}.xlsx")
    p = run("optimize", os.path.join(EXAMPLES, "mmm_curves.ini"), "-o", xlsx, "--lang", lang)
    check(p.returncode == 0, f"mmm {lang}: exit {p.returncode}: {p.stderr}")
    wb = openpyxl.load_workbook(xlsx)
    check(wb.sheetnames == want, f"mmm {lang}: sheets {wb.sheetnames}, expected {want}")
    # the command's own line names the sheets the book has, in its language
    line = [l for l in p.stdout.splitlines() if ": " + xlsx + " (" in l]
    check(len(line) == 1 and line[0].endswith("(" + ", ".join(want) + ")"),
          f"mmm {lang}: workbook line {line}")
    gone = ("Keywords", "Groups", "Mots clés", "Groupes")
    refs = [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=") and any(g in c.value for g in gone)]
    check(not refs, f"mmm {lang}: formulas referring to a sheet left out: {refs}")
    names = [str(n) for n in wb.defined_names.values()] if hasattr(wb.defined_names, "values") else []
    check(not [n for n in names if any(g in n for g in gone)], f"mmm {lang}: defined names {names}")
    for title, xml in chart_xml(xlsx):
        check(not any(g in xml for g in gone), f"mmm {lang}: chart {title!r} refers to a sheet left out")

# ---- French: the media and the model notes in French --------------------
ENGLISH = re.compile(r"(?<![-_\w])(Search|Social|Digital|Offline)(?![-_\w])")
FRENCH = {"search": "Recherche payante", "social": "Réseaux sociaux", "digital": "Numérique",
          "offline": "Hors ligne"}


def texts(path):
    """Every text a reader sees in the book: cells (not formulas), charts'
    titles and their series' names as cached."""
    out = []
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        out += [(f"{ws.title}!{c.coordinate}", c.value) for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and not c.value.startswith("=")]
    for title, xml in chart_xml(path):
        out += [(f"chart {title!r}", t) for t in re.findall(r"<(?:a:t|c:v)>([^<]*)</", xml)]
    return out


books = []
for ini in sorted(os.listdir(EXAMPLES)):
    if ini.endswith(".ini"):
        xlsx = os.path.join(d, "fr_" + ini.replace(".ini", ".xlsx"))
        p, data = optimize_json(os.path.join(EXAMPLES, ini), "-o", xlsx, "--lang", "fr")
        check(p.returncode == 0 and data, f"{ini} in French: exit {p.returncode}: {p.stderr}")
        books.append((ini, xlsx, data))
wi = os.path.join(d, "fr_whatif.xlsx")
p = run("whatif", os.path.join(EXAMPLES, "spring_launch.ini"), "--vary", "inflation=0%,10%", "-o", wi,
        "--lang", "fr", "-q")
check(p.returncode == 0, f"whatif in French: exit {p.returncode}: {p.stderr}")
books.append(("whatif", wi, None))
for name, xlsx, data in books:
    left = [(at, t) for at, t in texts(xlsx) if ENGLISH.search(t)]
    check(not left, f"{name}: English media words in the French book: {left[:5]}")
    if not data:
        continue
    # the media rows on the Synthèse sheet: French labels, the JSON's shares
    ws = openpyxl.load_workbook(xlsx)["Synthèse"]
    rows = {}
    for r in ws.iter_rows():  # a channel's first row: the channel table's
        if isinstance(r[0].value, str):
            rows.setdefault(r[0].value, r)
    spend = data["kpis"]["spend"]
    for m in ("digital", "offline"):
        r = rows.get(FRENCH[m])
        check(r is not None, f"{name}: a {FRENCH[m]!r} row on Synthèse")
        if r is not None:
            close(r[3].value, data["media"][m] / spend, 1e-9, f"{name}: {FRENCH[m]} share")
    for ch in data["channels"]:
        if ch["type"] in FRENCH:
            r = rows.get(ch["name"])
            check(r is not None and r[1].value == FRENCH[ch["type"]],
                  f"{name}: {ch['name']} typed {r[1].value if r else None!r}")
# the Scenarios sheet's title on every printed page: in the page header (a
# page right of the first continues the table's rows: no row repeats there),
# over the heading row every page repeats
ws = openpyxl.load_workbook(wi)["Scénarios"]
title = ws["C1"].value or ""
header = ws.oddHeader.center.text or ""
check(title.startswith("Simulation") and "2 scénarios" in title, f"Scénarios title {title!r}")
check(title and title in header, f"Scénarios page header {header!r}")
check(ws.print_title_rows == "$18:$18", f"Scénarios repeats its heading row: {ws.print_title_rows!r}")
notes = [t for at, t in texts(books[-2][1]) if at.startswith("Hypothèses!")]
check(any(t.startswith("Recherche payante") and "enchères concurrentes" in t for t in notes),
      "spring: the search model's note in French")

done()
