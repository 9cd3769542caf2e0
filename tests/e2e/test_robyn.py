#!/usr/bin/env python3
"""Curves imported from a Robyn model export (robyn = RobynModel-x.json,
robyn_channel, robyn_data). The test writes an export in the layout of
Robyn's robyn_write() (R/R/json.R: InputCollect's scalars as jsonlite's
one-value arrays, ExportedModel.summary as rows, hyper_values named
<channel>_alphas/_gammas/_thetas) and the data it was fitted on, and
computes the response with Robyn's formulas written here from
R/R/transformation.R and R/R/response.R (Robyn 3.10 to 3.12):
  adstock_geometric: a_1 = x_1, a_t = x_t + theta a_{t-1} over all rows;
  saturation_hill: inflexion = (1 - gamma) min + gamma max of the adstocked
    series in the modelling window, x^alpha / (x^alpha + inflexion^alpha);
  robyn_response: coef * saturation_hill(adstocked input).
mixplan's reported revenue per period is checked against that at its own
reported spends, and its optimum against the equal-marginals closed form;
bad exports exit 3 naming the file and the field."""
import copy
import datetime
import json
import math
import os

from mpcommon import *

d = tmpdir("robyn")

# ---- an export and its data ------------------------------------------------
WEEKS = [datetime.date(2023, 1, 2) + datetime.timedelta(days=7 * i) for i in range(30)]
WINDOW = ("2023-02-06", "2023-07-17")  # rows 6 to 29 of 30: rows before and after it adstock
SPENDS = {
    "tv_S": [0 if (i // 4) % 2 else 20000 + 1500 * (i % 5) for i in range(30)],
    "facebook_S": [4000 + 700 * ((i * 7) % 11) for i in range(30)],
    "search_S": [3000 + 450 * ((i * 3) % 7) for i in range(30)],
}
HYP = {  # alpha, gamma, theta, coef
    "tv_S": (0.85, 0.55, 0.5, 90000.0),
    "facebook_S": (0.7, 0.4, 0.2, 40000.0),
    "search_S": (1.0, 0.3, 0.0, 30000.0),
}


def export(interval="week", adstock="geometric", dep_var_type="revenue", hyp=HYP):
    hv = {}
    for c, (a, g, t, _) in hyp.items():
        hv[c + "_alphas"], hv[c + "_gammas"], hv[c + "_thetas"] = [a], [g], [t]
    hv["lambda"], hv["train_size"] = [151.2], [1]
    summary = [{"variable": "(Intercept)", "coef": 51234.5, "decompPer": 0.4}]
    summary += [{"variable": c, "coef": h[3], "decompPer": 0.1, "decompAgg": h[3] * 12,
                 "performance": 1.8, "mean_response": h[3] / 3, "mean_spend": 9000.0}
                for c, h in hyp.items()]
    return {
        "InputCollect": {
            "date_var": ["DATE"], "dayInterval": [7 if interval == "week" else 1],
            "intervalType": [interval], "dep_var": ["revenue"], "dep_var_type": [dep_var_type],
            "paid_media_vars": ["tv_S", "facebook_I", "search_S"],
            "paid_media_spends": ["tv_S", "facebook_S", "search_S"],
            "exposure_vars": ["facebook_I"], "organic_vars": [], "context_vars": [],
            "window_start": [WINDOW[0]], "window_end": [WINDOW[1]],
            "rollingWindowStartWhich": [6], "rollingWindowEndWhich": [29],
            "adstock": [adstock], "version": ["Robyn (stable) v3.11.1 [R-4.3.2]"],
        },
        "OutputCollect": {"conv_msg": ["DECOMP.RSSD converged"]},
        "ExportedModel": {
            "select_model": ["1_23_4"], "ts_validation": [False], "summary": summary,
            "errors": [{"rsq_train": 0.91, "nrmse": 0.07, "decomp.rssd": 0.05, "mape": 0}],
            "hyper_values": hv,
        },
    }


def write_export(name, data):
    return write(os.path.join(d, name), json.dumps(data, indent=2))


def write_data(name, rows=None):
    rows = rows if rows is not None else list(range(30))
    text = '"DATE","revenue","tv_S","facebook_I","facebook_S","search_S"\n'
    for i in rows:
        text += '"%s",%d,%s,%d,%s,%s\n' % (WEEKS[i].isoformat(), 100000 + i, SPENDS["tv_S"][i],
                                          SPENDS["facebook_S"][i] * 130,
                                          SPENDS["facebook_S"][i], SPENDS["search_S"][i])
    return write(os.path.join(d, name), text)


def inflexion(channel, hyp=HYP):
    """Robyn's inflexion: the adstocked series over all rows, its range over
    the window's rows, interpolated at gamma."""
    alpha, gamma, theta, _ = hyp[channel]
    a, window = 0.0, []
    for i, x in enumerate(SPENDS[channel]):
        a = x if i == 0 else x + theta * a
        if WINDOW[0] <= WEEKS[i].isoformat() <= WINDOW[1]:
            window.append(a)
    return (1 - gamma) * min(window) + gamma * max(window)


def response(channel, a, hyp=HYP, beta=None, ec=None):
    alpha, _, _, coef = hyp[channel]
    ec = ec if ec is not None else inflexion(channel, hyp)
    beta = beta if beta is not None else coef
    return beta * a ** alpha / (a ** alpha + ec ** alpha) if a > 0 else 0.0


EXPORT = write_export("RobynModel-1_23_4.json", export())
DATA = write_data("dt_input.csv")


def plan(channels, budget=150000, periods=6, extra_plan=""):
    text = (f"[plan]\nbudget = {budget}\nstart = 2024-01-01\nperiods = {periods}\n"
            f"objective = max revenue\nprecision = 0.01%\n{extra_plan}")
    for name, keys in channels:
        text += f'\n[channel "{name}"]\ntype = curve\n' + "".join(f"{k} = {v}\n" for k, v in keys)
    return text


def imported(channel, **more):
    keys = [("robyn", EXPORT), ("robyn_channel", channel), ("robyn_data", DATA)]
    return keys + list(more.items())


# ---- the reported revenue is Robyn's response at the reported spends ---------
THREE = write(os.path.join(d, "three.ini"), plan(
    [("telly", imported("tv_S")), ("fb", imported("facebook_S")),
     ("search_S", [("robyn", EXPORT), ("robyn_data", DATA)])]))
p, data = optimize_json(THREE)
check(p.returncode == 0 and data and data["status"] == "optimal", f"three channels: {p.stderr}")
names = {"telly": "tv_S", "fb": "facebook_S", "search_S": "search_S"}
for name, rc in names.items():
    c = channel(data, name)
    theta = HYP[rc][2]
    a = 0.0
    for q in c["periods"]:
        a = q["spend"] + theta * a
        want = response(rc, a)
        close(q["kpis"]["revenue"], want, 1e-6 * max(1.0, want),
              f"{name} period {q['period']}: revenue at a = {a:.2f}")
    check(abs(c["carryover"]["adstock"] - theta) < 1e-12 if theta > 0 else "carryover" not in c
          or c["carryover"]["adstock"] == 0, f"{name}: adstock {theta} from the export")
p = run("validate", THREE)
for name, rc in names.items():
    ec = inflexion(rc)
    check(any(f"channel \"{name}\": Robyn model 1_23_4" in l and f"ec {ec:.6g}," in l
              for l in p.stderr.splitlines()), f"{name}: the note gives ec {ec:.6g}\n{p.stderr}")

# ---- the optimum in closed form: theta 0 and alpha 1 (beta a / (ec + a)) -----
# Equal marginals beta_i ec_i / (ec_i + x)^2 = lam in every period (the
# periods are alike), x_i = sqrt(beta_i ec_i / lam) - ec_i, lam by bisection.
HYP2 = {"a_S": (1.0, 0.5, 0.0, 50000.0), "b_S": (1.0, 0.3, 0.0, 20000.0)}
SPENDS["a_S"] = [9000 + 600 * ((i * 5) % 9) for i in range(30)]
SPENDS["b_S"] = [2000 + 300 * ((i * 2) % 5) for i in range(30)]
ex2 = export(hyp=HYP2)
ex2["InputCollect"]["paid_media_spends"] = ["a_S", "b_S"]
ex2["InputCollect"]["paid_media_vars"] = ["a_S", "b_S"]
EX2 = write_export("two.json", ex2)
text = '"DATE","a_S","b_S"\n' + "".join(
    '"%s",%s,%s\n' % (WEEKS[i].isoformat(), SPENDS["a_S"][i], SPENDS["b_S"][i]) for i in range(30))
DATA2 = write(os.path.join(d, "two.csv"), text)
T, B = 4, 80000.0
p, data = optimize_json(write(os.path.join(d, "two.ini"), plan(
    [(n, [("robyn", EX2), ("robyn_data", DATA2)]) for n in HYP2], budget=int(B), periods=T)))
check(p.returncode == 0 and data and data["status"] == "optimal", f"closed form: {p.stderr}")
ecs = {n: inflexion(n, HYP2) for n in HYP2}
lo, hi = 1e-9, 100.0
for _ in range(200):
    lam = math.sqrt(lo * hi)
    x = {n: max(0.0, math.sqrt(HYP2[n][3] * ecs[n] / lam) - ecs[n]) for n in HYP2}
    lo, hi = (lam, hi) if sum(x.values()) * T > B else (lo, lam)
best = T * sum(HYP2[n][3] * x[n] / (ecs[n] + x[n]) for n in HYP2)
close(data["objective"]["value"], best, 2e-4 * best, "closed-form optimum of two Robyn curves")
for n in HYP2:
    close(channel(data, n)["spend"], T * x[n], 0.01 * T * x[n] + 1, f"{n}: spend at the optimum")

# ---- keys the plan gives win over the export -------------------------------
p, data = optimize_json(write(os.path.join(d, "override.ini"), plan(
    [("telly", imported("tv_S", adstock=0.2, beta=70000, ec=15000))])))
check(p.returncode == 0 and data, f"override: {p.stderr}")
c, a = channel(data, "telly"), 0.0
for q in c["periods"]:
    a = q["spend"] + 0.2 * a
    want = response("tv_S", a, beta=70000, ec=15000)
    close(q["kpis"]["revenue"], want, 1e-6 * max(1.0, want), f"override period {q['period']}")
close(c["carryover"]["adstock"], 0.2, 1e-12, "override: the plan's adstock")

# ec given: no data needed; a conversion model gives conversions
EXC = write_export("conv.json", export(dep_var_type="conversion"))
p, data = optimize_json(write(os.path.join(d, "conv.ini"), plan(
    [("fb", [("robyn", EXC), ("robyn_channel", "facebook_S"), ("ec", 9000)])]).replace(
        "max revenue", "max conversions")))
check(p.returncode == 0 and data, f"conversions: {p.stderr}")
c, a = channel(data, "fb"), 0.0
for q in c["periods"]:
    a = q["spend"] + 0.2 * a
    want = response("facebook_S", a, ec=9000)
    close(q["kpis"]["conversions"], want, 1e-6 * max(1.0, want), f"conversions {q['period']}")

# an S-shaped curve (alpha > 1) gets the concave envelope's warning
HYP3 = dict(HYP, tv_S=(2.5, 0.55, 0.5, 90000.0))
EX3 = write_export("s.json", export(hyp=HYP3))
p = run("optimize", write(os.path.join(d, "s.ini"), plan(
    [("telly", [("robyn", EX3), ("robyn_channel", "tv_S"), ("robyn_data", DATA)])])))
check(p.returncode == 0 and "S-shaped hill curve (slope 2.5)" in p.stderr, f"S-shape: {p.stderr}")


# ---- Robyn's curve with posterior draws of its beta (draws = FILE) -----------
# The draws 0.8 and 1.2 times the coefficient average to it: the plan is the
# plain import's, and the draws' outcomes are 0.8 and 1.2 times its objective.
DRAWS = write(os.path.join(d, "fb_draws.csv"), "draw,beta\n1,%r\n2,%r\n" % (
    0.8 * HYP["facebook_S"][3], 1.2 * HYP["facebook_S"][3]))
plain = plan([("fb", imported("facebook_S"))])
p1, d1 = optimize_json(write(os.path.join(d, "plain.ini"), plain))
p2, d2 = optimize_json(write(os.path.join(d, "drawn.ini"), plan(
    [("fb", imported("facebook_S", draws=DRAWS))])))
check(p1.returncode == 0 and p2.returncode == 0 and d1 and d2, f"draws: {p2.stderr}")
if d1 and d2:
    v = d1["objective"]["value"]
    close(d2["objective"]["value"], v, 1e-6 * v, "draws: the mean curve is the coefficient's")
    q = d2["quantiles"]["objective"]
    close(q["p10"], 0.8 * v, 1e-6 * v, "draws: P10 is the low draw's outcome")
    close(q["p90"], 1.2 * v, 1e-6 * v, "draws: P90 is the high draw's outcome")

# ---- bad exports and keys: exit 3, the file and the field named --------------
def bad(name, keys, *needles, plan_text=None):
    path = write(os.path.join(d, name + ".ini"), plan_text or plan([("telly", keys)]))
    p = run("validate", path)
    check(p.returncode == 3, f"{name}: exit {p.returncode}, expected 3\n{p.stderr}")
    for n in needles:
        check(n in p.stderr, f"{name}: the message says {n!r}\n{p.stderr}")


def broken(name, edit):
    ex = export()
    edit(ex)
    return write_export(name + ".json", ex)


bad("unknown channel", imported("tv_s"), "robyn: ", EXPORT, 'no channel "tv_s"',
    "InputCollect.paid_media_spends", "did you mean tv_S")
bad("missing gamma", [("robyn", broken("nogamma", lambda e: e["ExportedModel"]["hyper_values"]
                                       .pop("tv_S_gammas"))), ("robyn_channel", "tv_S"),
                      ("robyn_data", DATA)],
    "nogamma.json", "ExportedModel.hyper_values.tv_S_gammas", "robyn_write(")
bad("missing coef", [("robyn", broken("nocoef", lambda e: e["ExportedModel"]["summary"]
                                      .pop(1))), ("robyn_channel", "tv_S"), ("robyn_data", DATA)],
    "nocoef.json", "ExportedModel.summary coef of tv_S")
bad("no window", [("robyn", broken("nowin", lambda e: e["InputCollect"].pop("window_end"))),
                  ("robyn_channel", "tv_S"), ("robyn_data", DATA)],
    "nowin.json", "InputCollect.window_end")
bad("weibull", [("robyn", write_export("weibull.json", export(adstock="weibull_pdf"))),
                ("robyn_channel", "tv_S"), ("robyn_data", DATA)],
    "weibull.json", 'InputCollect.adstock is "weibull_pdf"', "geometric")
MALFORMED = write(os.path.join(d, "malformed.json"), json.dumps(export(), indent=2)[:700])
bad("malformed", [("robyn", MALFORMED), ("robyn_channel", "tv_S")], "malformed.json:",
    "not valid JSON")
bad("daily", [("robyn", write_export("daily.json", export(interval="day"))),
              ("robyn_channel", "tv_S"), ("robyn_data", DATA)],
    "robyn: ", "daily.json", "by day (InputCollect.intervalType)", "by week")
bad("exposure", [("robyn", broken("expo", lambda e: [
    e["ExportedModel"]["hyper_values"].update(
        {k.replace("facebook_S", "facebook_I"): e["ExportedModel"]["hyper_values"].pop(k)
         for k in list(e["ExportedModel"]["hyper_values"]) if k.startswith("facebook_S")})])),
    ("robyn_channel", "facebook_S"), ("robyn_data", DATA)],
    "expo.json", "facebook_I", "not on spend")
bad("no data", [("robyn", EXPORT), ("robyn_channel", "tv_S")], "robyn: ", "robyn_data")
bad("no robyn", [("robyn_channel", "tv_S"), ("curve", "hill"), ("beta", 10), ("ec", 10)],
    "robyn_channel: ", "needs robyn")
bad("conflict", imported("tv_S", curve="exp", k=1000), "curve: ", "hill curve")
bad("no column", imported("facebook_I"), 'no channel "facebook_I"')
NOCOL = write(os.path.join(d, "nocol.csv"), '"DATE","tv"\n"2023-01-02",5\n')
bad("data column", [("robyn", EXPORT), ("robyn_channel", "tv_S"), ("robyn_data", NOCOL)],
    "nocol.csv:1", 'no column "tv_S"')
bad("unsorted", [("robyn", EXPORT), ("robyn_channel", "tv_S"),
                 ("robyn_data", write_data("unsorted.csv", [0, 2, 1] + list(range(3, 30))))],
    "unsorted.csv:4", "dates must rise")
bad("empty window", [("robyn", EXPORT), ("robyn_channel", "tv_S"),
                     ("robyn_data", write_data("early.csv", range(5)))],
    "robyn_data: ", "no spend on tv_S")
# a search channel's clicks come from its keywords' auctions: the message names
# the channel as a planner would, not by its type keyword
KW = os.path.join(SRC, "datasets", "keywords", "fr_running.csv")
bad("robyn on search", [], 'channel "sea" is a search channel: a Robyn curve is for channels with a '
    "response curve (type = curve, tv, radio, social or press)",
    plan_text=plan([]) + f'\n[channel "sea"]\ntype = search\nkeywords = {KW}\nctr = 4%\n'
    f"cvr = 3%\nrobyn = {EXPORT}\nrobyn_channel = search_S\nrobyn_data = {DATA}\n")
bad("missing file", [("robyn", os.path.join(d, "nowhere.json")), ("robyn_channel", "tv_S")],
    "robyn: ", "nowhere.json")

# ---- the bundled example: figures from the fixture files, read here ---------
def fixture_response(export_path, data_path, rc, theta=None):
    """Robyn's curve of channel rc of the fixture, as a function of the
    adstock (the concave envelope below its tangent point when alpha > 1,
    as the README says mixplan takes it), and its theta."""
    with open(export_path, encoding="utf-8") as f:
        ex = json.load(f)
    hv = ex["ExportedModel"]["hyper_values"]
    alpha, gamma = hv[rc + "_alphas"][0], hv[rc + "_gammas"][0]
    th = hv[rc + "_thetas"][0] if theta is None else theta
    coef = [r["coef"] for r in ex["ExportedModel"]["summary"] if r["variable"] == rc][0]
    lo_day, hi_day = ex["InputCollect"]["window_start"][0], ex["InputCollect"]["window_end"][0]
    with open(data_path, encoding="utf-8") as f:
        rows = [l.strip().split(",") for l in f if l.strip()]
    head = [h.strip('"') for h in rows[0]]
    di, mi = head.index(ex["InputCollect"]["date_var"][0]), head.index(rc)
    a, window = 0.0, []
    for i, r in enumerate(rows[1:]):
        # Robyn adstocks with the export's theta, whatever the plan carries over
        a = float(r[mi]) + (hv[rc + "_thetas"][0] * a if i else 0.0)
        if lo_day <= r[di].strip('"') <= hi_day:
            window.append(a)
    ec = (1 - gamma) * min(window) + gamma * max(window)
    f = lambda x: coef * x ** alpha / (x ** alpha + ec ** alpha) if x > 0 else 0.0
    xs = ec * (alpha - 1) ** (1 / alpha) if alpha > 1 else 0.0
    return (lambda x: f(xs) * x / xs if x < xs else f(x)), th


EX = os.path.join(SRC, "datasets", "examples", "robyn_import.ini")
FIX = os.path.join(SRC, "datasets", "robyn")
p, data = optimize_json(EX)
check(p.returncode == 0 and data and data["status"] == "optimal", f"example: {p.stderr}")
for name, rc, theta in (("tv_spots", "tv_S", None), ("meta", "facebook_S", None),
                        ("search_S", "search_S", None), ("ooh", "ooh_S", 0.5)):
    f, th = fixture_response(os.path.join(FIX, "RobynModel-3_152_4.json"),
                             os.path.join(FIX, "dt_input_weekly.csv"), rc, theta)
    c, a = channel(data, name), 0.0
    for q in c["periods"]:
        a = q["spend"] + th * a
        close(q["kpis"]["revenue"], f(a), 1e-6 * max(1.0, f(a)),
              f"example {name} period {q['period']}")
tv = channel(data, "tv_spots")
close(tv["kpis"]["grp"], tv["spend"] / 1800, 1e-6 * tv["spend"], "example: tv's GRP at its cpp")
done()
