"""French punctuation in what a French planner reads (README, Languages): a
no-break space (U+00A0 or the narrow U+202F) before ";", ":", "?", "!" and
"»" and after "«", on the terminal and in the French workbook, whichever
code joins the pieces (the effective-reach line's channels, the unspent
sentence's steps). `file:line: key:` prefixes and names such as sea:brand
take no space before their colon and are not French text: a colon is only
checked where an ordinary space precedes it, a semicolon everywhere."""
import html
import os
import re
import subprocess
import zipfile

import openpyxl

from mpcommon import *

d = tmpdir("frpunct")
write(os.path.join(d, "lastyear.csv"),
      "channel,period,spend\ntf1,1,150000\ntf1,2,150000\ntf1,6,100000\nrtl,2,18000\n"
      "rtl,3,18000\nouest-france,1,15000\nouest-france,4,15000\nsea,1,5000\nsea,2,5000\n")
plans = {
    "booked": write(os.path.join(d, "booked.ini"), booked_brief_a()),
    "base": write(os.path.join(d, "base.ini"), booked_brief_a(plan_extra="baseline = lastyear.csv")),
    "infeasible": write(os.path.join(d, "infeasible.ini"), booked_brief_a(
        tail='[constraint "tv-far"]\nexpr = effective_reach(tf1) >= 25%\n')),
}

# a ";" without a no-break space before it; ":", "?", "!" or "»" after an
# ordinary space; "«" before one
WRONG = re.compile(r"(?<![\u00a0\u202f]);|(?<= )[:?!»]|« ")


def wrong(text):
    return [text[max(0, m.start() - 30):m.end() + 10] for m in WRONG.finditer(text)]


def french(*args):
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "fr_FR.UTF-8"
    return subprocess.run([*valgrind_prefix(), MIXPLAN, *args, "--lang", "fr"],
                          capture_output=True, text=True, env=env, timeout=600)


def book_text(path):
    """Every string the workbook shows: its cells' and charts' text and the
    printed headers and footers."""
    out = []
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if not n.endswith(".xml") or not n.startswith(("xl/worksheets/", "xl/charts/",
                                                           "xl/sharedStrings")):
                continue
            x = z.read(n).decode("utf-8")
            out += re.findall(r"<(?:a:)?t(?: [^>]*)?>(.*?)</(?:a:)?t>", x, re.S)
            out += re.findall(r"<odd(?:Header|Footer)>(.*?)</", x, re.S)
    return "\n".join(html.unescape(s) for s in out)


runs = {
    "booked": ("optimize", plans["booked"]),
    "base": ("optimize", plans["base"]),
    "whatif": ("whatif", plans["booked"], "--vary", "cpp:tv=0%..20%/10%"),
}
for name, args in runs.items():
    xlsx = os.path.join(d, name + ".xlsx")
    p = french(*args, "-o", xlsx)
    check(p.returncode == 0, f"{name}: runs: {p.stderr}")
    out = p.stdout + p.stderr
    # the lines the review saw: the joined lists are there to be checked
    if name == "booked":
        check("personnes\u00a0; tf1" in out, f"effective reach line joined: {out!r}")
        check(re.search(r"EUR\u00a0; le spot suivant de rtl", out), f"unspent steps joined: {out!r}")
    check(not wrong(out), f"{name}: terminal punctuation: {wrong(out)}")
    text = book_text(xlsx)
    check("non investi" in text, f"{name}: the workbook has the unspent sentence")
    check(not wrong(text), f"{name}: workbook punctuation: {wrong(text)}")

# With a baseline, the chart beside the rows after its table: the unspent
# sentence (French, the longest) wraps in cells merged up to the chart's
# column, its row tall enough for its lines; it once ran under the chart.
ws = openpyxl.load_workbook(os.path.join(d, "base.xlsx")).worksheets[0]
cell = next((c for row in ws.iter_rows(max_col=1) for c in row
             if str(c.value or "").startswith("non investi")), None)
check(cell is not None, "the Synthèse sheet has the unspent sentence in column A")
if cell:
    with zipfile.ZipFile(os.path.join(d, "base.xlsx")) as z:
        xml = z.read("xl/drawings/drawing1.xml").decode()
    anchors = [(int(c), int(r)) for c, r in
               re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", xml, re.S)]
    chart_col = min(c for c, r in anchors if r == max(r for _, r in anchors))  # the lowest chart
    merged = [m for m in ws.merged_cells.ranges if cell.coordinate in m]
    check(len(merged) == 1 and merged[0].max_col <= chart_col,
          f"the sentence ends before the baseline chart's column {chart_col}: {merged}")
    check(bool(cell.alignment.wrap_text), "the sentence wraps")
    width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width or 8.43
                for k in range(merged[0].min_col, merged[0].max_col + 1)) if merged else 1
    lines = -(-len(str(cell.value)) // int(width))  # at least this many at ~1 character a unit
    check(lines > 1 and (ws.row_dimensions[cell.row].height or 15) >= 15 * lines,
          f"its row holds its {lines} lines: {ws.row_dimensions[cell.row].height}")

# an infeasible plan's explanation
p = french("optimize", plans["infeasible"])
check(p.returncode == 1, f"infeasible: exit {p.returncode}: {p.stderr}")
check(not wrong(p.stdout + p.stderr), f"infeasible: punctuation: {wrong(p.stdout + p.stderr)}")

done()
