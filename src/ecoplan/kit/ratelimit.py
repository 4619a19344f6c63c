"""Rate limits for sign-in and writes: a pure, thread-safe token bucket per key.

:class:`Limiter` ``(rate, per_seconds, burst)`` lets ``burst`` hits through at once and
then ``rate`` hits per ``per_seconds`` (the bucket refills continuously: one token every
``per_seconds / rate`` seconds, up to ``burst``). :meth:`Limiter.hit` takes the time as an
argument (``time.monotonic()`` in the app, any numbers in tests) and returns ``None``
when the hit is allowed, else the seconds to wait before the next one would be (the
``Retry-After`` of a 429); a refused hit costs nothing. Pure: no clock, no I/O; one lock.

A key's state is forgotten once its bucket is full again (it would allow ``burst`` hits,
like a key never seen), so the table holds only the keys limited right now; :meth:`prune`
drops them (the limiter also prunes itself every ``prune_every`` hits).

The limits of ecoplan (the API wires them into sign-in and the write routes):

- :data:`SIGNIN_ACCOUNT`: failed sign-ins per user name and client address — 5 per 5 minutes
  (guessing one account's password);
- :data:`SIGNIN_CLIENT`: failed sign-ins per client address, any user — 20 per 5 minutes
  (spraying passwords over many accounts);
- :data:`WRITES`: write requests per principal — 60 per minute, bursts of 60.

A failed sign-in ``hit`` s both sign-in limiters (:func:`signin_keys`); while either one's
:meth:`Limiter.wait` is not ``None`` a sign-in is refused before its password is checked.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = [
    "SIGNIN_ACCOUNT",
    "SIGNIN_CLIENT",
    "WRITES",
    "Limiter",
    "Limits",
    "signin_keys",
]


#: Float slack: a bucket this close to a whole token has it (refills are sums of fractions).
_EPS = 1e-9


class Limiter:
    """A token bucket per key: ``burst`` hits at once, then ``rate`` per ``per_seconds``."""

    def __init__(
        self, rate: float, per_seconds: float, burst: int | None = None, *, prune_every: int = 1024
    ) -> None:
        if not (rate > 0 and per_seconds > 0 and math.isfinite(rate) and math.isfinite(per_seconds)):
            raise ValueError(f"rate {rate!r} per {per_seconds!r} s: both must be positive and finite")
        burst = math.ceil(rate) if burst is None else burst
        if burst < 1:
            raise ValueError(f"burst {burst!r}: at least 1")
        self.rate = float(rate)
        self.per_seconds = float(per_seconds)
        self.burst = int(burst)
        #: Seconds for one token to come back.
        self.interval = self.per_seconds / self.rate
        self._prune_every = max(1, prune_every)
        self._hits = 0
        # key -> (tokens at ``at``, at); absent: a full bucket
        self._state: dict[Hashable, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _tokens(self, key: Hashable, now: float) -> float:
        state = self._state.get(key)
        if state is None:
            return float(self.burst)
        tokens, at = state
        elapsed = max(0.0, now - at)  # a clock that goes back refills nothing
        return min(float(self.burst), tokens + elapsed / self.interval)

    def hit(self, key: Hashable, now: float) -> float | None:
        """Count one hit of ``key`` at ``now`` (seconds): ``None`` if allowed, else the
        seconds until one would be (nothing is counted then)."""
        with self._lock:
            self._hits += 1
            if self._hits % self._prune_every == 0:
                self._prune(now)
            tokens = self._tokens(key, now)
            if tokens >= 1.0 - _EPS:
                left = max(0.0, tokens - 1.0)
                at = max(now, self._state.get(key, (0.0, now))[1])
                self._state[key] = (left, at)
                return None
            return max((1.0 - tokens) * self.interval, 1e-9)

    def wait(self, key: Hashable, now: float) -> float | None:
        """What :meth:`hit` would answer, without counting a hit."""
        with self._lock:
            tokens = self._tokens(key, now)
            return None if tokens >= 1.0 - _EPS else max((1.0 - tokens) * self.interval, 1e-9)

    def reset(self, key: Hashable) -> None:
        """Forget ``key`` (a successful sign-in clears that account's failures)."""
        with self._lock:
            self._state.pop(key, None)

    def prune(self, now: float) -> int:
        """Drop keys whose bucket is full again; returns how many were dropped."""
        with self._lock:
            return self._prune(now)

    def _prune(self, now: float) -> int:
        full = [k for k in self._state if self._tokens(k, now) >= self.burst]
        for k in full:
            del self._state[k]
        return len(full)

    def __len__(self) -> int:
        with self._lock:
            return len(self._state)


@dataclass(frozen=True)
class Limits:
    """A limit as numbers: ``rate`` hits per ``per_seconds``, ``burst`` at once."""

    rate: float
    per_seconds: float
    burst: int

    def limiter(self) -> Limiter:
        return Limiter(self.rate, self.per_seconds, self.burst)


#: Failed sign-ins per (user name, client address): 5 per 5 minutes.
SIGNIN_ACCOUNT = Limits(rate=5, per_seconds=300, burst=5)
#: Failed sign-ins per client address, whatever the user name: 20 per 5 minutes.
SIGNIN_CLIENT = Limits(rate=20, per_seconds=300, burst=20)
#: Write requests per principal (user or token): 60 per minute.
WRITES = Limits(rate=60, per_seconds=60, burst=60)


def signin_keys(user: str, client: str) -> tuple[tuple[str, str], str]:
    """The keys of a sign-in attempt: (user name folded, client) for :data:`SIGNIN_ACCOUNT`,
    the client for :data:`SIGNIN_CLIENT`. The name is folded (``casefold``, stripped) so
    ``Admin`` and ``admin `` share one bucket."""
    return (user.strip().casefold(), client), client
