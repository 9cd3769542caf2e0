"""Sentences that could pass 100 columns are wrapped at 100 under
themselves: a what-if run's "P10–P90:" and "marginal/kEUR is n/a" lines
(a plan chosen for the bad draws over ranges), and optimize's "on the
margin:" line of a plan with many channels on the margin and each channel's
line of what stops it. Every such line fits in 100 characters, and read
back as one (the continuation's indent dropped) it is the whole sentence:
the channels on the margin are the JSON's, in plan order, the bands line
the catalogue's sentence written out here."""
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
done()
