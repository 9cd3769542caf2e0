"""The Scenarios sheet of a what-if run holding a constraint in every draw
has a column of notes on the draws, as the terminal's rows have them: a
scenario whose constraint is at its limit in its worst draw says which draw
and the figure ("cpa at its limit in draw 2 of 5: 30.00 EUR"), one where it
is not says nothing; in the workbook's language (French with --lang fr).

Expected here from the closed forms (conversions = beta (1 - exp(-x / k)))
at each scenario's spends from the JSON, over the draws file this test
writes: each draw's CPA, the worst of them, and whether it is at the cap."""
import json
import math
import os

import openpyxl

from mpcommon import *

d = tmpdir("whatif_draws_notes")
BETAS, K, R_BETA, R_K, CAP = [1000.0, 760.0, 1150.0, 900.0, 1300.0], 20000.0, 800.0, 30000.0, 30.0
path = held_cpa_plan(d, BETAS, f"{R_BETA:g}", CAP, K, R_K)


def conv(beta, k, x):
    return beta * -math.expm1(-x / k)


js = os.path.join(d, "run.json")
books = {lang: os.path.join(d, f"run_{lang}.xlsx") for lang in ("en", "fr")}
for lang, book in books.items():
    p = run("whatif", path, "--vary", "budget=2000..8000/2000", "--json", js, "-o", book,
            "--lang", lang, "--quiet")
    check(p.returncode == 0, f"whatif --lang {lang}: {p.stderr}")
with open(js, encoding="utf-8") as f:
    scens = json.load(f)["scenarios"]

want = {}
for sc in scens:
    x = {c["name"]: c["spend"] for c in sc["channels"]}
    spend = x["web"] + x["radio1"]
    cpas = [spend / (conv(b, K, x["web"]) + conv(R_BETA, R_K, x["radio1"])) for b in BETAS]
    worst = max(range(len(BETAS)), key=lambda i: cpas[i])
    at = abs(cpas[worst] - CAP) <= 1e-6 * CAP
    check(at or cpas[worst] < CAP * (1 - 1e-4), f"budget {sc['params']['budget']}: the worst CPA "
          f"{cpas[worst]} is at the cap or clearly below it")
    want[sc["params"]["budget"]] = (worst + 1, cpas[worst]) if at else None
check(sum(v is not None for v in want.values()) == 2 and want[2000] is None,
      f"the cap binds at 6,000 and 8,000 only: {want}")

words = {"en": ("notes on the draws", "cpa at its limit in draw {} of 5: {:.2f} EUR"),
         "fr": ("remarques sur les tirages", "cpa à sa limite dans le tirage {} sur 5\u00a0: {}".format(
             "{}", "{:.2f} EUR"))}
for lang, book in books.items():
    rows = list(openpyxl.load_workbook(book)["Scenarios" if lang == "en" else "Scénarios"]
                .iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "budget")
    heading, note = words[lang]
    check(heading in rows[head], f"{lang}: the column {heading!r} in {rows[head]}")
    if heading not in rows[head]:
        continue
    col = rows[head].index(heading)
    for r in rows[head + 1:head + 1 + len(want)]:
        w = want.get(r[0], "missing")
        text = None if w is None else note.format(w[0], w[1])
        if lang == "fr" and text:
            text = text.replace(".", ",")
        check(r[col] == text, f"{lang}: budget {r[0]}: {r[col]!r}, want {text!r}")
done()
