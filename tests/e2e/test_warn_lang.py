"""A workbook's warnings follow the workbook's language, not the terminal's:
under a French locale an English workbook (--lang en) lists on its
Assumptions sheet the very warnings an English terminal prints, and under an
English locale a French workbook (--lang fr) those a French terminal prints,
while the terminal and the JSON keep the locale's language. Each warning is
formed in both catalogue languages when it is made (engine/base/diag.c); the
reference for each language is the program's own terminal in that locale."""
import json
import os
import subprocess

import openpyxl

from mpcommon import *

NB = "\u00a0"
d = tmpdir("warn_lang")
warn = os.path.join(SRC, "tests", "cases", "warn")
# typical ranges (num.c), words of the objective (advise.c), plain names and
# numbers (response.c), the plan's own reach check (plan.c)
CASES = ["ctr_bare_fraction.ini", "cvr_bare_one.ini", "offline_only_max_conversions.ini",
         "hill_s_shaped.ini", "min_cost_nothing_to_reach.ini", "reach_bare_people.ini"]
PREFIX = {"fr": f"attention{NB}: ", "en": "warning: "}


def run_in(locale, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = locale
    return subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
                          env=env, timeout=600)


def terminal_warnings(p, lang):
    return [l[len(PREFIX[lang]):] for l in p.stderr.splitlines() if l.startswith(PREFIX[lang])]


def sheet_warnings(path, sheet, heading):
    wb = openpyxl.load_workbook(path, read_only=True)
    cells = [v for row in wb[sheet].iter_rows(values_only=True) for v in row if v is not None]
    wb.close()
    check(heading in cells, f"{path}: a {heading} heading on {sheet}")
    return [str(c) for c in cells[cells.index(heading) + 1:]] if heading in cells else []


LOCALE = {"fr": "fr_FR.UTF-8", "en": "C"}
SHEET = {"fr": ("Hypothèses", "Avertissements"), "en": ("Assumptions", "Warnings")}
for case in CASES:
    plan = os.path.join(warn, case)
    said = {}  # each language's warnings, as its own terminal says them
    for lang in ("fr", "en"):
        p = run_in(LOCALE[lang], "optimize", plan)
        check(p.returncode == 0, f"{case} ({lang}): exit {p.returncode}: {p.stderr}")
        said[lang] = terminal_warnings(p, lang)
    check(said["en"] and len(said["en"]) == len(said["fr"]) and said["en"] != said["fr"],
          f"{case}: the same warnings in two languages: {said}")
    for term, book in (("fr", "en"), ("en", "fr")):
        xlsx = os.path.join(d, f"{case}.{term}-{book}.xlsx")
        js = os.path.join(d, f"{case}.{term}-{book}.json")
        p = run_in(LOCALE[term], "optimize", plan, "--lang", book, "-o", xlsx, "--json", js)
        check(p.returncode == 0, f"{case}: exit {p.returncode}: {p.stderr}")
        check(terminal_warnings(p, term) == said[term],
              f"{case}: the terminal speaks the locale's {term}: {p.stderr!r}")
        data = json.load(open(js, encoding="utf-8"))
        check(data["warnings"] == said[term], f"{case}: the JSON speaks {term}: {data['warnings']}")
        got = sheet_warnings(xlsx, *SHEET[book])
        check(got == said[book], f"{case}: a {book} workbook under a {term} locale lists the {book} "
              f"warnings:\n{got}\nwanted\n{said[book]}")

# A what-if's own warnings (a --vary value outside the plan file's typical
# range, engine/src/axes.c) on the Scenarios sheet, in the workbook's language;
# more than three values flagged makes the list say how many more.
SCEN = {"fr": ("Scénarios", "Avertissements"), "en": ("Scenarios", "Warnings")}
spring = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
for spec in ("inflation=150%,200%,250%,300%,400%", "cpm:meta=-99.9%,0%,9000%,10000%,12000%"):
    said = {}
    for lang in ("fr", "en"):
        p = run_in(LOCALE[lang], "whatif", spring, "--vary", spec)
        check(p.returncode == 0, f"{spec} ({lang}): exit {p.returncode}: {p.stderr}")
        said[lang] = [w for w in terminal_warnings(p, lang) if w.startswith("--vary")]
    more = " and 2 more" if spec.startswith("inflation") else " and 1 more"
    check(len(said["en"]) == 1 and more in said["en"][0],
          f"{spec}: one English warning that counts the values it does not list: {said['en']}")
    check(len(said["fr"]) == 1 and " autres" in said["fr"][0] and " and " not in said["fr"][0],
          f"{spec}: one French warning, in French: {said['fr']}")
    for term, book in (("fr", "en"), ("en", "fr")):
        xlsx = os.path.join(d, f"whatif.{term}-{book}.xlsx")
        p = run_in(LOCALE[term], "whatif", spring, "--vary", spec, "--lang", book, "-o", xlsx)
        check(p.returncode == 0, f"{spec}: exit {p.returncode}: {p.stderr}")
        got = [w for w in sheet_warnings(xlsx, *SCEN[book]) if w.startswith("--vary")]
        check(got == said[book],
              f"{spec}: a {book} Scenarios sheet under a {term} locale:\n{got}\nwanted\n{said[book]}")
done()
