"""HJ 633—2026 环境空气质量指数（AQI）技术规定: the tables.

Differences from HJ 633—2012 (HJ 633—2026 foreword and 表3):

- PM10 and PM2.5 IAQI-100 breakpoints 150 → 120 and 75 → 60;
- 表3 note b: SO2 1-h above 800 µg/m³ → IAQI **200**; note c: O3 8-h above 800 → **300**;
- daily report (§4.2.2): six indicators (O3 daily max 1 h dropped);
- real-time report (§4.2.3): the six 1-h averages, PM 1-h against the daily
  breakpoints;
- concentrations rounded per GB/T 8170 before the IAQI: µg/m³ to integers, CO (mg/m³)
  to one decimal (§4.2.2);
- AQI range 1～500 (§4.1.1); the 超标污染物 definition is deleted;
- §5.3.1: with a pollutant missing, the AQI is published only if it exceeds 100.
"""

from __future__ import annotations

from typing import Final

from ecoplan.air.standards import hj633_2012 as _old

__all__ = [
    "ADVICE_ZH",
    "AQI_MIN",
    "DAILY",
    "EFFECT_ZH",
    "HOURLY",
    "IAQI_LEVELS",
    "NON_ATTAINMENT",
    "ROUND_DIGITS",
    "SENSITIVE_GROUPS_ZH",
    "SPECIAL",
    "STANDARD",
    "TABLE",
    "WITHHOLD_INCOMPLETE_UP_TO",
]

STANDARD: Final = "HJ 633—2026"

IAQI_LEVELS: Final = _old.IAQI_LEVELS

#: 表3; only the PM IAQI-100 cells differ from HJ 633—2012 表1. The real-time PM
#: indicators ``pm10_1h`` / ``pm25_1h`` use the daily columns (§4.2.4).
TABLE: Final[dict[str, tuple[int | None, ...]]] = {
    **_old.TABLE,
    "pm10_24h": (0, 50, 120, 250, 350, 420, 500, 600),
    "pm25_24h": (0, 35, 60, 115, 150, 250, 350, 500),
}
TABLE["pm10_1h"] = TABLE["pm10_24h"]
TABLE["pm25_1h"] = TABLE["pm25_24h"]

DAILY: Final = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_8h")
HOURLY: Final = ("so2_1h", "no2_1h", "co_1h", "o3_1h", "pm10_1h", "pm25_1h")

#: 表3 notes b and c: above 800 µg/m³ the IAQI is **counted as** the given value.
SPECIAL: Final[dict[str, tuple[int, str | int]]] = {
    "so2_1h": (800, 200),
    "o3_8h": (800, 300),
}

NON_ATTAINMENT: Final = False

#: §4.2.2: decimals kept when rounding concentrations (GB/T 8170) before the IAQI.
ROUND_DIGITS: Final[dict[str, int] | None] = {"co": 1, "so2": 0, "no2": 0, "o3": 0, "pm10": 0, "pm25": 0}
#: §4.1.1: the AQI range is 1～500 (an all-zero day reports 1).
AQI_MIN: Final[int | None] = 1
#: §5.3.1: with a pollutant missing, the AQI is published only if it exceeds this
#: (100, the upper bound of level 2 良).
WITHHOLD_INCOMPLETE_UP_TO: Final[int | None] = _old.LEVEL_UPPER[1]

#: 表1 对健康影响情况 (2026 wording).
EFFECT_ZH: Final = (
    "空气质量令人满意，基本无空气污染",
    "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
    "敏感人群症状有轻度加剧，健康人群出现刺激症状",
    "进一步加剧敏感人群症状，可能对健康人群心血管系统、呼吸系统有影响",
    "心血管系统和呼吸系统患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
    "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
)

#: 表1 建议采取的措施 (2026 wording).
ADVICE_ZH: Final = (
    "各类人群可正常活动",
    "极少数异常敏感人群应减少户外活动",
    "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动",
    "青少年儿童、老年人和心血管系统疾病、呼吸系统疾病患者应停留在室内，停止户外运动，一般人群减少户外运动",
    "青少年儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
)

#: 表2 (new): pollutant with IAQI > 100 → sensitive groups that should take measures.
SENSITIVE_GROUPS_ZH: Final = {
    "SO2": "患有哮喘的人、青少年儿童以及老年人",
    "NO2": "患有呼吸系统疾病（如哮喘）的人、青少年儿童以及老年人",
    "CO": "患有心血管系统疾病的人",
    "O3": "患有呼吸系统疾病（如哮喘）的人、青少年儿童、户外活动频繁的人以及老年人",
    "PM10": "患有心血管系统疾病或呼吸系统疾病（如哮喘）的人、青少年儿童、户外活动频繁的人以及老年人",
    "PM2.5": "患有心血管系统疾病或呼吸系统疾病（如哮喘）的人、青少年儿童、户外活动频繁的人以及老年人",
}
