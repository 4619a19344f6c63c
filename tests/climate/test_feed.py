"""Energy use and GDP stored on a real DuckDB file, the CO2-intensity feed, and the assessment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import click
import pytest
import typer
from click.testing import CliRunner
from tests.conftest import write_csv

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.climate.feed import gdp_pair
from ecoplan.climate.readers import GdpLine
from ecoplan.core.errors import InputFileError
from ecoplan.core.feeds import Skip
from ecoplan.reports.domains import domain_sections

CLI = cast(click.Command, typer.main.get_command(cli_app))  # typer's own click, same protocol
runner = CliRunner()

#: 2015: 100 × 10⁴ t raw coal → 1 900 298.8488 t CO2; 2020: 90 × 10⁴ t → 1 710 268.96392 t,
#: plus 30 × 10⁴ t diesel as feedstock (excluded). GDP 1000 in 2015, +10 % a year for five
#: years at constant prices: 1610.51. Decline = 1 − 0.9 / 1.61051 = 44.117… % → 44.12.
ENERGY = [
    "region,year,fuel,amount,unit,use",
    "000000,2015,raw_coal,100,万吨,",
    "000000,2020,raw_coal,90,万吨,",
    "000000,2020,diesel,30,万吨,feedstock",
]
GDP = ["region,year,gdp,prices,index", "000000,2015,1000,current,"] + [
    f"000000,{y},,,110" for y in range(2016, 2021)
]


def _load(ep: Ecoplan, tmp_path: Path) -> None:
    ep.climate.load_energy(write_csv(tmp_path / "e.csv", ENERGY))
    ep.climate.load_gdp(write_csv(tmp_path / "g.csv", GDP))


def test_store_feed_and_assessment(ep: Ecoplan, tmp_path: Path) -> None:
    before = ep.climate.state()
    bad = write_csv(
        tmp_path / "bad.csv",
        ["region,year,fuel,amount,unit", "999998,2015,raw_coal,1,t", "000000,2015,coke,x,t"],
    )
    with pytest.raises(InputFileError) as e:
        ep.climate.load_energy(bad)
    assert {(p.row, p.field, p.reason) for p in e.value.problems} == {
        (2, "region", "unknown_region"),
        (3, "amount", "bad_number"),
    }
    assert ep.climate.state() == before and ep.climate.store.energy() == []  # nothing stored

    _load(ep, tmp_path)
    again = ep.climate.load_energy(write_csv(tmp_path / "e.csv", ENERGY))
    assert (again.rows_new, again.rows_replaced, again.rows_unchanged) == (0, 0, 3)

    fr = ep.climate.feed()
    assert [(r.plan, r.indicator, r.region, r.year, r.value) for r in fr.rows] == [
        ("cn-13th-eco-mee2020", "co2-intensity", "000000", 2020, 44.12)
    ]
    assert all(r.source == "pipeline climate" and r.basis == "change" for r in fr.rows)
    assert fr.result.inserted == 1
    assert ep.climate.feed().result.unchanged == 1  # re-running writes nothing new
    a = ep.assess("cn-13th-eco-mee2020", region="000000", year=2020).to_dict()
    row = next(i for i in a["indicators"] if i["id"] == "co2-intensity")
    assert (row["value"], row["value_source"], row["status"]) == (44.12, "pipeline climate", "achieved")

    # the report's climate section: 10⁴ t CO2 per year, base year to report year
    sec = next(
        d
        for d in domain_sections(ep, ep.catalog.plan("cn-13th-eco-mee2020"), "000000", 2020, "en")
        if d["domain"] == "climate"
    )
    assert sec["title"] == "Energy-related CO2 emissions"
    assert sec["rows"] == [[2015, 190.03, 0.0, 190.03], [2020, 171.03, 0.0, 171.03]]
    zh = next(
        d
        for d in domain_sections(ep, ep.catalog.plan("cn-13th-eco-mee2020"), "000000", 2020, "zh")
        if d["domain"] == "climate"
    )
    assert zh["header"][3] == "合计（万吨二氧化碳）"

    # a new file for 2020 replaces that year whole: 80 × 10⁴ t → 1 − 0.8/1.61051 = 50.33 %
    ep.climate.load_energy(
        write_csv(tmp_path / "e2.csv", ["region,year,fuel,amount,unit", "000000,2020,raw_coal,80,万吨"])
    )
    lines = [ln for ln in ep.climate.store.energy("000000") if ln.year == 2020]
    assert [(ln.fuel, ln.amount) for ln in lines] == [("raw_coal", 80.0)]
    fr = ep.climate.feed()
    assert [r.value for r in fr.rows] == [50.33] and fr.result.revised == 1


def _years_without_what_they_need_are_skipped_with_a_reason(ep: Ecoplan, tmp_path: Path) -> None:
    ep.climate.load_energy(
        write_csv(
            tmp_path / "e.csv",
            [*ENERGY, "000000,2018,raw_coal,95,万吨,", "000000,2019,electricity,10,亿千瓦时,"],
        )
    )
    ep.climate.load_gdp(write_csv(tmp_path / "g.csv", GDP[:3]))  # 2015 and the 2016 index only
    fr = ep.climate.feed("000000", years=[2018, 2019, 2020])
    assert fr.rows == []
    why = {(y, s.key) for p, _, _, y, s in fr.skipped if p == "cn-13th-eco-mee2020"}
    assert why == {
        (2018, "climate.skip.no_constant_gdp"),
        (2019, "climate.skip.no_grid_factor"),
        (2020, "climate.skip.no_constant_gdp"),
    }


def test_gdp_pairs() -> None:
    def g(y: int, gdp: float | None, prices: str = "current", index: float | None = None) -> GdpLine:
        return GdpLine(0, "x", y, gdp, prices, index)

    assert gdp_pair({2015: g(2015, 100, "2010"), 2020: g(2020, 130, "2010")}, 2015, 2020) == (100, 130)
    assert gdp_pair({2015: g(2015, 100), 2020: g(2020, 125, "2015")}, 2015, 2020) == (100, 125)
    chained = gdp_pair(
        {2015: g(2015, 100), 2016: g(2016, None, index=105), 2017: g(2017, 999, index=110)}, 2015, 2017
    )
    assert not isinstance(chained, Skip)
    assert chained[0] == 100 and chained[1] == pytest.approx(115.5)
    # current prices in the report year are not constant prices: no value
    assert isinstance(gdp_pair({2015: g(2015, 100), 2020: g(2020, 180)}, 2015, 2020), Skip)


def test_the_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    with Ecoplan(db) as ep:
        ep.init()
    e, g = write_csv(tmp_path / "e.csv", ENERGY), write_csv(tmp_path / "g.csv", GDP)
    res = runner.invoke(CLI, ["climate", "load", str(e), "--db", db, "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == "energy use: 3 rows read, 3 new, 0 replaced, 0 unchanged"
    res = runner.invoke(CLI, ["climate", "load", str(g), "--kind", "gdp", "--db", db])
    assert res.stdout.strip() == "地区生产总值：读入 6 行，新增 6，替换 0，未变 0"
    res = runner.invoke(CLI, ["climate", "feed", "--db", db, "--format", "json"])
    out = json.loads(res.stdout)
    assert {(r["plan"], r["value"]) for r in out["rows"]} >= {("cn-13th-eco-mee2020", 44.12)}
    res = runner.invoke(
        CLI, ["assess", "cn-13th-eco-mee2020", "--year", "2020", "--db", db, "--format", "json"]
    )
    row = next(i for i in json.loads(res.stdout)["indicators"] if i["id"] == "co2-intensity")
    assert (row["value"], row["value_source"]) == (44.12, "pipeline climate")
    bad = write_csv(tmp_path / "b.csv", ["region,year,gdp", "000000,2015,-1"])
    res = runner.invoke(CLI, ["climate", "load", str(bad), "--kind", "gdp", "--db", db, "--lang", "en"])
    assert res.exit_code == 1 and "row 2" in res.stderr and "bad_number" in res.stderr


def test_skipped_years_and_the_energy_feeds(ep: Ecoplan, tmp_path: Path) -> None:
    """Two regions in one store (one store set-up for both, to keep the suite fast)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _years_without_what_they_need_are_skipped_with_a_reason(ep, tmp_path / "a")
    _energy_intensity_and_nonfossil_share(ep, tmp_path / "b")


def _energy_intensity_and_nonfossil_share(ep: Ecoplan, tmp_path: Path) -> None:
    # Hebei: total 100 → 105 (non-fossil 7 → 12), GDP 1000 (2020, current) → 1150 (2023 at 2020
    # prices): energy intensity 1 − (105/1150)/(100/1000) = 8.6957 % → 8.70; share 7.00, 11.43.
    ep.climate.load_totals(
        write_csv(
            tmp_path / "t.csv",
            ["地区,年份,能源消费总量,非化石能源消费量", "130000,2020,100,7", "130000,2023,105,12"],
        )
    )
    ep.climate.load_gdp(
        write_csv(
            tmp_path / "g.csv",
            ["region,year,gdp,prices", "130000,2020,1000,current", "130000,2023,1150,2020"],
        )
    )
    fr = ep.climate.feed("130000")
    got = {(r.plan, r.indicator, r.year): (r.value, r.basis) for r in fr.rows}
    assert got[("hebei-14th-eco", "climate-energy-intensity", 2023)] == (8.70, "change")
    assert got[("cn-14th-eco", "energy-intensity-decline", 2023)] == (8.70, "change")
    assert got[("hebei-14th-eco", "climate-nonfossil-share", 2020)] == (7.00, "level")
    assert got[("hebei-14th-eco", "climate-nonfossil-share", 2023)] == (11.43, "level")
    assert not any(i == "co2-intensity-decline" for _, i, _ in got)  # no energy use loaded
    bad = write_csv(tmp_path / "b.csv", ["region,year,total,nonfossil", "130000,2024,100,120"])
    with pytest.raises(InputFileError) as e:
        ep.climate.load_totals(bad)
    assert [(p.row, p.field, p.reason) for p in e.value.problems] == [(2, "nonfossil", "bad_share")]
