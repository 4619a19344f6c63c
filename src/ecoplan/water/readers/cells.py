"""Manual data cells to candidates: item, number, declared unit and time, each checked.

Shared by :mod:`.long` and :mod:`.wide`. A cell with no value (empty, ``--``, ``*``) is
no candidate. Otherwise, in this order: an item not known (:func:`~.parsing.item_key`)
→ ``unknown_item``; a text that is not a number → ``unparseable``; a unit unknown or
not fitting the item (:func:`~.parsing.unit_factor`; only pH takes none) →
``unknown_unit``; a time that is not one (:func:`~.parsing.parse_time`) → ``bad_time``.
The value is converted exactly (decimal arithmetic, then one rounding to float64); a
value written below its detection limit (``<0.05``, ``0.05L``) is stored as the limit
with the flag :data:`~.parsing.ND_FLAG` added to the row's flag.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ecoplan.water.readers.parsing import ND_FLAG, Number, item_key, parse_number, parse_time, unit_factor

__all__ = ["candidates"]


def candidates(
    file: str,
    rows: Sequence[int],
    field: Sequence[str],
    station: Sequence[str],
    time_text: Sequence[str],
    item_text: Sequence[str],
    raw: Sequence[str],
    unit: Sequence[str],
    flag: Sequence[str],
) -> pd.DataFrame:
    """One candidate per given cell (columns :data:`~.accumulate.CANDIDATE_COLUMNS`)."""
    recs = []
    times: dict[str, pd.Timestamp | None] = {}
    for r, f, st, tt, it, cell, u, fl in zip(
        rows, field, station, time_text, item_text, raw, unit, flag, strict=True
    ):
        num = parse_number(cell)
        if num is None:
            continue
        key = item_key(it)
        item, body = key if key is not None else (None, None)
        if tt not in times:
            times[tt] = parse_time(tt)
        when = times[tt]
        value = float("nan")
        flags = [x for x in (str(fl).strip(),) if x]
        if key is None:
            reason: str | None = "unknown_item"
        elif not isinstance(num, Number):
            reason = "unparseable"
        elif (factor := unit_factor(str(item), u)) is None:
            reason = "unknown_unit"
        elif when is None:
            reason = "bad_time"
        else:
            reason = None
            value = float(num.value * factor)
            if num.nd:
                flags.append(ND_FLAG)
        recs.append(
            {
                "file": file,
                "row": int(r),
                "field": f,
                "station": str(st).strip(),
                "time_text": tt,
                "time": when if when is not None else pd.NaT,
                "item": item if key is not None else str(it),
                "named_body": body,
                "raw": str(cell),
                "value": value,
                "published": np.nan,
                "flag": ",".join(flags) or None,
                "revised_at": pd.NaT,
                "reason": reason,
            }
        )
    return pd.DataFrame(recs)
