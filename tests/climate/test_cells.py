"""The row helpers every climate reader shares (:func:`ecoplan.climate.readers.records`, :class:`Cells`)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import write_csv

from ecoplan.climate.readers import Cells, Reject, records


def _cells(**v: str) -> Cells:
    return Cells("f.csv", 7, dict(v), [])


@given(st.integers(min_value=-10_000, max_value=10_000), st.sampled_from([1949, 2000]))
def test_year_keeps_the_number_and_refuses_it_out_of_range(y: int, low: int) -> None:
    r = _cells(year=str(y))
    assert r.year(low) == y
    assert r.ok == (low <= y <= 2100)
    if not r.ok:
        assert r.rejects == [Reject("f.csv", 7, "year", str(y), "bad_year")]


@given(st.sampled_from(["", "x", "2020.5", "20 20", "二〇二〇"]))
def test_a_year_that_is_no_whole_number_is_0(text: str) -> None:
    r = _cells(year=text)
    assert r.year() == 0
    assert [j.reason for j in r.rejects] == ["bad_year"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_reads_finite_numbers_with_or_without_thousands_commas(x: float) -> None:
    for text in (repr(x), f"{x:,}"):
        r = _cells(amount=text)
        assert r.number("amount") == x
        assert r.ok


def test_number_refuses_text_and_the_non_finite_with_their_reasons() -> None:
    for text, reason in (
        ("x", "bad_number"),
        ("1.2.3", "bad_number"),
        ("nan", "bad_share"),
        ("-inf", "bad_share"),
    ):
        r = _cells(share=text)
        assert r.number("share", not_finite="bad_share") is None
        assert r.rejects == [Reject("f.csv", 7, "share", text, reason)]
    assert _cells(a="inf").number("a") is None


def test_unique_refuses_the_second_of_a_key() -> None:
    seen: set[tuple[str, int]] = set()
    first, second = _cells(year="2020"), _cells(year="2020")
    first.unique(seen, ("130000", 2020))
    second.unique(seen, ("130000", 2020))
    assert first.ok and [j.reason for j in second.rejects] == ["duplicate"]


def test_ok_counts_only_the_rejects_of_its_own_row() -> None:
    shared = [Reject("f.csv", 2, "year", "", "missing")]
    r = Cells("f.csv", 3, {"year": "2020"}, shared)
    assert r.ok and r.year() == 2020
    r.bad("year", "conflict")
    assert not r.ok and len(shared) == 2


def test_records_keys_cells_by_column_and_skips_blank_rows(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "t.csv", ["地区, 年份 ,other", "130000,2020,z", ",,", "", "110000"])
    rejects: list[Reject] = []
    got = [(r.row, r.v) for r in records(f, {"地区": "region", "年份": "year"}, ("region",), "t", rejects)]
    assert got == [(2, {"region": "130000", "year": "2020"}), (5, {"region": "110000", "year": ""})]
    assert rejects == []


def test_records_names_each_missing_column_and_reads_no_row(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "t.csv", ["region,index", "130000,105"])
    rejects: list[Reject] = []
    rows = list(
        records(f, {"region": "region", "index": "index"}, ("year", ("gdp", "index"), "total"), "t", rejects)
    )
    assert rows == []
    assert rejects == [
        Reject("t", 1, "year", "", "missing_column"),
        Reject("t", 1, "total", "", "missing_column"),
    ]
    rejects.clear()
    list(records(f, {"region": "region"}, ("region", ("gdp", "index")), "t", rejects))
    assert rejects == [Reject("t", 1, "gdp", "", "missing_column")]
