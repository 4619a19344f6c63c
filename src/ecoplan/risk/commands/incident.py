"""``ecoplan risk plume`` (the screening plume at one downwind distance) and ``ecoplan risk
incident FILE`` (grade, reporting deadlines, threat zones, targets inside, intakes
downstream). Both are calculators: they read files, not the store, except ``incident
--registry`` (the registry's targets) and ``incident --record`` (the incident stored with
its result and reporting clocks: ``ep.risk.record_incident``; see :mod:`.record`).

The JSON contracts are in ``docs/risk-incidents.md``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import Words, has
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, say, words
from ecoplan.risk import incidents
from ecoplan.risk.commands.record import print_clocks
from ecoplan.risk.standards import plume

__all__ = ["clause_text", "load_items", "plume_result", "register", "risk_incident", "risk_plume"]


class OutFmt(StrEnum):
    json = "json"
    text = "text"


_ROMAN = {"IV": "Ⅳ", "III": "Ⅲ", "II": "Ⅱ", "I": "Ⅰ"}


def clause_text(clause: str, lang: str) -> str:
    """An annex clause as the text writes it: ``II.6`` → ``Ⅱ.6`` (``art4`` → 第四条 / Art. 4)."""
    if clause == "art4":
        return "第四条" if lang == "zh" else "Art. 4"
    head, _, rest = clause.partition(".")
    return _ROMAN.get(head, head) + (f".{rest}" if rest else "")


def _g(v: float) -> str:
    return f"{v:.4g}"


def plume_result(
    rate: float, wind: float, stability: str, height: float, x: float, lang: str = "en"
) -> dict[str, Any]:
    """The contract's JSON object of ``ecoplan risk plume``."""
    p = plume.centreline(rate, wind, stability, height, x)
    codes = [*plume.WARNINGS, *(["near_x"] if p.near_field else []), *(["far_x"] if p.far_field else [])]
    w = words(lang)
    return {
        "rate_g_s": rate,
        "wind_m_s": wind,
        "stability": stability.upper(),
        "height_m": height,
        "model": "gaussian-plume/briggs-rural-1973",
        **p.to_dict(),
        "warnings": codes,
        "warnings_text": [w(f"risk.plume.warning.{c}") for c in codes],
    }


def load_items(path: Path, key: str) -> list[Mapping[str, Any]]:
    """Rows from a YAML/JSON/GeoJSON file (a list, ``{key: [...]}`` or a FeatureCollection)
    or a CSV file (a header row: id, name, kind, lon, lat)."""
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                return list(csv.DictReader(f))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as exc:
        raise EcoplanError.worded(
            "risk.incident.error.read", file=path.name, detail=type(exc).__name__
        ) from None
    if isinstance(data, Mapping):
        data = data.get("features", data.get(key, []))
    if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
        raise EcoplanError.worded("risk.incident.error.geometry", file=path.name, field=key)
    return data


def _print_incident(res: dict[str, Any], w: Words, lang: str) -> None:
    g = res["grade"]
    say(w("risk.incident.cli.grade", grade=w(f"risk.incident.grade.{g['grade'].lower()}"),
          reporting=w(f"risk.incident.grade.{g['reporting_grade'].lower()}")))  # fmt: skip
    for gr in g["grounds"]:
        say(w("risk.incident.cli.ground", clause=clause_text(gr["clause"], lang),
              text=w(f"risk.incident.ground.{gr['code']}", **gr["params"])))  # fmt: skip
    sep = w("cli.list_sep")
    for d in res["deadlines"]:
        say(
            w(
                "risk.incident.cli.deadline",
                by=w(f"risk.incident.party.{d['by']}"),
                to=sep.join(w(f"risk.incident.party.{t}") for t in d["to"]),
                due=d["due"].replace("T", " "),
                hours=d["hours"],
                after=w(f"risk.incident.after.{d['after']}"),
            )
        )
    names = {t["id"]: t for t in res["targets"]}
    for z in res["zones"]:
        level = w(f"risk.plume.level.{z['level']}")
        if z["distance_m"] is None:
            say(w("risk.incident.cli.zone_none", level=level, loc=_g(z["loc_mg_m3"])))
            continue
        say(w("risk.incident.cli.zone", level=level, loc=_g(z["loc_mg_m3"]),
              distance=round(z["distance_m"]), count=len(z["targets"])))  # fmt: skip
        for tid in z["targets"]:
            t = names[tid]
            if t["zone"] == z["level"]:
                say(w("risk.incident.cli.target", name=t["name"], kind=_kind(t["kind"], w),
                      distance=round(t["distance_m"]), c=_g(t["c_mg_m3"])))  # fmt: skip
    for i in res["intakes_downstream"]:
        say(
            w(
                "risk.incident.cli.intake",
                name=i["name"],
                river=i["river"],
                distance=round(i["along_river_m"]),
            )
        )
    if not res["intakes_downstream"]:
        say(w("risk.incident.cli.no_intake", km=res["downstream_km"]))
    for h in res["art4_hints"]:
        say(w("risk.incident.cli.art4_hint", text=w(f"risk.incident.art4.{h}")))
    for c in res["warnings"]:
        say(w("risk.plume.cli.note", text=w(f"risk.plume.warning.{c}")))


def _kind(kind: str, w: Words) -> str:
    key = f"risk.incident.kind.{kind}"
    return w(key) if has(key) else kind


def risk_plume(
    rate: Annotated[float, typer.Option("--rate", help="Release rate, g/s")],
    wind: Annotated[float, typer.Option("--wind", help="Wind speed, m/s")],
    stability: Annotated[str, typer.Option("--stability", help="Pasquill-Gifford class A..F")],
    x: Annotated[float, typer.Option("--x", help="Downwind distance, m")],
    height: Annotated[float, typer.Option("--height", help="Release height, m")] = 0.0,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """Screening Gaussian plume: centreline concentration at x (Briggs open-country σ). / 高斯烟羽筛查"""
    w = words(lang)
    for option, value in (("--rate", rate), ("--wind", wind), ("--x", x)):
        if not (math.isfinite(value) and value > 0):
            _fail(w("risk.plume.cli.positive", option=option, value=value), lang)
    if not (math.isfinite(height) and height >= 0):
        _fail(w("risk.plume.cli.not_negative", option="--height", value=height), lang)
    if stability.strip().upper() not in plume.STABILITIES:
        _fail(w("risk.plume.cli.bad_stability", value=repr(stability)), lang)
    res = plume_result(rate, wind, stability.strip(), height, x, lang)
    if fmt is OutFmt.json:
        _dump_json(res)
        return
    say(
        w(
            "risk.plume.cli.result",
            x=_g(x),
            c_mg=_g(res["c_mg_m3"]),
            c_g=_g(res["c_g_m3"]),
            sy=_g(res["sigma_y_m"]),
            sz=_g(res["sigma_z_m"]),
            stability=res["stability"],
        )
    )
    for t in res["warnings_text"]:
        say(w("risk.plume.cli.note", text=t))


def risk_incident(
    file: Annotated[Path, typer.Argument(help="Incident YAML (docs/risk-incidents.md)")],
    targets: Annotated[
        Path | None, typer.Option("--targets", help="Sensitive targets: YAML/JSON/GeoJSON/CSV")
    ] = None,
    rivers: Annotated[
        Path | None, typer.Option("--rivers", help="River reaches in flow order: YAML/JSON/GeoJSON")
    ] = None,
    downstream_km: Annotated[
        float, typer.Option("--downstream-km", help="How far downstream to look for intakes")
    ] = incidents.DOWNSTREAM_KM,
    registry: Annotated[
        bool, typer.Option("--registry", help="Add the risk registry's targets and river reaches (--db)")
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record", help="Store the incident and start its reporting clocks (--db; registry targets)"
        ),
    ] = False,
    region: Annotated[
        str | None, typer.Option("--region", help="With --record: the incident's region code (GB/T 2260)")
    ] = None,
    db: DbOpt = None,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.text,
    lang: LangOpt = "zh",
) -> None:
    """An incident: grade, reporting deadlines, threat zones, targets inside. / 突发环境事件辅助决策"""
    try:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise EcoplanError.worded(
                "risk.incident.error.read", file=file.name, detail=type(exc).__name__
            ) from None
        inc = incidents.incident_from_mapping(data, file.name)
        extra_t = incidents.targets_from(load_items(targets, "targets"), targets.name) if targets else []
        extra_r = incidents.rivers_from(load_items(rivers, "rivers"), rivers.name) if rivers else []
        if not downstream_km >= 0:
            raise EcoplanError.worded(
                "risk.incident.error.number", file="--downstream-km", field="-", value=repr(downstream_km)
            )
        stored: dict[str, Any] = {}
        if record:  # the file's own targets and rivers, the registry's targets and these
            with _session(db, lang) as ep:
                stored = ep.risk.record_incident(
                    data, file=file.name, region=region, targets=extra_t, rivers=extra_r,
                    downstream_km=downstream_km,
                )  # fmt: skip
            res = stored["result"]
        else:
            tg = incidents.targets_from(list(data.get("targets") or []), file.name) + extra_t
            rv = incidents.rivers_from(list(data.get("rivers") or []), file.name) + extra_r
            if registry:  # the registry's targets and river reaches
                with _session(db, lang) as ep:
                    tg += incidents.registry_targets(ep)
                    rv += incidents.rivers_from(ep.risk.rivers(), "risk_rivers")
            res = incidents.assess(inc, tg, rv, downstream_km=downstream_km)
    except EcoplanError as exc:
        _fail(exc, lang)
    except ValueError as exc:
        _fail(words(lang)("risk.plume.cli.bad_input", detail=str(exc)), lang)
    if record:
        if fmt is OutFmt.json:
            _dump_json(stored)
            return
        w = words(lang)
        _print_incident(res, w, lang)
        say(w("risk.incident.cli.recorded" if stored["recorded"] else "risk.incident.cli.already",
              id=stored["incident_id"]))  # fmt: skip
        print_clocks(stored, w)
        return
    if fmt is OutFmt.json:
        _dump_json(res)
        return
    _print_incident(res, words(lang), lang)


def register(app: typer.Typer) -> None:
    """Add ``plume`` and ``incident`` to the ``ecoplan risk`` group."""
    app.command("plume")(risk_plume)
    app.command("incident")(risk_incident)
