"""Lake/reservoir trophic state: 综合营养状态指数 TLI(Σ) (``water-soil.md`` §3).

Source: 《湖泊（水库）富营养化评价方法及分级技术规定》(中国环境监测总站, 总站生字〔2001〕090号
per the copy ``m.zhuangpeitu.com/p-9056091.html``; "此规定由中国环境监测总站生态室负责解释"),
read in five web copies and two papers [R×5 + S×2];
the 2011 method (环办〔2011〕22号 §一(一)2) names the same five trophic items
(叶绿素a、总磷、总氮、透明度、高锰酸盐指数).

- TLI(Σ) = Σⱼ Wⱼ · TLI(j), Wⱼ = rⱼ² / Σ r², with chla as the reference parameter and
  r from 金相灿《中国湖泊环境》(26 lakes): chla 1, TP 0.84, TN 0.82, SD −0.83,
  CODMn 0.83 [R] (:data:`R_CHLA`). The weights are computed, never the rounded ones.
- TLI(chla) = 10(2.5 + 1.086 ln chla), TLI(TP) = 10(9.436 + 1.624 ln TP),
  TLI(TN) = 10(5.453 + 1.694 ln TN), TLI(SD) = 10(5.118 − 1.94 ln SD),
  TLI(CODMn) = 10(0.109 + 2.661 ln CODMn) [R] (:data:`COEFFICIENTS`).
- Units: chla mg/m³ (= µg/L), SD m, TP/TN/CODMn mg/L [R]. CNEMC automatic stations
  publish 叶绿素α in mg/L: use :func:`chla_mg_m3` (× 1000) first.
- Grades [R; boundary symbols garbled in the copies]: < 30 贫营养; 30–50 中营养;
  > 50 富营养, split 50–60 轻度, 60–70 中度, > 70 重度富营养 (:data:`GRADES`).

Options for rules the spec marks UNCONFIRMED (§10 item 10):

- ``min_params=5`` — a TLI(Σ) needs all five parameters; a smaller value allows fewer,
  the weights renormalised over the parameters present (m = their number, which the
  definition of Wⱼ implies [R]; whether such a TLI may be published is UNCONFIRMED).
- ``boundaries="spec"`` — who owns 30, 50, 60, 70: ``"spec"`` puts 30 in 中营养 and
  50/60/70 in the lower grade (the table "30 ≤ TLI ≤ 50", "50 < TLI ≤ 60" …);
  ``"upper"`` gives every boundary to the upper grade (the CSDN text "50 ≤ TLI < 60").

Values must be > 0 (a logarithm); anything else raises ``ValueError``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "BOUNDARIES",
    "COEFFICIENTS",
    "GRADES",
    "GRADE_EN",
    "GRADE_ZH",
    "METHOD",
    "PARAMETERS",
    "R_CHLA",
    "Boundaries",
    "TliResult",
    "chla_mg_m3",
    "grade",
    "grade_array",
    "part",
    "tli",
    "weights",
]

#: The method these rules are from.
METHOD: Final = "湖泊（水库）富营养化评价方法及分级技术规定（中国环境监测总站）"

#: The five parameters, in the method's order.
PARAMETERS: Final = ("chla", "TP", "TN", "SD", "CODMn")

#: Correlation of each parameter with chla (金相灿《中国湖泊环境》) [R].
R_CHLA: Final[dict[str, float]] = {"chla": 1.0, "TP": 0.84, "TN": 0.82, "SD": -0.83, "CODMn": 0.83}

#: TLI(j) = 10 · (a + b · ln x) [R].
COEFFICIENTS: Final[dict[str, tuple[float, float]]] = {
    "chla": (2.5, 1.086),
    "TP": (9.436, 1.624),
    "TN": (5.453, 1.694),
    "SD": (5.118, -1.94),
    "CODMn": (0.109, 2.661),
}

#: Grade codes, best first.
GRADES: Final = ("oligotrophic", "mesotrophic", "light_eutrophic", "middle_eutrophic", "hyper_eutrophic")
GRADE_ZH: Final = ("贫营养", "中营养", "轻度富营养", "中度富营养", "重度富营养")
GRADE_EN: Final = (
    "oligotrophic",
    "mesotrophic",
    "lightly eutrophic",
    "moderately eutrophic",
    "hypereutrophic",
)

#: Grade boundaries on TLI(Σ).
BOUNDARIES: Final = (30.0, 50.0, 60.0, 70.0)

Boundaries = Literal["spec", "upper"]
FloatArray = npt.NDArray[np.float64]


def chla_mg_m3(chla_mg_l: npt.ArrayLike) -> FloatArray:
    """叶绿素a in mg/L (as CNEMC publishes it) to the method's mg/m³ (× 1000).

    >>> float(chla_mg_m3(0.012))
    12.0
    """
    return np.asarray(chla_mg_l, dtype=np.float64) * 1000.0


def weights(present: tuple[str, ...] | list[str] = PARAMETERS) -> dict[str, float]:
    """Wⱼ = rⱼ² / Σ r² over the parameters ``present`` (m = their number) [R].

    >>> {k: round(v, 6) for k, v in weights().items()}["chla"]
    0.266255
    """
    unknown = [p for p in present if p not in R_CHLA]
    if unknown or not present:
        raise ValueError(f"parameters must be among {PARAMETERS}, got {list(present)}")
    r2 = {p: R_CHLA[p] ** 2 for p in PARAMETERS if p in present}
    total = math.fsum(r2.values())
    return {p: v / total for p, v in r2.items()}


def part(parameter: str, values: npt.ArrayLike) -> FloatArray:
    """TLI(j) of one parameter (array in, array out). Raises on values ≤ 0 or NaN.

    >>> round(float(part("chla", 10)), 4)
    50.0061
    """
    if parameter not in COEFFICIENTS:
        raise ValueError(f"unknown TLI parameter: {parameter!r}")
    v = np.asarray(values, dtype=np.float64)
    if np.any(np.isnan(v)) or np.any(v <= 0):
        raise ValueError(f"{parameter}: TLI needs values > 0 (logarithm), got {values!r}")
    a, b = COEFFICIENTS[parameter]
    out: FloatArray = 10.0 * (a + b * np.log(v))
    return out


@dataclass(frozen=True)
class TliResult:
    """Weights, the per-parameter TLI(j) and TLI(Σ) (arrays when arrays came in)."""

    weights: dict[str, float]
    parts: dict[str, FloatArray]
    total: FloatArray


def tli(
    values: Mapping[str, npt.ArrayLike | None],
    *,
    min_params: int = 5,
) -> TliResult:
    """TLI(Σ) of ``values`` (keys among :data:`PARAMETERS`; chla in mg/m³, SD in m).

    A missing parameter (absent or ``None``) lowers m; fewer than ``min_params``
    parameters raise ``ValueError`` (default 5: all five needed — UNCONFIRMED option).

    >>> r = tli({"chla": 10, "TP": 0.05, "TN": 1.0, "SD": 1.0, "CODMn": 4.0})
    >>> round(float(r.total), 4)
    48.0181
    """
    unknown = [k for k in values if k not in PARAMETERS]
    if unknown:
        raise ValueError(f"unknown TLI parameters: {unknown}")
    given = {p: v for p in PARAMETERS if (v := values.get(p)) is not None}
    present = list(given)
    if not 1 <= min_params <= len(PARAMETERS):
        raise ValueError(f"min_params must be 1..5, got {min_params}")
    if len(present) < min_params:
        raise ValueError(f"TLI(Σ) needs {min_params} parameters, got {present}")
    w = weights(present)
    parts = {p: part(p, v) for p, v in given.items()}
    total: FloatArray = sum((w[p] * parts[p] for p in present), start=np.zeros(()))
    return TliResult(w, parts, np.asarray(total, dtype=np.float64))


def _index(total: float, boundaries: Boundaries) -> int:
    if math.isnan(total):
        raise ValueError("TLI is NaN")
    if boundaries == "upper":
        return sum(1 for b in BOUNDARIES if total >= b)
    if boundaries != "spec":
        raise ValueError(f"boundaries must be 'spec' or 'upper', got {boundaries!r}")
    low = 0 if total < BOUNDARIES[0] else 1
    return low + sum(1 for b in BOUNDARIES[1:] if total > b)


def grade(total: float, *, boundaries: Boundaries = "spec") -> str:
    """The grade code of a TLI(Σ) (:data:`GRADES`; zh/en via :data:`GRADE_ZH`/:data:`GRADE_EN`).

    >>> grade(29.99), grade(30), grade(50), grade(50.01), grade(70), grade(70.01)
    ('oligotrophic', 'mesotrophic', 'mesotrophic', 'light_eutrophic', 'middle_eutrophic', 'hyper_eutrophic')
    >>> grade(50, boundaries="upper")
    'light_eutrophic'
    """
    return GRADES[_index(float(total), boundaries)]


def grade_array(totals: npt.ArrayLike, *, boundaries: Boundaries = "spec") -> npt.NDArray[np.int64]:
    """:func:`grade` vectorised, as indices into :data:`GRADES` (0 = oligotrophic)."""
    t = np.asarray(totals, dtype=np.float64)
    if np.any(np.isnan(t)):
        raise ValueError("TLI is NaN")
    b = np.asarray(BOUNDARIES)
    if boundaries == "upper":
        out = np.searchsorted(b, t, side="right")
    elif boundaries == "spec":
        out = np.where(t < b[0], 0, np.searchsorted(b[1:], t, side="left") + 1)
    else:
        raise ValueError(f"boundaries must be 'spec' or 'upper', got {boundaries!r}")
    return np.asarray(out, dtype=np.int64)
