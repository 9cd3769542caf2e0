"""The spring example's workbook printed by LibreOffice (one conversion to
PDF, about 3 s): the Summary, the first sheet, is one page and the Plan
sheet starts the next; the whole workbook is at most 12 pages."""
import os
import shutil
import subprocess

import openpyxl

from mpcommon import *

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if not SOFFICE:
    print("skipped: LibreOffice (soffice) is not installed; make deps installs libreoffice-calc-nogui")
    done()

d = tmpdir("print")
xlsx = os.path.join(d, "spring.xlsx")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
p, data = optimize_json(plan, "-o", xlsx)
check(p.returncode == 0 and data, f"exit {p.returncode}: {p.stderr}")
check(openpyxl.load_workbook(xlsx).sheetnames[:2] == ["Summary", "Plan"], "Summary first, then Plan")

profile = os.path.join(d, "lo-profile")
lo = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                     "--convert-to", "pdf", "--outdir", d, xlsx],
                    capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": d})
pdf = os.path.join(d, "spring.pdf")
check(lo.returncode == 0 and os.path.exists(pdf), f"soffice: {lo.stdout} {lo.stderr}")
if os.path.exists(pdf):
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    pages = [t for t in text.split("\f") if t.strip()]
    print(f"{len(pages)} pages")
    # The Summary's first and last lines on page 1, the Plan's heading on page 2.
    check(data["plan"]["name"] in pages[0] and "offline" in pages[0],
          f"the Summary whole on page 1: {pages[0][:400]!r}")
    plan_head = f"spend ({data['plan']['currency']}) by period"
    check(len(pages) > 1 and plan_head in pages[1] and plan_head not in pages[0],
          "the Plan sheet starts page 2")
    check(len(pages) <= 12, f"the workbook prints in {len(pages)} pages, at most 12")
done()
