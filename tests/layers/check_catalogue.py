#!/usr/bin/env python3
"""The message catalogues (engine/base/tr.c) against the sources:

- every message the library's and the command's sources mark (mpi_tr,
  mpi_trn, workbook.c's tr, N_; the command's _ and mp_message), as xgettext
  extracts it, is in po/mixplan.pot, the template;
- every one of them is translated in each po/LANG.po (a message missing there
  would show in English in a French workbook);
- msgfmt --check accepts each po/LANG.po (printf formats agree);
- in po/fr.po a percent sign that is the sign itself (not a printf
  directive) follows a no-break space (U+00A0 or U+202F), never an ordinary
  space, as French typography and the rest of the French output write it;
  so do ";", ":", "?", "!" and "»" wherever a space precedes them, and "«"
  is followed by one (a line-wrapped French sentence must not break there).

With --write-pot, rewrites po/mixplan.pot from the sources instead (cmake
--build build --target pot runs this). Messages of a .po that no source uses
any more are listed, not refused: they are harmless and msgattrib drops them.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.environ.get("MP_SOURCE_DIR") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
KEYWORDS = ["mpi_tr:2", "mpi_trn:2,3", "mpi_trc:2c,3", "tr:2", "N_", "NC_:1c,2", "_", "mp_message"]


def sources():
    files = []
    for pattern in ("engine/*/*.c", "models/*.c", "cli/*.c"):
        files += glob.glob(os.path.join(ROOT, pattern))
    return sorted(os.path.relpath(f, ROOT) for f in files)


def extract(out):
    cmd = ["xgettext", "--from-code=UTF-8", "--language=C", "--omit-header", "--no-location",
           "--sort-output", "--add-comments=TRANSLATORS:", "-o", out]
    cmd += ["--keyword=" + k for k in KEYWORDS] + sources()
    subprocess.run(cmd, cwd=ROOT, check=True)


def unquote(s):
    return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def entries(path, formats=None):
    """{msgid: [msgstr, ...]} of a .po or .pot, entry by entry (entries are
    separated by blank lines); a fuzzy entry counts as untranslated. With a
    dict formats, its msgid -> True (c-format), False (no-c-format) or None
    (no flag) too."""
    out = {}
    if not os.path.exists(path):
        return out
    for block in open(path, encoding="utf-8").read().split("\n\n"):
        fields, field, fuzzy, cfmt = {}, None, False, None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
                cfmt = False if "no-c-format" in line else True if "c-format" in line else cfmt
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"') and field:
                fields[field] += unquote(line)
            else:
                field, value = line.split(" ", 1)
                fields[field] = unquote(value)
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        if "msgctxt" in fields:
            fields["msgid"] = fields["msgctxt"] + "\x04" + fields["msgid"]
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        out[fields["msgid"]] = [] if fuzzy else strs
        if formats is not None:
            formats[fields["msgid"]] = cfmt
    return out


DIRECTIVE = re.compile(r"%(?:%|[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|j|t|L)?"
                       r"[diouxXeEfFgGcsp])")


def signs(s, cfmt):
    """Where the percent signs that print as % start in s: every % of a
    plain message, each %% of a printf format."""
    if not cfmt:
        return [i for i, c in enumerate(s) if c == "%"]
    out, i = [], 0
    while i < len(s):
        m = DIRECTIVE.match(s, i) if s[i] == "%" else None
        if m and m.group(0) == "%%":
            out.append(i)
        i = m.end() if m else i + 1
    return out


def plain_space_percents(po, pot):
    """Messages of po whose translation puts an ordinary space before a
    percent sign; a message is a format as po flags it, else as pot does."""
    flags, pot_flags = {}, {}
    have = entries(po, flags)
    entries(pot, pot_flags)
    bad = []
    for msgid, strs in have.items():
        cfmt = flags[msgid] if flags[msgid] is not None else bool(pot_flags.get(msgid))
        if any(i > 0 and s[i - 1] == " " for s in strs for i in signs(s, cfmt)):
            bad.append(msgid)
    return bad


HIGH = re.compile(r" [;:?!»]|« ")


def plain_space_punctuation(po):
    """Messages of po whose translation puts an ordinary space before ;, :,
    ?, ! or » or after «."""
    return [m for m, strs in entries(po).items() if any(HIGH.search(s) for s in strs)]


def main():
    pot = os.path.join(ROOT, "po", "mixplan.pot")
    if sys.argv[1:] == ["--write-pot"]:
        extract(pot)
        print(f"wrote {pot}")
        return 0
    with tempfile.TemporaryDirectory() as d:
        fresh = os.path.join(d, "fresh.pot")
        extract(fresh)
        used = entries(fresh)
        for po in sorted(glob.glob(os.path.join(ROOT, "po", "*.po"))):
            subprocess.run(["msgfmt", "--check", "-o", os.devnull, po], check=True)
    bad = []
    stale = sorted(set(used) ^ set(entries(pot)))
    if stale:
        bad.append("po/mixplan.pot is not the sources' messages (cmake --build build --target "
                   "pot rewrites it): " + "; ".join(repr(m) for m in stale[:10]))
    for po in sorted(glob.glob(os.path.join(ROOT, "po", "*.po"))):
        have = entries(po)
        name = os.path.relpath(po, ROOT)
        missing = [m for m in used if not have.get(m) or not all(have[m])]
        if missing:
            bad.append(f"{name} lacks the translation of {len(missing)} message(s) the sources "
                       "use (add them, the msgid as the source writes it): " +
                       "; ".join(repr(m) for m in missing[:10]))
        if name == os.path.join("po", "fr.po"):
            spaced = plain_space_percents(po, pot)
            if spaced:
                bad.append(f"{name}: {len(spaced)} translation(s) put an ordinary space before % "
                           "(French writes a no-break space, U+00A0): " +
                           "; ".join(repr(m) for m in spaced[:10]))
            spaced = plain_space_punctuation(po)
            if spaced:
                bad.append(f"{name}: {len(spaced)} translation(s) put an ordinary space before "
                           "; : ? ! » or after « (French writes a no-break space, U+00A0): " +
                           "; ".join(repr(m) for m in spaced[:10]))
        unused = sorted(set(have) - set(used))
        if unused:
            print(f"{name}: {len(unused)} message(s) no source uses: " +
                  "; ".join(repr(m) for m in unused[:5]))
    for b in bad:
        print("FAIL: " + b)
    print(f"{len(used)} messages, {len(glob.glob(os.path.join(ROOT, 'po', '*.po')))} catalogue(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
