"""``ecoplan ecology layers import|list``, ``ecoplan ecology patches import|list|advance|stats``
and ``ecoplan ecology redline REGION``: the stored red lines, protected areas and
human-activity patches (:mod:`ecoplan.ecology.spatial_ops`)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table as RichTable

from ecoplan.ecology.commands._common import records, say_feed
from ecoplan.ecology.commands.options import FmtOpt, OutFmt, ecology_app
from ecoplan.ecology.spatial.lifecycle import EVENTS, STATES
from ecoplan.ecology.spatial.stats import PERIODS
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, out, say, words
from ecoplan.kit.options import fetched

__all__ = ["layers_app", "patches_app"]

layers_app = typer.Typer(
    no_args_is_help=True, help="Red-line, protected-area and function-zone layers / 图层"
)
patches_app = typer.Typer(no_args_is_help=True, help="Human-activity patches and their cases / 人类活动图斑")
ecology_app.add_typer(layers_app, name="layers")
ecology_app.add_typer(patches_app, name="patches")

DateOpt = Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"])]


class Kind(StrEnum):
    redline = "redline"
    protected = "protected"
    function = "function"


class ListFmt(StrEnum):
    table = "table"
    json = "json"
    geojson = "geojson"


def _notes(res: Any, lang: str) -> None:
    w = words(lang)
    for n in res.notes[:20]:
        say(w("ecology.wire.note", text=n.message(lang)))


@layers_app.command("import")
def layers_import(
    file: Annotated[Path, typer.Argument(help="GeoJSON, Shapefile or GeoPackage")],
    kind: Annotated[Kind, typer.Option("--kind", help="redline | protected | function")],
    layer_id: Annotated[str, typer.Option("--layer", help="Layer id (versions share it)")],
    valid_from: Annotated[dt.datetime, typer.Option("--valid-from", formats=["%Y-%m-%d"], help="YYYY-MM-DD")],
    gpkg_layer: Annotated[str | None, typer.Option("--gpkg-layer", help="GeoPackage layer")] = None,
    invalid: Annotated[str, typer.Option("--invalid", help="repair | reject")] = "repair",
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Import one layer version (all or nothing; the same version again writes nothing). / 导入图层"""
    res = fetched(
        lambda ep: ep.ecology.import_layer(
            file, kind.value, layer_id, valid_from.date(), invalid=invalid, layer=gpkg_layer
        ),
        db,
        lang,
    )
    if fmt is OutFmt.json:
        _dump_json(res.to_dict())
        return
    say(
        words(lang)(
            "ecology.wire.layer_imported", target=res.target, new=res.rows_new, same=res.rows_unchanged
        )
    )
    _notes(res, lang)


@layers_app.command("list")
def layers_list(
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Stored layer versions. / 图层版本"""
    df = fetched(lambda ep: ep.ecology.layers(), db, lang)
    if fmt is OutFmt.json:
        _dump_json(records(df))
        return
    w = words(lang)
    if df.empty:
        say(w("ecology.wire.no_layers"))
        return
    t = RichTable(*(w(f"ecology.wire.col.{k}") for k in ("layer", "valid_from", "kind", "features", "area")))
    for r in df.itertuples(index=False):
        t.add_row(
            str(r.layer_id),
            pd.Timestamp(r.valid_from).date().isoformat(),
            w(f"ecology.spatial.kind.{r.kind}"),
            str(r.features),
            f"{r.area_km2:,.2f}",
        )
    out.print(t)


@patches_app.command("import")
def patches_import(
    file: Annotated[Path, typer.Argument(help="GeoJSON, Shapefile or GeoPackage of detected patches")],
    gpkg_layer: Annotated[str | None, typer.Option("--gpkg-layer", help="GeoPackage layer")] = None,
    window_days: Annotated[
        int | None, typer.Option("--window-days", help="Agreeing detections at most this many days apart")
    ] = None,
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Import patches: overlaid with the layers in force, a case opened each (all or nothing). / 导入图斑"""
    res = fetched(
        lambda ep: ep.ecology.import_patches(file, layer=gpkg_layer, window_days=window_days), db, lang
    )
    if fmt is OutFmt.json:
        _dump_json(res.to_dict())
        return
    w = words(lang)
    say(
        w(
            "ecology.wire.patches_imported",
            new=res.rows_new,
            revised=res.rows_revised,
            same=res.rows_unchanged,
        )
    )
    _notes(res, lang)


@patches_app.command("list")
def patches_list(
    reserve: Annotated[str | None, typer.Option(help="Reserve or red-line id")] = None,
    state: Annotated[str | None, typer.Option(help="Case state: " + ", ".join(STATES))] = None,
    db: DbOpt = None,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Patches with the zone that decides their priority and their case state. / 图斑清单"""
    if fmt is ListFmt.geojson:
        _dump_json(fetched(lambda ep: ep.ecology.patches_geojson(reserve=reserve, state=state), db, lang))
        return
    df = fetched(lambda ep: ep.ecology.patches(reserve=reserve, state=state), db, lang)
    if fmt is ListFmt.json:
        _dump_json(records(pd.DataFrame(df.drop(columns="geometry"))))
        return
    w = words(lang)
    if df.empty:
        say(w("ecology.wire.no_patches"))
        return
    keys = ("patch", "detected", "class", "reserve", "zone", "priority", "confidence", "state", "due")
    t = RichTable(*(w(f"ecology.wire.col.{k}") for k in keys))
    for r in df.itertuples(index=False):
        inside = isinstance(r.zone, str)
        due = r.due.isoformat() if r.due is not None else "—"
        t.add_row(
            str(r.patch_id),
            r.detected_on.isoformat(),
            w(f"ecology.spatial.class.{r.cls}"),
            str(r.reserve_id) if inside else w("ecology.wire.outside"),
            w(f"ecology.spatial.zone.{r.zone}") if inside else "—",
            str(int(r.priority)) if inside else "—",
            w(f"ecology.spatial.confidence.{r.integrated}"),
            w(f"ecology.spatial.state.{r.state}"),
            f"{due} {w('ecology.wire.overdue')}" if r.overdue else due,
        )
    out.print(t)


@patches_app.command("advance")
def patches_advance(
    patch: Annotated[str, typer.Argument(help="Patch id")],
    event: Annotated[str, typer.Argument(help=" | ".join(EVENTS))],
    on: Annotated[dt.datetime, typer.Option("--on", formats=["%Y-%m-%d"], help="Date of the step")],
    evidence: Annotated[
        str | None, typer.Option("--evidence", help="Photo, record or document reference")
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor")] = None,
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Move a patch's case: assign, verify_legal|verify_illegal|verify_false, rectify, close. / 推进核查"""
    case = fetched(
        lambda ep: ep.ecology.advance_patch(patch, event, on.date(), evidence, actor=actor), db, lang
    )
    due = case.due.isoformat() if case.due else "—"
    if fmt is OutFmt.json:
        _dump_json(
            {"patch_id": case.patch_id, "state": case.state, "since": case.since.isoformat(), "due": due}
        )
        return
    w = words(lang)
    say(w("ecology.wire.advanced", patch=patch, state=w(f"ecology.spatial.state.{case.state}"), due=due))


@patches_app.command("events")
def patches_events(
    file: Annotated[Path, typer.Argument(help="CSV/XLSX: patch_id, event, on[, evidence, actor]")],
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Record many patches' steps from a ledger; steps already stored are skipped. / 批量记录核查步骤"""
    res = fetched(lambda ep: ep.ecology.apply_events(file, lang=lang), db, lang)
    if fmt is OutFmt.json:
        _dump_json(res.to_dict())
        return
    say(
        words(lang)(
            "ecology.demo.events_done",
            rows=res.rows,
            applied=res.applied,
            patches=res.patches,
            same=res.unchanged,
        )
    )


@patches_app.command("stats")
def patches_stats(
    by: Annotated[
        str, typer.Option(help="Comma-separated: reserve_id, zone, cls, integrated, source")
    ] = "reserve_id,zone",
    period: Annotated[str, typer.Option(help="none | " + " | ".join(PERIODS))] = "quarter",
    since: Annotated[
        dt.datetime | None,
        typer.Option("--since", formats=["%Y-%m-%d"], help="New since this date, per reserve"),
    ] = None,
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Counts, areas and counts per 10,000 ha by reserve, zone and period. / 图斑统计"""
    df = fetched(
        lambda ep: ep.ecology.patch_stats(
            by=tuple(k.strip() for k in by.split(",") if k.strip()),
            period=None if period == "none" else period,
            since=since.date() if since else None,
        ),
        db,
        lang,
    )
    if fmt is OutFmt.json or since is not None:
        _dump_json(records(df))
        return
    w = words(lang)
    heads = {
        "reserve_id": "reserve",
        "zone": "zone",
        "cls": "class",
        "integrated": "confidence",
        "period": "period",
    }
    cols = [c for c in df.columns if c in heads]
    t = RichTable(
        *(w(f"ecology.wire.col.{heads[c]}") for c in cols),
        w("ecology.wire.col.count"),
        w("ecology.wire.col.area_ha"),
        *([w("ecology.wire.col.density")] if "per_10k_ha" in df else []),
    )
    for r in df.to_dict("records"):
        cells = [
            w(f"ecology.spatial.zone.{r[c]}")
            if c == "zone"
            else w(f"ecology.spatial.class.{r[c]}")
            if c == "cls"
            else str(r[c])
            for c in cols
        ]
        more = [f"{r['per_10k_ha']:.3f}"] if "per_10k_ha" in r else []
        t.add_row(*cells, str(r["count"]), f"{r['area_ha']:.2f}", *more)
    out.print(t)


@ecology_app.command("redline")
def ecology_redline(
    region: Annotated[str, typer.Argument(help="Region code (6 digits); its sub-regions are included")],
    tolerance: Annotated[
        float, typer.Option("--tolerance-km2", help="Net loss above this is flagged")
    ] = 0.01,
    db: DbOpt = None,
    fmt: FmtOpt = OutFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Red-line report: areas by version, flagged losses, zoning changes, patches by class. / 红线报告"""
    rep = fetched(lambda ep: ep.ecology.redline(region, lang=lang, tolerance_km2=tolerance), db, lang)
    if fmt is OutFmt.json:
        _dump_json(rep)
        return
    w = words(lang)
    say(w("ecology.wire.redline_title", region=region))
    t = RichTable(*(w(f"ecology.wire.col.{k}") for k in ("layer", "region", "version", "area")))
    for e in rep["layers"]:
        for a in e["areas"]:
            t.add_row(e["layer_id"], e["region"], a["version"], f"{a['area_km2']:,.2f}")
    out.print(t)
    flagged = [c for e in rep["layers"] for c in e["changes"] if c["flagged"]]
    downgraded = [z for z in rep["zoning"] if z["downgraded"]]
    for m in rep["messages"]:
        say(m)
    if not flagged:
        say(w("ecology.wire.no_loss"))
    if not downgraded:
        say(w("ecology.wire.no_zoning"))
    p = RichTable(*(w(f"ecology.wire.col.{k}") for k in ("region", "reserve", "class", "count", "area")))
    for e in rep["layers"]:
        for r in e["patches"]:
            p.add_row(
                e["region"],
                str(r["reserve_id"]),
                w(f"ecology.spatial.class.{r['cls']}"),
                str(r["count"]),
                f"{r['area_km2']:.4f}",
            )
    if p.row_count:
        out.print(p)


@ecology_app.command("spatial-feed")
def ecology_spatial_feed(
    year: Annotated[list[int] | None, typer.Option(help="Year(s); default every year of each plan")] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Write red-line area kept and patches closed on time into plans declaring them. / 写入规划指标"""
    fr = fetched(lambda ep: ep.ecology.spatial_feed(year), db, lang)
    say_feed(fr, lang)
