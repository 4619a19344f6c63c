"""``/api/v1/water``: stations, samples, sections, shares and targets of real CNEMC
snapshots (Beijing and Tianjin rows of ``shared/data/water``), as paged JSON and as CSV
and Parquet downloads; 404 for an unknown station; two requests at once."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from tests.conftest import SHARED
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.web import register

CSV = SHARED / "data" / "water" / "cnemc_autostation_snapshots_2025-11_2026-02.csv"
PROVINCES = ("北京市", "天津市")
LABELS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")


def subset(path: Path) -> tuple[Path, set[str]]:
    """The rows of :data:`PROVINCES` as a CNEMC snapshot file, and their station names."""
    with CSV.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    keep = [rows[0]] + [r for r in rows[1:] if r[0] in PROVINCES]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(keep)
    return path, {r[4] for r in keep[1:]}


@pytest.fixture(scope="module")
def water_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    tmp = tmp_path_factory.mktemp("water-api")
    src, names = subset(tmp / "bj-tj.csv")
    db = tmp / "w.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        ep.water.load([src], format="cnemc-snapshot")
    return db, names


@pytest.fixture(scope="module")
def api(water_db: tuple[Path, set[str]]) -> Iterator[str]:
    app = create_app(water_db[0])
    register(app)
    with serving(app) as url:
        yield url + "/api/v1/water"


def get(url: str, **params: object) -> httpx.Response:
    return httpx.get(url, params=params, timeout=120)


def test_years_and_status(api: str) -> None:
    assert get(f"{api}/years").json() == {"years": [2025, 2026]}
    status = get(f"{api}/status").json()
    assert isinstance(status["rejects_by_reason"], dict) and 2025 in status["years"]


def test_stations_paged_json_csv_parquet(api: str, water_db: tuple[Path, set[str]]) -> None:
    first = get(f"{api}/stations", limit=5).json()
    total = first["total"]
    assert len(first["items"]) == 5 and first["next_cursor"] == first["items"][-1]["code"]
    names = {s["name"] for s in first["items"]}
    assert names <= water_db[1]
    second = get(f"{api}/stations", limit=5, cursor=first["next_cursor"]).json()
    assert not {s["code"] for s in second["items"]} & {s["code"] for s in first["items"]}
    text = get(f"{api}/stations", format="csv")
    assert text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert len(rows) == total and {r["province"] for r in rows} == set(PROVINCES)
    table = pq.read_table(io.BytesIO(get(f"{api}/stations", format="parquet").content))
    assert table.num_rows == total and "basin" in table.column_names
    assert {r["name"] for r in rows} == water_db[1]  # every station of the file, none else


def test_sections_of_a_year(api: str, water_db: tuple[Path, set[str]]) -> None:
    body = get(f"{api}/sections", year=2025, limit=1000).json()
    items = body["items"]
    assert body["total"] == len(items) > 0 and body["next_cursor"] is None
    assert {i["name"] for i in items} <= water_db[1]
    for i in items:
        assert 1 <= i["class"] <= 6 and i["class_label"] == LABELS[i["class"] - 1]
        assert i["period"] == "2025"
    beijing = get(f"{api}/sections", year=2025, region="110000", limit=1000).json()["items"]
    assert beijing and all(str(i["region"]).startswith("11") for i in beijing)
    assert len(beijing) < len(items)
    months = get(f"{api}/sections", year=2025, period="month", limit=1000).json()["items"]
    assert {i["period"] for i in months} == {"2025-11"}  # the file's 2025 months


def test_sections_csv_and_parquet_hold_every_row(api: str) -> None:
    total = get(f"{api}/sections", year=2025).json()["total"]
    text = get(f"{api}/sections", year=2025, format="csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == total and {r["class_label"] for r in rows} <= set(LABELS)
    table = pq.read_table(io.BytesIO(get(f"{api}/sections", year=2025, format="parquet").content))
    assert table.num_rows == total


def test_shares_by_basin_add_up(api: str) -> None:
    items = get(f"{api}/shares", year=2025, by="basin").json()["items"]
    assert {i["key"] for i in items} == {"海河流域"}  # Beijing and Tianjin: one basin
    (h,) = items
    counts = [h[f"n_class_{c}"] for c in range(1, 7)]
    assert sum(counts) == h["n_sections"] > 0
    assert h["share_i_iii_pct"] == pytest.approx(round(100 * sum(counts[:3]) / sum(counts), 1))
    regions = get(f"{api}/shares", year=2025, by="region", format="csv").content.decode("utf-8-sig")
    assert {r["key"] for r in csv.DictReader(io.StringIO(regions))} >= {"110000", "120000"}


def test_samples_of_a_station_and_404(api: str) -> None:
    code = get(f"{api}/stations", limit=1).json()["items"][0]["code"]
    body = get(f"{api}/samples/{code}", items="NH3N,TP", limit=1000).json()
    assert body["items"] and {i["item"] for i in body["items"]} <= {"NH3N", "TP"}
    times = [i["time"] for i in body["items"]]
    assert times == sorted(times)
    early = get(f"{api}/samples/{code}", **{"from": "2025-11-01", "to": "2025-11-30"}, limit=1000).json()
    assert all(i["time"].startswith("2025-11") for i in early["items"])
    text = get(f"{api}/samples/{code}", format="csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("station,time,item,value")
    missing = get(f"{api}/samples/no-such-station")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert "no-such-station" in missing.json()["error"]["message"]


def test_targets_without_any(api: str) -> None:
    assert get(f"{api}/targets", year=2025).json() == {"items": [], "next_cursor": None, "total": 0}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/sections", {"year": "x"}),
        ("/sections", {"year": 2025, "period": "week"}),
        ("/shares", {"year": 2025, "by": "county"}),
        ("/samples/abc", {"items": "NH3N;drop"}),
        ("/stations", {"format": "xml"}),
        ("/years", {"format": "csv"}),
    ],
)
def test_bad_parameters_are_refused(api: str, path: str, params: dict[str, object]) -> None:
    r = get(api + path, **params)
    assert r.status_code in (400, 422) and "error" in r.json()


def test_two_requests_at_once(api: str) -> None:
    """Two readers in parallel get the answers they get one after the other."""
    urls = [f"{api}/sections?year=2025&limit=1000", f"{api}/shares?year=2026&by=region"]
    alone = [httpx.get(u, timeout=120).json() for u in urls]
    got: dict[int, object] = {}

    def fetch(i: int) -> None:
        got[i] = httpx.get(urls[i], timeout=120).json()

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[0], got[1]] == alone
