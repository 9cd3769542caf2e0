"""What stops the budget of a plan chosen for the bad draws whose CPA cap must
hold in every draw, beside a channel at its max_spend: both rows bind, and
each, moved, lets more of the budget be spent (checked here by re-solving with
the cap and the max_spend raised). optimize says how much is left unspent and
that spending it would break the CPA cap (in its worst draw) or the channel's
max_spend, in the terminal, the Summary (English and French) and the JSON's
`unspent`; a what-if scenario is stopped by both, the CPA cap first, never by
the channel's name alone. The worst draw, the CPA at the cap and the amount
left are recomputed here from the plan's spends and the draws' closed-form
curves (one period: a channel's spend is its period's)."""
import json
import math
import os
import random

from mpcommon import *

d = tmpdir("unspent_stopper")
CAP, CAPPED, ND, BUDGET = 45.0, 10000.0, 10, 100000.0
random.seed(3)
TV = [(500 * math.exp(random.gauss(0, 0.3)), 40000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
WEB = [(800 * math.exp(random.gauss(0, 0.2)), 15000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
INSTA = (1000.0, 20000.0)
write(os.path.join(d, "tv.csv"), "beta,ec\n" + "".join(f"{b!r},{k!r}\n" for b, k in TV))
write(os.path.join(d, "web.csv"), "beta,k\n" + "".join(f"{b!r},{k!r}\n" for b, k in WEB))


def plan(name, cap=CAP, capped=CAPPED):
    return write(os.path.join(d, name + ".ini"), f"""[plan]
budget = {BUDGET:.0f}
start = 2027-03-01
periods = 1
objective = max conversions
risk = cvar 20%
precision = 0.01%

{TWO_DRAW_CHANNELS}
[channel "insta"]
type = curve
curve = exp
beta = {INSTA[0]:.0f}
k = {INSTA[1]:.0f}
max_spend = {capped:.0f}

[constraint "cpa"]
expr = cpa <= {cap:g}
must_hold = all
""")


def spends(data):
    return {c["name"]: c["spend"] for c in data["channels"]}


def draw_cpas(sp):
    """Each draw's CPA at spends sp (closed forms)."""
    tv, web, insta = sp["telly"], sp["web"], sp["insta"]
    fixed = -INSTA[0] * math.expm1(-insta / INSTA[1])
    conv = [b * tv / (ec + tv) - bw * math.expm1(-web / kw) + fixed
            for (b, ec), (bw, kw) in zip(TV, WEB)]
    return [(tv + web + insta) / c for c in conv]


base = plan("base")
xlsx, xlsx_fr = os.path.join(d, "base.xlsx"), os.path.join(d, "base_fr.xlsx")
p, data = optimize_json(base, "-o", xlsx)
check(p.returncode == 0 and data, f"optimize: exit {p.returncode}: {p.stderr}")
sp = spends(data)
left = BUDGET - sum(sp.values())
cpas = draw_cpas(sp)
worst = max(range(ND), key=lambda i: cpas[i])
check(left > 1000, f"money left unspent: {left}")
check(CAP * (1 - 2e-3) <= cpas[worst] <= CAP * (1 + 1e-7), f"worst draw's CPA {cpas[worst]} at the cap")
close(sp["insta"], CAPPED, 1e-6, "insta at its max_spend")

# each row, moved, lets more be spent: both stop the budget
for what, path in (("cpa 10% higher", plan("cap", cap=CAP * 1.1)),
                   ("insta's max_spend 50% higher", plan("capped", capped=CAPPED * 1.5))):
    q, moved = optimize_json(path)
    check(q.returncode == 0 and moved, f"{what}: exit {q.returncode}: {q.stderr}")
    more = sum(spends(moved).values()) - sum(sp.values()) if moved else 0
    check(more > 100, f"{what}: spends {more:.0f} more")

u = data.get("unspent") or {}
close(u.get("amount", 0), left, 1e-9, "unspent.amount: the budget less the channels' spends")
check(u.get("rows") == ["cpa", "max_spend_insta"], f"unspent.rows: {u.get('rows')}")
amount = f"{left:,.0f} EUR of the budget left unspent: spending it would break cpa <= {CAP:g} " \
         f"(held in every draw; worst: draw {worst + 1} of {ND}) or insta's max_spend"
check(u.get("text") == amount, f"unspent.text: {u.get('text')!r}, expected {amount!r}")
p = run("optimize", base)
check(amount in logical(p.stdout).splitlines(), f"terminal line {amount!r}:\n{logical(p.stdout)}")

import openpyxl  # noqa: E402 (after the runs: the reader is the checks' own)


def summary_lines(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    return [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


check(amount in summary_lines(xlsx), "the Summary says what is left unspent and why")
p = run("optimize", base, "-o", xlsx_fr, "--lang", "fr")
fr = [l for l in summary_lines(xlsx_fr) if "du budget non dépensés" in l]
check(len(fr) == 1 and f"tirage {worst + 1} sur {ND}" in fr[0] and "le max_spend de insta" in fr[0],
      f"French Summary: {fr}")

# a what-if names both rows, the CPA cap first
out = os.path.join(d, "w.json")
p = run("whatif", base, "--vary", "budget=60k,100k", "--json", out)
check(p.returncode == 0 and os.path.exists(out), f"whatif: exit {p.returncode}: {p.stderr}")
scen = json.load(open(out))["scenarios"] if os.path.exists(out) else []
check(len(scen) == 2, "two scenarios")
for s in scen:
    b = s["params"]["budget"]
    check(s["unspent"] > 1000, f"budget {b}: money left unspent")
    check(s.get("stopped_by") == "cpa" and s.get("stopped_by_rows") == ["cpa", "max_spend_insta"],
          f"budget {b}: stopped by {s.get('stopped_by')!r}, {s.get('stopped_by_rows')}")
lines = logical(p.stdout).splitlines()  # a note too wide for its row is on the line under it
rows = [l + (" " + lines[i + 1].strip() if i + 1 < len(lines) and
             lines[i + 1].lstrip().startswith("(") else "")
        for i, l in enumerate(lines) if l[:2].isdigit() and "optimal" in l]
check(len(rows) == 2 and all("(stopped by cpa and insta's max_spend)" in l
                             for l in rows), f"terminal rows: {rows}")
print(f"{left:,.0f} EUR unspent: cpa in draw {worst + 1} and insta's max_spend stop it")
done()
