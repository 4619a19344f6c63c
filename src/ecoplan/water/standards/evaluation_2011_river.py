"""环办〔2011〕22号 §二(一)3 for rivers and basins: main pollutants by 断面超标率.

``water-soil.md`` §2.7 [R, S2 page 2 of the bjx.com.cn reproduction]: for a river,
basin or region with 5 or more sections, the items are ranked by 断面超标率 — the
number of sections where the item's (period) value exceeds the Ⅲ limit divided by
the number of sections — and "一般取断面超标率最大的前三项"; with fewer than 5
sections the main pollutants are given per section
(:func:`ecoplan.water.standards.evaluation_2011.main_pollutants`). The rate formula is
[S×2: the Java code of spec S7; a dashboard tooltip "断面超标率=某评价指标超过III类标准的
断面个数 / 断面（点位）总数 * 100%"]. 超标 for DO is a value below 5 and for pH a value
outside 6–9, i.e. a class worse than Ⅲ.

Options for rules the spec marks UNCONFIRMED:

- ``when_good="none"`` — a river graded 优 or 良好 lists no main pollutants, as a
  section does (§10 item 7); ``"list"`` ranks its exceeding items anyway;
- ties in the rate keep GB 3838 Table 1 order (design choice);
- the denominator is every section of the river (the tooltip's 断面总数), also for an
  item a section did not measure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb
from ecoplan.water.standards.gb3838_2002 import EqualLimits, WaterBody

__all__ = ["GOOD_STATUSES", "RiverPollutant", "river_main_pollutants"]

#: The river statuses that list no main pollutants by default.
GOOD_STATUSES: Final = ("优", "良好")


@dataclass(frozen=True)
class RiverPollutant:
    """A river's main pollutant and its 断面超标率 (a fraction, 0.25 = 25 %)."""

    item: str
    rate: float


def river_main_pollutants(
    section_samples: Sequence[Mapping[str, float | None]],
    water_body: WaterBody = "river",
    *,
    items: Iterable[str] = ev.EVALUATION_ITEMS,
    n: int = ev.MAX_MAIN_POLLUTANTS,
    when_good: Literal["none", "list"] = "none",
    severe_below: float = 0.75,
    equal_limits: EqualLimits = "best",
) -> list[RiverPollutant]:
    """The main pollutants of a river with ≥ 5 sections (one sample of period values per
    section), highest 断面超标率 first, at most ``n``. Fewer than 5 sections raise
    ``ValueError`` (use the per-section rule); so does a section with no evaluation item.

    >>> s = [{"NH3N": 0.5}] * 4 + [{"NH3N": 1.2, "TP": 0.25}, {"NH3N": 1.6}]
    >>> [(p.item, round(p.rate, 4)) for p in river_main_pollutants(s)]
    [('NH3N', 0.3333), ('TP', 0.1667)]
    """
    if when_good not in ("none", "list"):
        raise ValueError(f"when_good must be 'none' or 'list', got {when_good!r}")
    wanted = tuple(items)
    count = len(section_samples)
    if count < ev.SHARE_METHOD_MIN_SECTIONS:
        raise ValueError(f"the river rule needs ≥ 5 sections, got {count}; use the per-section rule")
    per_section = [
        ev.item_classes(s, water_body, items=wanted, equal_limits=equal_limits) for s in section_samples
    ]
    if any(not c for c in per_section):
        raise ValueError("a section has no evaluation item")
    status = ev.river_grade([max(c.values()) for c in per_section], severe_below=severe_below).status
    if when_good == "none" and status in GOOD_STATUSES:
        return []
    exceeded = {i: sum(1 for c in per_section if c.get(i, 0) > 3) for i in wanted}
    order = {i: k for k, i in enumerate(gb.ITEMS)}
    ranked = sorted((i for i, k in exceeded.items() if k > 0), key=lambda i: (-exceeded[i], order[i]))
    return [RiverPollutant(i, float(Fraction(exceeded[i], count))) for i in ranked[:n]]
