"""Uncertain curves as planners and their tools write them: a range typed
"620 +/- 15%" or "620 (+/- 15%)" (French decks, Excel) is the range "620 +-
15%"; "620 -+ 15%" gets a hint and validate no cascade after it; a draws file
saved by French Excel (semicolons, decimal commas) is read; PyMC-Marketing's
saturation_lam is lambda, its saturation_beta and a pandas index column are
refused with how to write them. Every expected figure is computed here from
the curve's closed form at the plan's spend."""
import math
import os
import subprocess

from mpcommon import *

d = tmpdir("draws_input")
FR = dict(os.environ, LANG="fr_FR.UTF-8", LC_ALL="", LANGUAGE="")
SPEND = 50000.0
K = 20000.0


def plan(name, body, extra="", curve="exp"):
    return write(os.path.join(d, name),
                 f"[plan]\nbudget = {SPEND:.0f}\nstart = 2027-03-01\nperiods = 1\n"
                 f"precision = 0.01%\n{extra}\n[channel \"A\"]\ntype = curve\ncurve = {curve}\n"
                 f"fixed_spend = {SPEND:.0f}\n{body}")


def mixplan(*args, env=None):
    return subprocess.run([MIXPLAN, *args], capture_output=True, text=True, env=env)


def f_exp(beta, x):
    return beta * -math.expm1(-x / K)


def f_logistic(beta, lam, scale, x):
    e = math.exp(-lam * x / scale)
    return beta * (1 - e) / (1 + e)


def check_spread(data, outs, weights, what):
    """The objective's mean and P10/P50/P90 against the draws' outcomes (the
    inverse of the empirical CDF)."""
    tol = 1e-6 * max(outs)
    mean = sum(o * w for o, w in zip(outs, weights)) / sum(weights)
    close(data["objective"]["value"], mean, tol, f"{what}: expected conversions")
    q = data.get("quantiles") or {}
    for key, p in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        pts, cum = sorted(zip(outs, weights)), 0.0
        want = pts[-1][0]
        for o, w in pts:
            cum += w
            if cum >= p * sum(weights) * (1 - 1e-12):
                want = o
                break
        close(q.get("objective", {}).get(key), want, tol, f"{what}: {key}")


# ---- 9. +/- is the range's sign, in parentheses too ---------------------------------
three = [f_exp(600 * (1 + m * 0.10), SPEND) for m in (-1, 0, 1)]
for i, text in enumerate(("600 +/- 10%", "600 +/-10%", "600 (+/- 10%)", "600 (± 10%)")):
    p, data = optimize_json(plan(f"pm{i}.ini", f"beta = {text}\nk = {K:.0f}\n"))
    check(p.returncode == 0 and data, f"'{text}': exit {p.returncode}: {p.stderr}")
    if data:
        check_spread(data, three, [1 / 6, 4 / 6, 1 / 6], f"'{text}'")

# "-+": a hint, and under risk = cvar no "no channel has draws" after it
mp = plan("mp.ini", f"beta = 600 -+ 10%\nk = {K:.0f}\n", extra="risk = cvar 10%\n")
p = mixplan("validate", mp)
check(p.returncode == 3 and "mp.ini:12: beta:" in p.stderr
      and "the plus comes first in a range: 620 +- 15%" in p.stderr
      and "no channel has draws" not in p.stderr and p.stderr.count("mixplan: ") == 1,
      f"'-+': one error with a hint\n{p.stderr}")
p = mixplan("validate", mp, env=FR)
check(p.returncode == 3 and "le plus vient d'abord dans une fourchette" in p.stderr,
      f"'-+', French\n{p.stderr}")
# a budget takes no range, however the sign is written
p = mixplan("validate", write(os.path.join(d, "budget.ini"),
                              "[plan]\nbudget = 300k +/- 10%\nstart = 2027-03-01\nperiods = 1\n\n"
                              "[channel \"A\"]\ntype = curve\ncurve = exp\nbeta = 500\nk = 20k\n"))
check(p.returncode == 3 and "budget.ini:2: budget:" in p.stderr
      and "a range (+-) is not taken here" in p.stderr, f"budget +/-\n{p.stderr}")

# ---- 10. a French Excel CSV: semicolons and decimal commas ----------------------------
BETAS = [531.063, 647.434, 600.5, 702.25]
write(os.path.join(d, "fr.csv"),
      "draw;beta\r\n" + "".join(f"{i};{b:g}".replace(".", ",") + "\r\n"
                                for i, b in enumerate(BETAS)))
p, data = optimize_json(plan("fr.ini", f"draws = fr.csv\nk = {K:.0f}\n"))
check(p.returncode == 0 and data, f"French CSV: exit {p.returncode}: {p.stderr}")
if data:
    check_spread(data, [f_exp(b, SPEND) for b in BETAS], [1] * len(BETAS), "French CSV")
# a comma file keeps refusing a decimal comma (a thousands separator there)
write(os.path.join(d, "comma.csv"), 'draw,beta\n0,"531,063"\n1,600\n')
p = mixplan("validate", plan("comma.ini", f"draws = comma.csv\nk = {K:.0f}\n"))
check(p.returncode == 3 and "comma.csv:2: beta:" in p.stderr, f"comma file\n{p.stderr}")

# ---- 10. PyMC-Marketing's names ------------------------------------------------------
LOG = [(900.0, 2.2, 60000.0), (960.0, 2.0, 60000.0), (820.0, 2.5, 60000.0)]
write(os.path.join(d, "lam.csv"), "draw,beta,saturation_lam,scale\n" + "".join(
    f"{i},{b:g},{lam:g},{s:g}\n" for i, (b, lam, s) in enumerate(LOG)))
p, data = optimize_json(plan("lam.ini", "draws = lam.csv\n", curve="logistic"))
check(p.returncode == 0 and data, f"saturation_lam: exit {p.returncode}: {p.stderr}")
if data:
    check_spread(data, [f_logistic(b, lam, s, SPEND) for b, lam, s in LOG], [1, 1, 1],
                 "saturation_lam as lambda")
write(os.path.join(d, "sb.csv"), "draw,saturation_beta,lambda,scale\n0,0.4,2.2,60000\n")
p = mixplan("validate", plan("sb.ini", "draws = sb.csv\n", curve="logistic"))
check(p.returncode == 3 and "sb.csv:1: saturation_beta:" in p.stderr
      and "beta = saturation_beta x target_scale" in p.stderr, f"saturation_beta\n{p.stderr}")
write(os.path.join(d, "alpha.csv"), "draw,beta,lambda,scale,adstock_alpha\n0,900,2.2,60000,0.3\n")
p = mixplan("validate", plan("alpha.ini", "draws = alpha.csv\n", curve="logistic"))
check(p.returncode == 3 and "alpha.csv:1: adstock_alpha: adstock cannot vary by draw" in p.stderr,
      f"adstock_alpha\n{p.stderr}")

# ---- 10. a pandas index: no empty name between two colons ----------------------------
for name, head in (("idx.csv", ",draw,beta"), ("unnamed.csv", "Unnamed: 0,draw,beta")):
    write(os.path.join(d, name), head + "\n0,0,600\n1,1,650\n")
    ini = plan(name + ".ini", f"draws = {name}\nk = {K:.0f}\n")
    p = mixplan("validate", ini)
    check(p.returncode == 3 and ": : " not in p.stderr
          and "column 1 of the header has no name: a pandas index?" in p.stderr
          and "index=False" in p.stderr and p.stderr.count("mixplan: ") == 1,
          f"{name}: one error naming the column\n{p.stderr}")
    p = mixplan("validate", ini, env=FR)
    check(p.returncode == 3 and "la colonne 1 de l'en-tête n'a pas de nom" in p.stderr,
          f"{name}, French\n{p.stderr}")

done()
