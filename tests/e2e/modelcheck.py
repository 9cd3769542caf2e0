"""An independent reading of the README's model, for tests that recompute a
plan's figures from the spends mixplan reports.

A plan is written from Python data (PlanSpec), so that the test knows every
parameter without reading the program's own echo of it. From the reported
spend of each channel and period, this module computes every KPI by the
README's formulas ("The model", "Media-type keys", "Units and typical
ranges"), every constraint row's measure, and the JSON's totals; it never
asks mixplan for a figure it checks.

Tolerances: linear figures (spend, impressions from a CPM, GRP from a cost
per GRP, insertions, CO2e from units, shares) must match to 1e-9 relative.
Concave figures (social clicks, response curves, reach) are today the
piecewise-linear values, within `precision` x the curve's range of the exact
curve until issue 11 ("Exact figures") made them the exact model's values at
the LP's spends: they are now checked to CONCAVE_TOL_FACTOR of that."""
import math
import re
from datetime import date

from mpcommon import check, close

# Reported figures are the exact model's values at the LP's spends (issue 11,
# exact figures): concave figures are checked to this fraction of the
# curve tolerance. A binding row over a concave KPI is at its bound on the
# piecewise-linear curves the LP solved, so only within the full curve
# tolerance on the exact ones (BINDING_TOL_FACTOR).
CONCAVE_TOL_FACTOR = 1e-7
BINDING_TOL_FACTOR = 1.0
LINEAR_REL = 1e-9
BIND_REL = 1e-6

MEDIA = ("search", "social", "tv", "radio", "press", "curve")
DIGITAL_TYPES = {"search": True, "social": True, "curve": True,
                 "tv": False, "radio": False, "press": False}
KPIS = ("impressions", "clicks", "conversions", "revenue", "grp", "co2")


def amount(text):
    """A value as the README spells it: 25%, 2k, 15M, 25t (tonnes of CO2e), 2.5."""
    t = str(text).strip()
    mult = 1.0
    if t.endswith("%"):
        return float(t[:-1]) / 100
    for suffix, m in (("k", 1e3), ("M", 1e6), ("t", 1e3)):
        if t.endswith(suffix):
            t, mult = t[:-1], m
    return float(t) * mult


def day(iso):
    return date.fromisoformat(iso).toordinal()


def price_index(rate, price_day, period_start, period_end):
    """(1 + rate)^years from price_day to the middle of the period."""
    years = ((period_start + period_end) / 2 - price_day) / 365.25
    return (1 + rate) ** years


def response(ch, x):
    """The channel's MMM curve at x (currency at the data's prices), 0 without one."""
    fam = ch.get("response")
    if not fam or x <= 0:
        return 0.0
    beta = ch["beta"]
    k = ch.get("response_k", ch.get("k"))
    if fam == "exp":
        return beta * -math.expm1(-x / k)
    if fam == "michaelis-menten":
        return beta * x / (k + x)
    if fam == "hill":
        a = (x / ch["ec"]) ** ch["slope"]
        return beta * a / (1 + a)
    if fam == "logistic":
        e = math.exp(-ch["lambda"] * x / ch["scale"])
        return beta * (1 - e) / (1 + e)
    raise ValueError(fam)


class PlanSpec:
    """plan: [plan] keys; channels: {name: keys}; constraints: {name: expr};
    periods: {N: keys}. Numbers the model reads are given as numbers (rates
    as fractions), so that the INI and the test read the same value."""

    def __init__(self, plan, channels, constraints=None, periods=None):
        self.plan = plan
        self.channels = channels
        self.constraints = constraints or {}
        self.periods = periods or {}

    def ini(self):
        out = ["[plan]"] + [f"{k} = {v}" for k, v in self.plan.items()]
        for n, keys in sorted(self.periods.items()):
            out += [f"[period {n}]"] + [f"{k} = {v}" for k, v in keys.items()]
        for name, keys in self.channels.items():
            out += [f'[channel "{name}"]'] + [f"{k} = {v}" for k, v in keys.items()]
        for name, expr in self.constraints.items():
            out += [f'[constraint "{name}"]', f"expr = {expr}"]
        return "\n".join(out) + "\n"

    # ---- the calendar and prices ------------------------------------------
    def nperiods(self):
        return int(self.plan.get("periods", 1))

    def period_bounds(self, t):
        start = day(self.plan["start"])
        step = 7  # weeks only in these tests
        return start + step * t, start + step * (t + 1)

    def weight(self, t):
        if "seasonality" in self.plan:
            return float(str(self.plan["seasonality"]).split(",")[t])
        return float(self.periods.get(t + 1, {}).get("weight", 1))

    def period_cap(self, t):
        keys = self.periods.get(t + 1, {})
        if "budget" in keys:
            return amount(keys["budget"])
        if "period_budget" in self.plan:
            return amount(self.plan["period_budget"])
        return math.inf

    def level(self, name, t):
        """The channel's price index in period t (not search: see test_search_formulas)."""
        ch = self.channels[name]
        rate = float(ch.get("inflation", 0))
        price_day = day(ch["price_date"]) if "price_date" in ch else day(self.plan["start"])
        return price_index(rate, price_day, *self.period_bounds(t))

    def universe(self):
        return amount(self.plan["universe"]) if "universe" in self.plan else 0.0

    def digital(self, name):
        ch = self.channels[name]
        if "digital" in ch:
            return ch["digital"] == "yes"
        return DIGITAL_TYPES[ch["type"]]

    # ---- the media models ---------------------------------------------------
    def period_kpis(self, name, t, spend, factor=None):
        """(exact KPIs, tolerance per KPI) of channel name in period t at spend;
        factor scales the curve tolerance (default CONCAVE_TOL_FACTOR)."""
        ch = self.channels[name]
        w = self.weight(t)
        x = spend / self.level(name, t)
        v = dict.fromkeys(KPIS, 0.0)
        tol = dict.fromkeys(KPIS, 0.0)
        prec = self.precision(factor)
        co2 = float(ch.get("co2", 0))
        typ = ch["type"]
        if typ == "social":
            n = amount(ch.get("audience", self.plan.get("universe")))
            v["impressions"] = 1000 * x / ch["cpm"]
            reached = n * -math.expm1(-v["impressions"] / n)
            v["clicks"] = w * ch["ctr"] * reached
            tol["clicks"] = prec * w * ch["ctr"] * n
            cvr, value = ch.get("cvr", 0), ch.get("value", 0)
            v["conversions"], tol["conversions"] = cvr * v["clicks"], cvr * tol["clicks"]
            v["revenue"], tol["revenue"] = value * v["conversions"], value * tol["conversions"]
            v["co2"] = co2 * v["impressions"] / 1000
        elif typ in ("tv", "radio"):
            v["grp"] = x / ch["cpp"]
            u = amount(ch["universe"]) if "universe" in ch else self.universe()
            v["impressions"] = v["grp"] / 100 * u  # a GRP is 1 % of the universe reached once
            v["co2"] = co2 * v["grp"]
        elif typ == "press":
            ins = x / ch["cpi"]
            v["impressions"] = ins * amount(ch["audience"])
            v["co2"] = co2 * ins
        if ch.get("response"):
            y = w * response(ch, x)
            ytol = prec * w * ch["beta"]
            value = ch.get("value", 0)
            if ch.get("kpi", "conversions") == "revenue":
                v["revenue"] += y
                tol["revenue"] += ytol
                if value:
                    v["conversions"] += y / value
                    tol["conversions"] += ytol / value
            else:
                v["conversions"] += y
                tol["conversions"] += ytol
                v["revenue"] += y * value
                tol["revenue"] += ytol * value
        return v, tol

    def precision(self, factor=None):
        f = CONCAVE_TOL_FACTOR if factor is None else factor
        return amount(self.plan.get("precision", "0.1%")) * f

    def campaign_reach(self, name, period_spends, factor=None):
        """People reached by the channel over the campaign, and a tolerance."""
        ch = self.channels[name]
        prec = self.precision(factor)
        typ = ch["type"]
        if typ in ("tv", "radio"):
            grp = sum(s / self.level(name, t) / ch["cpp"] for t, s in enumerate(period_spends))
            u = amount(ch["universe"]) if "universe" in ch else self.universe()
            top = u * amount(ch.get("rmax", "85%"))
            return top * -math.expm1(-float(ch.get("k", 0.0058)) * grp), prec * top
        if typ == "press":
            ins = sum(s / self.level(name, t) / ch["cpi"] for t, s in enumerate(period_spends))
            r = amount(ch.get("readership", 2 * amount(ch["audience"])))
            return r * -math.expm1(-ins * amount(ch["audience"]) / r), prec * r
        if typ == "social":
            n = amount(ch.get("audience", self.plan.get("universe")))
            imp = sum(1000 * s / self.level(name, t) / ch["cpm"]
                      for t, s in enumerate(period_spends))
            return n * -math.expm1(-imp / n), prec * n
        return 0.0, 0.0

    def channel_figures(self, data, factor=None):
        """{name: (kpis, tolerances)} over the campaign, from the reported
        period spends only."""
        out = {}
        for ch in data["channels"]:
            spends = [p["spend"] for p in ch["periods"]]
            k = dict.fromkeys(KPIS, 0.0)
            tol = dict.fromkeys(KPIS, 0.0)
            for t, s in enumerate(spends):
                v, dv = self.period_kpis(ch["name"], t, s, factor)
                for q in KPIS:
                    k[q] += v[q]
                    tol[q] += dv[q]
            k["spend"], tol["spend"] = sum(spends), 0.0
            k["reach"], tol["reach"] = self.campaign_reach(ch["name"], spends, factor)
            out[ch["name"]] = (k, tol)
        return out

    # ---- constraint rows ----------------------------------------------------
    def members(self, names):
        """Channel names of a constraint's list (names, media types,
        digital / offline / all); None: the whole plan."""
        if names is None:
            return list(self.channels)
        out = []
        for n in names:
            for c in self.channels:
                typ = self.channels[c]["type"]
                if (n == c or n == typ or n == "all" or (n == "digital" and self.digital(c))
                        or (n == "offline" and not self.digital(c))) and c not in out:
                    out.append(c)
        return out

    def measure(self, expr, figs):
        """(measure, tolerance, linear?) of a constraint expression at figs."""
        m = re.fullmatch(r"\s*(\w+)\s*(?:\(([^)]*)\))?\s*(<=|>=|=)\s*(\S+)\s*", expr)
        what, names, op, value = m.group(1), m.group(2), m.group(3), m.group(4)
        chans = self.members([n.strip() for n in names.split(",")] if names else None)
        tot = lambda q: sum(figs[c][0][q] for c in chans)
        dtot = lambda q: sum(figs[c][1][q] for c in chans)
        all_spend = sum(figs[c][0]["spend"] for c in self.channels)
        bound = amount(value)
        if what in ("spend", "cost"):
            return tot("spend"), 0.0, True, op, bound
        if what == "share":
            return tot("spend") / all_spend, 0.0, True, op, bound
        if what == "cpa":
            s, c, dc = tot("spend"), tot("conversions"), dtot("conversions")
            if c <= dc:
                return None, 0.0, True, op, bound
            return s / c, s * dc / (c * (c - dc)), dc == 0, op, bound
        if what == "roas":
            s, r, dr = tot("spend"), tot("revenue"), dtot("revenue")
            return r / s, dr / s, dr == 0, op, bound
        if what == "reach" and value.endswith("%"):
            bound *= self.universe()
        return tot(what), dtot(what), dtot(what) == 0, op, bound


def holds(value, op, bound, tol):
    slack = tol + 1e-9 * max(1.0, abs(bound))
    return {"<=": value <= bound + slack, ">=": value >= bound - slack,
            "=": abs(value - bound) <= slack}[op]


def check_rows(spec, data, binding, label):
    """Every row of the JSON recomputed from the reported spends: it holds,
    the rows named in binding sit at their bound (1e-6 relative when linear,
    within the curve tolerance when concave) and are reported binding, and
    the JSON's value of each row is the recomputed one."""
    figs = spec.channel_figures(data)
    loose = spec.channel_figures(data, BINDING_TOL_FACTOR)
    rows = {r["name"]: r for r in data["constraints"]}
    seen = set()
    total = sum(f[0]["spend"] for f in figs.values())
    budget = amount(spec.plan["budget"])
    exact = spec.plan.get("budget_mode") == "exact"
    want = {"budget": ("=" if exact else "<=", total, budget, 0.0, True)}
    for t in range(spec.nperiods()):
        cap = spec.period_cap(t)
        if math.isfinite(cap):
            spent = sum(ch["periods"][t]["spend"] for ch in data["channels"])
            want[f"budget_p{t + 1}"] = ("<=", spent, cap, 0.0, True)
    for name, ch in spec.channels.items():
        row_name = re.sub(r"[^A-Za-z0-9_]", "_", name)
        for key, op in (("min_spend", ">="), ("max_spend", "<="), ("fixed_spend", "=")):
            if key in ch:
                want[f"{key}_{row_name}"] = (op, figs[name][0]["spend"], amount(ch[key]), 0.0, True)
    bind_tol = {}
    for name, expr in spec.constraints.items():
        value, tol, linear, op, bound = spec.measure(expr, figs)
        want[name] = (op, value, bound, tol, linear)
        bind_tol[name] = spec.measure(expr, loose)[1]
    check(set(want) == set(rows), f"{label}: rows {sorted(rows)}, expected {sorted(want)}")
    for name, (op, value, bound, tol, linear) in want.items():
        r = rows.get(name)
        if r is None:
            continue
        if value is None:
            check(False, f"{label} {name}: no measure (no conversions); choose another plan")
            continue
        seen.add(name)
        check(r["op"] == op, f"{label} {name}: op {r['op']}, expected {op}")
        close(r["bound"], bound, 1e-12 * abs(bound), f"{label} {name}: bound")
        check(holds(value, op, bound, tol),
              f"{label} {name}: {value!r} {op} {bound!r} does not hold (tolerance {tol:g})")
        scale = max(abs(bound), abs(value), 1e-300)
        close(r["value"], value, tol + (BIND_REL if not linear else LINEAR_REL * 1e3) * scale,
              f"{label} {name}: the JSON's value is the measure at the reported spends")
        if name in binding:
            check(r["binding"], f"{label} {name}: binding by construction")
        if name in binding or r["binding"]:
            close(value, bound, (BIND_REL * scale) if linear else bind_tol[name] + BIND_REL * scale,
                  f"{label} {name}: a binding row sits at its bound")
    return figs


def check_channel_caps(spec, data, binding, label):
    """Per-period caps of a channel (README, media-type keys): GRP under
    max_grp, insertions under max_insertions, impressions under
    max_frequency x audience (default 20); the (channel, period) pairs in
    binding sit exactly at their cap."""
    for ch in data["channels"]:
        keys = spec.channels[ch["name"]]
        for t, p in enumerate(ch["periods"]):
            x = p["spend"] / spec.level(ch["name"], t)
            if keys["type"] in ("tv", "radio") and "max_grp" in keys:
                used, cap = x / keys["cpp"], float(keys["max_grp"])
            elif keys["type"] == "press" and "max_insertions" in keys:
                used, cap = x / keys["cpi"], float(keys["max_insertions"])
            elif keys["type"] == "social":
                n = amount(keys.get("audience", spec.plan.get("universe")))
                used, cap = 1000 * x / keys["cpm"], float(keys.get("max_frequency", 20)) * n
            else:
                continue
            what = f"{label} {ch['name']} P{t + 1}: {used!r} under its cap {cap!r}"
            check(used <= cap * (1 + LINEAR_REL), what)
            if (ch["name"], t + 1) in binding:
                close(used, cap, BIND_REL * cap, f"{label} {ch['name']} P{t + 1}: at its cap")


def check_kpis(spec, data, label):
    """Every channel's and period's KPIs against the README's formulas at the
    reported spends."""
    figs = spec.channel_figures(data)
    for ch in data["channels"]:
        name = ch["name"]
        for t, p in enumerate(ch["periods"]):
            v, tol = spec.period_kpis(name, t, p["spend"])
            for q in KPIS:
                got = p["kpis"][q]
                close(got, v[q], tol[q] + LINEAR_REL * max(1.0, abs(v[q])),
                      f"{label} {name} P{t + 1} {q} ({spec.channels[name]['type']})")
        k, tol = figs[name]
        for q in KPIS + ("reach",):
            close(ch["kpis"][q], k[q], tol[q] + LINEAR_REL * max(1.0, abs(k[q])),
                  f"{label} {name} campaign {q}")
    return figs


def check_totals(data, label):
    """The JSON's totals are the sums of their parts (a test of the reports,
    independent of the model): periods -> channel, channels -> plan, channels
    -> media and digital / offline, shares, the objective."""
    chans = data["channels"]
    rel = 1e-9
    for ch in chans:
        close(ch["kpis"]["spend"], ch["spend"], rel * (1 + ch["spend"]), f"{label} {ch['name']} kpis.spend")
        close(sum(p["spend"] for p in ch["periods"]), ch["spend"], rel * (1 + ch["spend"]),
              f"{label} {ch['name']}: periods add up to the spend")
        for q in KPIS:
            s = sum(p["kpis"][q] for p in ch["periods"])
            close(s, ch["kpis"][q], rel * (1 + abs(s)), f"{label} {ch['name']}: periods add up to {q}")
        check(all(p["kpis"]["reach"] is None for p in ch["periods"]),
              f"{label} {ch['name']}: period reach is null")
    total = sum(ch["spend"] for ch in chans)
    close(data["kpis"]["spend"], total, rel * (1 + total), f"{label} total spend")
    for q in KPIS:
        s = sum(ch["kpis"][q] for ch in chans)
        close(data["kpis"][q], s, rel * (1 + abs(s)), f"{label} total {q} = sum of channels")
    s = sum(ch["kpis"]["reach"] for ch in chans)
    close(data["kpis"]["reach_summed"], s, rel * (1 + s), f"{label} reach_summed = sum of channels")
    for ch in chans:
        close(ch["share"], ch["spend"] / total if total else 0, rel, f"{label} {ch['name']} share")
    # de-duplicated reach under independent duplication: U (1 - prod(1 - r_i / U)),
    # the plan's reach when it has a universe (the sum of the channels' without)
    u = data["plan"].get("universe")
    if u:
        miss = 1.0
        for ch in chans:
            miss *= 1 - min(ch["kpis"]["reach"] / u, 1.0)
        close(data["kpis"]["reach_dedup"], u * (1 - miss), rel * u, f"{label} de-duplicated reach")
        close(data["kpis"]["reach"], u * (1 - miss), rel * u, f"{label} reach is de-duplicated")
    else:
        close(data["kpis"]["reach"], s, rel * (1 + s), f"{label} total reach = sum of channels")
    media = data["media"]
    check(set(media) == set(MEDIA) | {"digital", "offline"}, f"{label} media keys {sorted(media)}")
    for m in MEDIA:
        s = sum(ch["spend"] for ch in chans if ch["type"] == m)
        close(media[m], s, rel * (1 + s), f"{label} media.{m} = sum of its channels")
    for key, flag in (("digital", True), ("offline", False)):
        s = sum(ch["spend"] for ch in chans if ch["digital"] == flag)
        close(media[key], s, rel * (1 + s), f"{label} media.{key} = sum of its channels")
    obj = data["objective"]
    if obj["kpi"] in data["kpis"]:
        close(obj["value"], data["kpis"][obj["kpi"]], rel * (1 + abs(obj["value"])),
              f"{label} objective = kpis.{obj['kpi']}")
    if data.get("keywords"):
        for ch in chans:
            if ch["type"] != "search":
                continue
            mine = [k for k in data["keywords"] if k["channel"] == ch["name"]]
            for q in ("spend", "clicks", "conversions", "revenue", "impressions"):
                s = sum(k[q] for k in mine)
                want = ch["spend"] if q == "spend" else ch["kpis"][q]
                close(s, want, 1e-6 * (1 + abs(want)), f"{label} {ch['name']}: keywords add up to {q}")
    for g in data.get("groups", []):
        mine = [k for k in data["keywords"] if k["channel"] == g["channel"] and k["group"] == g["group"]]
        check(g["keywords"] == len(mine), f"{label} group {g['group']}: keyword count")
        for q in ("spend", "clicks", "conversions", "revenue"):
            s = sum(k[q] for k in mine)
            close(g[q], s, 1e-6 * (1 + abs(s)), f"{label} group {g['group']}: {q}")
