#!/usr/bin/env python3
"""Benchmark of uncertain curves: the spring example with its three curve
channels (tf1-prime hill, radio-national exp, press-daily michaelis-menten)
given as D aligned draws each (risk = mean), D = 0 (the plan as written),
100 and 1,000 by default. Each draw multiplies the channel's beta, and its
ec or k, by log-normal factors of a fixed seed (sd 15 % and 20 %). Prints
each run's wall time, CPU time and peak memory (getrusage of the child).

    python3 tests/bench/draws_bench.py [build/mixplan] [D ...]
    MP_RISK="cvar 10%" python3 tests/bench/draws_bench.py   # risk = cvar (or worst)

Not run by ctest: wall times on a shared machine are noise; compare
instruction counts (valgrind --tool=callgrind) for before and after."""
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIXPLAN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(SRC, "build",
                                                                                   "mixplan")
SIZES = [int(a) for a in sys.argv[2:]] or [0, 100, 1000]

# channel: (header, base values) of the spring example's curves
CURVES = {
    "tf1-prime": ("beta,ec", (620.0, 45000.0)),
    "radio-national": ("beta,k", (110.0, 12000.0)),
    "press-daily": ("beta,k", (160.0, 30000.0)),
}


def plan_with_draws(tmp, n):
    with open(os.path.join(SRC, "datasets", "examples", "spring_launch.ini"),
              encoding="utf-8") as f:
        text = f.read().replace("../", os.path.join(SRC, "datasets") + "/")
    if n == 0:
        return text
    rng = random.Random(20261129)
    for name, (header, (beta, scale)) in CURVES.items():
        path = os.path.join(tmp, f"{name}_{n}.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("draw," + header + "\n")
            for dr in range(n):
                f.write(f"{dr + 1},{beta * rng.lognormvariate(0, 0.15):.6g},"
                        f"{scale * rng.lognormvariate(0, 0.20):.6g}\n")
        text = text.replace(f'[channel "{name}"]\n', f'[channel "{name}"]\ndraws = {path}\n')
    risk = os.environ.get("MP_RISK", "mean")
    return text.replace("[plan]\n", f"[plan]\nrisk = {risk}\n", 1)


def main():
    tmp = tempfile.mkdtemp(prefix="draws-bench-")
    print("draws  wall_s  cpu_s  peak_MiB  objective")
    for n in SIZES:
        plan = os.path.join(tmp, f"spring_{n}.ini")
        with open(plan, "w", encoding="utf-8") as f:
            f.write(plan_with_draws(tmp, n))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run([MIXPLAN, "optimize", plan, "--json", "-", "--quiet"],
                           capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            print(n, "failed:", p.stderr.strip())
            continue
        import json
        obj = json.loads(p.stdout)["objective"]["value"]
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        # ru_maxrss of the children is the largest child's so far: each run is
        # larger than the one before, so it is this run's
        print(f"{n:5d}  {wall:6.2f}  {cpu:5.2f}  {after.ru_maxrss / 1024:8.1f}  {obj:.2f}")


if __name__ == "__main__":
    main()
