"""Property tests of the water readers: garbage never crashes a reader (a batch or an
``InputFileError``), numbers round-trip exactly, the µg/L conversion is exact."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.core.errors import InputFileError
from ecoplan.water.readers import REASONS, WaterBatch, read
from ecoplan.water.readers.parsing import Number, parse_number, parse_time
from ecoplan.water.readers.wide import split_header

CELL = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
HEADERS = {
    "long": "station,time,item,value,unit,flag",
    "wide": "station,time,氨氮(mg/L),pH,总磷",
    "cnemc-snapshot": "province,basin,station,monitor_time,published_class,ph,ph_disp,tp_mg_l,snapshot_time",
    "stations": "code,name,water_body,region,lat,lon",
}


def _csv(header: str, cells: list[list[str]]) -> io.StringIO:
    width = header.count(",") + 1
    frame = pd.DataFrame([(row + [""] * width)[:width] for row in cells], columns=header.split(","))
    text = header + "\n" + frame.to_csv(index=False, header=False)
    out = io.StringIO(text)
    out.name = "fuzz.csv"
    return out


def _check(fmt: str, cells: list[list[str]]) -> None:
    try:
        b = read(fmt, _csv(HEADERS[fmt], cells))
    except InputFileError as exc:
        assert "fuzz.csv" in str(exc)
        return
    assert isinstance(b, WaterBatch)
    assert set(b.rejects["reason"]) <= set(REASONS)
    assert not b.samples.duplicated(["station", "time", "item"]).any()
    assert b.samples["value"].notna().all()


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(HEADERS)), st.lists(st.lists(CELL, max_size=9), max_size=6))
def test_garbage_never_crashes(fmt: str, cells: list[list[str]]) -> None:
    _check(fmt, cells)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_bytes_never_crash(data: bytes) -> None:
    for fmt in HEADERS:
        with contextlib.suppress(InputFileError):
            read(fmt, io.BytesIO(data))


DECIMALS = st.decimals(min_value=0, max_value=999, places=6, allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None)
@given(st.lists(DECIMALS, min_size=1, max_size=5), st.sampled_from(["mg/L", "µg/L", "ug/L", "毫克/升"]))
def test_long_numbers_round_trip(values: list[Decimal], unit: str) -> None:
    rows = [f"S{i},2025-11-01,NH3N,{v},{unit}," for i, v in enumerate(values)]
    b = read("long", _csv(HEADERS["long"], [r.split(",") for r in rows]))
    factor = Decimal("0.001") if "g/L" in unit and unit[0] in "µu" else Decimal(1)
    expected = [float(v * factor) for v in values]
    got = b.samples.sort_values("station")["value"].tolist()
    kept = [e for e in expected if e <= 1000]
    assert got == kept


@settings(max_examples=80, deadline=None)
@given(DECIMALS)
def test_parse_number_is_exact(v: Decimal) -> None:
    assert parse_number(str(v)) == Number(v)
    assert parse_number(f"<{v}") == Number(v, nd=True)
    assert parse_number(f" {v}L ") == Number(v, nd=True)


@given(st.text(max_size=20))
def test_parse_number_and_time_never_raise(text: str) -> None:
    parse_number(text)
    parse_time(text)
    split_header(text)


@given(
    st.datetimes(
        min_value=pd.Timestamp("1900-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2100-01-01").to_pydatetime(),
    )
)
def test_times_round_trip(t: datetime) -> None:
    ts = pd.Timestamp(t).floor("min")
    assert parse_time(ts.strftime("%Y-%m-%d %H:%M")) == ts
    assert parse_time(ts.strftime("%Y/%m/%d")) == ts.normalize()


BELOW_CEILINGS = st.decimals(min_value=0, max_value=99, places=6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(BELOW_CEILINGS, BELOW_CEILINGS)
def test_cnemc_value_and_published_round_trip(value: Decimal, shown: Decimal) -> None:
    header = HEADERS["cnemc-snapshot"]
    row = ["北京市", "海河流域", "甲", "2025-11-06 04:00", "Ⅱ", "", "", str(value), "2025-11-06T05:00:00"]
    b = read("cnemc-snapshot", _csv(header, [row]))
    assert b.samples[["item", "value"]].values.tolist() == [["TP", float(value)]]
    row[5:7] = [str(value / 100), str(shown / 100)]
    b = read("cnemc-snapshot", _csv(header, [row]))
    ph = b.samples[b.samples["item"] == "pH"]
    assert (ph["value"].tolist(), ph["published"].tolist()) == ([float(value / 100)], [float(shown / 100)])


@settings(max_examples=60, deadline=None)
@given(st.lists(DECIMALS, min_size=1, max_size=4))
def test_wide_numbers_round_trip(values: list[Decimal]) -> None:
    rows = [[f"S{i}", "2025-11-01", str(v), "", ""] for i, v in enumerate(values)]
    b = read("wide", _csv(HEADERS["wide"], rows))
    got = b.samples.sort_values("station")["value"].tolist()
    assert got == [float(v) for v in values if float(v) <= 1000]
