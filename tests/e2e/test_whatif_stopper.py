"""What stops the budget in a what-if sweep of a max-conversions plan whose
CPA cap must hold in every draw, beside an offline-share floor: both are at
their bounds, but a floor on a share cannot hold spending back (more money on
tv only raises its share), so the unspent budget is the CPA cap's. The cap's
row in expectation has no price there (it binds in the worst draw), which once
named the share. Every figure is recomputed here from the scenario's spends
and the draws' closed-form curves (one period: a channel's spend is its
period's): each draw's CPA, the worst at the cap, the share at its floor."""
import json
import math
import os
import random

from mpcommon import *

d = tmpdir("whatif_stopper")
CAP, SHARE, ND = 55.0, 0.30, 10
random.seed(3)
TV = [(500 * math.exp(random.gauss(0, 0.3)), 40000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
WEB = [(800 * math.exp(random.gauss(0, 0.2)), 15000 * math.exp(random.gauss(0, 0.2))) for _ in range(ND)]
write(os.path.join(d, "tv.csv"), "beta,ec\n" + "".join(f"{b!r},{k!r}\n" for b, k in TV))
write(os.path.join(d, "web.csv"), "beta,k\n" + "".join(f"{b!r},{k!r}\n" for b, k in WEB))
plan = write(os.path.join(d, "plan.ini"), f"""[plan]
budget = 100000
start = 2027-03-01
periods = 1
objective = max conversions
must_hold = all
precision = 0.01%

{TWO_DRAW_CHANNELS}
[constraint "offline-share"]
expr = share(tv) >= {SHARE:.0%}

[constraint "cpa"]
expr = cpa <= {CAP:.0f}
""")

out = os.path.join(d, "w.json")
p = run("whatif", plan, "--vary", "budget=20k..80k/20k", "--json", out)
check(p.returncode == 0 and os.path.exists(out), f"whatif: exit {p.returncode}: {p.stderr}")
data = json.load(open(out)) if os.path.exists(out) else {"scenarios": []}
check(len(data["scenarios"]) == 4, "four scenarios")
notes = []  # each scenario's cap at its limit in its worst draw, as the terminal says it
for s in data["scenarios"]:
    budget = s["params"]["budget"]
    sp = {c["name"]: c["spend"] for c in s["channels"]}
    tv, web = sp["telly"], sp["web"]
    conv = [b * tv / (ec + tv) - bw * math.expm1(-web / kw) for (b, ec), (bw, kw) in zip(TV, WEB)]
    worst = (tv + web) / min(conv)
    check(s["status"] == "optimal", f"budget {budget}: {s['status']}")
    check(budget - (tv + web) > 1000, f"budget {budget}: money left unspent ({tv + web})")
    check(CAP * (1 - 2e-3) <= worst <= CAP * (1 + 1e-7), f"budget {budget}: worst draw's CPA {worst} at the cap")
    close(tv / (tv + web), SHARE, 1e-6, f"budget {budget}: tv's share at its floor too")
    check(s.get("stopped_by") == "cpa", f"budget {budget}: stopped by {s.get('stopped_by')!r}")
    k = min(range(ND), key=lambda i: conv[i]) + 1
    notes.append(f"(stopped by cpa)  (cpa at its limit in draw {k} of {ND}: {worst:,.2f} EUR)")
lines = p.stdout.splitlines()  # a note too wide for its row is on the lines under it,
rows = []                      # a part a line when it passes 100 columns there too
for i, l in enumerate(lines):
    if l[:2].isdigit() and "optimal" in l:
        parts = []
        while i + 1 + len(parts) < len(lines) and lines[i + 1 + len(parts)].lstrip().startswith("("):
            parts.append(lines[i + 1 + len(parts)].strip())
        rows.append(l + (" " + "  ".join(parts) if parts else ""))
check(len(rows) == 4 and all(l.endswith(n) for l, n in zip(rows, notes)),
      f"terminal rows: {rows}, expected to end {notes}")
print(f"worst-draw CPA {CAP} and tv at {SHARE:.0%} in every scenario: stopped by cpa")
done()
