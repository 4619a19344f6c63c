"""``/api/v1/climate`` on a real uvicorn server over a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from tests.conftest import write_csv
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan


def test_the_climate_api(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.climate.load_energy(
            write_csv(
                tmp_path / "e.csv",
                [
                    "region,year,fuel,amount,unit",
                    "130000,2023,raw_coal,100,万吨",
                    "130000,2019,electricity,1,亿千瓦时",
                ],
            )
        )
    with serving(create_app(db)) as url:
        got = httpx.get(
            f"{url}/api/v1/climate/intensity",
            params={"base_emissions": 100, "base_gdp": 50, "emissions": 90, "gdp": 60},
        )
        assert got.status_code == 200
        assert got.json() == {"intensity_base": 2.0, "intensity": 1.5, "decline_pct": 25.0}
        assert (
            httpx.get(
                f"{url}/api/v1/climate/intensity",
                params={"base_emissions": 1, "base_gdp": 0, "emissions": 1, "gdp": 1},
            ).status_code
            == 422
        )

        inv = httpx.get(f"{url}/api/v1/climate/inventory", params={"region": "130000"}).json()
        assert [(r["region"], r["year"], r["fuel"]) for r in inv["rows"]] == [("130000", 2023, "raw_coal")]
        assert inv["rows"][0]["co2_t"] == pytest.approx(1_900_298.8488)
        # 2019 has no published grid factor: refused, never another year's
        assert [(r["row"], r["reason"]) for r in inv["rejected"]] == [(0, "no_grid_factor")]

        f = httpx.get(f"{url}/api/v1/climate/factors").json()
        assert f["fuels"]["raw_coal"]["status"] == "secondary"
        assert round(f["fuels"]["raw_coal"]["kg_co2_per_unit"], 4) == 1.9003
        assert {(g["year"], g["series"], g["status"]) for g in f["grid"]} >= {
            (2023, "average", "secondary"),
            (2022, "carbon_market_grid", "unconfirmed"),
        }
