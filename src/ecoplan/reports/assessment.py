"""The mid-term / final assessment report of a plan for a region and year.

``html``: one self-contained page (cover with issuer, document number, region by
name and code, year, stage, report date and the score and grade of the default rules
or why there is none; binding-indicator summary, every indicator with status and a
small trajectory chart as inline SVG, warnings, methodology and the sources of the
values the assessment used). ``pdf``: that page printed on A4 by headless Chromium
(Debian package ``chromium``; CJK fonts from ``fonts-noto-cjk``), page numbers in the
footer from CSS ``@page`` margin boxes (``counter(page)``/``counter(pages)``).
``xlsx``: the same content in sheets named in the report language, header row frozen,
numbers with a number format, every text cell written as text (a value starting with
= + - @ can never become a formula). One language per file: indicator names, not ids.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ecoplan.app import Ecoplan
from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import append_row
from ecoplan.core.templating import render

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
SHEETS = {"zh": ("概要", "指标", "预警", "数据来源"), "en": ("summary", "indicators", "warnings", "sources")}
#: Units of Chinese documents as an English report writes them (longest first when replacing).
UNIT_EN = {
    "万平方公里": "10⁴ km²",
    "平方公里": "km²",
    "万公顷": "10⁴ ha",
    "亿立方米": "10⁸ m³",
    "万立方米": "10⁴ m³",
    "亿亩": "10⁸ mu",
    "万亩": "10⁴ mu",
    "万吨标准煤": "10⁴ tce",
    "万吨": "10⁴ t",
    "微克/立方米": "µg/m³",
    "毫克/升": "mg/L",
    "个百分点": "percentage points",
}
LEVEL = {"red": ("红色", "red"), "amber": ("黄色", "amber"), "watch": ("关注", "watch")}
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
        "详见本项目文档《评估方法》。",
        "unit": "单位",
        "issuer": "发文机关",
        "docno": "文号",
        "period": "规划期",
        "region": "评估地区",
        "year": "评估年度",
        "stage": "评估阶段",
        "date": "报告日期",
        "as_of": "数据截至",
        "score": "综合得分",
        "grade": "等级",
        "vetoed": "一票否决",
        "level": "预警级别",
        "source": "数据来源",
        "used_by": "所用指标",
        "item": "项目",
        "content": "内容",
        "made_by": "本报告由 ecoplan 依据已入库数据自动生成。",
        "page": "第 {page} 页 / 共 {pages} 页",
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
        "target fails the plan) — see the ecoplan documentation, “Assessment method”.",
        "unit": "Unit",
        "issuer": "Issued by",
        "docno": "Document number",
        "period": "Plan period",
        "region": "Region",
        "year": "Assessed year",
        "stage": "Stage",
        "date": "Report date",
        "as_of": "Values as of",
        "score": "Score",
        "grade": "Grade",
        "vetoed": "Vetoed by",
        "level": "Level",
        "source": "Source",
        "used_by": "Used for",
        "item": "Item",
        "content": "Content",
        "made_by": "Generated by ecoplan from the stored values.",
        "page": "Page {page} of {pages}",
    },
}


_CSS = """
@page{size:A4;margin:16mm 14mm 18mm 14mm;
@bottom-center{content:__FOOTER__;font:9pt "Noto Sans CJK SC","Noto Sans SC",sans-serif;color:#57606a}}
body{font-family:"Noto Sans CJK SC","Noto Sans SC",system-ui,sans-serif;margin:2em;color:#1f2328}
.cover table{width:auto;font-size:13px}.cover th{color:#57606a;font-weight:normal;padding-right:1.5em}
.grade{font-size:1.3em;font-weight:bold;color:#0b5d3b}
.cover{border-bottom:3px solid #0b5d3b;margin-bottom:1.5em;padding-bottom:1em}
table{border-collapse:collapse;width:100%;font-size:12px}
td,th{border-bottom:1px solid #d0d7de;padding:3px 5px;text-align:left;vertical-align:top}
.b{color:#fff;border-radius:8px;padding:0 6px;white-space:nowrap;background:#6e7781}
.n{white-space:nowrap}.r{font-size:11px;color:#57606a}h2{margin-top:1.6em}
@media print{body{margin:0}tr{break-inside:avoid}h2{break-after:avoid}}
"""


def _page_footer(lang: str) -> str:
    """The CSS ``content`` of the page footer: "第 N 页 / 共 M 页" or "Page N of M"."""
    text = L[lang]["page"].replace("{page}", "\x00page\x00").replace("{pages}", "\x00pages\x00")
    parts = [p for p in text.split("\x00") if p]
    return " ".join(
        f"counter({p})" if p in ("page", "pages") else '"' + p.replace('"', "") + '"' for p in parts
    )


class ReportData(dict[str, Any]):
    """Everything a report shows (a dict, so it is also the JSON twin)."""


def build(
    ep: Ecoplan,
    plan_id: str,
    region: str | None,
    year: int | None,
    lang: str = "zh",
    as_of: str | None = None,
    today: date | None = None,
) -> ReportData:
    """The report of ``plan_id`` for ``region`` in ``year``, dated ``as_of`` (when given) or today.

    The data sources are those of the values the assessment used (the assessed
    year's value and the baseline), not every source ever stored for the plan.
    """
    plan = ep.definition(plan_id)
    reg = region or plan.region
    y = year or plan.end
    pa = ep.assess(plan_id, reg, y, as_of)
    card = ep.score(pa).to_dict()
    d = pa.to_dict()
    obs = ep.observations(plan_id, reg)
    series = {k: [(o.year, o.value) for o in v if o.year <= y] for k, v in obs.items()}
    title = plan.title.get(lang)
    number = plan.document_number or ""
    # the baseline's source codes as text: "plan" is the plan document's own table
    special = {
        "plan": f"{title}{number and '（' + number + '）'}基期值"
        if lang == "zh"
        else f"{title}{number and ' (' + number + ')'}, baseline",
        "store": "已入库数据（未注明来源）" if lang == "zh" else "stored values (source not recorded)",
    }
    used: dict[str, list[str]] = {}
    for a in d["indicators"]:
        name = a["name_zh"] if lang == "zh" else (a["name_en"] or a["name_zh"])
        base = (a.get("baseline") or {}).get("source")
        for src in (a.get("value_source"), special.get(str(base), base)):
            if src and name not in used.setdefault(src, []):
                used[src].append(name)
    names = {
        a["id"]: (a["name_zh"] if lang == "zh" else (a["name_en"] or a["name_zh"])) for a in d["indicators"]
    }
    warnings = [
        {**w, "name": names.get(w.get("indicator"), w.get("indicator"))} for w in d.get("warnings", [])
    ]
    return ReportData(
        plan={
            "id": plan.id,
            "title": plan.title.get(lang),
            "issuer": plan.issuer.get(lang),
            "document_number": plan.document_number,
            "period": [plan.start, plan.end],
        },
        region={"code": reg, "name": ep.region(reg).name(lang)},
        year=y,
        stage=d.get("stage"),
        date=as_of or (today or date.today()).isoformat(),
        as_of=as_of,
        score=card,
        summary=d.get("summary", {}),
        indicators=d["indicators"],
        warnings=warnings,
        series=series,
        sources=sorted(used),
        source_use=used,
        lang=lang,
    )


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


def _en_units(text: Any, zh: bool) -> Any:
    """``text`` with its Chinese units in English when the report is English."""
    if zh or not isinstance(text, str):
        return text
    for cn in sorted(UNIT_EN, key=len, reverse=True):
        text = text.replace(cn, UNIT_EN[cn])
    return text


def _name(a: dict[str, Any], zh: bool) -> str:
    return str(a["name_zh"] if zh else (a["name_en"] or a["name_zh"]))


def _value(v: Any) -> Any:
    return "—" if v is None else v


def _score_lines(data: ReportData) -> list[tuple[str, str]]:
    """(label, text) of the score and grade, or of the note why there is none."""
    t = L[data["lang"]]
    zh = data["lang"] == "zh"
    card = data["score"]
    if not card["gradable"]:
        return [(t["grade"], str(card["note_zh"] if zh else card["note"]))]
    out = [(t["score"], f"{card['score']:.1f}"), (t["grade"], str(card["grade"]["zh" if zh else "en"]))]
    if card["vetoed_by"]:
        names = {a["id"]: _name(a, zh) for a in data["indicators"]}
        out.append((t["vetoed"], "、".join(names.get(i, i) for i in card["vetoed_by"])))
    return out


def _cover_rows(data: ReportData) -> list[tuple[str, Any]]:
    """The cover facts, label and value, in the report language (shared by HTML and XLSX)."""
    t = L[data["lang"]]
    zh = data["lang"] == "zh"
    p = data["plan"]
    stage = t["final"] if data["stage"] == "final" else t["mid"]
    rows: list[tuple[str, Any]] = [
        (t["issuer"], p["issuer"]),
        (t["docno"], p["document_number"] or "—"),
        (t["period"], f"{p['period'][0]}–{p['period'][1]}"),
        (t["region"], f"{data['region']['name']}{'（%s）' if zh else ' (%s)'}" % data["region"]["code"]),
        (t["year"], data["year"]),
        (t["stage"], stage),
        (t["date"], data["date"]),
    ]
    if data.get("as_of"):
        rows.append((t["as_of"], data["as_of"]))
    return rows


def _level(w: dict[str, Any], zh: bool) -> str:
    level = str(w.get("level"))
    return LEVEL.get(level, (level, level))[0 if zh else 1]


def _warning_text(w: dict[str, Any], zh: bool) -> str:
    if zh:
        return f"{w.get('name')}（{_level(w, zh)}）：{w.get('reason_zh')}"
    return f"{w.get('name')} ({_level(w, zh)}): {_en_units(w.get('reason'), zh)}"


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (template ``report.html``)."""
    lang = data["lang"]
    t = L[lang]
    zh = lang == "zh"
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
            {
                "name": _name(a, zh),
                "attr": t[a["attribute"]] if a["attribute"] in t else a["attribute"],
                "base": _baseline(a),
                "target": _target_text(a, zh),
                "value": _value(a["value"]),
                "status": a["status"],
                "label": st[0] if zh else st[1],
                "verdict": vd[0] if zh else vd[1],
                "chart": Markup(chart),  # built here from numbers only
                "reason": a["reason_zh"] if zh else _en_units(a["reason"], zh),
            }
        )
    badges = "".join(f".s-{k}{{background:{v[2]}}}" for k, v in STATUS.items())
    return render(
        "ecoplan.reports",
        "report.html",
        zh=zh,
        t=t,
        title=data["plan"]["title"],
        region_name=data["region"]["name"],
        year=data["year"],
        stage=t["final"] if data["stage"] == "final" else t["mid"],
        cover=_cover_rows(data),
        score=_score_lines(data),
        summary=data["summary"],
        columns=("ind", "attr", "base", "target", "value", "status", "verdict", "trend", "reason"),
        narrow=("attr", "base", "value", "verdict"),
        rows=rows,
        warnings=[_warning_text(w, zh) for w in data["warnings"]],
        sources=data["sources"],
        css=Markup(_CSS.replace("__FOOTER__", _page_footer(lang)) + badges + "\n"),
    )


def write_xlsx(data: ReportData, path: Path) -> None:
    """The report as a workbook: sheet names and headers in the report language, the
    header row frozen in every sheet, numbers with a number format, text never a formula."""
    import openpyxl

    lang = data["lang"]
    t = L[lang]
    zh = lang == "zh"
    names = SHEETS[lang]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = names[0]

    def put(sheet: Any, row: list[Any]) -> None:
        append_row(sheet, row)  # text stays text: no formula from user-supplied strings
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int):
                cell.number_format = "0"
            elif isinstance(cell.value, float):
                cell.number_format = "0.0##"

    p = data["plan"]
    s = data["summary"]
    put(ws, [t["report"], p["title"]])  # the header row: what this workbook is
    for label, value in _cover_rows(data):
        put(ws, [label, value])
    card = data["score"]
    if card["gradable"]:
        put(ws, [t["score"], round(float(card["score"]), 1)])
        for label, text in _score_lines(data)[1:]:
            put(ws, [label, text])
    else:
        put(ws, [t["grade"], card["note_zh"] if zh else card["note"]])
    put(ws, [t["summary"], f"{s.get('binding_met', 0)} / {s.get('binding_total', 0)}"])
    ind = wb.create_sheet(names[1])
    put(
        ind,
        [
            t["ind"],
            t["attr"],
            t["unit"],
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
                _name(a, zh),
                t[a["attribute"]] if a["attribute"] in t else a["attribute"],
                _en_units(a["unit"], zh),
                _baseline(a),
                _target_text(a, zh),
                _value(a["value"]),
                STATUS.get(a["status"], (a["status"],) * 2)[0 if zh else 1],
                VERDICT.get(a["verdict"], (a["verdict"],) * 2)[0 if zh else 1],
                a["reason_zh"] if zh else _en_units(a["reason"], zh),
            ],
        )
    w = wb.create_sheet(names[2])
    put(w, [t["ind"], t["level"], t["reason"]])
    for x in data["warnings"]:
        put(w, [x.get("name"), _level(x, zh), x.get("reason_zh") if zh else _en_units(x.get("reason"), zh)])
    src = wb.create_sheet(names[3])
    put(src, [t["source"], t["used_by"]])
    sep = "、" if zh else "; "
    for x in data["sources"]:
        put(src, [x, sep.join(data["source_use"].get(x, []))])
    for sheet in wb.worksheets:
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 36
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
