"""Abnormal-data alarms: ecoplan's own rules [M], not a standard's.

HJ 212-2017 removed the 2005 alarm commands (hj212 spec §10) and no standard read for this
project defines "abnormal data" alarms for the platform; these rules are ecoplan's, each
with its parameters as data and why it is there. The pipeline
(:mod:`ecoplan.sources.pipeline.sql`) applies them to the minute data (CN 2051, or
real-time data rolled up to the minute).

Kinds:

``silence``
    A device sends no data for more than ``minutes`` (beyond its own interval): a
    connection, logger or power problem hides the emission.
``flatline``
    A factor's value stays exactly the same over ``minutes`` of valid data: a frozen
    analyser or a set value sent as a measurement (HJ 212 flag S is the honest form).
``negative`` / ``impossible``
    A value below 0 where the factor cannot be negative, or outside its physical bounds
    (:data:`BOUNDS`: O2 ≤ 21 %, pH 0–14, humidity ≤ 100 %).
``flag_storm``
    A factor's flag changes ``changes`` times or more within one clock hour: real
    maintenance or calibration is one block (two changes), flapping flags point to a
    faulty logger or instrument link.
``zero_flow``
    The flow (a00000 / w00000) is 0 or below while a pollutant of the same device reads
    above 0 with flag N: the emission computed from the flow is 0 while the stack emits.

Alarms of one kind, device and factor in consecutive hours (negative, impossible,
flag_storm, zero_flow) or in one run of records (silence, flatline) are one alarm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "BOUNDS",
    "FLOW_FACTORS",
    "KINDS",
    "NON_NEGATIVE_EXEMPT",
    "AlarmParams",
    "out_of_bounds",
]

KINDS: tuple[str, ...] = ("silence", "flatline", "negative", "impossible", "flag_storm", "zero_flow")

#: Flow factors (HJ 212-2017 Table B.1 w00000, Table B.2 a00000).
FLOW_FACTORS: tuple[str, ...] = ("a00000", "w00000")

#: Physical bounds (low, high) of factors beyond "not negative" (None: no bound).
BOUNDS: Mapping[str, tuple[float | None, float | None]] = {
    "a19001": (0.0, 21.0),  # O2 content, % (cannot exceed air's)
    "w01001": (0.0, 14.0),  # pH
    "a01014": (0.0, 100.0),  # flue-gas humidity, %
    "a01002": (0.0, 100.0),  # ambient humidity, %
}

#: Factors that can be negative: ambient temperature, water temperature, flue-gas
#: pressure and dynamic pressure (static pressure in a duct is often below ambient).
NON_NEGATIVE_EXEMPT: tuple[str, ...] = ("a01001", "a01012", "a01013", "a01017", "w01010")


@dataclass(frozen=True)
class AlarmParams:
    """The parameters of the alarm rules (defaults are ecoplan's)."""

    silence_minutes: int = 60
    flatline_minutes: int = 240
    storm_changes: int = 3

    def __post_init__(self) -> None:
        if self.silence_minutes < 1 or self.flatline_minutes < 1 or self.storm_changes < 2:
            raise ValueError("silence_minutes and flatline_minutes must be ≥ 1, storm_changes ≥ 2")


def out_of_bounds(factor: str, value: float) -> str | None:
    """``negative``, ``impossible`` or None for one value of ``factor``."""
    lo, hi = BOUNDS.get(factor, (0.0, None))
    if factor in NON_NEGATIVE_EXEMPT and factor not in BOUNDS:
        return None
    if value < 0 and (lo is None or lo >= 0):
        return "negative"
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return "impossible"
    return None
