"""The command line: help, version, usage errors and exit codes."""
import os

from mpcommon import *

p = run("--help")
check(p.returncode == 0 and "usage: mixplan" in p.stdout and "export-lp" in p.stdout, "--help")
p = run("--version")
check(p.returncode == 0 and p.stdout.startswith("mixplan "), "--version")
for args, code, text in [
    ((), 2, "no command given"),
    (("frobnicate", "x.ini"), 2, "unknown command"),
    (("optimize",), 2, "no plan file given"),
    (("optimize", "a.ini", "--bogus"), 2, "unknown option --bogus"),
    (("optimize", "a.ini", "-o"), 2, "needs a value"),
    (("optimize", "a.ini", "--time-limit", "soon"), 2, "--time-limit"),
    (("export-lp", "a.ini"), 2, "export-lp needs -o"),
    (("optimize", "/nonexistent/plan.ini"), 3, "/nonexistent/plan.ini: cannot open"),
]:
    p = run(*args)
    check(p.returncode == code, f"{args}: exit {p.returncode}, expected {code}")
    check(text in p.stderr, f"{args}: message {p.stderr!r} lacks {text!r}")

plan = os.path.join(SRC, "datasets", "examples", "mmm_curves.ini")
d = tmpdir("cli")
p = run("validate", plan)
check(p.returncode == 0 and "valid" in p.stdout, f"validate: {p.stdout} {p.stderr}")
p = run("optimize", plan, "-o", os.path.join(d, "missing", "out.xlsx"))
check(p.returncode == 4 and "does not exist" in p.stderr, f"missing output dir: {p.stderr}")
ro = os.path.join(d, "ro")
os.mkdir(ro)
os.chmod(ro, 0o555)
if os.geteuid() != 0:  # root writes anywhere
    p = run("optimize", plan, "-o", os.path.join(ro, "out.xlsx"))
    check(p.returncode == 4 and "not writable" in p.stderr, f"read-only dir: {p.stderr}")
# Options after the plan, JSON on standard output, summary moved to stderr.
p = run("optimize", plan, "--json", "-")
check(p.returncode == 0 and p.stdout.lstrip().startswith("{") and "objective:" in p.stderr,
      "JSON on stdout, summary on stderr")
p = run("optimize", "-q", plan)
check(p.returncode == 0 and p.stdout == "", "--quiet prints nothing")
p = run("optimize", plan)
check("objective: max revenue ->" in p.stdout and "limit reached:" in p.stdout, "terminal summary")

# A time limit too short for the LP: never a plan that breaks a constraint.
big = write(os.path.join(d, "big.ini"), open(os.path.join(SRC, "datasets", "examples",
                                                          "spring_launch.ini")).read()
            .replace("periods     = 13", "periods     = 52")
            .replace("../", os.path.join(SRC, "datasets") + "/"))
out = os.path.join(d, "tl.json")
p = run("optimize", big, "--method", "direct", "--time-limit", "0.001", "--json", out, "-q")
if p.returncode == 4:
    check("time limit ran out before a plan meeting every constraint" in p.stderr
          or "time limit ran out while the response curves were being built" in p.stderr,
          f"time limit message: {p.stderr}")
    check(not os.path.exists(out), "no JSON for a run that found no plan")
else:
    data = __import__("json").load(open(out))
    check(p.returncode == 0 and data["status"] in ("time_limit", "optimal"), "a plan or an error")
    spend = sum(c["spend"] for c in data["channels"])
    check(spend <= 450000 * (1 + 1e-6), "a time-limited plan keeps the budget")
# export-lp solves as optimize does and takes its solve options, parsed by the
# same code: accepted, and a bad value gets optimize's message and exit code
lp = os.path.join(d, "opts.lp")
p = run("export-lp", plan, "-o", lp, "--time-limit", "0.5", "--method", "direct", "--gap", "0.5%")
check(p.returncode == 0 and os.path.exists(lp) and "columns" in p.stdout,
      f"export-lp with --time-limit, --method, --gap: {p.returncode} {p.stderr}")
for bad, code in ((("--method", "fast"), 2), (("--time-limit", "soon"), 2),
                  (("--time-limit", "0"), 2), (("--gap", "lots"), 3)):
    o = run("optimize", plan, *bad)
    e = run("export-lp", plan, "-o", os.path.join(d, "bad.lp"), *bad)
    check(o.returncode == code and e.returncode == code, f"{bad}: exit {o.returncode} / {e.returncode}")
    check(e.stderr == o.stderr and e.stderr, f"{bad}: {e.stderr!r} is not optimize's {o.stderr!r}")
    check(not os.path.exists(os.path.join(d, "bad.lp")), f"{bad}: no LP written")
done()
