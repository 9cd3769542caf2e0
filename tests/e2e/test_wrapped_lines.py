"""Sentences that could pass 100 columns are wrapped at 100 under
themselves: a what-if run's "P10–P90:" and "marginal/kEUR is n/a" lines
(a plan chosen for the bad draws over ranges), and optimize's "on the
margin:" line of a plan with many channels on the margin and each channel's
line of what stops it. Every such line fits in 100 characters, and read
back as one (the continuation's indent dropped) it is the whole sentence:
the channels on the margin are the JSON's, in plan order, the bands line
the catalogue's sentence written out here. The spring example's objective,
kpis and limit reached lines wrap too (every line of its summary within
100 columns; read whole, the kpis are the JSON's and there is a limit line
for each binding row of the JSON), and a what-if table whose heading row
would pass 100 columns even one column apart (risk = cvar with a CPA cap in
every draw) moves its unspent column under the media shares."""
import json
import os
import re

from mpcommon import *

d = tmpdir("wrapped_lines")
COLS = 100


def unwrap(text, indent):
    """Lines as printed before wrapping: a line indented by indent more
    than the previous line's text joins it."""
    return re.sub(r"\n" + " " * indent + r"(?=\S)", " ", text)


# ---- what-if: a plan chosen for the bad draws of ranges (low, base, high)
risky = write(os.path.join(d, "risky.ini"), curve_plan(
    {"name": "wrapped", "budget": "600k", "start": "2027-03-01", "periods": 4,
     "objective": "max conversions", "risk": "cvar 10%"},
    {"meta": {"curve": "hill", "beta": "900 ± 15%", "max_spend": "250k"}, "youtube": "logistic"}))
p = run("whatif", risky, "--vary", "budget=400k..800k/100k")
check(p.returncode == 0, f"whatif: exit {p.returncode} {p.stderr}")
head = p.stdout.split("\n\n", 1)[0]  # the lines above the table
check(all(len(l) <= COLS for l in head.splitlines()), f"whatif: within {COLS} columns:\n{head}")
said = unwrap(head, 2).splitlines()
bands = ("P10–P90: the conversions each scenario's plan brings at the worst and at the best of "
         "the ranges' low, base and high points, weighted 1/6, 2/3 and 1/6; the other figures "
         "are expected, the mean over the three")
unpriced = ("marginal/kEUR is n/a: a plan chosen for the bad draws, or holding its constraints "
            "in every draw, has no single price for more budget; read the gain from one "
            "budget's row to the next")
check(len(bands) > COLS and bands in said, f"whatif: the bands line, wrapped:\n{head}")
check(len(unpriced) > COLS and unpriced in said, f"whatif: the n/a line, wrapped:\n{head}")

# ---- optimize: ten channels alike, all on the margin, and one held by its cap
chans = "".join(f'\n[channel "channel-number-{i:02d}"]\ntype = curve\ncurve = exp\n'
                f"beta = {1000 + 10 * i}\nk = 40k\nvalue = 85\n" for i in range(10))
chans += '\n[channel "capped"]\ntype = curve\ncurve = exp\nbeta = 5000\nk = 40k\nmax_spend = 10k\n'
many = write(os.path.join(d, "many.ini"), "[plan]\nname = many\nbudget = 500k\n"
             "start = 2027-03-01\nperiods = 1\nobjective = max conversions\n" + chans)
js = os.path.join(d, "many.json")
p = run("optimize", many, "--json", js)
check(p.returncode == 0, f"optimize: exit {p.returncode} {p.stderr}")
section = p.stdout.split("what stops each channel:\n", 1)[-1].split("\n\n", 1)[0]
check(all(len(l) <= COLS for l in section.splitlines()),
      f"optimize: what stops each channel within {COLS} columns:\n{section}")
margin = [l for l in unwrap(section, 4).splitlines() if l.startswith("  on the margin: ")]
names = [c["name"] for c in json.load(open(js))["channels"] if c["limit"]["reason"] == "none"]
check(len(names) == 10 and len(margin) == 1
      and margin[0].startswith(f"  on the margin: {', '.join(names)} (next euro returns ")
      and len(margin[0]) > COLS,
      f"optimize: the margin line names the JSON's {names}, wrapped:\n{section}")

# ---- optimize: the spring example, every line within 100 columns
js = os.path.join(d, "spring.json")
p = run("optimize", os.path.join(SRC, "datasets", "examples", "spring_launch.ini"), "--json", js)
check(p.returncode == 0, f"spring: exit {p.returncode} {p.stderr}")
check(all(len(l) <= COLS for l in p.stdout.splitlines()), f"spring: within {COLS} columns:\n{p.stdout}")
said = unwrap(p.stdout, 2).splitlines()
j = json.load(open(js))
kpi = [l for l in said if l.startswith("kpis: ")]
want = (f"kpis: impressions {j['kpis']['impressions']:,.0f}, clicks {j['kpis']['clicks']:,.0f}, "
        f"conversions {j['kpis']['conversions']:,.0f}, revenue {j['kpis']['revenue']:,.0f} EUR, "
        f"GRP {j['kpis']['grp']:,.1f}, reach {j['kpis']['reach']:,.0f} people, "
        f"CO2e {j['kpis']['co2']:,.0f} kg")
check(len(want) > COLS and kpi == [want], f"spring: the kpis line, wrapped:\n{p.stdout}\nwant {want}")
limits = [l for l in said if l.startswith("limit reached: ")]
binding = [c["name"] for c in j["constraints"] if c["binding"]]
check(len(limits) == len(binding) == 2 and any(len(l) > COLS for l in limits)
      and limits[0].startswith(f"limit reached: the budget of {j['plan']['budget']:,.0f} EUR — ")
      and limits[0].endswith(" where cpa takes over)")
      and limits[1].startswith("limit reached: competitor-cap <= 2,000 EUR — ")
      and limits[1].endswith(", where it is no longer reached)"),
      f"spring: a whole limit line for each of the JSON's binding rows {binding}:\n{p.stdout}")
objective = [l for l in said if l.startswith("objective: ")]
check(len(objective) == 1 and objective[0].endswith(" of the exact optimum, certified)"),
      f"spring: the objective line read whole:\n{p.stdout}")

# ---- what-if: cvar 10%, a CPA cap in every draw, an MMM channel: a wide table
robyn = os.path.join(SRC, "datasets", "robyn")
wide = write(os.path.join(d, "wide.ini"), curve_plan(
    {"name": "wide", "budget": "600k", "start": "2027-03-01", "periods": 13,
     "objective": "max conversions", "risk": "cvar 10%"},
    {"meta": {"type": "curve", "robyn": os.path.join(robyn, "RobynModel-3_152_4.json"),
              "robyn_channel": "facebook_S", "robyn_data": os.path.join(robyn, "dt_input_weekly.csv"),
              "max_spend": "250k", "value": 85},
     "tf1": {"type": "tv", "cpp": 5200, "response": "hill", "beta": "620 ± 15%", "ec": 45000,
             "slope": 1, "value": 85},
     "youtube": "logistic"}) + '\n[constraint "cpa"]\nexpr = cpa <= 38\nmust_hold = all\n')
js = os.path.join(d, "wide.json")
p = run("whatif", wide, "--vary", "budget=400k..800k/100k", "--json", js)
check(p.returncode == 0, f"wide whatif: exit {p.returncode} {p.stderr}")
check(all(len(l) <= COLS for l in p.stdout.splitlines()), f"wide whatif: within {COLS} columns:\n{p.stdout}")
lines = p.stdout.splitlines()
head = [l for l in lines if l.startswith("budget ")]
check(len(head) == 1 and "unspent" not in head[0] and "spend EUR" in head[0],
      f"wide whatif: the table's heading without its unspent column:\n{p.stdout}")
under = lines.index("share of spend by media, and the budget left unspent:") \
    if "share of spend by media, and the budget left unspent:" in lines else -1
rows = [l.split() for l in lines[under + 2:] if l.startswith("  ") and l.split()[0][0].isdigit()]
scen = json.load(open(js))["scenarios"]
check(under > 0 and lines[under + 1].rstrip().endswith("unspent EUR")
      and [r[-1] for r in rows] == [f"{max(s['params']['budget'] - s['kpis']['spend'], 0):,.0f}"
                                    for s in scen]
      and any(r[-1] != "0" for r in rows),
      f"wide whatif: the budget left unspent under the media shares, from the JSON's spends:\n{p.stdout}")
done()
