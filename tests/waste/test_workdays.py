"""Working days: the State Council's holidays and 调休 (chinese_calendar), the flagged
Monday–Friday fallback beyond its years, and the counting rules (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.waste import workdays as wd

D = dt.date
days = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def test_national_day_2025() -> None:
    # 国务院办公厅 2025 notice: 10-01..10-08 off; Sun 09-28 and Sat 10-11 working days.
    assert wd.is_workday(D(2025, 9, 28)) and wd.is_workday(D(2025, 10, 11))
    assert not any(wd.is_workday(D(2025, 10, d)) for d in range(1, 9))
    assert wd.add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Fri -> the 调休 Sunday
    assert wd.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    # Art. 18's five working days from a receipt on 30 September 2025:
    # 10-09, 10-10, 10-11 (Sat, 调休), 10-13, 10-14.
    assert wd.add_workdays(D(2025, 9, 30), 5) == D(2025, 10, 14)
    assert wd.workdays_between(D(2025, 9, 30), D(2025, 10, 14)) == 5
    assert wd.workdays_between(D(2025, 9, 30), D(2025, 10, 8)) == 0


def test_national_day_2026() -> None:
    # 2026: 10-01..10-07 off, Sat 10-10 a working day.
    assert not any(wd.is_workday(D(2026, 10, d)) for d in range(1, 8))
    assert wd.is_workday(D(2026, 10, 10))
    assert wd.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert wd.add_workdays(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert wd.workdays_between(D(2026, 9, 30), D(2026, 10, 12)) == 4  # 8, 9, 10, 12


def test_spring_festival_2025_and_ordinary_weeks() -> None:
    # 春节 2025: 01-28..02-04 off; Sun 01-26 and Sat 02-08 working days.
    assert wd.is_workday(D(2025, 1, 26)) and wd.is_workday(D(2025, 2, 8))
    assert not wd.is_workday(D(2025, 1, 28))
    assert wd.add_workdays(D(2025, 11, 7), 5) == D(2025, 11, 14)  # Fri -> next Fri
    assert wd.add_workdays(D(2025, 11, 8), 1) == D(2025, 11, 10)  # Sat -> Mon
    assert wd.add_workdays(D(2025, 11, 10), -1) == D(2025, 11, 7)


def test_fallback_is_flagged_not_silent() -> None:
    assert wd.confirmed(D(2026, 12, 31)) and not wd.confirmed(D(2027, 1, 4))
    assert wd.LAST_YEAR == 2026 and wd.FIRST_YEAR == 2004
    # Beyond the notices: Monday to Friday (1 January 2027 is a Friday, counted).
    assert wd.is_workday(D(2027, 1, 1)) and not wd.is_workday(D(2027, 1, 2))
    span = wd.span(D(2026, 12, 30), D(2027, 1, 4))
    assert span.workdays == 3 and not span.confirmed
    assert wd.span(D(2026, 1, 5), D(2026, 1, 9)).confirmed
    frame = wd.calendar_frame(D(2026, 12, 30), D(2027, 1, 2))
    assert frame["confirmed"].tolist() == [True, True, False, False]


def test_outside_the_calendar() -> None:
    with pytest.raises(ValueError):
        wd.workdays_between(D(1980, 1, 1), D(2025, 1, 1))


@given(days, counts)
def test_add_then_count_is_inverse(day: dt.date, n: int) -> None:
    end = wd.add_workdays(day, n)
    assert wd.workdays_between(day, end) == n
    if n > 0:
        assert wd.is_workday(end) and end > day
        # the n-th, not later: the day before holds n - 1
        assert wd.workdays_between(day, end - dt.timedelta(days=1)) == n - 1


@given(days, days, counts)
def test_monotone(a: dt.date, b: dt.date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert wd.add_workdays(a, n) <= wd.add_workdays(b, n)
    between = wd.workdays_between(a, b)
    assert 0 <= between <= (b - a).days
    assert wd.workdays_between(b, a) == -between


@given(days, days, days)
def test_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert wd.workdays_between(a, b) + wd.workdays_between(b, c) == wd.workdays_between(a, c)


@given(days, st.integers(min_value=1, max_value=300))
def test_backwards_from_a_working_day(day: dt.date, n: int) -> None:
    start = wd.add_workdays(day, 1)  # a working day
    back = wd.add_workdays(start, -n)
    assert wd.is_workday(back) and wd.workdays_between(back, start) == n


@given(st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 31)))
def test_notices_years_follow_the_library(day: dt.date) -> None:
    import chinese_calendar  # type: ignore[import-untyped]

    assert wd.is_workday(day) == chinese_calendar.is_workday(day)
