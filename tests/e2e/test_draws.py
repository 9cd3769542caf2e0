"""Uncertain curves: draws = FILE and ranges (620 +- 15%) on a channel's curve,
[plan] risk = mean and draws = aligned | independent. Every expected figure
is computed here: the mean-optimal allocation of exp curves in closed form
(draws of beta only: the curve of the mean beta) or by bisection on the
equal expected marginals (draws of k too), the three points of a range, and
the quantiles from the per-draw outcomes at the reported spends (the
inverse of the empirical CDF, numpy's inverted_cdf for equal weights)."""
import itertools
import json
import math
import os
import zipfile

import numpy as np

from mpcommon import *

d = tmpdir("draws")
BUDGET = 90000.0


def plan_text(chans, extra_plan="", budget=BUDGET):
    """One period, curve channels: (name, body lines)."""
    t = (f"[plan]\nbudget = {budget:.0f}\nstart = 2027-03-01\nperiods = 1\n"
         f"precision = 0.01%\ngap = 0.001%\n{extra_plan}")
    for name, body in chans:
        curve = "" if "curve =" in body else "curve = exp\n"
        t += f'\n[channel "{name}"]\ntype = curve\n{curve}{body}'
    return t


def draws_file(name, header, rows):
    return write(os.path.join(d, name), header + "\n" + "".join(
        ",".join(f"{v:g}" for v in r) + "\n" for r in rows))


def f_exp(beta, k, x):
    return beta * -math.expm1(-x / k)


def inverted_cdf(x, w, p):
    """The smallest outcome with at least p of the weight at or below it."""
    order = sorted(range(len(x)), key=lambda i: x[i])
    total, cum = sum(w), 0.0
    for i in order:
        cum += w[i]
        if cum >= p * total * (1 - 1e-12):
            return x[i]
    return x[order[-1]]


def check_set(got, xs, ws, what, tol):
    mean = sum(a * b for a, b in zip(xs, ws)) / sum(ws)
    close(got["mean"], mean, tol, f"{what}: mean")
    for key, p in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        close(got[key], inverted_cdf(xs, ws, p), tol, f"{what}: {key}")


def spends(data):
    return {c["name"]: c["spend"] for c in data["channels"]}


def bisect_spend(marginal, lam, hi):
    """The spend where a decreasing marginal falls to lam (0 if it starts below)."""
    if marginal(0.0) <= lam:
        return 0.0
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if marginal(mid) > lam else (lo, mid)
    return 0.5 * (lo + hi)


def mean_optimal(chans, budget):
    """chans: name -> list of (weight, beta, k); the spends where the expected
    marginals sum_d w beta/k exp(-x/k) are equal and use the budget."""
    def marg(draws):
        return lambda x: sum(w * b / k * math.exp(-x / k) for w, b, k in draws)
    lo, hi = 1e-12, 10.0
    for _ in range(200):
        lam = math.sqrt(lo * hi)
        total = sum(bisect_spend(marg(dr), lam, 1e8) for dr in chans.values())
        lo, hi = (lam, hi) if total > budget else (lo, lam)
    return {n: bisect_spend(marg(dr), lam, 1e8) for n, dr in chans.items()}


# ---- 1. draws of beta only: the mean curve is the curve of the mean beta,
# the closed form of exp_channels_plan; aligned draws of two channels -------
BA = [400.0, 520.0, 610.0, 700.0, 830.0]
BB = [300.0, 260.0, 420.0, 380.0, 340.0]
KA, KB = 20000.0, 35000.0
draws_file("a_beta.csv", "draw,beta", [(i + 1, b) for i, b in enumerate(BA)])
# both files name their draws (a draw column in one file only is refused: test_draws_errors)
draws_file("b_beta.csv", "draw,beta", [(i + 1, b) for i, b in enumerate(BB)])
plan1 = write(os.path.join(d, "beta.ini"), plan_text(
    [("A", f"k = {KA:.0f}\ndraws = a_beta.csv\n"), ("B", f"k = {KB:.0f}\ndraws = b_beta.csv\n")]))
p, data = optimize_json(plan1)
check(p.returncode == 0, f"beta draws: exit {p.returncode}: {p.stderr}")
_, most = exp_channels_plan([("A", np.mean(BA), KA), ("B", np.mean(BB), KB)], BUDGET)
lam_text, _ = exp_channels_plan([("A", np.mean(BA), KA), ("B", np.mean(BB), KB)], BUDGET)
if data:
    close(data["objective"]["value"], most, most * 1e-4, "beta draws: expected objective")
    want = mean_optimal({"A": [(1, np.mean(BA), KA)], "B": [(1, np.mean(BB), KB)]}, BUDGET)
    s = spends(data)
    for n in ("A", "B"):
        close(s[n], want[n], BUDGET * 1e-2, f"beta draws: spend {n} at equal expected marginals")
    q = data.get("quantiles")
    check(q is not None and q["draws"] == "aligned" and q["kpi"] == "conversions",
          "beta draws: quantiles of conversions, aligned")
    outA = [f_exp(b, KA, s["A"]) for b in BA]
    outB = [f_exp(b, KB, s["B"]) for b in BB]
    tot = [a + b for a, b in zip(outA, outB)]
    w = [1.0] * len(BA)
    if q:
        check_set(q["objective"], tot, w, "beta draws: objective", 1e-6 * most)
        check_set(q["channels"]["A"], outA, w, "beta draws: channel A", 1e-6 * most)
        check_set(q["channels"]["B"], outB, w, "beta draws: channel B", 1e-6 * most)
        for key, pr in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
            close(q["objective"][key], float(np.quantile(tot, pr, method="inverted_cdf")),
                  1e-6 * most, f"beta draws: {key} as numpy's inverted_cdf")
        close(q["objective"]["mean"], data["objective"]["value"], 1e-6 * most,
              "beta draws: the mean over the draws is the objective")

# ---- 2. draws of beta and k: the equal expected marginals by bisection ----
DA = [(500.0, 15000.0), (650.0, 25000.0), (580.0, 40000.0)]
DB = [(380.0, 30000.0), (300.0, 18000.0), (450.0, 50000.0)]
draws_file("a_bk.csv", "beta,k", DA)
draws_file("b_bk.csv", "k,beta", [(k, b) for b, k in DB])
plan2 = write(os.path.join(d, "bk.ini"), plan_text(
    [("A", "draws = a_bk.csv\n"), ("B", "draws = b_bk.csv\n")]))
p, data = optimize_json(plan2)
check(p.returncode == 0, f"beta,k draws: exit {p.returncode}: {p.stderr}")
if data:
    want = mean_optimal({"A": [(1 / 3, b, k) for b, k in DA],
                         "B": [(1 / 3, b, k) for b, k in DB]}, BUDGET)
    s = spends(data)
    exp_obj = sum(f_exp(b, k, want["A"]) for b, k in DA) / 3 + sum(
        f_exp(b, k, want["B"]) for b, k in DB) / 3
    close(data["objective"]["value"], exp_obj, exp_obj * 1e-4, "beta,k draws: expected objective")
    # the certified gap (0.001 %) fixes the objective; near so flat an optimum
    # the spends only to about sqrt(gap)
    got_obj = sum(f_exp(b, k, s["A"]) for b, k in DA) / 3 + sum(
        f_exp(b, k, s["B"]) for b, k in DB) / 3
    check(exp_obj * (1 - 1e-5) <= got_obj <= exp_obj * (1 + 1e-9),
          f"beta,k draws: the expected outcome at the spends {got_obj} within the gap of {exp_obj}")
    for n in ("A", "B"):
        close(s[n], want[n], BUDGET * 1e-2, f"beta,k draws: spend {n} by bisection")
    tot = [f_exp(*DA[i], s["A"]) + f_exp(*DB[i], s["B"]) for i in range(3)]
    if data.get("quantiles"):
        check_set(data["quantiles"]["objective"], tot, [1, 1, 1], "beta,k draws: objective",
                  1e-6 * exp_obj)

# ---- 3. a range: beta = 600 +- 20% is 480 / 600 / 720 weighted 1/6, 2/3,
# 1/6, whose mean is 600: the plan of the certain curve ---------------------
for sign in ("±", "+-"):
    plan3 = write(os.path.join(d, "range.ini"), plan_text(
        [("A", f"beta = 600 {sign} 20%\nk = 20000\n"), ("B", "beta = 340\nk = 35000\n")]))
    p, data = optimize_json(plan3)
    check(p.returncode == 0, f"range {sign}: exit {p.returncode}: {p.stderr}")
    if not data:
        continue
    _, most = exp_channels_plan([("A", 600, 20000), ("B", 340, 35000)], BUDGET)
    close(data["objective"]["value"], most, most * 1e-4, f"range {sign}: the certain plan's optimum")
    s = spends(data)
    pts = [600 * 0.8, 600.0, 600 * 1.2]
    wts = [1 / 6, 2 / 3, 1 / 6]
    outA = [f_exp(b, 20000, s["A"]) for b in pts]
    fixedB = f_exp(340, 35000, s["B"])
    q = data["quantiles"]
    check_set(q["channels"]["A"], outA, wts, f"range {sign}: channel A's three points", 1e-6 * most)
    check_set(q["objective"], [a + fixedB for a in outA], wts, f"range {sign}: objective",
              1e-6 * most)
    close(q["objective"]["p10"], outA[0] + fixedB, 1e-6 * most, f"range {sign}: P10 is the low point")
    close(q["objective"]["p90"], outA[2] + fixedB, 1e-6 * most, f"range {sign}: P90 is the high point")
    check(q["channels"]["B"]["draws"] == 0 and q["channels"]["B"]["p10"] == q["channels"]["B"]["p90"],
          f"range {sign}: a certain channel's quantiles are its figure")

# ---- 4. independent draws: every combination, weighted by the product ------
draws_file("a3.csv", "beta", [(b,) for b in (450.0, 600.0, 900.0)])
plan4 = write(os.path.join(d, "indep.ini"), plan_text(
    [("A", "k = 20000\ndraws = a3.csv\n"), ("B", "beta = 340 +- 30%\nk = 35000\n")],
    extra_plan="draws = independent\nrisk = mean\n"))
p, data = optimize_json(plan4)
check(p.returncode == 0, f"independent: exit {p.returncode}: {p.stderr}")
if data:
    want = mean_optimal({"A": [(1 / 3, b, 20000) for b in (450, 600, 900)],
                         "B": [(1 / 6, 340 * 0.7, 35000), (2 / 3, 340, 35000),
                               (1 / 6, 340 * 1.3, 35000)]}, BUDGET)
    s = spends(data)
    for n in ("A", "B"):
        close(s[n], want[n], BUDGET * 1e-2, f"independent: spend {n}")
    xs, ws = [], []
    for (ba, wa), (bb, wb) in itertools.product(
            [(b, 1 / 3) for b in (450, 600, 900)],
            [(340 * 0.7, 1 / 6), (340, 2 / 3), (340 * 1.3, 1 / 6)]):
        xs.append(f_exp(ba, 20000, s["A"]) + f_exp(bb, 35000, s["B"]))
        ws.append(wa * wb)
    q = data["quantiles"]
    check(q["draws"] == "independent" and q["outcomes"] == 9 and not q["sampled"],
          "independent: nine combinations counted")
    check_set(q["objective"], xs, ws, "independent: objective", 1e-6 * sum(xs))

# ---- 5. the terminal line, in French too, and the Summary table ---------
p = run("optimize", plan3, "-o", os.path.join(d, "range.xlsx"))
check(p.returncode == 0 and "uncertain curves:" in p.stdout and "(P10)" in p.stdout,
      f"terminal line: {p.stdout[-400:]}")
env = dict(os.environ, LANG="fr_FR.UTF-8", LC_ALL="", LANGUAGE="")
import subprocess
pf = subprocess.run([MIXPLAN, "optimize", plan3], capture_output=True, text=True, env=env)
check("courbes incertaines" in pf.stdout, f"French terminal line: {pf.stdout[-300:]}")
with zipfile.ZipFile(os.path.join(d, "range.xlsx")) as z:
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")]
check("Uncertain curves" in sheet and "P50 (median)" in sheet, "Summary table of the draws")
check(any("by channel, P10 to P90" in c and "P50 (median) to P90" in c for c in charts)
      and any("the plan, P10 to P90" in c for c in charts), "Summary band charts of the draws")

# the Assumptions sheet names the draws file
p = run("optimize", plan1, "-q", "-o", os.path.join(d, "beta.xlsx"))
with zipfile.ZipFile(os.path.join(d, "beta.xlsx")) as z:
    sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
check(any("response curve draws" in t and "a_beta.csv" in t for t in sheets),
      "Assumptions: the draws file")

# ---- 5b. rates: search cvr and social ctr ranges multiply the channel's
# conversions by 0.8 / 1 / 1.2 and 0.9 / 1 / 1.1 in the three aligned draws --
ex = os.path.join(SRC, "datasets", "examples")
with open(os.path.join(ex, "spring_launch.ini"), encoding="utf-8") as f:
    spring = f.read().replace("../", os.path.join(SRC, "datasets") + "/")
spring = spring.replace("cvr       = 3.2%", "cvr       = 3.2% ± 20%").replace(
    "ctr      = 1.2%", "ctr      = 1.2% +- 10%")
p, data = optimize_json(write(os.path.join(d, "spring.ini"), spring))
check(p.returncode == 0, f"spring with rate ranges: exit {p.returncode}: {p.stderr}")
if data:
    conv = {c["name"]: c["kpis"]["conversions"] for c in data["channels"]}
    wts = [1 / 6, 2 / 3, 1 / 6]
    search = [conv["search-generic"] * m for m in (0.8, 1, 1.2)]
    meta = [conv["meta"] * m for m in (0.9, 1, 1.1)]
    rest = sum(v for n, v in conv.items() if n not in ("search-generic", "meta"))
    q = data["quantiles"]
    check_set(q["channels"]["search-generic"], search, wts, "spring: search cvr range", 1e-6 * sum(conv.values()))
    check_set(q["channels"]["meta"], meta, wts, "spring: meta ctr range", 1e-6 * sum(conv.values()))
    check_set(q["objective"], [a + b + rest for a, b in zip(search, meta)], wts,
              "spring: objective over the aligned draws", 1e-6 * sum(conv.values()))
    close(q["objective"]["mean"], data["objective"]["value"], 1e-6 * data["objective"]["value"],
          "spring: a rate's range leaves the expected objective as it was")

# ---- 6. bad inputs: exit 3, file:line and the key or column, a hint -------
BAD = [
    ("missing column", "a_noec.csv", "beta\n500\n600\n", "curve = hill\ndraws = a_noec.csv\n",
     "", ["needs ec"]),
    ("non-numeric", "a_nan.csv", "beta,k\n500,20000\n600,abc\n", "draws = a_nan.csv\n", "",
     ["a_nan.csv:3: k:"]),
    ("unknown column", "a_col.csv", "beta,kk\n500,20000\n", "draws = a_col.csv\n", "",
     ["a_col.csv:1: kk:", "columns are"]),
    ("adstock column", "a_ad.csv", "beta,k,adstock\n500,20000,0.5\n", "draws = a_ad.csv\n", "",
     ["adstock:", "one adstock"]),
    ("short row", "a_row.csv", "beta,k\n500,20000\n600\n", "draws = a_row.csv\n", "",
     ["a_row.csv:3:", "header has 2"]),
    ("empty", "a_empty.csv", "beta,k\n", "draws = a_empty.csv\n", "", ["no draws"]),
    ("twice", "a_two.csv", "beta,beta\n1,2\n", "k = 1000\ndraws = a_two.csv\n", "",
     ["given twice"]),
    ("counts differ", "a_two_rows.csv", "beta\n500\n600\n",
     "k = 20000\ndraws = a_two_rows.csv\n", "B3", ["draws = independent", "has 3 draws"]),
    ("range on a key without one", None, None, "beta = 500\nk = 20000\nmin_spend = 10 +- 5%\n",
     "", ["min_spend:", "takes no range"]),
    ("range too wide", None, None, "beta = 500 +- 100%\nk = 20000\n", "",
     ["beta:", "below 100%"]),
    ("file and range", "a_ok.csv", "beta\n500\n", "k = 20000 +- 10%\ndraws = a_ok.csv\n", "",
     ["not both"]),
    ("risk", None, None, "beta = 500\nk = 20000\n", "risk = median", ["risk:", "cvar 10%"]),
    ("draws key", None, None, "beta = 500\nk = 20000\n", "draws = joint", ["draws:", "independent"]),
]
for what, fname, ftext, body, extra, needles in BAD:
    if fname:
        write(os.path.join(d, fname), ftext)
    chans = [("A", body)]
    plan_extra = ""
    if extra == "B3":  # a range with a file is crossed with it: files of 2 and 3 rows
        write(os.path.join(d, "b_three.csv"), "beta\n300\n340\n380\n")
        chans.append(("B", "draws = b_three.csv\nk = 35000\n"))
    elif extra:
        plan_extra = extra + "\n"
    path = write(os.path.join(d, "bad.ini"), plan_text(chans, extra_plan=plan_extra))
    p = run("optimize", path, "--quiet")
    check(p.returncode == 3, f"{what}: exit {p.returncode}, expected 3: {p.stderr}")
    for n in needles:
        check(n in p.stderr, f"{what}: '{n}' in: {p.stderr.strip()}")

# a search channel's ctr takes no range; a tv channel's rate none either
p = run("validate", write(os.path.join(d, "bad_tv.ini"), (
    "[plan]\nbudget = 1000\nstart = 2027-03-01\n[channel \"t\"]\ntype = tv\ncpp = 900\n"
    "rmax = 70% +- 10%\nk = 0.004\n")))
check(p.returncode == 3 and "bad_tv.ini:7: rmax:" in p.stderr,
      f"rmax range: exit {p.returncode}: {p.stderr}")

# tv's own k is its reach constant, not the curve's: it takes no range
p = run("validate", write(os.path.join(d, "bad_tvk.ini"), (
    "[plan]\nbudget = 1000\nstart = 2027-03-01\n[channel \"t\"]\ntype = tv\ncpp = 900\n"
    "k = 0.004 ± 10%\n")))
check(p.returncode == 3 and "bad_tvk.ini:7: k:" in p.stderr and "takes no range" in p.stderr,
      f"tv k range: exit {p.returncode}: {p.stderr}")
# a search channel's ctr takes no range, with the reason
p = run("validate", write(os.path.join(d, "bad_ctr.ini"), (
    "[plan]\nbudget = 1000\nstart = 2027-03-01\n[channel \"s\"]\ntype = search\n"
    "ctr = 4% +- 10%\n")))
check(p.returncode == 3 and "bad_ctr.ini:6: ctr:" in p.stderr and "range on cvr" in p.stderr,
      f"search ctr range: exit {p.returncode}: {p.stderr}")

# never trust sizes: more than 100,000 draws are refused before they are read on
rows = "beta\n" + "500\n" * 100001
write(os.path.join(d, "huge.csv"), rows)
p = run("validate", write(os.path.join(d, "huge.ini"), plan_text([("A", "k = 1000\ndraws = huge.csv\n")])))
check(p.returncode == 3 and "more than 100,000" in p.stderr and "huge.ini:" in p.stderr,
      f"too many draws: exit {p.returncode}: {p.stderr}")
# ---- 7. a draw column in every file: draws are paired by id, not by row
# position; with a chain column by (chain, draw); # comment lines skipped ---
IDS_A = [(1, 400.0), (2, 520.0), (3, 610.0), (4, 700.0), (5, 830.0)]
IDS_B = {1: 300.0, 2: 260.0, 3: 420.0, 4: 380.0, 5: 340.0}
order_b = [3, 1, 5, 2, 4]
draws_file("id_a.csv", "draw,beta", IDS_A)
write(os.path.join(d, "id_b.csv"), "# posterior draws, shuffled\ndraw,beta\n" + "".join(
    f"{i},{IDS_B[i]:g}\n" + ("# a comment between rows\n" if i == 5 else "") for i in order_b))
plan7 = write(os.path.join(d, "ids.ini"), plan_text(
    [("A", f"k = {KA:.0f}\ndraws = id_a.csv\n"), ("B", f"k = {KB:.0f}\ndraws = id_b.csv\n")]))
p, data = optimize_json(plan7)
check(p.returncode == 0, f"draw ids: exit {p.returncode}: {p.stderr}")
if data:
    s = spends(data)
    tot = [f_exp(b, KA, s["A"]) + f_exp(IDS_B[i], KB, s["B"]) for i, b in IDS_A]
    by_row = [f_exp(b, KA, s["A"]) + f_exp(IDS_B[i], KB, s["B"]) for (_, b), i in zip(IDS_A, order_b)]
    check(sorted(tot) != sorted(by_row), "draw ids: the test pairs differently by id than by row")
    check_set(data["quantiles"]["objective"], tot, [1] * 5, "draw ids: paired by id",
              1e-6 * sum(tot))

# (chain, draw): draw 1 of chain 1 and of chain 2 are different draws
CH_A = [(1, 1, 400.0), (1, 2, 520.0), (2, 1, 610.0), (2, 2, 700.0)]
CH_B = {(1, 1): 300.0, (1, 2): 260.0, (2, 1): 420.0, (2, 2): 380.0}
draws_file("ch_a.csv", "chain,draw,beta", CH_A)
write(os.path.join(d, "ch_b.csv"), "beta,draw,chain\n" + "".join(
    f"{CH_B[(c, i)]:g},{i},{c}\n" for c, i in [(2, 2), (1, 1), (2, 1), (1, 2)]))
p, data = optimize_json(write(os.path.join(d, "chains.ini"), plan_text(
    [("A", f"k = {KA:.0f}\ndraws = ch_a.csv\n"), ("B", f"k = {KB:.0f}\ndraws = ch_b.csv\n")])))
check(p.returncode == 0, f"chains: exit {p.returncode}: {p.stderr}")
if data:
    s = spends(data)
    tot = [f_exp(b, KA, s["A"]) + f_exp(CH_B[(c, i)], KB, s["B"]) for c, i, b in CH_A]
    check_set(data["quantiles"]["objective"], tot, [1] * 4, "chains: paired by (chain, draw)",
              1e-6 * sum(tot))

# ---- 8. more bad draws: ids that do not match, another curve's key, no
# header, a key's case, the plan's limits in every draw, a rate past 100 % ----
BAD2 = [
    ("ids differ", "id_c.csv", "draw,beta\n1,300\n2,260\n3,420\n4,380\n9,340\n",
     "k = 35000\ndraws = id_c.csv\n", ["id_c.csv:6: draw:", "id_a.csv"]),
    ("id twice", "id_d.csv", "draw,beta\n1,300\n2,260\n3,420\n3,380\n5,340\n",
     "k = 35000\ndraws = id_d.csv\n", ["id_d.csv:5: draw:", "twice"]),
    ("another curve's key", "h_k.csv", "beta,k\n500,20000\n", "curve = hill\ndraws = h_k.csv\n",
     ["h_k.csv:1: k: not a key of a hill curve (beta, ec, slope, value)"]),
    ("no header", "h_nohead.csv", "600,40000\n700,50000\n", "curve = hill\ndraws = h_nohead.csv\n",
     ["h_nohead.csv:1: 600:", "first line must name"]),
    ("case", "h_case.csv", "Beta,ec\n600,40000\n", "curve = hill\ndraws = h_case.csv\n",
     ["h_case.csv:1: Beta:", "did you mean \"beta\""]),
    ("ec above the limit", "h_big.csv", "beta,ec\n600,40000\n600,1e12\n",
     "curve = hill\ndraws = h_big.csv\n", ["h_big.csv:3: ec:", "largest curve scale"]),
    ("ec below the limit", "h_small.csv", "beta,ec\n600,1e-12\n",
     "curve = hill\ndraws = h_small.csv\n", ["h_small.csv:2: ec:", "curve scale"]),
    ("ec range past the limit", None, None, "curve = hill\nbeta = 600\nec = 9e8 +- 20%\n",
     ["bad.ini:", "ec:", "largest curve scale"]),
]
for what, fname, ftext, body, needles in BAD2:
    if fname:
        write(os.path.join(d, fname), ftext)
    chans = [("B", body)]
    if what.startswith("id"):
        chans.insert(0, ("A", f"k = {KA:.0f}\ndraws = id_a.csv\n"))
    p = run("optimize", write(os.path.join(d, "bad.ini"), plan_text(chans)), "--quiet")
    check(p.returncode == 3, f"{what}: exit {p.returncode}, expected 3: {p.stderr}")
    for n in needles:
        check(n in p.stderr, f"{what}: '{n}' in: {p.stderr.strip()}")

# a rate range whose high point passes 100 %: 90 % x 1.2 = 108 %
p = run("validate", write(os.path.join(d, "bad_cvr.ini"), (
    "[plan]\nbudget = 1000\nstart = 2027-03-01\n[channel \"m\"]\ntype = social\ncpm = 7.5\n"
    "ctr = 1.2%\ncvr = 90% ± 20%\naudience = 2.5M\n")))
check(p.returncode == 3 and "bad_cvr.ini:8: cvr:" in p.stderr and "108%" in p.stderr
      and "passes 100%" in p.stderr, f"cvr range past 100%: exit {p.returncode}: {p.stderr}")
# ---- 9. --time-limit covers building the curves of many draws: 80,000 hill
# draws of different ec over 8 weeks of different seasonality weights, eight
# mean curves of about 0.3 CPU s each (a week's weight scales its response, so
# each is built); with 0.2 s the run stops on time (a time budget, so the test
# stays quick) ------------------------------------------------------------------
rng = np.random.default_rng(5)
many_b = rng.normal(600, 60, 80000)
many_ec = rng.normal(40000, 4000, 80000)
draws_file("many.csv", "beta,ec", list(zip(many_b, many_ec)))
WEEKS = 8
SEASONAL = "seasonality = " + ", ".join(f"{1 + 0.05 * t:g}" for t in range(WEEKS)) + "\n"


def many_plan(name, extra_plan, floor=""):
    return write(os.path.join(d, name), plan_text(
        [("A", "curve = hill\ndraws = many.csv\n"), ("B", f"beta = 340\nk = 35000\n{floor}")],
        extra_plan=extra_plan).replace("periods = 1", f"periods = {WEEKS}"))


plan9 = many_plan("many.ini", SEASONAL)
import resource


def child_cpu_s():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def cpu_run(plan, *extra):
    """optimize --json, outside valgrind: its CPU time is compared with
    another run's, and the gate samples runs through valgrind."""
    out = os.path.join(d, "cpu_run.json")
    if os.path.exists(out):
        os.remove(out)
    t0 = child_cpu_s()
    p = subprocess.run([MIXPLAN, "optimize", plan, "--json", out, "--quiet", *extra],
                       capture_output=True, text=True, timeout=600)
    used = child_cpu_s() - t0
    data = None
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
    return p, data, used


p, data, limited = cpu_run(plan9, "--time-limit", "0.2")
check(p.returncode == 0 and data and data["status"] == "time_limit",
      f"many draws, time limit: exit {p.returncode}: {data and data['status']}: {p.stderr}")
# the run without a limit, for the CPU time the curves take (about 2.5 s): the
# limited run stops building them, so it takes a fraction of it (CPU time,
# not wall time: the same on a loaded machine)
p, data, full = cpu_run(plan9)
check(p.returncode == 0 and limited < 0.5 * full,
      f"many draws: {limited:.2f} s CPU with --time-limit 0.2, {full:.2f} s without")
# the same weeks without seasonality: their mean curves are the same, built once
# and copied (all eight used to be built, as long as with seasonality)
flat9 = many_plan("many_flat.ini", "")
p, data, flat = cpu_run(flat9)
check(p.returncode == 0 and flat < 0.5 * full,
      f"many draws, equal weeks: {flat:.2f} s CPU, {full:.2f} s with seasonality")
# the copies are right: each week's expected conversions of A recomputed from
# the 80,000 draws' hill curves at its reported spend, B's from its exp curve
for ch in data["channels"]:
    for wk in ch["periods"]:
        x = wk["spend"]
        want = (float(np.mean(many_b * x / (many_ec + x))) if ch["name"] == "A"
                else f_exp(340, 35000, x))
        close(wk["kpis"]["conversions"], want, 2e-6, f"equal weeks: {ch['name']} week {wk['period']}")
# a limit that runs out while the curves are built, with a floor that spending
# nothing breaks: no plan at all, said so plainly (exit 4), not as a plan that
# breaks its rows
floor9 = many_plan("many_floor.ini", SEASONAL, floor="min_spend = 10000\n")
p = run("optimize", floor9, "--time-limit", "0.2")
check(p.returncode == 4 and "while the response curves were being built" in p.stderr
      and "--time-limit" in p.stderr,
      f"many draws, floor, time limit: exit {p.returncode}: {p.stderr}")
# ---- 10. risk and draws keys in a plan without draws: a warning each -------
p = run("optimize", write(os.path.join(d, "nodraws.ini"), plan_text(
    [("A", "beta = 500\nk = 20000\n")], extra_plan="risk = mean\ndraws = independent\n")))
out = p.stdout + p.stderr
check(p.returncode == 0 and "nodraws.ini:7: risk:" in out and "nodraws.ini:8: draws:" in out
      and "no effect" in out, f"keys without draws: {out[-600:]}")
done()
