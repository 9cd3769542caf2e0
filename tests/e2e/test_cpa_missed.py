"""A CPA cap the plan misses on the exact figures, by a hair, said in the
cap's own unit: the warning gives the plan's CPA and how far over the cap it
is, in EUR, not the missed amount of spend less 70 x conversions. The figure
is checked against spend / conversions of the plan's JSON totals (the cap
covers every channel), and the overshoot against that less the cap; in French
with a decimal comma. The plan is a 12-week back-to-school brief with booked
TV, radio and press, a share floor on them and the cap, which the whole spots
and insertions leave just over the cap."""
import json
import os
import re
import subprocess

from mpcommon import *

d = tmpdir("cpa_missed")
CAP = 70.0
PLAN = f"""; Rentrée 2027 — 12 weeks back-to-school for a sports retailer
[plan]
name        = Rentree 2027
client      = Sport Ecole
currency    = EUR
budget      = 600k
start       = 2027-08-02
periods     = 12
period      = week
objective   = max conversions
universe    = 30M
inflation   = 9%
co2_factors = {SRC}/datasets/co2/factors.csv

[channel "google-search"]
type     = search
keywords = {SRC}/datasets/keywords/fr_running.csv
groups   = {SRC}/datasets/keywords/fr_running_groups.ini
ctr      = 4.5%
cvr      = 3.2%
value    = 85
max_cpc  = 1.5

[channel "meta"]
type     = social
cpm      = 7.5
ctr      = 1.2%
cvr      = 1.6%
value    = 85
audience = 2.5M
adstock  = 0.4

[channel "tf1"]
type         = tv
cpp          = 5200
rmax         = 85%
k            = 0.0058
response     = hill
beta         = 620
ec           = 45000
slope        = 1
value        = 85
min_grp      = 40
flight       = 3-6, 9-11
min_burst    = 2

[channel "rtl"]
type         = radio
spot_cost    = 1800
grp_per_spot = 2
rmax         = 70%
k            = 0.004
response     = exp
beta         = 110
response_k   = 12000
value        = 85

[channel "le-parisien"]
type           = press
cpi            = 18000
audience       = 1.2M
readership     = 2.6M
max_insertions = 2
response       = michaelis-menten
beta           = 160
response_k     = 30000
value          = 85

[constraint "offline-share"]
expr = share(tv, radio, press) >= 30%

[constraint "cpa"]
expr = cpa <= 70
"""
NB = "\u00a0"
plan = write(os.path.join(d, "bts.ini"), PLAN)


def run_in(locale, out):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = locale
    return subprocess.run([*valgrind_prefix(), MIXPLAN, "optimize", plan, "--json", out],
                          capture_output=True, text=True, env=env, timeout=600)


def num(s, comma):
    s = s.replace("\u202f", "").replace(NB, "")
    return float(s.replace(",", ".") if comma else s.replace(",", ""))


def decimals(s, comma):
    sep = "," if comma else "."
    return len(s.split(sep)[1]) if sep in s else 0


EN = re.compile(r'constraint "cpa" \(cpa <= 70\): the plan\'s CPA: ([0-9.,]+) EUR, ([0-9.,]+) EUR '
                r"over the ([0-9.,]+) EUR cap \(its curves' straight-line model meets it\)")
FR = re.compile(r"contrainte «" + NB + r"cpa" + NB + r"» \(cpa <= 70\)" + NB + r": CPA du plan" + NB +
                r": ([0-9,\u202f]+) EUR, soit ([0-9,\u202f]+) EUR au-dessus du plafond de "
                r"([0-9,\u202f]+) EUR")

for locale, rx, comma in (("C.UTF-8", EN, False), ("fr_FR.UTF-8", FR, True)):
    out = os.path.join(d, f"bts-{locale}.json")
    p = run_in(locale, out)
    check(p.returncode == 0, f"{locale}: exit {p.returncode}: {p.stderr}")
    with open(out, encoding="utf-8") as f:
        data = json.load(f)
    cpa = data["kpis"]["spend"] / data["kpis"]["conversions"]
    check(cpa > CAP, f"the plan is over the cap on the exact figures: {cpa}")
    m = rx.search(p.stderr)
    check(m is not None, f"{locale}: the warning in the cap's unit:\n{p.stderr}")
    if not m:
        continue
    fig, over, cap = m.group(1), m.group(2), m.group(3)
    half = 0.5 * 10 ** -decimals(fig, comma)
    close(num(fig, comma), cpa, half + 1e-12, f"{locale}: the CPA the warning gives")
    close(num(over, comma), cpa - CAP, half + 1e-12, f"{locale}: how far over the cap")
    check(num(over, comma) > 0 and num(cap, comma) == CAP, f"{locale}: {over} over {cap}")
    check(decimals(fig, comma) == decimals(over, comma) and decimals(fig, comma) <= 9,
          f"{locale}: figure and overshoot to the same decimals: {fig} {over}")
    check(("," in fig) == comma and ("." in fig) != comma, f"{locale}: decimal sign of {fig}")
    jw = [w for w in data["warnings"] if "cpa <= 70" in w]
    check(len(jw) == 1 and m.group(0) in jw[0], f"{locale}: the JSON warning says the same: {jw}")

done()
