"""HJ 663—2026 环境空气质量评价技术规范: what is known, and provisional rules.

MEE (2026-02-24/26, quoted in ``specs/air-quality-2026.md`` §3.1): HJ 663—2026
"新增例外事件定义和相关要求，引入三年滑动平均评价方法，细化数据修约要求". The text
itself was not available to this project, so:

- **Exceptional events (例外事件)** are modelled as flags on city-days with a kind
  (e.g. ``dust``) and the pollutants they affect; every statistic is computed with
  and without the flagged data. The deduction follows the sand-dust practice of
  环办监测〔2016〕120号: flagged particulate values leave the concentration
  statistics and the composite index; flagged days with AQI > 100 leave the
  good-days ratio denominator (UNCONFIRMED as HJ 663—2026 text).
- **Three-year moving average**: :func:`three_year_mean` is a PROVISIONAL reading
  (mean of the year's statistic and the two before; all three must be valid), by
  analogy with US design values. Outputs carry ``"provisional": true``.
- **Rounding**: concentrations per HJ 633—2026 §4.2.2 (GB/T 8170); statistics as
  :data:`ecoplan.air.standards.hj663_2013.REPORT_DIGITS`.
- Percentiles, validity and MDA8 rules: taken as unchanged from HJ 663—2013 (a
  third-party copy of the 2026 text quotes the same items; UNCONFIRMED).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

__all__ = ["PROVISIONAL", "WEIGHTS_PROVISIONAL", "three_year_mean"]

PROVISIONAL: Final = True

#: A weighted composite index attributed to HJ 663—2026 by third-party code
#: (PM2.5 ×3, NO2 ×2, O3 ×2, others ×1). No evidence it is in the standard; not
#: used unless asked for.
WEIGHTS_PROVISIONAL: Final[Mapping[str, float]] = {"pm25": 3, "no2": 2, "o3": 2, "pm10": 1, "so2": 1, "co": 1}


def three_year_mean(values: Sequence[float | None]) -> float | None:
    """Mean of three consecutive annual statistics (PROVISIONAL, see module doc).

    ``values`` are the statistics of years Y−2, Y−1 and Y; any missing → ``None``.

    >>> three_year_mean([40.0, 38.0, 36.0])
    38.0
    """
    if len(values) != 3:
        raise ValueError("three_year_mean needs exactly three annual values (Y-2, Y-1, Y)")
    out: list[float] = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        out.append(float(v))
    return sum(out) / 3.0
