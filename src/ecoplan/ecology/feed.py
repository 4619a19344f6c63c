"""The plan indicators the county EI measures, declared as data.

``eco.key_function_county_index`` (重点生态功能区所属县域生态环境状况指数, the 13th FYP
national plans' indicator, 60.4 → ＞60.4) is the mean EI (HJ 192-2015) of the key
ecological function counties a file counts in a region, per year. The mean of the
stored (2-decimal) county values, rounded to 2 decimals per GB/T 8170; the note says
how many counties it covers. An unweighted mean: the bulletins do not say whether
they weight by area (UNCONFIRMED).

:data:`SPATIAL_FEEDS` are the stored layers' and patches' indicators, written into any
plan that declares their codes (no built-in plan does yet; definitions UNCONFIRMED):

- ``eco.redline_area_kept`` (%): the red-line area of the plan's region in the version in
  force at the end of the year, as a share of the area of the first stored version
  (面积不减少: 100 or more is kept);
- ``eco.patches_closed_on_time`` (%): of the patches detected in the year whose deciding
  reserve or red line lies in the plan's region, the share closed with every step by
  its due date (the due dates are the configurable ``Deadlines``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ecoplan.core.rounding import round_half_even
from ecoplan.plans.model import Basis

__all__ = ["FEEDS", "SOURCE", "SPATIAL_FEEDS", "Feed", "feed_value"]

#: The source every value the feed writes carries.
SOURCE = "pipeline ecology"


@dataclass(frozen=True)
class Feed:
    """One plan indicator the county EI produces."""

    code: str
    statistic: str
    rule: str
    basis: Basis = Basis.LEVEL


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed(
            "eco.key_function_county_index",
            "mean_key_county_ei",
            "HJ 192-2015 EI; unweighted mean over the key counties (UNCONFIRMED weighting)",
        ),
    )
}


def feed_value(feed: Feed, mean_ei: float, counties: int) -> tuple[float, str]:
    """The value written (2 decimals) and its provenance note."""
    v = round_half_even(mean_ei, 2)
    assert v is not None
    return v, f"{feed.rule}; {counties} counties"


SPATIAL_FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed(
            "eco.redline_area_kept",
            "redline_area_kept",
            "red-line area of the version in force at the year's end / area of the first version, % "
            "(UNCONFIRMED definition)",
        ),
        Feed(
            "eco.patches_closed_on_time",
            "patches_closed_on_time",
            "patches detected in the year closed with every step by its due date, % "
            "(UNCONFIRMED definition and due dates)",
        ),
    )
}
