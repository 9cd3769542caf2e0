"""export-lp on plans of 250, 1,000 and 5,000 keywords: glpsol's optimum of the
file as written is the LP optimum optimize reports (JSON objective.lp) to 1e-9,
and every row binding in the plan binds in glpsol's solution at the JSON's
lp_rhs, with the JSON's dual as its price; the others hold in both.

The plans carry every kind of row: the budget, period caps, a share of spend,
a CPA cap, a ROAS floor and constraints on keyword groups (a spend cap, a
share cap, a conversions cap). A CPA cap, a ROAS floor and a conversions cap
bind on the LP's chords, below the exact curves: optimize moves their
right-hand sides so that the exact figures meet them (README, The model), and
the file must carry the moved ones: with the plan's bounds glpsol's optimum
was 4 to 8 in 100,000 below objective.lp on such plans. The keywords are the
samples of datasets/keywords/fr_running.csv again and again, their volumes and
bids scaled by a seeded draw. glpsol runs its dual simplex with the long-step
ratio test (seconds on a million columns; its default takes minutes). A
booked plan is decided by more than the LP: glpsol's optimum is above its
objective.lp."""
import json
import os
import random
import re
import subprocess

from mpcommon import *

GLPSOL = os.environ.get("GLPSOL", "glpsol")
d = tmpdir("glpsolmid")
KW = os.path.join(SRC, "datasets", "keywords")


def keywords(path, n, seed):
    """n keywords from the samples: each sample row in turn, its name made
    unique, its searches (average and monthly) and its bids scaled."""
    lines = open(os.path.join(KW, "fr_running.csv"), encoding="utf-8").read().splitlines()
    rows = [l.split("\t") for l in lines[3:] if l.strip()]
    rnd = random.Random(seed)
    out = lines[:3]
    for i in range(n):
        f = list(rows[i % len(rows)])
        f[0] = f"{f[0]} v{i}"
        vol, bid = 0.3 + 1.4 * rnd.random(), 0.7 + 0.6 * rnd.random()
        for k in [2] + list(range(14, len(f))):
            f[k] = str(max(10, int(float(f[k]) * vol))) if f[k] else f[k]
        for k in (7, 8):
            f[k] = f"{float(f[k]) * bid:.2f}" if f[k] else f[k]
        out.append("\t".join(f))
    write(path, "\r\n".join(out) + "\r\n")


def plan(name, n, periods, budget, cpa, roas, offline, brand, generic, tv=""):
    kw = os.path.join(d, f"{name}.csv")
    keywords(kw, n, n)
    per = budget / periods
    return write(os.path.join(d, f"{name}.ini"), f"""[plan]
name = {name}
budget = {budget:.0f}
start = 2027-03-01
periods = {periods}
objective = max conversions
universe = 30M
period_budget = {1.1 * per:.0f}
[period 2]
budget = {0.6 * per:.0f}
[channel "google"]
type = search
keywords = {kw}
groups = {KW}/fr_running_groups.ini
ctr = 4.5%
cvr = 3.2%
value = 85
inflation = 9%
[channel "meta"]
type = social
cpm = 7.5
ctr = 1.2%
cvr = 1.6%
value = 85
audience = 2.5M
[channel "tf1"]
type = tv
cpp = 5200
response = hill
beta = 620
ec = 45000
value = 85
min_spend = 100k
{tv}[channel "nrj"]
type = radio
cpp = 900
response = exp
beta = 110
response_k = 12000
value = 85
[channel "lequipe"]
type = press
cpi = 18000
audience = 1.2M
continuous = yes
max_insertions = 2
response = michaelis-menten
beta = 160
response_k = 30000
value = 85
[constraint "offline"]
expr = share(tv, radio, press) >= {offline}
[constraint "cpa"]
expr = cpa <= {cpa}
[constraint "roas"]
expr = roas(digital) >= {roas}
[constraint "competitor"]
expr = spend(search:competitor) <= {2 * n}
[constraint "brand-share"]
expr = share(search:brand) <= {brand}
[constraint "generic-conv"]
expr = conversions(search:generic) <= {generic}
""")


def row_name(c):
    """The constraint's row in the LP file (engine/src/build.c names them)."""
    if c["name"] == "budget" or re.fullmatch(r"budget_p\d+|min_spend_.*", c["name"]):
        return c["name"]
    return "c_" + re.sub(r"[^A-Za-z0-9_]", "_", c["name"])


def lp_rows(path):
    """Each row of the LP file in order: name -> (index from 1, op, rhs)."""
    text = open(path).read().split("\nSubject To\n", 1)[1].split("\nBounds\n", 1)[0]
    rows = {}
    for m in re.finditer(r"^ (\w+):(.*?)(<=|>=|=)\s*(\S+)$", text, re.M | re.S):
        rows[m.group(1)] = (len(rows) + 1, m.group(3), float(m.group(4)))
    return rows


def glpsol(path):
    """glpsol's optimum, and each row's activity and price, from its
    solution file (-w: 15 significant digits)."""
    sol = path + ".sol"
    g = subprocess.run([GLPSOL, "--lp", path, "--dual", "--flip", "--nopresol", "-w", sol],
                       capture_output=True, text=True)
    check(g.returncode == 0 and os.path.exists(sol), f"glpsol {path}: {g.stdout[-400:]}")
    obj, act = None, {}
    for line in open(sol) if os.path.exists(sol) else []:
        f = line.split()
        if f[0] == "s":
            check(f[4] == "f" and f[5] == "f", f"glpsol {path}: an optimum ({line.strip()})")
            obj = float(f[6])
        elif f[0] == "i":
            act[int(f[1])] = (float(f[3]), float(f[4]))
    return obj, act


def compare(name, path, kinds_bound):
    p, data = optimize_json(path)
    check(p.returncode == 0 and data and data["status"] == "optimal", f"{name}: {p.stderr}")
    lp = os.path.join(d, name + ".lp")
    e = run("export-lp", path, "-o", lp)
    check(e.returncode == 0, f"{name}: export-lp: {e.stderr}")
    if not data or e.returncode:
        return None
    obj, act = glpsol(lp)
    lp_obj = data["objective"]["lp"]
    close(obj, lp_obj, 1e-9 * abs(lp_obj), f"{name}: glpsol's optimum of the file vs objective.lp")
    rows = lp_rows(lp)
    moved = 0
    for c in data["constraints"]:
        r = rows.get(row_name(c))
        check(r is not None, f"{name}: {c['name']} is a row of the file")
        if r is None:
            continue
        i, op, rhs = r
        a, price = act.get(i, (None, None))
        scale = 1e-9 * max(1.0, abs(rhs), abs(c["lp_rhs"]), data["plan"]["budget"] * 1e-3)
        close(rhs, c["lp_rhs"], scale, f"{name}: {c['name']}'s right-hand side in the file vs lp_rhs")
        if c["binding"]:
            close(a, rhs, scale, f"{name}: {c['name']} binds in glpsol's solution")
            close(price, c["dual"], 1e-6 * max(1.0, abs(c["dual"])), f"{name}: {c['name']}'s price")
        else:
            check(a is not None and (a <= rhs + scale if op == "<=" else a >= rhs - scale),
                  f"{name}: {c['name']} holds in glpsol's solution ({a} {op} {rhs})")
        moved += c["binding"] and abs(c["lp_rhs"] - rhs_of_bound(c)) > 1e-6
    bound = {c["name"] for c in data["constraints"] if c["binding"]}
    check(kinds_bound <= bound, f"{name}: binding {sorted(bound)}, expected {sorted(kinds_bound)}")
    check(moved > 0, f"{name}: a binding row optimize moved for the exact figures")
    return data, obj, lp


def rhs_of_bound(c):
    """The right-hand side of the plan's own bound, in the row's terms: a
    share, CPA or ROAS row is written `measure - bound x base` against 0."""
    return 0.0 if re.match(r"(share|cpa|roas)\b", c["expr"]) else c["bound"]


# 250 keywords x 13 weeks: the budget, a period cap, the ROAS floor, the group
# spend and conversions caps bind (ROAS and conversions moved).
a = plan("k250", 250, 13, 500000, 70, "300%", "40%", "5%", 7000)
res = compare("k250", a, {"budget", "budget_p2", "roas", "competitor", "generic-conv"})
if res:  # every method reaches that optimum
    p, d2 = optimize_json(a, "--method", "direct")
    close(d2 and d2["objective"]["lp"], res[1], 1e-9 * abs(res[1]), "k250: --method direct vs glpsol")

# 1,000 keywords x 4 weeks: the offline share, the CPA cap (moved) and the
# group caps bind.
compare("k1000", plan("k1000", 1000, 4, 1500000, 58, "100%", "50%", "0.1%", 12000),
        {"offline", "cpa", "competitor", "brand-share"})

# 5,000 keywords x 2 weeks: the ROAS floor (moved), both period caps and the
# group spend cap.
compare("k5000", plan("k5000", 5000, 2, 1500000, 150, "300%", "30%", "5%", 1e6),
        {"budget_p1", "budget_p2", "roas", "competitor"})

# A booked plan (tv in whole spots, with flights) is decided by branch and
# bound over this LP, not by it alone: glpsol's optimum of the file is at
# least objective.lp (README, export-lp), here well above it.
b = plan("booked", 100, 6, 400000, 70, "150%", "40%", "5%", 1e6,
         "min_grp = 10\nmin_burst = 2\nspot_cost = 5200\ngrp_per_spot = 1\n")
p, data = optimize_json(b)
e = run("export-lp", b, "-o", b + ".lp")
check(p.returncode == 0 and data and e.returncode == 0, f"booked: {p.stderr} {e.stderr}")
if data and e.returncode == 0:
    obj = glpsol(b + ".lp")[0]
    check(obj is not None and obj > data["objective"]["lp"] * (1 + 1e-3),
          f"booked: glpsol's optimum {obj} above objective.lp {data['objective']['lp']}")

# A cap on tv's conversions that its spend floor leaves no room under: the
# exact curve breaks it (620 x 100/145 = 427.59 at the floor), and the LP with
# the cap moved down by that has no plan filled in order. The plan stays the
# one solved at 427.5, and so do lp_rhs and the file: glpsol's optimum is
# objective.lp (the file carried the moved 427.39, 1.2e-4 below it).
e = write(os.path.join(d, "floor.ini"), """[plan]
budget = 300k
start = 2027-03-01
periods = 1
objective = max conversions
[channel "meta"]
type = social
cpm = 7.5
ctr = 1.2%
cvr = 1.6%
audience = 2.5M
[channel "tf1"]
type = tv
cpp = 5200
response = hill
beta = 620
ec = 45000
min_spend = 100k
[constraint "tvcap"]
expr = conversions(tf1) <= 427.5
""")
p, data = optimize_json(e)
x = run("export-lp", e, "-o", e + ".lp")
check(p.returncode == 0 and data and x.returncode == 0, f"floor: {p.stderr} {x.stderr}")
if data and x.returncode == 0:
    cap = [c for c in data["constraints"] if c["name"] == "tvcap"]
    check(len(cap) == 1 and cap[0]["lp_rhs"] == 427.5, f"floor: lp_rhs {cap}")
    check(any("did not settle" in w for w in data["warnings"]), f"floor: {data['warnings']}")
    obj = glpsol(e + ".lp")[0]
    close(obj, data["objective"]["lp"], 1e-9 * data["objective"]["lp"],
          "floor: glpsol's optimum vs objective.lp")
done()
