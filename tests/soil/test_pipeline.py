"""The soil SQL against the pure calculators, on the Qiyang samples and the example register,
and DuckDB against real PySpark local mode."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import SHARED

from ecoplan.soil.pipeline import class_counts, classify_samples, rates_table
from ecoplan.soil.readers import read
from ecoplan.soil.standards import gb15618_2018 as g
from ecoplan.soil.standards import safe_use as su
from ecoplan.store.engines import DuckDBEngine, SparkEngine

QIYANG = SHARED / "data" / "soil" / "qiyang_hunan_soil_cd_pri_Cd_data.csv"
DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "soil" / "data"


@pytest.fixture(scope="module")
def samples() -> pd.DataFrame:
    return read("qiyang-cd", [QIYANG]).rows


@pytest.fixture(scope="module")
def register() -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        read("farmland-units", [DATA / "qiyang_farmland_units_example.csv"]).rows,
        read("plots", [DATA / "qiyang_plots_example.csv"]).rows,
    )


def test_qiyang_counts(samples: pd.DataFrame) -> None:
    e = DuckDBEngine()
    counts = class_counts(e, classify_samples(e, samples))
    got = {(r.land_use, r.category): r.samples for r in counts.itertuples()}
    # shared/data/soil/README.md: Paddy 55 + 28, Upland 21 + 32, no 严格管控类
    assert got == {
        ("paddy", "priority_protection"): 55,
        ("paddy", "safe_use"): 28,
        ("other", "priority_protection"): 21,
        ("other", "safe_use"): 32,
    }


def test_sql_agrees_with_the_calculator(samples: pd.DataFrame) -> None:
    extra = pd.DataFrame(
        [
            {
                "sample_id": "x1",
                "region": "431181",
                "land_use": "orchard",
                "ph": 6.0,
                "Cu": 180.0,
                "Zn": 150.0,
                "Cd": 0.2,
            },
            {"sample_id": "x2", "region": "431181", "land_use": "other", "ph": 7.8, "As": 110.0},
            {"sample_id": "x3", "region": "431181", "land_use": "paddy", "ph": None, "Cd": 0.3},
            {"sample_id": "x4", "region": "431181", "land_use": "paddy", "ph": 5.5, "Hg": 0.5, "Pb": 400.0},
        ]
    ).reindex(columns=samples.columns)
    allrows = pd.concat([samples, extra], ignore_index=True)
    for inc in (False, True):
        sql = classify_samples(DuckDBEngine(), allrows, include_cu_ni_zn=inc).set_index("sample_id")
        for r in allrows.itertuples(index=False):
            metals = {m: getattr(r, m) for m in g.BASIC}
            ph = None if pd.isna(r.ph) else r.ph
            want = g.classify(
                r.land_use,
                ph,
                {k: (None if pd.isna(v) else v) for k, v in metals.items()},
                include_cu_ni_zn=inc,
            )
            got = sql.loc[r.sample_id, "category"]
            assert (None if pd.isna(got) else got) == want.category, r.sample_id
    x3 = classify_samples(DuckDBEngine(), allrows).set_index("sample_id").loc["x3"]
    assert x3["reason"] == "ph_missing"


def test_unit_means(samples: pd.DataFrame) -> None:
    units = classify_samples(DuckDBEngine(), samples, per_unit=True).set_index("sample_id")
    assert list(units.index) == ["431181:other", "431181:paddy"]
    for lu in ("other", "paddy"):
        sub = samples[samples["land_use"] == lu]
        row = units.loc[f"431181:{lu}"]
        assert row["samples"] == len(sub)
        assert row["Cd"] == pytest.approx(sub["Cd"].mean()) and row["ph"] == pytest.approx(sub["ph"].mean())
        assert row["category"] == g.classify(lu, sub["ph"].mean(), {"Cd": sub["Cd"].mean()}).category


def test_rates_agree_with_the_calculator(register: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    units, plots = register
    table = rates_table(DuckDBEngine(), units, plots).set_index("year")
    for y in (2018, 2019, 2020):
        u = [
            su.Unit(r.unit_id, r.area_hm2, r.level, r.measure, r.crop_compliant)
            for r in units[units.year == y].itertuples()
        ]
        p = [
            su.Plot(r.plot_id, r.contaminated, r.status, r.planned_reuse, r.reuse_compliant, r.key)
            for r in plots[plots.year == y].itertuples()
        ]
        assert table.loc[y, "farmland_safe_use_pct"] == su.farmland_rate(u).value_pct
        assert table.loc[y, "site_safe_use_pct"] == su.site_rate(p).value_pct
        assert table.loc[y, "key_site_safe_use_pct"] == su.site_rate(p, key_only=True).value_pct
    # by hand, 2020: B = 1200 + 800 亩, C = 900 + 650 亩, D = 150 亩, E = 4120 亩 → 3700/4120
    assert table.loc[2020, "farmland_safe_use_pct"] == 89.8
    assert table.loc[2020, "sites_safe"] == 2 and table.loc[2020, "sites_counted"] == 3


@pytest.mark.spark
def test_duckdb_and_spark_agree(samples: pd.DataFrame, register: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    pytest.importorskip("pyspark")
    duck, spark = DuckDBEngine(), SparkEngine()
    a = classify_samples(duck, samples)[
        ["sample_id", "band", "Cd_screening", "Cd_intervention", "Cd_level", "level", "category"]
    ]
    b = classify_samples(spark, samples)[list(a.columns)]
    pd.testing.assert_frame_equal(a.astype(str), b.astype(str))
    ca, cb = (
        class_counts(duck, classify_samples(duck, samples)),
        class_counts(spark, classify_samples(spark, samples)),
    )
    pd.testing.assert_frame_equal(ca.astype(str), cb.astype(str))
    ua, ub = (classify_samples(e, samples, per_unit=True) for e in (duck, spark))
    cols = ["sample_id", "samples", "level", "category"]
    pd.testing.assert_frame_equal(ua[cols].astype(str), ub[cols].astype(str))
    assert ua["Cd"].to_numpy() == pytest.approx(ub["Cd"].to_numpy(), rel=1e-12)
    ra, rb = rates_table(duck, *register), rates_table(spark, *register)
    pd.testing.assert_frame_equal(ra, rb, check_dtype=False)
