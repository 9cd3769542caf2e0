#!/usr/bin/env python3
"""The plan's own CPA and ROAS in the workbook: the Channels sheet ends with
a total row (a live SUM down each figure, the plan's CPA and ROAS), and the
Summary's KPI table has CPA and ROAS rows. Both are recomputed here from the
channels' own cells: CPA = total spend / total conversions, ROAS = total
revenue / total spend."""
import os

import openpyxl

from mpcommon import *

d = tmpdir("totals")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
for lang, total, cpa_word in (("en", "total", "CPA"), ("fr", "total", "CPA")):
    xlsx = os.path.join(d, f"spring_{lang}.xlsx")
    p = run("optimize", plan, "-o", xlsx, "--lang", lang, "--quiet")
    check(p.returncode == 0, f"{lang}: exit {p.returncode}: {p.stderr}")
    wb = openpyxl.load_workbook(xlsx, data_only=True)
    formulas = openpyxl.load_workbook(xlsx)
    sheets = wb.sheetnames
    chan = wb[sheets[2]]  # Summary, Plan, Channels
    rows = [r for r in chan.iter_rows(values_only=True)]
    head = rows[0]
    col = {h.split(" (")[0]: i for i, h in enumerate(head) if h}
    spend_c = col.get("spend", col.get("investissement"))
    conv_c = col["conversions"]
    rev_c = col.get("revenue", col.get("chiffre d'affaires"))
    chans = [r for r in rows[1:] if r[0] and r[0] != total]
    tot = [r for r in rows[1:] if r[0] == total]
    check(len(chans) == 5 and len(tot) == 1 and rows[-1][0] == total,
          f"{lang}: five channels, then one total row last: {[r[0] for r in rows]}")
    if len(tot) != 1:
        continue
    tot = tot[0]
    spend = sum(r[spend_c] for r in chans)
    conv = sum(r[conv_c] for r in chans)
    rev = sum(r[rev_c] for r in chans)
    close(tot[spend_c], spend, 1e-9 * spend, f"{lang}: total spend")
    close(tot[conv_c], conv, 1e-9 * conv, f"{lang}: total conversions")
    close(tot[col["CPA"]], spend / conv, 1e-9 * spend / conv, f"{lang}: total CPA")
    close(tot[col["ROAS"]], rev / spend, 1e-9, f"{lang}: total ROAS")
    close(spend, 450000, 1e-6, f"{lang}: the budget is spent")
    f = formulas[sheets[2]].cell(row=len(rows), column=spend_c + 1).value
    check(str(f).upper().startswith("=SUM("), f"{lang}: the total spend is a live SUM: {f!r}")
    summ = {r[0]: r[2] for r in wb[sheets[0]].iter_rows(values_only=True) if r[0]}
    close(summ.get("CPA"), spend / conv, 1e-9 * spend / conv, f"{lang}: the Summary's CPA")
    close(summ.get("ROAS"), rev / spend, 1e-9, f"{lang}: the Summary's ROAS")
    wb.close()
    formulas.close()
done()
