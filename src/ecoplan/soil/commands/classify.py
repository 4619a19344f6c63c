"""``ecoplan soil class``: the GB 15618—2018 class of one sample, or of every row of a file.

The JSON contract is in ``docs/json.md`` ("ecoplan soil class").
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import LangOpt, _dump_json, _fail, words
from ecoplan.soil.commands.options import OutFmt, soil_app
from ecoplan.soil.readers.parsing import Table, column_unit, concentration_factor, key_of
from ecoplan.soil.readers.samples import QIYANG_MAP, VARIABLE_MAP
from ecoplan.soil.standards.gb15618_2018 import BASIC, SoilClass, classify

__all__ = ["soil_class"]

Conc = Annotated[float | None, typer.Option(help="mg/kg")]


def result(c: SoilClass, lang: str) -> dict[str, Any]:
    """The contract's JSON object of one class, with the reason in words."""
    d = c.to_dict()
    d["reason_text"] = None if c.reason is None else words(lang)(f"soil.reason.{c.reason}")
    return d


def _rows(
    path: Path, land_use: str | None, ph: float | None, unit: str, lang: str, **opts: bool
) -> tuple[list[str], list[list[str]], list[dict[str, Any]]]:
    """The file's header, data rows and each row's class (its error as reason_text)."""
    t = Table(path)
    colmap = {**VARIABLE_MAP, **QIYANG_MAP}
    h = t.header(set(colmap))
    head = t.cells[h]
    cols = {i: colmap[key_of(c)] for i, c in enumerate(head) if key_of(c) in colmap}
    urow = next(
        (
            r
            for r in t.cells[max(0, h - 2) : h + 2]
            if r and r[0].lower().rstrip(":：") in ("unit", "units", "单位")
        ),
        None,
    )
    factor: dict[int, float | None] = {}
    for i, canon in cols.items():
        if canon in BASIC:
            u = column_unit(head[i]) or (urow[i] if urow and i < len(urow) and urow[i] else unit)
            factor[i] = concentration_factor(u)
    rows, out = [], []
    for r in t.cells[h + 1 :]:
        if not any(r) or r is urow:
            continue
        rows.append(r)
        vals = {canon: (r[i] if i < len(r) else "") for i, canon in cols.items()}
        try:
            metals: dict[str, float | None] = {}
            for i, canon in cols.items():
                if canon in BASIC and vals[canon].strip().upper() not in ("", "NA", "ND", "-"):
                    f = factor[i]
                    if f is None:
                        raise ValueError(f"{canon}: unit not converted to mg/kg")
                    metals[canon] = float(vals[canon]) * f
            p = vals.get("ph", "")
            pv = float(p) if p.strip() and p.strip().upper() != "NA" else ph
            out.append(
                result(
                    classify(
                        vals.get("land_use") or land_use or "",
                        pv,
                        metals,
                        include_cu_ni_zn=opts.get("include_cu_ni_zn", False),
                        rotation=opts.get("rotation", False),
                    ),
                    lang,
                )
            )
        except ValueError as exc:
            out.append(
                {
                    "category": None,
                    "computable": False,
                    "reason": "invalid",
                    "reason_text": str(exc),
                    "items": {},
                    "screening": {},
                    "intervention": {},
                    "flags": [],
                }
            )
    return head, rows, out


@soil_app.command("class")
def soil_class(
    file: Annotated[Path | None, typer.Argument(help="CSV/XLSX of samples (one per row)")] = None,
    cd: Conc = None,
    hg: Conc = None,
    as_: Annotated[float | None, typer.Option("--as", help="mg/kg")] = None,
    pb: Conc = None,
    cr: Conc = None,
    cu: Conc = None,
    ni: Conc = None,
    zn: Conc = None,
    ph: Annotated[float | None, typer.Option("--ph", help="Soil pH (a file's pH column wins)")] = None,
    land_use: Annotated[
        str | None, typer.Option("--land-use", help="paddy (水田), other (其他) or orchard (果园)")
    ] = None,
    unit: Annotated[
        str, typer.Option("--unit", help="Unit of a file's metal columns that declare none")
    ] = "mg/kg",
    include_cu_ni_zn: Annotated[
        bool, typer.Option("--include-cu-ni-zn", help="Cu, Ni, Zn count in the class (UNCONFIRMED rule)")
    ] = False,
    rotation: Annotated[
        bool, typer.Option("--rotation", help="水旱轮作: the stricter row (UNCONFIRMED rule)")
    ] = False,
    fmt: Annotated[OutFmt, typer.Option("--format")] = OutFmt.json,
    lang: LangOpt = "zh",
) -> None:
    """GB 15618—2018 class of a farmland sample (mg/kg). / 农用地土壤污染风险分类"""
    opts = {"include_cu_ni_zn": include_cu_ni_zn, "rotation": rotation}
    if file is None:
        if land_use is None:
            _fail(
                words(lang)("soil.cli.need_land_use", option="--land-use", choices="paddy | other | orchard"),
                lang,
            )
        given: dict[str, float | None] = {
            "Cd": cd,
            "Hg": hg,
            "As": as_,
            "Pb": pb,
            "Cr": cr,
            "Cu": cu,
            "Ni": ni,
            "Zn": zn,
        }
        try:
            d = result(
                classify(land_use, ph, given, include_cu_ni_zn=include_cu_ni_zn, rotation=rotation), lang
            )
        except ValueError as exc:
            _fail(exc, lang)
        if fmt is OutFmt.json:
            _dump_json(d)
            return
        buf = io.StringIO()
        wr = csv.writer(buf)
        wr.writerow(["category", "reason", *(f"{m}_category" for m in d["items"])])
        wr.writerow([d["category"] or "", d["reason"] or "", *d["items"].values()])
        sys.stdout.write(buf.getvalue())
        return
    try:
        head, rows, res = _rows(file, land_use, ph, unit, lang, **opts)
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is OutFmt.json:
        sys.stdout.write(
            json.dumps([{"row": i + 1, **r} for i, r in enumerate(res)], ensure_ascii=False, indent=2) + "\n"
        )
        return
    present = [m for m in BASIC if any(m in r["items"] for r in res)]
    extra = [
        "soil_category",
        "soil_reason",
        *(f"{m}_{k}" for m in present for k in ("category", "screening", "intervention")),
    ]
    buf = io.StringIO()
    wr = csv.writer(buf)
    wr.writerow([*head, *extra])
    for r, d in zip(rows, res, strict=True):
        cells = [d["category"] or "", d["reason"] or ""]
        for m in present:
            cells += [
                d["items"].get(m, ""),
                d["screening"].get(m, ""),
                d["intervention"].get(m, "") if d["intervention"].get(m) is not None else "",
            ]
        wr.writerow([*r, *[("" if c is None else c) for c in cells]])
    sys.stdout.write(buf.getvalue())
