"""The workbook's temporary folder. libxlsxwriter builds each part of a
workbook in a temporary file before zipping them: in a folder it cannot write
it printed its own "[ERROR]" lines (or crashed), and on a full disk it wrote
a truncated workbook and mixplan said it was written (/tmp full: 2.5 kB). The folder (TMPDIR,
else /tmp) is checked before the workbook is begun (a small file written and
removed): a clear error naming it,
exit 4 (I/O), the previous workbook untouched and nothing of libxlsxwriter's
own on standard error."""
import os
import shutil
import subprocess

from mpcommon import *

d = tmpdir("tmpdir")
plan = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")


def mixplan(*args, env=None, prefix=()):
    e = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE", "LC_ALL",
                                                          "LC_MESSAGES", "TMPDIR")}
    e.update(env or {})
    return subprocess.run([*prefix, MIXPLAN, *args], capture_output=True, text=True, env=e,
                          timeout=600)


GOOD = b""  # a workbook written before, which a failed run must leave as it is


def previous(name):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(GOOD)
    return path


def refused(what, p, out, folder, why):
    check(p.returncode == 4, f"{what}: exit {p.returncode}, expected 4: {p.stderr!r}")
    msg = (f"mixplan: {out}: cannot write the workbook's temporary files in the folder {folder} "
           f"({why}): free some space there or set TMPDIR to a folder you can write to")
    check(msg in p.stderr, f"{what}: the folder named: {p.stderr!r}")
    check("[ERROR]" not in p.stderr and "Segmentation" not in p.stderr,
          f"{what}: nothing of libxlsxwriter's own: {p.stderr!r}")
    check(open(out, "rb").read() == GOOD, f"{what}: the previous workbook untouched")
    left = [f for f in os.listdir(d) if f.startswith(".")]
    check(not left, f"{what}: no temporary file left beside it: {left}")


# A TMPDIR that can be written: the workbook is made, the folder left empty.
tmp = os.path.join(d, "tmp")
os.mkdir(tmp)
wb = os.path.join(d, "ok.xlsx")
p = mixplan("optimize", plan, "-q", "-o", wb, env={"TMPDIR": tmp})
check(p.returncode == 0 and os.path.getsize(wb) > 20000, f"TMPDIR writable: {p.stderr!r}")
check(os.listdir(tmp) == [], f"nothing left in TMPDIR: {os.listdir(tmp)}")
GOOD = open(wb, "rb").read()

# A TMPDIR no one can write in (not even root: /sys).
out = previous("sys.xlsx")
refused("TMPDIR=/sys", mixplan("optimize", plan, "-q", "-o", out, env={"TMPDIR": "/sys"}), out,
        "/sys", "Permission denied")
p = mixplan("whatif", plan, "--vary", "budget=400k,500k", "-o", out, env={"TMPDIR": "/sys"})
refused("whatif, TMPDIR=/sys", p, out, "/sys", "Permission denied")
p = mixplan("optimize", plan, "-q", "-o", out, env={"TMPDIR": "/sys", "LANG": "fr_FR.UTF-8"})
check(p.returncode == 4 and "dossier /sys" in p.stderr and "TMPDIR" in p.stderr and
      "cannot write" not in p.stderr, f"in French: {p.stderr!r}")

# A full disk: TMPDIR a 16 KiB memory file system, filled, mounted in a
# mount namespace of this run's own (root and unshare needed; mounted on a
# folder of the test's, so that the build, wherever it lies, stays visible).
unshare = shutil.which("unshare")
probe = subprocess.run([unshare, "-m", "true"], capture_output=True) if unshare else None
if os.getuid() != 0 or not probe or probe.returncode != 0:
    print("skipped: a full TMPDIR (needs root and unshare -m)")
else:
    out = previous("full.xlsx")
    full = os.path.join(d, "full")
    os.mkdir(full)
    script = ('mount -t tmpfs -o size=16k tmpfs "$TMPDIR" && '
              '(dd if=/dev/zero of="$TMPDIR/fill" bs=4k count=8 2>/dev/null; true) && '
              'exec "$@"')
    p = mixplan("optimize", plan, "-q", "-o", out, env={"TMPDIR": full},
                prefix=(unshare, "-m", "sh", "-c", script, "sh"))
    refused("TMPDIR full", p, out, full, "No space left on device")
    check(os.listdir(full) == [], "the memory file system was this run's only")
done()
