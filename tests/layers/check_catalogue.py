#!/usr/bin/env python3
"""The message catalogues (engine/base/tr.c) against the sources:

- every message the library's and the command's sources mark (mpi_tr,
  mpi_trn, workbook.c's tr, N_; the command's _ and mp_message), as xgettext
  extracts it, is in po/mixplan.pot, the template;
- every one of them is translated in each po/LANG.po (a message missing there
  would show in English in a French workbook);
- msgfmt --check accepts each po/LANG.po (printf formats agree).

With --write-pot, rewrites po/mixplan.pot from the sources instead (cmake
--build build --target pot runs this). Messages of a .po that no source uses
any more are listed, not refused: they are harmless and msgattrib drops them.
"""
import glob
import os
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


def entries(path):
    """{msgid: [msgstr, ...]} of a .po or .pot, entry by entry (entries are
    separated by blank lines); a fuzzy entry counts as untranslated."""
    out = {}
    if not os.path.exists(path):
        return out
    for block in open(path, encoding="utf-8").read().split("\n\n"):
        fields, field, fuzzy = {}, None, False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
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
    return out


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
