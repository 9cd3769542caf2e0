"""The terminal's kpis line and the Summary's KPI table list the KPIs some
channel of the plan measures, and those alone: a plan of MMM curves only
(conversions, and revenue from their value per conversion) says nothing of
impressions, clicks, GRP, reach or CO2e; a TV channel (cost per GRP) adds
GRP, printed even when the plan buys none of it (that 0 is a result); the
spring example, whose five media types measure every KPI, lists all seven.
The expected lists come from the README's media models (what each type
measures), written out here, not from the program."""
import json
import os

import openpyxl

from mpcommon import *

d = tmpdir("kpi_line")

PLAN = {"name": "kpis", "budget": "600k", "start": "2027-03-01", "periods": 4,
        "objective": "max conversions"}
CURVES = {"meta": "hill", "youtube": "logistic"}
# a TV channel whose direct response is far below the curves': GRP is measured
TV = {"tf1": {"type": "tv", "cpp": 5200, "response": "hill", "beta": 20, "ec": 45000, "slope": 1,
              "value": 85}}
ALL = ["impressions", "clicks", "conversions", "revenue", "GRP", "reach", "CO2e"]


def kpis_line(out):
    """The KPI names of the kpis line, in order, and their figures."""
    lines = [l for l in out.splitlines() if l.startswith("kpis: ")]
    check(len(lines) == 1, f"one kpis line:\n{out}")
    items = [i.split(" ") for i in lines[0][len("kpis: "):].split(", ")] if lines else []
    return [i[0] for i in items], {i[0]: i[1] for i in items if len(i) > 1}


def summary_kpis(path):
    """The KPI names of the Summary's table (between its heading and CPA)."""
    rows = [r[0] for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)]
    at = rows.index("KPI") if "KPI" in rows else -1
    check(at >= 0, f"{path}: the Summary's KPI table")
    end = rows.index("CPA", at) if "CPA" in rows[at:] else len(rows)
    return rows[at + 1:end]


cases = [("curves", curve_plan(PLAN, CURVES), ["conversions", "revenue"]),
         ("curves-tv", curve_plan(PLAN, {**CURVES, **TV}), ["conversions", "revenue", "GRP"])]
for name, text, want in cases:
    path = write(os.path.join(d, f"{name}.ini"), text)
    js, xlsx = os.path.join(d, f"{name}.json"), os.path.join(d, f"{name}.xlsx")
    p = run("optimize", path, "--json", js, "-o", xlsx)
    check(p.returncode == 0, f"{name}: exit {p.returncode} {p.stderr}")
    got, figures = kpis_line(logical(p.stdout))
    check(got == want, f"{name}: the kpis line lists {want}, not {got}:\n{logical(p.stdout)}")
    check(summary_kpis(xlsx) == ["spend"] + want,
          f"{name}: the Summary lists spend and {want}: {summary_kpis(xlsx)}")
    check("reach, summed over channels" not in
          [r[0] for r in openpyxl.load_workbook(xlsx).worksheets[0].iter_rows(values_only=True)],
          f"{name}: no summed reach without a channel measuring reach")
    data = json.load(open(js))
    check(set(data["kpis"]) >= {"impressions", "clicks", "grp", "reach", "co2"},
          f"{name}: the JSON keeps every KPI (a contract): {sorted(data['kpis'])}")
    if name == "curves-tv":
        tv = [c for c in data["channels"] if c["name"] == "tf1"][0]
        check(tv["spend"] == 0 and figures.get("GRP") == "0",
              f"curves-tv: tf1 bought nothing, and GRP 0 is printed: {tv['spend']} {figures}")

spring = os.path.join(SRC, "datasets", "examples", "spring_launch.ini")
p = run("optimize", spring)
check(kpis_line(logical(p.stdout))[0] == ALL, f"spring: every KPI:\n{logical(p.stdout)}")
done()
