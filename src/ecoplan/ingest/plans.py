"""Plan files: YAML (``docs/plan-format.md``) and the Excel template
(``docs/excel-template.md``), read into validated :class:`~ecoplan.plans.Plan`.

The Excel template has four sheets:

``plan``        key / value rows (id, title_zh, title_en, issuer_zh, level, region,
                period_start, period_end, base_year, parent, document_number,
                comparable_baseline_rule and its note)
``indicators``  one row per indicator (id, category_zh, category_en, name_zh,
                name_en, unit, direction, attribute, baseline_year,
                baseline_value, code, parent_plan, parent_indicator, source_quote,
                predecessor_plan, predecessor_indicator, predecessor_relation
                and its note: the cross-period link, ``docs/plan-format.md``)
``targets``     one row per target (indicator, year, expr, stretch, region —
                empty for the plan's own region, a code for an allocation)
``lists``       the allowed values, used by the data validation of the other sheets
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.exports import append_row
from ecoplan.ingest.tables import read_table
from ecoplan.plans.model import Plan
from ecoplan.plans.serialize import plan_from_mapping, plan_to_mapping

__all__ = ["read_plan_file", "write_plan_excel", "write_plan_yaml"]

PLAN_KEYS = (
    "id",
    "title_zh",
    "title_en",
    "issuer_zh",
    "issuer_en",
    "document_number",
    "level",
    "region",
    "period_start",
    "period_end",
    "base_year",
    "parent",
    "comparable_baseline_rule",
    "comparable_baseline_note_zh",
    "comparable_baseline_note_en",
)
INDICATOR_COLUMNS = (
    "id",
    "category_zh",
    "category_en",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "attribute",
    "baseline_year",
    "baseline_value",
    "code",
    "parent_plan",
    "parent_indicator",
    "source_file",
    "source_quote",
    "predecessor_plan",
    "predecessor_indicator",
    "predecessor_relation",
    "predecessor_note_zh",
    "predecessor_note_en",
)
TARGET_COLUMNS = ("indicator", "year", "expr", "stretch", "region")
LISTS = {
    "direction": ["higher", "lower"],
    "attribute": ["binding", "expected"],
    "level": ["national", "provincial", "city", "county"],
    "relation": ["continued", "redefined", "split", "merged", "renamed"],
    "comparable_baseline": ["fixed-stations", "rebased", "as-published"],
}


def read_plan_file(path: str | Path) -> Plan:
    """Read a plan from ``.yaml``/``.yml`` or ``.xlsx``.

    Raises
    ------
    InputFileError
        Unreadable file, or every problem of the plan (file, sheet, row, field, text).
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputFileError(name, "file not found")
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(p.read_text("utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise InputFileError(name, f"malformed YAML{where}: {getattr(exc, 'problem', exc)}") from exc
        except UnicodeDecodeError as exc:
            raise InputFileError(name, "not UTF-8 text") from exc
        return plan_from_mapping(data, file=name)
    if suffix == ".xlsx":
        return plan_from_mapping(_excel_mapping(p), file=name)
    raise InputFileError(name, f"unknown plan file type {suffix!r}: use .yaml or .xlsx")


def _excel_mapping(p: Path) -> dict[str, Any]:
    import openpyxl

    name = str(p)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        sheets = set(wb.sheetnames)
        wb.close()
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise InputFileError(name, f"not a readable Excel workbook ({exc})") from exc
    missing = {"plan", "indicators", "targets"} - sheets
    if missing:
        raise InputFileError(
            name, f"missing sheet(s): {', '.join(sorted(missing))} (see docs/excel-template.md)"
        )
    _, plan_rows = read_table(p, "plan")
    kv = {r.get("key", ""): r.get("value", "") for _, r in plan_rows}
    _, ind_rows = read_table(p, "indicators")
    _, tgt_rows = read_table(p, "targets")
    problems: list[Problem] = []
    inds: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for rownum, r in ind_rows:
        d: dict[str, Any] = {
            "id": r.get("id"),
            "category": {"zh": r.get("category_zh", ""), "en": r.get("category_en", "")},
            "name": {"zh": r.get("name_zh", ""), "en": r.get("name_en", "")},
            "unit": r.get("unit"),
            "direction": r.get("direction"),
            "attribute": r.get("attribute"),
            "baseline": {"year": r.get("baseline_year"), "value": r.get("baseline_value") or None},
            "targets": [],
        }
        if r.get("code"):
            d["code"] = r["code"]
        if r.get("parent_plan") and r.get("parent_indicator"):
            d["parent"] = {"plan": r["parent_plan"], "indicator": r["parent_indicator"]}
        if r.get("predecessor_plan") or r.get("predecessor_indicator"):
            d["predecessor"] = {
                "plan": r.get("predecessor_plan"),
                "indicator": r.get("predecessor_indicator"),
                "relation": r.get("predecessor_relation") or None,
                "note": {"zh": r.get("predecessor_note_zh", ""), "en": r.get("predecessor_note_en", "")},
            }
        if r.get("source_quote") or r.get("source_file"):
            d["source"] = {"file": r.get("source_file") or None, "quote": r.get("source_quote") or None}
        if not d["category"]["zh"]:
            del d["category"]
        if not r.get("id"):
            problems.append(Problem(name, "missing indicator id", row=rownum, field="id", sheet="indicators"))
            continue
        inds.append(d)
        by_id[str(r["id"])] = d
    for rownum, r in tgt_rows:
        found = by_id.get(r.get("indicator", ""))
        if found is None:
            problems.append(
                Problem(
                    name,
                    "no such indicator on sheet 'indicators'",
                    row=rownum,
                    field="indicator",
                    text=r.get("indicator"),
                    sheet="targets",
                )
            )
            continue
        item: dict[str, Any] = {"year": r.get("year"), "expr": r.get("expr", "")}
        if r.get("stretch"):
            item["stretch"] = r["stretch"]
        if r.get("region"):
            found.setdefault("allocations", {}).setdefault(r["region"], []).append(item)
        else:
            found["targets"].append(item)
    if problems:
        raise InputFileError(name, problems)
    return {
        "id": kv.get("id"),
        "title": {"zh": kv.get("title_zh", ""), "en": kv.get("title_en", "")},
        "issuer": {"zh": kv.get("issuer_zh", ""), "en": kv.get("issuer_en", "")}
        if kv.get("issuer_zh")
        else None,
        "document_number": kv.get("document_number") or None,
        "level": kv.get("level"),
        "region": kv.get("region"),
        "period": {"start": kv.get("period_start"), "end": kv.get("period_end")},
        "base_year": kv.get("base_year") or None,
        "parent": kv.get("parent") or None,
        "indicators": inds,
        **(
            {
                "settings": {
                    "comparable_baseline": {
                        "rule": kv["comparable_baseline_rule"],
                        "note": {
                            "zh": kv.get("comparable_baseline_note_zh", ""),
                            "en": kv.get("comparable_baseline_note_en", ""),
                        },
                    }
                }
            }
            if kv.get("comparable_baseline_rule")
            else {}
        ),
    }


def write_plan_yaml(plan: Plan, path: str | Path) -> None:
    """Write ``plan`` as YAML (round-trips through :func:`read_plan_file`)."""
    Path(path).write_text(yaml.safe_dump(plan_to_mapping(plan), allow_unicode=True, sort_keys=False), "utf-8")


def write_plan_excel(plan: Plan, path: str | Path) -> None:
    """Write ``plan`` in the Excel template, with data validation from the ``lists`` sheet.

    Text is stored as text, never a formula (:mod:`ecoplan.core.exports`); the values are
    unchanged, so the file imports back as the same plan.
    """
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    m = plan_to_mapping(plan)
    wb = openpyxl.Workbook()
    ws = wb.create_sheet("plan")
    wb.remove(wb.worksheets[0])
    append_row(ws, ["key", "value"])
    values = {
        "id": m["id"],
        "title_zh": m["title"]["zh"],
        "title_en": m["title"]["en"],
        "issuer_zh": m["issuer"]["zh"],
        "issuer_en": m["issuer"]["en"],
        "document_number": m["document_number"],
        "level": m["level"],
        "region": m["region"],
        "period_start": m["period"]["start"],
        "period_end": m["period"]["end"],
        "base_year": m["base_year"],
        "parent": m["parent"],
    }
    cb = (m.get("settings") or {}).get("comparable_baseline") or {}
    values["comparable_baseline_rule"] = cb.get("rule")
    values["comparable_baseline_note_zh"] = (cb.get("note") or {}).get("zh")
    values["comparable_baseline_note_en"] = (cb.get("note") or {}).get("en")
    for k in PLAN_KEYS:
        append_row(ws, [k, values[k]])
    wi = wb.create_sheet("indicators")
    append_row(wi, INDICATOR_COLUMNS)
    wt = wb.create_sheet("targets")
    append_row(wt, TARGET_COLUMNS)
    for d in m["indicators"]:
        parent = d.get("parent") or {}
        src = d.get("source") or {}
        pred = d.get("predecessor") or {}
        if isinstance(pred, list):  # several predecessors (merged): YAML only, see docs/excel-template.md
            pred = {}
        note = pred.get("note") or {}
        append_row(
            wi,
            [
                d["id"],
                d["category"]["zh"],
                d["category"]["en"],
                d["name"]["zh"],
                d["name"]["en"],
                d["unit"],
                d["direction"],
                d["attribute"],
                d["baseline"]["year"],
                d["baseline"]["value"],
                d.get("code"),
                parent.get("plan"),
                parent.get("indicator"),
                src.get("file"),
                src.get("quote"),
                pred.get("plan"),
                pred.get("indicator"),
                pred.get("relation"),
                note.get("zh"),
                note.get("en"),
            ],
        )
        for t in d["targets"]:
            append_row(wt, [d["id"], t["year"], t["expr"], t.get("stretch"), None])
        for region, items in (d.get("allocations") or {}).items():
            for t in items:
                append_row(wt, [d["id"], t["year"], t["expr"], t.get("stretch"), region])
    wl = wb.create_sheet("lists")
    for col, (key, options) in enumerate(LISTS.items(), start=1):
        wl.cell(row=1, column=col, value=key)
        for i, opt in enumerate(options, start=2):
            wl.cell(row=i, column=col, value=opt)
    for key, letter in (("direction", "G"), ("attribute", "H")):
        lcol = "AB"[list(LISTS).index(key)]
        dv = DataValidation(type="list", formula1=f"=lists!${lcol}$2:${lcol}${len(LISTS[key]) + 1}")
        dv.error = f"{key}: choose from the list"
        wi.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}1000")
    dv = DataValidation(type="list", formula1=f"=lists!$C$2:$C${len(LISTS['level']) + 1}")
    ws.add_data_validation(dv)
    dv.add("B8")
    dv = DataValidation(type="list", formula1=f"=lists!$D$2:$D${len(LISTS['relation']) + 1}")
    wi.add_data_validation(dv)
    dv.add("R2:R1000")  # predecessor_relation
    row = PLAN_KEYS.index("comparable_baseline_rule") + 2
    dv = DataValidation(type="list", formula1=f"=lists!$E$2:$E${len(LISTS['comparable_baseline']) + 1}")
    ws.add_data_validation(dv)
    dv.add(f"B{row}")
    wb.save(path)
