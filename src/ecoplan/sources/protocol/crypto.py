"""SM4 encryption of the data area, HJ 212-2025 §6.4 and Annex A.2 (spec §25.4, §25.9, §25.10).

§6.4.2: "采用SM4加密算法，16字节（128位）密钥，工作模式采用ECB模式，填充模式采用Nopadding，
对数据段"CP=&&"到"&&CRC校验码"之间的字符加密". Annex A.2: "每16个字符为一组加密 … 不足16个
字符的部分使用明文，先完成CRC校验并组包，再对数据段加密". So, for a data area ``A``
(the UTF-8 bytes between ``CP=&&`` and the closing ``&&``):

1. the CRC is computed over the **plaintext** segment (and not recomputed);
2. the first ``16·⌊len(A)/16⌋`` bytes are SM4-ECB encrypted, block by block, no padding;
3. the ciphertext is written ``{0xE4,0x3E,…}`` (``0x`` + two upper-case hex digits, commas,
   braces), followed by the < 16 plaintext bytes left (Annex A.2 example 4 ends ``}g=N``).

Whether a "character" of A.2 is a byte for Chinese text is not stated (spec §25.11); the
data areas of the examples are ASCII, and this module counts UTF-8 bytes, as the framing does.

The SM4 cipher is the maintained ``cryptography`` package's (``algorithms.SM4``, OpenSSL);
it passes the GB/T 32907—2016 Appendix A vector (spec §25.10). Keys rotate (90 days,
§6.4.3 as paraphrased in spec §25.4): :class:`KeyRing` keeps each MN's keys with their
``SKCreateTime`` so that a packet encrypted just before a rotation still decrypts
(spec §25.9 item 4). :func:`open_frame` is the decode path: it decrypts with the MN's keys
and checks the CRC over the plaintext, or says why it could not (``encrypted_unverified``:
no key; ``bad_key``: no key gives a plaintext whose CRC verifies).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ecoplan.sources.protocol.crc import crc16
from ecoplan.sources.protocol.errors import LocalProtocolError, RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame
from ecoplan.sources.protocol.segment import Segment, int_text

__all__ = [
    "BLOCK",
    "ENCRYPTED_CNS",
    "KEY_BYTES",
    "KeyRing",
    "Keys",
    "Opened",
    "decrypt_area",
    "decrypt_segment",
    "encrypt_area",
    "encrypt_segment",
    "is_encrypted",
    "open_frame",
    "parse_key",
    "should_encrypt",
    "sm4_decrypt_blocks",
    "sm4_encrypt_blocks",
]

#: SM4 block size and key size in bytes (§6.4.2: 16 字节（128 位）密钥).
BLOCK: Final = 16
KEY_BYTES: Final = 16
#: Device → platform commands besides CN 2000–2999 that are encrypted (§6.4.4).
ENCRYPTED_CNS: Final = frozenset({"1014", "3020"})

#: The keys to try for an MN, newest first.
Keys = Callable[[str], Sequence[bytes]]

_CP: Final = "CP=&&"
_CIPHER_RE: Final = re.compile(r"\{(0x[0-9A-Fa-f]{2}(?:,0x[0-9A-Fa-f]{2})*)\}")


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise LocalProtocolError("bad_key_size", f"an SM4 key is {KEY_BYTES} bytes, not {len(key)}", key)


def sm4_encrypt_blocks(key: bytes, data: bytes) -> bytes:
    """SM4-ECB of ``data`` (a multiple of 16 bytes), no padding (§6.4.2).

    >>> sm4_encrypt_blocks(bytes.fromhex("0123456789abcdeffedcba9876543210"),
    ...                    bytes.fromhex("0123456789abcdeffedcba9876543210")).hex()
    '681edf34d206965e86b3e94f536e4246'
    """
    _check_key(key)
    if len(data) % BLOCK:
        raise LocalProtocolError("bad_block", f"{len(data)} bytes is not a multiple of {BLOCK}", data)
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return enc.update(data) + enc.finalize()


def sm4_decrypt_blocks(key: bytes, data: bytes) -> bytes:
    """The inverse of :func:`sm4_encrypt_blocks`."""
    _check_key(key)
    if len(data) % BLOCK:
        raise LocalProtocolError("bad_block", f"{len(data)} bytes is not a multiple of {BLOCK}", data)
    dec = Cipher(algorithms.SM4(key), modes.ECB()).decryptor()
    return dec.update(data) + dec.finalize()


def parse_key(text: str) -> bytes:
    """A key as an operator writes it: 32 hex digits, or the 16 characters of ``NewSK``
    (CN 1014, spec §25.4: ``NewSK=0000000000000000`` is the 16 bytes 0x30).

    >>> parse_key("30303030303030303030303030303030") == parse_key("0000000000000000") == b"0" * 16
    True
    """
    if len(text) == 2 * KEY_BYTES:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    raw = text.encode("utf-8")
    if len(raw) == KEY_BYTES:
        return raw
    raise LocalProtocolError("bad_key_size", "a key is 32 hex digits or 16 characters", text)


# --- the data area ----------------------------------------------------------------------


def is_encrypted(area: str) -> bool:
    """Whether a data-area text is in the Annex A.2 ciphertext form (starts ``{0x``)."""
    return area.startswith("{0x")


def should_encrypt(cn: str | None) -> bool:
    """Whether a device sends ``cn`` encrypted on a link that encrypts (§6.4.4): the data
    commands CN 2000–2999, 1014 and 3020; "其他命令无须加密"."""
    number = None if cn is None else int_text(cn, 4)
    return cn in ENCRYPTED_CNS or (number is not None and 2000 <= number <= 2999)


def encrypt_area(key: bytes, area: str) -> str:
    """The Annex A.2 form of a plaintext data area: ``{0xNN,…}`` + the < 16-byte remainder.

    An area shorter than 16 bytes has no full block and stays plaintext (A.2: 不足16个字符
    的部分使用明文).
    """
    data = area.encode("utf-8")
    full = len(data) - len(data) % BLOCK
    if not full:
        return area
    cipher = sm4_encrypt_blocks(key, data[:full])
    tail = data[full:]
    try:
        rest = tail.decode("utf-8")
    except UnicodeDecodeError:
        raise LocalProtocolError(
            "bad_block", "a UTF-8 character straddles the last block; the remainder is not text", data
        ) from None
    return "{" + ",".join(f"0x{b:02X}" for b in cipher) + "}" + rest


def decrypt_area(key: bytes, area: str) -> str:
    """The plaintext of an Annex A.2 ciphertext area; :class:`RemoteProtocolError`
    ``bad_ciphertext`` when it is not ``{0xNN,…}`` of whole blocks, ``bad_key`` when the
    plaintext is not UTF-8 text."""
    m = _CIPHER_RE.match(area)
    if m is None:
        raise RemoteProtocolError("bad_ciphertext", "not a {0xNN,…} list of bytes", area)
    cipher = bytes(int(x[2:], 16) for x in m.group(1).split(","))
    if len(cipher) % BLOCK:
        raise RemoteProtocolError(
            "bad_ciphertext", f"{len(cipher)} cipher bytes is not a multiple of {BLOCK}", area
        )
    plain = sm4_decrypt_blocks(key, cipher)
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError:
        raise RemoteProtocolError("bad_key", "the decrypted area is not UTF-8 text", area) from None
    return text + area[m.end() :]


def _split(segment: str) -> tuple[str, str]:
    at = segment.find(_CP)
    if at < 0 or not segment.endswith("&&") or len(segment) < at + len(_CP) + 2:
        raise RemoteProtocolError("no_cp", "no 'CP=&&…&&' in the data segment", segment)
    return segment[: at + len(_CP)], segment[at + len(_CP) : -2]


def encrypt_segment(key: bytes, segment: str) -> str:
    """The segment with its data area encrypted (§6.4.2); the header stays plaintext."""
    head, area = _split(segment)
    if is_encrypted(area):
        raise LocalProtocolError("already_encrypted", "the data area is already ciphertext", segment)
    return head + encrypt_area(key, area) + "&&"


def decrypt_segment(key: bytes, segment: str) -> str:
    """The plaintext segment of an encrypted one (a plaintext segment is returned as is)."""
    head, area = _split(segment)
    if not is_encrypted(area):
        return segment
    return head + decrypt_area(key, area) + "&&"


# --- keys -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    created: datetime | None
    key: bytes


class KeyRing:
    """Each MN's SM4 keys with their ``SKCreateTime`` (CN 1014, spec §25.4), newest first.

    :meth:`keys` gives all of an MN's keys, newest first, so a packet encrypted with the
    previous key just before a rotation still decrypts (spec §25.9 item 4); ``keep`` bounds
    the history per MN. A KeyRing is a :data:`Keys` callable.
    """

    def __init__(self, *, keep: int = 4) -> None:
        if keep < 1:
            raise ValueError("keep must be ≥ 1")
        self.keep = keep
        self._keys: dict[str, list[_Entry]] = {}

    def add(self, mn: str, key: bytes, created: datetime | None = None) -> None:
        """Record ``key`` for ``mn``, created at ``created`` (None = before any dated key)."""
        _check_key(key)
        entries = [e for e in self._keys.get(mn, []) if e.key != key]
        entries.append(_Entry(created, key))
        entries.sort(key=lambda e: (e.created is not None, e.created or datetime.min), reverse=True)
        self._keys[mn] = entries[: self.keep]

    def update(self, pairs: Iterable[tuple[str, bytes]]) -> None:
        """Add undated ``(mn, key)`` pairs."""
        for mn, key in pairs:
            self.add(mn, key)

    def keys(self, mn: str) -> tuple[bytes, ...]:
        """``mn``'s keys, newest first (empty when none)."""
        return tuple(e.key for e in self._keys.get(mn, ()))

    def current(self, mn: str) -> bytes | None:
        """``mn``'s newest key, the one to encrypt with."""
        found = self._keys.get(mn)
        return found[0].key if found else None

    def __call__(self, mn: str) -> Sequence[bytes]:
        return self.keys(mn)

    def __contains__(self, mn: object) -> bool:
        return mn in self._keys


# --- the decode path --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opened:
    """A frame opened: ``segment`` the plaintext segment (parsed) when ``ok``.

    ``reason`` when not ok: ``encrypted_unverified`` (no key for the MN), ``bad_key``
    (no key gives a plaintext whose CRC verifies), ``bad_ciphertext``, ``length_mismatch``
    (the length field is neither the plaintext nor the transmitted length), or a segment
    reason of :meth:`Segment.parse` (``no_cp``, ``bad_header``, …). ``encrypted``: the area
    was SM4; ``length_basis``: ``"plaintext"`` or ``"transmitted"`` for an encrypted frame
    (spec §25.4 item 5), None otherwise; ``key_index``: which of the MN's keys opened it
    (0 = newest). ``header`` is the segment parsed as received (ciphertext kept) when
    its header is readable, whatever ``ok``.
    """

    ok: bool
    reason: str | None
    detail: str
    segment: Segment | None
    header: Segment | None
    encrypted: bool = False
    length_basis: str | None = None
    key_index: int | None = None


def _parse(text: str) -> Segment | RemoteProtocolError:
    try:
        return Segment.parse(text)
    except RemoteProtocolError as exc:
        return exc


def open_frame(frame: Frame, keys: Keys | None = None) -> Opened:
    """The plaintext segment of ``frame`` with its CRC checked over the plaintext (A.2).

    A plaintext frame (its CRC checked by :class:`~.frame.FrameDecoder`) is parsed. An
    encrypted one is decrypted with each of ``keys(MN)`` in turn, newest first; the first
    whose plaintext segment has the frame's CRC wins.
    """
    text = frame.segment.decode("utf-8")
    header = _parse(text)
    head = header if isinstance(header, Segment) else None
    if not frame.encrypted:
        if isinstance(header, RemoteProtocolError):
            return Opened(False, header.reason, header.detail, None, None)
        return Opened(True, None, "", header, header)
    if head is None or head.cp.ciphertext is None:
        reason = header.reason if isinstance(header, RemoteProtocolError) else "bad_ciphertext"
        return Opened(False, reason, "the encrypted segment does not parse", None, head, True)
    mn = head.mn or ""
    candidates = tuple(keys(mn)) if keys is not None else ()
    if not candidates:
        return Opened(False, "encrypted_unverified", f"no SM4 key for MN {mn!r}", None, head, True)
    sent = int(frame.crc, 16)
    why = "bad_key"
    for index, key in enumerate(candidates):
        try:
            plain = decrypt_segment(key, text)
        except RemoteProtocolError as exc:
            if exc.reason == "bad_ciphertext":
                return Opened(False, exc.reason, exc.detail, None, head, True)
            continue
        data = plain.encode("utf-8")
        if crc16(data) != sent:
            continue
        if frame.declared_length == len(data):
            basis = "plaintext"
        elif frame.declared_length == len(frame.segment):
            basis = "transmitted"
        else:
            detail = f"length field {frame.declared_length}: neither {len(data)} nor {len(frame.segment)}"
            return Opened(False, "length_mismatch", detail, None, head, True)
        seg = _parse(plain)
        if isinstance(seg, RemoteProtocolError):
            return Opened(False, seg.reason, seg.detail, None, head, True)
        return Opened(True, None, "", seg, head, True, basis, index)
    n = len(candidates)
    return Opened(
        False, why, f"none of {n} key(s) of MN {mn!r} gives a plaintext whose CRC verifies", None, head, True
    )
