"""Server-drawn SVG charts of the climate pages (pure geometry; the template draws them).

The pages stay complete without JavaScript, as the other domains' pages draw theirs
(the sources' history, the water series): a stacked bar per year (CO2 by fuel) and
lines over the years (the intensity decline against the target's schedules). Values
are placed on a "nice" axis from 0 (or the smallest negative) to the largest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["PALETTE", "Series", "lines", "nice_max", "stacked"]

#: Colours of the series, in order (fuels keep theirs across years).
PALETTE = (
    "#57606a",
    "#8c4a1a",
    "#bf8700",
    "#0969da",
    "#1a7f37",
    "#8250df",
    "#cf222e",
    "#0b5d3b",
    "#d4a72c",
    "#6e7781",
    "#e16f24",
)
_W, _H = 640.0, 280.0
_L, _R, _T, _B = 64.0, 16.0, 14.0, 30.0


@dataclass(frozen=True)
class Series:
    """One named series: its values by position (None: no value), colour and dash."""

    label: str
    values: Sequence[float | None]
    color: str
    dash: str = ""


def nice_max(x: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``x`` (1 for nothing above 0)."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    e = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if x <= m * e * (1 + 1e-12):
            return m * e
    return 10.0 * e


def _label(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}"


def _frame(lo: float, hi: float, n: int) -> dict[str, Any]:
    top = nice_max(hi)
    bottom = -nice_max(-lo) if lo < 0 else 0.0
    span = top - bottom

    def y(v: float) -> float:
        return round(_T + (top - v) / span * (_H - _T - _B), 1)

    step = (_W - _L - _R) / max(n, 1)
    ticks = [bottom + span * i / 4 for i in range(5)]
    return {
        "w": _W,
        "h": _H,
        "left": _L,
        "right": _W - _R,
        "top": _T,
        "bottom": _H - _B,
        "y": y,
        "step": step,
        "zero": y(0.0),
        "yticks": [{"y": y(t), "label": _label(t)} for t in ticks],
    }


def stacked(years: Sequence[int], parts: Sequence[Series]) -> dict[str, Any]:
    """A bar per year, the parts stacked (positive ones up from 0, negative ones down)."""
    up = [sum(max(p.values[i] or 0.0, 0.0) for p in parts) for i in range(len(years))]
    down = [sum(min(p.values[i] or 0.0, 0.0) for p in parts) for i in range(len(years))]
    f = _frame(min(down, default=0.0), max(up, default=0.0), len(years))
    y: Callable[[float], float] = f.pop("y")
    step = float(f["step"])
    bars = []
    for i, year in enumerate(years):
        x = round(_L + i * step + step * 0.15, 1)
        pos, neg = 0.0, 0.0
        for p in parts:
            v = p.values[i]
            if not v:
                continue
            a, b = (pos, pos + v) if v > 0 else (neg + v, neg)
            if v > 0:
                pos += v
            else:
                neg += v
            bars.append(
                {
                    "x": x,
                    "y": y(b),
                    "w": round(step * 0.7, 1),
                    "h": round(y(a) - y(b), 1),
                    "color": p.color,
                    "title": f"{year} {p.label}: {_label(v)}",
                }
            )
    f["bars"] = bars
    f["xlabels"] = [{"x": round(_L + (i + 0.5) * step, 1), "label": str(yr)} for i, yr in enumerate(years)]
    f["legend"] = [{"color": p.color, "label": p.label, "dash": p.dash} for p in parts]
    return f


def lines(years: Sequence[int], series: Sequence[Series]) -> dict[str, Any]:
    """A line per series over the years (a gap where a value is missing), dots at the values."""
    vals = [v for s in series for v in s.values if v is not None]
    f = _frame(min(vals, default=0.0), max(vals, default=0.0), len(years))
    y: Callable[[float], float] = f.pop("y")
    step = float(f["step"])

    def x(i: int) -> float:
        return round(_L + (i + 0.5) * step, 1)

    paths, dots = [], []
    for s in series:
        d, pen = [], "M"
        for i, v in enumerate(s.values):
            if v is None:
                pen = "M"
                continue
            d.append(f"{pen}{x(i)},{y(v)}")
            pen = "L"
            dots.append({"x": x(i), "y": y(v), "color": s.color, "title": f"{years[i]} {s.label}: {v:g}"})
        paths.append({"d": " ".join(d), "color": s.color, "dash": s.dash, "label": s.label})
    f["paths"] = paths
    f["dots"] = dots
    f["xlabels"] = [{"x": x(i), "label": str(yr)} for i, yr in enumerate(years)]
    f["legend"] = [{"color": s.color, "label": s.label, "dash": s.dash} for s in series]
    return f
