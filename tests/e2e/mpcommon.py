"""Helpers for the end-to-end tests: run the CLI, write plans, check figures.

Every expected figure in these tests is computed here, from closed forms,
greedy allocation, glpsol or scipy, never taken from mixplan's own output."""
import json
import os
import re
import subprocess
import sys
import tempfile

MIXPLAN = os.environ.get("MIXPLAN", "build/mixplan")
SRC = os.environ.get("MP_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
TMP = os.environ.get("MP_TMP", tempfile.gettempdir())

_failures = []
_checks = 0


def tmpdir(prefix):
    os.makedirs(TMP, exist_ok=True)
    return tempfile.mkdtemp(prefix=prefix, dir=TMP)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# With MP_VALGRIND set, runs go through valgrind: a memory error or a leak
# changes the exit code to 97, which no test expects. The gate samples with a
# stride: a test's first run and then one run in MP_VALGRIND_STRIDE (default
# 3) go through valgrind, the others run plain (they still run and are still
# checked). A test's runs repeat the same code paths with other figures, and
# under valgrind every run takes 20 to 50 times longer: the stride keeps the
# gate within about 10 minutes.
VALGRIND = ["valgrind", "-q", "--error-exitcode=97", "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect"] if os.environ.get("MP_VALGRIND") else []
VALGRIND_STRIDE = max(1, int(os.environ.get("MP_VALGRIND_STRIDE", "3")))
_runs = 0


def valgrind_sample(stride):
    """A test whose runs are many re-solves of the same few plans (finite
    differences, range ends, the same plan solved several ways) samples more
    sparsely under valgrind: one run in `stride` (or MP_VALGRIND_STRIDE, if
    larger). Its first run still goes through valgrind."""
    global VALGRIND_STRIDE
    VALGRIND_STRIDE = max(VALGRIND_STRIDE, stride)


def valgrind_prefix():
    """The valgrind command for this run when the gate samples it, else []."""
    global _runs
    _runs += 1
    return VALGRIND if (_runs - 1) % VALGRIND_STRIDE == 0 else []


def logical(text, cols=100):
    """The terminal's lines as written before they were wrapped at cols: a
    line two columns in joins the line above when that one's logical line
    starts at column 0 and its first word ("7 %" one word) would have
    reached column cols on the line above; lists under a heading and tables stay as printed."""
    out, last = [], ""
    for line in text.split("\n"):
        m = re.match(r"  ([^ ]+(?: %[^ ]*)?)", line)
        if (m and not line.startswith("   ") and out and out[-1][:1] not in ("", " ")
                and len(last) + 1 + len(m.group(1)) >= cols):  # it cuts before column cols
            out[-1] += " " + line[2:]
        else:
            out.append(line)
        last = line
    return "\n".join(out)


def run(*args, input_=None):
    return subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
                          input=input_, timeout=1800)


def optimize_json(plan_path, *extra):
    """Run optimize with --json to a fresh file of this test's own (never beside
    the plan: tests run in parallel and plans may be shared); returns
    (process, parsed JSON or None)."""
    fd, out = tempfile.mkstemp(prefix="result-", suffix=".json", dir=tmpdir("json"))
    os.close(fd)
    os.remove(out)
    p = run("optimize", plan_path, "--json", out, "--quiet", *extra)
    data = None
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            data = json.load(f)
    return p, data


def run_in(fr, *args):
    """mixplan in English (LANG and the like unset), or in French under
    LANG=fr_FR.UTF-8, as a planner's terminal runs it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    if fr:
        env["LANG"] = "fr_FR.UTF-8"
    return subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
                          env=env, timeout=600)


def exposures_pmf(imp, reach, universe, k):
    """P(0) .. P(k - 1) of a person's exposures to a channel (README,
    Effective frequency): the negative binomial of mean imp / universe and
    P(0) = 1 - reach / universe (its size by brentq), Poisson where no NBD
    reaches that many."""
    import math
    from scipy.optimize import brentq
    from scipy.stats import nbinom, poisson
    m, f = imp / universe, reach / universe
    if m <= 0 or f <= 0:
        return [1.0] + [0.0] * (k - 1)
    target = -math.log1p(-f)
    if target >= m * (1 - 1e-9):
        return [poisson.pmf(j, m) for j in range(k)]
    n = brentq(lambda n: n * math.log1p(m / n) - target, 1e-12, 1e12, xtol=1e-300, rtol=1e-15)
    return [nbinom.pmf(j, n, n / (n + m)) for j in range(k)]


def check(cond, what):
    global _checks
    _checks += 1
    if not cond:
        _failures.append(what)
        print("FAIL:", what, flush=True)


def close(actual, expected, tol, what):
    ok = actual is not None and abs(actual - expected) <= tol
    check(ok, f"{what}: got {actual!r}, expected {expected!r} +/- {tol:g}")


def done():
    print(f"{_checks - len(_failures)} passed, {len(_failures)} failed")
    sys.exit(1 if _failures else 0)


XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def sheet_part(z, name):
    """The path, inside the xlsx opened as zipfile z, of the sheet called
    name (found through the workbook and its relationships)."""
    import xml.etree.ElementTree as ET
    ns = XLSX_NS
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rid = next(s.get(f"{{{ns['r']}}}id") for s in book.iterfind("m:sheets/m:sheet", ns)
               if s.get("name") == name)
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def channel(data, name):
    for c in data["channels"]:
        if c["name"] == name:
            return c
    raise KeyError(name)


def exp_channels_plan(chans, budget):
    """A plan of `curve = exp` channels (name, beta, k) under a budget, and
    the most conversions that budget buys, in closed form: the equal
    marginals beta/k * exp(-x/k) = lambda, lambda found by bisection."""
    import math
    text = f"[plan]\nbudget = {budget:.0f}\nstart = 2027-03-01\nprecision = 0.01%\n"
    for n, beta, k in chans:
        text += f"[channel \"{n}\"]\ntype = curve\ncurve = exp\nbeta = {beta}\nk = {k}\n"
    lo, hi = 1e-9, 1.0
    for _ in range(200):
        lam = math.sqrt(lo * hi)
        spend = sum(max(0.0, k * math.log(b / (k * lam))) for _, b, k in chans)
        lo, hi = (lam, hi) if spend > budget else (lo, lam)
    most = sum(b * (1 - math.exp(-max(0.0, k * math.log(b / (k * lam))) / k))
               for _, b, k in chans)
    return text, most


def curve_plan(plan, channels, constraints=None):
    """A plan file's text: [plan] keys, then {name: keys} channels, then
    {name: expr} constraints. A channel given as the string "hill",
    "logistic" or "exp" (or such a dict with "curve" and extra keys) is one
    of three MMM curves of the README's curve model, worth 85 a conversion:
    a Hill curve (beta 900, ec 40,000), a logistic one (beta 900, lambda 2,
    scale 60,000) or an exp one (beta 100, k 50,000); its keys win."""
    base = {"hill": {"beta": 900, "ec": 40000, "slope": 1},
            "logistic": {"beta": 900, "lambda": 2, "scale": 60000},
            "exp": {"beta": 100, "k": 50000}}
    out = ["[plan]"] + [f"{k} = {v}" for k, v in plan.items()]
    for name, keys in channels.items():
        keys = {"curve": keys} if isinstance(keys, str) else keys
        if keys.get("curve") in base:
            keys = {"type": "curve", "curve": keys["curve"], **base[keys["curve"]], "value": 85,
                    **keys}
        out += ["", f'[channel "{name}"]'] + [f"{k} = {v}" for k, v in keys.items()]
    for name, expr in (constraints or {}).items():
        out += ["", f'[constraint "{name}"]', f"expr = {expr}"]
    return "\n".join(out) + "\n"


# Two channels with uncertain curves, for small plans with draws: "telly" (tv,
# a hill curve on its spend: beta x / (ec + x), draws tv.csv with beta,ec) and
# "web" (an exp curve: beta (1 - e^(-x / k)), draws web.csv with beta,k).
TWO_DRAW_CHANNELS = """[channel "telly"]
type = tv
cpp = 1500
curve = hill
slope = 1
draws = tv.csv

[channel "web"]
type = curve
curve = exp
draws = web.csv
"""


def fmt3(v, fr=False):
    """A return as the limit lines print it: three significant digits (French:
    a decimal comma and a narrow no-break space between thousands)."""
    d = next(d for d in (2, 1, 0) if d == 0 or float(f"{abs(v):.{d}f}") < 10 ** (3 - d))
    s = f"{v:,.{d}f}"  # the decimals of the rounded figure: 9.99995 is 10.0
    return s.replace(",", "\u202f").replace(".", ",") if fr else s


def held_cpa_plan(d, web_betas, radio_beta, cap, web_k=20000.0, radio_k=30000.0):
    """In folder d, a one-week plan of budget 200,000 maximising conversions:
    "web" an exp curve whose beta is a draws file of web_betas (a.csv),
    "radio1" an exp curve of beta radio_beta ("800", or "800 ± 20%"), and
    "cpa <= cap" held in every draw. Returns the plan's path."""
    write(os.path.join(d, "a.csv"), "beta\n" + "".join(f"{b:g}\n" for b in web_betas))
    return write(os.path.join(d, "plan.ini"), f"""[plan]
budget = 200000
start = 2027-03-01
periods = 1
objective = max conversions

[channel "web"]
type = curve
curve = exp
draws = a.csv
k = {web_k:g}

[channel "radio1"]
type = curve
curve = exp
beta = {radio_beta}
k = {radio_k:g}

[constraint "cpa"]
expr = cpa <= {cap:g}
must_hold = all
""")


# A booked plan of four weeks: whole TV spots of 7,000 (5 GRP each, in any
# week) and whole press insertions of 9,000, each with an exp response curve.
SPOTS_AND_INSERTIONS = """[plan]
name = Headline
budget = 100000
start = 2027-03-01
periods = 4
objective = max conversions

[channel "tf1"]
type = tv
spot_cost = 7000
grp_per_spot = 5
response = exp
beta = 900
response_k = 60k
flight = 1-4

[channel "daily"]
type = press
cpi = 9000
audience = 500k
readership = 1.5M
response = exp
beta = 450
response_k = 30k
"""

# Twelve weeks back to school at the least cost that reaches 15 % of 30 M
# people 3+ times over TV and social: TV in flights (weeks 3-6 and 9-11) of at
# least 40 GRP a week, two weeks at least.
BTS_EFFECTIVE = """[plan]
budget = 600k
start = 2027-08-02
periods = 12
period = week
objective = min cost
universe = 30M
effective_frequency = 3

[channel "meta"]
type     = social
cpm      = 7.5
ctr      = 1.2%
cvr      = 1.6%
audience = 2.5M

[channel "tf1"]
type         = tv
cpp          = 5200
rmax         = 85%
k            = 0.0058
response     = hill
beta         = 620
ec           = 45000
slope        = 1
min_grp      = 40
flight       = 3-6, 9-11
min_burst    = 2

[constraint "eff-3plus"]
expr = effective_reach(tf1, meta) >= 15%
"""

# A TV channel with a reach curve (80 % at most, k 0.006) and a social
# channel over an audience of 4 M, for plans with reach and effective reach.
TV_AND_SOCIAL = ('[channel "tf1"]\ntype = tv\ncpp = 4000\nrmax = 80%\nk = 0.006\n'
                 '[channel "meta"]\ntype = social\ncpm = 6\naudience = 4M\nctr = 1%\ncvr = 2%\n')

# A Keyword Planner export of one keyword ("running shoes", top-of-page bids
# 0.80 to 2.00 EUR, 15,500 searches in March 2026, the range ending May 31,
# 2026), for the search model's closed form in small plans.
ONE_KEYWORD_EXPORT = (
    "Keyword Stats 2026-06-15 at 21_38_13\n\"June 1, 2025 - May 31, 2026\"\n"
    "Keyword,Currency,Avg. monthly searches,Competition (indexed value),"
    "Top of page bid (low range),Top of page bid (high range),Searches: Jun 2025,"
    "Searches: Jul 2025,Searches: Aug 2025,Searches: Sep 2025,Searches: Oct 2025,"
    "Searches: Nov 2025,Searches: Dec 2025,Searches: Jan 2026,Searches: Feb 2026,"
    "Searches: Mar 2026,Searches: Apr 2026,Searches: May 2026\n"
    "running shoes,EUR,12000,60,0.80,2.00,10000,10000,10000,10000,10000,10000,10000,10000,"
    "10000,15500,10000,10000\n")


def booked_brief_a(objective="max conversions", plan_extra="", tail=""):
    """A planner's brief (review s23, brief (a)): 8 weeks of booked TV (tf1:
    flights 1-3 and 6-8, min_grp 40, min_burst 2, adstock 0.5, a hill), radio
    and press beside French running-shoe search (datasets/keywords), a 3+
    reach floor on TV and an offline share. plan_extra goes in [plan], tail
    after the last constraint."""
    DATA = os.path.join(SRC, "datasets")
    return f"""[plan]
name        = Rentrée 2027 booked
client      = Maison Lorient
currency    = EUR
budget      = 600k
start       = 2027-08-30
periods     = 8
objective   = {objective}
universe    = 20M
effective_frequency = 3
co2_factors = {DATA}/co2/factors.csv
inflation   = 9%
{plan_extra}
[channel "sea"]
type     = search
keywords = {DATA}/keywords/fr_running.csv
groups   = {DATA}/keywords/fr_running_groups.ini
ctr      = 4.5%
cvr      = 3.2%
value    = 85
max_cpc  = 1.2

[channel "tf1"]
type         = tv
cpp          = 5000
spot_cost    = 12500
grp_per_spot = 2.5
rmax         = 85%
k            = 0.0058
flight       = 1-3, 6-8
min_grp      = 40
min_burst    = 2
adstock      = 0.5
response     = hill
beta         = 700
ec           = 60000
slope        = 1
value        = 85

[channel "rtl"]
type         = radio
cpp          = 900
spot_cost    = 1800
grp_per_spot = 2
rmax         = 70%
k            = 0.004
flight       = 2-5
max_active_periods = 3
response     = exp
beta         = 150
response_k   = 15000
value        = 85

[channel "ouest-france"]
type           = press
cpi            = 15000
audience       = 700k
readership     = 1.5M
max_insertions = 2
response       = michaelis-menten
beta           = 180
response_k     = 30000
value          = 85

[constraint "tv-3plus"]
expr = effective_reach(tf1) >= 12%

[constraint "offline-share"]
expr = share(tv, radio, press) >= 40%
{tail}"""
