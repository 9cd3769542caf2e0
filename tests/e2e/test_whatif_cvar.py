"""A what-if sweep of a plan chosen for the bad draws (risk = cvar 10 %)
reports its measure in each scenario: JSON scenarios[].quantiles.cvar, the
mean conversions of the worst 10 % of the draws at the scenario's spends.
Recomputed here from the scenario's channel spends (one period) and the
draws' closed-form curves: 20 equally weighted draws, so the worst 10 % are
the two worst; risk = worst likewise reports "worst", the worst draw. The
workbook's Scenarios sheet has the measure beside P90, row by row. Such a
plan's solve gives no price for the budget: the terminal says why its
marginal column reads n/a."""
import json
import math
import os
import random
import subprocess
import zipfile

import openpyxl

from mpcommon import *

d = tmpdir("whatif_cvar")
ND = 20
random.seed(11)
TV = [(500 * math.exp(random.gauss(0, 0.3)), 40000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
WEB = [(800 * math.exp(random.gauss(0, 0.2)), 15000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
write(os.path.join(d, "tv.csv"), "beta,ec\n" + "".join(f"{b!r},{k!r}\n" for b, k in TV))
write(os.path.join(d, "web.csv"), "beta,k\n" + "".join(f"{b!r},{k!r}\n" for b, k in WEB))


def plan(risk):
    return write(os.path.join(d, f"plan_{risk.split()[0]}.ini"), f"""[plan]
budget = 50000
start = 2027-03-01
periods = 1
objective = max conversions
risk = {risk}
draws = aligned

{TWO_DRAW_CHANNELS}""")


outputs = []


def sweep(risk):
    out = os.path.join(d, f"w_{risk.split()[0]}.json")
    book = os.path.join(d, f"w_{risk.split()[0]}.xlsx")
    p = run("whatif", plan(risk), "--vary", "budget=20k..60k/20k", "--json", out, "-o", book)
    check(p.returncode == 0 and os.path.exists(out), f"whatif {risk}: exit {p.returncode}: {p.stderr}")
    outputs.append(p.stdout)
    return json.load(open(out))["scenarios"] if os.path.exists(out) else []


def draws_of(s):
    sp = {c["name"]: c["spend"] for c in s["channels"]}
    tv, web = sp["telly"], sp["web"]
    return sorted(b * tv / (ec + tv) - bw * math.expm1(-web / kw) for (b, ec), (bw, kw) in zip(TV, WEB))


def measure_column(risk, heading):
    """The Scenarios sheet's column headed heading: {budget: value}."""
    book = os.path.join(d, f"w_{risk}.xlsx")
    if not os.path.exists(book):
        return {}
    rows = list(openpyxl.load_workbook(book)["Scenarios"].iter_rows(values_only=True))
    at = [(i, r.index(heading)) for i, r in enumerate(rows) if heading in r]
    check(len(at) == 1, f"Scenarios: one column {heading!r}: {at}")
    if len(at) != 1:
        return {}
    i, col = at[0]
    return {r[0]: r[col] for r in rows[i + 1:] if isinstance(r[0], (int, float))}


sc = sweep("cvar 10%")
check(len(sc) == 3, "three scenarios")
for s in sc:
    y = draws_of(s)
    q = s["quantiles"]
    check(q["risk"] == "cvar" and "cvar" in q, f"budget {s['params']['budget']}: {q.keys()}")
    close(q.get("cvar", math.nan), (y[0] + y[1]) / 2, 1e-7 * y[1],
          f"budget {s['params']['budget']}: CVaR 10 %, the mean of the two worst draws")
    close(q["objective"]["mean"], sum(y) / ND, 1e-7 * y[-1], f"budget {s['params']['budget']}: mean")
cv = [s["quantiles"].get("cvar", 0) for s in sc]
column = measure_column("cvar", "CVaR 10 % of conversions (mean of the worst 10 % of the draws)")
check(len(column) == 3, f"Scenarios: the CVaR column on three rows: {column}")
for s in sc:
    y = draws_of(s)
    b = s["params"]["budget"]
    close(column.get(b, math.nan), (y[0] + y[1]) / 2, 1e-7 * y[1], f"Scenarios, budget {b}: CVaR 10 %")
    close(column.get(b, math.nan), s["quantiles"].get("cvar", math.nan), 1e-9 * y[1],
          f"Scenarios, budget {b}: the JSON's cvar")
check(cv[0] < cv[1] < cv[2], f"the bad draws gain from the budget: {cv}")

book_fr = os.path.join(d, "w_cvar_fr.xlsx")
p = run("whatif", plan("cvar 10%"), "--vary", "budget=20k..60k/20k", "--lang", "fr", "-o", book_fr, "-q")
heads = [c for ws in openpyxl.load_workbook(book_fr).worksheets for r in ws.iter_rows(values_only=True)
         for c in r if isinstance(c, str) and c.startswith("CVaR")] if p.returncode == 0 else []
# the column, then the fan's floor (its figures folded away, named as its legend)
check(heads == ["CVaR 10\u00a0% des conversions (moyenne des 10\u00a0% pires tirages)",
                "CVaR 10\u00a0%"],
      f"Scénarios: the French heading: {heads} {p.stderr}")

# the media chart's legend heads the families as the table does, not by type name
with zipfile.ZipFile(os.path.join(d, "w_cvar.xlsx")) as z:
    charts = "".join(c for c in (z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/"))
                     if "share of spend by media against budget" in c)
check("<c:v>TV</c:v>" in charts and "<c:v>Other media</c:v>" in charts
      and "<c:v>tv</c:v>" not in charts and "<c:v>curve</c:v>" not in charts,
      "Scenarios: the media chart's legend reads TV and Other media")



def terminal_column(out, heading):
    """The terminal table's column headed heading (right-aligned under it):
    {budget: figure}."""
    lines = out.splitlines()
    head = [l for l in lines if heading in l.split("  ") or f" {heading} " in l]
    check(len(head) == 1, f"terminal: one heading {heading!r}: {head}")
    if len(head) != 1:
        return {}
    end = head[0].index(heading) + len(heading)
    got = {}
    for l in lines:
        if l[:2].isdigit() and "optimal" in l:
            got[float(l.split()[0].replace(",", "").replace("\u202f", ""))] = \
                float(l[:end].split()[-1].replace(",", ""))
    return got


# the terminal's CVaR column, each scenario's recomputed from its spends (to the
# figure's rounding: whole conversions)
column = terminal_column(outputs[0], "CVaR 10%")
check(len(column) == 3, f"terminal: the CVaR column on three rows: {column}")
for s in sc:
    y = draws_of(s)
    b = s["params"]["budget"]
    close(column.get(b, math.nan), (y[0] + y[1]) / 2, 0.5,
          f"terminal, budget {b}: CVaR 10 %")
# the fan draws it as its band under P10, its legend named
with zipfile.ZipFile(os.path.join(d, "w_cvar.xlsx")) as z:
    fan_xml = [c for c in (z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/"))
               if "<c:v>P50 (median) to P90</c:v>" in c and "<c:areaChart>" in c]
check(len(fan_xml) == 1 and "<c:v>CVaR 10 % to P10</c:v>" in fan_xml[0],
      "Scenarios: the fan has a CVaR 10 % to P10 band")
env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
env["LANG"] = "fr_FR.UTF-8"
p = subprocess.run([*valgrind_prefix(), MIXPLAN, "whatif", plan("cvar 10%"), "--vary",
                    "budget=20k..60k/20k"], capture_output=True, text=True, env=env)
check(p.returncode == 0 and "CVaR 10\u00a0%" in p.stdout,
      f"terminal, French: the CVaR 10 % column (a no-break space before %): {p.stdout}")

rows = [l for l in outputs[0].splitlines() if l[:2].isdigit() and "optimal" in l]
check(len(rows) == 3 and all(" n/a" in l for l in rows), f"marginal n/a on every row: {rows}")
check("marginal/kEUR is n/a: a plan chosen for the bad draws" in outputs[0],
      f"the terminal says why marginal/kEUR is n/a: {outputs[0]}")

sc = sweep("worst")
column = measure_column("worst", "conversions in the worst draw")
check(len(column) == 3, f"Scenarios: the worst-draw column on three rows: {column}")
for s in sc:
    y = draws_of(s)
    b = s["params"]["budget"]
    close(s["quantiles"].get("worst", math.nan), y[0], 1e-7 * y[0], f"budget {b}: the worst draw")
    close(column.get(b, math.nan), y[0], 1e-7 * y[0], f"Scenarios, budget {b}: the worst draw")
    check("cvar" not in s["quantiles"], "a worst plan reports its worst draw only")
column = terminal_column(outputs[1], "worst draw")
check(len(column) == 3, f"terminal: the worst draw column on three rows: {column}")
for s in sc:
    y = draws_of(s)
    close(column.get(s["params"]["budget"], math.nan), y[0], 0.5,
          f"terminal, budget {s['params']['budget']}: the worst draw")
done()
