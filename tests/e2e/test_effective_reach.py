"""Effective reach in constraints and the objective: `effective_reach(tv) >=
45%` holds the channel's impressions at the fewest that reach 45 % of the
universe at least k times, `max effective_reach(tv)` buys the channel the most
impressions the plan allows. Every expected figure comes from here: the
negative binomial of each channel's exposures fitted (scipy's nbinom) to its
mean exposures and its 1+ reach from the closed-form reach curves, the
fewest GRP by bisection on it, the most a plan allows by enumerating its
spends on a fine grid; then the reports (terminal, JSON, workbook) and the
plans refused, at their file and line."""
import json
import math
import os
import re

from scipy.optimize import brentq
from scipy.stats import nbinom, poisson

from mpcommon import *

d = tmpdir("effective_reach")
U = 10e6
CPP, RMAX, KTV = 4000.0, 0.8, 0.006  # tf1: Rmax (1 - e^(-k GRP))
CPM, AUD = 6.0, 4e6  # meta: A (1 - e^(-impressions / A))


def tv_reach(grp):
    return RMAX * U * -math.expm1(-KTV * grp)


def social_reach(imp):
    return AUD * -math.expm1(-imp / AUD)


def effective(imp, reach, k):
    """People reached at least k times: the NBD of mean imp / U and
    P(0) = 1 - reach / U (its size n by brentq), Poisson where no NBD
    reaches that many."""
    m, f = imp / U, reach / U
    if m <= 0 or f <= 0:
        return 0.0
    target = -math.log1p(-f)
    if target >= m * (1 - 1e-9):
        return U * poisson.sf(k - 1, m)
    n = brentq(lambda n: n * math.log1p(m / n) - target, 1e-12, 1e12, xtol=1e-300, rtol=1e-15)
    return U * nbinom.sf(k - 1, n, n / (n + m))


def tv_effective(spend, k):
    grp = spend / CPP
    return effective(grp / 100 * U, tv_reach(grp), k)


def social_effective(spend, k):
    imp = 1000 * spend / CPM
    return effective(imp, social_reach(imp), k)


def fewest_spend(fn, people, k, hi=1e9):
    """The least spend whose effective reach is at least people (bisection)."""
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if fn(mid, k) >= people else (mid, hi)
    return hi


def plan(objective, extra="", freq="effective_frequency = 3\n", universe=True, tv_keys=""):
    text = ("[plan]\nbudget = 3M\nstart = 2027-03-01\nperiods = 4\n"
            f"objective = {objective}\n" + ("universe = 10M\n" if universe else "") + freq +
            f"[channel \"tf1\"]\ntype = tv\ncpp = 4000\nrmax = 80%\nk = 0.006\n{tv_keys}"
            "[channel \"meta\"]\ntype = social\ncpm = 6\naudience = 4M\nctr = 1%\ncvr = 2%\n"
            "[channel \"promo\"]\ntype = curve\ncurve = exp\nbeta = 20000\nk = 500000\n")
    return text + extra


def row(data, name):
    return next(c for c in data["constraints"] if c["name"] == name)


# ---- a floor on one channel's effective reach ------------------------------
# tf1 brings no conversions, so the plan buys it exactly the fewest GRP
# reaching 45 % of the universe 3+ times, and the rest goes where conversions
# are (the budget is spent to the last euro: the curves keep rising).
for bound, people in (("45%", 0.45 * U), ("4.5M", 4.5e6)):
    path = write(os.path.join(d, f"floor_{bound}.ini"),
                 plan("max conversions", f"[constraint \"eff\"]\nexpr = effective_reach(tf1) >= {bound}\n"))
    p, data = optimize_json(path)
    check(p.returncode == 0 and data and data["status"] == "optimal", f"floor {bound}: {p.stderr}")
    if not data:
        continue
    want = fewest_spend(tv_effective, people, 3)
    tv = channel(data, "tf1")
    close(tv["spend"], want, 1e-6 * want, f"{bound}: tf1 spend at the fewest GRP for 3+ reach")
    close(tv["effective_reach"], tv_effective(tv["spend"], 3), 1e-6 * U, f"{bound}: tf1 3+ reach vs NBD")
    r = row(data, "eff")
    check(r["binding"], f"{bound}: the floor binds")
    check(r["value"] >= people * (1 - 1e-9), f"{bound}: the floor holds: {r['value']}")
    close(r["bound"], people, 1e-6, f"{bound}: the row's bound in people")
    close(sum(c["spend"] for c in data["channels"]), 3e6, 1, f"{bound}: the budget spent")

# the channel's own frequency wins over the plan's; social's NBD over its audience
path = write(os.path.join(d, "own_k.ini"), plan(
    "max conversions", "[constraint \"tv\"]\nexpr = effective_reach(tf1) >= 50%\n"
    "[constraint \"social\"]\nexpr = effective_reach(meta) >= 20%\n",
    tv_keys="effective_frequency = 2\n"))
p, data = optimize_json(path)
check(p.returncode == 0 and data and data["status"] == "optimal", f"own k: {p.stderr}")
if data:
    close(channel(data, "tf1")["spend"], fewest_spend(tv_effective, 5e6, 2), 1e-6 * 1e6, "tf1 at 2+")
    meta = channel(data, "meta")
    # meta brings conversions too: at least the fewest spend, its 2+ reach >= 20 %
    check(meta["spend"] >= fewest_spend(social_effective, 2e6, 3) * (1 - 1e-6), "meta at its floor")
    check(social_effective(meta["spend"], 3) >= 2e6 * (1 - 1e-6), "meta's 3+ reach by the NBD holds")
    close(meta["effective_reach"], social_effective(meta["spend"], 3), 1e-6 * U, "meta 3+ vs NBD")

# the terminal's binding line names people, and the workbook's Constraints sheet has the row
path = os.path.join(d, "floor_45%.ini")
p = run("optimize", path)
check(re.search(r"^limit reached: eff >= 4,500,000 people", p.stdout, re.M) is not None,
      f"terminal binding line: {p.stdout}")
from openpyxl import load_workbook

xl = os.path.join(d, "floor.xlsx")
p = run("optimize", path, "-o", xl, "--quiet")
check(p.returncode == 0, f"workbook: {p.stderr}")
if p.returncode == 0:
    ws = load_workbook(xl, read_only=True)["Constraints"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r and r[0]}
    written = rows["name"].index("expression as the plan writes it") if "name" in rows else -1
    # 45 % of the universe of 10M: the people its value and bound count
    check("eff" in rows and rows["eff"][1] == "effective_reach(tf1) >= 45 % (4,500,000 people)"
          and rows["eff"][written] == "effective_reach(tf1) >= 45%", f"workbook row {rows.get('eff')}")
    if "eff" in rows:
        close(rows["eff"][3], 4.5e6, 1e-6, "workbook bound")
        check(rows["eff"][2] >= 4.5e6 * (1 - 1e-9), "workbook value holds")

# ---- max effective_reach(tf1) ----------------------------------------------
# share(meta) >= 30% and promo's floor leave tf1 at most 3M - 900k - 300k:
# the enumeration over tf1's spend on a 10 kEUR grid (the others taking the
# rest) finds that most, and the plan buys it
text = plan("max effective_reach(tf1)", "[constraint \"m\"]\nexpr = share(meta) >= 30%\n"
            "[constraint \"p\"]\nexpr = spend(promo) >= 300k\n")
p, data = optimize_json(write(os.path.join(d, "max.ini"), text))
check(p.returncode == 0 and data and data["status"] == "optimal", f"max: {p.stderr}")
best = max((tv_effective(s * 10000.0, 3), s * 10000.0) for s in range(0, 301)
           if s * 10000.0 <= 3e6 - 0.3 * 3e6 - 300e3)
if data:
    tv = channel(data, "tf1")
    close(tv["spend"], best[1], 1e-6 * best[1], "max: tf1 spend by enumeration")
    close(data["objective"]["value"], best[0], 1e-5 * best[0], "max: the objective is the NBD 3+ reach")
    check(data["objective"]["kpi"] == "effective_reach", f"objective kpi {data['objective']['kpi']}")
    close(data["objective"]["bound"], best[0], 1e-5 * best[0], "max: its bound")
    check(row(data, "objective")["binding"], "the objective's row binds")
    p = run("optimize", os.path.join(d, "max.ini"))
    check(re.search(r"^objective: max effective reach \(3\+ exposures\) of tf1 -> [0-9,.]+ people", p.stdout,
                    re.M) is not None,
          f"terminal objective line: {p.stdout}")

# ---- a floor over two channels: the grid of the MIP ---------------------------
# The people reached 3+ times by tf1 and meta together (the convolution of
# their NBDs) >= 60 %. Neither brings conversions, so the best plan spends
# the least on the two that meets the floor; the grid's plan meets it
# always, and spends at most one level of each channel more than the least
# (200 levels of each channel's range: tf1 the budget, meta its
# max_frequency cap, 4 weeks x 20 x 4M x 6 / 1000 = 1.92 MEUR). The least is
# found here on tf1's spend by 20 kEUR steps, meta's by bisection (a few
# seconds).
def together(a, b, k=3):
    grp, imp = a / CPP, 1000 * b / CPM
    p = exposures_pmf(grp / 100 * U, tv_reach(grp), U, k)
    q = exposures_pmf(imp, social_reach(imp), U, k)
    return U * (1 - sum(p[i] * q[j] for i in range(k) for j in range(k) if i + j < k))


META_MOST = 4 * 20 * AUD * CPM / 1000
path = write(os.path.join(d, "two.ini"), plan(
    "max conversions", "[constraint \"eff\"]\nexpr = effective_reach(tf1, meta) >= 60%\n").replace(
    "ctr = 1%\ncvr = 2%\n", ""))
p, data = optimize_json(path)
check(p.returncode == 0 and data and data["status"] == "optimal", f"two channels: {p.stderr}")
if data:
    a, b = channel(data, "tf1")["spend"], channel(data, "meta")["spend"]
    check(together(a, b) >= 6e6 * (1 - 1e-9), f"two channels: the floor holds by the NBDs ({together(a, b)})")
    close(row(data, "eff")["value"], together(a, b), 1e-6 * U, "two channels: the row's value")
    least = math.inf
    for s in range(0, 3_000_001, 20000):
        if together(s, META_MOST) < 6e6:
            continue
        lo, hi = 0.0, META_MOST
        for _ in range(30):
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if together(s, mid) >= 6e6 else (mid, hi)
        least = min(least, s + hi)
    step = 3e6 / 200 + META_MOST / 200
    check(least - 20000 <= a + b <= least + step,
          f"two channels: spend {a + b:.0f} within a level of the least {least:.0f} (+{step:.0f})")
    check(data.get("mip", {}).get("status") == "optimal", f"two channels: the MIP {data.get('mip')}")

# a what-if sweep of the floor: each scenario's grid holds its own floor
p = run("whatif", path, "--vary", "constraint:eff=50%,70%", "--json", "-")
check(p.returncode == 0, f"two channels what-if: {p.stderr}")
if p.returncode == 0:
    for sc, floor in zip(json.loads(p.stdout)["scenarios"], (5e6, 7e6)):
        sp = {c["name"]: c["spend"] for c in sc["channels"]}
        got = together(sp["tf1"], sp["meta"])
        check(floor * (1 - 1e-9) <= got <= floor + 0.05 * U,
              f"what-if floor {floor:.0f}: {got:.0f} by the NBDs")

# three channels (40 levels each): the plan meets the floor, by the NBDs here
def three(a, b, c, k=3):
    grp, imp, rgrp = a / CPP, 1000 * b / CPM, c / 800
    ps = [exposures_pmf(grp / 100 * U, tv_reach(grp), U, k),
          exposures_pmf(imp, social_reach(imp), U, k),
          exposures_pmf(rgrp / 100 * U, 0.6 * U * -math.expm1(-0.004 * rgrp), U, k)]
    below = sum(ps[0][i] * ps[1][j] * ps[2][l] for i in range(k) for j in range(k) for l in range(k)
                if i + j + l < k)
    return U * (1 - below)


path = write(os.path.join(d, "three.ini"), plan(
    "max conversions", "[channel \"rtl\"]\ntype = radio\ncpp = 800\nrmax = 60%\nk = 0.004\n"
    "[constraint \"eff\"]\nexpr = effective_reach(tf1, meta, rtl) >= 65%\n").replace("ctr = 1%\ncvr = 2%\n", ""))
p, data = optimize_json(path)
check(p.returncode == 0 and data and data["status"] == "optimal", f"three channels: {p.stderr}")
if data:
    got = three(*(channel(data, n)["spend"] for n in ("tf1", "meta", "rtl")))
    check(got >= 6.5e6 * (1 - 1e-9), f"three channels: the floor holds by the NBDs ({got})")
    close(row(data, "eff")["value"], got, 1e-6 * U, "three channels: the row's value")

# max effective_reach over two channels: promo takes 1M, tf1 and meta share
# 2M. The enumeration over tf1's spend by 20 kEUR steps (meta the rest, to
# its cap) finds the most the two reach 3+ times together; the plan's figure
# is the NBDs' at its spends, its bound at least that most (no plan passes
# it), and the gap between them small (the grid's resolution).
text = plan("max effective_reach(tf1, meta)", "[constraint \"p\"]\nexpr = spend(promo) >= 1M\n").replace(
    "ctr = 1%\ncvr = 2%\n", "")
p, data = optimize_json(write(os.path.join(d, "max_two.ini"), text))
check(p.returncode == 0 and data and data["status"] == "optimal", f"max two: {p.stderr}")
if data:
    most = max(together(s, min(2e6 - s, META_MOST)) for s in range(0, 2_000_001, 20000))
    got = together(channel(data, "tf1")["spend"], channel(data, "meta")["spend"])
    o = data["objective"]
    close(o["value"], got, 1e-6 * U, "max two: the objective is the NBDs' at the plan's spends")
    check(o["bound"] >= most * (1 - 1e-9), f"max two: bound {o['bound']:.0f} >= the most {most:.0f}")
    check(o["value"] <= o["bound"] and o["gap"] <= 0.02, f"max two: gap {o['gap']}")

# ---- refused, at the file and line of the key -------------------------------
def refused(name, text, key_line, key, want):
    path = write(os.path.join(d, f"bad_{name}.ini"), text)
    line = next(i + 1 for i, l in enumerate(text.splitlines()) if l.startswith(key_line))
    p = run("optimize", path, "--quiet")
    check(p.returncode == 3 and f"{path}:{line}: {key}:" in p.stderr and want in p.stderr,
          f"{name}: {p.returncode} {p.stderr}")


cons = "[constraint \"e\"]\nexpr = {}\n"
refused("no_universe", plan("max conversions", cons.format("effective_reach(tf1) >= 1M"), universe=False),
        "expr", "expr", "needs [plan] universe")
refused("no_reach", plan("max conversions", cons.format("effective_reach(promo) >= 1M")),
        "expr", "expr", "needs a channel with reach")
refused("no_k", plan("max conversions", cons.format("effective_reach(tf1) >= 1M"), freq=""),
        "expr", "expr", "needs an effective frequency")
four = "".join(f"[channel \"r{i}\"]\ntype = radio\ncpp = 1000\n" for i in (1, 2))
refused("four", plan("max conversions", four + cons.format("effective_reach(tf1, meta, r1, r2) >= 1M")),
        "expr", "expr", "at most 3")
refused("several_le", plan("max conversions", cons.format("effective_reach(tf1, meta) <= 1M")),
        "expr", "expr", "takes >= (a floor)")
refused("past_most", plan("max conversions", cons.format("effective_reach(tf1) >= 85%")),
        "expr", "expr", "reaches at most")
refused("k_range", plan("max conversions", freq="effective_frequency = 60\n"),
        "effective_frequency", "effective_frequency", "whole number of exposures from 1 to 50")
refused("min", plan("min effective_reach(tf1)"), "objective", "objective", "max effective_reach")
done()
