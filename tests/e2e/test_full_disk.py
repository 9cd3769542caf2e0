"""An output written on a full file system: for each kind (workbook, JSON,
LP) a previous file of that kind sits at the output path, the disk is full,
the run exits 4 (README, exit codes) and the previous file is byte for byte
what it was, with no temporary left. A writer that opened the target itself
instead of a temporary beside it would have truncated it.

The full disk is a small tmpfs mounted by the test, which needs root; where
it cannot mount one the test says so and checks nothing."""
import os
import shutil
import subprocess

from mpcommon import *

d = tmpdir("fulldisk")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
prev = {}
for ext, cmd, args in ((".xlsx", "optimize", ["-q", "-o"]), (".json", "optimize", ["-q", "--json"]),
                       (".lp", "export-lp", ["-o"])):
    path = os.path.join(d, "prev" + ext)
    p = run(cmd, plan, *args, path)
    check(p.returncode == 0, f"previous {ext}: exit {p.returncode}: {p.stderr}")
    prev[ext] = open(path, "rb").read()

full = os.path.join(d, "full")
os.mkdir(full)
size_kib = 64 + sum(len(b) for b in prev.values()) // 1024
mount = ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", full]
if os.geteuid() != 0:
    print("skipped: mounting a small tmpfs needs root")
    done()
m = subprocess.run(mount, capture_output=True, text=True)
if m.returncode != 0:
    print(f"skipped: cannot mount a tmpfs here: {m.stderr.strip()}")
    done()


def leftovers():
    return [f for f in os.listdir(full) if f.startswith(".")]


try:
    targets = {ext: os.path.join(full, "out" + ext) for ext in prev}
    for ext, path in targets.items():
        with open(path, "wb") as f:
            f.write(prev[ext])
    fd = os.open(os.path.join(full, "filler"), os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while os.write(fd, b"\0" * 4096) > 0:
            pass
    except OSError:
        pass
    os.close(fd)
    runs = (("optimize", ["-q", "-o", targets[".xlsx"]], [".xlsx"]),
            ("optimize", ["-q", "--json", targets[".json"]], [".json"]),
            ("export-lp", ["-o", targets[".lp"]], [".lp"]),
            ("optimize", ["-q", "-o", targets[".xlsx"], "--json", targets[".json"]], [".xlsx", ".json"]))
    for cmd, args, exts in runs:
        p = run(cmd, plan, *args)
        what = f"{cmd} {' '.join(os.path.basename(a) for a in args)}"
        check(p.returncode == 4, f"{what} on a full disk: exit {p.returncode}, expected 4: {p.stderr}")
        check("No space left on device" in p.stderr, f"{what}: says why: {p.stderr!r}")
        for ext in prev:
            path = targets[ext]
            check(os.path.exists(path) and open(path, "rb").read() == prev[ext],
                  f"{what}: the previous {ext} is unchanged")
        check(not leftovers(), f"{what}: no temporary left: {leftovers()}")
finally:
    subprocess.run(["umount", full])
done()
