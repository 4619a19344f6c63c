"""One packet → a verdict and its typed content: the path of ``ecoplan sources decode``.

:func:`decode_packet` takes one packet (``##`` … CRC, with or without ``\\r\\n``) and
returns a :class:`Decoded`: ``ok`` with the plaintext :class:`Segment` (CRC verified, over
the plaintext for an SM4 area, spec §25.4), or the stable ``reason`` why not — a
:class:`~.frame.FrameDecoder` reason (``bad_crc``, ``length_mismatch``, ``garbage``,
``truncated``, …), an :func:`~.crypto.open_frame` reason (``encrypted_unverified``,
``bad_key``, ``bad_ciphertext``) or a :meth:`Segment.parse` reason (``no_cp``,
``bad_header``, …). :func:`area_json` is the data area as JSON-ready values.

Editions (spec §25.9 item 1): ``auto`` reads the edition from the Flag's version bits
(``2005`` without a Flag); ``2025`` decrypts SM4 areas and accepts the plaintext length
in the length field (§25.4 item 5); ``2017`` reads every packet as a 2017 receiver does,
so an encrypted area fails the length or CRC check (README "HJ 212-2025 packets":
"A strict 2017 framer rejects them"). Flag 8/9 in pre-2025 traffic ([PKT 3, 12]) decode
under every edition: the version bits alone say nothing about encryption.

A packet that is not UTF-8 but is GBK (Chinese simulator logs, README lines 8 and 16–24
were GBK before they were copied) is checked on its GBK bytes — length and CRC — and
decoded from GBK: ``encoding`` says ``"gbk"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final, Literal

from ecoplan.sources.protocol.crc import crc16, crc_variant
from ecoplan.sources.protocol.crypto import Keys, open_frame
from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame, FrameDecoder, FrameError
from ecoplan.sources.protocol.segment import DataArea, Segment, format_qn, parse_value

__all__ = ["EDITION_CHOICES", "Decoded", "Edition", "area_json", "decode_packet", "header_json", "json_value"]

Edition = Literal["auto", "2017", "2025"]
EDITION_CHOICES: Final = ("auto", "2017", "2025")

_LINE_RE: Final = re.compile(rb"##(\d{4})(.*)([0-9A-Fa-f]{4})", re.DOTALL)
#: Integers JSON carries as numbers: at most 18 digits (Nm.n is 18 characters at most, §5.2).
_INT_RE: Final = re.compile(r"[+-]?\d{1,18}")


@dataclass(frozen=True, slots=True)
class Decoded:
    """The verdict on one packet.

    ``segment``: the plaintext segment when ``ok``. ``header``: the segment as far as it
    parses even when not ok (its fields unverified: a ``bad_crc`` packet's MN is still
    worth counting, spec §11 item 2), None when the bytes are not a segment at all.
    ``edition``: the edition the packet was read as. ``encrypted``: an SM4 area;
    ``length_basis``: ``plaintext``/``transmitted`` for an opened SM4 packet.
    """

    ok: bool
    reason: str | None
    detail: str
    edition: str | None
    segment: Segment | None
    header: Segment | None
    encrypted: bool = False
    length_basis: str | None = None
    encoding: str = "utf-8"


def _edition(seg: Segment | None, edition: Edition) -> str | None:
    if edition != "auto":
        return edition
    return None if seg is None else seg.edition


def _best_effort(raw: bytes, encoding: str = "utf-8") -> Segment | None:
    m = _LINE_RE.fullmatch(raw.rstrip(b"\r\n"))
    if m is None:
        return None
    try:
        return Segment.parse(m.group(2).decode(encoding))
    except (RemoteProtocolError, UnicodeDecodeError):
        return None


def _gbk(raw: bytes, edition: Edition) -> Decoded | None:
    """The packet read from GBK bytes (length and CRC over those bytes), or None if not GBK."""
    m = _LINE_RE.fullmatch(raw.rstrip(b"\r\n"))
    if m is None:
        return None
    data = m.group(2)
    try:
        text = data.decode("gbk")
    except UnicodeDecodeError:
        return None
    header = _best_effort(raw, "gbk")
    ed = _edition(header, edition)
    if int(m.group(1)) != len(data):
        detail = f"length field says {int(m.group(1))}, segment has {len(data)} GBK bytes"
        return Decoded(False, "length_mismatch", detail, ed, None, header, encoding="gbk")
    sent = int(m.group(3), 16)
    if crc16(data) != sent:
        variant = crc_variant(data, sent)
        how = f" ({variant} CRC, not HJ 212 Annex A)" if variant else ""
        detail = f"CRC {m.group(3).decode()} sent, {crc16(data):04X} computed{how}"
        return Decoded(False, "bad_crc", detail, ed, None, header, encoding="gbk")
    try:
        seg = Segment.parse(text)
    except RemoteProtocolError as exc:
        return Decoded(False, exc.reason, exc.detail, ed, None, header, encoding="gbk")
    return Decoded(True, None, "", _edition(seg, edition), seg, seg, encoding="gbk")


def decode_packet(raw: bytes, *, edition: Edition = "auto", keys: Keys | None = None) -> Decoded:
    """The verdict on one packet ``raw`` (a line of a packet file; ``\\r\\n`` optional).

    ``keys``: the SM4 keys of an MN, newest first (:class:`~.crypto.KeyRing`); without
    them an encrypted packet is ``encrypted_unverified``.
    """
    line = raw.rstrip(b"\r\n")
    decoder = FrameDecoder()
    events = decoder.feed(line + b"\r\n") + decoder.close()
    frames = [e for e in events if isinstance(e, Frame)]
    errors = [e for e in events if isinstance(e, FrameError) and e.reason != "garbage"]
    if not frames:
        err = errors[0] if errors else next((e for e in events if isinstance(e, FrameError)), None)
        if err is not None and err.reason == "not_utf8":
            gbk = _gbk(line, edition)
            if gbk is not None:
                return gbk
        header = _best_effort(line)
        reason, detail = (err.reason, err.detail) if err is not None else ("garbage", "no packet on the line")
        return Decoded(False, reason, detail, _edition(header, edition), None, header)
    frame = frames[0]
    if frame.encrypted and edition == "2017":
        return _as_2017(frame, line)
    opened = open_frame(frame, keys)
    ed = _edition(opened.segment or opened.header, edition)
    return Decoded(
        opened.ok,
        opened.reason,
        opened.detail,
        ed,
        opened.segment,
        opened.header,
        opened.encrypted,
        opened.length_basis,
    )


def _as_2017(frame: Frame, line: bytes) -> Decoded:
    """An SM4 packet read by a 2017 receiver: the length and CRC are over what is sent."""
    header = _best_effort(line)
    n = len(frame.segment)
    if frame.declared_length != n:
        detail = f"length field says {frame.declared_length}, segment has {n} bytes"
        return Decoded(False, "length_mismatch", detail, "2017", None, header, True)
    if crc16(frame.segment) != int(frame.crc, 16):
        detail = f"CRC {frame.crc} sent, {crc16(frame.segment):04X} computed over the ciphertext"
        return Decoded(False, "bad_crc", detail, "2017", None, header, True)
    return Decoded(False, "encrypted_unverified", "an SM4 area is not 2017", "2017", None, header, True)


# --- JSON -------------------------------------------------------------------------------

JsonValue = str | int | float | bool | None


def json_value(key: str, text: str) -> JsonValue:
    """The JSON value of ``key=text``: a number for numeric kinds (an integer when written
    as one, up to 18 digits), ISO 8601 for times, the code (``N``, ``1``) for flags and
    reply codes, the text itself when it does not parse or does not fit a double (the raw
    packet stays the evidence).

    >>> json_value("w01018-Rtd", "3.20"), json_value("a00000-Cou", "120"), json_value("a-Rtd", "1E+999")
    (3.2, 120, '1E+999')
    """
    value = parse_value(key, text)
    if value is None:
        return text.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        plain = text.strip()
        if _INT_RE.fullmatch(plain):
            return int(plain)
        number = float(value)
        # beyond a double (1E+999, 1E-999) the text stays: JSON has no Infinity
        return number if math.isfinite(number) and (number != 0 or value == 0) else plain
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, int):
        return int(value)
    return str(value)


def area_json(area: DataArea) -> dict[str, object]:
    """The data area as ``{DataTime, factors: {code: {Rtd, Avg, …, Flag}}, …other fields}``.

    ``factors`` holds every ``code-kind`` field (``w01018-Rtd``, ``SB1-RS``,
    ``i23005-Info``) grouped by code, a bare ``Flag`` after a factor included (§5.1,
    [PKT 28]); the other fields are plain keys (``DataTime``, ``QnRtn``, ``PolId``…).
    An encrypted area not opened is ``{"ciphertext": "{0x…}…"}``.
    """
    if area.ciphertext is not None:
        return {"ciphertext": area.ciphertext}
    out: dict[str, object] = {}
    plain = area.plain()
    if "DataTime" in plain:
        out["DataTime"] = json_value("DataTime", plain["DataTime"])
    factors: dict[str, dict[str, JsonValue]] = {}
    for code, kinds in area.factors().items():
        factors[code] = {kind: json_value(f"{code}-{kind}", text) for kind, text in kinds.items()}
    out["factors"] = factors
    for key, text in plain.items():
        if key != "DataTime":
            out[key] = json_value(key, text)
    return out


def header_json(seg: Segment | None) -> Mapping[str, JsonValue]:
    """``qn, st, cn, pw, mn, flag, pnum, pno`` of a segment (None for each when absent);
    ``qn`` as sent (it identifies the exchange, spec §7.2)."""
    if seg is None:
        return dict.fromkeys(("qn", "st", "cn", "pw", "mn", "flag", "pnum", "pno"))
    qn = format_qn(seg.qn) if isinstance(seg.qn, datetime) else seg.qn
    return {
        "qn": qn,
        "st": seg.st,
        "cn": seg.cn,
        "pw": seg.pw,
        "mn": seg.mn,
        "flag": None if seg.flag is None else seg.flag.value,
        "pnum": seg.pnum,
        "pno": seg.pno,
    }
