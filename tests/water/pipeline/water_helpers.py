"""Batches built by hand for the water pipeline, store and service tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecoplan.water.readers.batch import REJECT_COLUMNS, SAMPLE_COLUMNS, WaterBatch


def station(
    code: str, region: str | None, water_body: str = "river", basin: str = "海河流域", river: str = "滹沱河"
) -> dict[str, object]:
    return {
        "code": code, "name": f"断面{code}", "province": "河北省", "city": None, "region": region,
        "basin": basin, "river": river, "water_body": water_body, "control_level": "national",
        "drinking_source": False, "lat": np.nan, "lon": np.nan,
    }  # fmt: skip


def sample(code: str, time: str, item: str, value: float, flag: str | None = None) -> dict[str, object]:
    return {
        "station": code, "time": pd.Timestamp(time), "item": item, "value": value,
        "published": np.nan, "flag": flag, "revised_at": pd.NaT,
    }  # fmt: skip


def batch(
    stations: list[dict[str, object]],
    samples: list[dict[str, object]],
    targets: pd.DataFrame | None = None,
    files: list[str] | None = None,
    rejects: pd.DataFrame | None = None,
) -> WaterBatch:
    b = WaterBatch(
        pd.DataFrame(samples, columns=list(SAMPLE_COLUMNS)),
        pd.DataFrame(stations),
        rejects if rejects is not None else pd.DataFrame(columns=list(REJECT_COLUMNS)),
        files=files or [],
    )
    if targets is not None:
        b.targets = targets
    return b
