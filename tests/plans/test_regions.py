"""The bundled GB/T 2260 regions."""

from __future__ import annotations

from collections import Counter

from ecoplan.core.regions import bundled_regions, region_lineage


def test_levels_are_counted_once() -> None:
    levels = Counter(r.level for r in bundled_regions().values())
    assert levels == {"national": 1, "province": 31, "prefecture": 333, "county": 2975}


def test_prefecture_cities_without_counties_stay_prefectures() -> None:
    regions = bundled_regions()
    for code, name in (("441900", "东莞市"), ("442000", "中山市"), ("460400", "儋州市")):
        assert regions[code].name_zh == name
        assert regions[code].level == "prefecture"
        assert region_lineage(code) == [code, code[:2] + "0000", "000000"]
