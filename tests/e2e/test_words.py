"""The plan in words in both languages: the spring example's binding lines,
their ranges and what stops each channel, on the French terminal
(LANG=fr_FR.UTF-8) and in a --lang fr workbook (Summary, Channels,
Constraints), with every figure in them recomputed here from the JSON's
shadow_price, range and marginal_return and written the French way (narrow
no-break space between thousands, decimal comma); the English Summary's
binding lines are the English terminal's. The French words are po/fr.po's,
written out here."""
import math
import os
import re
import subprocess

import openpyxl

from mpcommon import *

d = tmpdir("words")
spring = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
NB = "\u202f"


def run_env(env, *args):
    """The CLI with the locale variables of env alone (the caller's removed)."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    p = subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
                       env={**base, **env}, timeout=600)
    check(p.returncode == 0, f"{args}: {p.stderr}")
    return logical(p.stdout)


def num(v, dec, fr):
    """v with dec decimals and thousands separated, English or French."""
    s = f"{v:,.{dec}f}"
    return s.replace(",", NB).replace(".", ",") if fr else s


def price(v, fr):
    """A shadow price or a marginal return: three significant digits."""
    a = abs(v)
    if a < 1:
        s = f"{v:.3g}"
        return s.replace(".", ",") if fr else s
    return num(v, 0 if a >= 100 else 1 if a >= 10 else 2, fr)


def end_value(v, cur, fr):
    """A range end rounded to three significant digits, in k-currency from 10,000."""
    if v != 0:
        p = 10 ** (3 - math.ceil(math.log10(abs(v))))
        v = round(v * p) / p
    if abs(v) >= 10000:
        k = v / 1000
        return f"{num(k, 0 if abs(k) >= 100 else 1, fr)} k{cur}"
    return f"{num(v, 0 if abs(v) >= 100 or v == 0 else 1, fr)} {cur}"


def end_words(end, fr):
    who = "le budget" if end["row"] == "budget" and fr else end["row"]
    if end["what"] == "binds":
        return f"{who} entre aussi en jeu" if fr else f"{who} is reached too"
    if end["what"] == "takes_over":
        return f"{who} prend le relais" if fr else f"{who} takes over"
    if end["what"] == "unbinds":
        return "la contrainte ne joue plus" if fr else "it is no longer reached"
    return None


def range_words(c, cur, fr):
    lo, hi = c["range"]
    ends = c["range_ends"]
    w = [end_words(e, fr) for e in ends]
    where = [f", {'où' if fr else 'where'} {x}" if x else "" for x in w]
    hi_s = end_value(hi, cur, fr) + where[1]
    if ends[0]["what"] == "limit":
        return f" (valable jusqu'à {hi_s})" if fr else f" (true up to {hi_s})"
    lo_s = end_value(lo, cur, fr) + where[0]
    return (f" (valable de {lo_s}, jusqu'à {hi_s})" if fr
            else f" (true from {lo_s}, up to {hi_s})")


def binding_words(c, cur, fr):
    """'the budget of 450,000 EUR — 1 kEUR more brings 8.69 conversions (true
    from …)' for the spring example's rows: the budget, by the plan's word for
    it and its amount (never the row's name), and a spend cap in currency."""
    amount = f"{num(c['bound'], 0, fr)} {cur}"
    if c["name"] == "budget":
        bound = f"le budget de {amount}" if fr else f"the budget of {amount}"
    else:
        bound = f"{c['name']} {c['op']} {amount}"
    step = f"1 k{cur} de plus apporte" if fr else f"1 k{cur} more brings"
    return bound, f" — {step} {price(c['shadow_price'], fr)} conversions{range_words(c, cur, fr)}"


# ---- the runs ------------------------------------------------------------------
en_xlsx, fr_xlsx, js = (os.path.join(d, f) for f in ("en.xlsx", "fr.xlsx", "plan.json"))
en_out = run_env({"LANG": "C"}, "optimize", spring, "-o", en_xlsx, "--json", js)
fr_out = run_env({"LANG": "fr_FR.UTF-8"}, "optimize", spring, "-o", fr_xlsx, "--lang", "fr")
j = json.load(open(js))
cur = "EUR"
binding = [c for c in j["constraints"] if c["binding"]]
check(len(binding) == 2, f"spring: budget and competitor-cap bind ({[c['name'] for c in binding]})")


def summary_lines(path, heading, stop):
    """The Summary's sentences under heading, up to the blank row."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = [tuple(c.value for c in r) for r in ws.iter_rows()]
    at = [i for i, r in enumerate(rows) if r[0] == heading]
    check(len(at) == 1, f"{path}: the Summary has '{heading}'")
    out = []
    for r in rows[at[0] + 1:]:
        if r[0] is None or r[0] == stop:
            break
        out.append(" ".join(str(v) for v in r if v is not None))
    return out


# ---- terminals -------------------------------------------------------------------
for c in binding:
    b, rest = binding_words(c, cur, False)
    line = f"limit reached: {b}{rest}"
    check(line in en_out.splitlines(), f"English terminal: {line!r}")
    b, rest = binding_words(c, cur, True)
    line = f"limite atteinte\xa0: {b}{rest}"
    check(line in fr_out.splitlines(), f"French terminal: {line!r}\n{fr_out}")

check("limit reached:" not in fr_out and "binding" not in en_out and "ce qui limite chaque canal\xa0:" in fr_out,
      "terminals: no English binding lines in French, no 'binding' in English, the French "
      "heading of the limits")
press = [ch for ch in j["channels"] if ch["name"] == "press-daily"][0]
budget = [c for c in binding if c["name"] == "budget"][0]
line = (f"  press-daily      le premier euro rapporte {price(1000 * press['marginal_return'], True)}"
        f" conv/kEUR, moins que les {price(budget['shadow_price'], True)} du budget")
check(line in fr_out.splitlines(), f"French terminal: {line!r}")

# the channels on the margin: their own figures beside the budget's, never claimed equal
margin = [ch for ch in j["channels"] if ch["limit"]["reason"] == "none"]
m = sorted(1000 * ch["marginal_return"] for ch in margin)
names = ", ".join(ch["name"] for ch in margin)
gap = j["objective"]["gap"]
g = math.ceil(100 * gap / (1 - gap) * 100 * (1 - 1e-12)) / 100
for fr, out in ((False, en_out), (True, fr_out)):
    lo, hi, p = price(m[0], fr), price(m[-1], fr), price(budget["shadow_price"], fr)
    gs = f"{g:.2f}".rstrip("0").rstrip(".")
    if fr:
        want = [f"  à l'équilibre\xa0: {names} (l'euro suivant rapporte de {lo} à {hi} conv/kEUR\xa0;"
                f" le budget {p})",
                f"  aucun transfert de budget entre canaux ne gagne plus de {gs.replace('.', ',')}"
                "\xa0% (la précision certifiée du plan)"]
    else:
        want = [f"  on the margin: {names} (next euro returns {lo} to {hi} conv/kEUR; the budget {p})",
                f"  no shift of money between channels gains more than {gs} % (the plan's certified"
                " precision)"]
    # a sentence past 100 columns goes on under itself, indented by two more
    unwrapped = re.sub(r"\n    (?=\S)", " ", out).splitlines()
    for w in want:
        check(w in unwrapped, f"{'French' if fr else 'English'} terminal: {w!r}\n{out}")
    check(all(len(l) <= 100 for l in out.splitlines() if l.startswith("  ")),
          f"{'French' if fr else 'English'} terminal: what stops each channel within 100 columns")
check(m[0] < budget["shadow_price"] < m[-1], "spring: the budget's price lies within the spread")

# ---- workbooks -------------------------------------------------------------------
en_terminal = [l[len("limit reached: "):] for l in en_out.splitlines()
               if l.startswith("limit reached: ")]
en_sheet = summary_lines(en_xlsx, "Limits the plan reaches", "What stops each channel")
check(en_sheet == en_terminal, f"English Summary's binding lines are the terminal's:\n{en_sheet}\n"
      f"{en_terminal}")
fr_sheet = summary_lines(fr_xlsx, "Limites que le plan atteint", "Ce qui limite chaque canal")
check(fr_sheet == ["".join(binding_words(c, cur, True)) for c in binding],
      f"French Summary's binding lines: {fr_sheet}")
fr_limits = summary_lines(fr_xlsx, "Ce qui limite chaque canal", None)
check(any(l.startswith("press-daily le premier euro rapporte") for l in fr_limits)
      and any(l.startswith("à l'équilibre\xa0: ") for l in fr_limits),
      f"French Summary: what stops each channel in French: {fr_limits}")

wb = openpyxl.load_workbook(fr_xlsx)
chan = [tuple(c.value for c in r) for r in wb["Canaux"].iter_rows()]
texts = {r[0]: r for r in chan[1:]}
check(any(isinstance(v, str) and v.startswith("le premier euro rapporte")
          for v in texts["press-daily"]), "French Channels sheet: press-daily's reason in French")
check(any(isinstance(v, str) and v.startswith("à l'équilibre\xa0: l'euro suivant rapporte")
          for v in texts["meta"]), "French Channels sheet: meta's reason in French")
cons = {r[0].value: [c.value for c in r] for r in wb["Contraintes"].iter_rows(min_row=2)}
check(f"conversions par 1{NB}000 EUR" in cons["budget"], f"French shadow price unit: {cons['budget']}")
check("cpa prend le relais" in cons["budget"] and "offline-share entre aussi en jeu" in cons["budget"],
      f"French range ends: {cons['budget']}")
check("la contrainte ne joue plus" in cons["competitor-cap"],
      f"French range end: {cons['competitor-cap']}")
done()
