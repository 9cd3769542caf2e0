"""No output ever replaces an input, and only regular files are replaced.

Through the CLI, on a copy of the spring example (plan, Keyword Planner
export, rules, CO2 factors) in a scratch folder: every clash of an output with
an input is refused with exit 2 and leaves the input byte-identical; outputs
need their extension; an existing file of another kind needs --force; devices,
FIFOs, directories and dangling links are refused; a symlink is followed and
kept; permissions are kept; long names work; the file-size limit and a full
disk (where a tmpfs can be mounted) give a clean write error; SIGINT while the workbook is written leaves no temporary
file and the previous workbook unchanged."""
import os
import resource
import shutil
import signal
import stat
import subprocess
import time

from mpcommon import *

valgrind_sample(6)  # many re-solves of a few plans: see mpcommon.valgrind_sample

d = tmpdir("outputs")
for sub in ("examples", "keywords", "co2"):
    shutil.copytree(os.path.join(SRC, "datasets", sub), os.path.join(d, sub))
ex = os.path.join(d, "examples")
plan = os.path.join(ex, "spring_launch.ini")
kw = os.path.join(d, "keywords", "fr_running.csv")
rules = os.path.join(d, "keywords", "fr_running_groups.ini")
co2 = os.path.join(d, "co2", "factors.csv")
inputs = [plan, kw, rules, co2]


def snapshot():
    return {p: open(p, "rb").read() for p in inputs}


before = snapshot()


def leftovers(folder):
    """Temporary files (hidden) left in folder."""
    return [f for f in os.listdir(folder) if f.startswith(".")]


def refused(name, args, fragments, code=2, cmd="optimize", cwd=None):
    """The run ends with code, says each fragment, and changes no input."""
    p = subprocess.run([*valgrind_prefix(), os.path.abspath(MIXPLAN), cmd, plan, "-q", *args],
                       capture_output=True, text=True, timeout=120, cwd=cwd)
    check(p.returncode == code, f"{name}: exit {p.returncode}, expected {code}: {p.stderr}")
    for frag in fragments:
        check(frag in p.stderr, f"{name}: stderr lacks {frag!r}: {p.stderr!r}")
    check(snapshot() == before, f"{name}: the inputs are byte-identical")
    for folder in (ex, os.path.dirname(kw), os.path.dirname(co2)):
        check(not leftovers(folder), f"{name}: no temporary file in {folder}")
    return p


# Each clash, by name, through other spellings of the name, and by inode.
refused("-o plan", ["-o", plan], ["-o " + plan, "would replace", "spring_launch.ini"])
refused("--json plan", ["--json", plan], ["--json " + plan, "spring_launch.ini"])
refused("export-lp plan", ["-o", plan], ["-o " + plan, "spring_launch.ini"], cmd="export-lp")
refused("whatif -o plan", ["--vary", "budget=300k,400k", "-o", plan], ["spring_launch.ini"],
        cmd="whatif")
refused("whatif --json export", ["--vary", "budget=300k,400k", "--json", kw], ["fr_running.csv"],
        cmd="whatif")
refused("-o export", ["-o", kw], ["fr_running.csv", "an input of this run"])
refused("--json rules", ["--json", rules], ["fr_running_groups.ini"])
refused("-o co2", ["-o", co2], ["factors.csv"])
refused("dotted name", ["-o", os.path.join(ex, "..", "examples", ".", "spring_launch.ini")],
        ["spring_launch.ini"])
refused("relative name", ["-o", "spring_launch.ini"], ["spring_launch.ini"], cwd=ex)
link = os.path.join(d, "link.xlsx")
os.symlink(plan, link)
refused("symlink to the plan", ["-o", link], ["link.xlsx", "spring_launch.ini"])
hard = os.path.join(d, "hard.json")
os.link(kw, hard)
refused("hard link to the export", ["--json", hard], ["hard.json", "fr_running.csv"])
hard_lp = os.path.join(d, "hard.lp")
os.link(plan, hard_lp)
refused("export-lp hard link to the plan", ["-o", hard_lp], ["hard.lp"], cmd="export-lp")
os.remove(link)
os.remove(hard)
os.remove(hard_lp)

# Extensions, with the name to use.
out = os.path.join(d, "plan.xls")
refused(".xls", ["-o", out], ["needs the .xlsx extension", "plan.xlsx", "old Excel format"])
check(not os.path.exists(out), ".xls: nothing written")
refused("json without .json", ["--json", os.path.join(d, "result.txt")], ["needs the .json"])
refused("lp without .lp", ["-o", os.path.join(d, "model.txt")], ["needs the .lp"],
        cmd="export-lp")
p = run("optimize", plan, "-q", "--json", "-")
check(p.returncode == 0 and p.stdout.lstrip().startswith("{"), "--json - still writes stdout")

# An existing file of another kind is kept unless --force.
for name, text, args in (("text.xlsx", b"notes\n", ["-o"]), ("notes.json", b"# notes\n", ["--json"]),
                         ("fake.xlsx", b"<html>", ["-o"])):
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(text)
    refused("kind " + name, [*args, path], [name, "--force"])
    check(open(path, "rb").read() == text, f"kind {name}: kept")
    p = run("optimize", plan, "-q", *args, path, "--force")
    check(p.returncode == 0, f"--force {name}: exit {p.returncode}: {p.stderr}")
    check(open(path, "rb").read() != text, f"--force {name}: replaced")
lp = os.path.join(d, "notes.lp")
with open(lp, "w") as f:
    f.write("shopping list\n")
refused("kind notes.lp", ["-o", lp], ["notes.lp", "--force"], cmd="export-lp")
p = run("export-lp", plan, "-o", lp, "--force")
check(p.returncode == 0 and open(lp).read().startswith("\\"), "--force notes.lp: an LP now")
p = run("export-lp", plan, "-o", lp)
check(p.returncode == 0, f"an LP file over an LP file: exit {p.returncode}: {p.stderr}")
book = os.path.join(d, "book.xlsx")
p = run("optimize", plan, "-q", "-o", book)
p2 = run("optimize", plan, "-q", "-o", book)
check(p.returncode == 0 and p2.returncode == 0, "a workbook over a workbook needs no --force")

# Only regular files are replaced; a blocking open would hang: timeouts fail.
for dev in ("/dev/null", "/dev/zero"):
    st0 = os.stat(dev)
    refused(dev, ["--json", dev], [dev, "not a regular file"])
    st1 = os.stat(dev)
    check(stat.S_ISCHR(st1.st_mode) and st1.st_rdev == st0.st_rdev, f"{dev} is still the device")
fifo = os.path.join(d, "pipe.json")
os.mkfifo(fifo)
refused("FIFO", ["--json", fifo], ["pipe.json", "not a regular file"])
check(stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO is still a FIFO")
fifo_x = os.path.join(d, "pipe.xlsx")
os.mkfifo(fifo_x)
refused("FIFO workbook", ["-o", fifo_x], ["not a regular file"])
folder = os.path.join(d, "folder.xlsx")
os.mkdir(folder)
refused("directory", ["-o", folder], ["is a directory"])

# A symlink is followed (the file it points to replaced), the link kept.
real_dir = os.path.join(d, "real")
os.mkdir(real_dir)
target = os.path.join(real_dir, "target.xlsx")
p = run("optimize", plan, "-q", "-o", target)
os.chmod(target, 0o640)
old_inode = os.stat(target).st_ino
link = os.path.join(d, "latest.xlsx")
os.symlink(os.path.join("real", "target.xlsx"), link)
p = run("optimize", plan, "-q", "-o", link, "--json", os.path.join(d, "latest.json"))
check(p.returncode == 0, f"symlink: exit {p.returncode}: {p.stderr}")
check(os.path.islink(link) and os.readlink(link) == os.path.join("real", "target.xlsx"),
      "symlink: the link is kept")
check(os.stat(target).st_ino != old_inode, "symlink: the target was replaced (a new file)")
check(stat.S_IMODE(os.stat(target).st_mode) == 0o640, "symlink: the target keeps its mode")
check(not leftovers(real_dir) and not leftovers(d), "symlink: no temporary left")
dangling = os.path.join(d, "dangling.xlsx")
os.symlink(os.path.join(d, "nowhere.xlsx"), dangling)
refused("dangling link", ["-o", dangling], ["dangling.xlsx", "does not exist"])
check(os.path.islink(dangling) and not os.path.exists(os.path.join(d, "nowhere.xlsx")),
      "dangling link: nothing created")

# Permissions: an existing file keeps its mode; a new one follows the umask.
secret = os.path.join(d, "secret.xlsx")
run("optimize", plan, "-q", "-o", secret)
os.chmod(secret, 0o600)
p = run("optimize", plan, "-q", "-o", secret, "--json", os.path.join(d, "secret.json"))
check(p.returncode == 0 and stat.S_IMODE(os.stat(secret).st_mode) == 0o600,
      f"a 0600 workbook stays 0600: {oct(os.stat(secret).st_mode)}")
for mask in (0o022, 0o077, 0o002):
    fresh = os.path.join(d, f"fresh{mask:o}.xlsx")
    p = subprocess.run([MIXPLAN, "optimize", plan, "-q", "-o", fresh],
                       capture_output=True, preexec_fn=lambda m=mask: os.umask(m), timeout=120)
    check(p.returncode == 0 and stat.S_IMODE(os.stat(fresh).st_mode) == 0o666 & ~mask,
          f"a new workbook under umask {mask:o} is {0o666 & ~mask:o}")

# A 250-character file name (the longest most file systems allow is 255).
long_xlsx = os.path.join(d, "w" * 245 + ".xlsx")
long_json = os.path.join(d, "j" * 245 + ".json")
long_lp = os.path.join(d, "l" * 247 + ".lp")
p = run("optimize", plan, "-q", "-o", long_xlsx, "--json", long_json)
check(p.returncode == 0 and os.path.exists(long_xlsx) and os.path.exists(long_json),
      f"250-character names: exit {p.returncode}: {p.stderr}")
p = run("export-lp", plan, "-o", long_lp)
check(p.returncode == 0 and os.path.exists(long_lp), f"250-character LP name: {p.stderr}")
check(not leftovers(d), "250-character names: no temporary left")


# The file-size limit: a write error naming the output, no temporary left, the
# previous output unchanged (SIGXFSZ would end the run silently with 153).
def limited(limit_bytes):
    def pre():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
    return pre


for name, args, what in (("capped.xlsx", ["-o"], "workbook"), ("capped.json", ["--json"], "JSON"),
                         ("capped.lp", ["-o"], "LP")):
    path = os.path.join(d, name)
    cmd = "export-lp" if name.endswith(".lp") else "optimize"
    prev = {".xlsx": open(book, "rb").read(), ".json": b'{"previous": 1}\n',
            ".lp": b"\\* previous *\\\n"}[os.path.splitext(name)[1]]
    with open(path, "wb") as f:
        f.write(prev)
    p = subprocess.run([MIXPLAN, cmd, plan, "-q", *args, path], capture_output=True, text=True,
                       preexec_fn=limited(2000), timeout=120)
    check(p.returncode == 4, f"{name} over the size limit: exit {p.returncode}, expected 4")
    check(f"{name}: cannot write the {what}: File too large" in p.stderr,
          f"{name}: the error names the output and why: {p.stderr!r}")
    check(open(path, "rb").read() == prev, f"{name}: the previous file is unchanged")
    check(not leftovers(d), f"{name}: no temporary left: {leftovers(d)}")


# A full disk (a 64 KiB tmpfs, filled; only where the test may mount one, as
# root): the same words for the three kinds, the previous file unchanged.
full = os.path.join(d, "full")
os.mkdir(full)
mounted = os.geteuid() == 0 and subprocess.run(
    ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full], capture_output=True).returncode == 0
if mounted:
    try:
        prev_book = os.path.join(full, "full.xlsx")
        shutil.copyfile(book, prev_book)
        with open(os.path.join(full, "filler"), "wb") as f:
            try:
                f.write(b"\0" * 65536)
            except OSError:
                pass
        for name, cmd, args, what in (("full.xlsx", "optimize", ["-o"], "workbook"),
                                      ("full.json", "optimize", ["--json"], "JSON"),
                                      ("full.lp", "export-lp", ["-o"], "LP")):
            path = os.path.join(full, name)
            p = run(cmd, plan, "-q", *args, path)
            check(p.returncode == 4, f"{name} on a full disk: exit {p.returncode}")
            check(f"{name}: cannot write the {what}: No space left on device" in p.stderr,
                  f"{name}: the error names the output and why: {p.stderr!r}")
            check(not leftovers(full), f"{name}: no temporary left on the full disk")
        check(open(prev_book, "rb").read() == open(book, "rb").read(),
              "full disk: the previous workbook is unchanged")
    finally:
        subprocess.run(["umount", full])
else:
    print("full disk: skipped (cannot mount a tmpfs here)")

# SIGINT / SIGTERM while a large workbook is written (20,000 keywords: the
# workbook takes about a second to write): exit 130 / 143, no temporary
# file, the previous workbook unchanged.
def big_plan(folder, n):
    os.makedirs(folder, exist_ok=True)
    rng = 88172645463325252

    def uniform():
        nonlocal rng
        rng ^= (rng << 13) & 0xFFFFFFFFFFFFFFFF
        rng ^= rng >> 7
        rng ^= (rng << 17) & 0xFFFFFFFFFFFFFFFF
        return (rng >> 11) / 9007199254740992.0

    rows = ["Keyword Stats 2026-06-15 at 09_00_00", '"June 1, 2025 - May 31, 2026"',
            "Keyword\tCurrency\tAvg. monthly searches\tCompetition (indexed value)\t"
            "Top of page bid (low range)\tTop of page bid (high range)"]
    for i in range(n):
        lo = 0.2 + 2 * uniform()
        hi = lo * (1.5 + 2 * uniform())
        rows.append(f"keyword {i}\tEUR\t{50 + 20000 * uniform() ** 4:.0f}\t"
                    f"{int(100 * uniform())}\t{lo:.2f}\t{hi:.2f}")
    write(os.path.join(folder, "kw.csv"), "\n".join(rows) + "\n")
    return write(os.path.join(folder, "plan.ini"),
                 f"[plan]\nname = big\nbudget = {n * 40 + 100000}\nstart = 2027-03-01\n"
                 "periods = 4\n[channel \"google\"]\ntype = search\nkeywords = kw.csv\n"
                 "ctr = 4%\ncvr = 3%\nvalue = 80\n")


big_dir = os.path.join(d, "big")
big = big_plan(big_dir, 20000)
for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
    wb = os.path.join(big_dir, "big.xlsx")
    with open(wb, "wb") as f:
        f.write(open(book, "rb").read())
    prev = open(wb, "rb").read()
    proc = subprocess.Popen([MIXPLAN, "optimize", big, "-q", "-o", wb],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    seen = False
    while time.time() < deadline and proc.poll() is None:
        if leftovers(big_dir):  # the temporary workbook exists: writing has begun
            seen = True
            time.sleep(0.05)
            proc.send_signal(sig)
            break
        time.sleep(0.002)
    try:
        rc = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = None
    check(seen, f"signal {sig}: the temporary workbook was seen while writing")
    check(rc == code, f"signal {sig}: exit {rc}, expected {code}")
    check(not leftovers(big_dir), f"signal {sig}: no temporary left: {leftovers(big_dir)}")
    check(open(wb, "rb").read() == prev, f"signal {sig}: the previous workbook is unchanged")

done()
