"""From candidate values to a :class:`~.batch.WaterBatch`: the checks every format shares.

A reader turns each cell into a *candidate* (:data:`CANDIDATE_COLUMNS`): where it is
(file, row, field), what it is (station, time, item, the row of Table 1 the item named),
the cell as written, the value in the canonical unit, and a reason code when the reader
already refused it (``unparseable``, ``unknown_item``, ``unknown_unit``, ``bad_time``).
:func:`finish` then applies, in this order, ``ph_range`` (pH outside 0–14), ``negative``,
``impossible`` (above :data:`~.parsing.CEILINGS`), ``unknown_station`` (a registry was
given and does not hold the code), ``lake_item_on_river`` (the item named the 总磷 row
of the other water body than the registry's) and ``duplicate``: of the valid values of one
``(station, time, item)`` the last in reading order wins (for CNEMC snapshots: the latest
``revised_at``, then reading order) and every earlier one is a ``duplicate`` reject, the
identical repeats included — nothing is dropped without a row in ``rejects``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ecoplan.water.readers.batch import REJECT_COLUMNS, SAMPLE_COLUMNS, STATION_COLUMNS, WaterBatch
from ecoplan.water.readers.parsing import CEILINGS

__all__ = ["CANDIDATE_COLUMNS", "empty_stations", "finish", "rejects_frame"]

CANDIDATE_COLUMNS = (
    "file",
    "row",
    "field",
    "station",
    "time_text",
    "time",
    "item",
    "named_body",
    "raw",
    "value",
    "published",
    "flag",
    "revised_at",
    "reason",
)


def empty_stations() -> pd.DataFrame:
    """A registry with no rows and the columns of :data:`~.batch.STATION_COLUMNS`."""
    return station_frame([])


def station_frame(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """The registry in the contract's dtypes, sorted by code."""
    df = pd.DataFrame(list(rows), columns=list(STATION_COLUMNS))
    for c in ("code", "name", "province", "city", "region", "basin", "river", "water_body", "control_level"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df["drinking_source"] = df["drinking_source"].astype("boolean")
    for c in ("lat", "lon"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df.sort_values("code", kind="stable").reset_index(drop=True)


def rejects_frame(c: pd.DataFrame) -> pd.DataFrame:
    """Rejected candidates in the columns of :data:`~.batch.REJECT_COLUMNS` (texts as written)."""
    out = pd.DataFrame(
        {
            "file": c["file"].astype(str),
            "row": c["row"].astype("int64"),
            "field": c["field"].astype(str),
            "station": c["station"].astype(str),
            "time": c["time_text"].astype(str),
            "item": c["item"].fillna("").astype(str),
            "value": c["raw"].astype(str),
            "reason": c["reason"].astype(str),
        }
    )
    return out[list(REJECT_COLUMNS)].reset_index(drop=True)


def _candidates(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CANDIDATE_COLUMNS})
    c = pd.concat([p[list(CANDIDATE_COLUMNS)] for p in parts], ignore_index=True)
    c["time"] = pd.to_datetime(c["time"]).astype("datetime64[ns]")
    c["revised_at"] = pd.to_datetime(c["revised_at"]).astype("datetime64[ns]")
    c["value"] = c["value"].astype("float64")
    c["published"] = c["published"].astype("float64")
    return c


#: The column of long data a reject names, by reason (the others name ``value``).
_FIELD_OF_REASON: dict[str, str] = {
    "unknown_item": "item",
    "unknown_unit": "unit",
    "bad_time": "time",
    "unknown_station": "station",
}


def finish(
    parts: Sequence[pd.DataFrame],
    stations: pd.DataFrame,
    *,
    registry_given: bool,
    files: list[str],
    published_class: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> WaterBatch:
    """The batch of the candidates ``parts`` (in reading order), with the checks of the module doc."""
    c = _candidates(parts)
    reason = np.array(c["reason"].astype(object).where(c["reason"].notna(), None).to_numpy(), dtype=object)
    ok = np.array(pd.isna(reason), dtype=bool)
    v = c["value"].to_numpy()
    item = c["item"].astype(object).to_numpy()
    with np.errstate(invalid="ignore"):
        ph = item == "pH"
        ceiling = np.array([CEILINGS.get(str(i), np.inf) for i in item], dtype=np.float64)
        bad_ph = ok & ph & ((v < 0) | (v > 14))
        reason[bad_ph] = "ph_range"
        ok &= ~bad_ph
        neg = ok & (v < 0)
        reason[neg] = "negative"
        ok &= ~neg
        high = ok & (v > ceiling)
        reason[high] = "impossible"
        ok &= ~high
    if registry_given:
        codes = set(stations["code"].astype(str))
        unknown = ok & ~c["station"].isin(codes).to_numpy()
        reason[unknown] = "unknown_station"
        ok &= ~unknown
    body = dict(zip(stations["code"].astype(str), stations["water_body"], strict=True))
    named = c["named_body"].to_numpy(dtype=object)
    known = c["station"].map(body).to_numpy(dtype=object)
    clash = ok & pd.notna(named) & pd.notna(known) & (named != known)
    reason[clash] = "lake_item_on_river"
    ok &= ~clash
    # duplicates: among the valid values of a key, the last (by revised_at, then order) wins
    order = pd.DataFrame({"rev": c["revised_at"], "seq": np.arange(len(c))})
    order = order[ok].sort_values(["rev", "seq"], kind="stable", na_position="first")
    keys = c.loc[order.index, ["station", "time", "item"]]
    earlier = order.index[keys.duplicated(keep="last").to_numpy()]
    reason[earlier] = "duplicate"
    ok[earlier] = False
    c["reason"] = reason
    # Long data keep station, time, item and unit in columns of their own: a reject names
    # the column at fault, not the value column (wide data name the item's column).
    long_rows = (c["field"] == "value").to_numpy()
    for why, column in _FIELD_OF_REASON.items():
        at = long_rows & (reason == why)
        if at.any():
            c.loc[at, "field"] = column
    samples = c[ok].copy()
    samples["flag"] = samples["flag"].astype(object).where(samples["flag"].notna(), None)
    samples = samples[list(SAMPLE_COLUMNS)].sort_values(["station", "time", "item"], kind="stable")
    samples["station"] = samples["station"].astype(str)
    samples["item"] = samples["item"].astype(str)
    pc = published_class
    if pc is None:
        pc = pd.DataFrame({"station": [], "time": pd.Series(dtype="datetime64[ns]"), "published_class": []})
    batch = WaterBatch(
        samples=samples.reset_index(drop=True),
        stations=stations.reset_index(drop=True),
        rejects=rejects_frame(c[~ok]),
        published_class=pc.reset_index(drop=True),
        files=files,
    )
    if targets is not None:
        batch.targets = targets.reset_index(drop=True)
    return batch
