"""The workbook read back with openpyxl: sheets, totals equal to the JSON,
live SUM formulas, and text written as text (a keyword starting with "=")."""
import json
import os

import openpyxl

from mpcommon import *

d = tmpdir("workbook")
xlsx = os.path.join(d, "spring.xlsx")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
p, data = optimize_json(plan, "-o", xlsx)
check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
wb = openpyxl.load_workbook(xlsx)
check(wb.sheetnames == ["Summary", "Plan", "Channels", "Keywords", "Groups", "Constraints",
                       "Assumptions"],
      f"sheets {wb.sheetnames}")
rel = 1e-9

# Plan: channel x period grid; each row's total is a SUM over its periods.
ws = wb["Plan"]
periods = data["plan"]["periods"]
for i, ch in enumerate(data["channels"]):
    row = 3 + i
    check(ws.cell(row, 1).value == ch["name"], f"Plan row {row} is {ch['name']}")
    cells = [ws.cell(row, 3 + t).value for t in range(periods)]
    for t in range(periods):
        close(cells[t], ch["periods"][t]["spend"], rel * (1 + ch["spend"]), f"Plan {ch['name']} P{t + 1}")
    close(sum(cells), ch["spend"], 1e-6 * (1 + ch["spend"]), f"Plan {ch['name']} sum of periods")
    f = ws.cell(row, 3 + periods).value
    check(isinstance(f, str) and f.startswith("=SUM("), f"total is a formula: {f}")
tot = ws.cell(3 + len(data["channels"]), 3 + periods).value
check(isinstance(tot, str) and tot.startswith("=SUM("), "grand total formula")
# The cached values of the formulas equal the JSON.
wbv = openpyxl.load_workbook(xlsx, data_only=True)
close(wbv["Plan"].cell(3 + len(data["channels"]), 3 + periods).value, data["kpis"]["spend"],
      1e-6 * data["kpis"]["spend"], "cached grand total")

# Summary KPI table equals the JSON totals. Its labels are the planners'
# ("GRP", "CO2e"); the JSON's keys are lower case.
ws = wb["Summary"]
kpis = {}
KEY = {"GRP": "grp", "CO2e": "co2"}
for r in ws.iter_rows(min_row=1, max_row=40, values_only=True):
    key = KEY.get(r[0], r[0])
    if key in data["kpis"] and isinstance(r[2], (int, float)):
        kpis[key] = r[2]
for k in ("spend", "impressions", "clicks", "conversions", "revenue", "grp", "reach", "co2"):
    close(kpis.get(k), data["kpis"][k], rel * (1 + abs(data["kpis"][k])), f"Summary {k}")

# Channels sheet equals the JSON per channel.
ws = wb["Channels"]
head = [c.value for c in ws[1]]
col = {h.split(" (")[0]: i for i, h in enumerate(head)}
for i, ch in enumerate(data["channels"]):
    r = [c.value for c in ws[2 + i]]
    check(r[0] == ch["name"], "Channels order")
    for k in ("spend", "impressions", "clicks", "conversions"):
        v = ch["spend"] if k == "spend" else ch["kpis"][k]
        close(r[col[k]], v, rel * (1 + abs(v)), f"Channels {ch['name']} {k}")

# Keywords: every row matches the JSON; text cells are strings, never formulas.
ws = wb["Keywords"]
rows = list(ws.iter_rows(min_row=2, values_only=False))
check(len(rows) == len(data["keywords"]), "one row per keyword")
eq_seen = False
# the sheet lists them by spend, highest first, the export's order among equals
for r, k in zip(rows, sorted(data["keywords"], key=lambda k: -k["spend"])):
    check(r[1].value == k["keyword"] and r[1].data_type == "s", f"keyword text {k['keyword']}")
    if k["keyword"].startswith("="):
        eq_seen = True
    close(r[5].value, k["spend"], rel * (1 + k["spend"]), f"keyword cost {k['keyword']}")
    close(r[4].value, k["clicks"], rel * (1 + k["clicks"]), f"keyword clicks {k['keyword']}")
check(eq_seen, "the example has a keyword starting with '='")
check(ws.auto_filter.ref is not None and ws.freeze_panes == "A2", "autofilter and frozen header")
# The sum of keyword spend is the search channel's spend.
close(sum(k["spend"] for k in data["keywords"]), channel(data, "search-generic")["spend"], 1e-6,
      "keywords add up to the channel")

# Groups: spend, clicks, conversions and CPA per keyword group, as in the JSON
# and as the sum of the group's keywords.
ws = wb["Groups"]
rows = list(ws.iter_rows(min_row=2, values_only=True))
check(len(rows) == len(data["groups"]) == 3, f"three groups: {rows}")
for r, g in zip(rows, data["groups"]):
    check(r[1] == (g["group"] or "(no group)"), f"group name {r[1]}")
    mine = [k for k in data["keywords"] if k["group"] == g["group"]]
    check(r[2] == len(mine), f"keyword count of {g['group']}")
    close(r[3], sum(k["spend"] for k in mine), 1e-6 * (1 + g["spend"]), f"group spend {g['group']}")
    close(r[5], sum(k["conversions"] for k in mine), 1e-6 * (1 + g["conversions"]),
          f"group conversions {g['group']}")
    if g["conversions"] > 0:
        close(r[7], g["spend"] / g["conversions"], 1e-9 * g["cpa"], f"group CPA {g['group']}")
# The rules in datasets/keywords/fr_running_groups.ini, applied here by hand.
import re
for k in data["keywords"]:
    t = k["keyword"]
    want = ("brand" if re.search(r"(?i)\bmaison\s+lorient\b", t) else
            "competitor" if re.search(r"(?i)\b(nike|asics|salomon|hoka|adidas)\b", t) else "generic")
    check(k["group"] == want, f"{t}: group {k['group']}, expected {want}")
    check(not re.search(r"(?i)\b(gratuit|emploi|occasion)\b", t), f"{t} should be excluded")
comp = [c for c in data["constraints"] if c["name"] == "competitor-cap"][0]
close(sum(k["spend"] for k in data["keywords"] if k["group"] == "competitor"), comp["value"], 1e-6,
      "competitor spend is the constraint's value")
check(comp["value"] <= 2000 * (1 + 1e-9), "competitor cap holds")

# Assumptions echo every input with its source file.
ws = wb["Assumptions"]
vals = [(r[0], r[1], r[2]) for r in ws.iter_rows(min_row=2, values_only=True)]
check(("channel \"meta\"", "cpm", "7.5") in vals, "Assumptions echo meta cpm")
check(any(r[0] == "plan" and r[1] == "budget" for r in vals), "Assumptions echo the budget")
# Layout: every sheet prints landscape, one page wide (the Summary on one
# page), under a header naming the client, the plan and the days it covers
# (its first and last, as English writes them: the same on every print), with
# page numbers at the foot; table sheets repeat their heading row and keep it frozen; every
# column is as wide as its names (a heading, which wraps: its longest word).
client, name = "Maison Lorient", data["plan"]["name"]
import datetime as _dt
_first = _dt.date.fromisoformat(data["plan"]["start"])
_last = _first + _dt.timedelta(days=7 * data["plan"]["periods"] - 1)  # weekly periods
plan_days = f"{_first.day} {_first:%b %Y} to {_last.day} {_last:%b %Y}"


def check_layout(ws, one_page=False, frozen=True, wide=1):
    ps = ws.page_setup
    check(ps.orientation == "landscape", f"{ws.title}: landscape, not {ps.orientation}")
    check(ws.sheet_properties.pageSetUpPr.fitToPage, f"{ws.title}: fit to page")
    check((ps.fitToWidth or 1) == wide, f"{ws.title}: {wide} page(s) wide, not {ps.fitToWidth}")
    high = ps.fitToHeight if ps.fitToHeight is not None else 1  # 1 is the default, left out
    check(high == (1 if one_page else 0), f"{ws.title}: pages high {ps.fitToHeight}")
    head = ws.oddHeader
    check(client in (head.left.text or "") and name in (head.center.text or ""),
          f"{ws.title}: header {head.left.text!r} {head.center.text!r}")
    check((head.right.text or "") == plan_days,
          f"{ws.title}: the plan's days in the header: {head.right.text!r}, not {plan_days!r}")
    check("&P" in (ws.oddFooter.center.text or ""), f"{ws.title}: page numbers in the footer")
    if frozen:
        check(ws.freeze_panes is not None, f"{ws.title}: frozen panes")
    # Text with a cell on its right would be cut there: it must fit its column.
    # (Text with nothing on its right, a title or a note, reads on across.)
    for row in ws.iter_rows():
        for c, right in zip(row, row[1:]):
            if not isinstance(c.value, str) or right.value is None:
                continue
            words = c.value.split(" ") if c.alignment.wrap_text else [c.value]
            need = max(len(w) for w in words)
            width = ws.column_dimensions[c.column_letter].width
            check(width >= need, f"{ws.title}!{c.coordinate} {c.value!r}: width {width} < {need}")


for ws in wb.worksheets:
    check_layout(ws, one_page=ws.title == "Summary", frozen=ws.title != "Summary")
    if ws.title not in ("Summary", "Assumptions"):
        check(ws.print_title_rows, f"{ws.title}: heading rows repeated on each page")
check(wb["Keywords"].column_dimensions["A"].width >= len("search-generic"), "Keywords channel whole")

# The Summary's charts: spend by channel, and the weekly flighting stacked by
# channel, each channel in the same colour in both (in the plan's order).
def colour(gp):
    c = gp.solidFill.srgbClr
    return c if isinstance(c, str) else c.val


charts = wb["Summary"]._charts
pies = [c for c in charts if type(c).__name__ == "PieChart"]
flights = [c for c in charts if getattr(c, "grouping", None) == "stacked"]
check(len(pies) == 1 and len(flights) == 1, f"a pie and a stacked chart on the Summary: {charts}")
if pies and flights:
    slices = [colour(p.graphicalProperties) for p in pies[0].series[0].dPt]
    stacks = [colour(s.graphicalProperties) for s in flights[0].series]
    check(len(stacks) == len(data["channels"]), f"one stack a channel: {len(stacks)}")
    check(slices == stacks and len(set(stacks)) == len(stacks),
          f"one colour a channel, the same in both charts: {slices} {stacks}")

# Spend by media: one column a family the plan has, in the colour of the
# family's first channel (as in the channel charts), its values the media
# table's; digital vs offline written under it.
bars = [c for c in charts if type(c).__name__ == "BarChart" and c.grouping == "clustered"]
check(len(bars) == 1, f"a media chart on the Summary: {charts}")
if bars and pies:
    fams = []
    for ch in data["channels"]:
        if ch["type"] not in fams:
            fams.append(ch["type"])
    want = [colour(pies[0].series[0].dPt[[c["type"] for c in data["channels"]].index(f)]
                   .graphicalProperties) for f in fams]
    got = [colour(p.graphicalProperties) for p in bars[0].series[0].dPt]
    check(got == want, f"media colours {got}, their first channel's {want}")
    ref = bars[0].series[0].val.numRef.f
    col_rows = ref.split("!")[1].replace("$", "").split(":")
    first, last = int(col_rows[0][1:]), int(col_rows[1][1:])
    ws = wb["Summary"]
    got = [ws.cell(r, 3).value for r in range(first, last + 1)]
    close(sum(got), data["media"]["digital"] + data["media"]["offline"], 1e-6 * data["kpis"]["spend"],
          "media chart values add up to the spend")
    check(len(got) == len(fams), f"one column a family: {len(got)} for {fams}")

# The flighting chart's categories are text (calendar weeks): date categories
# make LibreOffice draw a time axis of thin bars labelled every 15 days.
if flights:
    ref = flights[0].series[0].cat.strRef or flights[0].series[0].cat.numRef
    sheet, cells_ = ref.f.split("!")
    a = cells_.replace("$", "").split(":")[0]
    cat = wb["Plan"][a]
    check(isinstance(cat.value, str) and cat.value.startswith("W"), f"flighting category {cat.value!r}")
    check(wb["Plan"][a].value == "W9", f"1 Mar 2027 is in ISO week 9: {cat.value!r}")

# A scenario a hair below the plan's budget loses a few conversions: the change,
# within 100 of 0, keeps its minus sign (the conversions format's third section
# shows none: such a cell takes the plain one-decimal format).
wn = os.path.join(d, "whatif_neg.xlsx")
p = run("whatif", plan, "--vary", "budget=449k,450k", "-o", wn, "--quiet")
check(p.returncode == 0, f"whatif exit {p.returncode}: {p.stderr}")
if p.returncode == 0:
    small = [c for row in openpyxl.load_workbook(wn)["Scenarios"].iter_rows() for c in row
             if isinstance(c.value, (int, float)) and -100 < c.value <= -0.05]
    check(small, "a change within 100 of 0 below it")
    for c in small:
        check(not c.number_format.startswith("[>=100]"),
              f"Scenarios {c.coordinate} {c.value}: format {c.number_format!r} drops the sign")

# What-if: the Scenarios sheet prints the same way, its charts above its table.
wx = os.path.join(d, "whatif.xlsx")
p = run("whatif", plan, "--vary", "budget=400k,450k", "-o", wx, "--quiet")
check(p.returncode == 0, f"whatif exit {p.returncode}: {p.stderr}")
ws = openpyxl.load_workbook(wx)["Scenarios"]
# Its 40-odd columns: each channel's spend and share folded away (hidden in
# an outline group: not printed; its change of spend shows), the rest in two pages wide
# besides the axis and status columns, which every page repeats: at one page
# wide they would be unreadable.
ncols = ws.max_column
check_layout(ws, wide=2)
shead = [c.value or "" for c in ws[next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1)
                                        if "status" in r)]]
for i, h in enumerate(shead, 1):
    letter = openpyxl.utils.get_column_letter(i)
    dim = ws.column_dimensions[letter]
    folded = bool(re.fullmatch(r"(spend|share) (search-generic|meta|tf1-prime|"
                               r"radio-national|press-daily)\b.*", h))
    check(bool(dim.hidden) == folded and (dim.outlineLevel or 0) == folded,
          f"Scenarios {letter} {h!r}: hidden {dim.hidden}, level {dim.outlineLevel}")
check(sum(1 for h in shead if h.startswith(("share search-generic", "spend meta"))) == 2,
      f"Scenarios folded headings found: {shead}")
check(any(h.startswith("change of spend meta") for h in shead) and "CPA (EUR)" in shead
      and "ROAS" in shead, f"Scenarios shows each channel's change of spend, CPA and ROAS: {shead}")
check(ws.print_title_cols == "$A:$B", f"Scenarios axis and status repeated: {ws.print_title_cols}")
hrow = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if "status" in r)
check(ws.print_title_rows and str(hrow) in ws.print_title_rows, f"Scenarios heading repeated: {ws.print_title_rows}")
check(len(ws._charts) == 2, "two charts")
for ch in ws._charts:
    top = ch.anchor._from.row  # 0-based
    check(top + 1 < hrow, f"chart at row {top + 1} above the table's heading row {hrow}")

# ---- number formats: each kind of cell shows as a planner reads it --------
import datetime

MONEY = '#,##0 "\u20ac"'        # whole euros with the plan's currency (EUR)
CENTS = '#,##0.00 "\u20ac"'     # CPC, CPA, bids, unit costs
COUNT = "#,##0"                 # people, impressions, clicks, kg
CONV = "[>=100]#,##0;[<=-100]-#,##0;#,##0.0"  # conversions: a decimal within 100 of 0


def fmt(cell, want, what):
    check(cell.number_format == want, f"{what}: format {cell.number_format!r}, expected {want!r}")


def is_pct(cell, what):
    check(cell.number_format.endswith("%"), f"{what}: format {cell.number_format!r} is not a %")


ws = wb["Summary"]
labels = {ws.cell(r, 1).value: r for r in range(1, 41)}
# the cell shows the currency: its label does not repeat it
fmt(ws.cell(labels["Budget"], 2), MONEY, "Summary budget")
close(ws.cell(labels["Budget"], 2).value, data["plan"]["budget"], 0, "Summary budget")
want = {"spend": MONEY, "impressions": COUNT, "clicks": COUNT, "conversions": CONV,
        "revenue": MONEY, "GRP": "#,##0.0", "reach": COUNT, "CO2e": COUNT}
for label, f in want.items():
    fmt(ws.cell(labels[label], 3), f, f"Summary {label}")
    check(ws.cell(labels[label], 2).value in (None, "", "EUR", "people", "kg CO2e"),
          f"Summary {label} unit {ws.cell(labels[label], 2).value!r} does not repeat the label")
for m in ("digital", "offline"):
    r = max(r for r in range(1, 41) if ws.cell(r, 1).value == m.capitalize())  # "Digital"
    fmt(ws.cell(r, 3), MONEY, f"Summary {m} spend")
    is_pct(ws.cell(r, 4), f"Summary {m} share")
    close(ws.cell(r, 4).value, data["media"][m] / data["kpis"]["spend"], 1e-9, f"Summary {m} share")

# Channels: money whole, CPA with cents, ROAS a percentage of the same ratio
# (3.95 shows 395 %), counts as integers.
ws = wb["Channels"]
head = [c.value for c in ws[1]]
col = {h.split(" (")[0]: i + 1 for i, h in enumerate(head) if h}
for i, ch in enumerate(data["channels"]):
    r, k = 2 + i, ch["kpis"]
    for h, f in (("spend", MONEY), ("revenue", MONEY), ("impressions", COUNT), ("clicks", COUNT),
                 ("conversions", CONV), ("reach", COUNT), ("CO2e", COUNT), ("CPA", CENTS)):
        if h != "CPA" or k["conversions"] > 0:  # else "n/a"
            fmt(ws.cell(r, col[h]), f, f"Channels {ch['name']} {h}")
    if ch["spend"] > 0:
        is_pct(ws.cell(r, col["ROAS"]), f"Channels {ch['name']} ROAS")
        close(ws.cell(r, col["ROAS"]).value, k["revenue"] / ch["spend"], 1e-9,
              f"Channels {ch['name']} ROAS is revenue / spend")
    if k["conversions"] > 0:
        close(ws.cell(r, col["CPA"]).value, ch["spend"] / k["conversions"],
              1e-9 * ch["spend"] / k["conversions"], f"Channels {ch['name']} CPA")

# Keywords: bids with cents, cost whole, clicks counted; the channel column
# holds the longest channel name.
ws = wb["Keywords"]
for r in range(2, ws.max_row + 1):
    fmt(ws.cell(r, 4), CENTS, "keyword bid")
    fmt(ws.cell(r, 5), COUNT, "keyword clicks")
    fmt(ws.cell(r, 6), MONEY, "keyword cost")
    fmt(ws.cell(r, 7), CONV, "keyword conversions")
longest = max(len(ch["name"]) for ch in data["channels"])
check((ws.column_dimensions["A"].width or 0) >= longest,
      f"Keywords channel column {ws.column_dimensions['A'].width} holds {longest} characters")

# Plan: the periods' headings are dates, a week apart from the plan's start;
# the spends whole money.
ws = wb["Plan"]
start = datetime.datetime.strptime(data["plan"]["start"], "%Y-%m-%d")
for t in range(periods):
    c = ws.cell(2, 3 + t)
    check(isinstance(c.value, datetime.datetime) and c.is_date,
          f"Plan heading P{t + 1} is a date: {c.value!r}")
    check(c.value == start + datetime.timedelta(days=7 * t), f"Plan P{t + 1} starts {c.value}")
    fmt(ws.cell(3, 3 + t), MONEY, f"Plan P{t + 1} spend")
fmt(ws.cell(3, 3 + periods), MONEY, "Plan row total")

# Assumptions: the price table's periods are dates, unit costs with cents.
ws = wb["Assumptions"]
dates = [r for r in ws.iter_rows(min_row=2) if isinstance(r[3].value, datetime.datetime)]
check(len(dates) >= periods, f"Assumptions price periods are dates ({len(dates)})")
for r in dates:
    check(r[3].is_date, "Assumptions period is a date cell")
    fmt(r[5], CENTS, "Assumptions unit cost")
    is_pct(r[2], "Assumptions yearly rate")

# Constraints: value and bound as their measure shows (share in %, CPA with
# cents, spend whole), duals and shadow prices with all their digits.
ws = wb["Constraints"]
byname = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
for c in data["constraints"]:
    r = byname[c["name"]]
    close(ws.cell(r, 3).value, c["value"], 1e-9 * (1 + abs(c["value"])), f"{c['name']} value")
    close(ws.cell(r, 4).value, c["bound"], 1e-9 * (1 + abs(c["bound"])), f"{c['name']} bound")
    close(ws.cell(r, 6).value, c["dual"], 1e-12, f"{c['name']} dual")
    # three significant digits: a non-zero price never shows as 0
    for col, what in ((6, "dual"), (7, "shadow price")):
        v, f = ws.cell(r, col).value, ws.cell(r, col).number_format
        if not v:
            continue
        if "E+" in f:
            dec = None
        else:
            dec = len(f.split(".")[1]) if "." in f else 0
        check(dec is None or round(abs(v), dec) != 0, f"{c['name']} {what} {v} shows 0 as {f!r}")
        import math
        want = max(0, 2 - math.floor(math.log10(abs(v))))
        check(dec is None or dec == want, f"{c['name']} {what} {v}: {dec} decimals, not {want}")
for name, f in (("budget", MONEY), ("cpa", CENTS), ("competitor-cap", MONEY)):
    fmt(ws.cell(byname[name], 3), f, f"Constraints {name}")
is_pct(ws.cell(byname["offline-share"], 3), "Constraints offline-share value")
is_pct(ws.cell(byname["offline-share"], 4), "Constraints offline-share bound")

# No heading says its unit twice ("conversions (conversions)"), GRP and CO2e
# are written so.
for sh in wb.worksheets:
    for row in sh.iter_rows(max_row=3):
        for c in row:
            v = c.value
            if not isinstance(v, str) or not c.font.b:  # headings are bold
                continue
            m = re.fullmatch(r"(.*) \((.*)\)", v)
            if m:
                check(m.group(1).split()[-1].lower() != m.group(2).lower(),
                      f"{sh.title}!{c.coordinate} {v!r} repeats its unit")
            check(not re.search(r"\b(grp|co2)\b", v), f"{sh.title}!{c.coordinate} {v!r}: GRP, CO2e")

# The Scenarios sheet of a budget sweep: the axis in money, KPIs as on the
# Channels sheet, shares in %, and the line chart's axes in the same formats.
sx = os.path.join(d, "sweep.xlsx")
p = run("whatif", plan, "--vary", "budget=300k,450k", "-o", sx, "--json",
        os.path.join(d, "sweep.json"), "--quiet")
check(p.returncode == 0, f"whatif: {p.stderr}")
sw = json.load(open(os.path.join(d, "sweep.json")))
ws = openpyxl.load_workbook(sx)["Scenarios"]
hrow = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if "status" in r)
head = [c.value for c in ws[hrow]]
col = {h: i + 1 for i, h in enumerate(head) if h}
check("conversions" in col and "GRP" in col and "CO2e (kg)" in col and "reach (people)" in col,
      f"Scenarios KPI headings: {head}")
for i, s_ in enumerate(sw["scenarios"]):
    r = hrow + 1 + i
    fmt(ws.cell(r, 1), MONEY, "Scenarios budget axis")
    close(ws.cell(r, 1).value, s_["params"]["budget"], 0, "Scenarios budget")
    for h, q, f in (("conversions", "conversions", CONV), ("GRP", "grp", "#,##0.0"),
                    ("CO2e (kg)", "co2", COUNT), ("reach (people)", "reach", COUNT),
                    ("spend (EUR)", "spend", MONEY)):
        fmt(ws.cell(r, col[h]), f, f"Scenarios {h}")
        close(ws.cell(r, col[h]).value, s_["kpis"][q], 1e-9 * (1 + abs(s_["kpis"][q])),
              f"Scenarios {h}")
    for h in head:
        if h and h.startswith("share "):
            is_pct(ws.cell(r, col[h]), f"Scenarios {h}")
charts = ws._charts
check(len(charts) == 2, "two charts")
line = [c for c in charts if c.tagname == "lineChart"]
# (its ticks round numbers: whole conversions, never "0.0")
check(line and line[0].y_axis.numFmt is not None and line[0].y_axis.numFmt.formatCode == COUNT,
      "the objective's axis shows whole conversions")
check(line and line[0].x_axis.numFmt is not None and line[0].x_axis.numFmt.formatCode == MONEY,
      "the budget axis shows money as the table does")

# ---- a booked plan: the Summary says the MIP's verdict in a planner's words,
# the Plan sheet the spots, insertions and on-air weeks of each booked channel,
# equal to the JSON's mip object and per-period units and airs.
import math

BOOKED = """[plan]
name = Booked
budget = 150000
start = 2027-03-01
periods = 6
objective = max conversions

[channel "telly"]
type = tv
spot_cost = 2500
grp_per_spot = 2.5
response = exp
beta = 900
response_k = 30000
min_grp = 20
min_burst = 2
flight = 1-2, 4-6

[channel "daily"]
type = press
cpi = 7000
audience = 500k
readership = 1.5M
response = exp
beta = 300
response_k = 15000

[channel "web"]
type = curve
curve = exp
beta = 400
k = 15000
"""
bx = os.path.join(d, "booked.xlsx")
p, bd = optimize_json(write(os.path.join(d, "booked.ini"), BOOKED), "-o", bx)
check(p.returncode == 0 and bd and bd["mip"]["status"] == "optimal", f"booked: {p.stderr}")
if bd:
    bw = openpyxl.load_workbook(bx)
    said = {r[0]: r[1] for r in bw["Summary"].iter_rows(min_row=1, max_row=14, values_only=True)
            if r[0]}
    check(said.get("Booked plan") == "the best of the plans that can be booked",
          f"Summary booked plan: {said.get('Booked plan')!r}")
    # the certified gap in percent, rounded up to two decimals (README, The certified gap)
    pct = math.ceil(100 * bd["objective"]["gap"] * 100 * (1 - 1e-12)) / 100
    want = f"{pct:.2f}".rstrip("0").rstrip(".")
    # what the booking rules cost, said once: on the Optimality row
    check(said.get("Optimality") ==
          "the booking rules (whole spots and insertions, flights, minimum bookings) cost at "
          f"most {want} % against buying freely" and "Against continuous spends" not in said,
          f"Summary optimality: {said.get('Optimality')!r}")
    nodes = bd["mip"]["nodes"]
    check(said.get("Search for the booked plan") ==
          f"proven the best after {nodes} step{'s' if nodes != 1 else ''}",
          f"Summary search: {said.get('Search for the booked plan')!r}")
    ws = bw["Plan"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    head = [i for i, r in enumerate(rows) if r[0] == "booked by period"]
    check(len(head) == 1, "Plan: a booked-by-period block")
    got = {(r[0], r[1]): r[2:8] for r in rows[head[0] + 1:] if r[0]} if head else {}
    for name, unit, airs in (("telly", "spots", "on air"), ("daily", "insertions", "in print")):
        per = channel(bd, name)["periods"]
        check(got.get((name, unit)) == [pp["units"] for pp in per], f"Plan {name} {unit}")
        check(got.get((name, airs)) == ["yes" if pp["airs"] else "no" for pp in per],
              f"Plan {name} {airs}")
    check(not any(k[0] == "web" for k in got), "Plan: an unbooked channel has no booking rows")

# Channels: "what stops it" is a sentence wrapped in a column of a sane width
# (a fixed 84 made the sheet print small).
ws = wb["Channels"]
heads = [c.value for c in ws[1]]
col = heads.index("what stops it") + 1
letter = ws.cell(1, col).column_letter
check(ws.column_dimensions[letter].width <= 50, f"what stops it: width {ws.column_dimensions[letter].width}")
for r in range(2, 2 + len(data["channels"])):
    c = ws.cell(r, col)
    check(c.value and c.alignment.wrap_text, f"Channels {c.coordinate} wraps: {c.value!r}")

done()
