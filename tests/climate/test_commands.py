"""``ecoplan climate intensity|schedule|inventory`` through the real CLI, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import cast

import click
import pytest
import typer
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.cli import app as cli_app
from ecoplan.climate.commands.intensity import intensity_result
from ecoplan.core.words.purity import foreign

runner = CliRunner()
#: The whole CLI, built once (typer builds its command tree on every invoke otherwise).
CLI = cast(click.Command, typer.main.get_command(cli_app))  # typer's own click, same protocol
_CJK = re.compile("[\u3400-\u9fff]")


def _run(args: list[str], code: int = 0) -> tuple[str, str]:
    res = runner.invoke(CLI, args)
    assert res.exit_code == code, (res.stdout, res.stderr)
    return res.stdout, res.stderr


def _intensity(e0: float, g0: float, e: float, g: float) -> dict[str, float]:
    out, _ = _run(
        [
            "climate",
            "intensity",
            "--base-emissions",
            str(e0),
            "--base-gdp",
            str(g0),
            "--emissions",
            str(e),
            "--gdp",
            str(g),
            "--format",
            "json",
        ]
    )
    res: dict[str, float] = json.loads(out)
    return res


def test_the_contract() -> None:
    assert _intensity(100, 50, 90, 60) == {"intensity_base": 2.0, "intensity": 1.5, "decline_pct": 25.0}
    # 90/110 against 1: 0.818181… → 18.1818… % → 18.18
    res = _intensity(100, 100, 90, 110)
    assert set(res) == {"intensity_base", "intensity", "decline_pct"}
    assert res["decline_pct"] == 18.18
    # a rise is a negative decline: 1.1 → −10.00
    assert _intensity(1000, 100, 1100, 100)["decline_pct"] == -10.0


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
)
def test_decline_is_rounded_to_two_decimals(e0: int, g0: int, e: int, g: int) -> None:
    # the command prints intensity_result as it is (test_the_contract); checked here without a process
    res = intensity_result(e0, g0, e, g)
    d = res["decline_pct"]
    assert d == round(d, 2)
    exact = (1 - (e / g) / (e0 / g0)) * 100
    assert abs(d - exact) <= 0.005 + 1e-9


def test_text_output_in_both_languages() -> None:
    args = [
        "climate",
        "intensity",
        "--base-emissions",
        "100",
        "--base-gdp",
        "50",
        "--emissions",
        "90",
        "--gdp",
        "60",
    ]
    zh, _ = _run(args)
    assert "累计降低：25.00%" in zh and not foreign(zh, "zh")
    en, _ = _run([*args, "--lang", "en"])
    assert "Cumulative decline: 25.00%" in en and not _CJK.search(en)


def test_bad_input_names_the_option_in_the_users_language() -> None:
    args = [
        "climate",
        "intensity",
        "--base-emissions",
        "100",
        "--base-gdp",
        "0",
        "--emissions",
        "9",
        "--gdp",
        "6",
    ]
    _, zh = _run(args, code=1)
    assert "`base-gdp` 应为正数" in zh
    _, en = _run([*args, "--lang", "en"], code=1)
    assert "`base-gdp` must be positive, got 0" in en


def test_schedule() -> None:
    out, _ = _run(
        [
            "climate",
            "schedule",
            "--target",
            "18",
            "--years",
            "5",
            "--achieved",
            "10",
            "--elapsed",
            "3",
            "--format",
            "json",
        ]
    )
    res = json.loads(out)
    assert res["linear"] == [3.6, 7.2, 10.8, 14.4, 18.0]
    assert res["compound"] == [3.89, 7.63, 11.23, 14.68, 18.0]
    assert res["yearly_rate_pct"] == 3.89
    assert res["required_yearly_pct"] == 4.55
    _, errs = _run(
        ["climate", "schedule", "--target", "18", "--years", "5", "--achieved", "10", "--lang", "en"], code=1
    )
    assert "--elapsed" in errs


@pytest.fixture
def energy(tmp_path: Path) -> Path:
    p = tmp_path / "hebei.csv"
    p.write_text(
        "地区,年份,能源品种,消费量,单位,用途,部门\n"
        "130000,2023,原煤,100,万吨,燃烧,industry\n"
        "130000,2023,natural_gas,2,亿立方米,,\n"
        "130000,2023,diesel,50,万吨,non_energy,\n"
        "130000,2023,electricity,10,亿千瓦时,,\n"
        "130000,2022,electricity,-1,亿千瓦时,,\n",
        encoding="utf-8",
    )
    return p


def test_inventory_json(energy: Path) -> None:
    out, _ = _run(["climate", "inventory", str(energy), "--format", "json"])
    res = json.loads(out)
    co2 = {(r["year"], r["fuel"]): r["co2_t"] for r in res["rows"]}
    # 10⁶ t × 1.9002988488 t/t; 2 × 10⁸ m³ × 2.162188809 kg/m³; 10⁶ MWh × 0.5306; −10⁵ MWh × 0.5366
    assert co2[(2023, "raw_coal")] == pytest.approx(1_900_298.8488)
    assert co2[(2023, "natural_gas")] == pytest.approx(432_437.7618)
    assert co2[(2023, "electricity")] == pytest.approx(530_600.0)
    assert co2[(2022, "electricity")] == pytest.approx(-53_660.0)
    assert (2023, "diesel") not in co2
    total = {t["year"]: t for t in res["totals"]}[2023]
    assert total["combustion_t"] == pytest.approx(1_900_298.8488 + 432_437.7618)
    assert total["total_t"] == pytest.approx(1_900_298.8488 + 432_437.7618 + 530_600.0)
    assert res["excluded"] == [
        {"region": "130000", "year": 2023, "fuel": "diesel", "unit": "万吨", "amount": 50.0}
    ]
    assert res["grid"]["2023"]["status"] == "secondary"
    assert res["factors"]["raw_coal"]["status"] == "secondary"


def test_inventory_text_in_both_languages(energy: Path) -> None:
    zh, _ = _run(["climate", "inventory", str(energy)])
    assert "130000 2023 年 原煤（industry）：190.03 万吨二氧化碳" in zh
    assert "柴油 非能源利用 50 万吨" in zh
    en, _ = _run(["climate", "inventory", str(energy), "--lang", "en"])
    assert "130000 2023 raw coal (industry): 190.03 10⁴ t CO2" in en
    assert (
        "130000 2023 diesel non-energy use 50 万吨: not counted as combustion" in en
    )  # the file's unit as given


def test_inventory_refuses_a_bad_file_whole(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "region,year,fuel,amount,unit,use\n"
        "11,20x,peat,1,t,\n"
        "11,2020,diesel,5,m3,\n"
        "11,2020,coke,abc,t,burn\n"
        "11,2019,electricity,5,MWh,\n"
        "11,2020,coke,5,t,\n",
        encoding="utf-8",
    )
    out, errs = _run(["climate", "inventory", str(bad), "--lang", "en"], code=1)
    assert out == ""
    for line in (
        "row 2 year=20x: not a year",
        "row 2 fuel=peat: no such fuel",
        "row 3 unit=m3: unit does not fit the fuel",
        "row 4 amount=abc: not a number",
        "row 4 use=burn: use must be",
        "row 5 year=2019: no published grid emission factor",
        "6 problem(s); nothing was computed",
    ):
        assert line in errs.replace("\n", " "), line
    _, zh = _run(["climate", "inventory", str(bad)], code=1)
    assert "拒收" in zh and "第3行" in zh


def test_inventory_with_the_users_grid_table(tmp_path: Path, energy: Path) -> None:
    grid = tmp_path / "grid.csv"
    grid.write_text(
        "year,series,region,value,unit,document,status\n"
        "2023,average,hebei,0.7,tCO2/MWh,my doc,primary\n"
        "2022,average,hebei,0.8,tCO2/MWh,my doc,unconfirmed\n",
        encoding="utf-8",
    )
    out, _ = _run(
        [
            "climate",
            "inventory",
            str(energy),
            "--grid",
            str(grid),
            "--grid-region",
            "hebei",
            "--format",
            "json",
        ]
    )
    res = json.loads(out)
    co2 = {(r["year"], r["fuel"]): r["co2_t"] for r in res["rows"]}
    assert co2[(2023, "electricity")] == pytest.approx(700_000.0)
    en, _ = _run(
        ["climate", "inventory", str(energy), "--grid", str(grid), "--grid-region", "hebei", "--lang", "en"]
    )
    assert "unconfirmed: 2022" in en


def test_clinker() -> None:
    out, _ = _run(
        ["climate", "clinker", "--clinker", "1000000", "--cao", "0.65", "--mgo", "0.015", "--format", "json"]
    )
    res = json.loads(out)
    # 0.65 × 44/56 + 0.015 × 44/40 = 0.510714… + 0.0165
    assert res["factor_t_per_t"] == pytest.approx(0.5272142857)
    assert res["co2_t"] == pytest.approx(527_214.2857)
    assert "UNCONFIRMED" in res["method"]
    zh, _ = _run(["climate", "clinker", "--clinker", "1000000", "--cao", "0.65", "--mgo", "0.015"])
    assert "0.5272 吨二氧化碳/吨熟料" in zh and not foreign(zh, "zh")
    _, errs = _run(["climate", "clinker", "--clinker", "1000", "--lang", "en"], code=1)
    assert "--cao" in errs


def test_inventory_reads_xlsx(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["地区", "年份", "能源品种", "消费量", "单位"])
    ws.append(["130000", 2023.0, "原煤", 100, "万吨"])  # Excel's 2023.0 is the year 2023
    ws.append(["130000", 2023, "天然气", 2.5, "亿立方米"])
    path = tmp_path / "hebei.xlsx"
    wb.save(path)
    out, _ = _run(["climate", "inventory", str(path), "--format", "json"])
    co2 = {r["fuel"]: r["co2_t"] for r in json.loads(out)["rows"]}
    # 2.5 × 10⁸ m³ × 2.162188809 kg/m³ = 540 547.20225 t
    assert co2 == {"raw_coal": pytest.approx(1_900_298.8488), "natural_gas": pytest.approx(540_547.20225)}
