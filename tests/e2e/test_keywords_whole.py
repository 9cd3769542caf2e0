"""mixplan keywords prints every keyword and group name whole, counted in
characters, not bytes: the keyword column as wide as the longest keyword
up to 60 columns, a longer one on a line of its own with its figures under
their headings on the next; the group columns alike up to 28. A rules
file's group name holds 64 characters, as a plan's names: 64 accented ones
(128 bytes) are a group, a 65th is refused with the file, the line and the
limit, exit 3. Expected texts are the export's and the rules' own."""
import os

from mpcommon import *

d = tmpdir("keywords_whole")
LONG = "chaussures de running très légères pour marathon sur route et trail en montagne"
MID = "chaussure légère à drop réduit pour foulée médio-pied"  # 53 characters, 61 bytes
SHORT = "basket"
HEAD = ("Keyword,Currency,Avg. monthly searches,Top of page bid (low range),"
        "Top of page bid (high range)\n")
export = write(os.path.join(d, "kw.csv"), HEAD + "".join(
    f"{k},EUR,{v},0.50,1.20\n" for k, v in ((LONG, 1000), (MID, 700), (SHORT, 500))))
GROUP = "é" * 64
rules = write(os.path.join(d, "rules.ini"), f'[group "{GROUP}"]\nmatch = chaussure\n')


def rows_of(out, heading):
    """The table under the line starting with heading: its heading and rows, up
    to the blank line."""
    lines = out.splitlines()
    at = [i for i, l in enumerate(lines) if l.startswith(heading)][0]
    end = lines.index("", at)
    return lines[at], lines[at + 1:end]


p = run("keywords", export, "--rules", rules)
check(p.returncode == 0, f"keywords: exit {p.returncode} {p.stderr}")
head, rows = rows_of(p.stdout, "group ")
check(len(MID.encode()) > len(MID) and all(any(k in r for r in rows) for k in (LONG, MID, SHORT)),
      f"every keyword whole:\n{p.stdout}")
check(max(len(l) for l in [head] + rows) <= len(GROUP) + len(LONG) + 2,
      f"no line is padded past its text:\n{p.stdout}")
kw_col = head.index("keyword")
right = head.index("searches/mo") + len("searches/mo")
# the figures' lines: the volume (with its '*' of a bucketed one) ends under the heading
for r in rows:
    if any(v in r for v in ("1,000", "700", "500")):
        v = next(v for v in ("1,000", "700", "500") if v in r)
        check(r.index(v) + len(v) == right, f"{v} ends under searches/mo:\n{head}\n{r}")
# the mid keyword fits the column: on its own row, in the keyword column, its figures beside it
mid = [r for r in rows if MID in r]
check(len(mid) == 1 and mid[0].index(MID) == kw_col and "700" in mid[0],
      f"{MID!r} in its column with its figures (characters, not bytes):\n{p.stdout}")
# the long keyword is wider than the column's 60: alone after its group, figures next line
long_at = [i for i, r in enumerate(rows) if LONG in r]
check(len(long_at) == 1 and rows[long_at[0]].endswith(LONG) and "1,000" in rows[long_at[0] + 1],
      f"{LONG!r} whole on its line, its figures on the next:\n{p.stdout}")
check(kw_col <= 28 + 1 and GROUP in p.stdout, f"the group whole, its column capped:\n{p.stdout}")
_, groups = rows_of(p.stdout.split("\n\n", 2)[2], "group ")
check(any(r == GROUP for r in groups), f"the groups' table prints the group whole:\n{p.stdout}")

# a 65th character: refused at the header's line, with the limit in characters
bad = write(os.path.join(d, "long_rules.ini"), f'; long\n[group "{GROUP}x"]\nmatch = chaussure\n')
p = run("keywords", export, "--rules", bad)
check(p.returncode == 3 and f"{bad}:2: the name \"{GROUP}x\" is 65 characters long: a name holds "
      "at most 64; shorten it" in p.stderr, f"a 65-character group: exit {p.returncode} {p.stderr}")
done()
