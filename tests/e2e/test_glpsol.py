"""A multi-constraint plan over all media: the objective mixplan reports must
equal glpsol's on the exported LP, and scipy/HiGHS's on the same LP read from
the MPS file glpsol writes; every constraint is re-checked from the JSON."""
import os
import re
import subprocess

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from mpcommon import *

GLPSOL = os.environ.get("GLPSOL", "glpsol")
d = tmpdir("glpsol")
kw = os.path.join(SRC, "datasets", "keywords", "fr_running.csv")
plan = write(os.path.join(d, "plan.ini"), f"""
[plan]
name = multi-constraint
budget = 600k
start = 2027-03-01
periods = 4
universe = 30M
objective = max conversions
period_budget = 180k
co2_factors = {SRC}/datasets/co2/factors.csv
[period 2]
budget = 120k
[channel "google"]
type = search
keywords = {kw}
ctr = 4.5%
cvr = 3%
value = 85
inflation = 9%
[channel "meta"]
type = social
cpm = 7.5
ctr = 1.2%
cvr = 1.5%
value = 85
audience = 2.5M
max_spend = 150k
[channel "tf1"]
type = tv
cpp = 5200
response = hill
beta = 900
ec = 60000
value = 85
min_spend = 80k
[channel "nrj"]
type = radio
cpp = 900
response = exp
beta = 150
response_k = 15000
value = 85
[channel "lequipe"]
type = press
cpi = 18000
continuous = yes
audience = 1.2M
response = michaelis-menten
beta = 200
response_k = 40000
value = 85
max_insertions = 2
[constraint "offline"]
expr = share(tv, radio, press) >= 35%
[constraint "cpa"]
expr = cpa <= 130
[constraint "roas"]
expr = roas(digital) >= 150%
[constraint "co2"]
expr = co2 <= 40t
[constraint "tv-reach"]
expr = reach(tf1) >= 25%
[constraint "radio-grp"]
expr = grp(nrj) >= 20
""")



p, data = optimize_json(plan)
check(p.returncode == 0, f"optimize exit {p.returncode}: {p.stderr}")
if data is None or data["status"] != "optimal":
    done()
# The LP's objective (its chords) at the plan's spends is glpsol's optimum of
# the file export-lp writes, as written (its rows at the right-hand sides
# optimize solved them with, JSON lp_rhs); the exact figures lie on the
# concave curves, above the chords.
obj = data["objective"]["lp"]
check(data["objective"]["value"] >= obj * (1 - 1e-12), "exact objective above the chords'")

lp = os.path.join(d, "plan.lp")
p = run("export-lp", plan, "-o", lp)
check(p.returncode == 0 and os.path.exists(lp), f"export-lp: {p.stderr}")
mps = os.path.join(d, "plan.mps")
out = os.path.join(d, "glpsol.txt")
g = subprocess.run([GLPSOL, "--lp", lp, "-o", out, "--wfreemps", mps], capture_output=True, text=True)
check(g.returncode == 0, f"glpsol failed: {g.stdout} {g.stderr}")
text = open(out).read()
# export-lp says the size of what it wrote: as glpsol reads it and as the disk holds it
size = re.search(r"(\d+) rows, (\d+) columns", g.stdout)
said = re.search(r"plan\.lp: (\d+) columns, (\d+) rows, ([0-9.]+) MB", p.stdout)
check(size and said and (said.group(1), said.group(2)) == (size.group(2), size.group(1)),
      f"export-lp's size {said and said.groups()} against glpsol's {g.stdout[:300]!r}")
check(said and abs(float(said.group(3)) - os.path.getsize(lp) / 1e6) <= 0.05,
      f"export-lp's MB against the file's {os.path.getsize(lp)} bytes")
check("note:" not in p.stdout, "no size note on a small LP")
# The spring example over 80 weeks: over 100,000 columns, beyond what glpsol's
# default checks in reasonable time (README, export-lp): the note says so and
# gives the command that does, which finds the optimum optimize reports.
spring = open(os.path.join(SRC, "datasets", "examples", "spring_launch.ini")).read()
spring = re.sub(r"(?m)^periods\s*=\s*13", "periods = 80", spring).replace(
    "../", os.path.join(SRC, "datasets") + "/")
long_lp = os.path.join(d, "long.lp")
long_ini = write(os.path.join(d, "long.ini"), spring)
p = run("export-lp", long_ini, "-o", long_lp)
g = subprocess.run([GLPSOL, "--lp", long_lp, "--check"], capture_output=True, text=True)
size = re.search(r"(\d+) rows, (\d+) columns", g.stdout)
note = (f"note: beyond 100000 columns glpsol's default method takes minutes to hours on this "
        f"file; its dual simplex takes seconds: glpsol --lp {long_lp} --dual --flip --nopresol "
        f"-o solution.txt\n")
check(p.returncode == 0 and size and int(size.group(2)) > 100000 and
      f"long.lp: {size.group(2)} columns, {size.group(1)} rows" in p.stdout and note in p.stdout,
      f"80 weeks: the size and the note: {p.stdout!r} {g.stdout[:300]!r}")
long_out = os.path.join(d, "long.txt")
g = subprocess.run([GLPSOL, "--lp", long_lp, "--dual", "--flip", "--nopresol", "-o", long_out],
                   capture_output=True, text=True, timeout=120)
m = re.search(r"Objective:\s+\S+\s+=\s+([-+0-9.eE]+)", open(long_out).read()) if g.returncode == 0 else None
p, long_data = optimize_json(long_ini)
check(m is not None and long_data is not None, f"80 weeks: glpsol as the note says: {g.stdout[-300:]}")
if m and long_data:  # glpsol's -o prints 10 significant digits
    close(float(m.group(1)), long_data["objective"]["lp"], 1e-9 * long_data["objective"]["lp"],
          "80 weeks: glpsol's optimum as the note runs it vs objective.lp")
os.remove(long_lp)
m = re.search(r"Objective:\s+\S+\s+=\s+([-+0-9.eE]+)", text)
check(m is not None and "OPTIMAL" in text, "glpsol found an optimum")
glp = float(m.group(1))
close(obj, glp, 1e-6 * abs(glp), "objective vs glpsol")
# Every solution method reaches that optimum: the default (the LP solved from
# its curves and row prices, engine/src/implicit.c), GLPK on the whole LP, and
# the solve near the duals of a coarser LP.
for method in ("auto", "direct", "near"):
    p2, d2 = optimize_json(plan, "--method", method)
    check(p2.returncode == 0, f"--method {method}: {p2.stderr}")
    close(d2["objective"]["lp"], glp, 1e-6 * abs(glp), f"--method {method} vs glpsol")


def read_free_mps(path):
    """Parse a free MPS file into linprog's arrays (minimisation form)."""
    rows, cols, rhs, bounds = {}, {}, {}, {}
    objrow, sense, section = None, "MIN", None
    entries = []
    for line in open(path):
        if not line.strip() or line.startswith("*"):
            continue
        if not line[0].isspace():
            parts = line.split()
            section = parts[0]
            if section == "OBJSENSE" and len(parts) > 1:
                sense = parts[1]
            continue
        f = line.split()
        if section == "OBJSENSE":
            sense = f[0]
        elif section == "ROWS":
            if f[0] == "N" and objrow is None:
                objrow = f[1]
            elif f[0] != "N":
                rows[f[1]] = f[0]
        elif section == "COLUMNS":
            c = cols.setdefault(f[0], len(cols))
            for i in range(1, len(f), 2):
                entries.append((f[i], c, float(f[i + 1])))
        elif section == "RHS":
            for i in range(1, len(f), 2):
                rhs[f[i]] = float(f[i + 1])
        elif section == "BOUNDS":
            bounds.setdefault(f[2], [0.0, None])
            v = float(f[3]) if len(f) > 3 else None
            b = bounds[f[2]]
            if f[0] == "UP": b[1] = v
            elif f[0] == "LO": b[0] = v
            elif f[0] == "FX": b[0] = b[1] = v
            elif f[0] == "FR": b[0], b[1] = None, None
            elif f[0] == "MI": b[0] = None
    n = len(cols)
    c = np.zeros(n)
    ub_r, eq_r = {}, {}
    for name, t in rows.items():
        if t in ("L", "G"):
            ub_r[name] = len(ub_r)
        else:
            eq_r[name] = len(eq_r)
    ui, uj, uv, ei, ej, ev = [], [], [], [], [], []
    for r, j, v in entries:
        if r == objrow:
            c[j] += v
        elif r in ub_r:
            ui.append(ub_r[r]); uj.append(j); uv.append(-v if rows[r] == "G" else v)
        elif r in eq_r:
            ei.append(eq_r[r]); ej.append(j); ev.append(v)
    bu = np.zeros(len(ub_r))
    for r, i in ub_r.items():
        bu[i] = -rhs.get(r, 0.0) if rows[r] == "G" else rhs.get(r, 0.0)
    be = np.zeros(len(eq_r))
    for r, i in eq_r.items():
        be[i] = rhs.get(r, 0.0)
    bnd = [(0.0, None)] * n
    for name, j in cols.items():
        if name in bounds:
            bnd[j] = tuple(bounds[name])
    A_ub = csr_matrix((uv, (ui, uj)), shape=(len(ub_r), n)) if ub_r else None
    A_eq = csr_matrix((ev, (ei, ej)), shape=(len(eq_r), n)) if eq_r else None
    return c, A_ub, bu, A_eq, be, bnd, sense.upper().startswith("MAX")


c, A_ub, b_ub, A_eq, b_eq, bnd, _ = read_free_mps(mps)
is_max = True  # free MPS carries no objective sense; this plan maximises conversions
res = linprog(-c if is_max else c, A_ub=A_ub, b_ub=b_ub if A_ub is not None else None,
              A_eq=A_eq, b_eq=b_eq if A_eq is not None else None, bounds=bnd, method="highs")
check(res.status == 0, f"scipy linprog: {res.message}")
hi = -res.fun if is_max else res.fun
close(obj, hi, 1e-6 * abs(hi), "objective vs scipy/HiGHS")

# Every constraint holds, recomputed from the per-channel figures.
ch = {c["name"]: c for c in data["channels"]}
spend = sum(c["spend"] for c in ch.values())
eps = 1e-6
check(spend <= 600000 * (1 + eps), "budget")
for t in range(4):
    cap = 120000 if t == 1 else 180000
    check(sum(c["periods"][t]["spend"] for c in ch.values()) <= cap * (1 + eps), f"period {t + 1} cap")
check(ch["meta"]["spend"] <= 150000 * (1 + eps), "meta max_spend")
check(ch["tf1"]["spend"] >= 80000 * (1 - eps), "tv min_spend")
off = sum(ch[n]["spend"] for n in ("tf1", "nrj", "lequipe"))
check(off >= 0.35 * spend * (1 - eps), f"offline share {off / spend}")
conv = sum(c["kpis"]["conversions"] for c in ch.values())
check(spend <= 130 * conv * (1 + eps), f"cpa {spend / conv}")
dig = [ch[n] for n in ("google", "meta")]
check(sum(c["kpis"]["revenue"] for c in dig) >= 1.5 * sum(c["spend"] for c in dig) * (1 - eps), "roas")
check(sum(c["kpis"]["co2"] for c in ch.values()) <= 40000 * (1 + eps), "co2 cap")
check(ch["nrj"]["kpis"]["grp"] >= 20 * (1 - eps), "radio GRP >= 20")
check(abs(ch["nrj"]["kpis"]["grp"] - ch["nrj"]["spend"] / 900) < 1e-6, "radio GRP = spend / cpp")
# TV reach from its own formula: universe x rmax (1 - e^(-k GRP)); the LP works
# on a chord below it, so the exact reach is at least the floor.
import math
tv_grp = ch["tf1"]["spend"] / 5200
check(ch["tf1"]["kpis"]["reach"] >= 0.25 * 30e6 * (1 - 1e-3), "tv reach floor")
close(ch["tf1"]["kpis"]["reach"], 30e6 * 0.85 * (1 - math.exp(-0.0058 * tv_grp)), 1, "tv reach formula")

# Without reach rows, the budget and the plan-wide rows hold every column
# (the restricted solve reads them as dense vectors) beside sparse ones
# (periods, channel bounds, digital ROAS): glpsol on that LP agrees with both
# methods too.
plan2 = write(os.path.join(d, "plan2.ini"), open(plan).read().replace(
    '[constraint "tv-reach"]\nexpr = reach(tf1) >= 25%\n', "").replace(
    '[constraint "radio-grp"]\nexpr = grp(nrj) >= 20\n', ""))
check("reach(" not in open(plan2).read(), "variant without reach rows")
lp2 = os.path.join(d, "plan2.lp")
p = run("export-lp", plan2, "-o", lp2)
check(p.returncode == 0, f"export-lp: {p.stderr}")
p2, d2 = optimize_json(plan2)
check(p2.returncode == 0, f"variant: {p2.stderr}")
g = subprocess.run([GLPSOL, "--lp", lp2, "-o", out], capture_output=True, text=True)
m = re.search(r"Objective:\s+\S+\s+=\s+([-+0-9.eE]+)", open(out).read())
check(g.returncode == 0 and m is not None, "glpsol on the variant")
glp2 = float(m.group(1))
for method in ("auto", "direct", "near"):
    p2, d2 = optimize_json(plan2, "--method", method)
    check(p2.returncode == 0, f"variant --method {method}: {p2.stderr}")
    close(d2["objective"]["lp"], glp2, 1e-6 * abs(glp2), f"variant --method {method} vs glpsol")
done()
