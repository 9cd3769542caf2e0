"""A booked plan explained in a planner's words: budget left unspent because
the next whole spot or insertion costs more than is left, a channel whose
smallest booking is above the budget (a warning), and a booked plan with no
answer naming the rule that conflicts.

The unspent plan's optimum is enumerated here: identical weeks and concave
curves, so N spots and M insertions are best spread evenly, and every (N, M)
the budget allows is tried; what is left is the budget less the spots and
insertions at their prices. The smallest booking is min_burst weeks of
min_grp GRP at the cost per GRP."""
import math
import os
import subprocess

from mpcommon import *

d = tmpdir("booked_words")
SPOT, CPI, BUDGET, T = 7000.0, 9000.0, 100000.0, 4

UNSPENT = f"""[plan]
name = Unspent
budget = {BUDGET:.0f}
start = 2027-03-01
periods = {T}
objective = max conversions

[channel "tf1"]
type = tv
spot_cost = {SPOT:.0f}
grp_per_spot = 5
response = exp
beta = 900
response_k = 60k
flight = 1-{T}

[channel "daily"]
type = press
cpi = {CPI:.0f}
audience = 500k
readership = 1.5M
response = exp
beta = 450
response_k = 30k
"""


def spread(n, k):
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def unspent_optimum():
    best = None
    for n in range(int(BUDGET // SPOT) + 1):
        for m in range(int(BUDGET // CPI) + 1):
            if SPOT * n + CPI * m > BUDGET:
                continue
            v = sum(900 * -math.expm1(-SPOT * s / 60000) for s in spread(n, T)) + \
                sum(450 * -math.expm1(-CPI * s / 30000) for s in spread(m, T))
            if best is None or v > best[0]:
                best = (v, n, m)
    return best


def fmt(v):
    return f"{v:,.0f}"


best_v, best_n, best_m = unspent_optimum()
left = BUDGET - SPOT * best_n - CPI * best_m
check(0 < left < min(SPOT, CPI), f"the enumerated optimum leaves {left}, less than a step")

plan = write(os.path.join(d, "unspent.ini"), UNSPENT)
book = os.path.join(d, "unspent.xlsx")
p = run("optimize", plan, "-o", book)
check(p.returncode == 0, f"unspent plan: {p.returncode} {p.stderr}")
line = f"unspent: {fmt(left)} EUR of the budget, less than the next step of any booked channel: " \
       f"the next spot of tf1 costs {fmt(SPOT)} EUR; the next insertion of daily costs {fmt(CPI)} EUR"
check(line in logical(p.stdout), f"terminal says why the budget is left:\n{logical(p.stdout)}")
p, data = optimize_json(plan)
if data:
    close(data["objective"]["value"], best_v, 1e-6 * best_v, "objective vs enumeration")
    close(data["kpis"]["spend"], BUDGET - left, 1e-6, "spend")
    budget = [r for r in data["constraints"] if r["name"] == "budget"][0]
    check(budget["binding"] is False, "the budget left unspent does not bind")
r = subprocess.run(["/usr/bin/python3", "-c", """
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Summary"]
print("\\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None))
""", book], capture_output=True, text=True)
check(line in r.stdout, f"the workbook's Summary says it too: {r.stderr}")

# A what-if sweep names whole units as what leaves the money (no row binds),
# and a budget spent whole leaves nothing to name.
wj = os.path.join(d, "unspent_whatif.json")
p = run("whatif", plan, "--vary", f"budget={BUDGET:.0f},120000", "--json", wj, "--quiet")
check(p.returncode == 0 and os.path.exists(wj), f"what-if: {p.stderr}")
if os.path.exists(wj):
    import json
    with open(wj, encoding="utf-8") as f:
        sc = json.load(f)["scenarios"]
    close(sc[0]["unspent"], left, 1e-6, "scenario unspent")
    check(sc[0].get("stopped_by") == "whole spots, insertions or flights",
          f"stopped by whole units: {sc[0].get('stopped_by')}")
    # 120,000 = 12 spots + 4 insertions, spent whole (7,000 x 12 + 9,000 x 4)
    check(abs(sc[1]["unspent"]) < 1e-6 and "stopped_by" not in sc[1], f"120k: {sc[1]}")

# The booked sweep's Scenarios sheet: it says the scenarios are booked, and
# printed by LibreOffice (two axes: three repeated columns) both charts stay
# within the table's width on the first page (the stacked chart's legend, its
# rightmost part, left of the table's last printed column).
import re
import shutil
sweep = os.path.join(d, "sweep.xlsx")
p = run("whatif", plan, "--vary", "budget=80k..120k/10k", "--vary", "cpp:tf1=0%,20%", "-o",
        sweep, "-q")
check(p.returncode == 0, f"booked sweep: {p.stderr}")
r = subprocess.run(["/usr/bin/python3", "-c", """
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Scenarios"]
print("\\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None))
""", sweep], capture_output=True, text=True)
check("each scenario booked as the plan says" in r.stdout, f"Scenarios says booked: {r.stderr}")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE and shutil.which("pdftotext"):
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", d, sweep],
                   capture_output=True, timeout=300)
    pdf = os.path.join(d, "sweep.pdf")
    box = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    page = [pg for pg in box.split("<page ")[1:] if "What-if:" in pg and ">budget<" in pg]
    check(page, "the Scenarios sheet is printed")
    if page:
        words = [(float(a), float(b), float(c), w) for a, b, c, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', page[0])]
        top = min(w[1] for w in words if w[3] == "budget" and w[1] > 150)  # the table's head
        legend = [w[2] for w in words if w[3] in ("Press", "Other", "TV") and w[1] < top - 20]
        table = max(w[2] for w in words if w[1] >= top)
        check(legend and max(legend) <= table + 1,
              f"charts within the table's width: legend {legend}, table to {table}")

# French: the same line in the planner's language.
env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
env["LANG"] = "fr_FR.UTF-8"
p = subprocess.run([MIXPLAN, "optimize", plan], capture_output=True, text=True, env=env)
check("non investi\u00a0: " in logical(p.stdout) and "le spot suivant de tf1 coûte" in logical(p.stdout),
      f"French unspent line:\n{logical(p.stdout)}")

# No solver words where a planner reads (the JSON keeps its fields: mip, nodes).
JARGON = ("MIP", "branch and cut", "relaxation", "node", "séparation", "nœud", "PLNE")
for lang_env, lang_book in ((None, "en"), (env, "fr")):
    bk = os.path.join(d, f"words_{lang_book}.xlsx")
    p = subprocess.run([MIXPLAN, "optimize", plan, "-o", bk, "--lang", lang_book],
                       capture_output=True, text=True, env=lang_env)
    r = subprocess.run(["/usr/bin/python3", "-c", """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("\\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                  if c.value is not None))
""", bk], capture_output=True, text=True)
    # the plan's folder is no word of the plan's (a build folder may be named anyhow)
    said, book_text = (logical(p.stdout) + p.stderr).replace(d, ""), r.stdout.replace(d, "")
    for word in JARGON:
        check(word.lower() not in said.lower(), f"{lang_book} terminal: {word}")
        check(word.lower() not in book_text.lower(), f"{lang_book} workbook: {word}")
    check(r.returncode == 0 and len(r.stdout) > 500, f"{lang_book} workbook read: {r.stderr}")

# Budget spent to the euro: no line (a spot of 5,000 and an insertion of
# 10,000 fill 100,000 whole).
p = run("optimize", write(os.path.join(d, "spent.ini"),
                          UNSPENT.replace("spot_cost = 7000", "spot_cost = 5000")
                          .replace("cpi = 9000", "cpi = 10000")))
check(p.returncode == 0 and "unspent:" not in logical(p.stdout), f"a plan spending it all: {logical(p.stdout)}")

# A binding row of a booked plan: at its bound, said so (no prices), in the
# terminal and on the Constraints sheet.
p = run("optimize", write(os.path.join(d, "spent_book.ini"),
                          UNSPENT.replace("spot_cost = 7000", "spot_cost = 5000")
                          .replace("cpi = 9000", "cpi = 10000")), "-o", book, "--force")
check(f"limit reached: the budget of {BUDGET:,.0f} EUR — at its bound (a booked plan has no price "
      "for one unit more)" in logical(p.stdout),
      f"binding words:\n{logical(p.stdout)}")
r = subprocess.run(["/usr/bin/python3", "-c", """
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Constraints"]
print("\\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None))
""", book], capture_output=True, text=True)
check("booked plan: a constraint binds when the plan is at its bound" in r.stdout,
      f"Constraints sheet note: {r.stdout} {r.stderr}")

# ---- the smallest booking above the budget ----------------------------------
CPP, MIN_GRP, BURST, DEAR_BUDGET = 1500.0, 40.0, 2, 100000.0
least = BURST * MIN_GRP * CPP  # 2 weeks in a row of 40 GRP at 1,500 EUR a GRP
check(least > DEAR_BUDGET, "the smallest booking is above the budget")
DEAR = f"""[plan]
name = Dear TV
budget = {DEAR_BUDGET:.0f}
start = 2027-03-01
periods = 6
objective = max conversions

[channel "tf1"]
type = tv
cpp = {CPP:.0f}
response = exp
beta = 900
response_k = 60k
min_grp = {MIN_GRP:.0f}
min_burst = {BURST}

[channel "web"]
type = curve
curve = exp
beta = 400
k = 15k
"""
dear_words = (f"channel \"tf1\" cannot be booked within the budget: its smallest booking, "
              f"{BURST} weeks in a row (min_burst) of at least {MIN_GRP:.0f} GRP each (min_grp), "
              f"costs {fmt(least)} EUR, above the budget of {fmt(DEAR_BUDGET)} EUR")
path = write(os.path.join(d, "dear.ini"), DEAR)
p, data = optimize_json(path)
check(p.returncode == 0 and data, f"dear tv, feasible: {p.stderr}")
check("warning: " + dear_words in p.stderr, f"warning names channel and figures:\n{p.stderr}")
check(data and dear_words in data["warnings"], "the JSON's warnings have it")

# Made to air by a constraint: infeasible, and the message says which rule.
path = write(os.path.join(d, "dear_on.ini"),
             DEAR + "\n[constraint \"tv-on\"]\nexpr = spend(tv) >= 10k\n")
p = run("optimize", path)
check(p.returncode == 1, f"infeasible booked plan exits 1: {p.returncode} {p.stderr}")
check(dear_words in p.stderr, f"names the channel's smallest booking:\n{p.stderr}")
check("the nearest booked plan must relax:\n  budget: spend <= 100,000 EUR (the least that can be "
      f"reached with the others: {fmt(least)})" in p.stderr, f"names the budget:\n{p.stderr}")
check("air_min" not in p.stderr and "burst_" not in p.stderr, "no row of the solver's own")
p = subprocess.run([MIXPLAN, "optimize", path], capture_output=True, text=True, env=env)
check("sa plus petite réservation" in p.stderr and "le plan réservable le plus proche" in p.stderr,
      f"French:\n{p.stderr}")

# ---- what the planner reads first -------------------------------------------
# Two booked search channels on the same export: each note once.
KW = os.path.join(SRC, "datasets", "keywords", "fr_running.csv")
two = f"""[plan]
budget = 100k
start = 2027-03-01
periods = 4
objective = max conversions

[channel "search-a"]
type = search
keywords = {KW}
ctr = 4.5%
cvr = 3.2%
min_spend_active = 2k

[channel "search-b"]
type = search
keywords = {KW}
ctr = 4.5%
cvr = 3.2%
min_spend_active = 2k
"""
p = run("optimize", write(os.path.join(d, "two_search.ini"), two))
reads = [l for l in p.stderr.splitlines() if l.startswith("read:")]
check(p.returncode == 0 and len(reads) == len(set(reads)) and len(reads) >= 1,
      f"read: lines once each: {p.returncode} {p.stderr}")

# spot_cost without grp_per_spot (and no cpp) names the missing key, not cpp.
for drop, missing, key in (("grp_per_spot", "grp_per_spot", "spot_cost"),
                           ("spot_cost", "spot_cost", "grp_per_spot")):
    text = "\n".join(l for l in UNSPENT.splitlines() if not l.startswith(drop))
    path = write(os.path.join(d, f"no_{drop}.ini"), text)
    line = [i + 1 for i, l in enumerate(text.splitlines()) if l.startswith(key)][0]
    p = run("optimize", path)
    check(p.returncode == 3 and f"no_{drop}.ini:{line}: {key}:" in p.stderr and
          f"add {missing}" in p.stderr and "cpp" not in p.stderr,
          f"{drop} missing: {p.returncode} {p.stderr}")

done()
