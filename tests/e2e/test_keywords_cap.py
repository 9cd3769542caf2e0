"""The Keywords sheet of an account of more than 100,000 keywords: the 100,000
with the most spend, highest first, then under a blank row one row a search
channel summing its keywords the sheet does not list, so that every column
still adds up to the channel's totals; the JSON keeps every keyword. An
account of exactly 100,000 keywords is listed whole, with no such row.

Everything expected is computed here from the JSON (which has every keyword):
the test's own stable sort by spend gives the listed keywords and their
order, its own sums over the keywords past the first 100,000 give the
remainder rows. The sheet is read back from the xlsx's XML (zipfile, regular
expressions over its cells: 1.5 million cells read in about a second)."""
import html
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile

from mpcommon import *

LISTED = 100000
d = tmpdir("kwcap")


def export(path, n, stem, seed):
    """n keywords with volumes and bids spread by a hash of their number:
    every 40th hardly searched (1 to 4 searches: little spend), every 97th
    dear (bids from 8 EUR, past what a conversion is worth here: no spend)."""
    rows = ["Keyword,Currency,Avg. monthly searches,Top of page bid (low range),"
            "Top of page bid (high range)"]
    for i in range(n):
        h = (i * 2654435761 + seed) % 4294967296
        vol = 20 + h % 5000
        lo = 0.10 + (h >> 13) % 300 / 100
        if i % 40 == 39:
            vol = 1 + (h >> 9) % 4
        if i % 97 == 96:
            lo = 8 + (h >> 7) % 300 / 100
        rows.append(f"{stem} {i:06d},EUR,{vol},{lo:.2f},{lo * 2.5:.2f}")
    return write(path, "\n".join(rows) + "\n")


def plan(name, n_generic, n_brand):
    a = export(os.path.join(d, f"{name}-generic.csv"), n_generic, "running shoe", 17)
    b = export(os.path.join(d, f"{name}-brand.csv"), n_brand, "trail boot", 91)
    return write(os.path.join(d, f"{name}.ini"), f"""[plan]
budget = 750k
start = 2027-03-01
periods = 1

[channel "sea-generic"]
type = search
keywords = {a}
ctr = 4%
cvr = 3%
value = 80

[channel "sea-brand"]
type = search
keywords = {b}
ctr = 4%
cvr = 3%
value = 60
""")


def start(path, with_json):
    """optimize the plan to a workbook (and its JSON when asked), started
    now and left running: the test's two plans solve at once. Outside
    valgrind, which the gate samples runs through: a plan of 100,000
    keywords takes minutes there (the ASan build runs it whole)."""
    book, js = path[:-4] + ".xlsx", path[:-4] + ".json"
    args = [MIXPLAN, "optimize", path, "-o", book, *(["--json", js] if with_json else []), "-q"]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), book, js


def finish(started):
    """The workbook of a run start() began, and its JSON (None when not asked)."""
    p, book, js = started
    _, err = p.communicate(timeout=1800)
    check(p.returncode == 0, f"optimize {book}: {err}")
    if not os.path.exists(js):
        return book, None
    with open(js, encoding="utf-8") as f:
        return book, json.load(f)


def sheet(book, name):
    """The sheet's XML, its autofilter and the book's print areas."""
    z = zipfile.ZipFile(book)
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    areas = [n.text for n in wb.iterfind("m:definedNames/m:definedName", XLSX_NS)
             if n.get("name") == "_xlnm.Print_Area"]
    xml = z.read(sheet_part(z, name)).decode("utf-8")
    filt = re.search(r'<autoFilter ref="([^"]+)"', xml)
    return xml, filt.group(1) if filt else None, areas


CELL = re.compile(r'<c r="([A-J])(\d+)"[^>]*?(?:/>|>(?:<v>([^<]*)</v>|<is><t[^>]*>([^<]*)</t></is>)'
                  r'</c>)')


def cells(xml):
    """{row number: {column letter: text or float}} of the sheet's cells in
    columns A to J, the ones this test reads (a number, a text or an empty
    cell: every cell of the sheet is one of these)."""
    rows = {}
    found = CELL.findall(xml)
    check(len(found) == len(re.findall(r'<c r="[A-J]\d', xml)), "every cell of A to J read")
    for col, r, num, text in found:
        row = rows.setdefault(int(r), {})
        row[col] = float(num) if num else html.unescape(text) if text else None
    return rows


def near(a, b, rel=1e-9):
    return a is not None and abs(a - b) <= rel * max(1.0, abs(b))


# the figures of a keyword row, by column, and the JSON field each shows
FIGS = {"E": "clicks", "F": "spend", "G": "conversions", "H": "impressions", "I": "revenue",
        "J": "monthly_searches"}

# ---- 101,500 keywords: 70,000 in one channel, 31,500 in the other -----------
big = start(plan("big", 70000, 31500), True)
whole = start(plan("whole", 70000, 30000), False)
book, j = finish(big)
kws = j["keywords"]
N = len(kws)
check(N == 101500, f"every keyword in the JSON: {N}")
# Python's sort is stable: equal spends keep the JSON's (the export's) order
order = sorted(range(N), key=lambda i: -kws[i]["spend"])
chans = [c["name"] for c in j["channels"]]
# what the case is built to show: the cut falls among keywords with spend,
# and each channel has keywords past it, some with spend and some without
check(kws[order[LISTED - 1]]["spend"] > 0, "the last keyword listed has spend")
check(any(k["spend"] == 0 for k in kws), "some keywords get no spend")
for c in chans:
    past = [kws[i] for i in order[LISTED:] if kws[i]["channel"] == c]
    check(any(k["spend"] > 0 for k in past) and any(k["spend"] == 0 for k in past),
          f"{c}: keywords past the list, with spend and without")

xml, filt, areas = sheet(book, "Keywords")
rows = cells(xml)
listed = [rows.get(r, {}) for r in range(2, LISTED + 2)]
check(all(r.get("B") for r in listed), "100,000 keyword rows")
# the JSON writes 15 digits: keywords whose spends differ past them show the
# same spend there, and may take either order on the sheet
at = {(k["channel"], k["keyword"]): i for i, k in enumerate(kws)}
got = [at.get((r.get("A"), r.get("B"))) for r in listed]
check(None not in got and len(set(got)) == LISTED, "100,000 keywords of the JSON, once each")
got = [i for i in got if i is not None]
check([kws[i]["spend"] for i in got] == [kws[i]["spend"] for i in order[:LISTED]],
      "the top 100,000 by spend, highest first")
same = sum(a == b for a, b in zip(got, order))
check(same >= LISTED - 100, f"in the JSON's order among equal spends but for a few: {same}")
cost = [r.get("F") for r in listed]
check(all(a >= b for a, b in zip(cost, cost[1:])), "the cost column falls down the list")
bad = [(r.get("B"), col) for r, i in zip(listed, got) for col, f in FIGS.items()
       if not near(r.get(col), kws[i][f], 1e-10)]
check(not bad, f"each listed keyword's figures are the JSON's: {bad[:3]}")
rest = sorted(set(range(N)) - set(got))
check(LISTED + 2 not in rows, "a blank row under the list")

# one row a channel, in the plan's order, summing what the list leaves out
tail = [rows[r] for r in sorted(rows) if r > LISTED + 2]
check(len(tail) == 2 and max(rows) == LISTED + 4, f"a row a channel under it: {sorted(rows)[-3:]}")
for c, row in zip(chans, tail):
    past = [kws[i] for i in rest if kws[i]["channel"] == c]
    check(row.get("A") == c, f"remainder row of {c}: {row.get('A')}")
    label = f"the other {len(past):,} keywords"
    check(row.get("B") == label, f"{c}: the label {row.get('B')!r} against {label!r}")
    check(row.get("C") is None and row.get("D") is None, f"{c}: no group, no bid")
    for col, f in FIGS.items():
        s = sum(k[f] for k in past)
        check(near(row.get(col), s), f"{c}: {f} of the keywords not listed: {row.get(col)} "
              f"against {s}")

# every column adds up to the channel's totals in the JSON
for c in chans:
    mine = [r for r in listed + tail if r.get("A") == c]
    kpis = channel(j, c)["kpis"]
    for col, f in FIGS.items():
        s = sum(r.get(col) or 0 for r in mine)
        total = kpis[f] if f in kpis else sum(k[f] for k in kws if k["channel"] == c)
        check(near(s, total), f"{c}: the {f} column adds up to {s}, the channel's {total}")

check(filt == f"A1:O{LISTED + 1}", f"the filter covers the list alone: {filt}")
check(any("$A$1:$O$201" in a for a in areas), f"prints the first 200: {areas}")
note = [html.unescape(t) for t in re.findall(r"<t[^>]*>(Printed:[^<]*)</t>", xml)]
check(len(note) == 1 and "of 101,500" in note[0] and "lists the 100,000 with the most spend"
      in note[0] and "JSON (--json)" in note[0], f"the note beside the heading: {note}")

# ---- exactly 100,000 keywords (the benchmark's 100k accounts): every one ----
book, _ = finish(whole)
xml, filt, areas = sheet(book, "Keywords")
last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
check(last == LISTED + 1, f"100,000 keyword rows and nothing under them: last row {last}")
check("<t>the other " not in xml, "no remainder row")
check(filt == f"A1:O{LISTED + 1}", f"the filter covers every keyword: {filt}")
check("Every keyword is on this sheet" in xml, "the note says every keyword is on the sheet")
done()
