"""A floor on effective reach over two or three channels is met at (close to)
the least cost: `effective_reach(tf1, meta) >= 60%` and `effective_reach(tf1,
meta, rtl) >= 65%`, people reached at least 3 times by the channels together,
under `min cost` and under `max conversions` (a conversions curve takes what
the floor leaves of the budget, so the cheapest floor brings the most).

The cheapest plan is found here, independently of mixplan: each channel's
exposures a negative binomial (NBD) fitted to its mean exposures and its 1+
reach from the closed-form reach curves (checked against scipy's nbinom),
convolved over the channels; then every spend of the first channels on a
fine grid (and a finer one around the best), the last channel's least spend
that meets the floor by bisection. mixplan's plan must meet the floor by
these NBDs and cost at most 1 % more than that cheapest plan (and not
noticeably less: that would say the search here is wrong). Also: `max
effective_reach(tf1, meta)` against the most found by a search here, the
least budget an infeasible six-week floor needs against the cheapest plan,
and the marginal column of a min cost plan held by the floor: people reached
3+ times more per EUR, against the NBDs' slope."""
import math
import os
import re
import subprocess

import numpy as np
from scipy.optimize import brentq
from scipy.stats import nbinom, poisson

from mpcommon import *

valgrind_sample(4)
d = tmpdir("effective_cheapest")
U, K, BUDGET = 10e6, 3, 3e6
META_MOST = 4 * 20 * 4e6 * 6 / 1000  # 4 weeks at 20 impressions a person of 4M, 6 EUR CPM


def pmf(imp, reach):
    """P(0) .. P(K-1) of a person's exposures, arrays over spends: the NBD of
    mean m = imp / U and P(0) = 1 - reach / U, its shape s the root of
    s ln(1 + m/s) = -ln(1 - reach / U) (bisection on ln s); Poisson where no
    NBD reaches that many."""
    m = np.asarray(imp, float) / U
    f = np.clip(np.asarray(reach, float) / U, 0, 1 - 1e-15)
    t = -np.log1p(-f)
    pois = t >= m * (1 - 1e-9)
    lo, hi = np.full(m.shape, -30.0), np.full(m.shape, 30.0)
    safe = np.where(m > 0, m, 1)
    for _ in range(120):
        mid = 0.5 * (lo + hi)
        s = np.exp(mid)
        below = s * np.log1p(safe / s) < t
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    s = np.exp(0.5 * (lo + hi))
    p = np.where(pois, np.exp(-m), 1 - f)
    out = [p]
    for j in range(1, K):
        p = np.where(pois, p * m / j, p * (s + j - 1) / j * (m / (s + m)))
        out.append(p)
    out = np.array(out)
    none = m <= 0
    out[:, none] = 0
    out[0, none] = 1
    return out


def tv(spend, cpp=4000.0, rmax=0.8, k=0.006):
    grp = np.asarray(spend, float) / cpp
    return pmf(grp / 100 * U, rmax * U * -np.expm1(-k * grp))


def social(spend, cpm=6.0, aud=4e6):
    imp = 1000 * np.asarray(spend, float) / cpm
    return pmf(imp, aud * -np.expm1(-imp / aud))


def radio(spend):
    return tv(spend, 800.0, 0.6, 0.004)


def together(pmfs):
    """People reached at least K times by the channels together."""
    tot = pmfs[0]
    for q in pmfs[1:]:
        tot = np.array([sum(tot[i] * q[j - i] for i in range(j + 1)) for j in range(K)])
    return U * (1 - tot.sum(0))


# the NBD here against scipy's, at a few spends of each channel
for fn, spend, cpp in ((tv, 300e3, 4000.0), (social, 200e3, None), (radio, 150e3, 800.0)):
    p = fn(np.array([spend]))[:, 0]
    if cpp:
        grp = spend / cpp
        rmax, k = (0.8, 0.006) if cpp == 4000.0 else (0.6, 0.004)
        imp, reach = grp / 100 * U, rmax * U * -math.expm1(-k * grp)
    else:
        imp = 1000 * spend / 6.0
        reach = 4e6 * -math.expm1(-imp / 4e6)
    m, t = imp / U, -math.log1p(-reach / U)
    if t >= m:
        want = [poisson.pmf(j, m) for j in range(K)]
    else:
        n = brentq(lambda n: n * math.log1p(m / n) - t, 1e-12, 1e12, xtol=1e-300, rtol=1e-15)
        want = [nbinom.pmf(j, n, n / (n + m)) for j in range(K)]
    for j in range(K):
        close(p[j], want[j], 1e-9, f"NBD P({j}) at {spend:.0f}")


def least_last(firsts, last, floor, hi):
    """The least spend of the last channel meeting the floor with the first
    channels' pmfs fixed (inf where even hi does not)."""
    lo, top = np.zeros(firsts[0].shape[1]), np.full(firsts[0].shape[1], hi)
    ok = together(firsts + [last(top)]) >= floor
    for _ in range(45):
        mid = 0.5 * (lo + top)
        meets = together(firsts + [last(mid)]) >= floor
        lo, top = np.where(meets, lo, mid), np.where(meets, mid, top)
    return np.where(ok, top, np.inf)


def cheapest(chans, floor, ranges, last_hi):
    """min sum of spends s.t. the channels together reach floor people K+
    times: the first channels on a grid over ranges (then a finer grid around
    the best), the last by bisection."""
    axes = [np.linspace(0, r, 161) for r in ranges]
    best = None
    for _ in range(3):
        grid = [g.ravel() for g in np.meshgrid(*axes, indexing="ij")]
        last = least_last([fn(g) for fn, g in zip(chans[:-1], grid)], chans[-1], floor, last_hi)
        cost = sum(grid) + last
        i = int(np.argmin(cost))
        best = (float(cost[i]), [float(g[i]) for g in grid] + [float(last[i])])
        steps = [a[1] - a[0] for a in axes]
        axes = [np.linspace(max(0, g[i] - 3 * h), g[i] + 3 * h, 61) for g, h in zip(grid, steps)]
    return best


BASE = ("[plan]\nbudget = 3M\nstart = 2027-03-01\nperiods = 4\nuniverse = 10M\n"
        "effective_frequency = 3\nobjective = {obj}\n"
        "[channel \"tf1\"]\ntype = tv\ncpp = 4000\nrmax = 80%\nk = 0.006\n"
        "[channel \"meta\"]\ntype = social\ncpm = 6\naudience = 4M\n"
        "[channel \"promo\"]\ntype = curve\ncurve = exp\nbeta = 20000\nk = 500000\n")
RTL = "[channel \"rtl\"]\ntype = radio\ncpp = 800\nrmax = 60%\nk = 0.004\n"


def promo(total):
    """promo's conversions spread evenly over the 4 weeks (its best split:
    the same concave curve each week): 4 x 20000 (1 - e^(-(total/4) / 500k))."""
    return 4 * 20000 * -math.expm1(-(total / 4) / 500000)


CASES = (("two", ["tf1", "meta"], [tv, social], 6e6, [3e6], META_MOST),
         ("three", ["tf1", "meta", "rtl"], [tv, social, radio], 6.5e6, [3e6, META_MOST], 3e6))
leasts, plans = {}, {}
for name, names, chans, floor, ranges, last_hi in CASES:
    least, at = cheapest(chans, floor, ranges, last_hi)
    leasts[name] = least
    print(f"{name}: the cheapest plan meeting the floor costs {least:,.0f} EUR at {at}")
    cons = f"[constraint \"eff\"]\nexpr = effective_reach({', '.join(names)}) >= {floor / U:.0%}\n"
    for obj in ("min cost", "max conversions"):
        text = BASE.format(obj=obj) + (RTL if len(names) == 3 else "") + cons
        path = write(os.path.join(d, f"{name}_{obj.split()[1]}.ini"), text)
        p, data = optimize_json(path)
        what = f"{name} channels, {obj}"
        check(p.returncode == 0 and data and data["status"] == "optimal", f"{what}: {p.stderr}")
        if not data:
            continue
        spends = [channel(data, n)["spend"] for n in names]
        media = sum(spends)
        got = float(together([fn(np.array([s])) for fn, s in zip(chans, spends)])[0])
        check(got >= floor * (1 - 1e-9), f"{what}: the floor holds by the NBDs here ({got:.0f})")
        check(least * (1 - 2e-3) <= media <= least * 1.01,
              f"{what}: media {media:,.0f} EUR within 1 % of the cheapest {least:,.0f}")
        if obj == "min cost":
            plans[name] = (path, data)
            close(data["objective"]["value"], media + channel(data, "promo")["spend"], 1,
                  f"{what}: the objective is the spend")
        else:
            conv = data["objective"]["value"]
            check(conv >= promo(BUDGET - least * 1.01) * (1 - 2e-3),
                  f"{what}: {conv:,.1f} conversions, at least promo's on the budget less the "
                  f"cheapest floor +1 % ({promo(BUDGET - least * 1.01):,.1f})")
            check(conv <= promo(BUDGET - least) * (1 + 2e-3),
                  f"{what}: {conv:,.1f} conversions, at most promo's on the budget less the "
                  f"cheapest floor ({promo(BUDGET - least):,.1f})")
# max effective_reach(tf1, meta) on a 1.5M budget, promo left out: the most
# the two reach 3+ times together, found here over tf1's spend by 10 EUR steps
# (meta the rest, up to what it can buy). The plan's figure is the NBDs' at
# its spends, within the bisection's 0.01 % of the universe of that most; its
# bound no plan passes, within 0.5 % of it (on a grid spanning the whole
# budget of every week's curve it was 0.87 % above).
MAX_BUDGET = 1.5e6
tf1_spend = np.linspace(0, MAX_BUDGET, 150001)
most = float(together([tv(tf1_spend), social(np.minimum(MAX_BUDGET - tf1_spend, META_MOST))]).max())
text = BASE.format(obj="max effective_reach(tf1, meta)").replace("budget = 3M", "budget = 1.5M")
p, data = optimize_json(write(os.path.join(d, "max_two.ini"), text))
check(p.returncode == 0 and data and data["status"] == "optimal", f"max two: {p.stderr}")
if data:
    o = data["objective"]
    got = float(together([fn(np.array([channel(data, n)["spend"]]))
                          for fn, n in ((tv, "tf1"), (social, "meta"))])[0])
    close(o["value"], got, 1e-6 * U, "max two: the objective is the NBDs' at the plan's spends")
    check(most - 1e-4 * U <= got <= most * (1 + 1e-9),
          f"max two: {got:,.0f} people 3+ times, the most {most:,.0f}")
    check(most * (1 - 1e-9) <= o["bound"] <= most * 1.005,
          f"max two: bound {o['bound']:,.0f} within 0.5 % above the most {most:,.0f}")

# Over six weeks with 1M EUR the three channels' 65 % floor has no plan: the
# budget the nearest plan needs is the cheapest plan's cost found above
# (reach rises with the campaign's impressions, however the weeks share
# them), within 0.2 % (on a grid up to every week's whole budget it read
# 1,194,000, 3.1 % above).
text = (BASE.format(obj="min cost").replace("budget = 3M", "budget = 1M").replace("periods = 4", "periods = 6")
        + RTL + "[constraint \"eff\"]\nexpr = effective_reach(tf1, meta, rtl) >= 65%\n")
p, data = optimize_json(write(os.path.join(d, "six_weeks.ini"), text))
m = re.search(r"budget: spend <= 1,000,000 EUR \(the least that can be reached with the others: ([0-9,]+)\)",
              data["explanation"] if data else "")
check(p.returncode == 1 and data and data["status"] == "infeasible" and m, f"six weeks: {p.stderr}")
if m:
    need = float(m.group(1).replace(",", ""))
    check(leasts["three"] * (1 - 2e-3) <= need <= leasts["three"] * 1.002,
          f"six weeks: the least budget {need:,.0f} EUR, the cheapest plan {leasts['three']:,.0f}")

# A min cost plan held by the two channels' 3+ floor prices its channels by
# that floor: each channel's people reached 3+ times more per EUR more, the
# NBDs' slope here (central differences of 50 EUR) at the plan's spends; at
# the cheapest plan the two are alike. The terminal's marginal column says
# so per kEUR (in French too), and the workbook's Channels sheet heads it.
path, data = plans.get("two", (None, None))
if data:
    sp = {n: channel(data, n)["spend"] for n in ("tf1", "meta")}

    def reach3(tf1_spend, meta_spend):
        return float(together([tv(np.array([tf1_spend])), social(np.array([meta_spend]))])[0])

    want = {"tf1": (reach3(sp["tf1"] + 50, sp["meta"]) - reach3(sp["tf1"] - 50, sp["meta"])) / 100,
            "meta": (reach3(sp["tf1"], sp["meta"] + 50) - reach3(sp["tf1"], sp["meta"] - 50)) / 100}
    for n in ("tf1", "meta"):
        got = channel(data, n).get("marginal_effective_reach")
        check(got is not None and abs(got - want[n]) <= 5e-3 * want[n],
              f"{n}: {got} people 3+ times more per EUR, the NBDs' {want[n]:.6f}")
    check(abs(want["tf1"] - want["meta"]) <= 0.01 * want["tf1"],
          f"the cheapest plan's channels alike: {want}")
    check(channel(data, "promo").get("marginal_effective_reach") == 0, "promo brings none")
    p = run("optimize", path)
    rows = {l.split()[0]: l.split()[-1] for l in p.stdout.splitlines() if l.split()[:1] in (["tf1"], ["meta"])}
    check("marginal 3+ reach/kEUR" in p.stdout and
          all(rows.get(n) == f"{channel(data, n)['marginal_effective_reach'] * 1000:,.2f}" for n in want),
          f"the terminal's column: {rows}\n{p.stdout}")
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    xlsx = os.path.join(d, "two_fr.xlsx")
    p = subprocess.run([*valgrind_prefix(), MIXPLAN, "optimize", path, "--lang", "fr", "-o", xlsx],
                       capture_output=True, text=True, env={**env, "LANG": "fr_FR.UTF-8"}, timeout=600)
    check("couv. 3+ marginale/kEUR" in p.stdout, f"French terminal:\n{p.stdout}")
    try:
        import openpyxl
        ws = openpyxl.load_workbook(xlsx)["Canaux"]
        head = [str(c.value) for c in ws[1]]
        check("couverture utile marginale (3+ expositions, personnes pour 1 kEUR)" in head,
              f"the Channels sheet's heading: {head}")
    except ImportError:
        check(False, "openpyxl")
done()
