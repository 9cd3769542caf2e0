"""The workbook read back with openpyxl: sheets, totals equal to the JSON,
live SUM formulas, and text written as text (a keyword starting with "=")."""
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

# Summary KPI table equals the JSON totals.
ws = wb["Summary"]
kpis = {}
for r in ws.iter_rows(min_row=1, max_row=40, values_only=True):
    if r[0] in data["kpis"] and isinstance(r[2], (int, float)):
        kpis[r[0]] = r[2]
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
for r, k in zip(rows, data["keywords"]):
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
# page), under a header naming the client and the plan, with page numbers at
# the foot; table sheets repeat their heading row and keep it frozen; every
# column is as wide as its names (a heading, which wraps: its longest word).
client, name = "Maison Lorient", data["plan"]["name"]


def check_layout(ws, one_page=False, frozen=True):
    ps = ws.page_setup
    check(ps.orientation == "landscape", f"{ws.title}: landscape, not {ps.orientation}")
    check(ws.sheet_properties.pageSetUpPr.fitToPage, f"{ws.title}: fit to page")
    check(ps.fitToWidth in (None, 1), f"{ws.title}: one page wide, not {ps.fitToWidth}")
    high = ps.fitToHeight if ps.fitToHeight is not None else 1  # 1 is the default, left out
    check(high == (1 if one_page else 0), f"{ws.title}: pages high {ps.fitToHeight}")
    head = ws.oddHeader
    check(client in (head.left.text or "") and name in (head.center.text or ""),
          f"{ws.title}: header {head.left.text!r} {head.center.text!r}")
    check("&D" in (head.right.text or ""), f"{ws.title}: the date in the header")
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

# What-if: the Scenarios sheet prints the same way, its charts above its table.
wx = os.path.join(d, "whatif.xlsx")
p = run("whatif", plan, "--vary", "budget=400k,450k", "-o", wx, "--quiet")
check(p.returncode == 0, f"whatif exit {p.returncode}: {p.stderr}")
ws = openpyxl.load_workbook(wx)["Scenarios"]
check_layout(ws)
hrow = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if "status" in r)
check(ws.print_title_rows and str(hrow) in ws.print_title_rows, f"Scenarios heading repeated: {ws.print_title_rows}")
check(len(ws._charts) == 2, "two charts")
for ch in ws._charts:
    top = ch.anchor._from.row  # 0-based
    check(top + 1 < hrow, f"chart at row {top + 1} above the table's heading row {hrow}")
done()
