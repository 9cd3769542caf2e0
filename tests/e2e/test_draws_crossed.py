"""A range on one channel with a posterior draws file on another, aligned:
each file draw d goes with each of the range's three points p, weighted
(1/N) x (1/6, 2/3, 1/6), so the range keeps its three-point rule exactly and
is independent of the posterior (README, Uncertain curves). Checked here
against the test's own computation: the expanded outcomes at the plan's
spends (exp curves in closed form), their weighted mean, P10/P50/P90 and
CVaR 10% (Rockafellar-Uryasev over the weighted outcomes); the mean plan's
spends at equal expected marginals (bisection); the cvar plan against the
best split a golden-section search over the test's own CVaR finds; the
worst draw of a CPA cap held in every draw found by the test."""
import math
import os

from mpcommon import *

d = tmpdir("draws_crossed")
BUDGET = 90000.0
KA, KB = 20000.0, 35000.0
BA = [400.0, 830.0, 520.0, 610.0, 700.0, 455.0]  # channel A's posterior, one row a draw
N = len(BA)
RB, HB = 600.0, 0.15  # channel B: beta = 600 +- 15%
POINTS = [(RB * (1 - HB), 1 / 6), (RB, 4 / 6), (RB * (1 + HB), 1 / 6)]
write(os.path.join(d, "a.csv"), "draw,beta\n" + "".join(f"{i + 1},{b:g}\n" for i, b in enumerate(BA)))


def plan(name, extra="", cons=""):
    return write(os.path.join(d, name),
                 f"[plan]\nbudget = {BUDGET:.0f}\nstart = 2027-03-01\nperiods = 1\n"
                 f"precision = 0.01%\ngap = 0.001%\n{extra}\n"
                 f"[channel \"A\"]\ntype = curve\ncurve = exp\nk = {KA:.0f}\ndraws = a.csv\n\n"
                 f"[channel \"B\"]\ntype = curve\ncurve = exp\nk = {KB:.0f}\n"
                 f"beta = {RB:g} +- {HB * 100:g}%\n{cons}")


def f_exp(beta, k, x):
    return beta * -math.expm1(-x / k)


def outcomes(xa, xb):
    """Draw p * N + d: file draw d with the range's point p, and its weight."""
    return [(f_exp(BA[i], KA, xa) + f_exp(b, KB, xb), w / N)
            for b, w in POINTS for i in range(N)]


def quantile(pts, p):
    cum, total = 0.0, sum(w for _, w in pts)
    for y, w in sorted(pts):
        cum += w
        if cum >= p * total * (1 - 1e-12):
            return y
    return max(pts)[0]


def cvar(pts, level=0.1):
    """max_t t - (1/level) sum w (t - y)^+, at one of the outcomes."""
    return max(t - sum(w * max(t - y, 0.0) for y, w in pts) / level for t, _ in pts)


def spends(data):
    return {c["name"]: c["spend"] for c in data["channels"]}


def check_outcomes(data, what):
    s = spends(data)
    pts = outcomes(s["A"], s["B"])
    check(abs(sum(w for _, w in pts) - 1) < 1e-12, f"{what}: the weights sum to 1")
    # the range's marginal: its three points at 1/6, 2/3, 1/6 exactly
    for b, w in POINTS:
        got = sum(pw for (y, pw), (pb, _) in zip(pts, [(b2, 0) for b2, _ in POINTS for _ in range(N)])
                  if pb == b)
        close(got, w, 1e-15, f"{what}: the range's point {b:g} weighs {w:g}")
    tol = 1e-6 * max(y for y, _ in pts)
    q = data.get("quantiles") or {}
    mean = sum(y * w for y, w in pts)
    close(data["objective"]["value"], mean, tol, f"{what}: expected conversions")
    for key, p in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        close(q.get("objective", {}).get(key), quantile(pts, p), tol, f"{what}: {key}")
    check(q.get("outcomes") == 3 * N, f"{what}: {3 * N} outcomes counted, got {q.get('outcomes')}")
    ch = q.get("channels", {})
    check(ch.get("A", {}).get("draws") == N and ch.get("B", {}).get("draws") == 3,
          f"{what}: each channel's own draws (A {N}, B 3): {ch}")
    # each channel's spread is its own: A over its posterior, B over its three points
    close(ch.get("B", {}).get("p10"), f_exp(POINTS[0][0], KB, s["B"]), tol, f"{what}: B's P10 is its low point")
    close(ch.get("A", {}).get("p50"), quantile([(f_exp(b, KA, s["A"]), 1) for b in BA], 0.5), tol,
          f"{what}: A's median over its own draws")
    return s, pts


# ---- the mean plan: spends at the equal expected marginals ---------------------
p, data = optimize_json(plan("mean.ini"))
check(p.returncode == 0 and data, f"mean: exit {p.returncode}: {p.stderr}")
if data:
    s, _ = check_outcomes(data, "mean")
    ma = sum(BA) / N / KA  # marginals beta/k exp(-x/k), B's mean beta its base
    lo, hi = 0.0, BUDGET
    for _ in range(200):
        xa = (lo + hi) / 2
        if ma * math.exp(-xa / KA) > RB / KB * math.exp(-(BUDGET - xa) / KB):
            lo = xa
        else:
            hi = xa
    close(s["A"], xa, BUDGET * 1e-2, "mean: A's spend at equal expected marginals")
    best = sum(y * w for y, w in outcomes(xa, BUDGET - xa))
    close(data["objective"]["value"], best, best * 1e-5, "mean: the best expected conversions")
p = run("optimize", plan("mean.ini"), "-o", os.path.join(d, "mean.xlsx"))
check(f"the mean over {N} draws, each with the ranges' low, base and high points weighted 1/6, "
      f"2/3 and 1/6: {3 * N} outcomes" in p.stdout, f"mean: the terminal says what the mean is over\n{p.stdout}")

# ---- risk = cvar 10%: the plan's CVaR, and the best split --------------------------
p, data = optimize_json(plan("cvar.ini", "risk = cvar 10%\n"))
check(p.returncode == 0 and data, f"cvar: exit {p.returncode}: {p.stderr}")
if data:
    s, pts = check_outcomes(data, "cvar")
    got = cvar(pts)
    close((data.get("risk") or {}).get("cvar"), got, 1e-6 * got, "cvar: the plan's CVaR 10%")
    # CVaR of outcomes concave in A's spend is concave: golden section
    a, b = 0.0, BUDGET
    g = (math.sqrt(5) - 1) / 2
    for _ in range(120):
        c1, c2 = b - g * (b - a), a + g * (b - a)
        if cvar(outcomes(c1, BUDGET - c1)) < cvar(outcomes(c2, BUDGET - c2)):
            a = c1
        else:
            b = c2
    best = cvar(outcomes(a, BUDGET - a))
    check(got >= best * (1 - 1e-5) and got <= best * (1 + 1e-9),
          f"cvar: the plan's CVaR {got} against the best split's {best}")

# ---- a CPA cap in every draw: the worst draw named by its row and the range's point --
CPA = 130.0
p, data = optimize_json(plan("hold.ini", "", f'\n[constraint "cpa"]\nexpr = cpa <= {CPA:g}\n'
                                          "must_hold = all\n"))
check(p.returncode == 0 and data, f"hold: exit {p.returncode}: {p.stderr}")
if data:
    s = spends(data)
    conv = [(f_exp(BA[i], KA, s["A"]) + f_exp(b, KB, s["B"]), i + 1, pt)
            for pt, (b, _) in zip(("low", "base", "high"), POINTS) for i in range(N)]
    worst = min(conv)
    cons = [c for c in data["constraints"] if c.get("name") == "cpa"]
    w = cons[0].get("worst_draw", {}) if cons else {}
    check(w.get("draw") == worst[1] and w.get("range_point") == worst[2],
          f"hold: the worst draw is row {worst[1]} at the range's {worst[2]} point: {w}")
    close(w.get("value"), (s["A"] + s["B"]) / worst[0], 1e-6 * CPA, "hold: the worst draw's CPA")

# ---- files of different counts under cvar: the advice is not draws = independent -----
write(os.path.join(d, "b2.csv"), "draw,beta\n1,500\n2,600\n")
two = write(os.path.join(d, "two.ini"),
            f"[plan]\nbudget = 90k\nstart = 2027-03-01\nperiods = 1\nrisk = cvar 10%\n\n"
            f"[channel \"A\"]\ntype = curve\ncurve = exp\nk = 20k\ndraws = a.csv\n\n"
            f"[channel \"B\"]\ntype = curve\ncurve = exp\nk = 35k\ndraws = b2.csv\n")
p = run("validate", two)
check(p.returncode == 3 and "channel \"B\" has 2 draws and channel \"A\" 6" in p.stderr
      and "give every file as many rows" in p.stderr and "independent" not in p.stderr,
      f"counts under cvar\n{p.stderr}")

done()
