"""The spring example's workbook printed by LibreOffice, in English and in
French, and the French workbook of a 7-scenario inflation sweep (one soffice
call converts the three, about 8 s): the Summary, the first sheet, is one page
and the Plan sheet starts the next; the whole workbook is at most 12 pages; the
French pages are in French, figures as French writes them; the printed
Summary shows the total spend with its currency; the page header carries the
plan's days; each block of the Assumptions sheet prints its title on the page
of its heading and first row; the sweep's Scenarios sheet prints on at most 2 pages,
its title whole on each."""
import datetime
import os
import re
import shutil
import subprocess

import openpyxl

from mpcommon import *

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if not SOFFICE:
    print("skipped: LibreOffice (soffice) is not installed; make deps installs libreoffice-calc-nogui")
    done()

d = tmpdir("print")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
books = {k: os.path.join(d, f"{k}.xlsx") for k in ("spring", "spring_fr", "sweep_fr")}
p, data = optimize_json(plan, "-o", books["spring"])
check(p.returncode == 0 and data, f"exit {p.returncode}: {p.stderr}")
p = run("optimize", plan, "-o", books["spring_fr"], "--lang", "fr", "-q")
check(p.returncode == 0, f"--lang fr: {p.stderr}")
p = run("whatif", plan, "--vary", "inflation=0%..30%/5%", "-o", books["sweep_fr"], "--lang", "fr",
        "-q")
check(p.returncode == 0, f"the inflation sweep: {p.stderr}")
check(openpyxl.load_workbook(books["spring"]).sheetnames[:2] == ["Summary", "Plan"],
      "Summary first, then Plan")
FR_SHEETS = ["Synthèse", "Plan média", "Canaux", "Mots clés", "Groupes", "Contraintes",
             "Hypothèses"]
check(openpyxl.load_workbook(books["spring_fr"]).sheetnames == FR_SHEETS,
      "the French sheets, the Summary first")

profile = os.path.join(d, "lo-profile")
lo = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                     "--convert-to", "pdf", "--outdir", d] + list(books.values()),
                    capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": d})


def pages_of(name):
    """The printed pages' text, no-break spaces as spaces (a French figure's
    thousands are separated by one)."""
    pdf = os.path.join(d, name + ".pdf")
    check(lo.returncode == 0 and os.path.exists(pdf), f"soffice {name}: {lo.stdout} {lo.stderr}")
    if not os.path.exists(pdf):
        return []
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return [t for t in text.split("\f") if t.strip()]


def grouped(v, sep):
    """v rounded to a whole number, its thousands separated by sep."""
    return f"{round(v):,}".replace(",", sep)


spend = data["kpis"]["spend"]
start = datetime.date.fromisoformat(data["plan"]["start"])
last = start + datetime.timedelta(days=7 * data["plan"]["periods"] - 1)  # weekly periods
search_share = channel(data, "search-generic")["spend"] / spend
en, fr = pages_of("spring"), pages_of("spring_fr")
for lang, pages in (("en", en), ("fr", fr)):
    print(f"{lang}: {len(pages)} pages")
    check(len(pages) <= 12, f"{lang}: the workbook prints in {len(pages)} pages, at most 12")
    if len(pages) < 2:
        continue
    # The Summary's first and last lines on page 1, the Plan's heading on page 2.
    last_line = "offline" if lang == "en" else "Ce qui limite chaque canal"
    check(data["plan"]["name"] in pages[0] and last_line in pages[0],
          f"{lang}: the Summary whole on page 1: {pages[0][:400]!r}")
    plan_head = (f"spend ({data['plan']['currency']}) by period" if lang == "en" else
                 f"investissement ({data['plan']['currency']}) par période")
    check(plan_head in pages[1] and plan_head not in pages[0], f"{lang}: the Plan sheet starts page 2")
    # The total spend with its currency, as each language writes it.
    total = f"{grouped(spend, ',')} €" if lang == "en" else f"{grouped(spend, ' ')} €"
    check(total in pages[0], f"{lang}: the Summary prints the total spend {total!r}")
    # The header: the plan's first and last days, on every page.
    days = (f"{start.day} {start:%b %Y} to {last.day} {last:%b %Y}" if lang == "en" else
            f"du {start:%d/%m/%Y} au {last:%d/%m/%Y}")
    check(all(days in pg for pg in pages), f"{lang}: every page's header says {days!r}")

# The Assumptions sheet prints in pages cut between its blocks: each block's
# title on the page of its heading and its first row (the title is not left
# at the foot of a page, its table on the next).
BLOCKS = {"en": (("Datasets", "keywords planned"),
                 ("Prices by period (inflation applied)", "yearly rate", "cpc (EUR)"),
                 ("Model notes", "Response curves are")),
          "fr": (("Données sources", "mots clés planifiés"),
                 ("Prix par période (inflation appliquée)", "taux annuel", "CPC (EUR)"),
                 ("Notes sur le modèle", "Les courbes de réponse"))}
for lang, pages in (("en", en), ("fr", fr)):
    for title, *first in BLOCKS[lang]:
        at = [pg for pg in pages if title in pg]
        check(len(at) == 1 and all(w in at[0] for w in first),
              f"{lang}: {title!r} on the page of {first}: on {len(at)} pages")

if len(fr) > 2:
    # French words and figures: the headings, the media as planners head a
    # table, a share with a decimal comma and a space before "%".
    share = f"{100 * search_share:.1f}".replace(".", ",") + " %"
    for words in ("canal", "investissement", "part de", "Limites que le plan atteint", "Presse", "Recherche payante",
                  share):
        check(words in fr[0], f"French Summary says {words!r}")
    for english in ("channel", "share of spend", "Limits the plan reaches", "spend ("):
        check(english not in fr[0], f"no English {english!r} on the French Summary")
    text = "\n".join(fr)
    for words in ("(personnes)", "ce qui le limite", "saturée", "mot clé", "Page 2 sur"):
        check(words in text, f"the French pages say {words!r}")

sweep = pages_of("sweep_fr")
title = next((i for i, pg in enumerate(sweep) if "Simulation : 7 scénarios" in pg), None)
check(title is not None, "the sweep's Scenarios sheet is printed")
if title is not None:
    n = len(sweep) - title  # the last sheet
    print(f"sweep: the Scenarios sheet prints on {n} pages")
    check(n <= 2, f"the 7-scenario sweep's Scenarios sheet prints on {n} pages, at most 2")
    check("inflation (%)" in sweep[title] and "statut" in sweep[title],
          "the sweep's table starts on the Scenarios sheet's first page, under its charts")
    # The title on every page of the sheet, whole (never cut at the edge of
    # the columns each page repeats): a page right of the first has it too.
    whole = "Simulation : 7 scénarios comparés au plan tel qu'écrit"
    for k, pg in enumerate(sweep[title:]):
        check(whole in pg, f"the Scenarios sheet's page {k + 1} has its title whole: {pg[:300]!r}")
done()
