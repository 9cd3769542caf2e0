#!/usr/bin/env python3
"""The spring example's keyword export, counted here from the file itself:
its rows, the keywords the rules' [exclude] pattern removes, and the planned
keywords on bucketed volumes (10, 50, 100, 500 ...: Keyword Planner's
rounding). The terminal's read: line and the Assumptions sheet say the same
counts in the same words (English and French); the bucketed volumes get one
warning with their count on standard error, in the JSON and in the workbook,
in French too."""
import csv
import json
import os
import re

import openpyxl

from mpcommon import *

plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
export = os.path.join(SRC, "datasets", "keywords", "fr_running.csv")
rules = os.path.join(SRC, "datasets", "keywords", "fr_running_groups.ini")

with open(export, encoding="utf-8", newline="") as f:
    rows = [r for r in csv.reader(f.read().splitlines()[3:], delimiter="\t") if r and r[0].strip()]
exclude = None
section = None
for line in open(rules, encoding="utf-8"):
    line = line.split(";", 1)[0].strip()
    if line.startswith("["):
        section = line
    elif section == "[exclude]" and line.startswith("match"):
        exclude = re.compile(line.split("=", 1)[1].strip())
buckets = {m * 10 ** e for e in range(1, 10) for m in (1, 5)}
planned = [r for r in rows if not exclude.search(r[0])]
n_rows, n_excluded, n_planned = len(rows), len(rows) - len(planned), len(planned)
n_bucketed = sum(float(r[2]) in buckets for r in planned)
check((n_rows, n_excluded, n_bucketed) == (48, 2, 3), f"the export as counted here: "
      f"{n_rows} rows, {n_excluded} excluded, {n_bucketed} bucketed")


def grouped(n, lang):
    return f"{n:,}".replace(",", "\u202f" if lang == "fr" else ",")


TALLY = {"en": "{} rows read, {} skipped, {} excluded by rules, {} keywords planned",
         "fr": "{} lignes lues, {} écartées, {} exclues par les règles, {} mots clés planifiés"}
BUCKETED = {"en": "{} keywords have bucketed volumes (Keyword Planner rounds them): "
                  "their clicks are estimates",
            "fr": "{} mots clés ont des volumes arrondis par tranche (Keyword Planner les "
                  "arrondit)\u00a0: leurs clics sont des estimations"}

d = tmpdir("tally")
for lang in ("en", "fr"):
    tally = TALLY[lang].format(*(grouped(n, lang) for n in (n_rows, 0, n_excluded, n_planned)))
    bucketed = BUCKETED[lang].format(grouped(n_bucketed, lang))
    xlsx = os.path.join(d, f"spring_{lang}.xlsx")
    out_json = os.path.join(d, f"spring_{lang}.json")
    p = run("optimize", plan, "-o", xlsx, "--json", out_json, "--lang", lang)
    check(p.returncode == 0, f"{lang}: exit {p.returncode}: {p.stderr[-300:]}")
    if lang == "en":
        reads = [l for l in p.stderr.splitlines() if l.startswith("read:") and "rows read" in l]
        check(len(reads) == 1 and reads[0].endswith(": " + tally),
              f"terminal: one read: line ending {tally!r}: {reads}")
        warns = [l for l in p.stderr.splitlines() if l.startswith("warning:") and "bucketed" in l]
        check(len(warns) == 1 and warns[0].endswith(": " + bucketed),
              f"terminal: one bucketed warning {bucketed!r}: {warns}")
        with open(out_json, encoding="utf-8") as f:
            data = json.load(f)
        flagged = sum(k["bucketed_volume"] for k in data["keywords"])
        check(flagged == n_bucketed, f"JSON flags {flagged} keywords, {n_bucketed} counted here")
        check(sum(w.endswith(": " + bucketed) for w in data["warnings"]) == 1,
              f"JSON warnings: {data['warnings']}")
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
             for v in row if v is not None]
    wb.close()
    check(tally in cells, f"{lang}: the Assumptions sheet says {tally!r}")
    check(sum(c.endswith(bucketed) for c in cells) == 1,
          f"{lang}: one workbook cell warns {bucketed!r}")

done()
