"""Write the example register of pollution sources shipped in ``src/ecoplan/sources/data/``.

    python scripts/make_sources_register.py            # rewrite the CSVs (deterministic, seeded)
    python scripts/make_sources_register.py --check    # exit 1 if the committed CSVs differ

A register for 石家庄市 (130100) and its real county codes (``ecoplan.core.regions``): about
40 **fictitious** enterprises — thermal power, steel, cement, heating boilers, chemical
(with a hazardous-waste incinerator) and sewage plants — with their air and water outlets,
one HJ 212 device per outlet, one discharge permit each with hourly (air) or daily (water)
concentration limits taken from the emission standards in
``ecoplan.sources.standards.emission_standards`` and annual permitted quantities
(许可排放量) of SO2, NOx, particulate matter, COD and NH3-N for 2018–2021. Credit codes carry
valid GB 32100-2015 check characters. Run once; the CSVs are committed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from ecoplan.core.regions import bundled_regions
from ecoplan.sources.standards.credit_code import ALPHABET, check_char
from ecoplan.sources.standards.emission_standards import STANDARDS

OUT = Path(__file__).resolve().parents[1] / "src" / "ecoplan" / "sources" / "data"
SEED = 130100
YEARS = (2018, 2019, 2020, 2021)
#: Counties of 石家庄市 (GB/T 2260, as in ecoplan's region table) used for the example.
COUNTIES = tuple(c for c, r in sorted(bundled_regions().items()) if r.parent == "130100")
#: Fictitious brand words for enterprise names.
BRANDS = (
    "冀华",
    "恒泰",
    "润丰",
    "金石",
    "华能达",
    "太行",
    "滹沱",
    "正元",
    "瑞通",
    "鼎盛",
    "燕赵",
    "汇川",
    "晨光",
    "宏达",
    "中鑫",
    "裕丰",
    "新源",
    "佳诚",
    "广远",
    "泰和",
)
#: (industry, name suffix, count, air outlets (standard key, flow m³/h, count range),
#: water outlets (standard key, flow m³/d, count range))
PROFILES = (
    (
        "thermal_power",
        "热电有限公司",
        5,
        ("GB 13223-2011/coal-special", 1_200_000, (4, 6)),
        ("GB 8978-1996/1", 3_000, (1, 1)),
    ),
    (
        "steel",
        "钢铁有限公司",
        5,
        ("GB 28662-2012/sinter", 900_000, (7, 10)),
        ("GB 8978-1996/1", 5_000, (1, 2)),
    ),
    ("cement", "水泥有限公司", 5, ("GB 4915-2013/kiln", 400_000, (4, 6)), None),
    ("heating", "供热有限公司", 6, ("GB 13271-2014/coal-special", 150_000, (3, 5)), None),
    (
        "boiler",
        "食品有限公司",
        4,
        ("GB 13271-2014/gas-special", 30_000, (2, 3)),
        ("GB 8978-1996/1", 800, (1, 1)),
    ),
    ("chemical", "化工有限公司", 7, ("GB 18484-2020", 40_000, (3, 5)), ("GB 8978-1996/1", 2_000, (1, 2))),
    ("sewage", "污水处理有限公司", 8, None, ("GB 18918-2002/1A", 100_000, (1, 3))),
)
INDUSTRY_ZH = {
    "thermal_power": "火力发电",
    "steel": "炼钢",
    "cement": "水泥制造",
    "heating": "热力生产和供应",
    "boiler": "食品制造（燃气锅炉）",
    "chemical": "化学原料和化学制品制造（含危险废物焚烧）",
    "sewage": "污水处理及其再生利用",
}
AIR = ("a21026", "a21002", "a34013")
WATER = ("w01018", "w21003")
QUANTITY_FACTORS = ("a21026", "a21002", "a34013", "w01018", "w21003")


@dataclass
class Outlet:
    outlet_id: str
    credit_code: str
    medium: str
    name: str
    lon: float
    lat: float
    standard: str
    flow: float  #: m³/h (air) or m³/d (water)


def credit_code(rng: random.Random, region: str) -> str:
    """A code of 登记管理部门 9 (工商), 机构类别 1 (企业), the county, a random 主体标识码
    and its GB 32100-2015 check character."""
    first = "91" + region + "".join(rng.choice(ALPHABET) for _ in range(9))
    return first + check_char(first)


def build(rng: random.Random) -> dict[str, list[dict[str, object]]]:
    tables: dict[str, list[dict[str, object]]] = {
        k: [] for k in ("enterprises", "outlets", "devices", "permits", "limits", "quantities")
    }
    brands = list(BRANDS)
    rng.shuffle(brands)
    n = 0
    for industry, suffix, count, air, water in PROFILES:
        for _ in range(count):
            region = "130172" if industry == "chemical" and rng.random() < 0.6 else rng.choice(COUNTIES)
            county = bundled_regions()[region].name_zh
            brand = brands[n % len(brands)]
            name = (
                f"石家庄{brand}{suffix}" if n < len(brands) else f"{county.rstrip('区县市')}{brand}{suffix}"
            )
            n += 1
            code = credit_code(rng, region)
            lon, lat = round(rng.uniform(113.8, 115.4), 5), round(rng.uniform(37.5, 38.7), 5)
            key = industry in ("thermal_power", "steel", "cement", "chemical", "sewage") or rng.random() < 0.5
            tables["enterprises"].append(
                {
                    "credit_code": code,
                    "name": name,
                    "region": region,
                    "industry": INDUSTRY_ZH[industry],
                    "address": f"河北省石家庄市{county}（示例地址）",
                    "lon": lon,
                    "lat": lat,
                    "key_unit": "yes" if key else "no",
                }
            )
            outlets: list[Outlet] = []
            for medium, spec, prefix in (("air", air, "DA"), ("water", water, "DW")):
                if spec is None:
                    continue
                std, flow, (lo, hi) = spec
                for i in range(rng.randint(lo, hi)):
                    oid = f"{code}-{prefix}{i + 1:03d}"
                    label = "废气排放口" if medium == "air" else "废水总排放口"
                    outlets.append(
                        Outlet(
                            oid,
                            code,
                            medium,
                            f"{i + 1}号{label}",
                            round(lon + rng.uniform(-0.004, 0.004), 5),
                            round(lat + rng.uniform(-0.004, 0.004), 5),
                            std,
                            flow * rng.uniform(0.5, 1.2),
                        )
                    )
            start = dt.date(2017, rng.randint(6, 12), 1)
            permit = f"{code}001P"
            tables["permits"].append(
                {
                    "permit_no": permit,
                    "credit_code": code,
                    "valid_from": start.isoformat(),
                    "valid_to": (start.replace(year=start.year + 5) - dt.timedelta(days=1)).isoformat(),
                    "report_cycle": "quarter" if key else "year",
                }
            )
            totals: dict[str, float] = {}
            for o in outlets:
                s = STANDARDS[o.standard]
                tables["outlets"].append(
                    {
                        "outlet_id": o.outlet_id,
                        "credit_code": code,
                        "medium": o.medium,
                        "name": o.name,
                        "lon": o.lon,
                        "lat": o.lat,
                        "standard": o.standard,
                        "ref_o2": "" if s.ref_o2 is None else s.ref_o2,
                    }
                )
                edition = "2025" if rng.random() < 0.04 else "2017"
                tables["devices"].append(
                    {
                        "mn": "".join(rng.choice("0123456789ABCDEF") for _ in range(24)),
                        "outlet_id": o.outlet_id,
                        "st": "31" if o.medium == "air" else "32",
                        "pw": f"{rng.randint(0, 999_999):06d}",
                        "edition": edition,
                        "sm4_key": "".join(rng.choice("0123456789ABCDEF") for _ in range(32))
                        if edition == "2025"
                        else "",
                        "active": "yes",
                    }
                )
                basis = "hour" if o.medium == "air" else "day"
                for lim in s.limits:
                    if lim.basis != basis or lim.factor not in (
                        AIR if o.medium == "air" else (*WATER, "w21011", "w21001")
                    ):
                        continue
                    tables["limits"].append(
                        {
                            "permit_no": permit,
                            "outlet_id": o.outlet_id,
                            "factor": lim.factor,
                            "limit_value": lim.value,
                            "unit": lim.unit,
                            "basis": lim.basis,
                            "ref_o2": "" if s.ref_o2 is None else s.ref_o2,
                            "standard": o.standard,
                        }
                    )
                    if lim.factor in QUANTITY_FACTORS:
                        # t/a = limit × flow × operating time × share of the limit used
                        # (air: mg/m³ × m³/h × 7446 h × 1e-9; water: mg/L × m³/d × 365 d × 1e-6)
                        if o.medium == "air":
                            mass = lim.value * o.flow * 8760 * 0.85 * 1e-9
                        else:
                            mass = lim.value * o.flow * 365 * 1e-6
                        totals[lim.factor] = totals.get(lim.factor, 0.0) + mass * 0.6
            for factor, total in sorted(totals.items()):
                for y in YEARS:
                    tables["quantities"].append(
                        {
                            "permit_no": permit,
                            "factor": factor,
                            "year": y,
                            "quantity_t": round(total * (1 - 0.04 * (y - YEARS[0])), 3),
                        }
                    )
    return tables


def render(rows: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    tables = build(random.Random(SEED))
    check = "--check" in argv
    differ = []
    for kind, rows in tables.items():
        path = OUT / f"{kind}.csv"
        text = render(rows)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(OUT.parents[2])}: {len(rows)} rows")
    if differ:
        print("differ: " + ", ".join(differ))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
