#!/usr/bin/env python3
"""The same question gets the same answer: a scenario's spends and figures are
identical (1e-9 relative) whether it is optimised alone (its values written
into the plan file), in a one-axis sweep or in a two-axis grid, warm or cold.

The reference is the run of the plan file alone; nothing is taken from the
what-if output to build what it is compared with."""
import json
import os
import re
import shutil

from mpcommon import SRC, check, done, optimize_json, run, tmpdir, valgrind_sample

valgrind_sample(10)  # many re-solves of a few plans: see mpcommon.valgrind_sample

TOL = 1e-9


def close(a, b):
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def spring_copy(d, budget, rate):
    """The spring example with its budget and search inflation written in."""
    ex = os.path.join(SRC, "datasets")
    for sub in ("keywords", "co2"):
        shutil.copytree(os.path.join(ex, sub), os.path.join(d, sub))
    os.makedirs(os.path.join(d, "examples"))
    with open(os.path.join(ex, "examples", "spring_launch.ini"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(?m)^budget\s*=\s*450000", "budget = %d" % budget, text)
    text = re.sub(r"(?m)^inflation\s*=\s*9%", "inflation = %g%%" % (rate * 100), text)
    path = os.path.join(d, "examples", "spring_launch.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def whatif_json(plan, *args):
    out = os.path.join(tmpdir("same-whatif"), "w.json")
    p = run("whatif", plan, *args, "--json", out, "--quiet")
    check(p.returncode == 0, "whatif %s: exit %d %s" % (args, p.returncode, p.stderr[-300:]))
    if p.returncode != 0:
        return None
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def scenario(data, budget, rate):
    for s in data["scenarios"]:
        pr = s["params"]
        if close(pr.get("budget", 450000), budget) and close(pr.get("inflation", 0.09), rate):
            return s
    return None


def compare(label, alone, s):
    check(s is not None and s["status"] == "optimal", "%s: scenario missing or not optimal" % label)
    if s is None:
        return
    want = {c["name"]: c["spend"] for c in alone["channels"]}
    got = {c["name"]: c["spend"] for c in s["channels"]}
    total = sum(want.values())
    for name, v in want.items():
        check(abs(got[name] - v) <= TOL * total,
              "%s: %s spends %.9g, alone %.9g" % (label, name, got[name], v))
    check(close(s["objective"]["value"], alone["objective"]["value"]),
          "%s: objective %.12g, alone %.12g" % (label, s["objective"]["value"],
                                                 alone["objective"]["value"]))
    for k, v in alone["kpis"].items():
        if isinstance(v, (int, float)) and k in s["kpis"]:
            check(close(s["kpis"][k], v), "%s: %s %.12g, alone %.12g" % (label, k, s["kpis"][k], v))


REFINED = """
[plan]
budget = %d
start = 2027-03-01
periods = 4
objective = max conversions
precision = 2%%

[channel "h"]
type = curve
curve = hill
beta = 1000
ec = 20000
slope = 0.3

[channel "b"]
type = curve
curve = exp
beta = 1000
k = 50000

[channel "m"]
type = curve
curve = michaelis-menten
beta = 900
k = 30000
"""


def refined_plans():
    """Coarse curves (precision 2 %) that the default gap (0.1 %) refines: a
    scenario is refined in a sweep as it is alone, and the next scenario
    starts from the curves as built."""
    d = tmpdir("same-refined")
    plan = os.path.join(d, "plan.ini")
    with open(plan, "w", encoding="utf-8") as f:
        f.write(REFINED % 100000)
    sweeps = {"warm": whatif_json(plan, "--vary", "budget=50k..150k/25k"),
              "cold": whatif_json(plan, "--vary", "budget=50k..150k/25k", "--cold"),
              "reversed": whatif_json(plan, "--vary", "budget=150k,125k,100k,75k,50k")}
    for budget in (50000, 100000, 150000):
        one = os.path.join(d, "alone-%d.ini" % budget)
        with open(one, "w", encoding="utf-8") as f:
            f.write(REFINED % budget)
        p, alone = optimize_json(one)
        check(p.returncode == 0 and alone is not None, "refined alone %d: exit %d" % (budget,
                                                                                       p.returncode))
        if alone is None:
            continue
        check(alone["objective"]["gap"] <= 0.001, "refined alone %d: gap %g above the default 0.1 %%"
              % (budget, alone["objective"]["gap"]))
        for label, data in sweeps.items():
            if data is not None:
                compare("refined plan, %s sweep at %d" % (label, budget), alone,
                        scenario(data, budget, 0.09))


def methods_agree(base):
    """The default method (the LP solved from its curves and row prices) and
    --method direct (GLPK on the whole LP) give the same plan."""
    p, auto = optimize_json(base)
    p2, direct = optimize_json(base, "--method", "direct")
    check(p.returncode == 0 and p2.returncode == 0, "optimize: exit %d / %d" % (p.returncode,
                                                                                p2.returncode))
    if auto is not None and direct is not None:
        compare("default method against --method direct", direct,
                {"status": auto["status"], "channels": auto["channels"],
                 "objective": auto["objective"], "kpis": auto["kpis"]})


def main():
    base = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
    methods_agree(base)
    runs = {
        "one-axis inflation sweep": ["--vary", "inflation=0%..20%/2.5%"],
        "one-axis inflation sweep, cold": ["--vary", "inflation=0%..20%/2.5%", "--cold"],
        "two-axis grid": ["--vary", "budget=300k..600k/50k", "--vary", "inflation=0%,10%,20%"],
        "two-axis grid, cold": ["--vary", "budget=300k..600k/50k", "--vary", "inflation=0%,10%,20%",
                                "--cold"],
        "budget sweep": ["--vary", "budget=150k..900k/50k"],
    }
    results = {label: whatif_json(base, *args) for label, args in runs.items()}
    # the scenarios each run holds, checked against the plan optimised alone
    points = {(450000, 0.10): ["one-axis inflation sweep", "one-axis inflation sweep, cold",
                               "two-axis grid", "two-axis grid, cold"],
              (300000, 0.20): ["two-axis grid", "two-axis grid, cold"],
              (600000, 0.0): ["two-axis grid"],
              (450000, 0.09): ["budget sweep"],
              (250000, 0.09): ["budget sweep"]}
    for (budget, rate), labels in points.items():
        d = tmpdir("same-alone")
        p, alone = optimize_json(spring_copy(d, budget, rate))
        check(p.returncode == 0 and alone is not None,
              "alone %s/%s: exit %d %s" % (budget, rate, p.returncode, p.stderr[-300:]))
        if alone is None:
            continue
        for label in labels:
            if results[label] is not None:
                compare("%s at %d / %g%%" % (label, budget, rate * 100), alone,
                        scenario(results[label], budget, rate))
    refined_plans()
    done()


if __name__ == "__main__":
    main()
