"""Bad input as data: each tests/cases/bad/*.ini starts with comment lines
    ; expect-exit: N
    ; expect-message: text that must appear on stderr
and is run through `mixplan optimize` with -o pointing at an existing file,
which must stay byte-identical."""
import glob
import os

from mpcommon import *

d = tmpdir("bad")
cases = sorted(glob.glob(os.path.join(SRC, "tests", "cases", "bad", "*.ini")))
check(len(cases) >= 10, f"{len(cases)} bad-input cases")
for case in cases:
    code, msgs = None, []
    for line in open(case, encoding="utf-8", errors="replace"):
        if line.startswith("; expect-exit:"):
            code = int(line.split(":", 1)[1])
        elif line.startswith("; expect-message:"):
            msgs.append(line.split(":", 1)[1].strip())
    name = os.path.basename(case)
    check(code is not None and msgs, f"{name}: has expectations")
    out = os.path.join(d, name + ".xlsx")
    with open(out, "wb") as f:
        f.write(b"previous")
    p = run("optimize", case, "-o", out)
    check(p.returncode == code, f"{name}: exit {p.returncode}, expected {code}: {p.stderr}")
    for m in msgs:
        check(m in p.stderr, f"{name}: stderr lacks {m!r}: {p.stderr!r}")
    check(open(out, "rb").read() == b"previous", f"{name}: output untouched")
done()
