"""``ecoplan water class``: the GB 3838—2002 class of one sample, or of every sample of a file.

A sample is the values of one station at one time. Its class is the single-factor class
(GB 3838—2002 §5.1; 环办〔2011〕22号 §二(一)1) over the 21 evaluation items of the 2011
method present; 总氮 (lakes) and 粪大肠菌群 are reference items, classed beside it
(``reference``); the main pollutants follow §二(一)3 (at most three items worse than Ⅲ,
with the exceedance multiple over the Ⅲ limit). ``--rounding cnemc`` first rounds pH,
DO, CODMn, NH3-N, TP half to even as the CNEMC automatic stations print them (spec §2.8;
in a CNEMC snapshot file the printed ``*_disp`` values are used as they are).
The JSON and CSV contract is in ``docs/json.md`` ("ecoplan water class").
"""

from __future__ import annotations

import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text
from ecoplan.core.rounding import round_half_even
from ecoplan.core.words import word
from ecoplan.kit.cli import LangOpt, _dump_json, _fail, err, out, say, words
from ecoplan.kit.options import ListFmt
from ecoplan.water.commands.options import water_app
from ecoplan.water.readers import read_cnemc_snapshot, read_long, station_code
from ecoplan.water.readers.parsing import item_key, parse_time, read_tables
from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb

__all__ = ["classify_sample", "water_class"]


class BodyOpt(StrEnum):
    river = "river"
    lake = "lake"


class RoundingOpt(StrEnum):
    none = "none"
    cnemc = "cnemc"


def _opt(flag: str, item: str) -> Any:
    unit = "无量纲" if item == "pH" else ("个/L" if item == "FC" else "mg/L")
    return typer.Option(flag, help=f"{gb.ITEM_ZH[item]} ({unit})")


Val = float | None


def _grade(cls: int | None, lang: str) -> str | None:
    """水质状况 of a class (环办〔2011〕22号 §二(一)2) in ``lang``; ``None`` without a class."""
    return None if cls is None else word(f"water.grade.{ev.GRADE_CODES[cls - 1]}", lang)


def classify_sample(
    sample: dict[str, float], water_body: str = "river", rounding: str = "none", *, rounded: bool = False
) -> dict[str, Any]:
    """The JSON object of one sample (``docs/json.md``). ``rounded``: the values are the
    printed ones already (no further rounding). Raises ``ValueError`` on a negative value
    or a pH outside 0–14."""
    body: gb.WaterBody = "lake" if water_body == "lake" else "river"
    s: dict[str, float | None] = dict(sample)
    if rounding == "cnemc" and not rounded:
        s = ev.round_cnemc(s)
    classes = ev.item_classes(s, body)
    cls = gb.worst_class(classes.values())
    mains = ev.main_pollutants(s, body)
    res: dict[str, Any] = {
        "class": gb.class_label(cls),
        "grade": _grade(cls, "zh"),
        "grade_en": _grade(cls, "en"),
        "main_pollutants": [
            {"item": p.item, "class": gb.class_label(p.cls), "multiple": p.multiple} for p in mains
        ],
        "items": {k: gb.class_label(v) for k, v in classes.items()},
        "reference": {k: gb.class_label(v) for k, v in ev.reference_classes(s, body).items()},
        "values": {k: v for k, v in s.items() if v is not None},
        "water_body": body,
        "rounding": rounding,
        "standard": gb.STANDARD,
    }
    if cls is None:
        res["reason"] = "no_evaluated_item"
    return res


def _mains_text(mains: list[dict[str, Any]], lang: str | None) -> str:
    parts = []
    for p in mains:
        name = p["item"] if lang is None else words(lang)(f"water.cli.item.{p['item'].lower()}")
        m = ev.format_multiple(p["multiple"])
        parts.append(name + (f"({m})" if m is not None else ""))
    return (";" if lang is None else words(lang)("cli.list_sep")).join(parts)


def _label(cls: int | str | None, lang: str) -> str:
    """A class as ``lang`` shows it (``劣Ⅴ`` / ``worse than Ⅴ``); ``—`` for none."""
    if cls is None:
        return "—"
    n = gb.parse_class(cls) if isinstance(cls, str) else cls
    return words(lang)(f"water.cli.class_label.{n}")


def _print_one(res: dict[str, Any], lang: str) -> None:
    w = words(lang)
    if res["class"] is None:
        say(w("water.cli.no_class"))
    else:
        say(
            w(
                "water.cli.class_line",
                cls=_label(res["class"], lang),
                grade=_grade(gb.parse_class(res["class"]), lang),
            )
        )
        if res["main_pollutants"]:
            say(w("water.cli.main_pollutants", items=_mains_text(res["main_pollutants"], lang)))
    body = w(f"water.cli.water_body.{res['water_body']}")
    say(
        w(
            "water.cli.basis",
            standard=res["standard"],
            body=body,
            rounding=w(f"water.cli.rounding.{res['rounding']}"),
        )
    )
    t = Table(w("water.cli.header.item"), w("water.cli.header.value"), w("water.cli.header.class"))
    for item, v in res["values"].items():
        cls = res["items"].get(item) or res["reference"].get(item)
        note = f"  {w('water.cli.reference')}" if item in res["reference"] else ""
        t.add_row(w(f"water.cli.item.{item.lower()}"), f"{v:g}", _label(cls, lang) + note)
    out.print(t)


def _detect(path: Path, lang: str) -> tuple[str, list[Any]]:
    tables = read_tables(path)
    lower = {h.lower() for h in tables[0].header}
    if {"province", "basin", "station", "monitor_time"} <= lower:
        return "cnemc-snapshot", tables
    if {"station", "time", "item", "value", "unit"} <= lower:
        return "long", tables
    raise EcoplanError(
        words(lang)("water.cli.unknown_file", file=str(path), columns="station, time, item, value, unit")
    )


def _samples(
    path: Path, fmt: str, body: str | None, rounding: str
) -> tuple[dict[Any, dict[str, Any]], pd.DataFrame]:
    batch = read_cnemc_snapshot(path) if fmt == "cnemc-snapshot" else read_long(path)
    s = batch.samples[batch.samples["item"].isin(gb.ITEMS)]
    use_published = rounding == "cnemc" and fmt == "cnemc-snapshot"
    values = [
        float(pv) if use_published and not math.isnan(pv)
        else (_round(item, v) if rounding == "cnemc" else float(v))
        for item, v, pv in zip(s["item"], s["value"], s["published"], strict=True)
    ]  # fmt: skip
    s = s.assign(v=values)
    bodies = dict(zip(batch.stations["code"], batch.stations["water_body"], strict=True))
    names = dict(zip(batch.stations["code"], batch.stations["name"], strict=True))
    pc = batch.published_class
    pub = {
        (str(a), pd.Timestamp(b)): int(c)
        for a, b, c in zip(pc["station"], pc["time"], pc["published_class"], strict=True)
    }
    results: dict[Any, dict[str, Any]] = {}
    for (st, tm), g in s.groupby(["station", "time"], sort=True):
        sample = dict(zip(g["item"], g["v"].astype(float), strict=True))
        wb = body or bodies.get(st, "river")
        res = classify_sample(sample, wb, rounding, rounded=True)
        key = (str(st), pd.Timestamp(str(tm)))
        if key in pub:
            res["published_class"] = gb.class_label(pub[key])
        results[key] = {"station": key[0], "name": names.get(key[0]), "time": key[1].isoformat(), **res}
    return results, batch.rejects


def _row_keys(fmt: str, t: Any) -> list[tuple[str, pd.Timestamp | None]]:
    cols = {h.lower(): i for i, h in enumerate(t.header)}
    cells = t.cells
    if fmt == "cnemc-snapshot":
        return [
            (station_code(p, b, s), parse_time(tm))
            for p, b, s, tm in zip(
                cells[cols["province"]], cells[cols["basin"]], cells[cols["station"]],
                cells[cols["monitor_time"]], strict=True,
            )
        ]  # fmt: skip
    return [
        (str(s).strip(), parse_time(tm))
        for s, tm in zip(cells[cols["station"]], cells[cols["time"]], strict=True)
    ]


def _file(path: Path, body: str | None, rounding: str, fmt: ListFmt, lang: str) -> None:
    kind, tables = _detect(path, lang)
    results, rejects = _samples(path, kind, body, rounding)
    rejected = len(rejects)
    w = words(lang)
    if fmt is ListFmt.csv:
        frames = []
        for t in tables:
            keys = _row_keys(kind, t)
            df = pd.DataFrame(t.cells.to_numpy(), columns=t.header)
            got = [results.get(k, {}) for k in keys]
            df["class"] = [r.get("class") for r in got]
            df["grade"] = [r.get("grade" if lang == "zh" else "grade_en") for r in got]
            df["main_pollutants"] = [_mains_text(r.get("main_pollutants", []), None) for r in got]
            df["water_body"] = [r.get("water_body") for r in got]
            df["reason"] = [r.get("reason", "no_evaluated_item" if not r else None) for r in got]
            if kind == "long":
                cols = {h.lower(): h for h in t.header}
                df["item_class"] = [
                    r.get("items", {}).get(it) or r.get("reference", {}).get(it)
                    for r, it in zip(got, (_item(x) for x in df[cols["item"]]), strict=True)
                ]
            frames.append(df)
        sys.stdout.write(csv_text(pd.concat(frames, ignore_index=True)))
    elif fmt is ListFmt.json:
        _dump_json(list(results.values()))
    else:
        t = Table(*(w(f"water.cli.header.{h}") for h in ("station", "time", "class", "grade", "main")))
        for r in results.values():
            cls = r["class"]
            grade = _grade(gb.parse_class(cls), lang) if cls else w("water.cli.no_item")
            t.add_row(
                r["name"] or r["station"],
                r["time"].replace("T", " ")[:16],
                _label(cls, lang),
                grade,
                _mains_text(r["main_pollutants"], lang),
            )
        out.print(t)
    classed = sum(1 for r in results.values() if r["class"])
    err.print(
        w("water.cli.rows_summary", rows=len(results), classed=classed, rejects=rejected),
        markup=False,
        highlight=False,
    )
    _say_rejects(rejects, lang)


#: How many rejected values ``water class FILE`` lists on stderr (``water load`` keeps all).
_SHOW_REJECTS = 20


def _say_rejects(rejects: pd.DataFrame, lang: str) -> None:
    """The first rejected values on stderr: file, row, column, value and why."""
    w = words(lang)
    for r in rejects.head(_SHOW_REJECTS).itertuples(index=False):
        cell = {"item": r.item, "time": r.time, "station": r.station}.get(str(r.field), r.value)
        line = w(
            "water.cli.reject_line",
            file=r.file,
            row=r.row,
            field=r.field,
            value=cell,
            reason=w(f"water.reason.{r.reason}"),
        )
        err.print(line, markup=False, highlight=False)
    if len(rejects) > _SHOW_REJECTS:
        err.print(
            w("water.cli.more_rejects", count=len(rejects) - _SHOW_REJECTS), markup=False, highlight=False
        )


def _round(item: str, v: float) -> float:
    digits = ev.CNEMC_AUTOSTATION_DIGITS.get(item)
    r = v if digits is None else round_half_even(v, digits)
    return float("nan") if r is None else r


def _item(text: str) -> str | None:
    k = item_key(text)
    return None if k is None else k[0]


@water_app.command("class")
def water_class(
    file: Annotated[Path | None, typer.Argument(help="CSV/XLSX: CNEMC snapshot or long format")] = None,
    water_type: Annotated[BodyOpt | None, typer.Option("--type", help="river or lake (湖、库)")] = None,
    ph: Annotated[Val, _opt("--ph", "pH")] = None,
    do: Annotated[Val, _opt("--do", "DO")] = None,
    codmn: Annotated[Val, _opt("--codmn", "CODMn")] = None,
    cod: Annotated[Val, _opt("--cod", "COD")] = None,
    bod5: Annotated[Val, _opt("--bod5", "BOD5")] = None,
    nh3n: Annotated[Val, _opt("--nh3n", "NH3N")] = None,
    tp: Annotated[Val, _opt("--tp", "TP")] = None,
    tn: Annotated[Val, _opt("--tn", "TN")] = None,
    cu: Annotated[Val, _opt("--cu", "Cu")] = None,
    zn: Annotated[Val, _opt("--zn", "Zn")] = None,
    f: Annotated[Val, _opt("--f", "F")] = None,
    se: Annotated[Val, _opt("--se", "Se")] = None,
    as_: Annotated[Val, _opt("--as", "As")] = None,
    hg: Annotated[Val, _opt("--hg", "Hg")] = None,
    cd: Annotated[Val, _opt("--cd", "Cd")] = None,
    cr6: Annotated[Val, _opt("--cr6", "Cr6")] = None,
    pb: Annotated[Val, _opt("--pb", "Pb")] = None,
    cn: Annotated[Val, _opt("--cn", "CN")] = None,
    phenol: Annotated[Val, _opt("--phenol", "Phenol")] = None,
    oil: Annotated[Val, _opt("--oil", "Oil")] = None,
    las: Annotated[Val, _opt("--las", "LAS")] = None,
    s: Annotated[Val, _opt("--s", "S")] = None,
    fc: Annotated[Val, _opt("--fc", "FC")] = None,
    rounding: Annotated[RoundingOpt, typer.Option("--rounding", help="none or cnemc")] = RoundingOpt.none,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """GB 3838—2002 class of a sample (mg/L) or of every sample of a file. / 地表水水质类别"""
    given = {
        "pH": ph, "DO": do, "CODMn": codmn, "COD": cod, "BOD5": bod5, "NH3N": nh3n, "TP": tp,
        "TN": tn, "Cu": cu, "Zn": zn, "F": f, "Se": se, "As": as_, "Hg": hg, "Cd": cd, "Cr6": cr6,
        "Pb": pb, "CN": cn, "Phenol": phenol, "Oil": oil, "LAS": las, "S": s, "FC": fc,
    }  # fmt: skip
    sample = {k: v for k, v in given.items() if v is not None and not math.isnan(v)}
    body = water_type.value if water_type else None
    try:
        if file is not None:
            if sample:
                raise ValueError(words(lang)("water.cli.options_and_file"))
            _file(file, body, rounding.value, fmt, lang)
            return
        res = classify_sample(sample, body or "river", rounding.value)
    except (ValueError, EcoplanError) as exc:
        _fail(exc, lang)
    if fmt is ListFmt.json:
        _dump_json(res)
    elif fmt is ListFmt.csv:
        grade = res["grade" if lang == "zh" else "grade_en"]
        row = {**{k: v for k, v in res["values"].items()}, "class": res["class"], "grade": grade,
               "main_pollutants": _mains_text(res["main_pollutants"], None), "water_body": res["water_body"],
               "reason": res.get("reason")}  # fmt: skip
        sys.stdout.write(csv_text(pd.DataFrame([row])))
    else:
        _print_one(res, lang)
