"""SM4 of HJ 212-2025 (§6.4.2, Annex A.2; spec §25.4, §25.10): the GB/T 32907 vector, the four
Annex A.2 examples of packets-2025.txt, key history, and the decode path with keys."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sources.packets import PACKETS_2025, needs_data

from ecoplan.sources.protocol.crc import crc16_hex
from ecoplan.sources.protocol.crypto import (
    KeyRing,
    decrypt_area,
    decrypt_segment,
    encrypt_area,
    encrypt_segment,
    open_frame,
    parse_key,
    should_encrypt,
    sm4_decrypt_blocks,
    sm4_encrypt_blocks,
)
from ecoplan.sources.protocol.decoding import decode_packet
from ecoplan.sources.protocol.errors import LocalProtocolError, RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame, FrameDecoder, encode_frame

#: Annex A.2: "密钥使用16个0x30".
TEST_KEY = b"0" * 16
MN = "010000A8900016F000169DC0"


def test_gb_t_32907_vector() -> None:
    """GB/T 32907—2016 Appendix A example 1 (spec §25.10)."""
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert sm4_encrypt_blocks(key, key).hex() == "681edf34d206965e86b3e94f536e4246"
    assert sm4_decrypt_blocks(key, bytes.fromhex("681edf34d206965e86b3e94f536e4246")) == key


def test_key_and_block_sizes_are_checked() -> None:
    with pytest.raises(LocalProtocolError, match="bad_key_size"):
        sm4_encrypt_blocks(b"short", b"0" * 16)
    with pytest.raises(LocalProtocolError, match="bad_block"):
        sm4_encrypt_blocks(TEST_KEY, b"0" * 15)
    with pytest.raises(LocalProtocolError, match="bad_key_size"):
        parse_key("abc")
    assert parse_key("30" * 16) == parse_key("0" * 16) == TEST_KEY


def _segment(line: bytes) -> str:
    return line[6:-4].decode()


@needs_data
@pytest.mark.parametrize(("plain_n", "cipher_n", "crc"), [(2, 3, "2200"), (4, 5, "B541")])
def test_annex_a2_examples(plain_n: int, cipher_n: int, crc: str) -> None:
    """Decrypt → the plaintext of the example before it, whose CRC verifies; re-encrypt →
    the printed packet character for character (spec §25.10)."""
    plain, cipher = _segment(PACKETS_2025[plain_n - 1]), _segment(PACKETS_2025[cipher_n - 1])
    assert decrypt_segment(TEST_KEY, cipher) == plain
    assert crc16_hex(plain.encode()) == crc == PACKETS_2025[cipher_n - 1][-4:].decode()
    assert encrypt_segment(TEST_KEY, plain) == cipher
    # the whole printed frame: plaintext length and CRC around the encrypted segment (A.2)
    printed = b"##%04d%s%s" % (len(plain), encrypt_segment(TEST_KEY, plain).encode(), crc.encode())
    assert printed == PACKETS_2025[cipher_n - 1]
    # the printed length field is the plaintext's (§25.4 item 5)
    assert PACKETS_2025[cipher_n - 1][2:6] == b"%04d" % len(plain)


@needs_data
def test_annex_a2_block_arithmetic() -> None:
    """Example 2: 208 plaintext bytes = 13 blocks; example 4: 147 = 9 blocks + 'g=N' (A.2)."""
    area2 = _segment(PACKETS_2025[2]).split("CP=&&", 1)[1][:-2]
    area4 = _segment(PACKETS_2025[4]).split("CP=&&", 1)[1][:-2]
    assert area2.count("0x") == 208 and area2.endswith("}")
    assert area4.count("0x") == 144 and area4.endswith("}g=N")


@needs_data
@pytest.mark.parametrize("n", [3, 5])
def test_open_frame_with_and_without_keys(n: int) -> None:
    (frame,) = FrameDecoder().feed(PACKETS_2025[n - 1] + b"\r\n")
    assert isinstance(frame, Frame) and frame.encrypted
    ring = KeyRing()
    assert open_frame(frame, ring).reason == "encrypted_unverified"
    assert open_frame(frame).reason == "encrypted_unverified"
    ring.add(MN, b"1" * 16)
    bad = open_frame(frame, ring)
    assert (bad.ok, bad.reason, bad.header is not None) == (False, "bad_key", True)
    ring.add(MN, TEST_KEY, datetime(2024, 1, 1))
    opened = open_frame(frame, ring)
    assert opened.ok and opened.segment is not None
    assert opened.segment.to_bytes() == PACKETS_2025[n - 2][6:-4]
    assert opened.length_basis == "plaintext" and opened.key_index == 0


def test_key_rotation_history() -> None:
    """A packet encrypted with the previous key still opens after a rotation (§25.9 item 4)."""
    plain = (
        f"QN=20240601085857223;ST=31;CN=2051;PW=123456;MN={MN};Flag=9;"
        "CP=&&DataTime=20240601084000;a21026-Avg=12.5,a21026-Flag=N;a21002-Avg=30.1,a21002-Flag=N&&"
    )
    old, new = b"A" * 16, b"B" * 16
    wire = encode_frame(plain)  # CRC over the plaintext, then encrypt the area (A.2)
    head, crc = wire[:6], wire[-6:]
    sent = head + encrypt_segment(old, plain).encode() + crc
    ring = KeyRing(keep=2)
    ring.add(MN, old, datetime(2024, 3, 1))
    ring.add(MN, new, datetime(2024, 5, 30))
    assert ring.keys(MN) == (new, old) and ring.current(MN) == new
    d = decode_packet(sent, keys=ring)
    assert d.ok and d.segment is not None and d.segment.encode() == plain
    assert d.length_basis == "plaintext"
    ring.add(MN, b"C" * 16, datetime(2024, 8, 28))  # keep=2: the oldest key goes
    assert ring.keys(MN) == (b"C" * 16, new)
    assert decode_packet(sent, keys=ring).reason == "bad_key"


def test_transmitted_length_is_accepted_too() -> None:
    """cems-data-pipeline writes the transmitted length (spec §25.4 item 5): accepted."""
    plain = (
        f"QN=20240601085857223;ST=32;CN=2011;PW=123456;MN={MN};Flag=9;"
        "CP=&&DataTime=20240601085800;w01018-Rtd=22.5,w01018-Flag=N&&"
    )
    crc = crc16_hex(plain.encode()).encode()
    cipher = encrypt_segment(TEST_KEY, plain).encode()
    sent = b"##%04d%s%s" % (len(cipher), cipher, crc)
    d = decode_packet(sent, keys=lambda mn: [TEST_KEY] if mn == MN else [])
    assert d.ok and d.length_basis == "transmitted"
    wrong = b"##%04d%s%s" % (len(cipher) + 1, cipher, crc)
    assert decode_packet(wrong, keys=lambda mn: [TEST_KEY]).reason == "length_mismatch"
    # a 2017 reader checks the CRC over what was sent: the ciphertext fails it
    assert decode_packet(sent, edition="2017").reason == "bad_crc"


def test_short_area_stays_plaintext() -> None:
    """An area under 16 bytes has no full block: all plaintext (A.2 不足16个字符的部分使用明文)."""
    assert encrypt_area(TEST_KEY, "RtdInterval=30") == "RtdInterval=30"
    assert encrypt_area(TEST_KEY, "") == ""


def test_malformed_ciphertext() -> None:
    with pytest.raises(RemoteProtocolError, match="bad_ciphertext"):
        decrypt_area(TEST_KEY, "{0xE4,0x3E}")  # 2 bytes: not whole blocks
    with pytest.raises(RemoteProtocolError, match="bad_ciphertext"):
        decrypt_area(TEST_KEY, "{0xZZ}")


def test_which_commands_are_encrypted() -> None:
    """§6.4.4: CN 2000–2999, 1014 and 3020; other commands are not."""
    assert [should_encrypt(c) for c in ("2011", "2051", "2999", "1014", "3020")] == [True] * 5
    assert [should_encrypt(c) for c in ("1011", "9014", "3019", "1000", None)] == [False] * 5


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E).filter(lambda c: c not in "&{"),
        max_size=120,
    )
)
def test_round_trip_any_area(area: str) -> None:
    enc = encrypt_area(TEST_KEY, area)
    assert decrypt_area(TEST_KEY, enc) == area if len(area) >= 16 else enc == area
    if len(area) >= 16:
        assert enc.count("0x") == len(area) - len(area) % 16
