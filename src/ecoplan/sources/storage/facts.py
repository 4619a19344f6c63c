"""The computed facts in the catalog's database.

:meth:`FactsStore.replace` writes the facts of a period in one transaction: hours, days,
exceedance events (and their evidence: the frames of the event's device, factor and
period), alarms of the period are deleted and written again; the annual totals of the
years the period touches and every card are recomputed. Re-running on the same frames
writes the same rows (idempotent); a crash leaves the store before or after.

On the DuckDB engine the pipeline runs in the store itself (:class:`StoreEngine`: the SQL
reads the tables where they are); another engine's results arrive as frames.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ecoplan.sources import pipeline
from ecoplan.sources.pipeline import Window
from ecoplan.sources.readers.reported import ReportedRow
from ecoplan.sources.standards.cards import Card, Occurrence, quarter_bounds, quarter_cards
from ecoplan.store.catalog import Catalog
from ecoplan.store.engines import ConnectionEngine

__all__ = ["FactsStore", "StoreEngine", "region_clause"]


class StoreEngine(ConnectionEngine):
    """The store's own DuckDB connection as a pipeline engine (no copy of the tables)."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog.con)


def region_clause(col: str, region: str | None) -> tuple[str, list[object]]:
    """SQL condition (and parameters) for "``region`` and everything under it" (GB/T 2260:
    a province ``XX0000``, a city ``XXXX00``, a county; ``000000`` is the nation)."""
    if region is None or region == "000000":
        return "TRUE", []
    code = str(region)
    prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    return f"starts_with({col}, ?)", [prefix]


@dataclass
class Written:
    """Rows written by :meth:`FactsStore.replace`, per table."""

    hourly: int
    daily: int
    exceedances: int
    evidence: int
    alarms: int
    totals: int
    cards: int


Produce = Callable[[StoreEngine], Mapping[str, pd.DataFrame] | None]


TEMP_TABLES = (
    "f_minute_hours", "f_interval", "f_hourly", "f_daily_base", "f_daily", "f_events",
    "f_minutes", "f_alarms", "f_totals", "f_cards",
)  # fmt: skip


def _count(con: Any, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _ts(t: dt.datetime) -> str:
    return f"TIMESTAMP '{t:%Y-%m-%d %H:%M:%S}'"


class FactsStore:
    """The fact tables of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    # -- inputs -------------------------------------------------------------------
    def data_span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Oldest and newest DataTime of the stored values of registered devices."""
        row = self.con.execute(
            "SELECT min(data_time), max(data_time) FROM sources_values v "
            "WHERE v.mn IN (SELECT mn FROM sources_devices)"
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return pd.Timestamp(row[0]).to_pydatetime(), pd.Timestamp(row[1]).to_pydatetime()

    def inputs(self, w: Window) -> dict[str, pd.DataFrame]:
        """The store's tables the pipeline reads, the values cut to the window (for an engine
        outside the store)."""
        out: dict[str, pd.DataFrame] = {}
        for name, kinds in pipeline.INPUTS.items():
            cols = ", ".join(kinds)
            if name == "sources_values":
                out[name] = self.con.execute(
                    f"SELECT {cols} FROM sources_values WHERE data_time >= ? AND data_time < ?",
                    [w.start, w.end],
                ).df()
            else:
                out[name] = self.con.execute(f"SELECT {cols} FROM {name}").df()
        return out

    # -- write --------------------------------------------------------------------
    def replace(
        self, w: Window, produce: Produce, *, engine: str, rectify_days: int = 30
    ) -> tuple[Written, int]:
        """Replace the facts of ``w`` in one transaction. ``produce`` materialises the
        ``f_*`` tables on the store engine it gets (DuckDB) or returns them as frames (another
        engine's results). Returns the rows written and the run id."""
        se = StoreEngine(self.catalog)
        with self.catalog.transaction() as con:
            frames = produce(se)
            if frames is not None:
                for name, frame in frames.items():
                    se.register_frame(name, frame)
            lo, hi = _ts(w.start), _ts(w.end)
            con.execute(f"DELETE FROM sources_hourly WHERE hour >= {lo} AND hour < {hi}")
            con.execute("INSERT INTO sources_hourly BY NAME SELECT * FROM f_hourly")
            con.execute(f"DELETE FROM sources_daily WHERE day >= {lo} AND day < {hi}")
            con.execute("INSERT INTO sources_daily BY NAME SELECT * FROM f_daily")
            con.execute(
                "DELETE FROM sources_evidence WHERE event_id IN (SELECT event_id FROM sources_exceedances "
                f"WHERE start >= {lo} AND start < {hi})"
            )
            con.execute(f"DELETE FROM sources_exceedances WHERE start >= {lo} AND start < {hi}")
            con.execute(
                "INSERT INTO sources_exceedances BY NAME SELECT f.*, o.credit_code, e.region FROM f_events f "
                "LEFT JOIN sources_outlets o ON o.outlet_id = f.outlet_id "
                "LEFT JOIN sources_enterprises e ON e.credit_code = o.credit_code"
            )
            con.execute(
                "INSERT INTO sources_evidence SELECT DISTINCT f.event_id, v.frame_id FROM f_events f "
                "JOIN sources_values v ON v.mn = f.mn AND v.factor = f.factor AND v.data_time >= f.start "
                "AND v.data_time < f.\"end\" AND (f.basis = 'day' OR v.cn IN ('2011', '2051', '2061'))"
            )
            con.execute(f"DELETE FROM sources_alarms WHERE start >= {lo} AND start < {hi}")
            con.execute(
                "INSERT INTO sources_alarms BY NAME SELECT f.*, o.credit_code, e.region FROM f_alarms f "
                "LEFT JOIN sources_outlets o ON o.outlet_id = f.outlet_id "
                "LEFT JOIN sources_enterprises e ON e.credit_code = o.credit_code"
            )
            years = list(range(w.start.year, (w.end - dt.timedelta(seconds=1)).year + 1))
            tot = pipeline.totals(se, years)
            con.execute(f"DELETE FROM sources_totals WHERE year IN ({', '.join(str(y) for y in years)})")
            if len(tot):
                se.register_frame("f_totals", tot)
                con.execute("INSERT INTO sources_totals BY NAME SELECT * FROM f_totals")
            cards = quarter_cards(self._occurrences(), rectify_days)
            con.execute("DELETE FROM sources_cards")
            if cards:
                se.register_frame("f_cards", self._cards_frame(cards))
                con.execute("INSERT INTO sources_cards BY NAME SELECT * FROM f_cards")
            n = {
                t: _count(con, f"SELECT count(*) FROM {t}")
                for t in ("f_hourly", "f_daily", "f_events", "f_alarms")
            }
            evidence = _count(
                con, "SELECT count(*) FROM sources_evidence WHERE event_id IN (SELECT event_id FROM f_events)"
            )
            written = Written(
                n["f_hourly"], n["f_daily"], n["f_events"], evidence, n["f_alarms"], len(tot), len(cards)
            )
            run = _count(con, "SELECT coalesce(max(id), 0) + 1 FROM sources_fact_runs")
            con.execute(
                "INSERT INTO sources_fact_runs VALUES (?, ?, ?, ?, ?, ?)",
                [
                    run,
                    dt.datetime.now().replace(microsecond=0),
                    engine,
                    w.start,
                    w.end,
                    json.dumps(written.__dict__),
                ],
            )
            for t in TEMP_TABLES:
                con.execute(f"DROP TABLE IF EXISTS {t}")
        return written, run

    def _occurrences(self) -> list[Occurrence]:
        """Card causes: every stored exceedance event (its start), and every day on which an
        enterprise's emission of the year so far is over its permitted annual quantity while
        it still emits (the permits' quantities of that year, summed)."""
        ev = self.con.execute(
            "SELECT credit_code, factor, start FROM sources_exceedances WHERE credit_code IS NOT NULL"
        ).fetchall()
        over = self.con.execute(
            """
            WITH q AS (
              SELECT p.credit_code, pq.factor, pq.year, SUM(pq.quantity_t) AS quantity_t
              FROM sources_permit_quantities pq JOIN sources_permits p ON p.permit_no = pq.permit_no
              GROUP BY p.credit_code, pq.factor, pq.year
            ),
            d AS (
              SELECT o.credit_code, dd.factor, dd.day, SUM(dd.cou) / 1000.0 AS t
              FROM sources_daily dd JOIN sources_outlets o ON o.outlet_id = dd.outlet_id
              GROUP BY o.credit_code, dd.factor, dd.day
            ),
            c AS (
              SELECT d.*, SUM(t) OVER (PARTITION BY credit_code, factor, year(day) ORDER BY day) AS ytd FROM d
            )
            SELECT c.credit_code, c.factor, c.day FROM c
            JOIN q ON q.credit_code = c.credit_code AND q.factor = c.factor AND q.year = year(c.day)
            WHERE c.ytd > q.quantity_t AND c.t > 0
            """
        ).fetchall()
        out = [Occurrence(str(c), "exceedance", str(f), pd.Timestamp(t).to_pydatetime()) for c, f, t in ev]
        out += [Occurrence(str(c), "quantity", str(f), pd.Timestamp(t).to_pydatetime()) for c, f, t in over]
        return out

    def _cards_frame(self, cards: Iterable[Card]) -> pd.DataFrame:
        regions = dict(self.con.execute("SELECT credit_code, region FROM sources_enterprises").fetchall())
        return pd.DataFrame(
            [
                {
                    "quarter": c.quarter,
                    "credit_code": c.credit_code,
                    "region": regions.get(c.credit_code),
                    "card": c.card,
                    "causes": ",".join(c.causes),
                    "persisting": ",".join(c.persisting),
                }
                for c in cards
            ]
        )

    def replace_reported(self, rows: Sequence[ReportedRow]) -> tuple[int, int, int]:
        """Store reported totals (one transaction): a (region, year, factor) already stored
        with the same tonnes and source is unchanged, a different one replaced. Returns
        (added, revised, unchanged)."""
        old = {
            (r, int(y), f): (float(t), s)
            for r, y, f, t, s in self.con.execute(
                "SELECT region, year, factor, tonnes, source FROM sources_reported"
            ).fetchall()
        }
        added = revised = unchanged = 0
        new: list[ReportedRow] = []
        for row in rows:
            was = old.get((row.region, row.year, row.factor))
            if was == (row.tonnes, row.source):
                unchanged += 1
                continue
            added, revised = (added + 1, revised) if was is None else (added, revised + 1)
            new.append(row)
        if new:
            now = dt.datetime.now().replace(microsecond=0)
            with self.catalog.transaction() as con:
                for r in new:
                    con.execute(
                        "INSERT OR REPLACE INTO sources_reported VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [r.region, r.year, r.factor, r.tonnes, r.source, r.file, r.line, now],
                    )
        return added, revised, unchanged

    # -- read ---------------------------------------------------------------------
    def _select(self, sql: str, params: list[object]) -> pd.DataFrame:
        return self.con.execute(sql, params).df()

    @staticmethod
    def _period(col: str, start: dt.datetime | None, end: dt.datetime | None) -> tuple[str, list[object]]:
        conds: list[str] = []
        params: list[object] = []
        if start is not None:
            conds.append(f"{col} >= ?")
            params.append(start)
        if end is not None:
            conds.append(f"{col} < ?")
            params.append(end)
        return " AND ".join(conds) or "TRUE", params

    def series(
        self, table: str, outlet_id: str | None, factor: str | None, start: dt.datetime | None,
        end: dt.datetime | None,
    ) -> pd.DataFrame:  # fmt: skip
        col = "hour" if table == "sources_hourly" else "day"
        cond, params = self._period(col, start, end)
        sql = f"SELECT * FROM {table} WHERE {cond}"
        for c, v in (("outlet_id", outlet_id), ("factor", factor)):
            if v is not None:
                sql += f" AND {c} = ?"
                params.append(v)
        return self._select(sql + f" ORDER BY outlet_id, mn, factor, {col}", params)

    def listing(
        self, table: str, region: str | None, credit_code: str | None, start: dt.datetime | None,
        end: dt.datetime | None, kind: str | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        cond, params = self._period("start", start, end)
        rc, rp = region_clause("region", region)
        sql = f"SELECT * FROM {table} WHERE {cond} AND {rc}"
        params += rp
        if credit_code is not None:
            sql += " AND credit_code = ?"
            params.append(credit_code)
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        key = "event_id" if table == "sources_exceedances" else "alarm_id"
        return self._select(sql + f" ORDER BY start, {key}", params)

    def event(self, event_id: str) -> dict[str, object] | None:
        df = self._select("SELECT * FROM sources_exceedances WHERE event_id = ?", [event_id])
        return None if df.empty else {str(k): v for k, v in df.iloc[0].items()}

    def evidence(self, event_id: str) -> pd.DataFrame:
        return self._select(
            "SELECT e.frame_id, f.data_time, f.cn, f.mn, f.raw FROM sources_evidence e "
            "LEFT JOIN sources_frames f ON f.frame_id = e.frame_id WHERE e.event_id = ? "
            "ORDER BY f.data_time, e.frame_id",
            [event_id],
        )

    def cards(self, quarter: str | None, region: str | None) -> pd.DataFrame:
        rc, params = region_clause("c.region", region)
        sql = (
            "SELECT c.quarter, c.credit_code, e.name, c.region, c.card, c.causes, c.persisting "
            "FROM sources_cards c "
            f"LEFT JOIN sources_enterprises e ON e.credit_code = c.credit_code WHERE {rc}"
        )
        if quarter is not None:
            quarter_bounds(quarter)  # ValueError on a bad name
            sql += " AND c.quarter = ?"
            params.append(quarter)
        return self._select(sql + " ORDER BY c.quarter, c.card DESC, c.credit_code", params)

    def totals(self, year: int | None, region: str | None) -> pd.DataFrame:
        rc, params = region_clause("t.region", region)
        sql = (
            "SELECT t.year, t.credit_code, e.name, t.region, t.factor, t.tonnes, t.days, t.expected_days, "
            "t.outlets, CASE WHEN t.expected_days > 0 THEN t.days / t.expected_days END AS coverage "
            "FROM sources_totals t LEFT JOIN sources_enterprises e ON e.credit_code = t.credit_code "
            f"WHERE {rc}"
        )
        if year is not None:
            sql += " AND t.year = ?"
            params.append(int(year))
        return self._select(sql + " ORDER BY t.year, t.region, t.credit_code, t.factor", params)

    def reported(self, region: str | None, year: int | None) -> pd.DataFrame:
        rc, params = region_clause("region", region)
        sql = f"SELECT region, year, factor, tonnes, source, file, line FROM sources_reported WHERE {rc}"
        if year is not None:
            sql += " AND year = ?"
            params.append(int(year))
        return self._select(sql + " ORDER BY region, year, factor", params)

    def hourly_status(self, year: int) -> pd.DataFrame:
        """Per enterprise: hours stored and hours valid in ``year`` (data completeness)."""
        return self._select(
            "SELECT o.credit_code, count(*) AS hours, sum(CASE WHEN h.status = 'valid' THEN 1 ELSE 0 END) AS "
            "valid_hours FROM sources_hourly h JOIN sources_outlets o ON o.outlet_id = h.outlet_id "
            "WHERE year(h.hour) = ? GROUP BY o.credit_code",
            [int(year)],
        )
