"""``ecoplan ecology layers|patches|redline`` on a real DuckDB file: import twice, list,
advance a case, statistics, the red-line report with a flagged loss (zh and en)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import shapely
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.words.purity import foreign
from ecoplan.ecology.spatial.generate import generate

runner = CliRunner()


def run(*args: str) -> str:
    res = runner.invoke(cli_app, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def test_layers_patches_redline_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    with Ecoplan(db) as ep:
        ep.init()
    syn = generate(2, 6, seed=5, columns=2, region="510100")
    syn.zones.to_file(tmp_path / "pa.geojson", driver="GeoJSON")
    syn.patches.to_file(tmp_path / "p.geojson", driver="GeoJSON")
    rl = {
        "2021": shapely.box(101.0, 31.0, 101.2, 31.2),
        "2023": shapely.box(101.0, 31.0, 101.2, 31.1),
    }
    for year, geom in rl.items():
        gpd.GeoDataFrame(
            {"feature_id": ["RL1"], "region": ["510100"]}, geometry=[geom], crs="EPSG:4326"
        ).to_file(tmp_path / f"rl{year}.geojson", driver="GeoJSON")

    imp = [
        "ecology",
        "layers",
        "import",
        str(tmp_path / "pa.geojson"),
        "--kind",
        "protected",
        "--layer",
        "pa",
    ]
    first = json.loads(run(*imp, "--valid-from", "2023-01-01", "--db", db, "--format", "json"))
    assert (first["rows_new"], first["rows_unchanged"]) == (6, 0)
    for year in rl:
        run(
            "ecology", "layers", "import", str(tmp_path / f"rl{year}.geojson"), "--kind", "redline",
            "--layer", "sc-rl", "--valid-from", f"{year}-01-01", "--db", db,
        )  # fmt: skip
    layers = json.loads(run("ecology", "layers", "list", "--db", db, "--format", "json"))
    assert [(r["layer_id"], r["features"]) for r in layers] == [("pa", 6), ("sc-rl", 1), ("sc-rl", 1)]

    p1 = run("ecology", "patches", "import", str(tmp_path / "p.geojson"), "--db", db, "--lang", "en")
    assert "12 new, 0 revised, 0 unchanged" in p1

    listed = json.loads(run("ecology", "patches", "list", "--db", db, "--format", "json"))
    decided = {r["patch_id"]: (r["reserve_id"], r["zone"]) for r in listed}
    for pid, ans in syn.answers.items():
        assert decided[pid] == (ans.reserve_id, ans.zone), pid
    zh = run("ecology", "patches", "list", "--db", db)
    assert "核心区" in zh and "已发现" in zh and not foreign(zh.replace("P0", " ").replace("R0", " "), "zh")

    pid = next(p for p, a in syn.answers.items() if a.zone == "core")
    day = dt.date.fromisoformat(next(r["detected_on"] for r in listed if r["patch_id"] == pid)[:10])
    adv = ["ecology", "patches", "advance", pid]
    run(*adv, "assign", "--on", (day + dt.timedelta(days=1)).isoformat(), "--db", db)
    ok = run(
        *adv,
        "verify_false",
        "--on",
        (day + dt.timedelta(days=3)).isoformat(),
        "--evidence",
        "现场核查表",
        "--db",
        db,
    )
    assert "误报" in ok

    rep_zh = run("ecology", "redline", "510100", "--db", db)
    assert "510100 生态保护红线面积减少" in rep_zh


def test_a_refused_layer_is_explained_in_the_readers_language(tmp_path: Path) -> None:
    db = str(tmp_path / "bad.duckdb")
    with Ecoplan(db) as ep:
        ep.init()
    gpd.GeoDataFrame(
        {"feature_id": ["Z1"], "region": ["510100"], "reserve_id": ["R1"], "zone": ["奇怪区"]},
        geometry=[shapely.box(101.0, 31.0, 101.1, 31.1)],
        crs="EPSG:4326",
    ).to_file(tmp_path / "bad.geojson", driver="GeoJSON")
    args = ["ecology", "layers", "import", str(tmp_path / "bad.geojson"), "--kind", "protected"]
    args += ["--layer", "pa", "--valid-from", "2023-01-01", "--db", db]
    zh = runner.invoke(cli_app, [*args, "--lang", "zh"])
    en = runner.invoke(cli_app, [*args, "--lang", "en"])
    assert zh.exit_code == 1 and en.exit_code == 1
    # where (file, feature 0, id Z1, field zone) and why, each in its language; nothing stored
    assert "bad.geojson" in zh.output and "Z1" in zh.output and "未导入任何数据" in zh.output
    # the only Latin words are the file's own names (the file, its field)
    assert "奇怪区" in zh.output and foreign(zh.output.replace("bad.geojson", ""), "zh") == ["zone"]
    assert "nothing was imported" in en.output and "Z1" in en.output and "zone" in en.output
    with Ecoplan(db) as ep:
        assert len(ep.ecology.layers()) == 0
