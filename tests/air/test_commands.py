"""``ecoplan aqi`` and ``ecoplan air …`` end to end on a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import SHARED, write_csv
from typer.testing import CliRunner

from ecoplan.cli import app

runner = CliRunner()
BEIJING = SHARED / "data" / "beijing-multisite"
DONGSI = BEIJING / "PRSA_Data_Dongsi_20130301-20170228.csv.gz"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cliair") / "air.duckdb")
    assert runner.invoke(app, ["init", "--db", path]).exit_code == 0
    res = runner.invoke(app, ["air", "load", str(BEIJING), "--format", "beijing-multisite", "--db", path])
    assert res.exit_code == 0, res.output
    assert "420768 个站点小时" in res.output and "剔除数值：无" in res.output
    return path


def test_aqi_json_contract() -> None:
    res = runner.invoke(
        app,
        [
            "aqi",
            "--daily",
            "--pm25",
            "35.1",
            "--pm10",
            "45",
            "--so2",
            "8",
            "--no2",
            "30",
            "--co",
            "0.8",
            "--o3-8h",
            "70",
            "--o3-1h",
            "90",
            "--edition",
            "2012",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert {
        k: d[k] for k in ("aqi", "level", "category_zh", "category_en", "primary_pollutants", "edition")
    } == {
        "aqi": 51,
        "level": 2,
        "category_zh": "良",
        "category_en": "Good",
        "primary_pollutants": ["PM2.5"],
        "edition": "2012",
    }
    assert d["iaqi"]["pm25_24h"] == 51 and d["iaqi"]["o3_1h"] == 29


def test_aqi_editions_differ_on_pm25() -> None:
    a = json.loads(
        runner.invoke(app, ["aqi", "--pm25", "75", "--edition", "2012", "--format", "json"]).output
    )
    b = json.loads(
        runner.invoke(app, ["aqi", "--pm25", "75", "--edition", "2026", "--format", "json"]).output
    )
    assert (a["aqi"], b["aqi"]) == (100, 114)


def test_aqi_hourly_2012_needs_the_pm_moving_average() -> None:
    res = runner.invoke(app, ["aqi", "--hourly", "--pm25", "150", "--edition", "2012"])
    assert res.exit_code == 1 and "24-h moving average" in res.output
    args = "--so2 30 --no2 250 --co 1.5 --o3-1h 20 --o3-8h 25 --pm10-24h 120 --pm25-24h 80 --pm25 150"
    ok = runner.invoke(app, ["aqi", "--hourly", *args.split(), "--edition", "2012", "--format", "json"])
    assert json.loads(ok.output)["aqi"] == 107  # spec V13


def test_aqi_negative_is_an_error() -> None:
    res = runner.invoke(app, ["aqi", "--pm25", "-1"])
    assert res.exit_code == 1 and "negative" in res.output


def test_air_evaluate_json_contract(db: str) -> None:
    res = runner.invoke(
        app, ["air", "evaluate", "--region", "110000", "--year", "2015", "--format", "json", "--db", db]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    want = {
        "region",
        "year",
        "edition",
        "stations",
        "days_valid",
        "good_days",
        "good_days_ratio_pct",
        "heavy_days",
        "heavy_days_ratio_pct",
        "pm25_annual_ugm3",
        "pm10_annual_ugm3",
        "so2_annual_ugm3",
        "no2_annual_ugm3",
        "co_p95_mgm3",
        "o3_8h_p90_ugm3",
        "attainment",
        "composite_index",
    }
    assert want <= set(d)
    # Regression value of ecoplan itself on the Beijing data (not an independent figure;
    # it happens to equal the bulletin's 186): the CLI prints what the pipeline computes.
    # The comparison with the published figures is tests/pipelines/test_air_pipeline.py::
    # test_beijing_figures_agree_with_the_published_bulletins.
    assert d["good_days"] == 186 and d["stations"] == 12


def test_air_evaluate_table_in_both_languages(db: str) -> None:
    zh = runner.invoke(app, ["air", "evaluate", "--region", "110000", "--year", "2013", "--db", db])
    en = runner.invoke(
        app, ["air", "evaluate", "--region", "110000", "--year", "2013", "--db", db, "--lang", "en"]
    )
    assert "年评价统计无效" in zh.output and "无效" in zh.output
    assert "annual statistics invalid: 306 valid days < 324" in en.output


def test_air_daily_csv_and_parquet(db: str, tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        [
            "air",
            "daily",
            "--region",
            "110000",
            "--from",
            "2015-01-01",
            "--to",
            "2015-01-31",
            "--format",
            "csv",
            "--db",
            db,
        ],
    )
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("region,day,edition,aqi,level") and len(lines) == 32
    out = tmp_path / "d.parquet"
    res = runner.invoke(
        app,
        [
            "air",
            "daily",
            "--region",
            "110000",
            "--from",
            "2015-01-01",
            "--to",
            "2015-12-31",
            "--format",
            "parquet",
            "-o",
            str(out),
            "--db",
            db,
        ],
    )
    assert res.exit_code == 0 and len(pd.read_parquet(out)) == 365


def test_air_daily_bad_dates(db: str) -> None:
    res = runner.invoke(
        app, ["air", "daily", "--region", "110000", "--from", "2015-13-01", "--to", "2015-01-02", "--db", db]
    )
    assert res.exit_code != 0 and "YYYY-MM-DD" in res.output


def test_air_rank_and_status(db: str) -> None:
    res = runner.invoke(app, ["air", "rank", "--year", "2015", "--format", "json", "--db", db])
    rows = json.loads(res.output)
    assert rows[0]["region"] == "110000" and rows[0]["rank"] == 1
    st = runner.invoke(app, ["air", "status", "--format", "json", "--db", db])
    assert json.loads(st.output)["stations"] == 12


def _cells(out: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip("│").split("│")] for line in out.splitlines() if line.startswith("│")
    ]


def test_air_rank_table_in_both_languages(db: str) -> None:
    zh = runner.invoke(app, ["air", "rank", "--year", "2015", "--db", db])
    assert zh.exit_code == 0, zh.output
    assert "名次" in zh.output and "综合指数" in zh.output and "首要污染物" in zh.output
    assert "PM2.5年均浓度" in zh.output and "优良天数比例" in zh.output and "rank" not in zh.output
    (row,) = _cells(zh.output)
    assert row[:2] == ["1", "北京市（110000）"] and row[3] == "PM2.5"
    assert row[4].endswith(" µg/m³") and row[5].endswith(" %")
    en = runner.invoke(app, ["air", "rank", "--year", "2015", "--month", "3", "--lang", "en", "--db", db])
    assert "Composite index" in en.output and "PM2.5 monthly mean" in en.output
    assert _cells(en.output)[0][1] == "Beijing (110000)"


def test_air_daily_and_hourly_tables_in_both_languages(db: str) -> None:
    args = ["air", "daily", "--region", "110000", "--from", "2015-01-03", "--to", "2015-01-03", "--db", db]
    zh = runner.invoke(app, args)
    assert zh.exit_code == 0, zh.output
    assert "日期" in zh.output and "类别" in zh.output and "首要污染物" in zh.output
    assert "PM2.5（µg/m³）" in zh.output and "CO（mg/m³）" in zh.output and "primary" not in zh.output
    (row,) = _cells(zh.output)
    assert (row[0], row[2], row[3]) == ("2015-01-03", "重度污染", "PM2.5") and row[1].isdigit()
    en = runner.invoke(app, [*args, "--lang", "en"])
    assert "Heavily polluted" in en.output and "Primary pollutant" in en.output and "类别" not in en.output
    hourly = ["air", "hourly", "--region", "110000", "--from", "2015-01-01T00:00", "--to", "2015-01-01T01:00"]
    zh = runner.invoke(app, [*hourly, "--city", "--db", db])
    assert zh.exit_code == 0, zh.output
    assert "PM2.5 24小时平均（µg/m³）" in zh.output and _cells(zh.output)[0][0] == "北京市（110000）"
    en = runner.invoke(app, [*hourly, "--lang", "en", "--db", db])
    assert "Station" in en.output and "O3 8-h moving mean (µg/m³)" in en.output and "类别" not in en.output


def test_air_load_is_idempotent(db: str) -> None:
    args = ["air", "load", str(DONGSI), "--format", "beijing-multisite", "--db", db, "--lang", "en"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "0 new station-hours, 0 values revised, 35064 unchanged" in res.output
    assert "rejected values: none" in res.output and "warning" not in res.output


def test_air_load_bad_values_are_counted_with_reasons(tmp_path: Path) -> None:
    db = str(tmp_path / "bad.duckdb")
    runner.invoke(app, ["init", "--db", db])
    st = write_csv(tmp_path / "st.csv", ["code,name,region", "S1,Station 1,440700"])
    f = write_csv(
        tmp_path / "obs.csv",
        [
            "station,time,pm25,pm10,so2,no2,co[mg/m3],o3",
            "S1,2018-01-01 00:00,30,50,8,20,0.6,40",
            "S1,2018-01-01 01:00,-5,50,8,20,0.6,40",
            "S1,2018-01-01 02:00,abc,50,8,20,0.6,40",
            "S1,2018-01-01T03:00:00+00:00,30,50,8,20,0.6,40",
        ],
    )
    res = runner.invoke(
        app,
        [
            "air",
            "load",
            str(f),
            "--format",
            "wide-csv",
            "--stations",
            str(st),
            "--db",
            db,
            "--output-format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    rej = d["import"]["rejects"]
    assert (rej["negative"], rej["unparseable"], rej["timezone"]) == (1, 1, 6)
    stored = runner.invoke(app, ["air", "status", "--format", "json", "--db", db])
    assert json.loads(stored.output)["rejects"] == {"negative": 1, "timezone": 6, "unparseable": 1}


def test_air_load_undeclared_co_unit_names_file_and_column(tmp_path: Path) -> None:
    db = str(tmp_path / "u.duckdb")
    runner.invoke(app, ["init", "--db", db])
    st = write_csv(tmp_path / "st.csv", ["code,name,region", "S1,Station 1,440700"])
    f = write_csv(tmp_path / "obs.csv", ["station,time,pm25,co", "S1,2018-01-01 00:00,30,0.6"])
    res = runner.invoke(
        app, ["air", "load", str(f), "--format", "wide-csv", "--stations", str(st), "--db", db]
    )
    assert res.exit_code == 1
    assert "obs.csv" in res.output and "co" in res.output and "not declared" in res.output
    ok = runner.invoke(
        app,
        [
            "air",
            "load",
            str(f),
            "--format",
            "wide-csv",
            "--stations",
            str(st),
            "--db",
            db,
            "--unit",
            "co=mg/m3",
        ],
    )
    assert ok.exit_code == 0, ok.output


def test_air_load_unknown_region_in_station_file(tmp_path: Path) -> None:
    db = str(tmp_path / "r.duckdb")
    runner.invoke(app, ["init", "--db", db])
    st = write_csv(tmp_path / "st.csv", ["code,name,region", "S1,Station 1,999999"])
    f = write_csv(tmp_path / "obs.csv", ["station,time,pm25", "S1,2018-01-01 00:00,30"])
    res = runner.invoke(
        app, ["air", "load", str(f), "--format", "wide-csv", "--stations", str(st), "--db", db]
    )
    assert res.exit_code == 1 and "999999" in res.output


def _messy(tmp_path: Path, n_bad: int) -> tuple[str, Path, Path]:
    """A store, a station file and a wide file whose rows 2.. give n_bad bad PM2.5 values."""
    db = str(tmp_path / "messy.duckdb")
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    st = write_csv(tmp_path / "st.csv", ["code,name,region", "S1,Station 1,440700"])
    rows = ["station,time,pm25,co[mg/m3]"]
    for i in range(n_bad):
        rows.append(f"S1,2018-01-{1 + i // 24:02d} {i % 24:02d}:00,{-i - 1 if i % 2 else '[x]'},0.6")
    rows.append("S9,2018-03-01 00:00,35,0.7")  # unknown station: both values rejected
    return db, st, write_csv(tmp_path / "obs.csv", rows)


def test_air_load_lists_rejected_rows_in_table_and_json(tmp_path: Path) -> None:
    db, st, f = _messy(tmp_path, 24)
    base = ["air", "load", str(f), "--format", "wide-csv", "--stations", str(st), "--db", db]
    res = runner.invoke(app, [*base, "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "rejected values: negative value 12, not a number 12, unknown station 2" in res.output
    lines = res.output.splitlines()
    header = next(i for i, line in enumerate(lines) if "Reason" in line and "Pollutant" in line)
    listed = [line for line in lines[header:] if line.startswith("│")]
    assert len(listed) == 20  # the first 20 …
    first = [c.strip() for c in listed[0].strip("│").split("│")]
    assert first == ["obs.csv", "2", "not a number", "S1", "2018-01-01 00:00:00", "PM2.5", "[x]"]
    assert "… 6 more rejected values; `ecoplan air rejects` lists them all" in res.output
    zh = runner.invoke(app, base)
    assert "剔除数值：负值 12，无法解析 12，未知站点 2" in zh.output and "… 另有 6 个剔除数值" in zh.output
    zh_lines = zh.output.splitlines()
    zh_header = next(i for i, line in enumerate(zh_lines) if "剔除原因" in line and "污染物" in line)
    zh_first = [c.strip() for c in zh_lines[zh_header + 2].strip("│").split("│")]
    assert zh_first == ["obs.csv", "2", "无法解析", "S1", "2018-01-01 00:00:00", "PM2.5", "[x]"]
    # the words, not the codes: no "negative（负值）", no "pm25"
    assert not any(code in zh.output for code in ("negative", "unparseable", "unknown_station", "pm25"))
    js = runner.invoke(app, [*base, "--output-format", "json"])
    d = json.loads(js.output)
    assert d["rejected"]["total"] == 26 and len(d["rejected"]["rows"]) == 26
    assert d["rejected"]["rows"][0] == {
        "file": str(f),
        "row": 2,
        "reason": "unparseable",
        "station": "S1",
        "time": "2018-01-01T00:00:00.000",
        "pollutant": "pm25",
        "value": "[x]",
        "time_text": "2018-01-01 00:00",
    }
    last = d["rejected"]["rows"][-2:]
    assert [(r["row"], r["reason"], r["station"], r["pollutant"]) for r in last] == [
        (26, "unknown_station", "S9", "pm25"),
        (26, "unknown_station", "S9", "co"),
    ]
    assert d["warnings"] == []


def test_air_rejects_lists_the_stored_rejects(tmp_path: Path) -> None:
    db, st, f = _messy(tmp_path, 24)
    assert (
        runner.invoke(
            app, ["air", "load", str(f), "--format", "wide-csv", "--stations", str(st), "--db", db]
        ).exit_code
        == 0
    )
    js = json.loads(runner.invoke(app, ["air", "rejects", "--format", "json", "--db", db]).output)
    assert len(js) == 26 and set(js[0]) == {"file", "row", "reason", "station", "time", "pollutant", "value"}
    neg = runner.invoke(app, ["air", "rejects", "--reason", "negative", "--format", "csv", "--db", db])
    csv_lines = neg.output.splitlines()
    assert csv_lines[0] == "file,row,reason,station,time,pollutant,value" and len(csv_lines) == 13
    assert csv_lines[1].endswith(",3,negative,S1,2018-01-01 01:00:00,pm25,-2")
    table = runner.invoke(app, ["air", "rejects", "--limit", "3", "--lang", "en", "--db", db])
    assert table.exit_code == 0 and "26 rejected values (first 3 shown)" in table.output
    zh = runner.invoke(app, ["air", "rejects", "--reason", "unknown_station", "--db", db])
    assert "2 个剔除数值" in zh.output and "未知站点" in zh.output and "unknown_station" not in zh.output
    assert "剔除原因" in zh.output and "数值" in zh.output
    bad = runner.invoke(app, ["air", "rejects", "--reason", "nope", "--db", db])
    assert bad.exit_code == 1 and "unknown reason 'nope'" in bad.output


def test_air_load_warns_when_co_looks_like_the_other_unit(tmp_path: Path) -> None:
    db, st, _ = _messy(tmp_path, 0)
    f = write_csv(
        tmp_path / "co.csv",
        ["station,time,co[ug/m3]", *(f"S1,2018-01-01 {h:02d}:00,0.{h + 1}" for h in range(8))],
    )
    base = ["air", "load", str(f), "--format", "wide-csv", "--stations", str(st), "--db", db]
    res = runner.invoke(app, [*base, "--lang", "en"])
    assert res.exit_code == 0, res.output
    warning = next(line for line in res.output.splitlines() if line.startswith("⚠ warning"))
    assert f"{f}: column 'co[ug/m3]': CO declared µg/m³" in warning and "looks like mg/m³" in warning
    assert "8 values below 20 (row 2: 0.1, row 3: 0.2" in warning and "… 3 more" in warning
    zh = runner.invoke(app, base)
    assert "⚠ 警告" in zh.output and "第2行 0.1" in zh.output
    d = json.loads(runner.invoke(app, [*base, "--output-format", "json"]).output)
    (w,) = d["warnings"]
    assert (w["code"], w["file"], w["column"], w["count"], w["total"]) == (
        "co_unit",
        str(f),
        "co[ug/m3]",
        8,
        8,
    )
    assert w["rows"][:2] == [{"row": 2, "value": "0.1"}, {"row": 3, "value": "0.2"}]
