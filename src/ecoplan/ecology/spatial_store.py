"""Layers, patches, overlay results and cases in the catalog's database (schema v2 of the
ecology domain, :data:`~ecoplan.ecology.spatial.schema.SPATIAL_MIGRATION`).

SQL only: the service (:mod:`ecoplan.ecology.spatial_ops`) decides what to write, this
module writes it in one catalog transaction (data and the import log together, never
half) and reads it back as frames. Geometries are WKB in lon/lat (EPSG:4326).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import numpy as np
import pandas as pd
import shapely  # type: ignore[import-untyped,unused-ignore]

from ecoplan.ecology.spatial.layers import Layer
from ecoplan.ecology.spatial.rejects import Reject
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINT", "SpatialImportResult", "SpatialStore", "wkb"]

FAULT_POINT = "ecology.spatial.before_commit"
PART_COLS = (
    "patch_id",
    "layer_id",
    "valid_from",
    "kind",
    "reserve_id",
    "feature_id",
    "zone",
    "priority",
    "area_km2",
)
DECISION_COLS = (
    "patch_id",
    "layer_id",
    "valid_from",
    "kind",
    "reserve_id",
    "zone",
    "priority",
    "inside_km2",
    "patch_km2",
    "zones",
)
PATCH_COLS = ("patch_id", "detected_on", "source", "cls", "confidence", "integrated", "group_id", "area_km2")


@dataclass
class SpatialImportResult:
    """What one layer or patch import did (``refused``: nothing stored but the log)."""

    import_id: int
    kind: str
    target: str
    file: str
    rows_in: int
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    notes: list[Reject] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "target": self.target,
            "file": self.file,
            "rows_in": self.rows_in,
            "rows_new": self.rows_new,
            "rows_revised": self.rows_revised,
            "rows_unchanged": self.rows_unchanged,
            "rejects": [r.to_dict() for r in self.rejects],
            "notes": [n.to_dict() for n in self.notes],
        }


def wkb(geoms: Iterable[Any]) -> list[bytes]:
    """WKB of lon/lat geometries (2D)."""
    return [bytes(b) for b in shapely.to_wkb(np.asarray(list(geoms), dtype=object), output_dimension=2)]


def _dates(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """DATE columns as ``datetime.date`` objects (None when missing), as the readers give them."""
    for c in cols:
        df[c] = pd.Series(
            [None if pd.isna(v) else pd.Timestamp(v).date() for v in df[c]], index=df.index, dtype=object
        )
    return df


def _frame(rows: pd.DataFrame, geom: str = "geom_wkb") -> gpd.GeoDataFrame:
    geoms = shapely.from_wkb(np.asarray([bytes(b) for b in rows[geom]], dtype=object)) if len(rows) else []
    return gpd.GeoDataFrame(rows.drop(columns=[geom]), geometry=list(geoms), crs="EPSG:4326")


class SpatialStore:
    """The spatial ecology data of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    # -- reads -----------------------------------------------------------------
    def layers(self, layer_id: str | None = None) -> pd.DataFrame:
        """Layer versions (one row per (layer, valid-from)), by layer and date."""
        sql = "SELECT layer_id, valid_from, kind, file, features, area_km2, import_id FROM ecology_layers"
        params: list[object] = []
        if layer_id is not None:
            sql += " WHERE layer_id = ?"
            params.append(layer_id)
        return self.con.execute(sql + " ORDER BY layer_id, valid_from", params).df()

    def features(self, layer_id: str | None = None, valid_from: dt.date | None = None) -> gpd.GeoDataFrame:
        """Features of stored layer versions, with ``layer_id``, ``valid_from``, ``kind``."""
        sql = (
            "SELECT f.layer_id, f.valid_from, l.kind, f.feature_id, f.name, f.region, f.reserve_id, f.zone, "
            "f.area_km2, f.geom_wkb FROM ecology_layer_features f JOIN ecology_layers l "
            "USING (layer_id, valid_from) WHERE true"
        )
        params: list[object] = []
        if layer_id is not None:
            sql += " AND f.layer_id = ?"
            params.append(layer_id)
        if valid_from is not None:
            sql += " AND f.valid_from = ?"
            params.append(valid_from)
        df = self.con.execute(sql + " ORDER BY f.layer_id, f.valid_from, f.feature_id", params).df()
        out = _frame(df)
        return _dates(out, "valid_from") if len(out) else out

    def versions(self) -> list[Layer]:
        """Every stored layer version as a :class:`Layer` (features as read, no rejects)."""
        f = self.features()
        out: list[Layer] = []
        meta = self.layers()
        for rec in meta.to_dict("records"):
            vf = pd.Timestamp(rec["valid_from"]).date()
            sel = f[(f["layer_id"] == rec["layer_id"]) & (f["valid_from"] == vf)]
            feats = gpd.GeoDataFrame(
                sel[["feature_id", "name", "region", "reserve_id", "zone", "area_km2"]].reset_index(
                    drop=True
                ),
                geometry=list(sel.geometry.values),
                crs="EPSG:4326",
            )
            out.append(Layer(str(rec["layer_id"]), str(rec["kind"]), vf, str(rec["file"]), feats))
        return out

    def patches(self) -> gpd.GeoDataFrame:
        """Stored patches (reader fields, integrated confidence, group), by id."""
        df = self.con.execute(
            f"SELECT {', '.join(PATCH_COLS)}, geom_wkb FROM ecology_patches ORDER BY patch_id"
        ).df()
        out = _frame(df)
        return _dates(out, "detected_on") if len(out) else out

    def patch_wkb(self) -> dict[str, tuple[Any, ...]]:
        """Per stored patch: the reader fields and WKB (to tell unchanged from revised)."""
        rows = self.con.execute(
            "SELECT patch_id, detected_on, source, cls, confidence, geom_wkb FROM ecology_patches"
        ).fetchall()
        return {str(r[0]): (r[1], str(r[2]), str(r[3]), str(r[4]), bytes(r[5])) for r in rows}

    def layer_wkb(self, layer_id: str, valid_from: dt.date) -> set[tuple[Any, ...]]:
        rows = self.con.execute(
            "SELECT feature_id, name, region, reserve_id, zone, geom_wkb FROM ecology_layer_features "
            "WHERE layer_id = ? AND valid_from = ?",
            [layer_id, valid_from],
        ).fetchall()
        return {(*r[:5], bytes(r[5])) for r in rows}

    def parts(self) -> pd.DataFrame:
        return self.con.execute(
            f"SELECT {', '.join(PART_COLS)} FROM ecology_patch_parts ORDER BY patch_id, layer_id, feature_id"
        ).df()

    def decisions(self) -> pd.DataFrame:
        df = self.con.execute(
            f"SELECT {', '.join(DECISION_COLS)} FROM ecology_patch_decisions ORDER BY patch_id"
        ).df()
        df["zones"] = [tuple(json.loads(z)) for z in df["zones"]]
        return _dates(df, "valid_from")

    def cases(self) -> pd.DataFrame:
        df = self.con.execute(
            "SELECT patch_id, state, since, due FROM ecology_patch_cases ORDER BY patch_id"
        ).df()
        return _dates(df, "since", "due")

    def case(self, patch_id: str) -> tuple[str, dt.date, dt.date | None] | None:
        row = self.con.execute(
            "SELECT state, since, due FROM ecology_patch_cases WHERE patch_id = ?", [patch_id]
        ).fetchone()
        return None if row is None else (str(row[0]), row[1], row[2])

    def events(self, patch_id: str | None = None) -> pd.DataFrame:
        sql = "SELECT patch_id, event, on_date, evidence, actor, recorded_at FROM ecology_patch_events"
        params: list[object] = []
        if patch_id is not None:
            sql += " WHERE patch_id = ?"
            params.append(patch_id)
        return self.con.execute(sql + " ORDER BY patch_id, on_date, recorded_at", params).df()

    def imports(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT id, recorded_at, kind, target, file, rows_in, rows_new, rows_revised, rows_unchanged, "
            "rejects FROM ecology_spatial_imports ORDER BY id"
        ).df()

    def rejects(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT import_id, file, feature_index, feature_id, field, reason, params "
            "FROM ecology_spatial_rejects ORDER BY import_id, feature_index"
        ).df()

    def state(self) -> tuple[object, ...]:
        row = self.con.execute(
            "SELECT coalesce(max(id), 0), count(*) FROM ecology_spatial_imports"
        ).fetchone()
        ev = self.con.execute("SELECT count(*) FROM ecology_patch_events").fetchone()
        return ("ecology.spatial", *(row or ()), *(ev or ()))

    # -- writes ----------------------------------------------------------------
    def _next_id(self) -> int:
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM ecology_spatial_imports").fetchone()
        return int(row[0]) if row else 1

    def _log(self, con: Any, res: SpatialImportResult, when: dt.datetime) -> None:
        counts: dict[str, int] = {}
        for r in res.rejects:
            counts[r.reason] = counts.get(r.reason, 0) + 1
        con.execute(
            "INSERT INTO ecology_spatial_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                res.import_id,
                when,
                res.kind,
                res.target,
                res.file,
                res.rows_in,
                res.rows_new,
                res.rows_revised,
                res.rows_unchanged,
                json.dumps(counts),
            ],
        )
        con.execute("DELETE FROM ecology_spatial_rejects WHERE file = ?", [res.file])
        for r in res.rejects:
            con.execute(
                "INSERT INTO ecology_spatial_rejects VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    res.import_id,
                    r.file,
                    r.index,
                    r.feature,
                    r.field,
                    r.reason,
                    json.dumps(r.params, default=str, ensure_ascii=False),
                ],
            )

    def begin(self, kind: str, target: str, file: str, rows_in: int) -> SpatialImportResult:
        return SpatialImportResult(self._next_id(), kind, target, file, rows_in)

    def log_only(self, res: SpatialImportResult) -> None:
        """An import that stores no data (refused, or nothing changed): its log alone."""
        with self.catalog.transaction() as con:
            self._log(con, res, dt.datetime.now().replace(microsecond=0))

    def _put(self, con: Any, table: str, frame: pd.DataFrame, cols: Sequence[str]) -> None:
        if frame.empty:
            return
        name = f"_eco_{table}"
        con.register(name, pd.DataFrame(frame[list(cols)]))
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {name}")
        con.unregister(name)

    def _replace_overlay(
        self, con: Any, ids: Sequence[str] | None, parts: pd.DataFrame, dec: pd.DataFrame
    ) -> None:
        """Parts and decisions of ``ids`` (all patches when None) replaced; cases follow the decision."""
        if ids is None:
            con.execute("DELETE FROM ecology_patch_parts")
            con.execute("DELETE FROM ecology_patch_decisions")
        elif ids:
            marks = ", ".join("?" for _ in ids)
            con.execute(f"DELETE FROM ecology_patch_parts WHERE patch_id IN ({marks})", list(ids))
            con.execute(f"DELETE FROM ecology_patch_decisions WHERE patch_id IN ({marks})", list(ids))
        self._put(con, "ecology_patch_parts", parts, PART_COLS)
        d = dec.copy()
        d["zones"] = [json.dumps(list(z)) for z in d["zones"]]
        self._put(con, "ecology_patch_decisions", d, DECISION_COLS)
        con.execute(
            "UPDATE ecology_patch_cases c SET reserve_id = d.reserve_id, zone = d.zone, "
            "priority = d.priority FROM ecology_patch_decisions d WHERE c.patch_id = d.patch_id"
        )

    def write_layer(
        self, res: SpatialImportResult, lay: Layer, parts: pd.DataFrame, dec: pd.DataFrame
    ) -> None:
        """A new layer version, its features, the recomputed overlay of every patch, the log."""
        when = dt.datetime.now().replace(microsecond=0)
        f = lay.features
        feats = pd.DataFrame(
            {
                "layer_id": lay.layer_id,
                "valid_from": lay.valid_from,
                "feature_id": f["feature_id"].astype(str).to_numpy(),
                "name": f["name"].to_numpy(dtype=object),
                "region": f["region"].to_numpy(dtype=object),
                "reserve_id": f["reserve_id"].astype(str).to_numpy(),
                "zone": f["zone"].astype(str).to_numpy(),
                "area_km2": f["area_km2"].to_numpy(dtype=float),
                "geom_wkb": wkb(f.geometry.values),
            }
        )
        with self.catalog.transaction() as con:
            con.execute(
                "INSERT INTO ecology_layers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    lay.layer_id,
                    lay.valid_from,
                    lay.kind,
                    lay.file,
                    len(f),
                    float(f["area_km2"].sum()),
                    json.dumps([n.to_dict() for n in lay.notes], default=str, ensure_ascii=False),
                    res.import_id,
                ],
            )
            self._put(con, "ecology_layer_features", feats, list(feats.columns))
            self._replace_overlay(con, None, parts, dec)
            self._log(con, res, when)
            faults.point(FAULT_POINT)

    def write_patches(
        self,
        res: SpatialImportResult,
        changed: gpd.GeoDataFrame,
        tiers: pd.DataFrame,
        parts: pd.DataFrame,
        dec: pd.DataFrame,
        cases: pd.DataFrame,
    ) -> None:
        """New and revised patches, every patch's integrated tier and group, the overlay of
        the changed ones, the cases of the new ones (with their ``detect`` event), the log."""
        when = dt.datetime.now().replace(microsecond=0)
        ids = [str(p) for p in changed["patch_id"]]
        rows = pd.DataFrame(
            {
                "patch_id": ids,
                "detected_on": list(changed["detected_on"]),
                "source": changed["source"].astype(str).to_numpy(),
                "cls": changed["cls"].astype(str).to_numpy(),
                "confidence": changed["confidence"].astype(str).to_numpy(),
                "integrated": None,
                "group_id": None,
                "area_km2": changed["area_km2"].to_numpy(dtype=float),
                "geom_wkb": wkb(changed.geometry.values),
                "import_id": res.import_id,
            }
        )
        with self.catalog.transaction() as con:
            if ids:
                marks = ", ".join("?" for _ in ids)
                con.execute(f"DELETE FROM ecology_patches WHERE patch_id IN ({marks})", ids)
            self._put(con, "ecology_patches", rows, list(rows.columns))
            if not tiers.empty:
                con.register("_eco_tiers", pd.DataFrame(tiers[["patch_id", "group", "integrated"]]))
                con.execute(
                    'UPDATE ecology_patches p SET integrated = t.integrated, group_id = t."group" '
                    "FROM _eco_tiers t WHERE p.patch_id = t.patch_id"
                )
                con.unregister("_eco_tiers")
            if not cases.empty:
                c = cases.assign(reserve_id=None, zone=None, priority=None)
                self._put(
                    con,
                    "ecology_patch_cases",
                    c,
                    ("patch_id", "state", "since", "due", "reserve_id", "zone", "priority"),
                )
                ev = pd.DataFrame(
                    {
                        "patch_id": c["patch_id"],
                        "event": "detect",
                        "on_date": c["since"],
                        "evidence": None,
                        "actor": "import",
                        "recorded_at": when,
                    }
                )
                self._put(con, "ecology_patch_events", ev, list(ev.columns))
            self._replace_overlay(con, ids, parts, dec)
            self._log(con, res, when)
            faults.point(FAULT_POINT)

    def write_event(
        self,
        patch_id: str,
        state: str,
        since: dt.date,
        due: dt.date | None,
        event: str,
        evidence: str | None,
        actor: str | None,
    ) -> None:
        """A case's new state and the event that moved it, together."""
        when = dt.datetime.now().replace(microsecond=0)
        with self.catalog.transaction() as con:
            con.execute(
                "UPDATE ecology_patch_cases SET state = ?, since = ?, due = ? WHERE patch_id = ?",
                [state, since, due, patch_id],
            )
            con.execute(
                "INSERT INTO ecology_patch_events VALUES (?, ?, ?, ?, ?, ?)",
                [patch_id, event, since, evidence, actor, when],
            )
            faults.point(FAULT_POINT)
