"""The register of pollution sources (CSV or XLSX): enterprises, outlets, devices, permits,
permit limits and permitted annual quantities (issue 11 item 3; ``docs/sources-registry.md``).

One file holds one kind (:data:`KINDS`); its header row names the columns in English
(``credit_code``) or Chinese (``统一社会信用代码``, :data:`HEADERS`), a ``[unit]`` or ``（单位）``
suffix ignored. Every value is checked here, one row at a time: a row with a bad value is
rejected whole, with its file, row (as a spreadsheet numbers it), field, value and a
reason code (:data:`REASONS`). What needs the store — the region in the catalog, the
enterprise of an outlet, the outlet of a device, the permit of a limit — is checked by
the storage when the batch is imported (reasons ``unknown_*``).

Checks: the credit code's check character (GB 32100-2015 §4.2,
:mod:`ecoplan.sources.standards.credit_code`); the MN as 24 hex characters (HJ 212-2017
Table 3, EPC-96; 2025 likewise, hj212 spec §25.3) or 14 characters (HJ/T 212-2005
§6.3.2); ST as 2 characters of 0-9/A-Z (HJ 212-2017 §6.6.1); PW as 6 characters
(HJ 212-2017 Table 3); the SM4 key as 32 hex characters, 16 bytes (HJ 212-2025 §6.4.2),
for 2025 devices only; factor codes as HJ 212 codes (HJ 212-2017 Annex B) or their names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Final

import pandas as pd

from ecoplan.core.errors import InputFileError
from ecoplan.core.sources import Input, Sources, expand, name_of
from ecoplan.sources.standards import credit_code as ccode
from ecoplan.sources.standards.emission_standards import (
    factor_code,
    normalise_unit,
    ref_o2_of,
    unit_fits,
)

__all__ = [
    "COLUMNS",
    "HEADERS",
    "KEYS",
    "KINDS",
    "REASONS",
    "REJECT_COLUMNS",
    "REQUIRED",
    "RegistryBatch",
    "kind_of_header",
    "read_registry",
    "sniff_kind",
]

#: Kinds in the order they depend on each other (an outlet needs its enterprise …).
KINDS: Final = ("enterprises", "outlets", "devices", "permits", "limits", "quantities")
#: Canonical columns of each kind (the table's columns without ``import_id``).
COLUMNS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "enterprises": ("credit_code", "name", "region", "industry", "address", "lon", "lat", "key_unit"),
        "outlets": ("outlet_id", "credit_code", "medium", "name", "lon", "lat", "standard", "ref_o2"),
        "devices": ("mn", "outlet_id", "st", "pw", "edition", "sm4_key", "active"),
        "permits": ("permit_no", "credit_code", "valid_from", "valid_to", "report_cycle"),
        "limits": ("permit_no", "outlet_id", "factor", "limit_value", "unit", "basis", "ref_o2", "standard"),
        "quantities": ("permit_no", "factor", "year", "quantity_t"),
    }
)
#: Key columns of each kind (the table's primary key).
KEYS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "enterprises": ("credit_code",),
        "outlets": ("outlet_id",),
        "devices": ("mn",),
        "permits": ("permit_no",),
        "limits": ("permit_no", "outlet_id", "factor", "basis"),
        "quantities": ("permit_no", "factor", "year"),
    }
)
#: Columns a file of each kind must have.
REQUIRED: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "enterprises": ("credit_code", "name", "region"),
        "outlets": ("outlet_id", "credit_code", "medium"),
        "devices": ("mn", "outlet_id", "st", "pw"),
        "permits": ("permit_no", "credit_code", "valid_from", "valid_to"),
        "limits": ("permit_no", "outlet_id", "factor", "limit_value", "unit", "basis"),
        "quantities": ("permit_no", "factor", "year", "quantity_t"),
    }
)
REJECT_COLUMNS: Final = ("file", "row", "field", "value", "reason")
#: Reason codes of rejected rows (words ``sources.registry.reason.<code>``).
REASONS: Final = (
    "missing_column",  # a required column is absent (row: the header row)
    "missing_value",  # a required cell is empty
    "duplicate_id",  # the same key twice in one batch: the later row is rejected
    "bad_credit_code",  # not 18 characters of GB 32100-2015 Table 1
    "credit_code_check",  # the 18th character is not the check character (GB 32100-2015 §4.2)
    "bad_region",  # not a six-digit code
    "not_a_number",
    "negative",
    "out_of_range",  # longitude/latitude outside China, O2 outside 0–21 %, year outside 1990–2100
    "bad_value",  # outside the field's vocabulary (medium, yes/no, basis, report cycle, edition)
    "bad_mn",  # not 24 hex characters (2017/2025) or 14 characters (2005)
    "bad_st",  # not two characters of 0-9/A-Z
    "bad_pw",  # not 6 characters, or with a separator of the data segment (; = & ,)
    "bad_sm4_key",  # not 32 hex characters, or given for a device that is not 2025
    "bad_date",
    "date_order",  # valid_to before valid_from
    "bad_factor",  # not an HJ 212 factor code or a known factor name
    "bad_unit",  # unknown unit, or a unit that does not fit the factor's medium
    "unknown_region",  # not a region of the store (storage)
    "unknown_enterprise",  # the credit code is not registered (storage)
    "unknown_outlet",  # the outlet is not registered (storage)
    "unknown_permit",  # the permit is not registered (storage)
    "outlet_not_of_permit",  # the outlet belongs to another enterprise than the permit (storage)
    "factor_medium",  # an air factor on a water outlet or the reverse (storage)
)

#: Header aliases (lower case, unit suffix removed) → canonical column.
HEADERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{c: c for cols in COLUMNS.values() for c in cols},
        "统一社会信用代码": "credit_code",
        "社会信用代码": "credit_code",
        "信用代码": "credit_code",
        "企业名称": "name",
        "单位名称": "name",
        "排放口名称": "name",
        "名称": "name",
        "行政区划代码": "region",
        "区划代码": "region",
        "所在地区": "region",
        "行业类别": "industry",
        "行业": "industry",
        "地址": "address",
        "生产经营场所地址": "address",
        "经度": "lon",
        "纬度": "lat",
        "longitude": "lon",
        "latitude": "lat",
        "重点排污单位": "key_unit",
        "是否重点排污单位": "key_unit",
        "排放口编号": "outlet_id",
        "排污口编号": "outlet_id",
        "排放口类型": "medium",
        "介质": "medium",
        "执行标准": "standard",
        "排放标准": "standard",
        "基准氧含量": "ref_o2",
        "基准含氧量": "ref_o2",
        "设备编码": "mn",
        "数采仪编码": "mn",
        "设备唯一标识": "mn",
        "系统编码": "st",
        "访问密码": "pw",
        "密码": "pw",
        "标准版本": "edition",
        "版本": "edition",
        "sm4密钥": "sm4_key",
        "密钥": "sm4_key",
        "启用": "active",
        "是否启用": "active",
        "许可证编号": "permit_no",
        "排污许可证编号": "permit_no",
        "有效期起": "valid_from",
        "有效期自": "valid_from",
        "有效期止": "valid_to",
        "有效期至": "valid_to",
        "执行报告周期": "report_cycle",
        "执行报告频次": "report_cycle",
        "监测因子": "factor",
        "污染物": "factor",
        "污染物种类": "factor",
        "因子": "factor",
        "排放限值": "limit_value",
        "许可排放浓度限值": "limit_value",
        "限值": "limit_value",
        "单位": "unit",
        "计量单位": "unit",
        "统计基准": "basis",
        "限值基准": "basis",
        "年份": "year",
        "年度": "year",
        "许可排放量": "quantity_t",
        "许可年排放量": "quantity_t",
        "quantity": "quantity_t",
    }
)
#: Cells read as no value.
_MISSING: Final = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "—", "/"})
_YES: Final = frozenset({"yes", "y", "true", "1", "是"})
_NO: Final = frozenset({"no", "n", "false", "0", "否"})
_MEDIUM: Final = MappingProxyType(
    {
        "air": "air",
        "gas": "air",
        "废气": "air",
        "大气": "air",
        "气": "air",
        "water": "water",
        "废水": "water",
        "水": "water",
    }
)
_BASIS: Final = MappingProxyType(
    {
        "hour": "hour",
        "hourly": "hour",
        "小时": "hour",
        "小时均值": "hour",
        "day": "day",
        "daily": "day",
        "日": "day",
        "日均值": "day",
        "month": "month",
        "monthly": "month",
        "月": "month",
        "月均值": "month",
        "instant": "instant",
        "瞬时": "instant",
        "瞬时值": "instant",
        "一次值": "instant",
    }
)
_CYCLE: Final = MappingProxyType(
    {
        "year": "year",
        "年": "year",
        "年度": "year",
        "quarter": "quarter",
        "季": "quarter",
        "季度": "quarter",
        "month": "month",
        "月": "month",
        "月度": "month",
    }
)
_EDITIONS: Final = ("2005", "2017", "2025")
_HEX24 = re.compile(r"^[0-9A-Fa-f]{24}$")
_MN05 = re.compile(r"^[0-9A-Za-z]{14}$")
_ST = re.compile(r"^[0-9A-Z]{2}$")
_HEX32 = re.compile(r"^[0-9A-Fa-f]{32}$")
#: China's extent, loosely (GCJ-02/WGS-84 alike): a coordinate outside is a typo.
_LON, _LAT = (73.0, 136.0), (3.0, 54.0)


@dataclass
class RegistryBatch:
    """Rows of one kind read from ``files`` (canonical columns), with ``where[i]`` the file and
    row of ``rows.iloc[i]``, and the rejected rows."""

    kind: str
    rows: pd.DataFrame
    rejects: pd.DataFrame
    files: list[str] = field(default_factory=list)
    where: list[tuple[str, int]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rejects by reason code."""
        return {str(k): int(v) for k, v in self.rejects["reason"].value_counts().sort_index().items()}


class _Rejects:
    def __init__(self) -> None:
        self.rows: list[tuple[str, int | None, str, str, str]] = []

    def add(self, file: str, row: int | None, fld: str, value: Any, reason: str) -> None:
        assert reason in REASONS, reason
        self.rows.append((file, row, fld, "" if value is None else str(value), reason))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=list(REJECT_COLUMNS))


class _Bad(Exception):
    """A rejected cell: field, value and reason."""

    def __init__(self, fld: str, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.fld, self.value, self.reason = fld, value, reason


def _key(text: str) -> str:
    """A header cell without its unit suffix, lower case."""
    return re.sub(r"\s*[\[(（].*?[\])）]\s*$", "", str(text)).strip().lower()


def _cells(item: Input, fmt: str | None) -> list[list[str]]:
    """A file's cells as text (``cells[i]`` is the spreadsheet's row ``i + 1``)."""
    name = name_of(item)
    xlsx = (fmt or ("xlsx" if name.lower().endswith(".xlsx") else "csv")) == "xlsx"
    try:
        if xlsx:
            src: Any = item if isinstance(item, Path) else io.BytesIO(_bytes(item))
            df = pd.read_excel(src, header=None, dtype=str, keep_default_na=False)
            return [[_cell(c) for c in row] for row in df.itertuples(index=False)]
        if isinstance(item, Path):
            text = item.read_text(encoding="utf-8-sig")
        else:
            raw = item.read()
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.lstrip("\ufeff")
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except (OSError, ValueError, csv.Error, UnicodeDecodeError) as exc:
        raise InputFileError(name, f"cannot read ({exc})") from exc


def _bytes(item: IO[str] | IO[bytes]) -> bytes:
    raw = item.read()
    return raw.encode() if isinstance(raw, str) else raw


def _cell(c: Any) -> str:
    s = str(c).strip()
    return s[:-2] if re.fullmatch(r"-?\d+\.0", s) and len(s) > 12 else s


def _header(cells: list[list[str]]) -> int | None:
    """The first row (of 20) naming at least two known columns."""
    for i, row in enumerate(cells[:20]):
        if sum(_key(c) in HEADERS for c in row) >= 2:
            return i
    return None


def sniff_kind(item: Input) -> str | None:
    """The kind a file's header row names (:func:`kind_of_header`), or None."""
    cells = _cells(item, None)
    h = _header(cells)
    return None if h is None else kind_of_header(cells[h])


def kind_of_header(header: list[str]) -> str | None:
    """The kind whose required columns a header names all of (the most specific), or None."""
    names = {HEADERS.get(_key(c)) for c in header}
    fits = [k for k in KINDS if set(REQUIRED[k]) <= names]
    return max(fits, key=lambda k: len(REQUIRED[k])) if fits else None


# -- cells ---------------------------------------------------------------------------------
def _req(cells: dict[str, str], col: str) -> str:
    v = cells.get(col, "").strip()
    if v.lower() in _MISSING:
        raise _Bad(col, None, "missing_value")
    return v


def _opt(cells: dict[str, str], col: str) -> str | None:
    v = cells.get(col, "").strip()
    return None if v.lower() in _MISSING else v


def _num(cells: dict[str, str], col: str, lo: float | None = None, hi: float | None = None) -> float | None:
    v = _opt(cells, col)
    if v is None:
        return None
    try:
        x = float(v.replace(",", ""))
    except ValueError:
        raise _Bad(col, v, "not_a_number") from None
    if x != x:
        raise _Bad(col, v, "not_a_number")
    if x < 0 and (lo is None or lo >= 0):
        raise _Bad(col, v, "negative")
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        raise _Bad(col, v, "out_of_range")
    return x


def _yes_no(cells: dict[str, str], col: str, default: bool) -> bool:
    v = _opt(cells, col)
    if v is None:
        return default
    if v.lower() in _YES:
        return True
    if v.lower() in _NO:
        return False
    raise _Bad(col, v, "bad_value")


def _vocab(cells: dict[str, str], col: str, table: Mapping[str, str], required: bool) -> str | None:
    v = _req(cells, col) if required else _opt(cells, col)
    if v is None:
        return None
    got = table.get(v.lower()) or table.get(v)
    if got is None:
        raise _Bad(col, v, "bad_value")
    return got


def _credit(cells: dict[str, str]) -> str:
    v = _req(cells, "credit_code").upper()
    why = ccode.problem(v)
    if why:
        raise _Bad("credit_code", v, why)
    return v


def _date(cells: dict[str, str], col: str) -> dt.date:
    v = _req(cells, col)
    s = v.split(" ")[0].split("T")[0]
    for f in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(s, f).date()
        except ValueError:
            continue
    raise _Bad(col, v, "bad_date")


def _factor(cells: dict[str, str]) -> str:
    v = _req(cells, "factor")
    code = factor_code(v)
    if code is None:
        raise _Bad("factor", v, "bad_factor")
    return code


def _lon_lat(cells: dict[str, str]) -> dict[str, float | None]:
    return {"lon": _num(cells, "lon", *_LON), "lat": _num(cells, "lat", *_LAT)}


# -- rows of each kind ----------------------------------------------------------------------
def _enterprise(c: dict[str, str]) -> dict[str, Any]:
    region = _req(c, "region")
    if not (len(region) == 6 and region.isdigit()):
        raise _Bad("region", region, "bad_region")
    return {
        "credit_code": _credit(c),
        "name": _req(c, "name"),
        "region": region,
        "industry": _opt(c, "industry"),
        "address": _opt(c, "address"),
        **_lon_lat(c),
        "key_unit": _yes_no(c, "key_unit", False),
    }


def _outlet(c: dict[str, str]) -> dict[str, Any]:
    medium = _vocab(c, "medium", _MEDIUM, True)
    standard = _opt(c, "standard")
    ref_o2 = _num(c, "ref_o2", 0.0, 20.99)
    if medium == "water" and ref_o2 is not None:
        raise _Bad("ref_o2", c.get("ref_o2"), "bad_value")
    if medium == "air" and ref_o2 is None:
        ref_o2 = ref_o2_of(standard)
    return {
        "outlet_id": _req(c, "outlet_id"),
        "credit_code": _credit(c),
        "medium": medium,
        "name": _opt(c, "name"),
        **_lon_lat(c),
        "standard": standard,
        "ref_o2": ref_o2,
    }


def _device(c: dict[str, str]) -> dict[str, Any]:
    mn = _req(c, "mn")
    edition = _opt(c, "edition")
    if edition is not None and edition not in _EDITIONS:
        raise _Bad("edition", edition, "bad_value")
    if edition is None:
        edition = "2005" if len(mn) == 14 else "2017"
    if not (_MN05 if edition == "2005" else _HEX24).match(mn):
        raise _Bad("mn", mn, "bad_mn")
    st = _req(c, "st").upper()
    if not _ST.match(st):
        raise _Bad("st", st, "bad_st")
    pw = _req(c, "pw")
    if len(pw) != 6 or any(ch in pw for ch in ";=&,"):
        raise _Bad("pw", pw, "bad_pw")
    key = _opt(c, "sm4_key")
    if key is not None and (edition != "2025" or not _HEX32.match(key)):
        raise _Bad("sm4_key", key, "bad_sm4_key")
    return {
        "mn": mn,
        "outlet_id": _req(c, "outlet_id"),
        "st": st,
        "pw": pw,
        "edition": edition,
        "sm4_key": key.upper() if key else None,
        "active": _yes_no(c, "active", True),
    }


def _permit(c: dict[str, str]) -> dict[str, Any]:
    start, end = _date(c, "valid_from"), _date(c, "valid_to")
    if end < start:
        raise _Bad("valid_to", c.get("valid_to"), "date_order")
    return {
        "permit_no": _req(c, "permit_no"),
        "credit_code": _credit(c),
        "valid_from": start,
        "valid_to": end,
        "report_cycle": _vocab(c, "report_cycle", _CYCLE, False),
    }


def _limit(c: dict[str, str]) -> dict[str, Any]:
    factor = _factor(c)
    value = _num(c, "limit_value", 0.0)
    if value is None:
        raise _Bad("limit_value", None, "missing_value")
    unit_text = _req(c, "unit")
    unit = normalise_unit(unit_text)
    medium = "air" if factor.startswith("a") else "water" if factor.startswith("w") else None
    if unit is None or (medium is not None and not unit_fits(unit, medium)):
        raise _Bad("unit", unit_text, "bad_unit")
    return {
        "permit_no": _req(c, "permit_no"),
        "outlet_id": _req(c, "outlet_id"),
        "factor": factor,
        "limit_value": value,
        "unit": unit,
        "basis": _vocab(c, "basis", _BASIS, True),
        "ref_o2": _num(c, "ref_o2", 0.0, 20.99),
        "standard": _opt(c, "standard"),
    }


def _quantity(c: dict[str, str]) -> dict[str, Any]:
    y = _req(c, "year")
    if not (y.isdigit() and 1990 <= int(y) <= 2100):
        raise _Bad("year", y, "out_of_range" if y.isdigit() else "not_a_number")
    q = _num(c, "quantity_t", 0.0)
    if q is None:
        raise _Bad("quantity_t", None, "missing_value")
    return {"permit_no": _req(c, "permit_no"), "factor": _factor(c), "year": int(y), "quantity_t": q}


_ROW: Final[Mapping[str, Callable[[dict[str, str]], dict[str, Any]]]] = MappingProxyType(
    {
        "enterprises": _enterprise,
        "outlets": _outlet,
        "devices": _device,
        "permits": _permit,
        "limits": _limit,
        "quantities": _quantity,
    }
)


def read_registry(paths: Sources, kind: str, fmt: str | None = None) -> RegistryBatch:
    """Rows of ``kind`` from CSV/XLSX files or folders (``fmt``: ``csv``/``xlsx``, default by
    the file's suffix). A file without a header naming the required columns is rejected
    as ``missing_column`` (nothing of it read); other problems reject single rows."""
    if kind not in KINDS:
        raise ValueError(f"unknown registry kind {kind!r}; expected one of {', '.join(KINDS)}")
    suffixes = (f".{fmt}",) if fmt else (".csv", ".xlsx")
    rej = _Rejects()
    records: list[dict[str, Any]] = []
    where: list[tuple[str, int]] = []
    seen: set[tuple[Any, ...]] = set()
    files: list[str] = []
    keys, make = KEYS[kind], _ROW[kind]
    for item in expand(paths, suffixes):
        name = Path(name_of(item)).name
        files.append(name)
        cells = _cells(item, fmt)
        h = _header(cells)
        if h is None:
            for col in REQUIRED[kind]:
                rej.add(name, 1, col, None, "missing_column")
            continue
        head = [HEADERS.get(_key(c), _key(c)) for c in cells[h]]
        missing = [c for c in REQUIRED[kind] if c not in head]
        if missing:
            for col in missing:
                rej.add(name, h + 1, col, None, "missing_column")
            continue
        for i in range(h + 1, len(cells)):
            row = dict(zip(head, cells[i], strict=False))
            if not any(v.strip() for v in row.values()):
                continue
            try:
                rec = make(row)
            except _Bad as bad:
                rej.add(name, i + 1, bad.fld, bad.value, bad.reason)
                continue
            k = tuple(rec[c] for c in keys)
            if k in seen:
                rej.add(
                    name, i + 1, keys[-1] if len(keys) > 1 else keys[0], "/".join(map(str, k)), "duplicate_id"
                )
                continue
            seen.add(k)
            records.append(rec)
            where.append((name, i + 1))
    rows = pd.DataFrame(records, columns=list(COLUMNS[kind]))
    return RegistryBatch(kind, rows, rej.frame(), files, where)
