#!/usr/bin/env python3
"""test_api_args.c calls every function mixplan.h declares (so a function
added to the header without an argument check fails here)."""
import os
import re
import sys

ROOT = os.environ.get("MP_SOURCE_DIR") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))


def names(path, pattern):
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return set(re.findall(pattern, text))


def main():
    declared = names("engine/include/mixplan.h", r"\b(mp_\w+)\s*\(")
    called = names("tests/unit/test_api_args.c", r"\b(mp_\w+)\s*\(")
    missing = sorted(declared - called)
    for n in missing:
        print(f"tests/unit/test_api_args.c does not call {n}")
    print(f"{len(declared)} functions declared, {len(declared & called)} called with bad arguments")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
