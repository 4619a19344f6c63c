"""DuckDB and Apache Spark (PySpark local mode) give the same results.

Runs in ``make test``: the Beijing year 2015 on both engines, compared row by row.
AQI, categories and day counts must be identical; concentrations and means equal
to 1e-9 (they are exact integers in 10⁻⁶ units on both engines, so in practice
they are identical too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
from tests.conftest import SHARED

from ecoplan.app import Ecoplan

pytestmark = pytest.mark.spark

BEIJING = SHARED / "data" / "beijing-multisite"


@pytest.fixture(scope="module")
def bj(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecoplan]:
    pytest.importorskip("pyspark")
    ep = Ecoplan(tmp_path_factory.mktemp("spark") / "bj.duckdb")
    ep.init()
    ep.air.load([BEIJING], "beijing-multisite")
    yield ep
    ep.close()


def test_beijing_2015_daily_identical_on_duckdb_and_spark(bj: Ecoplan) -> None:
    start, end = dt.date(2015, 1, 1), dt.date(2015, 12, 31)
    duck = bj.air.daily("110000", start, end, engine="duckdb")
    spark = bj.air.daily("110000", start, end, engine="spark")
    assert len(duck) == len(spark) == 365
    exact = ["day", "aqi", "aqi_raw", "level", "category_zh", "category_en", "primary", "valid", "complete"]
    exact += [c for c in duck.columns if c.startswith(("iaqi_", "n_"))]
    pd.testing.assert_frame_equal(duck[exact], spark[exact], check_dtype=False)
    for c in ("pm25", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h"):
        pd.testing.assert_series_equal(duck[c], spark[c], check_dtype=False, atol=1e-9, rtol=0)


def test_beijing_2015_evaluation_identical_on_duckdb_and_spark(bj: Ecoplan) -> None:
    a = bj.air.evaluate("110000", 2015, engine="duckdb").to_dict()
    b = bj.air.evaluate("110000", 2015, engine="spark").to_dict()
    assert (a.pop("engine"), b.pop("engine")) == ("duckdb", "spark")
    for k in ("days_valid", "good_days", "heavy_days", "severe_days", "excellent_days"):
        assert a[k] == b[k], k
    for k in (
        "pm25_annual_ugm3",
        "pm10_annual_ugm3",
        "so2_annual_ugm3",
        "no2_annual_ugm3",
        "co_p95_mgm3",
        "o3_8h_p90_ugm3",
    ):
        assert a[k] == pytest.approx(b[k], abs=1e-9), k
    assert a == b


def test_hourly_report_identical_on_duckdb_and_spark(bj: Ecoplan) -> None:
    t0, t1 = dt.datetime(2015, 12, 24), dt.datetime(2015, 12, 26, 23)
    duck = bj.air.hourly("110000", t0, t1, engine="duckdb")
    spark = bj.air.hourly("110000", t0, t1, engine="spark")
    assert len(duck) == len(spark) == 12 * 3 * 24
    exact = ["unit", "time", "aqi", "primary", "category_zh", "complete"]
    exact += [c for c in duck.columns if c.startswith("iaqi_")]
    pd.testing.assert_frame_equal(duck[exact], spark[exact], check_dtype=False)
    pd.testing.assert_series_equal(duck["pm25_24h"], spark["pm25_24h"], check_dtype=False, atol=1e-9, rtol=0)
