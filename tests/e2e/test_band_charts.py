"""The workbook's charts of a plan with draws, read from the xlsx's chart XML.

- Summary: the plan's P10-P90 band and the channels' on charts of their own,
  each a floating stacked column (an invisible floor at P10, then P10 to P50
  and P50 to P90) on a value axis that does not start at 0 but below the
  lowest P10; the figures they read (folded-away cells) are checked against
  closed forms: with three-point ranges beta +- p (low, base, high weighted
  1/6, 2/3, 1/6, aligned), a channel's P10, P50, P90 are (1 - p), 1 and
  (1 + p) times its curve at its spend, computed here from the JSON's spends.
- Scenarios (what-if over the budget, risk = cvar): the objective's fan as
  stacked areas (floor at CVaR, CVaR to P10, P10 to P50, P50 to P90) on an
  axis from below the lowest CVaR, each layer the scenario's own quantiles'
  difference.
- The media share chart's legend lists the plan's media only (TV and other
  media here), not press, radio, social or search at 0 %."""
import math
import os
import re
import zipfile

from mpcommon import *

d = tmpdir("bands")
plan = write(os.path.join(d, "bands.ini"), """[plan]
budget = 300k
start = 2027-03-01
periods = 1
precision = 0.01%
risk = cvar 10%

[channel "tf1"]
type = tv
cpp = 5200
response = hill
beta = 6200 +- 15%
ec = 90000
slope = 1

[channel "youtube"]
type = curve
curve = exp
beta = 2500 +- 20%
k = 60000

[channel "meta"]
type = curve
curve = exp
beta = 9000
k = 150000
""")
P = {"tf1": 0.15, "youtube": 0.20}


def base_conv(name, x):
    if name == "tf1":
        return 6200 * x / (x + 90000)
    if name == "youtube":
        return 2500 * -math.expm1(-x / 60000)
    return 9000 * -math.expm1(-x / 150000)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def cells(sheet_xml):
    """{(row, col): number} of a sheet's numeric cells (0-based)."""
    out = {}
    for m in re.finditer(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', sheet_xml):
        v = re.search(r"<v>([^<]*)</v>", m.group(3) or "")
        if v and 't="s"' not in m.group(0) and 't="str"' not in m.group(0):
            try:
                out[(int(m.group(2)) - 1, col_index(m.group(1)))] = float(v.group(1))
            except ValueError:
                pass
    return out


def refs(chart):
    """The value ranges of a chart's series, as (col, row0, row1), in order."""
    out = []
    for ser in re.findall(r"<c:ser>(.*?)</c:ser>", chart, re.S):
        f = re.search(r"<c:val>.*?<c:f>[^!]*!\$([A-Z]+)\$(\d+)(?::\$[A-Z]+\$(\d+))?</c:f>", ser,
                      re.S)
        out.append((col_index(f.group(1)), int(f.group(2)) - 1, int(f.group(3) or f.group(2)) - 1))
    return out


def axis_min(chart):
    m = re.search(r'<c:valAx>.*?<c:min val="([^"]+)"/>', chart, re.S)
    return float(m.group(1)) if m else None


def band_checks(chart, what, values, lowest):
    """A band chart: stacked, its first series invisible and out of the legend,
    hidden cells plotted, its series' cells equal to values[row] (a list of
    the layers' expected figures), its axis from a figure above 0 at most lowest."""
    check(re.search(r'<c:grouping val="stacked"/>', chart) is not None, f"{what}: stacked")
    sers = re.findall(r"<c:ser>(.*?)</c:ser>", chart, re.S)
    check(len(sers) >= 3 and "<c:spPr><a:noFill/>" in sers[0], f"{what}: an invisible floor first")
    check(re.search(r"<c:legendEntry><c:idx val=\"0\"/><c:delete val=\"1\"/>", chart) is not None,
          f"{what}: the floor out of the legend")
    # libxlsxwriter leaves plotVisOnly out for it (absent: hidden cells plot)
    check('<c:plotVisOnly val="1"/>' not in chart, f"{what}: plots the folded cells")
    lo = axis_min(chart)
    check(lo is not None and 0 < lo <= lowest, f"{what}: axis from {lo}, not 0, at most {lowest:.1f}")
    return refs(chart)


p, j = optimize_json(plan)
check(p.returncode == 0, f"optimize: {p.stderr}")
spend = {c["name"]: c["spend"] for c in j["channels"]}
book = os.path.join(d, "bands.xlsx")
check(run("optimize", plan, "-o", book, "-q").returncode == 0, "workbook written")
with zipfile.ZipFile(book) as z:
    sheet = cells(z.read("xl/worksheets/sheet1.xml").decode())
    charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/")]
# the closed forms: each channel's (P10, P50, P90), and the plan's (aligned points)
band = {n: tuple(base_conv(n, spend[n]) * f for f in (1 - P[n], 1, 1 + P[n])) for n in P}
meta = base_conv("meta", spend["meta"])
plan_band = tuple(meta + sum(base_conv(n, spend[n]) * (1 + s * P[n]) for n in P) for s in (-1, 0, 1))
print("closed form:", band, plan_band)
plan_chart = [c for c in charts if "the plan, P10 to P90" in c]
chan_chart = [c for c in charts if "conversions by channel, P10 to P90" in c]
check(len(plan_chart) == 1 and len(chan_chart) == 1, "Summary: the plan's band and the channels'")
# the columns the old clustered chart drew from 0 are gone
check(not any("Uncertain curves" in c and "clustered" in c for c in charts),
      "Summary: no clustered P10/P50/P90 columns from 0")
if plan_chart and chan_chart:
    r = band_checks(plan_chart[0], "plan band", None, plan_band[0])
    want = (plan_band[0], plan_band[1] - plan_band[0], plan_band[2] - plan_band[1])
    for k, (col, r0, r1) in enumerate(r):
        check(r0 == r1, "plan band: one row")
        close(sheet.get((r0, col)), want[k], 1e-6 * plan_band[1], f"plan band layer {k}")
    r = band_checks(chan_chart[0], "channel bands", None, min(b[0] for b in band.values()))
    rows = sorted({(r0, r1) for _, r0, r1 in r})
    check(len(rows) == 1 and rows[0][1] - rows[0][0] == 1, f"channel bands: two rows {rows}")
    for i, n in enumerate(("tf1", "youtube")):   # the plan's order
        b = band[n]
        want = (b[0], b[1] - b[0], b[2] - b[1])
        for k, (col, r0, _) in enumerate(r):
            close(sheet.get((r0 + i, col)), want[k], 1e-6 * b[1] + 1e-6, f"{n} band layer {k}")

# ---- the what-if's fan and its media legend --------------------------------------
wbook = os.path.join(d, "sweep.xlsx")
wjson = os.path.join(d, "sweep.json")
p = run("whatif", plan, "--vary", "budget=150k..450k/50k", "-o", wbook, "--json", wjson, "-q")
check(p.returncode == 0, f"whatif: {p.stderr}")
import json
with open(wjson, encoding="utf-8") as f:
    scen = json.load(f)["scenarios"]
with zipfile.ZipFile(wbook) as z:
    names = z.namelist()
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
    last = cells(z.read(sheets[-1]).decode())   # Scenarios, the last sheet
    charts = [z.read(n).decode() for n in sorted(names) if n.startswith("xl/charts/")]
fan = [c for c in charts if "<c:areaChart>" in c]
check(len(fan) == 1 and "conversions over the draws against budget" in fan[0],
      "Scenarios: the objective's fan")
if fan:
    check(all(f"<c:v>{n}</c:v>" in fan[0] for n in ("CVaR 10 % to P10", "P10 to P50 (median)",
                                                      "P50 (median) to P90")),
          "fan: its layers' names")
    qs = [s["quantiles"] for s in scen]
    r = band_checks(fan[0], "fan", None, min(q["cvar"] for q in qs))
    for i, q in enumerate(qs):
        o = q["objective"]
        want = (q["cvar"], o["p10"] - q["cvar"], o["p50"] - o["p10"], o["p90"] - o["p50"])
        for k, (col, r0, _) in enumerate(r):
            close(last.get((r0 + i, col)), want[k], 1e-6 * o["p50"], f"fan row {i} layer {k}")
    # three aligned points: the worst 10 % lie in the low point (weight 1/6)
    close(qs[0]["cvar"], qs[0]["objective"]["p10"], 1e-6 * qs[0]["objective"]["p10"],
          "fan: CVaR 10 % of three points is the low point")
share = [c for c in charts if 'percentStacked' in c]
check(len(share) == 1, "Scenarios: the media share chart")
if share:
    legend = re.findall(r"<c:tx><c:v>([^<]*)</c:v>", share[0])
    legend += re.findall(r"<c:tx><c:strRef><c:f>[^<]*</c:f><c:strCache>.*?<c:v>([^<]*)</c:v>",
                         share[0], re.S)
    check(sorted(x.lower() for x in legend) == ["other media", "tv"], f"media legend: the plan's media only: {legend}")
done()
