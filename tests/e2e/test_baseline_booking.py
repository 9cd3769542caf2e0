"""The current plan ([plan] baseline) against the booking rules of the
plan's booked channels: weeks outside a flight, spends that are not whole
spots or insertions, weeks under min_grp, over max_insertions, runs shorter
than min_burst, more weeks on air than max_active_periods. The breaks
expected are worked out here from the plan's keys (KEYS, written once and
put in the plan file from there) and the CSV's spends; mixplan's JSON
`baseline.booking`, its terminal `!` lines and the Summary sheet must name
exactly those. Also: the comparison's total row and CPA (both plans), the
unplaced note on the sheet, a min-CO2e plan's comparison said as better or
worse with its CO2e by channel, and the French words for the current plan."""
import os
import subprocess

import openpyxl
from mpcommon import *

d = tmpdir("baseline_booking")

# The booked channels' keys, as the plan file writes them (no inflation:
# a spot costs spot_cost and a GRP cpp in every week).
KEYS = {
    "tf1": {"type": "tv", "cpp": 5000, "spot_cost": 12500, "grp_per_spot": 2.5, "rmax": "85%",
            "k": 0.0058, "flight": "1-3, 6-8", "min_grp": 40, "min_burst": 2,
            "response": "hill", "beta": 700, "ec": 60000, "slope": 1, "co2": 60},
    "rtl": {"type": "radio", "cpp": 900, "spot_cost": 1800, "grp_per_spot": 2, "rmax": "70%",
            "k": 0.004, "flight": "2-5", "max_active_periods": 3, "response": "exp",
            "beta": 150, "response_k": 15000, "co2": 8},
    "ouest-france": {"type": "press", "cpi": 15000, "audience": "700k", "readership": "1.5M",
                     "max_insertions": 2, "response": "michaelis-menten", "beta": 180,
                     "response_k": 30000, "co2": 350},
    "mmm": {"type": "curve", "response": "exp", "beta": 2500, "k": 60000},
}
PERIODS = 8


def plan_file(name, csv_text, objective="max conversions", extra="", channels=tuple(KEYS)):
    write(os.path.join(d, name + ".csv"), csv_text)
    lines = ["[plan]", f"name = {name}", "budget = 600k", "start = 2027-08-30",
             f"periods = {PERIODS}", f"objective = {objective}", "universe = 20M",
             f"baseline = {name}.csv"]
    for ch in channels:
        keys = KEYS[ch]
        lines.append(f'[channel "{ch}"]')
        lines += [f"{k} = {v}" for k, v in keys.items()]
    return write(os.path.join(d, name + ".ini"), "\n".join(lines) + "\n" + extra)


def flight_weeks(text):
    weeks = set()
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        weeks |= set(range(int(a), int(b or a) + 1))
    return weeks


def expected_breaks(spends):
    """{(channel, period or None, rule): value} from KEYS and the spends
    {channel: {period: spend}}, rule by rule as the README states them."""
    out = {}
    for ch, k in KEYS.items():
        per = spends.get(ch, {})
        price = k.get("spot_cost", k.get("cpi"))
        unit = k.get("cpp", k.get("cpi"))
        if price is None:  # not booked
            continue
        for t, x in sorted(per.items()):
            if "flight" in k and t not in flight_weeks(k["flight"]):
                out[(ch, t, "flight")] = x
            units = x / price
            if abs(x - price * round(units)) > 0.5:
                out[(ch, t, "whole_units")] = units
            if x / unit < k.get("min_grp", 0):
                out[(ch, t, "min_grp")] = x / unit
            if units > k.get("max_insertions", float("inf")):
                out[(ch, t, "max_insertions")] = units
        on = [t for t in range(1, PERIODS + 1) if per.get(t, 0) > 0]
        runs = []
        for t in on:
            if runs and runs[-1][-1] == t - 1:
                runs[-1].append(t)
            else:
                runs.append([t])
        for r in runs:
            if len(r) < k.get("min_burst", 1):
                out[(ch, r[0], "min_burst")] = len(r)
        if len(on) > k.get("max_active_periods", PERIODS):
            out[(ch, None, "max_active_periods")] = len(on)
    return out


def csv_of(spends):
    rows = ["channel,period,spend"]
    rows += [f"{ch},{t},{x}" for ch, per in spends.items() for t, x in per.items()]
    return "\n".join(rows) + "\n"


def check_breaks(label, data, spends):
    want = expected_breaks(spends)
    got = {(b["channel"], b["period"], b["rule"]): b for b in data["baseline"]["booking"]}
    check(set(got) == set(want), f"{label}: booking breaks {sorted(got, key=str)}, "
          f"expected {sorted(want, key=str)}")
    for key, v in want.items():
        if key in got:
            close(got[key]["value"], v, 1e-9 * (1 + abs(v)), f"{label}: {key} value")
    return want


def solve(label, spends):
    """Optimise the plan with the current plan spends, with a workbook: its
    JSON (None on failure), the breaks expected and the workbook's path."""
    ini = plan_file(label, csv_of(spends))
    book = os.path.join(d, label + ".xlsx")
    p, data = optimize_json(ini, "-o", book)
    check(p.returncode == 0 and data, f"{label}: exit {p.returncode}: {p.stderr}")
    return ini, book, data, check_breaks(label, data, spends) if data else {}


# ---- the reviewer's shape: TV off its flight in weeks 4-5 (100,001 EUR is
# 8.00008 spots), radio off its flight in week 7, half a press insertion ----
off = {"tf1": {4: 100001, 5: 90000}, "rtl": {7: 5000}, "ouest-france": {2: 7500}}
ini, book, data, want = solve("offflight", off)
if data:
    check(("tf1", 4, "whole_units") in want and ("tf1", 5, "min_grp") in want,
          "offflight: the test's plan breaks whole spots and min_grp")
    t = run("optimize", ini).stdout
    for line in ("! the current plan books tf1 in week 4, outside its flight (1-3, 6-8)",
                 "! the current plan books tf1 in week 4 for 100,001 EUR: 8.00008 spots at "
                 "12,500 EUR, not a whole number",
                 "! the current plan books tf1 in week 5 for 18 GRP, under min_grp = 40",
                 "! the current plan books rtl in week 7, outside its flight (2-5)",
                 "! the current plan books ouest-france in week 2 for 7,500 EUR: 0.5 insertions "
                 "at 15,000 EUR, not a whole number"):
        check(line in t.splitlines(), f"offflight: terminal says {line!r}:\n{t}")
    marks = [l for l in t.splitlines() if l.startswith("! the current plan books ")
             or l.startswith("! the current plan airs ")]
    check(len(marks) == len(want), f"offflight: one terminal line a break: {marks}")
    cells = [r for r in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True)]
    sheet = [r[0] for r in cells if isinstance(r[0], str) and (
        r[0].startswith("! the current plan books ") or r[0].startswith("! the current plan airs "))]
    check(sheet == marks, f"offflight: the Summary sheet marks the same breaks: {sheet}")

# ---- runs, weeks on air, the press cap: TV one week alone under min_grp,
# radio four weeks (max_active_periods 3), three insertions in a week (max 2),
# whose third is left out (unplaced) ---------------------------------------
runs = {"tf1": {1: 100000}, "rtl": {2: 3600, 3: 3600, 4: 3600, 5: 3600},
        "ouest-france": {3: 45000}, "mmm": {1: 20000, 2: 20000}}
ini, book, data, want = solve("runs", runs)
if data:
    check({("tf1", 1, "min_burst"), ("rtl", None, "max_active_periods"),
           ("ouest-france", 3, "max_insertions")} <= set(want), "runs: the test's plan breaks them")
    b = data["baseline"]
    press = next(c for c in b["channels"] if c["name"] == "ouest-france")
    close(press["unplaced"], 45000 - 2 * 15000, 1e-6, "runs: the third insertion is left out")
    t = run("optimize", ini).stdout.splitlines()
    for line in ("! the current plan airs tf1 for 1 week from week 1, fewer than min_burst = 2 "
                 "in a row",
                 "! the current plan airs rtl in 4 weeks, over max_active_periods = 3",
                 "! the current plan books ouest-france in week 3 for 3 insertions, over "
                 "max_insertions = 2"):
        check(line in t, f"runs: terminal says {line!r}")
    # the total row and the CPA of both plans: the sums of the channels' figures
    spend0 = sum(c["spend"] for c in b["channels"])
    conv0 = sum(c["kpis"]["conversions"] for c in b["channels"])
    spend1 = sum(c["spend"] for c in data["channels"])
    conv1 = sum(c["kpis"]["conversions"] for c in data["channels"])
    close(spend0, sum(sum(v.values()) for v in runs.values()) - 15000, 1e-6,
          "runs: the current plan's placed spend")
    total = next((l for l in t if l.startswith("total ") and "->" in l), "")
    check(f"{spend0:,.0f} ->" in total and f"{spend1:,.0f}" in total,
          f"runs: terminal total row has both spends: {total!r}")
    cpa = f"  CPA (cost per conversion) {spend0 / conv0:,.2f} -> {spend1 / conv1:,.2f} EUR"
    check(cpa in t, f"runs: terminal says {cpa!r}")
    cells = [r for r in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True)]
    row = next((r for r in cells if r[0] == "total" and r[3] is not None), None)
    check(row is not None, "runs: the sheet's comparison has a total row")
    if row:
        close(row[1], spend0, 1e-6, "runs: sheet total current spend")
        close(row[2], spend1, 1e-6, "runs: sheet total optimised spend")
        close(row[3], conv0, 1e-6 * conv0, "runs: sheet total current conversions")
        close(row[4], conv1, 1e-6 * conv1, "runs: sheet total optimised conversions")
    row = next((r for r in cells if r[0] == "CPA (EUR)"), None)
    check(row is not None, "runs: the sheet's comparison has a CPA row")
    if row:
        close(row[1], spend0 / conv0, 1e-9 * spend0, "runs: sheet current CPA")
        close(row[2], spend1 / conv1, 1e-9 * spend1, "runs: sheet optimised CPA")
    note = "ouest-france: 15,000 EUR more of the current plan finds nothing left to buy in its " \
           "periods and is left out"
    check(any(r[0] == note for r in cells), f"runs: the sheet says what is left out: {note!r}")

# ---- a plan the booking rules allow: no break, and the sheet says so -------
fine = {"tf1": {1: 200000, 2: 262500}, "rtl": {2: 3600, 3: 5400}, "ouest-france": {2: 15000}}
ini, book, data, want = solve("fine", fine)
if data:
    check(want == {}, "fine: the test's plan keeps every booking rule")
    check(data["baseline"]["booking"] == [], f"fine: no break: {data['baseline']['booking']}")
    cells = [r for r in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True)]
    check(any(r[0] == "The current plan meets every constraint and booking rule of the plan"
              for r in cells), "fine: the sheet says the current plan keeps every rule")

# ---- min CO2e: better or worse said in words, CO2e by channel ---------------
# A min plan's "+" is more of what it cuts: worse. Two current plans: TV and
# press (emits more than the optimised plan), and radio alone (emits less,
# but misses the floor). A channel's CO2e is its GRP (or insertions) times
# its factor, worked out here from the spends.
for label, co2, now in (("co2", {"tf1": {1: 200000, 2: 200000}, "ouest-france": {2: 15000}},
                         400000 / 5000 * 60 + 1 * 350),
                        ("co2_low", {"rtl": {2: 5400, 3: 5400, 4: 5400}}, 16200 / 900 * 8)):
    ini = plan_file(label, csv_of(co2), "min co2",
                    '[constraint "floor"]\nexpr = conversions >= 1200\n',
                    ("tf1", "rtl", "ouest-france"))
    p, data = optimize_json(ini)
    check(p.returncode == 0 and data, f"{label}: exit {p.returncode}: {p.stderr}")
    if not data:
        continue
    close(data["baseline"]["objective"], now, 1e-6 * now, f"{label}: the current plan's kg CO2e")
    t = run("optimize", ini).stdout.splitlines()
    head = next((l for l in t if l.startswith(f"against the current plan ({label}.csv)")), "")
    word = "worse" if data["objective"]["value"] > now else "better"
    check(head.endswith(f": the optimised plan does {word}"), f"{label}: says {word}: {head!r}")
    check(f"{now:,.1f} -> " in head and "kg CO2e" in head, f"{label}: head in kg CO2e: {head!r}")
    cols = next((l for l in t if l.startswith("channel ") and "now -> optimised" in l), "")
    check("kg CO2e now -> optimised" in cols, f"{label}: the comparison shows CO2e: {cols!r}")
    table = next((l for l in t if l.startswith("channel ") and "type" in l), "")
    check("kg CO2e" in table, f"{label}: the channel table has a CO2e column: {table!r}")
    for name, factor, unit in (("tf1", 60, 5000), ("rtl", 8, 900), ("ouest-france", 350, 15000)):
        kg0 = sum(co2.get(name, {}).values()) / unit * factor
        kg1 = channel(data, name)["spend"] / unit * factor
        row = next((l for l in t if l.startswith(name + " ") and "->" in l), "")
        check(row.split()[-3:] == [f"{kg0:,.0f}", "->", f"{kg1:,.0f}"],
              f"{label}: {name}'s CO2e {kg0:,.0f} -> {kg1:,.0f} in {row!r}")
        row = next((l for l in t if l.startswith(name + " ") and "%" in l and "->" not in l), "")
        check(f"{kg1:,.0f}" == row.split()[-2], f"{label}: {name}'s CO2e in its row {row!r}")
    if label == "co2_low":
        check(word == "worse", "co2_low: the radio-only plan emits less than any meeting the floor")

# ---- French: "plan actuel" for the current plan, nowhere "référence" -------
ini = os.path.join(d, "runs.ini")
fr_book = os.path.join(d, "runs_fr.xlsx")
env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
p = subprocess.run([*valgrind_prefix(), MIXPLAN, "optimize", ini, "--lang", "fr", "-o", fr_book],
                   capture_output=True, text=True, env={**env, "LANG": "fr_FR.UTF-8"}, timeout=600)
check(p.returncode == 0, f"French: {p.stderr}")
check("référence" not in p.stdout, f"French terminal: no 'référence':\n{p.stdout}")
check("! le plan actuel diffuse rtl sur 4 semaines, plus que max_active_periods = 3"
      in p.stdout.splitlines(), f"French terminal: the break in French:\n{p.stdout}")
texts = [c for r in openpyxl.load_workbook(fr_book)["Synthèse"].iter_rows(values_only=True)
         for c in r if isinstance(c, str)]
check(not any("référence" in x for x in texts), "French sheet: no 'référence'")
check("Plan actuel (runs.csv) vs optimisé" in texts, "French sheet: the table is the plan actuel's")

done()
