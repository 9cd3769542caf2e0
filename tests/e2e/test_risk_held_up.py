"""A channel held at its min_spend in a plan chosen for the bad draws (risk =
cvar) says "held up by its min_spend", as the same plan without risk does,
not "on the margin": the plan has no price for its budget, so the channel's
next euro is set beside the best other channel's on the margin. Checked here
by hand: the channel's spend is its min_spend, and its next euro's return,
from the closed form (conversions = beta (1 - exp(-x / k)), the range's mean
beta), is below the other channel's at its spend."""
import math
import os

from mpcommon import *

d = tmpdir("risk_held_up")
WEB, RADIO, FLOOR = (1000.0, 20000.0), (800.0, 30000.0), 60000.0


def plan(name, risk):
    return write(os.path.join(d, name + ".ini"), f"""[plan]
budget = 100000
start = 2027-03-01
periods = 1
objective = max conversions
{risk}

[channel "web"]
type = curve
curve = exp
beta = {WEB[0]:g} ± 10%
k = {WEB[1]:g}

[channel "radio1"]
type = curve
curve = exp
beta = {RADIO[0]:g}
k = {RADIO[1]:g}
min_spend = {FLOOR:g}
""")


def deriv(curve, x):
    beta, k = curve
    return beta / k * math.exp(-x / k)


for name, risk in (("cvar", "risk = cvar 10%"), ("mean", "")):
    p, data = optimize_json(plan(name, risk))
    check(p.returncode == 0 and data, f"{name}: exit {p.returncode}: {p.stderr}")
    radio, web = channel(data, "radio1"), channel(data, "web")
    close(radio["spend"], FLOOR, 1e-6, f"{name}: radio1 at its min_spend")
    mr, mw = 1000 * deriv(RADIO, radio["spend"]), 1000 * deriv(WEB, web["spend"])
    check(mr < 0.9 * mw, f"{name}: radio1's next euro ({mr:.3f}) returns less than web's ({mw:.3f})")
    lim = radio.get("limit") or {}
    check(lim.get("reason") == "saturation" and lim.get("row") == "min_spend_radio1",
          f"{name}: radio1's limit {lim}")
    text = lim.get("text", "")
    check(text.endswith("held up by its min_spend") and
          text.startswith(f"next euro returns {fmt3(mr)} conv/kEUR"), f"{name}: {text!r}")
    if risk:  # no budget price: the best channel on the margin is named instead
        check(f"(web: {fmt3(mw)})" in text, f"{name}: set beside web's {fmt3(mw)}: {text!r}")
    check(web["limit"]["reason"] == "none", f"{name}: web on the margin: {web['limit']}")
    print(f"{name}: {text}")
done()
