"""Fuzzing the decoder, the parser, SM4 opening, the schemas and the decode path: no crash
(only the documented events and :class:`RemoteProtocolError`), bounded memory, chunking
invariance.

A quick 2,000-input run is in the normal suite; ``@pytest.mark.slow`` runs ≥ 1,000,000
inputs (``pytest -m slow tests/sources/test_fuzz.py``).
"""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sources.packets import PACKETS, PACKETS_2025

from ecoplan.sources.protocol.crypto import KeyRing, open_frame
from ecoplan.sources.protocol.decoding import area_json, decode_packet, header_json
from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.frame import DEFAULT_CAP, Frame, FrameDecoder, FrameError, encode_frame
from ecoplan.sources.protocol.schemas import validate
from ecoplan.sources.protocol.segment import Segment

_SEEDS = [p + b"\r\n" for p in PACKETS + PACKETS_2025] or [
    encode_frame(b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=A;Flag=5;CP=&&RtdInterval=30&&")
]
#: Tokens the byte alphabet rarely forms: non-ASCII digits ("²", Arabic-Indic 3), a number
#: int() refuses (> 4300 digits), one beyond a double.
_ODD = (b"\xc2\xb2", b"\xd9\xa3", b"9" * 4400, b"1E+999")
_RING = KeyRing()
_RING.add("010000A8900016F000169DC0", b"0" * 16)
_ALPHABET = b"#&;,=-\r\n0123456789ABCDEFabcdefCPQNSTFlag{}x \x00\xff"


def mutate(rng: random.Random) -> bytes:
    """A real packet (or two) with random edits, or plain random bytes."""
    pick = rng.random()
    if pick < 0.1:
        return bytes(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 200)))
    data = bytearray(rng.choice(_SEEDS))
    if pick < 0.2:
        data += rng.choice(_SEEDS)
    for _ in range(rng.randrange(0, 4)):
        op = rng.randrange(4) if rng.random() > 0.05 else 4
        at = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(at, len(data) - 1)] = rng.choice(_ALPHABET)
        elif op == 1:
            data[at:at] = bytes(rng.choice(_ALPHABET) for _ in range(rng.randrange(1, 6)))
        elif op == 2:
            del data[at : at + rng.randrange(1, 8)]
        elif op == 3:
            data = data[:at]
        else:
            data[at:at] = rng.choice(_ODD)
    return bytes(data)


def check(data: bytes, rng: random.Random, *, deep: bool = True) -> tuple[int, int]:
    """Decode ``data`` whole and in random chunks; parse every frame; return (frames, errors).

    ``deep``: also open every frame (SM4), validate it and run the first line through the
    decode path."""
    decoder = FrameDecoder()
    events = decoder.feed(data) + decoder.close()
    assert decoder.buffered == 0
    chunked = FrameDecoder()
    again = []
    at = 0
    while at < len(data):
        size = rng.randrange(1, 40)
        again += chunked.feed(data[at : at + size])
        assert chunked.buffered <= DEFAULT_CAP
        at += size
    assert again + chunked.close() == events
    covered = 0
    frames = 0
    for event in events:
        assert isinstance(event, Frame | FrameError)
        if isinstance(event, Frame):
            frames += 1
            covered += len(event.raw)
            opened = (
                open_frame(event, _RING) if deep else None
            )  # SM4 with the Annex A.2 key, CRC over the plaintext
            assert opened is None or opened.ok == (opened.reason is None) == (opened.segment is not None)
            if opened is not None and opened.segment is not None:
                for strict in (False, True):
                    assert all(
                        i.level in ("error", "warning") for i in validate(opened.segment, strict=strict)
                    )
            try:
                seg = Segment.parse(event.segment)
            except RemoteProtocolError:
                continue
            assert seg.to_bytes() == event.segment
        elif event.reason == "garbage":
            covered += event.size
    assert covered <= len(data)
    if deep:
        line = decode_packet(data.split(b"\n", 1)[0], keys=_RING)  # the decode command's path
        assert line.ok == (line.reason is None)
        shown = line.segment or line.header
        if shown is not None:  # the decode command's JSON always serialises
            json.dumps({**header_json(shown), "cp": area_json(shown.cp)})
    return frames, len(events) - frames


def run(n: int, seed: int, *, deep_every: int = 1) -> tuple[int, int]:
    """``n`` inputs; every ``deep_every``-th gets the deep checks of :func:`check`."""
    rng = random.Random(seed)
    frames = errors = 0
    for i in range(n):
        f, e = check(mutate(rng), rng, deep=i % deep_every == 0)
        frames += f
        errors += e
    return frames, errors


def test_quick_fuzz_2000() -> None:
    frames, errors = run(2000, seed=212)
    assert frames > 200 and errors > 200  # both paths exercised


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.randoms(use_true_random=False))
def test_hypothesis_bytes(data: bytes, rng: random.Random) -> None:
    check(data, rng)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_parser_never_crashes(text: str) -> None:
    try:
        seg = Segment.parse(text)
    except RemoteProtocolError:
        return
    assert seg.encode() == text


@pytest.mark.slow
def test_fuzz_one_million() -> None:
    frames, errors = run(1_000_000, seed=11, deep_every=4)  # 250,000 through SM4, schemas, decode
    assert frames + errors > 1_000_000
