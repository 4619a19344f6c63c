"""The CRC16 of HJ 212-2017 Annex A (unchanged in HJ 212-2025 Annex A.1), spec §3.

Annex A's C code: register 0xFFFF; per byte ``crc = (crc >> 8) ^ byte`` (the byte is
XORed with the register's **high** byte — not ``crc ^= byte``, which is CRC-16/MODBUS),
then 8 times "shift right, XOR 0xA001 if the bit shifted out was 1". The value is sent as
4 hex digits, high byte first (§3.1). The table form below equals the bit loop (§3.2).

>>> crc16_hex(b"QN=20160801085857223;ST=32;CN=1062;PW=100000;"
...           b"MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&")
'1C80'
>>> crc16_hex(b"123456789"), crc16_hex(b"A"), crc16(b"")
('2F80', '7080', 65535)

The variants of §3.4 (seen in the wild, never used when encoding) are here only to
*diagnose* a bad CRC: :func:`crc16_modbus` and :func:`crc16_modbus_swapped`.

>>> f"{crc16_modbus(b'123456789'):04X}"
'4B37'
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "TABLE",
    "crc16",
    "crc16_bitwise",
    "crc16_hex",
    "crc16_modbus",
    "crc16_modbus_swapped",
    "crc_variant",
]


def _entry(i: int) -> int:
    for _ in range(8):
        i = (i >> 1) ^ 0xA001 if i & 1 else i >> 1
    return i


#: T[i]: i run through the 8 shift / XOR-0xA001 steps (spec §3.2, table form).
#: The 256-entry table of the Annex A CRC16 (reflected polynomial 0xA001), public for
#: vectorised implementations (:mod:`.batch`).
TABLE: Final = tuple(_entry(i) for i in range(256))


def crc16(data: bytes) -> int:
    """The HJ 212 CRC16 of ``data`` (Annex A), table form.

    >>> hex(crc16(b"ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&DataTime=20160824003817000;"
    ...           b"B01-Rtd=36.91;011-Rtd=231.0,011-Flag=N;060-Rtd=1.803,060-Flag=N&&"))
    '0x4980'
    """
    crc = 0xFFFF
    table = TABLE
    for b in data:
        crc = table[(crc >> 8) ^ b]
    return crc


def crc16_bitwise(data: bytes) -> int:
    """The Annex A C code transcribed literally (the reference for :func:`crc16`)."""
    crc = 0xFFFF
    for b in data:
        crc = (crc >> 8) ^ b
        for _ in range(8):
            check = crc & 1
            crc >>= 1
            if check:
                crc ^= 0xA001
    return crc


def crc16_hex(data: bytes) -> str:
    """:func:`crc16` as sent on the wire: 4 upper-case hex digits, high byte first."""
    return f"{crc16(data):04X}"


def crc16_modbus(data: bytes) -> int:
    """Plain CRC-16/MODBUS (``crc ^= byte``): **not** HJ 212; spec §3.4, [PKT 42, 43]."""
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def crc16_modbus_swapped(data: bytes) -> int:
    """CRC-16/MODBUS with its two bytes swapped: sent by real devices, spec §3.4 [PKT 44, 45]."""
    m = crc16_modbus(data)
    return ((m & 0xFF) << 8) | (m >> 8)


def crc_variant(data: bytes, sent: int) -> str | None:
    """Which known CRC a wrong ``sent`` value is: ``"modbus"``, ``"modbus_swapped"`` or None."""
    if sent == crc16_modbus(data):
        return "modbus"
    if sent == crc16_modbus_swapped(data):
        return "modbus_swapped"
    return None
