"""One source for each rule (issue #9): the dates of the air-standard editions live
in :mod:`ecoplan.air.standards.editions` and nowhere else in the code.

The scan reads the syntax tree of every module under ``src/ecoplan``: a string
constant (docstrings excepted: they may cite the dates) holding one of the
editions' or GB 3095 phases' first or last days, or a ``date(…)``/``datetime(…)``
call with such a day, outside ``editions.py`` fails the test. Other numbers and
dates are not flagged.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import ecoplan
from ecoplan.air.standards import editions

SRC = Path(ecoplan.__file__).parent
HOME = SRC / "air" / "standards" / "editions.py"
#: 1900-01-01 is the table's open start, not a rule date.
_OPEN = dt.date(1900, 1, 1)


def _rule_dates() -> set[dt.date]:
    days: set[dt.date] = set()
    for e in editions.EDITIONS:
        days.update(d for d in (e.effective_from, e.effective_until) if d is not None)
    for _, start, end in editions.GB3095_PHASES:
        days.update(d for d in (start, end) if d is not None)
    return days - {_OPEN}


def _literals(d: dt.date) -> tuple[str, ...]:
    return (
        d.isoformat(),
        f"{d.year}{d.month:02d}{d.day:02d}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}/{d.month:02d}/{d.day:02d}",
    )


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _call_date(node: ast.Call) -> dt.date | None:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
    if name not in ("date", "datetime") or len(node.args) < 3:
        return None
    args = node.args[:3]
    if not all(isinstance(a, ast.Constant) and type(a.value) is int for a in args):
        return None
    try:
        return dt.date(*(a.value for a in args))  # type: ignore[attr-defined]
    except ValueError:
        return None


def hard_coded_edition_dates(source: str, filename: str = "<src>") -> list[str]:
    """``line: literal`` of every edition date written into ``source``'s code."""
    dates = _rule_dates()
    needles = {lit: d for d in dates for lit in _literals(d)}
    tree = ast.parse(source, filename)
    skip = _docstrings(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found += [f"{node.lineno}: {lit!r}" for lit in needles if lit in node.value]
        elif isinstance(node, ast.Call):
            d = _call_date(node)
            if d in dates:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_scan_finds_a_second_copy() -> None:
    """The scan is not vacuous: each way of writing an edition date is caught …"""
    cut = editions.EDITIONS[1].effective_from
    y, m, d = cut.year, cut.month, cut.day
    for src in (
        f"CUT = dt.date({y}, {m}, {d})",
        f"CUT = datetime({y}, {m}, {d}, 0, 0)",
        f"SQL = \"day < DATE '{cut.isoformat()}'\"",
        f'x = f"straddles {cut.isoformat()}: {{n}}"',
        f"NOTE = '{y}年{m}月{d}日起'",
    ):
        assert hard_coded_edition_dates(src), src


def test_the_scan_ignores_other_numbers() -> None:
    """… and unrelated numbers, other dates and docstrings are not."""
    src = '''
"""Module doc citing 2026-03-01 and 2030-12-31 is fine."""
YEARS = (2012, 2026, 2030, 2031)
EDITION = "2026"
DAY = dt.date(2026, 3, 2)
LEVELS = (0, 50, 100, 150, 200, 300)
def f():
    """GB 3095—2026 §4.4 (2031-01-01)."""
    return "2026-03"
'''
    assert hard_coded_edition_dates(src) == []


@pytest.mark.parametrize(
    "path", sorted(p for p in SRC.rglob("*.py") if p != HOME), ids=lambda p: str(p.relative_to(SRC))
)
def test_no_edition_date_outside_editions(path: Path) -> None:
    """Edition and phase dates come from editions.py (an amendment is one new row)."""
    assert hard_coded_edition_dates(path.read_text(encoding="utf-8"), str(path)) == []


def test_editions_module_holds_the_dates() -> None:
    assert hard_coded_edition_dates(HOME.read_text(encoding="utf-8"))
