"""What several ``ecoplan ecology …`` commands print alike, written once: a frame as JSON
records, and a feed's rows, skips and summary (``feed`` and ``spatial-feed``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.kit.cli import say, words

if TYPE_CHECKING:
    from ecoplan.ecology.service import FeedResult

__all__ = ["records", "say_feed"]


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``df`` as JSON objects (``--format json``): Chinese as written, dates and
    times in ISO 8601, missing values as null."""
    rows: list[dict[str, Any]] = json.loads(
        df.to_json(orient="records", force_ascii=False, date_format="iso")
    )
    return rows


def say_feed(fr: FeedResult, lang: str) -> None:
    """One line per value written, one per plan year left to another source, then the
    counts written (new, revised, unchanged): both feeds report the same way."""
    w = words(lang)
    for r in fr.rows:
        say(w("ecology.cli.feed.row", plan=r.plan, region=r.region, year=r.year, value=f"{r.value:.2f}"))
    for plan, _ind, y, source in fr.skipped:
        say(w("ecology.cli.feed.skipped", plan=plan, year=y, source=source))
    res = fr.result
    say(w("ecology.cli.feed.summary", new=res.inserted, revised=res.revised, unchanged=res.unchanged))
