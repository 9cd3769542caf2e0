"""Files in any encoding a planner's machine writes.

A plan saved as "ANSI" by Windows (Windows-1252: `name = Lancement été —
Crêpes`, its bytes written here) runs, says it was read as Windows-1252, and
its workbook opens in openpyxl and in LibreOffice (converted to PDF, then to
text with poppler's pdftotext) with the accented name on the Summary sheet.
The same plan in UTF-16 LE and BE (with a BOM) and in UTF-8 with a BOM runs
alike without a note. Keyword Planner's sample re-saved by a French Excel
(tests/fixtures/kwp_uk_excel_fr.csv: Windows-1252, semicolons, decimal
commas, no-break spaces between thousands, quoted numbers) gives the
keywords and figures Python reads from the original. Curve tables, CO2
tables and rules files in Windows-1252 are read with a note; bytes that
Windows-1252 leaves undefined are refused with their line. Every process
output is decoded as strict UTF-8 (mpcommon.run), so invalid UTF-8 on the
terminal fails the test."""
import glob
import json
import os
import re
import shutil
import subprocess
import zipfile

import openpyxl

from mpcommon import *

d = tmpdir("encodings")
NAME = "Lancement été — Crêpes"
CLIENT = "Crêperie Sainte-Anne"


def write_bytes(name, data):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


# A table curve (its header accented) and a saturating curve; 4 weeks.
curve = write_bytes("courbe.csv", "dépense;réponse\n0;0\n20000;50000\n60000;90000\n".encode("cp1252"))
plan_text = f"""; saved as "ANSI" by Notepad
[plan]
name = {NAME}
client = {CLIENT}
currency = EUR
budget = 50k
start = 2027-03-01
periods = 4
objective = max revenue
[channel "télé"]
type = curve
curve = table
points = courbe.csv
kpi = revenue
[channel "affichage"]
type = curve
curve = michaelis-menten
beta = 90k
k = 40k
kpi = revenue
"""
plan = write_bytes("plan_ansi.ini", plan_text.replace("\n", "\r\n").encode("cp1252"))
xlsx = os.path.join(d, "plan_ansi.xlsx")
js = os.path.join(d, "plan_ansi.json")
p = run("optimize", plan, "-o", xlsx, "--json", js)
check(p.returncode == 0, f"cp1252 plan: exit {p.returncode}: {p.stderr}")
check(f"read: {plan}: not UTF-8 (line 3): read as Windows-1252 (Latin-1)" in p.stderr,
      f"the plan's note: {p.stderr}")
check(f"read: {curve}: not UTF-8 (line 1): read as Windows-1252" in p.stderr,
      f"the curve table's note: {p.stderr}")
data = json.load(open(js, encoding="utf-8")) if os.path.exists(js) else {}
check(data.get("plan", {}).get("name") == NAME, f"JSON name: {data.get('plan')}")
check(data.get("plan", {}).get("client") == CLIENT, "JSON client")
check({c["name"] for c in data.get("channels", [])} == {"télé", "affichage"}, "JSON channels")

# openpyxl: the Summary sheet holds the name, byte for byte.
wb = openpyxl.load_workbook(xlsx)
summary = [c.value for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, str)]
check(NAME in summary, f"Summary sheet has the accented name: {summary[:5]}")
with zipfile.ZipFile(xlsx) as z:
    xml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
check(NAME.encode("utf-8") in xml, "the name's UTF-8 bytes are in the workbook's XML")
check("Lancement \xe9t\xe9".encode("latin-1") not in xml, "no Windows-1252 bytes in the XML")
xml.decode("utf-8")  # the whole of it is UTF-8 (raises otherwise)

# LibreOffice: the workbook converted to PDF, the first page (the Summary
# sheet, the first of the workbook) holds the name.
profile = os.path.join(d, "lo-profile")
lo = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                     "--convert-to", "pdf", "--outdir", d, xlsx],
                    capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": d})
pdf = os.path.join(d, "plan_ansi.pdf")
check(lo.returncode == 0 and os.path.exists(pdf), f"soffice: {lo.stdout} {lo.stderr}")
if os.path.exists(pdf):
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    pages = text.split("\f")
    check(wb.sheetnames[0] == "Summary", f"Summary is the first sheet: {wb.sheetnames}")
    check(NAME in pages[0], f"the name on the Summary page: {pages[0][:300]!r}")

# The same plan in UTF-16 (LE, BE, with a BOM) and UTF-8 with a BOM: no note.
curve8 = write_bytes("courbe8.csv", "dépense,réponse\n0,0\n20000,50000\n60000,90000\n".encode())
for enc, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf")):
    path = write_bytes(f"plan_{enc}.ini", bom + plan_text.replace("courbe.csv", "courbe8.csv")
                       .replace("\n", "\r\n").encode(enc))
    p, data = optimize_json(path)
    check(p.returncode == 0, f"{enc} plan: {p.stderr}")
    check("read:" not in p.stderr or "Windows-1252" not in p.stderr, f"{enc}: no note: {p.stderr}")
    check(data and data["plan"]["name"] == NAME, f"{enc}: the name")

# Bytes Windows-1252 leaves undefined: refused with the line, nothing written.
for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D):
    bad = write_bytes("undefined.ini", plan_text.replace("Crêpes", "Cr\x00pes").encode("cp1252")
                      .replace(b"\x00", bytes([b])))
    out = os.path.join(d, "undefined.xlsx")
    p = run("optimize", bad, "-o", out)
    check(p.returncode == 3 and f"undefined.ini:3: neither UTF-8 nor Windows-1252 (byte 0x{b:02X} "
          "is undefined in Windows-1252): save the file as UTF-8" in p.stderr,
          f"byte 0x{b:02X}: {p.returncode} {p.stderr}")
    check(not os.path.exists(out), "no workbook")
# UTF-8 and Windows-1252 in one file: converting would garble the UTF-8.
mixed = write_bytes("mixed.ini", plan_text.encode("utf-8").replace("télé".encode(), "t\xe9l\xe9".encode("cp1252")))
p = run("validate", mixed)
check(p.returncode == 3 and "mixed.ini:10: not valid UTF-8 (byte 0xE9) although other characters "
      "are: the file mixes encodings" in p.stderr, f"mixed: {p.stderr}")

# Keyword Planner's sample as a French Excel re-saves it reads like the
# original, and like Python reads the original.
sample = os.path.join(SRC, "tests", "fixtures", "kwp_uk_sample.csv")
excel = os.path.join(SRC, "tests", "fixtures", "kwp_uk_excel_fr.csv")
raw = open(excel, "rb").read()
check(b";" in raw and b"\xa0" in raw and b'"3,50"' in raw and b"\r\n" in raw,
      "the fixture is what Excel writes: semicolons, 0xA0, quoted decimal commas, CRLF")
rows = [l.split("\t") for l in open(sample, encoding="utf-8").read().splitlines()[3:]]
expected = {r[0]: (float(r[2]), float(r[7]) if len(r) > 7 else None,
                   float(r[8]) if len(r) > 8 else None) for r in rows}


def kw_plan(export, rules=""):
    return write_bytes("kw_" + os.path.basename(export) + ".ini", f"""[plan]
currency = GBP
budget = 100k
start = 2026-09-07
[channel "s"]
type = search
keywords = {export}
ctr = 5%
cvr = 5%
cpc_low = 1
cpc_high = 3
{rules}""".encode("utf-8"))


results = {}
for export in (sample, excel):
    p, data = optimize_json(kw_plan(export))
    check(p.returncode == 0, f"{os.path.basename(export)}: {p.stderr}")
    results[export] = {k["keyword"]: k for k in data["keywords"]} if data else {}
    for kw, (vol, lo, hi) in expected.items():
        k = results[export].get(kw, {})
        close(k.get("monthly_searches"), vol, 0, f"{os.path.basename(export)} {kw} volume")
        close(k.get("bid_low"), lo or 1, 1e-12, f"{os.path.basename(export)} {kw} bid low")
        close(k.get("bid_high"), hi or 3, 1e-12, f"{os.path.basename(export)} {kw} bid high")
check(set(results[excel]) == set(expected), f"the same keywords: {sorted(results[excel])}")
for kw in expected:
    a, b = results[sample].get(kw, {}), results[excel].get(kw, {})
    for field in ("spend", "clicks", "conversions"):
        close(b.get(field), a.get(field, 0), 1e-9 * max(1, abs(a.get(field, 0))),
              f"{kw} {field}: the re-saved export plans as the original")
p = run("keywords", excel)
check(p.returncode == 0 and f"read: {excel}: not UTF-8 (line 6): read as Windows-1252" in p.stderr,
      f"keywords command notes the encoding: {p.returncode} {p.stderr}")
check("13 keywords read, no row skipped" in p.stdout + p.stderr, f"keywords: {p.stdout}")

# The French interface's header and date range, in Windows-1252 ("Mot clé"
# was not found).
fr = write_bytes("fr_ansi.csv", ("Statistiques sur les mots clés\r\n1 juin 2025 – 31 mai 2026\r\n"
                                 "Mot clé;Devise;Nombre moyen de recherches mensuelles;"
                                 "Enchère en haut de page (plage basse);"
                                 "Enchère en haut de page (plage haute)\r\n"
                                 "chaussure été;EUR;1\u00a0000;\"1,27\";\"2,85\"\r\n").encode("cp1252"))
p = run("keywords", fr)
check(p.returncode == 0 and "chaussure été" in p.stdout, f"French header in cp1252: {p.stderr}")
# the range's en dash is byte 0x96 in Windows-1252: read, it dates the prices
check("currency EUR; prices to 2026-05-31" in p.stdout, f"date range with 0x96: {p.stdout}")

# A rules file and a CO2 table in Windows-1252.
rules = write_bytes("rules_ansi.ini", "[group \"clinique privée\"]\nmatch = (?i)dent\n"
                    "[group \"conseil à Londres\"]\nmatch = (?i)london\n[group \"général\"]\n"
                    "match = .\n".encode("cp1252"))
p, data = optimize_json(kw_plan(sample, f"groups = {rules}"))
check(p.returncode == 0, f"rules: {p.stderr}")
p = run("validate", kw_plan(sample, f"groups = {rules}"))
check(p.returncode == 0 and f"read: {rules}: not UTF-8 (line 1): read as Windows-1252" in p.stderr,
      f"rules note: {p.stderr}")
groups = {g["group"] for g in data["groups"]} if data else set()
check(groups == {"clinique privée", "conseil à Londres", "général"}, f"groups: {groups}")
p = run("keywords", sample, "--rules", rules)
check(p.returncode == 0 and "read: " + rules in p.stderr and "clinique privée" in p.stdout,
      f"keywords --rules: {p.stderr} {p.stdout}")
co2 = write_bytes("co2_ansi.csv", "media,kg_co2e_per_unit,unit,source\n"
                  "curve,0.5,1000 EUR,Étude interne — été\n".encode("cp1252"))
co2plan = write_bytes("co2.ini", plan_text.replace("courbe.csv", "courbe8.csv")
                      .replace("objective = max revenue", f"objective = max revenue\nco2_factors = {co2}")
                      .encode("utf-8"))
p = run("validate", co2plan)
check(p.returncode == 0 and f"read: {co2}: not UTF-8 (line 2): read as Windows-1252" in p.stderr,
      f"CO2 table note: {p.stderr}")

shutil.rmtree(d, ignore_errors=True)
done()
