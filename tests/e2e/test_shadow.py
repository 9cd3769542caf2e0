"""Shadow prices against finite differences computed here: for every row of
the three examples and of small plans with a binding share, CPA, ROAS,
reach, GRP, KPI, period and channel row, the plan is re-solved with the
row's bound moved by a quarter of a unit of its own unit either way (a
percentage point of a share or ROAS, one currency unit of a CPA cap, 1,000
of currency for a spend, 1,000 impressions, a point of universe of reach, a
tonne of CO2e, one conversion or GRP) and the objective's change per unit is
compared with `shadow_price`: it must lie between the two one-sided
differences (the true marginal at the bound lies between them, the
objective being concave in a bound), within 3 %.

The shadow prices are those of the plan solved at the DEFAULT gap, the one a
planner reads; the finite differences are of plans solved at `--gap 0.001%`
(the exact optimum, to far better than the differences need). Their
objective is the LP's (`objective.lp`): the exact objective moves with the
refinement's breakpoints from one solve to the next, the LP's at that gap by
far less. 3 %: the shadow prices are the exact model's multipliers found by
Newton's method on finite-difference derivatives (to about 1e-6), but the
plan they are found near is the default gap's, and where a price changes
fast with its bound (the competitor cap: 2.6 below, 1.2 above) the bracket
itself is what decides; a chord-slope dual is off by tens of percent here
(8.0 against 4.8 for the 40 % offline floor). A row that does not bind must
change the objective by (almost) nothing. The unit of each row is derived
here from its expression, and `unit` must name it. The worst relative
difference is printed (SHADOW_GAP sets the gap of the shadow prices' solve,
FD_GAP that of the finite differences)."""
import os
import re

from modelcheck import PlanSpec
from mpcommon import *

valgrind_sample(10)  # many re-solves of a few plans: see mpcommon.valgrind_sample

d = tmpdir("shadow")
DATA = os.path.abspath(os.path.join(SRC, "datasets"))
EX = os.path.join(DATA, "examples")
GAP = os.environ.get("SHADOW_GAP", "")  # "": the default gap
FD_GAP = os.environ.get("FD_GAP", "0.001%")
TOL = float(os.environ.get("SHADOW_TOL", "0.03"))
STEP = float(os.environ.get("SHADOW_STEP", "0.25"))  # units of the bound either way
worst = [0.0, ""]  # distance to the bracket of the two one-sided differences
nearest = [0.0, ""]  # distance to the nearer one-sided difference
central = [0.0, ""]  # distance to the central difference (their mean), for the record


# ---- editing an INI plan ------------------------------------------------------
def set_key(text, section, key, value):
    """text with key = value in [section] (added, with the section, if absent)."""
    lines = text.splitlines()
    head = f"[{section}]"
    at = [i for i, l in enumerate(lines) if l.strip() == head]
    if not at:
        return text.rstrip("\n") + f"\n{head}\n{key} = {value}\n"
    i = at[0] + 1
    while i < len(lines) and not lines[i].lstrip().startswith("["):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[i]):
            lines[i] = f"{key} = {value}"
            return "\n".join(lines) + "\n"
        i += 1
    lines.insert(at[0] + 1, f"{key} = {value}")
    return "\n".join(lines) + "\n"


def get_key(text, section, key):
    lines = text.splitlines()
    at = [i for i, l in enumerate(lines) if l.strip() == f"[{section}]"]
    for l in lines[at[0] + 1:] if at else []:
        if l.lstrip().startswith("["):
            break
        m = re.match(rf"\s*{re.escape(key)}\s*=\s*([^;]*)", l)
        if m:
            return m.group(1).strip()
    return None


def channel_names(text):
    return re.findall(r'^\[channel "([^"]+)"\]', text, re.M)


# ---- the bound's own unit, from the row's expression -------------------------
def row_unit(expr, universe, currency):
    """(size of one unit in the bound's JSON terms, the unit's name)."""
    e = expr.replace(" ", "")
    if e.startswith("share("):
        return 0.01, "percentage point"
    if e.startswith("roas"):
        return 0.01, "percentage point"
    if e.startswith("cpa"):
        return 1.0, f"{currency} of the cap"
    kpi = re.match(r"([a-z0-9_]+)", e).group(1)
    if kpi in ("spend", "min_spend", "max_spend", "fixed_spend", "revenue"):
        return 1000.0, f"1,000 {currency}"
    if kpi == "impressions":
        return 1000.0, "1,000 impressions"
    if kpi == "reach":
        return (universe / 100, "point of reach") if universe else (1000.0, "1,000 people")
    if kpi == "co2":
        return 1000.0, "tonne CO2e"
    if kpi == "grp":
        return 1.0, "GRP"
    return 1.0, kpi.rstrip("s")  # conversions, clicks: one of them


def moved(text, row, bound):
    """text with row's bound set to bound (in the JSON's terms)."""
    name = row["name"]
    if name == "budget":
        return set_key(text, "plan", "budget", repr(bound))
    m = re.fullmatch(r"budget_p(\d+)", name)
    if m:
        return set_key(text, f"period {m.group(1)}", "budget", repr(bound))
    m = re.fullmatch(r"(min_spend|max_spend|fixed_spend)_(.+)", name)
    if m:
        ch = [c for c in channel_names(text) if re.sub(r"[^A-Za-z0-9]", "_", c) == m.group(2)]
        return set_key(text, f'channel "{ch[0]}"', m.group(1), repr(bound))
    expr = get_key(text, f'constraint "{name}"', "expr")
    lhs, op = re.match(r"(.*?)\s*(<=|>=|=)", expr).groups()
    pct = lhs.replace(" ", "").startswith(("share(", "roas"))
    value = f"{100 * bound!r}%" if pct else repr(bound)
    return set_key(text, f'constraint "{name}"', "expr", f"{lhs} {op} {value}")


def solve(text, label, gap=FD_GAP):
    p, data = optimize_json(write(os.path.join(d, label + ".ini"), text),
                            *(("--gap", gap) if gap else ()))
    ok = p.returncode == 0 and data and data["status"] == "optimal"
    check(ok, f"{label}: solved (exit {p.returncode}: {p.stderr.strip()})")
    return data if ok else None


def check_plan(text, label, must_bind):
    """Every row's shadow price of the plan in text against its finite difference."""
    base = solve(text, label, GAP)
    fine = solve(text, label + "-fine") if GAP != FD_GAP else base
    if not base or not fine:
        return
    universe = float(get_key(text, "plan", "universe").replace("M", "e6")) \
        if get_key(text, "plan", "universe") else 0.0
    currency = get_key(text, "plan", "currency") or "EUR"
    obj = fine["objective"]["lp"]
    bound_names = {r["name"] for r in base["constraints"] if r["binding"]}
    check(must_bind <= bound_names, f"{label}: {sorted(must_bind - bound_names)} bind")
    for k, row in enumerate(base["constraints"]):
        size, per = row_unit(row["expr"], universe, currency)
        what = f"{label} {row['name']}"
        check(row["unit"] == f"{base['objective']['unit']} per {per}",
              f"{what}: unit {row['unit']!r} names {per!r}")
        lo, hi = (solve(moved(text, row, row["bound"] + s * STEP * size), f"{label}-{k}{t}")
                  for s, t in ((-1, "lo"), (1, "hi")))
        if not lo or not hi:
            continue
        down = (obj - lo["objective"]["lp"]) / STEP
        up = (hi["objective"]["lp"] - obj) / STEP
        sp = row["shadow_price"]
        if not row["binding"]:
            close(up, 0, 2e-5 * abs(obj) / STEP, f"{what}: not binding, moving it up changes nothing")
            close(down, 0, 2e-5 * abs(obj) / STEP, f"{what}: not binding, moving it down changes nothing")
            continue
        # a bound at a kink of the LP (refinement puts breakpoints where the
        # plan is) has a slope each side, and its dual is one of them or in
        # between: the distance is to the nearer slope, 0 between them
        lo_fd, hi_fd = min(down, up), max(down, up)
        gap = max(lo_fd - sp, sp - hi_fd, 0)
        rel = gap / abs(sp) if sp else max(abs(down), abs(up))
        print(f"{what}: shadow {sp:.6g} {row['unit']}, finite differences {down:.6g} below "
              f"and {up:.6g} above (rel {rel:.2e})")
        if rel >= worst[0]:
            worst[:] = [rel, what]
        mid = 0.5 * (down + up)
        if sp and abs(mid - sp) / abs(sp) >= central[0]:
            central[:] = [abs(mid - sp) / abs(sp), what]
        near = min(abs(down - sp), abs(up - sp)) / abs(sp) if sp else 0
        if near >= nearest[0]:
            nearest[:] = [near, what]
        check(rel <= TOL, f"{what}: shadow price {sp:.6g} against finite differences "
                           f"{down:.6g} and {up:.6g}")


def example(name, keys=None):
    with open(os.path.join(EX, name + ".ini"), encoding="utf-8") as f:
        text = f.read().replace("= ../", f"= {DATA}/")
    for (section, key), value in (keys or {}).items():
        text = set_key(text, section, key, value)
    return text


# ---- the three examples, and the spring example where a share and a CPA bind
check_plan(example("spring_launch"), "spring", {"budget", "competitor-cap"})
check_plan(example("leadgen_b2b"), "leadgen", {"leads"})
check_plan(example("mmm_curves"), "mmm", {"budget", "x4-cap"})
check_plan(example("spring_launch", {('constraint "offline-share"', "expr"):
                                     "share(tv, radio, press) >= 40%"}),
           "spring-offline40", {"offline-share"})
check_plan(example("spring_launch", {("plan", "budget"): "600000"}), "spring-600k", {"cpa"})

# ---- small plans: period and channel rows, a share; GRP, impressions, reach,
# CO2 and CPA rows; a min-cost conversions floor; a ROAS floor. Why each binds
# is argued in test_rows.py, where the same plans are checked row by row.
one = PlanSpec(
    {"name": "shadow one", "budget": "120k", "start": "2027-03-01", "periods": 4,
     "objective": "max conversions", "period_budget": "25k"},
    {"strong": {"type": "curve", "response": "exp", "beta": 2000, "k": 10000, "max_spend": 40000},
     "mid": {"type": "curve", "response": "exp", "beta": 1000, "k": 20000},
     "weak": {"type": "curve", "response": "exp", "beta": 50, "k": 50000, "digital": "no"},
     "fixed": {"type": "curve", "response": "exp", "beta": 100, "k": 10000, "fixed_spend": 6000},
     "floor": {"type": "curve", "response": "exp", "beta": 10, "k": 100000, "min_spend": 5000}},
    {"weak-share": "share(weak) >= 25%"},
    {2: {"weight": 1.5}, 4: {"budget": "20k"}})
check_plan(one.ini(), "one", {"budget_p1", "max_spend_strong", "fixed_spend_fixed",
                              "min_spend_floor", "weak-share"})
two = PlanSpec(
    {"name": "shadow two", "budget": "300k", "start": "2027-03-01", "periods": 2,
     "objective": "max conversions", "universe": "20M"},
    {"meta": {"type": "social", "cpm": 8, "ctr": 0.01, "cvr": 0.02, "value": 60,
              "audience": "10M", "co2": 0.45},
     "tf1": {"type": "tv", "cpp": 4000, "rmax": 0.8, "k": 0.006, "response": "hill", "beta": 50,
             "ec": 50000, "slope": 1, "co2": 60},
     "rtl": {"type": "radio", "cpp": 800, "rmax": 0.6, "k": 0.004, "response": "exp", "beta": 20,
             "response_k": 10000, "co2": 8},
     "daily": {"type": "press", "continuous": "yes", "cpi": 15000, "audience": "1M", "readership": "2M",
               "max_insertions": 2, "response": "michaelis-menten", "beta": 1000,
               "response_k": 20000, "co2": 350},
     "mmm": {"type": "curve", "response": "logistic", "beta": 9000, "lambda": 2, "scale": 40000,
             "kpi": "revenue", "value": 50}},
    {"tv-grp": "grp(tf1) >= 10", "meta-imp": "impressions(meta) <= 15M",
     "radio-reach": "reach(rtl) >= 2M", "press-co2": "co2(daily) <= 700", "cpa": "cpa <= 90"})
check_plan(two.ini(), "two", {"tv-grp", "meta-imp", "radio-reach", "cpa"})
three = PlanSpec(
    {"name": "shadow three", "budget": "500k", "start": "2027-03-01", "periods": 3,
     "objective": "min cost", "universe": "20M", "seasonality": "0.8, 1, 1.2"},
    {"meta": {"type": "social", "cpm": 6, "ctr": 0.012, "cvr": 0.03, "value": 40,
              "audience": "3M", "co2": 0.45},
     "mmm": {"type": "curve", "response": "exp", "beta": 800, "k": 30000, "value": 50},
     "mm": {"type": "curve", "response": "michaelis-menten", "beta": 500, "k": 20000, "value": 50}},
    {"floor": "conversions >= 2500", "meta-cpa": "cpa(meta) <= 25"})
check_plan(three.ini(), "three", {"floor", "meta-cpa"})
four = PlanSpec(
    {"name": "shadow four", "budget": "200k", "budget_mode": "exact", "start": "2027-03-01",
     "periods": 2, "objective": "max conversions", "universe": "20M"},
    {"meta": {"type": "social", "cpm": 5, "ctr": 0.01, "cvr": 0.02, "value": 30,
              "audience": "5M", "max_frequency": 3},
     "tf1": {"type": "tv", "cpp": 3000, "max_grp": 5, "response": "exp", "beta": 3000,
             "response_k": 20000, "value": 40},
     "daily": {"type": "press", "continuous": "yes", "cpi": 10000, "audience": "500k", "max_insertions": 1,
               "response": "michaelis-menten", "beta": 2000, "response_k": 10000, "value": 40},
     "mmm": {"type": "curve", "response": "exp", "beta": 8000, "k": 100000, "value": 10}},
    {"digital-roas": "roas(digital) >= 60%"})
check_plan(four.ini(), "four", {"budget", "digital-roas"})

print(f"worst relative difference between a shadow price and its finite differences: "
      f"{worst[0]:.2e} outside the two ({worst[1]}), {nearest[0]:.2e} to the nearer one "
      f"({nearest[1]}), {central[0]:.2e} to their mean ({central[1]}); step {STEP} unit "
      f"each way, shadow prices at --gap {GAP or 'default'}, differences at --gap {FD_GAP}, objective.lp")
done()
