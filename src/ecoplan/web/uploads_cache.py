"""Uploaded files waiting between their preview and their submission (issue #12).

The browser uploads a values file once: the server checks it and shows the preview,
and keeps the bytes here under a random id bound to the uploader, so the "submit"
button sends only that id (and the CSRF token) — the file submitted is exactly the
file previewed. Entries live 30 minutes; the server is one process, so memory is
enough. Another user's id, an expired id or a used one is simply not found.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["TTL_SECONDS", "Upload", "UploadCache"]

TTL_SECONDS = 30 * 60
#: At most this many waiting uploads in all (the oldest go first); each is ≤ 5 MB.
MAX_ENTRIES = 200


@dataclass(frozen=True)
class Upload:
    """One waiting file: its uploader, name, bytes, the submission it corrects (if any)."""

    user: str
    name: str
    data: bytes
    resubmit: int | None
    at: float


class UploadCache:
    """Thread-safe, time-limited store of previewed uploads, keyed by a random id."""

    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._items: dict[str, Upload] = {}
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for key in [k for k, u in self._items.items() if now - u.at >= self.ttl]:
            del self._items[key]
        while len(self._items) >= MAX_ENTRIES:
            del self._items[next(iter(self._items))]

    def put(self, user: str, name: str, data: bytes, resubmit: int | None = None) -> str:
        """Keep ``data`` for ``user``; returns the id the preview page carries."""
        key = secrets.token_urlsafe(24)
        with self._lock:
            now = self.clock()
            self._expire(now)
            self._items[key] = Upload(user, name, data, resubmit, now)
        return key

    def get(self, user: str, key: str) -> Upload | None:
        """The upload ``key`` of ``user`` if it is still waiting (another user's: None)."""
        with self._lock:
            self._expire(self.clock())
            u = self._items.get(key)
            return u if u is not None and u.user == user else None

    def drop(self, key: str) -> None:
        """Forget ``key`` (after it was submitted)."""
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
