"""Names up to the documented limit (README, Limits: 64 characters) are read
whole and printed whole: a channel or constraint name of 40 or 64 characters
is no "malformed section name" (the INI reader's own buffer held 49 bytes of
a header), the channel table and "what stops each channel" widen to the
longest name up to a cap and put a longer name on a line of its own, its
row's figures under their headings; a name over the limit is refused with
the limit."""
import json
import os

from mpcommon import *

d = tmpdir("long_names")
N17 = "social-prospect-fr"
N40 = "meta-retargeting-spring-collection-xxxxx"
N64 = "a-channel-with-a-name-of-exactly-sixty-four-characters-all-told-"
CAP = "cap-on-the-channel-with-the-longest-name-agreed-with-client"
assert (len(N40), len(N64)) == (40, 64)


def plan_text(n17=N17, n40=N40, n64=N64, cap=CAP):
    return f"""[plan]
budget = 300k
start = 2027-03-01
periods = 4
[channel "{n17}"]
type = social
cpm = 7.5
ctr = 1.2%
cvr = 1.6%
audience = 2.5M
[channel "{n40}"]
type = social
cpm = 6
ctr = 1%
cvr = 2%
audience = 1M
max_spend = 20k
[channel "{n64}"]
type = social
cpm = 5
ctr = 1.5%
cvr = 1.5%
audience = 2M
[constraint "{cap}"]
expr = spend({n64}) <= 30k
"""


plan = write(os.path.join(d, "long.ini"), plan_text())
js = os.path.join(d, "long.json")
p = run("optimize", plan, "-o", os.path.join(d, "long.xlsx"), "--json", js)
check(p.returncode == 0, f"names of 40 and 64 characters are read: {p.returncode} {p.stderr}")
lines = p.stdout.splitlines()

# The channel table: every name whole; a name over the column's width on a
# line of its own, its figures on the next line under their headings.
head = next((l for l in lines if l.startswith("channel ")), "")
type_col = head.find("type")
check(type_col == 29, f"the name column is 28 wide (its cap), then the type: {head!r}")
for name in (N17, N40, N64):
    at = [i for i, l in enumerate(lines) if l.startswith(name)]
    check(len(at) >= 1, f"{name}: printed whole at the start of a table row\n{p.stdout}")
    if not at:
        continue
    row = lines[at[0]] if len(name) <= 28 else lines[at[0] + 1]
    if len(name) > 28:
        check(lines[at[0]] == name, f"{name}: alone on its line: {lines[at[0]]!r}")
        check(row[:type_col].strip() == "", f"{name}: the next line starts blank: {row!r}")
    check(row[type_col:type_col + 6] == "social", f"{name}: its type under the heading: {row!r}")

# What stops each channel: the whole name, the reason under the column.
stops = lines.index("what stops each channel:") if "what stops each channel:" in lines else -1
check(stops >= 0, f"what stops each channel is printed\n{p.stdout}")
block = lines[stops + 1:stops + 9]
for name, reason in ((N40, "at its max_spend of 20,000 EUR"),
                     (N64, f"capped by its own constraint {CAP}: spend({N64}) <= 30,000 EUR")):
    i = block.index("  " + name) if "  " + name in block else -1
    # a reason past 100 columns goes on under itself, at column 31 too
    said = block[i + 1] if 0 <= i < len(block) - 1 else ""
    for more in block[i + 2:] if said else []:
        if not more.startswith(" " * 31):
            break
        said += " " + more.strip()
    check(i >= 0 and said == " " * 31 + reason
          and all(len(l) <= 100 or len(l.split()) == 1 for l in block),  # a word is never cut
          f"{name}: alone on its line, then {reason!r} at column 31:\n" + "\n".join(block))

data = json.load(open(js)) if os.path.exists(js) else {}
names = [c["name"] for c in data.get("channels", [])]
check(names == [N17, N40, N64], f"the JSON's channel names whole: {names}")

# A short name keeps the table as it was: the name column 18 wide.
short = write(os.path.join(d, "short.ini"), plan_text(n40="meta-rt", n64="nets", cap="c"))
p = run("optimize", short, "-o", os.path.join(d, "short.xlsx"))
head = next((l for l in p.stdout.splitlines() if l.startswith("channel ")), "")
check(p.returncode == 0 and head.find("type") == 19, f"short names: the column 18 wide: {head!r}")

# Characters, not bytes: 64 accented letters are a name; 65 are refused with the limit.
accented = "é" * 64
p = run("validate", write(os.path.join(d, "accented.ini"), plan_text(n64=accented)))
check(p.returncode == 0, f"64 accented characters (128 bytes) are a name: {p.stderr}")
over = N64 + "z"
p = run("validate", write(os.path.join(d, "over.ini"), plan_text(n64=over)))
check(p.returncode == 3 and f'over.ini:19: type: the name "{over}" is 65 characters long: a name '
      "holds at most 64; shorten it" in p.stderr, f"65 characters: exit 3 and the limit: {p.stderr}")
p = run("validate", write(os.path.join(d, "over_cap.ini"), plan_text(cap=CAP + "-" + "y" * 5)))
check(p.returncode == 3 and "is 65 characters long: a name holds at most 64" in p.stderr,
      f"a constraint's name over the limit: {p.stderr}")
done()
