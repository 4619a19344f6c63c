"""Target cells checked against the target grammar (:func:`ecoplan.plans.targets.parse_target`).

Every target read from a table must parse (:func:`_valid_target`) or it is
dropped and lowers the row's confidence; an inherited target (省下达, 国家要求)
may fill the empty merged cells to its right; and a plain-number target of a
``…减少/下降/降低（%）`` indicator is a change since the base year, written as a
cumulative target (``12`` → ``〔12〕``, :func:`as_cumulative_change`).
"""

from __future__ import annotations

import re

from ecoplan.core.errors import TargetSyntaxError
from ecoplan.plans.extract.tables.text import _nfkc
from ecoplan.plans.targets import Op, TargetKind, parse_target

__all__ = ["as_cumulative_change"]

_DECLINE = re.compile(r"(?:减少|下降|降低|削减)(?:比例|幅度|率)?$")


def _valid_target(expr: str) -> bool:
    try:
        parse_target(expr)
    except TargetSyntaxError:
        return False
    return True


def _is_inherited(expr: str) -> bool:
    return bool(expr) and _valid_target(expr) and parse_target(expr).kind is TargetKind.INHERITED


def as_cumulative_change(name: str, unit: str, expr: str) -> str:
    """``expr`` as a cumulative target when it is a plain number under a ``…减少（%）`` indicator.

    A decline indicator in percent measures the change since the base year,
    so its plain-number target ``12`` means ``〔12〕``; other targets are returned unchanged.
    """
    if unit != "%" or not _DECLINE.search(name):
        return expr
    try:
        t = parse_target(expr)
    except TargetSyntaxError:
        return expr
    if t.kind is TargetKind.LEVEL and t.op is Op.REACH:
        return f"〔{_nfkc(expr).rstrip('%')}〕"
    return expr
