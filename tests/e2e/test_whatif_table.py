"""The what-if terminal tables fit in 100 columns and keep every figure: the
outcomes' table (status, objective, change, spend, unspent, cost per unit,
marginal) and under it the share of spend by media, one row per scenario
with a plan. Checked on a grid of two axes over the spring example's five
media, on the lead-generation example's constraint sweep (a long marginal
heading, an infeasible scenario) and in French; each media share against
the JSON's spend by media divided by the scenario's spend, computed here."""
import json
import os
import re
import subprocess

from mpcommon import *

d = tmpdir("whatif_table")
spring = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
leadgen = os.path.join(SRC, "datasets", "examples", "leadgen_b2b.ini")
MEDIA = ["search", "social", "tv", "radio", "press", "curve"]


def whatif(plan, *vary, lang=None):
    js = os.path.join(d, f"w{len(os.listdir(d))}.json")
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL",
                                                            "LC_MESSAGES")}
    env["LANG"] = lang or "C.UTF-8"
    args = [MIXPLAN, "whatif", plan, "--json", js]
    for v in vary:
        args += ["--vary", v]
    p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
    check(p.returncode == 0, f"{vary}: exit {p.returncode}: {p.stderr}")
    return p.stdout, json.load(open(js)) if p.returncode == 0 else {}


def tables(out):
    """The lines from the outcomes' heading to the end of the media table."""
    lines = out.splitlines()
    start = next((i for i, l in enumerate(lines) if "status" in l or "statut" in l), len(lines))
    title = next((i for i, l in enumerate(lines) if l.startswith(("share of spend by media:",
                                                                   "part de l'investissement"))),
                 len(lines))
    end = next((i for i in range(title, len(lines)) if not lines[i]), len(lines))
    return lines[start:end], lines[title + 1:end]


def number(text, sep):
    return float(text.replace(sep, "").replace(",", ".").replace("\u00a0%", "").rstrip("%"))


for vary, plan, lang, sep in (
        (["budget=400k..600k/100k", "inflation=0%,20%"], spring, None, ","),
        (["constraint:leads=500,700,900"], leadgen, None, ","),
        (["budget=400k..600k/100k", "inflation=0%,20%"], spring, "fr_FR.UTF-8", "\u202f")):
    out, data = whatif(plan, *vary, lang=lang)
    lines, media = tables(out)
    what = f"{vary} {lang or 'en'}"
    check(len(lines) > 5 and len(media) >= 2, f"{what}: both tables printed:\n{out}")
    wide = [l for l in lines if len(l) > 100 and not l.startswith("  ")]
    check(not wide, f"{what}: table lines within 100 columns: {wide}")
    # the media table: one row per scenario with a plan, each share as computed here
    solved = [s for s in data.get("scenarios", []) if s["status"] == "optimal"]
    rows = media[1:]
    check(len(rows) == len(solved), f"{what}: {len(rows)} media rows, {len(solved)} plans")
    present = [m for m in MEDIA if any(s["media"].get(m) for s in data["scenarios"]
                                       if s["status"] == "optimal") or
               data["base"]["media"].get(m) is not None and m in ("search", "social", "tv", "radio", "press")
               and any(c["type"] == m for c in data["base"]["channels"])]
    for row, s in zip(rows, solved):
        cells = re.findall(r"-?[\d\u202f,.]+(?:\u00a0)?%", row)
        spend = s["kpis"]["spend"]
        want = [100 * s["media"][m] / spend for m in present] + \
               [100 * s["media"]["digital"] / spend, 100 * s["media"]["offline"] / spend]
        got = [number(c, sep) for c in cells][-len(want):]  # after the axes' (an inflation in %)
        check(len(got) == len(want) and all(abs(g - w) <= 0.051 for g, w in zip(got, want)),
              f"{what}: media shares {got}, computed {[round(w, 2) for w in want]}: {row!r}")
done()
