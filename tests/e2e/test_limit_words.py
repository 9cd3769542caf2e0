"""The terminal's and the Summary's limits in a planner's words: for a plan
binding each kind of row the plan's keys make (the budget, a period's
budget, a channel's min_spend, max_spend and fixed_spend) and a plan
constraint, every binding row of the JSON has one `limit reached:` line,
which names it by the plan's key and amount written out here from the plan
file ("meta's max_spend of 120,000 EUR"), never by its row name
(`max_spend_meta`, `budget_p2`), and no line says "binding"; a plan chosen
for the bad draws, whose rows have no price, says them so too. French: the
same from po/fr.po's words."""
import json
import os
import subprocess

import openpyxl

from mpcommon import *

d = tmpdir("limit_words")
NNB = "\u202f"


def plan(name, keys, meta=None, fm=None, constraints=None, periods=""):
    """A plan of two curve channels, meta (Hill) and yt (logistic), and fm
    (exp), meta's and fm's keys added."""
    text = curve_plan({"name": name, "client": "Test", "start": "2027-03-01", "periods": 4,
                       "objective": "max conversions", **keys},
                      {"meta": {"curve": "hill", **(meta or {})}, "yt": "logistic",
                       "fm": {"curve": "exp", **(fm or {})}}, constraints)
    return write(os.path.join(d, f"{name}.ini"), text + periods)


def amount(v, fr=False):
    s = f"{v:,.0f} EUR"
    return s.replace(",", NNB) if fr else s


# Each plan with the phrases its binding rows must read as, from its keys.
PLANS = [
    (plan("periods", {"budget": "500k", "period_budget": "150k"}, fm={"fixed_spend": "40k"},
          periods='\n[period "2"]\nbudget = 90k\n'),
     {"budget": ("the budget of " + amount(500e3), "le budget de " + amount(500e3, True)),
      "budget_p2": ("the budget of period 2 (" + amount(90e3) + ")",
                    "le budget de la période 2 (" + amount(90e3, True) + ")"),
      "fixed_spend_fm": ("fm's fixed_spend of " + amount(40e3),
                         "le fixed_spend de fm (" + amount(40e3, True) + ")")}),
    (plan("channels", {"budget": "400k"}, meta={"max_spend": "120k"}, fm={"min_spend": "60k"}),
     {"budget": ("the budget of " + amount(400e3), "le budget de " + amount(400e3, True)),
      "max_spend_meta": ("meta's max_spend of " + amount(120e3),
                         "le max_spend de meta (" + amount(120e3, True) + ")"),
      "min_spend_fm": ("fm's min_spend of " + amount(60e3),
                       "le min_spend de fm (" + amount(60e3, True) + ")")}),
    (plan("cpa", {"budget": "600k"}, meta={"max_spend": "120k"}, fm={"fixed_spend": "40k"},
          constraints={"cpa": "cpa <= 95"}),
     {"cpa": ("cpa <= 95 EUR", "cpa <= 95 EUR"),
      "max_spend_meta": ("meta's max_spend of " + amount(120e3),
                         "le max_spend de meta (" + amount(120e3, True) + ")"),
      "fixed_spend_fm": ("fm's fixed_spend of " + amount(40e3),
                         "le fixed_spend de fm (" + amount(40e3, True) + ")")}),
    # chosen for the bad draws: no prices, its rows by their keys all the same
    (plan("risk", {"budget": "600k", "risk": "cvar 10%"}, meta={"max_spend": "250k"},
          fm={"beta": "100 ± 15%"}),
     {"budget": ("the budget of " + amount(600e3), "le budget de " + amount(600e3, True)),
      "max_spend_meta": ("meta's max_spend of " + amount(250e3),
                         "le max_spend de meta (" + amount(250e3, True) + ")")}),
]


def run_lang(lang, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = lang
    p = subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
                       env=env, timeout=600)
    check(p.returncode == 0, f"{args}: {p.stderr}")
    return logical(p.stdout)


def summary_limits(path, heading):
    rows = [tuple(c.value for c in r) for r in openpyxl.load_workbook(path).worksheets[0].iter_rows()]
    at = [i for i, r in enumerate(rows) if r[0] == heading]
    check(len(at) == 1, f"{path}: the Summary has {heading!r}")
    out = []
    for r in rows[at[0] + 1:] if at else []:
        if r[0] is None:
            break
        out.append(r[0])
    return out


for path, want in PLANS:
    name = os.path.basename(path)
    js, xlsx, fr_xlsx = (os.path.join(d, name + ext) for ext in (".json", ".xlsx", ".fr.xlsx"))
    en = run_lang("C", "optimize", path, "--json", js, "-o", xlsx)
    fr = run_lang("fr_FR.UTF-8", "optimize", path, "-o", fr_xlsx, "--lang", "fr")
    rows = json.load(open(js))["constraints"]
    bound = {r["name"] for r in rows if r["binding"]}
    check(bound == set(want), f"{name}: the plan's premise, these rows bind: {sorted(bound)}")
    for out, lang, head, sheet, heading in (
            (en, 0, "limit reached: ", xlsx, "Limits the plan reaches"),
            (fr, 1, "limite atteinte\u00a0: ", fr_xlsx, "Limites que le plan atteint")):
        lines = [l[len(head):] for l in out.splitlines() if l.startswith(head)]
        check(len(lines) == len(bound), f"{name}: one line a binding row:\n{out}")
        for row in bound & set(want):
            words = want[row][lang]
            check(sum(l.startswith(words) for l in lines) == 1,
                  f"{name} ({'fr' if lang else 'en'}): {row} reads {words!r}:\n{out}")
        for r in rows:  # no row's own name, but a plan constraint's, which the planner wrote
            if r["name"] not in ("cpa", "budget"):
                check(r["name"] not in out, f"{name}: {r['name']!r} is not in the terminal:\n{out}")
        check("binding" not in out and "contrainte active" not in out,
              f"{name}: no 'binding' in the terminal:\n{out}")
        check(summary_limits(sheet, heading)[:len(lines)] == lines,
              f"{name}: the Summary's limits are the terminal's: {summary_limits(sheet, heading)}")
done()
