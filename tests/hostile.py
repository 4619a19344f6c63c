"""A plan and values whose text a spreadsheet would run as formulas (issue #9: safe exports)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from ecoplan.app import Ecoplan
from ecoplan.plans.serialize import plan_to_mapping

CMD = "=cmd|' /C calc'!A0"
PLUS = "+1+1"
AT = "@SUM(1)"
MINUS = "-2+3"
TAB = "\t=1+1"
LINK = '=HYPERLINK("http://evil.example","x")'
EVIL = (CMD, PLUS, AT, MINUS, TAB, LINK)
INDICATOR = "air-good-days"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def add_hostile_plan(ep: Ecoplan, tmp: Path) -> dict[str, Any]:
    """Store plan ``evil`` (a copy of cn-13th-eco with hostile text) and one hostile value."""
    m = plan_to_mapping(ep.plan("cn-13th-eco").plan)
    m["id"] = "evil"
    m["title"] = {"zh": CMD, "en": PLUS}
    m["document_number"] = AT
    ind = next(i for i in m["indicators"] if i["id"] == INDICATOR)
    ind["name"] = {"zh": CMD, "en": PLUS}
    ind["category"] = {"zh": AT, "en": MINUS}
    ind["source"] = {"file": LINK, "quote": MINUS}
    plan_file = tmp / "evil.yaml"
    plan_file.write_text(yaml.safe_dump(m, allow_unicode=True, sort_keys=False), "utf-8")
    ep.import_plan(plan_file)
    values = tmp / "evil-values.csv"
    with values.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["plan", "indicator", "region", "year", "value", "unit", "source", "note"])
        w.writerow(["evil", INDICATOR, "000000", 2020, 87.0, "%", LINK, AT])
    ep.import_values(values, recorded_at="2021-06-30")
    return m


def assert_inert_csv(text: str) -> list[dict[str, str]]:
    """Every cell of a CSV export is inert: none begins with a formula character, unless
    it is a plain number (``-5``). Returns the rows."""
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows
    for r in rows:
        for k, v in r.items():
            if v and v[0] in "=+-@\t\r":
                assert _NUMBER.fullmatch(v), f"{k}: {v!r} is not inert"
    return rows


def assert_inert_xlsx(path: Path) -> list[Any]:
    """No cell of the workbook is a formula; hostile text is text with the quote prefix.
    Returns every cell."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    for c in cells:
        assert c.data_type != "f", f"{c.coordinate}: {c.value!r} is a formula"
        if isinstance(c.value, str) and c.value[:1] in ("=", "+", "@", "\t", "\r"):
            assert c.data_type == "s" and c.quotePrefix, c.coordinate
    return cells
