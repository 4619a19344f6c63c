"""The enterprise file of ``ecoplan risk grade`` (YAML or JSON; format in ``docs/risk.md``).

A mapping with ``name``, ``substances``, ``processes``, ``controls_failed``, ``events``,
``surroundings`` and ``penalised_3y``, read into :class:`~ecoplan.risk.standards.hj941.Enterprise`.
Every error names the file and the field (``substances[2].quantity_t``) and says why.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ecoplan.core.errors import EcoplanError
from ecoplan.risk.standards.hj941 import (
    AppendixRow,
    Enterprise,
    ProcessUnit,
    Rules,
    Substance,
    parse_appendix,
)

__all__ = ["FieldError", "enterprise_from", "read_appendix", "read_enterprise", "read_rules"]


class FieldError(EcoplanError, ValueError):
    """A field of an input file is missing or malformed."""


def _err(code: str, file: str, field: str, **params: object) -> FieldError:
    return FieldError.worded(f"risk.error.{code}", file=file, field=field, **params)


def load_mapping(path: str | Path) -> dict[str, Any]:
    """The file's mapping (YAML is a superset of JSON; ``.json`` read as JSON)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise FieldError.worded("risk.error.file_read", file=str(p), detail=exc.strerror or str(exc)) from exc
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise FieldError.worded(
            "risk.error.file_format", file=str(p), detail=str(exc).splitlines()[0]
        ) from exc
    if not isinstance(data, dict):
        raise _err("field_mapping", str(p), "(top)")
    return data


def _num(v: Any, file: str, field: str, *, required: bool = True) -> float | None:
    if v is None:
        if required:
            raise _err("field_missing", file, field)
        return None
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise _err("field_number", file, field, value=str(v))
    try:
        x = float(v)
    except ValueError:
        raise _err("field_number", file, field, value=str(v)) from None
    if not math.isfinite(x) or x < 0:
        raise _err("field_number", file, field, value=str(v))
    return x


def _text(v: Any, file: str, field: str, *, required: bool = True) -> str:
    if v is None or v == "":
        if required:
            raise _err("field_missing", file, field)
        return ""
    if not isinstance(v, str | int):
        raise _err("field_text", file, field)
    return str(v).strip()


def _bool(v: Any, file: str, field: str) -> bool | None:
    if v is None:
        return None
    if not isinstance(v, bool):
        raise _err("field_bool", file, field, value=str(v))
    return v


def _list(v: Any, file: str, field: str) -> list[Any]:
    if v is None:
        return []
    if not isinstance(v, list):
        raise _err("field_list", file, field)
    return v


def _map(v: Any, file: str, field: str) -> dict[str, Any]:
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise _err("field_mapping", file, field)
    return v


def enterprise_from(data: Mapping[str, Any], file: str) -> Enterprise:
    """An :class:`Enterprise` from the file's mapping (``file`` names it in errors)."""
    subs = []
    for i, s in enumerate(_list(data.get("substances"), file, "substances")):
        f = f"substances[{i}]"
        s = _map(s, file, f)
        frac = _num(s.get("fraction", 1.0), file, f"{f}.fraction")
        if frac is None or not 0 < frac <= 1:
            raise _err("field_fraction", file, f"{f}.fraction", value=str(s.get("fraction")))
        subs.append(
            Substance(
                name=_text(s.get("name"), file, f"{f}.name"),
                quantity_t=_num(s.get("quantity_t"), file, f"{f}.quantity_t") or 0.0,
                cas=_text(s.get("cas"), file, f"{f}.cas", required=False),
                fraction=frac,
                threshold_t=_num(s.get("threshold_t"), file, f"{f}.threshold_t", required=False),
                part=_text(s.get("part"), file, f"{f}.part", required=False),
                air=_bool(s.get("air"), file, f"{f}.air"),
                water=_bool(s.get("water"), file, f"{f}.water"),
            )
        )
    if not subs:
        raise _err("field_missing", file, "substances")
    procs = []
    for i, p in enumerate(_list(data.get("processes"), file, "processes")):
        f = f"processes[{i}]"
        p = _map(p, file, f)
        count = _num(p.get("count", 1), file, f"{f}.count")
        if count is None or count != int(count):
            raise _err("field_number", file, f"{f}.count", value=str(p.get("count")))
        procs.append(
            ProcessUnit(
                name=_text(p.get("name"), file, f"{f}.name"),
                kind=_text(p.get("kind"), file, f"{f}.kind"),
                count=int(count),
            )
        )
    controls: dict[str, dict[str, float | None]] = {}
    for medium, items in _map(data.get("controls_failed"), file, "controls_failed").items():
        f = f"controls_failed.{medium}"
        controls[str(medium)] = {
            str(k): _num(v, file, f"{f}.{k}", required=False) for k, v in _map(items, file, f).items()
        }
    events = {
        str(m): tuple(_text(x, file, f"events.{m}") for x in _list(v, file, f"events.{m}"))
        for m, v in _map(data.get("events"), file, "events").items()
    }
    sur = _map(data.get("surroundings"), file, "surroundings")
    air = _map(sur.get("air"), file, "surroundings.air")
    water = _map(sur.get("water"), file, "surroundings.water")
    p5 = _num(air.get("population_5km"), file, "surroundings.air.population_5km", required=False)
    p05 = _num(air.get("population_500m"), file, "surroundings.air.population_500m", required=False)
    return Enterprise(
        name=_text(data.get("name"), file, "name"),
        substances=tuple(subs),
        processes=tuple(procs),
        controls_failed=controls,
        events=events,
        population_5km=None if p5 is None else int(p5),
        population_500m=None if p05 is None else int(p05),
        special_zone_5km=bool(_bool(air.get("special_zone_5km"), file, "surroundings.air.special_zone_5km")),
        water_receptors=tuple(
            _text(x, file, "surroundings.water.receptors")
            for x in _list(water.get("receptors"), file, "surroundings.water.receptors")
        ),
        e_air=_text(air.get("e"), file, "surroundings.air.e", required=False) or None,
        e_water=_text(water.get("e"), file, "surroundings.water.e", required=False) or None,
        penalised_3y=bool(_bool(data.get("penalised_3y"), file, "penalised_3y")),
    )


def read_enterprise(path: str | Path) -> Enterprise:
    """The enterprise file at ``path``."""
    return enterprise_from(load_mapping(path), str(path))


def read_rules(path: str | Path) -> Rules:
    """A rules file: entries replacing :class:`Rules` defaults (see ``docs/risk.md``)."""
    return Rules.from_mapping(load_mapping(path))


def read_appendix(path: str | Path) -> tuple[AppendixRow, ...]:
    """Appendix A rows a user transcribed (CSV, UTF-8): their thresholds are used before
    the built-in rows and shown "unconfirmed", citing the file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FieldError.worded("risk.error.file_read", file=str(p), detail=str(exc)) from exc
    return parse_appendix(text, confirmed=False, default_source=p.name)
