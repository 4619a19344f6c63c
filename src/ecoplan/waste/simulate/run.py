"""Generate a year (:func:`generate`) and write it as Parquet (:func:`write_parquet`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ecoplan.waste.rules import AlertSettings
from ecoplan.waste.simulate.anomalies import inject_manifests, inject_tail
from ecoplan.waste.simulate.year import World, as_of, clean_year, finish_capacity, finish_ledger

__all__ = ["SCHEMAS", "Simulated", "generate", "write_parquet"]

_S: pa.DataType = pa.string()
_F: pa.DataType = pa.float64()
_T: pa.DataType = pa.timestamp("us")
_D: pa.DataType = pa.date32()
_B: pa.DataType = pa.bool_()
_I: pa.DataType = pa.int32()
_L: pa.DataType = pa.list_(pa.string())

#: The Arrow schema of each shared table (the design's column types).
SCHEMAS: dict[str, pa.Schema] = {
    "waste_actors": pa.schema(
        [
            ("actor_id", _S),
            ("roles", _L),
            ("name", _S),
            ("credit_code", _S),
            ("region", _S),
            ("address", _S),
            ("lon", _F),
            ("lat", _F),
            ("unit_class", _S),
        ]
    ),
    "waste_permits": pa.schema(
        [
            ("permit_no", _S),
            ("actor_id", _S),
            ("kind", _S),
            ("valid_from", _D),
            ("valid_to", _D),
            ("annual_capacity_t", _F),
            ("codes", _L),
        ]
    ),
    "waste_approvals": pa.schema(
        [
            ("approval_no", _S),
            ("from_province", _S),
            ("to_province", _S),
            ("producer_id", _S),
            ("receiver_id", _S),
            ("codes", _L),
            ("quantity_t", _F),
            ("method", _S),
            ("valid_from", _D),
            ("valid_to", _D),
        ]
    ),
    "waste_manifests": pa.schema(
        [
            ("manifest_no", _S),
            ("producer_id", _S),
            ("transporter_id", _S),
            ("receiver_id", _S),
            ("approval_no", _S),
            ("status", _S),
            ("paper", _B),
            ("shipped_at", _T),
            ("arrived_at", _T),
            ("confirmed_at", _T),
            ("closed_at", _T),
            ("backfilled_at", _T),
            ("vehicle", _S),
            ("producers_on_manifest", _I),
        ]
    ),
    "waste_manifest_lines": pa.schema(
        [
            ("manifest_no", _S),
            ("line_no", _I),
            ("code", _S),
            ("form", _S),
            ("packaging", _S),
            ("containers", _I),
            ("qty_shipped_t", _F),
            ("qty_received_t", _F),
            ("code_received", _S),
            ("form_received", _S),
            ("packaging_received", _S),
            ("containers_received", _I),
        ]
    ),
    "waste_ledger": pa.schema(
        [
            ("actor_id", _S),
            ("batch_code", _S),
            ("stage", _S),
            ("at", _T),
            ("code", _S),
            ("quantity_t", _F),
            ("container_code", _S),
            ("linked_batch", _S),
            ("facility", _S),
        ]
    ),
    "waste_declarations": pa.schema([("actor_id", _S), ("kind", _S), ("period", _S), ("submitted_at", _T)]),
}


@dataclass
class Simulated:
    """A generated year: its tables, the alerts injected into it, the settings to judge it."""

    world: World
    injected: pd.DataFrame  # rule, subject
    settings: AlertSettings

    def tables(self) -> dict[str, pd.DataFrame]:
        """The shared tables with the design's columns (in the order of :data:`SCHEMAS`)."""
        out = {}
        for name, frame in self.world.tables().items():
            cols = SCHEMAS[name].names
            f = frame[cols].copy()
            for field in SCHEMAS[name]:
                if field.type == _T:
                    f[field.name] = pd.to_datetime(f[field.name]).astype("datetime64[us]")
            out[name] = f
        return out


def generate(
    year: int = 2025,
    scale: float = 0.001,
    seed: int = 0,
    *,
    per_rule: int | None = None,
    anomalies: bool = True,
    settings: AlertSettings | None = None,
) -> Simulated:
    """A year of ``scale`` × (5 M manifests, 200 k producers, 2 k receivers) with, unless
    ``anomalies`` is false, ``per_rule`` anomalies of every check (default: one per 2,000
    manifests, at least 3)."""
    base = (settings or AlertSettings()).at(as_of(year), year)
    w, rng = clean_year(year, scale, seed)
    k = per_rule if per_rule is not None else max(3, len(w.manifests) // 2000)
    found: list[tuple[str, int | str]] = []
    if anomalies:
        found += inject_manifests(w, rng, k, base)
    finish_capacity(w, rng)
    finish_ledger(w, rng)
    if anomalies:
        found += inject_tail(w, rng, k)
    numbers = w.manifests["manifest_no"].to_numpy()
    subjects = []
    for rule_id, ref in found:
        if isinstance(ref, int):
            subjects.append((rule_id, str(numbers[ref])))
        elif ref.startswith("#"):
            mi, line = ref[1:].split("/")
            subjects.append((rule_id, f"{numbers[int(mi)]}/{line}"))
        else:
            subjects.append((rule_id, ref))
    w.lines["manifest_no"] = numbers[w.lines["_m"].to_numpy()]
    injected = pd.DataFrame(sorted(set(subjects)), columns=["rule", "subject"])
    return Simulated(w, injected, base)


def write_parquet(sim: Simulated, folder: Path) -> dict[str, list[str]]:
    """Each table as ``<folder>/<table>.parquet`` (the :data:`SCHEMAS` types)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[str]] = {}
    for name, frame in sim.tables().items():
        path = folder / f"{name}.parquet"
        table = pa.Table.from_pandas(frame, schema=SCHEMAS[name], preserve_index=False)
        pq.write_table(table, path, row_group_size=1 << 20)
        out[name] = [str(path)]
    return out
