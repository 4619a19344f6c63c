"""Run the alert rules (:mod:`.sql`) on an engine: the shared tables in, alerts out.

The caller exposes the shared tables on the engine (the store's DuckDB where they are,
or Parquet files / frames on Spark and in the benchmark); this module adds the working-day
calendar and the declaration periods, runs one query per check and turns each row's
``e_*`` columns into its evidence: numbers rounded to 6 decimals (whole numbers as
integers), dates and times as ISO text, so both engines give the same alerts.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from ecoplan.core.sql import Engine, to_dialect
from ecoplan.waste.pipeline.sql import RULE_SQL, facts_sql, rule_sql
from ecoplan.waste.rules import RULES, AlertSettings, base_rule
from ecoplan.waste.workdays import calendar_frame

__all__ = [
    "ALERT_COLUMNS",
    "TABLES",
    "alerts",
    "periods_frame",
    "prepare",
    "register_helpers",
    "select_rules",
    "to_rows",
]

#: The shared tables the rules read.
TABLES: tuple[str, ...] = (
    "waste_actors",
    "waste_permits",
    "waste_approvals",
    "waste_manifests",
    "waste_manifest_lines",
    "waste_ledger",
    "waste_declarations",
)
#: The alert frame's columns (``evidence`` a dict; ``source`` the rule's citation).
ALERT_COLUMNS: tuple[str, ...] = ("rule", "subject", "region", "at", "evidence", "source")


def _due(year: int, month: int, day: int) -> dt.date:
    """The day ``day`` of the month after ``year-month`` (HJ 1259 §7.2: by the 15th)."""
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(y, m, day)


def periods_frame(settings: AlertSettings) -> pd.DataFrame:
    """The declaration periods of the settings' year with their due dates (HJ 1259 §7.2):
    each month by the 15th of the next, each quarter by the 15th of the next quarter's
    first month, the year by 31 March of the next."""
    if settings.year is None:
        raise ValueError("AlertSettings.year is not set")
    y, day = settings.year, settings.declare_day
    rows = [("monthly", f"{y}-{m:02d}", _due(y, m, day)) for m in range(1, 13)]
    rows += [("quarterly", f"{y}Q{q}", _due(y, 3 * q, day)) for q in range(1, 5)]
    rows.append(("annual", str(y), dt.date(y + 1, settings.annual_due_month, settings.annual_due_day)))
    return pd.DataFrame(rows, columns=["kind", "period", "due"])


def register_helpers(engine: Engine, settings: AlertSettings) -> None:
    """Expose ``waste_calendar`` and ``waste_periods`` on ``engine``."""
    engine.register_frame("waste_calendar", calendar_frame())
    engine.register_frame("waste_periods", periods_frame(settings))


def prepare(engine: Engine, settings: AlertSettings) -> None:
    """The helper tables and the fact table (``waste_mf``) on ``engine``."""
    register_helpers(engine, settings)
    for name, sql in facts_sql().items():
        engine.materialize(name, to_dialect(sql, engine.dialect))


def select_rules(rules: Iterable[str] | None = None) -> list[str]:
    """The check ids named by ``rules`` (``R5`` selects ``R5.permit``, ``R5.code`` …);
    every check when ``None``. An unknown name: ``KeyError``."""
    if rules is None:
        return list(RULE_SQL)
    out: list[str] = []
    for name in rules:
        hit = [r for r in RULE_SQL if r == name or base_rule(r) == name]
        if not hit:
            raise KeyError(name)
        out += [r for r in hit if r not in out]
    return out


def _plain(v: Any) -> Any:
    """One evidence value as JSON-ready, engine-neutral text or number."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, Decimal):
        v = float(v)
    if hasattr(v, "item") and not isinstance(v, pd.Timestamp):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return None
        r = round(v, 6)
        return int(r) if r.is_integer() else r
    if isinstance(v, pd.Timestamp | dt.datetime):
        if isinstance(v, pd.Timestamp) and pd.isna(v):
            return None
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _frame(rule_id: str, df: pd.DataFrame) -> pd.DataFrame:
    ev = [c for c in df.columns if c.startswith("e_")]
    cols = {c[2:]: [_plain(v) for v in df[c].tolist()] for c in ev}
    evidence = [{k: cols[k][i] for k in cols} for i in range(len(df))]
    at = pd.to_datetime(df["at"]) if len(df) else pd.Series([], dtype="datetime64[ns]")
    return pd.DataFrame(
        {
            "rule": rule_id,
            "subject": df["subject"].astype(str).tolist(),
            "region": [None if r is None else str(r) for r in df["region"].tolist()],
            "at": list(at),
            "evidence": evidence,
            "source": RULES[rule_id].source,
        },
        columns=list(ALERT_COLUMNS),
    )


def alerts(
    engine: Engine,
    settings: AlertSettings,
    rules: Iterable[str] | None = None,
    *,
    helpers: bool = True,
) -> pd.DataFrame:
    """Every alert of the checks ``rules`` (default: all) over the tables exposed on
    ``engine``, judged under ``settings`` (``as_of`` and ``year`` set), sorted by check
    and subject (columns :data:`ALERT_COLUMNS`). ``helpers``: build the helper and fact
    table first (:func:`prepare`); false when the caller did."""
    if settings.as_of is None or settings.year is None:
        raise ValueError("AlertSettings.as_of and .year must be set (AlertSettings.at)")
    if helpers:
        prepare(engine, settings)
    frames = []
    for rid in select_rules(rules):
        df = engine.fetch(to_dialect(rule_sql(rid, settings), engine.dialect))
        frames.append(_frame(rid, df))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(ALERT_COLUMNS))
    order = {r: i for i, r in enumerate(RULE_SQL)}
    out["_o"] = out["rule"].map(order)
    return out.sort_values(["_o", "subject"]).drop(columns="_o").reset_index(drop=True)


def to_rows(frame: pd.DataFrame) -> list[tuple[str, str, dt.datetime | None, str, str]]:
    """The alerts as ``waste_alerts`` rows: (rule, subject, at, evidence JSON, source)."""
    rows: list[tuple[str, str, dt.datetime | None, str, str]] = []
    for r in frame.itertuples(index=False):
        when: Any = r.at
        at = None if when is None or pd.isna(when) else pd.Timestamp(when).to_pydatetime()
        rows.append(
            (
                str(r.rule),
                str(r.subject),
                at,
                json.dumps(r.evidence, ensure_ascii=False, sort_keys=True),
                str(r.source),
            )
        )
    return rows


def keys(frame: pd.DataFrame) -> Sequence[tuple[str, str]]:
    """(rule, subject) of every alert, sorted."""
    return sorted(zip(frame["rule"], frame["subject"], strict=True))
