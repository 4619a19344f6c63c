"""One cell's text as its column's type, or the reason it is refused."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ecoplan.waste.model import ROLES, is_category, is_code, parse_manifest_no
from ecoplan.waste.readers.columns import Column

__all__ = ["parse_cell", "split_list"]

_SEP = re.compile(r"[;|、；]")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d")
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"0", "false", "no", "n", "否"}


def split_list(text: str) -> list[str]:
    """``a; b|c`` → ``["a", "b", "c"]`` (blanks dropped, order and first occurrence kept)."""
    out: list[str] = []
    for part in _SEP.split(text):
        p = part.strip()
        if p and p not in out:
            out.append(p)
    return out


def _number(text: str) -> tuple[float | None, str | None]:
    try:
        v = float(text.replace(",", ""))
    except ValueError:
        return None, "not_a_number"
    if not math.isfinite(v):
        return None, "not_a_number"
    if v < 0:
        return None, "negative"
    return v, None


def parse_cell(col: Column, text: str) -> tuple[Any, str | None]:
    """The typed value of ``text`` in ``col`` (None for an empty optional cell)."""
    if not text:
        return (None, "required") if col.required else (None, None)
    t = col.type
    if t == "text":
        return text, None
    if t == "number":
        return _number(text)
    if t == "count":
        v, why = _number(text)
        if why:
            return None, why
        if v is None or not v.is_integer():
            return None, "not_a_number"
        return int(v), None
    if t in ("lon", "lat"):
        try:
            f = float(text)
        except ValueError:
            return None, "bad_lonlat"
        limit = 180.0 if t == "lon" else 90.0
        return (f, None) if math.isfinite(f) and abs(f) <= limit else (None, "bad_lonlat")
    if t == "region":
        return (text, None) if re.fullmatch(r"\d{6}", text) else (None, "bad_region")
    if t == "province":
        return (text, None) if re.fullmatch(r"\d{2}", text) else (None, "bad_province")
    if t == "date":
        try:
            return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text), None
        except ValueError:
            return None, "bad_date"
    if t == "time":
        iso = len(text) in (10, 16, 19) and text[4:5] == "-" and text[7:8] == "-"
        if iso and text[10:11] in ("", " ", "T"):
            try:  # the common forms, fast (strptime below for the rest)
                when = dt.datetime.fromisoformat(text)
            except ValueError:
                return None, "bad_time"
            return (when, None) if when.tzinfo is None else (None, "bad_time")
        for pattern in _TIME_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern), None
            except ValueError:
                continue
        return None, "bad_time"
    if t == "bool":
        low = text.lower()
        if low in _TRUE:
            return True, None
        if low in _FALSE:
            return False, None
        return None, "bad_bool"
    if t == "enum":
        return (text, None) if text in col.choices else (None, "bad_choice")
    if t == "roles":
        roles = split_list(text)
        return (roles, None) if roles and all(r in ROLES for r in roles) else (None, "bad_choice")
    if t == "codes":
        codes = split_list(text)
        ok = codes and all(is_code(c) or is_category(c) for c in codes)
        return (codes, None) if ok else (None, "bad_code")
    if t == "code":
        return (text, None) if is_code(text) else (None, "bad_code")
    if t == "manifest_no":
        return (text, None) if parse_manifest_no(text) else (None, "manifest_no_format")
    raise AssertionError(f"column type {t!r}")
