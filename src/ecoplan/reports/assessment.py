"""The mid-term / final assessment report of a plan for a region and year.

``html``: one self-contained page (cover with issuer, document number, region by
name and code, year, stage, report date and the score and grade of the default rules
or why there is none; binding-indicator summary, every indicator with status and a
small trajectory chart as inline SVG, warnings, the domains' sections
(:mod:`ecoplan.reports.domains`, each for the report's region and year, found through
the registry), methodology and the sources of the values the assessment used).
``pdf``: that page printed on A4 by headless Chromium (Debian package ``chromium``; CJK
fonts from ``fonts-noto-cjk``), page numbers in the footer from CSS ``@page`` margin
boxes (``counter(page)``/``counter(pages)``).
``xlsx``: the same content in sheets named in the report language, header row frozen,
numbers with a number format, every text cell written as text (a value starting with
= + - @ can never become a formula). One language per file: indicator names, not ids,
and every word (status, verdict, attribute, warning level, unit) from the catalog of
words (:mod:`ecoplan.reports.labels`).
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
from ecoplan.assess.scoring import load_rules
from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import append_row
from ecoplan.core.templating import render
from ecoplan.core.words import Words, word
from ecoplan.kit.web import fmt
from ecoplan.reports import labels
from ecoplan.reports.domains import domain_sections, section_html, sheet_name

__all__ = ["FORMATS", "ReportData", "build", "render_html", "write_report", "write_xlsx"]

FORMATS = ("html", "pdf", "xlsx")
#: The badge colour of each status (the word is the catalog's ``status.*``).
STATUS_COLOR = {
    "achieved": "#1a7f37",
    "on_track": "#0969da",
    "at_risk": "#9a6700",
    "off_track": "#cf222e",
    "insufficient_data": "#6e7781",
    "not_assessable": "#6e7781",
}
#: The sheets of the workbook, in order (``label.sheet.*``).
SHEETS = ("summary", "indicators", "warnings", "sources")
#: The indicator table's columns: key of the header word, and narrow ones.
COLUMNS = (
    "header.indicator",
    "header.attribute",
    "header.baseline",
    "header.target",
    "header.value",
    "header.status",
    "header.verdict",
    "header.trend",
    "header.reason",
)
NARROW = ("header.attribute", "header.baseline", "header.value", "header.verdict")


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
.n{white-space:nowrap}.r{font-size:11px;color:#57606a;min-width:14em}h2{margin-top:1.6em}
#indicators td:first-child{min-width:8em}
@media print{body{margin:0}tr{break-inside:avoid}h2{break-after:avoid}}
"""


def _page_footer(lang: str) -> str:
    """The CSS ``content`` of the page footer: "第 N 页 / 共 M 页" or "Page N of M"."""
    text = word("note.page", lang, page="\x00page\x00", pages="\x00pages\x00")
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
    number = plan.document_number
    named = word("label.report.name_code", lang, name=title, code=number) if number else title
    # the baseline's source codes as text: "plan" is the plan document's own table
    special = {"plan": word("label.source.plan_baseline", lang, title=named, number="")}
    used: dict[str, list[str]] = {}
    for a in d["indicators"]:
        name = labels.indicator_name(a, lang)
        base = (a.get("baseline") or {}).get("source")
        for src in (a.get("value_source"), special.get(str(base), base)):
            text = labels.source(src, lang)
            if text and name not in used.setdefault(text, []):
                used[text].append(name)
    names = {a["id"]: labels.indicator_name(a, lang) for a in d["indicators"]}
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
            "version": ep.plan_version(plan.id),
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
        domains=domain_sections(ep, plan, reg, y, lang),
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


def _value(v: Any, unit: str, lang: str) -> str:
    """A value with its unit beside it (``—`` for none)."""
    if v is None:
        return "—"
    return f"{fmt(v, lang)} {unit}".strip()


def _score_lines(data: ReportData) -> list[tuple[str, str]]:
    """(label, text) of the score and grade, or of the note why there is none."""
    lang = data["lang"]
    card = data["score"]
    if not card["gradable"]:
        return [(word("header.grade", lang), str(card["note_zh"] if lang == "zh" else card["note"]))]
    out = [
        (word("header.total_score", lang), f"{card['score']:.1f}"),
        (word("header.grade", lang), str(card["grade"][lang])),
    ]
    if card["vetoed_by"]:
        names = {a["id"]: labels.indicator_name(a, lang) for a in data["indicators"]}
        sep = word("label.report.list_sep", lang)
        out.append((word("header.vetoed_by", lang), sep.join(names.get(i, i) for i in card["vetoed_by"])))
    return out


def _stage(data: ReportData) -> str:
    return word("stage.final" if data["stage"] == "final" else "stage.mid", data["lang"])


def _cover_rows(data: ReportData) -> list[tuple[str, Any]]:
    """The cover facts, label and value, in the report language (shared by HTML and XLSX)."""
    lang = data["lang"]
    p = data["plan"]
    reg = data["region"]
    rows: list[tuple[str, Any]] = [
        (word("header.issuer", lang), p["issuer"]),
        (word("header.document_number", lang), p["document_number"] or "—"),
        (word("header.period", lang), f"{p['period'][0]}–{p['period'][1]}"),
        (word("header.plan_version", lang), p.get("version", 1)),
        (word("header.assessed_region", lang), word("label.report.name_code", lang, **reg)),
        (word("header.assessed_year", lang), data["year"]),
        (word("header.stage", lang), _stage(data)),
        (word("header.report_date", lang), data["date"]),
    ]
    if data.get("as_of"):
        rows.append((word("header.as_of", lang), data["as_of"]))
    return rows


def _warning_text(w: dict[str, Any], lang: str) -> str:
    level = labels.warning_level(str(w.get("level")), lang)
    return word("label.report.warning", lang, name=w.get("name"), level=level, reason=labels.reason(w, lang))


def _method(lang: str) -> str:
    """The method note, with the share of assessed indicators the default rules need."""
    return word("note.report.method", lang, share=load_rules().min_assessed_share)


def _summary(data: ReportData) -> str:
    s = data["summary"]
    return word(
        "label.report.summary",
        data["lang"],
        met=s.get("binding_met", 0),
        on_schedule=s.get("binding_on_schedule", 0),
        total=s.get("binding_total", 0),
    )


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (template ``report.html``)."""
    lang = data["lang"]
    rows = []
    for a in data["indicators"]:
        tgt = a.get("target") or {}
        chart = _spark(
            data["series"].get(a["id"], []),
            tgt.get("value"),
            data["plan"]["period"][0] - 1,
            data["plan"]["period"][1],
        )
        unit = labels.unit(a.get("unit"), lang)
        rows.append(
            {
                "name": labels.indicator_name(a, lang),
                "attr": labels.attribute(a["attribute"], lang),
                "base": _value(_baseline(a), unit, lang),
                "target": labels.target(a, lang),
                "value": _value(a["value"], unit, lang),
                "status": a["status"],
                "label": labels.status(a["status"], lang),
                "verdict": labels.verdict(a["verdict"], lang),
                "chart": Markup(chart),  # built here from numbers only
                "reason": labels.reason(a, lang),
            }
        )
    badges = "".join(f".s-{k}{{background:{v}}}" for k, v in STATUS_COLOR.items())
    return render(
        "ecoplan.reports",
        "report.html",
        lang=lang,
        w=Words(lang),
        title=data["plan"]["title"],
        region_name=data["region"]["name"],
        year=data["year"],
        stage=_stage(data),
        cover=_cover_rows(data),
        score=_score_lines(data),
        summary=_summary(data),
        columns=COLUMNS,
        narrow=NARROW,
        rows=rows,
        warnings=[_warning_text(w, lang) for w in data["warnings"]],
        domains=[(s["title"], section_html(s, lang)) for s in data.get("domains", [])],
        method=_method(lang),
        sources=data["sources"],
        css=Markup(_CSS.replace("__FOOTER__", _page_footer(lang)) + badges + "\n"),
    )


def write_xlsx(data: ReportData, path: Path) -> None:
    """The report as a workbook, one language throughout: sheet names, headers and the
    words in the cells (status, attribute, verdict, warning level) in the report language;
    the header row frozen in every sheet, numbers with a number format, text never a formula."""
    import openpyxl

    lang = data["lang"]
    w = Words(lang)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = w(f"label.sheet.{SHEETS[0]}")

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
    put(ws, [w("label.report"), p["title"]])  # the header row: what this workbook is
    for label, value in _cover_rows(data):
        put(ws, [label, value])
    card = data["score"]
    if card["gradable"]:
        put(ws, [w("header.total_score"), round(float(card["score"]), 1)])
        for label, text in _score_lines(data)[1:]:
            put(ws, [label, text])
    else:
        put(ws, [w("header.grade"), card["note_zh"] if lang == "zh" else card["note"]])
    put(ws, [w("label.binding_summary"), _summary(data)])
    put(ws, [w("label.method"), _method(lang)])
    ind = wb.create_sheet(w(f"label.sheet.{SHEETS[1]}"))
    head = ("indicator", "attribute", "unit", "baseline", "target", "value", "status", "verdict", "reason")
    put(ind, [w(f"header.{k}") for k in head])
    for a in data["indicators"]:
        put(
            ind,
            [
                labels.indicator_name(a, lang),
                labels.attribute(a["attribute"], lang),
                labels.unit(a.get("unit"), lang) or "—",
                "—" if _baseline(a) is None else _baseline(a),
                labels.target(a, lang),
                "—" if a["value"] is None else a["value"],
                labels.status(a["status"], lang),
                labels.verdict(a["verdict"], lang),
                labels.reason(a, lang),
            ],
        )
    warn = wb.create_sheet(w(f"label.sheet.{SHEETS[2]}"))
    put(warn, [w("header.indicator"), w("header.warning_level"), w("header.reason")])
    for x in data["warnings"]:
        put(warn, [x.get("name"), labels.warning_level(str(x.get("level")), lang), labels.reason(x, lang)])
    src = wb.create_sheet(w(f"label.sheet.{SHEETS[3]}"))
    put(src, [w("header.data_source"), w("header.used_by")])
    sep = w("label.report.list_sep")
    for x in data["sources"]:
        put(src, [x, sep.join(data["source_use"].get(x, []))])
    taken = set(wb.sheetnames)
    for section in data.get("domains", []):  # one sheet per domain section
        sheet = wb.create_sheet(sheet_name(section["title"], taken))
        taken.add(sheet.title)
        put(sheet, list(section["header"]))
        for row in section["rows"]:
            put(sheet, list(row))
        if section.get("note"):
            put(sheet, [section["note"]])
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
    """The region's own baseline level, None when it has none (or the values are changes)."""
    value = a["baseline"]["value"]
    return None if a.get("space") != "level" else value
