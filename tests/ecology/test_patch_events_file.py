"""``ep.ecology.apply_events`` / ``ecoplan ecology patches events``: a ledger of lifecycle
steps on a real DuckDB file — applied after the stored steps, idempotent, refused whole
on any problem (file, row, field named; nothing written)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import write_csv
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.errors import InputFileError
from ecoplan.ecology.spatial.generate import generate

SYN = generate(1, 3, seed=3, region="510100")


@pytest.fixture
def loaded(ep: Ecoplan, tmp_path: Path) -> Ecoplan:
    SYN.zones.to_file(tmp_path / "pa.geojson", driver="GeoJSON")
    SYN.patches.to_file(tmp_path / "p.geojson", driver="GeoJSON")
    ep.ecology.import_layer(tmp_path / "pa.geojson", "protected", "pa", dt.date(2023, 1, 1))
    ep.ecology.import_patches(tmp_path / "p.geojson")
    return ep


def _day(pid: str, after: int) -> str:
    d = SYN.patches.set_index("patch_id").loc[pid, "detected_on"]
    return str((d + dt.timedelta(days=after)).isoformat())


def _states(ep: Ecoplan) -> dict[str, str]:
    p = ep.ecology.patches()
    return dict(zip(p["patch_id"].astype(str), p["state"].astype(str), strict=True))


def test_ledger_applied_after_stored_steps_and_idempotent(loaded: Ecoplan, tmp_path: Path) -> None:
    ep = loaded
    a, b, c = sorted(SYN.answers)
    first = [
        "patch_id,event,on,evidence",
        f"{a},assign,{_day(a, 2)},",
        f"{a},verify_illegal,{_day(a, 9)},现场照片 2 张",
        f"{b},assign,{_day(b, 1)},",
    ]
    path = write_csv(tmp_path / "ledger.csv", first)
    res = ep.ecology.apply_events(path)
    assert (res.rows, res.applied, res.unchanged, res.patches) == (3, 3, 0, 2)
    assert _states(ep) == {a: "illegal", b: "assigned", c: "detected"}
    again = ep.ecology.apply_events(path)
    assert (again.applied, again.unchanged) == (0, 3)
    # the ledger grows: only the new steps are written
    grown = [*first, f"{a},rectify,{_day(a, 20)},", f"{c},assign,{_day(c, 3)},"]
    res = ep.ecology.apply_events(write_csv(tmp_path / "ledger2.csv", grown))
    assert (res.applied, res.unchanged, res.patches) == (2, 3, 2)
    assert _states(ep) == {a: "rectifying", b: "assigned", c: "assigned"}
    ev = ep.ecology.patch_events(a)
    assert list(ev["event"]) == ["detect", "assign", "verify_illegal", "rectify"]
    assert "现场照片 2 张" in set(ev["evidence"].dropna())


def test_bad_ledger_refused_whole_and_the_command(loaded: Ecoplan, tmp_path: Path, db_path: Path) -> None:
    ep = loaded
    a, b, c = sorted(SYN.answers)
    ep.ecology.advance_patch(a, "assign", dt.date.fromisoformat(_day(a, 2)))
    rows = [
        "patch_id,event,on,evidence",
        f"{a},assign,{_day(a, 5)},",  # row 2: the stored assign was on day 2
        f"{b},assign,{_day(b, 1)},",  # row 3: fine, but not written since the file is refused
        f"{b},verify_legal,{_day(b, 4)},",  # row 4: evidence missing
        f"{c},teleport,{_day(c, 1)},",  # row 5: unknown step
        f"{c},assign,2024-13-01,",  # row 6: bad date
        "NOPE,assign,2024-05-01,",  # row 7: unknown patch
    ]
    with pytest.raises(InputFileError) as e:
        ep.ecology.apply_events(write_csv(tmp_path / "bad.csv", rows))
    got = {(p.row, p.field) for p in e.value.problems}
    assert got == {(2, "event"), (4, "event"), (5, "event"), (6, "on"), (7, "patch_id")}
    assert all(p.file == "bad.csv" for p in e.value.problems)
    assert _states(ep) == {a: "assigned", b: "detected", c: "detected"}
    with pytest.raises(InputFileError) as e:
        ep.ecology.apply_events(write_csv(tmp_path / "cols.csv", ["patch,event", f"{a},assign"]))
    assert {p.field for p in e.value.problems} == {"patch_id", "on"}

    # the command, zh and en: a new step, then the same file again, then a bad file
    path = write_csv(tmp_path / "l.csv", ["patch_id,event,on", f"{b},assign,{_day(b, 1)}"])
    ep.close()
    runner = CliRunner()
    res = runner.invoke(cli_app, ["ecology", "patches", "events", str(path), "--db", str(db_path)])
    assert res.exit_code == 0 and "新记 1 步" in res.output
    res = runner.invoke(
        cli_app, ["ecology", "patches", "events", str(path), "--db", str(db_path), "--lang", "en"]
    )
    assert res.exit_code == 0 and "0 steps recorded" in res.output and "1 already stored" in res.output
    bad = write_csv(tmp_path / "b.csv", ["patch_id,event,on", f"{b},fly,{_day(b, 2)}"])
    res = runner.invoke(
        cli_app, ["ecology", "patches", "events", str(bad), "--db", str(db_path), "--lang", "en"]
    )
    assert res.exit_code == 1 and "b.csv" in res.output and "unknown step" in res.output
