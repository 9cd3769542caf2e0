"""Outputs a planner must not lose: a read-only plan.xlsx, plan.json or
plan.lp, and a workbook open in LibreOffice (.~lock.NAME#) or Excel (~$NAME),
are refused up front with exit 2 and a sentence that says why and what to do,
even for root (who could rename over them: the mode bits decide, not
access(2)); --force replaces them, and a read-only file stays read-only. A
folder that cannot be written is named. Each refused run leaves the old file
byte-identical (md5), no temporary file, and no raw library line on stderr."""
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile

from mpcommon import *

d = tmpdir("kept")
plan = write(os.path.join(d, "p.ini"), "[plan]\nbudget = 100k\nstart = 2027-03-01\n"
             "[channel \"c\"]\ntype = curve\ncurve = exp\nbeta = 100\nk = 20k\n")
# a smaller budget: a replaced output differs from the one kept
other = write(os.path.join(d, "q.ini"), open(plan).read().replace("100k", "50k"))
MP = os.path.abspath(MIXPLAN)
plan_src, other_src = plan, other


def md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def temporaries():
    return [f for f in os.listdir(d) if f.startswith(".") and not f.startswith(".~lock.")]


def mixplan(*args, user=None):
    pre = (lambda: os.setuid(user)) if user is not None else None
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(MP))
    return subprocess.run([MP, *args], capture_output=True, text=True, timeout=120, cwd=d,
                          preexec_fn=pre, env=env)


def fresh(name, mode=0o644):
    """name made by a run of the other plan, with mode."""
    path = os.path.join(d, name)
    if os.path.exists(path):
        os.chmod(path, 0o644)
        os.remove(path)
    if name.endswith(".lp"):
        p = mixplan("export-lp", other, "-o", name)
    else:
        p = mixplan("optimize", other, "-q", "--json" if name.endswith(".json") else "-o", name)
    check(p.returncode == 0, f"{name}: made: {p.stderr}")
    os.chmod(path, mode)
    return path


def refused(what, args, says, path, user=None):
    before = md5(path)
    p = mixplan(*args, user=user)
    check(p.returncode == 2, f"{what}: exit {p.returncode}, expected 2: {p.stderr}")
    check(says in p.stderr, f"{what}: stderr lacks {says!r}: {p.stderr!r}")
    check("[ERROR]" not in p.stderr, f"{what}: no raw library line: {p.stderr!r}")
    check(md5(path) == before, f"{what}: {os.path.basename(path)} is byte-identical")
    check(not temporaries(), f"{what}: no temporary file left: {temporaries()}")


def replaced(what, args, path, mode):
    before = md5(path)
    p = mixplan(*args)
    check(p.returncode == 0, f"{what}: exit {p.returncode}: {p.stderr}")
    check(md5(path) != before, f"{what}: {os.path.basename(path)} replaced")
    check(stat.S_IMODE(os.stat(path).st_mode) == mode,
          f"{what}: mode {oct(os.stat(path).st_mode)}, expected {oct(mode)}")
    check(not temporaries(), f"{what}: no temporary file left: {temporaries()}")


# Read-only (0444) outputs of each kind, as root here: refused, then --force.
for name, args in (("plan.xlsx", ["optimize", plan, "-q", "-o", "plan.xlsx"]),
                   ("plan.json", ["optimize", plan, "-q", "--json", "plan.json"]),
                   ("plan.lp", ["export-lp", plan, "-o", "plan.lp"])):
    path = fresh(name, 0o444)
    refused(f"read-only {name}", args,
            f"mixplan: {name} is read-only: not replaced (make it writable, or choose another "
            "name; --force replaces it)", path)
    replaced(f"read-only {name} with --force", [*args, "--force"], path, 0o444)
# Both outputs: the read-only one is named before any work, the other kept too.
wb, js = fresh("plan.xlsx"), fresh("plan.json", 0o400)
kept = md5(wb)
refused("read-only JSON beside a workbook",
        ["optimize", plan, "-q", "-o", "plan.xlsx", "--json", "plan.json"],
        "plan.json is read-only: not replaced", js)
check(md5(wb) == kept, "read-only JSON beside a workbook: the workbook is kept too")

# A workbook open in LibreOffice or Excel: its lock file beside it.
for app, lock in (("LibreOffice", ".~lock.plan.xlsx#"), ("Excel", "~$plan.xlsx")):
    wb = fresh("plan.xlsx")
    write(os.path.join(d, lock), "planner,host,2027-03-01\n")
    args = ["optimize", plan, "-q", "-o", "plan.xlsx"]
    refused(f"open in {app}", args,
            f"mixplan: plan.xlsx is open in {app} (its lock file {lock} is beside it): not "
            "replaced", wb)
    replaced(f"open in {app} with --force", [*args, "--force"], wb, 0o644)
    os.remove(os.path.join(d, lock))
# another workbook's lock file does not hold this one
write(os.path.join(d, ".~lock.other.xlsx#"), "x\n")
replaced("another workbook's lock", ["optimize", plan, "-q", "-o", fresh("plan.xlsx")], wb, 0o644)
os.remove(os.path.join(d, ".~lock.other.xlsx#"))

# A folder that cannot be written is named (even root cannot create in /sys).
p = mixplan("optimize", plan, "-q", "--json", "/sys/plan.json")
check(p.returncode == 4 and "cannot write in the folder /sys: " in p.stderr,
      f"/sys: exit {p.returncode}: {p.stderr!r}")

# The same as a user who is not root, where the system also refuses.
if os.getuid() == 0:
    nobody = 65534
    # The test's folder may lie in a tree only root can enter (a fresh clone
    # in a 0700 folder): that user runs a copy of mixplan and its library,
    # with the plans, from a folder of the system's temporary directory.
    old, d = d, tempfile.mkdtemp(prefix="mixplan-kept-", dir=tempfile.gettempdir())
    os.chmod(d, 0o777)
    build = os.path.dirname(os.path.realpath(MP))
    for f in os.listdir(build):
        if f.startswith("libmixplan.so"):
            shutil.copy(os.path.join(build, f), os.path.join(d, f))
    MP = shutil.copy(MP, os.path.join(d, "mixplan"))
    plan = shutil.copy(plan_src, os.path.join(d, "p.ini"))
    other = shutil.copy(other_src, os.path.join(d, "q.ini"))
    shutil.rmtree(old, ignore_errors=True)
    for f in os.listdir(d):
        os.chown(os.path.join(d, f), nobody, -1)
    wb = fresh("plan.xlsx", 0o444)
    os.chown(wb, nobody, -1)
    refused("read-only workbook, not root", ["optimize", plan, "-q", "-o", "plan.xlsx"],
            "plan.xlsx is read-only: not replaced", wb, user=nobody)
    p = mixplan("optimize", plan, "-q", "-o", "plan.xlsx", "--force", user=nobody)
    check(p.returncode == 0 and stat.S_IMODE(os.stat(wb).st_mode) == 0o444,
          f"read-only workbook, not root, --force: exit {p.returncode}: {p.stderr!r}")
    ro = os.path.join(d, "ro")
    os.mkdir(ro, 0o555)
    os.chown(ro, nobody, -1)
    p = mixplan("optimize", plan, "-q", "-o", "ro/plan.xlsx", user=nobody)
    check(p.returncode == 4 and "mixplan: ro/plan.xlsx: the folder ro is not writable" in p.stderr
          and "[ERROR]" not in p.stderr, f"read-only folder: exit {p.returncode}: {p.stderr!r}")

shutil.rmtree(d, ignore_errors=True)
done()
