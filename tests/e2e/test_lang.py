"""The workbook's language (--lang, [plan] language) and the terminal's (the
locale): French sheet names in a French workbook, the English workbook
unchanged by the option, the workbook independent of LANG, and the plan's
language overridden by --lang. The French names are po/fr.po's, written out
here."""
import json
import os
import subprocess

import openpyxl

from mpcommon import *

d = tmpdir("lang")
spring = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
FR_SHEETS = ["Synthèse", "Plan média", "Canaux", "Mots clés", "Groupes", "Contraintes",
             "Hypothèses"]
EN_SHEETS = ["Summary", "Plan", "Channels", "Keywords", "Groups", "Constraints", "Assumptions"]


def run_env(env, *args):
    """The CLI with the locale variables of env alone (the caller's removed)."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
                          env={**base, **env}, timeout=600)


def book(path):
    return openpyxl.load_workbook(path)


def cells(wb):
    """Every sheet's values, row by row, by sheet position."""
    return [[tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets]


# --lang fr: the sheets are French.
fr = os.path.join(d, "fr.xlsx")
p = run_env({}, "optimize", spring, "-o", fr, "--lang", "fr", "-q")
check(p.returncode == 0, f"--lang fr runs: {p.stderr}")
check(book(fr).sheetnames == FR_SHEETS, f"French sheet names: {book(fr).sheetnames}")

# Its headings and labels are French (po/fr.po), its numbers those of the English book.
wbf = book(fr)
summ = wbf["Synthèse"]
check(summ["A3"].value == "Période", f"Summary label: {summ['A3'].value!r}")
# 13 weeks from 2027-03-01 (the spring example's [plan]): plural and a French date
check(summ["B3"].value == "13 semaines à partir du 01/03/2027", f"period: {summ['B3'].value!r}")
import re
cert = next(r[1] for r in summ.iter_rows(values_only=True) if r[0] == "Optimalité")
check(re.fullmatch(r"à \d+(,\d+)?\xa0% au plus de l'optimum exact, certifié", cert or ""),
      f"certified gap in French: {cert!r}")
heads = [c.value for c in wbf["Canaux"][1]]
for h in ["canal", "investissement (EUR)", "clics", "chiffre d'affaires (EUR)",
          "couverture (personnes)", "CPA (EUR)", "ROAS"]:  # ROAS cells are in %
    check(h in heads, f"Channels heading {h!r} in {heads}")
# a period's heading is its first day, a date cell shown as French writes it
import datetime
c2 = wbf["Plan média"]["C2"]
check(c2.value == datetime.datetime(2027, 3, 1) and c2.number_format == "dd/mm/yyyy",
      f"Plan period: {c2.value!r} as {c2.number_format!r}")
check([c.value for c in wbf["Contraintes"][1]][:5] == ["nom", "expression", "valeur", "borne", "saturée"],
      "Constraints headings")
check(any("Avertissements" == r[0] or "Notes sur le modèle" == r[0]
          for r in wbf["Hypothèses"].iter_rows(values_only=True)), "Assumptions notes heading")
check(wbf["Mots clés"]["B1"].value == "mot clé", "Keywords heading")

# --lang en and no --lang: the same English workbook, cell for cell.
en, plain = os.path.join(d, "en.xlsx"), os.path.join(d, "plain.xlsx")
check(run_env({}, "optimize", spring, "-o", en, "--lang", "en", "-q").returncode == 0, "--lang en")
check(run_env({}, "optimize", spring, "-o", plain, "-q").returncode == 0, "no --lang")
check(book(en).sheetnames == EN_SHEETS, f"English sheet names: {book(en).sheetnames}")
check(cells(book(en)) == cells(book(plain)), "--lang en writes the default workbook")


def numbers(wb):
    return [[v for row in ws for v in row if isinstance(v, (int, float))] for ws in cells(wb)]


check(numbers(wbf) == numbers(book(en)), "the French book's numbers are the English book's")

# The workbook does not follow the locale: LANG=fr_FR.UTF-8 without --lang is English.
loc = os.path.join(d, "locale.xlsx")
p = run_env({"LANG": "fr_FR.UTF-8"}, "optimize", spring, "-o", loc, "-q")
check(p.returncode == 0, f"under LANG=fr_FR.UTF-8: {p.stderr}")
check(cells(book(loc)) == cells(book(plain)), "LANG leaves the workbook English")

# The terminal follows the locale, the workbook --lang: LANG=fr_FR.UTF-8 with
# --lang en prints French and writes the English workbook.
both = os.path.join(d, "both.xlsx")
p = run_env({"LANG": "fr_FR.UTF-8"}, "optimize", spring, "-o", both, "--lang", "en")
check(p.returncode == 0, f"LANG=fr_FR.UTF-8 --lang en: {p.stderr}")
check(cells(book(both)) == cells(book(plain)), "--lang en under a French locale: English book")
lines = logical(p.stdout).splitlines()
check("13 semaines à partir du 01/03/2027 — budget 450\u202f000 EUR" in lines[0],
      f"French title: {lines[0]!r}")
check(lines[1].startswith("objectif\xa0: conversions au maximum -> ") and "certifié" in lines[1],
      f"French objective line: {lines[1]!r}")
check(lines[3].split()[:4] == ["canal", "type", "invest.", "part"], f"French columns: {lines[3]!r}")
check(any(l.startswith("médias\xa0: ") and "presse" in l for l in lines), "French media line")
check(any(l.startswith("KPI\xa0: impressions ") for l in lines), "French KPI line")
# the French table keeps its columns: the share's % sign in one column on every row
rows = lines[4:lines.index("", 4)]
check(len({l.index("%") for l in rows}) == 1 and len(rows) >= 6, f"aligned French table: {rows}")


def first_line(env):
    p = run_env(env, "optimize", spring, "--json", os.path.join(d, "x.json"))
    return logical(p.stdout).splitlines()[0] if logical(p.stdout) else ""


# gettext's order: LC_ALL over LC_MESSAGES over LANG; LANGUAGE's list first
# unless the locale is C; English otherwise.
for env, fr in [({}, False), ({"LANG": "fr_FR.UTF-8"}, True), ({"LANG": "fr_CA"}, True),
                ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, False),
                ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, False),
                ({"LC_ALL": "fr_BE.UTF-8", "LC_MESSAGES": "en_US"}, True),
                ({"LANGUAGE": "de:fr", "LANG": "de_DE.UTF-8"}, True),
                ({"LANGUAGE": "fr", "LC_ALL": "C"}, False),
                ({"LANG": "de_DE.UTF-8"}, False), ({"LANG": "french"}, False)]:
    line = first_line(env)
    check(("semaines à partir du" in line) == fr, f"{env}: {'French' if fr else 'English'}: {line!r}")

# [plan] language = fr, and --lang en over it. The plan has no search
# channel: no Keywords or Groups sheet.
KEYWORD_SHEETS = ("Mots clés", "Groupes", "Keywords", "Groups")
FR_NO_KW = [n for n in FR_SHEETS if n not in KEYWORD_SHEETS]
EN_NO_KW = [n for n in EN_SHEETS if n not in KEYWORD_SHEETS]
plan = write(os.path.join(d, "plan.ini"), """[plan]
budget = 100k
start = 2027-03-01
periods = 2
language = fr
[channel "c"]
type = curve
curve = exp
beta = 100
k = 20k
""")
pl = os.path.join(d, "plan_fr.xlsx")
check(run_env({}, "optimize", plan, "-o", pl, "-q").returncode == 0, "[plan] language = fr")
check(book(pl).sheetnames == FR_NO_KW, f"[plan] language = fr: {book(pl).sheetnames}")
check(run_env({}, "optimize", plan, "-o", pl, "-q", "--force", "--lang", "EN").returncode == 0,
      "--lang EN over the plan's")
check(book(pl).sheetnames == EN_NO_KW, f"--lang en wins over the plan: {book(pl).sheetnames}")

# whatif --lang fr: the plan's sheets and the Scenarios sheet in French.
wf = os.path.join(d, "whatif_fr.xlsx")
p = run_env({}, "whatif", plan, "--vary", "budget=50k,100k", "-o", wf, "--lang", "fr", "-q")
check(p.returncode == 0, f"whatif --lang fr: {p.stderr}")
check(book(wf).sheetnames == FR_NO_KW + ["Scénarios"], f"whatif sheets: {book(wf).sheetnames}")


# A what-if run in a French locale: its summary in French (po/fr.po's words,
# French numbers), the Scenarios sheet of a French workbook in French. At
# 600 kEUR the CPA cap keeps part of the budget unspent (test_whatif_explain).
wf = os.path.join(d, "whatif_fr.xlsx")
p = run_env({"LANG": "fr_FR.UTF-8"}, "whatif", spring, "--vary", "budget=450k,600k", "-o", wf,
            "--lang", "fr")
check(p.returncode == 0, f"French what-if runs: {p.stderr}")
for phrase in ("plan de base\xa0: conversions au maximum ->", "2 scénarios (", "calculés en",
               "statut", "vs base", "non dépensé EUR", "presse", "marginal/kEUR",
               "(bloqué par cpa et competitor-cap)", "600\u202f000", "+0,0\u00a0%"):
    check(phrase in logical(p.stdout), f"French what-if summary says {phrase!r}:\n{logical(p.stdout)}")
head = next(l for l in logical(p.stdout).splitlines() if l.startswith("budget"))
row = next(l for l in logical(p.stdout).splitlines() if l.startswith("600"))
check(head.index("non dépensé EUR") + len("non dépensé EUR") == row.index("125\u202f348") + len("125\u202f348"),
      f"the unspent column lines up under its heading:\n{head}\n{row}")
for english in ("base plan", "référence", "scenarios", "stopped by", "solved in", "unspent"):
    check(english not in logical(p.stdout), f"no English {english!r} in the French summary:\n{logical(p.stdout)}")
sc = book(wf)["Scénarios"]
texts = {c.value for row in sc.iter_rows() for c in row if isinstance(c.value, str)}
for phrase in ("statut", "budget arrêté par", "budget non dépensé (EUR)"):
    check(any(phrase in t for t in texts), f"Scenarios sheet in French: {phrase!r} in {sorted(texts)[:40]}")

# The CLI's workbook line names the sheets as the workbook does.
check("(Synthèse, Plan média, Canaux, Mots clés, Groupes, Contraintes, Hypothèses, Scénarios)"
      in logical(p.stdout), f"the workbook line names the French sheets:\n{logical(p.stdout)}")
desc = book(wf).properties.description or ""
check(desc.startswith("Créé avec mixplan "), f"the file's comment in French: {desc!r}")

# The what-if marginal column groups 1,000 and over as the channel table does
# ("3 080" in French, "3,080" in English), the digits of the JSON's
# marginal_return per 1,000 of budget.
mmm = os.path.join(SRC, "datasets", "examples", "mmm_curves.ini")
for env, sep in (({"LANG": "fr_FR.UTF-8"}, "\u202f"), ({"LANG": "C.UTF-8"}, ",")):
    js = os.path.join(d, f"mmm_{sep == ','}.json")
    p = run_env(env, "whatif", mmm, "--vary", "budget=200k", "--json", js)
    with open(js, encoding="utf-8") as f:
        m = 1000 * json.load(f)["scenarios"][0]["marginal_return"]
    row = next((l for l in logical(p.stdout).splitlines() if l.startswith("200")), "")
    want = f"{round(m):,}".replace(",", sep)
    check(m >= 1000 and row.endswith("  " + want), f"{env}: marginal {want} ({m}) ends:\n{row}")

done()
