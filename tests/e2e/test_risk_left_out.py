"""A plan chosen for the bad draws (risk = cvar or worst) may leave out a
channel whose next euro returns more on average than a bought channel's:
in the draws the plan weighs it returns less. The "what stops each channel"
line says so with both figures, in English and in French, on the terminal,
in the JSON and on the Summary sheet.

The expected figures are computed here from the curves' closed forms
(conversions = beta (1 - exp(-x / k)), so the next euro returns
beta / k exp(-x / k)) and from the draws as this test writes them: each
draw's outcome at the plan's spends, the worst 10 % of the weight (or the
worst draw), and the channels' returns in those draws. A channel left out
brings the same in every draw, so when only it is uncertain every draw ties
and the tail is where its own return is lowest (the range's low point)."""
import math
import os
import re
import subprocess

import openpyxl

from mpcommon import *

d = tmpdir("risk_left_out")
TV_K, WEB_K = 60000.0, 20000.0
CAPPED = 30000.0  # radio1 returns far more: at its max_spend, web takes the rest


def slope(beta, k, x):
    """The next euro's conversions per kEUR of beta (1 - exp(-x / k)) at x."""
    return 1000 * beta / k * math.exp(-x / k)


def plan(name, budget, risk, tv_beta, web_beta):
    return write(os.path.join(d, name + ".ini"), f"""[plan]
budget = {budget:g}
start = 2027-03-01
periods = 1
objective = max conversions
{risk}

[channel "tf1"]
type = curve
curve = exp
{tv_beta}
k = {TV_K:g}

[channel "web"]
type = curve
curve = exp
{web_beta}
k = {WEB_K:g}

[channel "radio1"]
type = curve
curve = exp
beta = 5000
k = 20000
max_spend = {CAPPED:g}
""")


def left_out(name, path, tv_tail, web_tail, mean_tv, level="10%"):
    """tv left out of the plan at path, its limit line giving tv_tail and
    web_tail (conv/kEUR, computed by the caller from web's spend)."""
    p, data = optimize_json(path)
    check(p.returncode == 0 and data, f"{name}: exit {p.returncode}: {p.stderr}")
    tv, web = channel(data, "tf1"), channel(data, "web")
    check(abs(tv["spend"]) < 1e-6, f"{name}: tv left out, spend {tv['spend']}")
    close(channel(data, "radio1")["spend"], CAPPED, 1e-9, f"{name}: radio1 at its max_spend")
    wt = web_tail(web["spend"])
    # the contradiction the line explains: tv's mean return is above web's
    close(1000 * tv["marginal_return"], mean_tv, 1e-4, f"{name}: tv's mean return")
    check(1000 * tv["marginal_return"] > 1000 * web["marginal_return"] > 0,
          f"{name}: tv returns more on average ({tv['marginal_return']}) than web "
          f"({web['marginal_return']})")
    check(tv_tail < wt, f"{name}: the hand tail figures put tv ({tv_tail}) below web ({wt})")
    where = "in the worst draw" if level is None else f"in the worst {level} of the draws"
    want = (f"left out: {where} its next euro brings {fmt3(tv_tail)} conv/kEUR, "
            f"web's {fmt3(wt)}")
    lim = tv["limit"]
    check(lim["reason"] == "saturation" and lim["text"] == want,
          f"{name}: tv's limit {lim}, want {want!r}")
    print(f"{name}: {lim['text']}")
    return wt


# A: tv's beta a range (its low point weighs 1/6, above the 10 % the plan
# averages): every draw ties with tv at nothing, so the tail is tv's low point.
TV_BETA, WEB_BETA, BUDGET = 910.0, 1000.0, 26000.0
a = plan("a", BUDGET + CAPPED, "risk = cvar 10%", f"beta = {TV_BETA:g} ± 15%", f"beta = {WEB_BETA:g}")
left_out("A (range)", a, 0.85 * slope(TV_BETA, TV_K, 0), lambda x: slope(WEB_BETA, WEB_K, x),
         slope(TV_BETA, TV_K, 0))

# The terminal in French and the Summary sheet in French and English.
env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
env["LANG"] = "fr_FR.UTF-8"
tv_fr, web_fr = fmt3(0.85 * slope(TV_BETA, TV_K, 0), True), fmt3(slope(WEB_BETA, WEB_K, BUDGET), True)
want_fr = (f"laissé de côté\u00a0: dans les 10\u00a0% pires tirages, son euro suivant rapporte {tv_fr} "
           f"conv/kEUR, celui de web {web_fr}")
for lang in ("fr", "en"):
    book = os.path.join(d, f"a_{lang}.xlsx")
    p = subprocess.run([*valgrind_prefix(), MIXPLAN, "optimize", a, "-o", book, "--lang", lang],
                       capture_output=True, text=True, env=env, timeout=600)
    check(p.returncode == 0, f"A --lang {lang}: {p.stderr}")
    said = re.sub(r"\n {19}(?=\S)", " ", p.stdout)  # past 100 columns it goes on under itself
    check(["tf1", want_fr] in [x.split(None, 1) for x in said.splitlines()],
          f"A: the French terminal line:\n{p.stdout}")
    ws = openpyxl.load_workbook(book).worksheets[0]
    texts = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] == "tf1" and r[1]}
    want = want_fr if lang == "fr" else (
        f"left out: in the worst 10% of the draws its next euro brings "
        f"{fmt3(0.85 * slope(TV_BETA, TV_K, 0))} conv/kEUR, web's {fmt3(slope(WEB_BETA, WEB_K, BUDGET))}")
    check(texts.get("tf1") == want, f"A: Summary sheet ({lang}): {texts}, want {want!r}")

# B: aligned draws files, 20 draws: web's two lowest betas make the worst
# 10 %, and tv's betas are low in those two draws, high in the others.
web_b = [800.0, 820.0] + [1000.0 + 15 * i for i in range(18)]
tv_b = [610.0, 650.0] + [1200.0 + 10 * i for i in range(18)]
for name, betas in (("web", web_b), ("tf1", tv_b)):
    write(os.path.join(d, name + "_draws.csv"),
          "draw,beta\n" + "".join(f"{i},{b:g}\n" for i, b in enumerate(betas)))
mean_tv = slope(sum(tv_b) / len(tv_b), TV_K, 0)


def tail(level, worst=False):
    """tv's and web's tail returns from the draws: the draws by web's outcome
    at its spend (tv brings nothing), the worst `level` of the weight."""
    order = sorted(range(len(web_b)), key=lambda i: web_b[i])  # outcome rises with beta
    n = 1 if worst else round(level * len(web_b))
    pick = order[:n]
    tv_t = sum(slope(tv_b[i], TV_K, 0) for i in pick) / n
    return tv_t, lambda x: sum(slope(web_b[i], WEB_K, x) for i in pick) / n


for name, risk, worst in (("B (cvar)", "risk = cvar 10%", False), ("C (worst)", "risk = worst", True)):
    path = plan(name[0].lower(), 24000 + CAPPED, risk, "draws = tf1_draws.csv", "draws = web_draws.csv")
    tv_t, web_t = tail(0.1, worst)
    left_out(name, path, tv_t, web_t, mean_tv, None if worst else "10%")
done()
