"""Hourly observations → city daily AQI → annual evaluation, on any engine.

The heavy steps run as SQL (:mod:`.sql`) on the engine given; the small annual
assembly (exact percentile interpolation, validity, attainment, composite index)
is Python on integers the engine returned, so DuckDB and Spark give identical
results by construction.

Annual evaluation (HJ 663—2013 §3.3 as summarised in ``specs/air-quality.md``):
SO2/NO2 annual mean and 98th percentile of daily means; PM10/PM2.5 annual mean and
95th percentile; CO 95th percentile; O3 90th percentile of MDA8. Annual statistics
are valid with ≥ 324 daily values and ≥ 27 in each month (February ≥ 25; GB 3095
表4); an invalid statistic is reported as ``null`` with its count and reason, never
as a number. Good-days and heavy-days ratios are taken over the valid city days
(spec §5.1) and follow the same 324/27 rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ecoplan.air.pipeline.sql import (
    DAILY_COLUMNS,
    EVENT_POLLUTANTS,
    HOURLY_COLUMNS,
    DailyOptions,
    annual_sql,
    aqi_counts_sql,
    city_daily_sql,
    deducted_daily_sql,
    hourly_sql,
)
from ecoplan.air.standards import gb3095, hj663_2013, hj663_2026
from ecoplan.air.standards.aqi import CATEGORY_EN, CATEGORY_ZH, POLLUTANT_LABEL, level_array, primary_array
from ecoplan.air.standards.editions import PeriodEdition, edition_for_period, get_edition
from ecoplan.air.standards.hj663_2013 import ANNUAL_ITEMS, ANNUAL_POLLUTANTS, annual_item
from ecoplan.core.rounding import round_half_even
from ecoplan.core.sql import Engine, to_dialect
from ecoplan.core.words import Reason, word

__all__ = ["AirEvaluation", "city_daily", "evaluate_year", "hourly", "three_year"]

S = 1_000_000
#: The output name of each pollutant's headline statistic (the composite item of
#: :data:`~ecoplan.air.standards.hj663_2013.ANNUAL_ITEMS`).
_CONTRACT_NAME = {
    "pm25": "pm25_annual_ugm3",
    "pm10": "pm10_annual_ugm3",
    "so2": "so2_annual_ugm3",
    "no2": "no2_annual_ugm3",
    "co": "co_p95_mgm3",
    "o3": "o3_8h_p90_ugm3",
}
_CONTRACT = {i.pollutant: (_CONTRACT_NAME[i.pollutant], i.statistic) for i in ANNUAL_ITEMS if i.composite}


def _r(x: float | None, digits: int) -> float | None:
    return round_half_even(x, digits)


def _opt(v: object) -> float | None:
    return None if v is None else float(v)  # type: ignore[arg-type]


def _setup(engine: Engine, stations: pd.DataFrame, paths: Sequence[str]) -> None:
    engine.register_parquet("air_hourly", paths)
    st = stations[["code", "region", "type"]].astype(str).reset_index(drop=True)
    engine.register_frame("air_stations", st)


def city_daily(
    engine: Engine,
    stations: pd.DataFrame,
    paths: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    edition: str = "auto",
    options: DailyOptions | None = None,
    fetch: bool = True,
) -> pd.DataFrame:
    """City daily concentrations, IAQIs and AQI for ``start`` … ``end``.

    Concentrations in the returned frame are floats (µg/m³; CO mg/m³) resolved to
    10⁻⁶ of the unit; the table also stays in the engine as ``air_city_daily``.
    """
    _setup(engine, stations, paths)
    engine.materialize(
        "air_city_daily", to_dialect(city_daily_sql(start, end, edition, options), engine.dialect)
    )
    if not fetch:
        return pd.DataFrame()
    df = engine.fetch(to_dialect("SELECT * FROM air_city_daily ORDER BY region, day", engine.dialect))
    return _normalise_daily(df)


def hourly(
    engine: Engine,
    stations: pd.DataFrame,
    paths: Sequence[str],
    start: dt.datetime,
    end: dt.datetime,
    *,
    edition: str = "auto",
    city: bool = False,
    options: DailyOptions | None = None,
) -> pd.DataFrame:
    """Real-time (hourly) AQI per station, or per city (``city=True``), for the
    hours ``start`` … ``end`` (see :func:`ecoplan.air.pipeline.sql.hourly_sql`)."""
    _setup(engine, stations, paths)
    sql = hourly_sql(start, end, edition, city=city, opts=options)
    engine.materialize("air_hourly_report", to_dialect(sql, engine.dialect))
    df = engine.fetch(to_dialect("SELECT * FROM air_hourly_report ORDER BY unit, time", engine.dialect))
    out = df.copy()
    out["unit"] = out["unit"].astype(str)
    out["time"] = pd.to_datetime(out["time"]).astype("datetime64[ns]")
    for c in HOURLY_COLUMNS:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64") / S
    return _finish(out, [c for c in HOURLY_COLUMNS if f"iaqi_{c}" in out.columns], key=["unit", "time"])


def _normalise_daily(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["region"] = out["region"].astype(str)
    out["day"] = pd.to_datetime(out["day"]).dt.date
    for c in DAILY_COLUMNS:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64") / S
        out[f"n_{c}"] = pd.to_numeric(out[f"n_{c}"]).astype("int64")
    out["valid"] = out["valid"].astype(bool)
    return _finish(out, list(DAILY_COLUMNS), key=["region", "day"])


def _finish(out: pd.DataFrame, columns: list[str], key: list[str]) -> pd.DataFrame:
    """Integer IAQI/AQI columns, primary pollutants, level and category."""
    for c in [c for c in out.columns if c.startswith("iaqi_")] + ["aqi", "aqi_raw"]:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Float64").astype("Int64")
    out["complete"] = out["complete"].astype(bool)
    aqi = out["aqi"].to_numpy(dtype="float64", na_value=np.nan)
    out["primary"] = primary_array(
        aqi,
        [
            (POLLUTANT_LABEL[c.split("_")[0]], out[f"iaqi_{c}"].to_numpy(dtype="float64", na_value=np.nan))
            for c in columns
            if f"iaqi_{c}" in out
        ],
    )
    level = level_array(aqi)
    nan = np.isnan(aqi)
    lv = np.where(nan, 1, level).astype(np.intp) - 1
    cz = np.array(CATEGORY_ZH, dtype=object)[lv]
    ce = np.array(CATEGORY_EN, dtype=object)[lv]
    out["level"] = pd.array(level, dtype="Float64").astype("Int64")
    cz[nan] = None
    ce[nan] = None
    out["category_zh"] = cz
    out["category_en"] = ce
    return out.sort_values(key).reset_index(drop=True)


@dataclass
class AirEvaluation:
    """One region's annual evaluation."""

    region: str
    year: int
    edition: str
    phase: str
    straddles: bool
    stations: int
    days_total: int
    days_valid: int
    good_days: int
    excellent_days: int
    heavy_days: int
    severe_days: int
    ratios_valid: bool
    stats: dict[str, dict[str, Any]]
    attainment: dict[str, Any]
    composite: dict[str, Any] | None
    #: ``{"en", "zh", "key", "params"}``: the texts and the catalog key (``note.air.*``)
    #: with its parameters (nested reasons as ``{"code", "params"}``), see :func:`_note`.
    notes: list[dict[str, Any]] = field(default_factory=list)
    engine: str = "duckdb"
    #: ``{"flagged_days": n, "deducted": AirEvaluation}`` when exceptional events were given.
    events: dict[str, Any] | None = None
    #: Three-year moving averages (HJ 663—2026, PROVISIONAL), see :func:`three_year`.
    three_year: dict[str, Any] | None = None
    #: The month of a monthly evaluation (``None``: the calendar year).
    month: int | None = None

    @property
    def good_days_ratio_pct(self) -> float | None:
        if not self.ratios_valid or self.days_valid == 0:
            return None
        return _r(100.0 * self.good_days / self.days_valid, 1)

    @property
    def heavy_days_ratio_pct(self) -> float | None:
        if not self.ratios_valid or self.days_valid == 0:
            return None
        return _r(100.0 * self.heavy_days / self.days_valid, 1)

    def stat(self, key: str) -> float | None:
        """A contract statistic (``pm25_annual_ugm3`` …) or ``so2_p98`` etc., raw."""
        for p, (name, st) in _CONTRACT.items():
            if key == name:
                return _opt(self.stats[p][st]["raw"])
        p, _, st = key.partition("_")
        return _opt(self.stats.get(p, {}).get(st, {}).get("raw"))

    def to_dict(self) -> dict[str, Any]:
        ed = get_edition(self.edition)
        d: dict[str, Any] = {
            "region": self.region,
            "year": self.year,
            "month": self.month,
            "edition": self.edition,
            "standards": {
                "aqi": ed.aqi,
                "limits": ed.limits + (f" ({self.phase})" if self.phase != ed.key else ""),
                "evaluation": ed.evaluation,
            },
            "straddles_edition_change": self.straddles,
            "stations": self.stations,
            "days_total": self.days_total,
            "days_valid": self.days_valid,
            "good_days": self.good_days,
            "good_days_ratio_pct": self.good_days_ratio_pct,
            "excellent_days": self.excellent_days,
            "heavy_days": self.heavy_days,
            "heavy_days_ratio_pct": self.heavy_days_ratio_pct,
            "severe_days": self.severe_days,
        }
        for p, (name, st) in _CONTRACT.items():
            # a month's means are not annual means: pm25_mean_ugm3 … in a monthly evaluation
            d[name.replace("_annual_", "_mean_") if self.month else name] = self.stats[p][st]["value"]
        d["percentiles"] = {
            i.key: self.stats[i.pollutant][i.statistic]["value"] for i in ANNUAL_ITEMS if not i.composite
        }
        d["validity"] = {p: _validity(self.stats[p]) for p in self.stats}
        d["attainment"] = self.attainment
        d["composite_index"] = self.composite["total"] if self.composite else None
        d["composite"] = self.composite
        d["notes"] = self.notes
        d["exceptional_events"] = None
        if self.events is not None:
            ded: AirEvaluation = self.events["deducted"]
            dd = ded.to_dict()
            keep = (
                "days_valid",
                "good_days",
                "good_days_ratio_pct",
                "heavy_days",
                "heavy_days_ratio_pct",
                *(name for name, _ in _CONTRACT.values()),
                "percentiles",
                "validity",
                "composite_index",
            )
            d["exceptional_events"] = {
                "flagged_days": self.events["flagged_days"],
                "rule": "flagged pollutants' daily values leave the concentration statistics and the "
                "composite index; flagged days with AQI > 100 leave the ratio denominators "
                "(环办监测〔2016〕120号 practice; HJ 663—2026 例外事件 text not yet available)",
                "deducted": {
                    k: dd[k] for k in (*keep, *(n.replace("_annual_", "_mean_") for n in keep)) if k in dd
                },
            }
        d["three_year"] = self.three_year
        d["engine"] = self.engine
        return d


def three_year(evals: Sequence[AirEvaluation]) -> dict[str, Any]:
    """Three-year moving averages of the annual statistics (HJ 663—2026 引入三年滑动
    平均评价方法). PROVISIONAL: the standard's text was not available; this is the mean
    of the statistic of years Y−2, Y−1, Y (each valid), compared with the same limit
    (:func:`ecoplan.air.standards.hj663_2026.three_year_mean`). ``evals`` are the
    three years' evaluations of one region, oldest first."""
    if len(evals) != 3 or len({e.region for e in evals}) != 1:
        raise ValueError("three_year needs the evaluations of one region for three consecutive years")
    years = [e.year for e in evals]
    if years != list(range(years[0], years[0] + 3)):
        raise ValueError(f"three_year needs consecutive years, got {years}")
    last = evals[-1]
    stats: dict[str, Any] = {}
    for p, entry in last.stats.items():
        for st in entry:
            if st in ("valid", "days", "reason", "why"):
                continue
            vals = [e.stats[p][st]["raw"] for e in evals]
            m = hj663_2026.three_year_mean(vals)
            lim = gb3095.limit(p, annual_item(p, st).averaging, phase=last.phase)  # type: ignore[arg-type]
            stats[f"{p}_{st}"] = {
                "value": _r(m, hj663_2013.REPORT_DIGITS[p] + 1),
                "years": [None if v is None else _r(v, hj663_2013.REPORT_DIGITS[p] + 1) for v in vals],
                "limit": lim,
                "attains": hj663_2013.attains(m, lim, p),
            }
    ratios = [e.good_days_ratio_pct for e in evals]
    return {
        "years": years,
        "provisional": True,
        "rule": "mean of the three annual statistics, each valid (HJ 663—2026 text not yet available)",
        "statistics": stats,
        "good_days_ratio_pct": _r(hj663_2026.three_year_mean(ratios), 1),
    }


def _percentile(n: int, p: int, lo: int, hi: int) -> Fraction:
    """HJ 663 附录A interpolation, exactly, on scaled integers: X(s) = ``lo`` and
    X(s+1) = ``hi`` come from the SQL, the fraction from the standards module."""
    _, frac = hj663_2013.percentile_position(n, p)
    return hj663_2013.percentile_interpolate(lo, hi, frac)


def evaluate_year(
    engine: Engine,
    stations: pd.DataFrame,
    paths: Sequence[str],
    year: int,
    *,
    edition: str = "auto",
    options: DailyOptions | None = None,
    regions: Sequence[str] | None = None,
    events: pd.DataFrame | None = None,
    month: int | None = None,
) -> list[AirEvaluation]:
    """Annual (or, with ``month``, monthly) evaluation of every region with city
    stations in ``paths``. A month's statistics need ≥ 27 valid days (February 25).

    ``events``: exceptional-event days (columns ``region, day`` and a boolean per
    pollutant of :data:`~ecoplan.air.pipeline.sql.EVENT_POLLUTANTS`); when given,
    each evaluation also carries the figures with those days deducted
    (:func:`~ecoplan.air.pipeline.sql.deducted_daily_sql`).
    """
    if month is None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 1..12, not {month}")
        start = dt.date(year, month, 1)
        end = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    pe = edition_for_period(start, end, None if edition == "auto" else edition)
    city_daily(engine, stations, paths, start, end, edition=edition, options=options, fetch=False)
    out = _assemble(engine, "air_city_daily", year, pe, options, regions, month)
    if events is not None:
        days = pd.to_datetime(events["day"])
        ev = events[(days.dt.date >= start) & (days.dt.date <= end)]
        if regions is not None:
            ev = ev[ev["region"].isin(regions)]
        if len(ev):
            ev = ev.copy()
            ev["day"] = pd.to_datetime(ev["day"]).dt.date
            flags = ev.groupby(["region", "day"], as_index=False)[list(EVENT_POLLUTANTS)].any()
            engine.register_frame("air_events", flags)
            engine.materialize("air_city_daily_ded", to_dialect(deducted_daily_sql(), engine.dialect))
            ded = {
                e.region: e
                for e in _assemble(engine, "air_city_daily_ded", year, pe, options, regions, month)
            }
            per_region = flags.groupby("region").size().to_dict()
            for e in out:
                if e.region in ded:
                    e.events = {"flagged_days": int(per_region.get(e.region, 0)), "deducted": ded[e.region]}
    return out


def _assemble(
    engine: Engine,
    source: str,
    year: int,
    pe: PeriodEdition,
    options: DailyOptions | None,
    regions: Sequence[str] | None,
    month: int | None = None,
) -> list[AirEvaluation]:
    """Annual statistics of the city daily table ``source``, one evaluation per region."""
    ann = engine.fetch(to_dialect(annual_sql(source=source), engine.dialect))
    cnt = engine.fetch(to_dialect(aqi_counts_sql(source), engine.dialect))
    series = ", ".join(f"n_{c}" for c in dict.fromkeys(i.series for i in ANNUAL_ITEMS))
    nst = engine.fetch(
        to_dialect(
            f"SELECT region, MAX(GREATEST({series})) AS k "
            "FROM air_city_daily GROUP BY region",  # station counts: before any deduction
            engine.dialect,
        )
    )
    ann["region"] = ann["region"].astype(str)
    cnt["region"] = cnt["region"].astype(str)
    nst["region"] = nst["region"].astype(str)
    absent = (options or DailyOptions()).absent
    out: list[AirEvaluation] = []
    by_region: dict[str, dict[str, dict[Any, Any]]] = {}
    for rec in ann.to_dict(orient="records"):
        by_region.setdefault(str(rec["region"]), {})[str(rec["item"])] = dict(rec)
    stations_of = dict(zip(nst["region"], nst["k"], strict=True))
    for c in cnt.sort_values("region").to_dict(orient="records"):
        region = str(c["region"])
        if regions is not None and region not in regions:
            continue
        rows = by_region.get(region, {})
        notes: list[dict[str, Any]] = []
        stats: dict[str, dict[str, Any]] = {}
        for p in ANNUAL_POLLUTANTS:
            r = rows.get(p)
            digits = hj663_2013.REPORT_DIGITS[p] + 1
            entry: dict[str, Any] = {}
            why: Reason | None
            if r is None:
                days, ok = 0, False
                why = Reason("air.not_monitored") if p in absent else Reason("air.no_valid_daily_values")
            else:
                days = int(r["n"])
                ok, why = _valid({m: int(r[f"m{m}"]) for m in range(1, 13)}, month)
            entry.update({"valid": ok, "days": days, "reason": _en(why), "why": why})
            for st in (i.statistic for i in ANNUAL_ITEMS if i.pollutant == p):
                raw: float | None = None
                if r is not None and days > 0:
                    if st == "mean":
                        raw = float(Fraction(int(r["s"]), days) / S)
                    else:
                        pp = int(st[1:])
                        raw = float(_percentile(days, pp, int(r[f"p{pp}_lo"]), int(r[f"p{pp}_hi"])) / S)
                entry[st] = {
                    "raw": raw if ok else None,
                    "value": _r(raw, digits) if ok else None,
                    "unvalidated": raw,
                }
            stats[p] = entry
            if not ok and why is not None:
                key = "note.air.monthly_invalid" if month else "note.air.annual_invalid"
                notes.append(_note(key, pollutant=POLLUTANT_LABEL[p], reason=why))
        aqi_row = rows.get("aqi")
        ratio_why: Reason | None = Reason("air.no_valid_days")
        ratios_ok = False
        if aqi_row is not None:
            ratios_ok, ratio_why = _valid({m: int(aqi_row[f"m{m}"]) for m in range(1, 13)}, month)
        if not ratios_ok and ratio_why is not None:
            notes.append(_note("note.air.ratios_not_reported", reason=ratio_why))
        if pe.straddles:
            notes.append(
                _note(
                    "note.air.straddles",
                    change=str(pe.change),
                    limits=pe.edition.limits,
                    phase=_PHASE.get(pe.phase, {"zh": pe.phase, "en": pe.phase}),
                )
            )
        for p in sorted(absent):
            notes.append(_note("note.air.not_monitored", pollutant=POLLUTANT_LABEL[p]))
        if month is None:
            attainment = _attainment(stats, pe.phase)
        else:
            attainment = {"city_attains": None}
            notes.append(_note("note.air.monthly_attainment"))
        composite = _composite(stats, pe.phase)
        k = stations_of.get(region)
        out.append(
            AirEvaluation(
                region=region,
                year=year,
                month=month,
                edition=pe.edition.key,
                phase=pe.phase,
                straddles=pe.straddles,
                stations=0 if k is None or pd.isna(k) else int(k),
                days_total=int(c["days_total"]),
                days_valid=int(c["days_valid"]),
                good_days=int(c["good_days"]),
                excellent_days=int(c["excellent_days"]),
                heavy_days=int(c["heavy_days"]),
                severe_days=int(c["severe_days"]),
                ratios_valid=ratios_ok,
                stats=stats,
                attainment=attainment,
                composite=composite,
                notes=notes,
                engine=engine.name,
            )
        )
    return out


#: GB 3095 phases as a note names them (the transition of GB 3095—2026 §4.4 runs to 2030).
_PHASE: dict[str, dict[str, str]] = {
    "2012": {"zh": "2012年版限值", "en": "2012"},
    "2026-transition": {"zh": "过渡期限值", "en": "2026-transition"},
    "2026-final": {"zh": "过渡期后限值", "en": "2026-final"},
}


def _need(month: int) -> int:
    return hj663_2013.FEB_MIN_DAYS if month == 2 else hj663_2013.MONTH_MIN_DAYS


def _valid(days_per_month: dict[int, int], month: int | None) -> tuple[bool, Reason | None]:
    """GB 3095 表4 validity of a year (or of ``month``) and, when invalid, why: the first
    shortfall, as :func:`~ecoplan.air.standards.hj663_2013.annual_valid` names it."""
    if month is not None:
        days = days_per_month.get(month, 0)
        ok, _ = hj663_2013.monthly_valid(month, days)
        return ok, None if ok else Reason("air.too_few_days", {"days": days, "need": _need(month)})
    ok, _ = hj663_2013.annual_valid(days_per_month)
    if ok:
        return True, None
    total = sum(days_per_month.get(m, 0) for m in range(1, 13))
    if total < hj663_2013.ANNUAL_MIN_DAYS:
        return False, Reason("air.too_few_days", {"days": total, "need": hj663_2013.ANNUAL_MIN_DAYS})
    short = [m for m in range(1, 13) if days_per_month.get(m, 0) < _need(m)]
    months = {"zh": "、".join(map(str, short)), "en": ", ".join(map(str, short))}
    return False, Reason("air.too_few_days_in_months", {"months": months, "month_list": short})


def _en(reason: Reason | None) -> str | None:
    return None if reason is None else reason.text("en")


def _validity(entry: dict[str, Any]) -> dict[str, Any]:
    """The JSON validity of one pollutant: valid, days, reason (en), reason_zh, reason_code
    and reason_params (the last four ``None`` when valid)."""
    why: Reason | None = entry.get("why")
    d = None if why is None else why.to_dict()
    return {
        "valid": entry["valid"],
        "days": entry["days"],
        "reason": entry["reason"],
        "reason_zh": None if why is None else why.text("zh"),
        "reason_code": None if d is None else d["code"],
        "reason_params": None if d is None else d["params"],
    }


def _note(key: str, **params: Any) -> dict[str, Any]:
    """A note of the evaluation: its texts from the catalog, its key and parameters."""
    return {
        "en": word(key, "en", **params),
        "zh": word(key, "zh", **params),
        "key": key,
        "params": {k: v.to_dict() if isinstance(v, Reason) else v for k, v in params.items()},
    }


def _attainment(stats: dict[str, dict[str, Any]], phase: str) -> dict[str, Any]:
    """Per pollutant and statistic: reported value, limit, attains, exceedance multiple.

    The reported statistic (integers, CO one decimal; GB/T 8170) is compared with
    the class-2 limit (spec §3.5, UNCONFIRMED). A pollutant attains when all its
    statistics do; the city when all six do (``None`` when any is invalid).
    """
    out: dict[str, Any] = {}
    overall: list[bool | None] = []
    for p, entry in stats.items():
        per: dict[str, Any] = {}
        flags: list[bool | None] = []
        for st in (i.statistic for i in ANNUAL_ITEMS if i.pollutant == p):
            lim = gb3095.limit(p, annual_item(p, st).averaging, phase=phase)  # type: ignore[arg-type]
            raw = entry[st]["raw"]
            rep = hj663_2013.round_report(raw, p)
            ok = hj663_2013.attains(raw, lim, p)
            flags.append(ok)
            per[st] = {
                "value": rep,
                "limit": lim,
                "attains": ok,
                "exceedance_multiple": hj663_2013.exceedance_multiple(rep, lim),
            }
        att = None if any(f is None for f in flags) else all(f for f in flags if f is not None)
        per["attains"] = att
        overall.append(att)
        out[p] = per
    out["city_attains"] = (
        None if any(f is None for f in overall) else all(f for f in overall if f is not None)
    )
    return out


def _composite(stats: dict[str, dict[str, Any]], phase: str) -> dict[str, Any] | None:
    """The 2014 ranking rule's composite index over the reported statistics."""
    vals: dict[str, float | None] = {}
    limits: dict[str, float] = {}
    for item in (i for i in ANNUAL_ITEMS if i.composite):
        p = item.pollutant
        vals[p] = hj663_2013.round_report(stats[p][item.statistic]["raw"], p)
        limits[p] = gb3095.limit(p, item.averaging, phase=phase)  # type: ignore[arg-type]
    comp = hj663_2013.composite_index(vals, limits)
    if comp is None:
        return None
    return {
        "total": comp.total,
        "single": comp.single,
        "primary": POLLUTANT_LABEL[comp.primary],
        "limits": limits,
        "rule": "环办〔2014〕64号 Σ C_i/S_i (unweighted)",
    }
