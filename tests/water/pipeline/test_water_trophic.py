"""Lake trophic state per station (TLI(Σ), 总站生字〔2001〕090号) from stored samples:
period means in SQL, the spec's TLI vector reproduced through the pipeline, river
stations left out, the reasons when no TLI can be computed, DuckDB = Spark."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tests.conftest import SHARED
from tests.water.pipeline.water_helpers import batch, sample, station

from ecoplan.store.engines import DuckDBEngine
from ecoplan.water.pipeline import TROPHIC_COLUMNS, register, trophic

VECTOR = next(
    v
    for v in json.loads((SHARED / "specs" / "water-soil-vectors.json").read_text("utf-8"))
    if v["kind"] == "TLI"
)


def _lake_rows(code: str, month: int, scale: float) -> list[dict[str, object]]:
    """Two samples in ``month`` whose mean is the spec vector's input × ``scale``/1 (chla in
    mg/L as CNEMC stores it: the vector's mg/m³ ÷ 1000)."""
    x = VECTOR["input"]
    t1, t2 = f"2025-{month:02d}-03 08:00", f"2025-{month:02d}-17 08:00"
    rows = []
    for item, v in (
        ("Chla", x["chla_mg_m3"] / 1000), ("TP", x["TP_mg_L"]), ("TN", x["TN_mg_L"]),
        ("SD", x["SD_m"]), ("CODMn", x["CODMn_mg_L"]),
    ):  # fmt: skip
        rows += [sample(code, t1, item, v * (1 - scale)), sample(code, t2, item, v * (1 + scale))]
    return rows


def _fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    sts = [
        station("L1", "130100", "lake", river="白洋淀"),
        station("L2", "130100", "lake", river="衡水湖"),
        station("L3", "130100", "lake", river="岗南水库"),
        station("R1", "130100", "river"),
    ]
    rows = _lake_rows("L1", 1, 0.1) + _lake_rows("L1", 2, 0.3)  # each month's mean = the vector
    rows += [r for r in _lake_rows("L2", 1, 0.0) if r["item"] != "SD"]  # no transparency
    rows += [
        *(r for r in _lake_rows("L3", 1, 0.0) if r["item"] != "TP"),
        sample("L3", "2025-01-03 08:00", "TP", 0.0),
    ]
    rows += _lake_rows("R1", 1, 0.0)  # a river: no trophic state
    b = batch(sts, rows)
    return b.samples, b.stations


def _run(engine: object) -> pd.DataFrame:
    s, st = _fixture()
    register(engine, s, st)  # type: ignore[arg-type]
    return trophic(engine, year=2025).set_index("station")  # type: ignore[arg-type]


def test_the_spec_vector_through_the_pipeline() -> None:
    got = _run(DuckDBEngine())
    assert list(got.reset_index().columns) == list(TROPHIC_COLUMNS)
    l1 = got.loc["L1"]
    assert l1["n_months"] == 2 and l1["n_params"] == 5
    assert l1["chla_mg_m3"] == pytest.approx(VECTOR["input"]["chla_mg_m3"])
    assert l1["tli"] == pytest.approx(VECTOR["expected"]["TLI_sum"], abs=5e-5)
    assert l1["grade"] == "mesotrophic" and VECTOR["expected"]["grade"] == "中营养"
    assert "R1" not in got.index  # rivers have no trophic state


def test_no_tli_says_why() -> None:
    got = _run(DuckDBEngine())
    assert got.loc["L2", "n_params"] == 4 and pd.isna(got.loc["L2", "tli"])
    assert got.loc["L2", "reason"] == "too_few_params"
    assert got.loc["L3", "reason"] == "nonpositive" and pd.isna(got.loc["L3", "tli"])


def test_four_parameters_as_the_documented_option() -> None:
    eng = DuckDBEngine()
    s, st = _fixture()
    register(eng, s, st)
    got = trophic(eng, year=2025, min_params=4).set_index("station")
    # without SD the weights are renormalised over the four others: a different, lower-weighted sum
    assert (
        got.loc["L2", "n_params"] == 4 and 40 < got.loc["L2", "tli"] < 55 and pd.isna(got.loc["L2", "reason"])
    )
    assert got.loc["L2", "tli"] != pytest.approx(VECTOR["expected"]["TLI_sum"], abs=1e-3)


@pytest.mark.spark
def test_duckdb_and_spark_agree() -> None:
    pytest.importorskip("pyspark")
    from ecoplan.store.engines import SparkEngine

    a, b = _run(DuckDBEngine()), _run(SparkEngine())
    pd.testing.assert_frame_equal(a.sort_index(), b.sort_index(), check_dtype=False, atol=1e-9, rtol=0)
