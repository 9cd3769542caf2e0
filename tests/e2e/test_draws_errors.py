"""Errors in uncertain curves' input: each exits 3 naming file:line and the
key (or the column), with a hint, in English and in French; validate lists
every bad row of a draws file (up to its usual number of errors) and no
error that only follows from another."""
import os
import subprocess

from mpcommon import *

d = tmpdir("draws_errors")
FR = dict(os.environ, LANG="fr_FR.UTF-8", LC_ALL="", LANGUAGE="")
NNBSP = "\u202f"


def plan(name, chans, extra=""):
    t = f"[plan]\nbudget = 90000\nstart = 2027-03-01\nperiods = 1\n{extra}"
    for ch, body in chans:
        t += f'\n[channel "{ch}"]\ntype = curve\ncurve = exp\n{body}'
    return write(os.path.join(d, name), t)


def mixplan(*args, env=None):
    return subprocess.run([MIXPLAN, *args], capture_output=True, text=True, env=env)


def lines(p):
    return [l for l in p.stderr.splitlines() if l.startswith("mixplan: ")]


# ---- a draws file's bad rows: validate lists each, optimize stops at the first
write(os.path.join(d, "bad_rows.csv"),
      "draw,beta,k\n1,500,20000\n2,510,x\n3,-4,20000\n4,500\n5,500,20000,7\n")
bad = plan("bad_rows.ini", [("A", "draws = bad_rows.csv\n"),
                            ("B", "beta = 300\nk = 30000\n")])
p = mixplan("validate", bad)
got = lines(p)
check(p.returncode == 3, f"bad rows: validate exit {p.returncode} (a crash was 139): {p.stderr}")
want = [("bad_rows.csv:3: k:", "not a number"),
        ("bad_rows.csv:4: beta:", "positive"),
        ("bad_rows.csv:5: k:", "the row has 2 values where the header has 3 columns (draw, beta, k)"),
        ("bad_rows.csv:6: k:", "the row has 4 values where the header has 3 columns")]
for (where, what) in want:
    check(any(where in l and what in l for l in got), f"bad rows: '{where} ... {what}' in\n{p.stderr}")
check(len(got) == 5 and got[-1].endswith(": 4 errors"), f"bad rows: four errors, counted\n{p.stderr}")
p = mixplan("optimize", bad, "-q")
check(p.returncode == 3 and len(lines(p)) == 1 and "bad_rows.csv:3: k:" in p.stderr,
      f"bad rows: optimize names the first\n{p.stderr}")

# a row with one value: singular, and French
write(os.path.join(d, "short.csv"), "beta,k\n500,20000\n600\n")
short = plan("short.ini", [("A", "draws = short.csv\n")])
p = mixplan("validate", short)
check(p.returncode == 3 and "short.csv:3: k: no value: the row has 1 value where the header has 2 "
      "columns (beta, k); give one value per column" in p.stderr, f"one value: {p.stderr}")
p = mixplan("validate", short, env=FR)
check(p.returncode == 3 and "short.csv:3: k: valeur manquante\u00a0: la ligne a 1 valeur pour 2 colonnes"
      in p.stderr, f"one value, French: {p.stderr}")

# ---- a range where a key takes none: which keys take one ---------------------
rng = write(os.path.join(d, "budget_range.ini"),
            "[plan]\nbudget = 300k ± 10%\nstart = 2027-03-01\nperiods = 1\n\n"
            "[channel \"A\"]\ntype = curve\ncurve = exp\nbeta = 500\nk = 20000\n")
p = mixplan("validate", rng)
check(p.returncode == 3 and "budget_range.ini:2: budget:" in p.stderr
      and "a range (+-) is not taken here" in p.stderr and "beta, ec, slope, k" in p.stderr
      and "cvr or ctr" in p.stderr and "unexpected characters" not in p.stderr,
      f"budget range: {p.stderr}")
p = mixplan("validate", rng, env=FR)
check(p.returncode == 3 and "budget_range.ini:2: budget:" in p.stderr
      and "pas de fourchette (+-) ici" in p.stderr, f"budget range, French: {p.stderr}")

# a search channel's value is its own: the message does not offer it a range
sv = write(os.path.join(d, "search_value.ini"),
           "[plan]\nbudget = 90000\nstart = 2027-03-01\nperiods = 1\n\n"
           "[channel \"s\"]\ntype = search\nkeywords = " + os.path.join(SRC, "datasets", "keywords",
                                                                     "fr_running.csv")
           + "\ncvr = 3%\nvalue = 85 ± 10%\n")
p = mixplan("validate", sv)
check(p.returncode == 3 and "search_value.ini:10: value:" in p.stderr
      and "channel's own number" in p.stderr and "a range goes on cvr" in p.stderr,
      f"search value range: {p.stderr}")

# ---- aligned draws: counts differ, ids in one file and not the other --------
write(os.path.join(d, "two.csv"), "beta,k\n300,30000\n310,31000\n")
write(os.path.join(d, "five_ids.csv"),
      "draw,beta,k\n" + "".join(f"{i},{300 + i},30000\n" for i in range(1, 6)))
write(os.path.join(d, "five.csv"), "beta,k\n" + "".join(f"{300 + i},30000\n" for i in range(5)))
counts = plan("counts.ini", [("A", "draws = five_ids.csv\n"), ("B", "draws = two.csv\n")])
p = mixplan("validate", counts)
check(p.returncode == 3 and "counts.ini:14: draws: channel \"B\" has 2 draws and channel \"A\" 5 "
      "(line 9)" in p.stderr and "draws = independent" in p.stderr, f"counts: {p.stderr}")
mixed = plan("mixed.ini", [("A", "draws = five_ids.csv\n"), ("B", "draws = five.csv\n")])
p = mixplan("validate", mixed)
check(p.returncode == 3 and "mixed.ini:14: draws:" in p.stderr
      and "five.csv has no draw column and " in p.stderr
      and "five_ids.csv (channel \"A\", line 9) has one" in p.stderr
      and "add the draw column to " + os.path.join(d, "five.csv") in p.stderr,
      f"ids in one file only: {p.stderr}")
p = mixplan("validate", mixed, env=FR)
check(p.returncode == 3 and "five.csv n'a pas de colonne draw" in p.stderr,
      f"ids in one file only, French: {p.stderr}")

# a key neither the channel nor the file gives: the draws key, the key named
write(os.path.join(d, "beta_only.csv"), "beta\n300\n310\n")
nok = plan("nok.ini", [("A", "draws = beta_only.csv\n")])
p = mixplan("validate", nok)
check(p.returncode == 3 and "nok.ini:9: draws: channel \"A\": the draws' exp curve needs k: give "
      "it as a key of the channel (k = ...) or as a column of the draws file" in p.stderr,
      f"missing k: {p.stderr}")

# ---- no error that only follows from another ------------------------------
sec = write(os.path.join(d, "secondary.ini"),
            "[plan]\nbudget = 90000\nstart = 2027-03-01\nperiods = 1\n\n"
            "[channel \"t\"]\ntype = tv\ncpp = 1500 ± 10%\ncurve = hill\nbeta = 900\nec = 30k\n\n"
            "[channel \"A\"]\ntype = curve\ncurve = exp\ndraws = five_ids.csv\n\n"
            "[channel \"B\"]\ntype = curve\ncurve = exp\ndraws = two.csv\n")
p = mixplan("validate", sec)
got = lines(p)
check(p.returncode == 3 and any("secondary.ini:8: cpp:" in l and "takes no range" in l for l in got)
      and any("secondary.ini:21: draws:" in l for l in got)
      and not any("needs cpp" in l for l in got) and len(got) == 3,
      f"secondary: the cpp range and the counts, not 'needs cpp'\n{p.stderr}")

# ---- more draws than mixplan takes: the counts with thousands separators ---
many = os.path.join(d, "many.csv")
with open(many, "w", encoding="utf-8") as f:
    f.write("beta\n" + "500\n" * 100001)
mp = plan("many.ini", [("A", "k = 20000\ndraws = many.csv\n")])
p = mixplan("validate", mp)
check(p.returncode == 3 and "many.ini:10: draws: channel \"A\": 100,001 draws, more than 100,000: "
      "thin the posterior (keep every k-th draw) to at most 100,000" in p.stderr,
      f"too many draws: {p.stderr}")
p = mixplan("validate", mp, env=FR)
check(p.returncode == 3 and f"100{NNBSP}001 tirages, plus de 100{NNBSP}000\u00a0: réduisez l'échantillon "
      "a posteriori" in p.stderr, f"too many draws, French: {p.stderr}")

done()
