"""What-if runs on plans with uncertain curves: every scenario carries the
same figures over the draws as optimize gives the plan (JSON `quantiles`
in each scenario entry, the terminal's P10-P90 column, the Scenarios
sheet's band columns). Each scenario's quantiles are recomputed here from
the per-draw outcomes of the closed-form exp curves at that scenario's
reported spends, with weighted quantiles written in the test (the inverse
of the empirical CDF); a min plan's target and how often the draws meet it
likewise."""
import itertools
import json
import math
import os
import re
import subprocess
import zipfile

from mpcommon import *

d = tmpdir("whatif_draws")


def f_exp(beta, k, x):
    return beta * -math.expm1(-x / k)


def quantile(xs, ws, p):
    """The smallest outcome with at least p of the weight at or below it."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    total, cum = sum(ws), 0.0
    for i in order:
        cum += ws[i]
        if cum >= p * total * (1 - 1e-12):
            return xs[i]
    return xs[order[-1]]


def check_set(got, xs, ws, what):
    tol = 1e-7 * (1 + max(abs(x) for x in xs))
    mean = sum(a * b for a, b in zip(xs, ws)) / sum(ws)
    close(got["mean"], mean, tol, f"{what}: mean")
    for key, p in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        close(got[key], quantile(xs, ws, p), tol, f"{what}: {key}")


def whatif_json(plan, *vary, env=None):
    args = [MIXPLAN, "whatif", plan, "--json", "-", "--quiet"]
    for v in vary:
        args += ["--vary", v]
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    check(p.returncode == 0, f"whatif {vary}: exit {p.returncode}: {p.stderr[-400:]}")
    return json.loads(p.stdout) if p.returncode == 0 else None


def spends(sc):
    return {c["name"]: c["spend"] for c in sc["channels"]}


def draws_csv(name, rows):
    return write(os.path.join(d, name),
                 "draw,beta,k\n" + "".join(f"{i + 1},{b:g},{k:g}\n" for i, (b, k) in enumerate(rows)))


# ---- 1. aligned draws files, a budget sweep ------------------------------
A = [(450, 20000), (520, 26000), (600, 18000), (700, 30000), (380, 15000)]
B = [(300, 35000), (260, 30000), (340, 42000), (410, 38000), (220, 28000)]
# the second file lists its draws in another order: they pair by id
b_rows = list(enumerate(B))[::-1]
write(os.path.join(d, "b.csv"),
      "draw,beta,k\n" + "".join(f"{i + 1},{b:g},{k:g}\n" for i, (b, k) in b_rows))
draws_csv("a.csv", A)
PLAN = """[plan]
budget = 90000
start = 2027-03-01
periods = 1
objective = max conversions

[channel "A"]
type = curve
curve = exp
draws = a.csv

[channel "B"]
type = curve
curve = exp
draws = b.csv

[channel "C"]
type = curve
curve = exp
beta = 150
k = 10000
"""
plan = write(os.path.join(d, "aligned.ini"), PLAN)
BUDGETS = [40000, 70000, 90000, 130000, 200000]
w = whatif_json(plan, "budget=" + ",".join(str(b) for b in BUDGETS))
if w:
    check(len(w["scenarios"]) == len(BUDGETS), "aligned: a scenario per budget")
    for sc, budget in zip(w["scenarios"], BUDGETS):
        q = sc.get("quantiles")
        check(q is not None, f"aligned, budget {budget}: quantiles")
        if not q:
            continue
        s = spends(sc)
        close(sum(s.values()), budget, 1e-6 * budget, f"aligned, budget {budget}: spent")
        per = {"A": [f_exp(b, k, s["A"]) for b, k in A], "B": [f_exp(b, k, s["B"]) for b, k in B]}
        certain = f_exp(150, 10000, s["C"])
        totals = [per["A"][i] + per["B"][i] + certain for i in range(5)]
        ws = [0.2] * 5
        check(q["kpi"] == "conversions" and q["draws"] == "aligned" and q["outcomes"] == 5
              and not q["sampled"], f"aligned, budget {budget}: kpi, draws, outcomes")
        check_set(q["objective"], totals, ws, f"aligned, budget {budget}: the plan")
        check_set(q["channels"]["A"], per["A"], ws, f"aligned, budget {budget}: A")
        check_set(q["channels"]["B"], per["B"], ws, f"aligned, budget {budget}: B")
        c = q["channels"]["C"]
        check(c["draws"] == 0 and abs(c["p10"] - certain) <= 1e-7 * (1 + certain)
              and c["p90"] == c["p10"], f"aligned, budget {budget}: C is certain")
        # the scenario's objective is the mean over the draws
        close(sc["objective"]["value"], sum(totals) / 5, 1e-7 * sum(totals),
              f"aligned, budget {budget}: the objective is expected")
    # the base plan's quantiles are optimize's
    p, opt = optimize_json(plan)
    if opt:
        base = w["base"]["quantiles"]["objective"]
        for key in ("mean", "p10", "p50", "p90"):
            close(base[key], opt["quantiles"]["objective"][key], 1e-9 * opt["quantiles"]["objective"][key],
                  f"base: {key} as optimize's")
        sc = w["scenarios"][BUDGETS.index(90000)]["quantiles"]["objective"]
        for key in ("mean", "p10", "p50", "p90"):
            close(sc[key], opt["quantiles"]["objective"][key], 1e-6 * opt["quantiles"]["objective"][key],
                  f"the scenario at the plan's budget: {key} as optimize's")

# ---- 2. independent draws: a file and a range, every combination --------
IND = (PLAN.replace("objective = max conversions", "objective = max conversions\ndraws = independent")
       .replace("draws = b.csv", "beta = 300 ± 20%\nk = 35000"))
ind = write(os.path.join(d, "independent.ini"), IND)
w = whatif_json(ind, "budget=60000,120000")
for sc in (w or {}).get("scenarios", []):
    q = sc.get("quantiles")
    check(q is not None, f"independent {sc['params']}: quantiles")
    if not q:
        continue
    s = spends(sc)
    pts_b = [(1 / 6, 300 * 0.8), (2 / 3, 300), (1 / 6, 300 * 1.2)]
    ws = [0.2 * wb for _ in A for wb, _ in pts_b]
    xs = [f_exp(ba, ka, s["A"]) + f_exp(bb, 35000, s["B"]) + f_exp(150, 10000, s["C"])
          for (ba, ka), (wb, bb) in itertools.product(A, pts_b)]
    check(q["draws"] == "independent" and q["outcomes"] == 15 and not q["sampled"],
          f"independent {sc['params']}: 15 combinations")
    check_set(q["objective"], xs, ws, f"independent {sc['params']}: the plan")

# ---- 3. a min plan: its target's spread and how often the draws meet it --
MIN = (PLAN.replace("objective = max conversions", "objective = min cost")
       + '\n[constraint "conv"]\nexpr = conversions >= 550\n')
mplan = write(os.path.join(d, "min.ini"), MIN)
TARGETS = [400, 550, 650]
w = whatif_json(mplan, "constraint:conv=" + ",".join(str(t) for t in TARGETS))
for sc, target in zip((w or {}).get("scenarios", []), TARGETS):
    q = sc.get("quantiles")
    check(q is not None and q["kpi"] == "conversions", f"min, target {target}: quantiles")
    if not q:
        continue
    s = spends(sc)
    totals = [f_exp(A[i][0], A[i][1], s["A"]) + f_exp(B[i][0], B[i][1], s["B"])
              + f_exp(150, 10000, s["C"]) for i in range(5)]
    check_set(q["objective"], totals, [0.2] * 5, f"min, target {target}")
    met = sum(0.2 for t in totals if t >= target * (1 - 1e-9))
    t = q.get("target", {})
    check(t.get("constraint") == "conv" and t.get("value") == target,
          f"min, target {target}: the target named {t}")
    close(t.get("met", -1), met, 1e-12, f"min, target {target}: met in the draws")

# optimize says how often the target is met, in English and French
p, opt = optimize_json(mplan)
if opt:
    s = spends(opt)
    totals = [f_exp(A[i][0], A[i][1], s["A"]) + f_exp(B[i][0], B[i][1], s["B"])
              + f_exp(150, 10000, s["C"]) for i in range(5)]
    pct = 100 * sum(0.2 for t in totals if t >= 550 * (1 - 1e-9))
    p = run("optimize", mplan)
    want = f'  target "conversions >= 550": met in {pct:.1f}% of the draws (the plan meets it in ' \
           "expectation, on average over them)"
    check(want in p.stdout.splitlines(), f"min: the target line\n  {want}\n{p.stdout}")
    envf = dict(os.environ, LANG="fr_FR.UTF-8", LC_ALL="", LANGUAGE="")
    pf = subprocess.run([MIXPLAN, "optimize", mplan], capture_output=True, text=True, env=envf)
    want = (f"  cible «\u00a0conversions >= 550\u00a0»\u00a0: atteinte dans {pct:.1f}\u00a0% des tirages".replace(".", ","))
    check(any(l.startswith(want) for l in pf.stdout.splitlines()),
          f"min: the French target line\n  {want}\n{pf.stdout}")

# ---- 4. the terminal, in English and French ------------------------------
def fmt(v, fr=False):
    s = f"{v:,.0f}" if abs(v) >= 100 or v == 0 else f"{v:,.1f}"
    return s.replace(",", "\u202f").replace(".", ",") if fr else s


p = run("whatif", plan, "--vary", "budget=40000,90000")
check(p.returncode == 0, f"terminal: exit {p.returncode} {p.stderr}")
lines = p.stdout.splitlines()
head = [l for l in lines if l.startswith("budget ")]
check(head and "P10–P90" in head[0], f"terminal: the P10–P90 column\n{p.stdout}")
bands = re.sub(r"\n  (?=\S)", " ", p.stdout).splitlines()  # wrapped at 100 columns
check(any(l.startswith("P10–P90: the conversions each scenario's plan brings over 5 draws, "
                       "aligned across the channels (1 in 10 brings P10 or less") for l in bands),
      f"terminal: the bands line\n{p.stdout}")
check(any(l.startswith("base plan: max conversions -> ") and l.endswith(" conversions expected")
          for l in lines), f"terminal: the base plan is expected\n{p.stdout}")
if w is not None:
    wj = whatif_json(plan, "budget=40000,90000")
    for sc in (wj or {}).get("scenarios", []):
        o = sc["quantiles"]["objective"]
        band = f"{fmt(o['p10'])}–{fmt(o['p90'])}"
        check(any(l.startswith(fmt(sc["params"]["budget"])) and band in l for l in lines),
              f"terminal: the band {band} on its row\n{p.stdout}")
env = dict(os.environ, LANG="fr_FR.UTF-8", LC_ALL="", LANGUAGE="")
pf = subprocess.run([MIXPLAN, "whatif", plan, "--vary", "budget=40000,90000"],
                    capture_output=True, text=True, env=env)
check(any(l.startswith("P10–P90\u00a0: les conversions qu'apporte le plan de chaque scénario sur 5 "
                       "tirages, alignés entre les canaux")
          for l in re.sub(r"\n  (?=\S)", " ", pf.stdout).splitlines()),
      f"French terminal: the bands line\n{pf.stdout}")
check("conversions en moyenne" in pf.stdout, f"French terminal: the base plan\n{pf.stdout}")
p = run("whatif", mplan, "--vary", "constraint:conv=400,550")
head = [l for l in p.stdout.splitlines() if l.startswith("constraint:conv")]
check(head and "conversions P10–P90" in head[0] and "target met" in head[0],
      f"terminal: a min plan's band names its KPI, and the target met\n{p.stdout}")
wm = whatif_json(mplan, "constraint:conv=400,550")
for sc in (wm or {}).get("scenarios", []):
    s = spends(sc)
    totals = [f_exp(A[i][0], A[i][1], s["A"]) + f_exp(B[i][0], B[i][1], s["B"])
              + f_exp(150, 10000, s["C"]) for i in range(5)]
    target = sc["params"]["constraint:conv"]
    met = f"{100 * sum(0.2 for t in totals if t >= target * (1 - 1e-9)):.1f}%"
    row = [l for l in p.stdout.splitlines() if l.startswith(f"{target:<16}")]
    check(row and f" {met} " in row[0], f"terminal: target {target} met in {met}\n{p.stdout}")

# a plan without draws: no band anywhere
plain = write(os.path.join(d, "plain.ini"), PLAN.replace("draws = a.csv", "beta = 500\nk = 20000")
              .replace("draws = b.csv", "beta = 300\nk = 35000"))
p = run("whatif", plain, "--vary", "budget=40000,90000", "--json", os.path.join(d, "plain.json"))
check(p.returncode == 0 and "P10" not in p.stdout, f"no draws: no band\n{p.stdout}")
with open(os.path.join(d, "plain.json"), encoding="utf-8") as f:
    check(all("quantiles" not in sc for sc in json.load(f)["scenarios"]), "no draws: no quantiles")

# ---- 5. the Scenarios sheet: P10, P50 and P90 and the band on the chart --
book = os.path.join(d, "bands.xlsx")
p = run("whatif", plan, "--vary", "budget=40000,90000,130000", "-o", book, "-q")
check(p.returncode == 0, f"workbook: exit {p.returncode} {p.stderr}")
with zipfile.ZipFile(book) as z:
    names = z.namelist()
    sheets = "".join(z.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet"))
    strings = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in names else ""
    charts = [z.read(n).decode() for n in names if n.startswith("xl/charts/")]
text = sheets + strings
for h in ("P10 of conversions over the draws", "P50 (median) of conversions over the draws",
          "P90 of conversions over the draws"):
    check(h in text, f"workbook: the column {h}")
book = os.path.join(d, "min_bands.xlsx")
p = run("whatif", mplan, "--vary", "constraint:conv=400,550", "-o", book, "-q")
with zipfile.ZipFile(book) as z:
    text_min = "".join(z.read(n).decode() for n in z.namelist()
                       if n.startswith("xl/worksheets/sheet") or n == "xl/sharedStrings.xml")
check("share of the draws meeting the target" in text_min, "workbook: a min plan's target met")
check(any("budget" in c and "<c:v>P10</c:v>" in c and "<c:v>P90</c:v>" in c for c in charts)
      or any("P10" in c and "P90" in c and "against budget" in c for c in charts),
      "workbook: the band on the Scenarios chart")

done()
