"""The Keywords sheet of a large search account: every keyword on the sheet,
sorted by spend (highest first, the export's order among equals), and the
printed copy limited to the first 200 under their heading, with a note beside
the heading and a footer saying so; a small account prints every keyword.

The order expected is the test's own sort of the JSON's keywords by spend;
the sheet is read back with openpyxl and its print area from the workbook."""
import os
import re
import zipfile

import openpyxl

from mpcommon import *

d = tmpdir("kwprint")
N = 260


def export(path, n):
    rows = ["Keyword,Currency,Avg. monthly searches,Top of page bid (low range),"
            "Top of page bid (high range)"]
    for i in range(n):
        # volumes and bids spread so that spends differ; every tenth the same
        # as the one before, for ties kept in the export's order
        vol = 200 + (i * 7919) % 9000
        lo = 0.30 + (i * 37 % 50) / 100
        if i % 10 == 9:
            vol, lo = prev
        prev = (vol, lo)
        rows.append(f"shoe model {i:04d},EUR,{vol},{lo:.2f},{lo * 2.5:.2f}")
    return write(path, "\n".join(rows) + "\n")


def plan(n):
    kw = export(os.path.join(d, f"kw{n}.csv"), n)
    return write(os.path.join(d, f"p{n}.ini"), f"""[plan]
budget = 40k
start = 2027-03-01
periods = 1

[channel "sea"]
type = search
keywords = {kw}
ctr = 4%
cvr = 3%
max_cpc = 1.2
""")


big = plan(N)
p, j = optimize_json(big)
check(p.returncode == 0, f"optimize: {p.stderr}")
kws = j["keywords"]
check(len(kws) == N, f"{N} keywords in the JSON")
# stable sort: equal spends keep the export's order
want = [k["keyword"] for k in sorted(kws, key=lambda k: -k["spend"])]
check(len({k["spend"] for k in kws}) > N // 2, "spends differ")
book = os.path.join(d, "big.xlsx")
check(run("optimize", big, "-o", book, "-q").returncode == 0, "workbook written")
wb = openpyxl.load_workbook(book, read_only=False)
ws = wb["Keywords"]
rows = list(ws.iter_rows(min_row=2, max_col=6, values_only=True))
got = [r[1] for r in rows if r[1]]
check(got == want, f"every keyword, by spend: first {got[:3]} against {want[:3]}")
cost = [r[5] for r in rows if r[1]]
check(all(a >= b for a, b in zip(cost, cost[1:])), "the cost column falls down the sheet")
check(ws.print_area is not None and "$A$1:$O$201" in str(ws.print_area),
      f"print area: the heading and 200 keywords: {ws.print_area}")
footer = ws.oddFooter.center.text or ""
check("the 200 keywords with the most spend, of 260" in footer, f"footer: {footer}")
note = [c for r in ws.iter_rows(min_row=1, max_row=1, values_only=True) for c in r
        if isinstance(c, str) and c.startswith("Printed:")]
check(len(note) == 1 and "of 260" in note[0] and "JSON" in note[0], f"the note: {note}")

# French: the note and the footer translated
book_fr = os.path.join(d, "big_fr.xlsx")
check(run("optimize", big, "-o", book_fr, "-q", "--lang", "fr").returncode == 0, "French workbook")
names = openpyxl.load_workbook(book_fr).sheetnames
ws = openpyxl.load_workbook(book_fr)["Mots clés"] if "Mots clés" in names else None
check(ws is not None, f"the French Keywords sheet: {names}")
if ws is not None:
    footer = ws.oddFooter.center.text or ""
    check("les 200 mots clés" in footer and "260" in footer, f"French footer: {footer}")

# a small account prints all of it: no print area, no note
small = plan(40)
book = os.path.join(d, "small.xlsx")
check(run("optimize", small, "-o", book, "-q").returncode == 0, "small workbook written")
ws = openpyxl.load_workbook(book)["Keywords"]
check(ws.print_area is None, f"small: no print area: {ws.print_area}")
with zipfile.ZipFile(book) as z:
    check("Printed:" not in z.read("xl/worksheets/sheet3.xml").decode() if
          "xl/worksheets/sheet3.xml" in z.namelist() else True, "small: no note")
done()
