"""Keyword Planner exports as planners download them, and PCRE2 keyword rules.

Every export variant is written here from the real sample (tests/fixtures,
the same text as ../shared/data/kwp): UTF-16LE with a BOM, tab-separated,
CRLF (what Keyword Planner writes), UTF-8 with a BOM and commas, UTF-8 with
semicolons and decimal commas, UTF-16LE without a BOM; all must read alike,
and as Python reads the original."""
import math
import os
import re
import subprocess
import time

from mpcommon import *

d = tmpdir("kwp")
sample = os.path.join(SRC, "tests", "fixtures", "kwp_uk_sample.csv")
text = open(sample, encoding="utf-8").read()
lines = text.splitlines()
rows = [l.split("\t") for l in lines[2:]]
header, body = rows[0], rows[1:]


def num(s):
    return float(s.replace(",", ".")) if s else None


expected = {r[0]: (float(r[2]), num(r[7]) if len(r) > 7 else None, num(r[8]) if len(r) > 8 else None)
            for r in body}


def csv_line(cells, delim):
    out = []
    for c in cells:
        if delim in c or '"' in c:
            c = '"' + c.replace('"', '""') + '"'
        out.append(c)
    return delim.join(out)


def variant(name, encoding, delim, bom, decimal_comma=False):
    out = [lines[0], lines[1]]
    for i, r in enumerate(rows):
        cells = list(r)
        if decimal_comma and i > 0:
            cells = [c.replace(".", ",") if re.fullmatch(r"\d+\.\d+", c) else c for c in cells]
        out.append(csv_line(cells, delim) if delim != "\t" else "\t".join(cells))
    data = "\r\n".join(out) + "\r\n"
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        if bom and encoding == "utf-16-le":
            f.write(b"\xff\xfe")
        if bom and encoding == "utf-8":
            f.write(b"\xef\xbb\xbf")
        f.write(data.encode(encoding))
    return path


def plan_for(export, extra="", currency="GBP", rules=None):
    p = os.path.join(d, "plan_" + os.path.basename(export) + ".ini")
    write(p, f"""[plan]
currency = {currency}
budget = 100k
start = 2026-09-07
[channel "s"]
type = search
keywords = {export}
ctr = 5%
cvr = 5%
{"groups = " + rules if rules else ""}
{extra}""")
    return p


variants = [variant("kp_utf16.csv", "utf-16-le", "\t", True),
            variant("kp_utf8bom_comma.csv", "utf-8", ",", True),
            variant("kp_semicolon_decimal_comma.csv", "utf-8", ";", False, decimal_comma=True),
            variant("kp_utf16_nobom.csv", "utf-16-le", "\t", False)]
for v in variants:
    p, data = optimize_json(plan_for(v, "cpc_low = 1\ncpc_high = 3"))
    check(p.returncode == 0, f"{os.path.basename(v)}: exit {p.returncode}: {p.stderr}")
    if not data:
        continue
    got = {k["keyword"]: k for k in data["keywords"]}
    check(set(got) == set(expected), f"{os.path.basename(v)}: keywords {sorted(got)}")
    for kw, (vol, lo, hi) in expected.items():
        k = got.get(kw)
        if not k:
            continue
        close(k["monthly_searches"], vol, 0, f"{os.path.basename(v)} {kw} volume")
        close(k["bid_low"], lo if lo else 1, 1e-12, f"{os.path.basename(v)} {kw} bid low")
        close(k["bid_high"], hi if hi else 3, 1e-12, f"{os.path.basename(v)} {kw} bid high")
        check(k["bucketed_volume"] == (vol in (50, 500, 5000)), f"{kw} bucketed flag")
        check(k["default_bids"] == (lo is None), f"{kw} default bids flag")
    p = run("validate", plan_for(v, "cpc_low = 1\ncpc_high = 3"))
    check("13 rows read, 0 skipped, 13 keywords planned" in p.stderr, f"rows used printed: {p.stderr}")

# Missing bids without channel defaults: the row is named.
p = run("optimize", plan_for(variants[0]))
check(p.returncode == 3 and "kp_utf16.csv:12:" in p.stderr and "csr consulting" in p.stderr,
      f"missing bids: {p.stderr}")
# Currency mismatch: both currencies named.
p = run("optimize", plan_for(variants[0], "cpc_low = 1\ncpc_high = 3", currency="EUR"))
check(p.returncode == 3 and "the export is in GBP but the plan is in EUR" in p.stderr,
      f"currency: {p.stderr}")

# A French-interface export, UTF-16LE, semicolons, decimal commas, levels in
# French, a volume as a text range, monthly columns in French.
fr = os.path.join(d, "fr.csv")
months = ["juin 2025", "juil. 2025", "août 2025", "sept. 2025", "oct. 2025", "nov. 2025",
          "déc. 2025", "janv. 2026", "févr. 2026", "mars 2026", "avr. 2026", "mai 2026"]
head = ["Mot clé", "Devise", "Nombre moyen de recherches mensuelles", "Évolution en trois mois",
        "Évolution sur un an", "Concurrence", "Concurrence (valeur indexée)",
        "Enchère en haut de page (plage basse)", "Enchère en haut de page (plage haute)"] + \
       ["Recherches : " + m for m in months]
jan = 2210
frows = [["chaussure running", "EUR", "1 000", "0 %", "-90 %", "Élevée", "", "1,27", "2,85"] +
         ["1000"] * 7 + [str(jan)] + ["1000"] * 4,
         ["basket trail", "EUR", "1 k – 10 k", "0 %", "0 %", "Faible", "12", "0,40", "0,95"] +
         ["500"] * 12]
out = ["Statistiques sur les mots clés 2026-06-15 à 21_38_13", '"1 juin 2025 - 31 mai 2026"',
       ";".join(head)] + [";".join(r) for r in frows]
with open(fr, "wb") as f:
    f.write(b"\xff\xfe" + ("\r\n".join(out) + "\r\n").encode("utf-16-le"))
# One month (January 2027), a budget large enough to win every auction the
# curve reaches, no inflation: clicks = January's searches x ctr x the
# share of auctions between the curve's ends (z from -4 to the 99.9th %).
frplan = write(os.path.join(d, "fr.ini"), f"""[plan]
budget = 1M
start = 2027-01-01
period = month
objective = max clicks
[channel "s"]
type = search
keywords = {fr}
ctr = 5%
cvr = 5%
""")
p, data = optimize_json(frplan)
check(p.returncode == 0, f"French export: {p.stderr}")
if data:
    k = {x["keyword"]: x for x in data["keywords"]}
    c = k.get("chaussure running", {})
    close(c.get("bid_low"), 1.27, 1e-12, "decimal comma bid low")
    close(c.get("bid_high"), 2.85, 1e-12, "decimal comma bid high")
    close(c.get("monthly_searches"), 1000, 0, "volume with a thousands space")
    close(c.get("competition"), 500 / 6, 1e-9, "Élevée without an index = 83.3")
    phi = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))
    share = phi(3.0902323061678132) - phi(-4.0)
    close(c.get("clicks"), jan * 0.05 * share, 1e-6 * jan, "January searches from 'janv. 2026'")
    b = k.get("basket trail", {})
    close(b.get("monthly_searches"), math.sqrt(1000 * 10000), 1e-9, "1 k – 10 k: geometric middle")
    check(b.get("bucketed_volume") is True, "a text range is flagged as bucketed")
    close(b.get("competition"), 12, 0, "competition index")

# Keyword rules: groups, exclusions, accents and case folding, overrides.
rules = write(os.path.join(d, "rules.ini"), """[exclude]
match = (?i)\\bcareers?\\b
[group "london"]
match = (?i)london
cvr = 9%
[group "dental"]
match = (?i)\\bdent(al|ist)\\b
[group "generic"]
match = .
""")
p, data = optimize_json(plan_for(variants[0], "cpc_low = 1\ncpc_high = 3", rules=rules))
check(p.returncode == 0, f"rules: {p.stderr}")
if data:
    for k in data["keywords"]:
        t = k["keyword"]
        want = "london" if re.search("(?i)london", t) else \
               "dental" if re.search(r"(?i)\bdent(al|ist)\b", t) else "generic"
        check(k["group"] == want, f"{t}: {k['group']} != {want}")
        check("career" not in t, f"{t} should be excluded")
        if k["clicks"] > 0:
            close(k["conversions"] / k["clicks"], 0.09 if want == "london" else 0.05, 1e-9,
                  f"{t}: the group's cvr")
    check(len(data["keywords"]) == 12, "one keyword excluded")
    g = {x["group"]: x for x in data["groups"]}
    check(set(g) == {"london", "dental", "generic"}, f"groups {sorted(g)}")
p = run("validate", plan_for(variants[0], "cpc_low = 1\ncpc_high = 3", rules=rules))
check("keyword groups: london 2, dental 4, generic 6, unmatched 0, excluded 1" in p.stderr,
      f"group counts: {p.stderr}")

# Constraints on groups.
p, data = optimize_json(plan_for(variants[0], "cpc_low = 1\ncpc_high = 3\n"
                                 "[constraint \"dental\"]\nexpr = spend(s:dental) <= 100", rules=rules))
check(p.returncode == 0, f"group constraint: {p.stderr}")
if data:
    close(sum(k["spend"] for k in data["keywords"] if k["group"] == "dental"),
          min(100, sum(k["spend"] for k in data["keywords"] if k["group"] == "dental")), 1e-6,
          "dental spend capped")
    check(sum(k["spend"] for k in data["keywords"] if k["group"] == "dental") <= 100 + 1e-6,
          "dental cap holds")
p = run("optimize", plan_for(variants[0], "cpc_low = 1\ncpc_high = 3\n"
                             "[constraint \"x\"]\nexpr = spend(s:dentl) <= 100", rules=rules))
check(p.returncode == 3 and 'unknown keyword group "dentl"' in p.stderr and
      'did you mean "dental"' in p.stderr, f"unknown group: {p.stderr}")

# Unicode: (?i) folds É, \\b knows accented letters.
urules = write(os.path.join(d, "u.ini"), '[group "elan"]\nmatch = (?i)^élan\\b\n[group "other"]\nmatch = .\n')
p = run("keywords", os.path.join(SRC, "datasets", "keywords", "fr_running.csv"), "--rules", urules)
check(p.returncode == 0 and re.search(r"^elan\s+ÉLAN running club", p.stdout, re.M) is not None,
      f"accent folding: {p.stdout[-400:]}")

# An invalid pattern: file, line and PCRE2's offset.
bad = write(os.path.join(d, "bad.ini"), '[group "x"]\nmatch = (?i)(nike|asics\n')
p = run("keywords", sample, "--rules", bad)
check(p.returncode == 3 and "bad.ini:2: match:" in p.stderr and "offset 15" in p.stderr,
      f"invalid regex: {p.stderr}")
# A catastrophic pattern on a long keyword fails fast with a message.
long_kw = os.path.join(d, "long.csv")
write(long_kw, "Keyword\tCurrency\tAvg. monthly searches\n" + "a" * 5000 + "!\tEUR\t50\n")
slow = write(os.path.join(d, "slow.ini"), '[group "x"]\nmatch = (a+)+$\n')
t0 = time.time()
p = run("keywords", long_kw, "--rules", slow)
check(p.returncode == 3 and "failed on" in p.stderr and "limit" in p.stderr,
      f"catastrophic regex: {p.returncode} {p.stderr}")
check(time.time() - t0 < (120 if VALGRIND else 10), "and does not hang")

# mixplan keywords: counts per group, --unmatched.
p = run("keywords", sample, "--rules", rules)
check(p.returncode == 0 and re.search(r"^london\s+2\s", p.stdout, re.M) and
      re.search(r"^\(excluded\)\s+1\s", p.stdout, re.M), f"keywords report: {p.stdout}")
partial = write(os.path.join(d, "partial.ini"), '[group "dental"]\nmatch = (?i)dent\n')
p = run("keywords", sample, "--rules", partial, "--unmatched")
listed = [l for l in p.stdout.splitlines() if l.startswith("(no group)") and "consult" in l]
check(p.returncode == 0 and len(listed) == 9 and "dental clinic" not in p.stdout.split("group ")[1],
      f"--unmatched: {p.stdout}")
# The first line says what was read and what was left out: a row without a
# volume is skipped, and its warning says why.
gaps = write(os.path.join(d, "gaps.csv"), "Keyword\tCurrency\tAvg. monthly searches\n"
             "a\tEUR\t50\nb\tEUR\t\nc\tEUR\t500\nd\tEUR\tlots\n")
p = run("keywords", gaps)
first = p.stdout.splitlines()[0] if p.stdout else ""
check(p.returncode == 0 and first.startswith(f"{gaps}: 2 keywords read, 2 rows skipped (the warnings "
      "say why); ") and "gaps.csv:3: row skipped: no usable monthly search volume" in p.stderr and
      "gaps.csv:5: row skipped" in p.stderr, f"keywords read and skipped: {first!r} {p.stderr}")
one = write(os.path.join(d, "one.csv"), "Keyword\tCurrency\tAvg. monthly searches\na\tEUR\t50\n")
p = run("keywords", one)
check(p.returncode == 0 and p.stdout.startswith(f"{one}: 1 keyword read, no row skipped; "),
      f"one keyword read: {p.stdout[:200]!r}")
# A file with no usable row.
empty = write(os.path.join(d, "norows.csv"), "Keyword\tCurrency\tAvg. monthly searches\nx\tEUR\t\n")
p = run("keywords", empty)
check(p.returncode == 3 and "norows.csv: no usable keyword row (1 skipped; line 2: no usable monthly "
      "search volume)" in p.stderr,
      f"no usable row: {p.stderr}")
done()
