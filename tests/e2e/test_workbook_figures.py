"""The Keywords sheet's figures as written: a bid in cents as Excel shows it,
the figures that add up to the channel's totals to the solver's precision
(11 significant digits), short in the file, and each column of them summing
to the channel's figure in the Channels sheet."""
import decimal
import os
import re
import zipfile

import openpyxl

from mpcommon import *

d = tmpdir("figures")
xlsx = os.path.join(d, "spring.xlsx")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
p, data = optimize_json(plan, "-o", xlsx)
check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
wb = openpyxl.load_workbook(xlsx)
ws = wb["Keywords"]
rows = list(ws.iter_rows(min_row=2, values_only=True))
check(len(rows) == len(data["keywords"]) > 0, "one row per keyword")


def shown_cents(v):
    """What Excel shows in a cell of cents: its 15 significant digits, the
    cents rounded half away from zero."""
    q = decimal.Decimal("%.15g" % v).quantize(decimal.Decimal("0.01"), decimal.ROUND_HALF_UP)
    return float(q)


FIGURES = {4: "clicks", 5: "spend", 6: "conversions", 7: "impressions", 8: "revenue"}
# the sheet lists them by spend, highest first, the export's order among equals
for r, k in zip(rows, sorted(data["keywords"], key=lambda k: -k["spend"])):
    check(r[3] == shown_cents(k["bid"]), f"{k['keyword']}: bid {r[3]!r}, shows {k['bid']!r}")
    for col, key in FIGURES.items():
        # 11 significant digits: within 1.5 units of the 11th
        close(r[col], k[key], 1.5e-10 * abs(k[key]), f"{k['keyword']} {key}")

# A planner summing a column gets the channel's figure in the Channels sheet.
chs = wb["Channels"]
head = [c.value for c in chs[1]]
col = {h.split(" (")[0]: i for i, h in enumerate(head)}
byname = {r[0]: r for r in chs.iter_rows(min_row=2, values_only=True) if r[0]}
for name in {k["channel"] for k in data["keywords"]}:
    mine = [r for r in rows if r[0] == name]
    for c, key in ((5, "spend"), (4, "clicks"), (6, "conversions"), (7, "impressions")):
        total = byname[name][col[key]]
        close(sum(r[c] for r in mine), total, 1e-9 * (1 + abs(total)),
              f"{name}: the keywords' {key} add up to the channel's")

# In the file the figures are short: 11 significant digits, or up to three
# more where no double prints the 11-digit decimal ("%.16G" noise gone).
index = wb.sheetnames.index("Keywords") + 1
with zipfile.ZipFile(xlsx) as z:
    xml = z.read(f"xl/worksheets/sheet{index}.xml").decode()
values = re.findall(r'<c r="([E-I])\d+"[^>]*><v>([^<]*)</v>', xml)
check(len(values) == len(FIGURES) * len(rows), f"{len(values)} figures in the sheet's XML")
for cell, text in values:
    digits = re.sub(r"[^0-9]", "", text.split("E")[0]).lstrip("0")
    check(len(digits) <= 14, f"column {cell}: {text} printed short")
done()
