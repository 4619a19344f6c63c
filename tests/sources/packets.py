"""The real packets of ``shared/data/hj212`` and their README verdicts (shared by the tests)."""

from __future__ import annotations

from typing import Final

import pytest
from tests.conftest import SHARED

DATA: Final = SHARED / "data" / "hj212"


def _lines(name: str) -> list[bytes]:
    path = DATA / name
    return path.read_bytes().splitlines() if path.exists() else []


PACKETS: Final = _lines("packets.txt")
PACKETS_2025: Final = _lines("packets-2025.txt")
SEGMENTS_2025: Final = _lines("segments-2025.txt")
needs_data = pytest.mark.skipif(not PACKETS, reason="shared/data not beside the repo")

#: README "Lines 1–39 are valid", lines 40–51 with the reason each fails.
VALID: Final = range(1, 40)
INVALID: Final = {
    40: ("bad_crc", None),
    41: ("bad_crc", None),
    42: ("bad_crc", "modbus"),
    43: ("bad_crc", "modbus"),
    44: ("bad_crc", "modbus_swapped"),
    45: ("bad_crc", "modbus_swapped"),
    46: ("length_mismatch", None),
    47: ("length_mismatch", None),
    48: ("length_mismatch", None),
    49: ("bad_crc", None),
    50: ("length_mismatch", None),
    51: ("length_mismatch", None),
}
#: packets-2025.txt: lines 3 and 5 are SM4-encrypted (README "HJ 212-2025 packets").
ENCRYPTED_2025: Final = {3, 5}
