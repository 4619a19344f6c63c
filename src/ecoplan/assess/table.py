"""Assess every region of a plan at once: the vectorised form of :mod:`ecoplan.assess.evaluate`.

:func:`assess_table` computes, for one plan, every indicator of every region
with values in every evaluation year, as one table (one row per plan,
region, indicator and year). It follows the rules of
:func:`~ecoplan.assess.evaluate.assess_indicator` exactly — the region's own
baseline, its decomposed or inherited target, 序时进度 through the
milestones, the Eurostat ratio, the ESCAP indices and the warning levels —
computed with NumPy over all regions of an indicator that share their targets,
instead of a Python call per region and year. The plan's own region, and the
rare region whose values mix forms the vector path does not take (a change
value for an indicator without a cumulative target), and every region of an
indicator whose method is not yet published, go through ``assess_indicator``
itself (``values`` may carry a ``source`` column for its pipeline filter); a
test holds both paths equal on every row.

The rows are what the store materialises (``assessments``) and what rankings,
warnings and the home map read.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ecoplan.assess.evaluate import (
    _EPS,
    IndicatorAssessment,
    Message,
    Observation,
    Status,
    TargetResolver,
    Verdict,
    _resolve,
    assess_indicator,
)
from ecoplan.plans.model import Attribute, Basis, CumulativeMode, Indicator, Plan, TargetSpec
from ecoplan.plans.targets import Op, TargetKind

__all__ = ["COLUMNS", "assess_arrow", "assess_table"]

COLUMNS = [
    "plan_id",
    "region",
    "indicator_id",
    "year",
    "attribute",
    "target_source",
    "space",
    "value",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "expected",
    "change",
    "required_annual",
    "actual_annual",
    "annual_unit",
    "rr",
    "cs",
    "projected",
    "ap",
    "within_tolerance",
    "status",
    "verdict",
    "warning",
]

_NAN = float("nan")
_STATUSES = [s.value for s in Status]
_VERDICTS = [v.value for v in Verdict]
_WARNINGS: list[str | None] = [None, "watch", "amber", "red"]
_SOURCES = ["own", "inherited", "decomposed"]
_SPACES = ["level", "change"]
_ST = {s: i for i, s in enumerate(Status)}
_VE = {v: i for i, v in enumerate(Verdict)}
_WA = {w: i for i, w in enumerate(_WARNINGS)}
_TS = {t: i for i, t in enumerate(_SOURCES)}
_SP = {t: i for i, t in enumerate(_SPACES)}
_FLOATS = [
    "value",
    "baseline_value",
    "target_value",
    "expected",
    "change",
    "required_annual",
    "actual_annual",
    "rr",
    "cs",
    "projected",
    "ap",
]


# -- vector helpers mirroring the scalar ones -------------------------------------------


def _cmp(v: np.ndarray, op: str, y: np.ndarray | float) -> np.ndarray:
    """``evaluate._cmp`` over arrays (NaN compares False)."""
    tol = _EPS * np.maximum(1.0, np.abs(y))
    with np.errstate(invalid="ignore"):
        if op == ">=":
            return np.asarray(v >= y - tol)
        if op == "<=":
            return np.asarray(v <= y + tol)
        if op == ">":
            return np.asarray(v > y + tol)
        return np.asarray(v < y - tol)


def _cagr(a: np.ndarray, b: np.ndarray, years: float) -> np.ndarray:
    """``progress.cagr``: NaN where undefined."""
    if years <= 0:
        return np.full(np.broadcast(a, b).shape, _NAN)
    ok = (a > 0) & (b > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (np.where(ok, b, 1.0) / np.where(ok, a, 1.0)) ** (1.0 / years) - 1.0
    return np.where(ok, r, _NAN)


@dataclass(frozen=True)
class _Group:
    """Regions of one indicator sharing specs and assessment space."""

    specs: tuple[TargetSpec, ...]
    problem: Message | None
    target_source: str
    space: str  # level | change
    sign: int
    mode: CumulativeMode | None


def _target_vec(spec: TargetSpec, g: _Group, y0: np.ndarray, thr: tuple[float, float]) -> np.ndarray | float:
    """``evaluate._target_value`` for a vector of baselines (NaN = None)."""
    t = spec.target
    nan = _NAN
    if g.space == "change":
        if t.kind is TargetKind.CUMULATIVE:
            return nan if t.cumulative is None else t.cumulative
        if t.kind in (TargetKind.LEVEL, TargetKind.ABOUT):
            return nan if t.value is None else t.value
        return nan
    if t.kind in (TargetKind.LEVEL, TargetKind.ABOUT):
        return nan if t.value is None else t.value
    if t.kind is TargetKind.MAINTAIN:
        return t.value if t.value is not None else y0
    if t.kind is TargetKind.ELIMINATE:
        th = thr[0] if t.scope == "basic" else thr[1]
        return th if g.sign < 0 else 100.0 - th
    if t.kind is TargetKind.CUMULATIVE:
        if t.value is not None:
            return t.value
        if t.cumulative is None:
            return nan
        if g.mode is CumulativeMode.RELATIVE:
            return y0 * (1 + g.sign * t.cumulative / 100.0)
        return y0 + g.sign * t.cumulative
    return nan


def _meets_vec(
    spec: TargetSpec, v: np.ndarray, g: _Group, y_t: np.ndarray, plan: Plan
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``evaluate._meets``: (met, met_known, within) — ``met_known`` False where met is None."""
    t, s, st = spec.target, g.sign, plan.settings
    known = np.ones(v.shape, dtype=bool)
    if t.kind is TargetKind.ABOUT:
        assert t.value is not None
        tol = st.about_tolerance(t.value)
        within = np.abs(v - t.value) <= tol + _EPS * max(1.0, abs(t.value))
        met = _cmp(v, ">=", t.value - tol) if s > 0 else _cmp(v, "<=", t.value + tol)
        return met, known, within
    if t.kind is TargetKind.LEVEL and g.space == "level":
        assert t.value is not None
        op = t.op or Op.REACH
        if op is Op.TABLE_GT:
            return _cmp(v, ">" if st.strict_gt else ">=", t.value), known, None
        if op is Op.TABLE_LT:
            return _cmp(v, "<" if st.strict_lt else "<=", t.value), known, None
        if op is Op.REACH:
            return _cmp(v, ">=" if s > 0 else "<=", t.value), known, None
        return _cmp(v, op.value, t.value), known, None
    if t.kind is TargetKind.MAINTAIN and t.value is not None:
        op = t.op or Op.REACH
        if op in (Op.GE, Op.LE):
            return _cmp(v, op.value, t.value), known, None
    yt = np.broadcast_to(np.asarray(y_t, dtype=float), v.shape)
    known = ~np.isnan(yt)
    if t.kind is TargetKind.CUMULATIVE and t.bound is Op.LE:  # 〔x〕以下: a change of at most x
        return _cmp(s * v, "<=", s * yt) & known, known, None
    return _cmp(s * v, ">=", s * yt) & known, known, None


def _interp(anchors: list[tuple[int, np.ndarray | float]], t: int, schedule: str, n: int) -> np.ndarray:
    """``progress.expected_on_schedule`` with anchors shared by year (NaN = undefined)."""
    pts = sorted(anchors, key=lambda p: p[0])
    out = np.full(n, _NAN)
    if not pts or t < pts[0][0]:
        return out
    if t >= pts[-1][0]:
        return out + pts[-1][1]
    for (ta, ya), (tb, yb) in itertools.pairwise(pts):
        if ta <= t <= tb:
            f = (t - ta) / (tb - ta)
            ya_ = np.broadcast_to(np.asarray(ya, dtype=float), (n,))
            yb_ = np.broadcast_to(np.asarray(yb, dtype=float), (n,))
            lin: np.ndarray = ya_ + (yb_ - ya_) * f
            if schedule != "compound":
                return lin
            pos = (ya_ > 0) & (yb_ > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                comp = np.where(pos, ya_, 1.0) * (np.where(pos, yb_, 1.0) / np.where(pos, ya_, 1.0)) ** f
            return np.where(pos, comp, lin)
    return out


def _wls(H: np.ndarray, xs: np.ndarray, at: float, weights: str) -> np.ndarray:
    """``progress.wls_projection`` row by row over ``H`` (NaN = no point), projected to ``at``."""
    mask = ~np.isnan(H)
    n = mask.sum(axis=1)
    rank = np.cumsum(mask, axis=1)
    if weights == "uniform":
        w = mask.astype(float)
    elif weights == "exponential":
        w = np.where(mask, 0.5 ** (n[:, None] - rank), 0.0)
    else:
        w = np.where(mask, rank.astype(float), 0.0)
    y = np.where(mask, H, 0.0)
    sw = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = (w * xs).sum(axis=1) / sw
        my = (w * y).sum(axis=1) / sw
        dx = np.where(mask, xs - mx[:, None], 0.0)
        sxx = (w * dx**2).sum(axis=1)
        b = (w * dx * (y - my[:, None])).sum(axis=1) / sxx
        a = my - b * mx
        yhat = a + b * at
    bad = (n < 2) | (sxx == 0) | np.isnan(sxx)
    return np.where(bad, _NAN, yhat)


# -- one group ---------------------------------------------------------------------------


def _assess_group(
    plan: Plan,
    ind: Indicator,
    g: _Group,
    regions: np.ndarray,
    V: np.ndarray,
    y0: np.ndarray,
    year0: int,
    eval_years: Sequence[int],
    weights: str,
) -> list[dict[str, Any]]:
    """Rows of ``regions`` (values ``V`` by year from ``year0``) for every evaluation year."""
    n = len(regions)
    t0 = ind.baseline.year
    thr = (plan.settings.eliminate_basic, plan.settings.eliminate_full)
    binding = ind.attribute is Attribute.BINDING
    final = g.specs[-1] if g.specs else None
    frames = []
    y_t = (
        np.broadcast_to(np.asarray(_target_vec(final, g, y0, thr), dtype=float), (n,))
        if final is not None
        else np.full(n, _NAN)
    )
    for year in eval_years:
        idx = year - year0
        v = V[:, idx] if 0 <= idx < V.shape[1] else np.full(n, _NAN)
        has_v = ~np.isnan(v)
        nanv = np.full(n, _NAN)
        c: dict[str, Any] = {
            "value": v,
            "baseline_value": y0,
            "target_value": y_t,
            "expected": nanv,
            "change": nanv,
            "required_annual": nanv,
            "actual_annual": nanv,
            "annual_unit": np.zeros(n, dtype=np.int8),
            "rr": nanv,
            "cs": nanv,
            "projected": nanv,
            "ap": nanv,
            "within_tolerance": np.full(n, -1, dtype=np.int8),
        }
        status = np.full(n, _ST[Status.INSUFFICIENT_DATA], dtype=np.int8)
        verdict = np.full(n, _VE[Verdict.PENDING], dtype=np.int8)
        warn = np.zeros(n, dtype=np.int8)
        unresolved = g.problem is not None and (final is None or final.year < plan.end)
        if unresolved or final is None or final.target.kind in (TargetKind.NONE, TargetKind.QUALITATIVE):
            status[:] = _ST[Status.NOT_ASSESSABLE]
        else:
            assert final is not None
            T, s = final.year, g.sign
            hy0 = ~np.isnan(y0)
            # progress measures (rows with a value and a baseline)
            anchors: list[tuple[int, np.ndarray | float]] = [(t0, y0)]
            for spec in g.specs:
                tv = _target_vec(spec, g, y0, thr)
                if spec.year > t0 and not (np.isscalar(tv) and np.isnan(tv)):
                    anchors.append((spec.year, tv))
            c["change"] = v - y0
            if year > t0:
                rel = (y0 > 0) & (v > 0) & (y_t > 0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    req_c = _cagr(y0, y_t, T - t0) * 100
                    act_c = _cagr(y0, v, year - t0) * 100
                    req_l = (y_t - y0) / (T - t0) if t0 != T else np.full(n, _NAN)
                    act_l = (v - y0) / (year - t0)
                ok = hy0 & has_v & ~np.isnan(y_t)
                c["required_annual"] = np.where(ok, np.where(rel, req_c, req_l), _NAN)
                c["actual_annual"] = np.where(ok, np.where(rel, act_c, act_l), _NAN)
                c["annual_unit"] = np.where(ok, np.where(rel, 1, 2), 0).astype(np.int8)
                # Eurostat RR
                a = _cagr(y0, v, year - t0)
                r = _cagr(y0, y_t, T - t0)
                use_c = ~np.isnan(a) & ~np.isnan(r) & (r != 0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    rr_c = np.where(r * s > 0, a / r, s * a / np.abs(r))
                    la = (v - y0) / (year - t0)
                    lr = (y_t - y0) / (T - t0) if t0 != T else np.full(n, _NAN)
                    rr_l = np.where(~np.isnan(la) & ~np.isnan(lr) & (lr != 0), la / lr, _NAN)
                c["rr"] = np.where(ok, np.where(use_c, rr_c, rr_l), _NAN)
                with np.errstate(invalid="ignore", divide="ignore"):
                    cs = np.where(y_t == y0, _NAN, (v - y0) / (y_t - y0))
                c["cs"] = np.where(ok, cs, _NAN)
                lo = max(t0, year0)
                H = V[:, lo - year0 : year - year0 + 1].copy()
                xs = np.arange(lo, year + 1, dtype=float) - t0
                if t0 >= year0:
                    H[:, t0 - lo] = np.where(np.isnan(H[:, t0 - lo]), y0, H[:, t0 - lo])
                else:  # the baseline year precedes every stored year
                    H = np.concatenate([y0[:, None], H], axis=1)
                    xs = np.concatenate([[0.0], xs])
                proj = _wls(H, xs, float(T - t0), weights)
                c["projected"] = np.where(ok, proj, _NAN)
                with np.errstate(invalid="ignore", divide="ignore"):
                    ap = np.where(y_t == y0, _NAN, (proj - y0) / (y_t - y0))
                c["ap"] = np.where(ok, ap, _NAN)
            if year < T:
                exp = _interp(anchors, year, plan.settings.schedule, n)
                c["expected"] = np.where(hy0 & has_v, exp, _NAN)
            c["change"] = np.where(hy0 & has_v, c["change"], _NAN)
            met, known, within = _meets_vec(final, v, g, y_t, plan)
            if within is not None:
                c["within_tolerance"] = np.where(has_v, within.astype(np.int8), -1).astype(np.int8)
            # statuses
            ach = has_v & known & met
            status[ach] = _ST[Status.ACHIEVED]
            if year >= T:
                verdict[ach] = _VE[Verdict.MET]
                miss = has_v & known & ~met
                status[miss] = _ST[Status.OFF_TRACK]
                verdict[miss] = _VE[Verdict.NOT_MET]
            else:
                rest = has_v & known & ~met
                milestone = next((sp for sp in g.specs if sp.year == year and sp is not final), None)
                on = np.zeros(n, dtype=bool)
                on_known = np.zeros(n, dtype=bool)
                if milestone is not None:
                    y_m = np.broadcast_to(np.asarray(_target_vec(milestone, g, y0, thr), dtype=float), (n,))
                    on, on_known, _ = _meets_vec(milestone, v, g, y_m, plan)
                exp = c["expected"]
                fill = ~on_known & ~np.isnan(exp)
                on = np.where(fill, _cmp(s * v, ">=", s * exp), on)
                on_known = on_known | fill
                status[rest & on_known & on] = _ST[Status.ON_TRACK]
                with np.errstate(invalid="ignore"):
                    improving = hy0 & (s * (v - y0) > 0)
                status[rest & on_known & ~on & improving] = _ST[Status.AT_RISK]
                status[rest & on_known & ~on & ~improving] = _ST[Status.OFF_TRACK]
            # warnings (evaluate.warning_level)
            rr, ap_ = c["rr"], c["ap"]
            with np.errstate(invalid="ignore"):
                behind = (status == _ST[Status.AT_RISK]) | (status == _ST[Status.OFF_TRACK])
                live = behind | (status == _ST[Status.ON_TRACK])
                red = binding & ((verdict == _VE[Verdict.NOT_MET]) | (ap_ < 0) | (rr < 0))
                amber = behind | ((ap_ >= 0) & (ap_ < 1)) | ((rr >= 0) & (rr < 0.6))
                watch = (rr >= 0.6) & (rr < 0.95)
            warn[live & watch] = _WA["watch"]
            warn[live & amber] = _WA["amber"]
            warn[live & red] = _WA["red"]
        frames.append(
            {
                "ridx": regions,
                "year": np.full(n, year, dtype=np.int32),
                "target_source": np.full(n, _TS[g.target_source], dtype=np.int8),
                "space": np.full(n, _SP[g.space], dtype=np.int8),
                "baseline_year": np.full(n, t0, dtype=np.int32),
                "target_year": np.full(n, -1 if final is None else final.year, dtype=np.int32),
                **c,
                "status": status,
                "verdict": verdict,
                "warning": warn,
            }
        )
    return frames


def _mode_for(ind: Indicator, final: TargetSpec | None) -> CumulativeMode | None:
    mode = ind.cumulative
    if mode is None and final is not None and final.target.kind is TargetKind.CUMULATIVE:
        relative = final.target.value is None and ind.unit in ("%", "％")
        mode = CumulativeMode.RELATIVE if relative else CumulativeMode.ABSOLUTE
    return mode


def assess_table(plan: Plan, values: pd.DataFrame, years: Sequence[int], **kw: Any) -> pd.DataFrame:
    """:func:`assess_arrow` as a pandas DataFrame (categorical string columns), every row."""
    return assess_arrow(plan, values, years, **kw).to_pandas()


def assess_arrow(
    plan: Plan,
    values: pd.DataFrame,
    years: Sequence[int],
    *,
    regions: Sequence[str] | None = None,
    decomposed: Mapping[tuple[str, str], Sequence[TargetSpec]] | None = None,
    resolver: TargetResolver | None = None,
    region_names: Mapping[str, Message] | None = None,
    weights: str = "linear",
    sparse: bool = False,
) -> pa.Table:
    """Assess every indicator of ``plan`` for ``regions`` in every year of ``years``.

    Parameters
    ----------
    values : the values in force, columns ``indicator_id, region, year, value,
        basis`` (``level`` or ``change``), one row per indicator, region and year.
    regions : the regions to assess (default: every region in ``values``).
    decomposed : stored decomposed targets by (indicator id, region).

    Returns
    -------
    DataFrame with :data:`COLUMNS`, one row per region, indicator and year.
    """
    dec = decomposed or {}
    codes = sorted(set(values["region"]) if regions is None else set(regions))
    chunks: list[dict[str, Any]] = []
    scalar_items: list[IndicatorAssessment] = []
    if not codes or not years:
        return _arrow([], codes, plan, sparse)
    ridx_all = (
        pc.index_in(pa.array(values["region"], type=pa.string()), value_set=pa.array(codes, type=pa.string()))
        .fill_null(-1)
        .to_numpy()
    )
    vals = values[ridx_all >= 0].assign(_ridx=ridx_all[ridx_all >= 0])
    first = [int(vals["year"].min())] if len(vals) else []
    ymin = min([*first, *(i.baseline.year for i in plan.indicators), *years])
    ny = plan.end - ymin + 1
    by_ind = dict(tuple(vals.groupby("indicator_id", sort=False)))
    eval_years = sorted(set(years))
    pos = {c: i for i, c in enumerate(codes)}
    own = pos.get(plan.region, -1)

    def observations_of(ind_id: str, region: str) -> list[Observation]:
        df = by_ind.get(ind_id)
        if df is None:
            return []
        d = df[df["region"] == region]
        src = d["source"] if "source" in d else [None] * len(d)
        return [
            Observation(int(y), float(v), Basis(b), None if pd.isna(s) else str(s))
            for y, v, b, s in zip(d["year"], d["value"], d["basis"], src, strict=True)
        ]

    def scalar(ind: Indicator, region: str) -> None:
        obs = observations_of(ind.id, region)
        for y in eval_years:
            scalar_items.append(
                assess_indicator(
                    plan,
                    ind,
                    region,
                    y,
                    obs,
                    resolver,
                    weights=weights,
                    decomposed=dec.get((ind.id, region)),
                    region_name=(region_names or {}).get(region),
                )
            )

    dec_regions: dict[str, list[int]] = {}
    for ind_id, code in dec:
        if code in pos:
            dec_regions.setdefault(ind_id, []).append(pos[code])
    for ind in plan.indicators:
        if ind.method.unpublished:  # rule 3's variant and the pipeline filter: one by one
            for code in codes:
                scalar(ind, code)
            continue
        t0 = ind.baseline.year
        Vl = np.full((len(codes), ny), _NAN)
        Vc = np.full((len(codes), ny), _NAN)
        df = by_ind.get(ind.id)
        if df is not None and len(df):
            ri = df["_ridx"].to_numpy()
            yi = df["year"].to_numpy(dtype=int) - ymin
            keep = (yi >= 0) & (yi < ny)
            lv = (df["basis"] == "level").to_numpy()
            x = df["value"].to_numpy(dtype=float)
            Vl[ri[keep & lv], yi[keep & lv]] = x[keep & lv]
            Vc[ri[keep & ~lv], yi[keep & ~lv]] = x[keep & ~lv]
        has_change = ~np.isnan(Vc).all(axis=1)
        B = Vl[:, t0 - ymin]
        # target groups: decomposed regions by their specs, the rest inherit
        inherit = np.ones(len(codes), dtype=bool)
        if own >= 0:
            inherit[own] = False
            scalar(ind, plan.region)
        groups: dict[tuple[str, tuple[TargetSpec, ...]], list[int]] = {}
        special = set(dec_regions.get(ind.id, ())) | {pos[c] for c in ind.allocations if c in pos}
        for i in sorted(special - {own}):
            d = dec.get((ind.id, codes[i]))
            key = ("decomposed", tuple(d) if d else ind.allocations[codes[i]])
            groups.setdefault(key, []).append(i)
            inherit[i] = False
        items: list[tuple[tuple[str, tuple[TargetSpec, ...]], np.ndarray]] = [
            (("inherited", ind.targets), np.nonzero(inherit)[0])
        ]
        items += [(k, np.array(v)) for k, v in groups.items()]
        for (source, raw), idx in items:
            if not len(idx):
                continue
            if source == "decomposed" and any(s.target.kind is TargetKind.INHERITED for s in raw):
                for i in idx:  # handed down per region: resolve one by one
                    scalar(ind, codes[i])
                continue
            specs, problem = _resolve(ind, raw, plan.region, resolver)
            final = specs[-1] if specs else None
            mode = _mode_for(ind, final)
            to_change = np.zeros(len(idx), dtype=bool)
            if mode is not None:
                to_change = np.isnan(B[idx]) | has_change[idx]
            elif has_change[idx].any():  # change values without a cumulative target: scalar
                for i in idx[has_change[idx]]:
                    scalar(ind, codes[i])
                idx = idx[~has_change[idx]]
                to_change = np.zeros(len(idx), dtype=bool)
            for space in ("level", "change"):
                part = idx[to_change] if space == "change" else idx[~to_change]
                if not len(part):
                    continue
                sign = ind.direction.sign
                g = _Group(specs, problem, source, space, 1 if space == "change" else sign, mode)
                if space == "level":
                    V = Vl[part]
                    y0 = B[part]
                else:
                    b = B[part]
                    with np.errstate(invalid="ignore", divide="ignore"):
                        diff = sign * (Vl[part] - b[:, None])
                        if mode is CumulativeMode.RELATIVE:
                            conv = np.where(b[:, None] != 0, diff / b[:, None] * 100.0, _NAN)
                        else:
                            conv = diff
                    V = np.where(np.isnan(Vc[part]), conv, Vc[part])
                    y0 = np.zeros(len(part))
                for ch in _assess_group(plan, ind, g, part, V, y0, ymin, eval_years, weights):
                    ch["iidx"] = np.full(len(part), plan.indicators.index(ind), dtype=np.int32)
                    ch["unit_text"] = f"{ind.unit}/yr"
                    chunks.append(ch)
    for a in scalar_items:
        chunks.append(_chunk_of(a, pos, plan))
    return _arrow(chunks, codes, plan, sparse)


def _chunk_of(a: IndicatorAssessment, pos: Mapping[str, int], plan: Plan) -> dict[str, Any]:
    """One scalar assessment as a chunk of one row."""

    def f(x: float | None) -> np.ndarray:
        return np.array([_NAN if x is None else float(x)])

    unit = 0 if not a.annual_unit else 1 if a.annual_unit == "%/yr" else 2
    return {
        "ridx": np.array([pos[a.region]]),
        "iidx": np.array([plan.indicators.index(a.indicator)], dtype=np.int32),
        "unit_text": f"{a.indicator.unit}/yr",
        "year": np.array([a.year], dtype=np.int32),
        "target_source": np.array([_TS[a.target_source]], dtype=np.int8),
        "space": np.array([_SP[a.space]], dtype=np.int8),
        "baseline_year": np.array([a.baseline_year], dtype=np.int32),
        "target_year": np.array([-1 if a.target is None else a.target.year], dtype=np.int32),
        **{k: f(getattr(a, _ATTR.get(k, k))) for k in _FLOATS},
        "annual_unit": np.array([unit], dtype=np.int8),
        "within_tolerance": np.array(
            [-1 if a.within_tolerance is None else int(a.within_tolerance)], np.int8
        ),
        "status": np.array([_ST[a.status]], dtype=np.int8),
        "verdict": np.array([_VE[a.verdict]], dtype=np.int8),
        "warning": np.array([0 if a.warning is None else _WA[a.warning.level]], dtype=np.int8),
    }


_ATTR = {"required_annual": "required_annual", "actual_annual": "actual_annual"}


def _arrow(chunks: list[dict[str, Any]], codes: list[str], plan: Plan, sparse: bool) -> pa.Table:
    """Concatenate chunks into one Arrow table (strings dictionary-encoded, NaN as null).

    ``sparse`` leaves out the rows that only say "no value" (status
    insufficient_data without a value): a missing row reads as that.
    """
    if not chunks:
        return pa.Table.from_pandas(pd.DataFrame(columns=COLUMNS), preserve_index=False)

    def cat(key: str) -> np.ndarray:
        return np.concatenate([np.broadcast_to(c[key], (len(c["ridx"]),)) for c in chunks])

    value = cat("value")
    status = cat("status")
    keep = None
    if sparse:
        keep = ~(np.isnan(value) & (status == _ST[Status.INSUFFICIENT_DATA]))

    def col(key: str) -> np.ndarray:
        x = value if key == "value" else status if key == "status" else cat(key)
        return x if keep is None else x[keep]

    def dictionary(idx: np.ndarray, cats: list[str], mask: np.ndarray | None = None) -> pa.Array[Any]:
        indices = pa.array(idx.astype(np.int32), type=pa.int32(), mask=mask)
        return pa.DictionaryArray.from_arrays(indices, pa.array(cats, type=pa.string()))

    iidx = col("iidx")
    n = len(iidx)
    ids = [i.id for i in plan.indicators]
    attr_of = np.array([int(i.attribute is not Attribute.BINDING) for i in plan.indicators], dtype=np.int32)
    units = ["", "%/yr", *sorted({c["unit_text"] for c in chunks} - {"%/yr"})]
    unit_code = cat("annual_unit").astype(np.int64)
    per_chunk = np.concatenate([np.full(len(c["ridx"]), units.index(c["unit_text"])) for c in chunks])
    unit_code = np.where(unit_code == 2, per_chunk, unit_code)
    if keep is not None:
        unit_code = unit_code[keep]
    wt, ty, warn = col("within_tolerance"), col("target_year"), col("warning")
    floats = {k: pa.array(col(k), type=pa.float64(), from_pandas=True) for k in _FLOATS}
    data = {
        "plan_id": dictionary(np.zeros(n, dtype=np.int32), [plan.id]),
        "region": dictionary(col("ridx"), codes),
        "indicator_id": dictionary(iidx, ids),
        "year": pa.array(col("year"), type=pa.int32()),
        "attribute": dictionary(attr_of[iidx], ["binding", "expected"]),
        "target_source": dictionary(col("target_source"), _SOURCES),
        "space": dictionary(col("space"), _SPACES),
        "value": floats["value"],
        "baseline_year": pa.array(col("baseline_year"), type=pa.int32()),
        "baseline_value": floats["baseline_value"],
        "target_year": pa.array(ty, type=pa.int32(), mask=ty < 0),
        **{k: v for k, v in floats.items() if k not in ("value", "baseline_value")},
        "annual_unit": dictionary(unit_code, units),
        "within_tolerance": pa.array(wt == 1, type=pa.bool_(), mask=wt < 0),
        "status": dictionary(col("status"), _STATUSES),
        "verdict": dictionary(col("verdict"), _VERDICTS),
        "warning": dictionary(np.maximum(warn - 1, 0), ["watch", "amber", "red"], mask=warn == 0),
    }
    return pa.table({k: data[k] for k in COLUMNS})
