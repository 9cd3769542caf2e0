#!/usr/bin/env python3
"""The installed tree works for a program that embeds the library.

Installs the build into a staging prefix under the build directory
(cmake --install), checks what is there, compiles tests/embed/channels.c with
`cc ... $(pkg-config --cflags --libs mixplan)` against that tree only, runs it
on the spring example and compares each channel's name, order and spend with
`mixplan optimize --json` of the installed command (relative tolerance 1e-6).
"""
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys

SRC = os.environ["MP_SOURCE_DIR"]
BUILD = os.environ["MP_BUILD_DIR"]
CC = os.environ.get("CC", "cc")
CMAKE = os.environ.get("CMAKE", "cmake")
VERSION = os.environ["MP_VERSION"]
EXTRA_CFLAGS = shlex.split(os.environ.get("MP_EMBED_CFLAGS", ""))
PLAN = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
REL_TOL = 1e-6

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def run(args, **kw):
    p = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)
    if p.returncode != 0:
        print(" ".join(args), "exited", p.returncode, "\n", p.stdout, p.stderr, flush=True)
    return p


def install(prefix):
    shutil.rmtree(prefix, ignore_errors=True)
    p = run([CMAKE, "--install", BUILD, "--prefix", prefix])
    if p.returncode != 0:
        sys.exit(1)
    for rel in ["bin/mixplan", "include/mixplan.h"]:
        check(os.path.isfile(os.path.join(prefix, rel)), f"{rel} is installed")
    pcs = glob.glob(os.path.join(prefix, "**", "pkgconfig", "mixplan.pc"), recursive=True)
    check(len(pcs) == 1, f"one mixplan.pc installed (found {pcs})")
    if not pcs:
        sys.exit(1)
    pcdir = os.path.dirname(pcs[0])
    libdir = os.path.dirname(pcdir)
    major = VERSION.split(".")[0]
    for name in ["libmixplan.so", f"libmixplan.so.{major}", f"libmixplan.so.{VERSION}"]:
        check(os.path.exists(os.path.join(libdir, name)), f"{name} is installed in {libdir}")
    return pcdir


def pkg_config(pcdir, *args):
    env = dict(os.environ, PKG_CONFIG_PATH=pcdir)
    p = run(["pkg-config", *args, "mixplan"], env=env)
    check(p.returncode == 0, f"pkg-config {' '.join(args)} mixplan")
    return p.stdout.strip()


def compile_channels(pcdir, work):
    check(pkg_config(pcdir, "--modversion") == VERSION, f"mixplan.pc says version {VERSION}")
    flags = shlex.split(pkg_config(pcdir, "--cflags", "--libs"))
    libdir = pkg_config(pcdir, "--variable=libdir")
    exe = os.path.join(work, "channels")
    cmd = [CC, "-std=c11", "-Wall", "-Wextra", "-Werror", *EXTRA_CFLAGS,
           os.path.join(SRC, "tests", "embed", "channels.c"), "-o", exe, *flags,
           f"-Wl,-rpath,{libdir}"]
    # only the installed tree: no include path into the sources
    engine = os.path.join(SRC, "engine")
    check(not any(engine in f for f in flags), "pkg-config points into the install tree only")
    p = run(cmd)
    check(p.returncode == 0, "channels.c compiles against the installed tree")
    if p.returncode != 0:
        sys.exit(1)
    return exe


def readme_example(pcdir, work, env, want):
    """The README's C example (its first ```c block), built against the
    installed tree exactly as the README says and run from the sources' top
    folder: one line a channel, its name and spend rounded to the currency."""
    text = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    start = text.index("```c\n") + 5
    src = os.path.join(work, "spend.c")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text[start:text.index("```", start)])
    flags = shlex.split(pkg_config(pcdir, "--cflags", "--libs"))
    libdir = pkg_config(pcdir, "--variable=libdir")
    exe = os.path.join(work, "spend")
    p = run([CC, src, "-o", exe, *EXTRA_CFLAGS, *flags, f"-Wl,-rpath,{libdir}"])
    check(p.returncode == 0, "the README's C example compiles as the README says")
    if p.returncode != 0:
        return
    p = run([exe], cwd=SRC, env=env)
    check(p.returncode == 0, "the README's C example runs")
    lines = [line.split() for line in p.stdout.splitlines()]
    check(len(lines) == len(want), f"README example: {len(lines)} lines for {len(want)} channels")
    for words, ch in zip(lines, want):
        check(words[0] == ch["name"] and words[2] == "EUR" and
              abs(float(words[1]) - ch["spend"]) <= 0.5,
              f"README example prints {words}; the JSON has {ch['name']} {ch['spend']:.0f} EUR")


def close(a, b):
    return abs(a - b) <= REL_TOL * max(abs(b), 1.0)


def main():
    prefix = os.path.join(BUILD, "embed-stage")
    work = os.path.join(BUILD, "embed-work")
    os.makedirs(work, exist_ok=True)
    pcdir = install(prefix)
    exe = compile_channels(pcdir, work)
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    mixplan = os.path.join(prefix, "bin", "mixplan")
    p = run([mixplan, "--version"], env=env)
    check(p.stdout.strip() == f"mixplan {VERSION}", f"installed mixplan --version: {p.stdout!r}")

    p = run([exe, PLAN], env=env)
    check(p.returncode == 0, "channels runs on the spring example")
    got = [line.split("\t") for line in p.stdout.splitlines()]
    out = os.path.join(work, "spring.json")
    if os.path.exists(out):
        os.remove(out)
    q = run([mixplan, "optimize", PLAN, "--json", out, "--quiet"], env=env)
    check(q.returncode == 0, "the installed mixplan optimizes the spring example")
    if p.returncode != 0 or q.returncode != 0:
        sys.exit(1)
    with open(out, encoding="utf-8") as f:
        want = json.load(f)["channels"]
    check(len(got) == len(want), f"{len(got)} channels through the API, {len(want)} in the JSON")
    for (name, spend), ch in zip(got, want):
        check(name == ch["name"], f"channel order: {name} where the JSON has {ch['name']}")
        check(close(float(spend), ch["spend"]),
              f"{name}: spend {spend} through the API, {ch['spend']!r} in the JSON")
    readme_example(pcdir, work, env, want)
    print(f"{len(got)} channels compared; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
