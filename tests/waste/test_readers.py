"""The waste readers and the rules that need no store, with Hypothesis: the manifest
number (Art. 15), every cell type (never a crash; a refusal always has a reason code),
CSV round trips naming the right row and field, periods and validity arithmetic."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.core.errors import EcoplanError
from ecoplan.domains import domains
from ecoplan.waste.ledger import balance, period_bounds
from ecoplan.waste.model import add_months, add_years, code_matches, manifest_no_problems
from ecoplan.waste.readers import COLUMNS, REASONS, read, read_rows
from ecoplan.waste.readers import WasteBatch as ReadBatch
from ecoplan.waste.readers.cells import parse_cell

TODAY = dt.date(2026, 6, 1)
digits = st.text("0123456789", min_size=2, max_size=2)


@given(
    year=st.integers(2000, 2026),
    prov=digits,
    city=digits,
    serial=st.integers(1, 999_999),
    region_prov=digits,
    region_city=digits,
)
def test_manifest_number_against_the_producer_region(
    year: int, prov: str, city: str, serial: int, region_prov: str, region_city: str
) -> None:
    no = f"{year}{prov}{city}{serial:06d}"
    region = f"{region_prov}{region_city}05"
    got = manifest_no_problems(no, region, dt.date(year, 6, 1), TODAY)
    assert ("manifest_no_province" in got) == (prov != region_prov)
    assert ("manifest_no_city" in got) == (
        prov == region_prov and region_city != "00" and city != region_city
    )
    assert "manifest_no_format" not in got and "manifest_no_year" not in got


@given(st.text(max_size=20))
def test_a_manifest_number_not_14_digits_is_refused(text: str) -> None:
    if len(text) == 14 and text.isascii() and text.isdigit():
        return
    assert manifest_no_problems(text, "320505", None, TODAY) == ["manifest_no_format"]


@pytest.mark.parametrize(
    ("no", "shipped", "reasons"),
    [
        ("20253205000001", dt.date(2025, 3, 1), []),
        ("20243205000001", dt.date(2025, 1, 2), []),  # numbered last year, shipped in January
        ("20233205000001", dt.date(2025, 3, 1), ["manifest_no_year"]),
        ("20263205000001", dt.date(2025, 3, 1), ["manifest_no_year"]),  # after the shipment
        ("19993205000001", None, ["manifest_no_year"]),
        ("20283205000001", None, ["manifest_no_year"]),  # not shipped, after next year
        ("20253205000000", dt.date(2025, 3, 1), ["manifest_no_serial"]),
    ],
)
def test_manifest_number_year_and_serial(no: str, shipped: dt.date | None, reasons: list[str]) -> None:
    assert manifest_no_problems(no, "320505", shipped, TODAY) == reasons


def test_province_level_producer_is_checked_for_its_province_only() -> None:
    assert manifest_no_problems("20251101000001", "110000", None, TODAY) == []
    assert manifest_no_problems("20251201000001", "110000", None, TODAY) == ["manifest_no_province"]


@settings(max_examples=300)
@given(kind=st.sampled_from(sorted(COLUMNS)), data=st.data())
def test_every_cell_parses_or_says_why(kind: str, data: st.DataObject) -> None:
    col = data.draw(st.sampled_from(COLUMNS[kind]))
    text = data.draw(st.one_of(st.text(max_size=30), st.from_regex(r"-?\d{1,4}(\.\d{1,3})?", fullmatch=True)))
    value, why = parse_cell(col, text.strip())
    if why is None:
        assert value is not None or (not text.strip() and not col.required)
    else:
        assert value is None and why in REASONS


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_quantities(q: float) -> None:
    col = next(c for c in COLUMNS["ledger"] if c.name == "quantity_t")
    value, why = parse_cell(col, repr(q))
    assert (why == "negative") == (q < 0)
    assert why is not None or value == q


names = st.text(st.characters(categories=("Lo", "Ll", "Lu", "Nd")), min_size=1, max_size=12)
actor_rows = st.lists(
    st.fixed_dictionaries(
        {
            "name": names,
            "region": st.from_regex(r"[1-6]\d{5}", fullmatch=True),
            "roles": st.lists(
                st.sampled_from(["producer", "transporter", "receiver"]), min_size=1, max_size=3, unique=True
            ),
            "lon": st.none() | st.floats(73, 135).map(lambda x: round(x, 4)),
            "lat": st.none() | st.floats(18, 53).map(lambda x: round(x, 4)),
        }
    ),
    min_size=1,
    max_size=8,
)


def _read(grid: list[list[str]]) -> ReadBatch:
    """``grid`` written as CSV text, read back, and typed by the actors' reader."""
    text = io.StringIO()
    csv.writer(text).writerows(grid)
    back = list(csv.reader(io.StringIO(text.getvalue())))
    return read_rows("actors", "a.csv", [dict(zip(back[0], r, strict=True)) for r in back[1:]], back[0])


@given(rows=actor_rows, bad=st.data())
def test_actor_rows_round_trip_and_a_bad_cell_is_named(
    rows: list[dict[str, Any]], bad: st.DataObject
) -> None:
    header = ["actor_id", "roles", "name", "region", "lon", "lat"]
    grid = [header] + [
        [
            f"A{i}",
            ";".join(r["roles"]),
            str(r["name"]),
            str(r["region"]),
            *("" if r[k] is None else str(r[k]) for k in ("lon", "lat")),
        ]
        for i, r in enumerate(rows)
    ]
    got = _read(grid)
    assert got.problems == []
    assert [(g["roles"], g["name"], g["region"], g["lon"], g["lat"]) for g in got.rows] == [
        (r["roles"], r["name"], r["region"], r["lon"], r["lat"]) for r in rows
    ]
    i = bad.draw(st.integers(0, len(rows) - 1))
    grid[i + 1][3] = bad.draw(st.sampled_from(["3205", "32050x", "", "3205051"]))
    got = _read(grid)
    assert [(p.file, p.row, p.field) for p in got.problems] == [("a.csv", i + 2, "region")]
    assert got.problems[0].reason == ("required" if grid[i + 1][3] == "" else "bad_region")


def test_missing_columns_and_duplicates(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("permit_no,actor_id\nX,R1\n", encoding="utf-8")
    got = read("permits", tmp_path / "p.csv")
    assert {(p.row, p.field, p.reason) for p in got.problems} == {
        (1, "kind", "missing_column"),
        (1, "valid_from", "missing_column"),
        (1, "valid_to", "missing_column"),
        (1, "codes", "missing_column"),
    }
    (tmp_path / "a.csv").write_text(
        "actor_id,roles,name,region\nA,producer,甲,320505\nA,producer,乙,320505\n", encoding="gb18030"
    )
    got = read("actors", tmp_path / "a.csv")
    assert [(p.row, p.field, p.reason) for p in got.problems] == [(3, "actor_id", "duplicate_key")]
    assert got.rows[1]["name"] == "乙"  # GBK read
    (tmp_path / "x.xlsx").write_bytes(b"not a workbook")
    assert [p.reason for p in read("actors", tmp_path / "x.xlsx").problems] == ["unreadable"]


@given(st.integers(2000, 2030), st.integers(1, 12))
def test_month_periods_tile_the_year(year: int, month: int) -> None:
    start, end = period_bounds(f"{year}-{month:02d}")
    assert start == dt.datetime(year, month, 1)
    assert end == (dt.datetime(year + 1, 1, 1) if month == 12 else dt.datetime(year, month + 1, 1))
    q = (month - 1) // 3 + 1
    qs, qe = period_bounds(f"{year}Q{q}")
    assert qs <= start < end <= qe and (qe - qs).days in (90, 91, 92)
    assert period_bounds(str(year)) == (dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1))


@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 60))
def test_validity_arithmetic(d: dt.date, months: int) -> None:
    later = add_months(d, months)
    assert (later.year * 12 + later.month) - (d.year * 12 + d.month) == months
    assert later.day <= d.day
    y = add_years(d, months // 12)
    assert y.year == d.year + months // 12 and (y.month, y.day) in ((d.month, d.day), (2, 28))


@given(
    st.lists(st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 3)), min_size=5, max_size=5),
)
def test_balance_gap(nums: list[float]) -> None:
    o, g, s, t, c = nums
    b = balance(
        "A",
        "900-249-08",
        "2025",
        {"opening": o, "generated": g, "shipped": s, "self_treated": t, "closing": c},
    )
    assert b.imbalance == pytest.approx(o + g - s - t - c, abs=1e-6)
    assert b.balanced == (abs(b.imbalance) <= 0.001)


def test_categories_cover_their_codes() -> None:
    assert code_matches("900-249-08", ["HW08"]) and code_matches("900-249-08", ["900-249-08"])
    assert not code_matches("900-249-08", ["HW49", "900-249-18"])


@given(st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2040, 12, 31)), st.sampled_from([" ", "T"]))
def test_times_read_back(when: dt.datetime, sep: str) -> None:
    col = next(c for c in COLUMNS["ledger"] if c.name == "at")
    when = when.replace(microsecond=0)
    assert parse_cell(col, when.isoformat(sep=sep)) == (when, None)
    assert parse_cell(col, when.strftime("%Y-%m-%d %H:%M")) == (when.replace(second=0), None)
    assert parse_cell(col, when.isoformat(sep=sep) + "+08:00") == (None, "bad_time")


@settings(deadline=None)  # the first call registers the domains' words
@given(st.from_regex(r"\d{4}(-\d{2}|Q\d)?", fullmatch=True) | st.text(max_size=8))
def test_any_period_is_bounds_or_a_worded_refusal(period: str) -> None:
    domains()  # the domains' words registered
    try:
        start, end = period_bounds(period)
    except EcoplanError as exc:
        assert exc.key == "waste.error.bad_period"
    else:
        assert start < end and 1900 <= start.year <= 2999
