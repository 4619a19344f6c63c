"""The data segment (数据段) and its data area (数据区), spec §4–5 and §25.3.

HJ 212-2017 §6.3.2 Table 3 / Figure 4 (2025: §6.3.3 Table 3 adds ``RF``)::

    QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;][RF=1;]CP=&&<data area>&&

:meth:`Segment.parse` is lenient as the spec recommends (§4, §5.1): fields in any order
([PKT 4] puts MN before PW), absent QN/Flag (2005 style), unknown header fields kept,
non-standard QN/PNUM texts kept as text; every parsed segment re-encodes **byte for
byte** (:meth:`Segment.encode`). :meth:`Segment.build` makes a canonical segment.

The data area (§5.1): items separated by ``;``, the pairs of one item by ``,``, a key and
its value by ``=``; the area is opened and closed by ``&&`` (``CP=&&&&`` is empty) and
ends at the **last** ``&&``. :class:`DataArea` keeps the exact structure (trailing ``;``,
spaces, bare ``Flag=N`` [PKT 5, 28]) and gives typed values per the field dictionary of
§5.3 (:func:`parse_value`) and per-factor groups (:meth:`DataArea.factors`). An SM4
encrypted area (``{0xE4,…}`` + plaintext remainder, §25.4) is kept as ``ciphertext``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Final

from ecoplan.sources.protocol.codes import DataFlag, ExeRtn, QnRtn
from ecoplan.sources.protocol.errors import LocalProtocolError, RemoteProtocolError

__all__ = [
    "CP_MAX",
    "EDITIONS",
    "HEADER_ORDER",
    "DataArea",
    "Field",
    "Flag",
    "Segment",
    "format_qn",
    "format_time",
    "int_text",
    "parse_qn",
    "parse_time",
    "parse_value",
]

#: Header fields in the order of Figure 4 (2017) with 2025's RF after PNO (§25.3).
HEADER_ORDER: Final = ("QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO", "RF")
#: Version bits V5..V0 → edition (§4 "Flag bits", §25.3).
EDITIONS: Final = {0: "2005", 1: "2017", 2: "2025"}
#: CP limit 0 ≤ n ≤ 950 (Table 3, unchanged in 2025); enforced only by :meth:`Segment.encode`'s ``strict``.
CP_MAX: Final = 950

_QN_RE: Final = re.compile(r"[0-9]{17}")
_TIME_KEYS: Final = frozenset(
    {"DataTime", "SystemTime", "BeginTime", "EndTime", "RestartTime", "SKCreateTime", "AlarmTime"}
)
_TIME_KINDS: Final = frozenset({"SampleTime", "CompleteTime"})
#: §5.3 numeric value kinds (Nm.n), with 2025's RawAvg, SampleRd, StandardValue (§25.6).
_NUMBER_KINDS: Final = frozenset(
    {
        "Rtd", "Min", "Avg", "Max", "Cou", "ZsRtd", "ZsMin", "ZsAvg", "ZsMax", "RawAvg",
        "Data", "DayData", "NightData", "RT", "SampleRd", "StandardValue", "Ala",
    }
)  # fmt: skip
#: §5.3 integer fields (Nn).
_INT_KEYS: Final = frozenset(
    {"RtdInterval", "MinInterval", "OverTime", "ReCount", "VaseNo", "Ctime", "Stime"}
)
_INT_KINDS: Final = frozenset({"RS", "ResultType", "SampleType"})
_BAD_KEY: Final = re.compile(r"[;,=&]")
#: The most digits an integer field is read from (a Nm.n value is at most 18 characters, §5.2).
MAX_INT_DIGITS: Final = 18


def int_text(text: str, max_digits: int = MAX_INT_DIGITS) -> int | None:
    """The integer written as ``text``: ASCII digits only, at most ``max_digits`` of them;
    else None (``"²".isdigit()`` is true and a 5000-digit text would exhaust ``int``).

    >>> int_text("0030"), int_text("²"), int_text("9" * 19), int_text("-1")
    (30, None, None, None)
    """
    if not 0 < len(text) <= max_digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)


# --- times ------------------------------------------------------------------------------


def parse_qn(text: str) -> datetime | None:
    """QN ``YYYYMMDDhhmmsszzz`` (§4 Table 3) → datetime with milliseconds, or None.

    >>> parse_qn("20160801085857223")
    datetime.datetime(2016, 8, 1, 8, 58, 57, 223000)
    >>> parse_qn("1618213520280") is None  # 13-digit epoch ms [PKT 18]: kept as text
    True
    """
    if not _QN_RE.fullmatch(text):
        return None
    try:
        return datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(microsecond=int(text[14:]) * 1000)
    except ValueError:
        return None


def format_qn(when: datetime) -> str:
    """The QN text of ``when`` (milliseconds, truncated)."""
    return f"{when:%Y%m%d%H%M%S}{when.microsecond // 1000:03d}"


def parse_time(text: str) -> datetime | None:
    """An N14 time ``YYYYMMDDhhmmss`` (§5.2), or 17 digits with ms (2005-era, [PKT 30]); else None."""
    if len(text) == 17:
        return parse_qn(text)
    if len(text) != 14 or not text.isascii() or not text.isdigit():
        return None
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        return None


def format_time(when: datetime) -> str:
    """The N14 text of ``when``."""
    return f"{when:%Y%m%d%H%M%S}"


# --- Flag -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flag:
    """拆分包及应答标志 (§4 "Flag bits"; §25.3): ``V5..V0`` version, then two bits.

    Bit 1 = packet numbers present (PNUM/PNO; 2017 calls it D, 2025 calls it A);
    bit 0 = answer required (2017: A, 2025: D). Positions and meanings are the same in both
    editions, only the letters are swapped, so the API names the meanings.

    >>> Flag(7).split, Flag(7).ack, Flag(7).edition
    (True, True, '2017')
    >>> Flag(9).edition, Flag(9).split, Flag(9).ack
    ('2025', False, True)
    """

    value: int

    def __post_init__(self) -> None:
        if not 0 <= self.value <= 255:
            raise LocalProtocolError("bad_flag", f"Flag {self.value} not in 0..255", str(self.value))

    @classmethod
    def make(cls, *, version: int = 1, split: bool = False, ack: bool = False) -> Flag:
        """``(version << 2) | (split << 1) | ack``."""
        return cls((version << 2) | (int(split) << 1) | int(ack))

    @property
    def version(self) -> int:
        """V5..V0: 0 = HJ/T 212-2005, 1 = HJ 212-2017, 2 = HJ 212-2025; others kept."""
        return self.value >> 2

    @property
    def edition(self) -> str | None:
        """``"2005"``, ``"2017"``, ``"2025"`` or None for an unknown version."""
        return EDITIONS.get(self.version)

    @property
    def split(self) -> bool:
        """Bit 1: the packet carries PNUM and PNO (2017 "D", 2025 "A")."""
        return bool(self.value & 2)

    @property
    def ack(self) -> bool:
        """Bit 0: the command must be answered (2017 "A", 2025 "D")."""
        return bool(self.value & 1)


# --- data area --------------------------------------------------------------------------

Pair = tuple[str, str | None]
Item = tuple[Pair, ...]


def parse_value(key: str, text: str) -> object:
    """The typed value of ``key=text`` per §5.3 (and §25.6), or None if it does not parse.

    Times → :class:`datetime`; numeric kinds (``-Rtd``, ``-Avg``, ``-Cou``, ``-ZsRtd``…) →
    :class:`Decimal`; ``-Flag`` → :class:`DataFlag`; ``QnRtn``/``ExeRtn`` → their enums
    (int when not in the table); interval/count fields and ``SBx-RS`` → int; others → text.

    >>> parse_value("w01018-Rtd", "2.2"), parse_value("w01018-Flag", "N")
    (Decimal('2.2'), <DataFlag.N: 'N'>)
    """
    code, sep, kind = key.strip().partition("-")
    text = text.strip()
    if not sep:
        kind, code = code, ""
    if (not code and kind in _TIME_KEYS) or (code and kind in _TIME_KINDS):
        return parse_time(text)
    if code and kind in _NUMBER_KINDS:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    if kind == "Flag":
        try:
            return DataFlag(text)
        except ValueError:
            return text or None
    if kind in ("QnRtn", "ExeRtn") and not code:
        rtn = int_text(text)
        if rtn is None:
            return None
        enum_type: type[QnRtn] | type[ExeRtn] = QnRtn if kind == "QnRtn" else ExeRtn
        try:
            return enum_type(rtn)
        except ValueError:
            return rtn
    if (not code and kind in _INT_KEYS) or (code and kind in _INT_KINDS):
        return int_text(text)
    return text


@dataclass(frozen=True, slots=True)
class Field:
    """One ``key=value`` pair of the data area: ``code`` is the factor code before ``-``
    (``""`` for plain keys such as ``DataTime``), ``kind`` the part after it."""

    key: str
    text: str | None
    code: str
    kind: str

    @property
    def value(self) -> object:
        """:func:`parse_value` of the text (None for a key without ``=``)."""
        return None if self.text is None else parse_value(self.key, self.text)


def _field(pair: Pair) -> Field:
    key = pair[0].strip()
    code, sep, kind = key.partition("-")
    return Field(pair[0], pair[1], code, kind) if sep else Field(pair[0], pair[1], "", key)


def _pair(text: str) -> Pair:
    key, sep, value = text.partition("=")
    return (key, value) if sep else (key, None)


@dataclass(frozen=True, slots=True)
class DataArea:
    """指令参数 CP: ``items`` (``;``-separated), each a tuple of ``(key, value)`` pairs
    (``,``-separated; value None for a piece without ``=``). ``ciphertext``: an encrypted
    2025 area as sent (``{0x…}`` + remainder), then ``items`` is empty."""

    items: tuple[Item, ...] = ()
    ciphertext: str | None = None

    @classmethod
    def parse(cls, body: str) -> DataArea:
        """The area of ``body``, the text between the opening and the closing ``&&``."""
        if body.startswith("{0x"):
            return cls((), body)
        if not body:
            return cls()
        return cls(tuple(tuple(_pair(p) for p in item.split(",")) for item in body.split(";")))

    @classmethod
    def build(cls, groups: Iterable[Iterable[tuple[str, str]]]) -> DataArea:
        """An area from items of pairs, validated (:class:`LocalProtocolError`)."""
        area = cls(tuple(tuple((k, v) for k, v in group) for group in groups))
        area.encode()
        return area

    @property
    def pairs(self) -> tuple[Pair, ...]:
        """All pairs in order, items flattened."""
        return tuple(p for item in self.items for p in item)

    @property
    def fields(self) -> tuple[Field, ...]:
        """All pairs as :class:`Field` s, without empty pieces."""
        return tuple(_field(p) for p in self.pairs if p[0].strip() or p[1] is not None)

    def get(self, key: str) -> str | None:
        """The text of the first pair named ``key`` (spaces trimmed), or None."""
        return next((v.strip() for k, v in self.pairs if k.strip() == key and v is not None), None)

    def value(self, key: str) -> object:
        """The typed value of the first pair named ``key`` (:func:`parse_value`), or None."""
        text = self.get(key)
        return None if text is None else parse_value(key, text)

    def plain(self) -> dict[str, str]:
        """Keys without a factor code (``DataTime``, ``PolId``, ``QnRtn``…) → text (first wins)."""
        out: dict[str, str] = {}
        last_code = ""
        for f in self.fields:
            if f.code:
                last_code = f.code
            elif f.text is not None and not (f.kind == "Flag" and last_code):
                out.setdefault(f.kind, f.text.strip())
        return out

    def factors(self) -> dict[str, dict[str, str]]:
        """Factor code → {kind: text}, in order (``w01018`` → ``{"Rtd": "2.2", "Flag": "N"}``).

        A bare ``Flag=`` right after a factor's pairs is that factor's flag, as the spec
        recommends for [PKT 28] (§5.1).
        """
        out: dict[str, dict[str, str]] = {}
        last = ""
        for f in self.fields:
            if f.text is None:
                continue
            if f.code:
                out.setdefault(f.code, {}).setdefault(f.kind, f.text.strip())
                last = f.code
            elif f.kind == "Flag" and last:
                out[last].setdefault("Flag", f.text.strip())
        return out

    def encode(self) -> str:
        """The text between the ``&&`` s; :class:`LocalProtocolError` for a bad key or value."""
        if self.ciphertext is not None:
            if self.items:
                raise LocalProtocolError("bad_data_area", "both ciphertext and items", self.ciphertext)
            return self.ciphertext
        parts: list[str] = []
        for item in self.items:
            pieces: list[str] = []
            for key, value in item:
                if _BAD_KEY.search(key):
                    raise LocalProtocolError("bad_field_name", f"key {key!r} contains a separator", key)
                if value is not None and (
                    ";" in value or "," in value or "&&" in value or value.endswith("&")
                ):
                    raise LocalProtocolError("bad_value", f"value of {key!r} contains a separator", value)
                pieces.append(key if value is None else f"{key}={value}")
            parts.append(",".join(pieces))
        body = ";".join(parts)
        if body.startswith(("{0x", "&")):
            raise LocalProtocolError("bad_data_area", "area would read as ciphertext or '&&'", body)
        return body


# --- segment ----------------------------------------------------------------------------


def _int_or_text(text: str) -> int | str:
    number = int_text(text)
    return number if number is not None and str(number) == text else text


def _text(value: int | str) -> str:
    return str(value)


@dataclass(frozen=True, slots=True)
class Segment:
    """A data segment (§4 Table 3, §25.3), typed.

    ``qn``: a datetime with milliseconds when the QN is the standard 17 digits, else the
    text as sent (13-digit epoch milliseconds occur [PKT 18]); ``flag`` None when absent
    (2005 style); ``pnum``/``pno`` int when canonical, text otherwise (2005's ``0001``);
    ``rf`` the 2025 back-fill mark (``"1"``); ``extra`` unknown header fields; ``order``
    the header keys as sent (None = Figure 4's order), so that re-encoding is exact.
    """

    st: str | None
    cn: str | None
    pw: str | None = None
    mn: str | None = None
    qn: datetime | str | None = None
    flag: Flag | None = None
    pnum: int | str | None = None
    pno: int | str | None = None
    rf: str | None = None
    cp: DataArea = field(default_factory=DataArea)
    extra: tuple[tuple[str, str], ...] = ()
    order: tuple[str, ...] | None = None

    @classmethod
    def build(
        cls,
        *,
        st: str,
        cn: str,
        pw: str,
        mn: str,
        qn: datetime | None = None,
        flag: Flag | int | None = None,
        pnum: int | None = None,
        pno: int | None = None,
        rf: bool = False,
        cp: DataArea | Mapping[str, str] | None = None,
    ) -> Segment:
        """A canonical segment (Figure 4 order); a mapping ``cp`` makes one ``;``-item per key.

        :class:`LocalProtocolError` when PNUM/PNO disagree with the Flag's split bit.
        """
        if isinstance(flag, int):
            flag = Flag(flag)
        if (pnum is None) != (pno is None):
            raise LocalProtocolError("bad_split", "PNUM and PNO go together", f"{pnum}/{pno}")
        if flag is not None and flag.split != (pnum is not None):
            raise LocalProtocolError("bad_split", "Flag split bit and PNUM/PNO disagree", str(flag.value))
        area = cp if isinstance(cp, DataArea) else DataArea(tuple(((k, v),) for k, v in (cp or {}).items()))
        seg = cls(st, cn, pw, mn, qn, flag, pnum, pno, "1" if rf else None, area)
        seg.encode()
        return seg

    @classmethod
    def parse(cls, data: bytes | str) -> Segment:
        """Parse a data segment; :class:`RemoteProtocolError` when it is not one."""
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        at = text.find("CP=&&")
        if at < 0:
            raise RemoteProtocolError("no_cp", "no 'CP=&&' in the data segment", text)
        head, rest = text[:at], text[at + 5 :]
        if not rest.endswith("&&"):
            raise RemoteProtocolError("cp_not_closed", "the data area is not closed by '&&'", text)
        if head and not head.endswith(";"):
            raise RemoteProtocolError("bad_header", "header does not end with ';' before CP", text)
        values: dict[str, str] = {}
        order: list[str] = []
        for piece in head[:-1].split(";") if head else ():
            key, sep, value = piece.partition("=")
            if not sep or not key:
                raise RemoteProtocolError("bad_header", f"header piece {piece!r} is not NAME=value", text)
            if key in values:
                raise RemoteProtocolError("bad_header", f"header field {key} repeated", text)
            values[key] = value
            order.append(key)
        flag: Flag | None = None
        if "Flag" in values:
            ftext = values["Flag"]
            number = int_text(ftext, 3)
            if number is None or str(number) != ftext or number > 255:
                raise RemoteProtocolError("bad_flag", f"Flag {ftext[:8]!r} is not an integer 0..255", text)
            flag = Flag(number)
        qn_text = values.get("QN")
        qn: datetime | str | None = None
        if qn_text is not None:
            parsed = parse_qn(qn_text)
            qn = parsed if parsed is not None and format_qn(parsed) == qn_text else qn_text
        pnum = values.get("PNUM")
        pno = values.get("PNO")
        known = frozenset(HEADER_ORDER)
        seg = cls(
            st=values.get("ST"),
            cn=values.get("CN"),
            pw=values.get("PW"),
            mn=values.get("MN"),
            qn=qn,
            flag=flag,
            pnum=None if pnum is None else _int_or_text(pnum),
            pno=None if pno is None else _int_or_text(pno),
            rf=values.get("RF"),
            cp=DataArea.parse(rest[:-2]),
            extra=tuple((k, v) for k, v in values.items() if k not in known),
            order=None if tuple(order) == tuple(k for k in HEADER_ORDER if k in values) else tuple(order),
        )
        try:
            seg.encode()  # what the parser accepts, the encoder can write back
        except LocalProtocolError as exc:
            raise RemoteProtocolError(exc.reason, exc.detail, text) from None
        return seg

    def header(self) -> tuple[tuple[str, str], ...]:
        """The header pairs in the order they are encoded."""
        qn = format_qn(self.qn) if isinstance(self.qn, datetime) else self.qn
        known: dict[str, str | None] = {
            "QN": qn,
            "ST": self.st,
            "CN": self.cn,
            "PW": self.pw,
            "MN": self.mn,
            "Flag": None if self.flag is None else str(self.flag.value),
            "PNUM": None if self.pnum is None else _text(self.pnum),
            "PNO": None if self.pno is None else _text(self.pno),
            "RF": self.rf,
        }
        values = {k: v for k, v in known.items() if v is not None} | dict(self.extra)
        keys = (
            self.order
            if self.order is not None
            else (*(k for k in HEADER_ORDER if k in values), *dict(self.extra))
        )
        if sorted(keys) != sorted(values):
            raise LocalProtocolError(
                "bad_order", f"order {keys} does not list the fields {tuple(values)}", ""
            )
        return tuple((k, values[k]) for k in keys)

    def encode(self) -> str:
        """The segment text; :class:`LocalProtocolError` when a value would break the syntax."""
        out: list[str] = []
        for key, value in self.header():
            if _BAD_KEY.search(key) or not key:
                raise LocalProtocolError("bad_field_name", f"header key {key!r}", key)
            if ";" in value or "CP=&&" in value:
                raise LocalProtocolError("bad_value", f"header value of {key} contains ';' or 'CP=&&'", value)
            out.append(f"{key}={value};")
        area = self.cp.encode()
        if area.startswith("&&") or (not area and self.cp.items):
            raise LocalProtocolError("bad_data_area", "the data area would not re-parse", area)
        return "".join(out) + "CP=&&" + area + "&&"

    def to_bytes(self) -> bytes:
        """:meth:`encode` in UTF-8."""
        return self.encode().encode("utf-8")

    @property
    def edition(self) -> str | None:
        """``"2005"`` (also when Flag is absent, §4 Recommendation), ``"2017"``, ``"2025"`` or None."""
        return "2005" if self.flag is None else self.flag.edition

    @property
    def qn_time(self) -> datetime | None:
        """QN as a datetime, or None when absent or non-standard."""
        return self.qn if isinstance(self.qn, datetime) else None

    @property
    def packet_count(self) -> int | None:
        """PNUM as an integer, or None."""
        return _as_int(self.pnum)

    @property
    def packet_no(self) -> int | None:
        """PNO as an integer, or None."""
        return _as_int(self.pno)

    @property
    def is_split(self) -> bool:
        """Part of a multi-packet message: PNUM and PNO both present (the Flag bit alone is not
        enough: [PKT 5] sets it without them, §4 "Observed deviations")."""
        return self.packet_count is not None and self.packet_no is not None


def _as_int(value: int | str | None) -> int | None:
    if isinstance(value, int):
        return value
    return None if value is None else int_text(value)
