#!/usr/bin/env python3
"""Every sheet's printed page header (the oddHeader of each sheet's XML)
fits Excel's 255 characters, control codes and doubled "&" included
(counted here in UTF-16 units, as Excel counts), and never cuts a word: a
plan name too long for the header is shortened after a whole word, with
"…", and the Scenarios sheet's title after it stays whole. The plan name
here is 180 characters, with accents and an "&"."""
import html
import os
import re
import zipfile

from mpcommon import *

NAME = ("Printemps 2027 — lancement national de la nouvelle gamme running trail et route pour "
        "Maison Lorient, test grand export & déclinaisons régionales France métropolitaine et "
        "DOM-TOM")
d = tmpdir("header")
src = open(os.path.join(SRC, "datasets", "examples", "spring_launch.ini"), encoding="utf-8").read()
src = re.sub(r"(?m)^name\s*=.*$", "name = " + NAME, src)
src = src.replace("../", os.path.join(SRC, "datasets") + "/")
plan = write(os.path.join(d, "long.ini"), src)


def units(s):
    return len(s.encode("utf-16-le")) // 2


def sections(head):
    """The &L, &C and &R parts of a header, "&&" read as "&"."""
    parts, key, buf, i = {}, None, "", 0
    while i < len(head):
        if head[i] == "&" and i + 1 < len(head):
            c = head[i + 1]
            if c == "&":
                buf += "&"
            elif c in "LCR":
                if key:
                    parts[key] = buf
                key, buf = c, ""
            else:
                buf += head[i:i + 2]
            i += 2
            continue
        buf += head[i]
        i += 1
    if key:
        parts[key] = buf
    return parts


def whole_words_of(short, text):
    """short is text, or text's start up to the end of a word, then "…"."""
    if short == text:
        return True
    if not short.endswith("\u2026"):
        return False
    kept = short[:-1]
    return text.startswith(kept) and len(kept) > 0 and text[len(kept)] in " ,;:-\u2013\u2014"


runs = [("optimize", plan, "-o", os.path.join(d, "opt.xlsx"), "--quiet"),
        ("whatif", plan, "--vary", "inflation=5%..15%/5%", "-o", os.path.join(d, "wi.xlsx"),
         "--quiet"),
        ("whatif", plan, "--vary", "inflation=5%..15%/5%", "-o", os.path.join(d, "wi_fr.xlsx"),
         "--lang", "fr", "--quiet")]
shortened = 0
for args in runs:
    p = run(*args)
    check(p.returncode == 0, f"{args[0]}: exit {p.returncode}: {p.stderr}")
    if p.returncode:
        continue
    with zipfile.ZipFile(args[args.index("-o") + 1]) as z:
        sheets = [n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)]
        heads = [re.search(r"<oddHeader>([^<]*)</oddHeader>", z.read(n).decode()) for n in sheets]
    check(sheets and all(heads), f"{args[0]}: every sheet has a page header")
    for n, m in zip(sheets, heads):
        if not m:
            continue
        head = html.unescape(m.group(1))
        check(units(head) <= 255, f"{n}: header of {units(head)} units: {head}")
        centre = sections(head).get("C", "")
        name_part, _, title = centre.partition(" \u2014 What-if: ") if "What-if" in centre else \
            centre.partition(" \u2014 Simulation") if "Simulation" in centre else (centre, "", "")
        check(whole_words_of(name_part, NAME), f"{n}: the plan name cut mid-word: {name_part!r}")
        shortened += name_part != NAME
        if title:
            check(re.fullmatch(r"(\xa0?: )?\d+ sc\w+ .*(as written|tel qu'écrit)", title) is not None,
                  f"{n}: the what-if title whole: {title!r}")
check(shortened == 2, f"the name is shortened on the two Scenarios sheets only: {shortened}")
done()
