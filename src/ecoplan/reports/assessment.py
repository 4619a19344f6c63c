"""The mid-term / final assessment report of a plan for a region and year.

``html``: one self-contained page (cover, binding-indicator summary, every indicator
with status and a small trajectory chart as inline SVG, warnings, methodology and
data sources). ``pdf``: that page printed by headless Chromium (Debian package
``chromium``; CJK fonts from ``fonts-noto-cjk``). ``xlsx``: the same content in sheets,
with every text cell written as text (a value starting with = + - @ can never become
a formula).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ecoplan.errors import EcoplanError
from ecoplan.exports import append_row
from ecoplan.session import Ecoplan

__all__ = ["FORMATS", "ReportData", "build", "render_html", "write_report", "write_xlsx"]

FORMATS = ("html", "pdf", "xlsx")
STATUS = {
    "achieved": ("已实现", "achieved", "#1a7f37"),
    "on_track": ("达到序时进度", "on track", "#0969da"),
    "at_risk": ("存在风险", "at risk", "#9a6700"),
    "off_track": ("偏离目标", "off track", "#cf222e"),
    "insufficient_data": ("数据不足", "insufficient data", "#6e7781"),
    "not_assessable": ("无法评估", "not assessable", "#6e7781"),
}
VERDICT = {"met": ("完成", "met"), "not_met": ("未完成", "not met"), "pending": ("待定", "pending")}
L = {
    "zh": {
        "report": "评估报告",
        "final": "终期考核",
        "mid": "中期/年度评估",
        "summary": "约束性指标完成情况",
        "all": "全部指标",
        "warnings": "预警",
        "method": "方法说明",
        "sources": "数据来源",
        "ind": "指标",
        "attr": "属性",
        "base": "基期值",
        "target": "目标",
        "value": "评估值",
        "status": "状态",
        "verdict": "结论",
        "reason": "说明",
        "trend": "趋势",
        "binding": "约束性",
        "expected": "预期性",
        "met": "完成",
        "on_schedule": "达到序时进度",
        "of": "/",
        "none": "无",
        "method_text": "状态依据序时进度（线性或复合增长）、目标区间与容差判定；"
        "累计指标〔x〕按基期以来的累计变化评价。"
        "评分规则为本项目默认规则（约束性:预期性 = 3:2；缺失数据计60分；约束性未完成一票否决），"
        "详见 docs/assessment.md。",
    },
    "en": {
        "report": "Assessment report",
        "final": "final assessment",
        "mid": "mid-term / annual assessment",
        "summary": "Binding indicators",
        "all": "All indicators",
        "warnings": "Warnings",
        "method": "Methodology",
        "sources": "Data sources",
        "ind": "Indicator",
        "attr": "Attribute",
        "base": "Baseline",
        "target": "Target",
        "value": "Value",
        "status": "Status",
        "verdict": "Verdict",
        "reason": "Reason",
        "trend": "Trend",
        "binding": "binding",
        "expected": "expected",
        "met": "met",
        "on_schedule": "on schedule",
        "of": "of",
        "none": "none",
        "method_text": "Status follows the schedule (linear or compound progress), the target band and its "
        "tolerance; cumulative 〔x〕 targets are judged on the change since the base year. Scores use "
        "ecoplan's default rules (binding : expected = 3 : 2; missing data 60; a missed binding "
        "target fails the plan) — see docs/assessment.md.",
    },
}


_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC",system-ui,sans-serif;margin:2em;color:#1f2328}
.cover{border-bottom:3px solid #0b5d3b;margin-bottom:1.5em;padding-bottom:1em}
table{border-collapse:collapse;width:100%;font-size:12px}
td,th{border-bottom:1px solid #d0d7de;padding:3px 5px;text-align:left;vertical-align:top}
.b{color:#fff;border-radius:8px;padding:0 6px;white-space:nowrap}
.r{font-size:11px;color:#57606a}h2{margin-top:1.6em}
@media print{body{margin:0}tr{break-inside:avoid}}
"""


class ReportData(dict[str, Any]):
    """Everything a report shows (a dict, so it is also the JSON twin)."""


def build(ep: Ecoplan, plan_id: str, region: str | None, year: int | None, lang: str = "zh") -> ReportData:
    plan = ep.catalog.plan(plan_id)
    reg = region or plan.region
    y = year or plan.end
    pa = ep.assess(plan_id, reg, y)
    d = pa.to_dict()
    obs = ep.catalog.observations(plan_id, reg)
    series = {k: [(o.year, o.value) for o in v] for k, v in obs.items()}
    sources = sorted({o.source for v in obs.values() for o in v if o.source})
    return ReportData(
        plan={
            "id": plan.id,
            "title": plan.title.get(lang),
            "issuer": plan.issuer.get(lang),
            "document_number": plan.document_number,
            "period": [plan.start, plan.end],
        },
        region={"code": reg, "name": ep.catalog.region(reg).name(lang)},
        year=y,
        stage=d.get("stage"),
        summary=d.get("summary", {}),
        indicators=d["indicators"],
        warnings=d.get("warnings", []),
        series=series,
        sources=sources,
        lang=lang,
    )


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _spark(points: list[tuple[int, float]], target: float | None, start: int, end: int) -> str:
    """A 120×32 inline SVG: the values, and the target as a dashed line."""
    if not points:
        return ""
    vals = [v for _, v in points] + ([target] if target is not None else [])
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or 1.0
    x0, x1 = min(start, points[0][0]), max(end, points[-1][0])

    def xy(year: float, v: float) -> tuple[float, float]:
        return 4 + 112 * (year - x0) / max(x1 - x0, 1), 28 - 24 * (v - lo) / span

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x:.1f},{yy:.1f}" for i, (x, yy) in enumerate(xy(a, b) for a, b in points)
    )
    out = '<svg width="120" height="32" viewBox="0 0 120 32" role="img">'
    out += f'<path d="{path}" fill="none" stroke="#0b5d3b"/>'
    if target is not None:
        ty = xy(x0, target)[1]
        out += f'<line x1="4" x2="116" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#cf222e" stroke-dasharray="3,2"/>'
    return out + "</svg>"


def render_html(data: ReportData) -> str:
    lang = data["lang"]
    t = L[lang]
    zh = lang == "zh"
    stage = t["final"] if data["stage"] == "final" else t["mid"]
    s = data["summary"]
    rows = []
    for a in data["indicators"]:
        st = STATUS.get(a["status"], (a["status"], a["status"], "#6e7781"))
        vd = VERDICT.get(a["verdict"], (a["verdict"], a["verdict"]))
        tgt = a.get("target") or {}
        chart = _spark(
            data["series"].get(a["id"], []),
            tgt.get("value"),
            data["plan"]["period"][0] - 1,
            data["plan"]["period"][1],
        )
        rows.append(
            f"<tr><td>{_e(a['name_zh'] if zh else (a['name_en'] or a['name_zh']))}</td>"
            f"<td>{_e(t[a['attribute']] if a['attribute'] in t else a['attribute'])}</td>"
            f"<td>{_e(_baseline(a))}</td><td>{_e(_target_text(a, zh))}</td><td>{_e(a['value'])}</td>"
            f"<td><span class='b' style='background:{st[2]}'>{_e(st[0] if zh else st[1])}</span></td>"
            f"<td>{_e(vd[0] if zh else vd[1])}</td><td>{chart}</td>"
            f"<td class='r'>{_e(a['reason_zh'] if zh else a['reason'])}</td></tr>"
        )
    warns = (
        "".join(
            f"<li>{_e(w.get('indicator'))}: {_e(w.get('reason_zh') if zh else w.get('reason'))}</li>"
            for w in data["warnings"]
        )
        or f"<li>{_e(t['none'])}</li>"
    )
    sources = "".join(f"<li>{_e(x)}</li>" for x in data["sources"]) or f"<li>{_e(t['none'])}</li>"
    p = data["plan"]
    return f"""<!doctype html><html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">
<title>{_e(p["title"])} {_e(t["report"])}</title><style>{_CSS}
</style></head><body>
<div class="cover"><h1>{_e(p["title"])}</h1>
<h2>{_e(data["region"]["name"])} · {data["year"]} · {_e(stage)}</h2>
<p>{_e(p["issuer"])} {_e(p["document_number"])} · {p["period"][0]}–{p["period"][1]}</p></div>
<h2>{_e(t["summary"])}</h2>
<p id="summary">{_e(t["met"])}: {s.get("binding_met", 0)} {_e(t["of"])} {s.get("binding_total", 0)};
{_e(t["on_schedule"])}: {s.get("binding_on_schedule", 0)} {_e(t["of"])} {s.get("binding_total", 0)}</p>
<h2>{_e(t["all"])}</h2><table><tr><th>{_e(t["ind"])}</th><th>{_e(t["attr"])}</th><th>{_e(t["base"])}</th>
<th>{_e(t["target"])}</th><th>{_e(t["value"])}</th><th>{_e(t["status"])}</th><th>{_e(t["verdict"])}</th>
<th>{_e(t["trend"])}</th><th>{_e(t["reason"])}</th></tr>{"".join(rows)}</table>
<h2>{_e(t["warnings"])}</h2><ul>{warns}</ul>
<h2>{_e(t["method"])}</h2><p>{_e(t["method_text"])}</p>
<h2>{_e(t["sources"])}</h2><ul>{sources}</ul>
<p class="r">ecoplan · {_e(p["id"])}</p></body></html>
"""


def write_xlsx(data: ReportData, path: Path) -> None:
    import openpyxl

    t = L[data["lang"]]
    zh = data["lang"] == "zh"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "summary"

    def put(sheet: Any, row: list[Any]) -> None:
        append_row(sheet, row)  # text stays text: no formula from user-supplied strings

    p = data["plan"]
    for row in (
        [t["report"], p["title"]],
        ["region", f"{data['region']['name']} {data['region']['code']}"],
        ["year", data["year"]],
        ["stage", data["stage"]],
        [
            t["summary"],
            f"{data['summary'].get('binding_met', 0)} / {data['summary'].get('binding_total', 0)}",
        ],
    ):
        put(ws, row)
    ind = wb.create_sheet("indicators")
    put(
        ind,
        [
            t["ind"],
            t["attr"],
            "unit",
            t["base"],
            t["target"],
            t["value"],
            t["status"],
            t["verdict"],
            t["reason"],
        ],
    )
    for a in data["indicators"]:
        put(
            ind,
            [
                a["name_zh"] if zh else (a["name_en"] or a["name_zh"]),
                a["attribute"],
                a["unit"],
                _baseline(a),
                _target_text(a, zh),
                a["value"],
                STATUS.get(a["status"], (a["status"],) * 2)[0 if zh else 1],
                a["verdict"],
                a["reason_zh"] if zh else a["reason"],
            ],
        )
    w = wb.create_sheet("warnings")
    put(w, ["indicator", "level", t["reason"]])
    for x in data["warnings"]:
        put(w, [x.get("indicator"), x.get("level"), x.get("reason_zh") if zh else x.get("reason")])
    src = wb.create_sheet("sources")
    for x in data["sources"]:
        put(src, [x])
    wb.save(path)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise EcoplanError("PDF reports need Chromium (Debian package `chromium`); `make test` installs it")


def write_report(data: ReportData, fmt: str, out: Path) -> Path:
    """Write the report as ``html``, ``pdf`` or ``xlsx``."""
    if fmt == "html":
        out.write_text(render_html(data), encoding="utf-8")
    elif fmt == "xlsx":
        write_xlsx(data, out)
    elif fmt == "pdf":
        exe = _chromium()
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / "report.html"
            page.write_text(render_html(data), encoding="utf-8")
            cmd = [
                exe,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out.resolve()}",
                page.as_uri(),
            ]
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
            if res.returncode != 0 or not out.exists() or out.stat().st_size == 0:
                raise EcoplanError(f"Chromium could not print the report: {res.stderr.strip()[-300:]}")
    else:
        raise EcoplanError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return out


def _baseline(a: dict[str, Any]) -> Any:
    """The region's own baseline level, "—" when it has none (or the values are changes)."""
    value = a["baseline"]["value"]
    return "—" if value is None or a.get("space") != "level" else value


def _target_text(a: dict[str, Any], zh: bool) -> str:
    """The target expression, marked when inherited from the plan or decomposed to the region."""
    expr = str((a.get("target") or {}).get("expr") or "—")
    mark = {"inherited": ("沿用上级", "inherited"), "decomposed": ("分解目标", "decomposed")}.get(
        str(a.get("target_source"))
    )
    return expr if mark is None else f"{expr} ({mark[0] if zh else mark[1]})"
