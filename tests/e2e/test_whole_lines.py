"""Terminal lines are never cut: the words for the planner are formatted into
buffers of MPI_TEXT_MAX bytes (engine/src/report.h), which must hold the
longest sentence of the catalogue, English or French, about three times over
(its names and figures added). The objective line of a plan chosen for the
bad draws with its CPA held in every draw carries the longest certified
sentence: it once stopped at 192 bytes ('... holding the constraints in)').
Checked whole in English and in French, against the catalogue's own text.
The same sentence on the French Summary sheet ("Optimalité") wraps in cells
merged up to the charts' column, its row tall enough: it ran under the charts
as one long cell."""
import os
import re
import subprocess
import zipfile

import openpyxl

from mpcommon import *

d = tmpdir("whole_lines")
po_dir = os.path.join(SRC, "po")


def entries(path):
    """(msgid, msgstr) pairs of a .po file, continuation lines joined."""
    out, cur, key = [], {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[\d\]) "(.*)"$', line.strip())
        if m:
            if m.group(1) == "msgid" and cur:
                out.append(cur)
                cur = {}
            key = m.group(1)
            cur[key] = m.group(2)
        elif line.startswith('"') and key:
            cur[key] += line.strip()[1:-1]
    if cur:
        out.append(cur)
    return out


fr = entries(os.path.join(po_dir, "fr.po"))
# the usage text is printed whole by the command (several lines, no buffer);
# the header is no sentence
longest = max(len(v.encode()) for e in fr if e.get("msgid") and "\\n" not in e["msgid"]
              for v in e.values())
m = re.search(r"#define MPI_TEXT_MAX (\d+)",
              open(os.path.join(SRC, "engine", "src", "report.h"), encoding="utf-8").read())
check(m is not None, "MPI_TEXT_MAX defined in report.h")
if m:
    check(3 * longest <= int(m.group(1)),
          f"the longest catalogue sentence ({longest} bytes) fits MPI_TEXT_MAX {m.group(1)} three times")

SENT = ("%s %% from the best mean any plan reaches with its constraints held on average only "
        "(certified): the gap is the price of choosing the plan for the bad draws and of holding "
        "the constraints in every draw, not a shortfall of this plan")
msgid = SENT
french = [e.get("msgstr", "") for e in fr if e.get("msgid") == msgid]
check(len(french) == 1 and french[0], "the sentence has its French translation")

write(os.path.join(d, "tv.csv"), "beta,ec\n500,40000\n420,36000\n610,45000\n")
write(os.path.join(d, "web.csv"), "beta,k\n800,15000\n700,14000\n900,17000\n")
plan = write(os.path.join(d, "plan.ini"), f"""[plan]
budget = 100000
start = 2027-03-01
periods = 1
objective = max conversions
must_hold = all
risk = cvar 10%
draws = aligned

{TWO_DRAW_CHANNELS}
[constraint "cpa"]
expr = cpa <= 55
""")


def objective_line(env_lang, *extra):
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = env_lang
    p = subprocess.run([*valgrind_prefix(), MIXPLAN, "optimize", plan, *extra], capture_output=True,
                       text=True, env=env, timeout=600)
    check(p.returncode == 0, f"{env_lang}: exit {p.returncode}: {p.stderr}")
    lines = [l for l in logical(p.stdout).splitlines() if l.startswith(("objective", "objectif"))]
    return lines[0] if lines else ""


en = objective_line("C.UTF-8")
tail = SENT.split("%s", 1)[1].replace("%%", "%")
check(en.endswith(tail + ")"), f"English objective line whole: {en!r}")
if french and french[0]:
    xlsx = os.path.join(d, "fr.xlsx")
    fl = objective_line("fr_FR.UTF-8", "-o", xlsx, "--lang", "fr")
    ftail = french[0].split("%s", 1)[1].replace("%%", "%")
    check(fl.endswith(ftail + ")"), f"French objective line whole: {fl!r}")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.worksheets[0]
    cell = [c for row in ws.iter_rows(max_col=2) for c in row if c.value and ftail in str(c.value)]
    check(len(cell) == 1, "the Summary sheet carries the sentence")
    if cell:
        c = cell[0]
        merged = [m for m in ws.merged_cells.ranges if c.coordinate in m]
        # the charts' first column, from the drawing's anchors (0-based)
        with zipfile.ZipFile(xlsx) as z:
            drawing = [n for n in z.namelist() if re.match(r"xl/drawings/drawing\d+\.xml$", n)]
            xml = z.read(sorted(drawing)[0]).decode() if drawing else ""
        cols = [int(v) for v in re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col>", xml)]
        check(bool(cols), "the Summary has its charts")
        check(len(merged) == 1 and merged[0].min_col == c.column and cols
              and merged[0].max_col <= min(cols), f"the sentence ends before the charts: {merged}, {cols}")
        check(bool(c.alignment.wrap_text), "the sentence wraps")
        width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width or 8.43
                    for k in range(merged[0].min_col, merged[0].max_col + 1)) if merged else 1
        lines = -(-len(str(c.value)) // int(width))  # at least this many at ~1 character a unit
        check((ws.row_dimensions[c.row].height or 15) >= 15 * lines,
              f"its row holds {lines} lines: {ws.row_dimensions[c.row].height}")
done()
