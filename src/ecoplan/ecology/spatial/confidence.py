"""Integrated confidence of patches found by several systems (Global Forest Watch style).

GFW's integrated deforestation alerts merge GLAD-L, GLAD-S2 and RADD: each system says
low or high, and an alert that more than one system detected is "highest". Here: patches
that overlap (positive common area, optionally within ``window_days`` of each other) are
one *group*; a group seen by two or more distinct source systems is ``highest``,
otherwise it takes the best tier its patches report (``high`` over ``low``). Every patch
of a group carries the group's tier and id.
"""

from __future__ import annotations

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pandas as pd
import shapely  # type: ignore[import-untyped,unused-ignore]
from numpy.typing import NDArray

__all__ = ["components", "integrate"]


def components(n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
    """Connected components of ``n`` nodes joined by the edges ``a[i]``–``b[i]``: each
    node's label is the smallest node of its component (min-label propagation with
    pointer jumping; no Python loop over nodes)."""
    labels = np.arange(n, dtype=np.int64)
    if a.size == 0:
        return labels
    while True:
        low = np.minimum(labels[a], labels[b])
        new = labels.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        while True:  # pointer jumping: follow labels to their root
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, labels):
            return labels
        labels = new


def integrate(patches: gpd.GeoDataFrame, *, window_days: int | None = None) -> pd.DataFrame:
    """``patch_id``, ``group`` (the group's first patch id), ``sources`` (distinct systems
    in the group) and ``integrated`` (low / high / highest) for every patch."""
    geoms = np.asarray(patches.geometry.values, dtype=object)
    n = len(geoms)
    ids = patches["patch_id"].to_numpy(dtype=object)
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects") if n else (np.empty(0, np.int64),) * 2
    pair = a < b
    a, b = a[pair], b[pair]
    if a.size:
        overlap = np.asarray(shapely.area(shapely.intersection(geoms[a], geoms[b])), dtype=np.float64) > 0
        a, b = a[overlap], b[overlap]
    if window_days is not None and a.size:
        day = pd.to_datetime(patches["detected_on"]).to_numpy(dtype="datetime64[D]").astype(np.int64)
        near = np.abs(day[a] - day[b]) <= window_days
        a, b = a[near], b[near]
    label = components(n, a.astype(np.int64), b.astype(np.int64))
    frame = pd.DataFrame(
        {
            "label": label,
            "source": patches["source"].to_numpy(dtype=object),
            "high": (patches["confidence"] == "high").to_numpy(),
        }
    )
    by = frame.groupby("label")
    sources = by["source"].nunique()
    high = by["high"].any()
    tier = np.where(sources >= 2, "highest", np.where(high, "high", "low"))
    tiers = pd.Series(tier, index=sources.index)
    return pd.DataFrame(
        {
            "patch_id": ids,
            "group": ids[label],
            "sources": sources.reindex(label).to_numpy(),
            "integrated": tiers.reindex(label).to_numpy(),
        }
    )
