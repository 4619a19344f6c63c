"""``ep.ecology``'s spatial methods: import layer versions and patches, advance a patch's
case, and read layers, patches (with overlay decision and state), statistics and the
red-line report of a region.

Writes go through the app's single writer, each in one catalog transaction with its
import log row (:mod:`.spatial_store`). Rules:

- A file with any reject is refused whole (reason-coded rejects naming file, feature and
  field; the refusal is logged with its rejects, no data stored) —
  :class:`~ecoplan.core.errors.InputFileError`.
- A layer version is (layer id, valid-from date). Importing the same version again with
  the same features writes nothing; with other features it is refused (a new boundary
  is a new version, never an edit). A new version recomputes the overlay of every
  stored patch.
- A patch is overlaid with, for each layer, the version in force on its detection date
  (the latest valid from on or before it). A patch dated before the first version of a
  layer it falls in is refused (``patch_before_layer``). Re-importing the same patches
  writes nothing; a patch with changed fields or outline is revised (its case kept).
- Integrated confidence is recomputed over all stored patches, so agreeing detections
  from different files meet.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]
import pandas as pd

from ecoplan.core.errors import Conflict, EcoplanError, InputFileError, NotFound
from ecoplan.ecology.feed import SOURCE
from ecoplan.ecology.spatial.confidence import integrate
from ecoplan.ecology.spatial.entry import geojson
from ecoplan.ecology.spatial.layers import Layer, read_layer
from ecoplan.ecology.spatial.lifecycle import EVENTS, Deadlines, PatchCase, advance
from ecoplan.ecology.spatial.overlay import DECISION_COLUMNS, PART_COLUMNS, ZoneIndex, overlay
from ecoplan.ecology.spatial.patches import HIGH_FROM, read_patches
from ecoplan.ecology.spatial.redline import (
    loss_messages,
    region_report,
    zoning_changes,
    zoning_messages,
)
from ecoplan.ecology.spatial.rejects import Reject, SpatialInputError
from ecoplan.ecology.spatial.stats import new_since, summarise
from ecoplan.ecology.spatial_events import EventsResult, apply_events
from ecoplan.ecology.spatial_store import SpatialImportResult, SpatialStore, wkb

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.ecology.service import FeedResult

__all__ = ["KIND_OPTIONS", "SpatialOps", "in_region"]

#: The command line's short kinds and the layer kinds they stand for.
KIND_OPTIONS: dict[str, str] = {
    "redline": "redline",
    "protected": "protected_area",
    "function": "function_zone",
    "protected_area": "protected_area",
    "function_zone": "function_zone",
}


def in_region(code: object, region: str) -> bool:
    """Whether a feature's region ``code`` lies in ``region`` (a 6-digit code: a province
    ``510000`` holds ``51xxxx``, a city ``510100`` holds ``5101xx``; ``000000`` all)."""
    prefix = region
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return isinstance(code, str) and code.startswith(prefix)


def _refuse(res: SpatialImportResult) -> InputFileError:
    return SpatialInputError(res.file, res.rejects)


def _in_force(
    versions: Sequence[Layer], patches: gpd.GeoDataFrame, *, strict: bool, file: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame, list[Reject]]:
    """Overlay each patch with the version of each layer in force on its detection date.
    ``strict``: a patch dated before a layer's first version is overlaid with that
    version, so that falling in it is refused; else that layer is left out for it."""
    by_layer: dict[str, list[Layer]] = {}
    for v in sorted(versions, key=lambda v: v.valid_from):
        by_layer.setdefault(v.layer_id, []).append(v)
    keys: list[tuple[int, ...]] = []
    for d in patches["detected_on"]:
        day = pd.Timestamp(d).date()
        key: list[int] = []
        for vs in by_layer.values():
            i = bisect.bisect_right([v.valid_from for v in vs], day) - 1
            key.append(0 if i < 0 and strict else i)
        keys.append(tuple(key))
    parts: list[pd.DataFrame] = []
    decisions: list[pd.DataFrame] = []
    rejects: list[Reject] = []
    groups: dict[tuple[int, ...], list[int]] = {}
    for row, k in enumerate(keys):
        groups.setdefault(k, []).append(row)
    for combo, rows in groups.items():
        chosen = [vs[i] for vs, i in zip(by_layer.values(), combo, strict=True) if i >= 0]
        sub = patches.iloc[sorted(rows)].reset_index(drop=True)
        ov = overlay(sub, ZoneIndex(chosen), file=file)
        since = {v.layer_id: v.valid_from for v in chosen}
        parts.append(ov.parts.assign(valid_from=ov.parts["layer_id"].map(since)))
        decisions.append(ov.decisions.assign(valid_from=ov.decisions["layer_id"].map(since)))
        rejects.extend(ov.rejects)
    if not parts:
        return (
            pd.DataFrame(columns=[*PART_COLUMNS, "valid_from"]),
            pd.DataFrame(columns=[*DECISION_COLUMNS, "valid_from"]),
            rejects,
        )
    rejects.sort(key=lambda r: (r.index is None, r.index))
    return pd.concat(parts, ignore_index=True), pd.concat(decisions, ignore_index=True), rejects


class SpatialOps:
    """The spatial part of ``ep.ecology`` (mixed into :class:`~ecoplan.ecology.service.EcologyOps`)."""

    session: Ecoplan

    @property
    def spatial(self) -> SpatialStore:
        return SpatialStore(self.session.catalog)

    # -- imports -----------------------------------------------------------------
    def import_layer(
        self,
        path: str | Path,
        kind: str,
        layer_id: str,
        valid_from: dt.date,
        *,
        fields: Mapping[str, str] | None = None,
        invalid: str = "repair",
        layer: str | None = None,
    ) -> SpatialImportResult:
        """Store one layer version (see the module): all or nothing, idempotent."""
        if kind not in KIND_OPTIONS:
            raise EcoplanError.worded("ecology.spatial.bad_kind", value=kind, known=", ".join(KIND_OPTIONS))
        with self.session.writer() as w:
            st = SpatialStore(w.catalog)
            lay = read_layer(
                path,
                kind=KIND_OPTIONS[kind],
                layer_id=layer_id,
                valid_from=valid_from,
                fields=fields,
                invalid=invalid,
                layer=layer,
            )
            res = st.begin("layer", f"{layer_id}@{valid_from.isoformat()}", lay.file, len(lay.features))
            res.notes = list(lay.notes)
            if lay.rejects:
                res.rows_in += len({r.index for r in lay.rejects})
                res.rejects = list(lay.rejects)
                st.log_only(res)
                raise _refuse(res)
            stored = st.layers(layer_id)
            same = stored[pd.to_datetime(stored["valid_from"]).dt.date == valid_from]
            if len(same):
                f = lay.features
                mine = {
                    (
                        str(a),
                        n if isinstance(n, str) else None,
                        r if isinstance(r, str) else None,
                        str(b),
                        str(z),
                        g,
                    )
                    for a, n, r, b, z, g in zip(
                        f["feature_id"],
                        f["name"],
                        f["region"],
                        f["reserve_id"],
                        f["zone"],
                        wkb(f.geometry.values),
                        strict=True,
                    )
                }
                if mine != st.layer_wkb(layer_id, valid_from) or str(same["kind"].iat[0]) != lay.kind:
                    raise Conflict.worded(
                        "ecology.wire.version_exists", layer=layer_id, valid_from=valid_from.isoformat()
                    )
                res.rows_unchanged = len(f)
                st.log_only(res)
                return res
            versions = [*st.versions(), lay]
            patches = st.patches()
            parts, dec, _ = _in_force(versions, patches, strict=False)
            res.rows_new = len(lay.features)
            st.write_layer(res, lay, parts, dec)
            return res

    def import_patches(
        self,
        path: str | Path,
        *,
        fields: Mapping[str, str] | None = None,
        invalid: str = "repair",
        layer: str | None = None,
        high_from: float = HIGH_FROM,
        window_days: int | None = None,
        deadlines: Deadlines | None = None,
    ) -> SpatialImportResult:
        """Store the patches of a file, overlaid and with an open case each (see the module)."""
        with self.session.writer() as w:
            st = SpatialStore(w.catalog)
            got = read_patches(path, fields=fields, invalid=invalid, layer=layer, high_from=high_from)
            res = st.begin("patches", "", got.file, len(got.features))
            res.notes = list(got.notes)
            if got.rejects:
                res.rows_in += len({r.index for r in got.rejects})
                res.rejects = list(got.rejects)
                st.log_only(res)
                raise _refuse(res)
            f = got.features.reset_index(drop=True)
            old = st.patch_wkb()
            new_wkb = wkb(f.geometry.values)
            status = []
            for rec, g in zip(
                f[["patch_id", "detected_on", "source", "cls", "confidence"]].itertuples(index=False),
                new_wkb,
                strict=True,
            ):
                prev = old.get(str(rec.patch_id))
                mine = (
                    pd.Timestamp(rec.detected_on).date(),
                    str(rec.source),
                    str(rec.cls),
                    str(rec.confidence),
                    g,
                )
                status.append("new" if prev is None else "same" if prev == mine else "revised")
            f["_status"] = status
            versions = st.versions()
            parts, dec, rejects = _in_force(versions, f, strict=True, file=got.file)
            if rejects:
                res.rejects = rejects
                st.log_only(res)
                raise _refuse(res)
            res.rows_new = status.count("new")
            res.rows_revised = status.count("revised")
            res.rows_unchanged = status.count("same")
            changed = f[f["_status"] != "same"].drop(columns="_status")
            if changed.empty:
                st.log_only(res)
                return res
            ids = set(changed["patch_id"].astype(str))
            stored = st.patches()
            keep = stored[~stored["patch_id"].astype(str).isin(ids)]
            cols = ["patch_id", "detected_on", "source", "cls", "confidence"]
            everything = gpd.GeoDataFrame(
                pd.concat([pd.DataFrame(keep[cols]), pd.DataFrame(changed[cols])], ignore_index=True),
                geometry=[*keep.geometry.values, *changed.geometry.values],
                crs="EPSG:4326",
            )
            tiers = integrate(everything, window_days=window_days)
            fresh = changed[
                changed["patch_id"].astype(str).isin(set(f.loc[f["_status"] == "new", "patch_id"]))
            ]
            dl = deadlines or Deadlines()
            opened = [
                PatchCase.open(str(p), pd.Timestamp(d).date(), dl)
                for p, d in zip(fresh["patch_id"], fresh["detected_on"], strict=True)
            ]
            cases = pd.DataFrame(
                {
                    "patch_id": [c.patch_id for c in opened],
                    "state": [c.state for c in opened],
                    "since": [c.since for c in opened],
                    "due": [c.due for c in opened],
                }
            )
            st.write_patches(
                res,
                changed,
                tiers,
                parts[parts["patch_id"].astype(str).isin(ids)],
                dec[dec["patch_id"].astype(str).isin(ids)],
                cases,
            )
            return res

    def advance_patch(
        self,
        patch_id: str,
        event: str,
        on: dt.date,
        evidence: str | None = None,
        *,
        actor: str | None = None,
        deadlines: Deadlines | None = None,
    ) -> PatchCase:
        """Move a patch's case by ``event`` on ``on`` (evidence for a verification); the
        new state and the event are stored together. NotFound for an unknown patch,
        Conflict (worded) for a move the state does not allow."""
        with self.session.writer() as w:
            st = SpatialStore(w.catalog)
            got = st.case(patch_id)
            if got is None:
                raise NotFound.worded("ecology.wire.no_patch", patch=patch_id)
            state, since, due = got
            case = PatchCase(patch_id, state, since, due)
            moved = advance(case, event, on, evidence=evidence, deadlines=deadlines or Deadlines())
            st.write_event(patch_id, moved.state, moved.since, moved.due, event, evidence, actor)
            return moved

    def apply_events(
        self, path: str | Path, *, lang: str = "en", deadlines: Deadlines | None = None
    ) -> EventsResult:
        """The lifecycle steps of a file, after those already stored (idempotent; a file
        with any problem is refused whole): :mod:`ecoplan.ecology.spatial_events`."""
        return apply_events(self.session, path, lang=lang, deadlines=deadlines)

    # -- reads -------------------------------------------------------------------
    def layers(self) -> pd.DataFrame:
        """Stored layer versions: id, valid from, kind, file, features, km²."""
        return self.spatial.layers()

    def versions(self, layer_id: str) -> pd.DataFrame:
        """The versions of one layer (NotFound when none)."""
        df = self.spatial.layers(layer_id)
        if df.empty:
            raise NotFound.worded("ecology.wire.no_layer", layer=layer_id)
        return df

    def layer_features(self, layer_id: str, valid_from: dt.date | None = None) -> gpd.GeoDataFrame:
        """The features of a layer version (the latest when ``valid_from`` is None)."""
        vs = self.versions(layer_id)
        day = valid_from or pd.Timestamp(str(vs["valid_from"].iat[-1])).date()
        f = self.spatial.features(layer_id, day)
        if f.empty:
            raise NotFound.worded("ecology.wire.no_version", layer=layer_id, valid_from=day.isoformat())
        return f

    def layer_geojson(self, layer_id: str, valid_from: dt.date | None = None) -> dict[str, Any]:
        f = self.layer_features(layer_id, valid_from)
        f["valid_from"] = f["valid_from"].astype(str)
        return geojson(f)

    def patches(
        self,
        *,
        reserve: str | None = None,
        state: str | None = None,
        cls: str | None = None,
        today: dt.date | None = None,
    ) -> gpd.GeoDataFrame:
        """Stored patches with their decision (layer, reserve, zone, priority, km² inside)
        and case (state, since, due, ``overdue`` on ``today``)."""
        st = self.spatial
        p = st.patches()
        dec = st.decisions().drop(columns=["patch_km2"]).rename(columns={"valid_from": "layer_valid_from"})
        out = p.merge(dec, on="patch_id", how="left").merge(st.cases(), on="patch_id", how="left")
        day = pd.Timestamp(today or dt.date.today())
        due = pd.to_datetime(out["due"])
        out["overdue"] = (out["state"] != "closed") & due.notna() & (due < day)
        if reserve is not None:
            out = out[out["reserve_id"] == reserve]
        if state is not None:
            out = out[out["state"] == state]
        if cls is not None:
            out = out[out["cls"] == cls]
        return gpd.GeoDataFrame(out.reset_index(drop=True), geometry="geometry", crs="EPSG:4326")

    def patch_events(self, patch_id: str) -> pd.DataFrame:
        return self.spatial.events(patch_id)

    def patches_geojson(self, **filters: Any) -> dict[str, Any]:
        p = self.patches(**filters)
        for c in ("detected_on", "since", "due", "layer_valid_from"):
            p[c] = p[c].astype(str).where(p[c].notna(), None)
        p["zones"] = [list(z) if isinstance(z, tuple) else [] for z in p["zones"]]
        return geojson(p)

    def latest_features(self) -> gpd.GeoDataFrame:
        """The features of the latest version of every layer (with ``layer_id``, ``kind``)."""
        f = self.spatial.features()
        if f.empty:
            return f
        latest = f.groupby("layer_id")["valid_from"].transform("max")
        return gpd.GeoDataFrame(
            f[f["valid_from"] == latest].reset_index(drop=True), geometry="geometry", crs="EPSG:4326"
        )

    def _areas(self) -> pd.Series:
        """km² per reserve, of the latest version of each layer."""
        f = self.latest_features()
        if f.empty:
            return pd.Series(dtype="float64")
        return pd.Series(f.groupby("reserve_id")["area_km2"].sum(), dtype="float64")

    def patch_stats(
        self,
        *,
        by: Sequence[str] = ("reserve_id", "zone"),
        period: str | None = "quarter",
        since: dt.date | None = None,
    ) -> pd.DataFrame:
        """Count, area (ha) and count per 10,000 ha per ``by`` and period; with ``since``
        the "new since" comparison per reserve instead."""
        st = self.spatial
        p = st.patches()
        dec = st.decisions()
        if since is not None:
            return new_since(dec, p, self._areas(), since)
        return summarise(dec, p, self._areas(), by=by, period=period)

    def redline(self, region: str, *, lang: str = "en", tolerance_km2: float = 0.01) -> dict[str, Any]:
        """The red-line report of ``region`` (and the regions it holds): area per red-line
        layer version, consecutive comparisons with flagged losses (region, km² lost),
        zoning changes of protected areas there (性质不改变), patches inside by class."""
        st = self.spatial
        versions = st.versions()
        parts = st.parts()
        patches = st.patches()
        out: dict[str, Any] = {"region": region, "layers": [], "zoning": [], "messages": []}
        by_layer: dict[str, list[Layer]] = {}
        for v in versions:
            by_layer.setdefault(v.layer_id, []).append(v)
        found = False
        for lid, vs in sorted(by_layer.items()):
            if vs[0].kind == "redline":
                latest = max(vs, key=lambda v: v.valid_from)
                mine = parts[
                    (parts["layer_id"] == lid)
                    & (pd.to_datetime(parts["valid_from"]).dt.date == latest.valid_from)
                ]
                rep = region_report(vs, mine, patches, tolerance_km2=tolerance_km2)
                for code, entry in sorted(rep.items()):
                    if not in_region(code, region):
                        continue
                    changes = pd.DataFrame(entry["changes"])
                    msgs = loss_messages(changes, lang) if len(changes) else []
                    out["messages"].extend(msgs)
                    out["layers"].append(
                        {
                            "layer_id": lid,
                            "region": code,
                            "areas": entry["areas"],
                            "changes": [
                                {k: (bool(v) if k == "flagged" else v) for k, v in c.items()}
                                for c in entry["changes"]
                            ],
                            "patches": entry["patches"],
                        }
                    )
            elif vs[0].kind == "protected_area":
                found = found or any(in_region(g, region) for v in vs for g in v.features["region"])
                ordered = sorted(vs, key=lambda v: v.valid_from)
                for old, new in itertools.pairwise(ordered):
                    here = {
                        str(r)
                        for lay in (old, new)
                        for r, g in zip(lay.features["reserve_id"], lay.features["region"], strict=True)
                        if in_region(g, region)
                    }
                    ch = zoning_changes(old, new)
                    ch = ch[ch["reserve_id"].astype(str).isin(here)]
                    out["messages"].extend(zoning_messages(ch, lang))
                    for r in ch.to_dict("records"):
                        out["zoning"].append(
                            {
                                "layer_id": lid,
                                "before": old.valid_from.isoformat(),
                                "after": new.valid_from.isoformat(),
                                "reserve_id": str(r["reserve_id"]),
                                "zone_from": r["zone_from"],
                                "zone_to": r["zone_to"],
                                "area_km2": float(r["area_km2"]),
                                "downgraded": bool(r["downgraded"]),
                            }
                        )
        if not out["layers"] and not found:
            raise NotFound.worded("ecology.wire.no_redline", region=region)
        return out

    def spatial_feed(self, years: Sequence[int] | None = None, *, today: dt.date | None = None) -> FeedResult:
        """Write ``eco.redline_area_kept`` and ``eco.patches_closed_on_time`` into every
        stored plan declaring them (source ``pipeline ecology``; a value from another
        source is left in force): a :class:`~ecoplan.ecology.service.FeedResult`."""
        from ecoplan.ecology.service import FeedResult
        from ecoplan.ecology.spatial_feed import spatial_rows

        with self.session.writer() as w:
            rows, skipped = spatial_rows(w.catalog, SpatialStore(w.catalog), years, today)
            result = w.catalog.add_values(rows, actor="ecoplan ecology", origin=SOURCE)
        return FeedResult(result, rows, skipped)

    def spatial_imports(self) -> pd.DataFrame:
        return self.spatial.imports()

    @staticmethod
    def events() -> tuple[str, ...]:
        return tuple(EVENTS)
