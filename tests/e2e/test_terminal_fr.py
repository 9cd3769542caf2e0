"""The terminal in French (LANG=fr_FR.UTF-8): the spring example's summary,
an infeasible plan's explanation, a bad input's error, warnings, usage errors
and --help say it in French, with French numbers (U+202F between thousands, a
decimal comma, a no-break space before % and :), and no English sentence is
left. The expected words are the catalogue's intent (po/fr.po), written here;
the figures come from closed forms, as in test_infeasible.py. The JSON stays
parseable with English keys. Under LANG unset or C the other tests check the
English."""
import glob
import json
import math
import os
import re
import subprocess

from mpcommon import *

NB, NNB = "\u00a0", "\u202f"  # no-break space, narrow no-break space
d = tmpdir("terminal_fr")
spring = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")


def run_fr(*args):
    """The CLI under a French locale (the caller's locale variables removed)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "fr_FR.UTF-8"
    return subprocess.run([*valgrind_prefix(), MIXPLAN, *args], capture_output=True, text=True,
                          env=env, timeout=600)


def fr_number(text):
    """A French figure ("1 339", "7 087,7") as a float."""
    return float(text.replace(NNB, "").replace(",", "."))


def no_english(text, words, names, what):
    """None of the English words in text once the plan's own names (channels,
    constraints, groups, file names: the planner's words) are taken out."""
    for n in sorted(names, key=len, reverse=True):
        text = text.replace(n, " ")
    left = [w for w in words if re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text, re.I)]
    check(not left, f"{what}: English left: {left}\n{text}")


# ---- the spring example ----------------------------------------------------
xlsx = os.path.join(d, "spring.xlsx")
p = run_fr("optimize", spring, "-o", xlsx, "--lang", "fr")
check(p.returncode == 0, f"spring: exit {p.returncode}: {p.stderr}")
out, err = logical(p.stdout), p.stderr
lines = out.splitlines()
check(lines[0].endswith(f"13 semaines à partir du 01/03/2027 — budget 450{NNB}000 EUR"),
      f"title: {lines[0]!r}")
check(lines[1].startswith(f"objectif{NB}: conversions au maximum -> "), f"objective: {lines[1]!r}")
check(f"optimal{NB};" in lines[1] and "certifié" in lines[1], f"objective's status: {lines[1]!r}")
check(lines[3].split()[:4] == ["canal", "type", "invest.", "part"], f"columns: {lines[3]!r}")
rows = lines[4:lines.index("", 4)]
# every share as 12,3 % (no-break space), in one column; no "12.3%" anywhere
shares = [re.search(r"(\d+,\d)" + NB + "%", r) for r in rows]
check(all(shares) and len(rows) == 6, f"shares written 12,3{NB}%: {rows}")
check(len({r.index("%") for r in rows}) == 1, f"shares aligned: {rows}")
check(abs(sum(fr_number(m.group(1)) for m in shares[:-1]) - 100) < 0.3,
      "the channels' shares add up to the total's 100 %")
check(rows[-1].split()[0] == "total" and f"450{NNB}000" in rows[-1], f"total row: {rows[-1]!r}")
summary = "\n".join(l for l in lines if not l.startswith("classeur"))
check(not re.search(r"\d\.\d", summary), "no decimal point: French decimals take a comma")
check(not re.search(r"\d%", summary), f"no % glued to its number: {summary}")
# The media in a planner's French words, lower case in a sentence (the
# workbook heads its tables with the same words capitalised): the channel
# table's type column and the media line, whose digital and offline shares
# are the channels' (search and social are digital, the rest offline).
TYPES = {"search-generic": "recherche payante", "meta": "réseaux sociaux", "tf1-prime": "TV",
         "radio-national": "radio", "press-daily": "presse"}
for r in rows[:-1]:
    name = r.split()[0]
    check(r[len(name):].strip().startswith(TYPES.get(name, "?") + " "), f"type of {name}: {r!r}")
media = [l for l in lines if l.startswith(f"médias{NB}: ")]
m = media and re.fullmatch(f"médias{NB}: recherche payante (.+) réseaux sociaux (.+) TV (.+) radio "
                           f"(.+) presse (.+){NB}; numérique (.+), hors ligne (.+)", media[0])
check(bool(m), f"media line in French: {media}")
if m:
    digital = sum(fr_number(x.group(1)) for x, r in zip(shares, rows)
                  if r.split()[0] in ("search-generic", "meta"))
    close(fr_number(m.group(6).rstrip(NB + "%")), digital, 0.15, "numérique: search and social")
    close(fr_number(m.group(7).rstrip(NB + "%")), 100 - digital, 0.15, "hors ligne: the rest")
check(any(l.startswith(f"KPI{NB}: impressions ") and "personnes" in l for l in lines), "KPI line")
check(f"ce qui limite chaque canal{NB}:" in out, "what stops each channel, in French")
check(any(l.startswith(f"limite atteinte{NB}: le budget de 450{NNB}000 EUR") for l in lines), "the budget line")
check(any(l.startswith(f"classeur{NB}: {xlsx} (Synthèse, ") for l in lines),
      f"the workbook line names the French sheets: {lines[-1]!r}")
check(f"lu{NB}: " in err and "48 lignes lues, 0 écartées, 2 exclues par les règles, "
      "46 mots clés planifiés" in err,
      f"the rows read, in French: {err!r}")
check(f"groupes de mots clés{NB}: brand 3, competitor 3, generic 40, sans groupe 0, exclus 2" in err,
      f"the keyword groups, in French: {err!r}")
names = ["search-generic", "meta", "tf1-prime", "radio-national", "press-daily", "competitor-cap",
         "offline-share", "cpa", "brand", "competitor", "generic", "fr_running.csv", "Spring launch",
         "Maison Lorient", xlsx, "datasets/examples/../keywords/", "Keyword Planner"]
ENGLISH = ["objective", "channel", "spend", "share", "stops", "media", "kpis", "revenue", "clicks",
           "people", "reach", "binding", "brings", "more", "valid", "from", "until", "weeks",
           "certified", "workbook", "read", "warning", "keyword", "rows", "used",
           "skipped", "groups", "unmatched", "excluded", "max", "the", "of", "and", "at", "to",
           "search", "social", "press", "digital", "offline"]
no_english(out + err, ENGLISH, names, "spring")

# The JSON under a French locale: parseable, its keys English.
p = run_fr("optimize", spring, "--json", "-", "--quiet")
data = json.loads(p.stdout)
check(data["status"] == "optimal" and "channels" in data and "objective" in data,
      "JSON keys stay English under a French locale")

# ---- an infeasible plan: the explanation -----------------------------------
B = 100000.0
base, most = exp_channels_plan([("a", 900, 30000), ("b", 600, 15000)], B)
plan = write(os.path.join(d, "cible.ini"), base + "[constraint \"target\"]\nexpr = conversions >= 5000\n")
p = run_fr("optimize", plan, "-o", os.path.join(d, "cible.xlsx"))
check(p.returncode == 1, f"infeasible: exit {p.returncode}")
err = p.stderr
check(f"{plan}{NB}: irréalisable{NB}: aucun plan ne respecte toutes les contraintes{NB}; le plan le "
      f"plus proche doit assouplir{NB}:" in err, f"infeasible, in French: {err!r}")
m = re.search(r"target: conversions >= 5000 \(le maximum atteignable avec les autres" + NB +
              r": ([\d" + NNB + r",]+)\)", err)
check(m is not None, f"the most reachable, in French: {err!r}")
if m:
    close(fr_number(m.group(1)), most, 1e-3 * most, "most reachable conversions")
check(f"avec ces contraintes, chacune à sa limite{NB}:\n  budget{NB}: investissement <= 100{NNB}000 EUR" in err,
      f"the binding budget, in French: {err!r}")
check(f"aucun classeur écrit{NB}; " in err, "no workbook written, in French")
check("Plan sans titre" in logical(p.stdout) and f"irréalisable" in logical(p.stdout), f"summary head: {logical(p.stdout)!r}")
INFEASIBLE_EN = ["infeasible", "no", "plan meets", "every", "constraint", "nearest", "relax",
                 "most", "reached", "others", "together", "binding", "spend", "workbook",
                 "written", "unchanged", "untitled", "objective", "week"]
no_english(logical(p.stdout) + err, INFEASIBLE_EN, ["target", "cible.ini", "cible.xlsx", plan, d,
                                           os.path.join(d, "cible.xlsx")], "infeasible")

# A what-if sweep of 8 scenarios is solved on two threads: the second half's
# explanations are formed on the worker thread, in the caller's language.
targets = list(range(1000, 9000, 1000))
p = run_fr("whatif", plan, "--vary", "constraint:target=1000..8000/1000")
check(p.returncode == 0, f"what-if: exit {p.returncode}: {p.stderr}")
infeasible = sum(t > most for t in targets)
check(logical(p.stdout).count("irréalisable  aucun plan ne respecte toutes les contraintes") == infeasible,
      f"what-if: {infeasible} scenarios explained in French:\n{logical(p.stdout)}")
no_english(logical(p.stdout), INFEASIBLE_EN[:-3], ["constraint:target", "target", "cible.ini"],
           "what-if explanations")

# channel minimums above the budget: both figures, French numbers
mins = write(os.path.join(d, "minimums.ini"),
             base.replace("k = 15000\n", "k = 15000\nmin_spend = 70k\n")
                 .replace("k = 30000\n", "k = 30000\nmin_spend = 45k\n"))
p = run_fr("optimize", mins)
check(p.returncode == 1, f"minimums: exit {p.returncode}")
total = f"{(45000 + 70000) // 1000}{NNB}000"
check(f"le budget de 100{NNB}000 EUR est inférieur à la somme des minimums par canal, {total} EUR"
      f"{NB}:\n  a: 45{NNB}000\n  b: 70{NNB}000" in p.stderr, f"minimums, in French: {p.stderr!r}")
no_english(p.stderr, ["budget of", "below", "sum", "minimums,", "infeasible"],
           ["minimums.ini", mins], "minimums")

# ---- bad input: the library's error, in French -----------------------------
bad = os.path.join(SRC, "tests", "cases", "bad")
p = run_fr("optimize", os.path.join(bad, "bad_number.ini"))
check(p.returncode == 3, f"bad number: exit {p.returncode}")
check(f"bad_number.ini:8: cpm: nombre positif attendu, lu «{NB}7,5O{NB}» (caractères inattendus "
      "après le nombre)" in p.stderr, f"bad number, in French: {p.stderr!r}")
check(p.stderr.startswith(f"mixplan{NB}: "), "the command's prefix, French colon")
p2 = run_fr("optimize", os.path.join(bad, "bad_date.ini"))
check(p2.returncode == 3 and f"start: date attendue au format AAAA-MM-JJ, lu «{NB}2027-02-30{NB}»"
      in p2.stderr, f"bad date, in French: {p2.stderr!r}")
p3 = run_fr("optimize", os.path.join(bad, "missing_budget.ini"))
check(p3.returncode == 3 and "il manque budget dans [plan]" in p3.stderr,
      f"missing budget, in French: {p3.stderr!r}")
p4 = run_fr("optimize", os.path.join(bad, "unknown_key.ini"))
check(p4.returncode == 3 and f"unknown_key.ini:9: clé inconnue «{NB}audiance{NB}» dans un canal social "
      f"(vouliez-vous dire «{NB}audience{NB}»{NB}?)" in p4.stderr,
      f"unknown key, in French: {p4.stderr!r}")
# a channel named by what it is, not by its type keyword ("est tv")
p5 = run_fr("optimize", os.path.join(bad, "kind_continuous_on_tv.ini"))
check(p5.returncode == 3 and f"continuous est une clé des canaux presse (insertions entières){NB}; le "
      f"canal «{NB}tf1{NB}» est un canal TV" in p5.stderr, f"a TV channel, in French: {p5.stderr!r}")
p6 = run_fr("optimize", os.path.join(bad, "kind_tv_without_cpp.ini"))
check(p6.returncode == 3 and f"le canal «{NB}tf1{NB}» est un canal TV{NB}: il lui faut cpp (coût du GRP)"
      in p6.stderr, f"a TV channel without cpp, in French: {p6.stderr!r}")
no_english(p.stderr + p2.stderr + p3.stderr + p4.stderr,
           ["expected", "positive", "number", "got", "unexpected", "characters", "date as", "needs",
            "unknown", "key", "channel", "did you mean"],
           [bad + "/", "bad_number.ini", "bad_date.ini", "missing_budget.ini", "unknown_key.ini"],
           "bad input")

# ---- warnings: the plan's and the solution's, in French --------------------
warn = os.path.join(SRC, "tests", "cases", "warn")
p = run_fr("optimize", os.path.join(warn, "ctr_bare_fraction.ini"))
check(p.returncode == 0, f"ctr warning: exit {p.returncode}")
check(f"attention{NB}: " in p.stderr and "ctr_bare_fraction.ini:12: ctr: 90% est hors de la "
      "fourchette habituelle pour un taux de clic (au plus 20%)" + NB + "; un nombre sans" + NB + "% est "
      f"une fraction{NB}: écrivez 0.9% si vous vouliez dire 0.9{NB}%" in p.stderr,
      f"typical-range warning, in French: {p.stderr!r}")
q = run_fr("optimize", os.path.join(warn, "offline_only_max_conversions.ini"))
check(f"conversions au maximum -> 0 conversions{NB}: aucun canal de ce plan n'apporte l'objectif "
      "(conversions) (tf1-prime, radio-national n'ont pas de courbe de réponse)" in q.stderr,
      f"zero objective, in French: {q.stderr!r}")
check(f"le canal «{NB}tf1-prime{NB}» n'apporte rien à l'objectif (conversions)" in q.stderr,
      f"idle channel, in French: {q.stderr!r}")
check("3 avertissements (sortie d'erreur, JSON, onglet Hypothèses)" in q.stdout,
      f"the summary's pointer to the warnings is French: {q.stdout!r}")
no_english(p.stderr + q.stderr,
           ["warning", "outside", "typical", "range", "click-through", "number", "without",
            "fraction:", "write", "meant", "brings", "no channel", "response curve", "have",
            "objective", "constraint", "spent"],
           [warn + "/", "ctr_bare_fraction.ini", "offline_only_max_conversions.ini", "tf1-prime",
            "radio-national", "response = hill", "grp(tf1-prime)", "grp(radio-national)",
            "search-generic"], "warnings")

# ---- every example, and what-if sweeps, name the media in French -----------
# Once the plan's own names are out (channels, constraints, Robyn's channel
# and model names, keys it quotes), no English media word is left; a sweep's
# table heads its media columns with the same French words.
MEDIA_EN = ["search", "social", "press", "curve", "digital", "offline", "media", "channel",
            "spend", "share", "binding", "workbook"]
examples = {
    "leadgen_b2b.ini": ["search-consulting", "linkedin", "trade-press", "leads", "cost-per-lead",
                        "uk_consulting.csv", "Q1 lead generation", "Northgate Consulting"],
    "mmm_curves.ini": ["x1", "x2", "x3", "x4-cap", "x4", "FY2027 allocation from MMM curves",
                       "Demo Retail"],
    "robyn_import.ini": ["tv_spots", "meta", "search_S", "ooh", "Q1 2024 from the Robyn model",
                         "hill beta", "slope", "Robyn (stable)"],
}
for ex, own in examples.items():
    path = os.path.join(SRC, "datasets", "examples", ex)
    p = run_fr("optimize", path, "-o", os.path.join(d, ex + ".xlsx"))
    check(p.returncode == 0, f"{ex}: exit {p.returncode}: {p.stderr}")
    text = re.sub(r"(?m)^classeur\W.*$", " ", logical(p.stdout) + p.stderr).replace(path, " ")
    text = re.sub(r"[\w./-]+\.(ini|csv)", " ", text)
    text = re.sub(r"canal \w+_S", " ", text)
    text = re.sub(r"\b\w+\([^)]*\)", " ", text)  # the plan's expressions: share(x4)
    check(f"numérique " in text and "hors ligne " in text, f"{ex}: the media line in French: {text}")
    no_english(text, MEDIA_EN, own, ex)
p = run_fr("whatif", spring, "--vary", "budget=300k..600k/150k", "--vary", "inflation=0%,20%")
check(p.returncode == 0, f"spring what-if: exit {p.returncode}: {p.stderr}")
head = [l for l in logical(p.stdout).splitlines() if l.startswith("  budget ")]  # the media table's
check("part de l'investissement par média\u00a0:" in logical(p.stdout).splitlines(),
      f"the media table's title in French: {logical(p.stdout)}")
check(len(head) == 1 and re.search(r"recherche payante +réseaux sociaux +TV +radio +presse +"
                                   r"numérique +hors ligne$", head[0]) is not None,
      f"the sweep's media columns in French: {head}")
no_english(logical(p.stdout) + p.stderr, MEDIA_EN, names, "spring what-if")

# ---- the keywords report ----------------------------------------------------
kw = os.path.join(SRC, "datasets", "keywords")
p = run_fr("keywords", os.path.join(kw, "fr_running.csv"), "--rules",
           os.path.join(kw, "fr_running_groups.ini"))
check(p.returncode == 0, f"keywords: exit {p.returncode}: {p.stderr}")
kl = logical(p.stdout).splitlines()
check(f"{NB}: 48 mots clés lus, aucune ligne écartée{NB}; devise EUR{NB}; prix{NB}: " in kl[0],
      f"keywords head, in French: {kl[0]!r}")
check(kl[2].split()[:3] == ["groupe", "mot", "clé"], f"keyword columns: {kl[2]!r}")
heads = [i for i, l in enumerate(kl) if l.startswith("groupe ")]
groups = [l for l in kl[heads[-1] + 1:] if l and not l.startswith("*")]
gshares = [re.search(r"(\d+,\d)" + NB + "%", l) for l in groups]
check(all(gshares) and abs(sum(fr_number(m.group(1)) for m in gshares) - 100) < 0.3,
      f"group shares in French, adding up to 100: {groups}")
no_english(logical(p.stdout), ["group", "keyword", "searches", "bid", "share", "competition", "excluded",
                      "rows", "used", "skipped", "currency", "prices", "bucketed", "volume-weighted"],
           ["fr_running.csv", kw + "/", "Keyword Planner"], "keywords")

# ---- the command's own messages --------------------------------------------
p = run_fr("optimize", spring, "--bogus")
check(p.returncode == 2 and p.stderr == f"mixplan{NB}: option inconnue{NB}: --bogus\n"
      "(voir mixplan --help)\n", f"unknown option, in French: {p.stderr!r}")
p = run_fr("whatif", spring)
check(p.returncode == 2 and "whatif demande --vary AXE=VALEURS (une ou deux fois)" in p.stderr,
      f"whatif usage, in French: {p.stderr!r}")
p = run_fr("optimize", spring, "-o", os.path.join(d, "plan.xls"))
check(p.returncode == 2 and "un classeur prend l'extension .xlsx (écrire " in p.stderr and
      "l'ancien format d'Excel" in p.stderr, f"output extension, in French: {p.stderr!r}")
p = run_fr("--help")
check(p.returncode == 0 and logical(p.stdout).startswith(f"usage{NB}: mixplan <commande> [options]"),
      f"--help, in French: {logical(p.stdout)[:80]!r}")
check("codes de sortie" in logical(p.stdout) and "répartit le budget" in logical(p.stdout), "--help's sections")
no_english(logical(p.stdout), ["allocate", "commands", "print", "write the", "the workbook's", "exit codes",
                      "outputs", "this help", "the version", "check a plan"], [], "--help")

# ---- every bad input and every warning of the catalogues, in French --------
# Each case of tests/cases/bad and tests/cases/warn runs under the French
# locale; once the planner's own words are taken out (paths, what the message
# quotes in « », sections in [ ], expressions such as spend(c), the
# file:line: key: prefix, the README section named), no English word is left.
# Two libraries' own words are taken out as well: PCRE2's reason a pattern
# fails ("match limit exceeded", "missing closing parenthesis") and GLPK's;
# they are quoted as the library gives them. The workbook line names the
# sheets in the workbook's language (English unless --lang fr).
STOP = ["expected", "got", "unknown", "needs", "need", "did you mean", "cannot", "must", "without",
        "between", "the", "of", "is", "are", "not", "no", "file", "found", "outside", "typical",
        "warning", "line", "header", "row", "rows", "skipped", "above", "below", "largest",
        "smallest", "reliably", "or", "and", "with", "than", "more", "at most", "given", "twice",
        "in", "takes", "has", "have", "should", "write", "read", "valid", "empty", "duplicate",
        "people", "share", "rate", "period", "periods", "value", "values",
        "spend", "channel", "channels", "keyword", "keywords", "group", "bid", "range", "pattern",
        "error", "errors", "directory", "refused", "infeasible", "binding", "workbook", "written",
        "unchanged", "objective", "brings", "nothing", "constraint", "typo", "meant", "mixes"]
LIBRARY = ["match limit exceeded", "missing closing parenthesis"]


def planner_words_out(text, case_dir):
    """text without the plan's own words (see above)."""
    text = text.replace(SRC + "/", "").replace(d + "/", "").replace(case_dir, "")
    for w in LIBRARY:
        text = text.replace(w, " ")
    text = re.sub(r"(?m)^classeur\W.*$", " ", text)
    text = text.replace("Keyword Planner", " ")
    text = re.sub(r"\b(inflation|budget|cpm|cpp|cpc|cpi|constraint):", " ", text)
    text = re.sub(r"[\w./-]+\.(ini|csv|xlsx|json|lp|xls|txt)(:\d+)?(: [\w_]+:)?", " ", text)
    text = re.sub(r"\S*/\S*", " ", text)
    text = re.sub(r"«[^»]*»", " ", text)
    text = re.sub(r"\[[^\]\n]*\]", " ", text)
    text = re.sub(r"--vary \S+", " ", text)
    text = re.sub(r"\b\w+\([^)]*\)", " ", text)
    text = re.sub(r"\b[\w-]+ ?(<=|>=|=) ?\S+", " ", text)
    text = re.sub(r"\b(channel|period|spend)(,(channel|period|spend))+", " ", text)
    text = re.sub(r"\w+_\w+", " ", text)
    return text.replace("README, Limits", " ")


def case_args(path):
    args, command = [], "optimize"
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("; args:"):
            args = line.split(":", 1)[1].split()
        elif line.startswith("; command:"):
            command = line.split(":", 1)[1].strip()
    return [a.replace("{tmp}", d) for a in args], command


ncases = 0
for kind in ("bad", "warn"):
    root = os.path.join(SRC, "tests", "cases", kind)
    for case in sorted(glob.glob(os.path.join(root, "*.ini")) +
                       glob.glob(os.path.join(root, "*", "plan.ini"))):
        args, command = case_args(case)
        if command != "validate" and not any(a in ("-o", "--output", "--json") for a in args):
            args = ["-o", os.path.join(d, "case.xlsx"), *args]
        p = run_fr(command, case, *args)
        check(p.stderr.strip() or p.returncode == 0, f"{case}: says something")
        text = planner_words_out(logical(p.stdout) + p.stderr, os.path.dirname(case) + "/")
        no_english(text, STOP, [], os.path.relpath(case, SRC))
        ncases += 1
check(ncases >= 140, f"{ncases} bad and warning cases run in French")

# validate says the same in French
p = run_fr("validate", os.path.join(bad, "unknown_key.ini"))
check(p.returncode == 3 and f"unknown_key.ini:9: clé inconnue «{NB}audiance{NB}» dans un canal social "
      f"(vouliez-vous dire «{NB}audience{NB}»{NB}?)" in p.stderr, f"validate, in French: {p.stderr!r}")
no_english(planner_words_out(logical(p.stdout) + p.stderr, bad + "/"), STOP, [], "validate unknown_key.ini")

done()
