"""Posterior draws written as the README's lines for PyMC-Marketing and
Meridian write them (Posterior draws from Meridian and PyMC-Marketing). The
packages cannot be installed here (no PyPI), so the test makes a posterior
of its own and writes each channel's CSV as those lines do (pandas'
to_csv(index=False): a header, one row per draw, the draw column first),
the README's mapping applied here to each package's parameters. Then every
figure mixplan reports at its spends is checked against the packages' own
response, computed here as their sources define it:

  PyMC-Marketing: target_scale * saturation_beta * logistic(lam * s), s the
    spend adstocked with weights alpha^i, i < L, normalised to sum 1, over
    channel_scale; logistic(z) = (1 - e^-z) / (1 + e^-z);
  Meridian: beta_gm * stdev * population * hill(m; ec_m, slope_m), m the
    spend adstocked with weights alpha^i, i <= max_lag, normalised, over
    population * median; hill(m) = m^s / (m^s + ec^s).

With the plan shorter than the lag window and nothing spent before it, the
normalised convolution is the plan's geometric adstock over the
normalisation (the README's factor in scale and ec), so the figures agree to
rounding: each period's expected conversions per channel, the plan's
quantiles over the draws and each channel's."""
import math
import os

import numpy as np

from mpcommon import *

d = tmpdir("mmm_draws")
T, BUDGET, ND = 3, 150000.0, 40
rng = np.random.default_rng(20261129)

# PyMC-Marketing (LogisticSaturation, GeometricAdstock(l_max=8), normalize=True)
PM_L, PM_ALPHA, PM_CH_SCALE, PM_TGT_SCALE = 8, 0.35, 52000.0, 180.0
pm_beta = rng.lognormal(math.log(4.0), 0.2, ND)   # saturation_beta, target-scaled
pm_lam = rng.lognormal(math.log(2.5), 0.15, ND)   # saturation_lam
# Meridian (national, hill after adstock, max_lag 6); slopes at most 1, so
# every draw's curve is concave and used as it is
MR_L, MR_ALPHA, MR_POP, MR_MEDIAN, MR_STDEV = 6, 0.5, 1.0, 30000.0, 95.0
mr_beta = rng.lognormal(math.log(9.0), 0.2, ND)   # beta_gm
mr_ec = rng.lognormal(math.log(0.9), 0.2, ND)     # ec_m, in population-scaled media units
mr_slope = rng.uniform(0.6, 1.0, ND)              # slope_m
draw_ids = np.arange(ND)


def to_csv(path, cols):
    """pandas.DataFrame(cols).to_csv(path, index=False): repr floats."""
    names = list(cols)
    rows = [",".join(repr(float(cols[n][i])) if n != "draw" else str(int(cols[n][i]))
                     for n in names) for i in range(ND)]
    write(path, ",".join(names) + "\n" + "\n".join(rows) + "\n")


# the README's lines, column for column
pm_norm = (1 - PM_ALPHA ** PM_L) / (1 - PM_ALPHA)
to_csv(os.path.join(d, "meta_draws.csv"), {
    "draw": draw_ids,
    "beta": pm_beta * PM_TGT_SCALE,
    "lambda": pm_lam,
    "scale": np.full(ND, PM_CH_SCALE * pm_norm),
})
mr_norm = (1 - MR_ALPHA ** (MR_L + 1)) / (1 - MR_ALPHA)
to_csv(os.path.join(d, "tv_draws.csv"), {
    "draw": draw_ids,
    "beta": mr_beta * MR_STDEV * MR_POP,
    "ec": mr_ec * MR_POP * MR_MEDIAN * mr_norm,
    "slope": mr_slope,
})
plan = write(os.path.join(d, "mmm.ini"), f"""[plan]
budget = {BUDGET:.0f}
start = 2027-03-01
periods = {T}
objective = max conversions
precision = 0.01%

[channel "meta"]
type = curve
curve = logistic
draws = meta_draws.csv
adstock = {PM_ALPHA}

[channel "telly"]
type = curve
curve = hill
draws = tv_draws.csv
adstock = {MR_ALPHA}
""")


def convolve(x, alpha, lags):
    """Each period's adstock: weights alpha^i over `lags` lags, normalised."""
    w = alpha ** np.arange(lags)
    return np.array([sum(w[i] * x[t - i] for i in range(min(t + 1, lags))) for t in range(T)]) / w.sum()


def pymc_response(x):
    """[draw, period] conversions of the PyMC-Marketing channel at spends x."""
    s = convolve(np.asarray(x), PM_ALPHA, PM_L) / PM_CH_SCALE
    z = np.outer(pm_lam, s)
    return PM_TGT_SCALE * pm_beta[:, None] * -np.expm1(-z) / (1 + np.exp(-z))


def meridian_response(x):
    """[draw, period] conversions of the Meridian channel at spends x."""
    m = convolve(np.asarray(x), MR_ALPHA, MR_L + 1) / (MR_POP * MR_MEDIAN)
    ms = m[None, :] ** mr_slope[:, None]
    hill = ms / (ms + mr_ec[:, None] ** mr_slope[:, None])
    return mr_beta[:, None] * MR_STDEV * MR_POP * hill


def inverted_cdf(x, p):
    """Equal weights: the smallest outcome with at least p of them at or below it."""
    xs = np.sort(x)
    return float(xs[max(0, math.ceil(p * len(xs) - 1e-9) - 1)])


p, data = optimize_json(plan)
check(p.returncode == 0 and data and data["status"] == "optimal", f"mmm draws: {p.stderr}")
if data:
    ch = {c["name"]: c for c in data["channels"]}
    resp = {"meta": pymc_response([q["spend"] for q in ch["meta"]["periods"]]),
            "telly": meridian_response([q["spend"] for q in ch["telly"]["periods"]])}
    for name, r in resp.items():
        for t in range(T):
            want = float(r[:, t].mean())
            close(ch[name]["periods"][t]["kpis"]["conversions"], want, 1e-7 * want,
                  f"{name} period {t + 1}: expected conversions against the package's curve")
    q = data["quantiles"]
    tot = resp["meta"].sum(axis=1) + resp["telly"].sum(axis=1)
    outs = {"objective": tot, "meta": resp["meta"].sum(axis=1), "telly": resp["telly"].sum(axis=1)}
    for what, y in outs.items():
        got = q["objective"] if what == "objective" else q["channels"][what]
        close(got["mean"], float(y.mean()), 1e-7 * y.mean(), f"{what}: mean over the draws")
        for key, pr in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
            close(got[key], inverted_cdf(y, pr), 1e-7 * y.mean(), f"{what}: {key}")
    check(q["draws"] == "aligned" and data["kpis"]["spend"] <= BUDGET * (1 + 1e-9),
          f"aligned draws, the budget kept: {q['draws']}, {data['kpis']['spend']}")
    print(f"mmm draws: {float(tot.mean()):.3f} conversions expected, "
          f"meta {ch['meta']['spend']:.0f}, telly {ch['telly']['spend']:.0f}")

done()
