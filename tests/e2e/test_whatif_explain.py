"""What-if runs that explain themselves: every scenario has its spend and
unspent budget, and names the binding row that stops the budget; a min plan's
marginal column is the cost of one more unit of its target (checked against
a finite difference of two optimize runs); infeasible scenarios quote their
own bounds; headers are whole; no -0.0 anywhere."""
import json
import os
import re

from mpcommon import *

d = tmpdir("whatif_explain")
ex = os.path.join(SRC, "datasets", "examples")
spring = os.path.join(ex, "spring_launch.ini")
lead = os.path.join(ex, "leadgen_b2b.ini")


def whatif(plan, *args):
    out = os.path.join(d, "w.json")
    if os.path.exists(out):
        os.remove(out)
    p = run("whatif", plan, "--json", out, *args)
    data = json.load(open(out)) if os.path.exists(out) else None
    return p, data


def lead_plan(leads):
    """The lead-generation example with its leads target set to `leads`."""
    text = open(lead, encoding="utf-8").read()
    text = text.replace("../keywords/", os.path.join(SRC, "datasets", "keywords") + "/")
    text = text.replace("conversions >= 600", f"conversions >= {leads}")
    return write(os.path.join(d, f"lead_{leads}.ini"), text)


outputs = []

# 1. Spring launch, budgets 500k-600k: the CPA cap of 65 EUR binds (the spend
#    stops where conversions x 65 = spend), the rest of the budget is unspent.
p, data = whatif(spring, "--vary", "budget=500k..600k/50k")
check(p.returncode == 0, f"spring budget sweep: exit {p.returncode}: {p.stderr}")
outputs.append(p.stdout)
for s in data["scenarios"]:
    budget = s["params"]["budget"]
    spend = sum(c["spend"] for c in s["channels"])
    check(s["status"] == "optimal", f"budget {budget}: {s['status']}")
    # the CPA cap binds: spend / conversions at 65 EUR
    close(spend / s["kpis"]["conversions"], 65, 0.01, f"budget {budget}: CPA at its cap")
    close(s["unspent"], budget - spend, 1e-6 * budget, f"budget {budget}: unspent")
    check(budget - spend > 20000, f"budget {budget}: {budget - spend} unspent")
    check(s.get("stopped_by") == "cpa", f"budget {budget}: stopped by {s.get('stopped_by')!r}")
lines = p.stdout.splitlines()  # a note too wide for its row is on the line under it
rows = [l + (" " + lines[i + 1].strip() if i + 1 < len(lines) and
             lines[i + 1].lstrip().startswith("(stopped by") else "")
        for i, l in enumerate(lines) if re.match(r"^\d{3},000 ", l)]
check(len(rows) == 3 and all("stopped by cpa" in l for l in rows), f"terminal rows: {rows}")
check("spend EUR" in p.stdout and "unspent EUR" in p.stdout, "spend and unspent headers")
for l in rows:
    budget = float(l.split()[0].replace(",", ""))
    s = next(s for s in data["scenarios"] if s["params"]["budget"] == budget)
    spend = sum(c["spend"] for c in s["channels"])
    check(f"{spend:,.0f}" in l and f"{budget - spend:,.0f}" in l, f"terminal spend/unspent: {l}")

# 2. Min-cost grid on the lead-generation example: the marginal column is the
#    cost of one more lead, against the cost difference of two optimize runs
#    with the target moved by one lead.
p, data = whatif(lead, "--vary", "constraint:leads=500,600,700,900")
check(p.returncode == 0, f"leads sweep: exit {p.returncode}: {p.stderr}")
outputs.append(p.stdout)
for leads in (500, 600, 700):
    s = next(s for s in data["scenarios"] if s["params"]["constraint:leads"] == leads)
    _, a = optimize_json(lead_plan(leads))
    _, b = optimize_json(lead_plan(leads + 1))
    fd = b["objective"]["value"] - a["objective"]["value"]
    check("marginal_return" not in s, f"leads {leads}: a min plan has no budget marginal")
    check(s.get("marginal_unit") == "GBP per conversion more", f"unit {s.get('marginal_unit')}")
    print(f"leads {leads}: marginal {s['marginal_cost']:.3f}, finite difference {fd:.3f}")
    close(s["marginal_cost"], fd, 0.03 * fd, f"leads {leads}: cost of one more lead")
    close(s["unspent"], 150000 - s["kpis"]["spend"], 1e-3, f"leads {leads}: unspent")
    check(s.get("stopped_by") == "leads", f"leads {leads}: stopped by {s.get('stopped_by')!r}")
check("GBP per conversion more" in p.stdout, "terminal marginal header")

# 3. Infeasible at 900 leads: the scenario quotes its own bound.
s = next(s for s in data["scenarios"] if s["params"]["constraint:leads"] == 900)
check(s["status"] == "infeasible", f"900 leads: {s['status']}")
check("leads: conversions >= 900" in s["explanation"], f"own bound: {s['explanation']}")
check(">= 600" not in s["explanation"], f"no base bound: {s['explanation']}")
check("leads: conversions >= 900" in p.stdout, "terminal quotes the scenario's bound")

# 4. Headers whole: the axis name is printed in full, the table widens.
head = next(l for l in p.stdout.splitlines() if l.startswith("constraint:"))
check(head.startswith("constraint:leads "), f"header cut: {head}")
check("cost GBP" in head and "spend GBP" in head, f"currencies in the header: {head}")
row = next(l for l in p.stdout.splitlines() if l.startswith("600 "))
check(row.index("optimal") == head.index("status"), f"columns aligned:\n{head}\n{row}")

# 5. No -0.0 in any what-if or optimize output.
for args in (["whatif", spring, "--vary", "inflation=0%..30%/10%"],
             ["whatif", spring, "--vary", "budget=400k,450k"],
             ["whatif", lead, "--vary", "budget=100k,150k", "--vary", "constraint:leads=600,601"],
             ["optimize", spring], ["optimize", lead],
             ["optimize", os.path.join(ex, "mmm_curves.ini")]):
    p = run(*args)
    check(p.returncode == 0, f"{args}: exit {p.returncode}: {p.stderr}")
    outputs.append(p.stdout)
for out in outputs:
    bad = re.findall(r"-0(?:\.0+)?(?![\d.])%?", out)
    check(not bad, f"-0 printed: {bad} in\n{out}")

done()
