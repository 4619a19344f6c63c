"""Build ``src/ecoplan/plans/data/regions.csv`` from the NBS 2023 division codes.

Input: ``shared/data/regions/{provinces,cities,areas}.csv`` (National Bureau of
Statistics 2023 statistical division codes, as compiled by
modood/Administrative-divisions-of-China, WTFPL). English names of provinces
are the official ones; prefecture and county names are romanised with
pypinyin (``pip install pypinyin``; needed only to rebuild).

Usage: python scripts/build_regions.py ../shared/data/regions
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PROVINCE_EN = {
    "11": "Beijing",
    "12": "Tianjin",
    "13": "Hebei",
    "14": "Shanxi",
    "15": "Inner Mongolia",
    "21": "Liaoning",
    "22": "Jilin",
    "23": "Heilongjiang",
    "31": "Shanghai",
    "32": "Jiangsu",
    "33": "Zhejiang",
    "34": "Anhui",
    "35": "Fujian",
    "36": "Jiangxi",
    "37": "Shandong",
    "41": "Henan",
    "42": "Hubei",
    "43": "Hunan",
    "44": "Guangdong",
    "45": "Guangxi",
    "46": "Hainan",
    "50": "Chongqing",
    "51": "Sichuan",
    "52": "Guizhou",
    "53": "Yunnan",
    "54": "Tibet",
    "61": "Shaanxi",
    "62": "Gansu",
    "63": "Qinghai",
    "64": "Ningxia",
    "65": "Xinjiang",
}
SUFFIXES = [
    ("自治州", " Autonomous Prefecture"),
    ("自治县", " Autonomous County"),
    ("地区", " Prefecture"),
    ("林区", " Forest District"),
    ("盟", " League"),
    ("市", ""),
    ("区", " District"),
    ("县", " County"),
    ("旗", " Banner"),
]


# Place-name readings that differ from the everyday reading pypinyin picks.
READINGS = {"长": "chang", "朝阳": "chaoyang", "六安": "lu'an", "六盘水": "liupanshui"}


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # build-time only

    for zh, py in READINGS.items():
        if text.startswith(zh):
            return py + "".join(lazy_pinyin(text[len(zh) :]))
    return "".join(lazy_pinyin(text))


def romanise(name: str) -> str:
    for zh, en in SUFFIXES:
        if name.endswith(zh) and len(name) > len(zh) + 1:
            return _pinyin(name[: -len(zh)]).capitalize() + en
    return _pinyin(name).capitalize()


def main(src: Path, out: Path) -> None:
    rows = [("000000", "全国", "China", "national", "")]
    with open(src / "provinces.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["code"] + "0000", r["name"], PROVINCE_EN[r["code"]], "province", "000000"))
    with open(src / "cities.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["name"] in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue  # municipality rows and county-level groupings are not prefectures
            rows.append(
                (r["code"] + "00", r["name"], romanise(r["name"]), "prefecture", r["provinceCode"] + "0000")
            )
    prefectures = {row[0] for row in rows if row[3] == "prefecture"}
    with open(src / "areas.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            parent = r["cityCode"] + "00"
            if parent not in prefectures:
                parent = r["provinceCode"] + "0000"
            if r["code"] in prefectures:
                # 东莞, 中山, 儋州: prefecture-level cities without counties appear in
                # the county list under their own code; keep the prefecture row only.
                continue
            rows.append((r["code"], r["name"], romanise(r["name"]), "county", parent))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name_zh", "name_en", "level", "parent"])
        w.writerows(rows)
    print(f"wrote {len(rows)} regions to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).parent.parent / "src/ecoplan/plans/data/regions.csv")
