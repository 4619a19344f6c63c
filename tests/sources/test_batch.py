"""The batch decoder gives every line the verdict and fields of the per-line decoder.

Reference: :func:`decode_packet` (the path of ``ecoplan sources decode``: the
:class:`FrameDecoder` on ``line + b"\\r\\n"``, SM4, :meth:`Segment.parse`), then the data
area's ``plain()`` / ``factors()`` — called here, not taken from ``batch``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sources.packets import INVALID, PACKETS, PACKETS_2025, VALID, needs_data

from ecoplan.sources.protocol.batch import crc16_many, decode_lines
from ecoplan.sources.protocol.crc import crc16
from ecoplan.sources.protocol.crypto import Keys
from ecoplan.sources.protocol.decoding import Edition, decode_packet
from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame, FrameDecoder, encode_frame
from ecoplan.sources.protocol.segment import Segment


def reference(line: bytes, edition: Edition = "auto", keys: Keys | None = None) -> dict[str, Any]:
    """The per-line decoder (``ecoplan sources decode``'s path) on one line."""
    decoded = decode_packet(line, edition=edition, keys=keys)
    if not decoded.ok or decoded.segment is None:
        return {"ok": False, "reason": decoded.reason}
    seg = decoded.segment
    head = dict(seg.header())
    return {
        "ok": True,
        "reason": None,
        "edition": decoded.edition,
        "qn": head.get("QN"),
        "st": seg.st,
        "cn": seg.cn,
        "pw": seg.pw,
        "mn": seg.mn,
        "flag": None if seg.flag is None else seg.flag.value,
        "pnum": head.get("PNUM"),
        "pno": head.get("PNO"),
        "plain": seg.cp.plain(),
        "factors": seg.cp.factors(),
    }


def framed(line: bytes) -> tuple[bool, str | None]:
    """The bare framer and segment parser: (ok, reason) of the line's first event."""
    decoder = FrameDecoder()
    first = (decoder.feed(line + b"\r\n") + decoder.close())[0]
    if not isinstance(first, Frame):
        return False, first.reason
    try:
        Segment.parse(first.segment)
    except RemoteProtocolError as exc:
        return False, exc.reason
    return True, None


def check(
    lines: list[bytes], chunk: int = 16384, edition: Edition = "auto", keys: Keys | None = None
) -> list[dict[str, Any]]:
    decoded = decode_lines(lines, chunk=chunk, edition=edition, keys=keys)
    rows = decoded.rows()
    assert [r["line"] for r in rows] == list(range(len(lines)))
    for line, row in zip(lines, rows, strict=True):
        want = reference(line, edition, keys)
        assert {k: row[k] for k in want} == want, line
    assert decoded.accepted == sum(r["ok"] for r in rows)
    return rows


@needs_data
def test_real_packets_as_the_readme_says() -> None:
    rows = check(PACKETS + PACKETS_2025)
    for n in VALID:
        assert rows[n - 1]["ok"], n
    for n, (reason, _) in INVALID.items():
        assert rows[n - 1]["reason"] == reason, n
        assert framed(PACKETS[n - 1]) == (False, reason)  # the bare framer agrees
    later = rows[len(PACKETS) :]  # 2025: the SM4 ones need the key
    assert [r["reason"] for r in later] == [None, None, "encrypted_unverified", None, "encrypted_unverified"]
    assert [r["edition"] for r in later if r["ok"]] == ["2025"] * 3
    line2 = rows[1]  # README line 2: CN=2011, ST=32, Flag=4
    assert (line2["cn"], line2["st"], line2["flag"], line2["edition"]) == ("2011", "32", 4, "2017")


@needs_data
def test_sm4_with_the_key_and_editions() -> None:
    key = b"0" * 16  # Annex A.2: "密钥使用16个0x30"
    rows = check(PACKETS_2025, keys=lambda mn: [key])
    assert all(r["ok"] for r in rows)
    assert rows[2]["factors"] == rows[1]["factors"]  # example 2 is example 1 encrypted
    rows = check(PACKETS + PACKETS_2025, edition="2017")
    assert {r["edition"] for r in rows if r["ok"]} == {"2017"}
    check(PACKETS + PACKETS_2025, edition="2025", keys=lambda mn: [key])


@needs_data
def test_chunks_do_not_change_the_result() -> None:
    lines = (PACKETS + PACKETS_2025) * 3
    assert decode_lines(lines, chunk=7).rows() == decode_lines(lines).rows()


def test_fields_semantics_by_hand() -> None:
    seg = (
        "QN=20240601085857223;ST=32;CN=2011;PW=123456;MN=M1;Flag=5;CP=&&DataTime=20240601085800;"
        "a01-Rtd=1.5,a01-Flag=N;a01-Rtd=9;b02-Avg=3;Flag=D;x-Rtd;Flag=M;-Rtd=7;Note&&"
    )
    line = encode_frame(seg)[:-2]
    (row,) = check([line, line.replace(b";Flag=5;", b";Flag=05;")])[:1]
    assert row["plain"] == {"DataTime": "20240601085800", "Rtd": "7"}
    assert row["factors"] == {"a01": {"Rtd": "1.5", "Flag": "N"}, "b02": {"Avg": "3", "Flag": "D"}}
    assert (row["qn"], row["mn"], row["flag"], row["edition"]) == ("20240601085857223", "M1", 5, "2017")


def test_rejections_by_hand() -> None:
    good = encode_frame("ST=32;CN=2011;PW=1;MN=2;CP=&&a-Rtd=1&&")[:-2]
    rows = check(
        [
            good,
            good[:-1] + (b"0" if good[-1:] != b"0" else b"1"),  # CRC
            b"##0001" + good[6:],  # length field
            b"xx" + good,  # bytes before ## (skipped, as the receiver does)
            b"##0001ab" + good,  # a bad outer frame, then the framer finds the inner one
            encode_frame("ST=32;CN=2011;CP=&&a=1")[:-2],  # area not closed
            encode_frame("ST=32;ST=31;CP=&&&&")[:-2],  # repeated header field
            encode_frame("ST=32;CN=2011;PW=1;MN=2;CP=&&a-Rtd=1&&b&&")[:-2],  # "&&" inside the area
            b"",
        ]
    )
    assert [r["reason"] for r in rows] == [
        None,
        "bad_crc",
        "length_mismatch",
        None,
        None,
        "cp_not_closed",
        "bad_header",
        "bad_value",
        "garbage",  # an empty line: "\r\n" alone is bytes outside any packet
    ]
    assert rows[0]["edition"] == "2005"  # no Flag: 2005 style (spec §4)


def test_crc16_many_is_crc16() -> None:
    data = [b"", b"A", b"123456789", bytes(range(256)) * 3]
    assert crc16_many(data) == [crc16(d) for d in data]


_TEXT = st.text(alphabet="aAF01-=;,& .lgTx#", max_size=8)
_NAMES = st.sampled_from(["QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO", "RF", "XX", "", "S,T"])
_KEYS = st.sampled_from(
    ["DataTime", "a01-Rtd", "a01-Flag", "Flag", "w01018-Avg", "-Rtd", "b-", "Flag ", " a01-Rtd", "QN"]
)


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    header = draw(
        st.lists(
            st.tuples(_NAMES, st.one_of(_TEXT, st.sampled_from(["5", "9", "256", "05", "4"]))), max_size=6
        )
    )
    head = "".join(f"{k}={v};" if draw(st.booleans()) or k else f"{k};" for k, v in header)
    pieces = draw(st.lists(st.tuples(st.one_of(_KEYS, _TEXT), st.one_of(st.none(), _TEXT)), max_size=8))
    seps = draw(st.lists(st.sampled_from([";", ","]), min_size=len(pieces), max_size=len(pieces)))
    body = "".join(
        (s if i else "") + (k if v is None else f"{k}={v}")
        for i, ((k, v), s) in enumerate(zip(pieces, seps, strict=True))
    )
    tail = draw(st.sampled_from(["&&", "&&", "&&", "&", "&&&", ""]))
    middle = draw(st.sampled_from(["CP=&&", "CP=&&", "CP=&&", "CP=&&{0x12}", "CP=", ""]))
    segment = (head + middle + body + tail).encode()
    if draw(st.booleans()):
        segment = segment.replace(b"a", "é".encode(), 1)
    if draw(st.integers(0, 9)) == 0:
        segment = segment.replace(b"0", b"\x01", 1)
    crc = f"{crc16(segment):04X}"
    crc = draw(st.sampled_from([crc, crc, crc.lower(), "ZZZZ", "0000", crc[:3]]))
    length = draw(st.sampled_from([len(segment), len(segment), len(segment) + 1, 10000]))
    prefix = draw(st.sampled_from(["##", "##", "##", "###", "#", "x##"]))
    return f"{prefix}{length:04d}".encode() + segment + crc.encode()


_CODE = st.sampled_from(["a01", "w01018", "B01", "", "a01 ", "x-y"])
_KIND = st.sampled_from(["Rtd", "Flag", "Avg", "", "SampleTime", "Flag "])
_VALUE = st.text(alphabet="0123456789.NDM-=x", max_size=5)


@st.composite
def clean_lines(draw: st.DrawFn) -> bytes:
    """Mostly well-formed ASCII packets (the vectorised path), with the data area's corner
    cases: bare Flag, repeated keys, keys without '=', '-Rtd', empty pieces, spaces."""
    names = draw(
        st.lists(st.sampled_from(["QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO", "RF"]), unique=True)
    )
    values = {"Flag": draw(st.sampled_from(["4", "5", "9", "13", "255", "256", "05"]))}
    head = "".join(f"{k}={values.get(k) or draw(_VALUE.filter(lambda v: ';' not in v))};" for k in names)
    pieces = []
    for _ in range(draw(st.integers(0, 10))):
        code, kind = draw(_CODE), draw(_KIND)
        key = f"{code}-{kind}" if draw(st.integers(0, 5)) else kind
        pieces.append(key if draw(st.integers(0, 6)) == 0 else f"{key}={draw(_VALUE)}")
    seps = draw(st.lists(st.sampled_from([";", ","]), min_size=len(pieces), max_size=len(pieces)))
    body = "".join((s if i else "") + p for i, (p, s) in enumerate(zip(pieces, seps, strict=True)))
    if draw(st.integers(0, 9)) == 0:
        body += ";"
    segment = f"{head}CP=&&{body}&&".encode()
    crc = f"{crc16(segment):04X}"
    crc = draw(st.sampled_from([crc] * 8 + [crc.lower(), "0000"]))
    return f"##{len(segment):04d}".encode() + segment + crc.encode()


_BATCHES = st.lists(st.one_of(clean_lines(), clean_lines(), lines()), min_size=1, max_size=12)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BATCHES)
def test_same_verdicts_and_fields_as_the_per_frame_decoder(batch: list[bytes]) -> None:
    check(batch, chunk=5)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BATCHES)
def test_same_verdicts_and_fields_many(batch: list[bytes]) -> None:
    check(batch, chunk=7)


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_single(n: int) -> None:
    decoded = decode_lines([encode_frame("ST=32;CN=2011;CP=&&&&")[:-2]] * n)
    assert decoded.frames.num_rows == n and decoded.fields.num_rows == 0
