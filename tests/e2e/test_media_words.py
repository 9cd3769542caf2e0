"""The terminal names a media family as a planner does, in English too:
"paid search", "TV", "other media", never the plan's type names "search",
"tv", "curve". Checked on the README's examples, a what-if, a booked plan
and an effective-reach plan: the channel table's type column, the media
line and the what-if's media columns hold only the planner's words, each
channel's the one its `type =` key gives (the table below, written out
here), and no sentence says "tv" or "a curve channel"."""
import os
import re

from mpcommon import *

d = tmpdir("media_words")
EXAMPLES = os.path.join(SRC, "datasets", "examples")
LABEL = {"search": "paid search", "social": "social", "tv": "TV", "radio": "radio",
         "press": "press", "curve": "other media"}
WORDS = set(LABEL.values())

BOOKED = SPOTS_AND_INSERTIONS

EFFECTIVE = ("""[plan]
budget = 1M
start = 2027-03-01
periods = 6
universe = 10M
effective_frequency = 3
objective = max conversions

"""
        + TV_AND_SOCIAL + """
[channel "brand"]
type = curve
response = hill
beta = 1000
ec = 50k
slope = 1
max_spend = 20k

[constraint "eff"]
expr = effective_reach(tf1, meta) >= 45%
""")


def types_of(plan_path):
    """{channel: type} as the plan file writes them (the test reads the INI
    itself, not the program's output)."""
    out, name = {}, None
    for line in open(plan_path, encoding="utf-8"):
        m = re.match(r'\s*\[channel "([^"]+)"\]', line)
        if m:
            name = m.group(1)
        m = re.match(r"\s*type\s*=\s*(\w+)", line)
        if m and name:
            out[name] = m.group(1)
    return out


def check_table(what, out, types):
    """Each channel's row: its type cell is the planner's word for its type."""
    for name, typ in types.items():
        lines = out.splitlines()
        top = next((i for i, l in enumerate(lines) if l.startswith("channel ")), len(lines))
        row = next((l for l in lines[top:] if l.startswith(name + "  ")), None)
        check(row is not None, f"{what}: a row for {name}:\n{out}")
        if row is None:
            continue
        cell = re.match(r"(.*?)\s+[-0-9]", row[18:]).group(1).strip()
        check(cell == LABEL[typ], f"{what}: {name}'s type reads {cell!r}, not {LABEL[typ]!r}:\n{row}")


def check_media_line(what, out, types):
    line = next((l for l in out.splitlines() if l.startswith("media: ")), "")
    fams = [f.strip() for f in re.findall(r"([a-zA-Z ]+?) [0-9.]+%", line.split(";")[0][7:])]
    check(set(fams) == {LABEL[t] for t in types.values()},
          f"{what}: media line names {fams}, the plan's families in planner words:\n{line}")
    check(line.split(";")[1].strip().startswith("digital "), f"{what}: digital and offline: {line!r}")


def check_no_type_word(what, text, types):
    """No sentence says "tv" or "a curve channel" once the plan's own names
    (channels, constraints, files) are taken out."""
    for name in types:
        text = text.replace(name, "")
    text = re.sub(r'"[^"]*"|\S+\.(ini|csv|xlsx)\S*|\b[\w-]+-\w+\b|\(\w+\)', "", text)
    for raw in (r"\btv\b", r"\bcurve channels?\b", r"\bsearch channels?\b"):
        check(re.search(raw, text) is None, f"{what}: a raw type word {raw}:\n{text}")


runs = [(os.path.join(EXAMPLES, f), f) for f in sorted(os.listdir(EXAMPLES)) if f.endswith(".ini")]
runs += [(write(os.path.join(d, "booked.ini"), BOOKED), "booked"),
         (write(os.path.join(d, "effective.ini"), EFFECTIVE), "effective reach")]
for path, what in runs:
    p = run("optimize", path)
    check(p.returncode == 0, f"{what}: exit {p.returncode} {p.stderr[-400:]}")
    types = types_of(path)
    check(types and set(types.values()) <= set(LABEL), f"{what}: types {types}")
    check_table(what, p.stdout, types)
    check_media_line(what, p.stdout, types)
    check_no_type_word(what, p.stdout + p.stderr, types)

# a curve channel in a max-reach plan brings no reach: the warning names its
# family in planner words
reach = EFFECTIVE.replace("max conversions", "max reach").split('[constraint "eff"]')[0]
p = run("optimize", write(os.path.join(d, "max_reach.ini"), reach))
check("other media channels have none" in p.stderr, f"the idle channel's warning: {p.stderr}")

# a what-if's media columns
spring = os.path.join(EXAMPLES, "spring_launch.ini")
p = run("whatif", spring, "--vary", "budget=400k,450k")
check(p.returncode == 0, f"what-if: {p.stderr[-400:]}")
head = next((l for l in p.stdout.splitlines() if l.startswith("  budget ")), "")  # media table
for typ in set(types_of(spring).values()):
    check(re.search(rf"\s{re.escape(LABEL[typ])}(\s|$)", head), f"what-if heads {LABEL[typ]!r}:\n{head}")
for raw in ("search", "tv"):
    check(not re.search(rf"(?<!paid )\b{raw}\b", head), f"what-if heading says {raw!r}:\n{head}")
done()
