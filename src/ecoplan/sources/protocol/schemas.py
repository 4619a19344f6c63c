"""Per-CN schemas of the data area, and :func:`validate` (spec §5.3, §6.2, §25.5–25.6, §11 item 1).

For every command of HJ 212-2017 Table 9 (spec §6.2) and HJ 212-2025 Table 12 (spec
§25.5), in each direction it is used (↓ platform → device request or notification, ↑
device → platform upload or reply), the fields its data area requires and allows, read
from the Annex C examples the spec condenses (2017 C.1–C.50; 2025 C1–C63 as mapped by
[C25]). Field types and ranges are HJ 212-2017 Table 4 (spec §5.3) with 2025's additions
(§25.6): ``RtdInterval`` 30–3600 s, ``MinInterval`` one of 1, 2, 3, 4, 5, 6, 10, 12, 15,
20, 30, ``OverTime``/``ReCount`` 1–99, ``Ctime`` 1–24, ``Stime`` 1–120, ``SBx-RS`` N1,
``SBx-RT`` 0–24 h, ``-Flag`` a Table 8 letter, ``-EFlag`` C4, ``-SN`` C24, CP ≤ 950 (Table 3).

:func:`validate` never raises on peer input; it returns :class:`Issue` s, each ``error``
or ``warning``:

- **lenient** (default, spec §11 item 1 "Lenient"): what a real receiver must still
  accept is a warning — unknown CN or field, a CN of another edition, a 17-digit
  DataTime (2005-era, [PKT 30]), a CP over 950 characters, an out-of-range interval, a
  flag letter outside Table 8 (2005's ``P``); a missing required field or a value that
  does not parse is an error;
- **strict** (§11 item 1 "Strict"): every issue is an error, and the header is checked
  too (QN 17 digits, a Flag present, MN 24 characters 0-9A-F from 2017 on, PW 6
  characters, a known ST).

Sources and UNCONFIRMED points: the 2005-only commands (2072 …) and vendor CNs have no
schema (warning ``unknown_cn``); 2025's C63 retention-info upload has no known CN
(spec §25.5) and is not modelled; the ``pxxxxx``/``dxxxxx`` kinds of ST 44/45 are the
2011 kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from ecoplan.sources.protocol.codes import CN_CODES, ST_CODES, DataFlag, ExeRtn, QnRtn
from ecoplan.sources.protocol.segment import CP_MAX, Field, Segment, int_text, parse_time

__all__ = [
    "DOWN",
    "SCHEMAS",
    "UP",
    "Direction",
    "Issue",
    "Level",
    "Schema",
    "schema_for",
    "validate",
]

Direction = Literal["down", "up"]
Level = Literal["error", "warning"]
DOWN: Final = "down"
UP: Final = "up"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: ``code`` is stable (``missing_field``, ``unknown_field``, ``bad_value``,
    ``out_of_range``, ``unknown_cn``, ``cn_not_in_edition``, ``cp_too_long``,
    ``bad_header``, ``time_with_ms``, ``unknown_flag``), ``field`` the key concerned."""

    level: Level
    code: str
    field: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class Schema:
    """The data area of CN ``cn`` sent in ``direction``: ``required`` and ``optional``
    plain keys, and the ``kinds`` allowed after a factor code (``w01018-<kind>``);
    ``any_plain`` lets unknown plain keys through (2005 replies carry QN and CN in CP)."""

    cn: str
    direction: Direction
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    editions: tuple[str, ...] = ("2017", "2025")
    note: str = ""

    @property
    def allowed(self) -> frozenset[str]:
        return self.required | self.optional


def _s(
    cn: str,
    direction: Direction,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
    kinds: Iterable[str] = (),
    editions: tuple[str, ...] = ("2017", "2025"),
    note: str = "",
) -> Schema:
    return Schema(cn, direction, frozenset(required), frozenset(optional), frozenset(kinds), editions, note)


_E25: Final = ("2025",)
_E17: Final = ("2017",)
#: Kinds of real-time data (C.10/C.14; 2025 C14, C36–C38), with the 2005-era ZsRtd.
_RTD: Final = ("Rtd", "Flag", "EFlag", "SampleTime", "ZsRtd")
#: Kinds of minute/hour/day data (C.16–C.18); 2025 adds RawAvg (Annex C p.59); noise.
_STATS: Final = (
    "Cou", "Min", "Avg", "Max", "ZsMin", "ZsAvg", "ZsMax", "Flag", "EFlag", "RawAvg",
    "Data", "DayData", "NightData",
)  # fmt: skip
_HISTORY: Final = ("BeginTime", "EndTime")
_POL: Final = ("PolId",)

#: Every schema, by (CN, direction); spec §6.2 (2017 Table 9) and §25.5 (2025 Table 12).
SCHEMAS: Final[dict[tuple[str, str], Schema]] = {
    (s.cn, s.direction): s
    for s in (
        # 1xxx initialisation and parameters
        _s("1000", DOWN, ("OverTime", "ReCount"), note="C.1; 2025 C1"),
        _s("1001", UP, kinds=("Info",), editions=_E25, note="2025 C2: i23005–i23008"),
        _s("1002", DOWN, kinds=("Info",), editions=_E25, note="2025 C3: i23005-Info"),
        _s("1011", DOWN, (), _POL, note="C.2; 2025 C4"),
        _s("1011", UP, ("SystemTime",), _POL, note="C.2"),
        _s("1012", DOWN, ("SystemTime",), _POL, note="C.3"),
        _s("1013", UP, (), _POL, note="C.4: notification"),
        _s("1014", UP, ("SKCreateTime",), editions=_E25, note="2025 C7"),
        _s("1014", DOWN, ("SKCreateTime", "NewSK"), editions=_E25, note="2025 C8"),
        _s("1061", DOWN, note="C.5"),
        _s("1061", UP, ("RtdInterval",), note="C.5"),
        _s("1062", DOWN, ("RtdInterval",), note="C.6"),
        _s("1063", DOWN, note="C.7"),
        _s("1063", UP, ("MinInterval",), note="C.7"),
        _s("1064", DOWN, ("MinInterval",), note="C.8"),
        _s("1072", DOWN, ("NewPW",), note="C.9"),
        # 2xxx data
        _s("2011", DOWN, (), _HISTORY, note="C.10; 2025 C39/C40 with BeginTime/EndTime (ST 44)"),
        _s("2011", UP, ("DataTime",), kinds=_RTD, note="C.14"),
        _s("2012", DOWN, note="C.11: notification"),
        _s("2013", DOWN, _HISTORY, editions=_E25, note="2025 C27"),
        _s(
            "2013",
            UP,
            ("DataTime",),
            kinds=("SampleTime", "CompleteTime", "SampleType", "Avg", "Info", "Flag", "EFlag"),
            editions=_E25,
            note="2025 C28",
        ),
        _s("2021", DOWN, note="C.12"),
        _s("2021", UP, ("DataTime",), kinds=("RS",), note="C.15"),
        _s("2022", DOWN, note="C.13: notification"),
        _s("2031", DOWN, _HISTORY, note="C.22"),
        _s("2031", UP, ("DataTime",), kinds=_STATS, note="C.18"),
        _s("2041", DOWN, _HISTORY, note="C.23"),
        _s("2041", UP, ("DataTime",), kinds=("RT",), note="C.19"),
        _s("2051", DOWN, _HISTORY, note="C.20"),
        _s("2051", UP, ("DataTime",), kinds=_STATS, note="C.16"),
        _s("2052", UP, ("DataTime",), kinds=("Data", "Flag"), editions=_E25, note="2025 C34"),
        _s("2061", DOWN, _HISTORY, note="C.21"),
        _s("2061", UP, ("DataTime",), kinds=_STATS, note="C.17"),
        _s("2062", DOWN, _HISTORY, editions=_E25, note="2025 C59"),
        _s(
            "2062",
            UP,
            ("DataTime",),
            kinds=("SampleRd", "StandardValue", "ResultType", "Flag"),
            editions=_E25,
            note="2025 C60",
        ),
        _s("2081", UP, ("DataTime", "RestartTime"), note="C.24"),
        _s("2111", UP, ("DataTime",), kinds=("Avg", "Flag"), editions=_E25, note="2025 C31"),
        # 3xxx control
        _s("3011", DOWN, _POL, ("CalibrationType",), note="C.30; 2025 C41 adds CalibrationType"),
        _s("3012", DOWN, _POL, note="C.31"),
        _s("3013", DOWN, _POL, note="C.32"),
        _s("3014", DOWN, _POL, editions=_E17, note="C.33"),
        _s("3015", DOWN, _POL, editions=_E17, note="C.34"),
        _s("3015", UP, ("DataTime", "VaseNo"), _POL, editions=_E17, note="C.34"),
        _s("3016", DOWN, ("PolId", "CstartTime", "Ctime"), editions=_E17, note="C.35"),
        _s("3017", DOWN, _POL, editions=_E17, note="C.36"),
        _s("3017", UP, ("PolId", "CstartTime", "Ctime"), editions=_E17, note="C.36"),
        _s("3018", DOWN, _POL, note="C.37"),
        _s("3018", UP, ("PolId", "Stime"), note="C.37"),
        _s("3019", DOWN, _POL, note="C.38"),
        _s("3019", UP, _POL, kinds=("SN",), note="C.38"),
        _s("3020", DOWN, ("PolId", "InfoId"), _HISTORY, note="C.39–C.44; 2025 C45–C52"),
        _s("3020", UP, ("DataTime",), _POL, kinds=("Info",), note="C.39–C.44"),
        _s("3021", DOWN, ("PolId", "InfoId"), kinds=("Info",), note="C.45; 2025 C53"),
        _s("3022", DOWN, _POL, editions=_E25, note="2025 C62"),
        _s("3024", DOWN, _POL, editions=_E25, note="2025 C61"),
        # 9xxx interaction
        _s("9011", UP, ("QnRtn",), note="spec §7.2"),
        _s("9012", UP, ("ExeRtn",), note="spec §7.2"),
        _s("9013", UP, note="spec §7.2"),
        _s("9013", DOWN, note="spec §7.2"),
        _s("9014", UP, note="spec §7.2"),
        _s("9014", DOWN, note="spec §7.2"),
        _s("9015", UP, editions=_E25, note="2025 Table 12, C54: CP=&&&&"),
    )
}

#: Fields of 2005 replies and heartbeats seen in real traffic (spec §7.2, [PKT 36, 37]).
_LENIENT_PLAIN: Final = frozenset({"QN", "CN", "DataTime", "CON-RT"})

_MIN_INTERVALS: Final = frozenset({1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30})
_HEX24: Final = re.compile(r"[0-9A-F]{24}")
_TIME14: Final = re.compile(r"[0-9]{14}")
_TIME17: Final = re.compile(r"[0-9]{17}")
#: Plain keys → (type, bounds); §5.3 Table 4 and §25.6.
_PLAIN_TYPES: Final[dict[str, tuple[str, tuple[int, int] | None]]] = {
    "SystemTime": ("time", None),
    "RestartTime": ("time", None),
    "DataTime": ("time", None),
    "BeginTime": ("time", None),
    "EndTime": ("time", None),
    "SKCreateTime": ("qn", None),
    "QnRtn": ("qnrtn", None),
    "ExeRtn": ("exertn", None),
    "RtdInterval": ("int", (30, 3600)),
    "MinInterval": ("minint", None),
    "OverTime": ("int", (1, 99)),
    "ReCount": ("int", (1, 99)),
    "VaseNo": ("int", (0, 99)),
    "CstartTime": ("hhmmss", None),
    "Ctime": ("int", (1, 24)),
    "Stime": ("int", (1, 120)),
    "CalibrationType": ("int", (0, 1)),
    "PolId": ("c6", None),
    "InfoId": ("c6", None),
    "NewPW": ("c6", None),
    "NewSK": ("key", None),
}
_NUM_KINDS: Final = frozenset(
    {"Rtd", "Min", "Avg", "Max", "Cou", "ZsRtd", "ZsMin", "ZsAvg", "ZsMax", "RawAvg",
     "Data", "DayData", "NightData", "SampleRd", "StandardValue"}
)  # fmt: skip


def schema_for(cn: str | None, direction: Direction) -> Schema | None:
    """The schema of ``cn`` in ``direction``, or None."""
    return None if cn is None else SCHEMAS.get((cn, direction))


def _directions(seg: Segment) -> list[Schema]:
    return [s for d in (UP, DOWN) if (s := schema_for(seg.cn, d)) is not None]


def _pick(seg: Segment, candidates: list[Schema]) -> Schema:
    """The schema the area fits best (an upload and its request share a CN): the fewest
    missing and foreign fields; on a tie the upload."""
    plain = {f.kind for f in seg.cp.fields if not f.code}
    kinds = [f.kind for f in seg.cp.fields if f.code]

    def score(s: Schema) -> int:
        return len(s.required - plain) + len(plain - s.allowed) + sum(k not in s.kinds for k in kinds)

    return min(candidates, key=score)


class _Checker:
    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.issues: list[Issue] = []

    def error(self, code: str, key: str | None, detail: str) -> None:
        self.issues.append(Issue("error", code, key, detail))

    def soft(self, code: str, key: str | None, detail: str) -> None:
        """An error when strict, a warning when lenient."""
        self.issues.append(Issue("error" if self.strict else "warning", code, key, detail))

    def time(self, key: str, text: str, *, qn: bool = False) -> None:
        if qn:
            if not _TIME17.fullmatch(text):
                self.error("bad_value", key, f"{key}={text!r} is not YYYYMMDDhhmmsszzz")
            return
        if _TIME14.fullmatch(text):
            if parse_time(text) is None:
                self.error("bad_value", key, f"{key}={text!r} is not a date and time")
        elif _TIME17.fullmatch(text):
            self.soft("time_with_ms", key, f"{key}={text!r} has milliseconds (2005-era, §5.2)")
        else:
            self.error("bad_value", key, f"{key}={text!r} is not N14 YYYYMMDDhhmmss")

    def integer(self, key: str, text: str, bounds: tuple[int, int] | None) -> int | None:
        n = int_text(text)
        if n is None:
            self.error("bad_value", key, f"{key}={text[:20]!r} is not an integer")
            return None
        if bounds is not None and not bounds[0] <= n <= bounds[1]:
            self.soft("out_of_range", key, f"{key}={n} outside {bounds[0]}..{bounds[1]}")
        return n

    def plain(self, f: Field) -> None:
        text = (f.text or "").strip()
        spec = _PLAIN_TYPES.get(f.kind)
        if spec is None:
            return
        kind, bounds = spec
        if kind == "time":
            self.time(f.kind, text)
        elif kind == "qn":
            self.time(f.kind, text, qn=True)
        elif kind in ("qnrtn", "exertn"):
            n = self.integer(f.kind, text, None)
            table: type[QnRtn] | type[ExeRtn] = QnRtn if kind == "qnrtn" else ExeRtn
            if n is not None and n not in {int(v) for v in table}:
                self.soft("out_of_range", f.kind, f"{f.kind}={n} is not in the table (§6.3)")
        elif kind == "int":
            self.integer(f.kind, text, bounds)
        elif kind == "minint":
            n = self.integer(f.kind, text, None)
            if n is not None and n not in _MIN_INTERVALS:
                self.soft("out_of_range", f.kind, f"MinInterval={n} not one of {sorted(_MIN_INTERVALS)}")
        elif kind == "hhmmss":
            ok = len(text) == 6 and int_text(text) is not None
            if not ok or int(text[:2]) >= 24 or int(text[2:4]) >= 60 or int(text[4:]) >= 60:
                self.error("bad_value", f.kind, f"{f.kind}={text!r} is not hhmmss")
        elif kind == "c6":
            if not text or len(text) > 6:
                self.soft("bad_value", f.kind, f"{f.kind}={text!r} is not 1–6 characters (C6)")
        elif kind == "key" and len(text.encode("utf-8")) != 16:
            self.error("bad_value", f.kind, f"{f.kind} is not 16 characters (§25.4)")

    def coded(self, f: Field) -> None:
        text = (f.text or "").strip()
        key = f.key.strip()
        if f.kind in _NUM_KINDS:
            try:
                if not Decimal(text).is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.error("bad_value", key, f"{key}={text!r} is not a number")
        elif f.kind == "Flag":
            if text not in {m.value for m in DataFlag}:
                self.soft("unknown_flag", key, f"{key}={text!r} is not a Table 8 flag (§6.4)")
        elif f.kind == "EFlag":
            if len(text) > 4:
                self.soft("bad_value", key, f"{key}={text!r} longer than C4")
        elif f.kind in ("SampleTime", "CompleteTime"):
            self.time(key, text)
        elif f.kind == "RS":
            self.integer(key, text, (0, 9))
        elif f.kind == "RT":
            try:
                hours = Decimal(text)
            except InvalidOperation:
                self.error("bad_value", key, f"{key}={text!r} is not a number")
                return
            if not (hours.is_finite() and 0 <= hours <= 24):
                self.soft("out_of_range", key, f"{key}={text} outside 0..24 h")
        elif f.kind in ("ResultType", "SampleType"):
            self.integer(key, text, None)
        elif f.kind == "SN" and not _HEX24.fullmatch(text):
            self.soft("bad_value", key, f"{key}={text!r} is not 24 characters 0-9A-F (EPC-96)")

    def header(self, seg: Segment, edition: str) -> None:
        if not self.strict:
            return
        if seg.qn_time is None:
            self.error("bad_header", "QN", f"QN {seg.qn!r} is not YYYYMMDDhhmmsszzz (§4)")
        if seg.flag is None:
            self.error("bad_header", "Flag", "no Flag (2005 style)")
        registering = seg.cn == "9013" and seg.mn == "" and edition == "2025"  # 2025 C2: reply to 1001
        if edition != "2005" and not registering and (seg.mn is None or not _HEX24.fullmatch(seg.mn)):
            self.error("bad_header", "MN", f"MN {seg.mn!r} is not 24 characters 0-9A-F (§4)")
        if seg.pw is None or len(seg.pw) != 6:
            self.error("bad_header", "PW", f"PW {seg.pw!r} is not 6 characters (§4)")
        if seg.st is None or seg.st not in ST_CODES:
            self.error("bad_header", "ST", f"ST {seg.st!r} is not in Table 5 / Table 7")


def validate(
    segment: Segment, edition: str | None = None, *, strict: bool = False, direction: Direction | None = None
) -> list[Issue]:
    """The issues of ``segment`` read as ``edition`` (None = its Flag's; 2005 is read by
    the 2017 schemas). ``direction``: ``up``/``down`` when known, else the schema the area
    fits best. Never raises on what a peer sent."""
    check = _Checker(strict)
    ed = edition or segment.edition or "2017"
    check.header(segment, ed)
    area = segment.cp
    if area.ciphertext is not None:
        check.soft("encrypted", None, "the data area is SM4 ciphertext; nothing to check")
        return check.issues
    size = len(area.encode().encode("utf-8")) + len("CP=&&&&")
    if size > CP_MAX:
        check.soft("cp_too_long", "CP", f"CP is {size} characters > {CP_MAX} (Table 3)")
    info = CN_CODES.get(segment.cn or "")
    if info is None:
        check.soft("unknown_cn", "CN", f"CN {segment.cn!r} is in no table (§6.2: accept and log)")
    elif ed in ("2017", "2025") and ed not in info.editions:
        check.soft("cn_not_in_edition", "CN", f"CN {segment.cn} is not in the {ed} table")
    candidates = (
        [s for s in _directions(segment) if s.direction == direction] if direction else _directions(segment)
    )
    fields = area.fields
    for f in fields:
        if f.text is None:
            check.soft("bad_value", f.key.strip() or None, f"piece {f.key!r} has no '='")
        elif f.code:
            check.coded(f)
        else:
            check.plain(f)
    if not candidates:
        return check.issues
    schema = _pick(segment, candidates)
    present = {f.kind for f in fields if not f.code and f.text is not None}
    for key in sorted(schema.required - present):
        check.error("missing_field", key, f"CN {schema.cn} ({schema.direction}) needs {key} ({schema.note})")
    last_code = ""
    for f in fields:
        if f.code:
            last_code = f.code
            if f.kind not in schema.kinds:
                check.soft(
                    "unknown_field", f.key.strip(), f"{f.key.strip()} is not a field of CN {schema.cn}"
                )
        elif f.kind not in schema.allowed and f.text is not None:
            if f.kind == "Flag" and last_code:
                continue  # a bare Flag after a factor ([PKT 28], §5.1)
            if f.kind in _LENIENT_PLAIN and not strict and ed == "2005":
                continue
            check.soft("unknown_field", f.kind, f"{f.kind} is not a field of CN {schema.cn}")
    return check.issues
