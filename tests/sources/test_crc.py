"""The CRC16 of HJ 212 Annex A against spec §3.3 (verified examples) and §3.4 (pitfalls)."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.sources.protocol import crc as crc_mod
from ecoplan.sources.protocol.crc import (
    crc16,
    crc16_bitwise,
    crc16_hex,
    crc16_modbus,
    crc16_modbus_swapped,
    crc_variant,
)

# spec §3.3: segment, HJ 212 CRC, CRC-16/MODBUS of the same bytes
EXAMPLES = [
    (
        b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
        b"CP=&&RtdInterval=30&&",
        0x1C80,
        0x0759,
    ),
    (b"QN=20210412154520280;ST=21;CN=9014;PW=123456;MN=DXCBZ000000005;Flag=5;CP=&&&&", 0x0140, 0x6244),
    (
        b"ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;"
        b"B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&",
        0x4980,
        0x264D,
    ),
    (b"123456789", 0x2F80, 0x4B37),
    (b"A", 0x7080, 0x707F),
    # spec §25.2: the 2025 Annex A.1 example
    (
        b"QN=20240601085857223;ST=32;CN=1011;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&&&",
        0x2200,
        0xCCF4,
    ),
]


def test_doctests() -> None:
    assert doctest.testmod(crc_mod).failed == 0


@pytest.mark.parametrize(("data", "hj212", "modbus"), EXAMPLES)
def test_verified_examples(data: bytes, hj212: int, modbus: int) -> None:
    assert crc16(data) == crc16_bitwise(data) == hj212
    assert crc16_modbus(data) == modbus
    assert crc16_hex(data) == f"{hj212:04X}"


def test_example_lengths_and_empty() -> None:
    assert [len(e[0]) for e in EXAMPLES[:3]] == [101, 77, 139]
    assert crc16(b"") == 0xFFFF


def test_annex_a_typo_1c08_is_not_the_crc() -> None:
    """§3.4: the 2017 prose misprints 1C08; the packet's 1C80 is right."""
    got = crc16_hex(EXAMPLES[0][0])
    assert got == "1C80" and got != "1C08"


def test_modbus_is_not_hj212_and_variants_are_diagnosed() -> None:
    """§3.4: ``crc ^= byte`` (Modbus) and swapped Modbus exist in the field; they are told apart."""
    data = EXAMPLES[1][0]
    assert crc16_modbus(data) != crc16(data)
    assert crc_variant(data, crc16_modbus(data)) == "modbus"
    assert crc_variant(data, crc16_modbus_swapped(data)) == "modbus_swapped"
    assert crc_variant(data, crc16(data)) is None
    assert crc16_modbus_swapped(data) == 0x4462


@given(st.binary(max_size=300))
def test_table_equals_annex_a_loop(data: bytes) -> None:
    assert crc16(data) == crc16_bitwise(data)


@given(st.binary(min_size=1, max_size=200))
def test_low_byte_property(data: bytes) -> None:
    """§3.2 "Properties": the low byte of a non-empty segment's CRC is one of 8 values."""
    assert crc16(data) & 0xFF in {0x00, 0x01, 0x40, 0x41, 0x80, 0x81, 0xC0, 0xC1}


@given(st.binary(min_size=1, max_size=200), st.data())
def test_single_byte_substitution_detected(data: bytes, draw: st.DataObject) -> None:
    """§3.2: every single-byte substitution is detected."""
    i = draw.draw(st.integers(0, len(data) - 1))
    b = draw.draw(st.integers(0, 255).filter(lambda x: x != data[i]))
    assert crc16(data[:i] + bytes([b]) + data[i + 1 :]) != crc16(data)
