"""Protocol errors, with the direction of the fault (the h11 convention).

- :class:`LocalProtocolError`: **we** misused the API — e.g. asked to encode a segment
  whose values contain a separator (spec §5.1) or whose length exceeds the 4-digit
  length field (spec §2). Fix the calling code.
- :class:`RemoteProtocolError`: the **peer** sent bytes that are not HJ 212 — e.g. a data
  segment without ``CP=&&`` (spec §4). Log, quarantine, answer per the flows.

Both carry a stable ``reason`` code (for logs, quarantine and the CLI's ``reason``
field) and ``excerpt``, the first bytes of the offending packet or value.
"""

from __future__ import annotations

from typing import Final

__all__ = ["EXCERPT_BYTES", "LocalProtocolError", "ProtocolError", "RemoteProtocolError"]

#: How many bytes of the offending input an error keeps.
EXCERPT_BYTES: Final = 80


class ProtocolError(Exception):
    """An HJ 212 protocol violation: ``reason`` is a stable code, ``excerpt`` the input."""

    def __init__(self, reason: str, detail: str, excerpt: bytes | str = b"") -> None:
        raw = excerpt.encode("utf-8", "replace") if isinstance(excerpt, str) else excerpt
        self.reason: str = reason
        self.detail: str = detail
        self.excerpt: bytes = raw[:EXCERPT_BYTES]
        super().__init__(f"{reason}: {detail} [{self.excerpt!r}]")


class LocalProtocolError(ProtocolError):
    """Our misuse: the value we were asked to encode is not valid HJ 212."""


class RemoteProtocolError(ProtocolError):
    """Peer garbage: the bytes received are not valid HJ 212."""
