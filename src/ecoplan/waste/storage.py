"""Waste data in the catalog's database (the only module besides ``service`` that uses the store).

An import is one catalog transaction (rows, manifest events, the import log): a process
killed at any point leaves the store as it was before the import or as after it, never
half of it. Re-importing identical data writes no row; a changed row replaces the stored
one (a changed manifest gets an event: ``import`` when its status moved, ``correct`` with
the next version otherwise). ``ecoplan.store.faults`` marks the steps for crash tests
(:data:`FAULT_POINTS`).

:meth:`WasteStore.replace_alerts` is the alerts' pipeline's one write (``waste_alerts``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog
from ecoplan.waste.readers.checks import HEADER_FIELDS

__all__ = ["ALERT_COLUMNS", "FAULT_POINTS", "LINE_FIELDS", "TABLES", "WasteImportResult", "WasteStore"]

FAULT_POINTS = ("waste.before_commit", "waste.after_commit")
_SEP = "\x1f"
#: kind → (table, columns, key columns, list columns).
TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "actors": (
        "waste_actors",
        ("actor_id", "roles", "name", "credit_code", "region", "address", "lon", "lat", "unit_class"),
        ("actor_id",),
        ("roles",),
    ),
    "permits": (
        "waste_permits",
        ("permit_no", "actor_id", "kind", "valid_from", "valid_to", "annual_capacity_t", "codes"),
        ("permit_no",),
        ("codes",),
    ),
    "approvals": (
        "waste_approvals",
        (
            "approval_no",
            "from_province",
            "to_province",
            "producer_id",
            "receiver_id",
            "codes",
            "quantity_t",
            "method",
            "valid_from",
            "valid_to",
        ),
        ("approval_no",),
        ("codes",),
    ),
    "ledger": (
        "waste_ledger",
        (
            "actor_id",
            "batch_code",
            "stage",
            "at",
            "code",
            "quantity_t",
            "container_code",
            "linked_batch",
            "facility",
        ),
        ("actor_id", "batch_code", "stage"),
        (),
    ),
    "declarations": (
        "waste_declarations",
        ("actor_id", "kind", "period", "submitted_at"),
        ("actor_id", "kind", "period"),
        (),
    ),
}
MANIFEST_COLUMNS = ("manifest_no", *HEADER_FIELDS)
LINE_FIELDS = (
    "line_no",
    "code",
    "form",
    "packaging",
    "containers",
    "qty_shipped_t",
    "qty_received_t",
    "code_received",
    "form_received",
    "packaging_received",
    "containers_received",
)
ALERT_COLUMNS = ("rule", "subject", "at", "evidence", "source")


@dataclass
class WasteImportResult:
    """What one import did (manifests are counted whole, ledger and registry rows one by one)."""

    import_id: int
    kind: str
    rows_in: int
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _plain(v: Any) -> Any:
    """A value as comparison and JSON see it (numpy → Python, NaN/NaT → None, lists as lists)."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "tolist") and not isinstance(v, str | bytes):
        return _plain(v.tolist())
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item"):
        return _plain(v.item())
    return v


def _q(cols: Iterable[str]) -> str:
    """Quoted column names (``at`` is a keyword of DuckDB's parser)."""
    return ", ".join(f'"{c}"' for c in cols)


class WasteStore:
    """Waste data of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    # -- read ------------------------------------------------------------------
    def _select(self, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (dates as dates, lists as lists)."""
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def table(self, kind: str, where: str = "", params: Sequence[object] = ()) -> list[dict[str, Any]]:
        """The stored rows of ``kind`` (``actors``, ``permits``, ``approvals``, ``ledger``)."""
        table, cols, keys, _ = TABLES[kind]
        sql = f"SELECT {_q(cols)} FROM {table} {where} ORDER BY {_q(keys)}"
        return self._select(sql, params)

    def manifests(
        self, where: str = "", params: Sequence[object] = (), limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Stored manifests (their own fields), newest shipment first."""
        sql = (
            f"SELECT m.*, coalesce((SELECT max(version) FROM waste_manifest_events e "
            f"WHERE e.manifest_no = m.manifest_no), 1) AS version FROM waste_manifests m {where} "
            "ORDER BY m.shipped_at DESC NULLS LAST, m.manifest_no"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._select(sql, params)

    def _among(self, manifest_nos: Sequence[str], sql: str) -> list[dict[str, Any]]:
        """``sql`` run with the numbers as the table ``_waste_nos(manifest_no)`` (a join
        rather than a parameter per number)."""
        self.con.register("_waste_nos", pd.DataFrame({"manifest_no": list(manifest_nos)}, dtype=object))
        try:
            return self._select(sql)
        finally:
            self.con.unregister("_waste_nos")

    def statuses(self, manifest_nos: Sequence[str]) -> dict[str, str]:
        """The stored status of each of ``manifest_nos`` that is stored."""
        if not manifest_nos:
            return {}
        rows = self._among(
            manifest_nos,
            "SELECT m.manifest_no, m.status FROM waste_manifests m JOIN _waste_nos n USING (manifest_no)",
        )
        return {str(r["manifest_no"]): str(r["status"]) for r in rows}

    def lines(self, manifest_nos: Sequence[str]) -> list[dict[str, Any]]:
        """The lines of ``manifest_nos``, by manifest and line."""
        if not manifest_nos:
            return []
        return self._among(
            manifest_nos,
            f"SELECT manifest_no, {', '.join(LINE_FIELDS)} FROM waste_manifest_lines "
            "WHERE manifest_no IN (SELECT manifest_no FROM _waste_nos) ORDER BY manifest_no, line_no",
        )

    def events(self, manifest_no: str) -> list[dict[str, Any]]:
        """The manifest's events in order (``detail`` parsed)."""
        rows = self._select(
            'SELECT seq, "at", event, from_status, to_status, version, detail FROM waste_manifest_events '
            "WHERE manifest_no = ? ORDER BY seq",
            [manifest_no],
        )
        for r in rows:
            r["detail"] = json.loads(r["detail"]) if isinstance(r["detail"], str) else r["detail"]
        return rows

    def state(self) -> tuple[object, ...]:
        row = self.con.execute(
            "SELECT coalesce(max(id), 0), (SELECT count(*) FROM waste_manifest_events), "
            "(SELECT count(*) FROM waste_alerts) FROM waste_imports"
        ).fetchall()[0]
        return ("waste", *(row or ()))

    def ledger_sums(self, actor_id: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
        """Per code: the stored quantity at ``start`` and ``end`` (入库 − 出库 before them)
        and the generated, shipped and self-treated quantities in [start, end)."""
        return self._select(
            """
            SELECT code,
              coalesce(sum(CASE WHEN "at" < ? AND stage = 'stored_in' THEN quantity_t
                                WHEN "at" < ? AND stage = 'stored_out' THEN -quantity_t END), 0) AS opening,
              coalesce(sum(CASE WHEN "at" >= ? AND "at" < ? AND stage = 'generated' THEN quantity_t END), 0)
                AS generated,
              coalesce(sum(CASE WHEN "at" >= ? AND "at" < ? AND stage = 'shipped' THEN quantity_t END), 0)
                AS shipped,
              coalesce(sum(CASE WHEN "at" >= ? AND "at" < ? AND stage = 'self_treated'
                THEN quantity_t END), 0) AS self_treated,
              coalesce(sum(CASE WHEN "at" < ? AND stage = 'stored_in' THEN quantity_t
                                WHEN "at" < ? AND stage = 'stored_out' THEN -quantity_t END), 0) AS closing
            FROM waste_ledger WHERE actor_id = ? AND "at" < ? GROUP BY code ORDER BY code
            """,
            [start, start, start, end, start, end, start, end, end, end, actor_id, end],
        )

    def alerts(self, rule: str | None = None, subject: str | None = None) -> list[dict[str, Any]]:
        where, params = [], []
        if rule:
            where.append("rule = ?")
            params.append(rule)
        if subject:
            where.append("subject = ?")
            params.append(subject)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._select(
            f'SELECT {_q(ALERT_COLUMNS)} FROM waste_alerts {clause} ORDER BY "at" DESC, rule, subject',
            params,
        )
        for r in rows:
            if isinstance(r["evidence"], str):
                r["evidence"] = json.loads(r["evidence"])
        return rows

    def rates(self, workdays: int = 5) -> list[dict[str, Any]]:
        """Per producer region: manifests shipped, confirmed within ``workdays`` working
        days of arrival (转移管理办法 Art. 18: 5; the working-day calendar of
        :mod:`ecoplan.waste.workdays`, the day of arrival not counted), and closed-loop ones
        (confirmed or closed, not rejected): counts."""
        from ecoplan.waste.workdays import calendar_frame

        cur = self.con.cursor()  # its own cursor: the calendar is registered there alone
        try:
            cur.register("_waste_rates_calendar", calendar_frame())
            cur.execute(
                """
                SELECT a.region,
                  count(*) AS shipped,
                  count(*) FILTER (WHERE m.confirmed_at IS NOT NULL AND m.arrived_at IS NOT NULL
                    AND cb.cum - ca.cum <= ?) AS confirmed_on_time,
                  count(*) FILTER (WHERE m.status IN ('confirmed', 'closed') OR
                    (m.status = 'corrected' AND m.confirmed_at IS NOT NULL)) AS closed_loop
                FROM waste_manifests m JOIN waste_actors a ON a.actor_id = m.producer_id
                LEFT JOIN _waste_rates_calendar ca ON ca.d = CAST(m.arrived_at AS DATE)
                LEFT JOIN _waste_rates_calendar cb ON cb.d = CAST(m.confirmed_at AS DATE)
                WHERE m.status <> 'draft' GROUP BY a.region ORDER BY a.region
                """,
                [int(workdays)],
            )
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        finally:
            cur.close()

    def latest_year(self) -> int | None:
        """The newest year the ledgers record waste generated in (None without records)."""
        rows = self.con.execute(
            "SELECT max(year(\"at\")) FROM waste_ledger WHERE stage = 'generated'"
        ).fetchall()
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def capacity(self, year: int) -> list[dict[str, Any]]:
        """Per province: the annual capacity of the permits valid on 1 July of ``year`` and
        the waste generated that year by the province's actors (ledger), tonnes."""
        mid = dt.date(year, 7, 1)
        return self._select(
            """
            WITH cap AS (
              SELECT left(a.region, 2) AS province, sum(p.annual_capacity_t) AS capacity_t
              FROM waste_permits p JOIN waste_actors a USING (actor_id)
              WHERE p.valid_from <= ? AND p.valid_to >= ? GROUP BY 1),
            gen AS (
              SELECT left(a.region, 2) AS province, sum(l.quantity_t) AS generated_t
              FROM waste_ledger l JOIN waste_actors a USING (actor_id)
              WHERE l.stage = 'generated' AND year(l.at) = ? GROUP BY 1)
            SELECT coalesce(cap.province, gen.province) AS province, coalesce(capacity_t, 0) AS capacity_t,
              coalesce(generated_t, 0) AS generated_t
            FROM cap FULL JOIN gen ON cap.province = gen.province ORDER BY 1
            """,
            [mid, mid, year],
        )

    # -- write -----------------------------------------------------------------
    def _writable(self) -> None:
        if getattr(self.catalog, "read_only", False):
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot write")

    def _next_import(self) -> int:
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM waste_imports").fetchall()[0]
        return int(row[0]) if row else 1

    def _insert(self, con: Any, kind: str, rows: list[dict[str, Any]]) -> None:
        table, cols, keys, lists = TABLES[kind]
        df = pd.DataFrame(
            [{c: (_SEP.join(r[c]) if c in lists and r[c] is not None else r[c]) for c in cols} for r in rows],
            columns=list(cols),
        ).astype(object)
        con.register("_waste_new", df)
        try:
            cond = " AND ".join(f't."{k}" = n."{k}"' for k in keys)
            con.execute(f"DELETE FROM {table} t WHERE EXISTS (SELECT 1 FROM _waste_new n WHERE {cond})")
            sel = ", ".join(f"string_split({c}, chr(31))" if c in lists else f'"{c}"' for c in cols)
            con.execute(f"INSERT INTO {table} ({_q(cols)}) SELECT {sel} FROM _waste_new")
        finally:
            con.unregister("_waste_new")

    def _log(self, con: Any, res: WasteImportResult, files: Sequence[str], when: dt.datetime) -> None:
        con.execute(
            "INSERT INTO waste_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                res.import_id,
                when,
                res.kind,
                json.dumps(sorted(set(files)), ensure_ascii=False),
                res.rows_in,
                res.rows_new,
                res.rows_revised,
                res.rows_unchanged,
            ],
        )

    def import_rows(
        self, kind: str, rows: list[dict[str, Any]], files: Sequence[str], when: dt.datetime | None = None
    ) -> WasteImportResult:
        """Store checked rows of ``kind`` (see the module docstring)."""
        self._writable()
        when = when or dt.datetime.now().replace(microsecond=0)
        if kind == "manifests":
            return self._import_manifests(rows, files, when)
        _, cols, keys, _ = TABLES[kind]
        res = WasteImportResult(self._next_import(), kind, len(rows))
        stored = {tuple(r[k] for k in keys): r for r in self.table(kind)}
        changed: list[dict[str, Any]] = []
        for r in rows:
            new = {c: _plain(r.get(c)) for c in cols}
            old = stored.get(tuple(new[k] for k in keys))
            if old == new:
                res.rows_unchanged += 1
                continue
            res.rows_new += old is None
            res.rows_revised += old is not None
            changed.append(new)
        with self.catalog.transaction() as con:
            if changed:
                self._insert(con, kind, changed)
            self._log(con, res, files, when)
            faults.point("waste.before_commit")
        faults.point("waste.after_commit")
        return res

    def _import_manifests(
        self, rows: list[dict[str, Any]], files: Sequence[str], when: dt.datetime
    ) -> WasteImportResult:
        grouped: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
        for r in rows:
            no = str(r["manifest_no"])
            head = {c: _plain(r.get(c)) for c in MANIFEST_COLUMNS}
            head["paper"] = bool(head["paper"])
            head["producers_on_manifest"] = head["producers_on_manifest"] or 1
            grouped.setdefault(no, (head, []))[1].append({c: _plain(r.get(c)) for c in LINE_FIELDS})
        res = WasteImportResult(self._next_import(), "manifests", len(grouped))
        nos = list(grouped)
        stored = (
            {
                m["manifest_no"]: m
                for m in self._among(
                    nos,
                    "SELECT m.*, coalesce((SELECT max(version) FROM waste_manifest_events e "
                    "WHERE e.manifest_no = m.manifest_no), 1) AS version FROM waste_manifests m "
                    "WHERE m.manifest_no IN (SELECT manifest_no FROM _waste_nos)",
                )
            }
            if nos
            else {}
        )
        stored_lines: dict[str, list[dict[str, Any]]] = {}
        for line in self.lines(nos):
            stored_lines.setdefault(str(line.pop("manifest_no")), []).append(line)
        heads: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        events: list[tuple[Any, ...]] = []
        for no, (head, new_lines) in grouped.items():
            new_lines.sort(key=lambda x: x["line_no"])
            old = stored.get(no)
            if old is not None:
                old_head = {c: old[c] for c in MANIFEST_COLUMNS}
                if old_head == head and stored_lines.get(no, []) == new_lines:
                    res.rows_unchanged += 1
                    continue
                res.rows_revised += 1
                moved = old["status"] != head["status"]
                seq = self._next_seq(no)
                version = int(old["version"]) + (0 if moved else 1)
                ev = "import" if moved else "correct"
                events.append(
                    (
                        no,
                        seq,
                        when,
                        ev,
                        old["status"],
                        head["status"],
                        version,
                        json.dumps({"source": "import", "files": list(files)}, ensure_ascii=False),
                    )
                )
            else:
                res.rows_new += 1
                events.append(
                    (
                        no,
                        1,
                        when,
                        "import",
                        None,
                        head["status"],
                        1,
                        json.dumps({"source": "import", "files": list(files)}, ensure_ascii=False),
                    )
                )
            heads.append(head)
            lines.extend({"manifest_no": no, **x} for x in new_lines)
        with self.catalog.transaction() as con:
            if heads:
                self._write_manifests(con, heads, lines)
                self._write_events(con, events)
            self._log(con, res, files, when)
            faults.point("waste.before_commit")
        faults.point("waste.after_commit")
        return res

    def _write_events(self, con: Any, events: list[tuple[Any, ...]]) -> None:
        """Events in one statement (a registered frame: DuckDB's executemany runs a
        statement per row)."""
        cols = ("manifest_no", "seq", "at", "event", "from_status", "to_status", "version", "detail")
        con.register("_waste_events", pd.DataFrame(events, columns=list(cols)).astype(object))
        try:
            con.execute(
                'INSERT INTO waste_manifest_events SELECT manifest_no, seq, CAST("at" AS TIMESTAMP), event, '
                "from_status, to_status, version, CAST(detail AS JSON) FROM _waste_events"
            )
        finally:
            con.unregister("_waste_events")

    def _next_seq(self, manifest_no: str) -> int:
        row = self.con.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM waste_manifest_events WHERE manifest_no = ?", [manifest_no]
        ).fetchall()[0]
        return int(row[0]) if row else 1

    def _write_manifests(self, con: Any, heads: list[dict[str, Any]], lines: list[dict[str, Any]]) -> None:
        h = pd.DataFrame(heads, columns=list(MANIFEST_COLUMNS)).astype(object)
        ln = pd.DataFrame(lines, columns=["manifest_no", *LINE_FIELDS]).astype(object)
        con.register("_waste_heads", h)
        con.register("_waste_lines", ln)
        try:
            con.execute(
                "DELETE FROM waste_manifest_lines WHERE manifest_no IN (SELECT manifest_no FROM _waste_heads)"
            )
            con.execute(
                "DELETE FROM waste_manifests WHERE manifest_no IN (SELECT manifest_no FROM _waste_heads)"
            )
            con.execute(
                f"INSERT INTO waste_manifests ({', '.join(MANIFEST_COLUMNS)}) SELECT * FROM _waste_heads"
            )
            names = ", ".join(LINE_FIELDS)
            con.execute(f"INSERT INTO waste_manifest_lines (manifest_no, {names}) SELECT * FROM _waste_lines")
        finally:
            con.unregister("_waste_heads")
            con.unregister("_waste_lines")

    def move(
        self,
        manifest_no: str,
        event: str,
        to_status: str,
        at: dt.datetime,
        *,
        version: int,
        updates: Mapping[str, Any],
        line_updates: Sequence[Mapping[str, Any]] = (),
        detail: Mapping[str, Any] | None = None,
        residue: tuple[dict[str, Any], list[dict[str, Any]]] | None = None,
    ) -> None:
        """One state move in one transaction: the manifest's fields, its lines' received
        fields, the event, and the residue manifest a rejection starts (with its own event)."""
        self._writable()
        fields = {"status": to_status, **updates}
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.catalog.transaction() as con:
            found = con.execute(
                "SELECT status FROM waste_manifests WHERE manifest_no = ?", [manifest_no]
            ).fetchall()
            from_status = found[0][0] if found else None
            con.execute(
                f"UPDATE waste_manifests SET {sets} WHERE manifest_no = ?", [*fields.values(), manifest_no]
            )
            for lu in line_updates:
                rest = {k: v for k, v in lu.items() if k != "line_no"}
                if rest:
                    con.execute(
                        f"UPDATE waste_manifest_lines SET {', '.join(f'{k} = ?' for k in rest)} "
                        "WHERE manifest_no = ? AND line_no = ?",
                        [*rest.values(), manifest_no, lu["line_no"]],
                    )
            seq = self._next_seq(manifest_no)
            con.execute(
                "INSERT INTO waste_manifest_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    manifest_no,
                    seq,
                    at,
                    event,
                    from_status,
                    to_status,
                    version,
                    json.dumps(dict(detail or {}), ensure_ascii=False, default=str),
                ],
            )
            if residue is not None:
                head, lines = residue
                # a residue is a new draft: nothing of it is received yet (its lines are
                # copies of the rejected manifest's, the pieces counted at receipt included)
                lines = [{**ln, "containers_received": None} for ln in lines]
                self._write_manifests(con, [head], lines)
                con.execute(
                    "INSERT INTO waste_manifest_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        head["manifest_no"],
                        1,
                        at,
                        "residue",
                        None,
                        "draft",
                        1,
                        json.dumps({"residue_of": manifest_no}, ensure_ascii=False),
                    ],
                )
            faults.point("waste.before_commit")
        faults.point("waste.after_commit")

    def replace_alerts(
        self, rows: Iterable[Mapping[str, Any]] | pd.DataFrame, rules: Sequence[str] | None = None
    ) -> int:
        """Replace the stored alerts by ``rows`` (``rule, subject, at, evidence, source``;
        evidence a JSON-able mapping or a JSON text), in one transaction: all the alerts,
        or only those of ``rules`` when given. Returns the number of rows written."""
        self._writable()
        df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=list(ALERT_COLUMNS))
        df = df.reindex(columns=list(ALERT_COLUMNS)).astype(object)
        df["evidence"] = [
            v if isinstance(v, str) or v is None else json.dumps(v, ensure_ascii=False, default=str)
            for v in df["evidence"]
        ]
        with self.catalog.transaction() as con:
            if rules is None:
                con.execute("DELETE FROM waste_alerts")
            elif rules:
                con.execute(
                    f"DELETE FROM waste_alerts WHERE rule IN ({', '.join('?' for _ in rules)})", list(rules)
                )
            if len(df):
                con.register("_waste_alerts", df)
                try:
                    con.execute(
                        'INSERT INTO waste_alerts SELECT rule, subject, CAST("at" AS TIMESTAMP), '
                        "CAST(evidence AS JSON), source FROM _waste_alerts"
                    )
                finally:
                    con.unregister("_waste_alerts")
            faults.point("waste.before_commit")
        faults.point("waste.after_commit")
        return len(df)
