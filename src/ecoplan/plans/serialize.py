"""Plans to and from plain mappings (the YAML/JSON form, ``docs/plan-format.md``).

:func:`plan_from_mapping` validates everything and reports *every* problem at
once, each naming the file and the field path (``indicators[3].targets[0].expr``)
and quoting the offending text; :func:`plan_to_mapping` is its inverse, so a
plan survives ``to -> from`` unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from typing import Any

from ecoplan.core.errors import InputFileError, Problem, TargetSyntaxError
from ecoplan.core.regions import is_known_region
from ecoplan.plans.model import (
    Attribute,
    Baseline,
    BaselineRule,
    ComparableBaseline,
    CumulativeMode,
    Direction,
    Indicator,
    IndicatorRef,
    Method,
    MethodStatus,
    Plan,
    PlanLevel,
    PlanSettings,
    Predecessor,
    Project,
    Relation,
    Source,
    TargetSpec,
    Task,
    Text,
)
from ecoplan.plans.targets import Target, TargetKind, parse_target

__all__ = ["plan_from_mapping", "plan_json", "plan_to_mapping"]

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_PLAN_KEYS = {
    "id",
    "title",
    "issuer",
    "document_number",
    "level",
    "region",
    "period",
    "base_year",
    "parent",
    "source",
    "settings",
    "indicators",
    "tasks",
    "projects",
}
_INDICATOR_KEYS = {
    "id",
    "code",
    "category",
    "name",
    "unit",
    "direction",
    "attribute",
    "baseline",
    "targets",
    "cumulative",
    "footnotes",
    "scope",
    "source",
    "parent",
    "allocations",
    "method",
    "predecessor",
}
_PREDECESSOR_KEYS = ("plan", "indicator", "relation", "note")
_PERCENT_UNITS = {"%", "％"}


class _Collector:
    """Collects problems with the field path where each was found."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self._path: list[str] = []

    @contextmanager
    def at(self, part: str) -> Iterator[None]:
        self._path.append(part)
        try:
            yield
        finally:
            self._path.pop()

    def path(self, key: str | None = None) -> str:
        parts = [*self._path, key] if key else self._path
        return ".".join(parts).replace(".[", "[")

    def add(self, reason: str, key: str | None = None, text: Any = None) -> None:
        shown = None if text is None else str(text)
        self.problems.append(Problem(self.file, reason, field=self.path(key) or None, text=shown))


def _text(c: _Collector, value: Any, key: str, required: bool = True) -> Text:
    if value is None:
        if required:
            c.add("missing", key)
        return Text("")
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, Mapping):
        zh, en = value.get("zh"), value.get("en")
        if not required and not zh and not en:  # an optional text left empty ({zh: "", en: ""})
            return Text("")
        if not isinstance(zh, str) or not zh:
            c.add("needs a Chinese text under 'zh'", key, value)
            return Text("")
        return Text(zh, en if isinstance(en, str) else "")
    c.add("expected a text or {zh, en}", key, value)
    return Text("")


def _int(c: _Collector, value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return int(str(value))
        except ValueError:
            c.add("expected a year (whole number)", key, value)
            return 0
    return value


def _float(c: _Collector, value: Any, key: str) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "—")):
        return None
    if isinstance(value, bool):
        c.add("expected a number", key, value)
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        c.add("expected a number", key, value)
        return None


def _enum(c: _Collector, enum: Any, value: Any, key: str, default: Any = None) -> Any:
    if value is None and default is not None:
        return default
    zh = {"约束性": "binding", "预期性": "expected", "越高越好": "higher", "越低越好": "lower"}
    try:
        return enum(zh.get(str(value), str(value)))
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        c.add(f"expected one of: {choices}", key, value)
        return next(iter(enum))


def _source(value: Any) -> Source:
    if not isinstance(value, Mapping):
        return Source(note=str(value)) if value else Source()
    return Source(value.get("file"), value.get("quote"), value.get("note"))


def _method(c: _Collector, value: Any) -> Method:
    """``method: {status: unpublished, note: {zh, en}, source: …}`` (``docs/plan-format.md``)."""
    if value is None:
        return Method()
    if not isinstance(value, Mapping) or "status" not in value:
        c.add("expected {status, note, source}", "method", value)
        return Method()
    with c.at("method"):
        for key in sorted(set(value) - {"status", "note", "source"}):
            c.add("unknown field (known: note, source, status)", key)
        status = _enum(c, MethodStatus, value.get("status"), "status")
        note = _text(c, value.get("note"), "note", required=status is MethodStatus.UNPUBLISHED)
    return Method(status, note, _source(value.get("source")))


def _predecessor_one(c: _Collector, value: Any, key: str, ind_id: str, plan_id: str) -> Predecessor | None:
    if not isinstance(value, Mapping) or not all(value.get(k) for k in ("plan", "indicator", "relation")):
        c.add("expected {plan, indicator, relation, note}", key or None, value)
        return None
    with c.at(key) if key else nullcontext():
        for extra in sorted(set(value) - set(_PREDECESSOR_KEYS)):
            c.add(f"unknown field (known: {', '.join(sorted(_PREDECESSOR_KEYS))})", extra)
        relation = _enum(c, Relation, value.get("relation"), "relation")
        note = _text(c, value.get("note"), "note", required=False)
    pred = Predecessor(str(value["plan"]), str(value["indicator"]), relation, note)
    if (pred.plan, pred.indicator) == (plan_id, ind_id):
        c.add("an indicator cannot be its own predecessor", key or None, f"{pred.plan} {pred.indicator}")
    return pred


def _predecessors(c: _Collector, value: Any, ind_id: str, plan_id: str) -> tuple[Predecessor, ...]:
    """``predecessor: {plan, indicator, relation, note}``, or a list of them (``merged``).

    Whether the predecessor exists, and whether a ``redefined`` successor keeps its
    series code, needs both plans: :func:`ecoplan.plans.lineage.check_links`.
    """
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not items:
        return ()
    with c.at("predecessor"):
        preds = [
            _predecessor_one(c, item, f"[{i}]" if isinstance(value, list) else "", ind_id, plan_id)
            for i, item in enumerate(items)
        ]
    return tuple(p for p in preds if p is not None)


def _comparable_baseline(c: _Collector, value: Any) -> ComparableBaseline | None:
    """``settings.comparable_baseline: {rule, note}`` (``docs/plan-format.md`` "Across periods")."""
    if value is None:
        return None
    if isinstance(value, str):
        value = {"rule": value}
    if not isinstance(value, Mapping) or not value.get("rule"):
        c.add("expected {rule, note}", "settings.comparable_baseline", value)
        return None
    with c.at("settings.comparable_baseline"):
        for extra in sorted(set(value) - {"rule", "note"}):
            c.add("unknown field (known: note, rule)", extra)
        rule = _enum(c, BaselineRule, value.get("rule"), "rule")
        note = _text(c, value.get("note"), "note", required=False)
    return ComparableBaseline(rule, note)


def _target(c: _Collector, value: Any, key: str) -> Target:
    try:
        return parse_target(value)
    except TargetSyntaxError as exc:
        c.add(f"target expression not understood ({exc.detail})", key, value)
        return Target(TargetKind.NONE)


def _target_specs(c: _Collector, items: Any, key: str) -> tuple[TargetSpec, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        c.add("expected a list of {year, expr}", key, items)
        return ()
    specs = []
    with c.at(key):
        for i, item in enumerate(items):
            with c.at(f"[{i}]"):
                if not isinstance(item, Mapping) or "year" not in item or "expr" not in item:
                    c.add("expected {year, expr}", None, item)
                    continue
                stretch = item.get("stretch")
                specs.append(
                    TargetSpec(
                        _int(c, item["year"], "year"),
                        _target(c, item["expr"], "expr"),
                        None if stretch is None else _target(c, stretch, "stretch"),
                    )
                )
    years = [s.year for s in specs]
    if len(set(years)) != len(years):
        c.add("two targets for the same year", key, years)
    return tuple(sorted(specs, key=lambda s: s.year))


def _check_percent(c: _Collector, ind_unit: str, value: float | None, key: str) -> None:
    if value is not None and ind_unit in _PERCENT_UNITS and not 0 <= value <= 100:
        c.add("a percentage must lie between 0 and 100", key, value)


def _indicator(c: _Collector, d: Any, plan_start: int, plan_end: int, plan_id: str = "") -> Indicator | None:
    if not isinstance(d, Mapping):
        c.add("expected a mapping", None, d)
        return None
    for key in sorted(set(d) - _INDICATOR_KEYS):
        c.add(f"unknown field (known: {', '.join(sorted(_INDICATOR_KEYS))})", key)
    ind_id = str(d.get("id", ""))
    if not _ID.match(ind_id):
        c.add("an id is lower-case letters, digits, '-', '.', '_'", "id", d.get("id"))
    unit = str(d.get("unit", "") or "")
    if not unit:
        c.add("missing", "unit")
    base = d.get("baseline") or {}
    if not isinstance(base, Mapping) or "year" not in base:
        c.add("expected {year, value}", "baseline", base)
        base = {"year": plan_start - 1}
    with c.at("baseline"):
        baseline = Baseline(_int(c, base["year"], "year"), _float(c, base.get("value"), "value"))
        _check_percent(c, unit, baseline.value, "value")
    targets = _target_specs(c, d.get("targets"), "targets")
    for i, spec in enumerate(targets):
        with c.at(f"targets[{i}]"):
            if spec.year <= baseline.year:
                c.add(f"target year is not after the baseline year {baseline.year}", "year", spec.year)
            if spec.year > plan_end:
                c.add(f"target year is after the plan's end {plan_end}", "year", spec.year)
            if spec.target.kind in (TargetKind.LEVEL, TargetKind.ABOUT):
                _check_percent(c, unit, spec.target.value, "expr")
    allocations: dict[str, tuple[TargetSpec, ...]] = {}
    raw_alloc = d.get("allocations") or {}
    if not isinstance(raw_alloc, Mapping):
        c.add("expected {region code: [targets]}", "allocations", raw_alloc)
        raw_alloc = {}
    with c.at("allocations"):
        for region, items in raw_alloc.items():
            code = str(region).zfill(6)
            if not is_known_region(code):
                c.add("unknown region code (GB/T 2260)", None, region)
            allocations[code] = _target_specs(c, items, code)
    mode = d.get("cumulative")
    cumulative_mode = None
    if isinstance(mode, Mapping):
        mode = mode.get("mode")
    if mode is not None:
        cumulative_mode = _enum(c, CumulativeMode, mode, "cumulative")
    parent = d.get("parent")
    parent_ref = None
    if isinstance(parent, Mapping) and parent.get("plan") and parent.get("indicator"):
        parent_ref = IndicatorRef(str(parent["plan"]), str(parent["indicator"]))
    elif parent is not None:
        c.add("expected {plan, indicator}", "parent", parent)
    footnotes = d.get("footnotes") or []
    return Indicator(
        id=ind_id,
        name=_text(c, d.get("name"), "name"),
        unit=unit,
        direction=_enum(c, Direction, d.get("direction"), "direction"),
        attribute=_enum(c, Attribute, d.get("attribute"), "attribute"),
        baseline=baseline,
        targets=targets,
        category=_text(c, d.get("category"), "category", required=False),
        code=d.get("code"),
        cumulative_mode=cumulative_mode,
        footnotes=tuple(str(f) for f in footnotes),
        scope=d.get("scope"),
        source=_source(d.get("source")),
        parent=parent_ref,
        allocations=allocations,
        method=_method(c, d.get("method")),
        predecessors=_predecessors(c, d.get("predecessor"), ind_id, plan_id),
    )


def _date(c: _Collector, value: Any, key: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        c.add("expected a date YYYY-MM-DD", key, value)
        return None


def plan_from_mapping(data: Any, file: str = "<plan>") -> Plan:
    """Build and validate a :class:`Plan` from its mapping form.

    Raises
    ------
    InputFileError
        With one :class:`~ecoplan.core.errors.Problem` per bad field.
    """
    c = _Collector(file)
    if not isinstance(data, Mapping):
        raise InputFileError(file, "a plan file holds one mapping (id, title, indicators ...)")
    for key in sorted(set(data) - _PLAN_KEYS):
        c.add(f"unknown field (known: {', '.join(sorted(_PLAN_KEYS))})", key)
    plan_id = str(data.get("id", ""))
    if not _ID.match(plan_id):
        c.add("an id is lower-case letters, digits, '-', '.', '_'", "id", data.get("id"))
    region = str(data.get("region", "")).zfill(6)
    if not is_known_region(region):
        c.add("unknown region code (GB/T 2260; 000000 = national)", "region", data.get("region"))
    period = data.get("period") or {}
    if not isinstance(period, Mapping) or "start" not in period or "end" not in period:
        c.add("expected {start, end}", "period", period)
        period = {"start": 0, "end": 0}
    start, end = _int(c, period["start"], "period.start"), _int(c, period["end"], "period.end")
    if end < start:
        c.add("the period ends before it starts", "period", f"{start}-{end}")
    base_year = _int(c, data.get("base_year", start - 1), "base_year")
    if base_year >= end:
        c.add("the base year is not before the plan's end", "base_year", base_year)
    settings_raw = data.get("settings") or {}
    comparable = None
    if isinstance(settings_raw, Mapping) and "comparable_baseline" in settings_raw:
        comparable = _comparable_baseline(c, settings_raw["comparable_baseline"])
        settings_raw = {k: v for k, v in settings_raw.items() if k != "comparable_baseline"}
    try:
        settings = PlanSettings(**settings_raw, comparable_baseline=comparable)
    except TypeError as exc:
        c.add(f"unknown setting ({exc})", "settings", settings_raw)
        settings = PlanSettings()
    if settings.schedule not in ("linear", "compound"):
        c.add("schedule is 'linear' or 'compound'", "settings.schedule", settings.schedule)
    indicators: list[Indicator] = []
    raw_inds = data.get("indicators") or []
    if not isinstance(raw_inds, list):
        c.add("expected a list", "indicators")
        raw_inds = []
    for i, d in enumerate(raw_inds):
        with c.at(f"indicators[{i}]"):
            ind = _indicator(c, d, start, end, plan_id)
            if ind is not None:
                indicators.append(ind)
    counts = Counter(ind.id for ind in indicators)
    for dup in sorted(x for x, k in counts.items() if k > 1):
        c.add("indicator id used twice", "indicators", dup)
    tasks = []
    for i, t in enumerate(data.get("tasks") or []):
        with c.at(f"tasks[{i}]"):
            if not isinstance(t, Mapping) or not t.get("id"):
                c.add("expected {id, text, due}", None, t)
                continue
            tasks.append(
                Task(
                    id=str(t["id"]),
                    text=_text(c, t.get("text"), "text"),
                    due=_date(c, t.get("due"), "due"),
                    responsible=tuple(str(x) for x in t.get("responsible") or ()),
                    source=_source(t.get("source")),
                )
            )
    projects = []
    for i, p in enumerate(data.get("projects") or []):
        with c.at(f"projects[{i}]"):
            if not isinstance(p, Mapping) or not p.get("id"):
                c.add("expected {id, name}", None, p)
                continue
            projects.append(
                Project(
                    id=str(p["id"]),
                    name=_text(c, p.get("name"), "name"),
                    category=p.get("category"),
                    region=None if p.get("region") is None else str(p["region"]).zfill(6),
                    investment=_float(c, p.get("investment"), "investment"),
                    source=_source(p.get("source")),
                )
            )
    if c.problems:
        raise InputFileError(file, c.problems)
    return Plan(
        id=plan_id,
        title=_text(c, data.get("title"), "title"),
        level=_enum(c, PlanLevel, data.get("level"), "level"),
        region=region,
        start=start,
        end=end,
        base_year=base_year,
        indicators=tuple(indicators),
        issuer=_text(c, data.get("issuer"), "issuer", required=False),
        document_number=data.get("document_number"),
        parent=data.get("parent"),
        source=_source(data.get("source")),
        settings=settings,
        tasks=tuple(tasks),
        projects=tuple(projects),
    )


def _text_out(t: Text) -> dict[str, str]:
    return {"zh": t.zh, "en": t.en}


def _source_out(s: Source) -> dict[str, str] | None:
    out = {k: v for k, v in (("file", s.file), ("quote", s.quote), ("note", s.note)) if v}
    return out or None


def _method_out(m: Method) -> dict[str, Any]:
    out: dict[str, Any] = {"status": m.status.value, "note": _text_out(m.note)}
    if (src := _source_out(m.source)) is not None:
        out["source"] = src
    return out


def _predecessor_out(p: Predecessor) -> dict[str, Any]:
    out: dict[str, Any] = {"plan": p.plan, "indicator": p.indicator, "relation": p.relation.value}
    if p.note.zh or p.note.en:
        out["note"] = _text_out(p.note)
    return out


def _settings_out(settings: PlanSettings) -> dict[str, Any]:
    """The settings that differ from the defaults (``comparable_baseline`` as {rule, note})."""
    default = PlanSettings()
    out: dict[str, Any] = {}
    for k in default.__dataclass_fields__:
        v = getattr(settings, k)
        if v == getattr(default, k):
            continue
        if isinstance(v, ComparableBaseline):
            cb: dict[str, Any] = {"rule": v.rule.value}
            if v.note.zh or v.note.en:
                cb["note"] = _text_out(v.note)
            v = cb
        out[k] = v
    return out


def _specs_out(specs: tuple[TargetSpec, ...]) -> list[dict[str, Any]]:
    out = []
    for s in specs:
        item: dict[str, Any] = {"year": s.year, "expr": s.target.text or s.target.canonical()}
        if s.stretch is not None:
            item["stretch"] = s.stretch.text or s.stretch.canonical()
        out.append(item)
    return out


def plan_to_mapping(plan: Plan) -> dict[str, Any]:
    """The mapping (YAML/JSON) form of ``plan``; inverse of :func:`plan_from_mapping`."""
    settings = _settings_out(plan.settings)
    inds = []
    for ind in plan.indicators:
        d: dict[str, Any] = {
            "id": ind.id,
            "code": ind.code,
            "category": _text_out(ind.category),
            "name": _text_out(ind.name),
            "unit": ind.unit,
            "direction": ind.direction.value,
            "attribute": ind.attribute.value,
            "baseline": {"year": ind.baseline.year, "value": ind.baseline.value},
            "targets": _specs_out(ind.targets),
        }
        if ind.cumulative_mode is not None:
            d["cumulative"] = {"mode": ind.cumulative_mode.value}
        if ind.footnotes:
            d["footnotes"] = list(ind.footnotes)
        if ind.scope:
            d["scope"] = ind.scope
        if (src := _source_out(ind.source)) is not None:
            d["source"] = src
        if ind.parent is not None:
            d["parent"] = {"plan": ind.parent.plan, "indicator": ind.parent.indicator}
        if ind.allocations:
            d["allocations"] = {k: _specs_out(v) for k, v in ind.allocations.items()}
        if ind.method != Method():
            d["method"] = _method_out(ind.method)
        if ind.predecessors:
            preds = [_predecessor_out(p) for p in ind.predecessors]
            d["predecessor"] = preds[0] if len(preds) == 1 else preds
        inds.append(d)
    out: dict[str, Any] = {
        "id": plan.id,
        "title": _text_out(plan.title),
        "issuer": _text_out(plan.issuer),
        "document_number": plan.document_number,
        "level": plan.level.value,
        "region": plan.region,
        "period": {"start": plan.start, "end": plan.end},
        "base_year": plan.base_year,
        "parent": plan.parent,
        "source": _source_out(plan.source),
        "settings": settings,
        "indicators": inds,
    }
    if plan.tasks:
        out["tasks"] = [
            {
                "id": t.id,
                "text": _text_out(t.text),
                "due": t.due.isoformat() if t.due else None,
                "responsible": list(t.responsible),
                "source": _source_out(t.source),
            }
            for t in plan.tasks
        ]
    if plan.projects:
        out["projects"] = [
            {
                "id": p.id,
                "name": _text_out(p.name),
                "category": p.category,
                "region": p.region,
                "investment": p.investment,
                "source": _source_out(p.source),
            }
            for p in plan.projects
        ]
    return out


def plan_json(plan: Plan) -> dict[str, Any]:
    """The stable JSON form of ``plans show`` (docs/json.md)."""
    inds = []
    for ind in plan.indicators:
        targets = []
        for s in ind.targets:
            t = s.target
            targets.append(
                {
                    "year": s.year,
                    "expr": t.text or t.canonical(),
                    "canonical": t.canonical(),
                    "kind": t.kind.value,
                    "value": t.cumulative if t.kind.value == "cumulative" and t.value is None else t.value,
                    "cumulative": t.cumulative,
                    "stretch": None if s.stretch is None else s.stretch.canonical(),
                }
            )
        inds.append(
            {
                "id": ind.id,
                "code": ind.code,
                "category_zh": ind.category.zh,
                "category_en": ind.category.en,
                "name_zh": ind.name.zh,
                "name_en": ind.name.en,
                "unit": ind.unit,
                "attribute": ind.attribute.value,
                "direction": ind.direction.value,
                "baseline": {"year": ind.baseline.year, "value": ind.baseline.value},
                "targets": targets,
                "cumulative": ind.is_cumulative,
                "cumulative_mode": None if ind.cumulative is None else ind.cumulative.value,
                "value_basis": ind.default_basis.value,
                "footnotes": list(ind.footnotes),
                "scope": ind.scope,
                "parent": None
                if ind.parent is None
                else {"plan": ind.parent.plan, "indicator": ind.parent.indicator},
                "source": {"file": ind.source.file, "quote": ind.source.quote},
                "method": _method_out(ind.method),
                "predecessors": [_predecessor_out(p) for p in ind.predecessors],
            }
        )
    return {
        "id": plan.id,
        "title": plan.title.zh,
        "title_en": plan.title.en,
        "issuer": plan.issuer.zh,
        "document_number": plan.document_number,
        "level": plan.level.value,
        "region": plan.region,
        "parent": plan.parent,
        "period": {"start": plan.start, "end": plan.end},
        "base_year": plan.base_year,
        "comparable_baseline": _settings_out(plan.settings).get("comparable_baseline"),
        "indicators": inds,
        "tasks": [
            {"id": t.id, "text": t.text.zh, "due": t.due.isoformat() if t.due else None} for t in plan.tasks
        ],
    }
