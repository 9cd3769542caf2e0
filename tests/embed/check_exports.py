#!/usr/bin/env python3
"""libmixplan.so exports the public API and nothing else.

Lists `nm -D --defined-only` of the shared library given as the first argument
and fails on any exported symbol that does not start with mp_ or that
mixplan.h (the second argument) does not declare; also checks the SONAME is
libmixplan.so.<major>, the major of the version given as the third argument.
"""
import re
import subprocess
import sys


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            names.append(fields[2].split("@")[0])
    return sorted(set(names))


def declared(header):
    text = open(header, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return set(re.findall(r"\b(mp_\w+)\s*\(", text))


def soname(lib):
    out = subprocess.run(["readelf", "-d", lib], check=True, capture_output=True,
                         text=True).stdout
    m = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", out)
    return m.group(1) if m else None


def main():
    lib, header, version = sys.argv[1:4]
    names = exported(lib)
    public = declared(header)
    problems = [f"exported but not mp_: {n}" for n in names if not n.startswith("mp_")]
    problems += [f"exported but not declared in mixplan.h: {n}" for n in names
                 if n.startswith("mp_") and n not in public]
    want = "libmixplan.so." + version.split(".")[0]
    if soname(lib) != want:
        problems.append(f"SONAME is {soname(lib)}, expected {want}")
    if not names:
        problems.append("no symbol exported at all")
    for p in problems:
        print(p)
    print(f"{len(names)} symbols exported, {len(public)} functions declared in mixplan.h")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
