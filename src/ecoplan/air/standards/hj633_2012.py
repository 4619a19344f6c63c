"""HJ 633—2012 环境空气质量指数（AQI）技术规定（试行）: the tables.

Table 1 (表1 空气质量分指数及对应的污染物项目浓度限值), the daily and real-time
indicator sets (§5.1.2–5.1.4, 表3/表4), table 2 (levels and categories) and the
appendix A colours. The arithmetic is in :mod:`ecoplan.air.standards.aqi`.

Units: µg/m³, CO in mg/m³ (表1).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADVICE_ZH",
    "AQI_MIN",
    "DAILY",
    "EFFECT_ZH",
    "HOURLY",
    "IAQI_LEVELS",
    "LEVEL_UPPER",
    "NON_ATTAINMENT",
    "ROUND_DIGITS",
    "SPECIAL",
    "STANDARD",
    "TABLE",
    "WITHHOLD_INCOMPLETE_UP_TO",
]

#: The standard these tables are from (:data:`ecoplan.air.standards.editions.EDITIONS`
#: names it as an edition's ``aqi``).
STANDARD: Final = "HJ 633—2012"

#: 表2: the upper AQI bound of levels 1–5 (level 6: above 300). Unchanged in
#: HJ 633—2026 表1. The one table of the level bounds (re-exported by
#: :mod:`ecoplan.air.standards.aqi`, which names the bounds the rules use).
LEVEL_UPPER: Final = (50, 100, 150, 200, 300)

#: The IAQI row labels of 表1: 0, the level bounds, 400 and 500.
IAQI_LEVELS: Final = (0, *LEVEL_UPPER, 400, 500)

#: 表1, one tuple per indicator, aligned with :data:`IAQI_LEVELS`. ``None`` marks a
#: cell the standard leaves empty (notes 2 and 3 of 表1).
TABLE: Final[dict[str, tuple[int | None, ...]]] = {
    "so2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "so2_1h": (0, 150, 500, 650, 800, None, None, None),
    "no2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "no2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "pm10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
    "co_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "co_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 160, 215, 265, 800, None, None),
    "pm25_24h": (0, 35, 75, 115, 150, 250, 350, 500),
}

#: 表3 daily report (日报): seven indicators, O3 daily max 1 h included (§5.1.2).
DAILY: Final = ("so2_24h", "no2_24h", "co_24h", "pm10_24h", "pm25_24h", "o3_1h", "o3_8h")

#: 表4 real-time report (实时报): 1-h gases, O3 8-h moving average, and the PM
#: 24-h moving averages (the PM 1-h concentrations are reported without IAQI).
HOURLY: Final = ("so2_1h", "no2_1h", "co_1h", "o3_1h", "o3_8h", "pm10_24h", "pm25_24h")

#: 表1 notes 2 and 3: above 800 µg/m³ the sub-index is not computed from this
#: indicator but **substituted** by the one named here (SO2 from its 24-h average,
#: O3 from its 1-h value).
SPECIAL: Final[dict[str, tuple[int, str | int]]] = {
    "so2_1h": (800, "so2_24h"),
    "o3_8h": (800, "o3_1h"),
}

#: §3.4 / §5.2: a pollutant whose IAQI exceeds 100 is a 超标污染物.
NON_ATTAINMENT: Final = True

#: No rounding of concentrations before the IAQI (HJ 633—2026 §4.2.2 adds it).
ROUND_DIGITS: Final[dict[str, int] | None] = None
#: No lower bound of the AQI range (HJ 633—2026 §4.1.1 adds 1～500).
AQI_MIN: Final[int | None] = None
#: The AQI of a day with a pollutant missing is reported as computed (HJ 633—2026
#: §5.3.1 withholds it up to 100).
WITHHOLD_INCOMPLETE_UP_TO: Final[int | None] = None

#: 表2 对健康影响情况, levels 1–6 (2012 wording).
EFFECT_ZH: Final = (
    "空气质量令人满意，基本无空气污染",
    "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
    "易感人群症状有轻度加剧，健康人群出现刺激症状",
    "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
    "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
    "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
)

#: 表2 建议采取的措施, levels 1–6 (2012 wording, verbatim, including 锻练).
ADVICE_ZH: Final = (
    "各类人群可正常活动",
    "极少数异常敏感人群应减少户外活动",
    "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻练，一般人群适量减少户外运动",
    "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
    "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
)
