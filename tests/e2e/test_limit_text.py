"""What stops a channel, in full however long the constraint: a CPA cap named
with 30 characters over four channels of 38 characters each holds every
channel (the budget is ample, so the cap is what stops them); the terminal's
'what stops each channel' line and JSON limit.text say 'held by NAME: EXPR'
with the whole expression (the line was cut at 159 bytes)."""
import json
import os
import re

from mpcommon import *

d = tmpdir("limit_text")
names = [p + "-" + c * (38 - len(p)) for p, c in
         (("web", "a"), ("display", "b"), ("video", "c"), ("audio", "d"))]
NAME = "cpa-cap-agreed-with-the-client"
EXPR = f"cpa({', '.join(names)}) <= 40"
lines = ["[plan]", "budget = 1M", "start = 2027-03-01", "periods = 1",
         "objective = max conversions", ""]
for i, n in enumerate(names):
    lines += [f'[channel "{n}"]', "type = curve", "curve = exp", f"beta = {2000 - 300 * i}",
              f"k = {30 - 5 * i}k", ""]
lines += [f'[constraint "{NAME}"]', f"expr = {EXPR}"]
plan = write(os.path.join(d, "long.ini"), "\n".join(lines) + "\n")
out = os.path.join(d, "long.json")
p = run("optimize", plan, "--json", out)
check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
want = f"held by {NAME}: {EXPR}"
check(len(want) > 200, f"the line is long: {len(want)} bytes")
# past 100 columns a channel's text goes on under itself (names of 38
# characters take lines of their own, the text from column 31)
stops = [ln for ln in re.sub(r"\n {31}(?=\S)", " ", p.stdout).splitlines() if "held by" in ln]
section = p.stdout.split("what stops each channel:\n", 1)[-1].split("\n\n", 1)[0]
check(all(len(ln) <= 100 for ln in section.splitlines()),
      f"what stops each channel within 100 columns:\n{p.stdout}")
# the whole expression, then at most the bound's unit (" EUR")
check(len(stops) == 4 and all(want in ln and len(ln.split(want)[1]) <= 4 for ln in stops),
      f"each channel's line in full: {stops}")
with open(out, encoding="utf-8") as f:
    data = json.load(f)
for ch in data["channels"]:
    text = ch["limit"]["text"]
    check(text.startswith(want) and len(text) - len(want) <= 4 and ch["limit"]["row"] == NAME,
          f"{ch['name']}: JSON limit {ch['limit']}")
done()
