"""A floor over several channels that holds one up in a booked plan: radio in
whole spots and press under share(fm, paper) >= 30 %, a curve channel
outside it. The floor keeps 30 % of the budget offline, where the next euro
returns less than the curve's: radio's limit says 'held up by offline-share',
JSON limit.row the floor, not 'on the margin'. The reason is checked against
the curves by hand at the reported weekly spends: radio's best next spot,
110 (e^(-y/12000) - e^(-(y+1800)/12000)) / 1800 conversions a euro, returns
less than the curve's least next euro, 400/15000 e^(-x/15000)."""
import math
import os
import re
import subprocess

from mpcommon import *

d = tmpdir("booked_shared_floor")
PLAN = """[plan]
budget = 300k
start = 2027-08-02
periods = 12
objective = max conversions

[channel "feed"]
type = curve
curve = exp
beta = 400
k = 15000

[channel "fm"]
type = radio
spot_cost = 1800
grp_per_spot = 2
response = exp
beta = 110
response_k = 12000

[channel "paper"]
type = press
cpi = 18000
audience = 1.2M
response = michaelis-menten
beta = 160
response_k = 30000

[constraint "offline-share"]
expr = share(fm, paper) >= 30%
"""
path = write(os.path.join(d, "shared.ini"), PLAN)
p, data = optimize_json(path)
check(p.returncode == 0 and data, f"optimize: {p.returncode} {p.stderr}")
ch = {c["name"]: c for c in data["channels"]}
feed = [q["spend"] for q in ch["feed"]["periods"]]
fm = [q["spend"] for q in ch["fm"]["periods"]]
offline = sum(fm) + sum(q["spend"] for q in ch["paper"]["periods"])
check(abs(offline / (offline + sum(feed)) - 0.30) < 1e-6, f"the floor binds: {offline}")
feed_next = min(400 / 15000 * math.exp(-x / 15000) for x in feed if x > 0)
fm_next = max(110 * (math.exp(-y / 12000) - math.exp(-(y + 1800) / 12000)) / 1800 for y in fm)
check(fm_next < feed_next, f"radio's next spot {fm_next} returns less than feed's {feed_next}")
lim = ch["fm"]["limit"]
check(lim.get("row") == "offline-share" and lim["text"] == "held up by offline-share: its next euro "
      "returns less than a channel's outside that floor", f"fm's limit: {lim}")
p = run("optimize", path)
check("  fm               held up by offline-share:" in p.stdout
      and "on the margin: fm" not in p.stdout, f"terminal:\n{p.stdout}")
env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
env["LANG"] = "fr_FR.UTF-8"
p = subprocess.run([MIXPLAN, "optimize", path], capture_output=True, text=True, env=env)
# past 100 columns the text goes on under itself, from column 19
check("maintenu par offline-share\u00a0: son euro suivant rapporte moins que celui d'un canal "
      "hors de ce plancher" in re.sub(r"\n {19}(?=\S)", " ", p.stdout), f"French:\n{p.stdout}")
done()
