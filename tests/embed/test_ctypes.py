#!/usr/bin/python3
"""libmixplan.so from Python with ctypes (standard library only).

Reads the spring example into memory, loads it with mp_plan_load_buffer (base
directory datasets/examples, the text passed without a trailing NUL), solves
it, reads the objective and each channel's spend, share and conversions
through the accessors and compares them with `mixplan optimize --json` of the
same plan file (relative tolerance 1e-6). A bad buffer must return
MP_ERR_INPUT with a message naming "<buffer>" and the line.
"""
import ctypes
import json
import os
import subprocess
import sys
import tempfile

SRC = os.environ["MP_SOURCE_DIR"]
LIB = os.environ["MP_LIBMIXPLAN"]
MIXPLAN = os.environ["MIXPLAN"]
TMP = os.environ.get("MP_TMP", tempfile.gettempdir())
EXAMPLES = os.path.join(SRC, "datasets", "examples")
PLAN = os.path.join(EXAMPLES, "spring_launch.ini")
REL_TOL = 1e-6

# from mixplan.h
MP_OK, MP_ERR_INPUT = 0, 1
MP_RESULT_OPTIMAL = 0
MP_KPI_CONVERSIONS = 3

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def close(a, b):
    return abs(a - b) <= REL_TOL * max(abs(b), 1.0)


def bind(lib):
    """Declare the prototypes used here (ctypes assumes int otherwise)."""
    P, S, D, C = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_double, ctypes.c_char_p
    protos = {
        "mp_version": (C, []),
        "mp_last_error": (C, []),
        "mp_plan_load_buffer": (ctypes.c_int, [P, S, C, ctypes.POINTER(P)]),
        "mp_plan_free": (None, [P]),
        "mp_plan_solve": (ctypes.c_int, [P, P, ctypes.POINTER(P)]),
        "mp_solution_free": (None, [P]),
        "mp_solution_result": (ctypes.c_int, [P]),
        "mp_solution_objective": (D, [P]),
        "mp_solution_channel_count": (S, [P]),
        "mp_solution_channel_name": (C, [P, S]),
        "mp_solution_channel_spend": (D, [P, S]),
        "mp_solution_channel_share": (D, [P, S]),
        "mp_solution_channel_kpi": (D, [P, S, ctypes.c_int]),
    }
    for name, (res, args) in protos.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    return lib


def load_buffer(lib, data, base_dir):
    """mp_plan_load_buffer over exactly len(data) bytes (no NUL after them)."""
    buf = ctypes.create_string_buffer(data, len(data))
    plan = ctypes.c_void_p()
    st = lib.mp_plan_load_buffer(buf, len(data), base_dir, ctypes.byref(plan))
    return st, plan


def from_api(lib):
    with open(PLAN, "rb") as f:
        data = f.read()
    st, plan = load_buffer(lib, data, EXAMPLES.encode())
    check(st == MP_OK, f"mp_plan_load_buffer: {lib.mp_last_error().decode()}")
    if st != MP_OK:
        return None
    sol = ctypes.c_void_p()
    st = lib.mp_plan_solve(plan, None, ctypes.byref(sol))
    check(st == MP_OK, f"mp_plan_solve: {lib.mp_last_error().decode()}")
    res = None
    if st == MP_OK and lib.mp_solution_result(sol) == MP_RESULT_OPTIMAL:
        res = {"objective": lib.mp_solution_objective(sol), "channels": []}
        for c in range(lib.mp_solution_channel_count(sol)):
            res["channels"].append({
                "name": lib.mp_solution_channel_name(sol, c).decode(),
                "spend": lib.mp_solution_channel_spend(sol, c),
                "share": lib.mp_solution_channel_share(sol, c),
                "conversions": lib.mp_solution_channel_kpi(sol, c, MP_KPI_CONVERSIONS),
            })
    lib.mp_solution_free(sol)
    lib.mp_plan_free(plan)
    return res


def from_cli():
    os.makedirs(TMP, exist_ok=True)
    out = os.path.join(tempfile.mkdtemp(prefix="ctypes-", dir=TMP), "spring.json")
    p = subprocess.run([MIXPLAN, "optimize", PLAN, "--json", out, "--quiet"],
                       capture_output=True, text=True, timeout=600)
    check(p.returncode == 0, f"mixplan optimize: {p.stderr}")
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def compare(api, cli):
    want = cli["objective"]["value"]
    check(close(api["objective"], want), f"objective {api['objective']!r}, JSON {want!r}")
    check(len(api["channels"]) == len(cli["channels"]),
          f"{len(api['channels'])} channels through the API, {len(cli['channels'])} in the JSON")
    for a, j in zip(api["channels"], cli["channels"]):
        check(a["name"] == j["name"], f"channel order: {a['name']} where the JSON has {j['name']}")
        for field, jv in [("spend", j["spend"]), ("share", j["share"]),
                          ("conversions", j["kpis"]["conversions"])]:
            check(close(a[field], jv), f"{a['name']}: {field} {a[field]!r}, JSON {jv!r}")


def bad_buffer(lib):
    data = b"[plan]\nbudget = 10k\nperiods = two\n"
    st, plan = load_buffer(lib, data, None)
    msg = lib.mp_last_error().decode()
    check(st == MP_ERR_INPUT, f"a bad buffer returns MP_ERR_INPUT, got {st}")
    check(not plan.value, "no plan from a bad buffer")
    check("<buffer>:3:" in msg, f"the message names <buffer> and line 3: {msg!r}")


def main():
    lib = bind(ctypes.CDLL(LIB))
    print("libmixplan", lib.mp_version().decode(), "from", LIB)
    api = from_api(lib)
    if api is not None:
        compare(api, from_cli())
        print(f"{len(api['channels'])} channels compared")
    bad_buffer(lib)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
