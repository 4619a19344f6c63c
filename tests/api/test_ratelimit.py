"""The token-bucket limiter: properties over generated hit sequences, and thread safety."""

from __future__ import annotations

import threading
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.kit.ratelimit import SIGNIN_ACCOUNT, SIGNIN_CLIENT, WRITES, Limiter, signin_keys

limits = st.tuples(
    st.integers(min_value=1, max_value=30),  # rate
    st.sampled_from([1, 10, 60, 300]),  # per seconds
    st.integers(min_value=1, max_value=30),  # burst
)
# increasing hit times: gaps of 0 .. 120 s (in 1/8 s, exact in binary)
gaps = st.lists(st.integers(min_value=0, max_value=960), min_size=1, max_size=120)


def _times(steps: list[int]) -> list[float]:
    t, out = 1000.0, []
    for g in steps:
        t += g / 8
        out.append(t)
    return out


def _model(rate: int, per: int, burst: int, times: list[float]) -> list[bool]:
    """An independent model in exact arithmetic: the allowed hits of a token bucket."""
    tokens, last, out = Fraction(burst), None, []
    for t in times:
        ft = Fraction(t)
        if last is not None:
            tokens = min(Fraction(burst), tokens + (ft - last) * rate / per)
        last = ft
        if tokens >= 1:
            tokens -= 1
            out.append(True)
        else:
            out.append(False)
    return out


@settings(max_examples=300, deadline=None)
@given(limits, gaps)
def test_allowed_hits_follow_the_token_bucket(limit: tuple[int, int, int], steps: list[int]) -> None:
    rate, per, burst = limit
    lim = Limiter(rate, per, burst)
    times = _times(steps)
    got = [lim.hit("k", t) is None for t in times]
    assert got == _model(rate, per, burst, times)


@settings(max_examples=300, deadline=None)
@given(limits, gaps)
def test_no_window_allows_more_than_burst_plus_rate(limit: tuple[int, int, int], steps: list[int]) -> None:
    """In any span of ``per`` seconds at most ``burst + rate`` hits get through."""
    rate, per, burst = limit
    lim = Limiter(rate, per, burst)
    times = _times(steps)
    allowed = [t for t in times if lim.hit("k", t) is None]
    for i, start in enumerate(allowed):
        inside = [t for t in allowed[i:] if t - start < per]
        assert len(inside) <= burst + rate


@settings(max_examples=200, deadline=None)
@given(limits, gaps)
def test_retry_after_is_exactly_when_the_next_hit_passes(
    limit: tuple[int, int, int], steps: list[int]
) -> None:
    rate, per, burst = limit
    times = _times(steps)
    lim = Limiter(rate, per, burst)
    for i, t in enumerate(times):
        wait = lim.hit("k", t)
        if wait is None:
            continue
        assert wait > 0
        for factor, refused in ((0.999, True), (1.001, False)):
            probe = Limiter(rate, per, burst)  # the same hits replayed, then one probe
            for earlier in times[:i]:
                probe.hit("k", earlier)
            assert (probe.hit("k", t + wait * factor) is not None) is refused
        break


@given(st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=20))
def test_keys_are_independent_and_reset_forgets(burst: int, extra: int) -> None:
    lim = Limiter(1, 60, burst)
    for _ in range(burst):
        assert lim.hit("a", 0.0) is None
    for _ in range(extra):
        assert lim.hit("a", 0.0) == pytest.approx(60.0)  # a refused hit costs nothing
    assert lim.hit("b", 0.0) is None
    lim.reset("a")
    assert lim.hit("a", 0.0) is None


def test_a_clock_going_back_refills_nothing() -> None:
    lim = Limiter(1, 10, 1)
    assert lim.hit("k", 100.0) is None
    assert lim.hit("k", 50.0) is not None
    assert lim.hit("k", 109.0) is not None
    assert lim.hit("k", 110.0) is None


def test_full_buckets_are_pruned() -> None:
    lim = Limiter(1, 10, 2)
    for i in range(100):
        lim.hit(i, 0.0)
    assert len(lim) == 100
    assert lim.prune(5.0) == 0  # half refilled: still limited state
    assert lim.prune(10.0) == 100
    assert len(lim) == 0


def test_concurrent_hits_never_exceed_the_burst() -> None:
    lim = Limiter(1, 3600, 50)
    allowed: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        n = sum(lim.hit("k", 0.0) is None for _ in range(100))
        with lock:
            allowed.append(n)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(allowed) == 50


@pytest.mark.parametrize("args", [(0, 60, 1), (1, 0, 1), (1, 60, 0), (float("inf"), 60, 1)])
def test_bad_limits_are_refused(args: tuple[float, float, int]) -> None:
    with pytest.raises(ValueError):
        Limiter(*args)


def test_the_limits_of_ecoplan() -> None:
    account = SIGNIN_ACCOUNT.limiter()
    client = SIGNIN_CLIENT.limiter()
    user_key, client_key = signin_keys(" Admin ", "10.0.0.1")
    assert user_key == signin_keys("admin", "10.0.0.1")[0]
    assert [account.hit(user_key, 0.0) is None for _ in range(6)] == [True] * 5 + [False]
    assert account.hit(user_key, 60.0) is None  # one failure back per minute
    assert [client.hit(client_key, 0.0) is None for _ in range(21)] == [True] * 20 + [False]
    writes = WRITES.limiter()
    assert sum(writes.hit("token:1", 0.0) is None for _ in range(100)) == 60
