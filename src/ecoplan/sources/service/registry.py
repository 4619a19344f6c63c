"""``ep.sources.registry``: the register of enterprises, outlets, devices and permits.

``ep.sources.registry.load(["enterprises.csv"], "enterprises")``, ``load_folder(dir)``, then
the reads (``enterprises(region)``, ``limits(outlet_id, at=date)`` …) that the frames and
facts parts and the commands use. Regions are six-digit codes; a region argument means
that region and every region under it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.core.sources import Sources, expand, name_of
from ecoplan.sources import readers
from ecoplan.sources.readers import KINDS, RegistryBatch
from ecoplan.sources.storage.registry import RegistryImport, RegistryStore

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["KINDS", "RegistryImport", "RegistryOps"]

#: File-name words of each kind, for ``load_folder`` (``enterprises.csv``, ``排污许可证.xlsx``).
_NAME_WORDS: dict[str, tuple[str, ...]] = {
    "enterprises": ("enterprise", "企业"),
    "outlets": ("outlet", "排放口", "排污口"),
    "devices": ("device", "设备", "数采"),
    "permits": ("permit", "许可证"),
    "limits": ("limit", "限值"),
    "quantities": ("quantit", "排放量"),
}


class RegistryOps:
    """The registry part of ``ep.sources``."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = RegistryStore(session.catalog)

    # -- load --------------------------------------------------------------------------------
    def read(self, paths: Sources, kind: str, fmt: str | None = None) -> RegistryBatch:
        """Read files of ``kind`` (no store involved; referential checks happen on import)."""
        self._kind(kind)
        return readers.read(paths, kind, fmt)

    def load(self, paths: Sources, kind: str, fmt: str | None = None) -> RegistryImport:
        """Read, check and store one kind from CSV/XLSX files or folders, in one transaction
        (idempotent; a changed row is revised, the old one kept in the revisions)."""
        batch = self.read(paths, kind, fmt)
        return self.store.import_batch(batch, fmt=fmt or _fmt_of(batch.files))

    def load_folder(self, folder: str | Path) -> list[RegistryImport]:
        """Every CSV/XLSX file of ``folder``, each kind told by its file name
        (``enterprises.csv``, ``企业.xlsx``) or else by its header; the kinds imported in
        their order of dependence (enterprises, outlets, devices, permits, limits,
        quantities), one import (transaction) per kind."""
        files = expand([folder], (".csv", ".xlsx"))
        by_kind: dict[str, list[Path]] = {}
        unknown: list[str] = []
        for f in files:
            p = Path(name_of(f))
            kind = _kind_of_name(p.name) or readers.sniff_kind(p)
            if kind is None:
                unknown.append(p.name)
            else:
                by_kind.setdefault(kind, []).append(p)
        if unknown:
            raise EcoplanError.worded("sources.registry.error.kind_unknown", files=", ".join(unknown))
        return [self.load(by_kind[k], k) for k in KINDS if k in by_kind]

    # -- read ---------------------------------------------------------------------------------
    def regions(self) -> list[str]:
        """Regions with registered enterprises."""
        return self.store.regions()

    def enterprises(self, region: str | None = None) -> pd.DataFrame:
        """Registered enterprises (of ``region`` and the regions under it)."""
        if region is None:
            return self.store.frame("enterprises")
        codes = self.store.subtree(region)
        return self.store.frame("enterprises", f"region IN ({', '.join('?' for _ in codes)})", list(codes))

    def enterprise(self, credit_code: str) -> dict[str, Any]:
        """One enterprise with its outlets, devices and permits (lists of dicts)."""
        credit_code = credit_code.strip().upper()
        df = self.store.frame("enterprises", "credit_code = ?", [credit_code])
        if df.empty:
            raise NotFound.worded("sources.registry.error.no_enterprise", credit_code=credit_code)
        out: dict[str, Any] = _records(df)[0]
        outlets = self.outlets(credit_code)
        out["outlets"] = _records(outlets)
        ids = list(outlets["outlet_id"])
        out["devices"] = _records(self.store.frame("devices", _in("outlet_id", ids), ids)) if ids else []
        out["permits"] = _records(self.permits(credit_code))
        return out

    def outlets(self, credit_code: str | None = None) -> pd.DataFrame:
        """Registered outlets (of one enterprise)."""
        if credit_code is None:
            return self.store.frame("outlets")
        return self.store.frame("outlets", "credit_code = ?", [credit_code])

    def devices(self, outlet_id: str | None = None) -> pd.DataFrame:
        """Registered devices (MN, ST, PW, edition, SM4 key, active) (of one outlet)."""
        if outlet_id is None:
            return self.store.frame("devices")
        return self.store.frame("devices", "outlet_id = ?", [outlet_id])

    def permits(self, credit_code: str | None = None) -> pd.DataFrame:
        """Registered permits (of one enterprise)."""
        if credit_code is None:
            return self.store.frame("permits")
        return self.store.frame("permits", "credit_code = ?", [credit_code])

    def limits(self, outlet_id: str | None = None, at: dt.date | str | None = None) -> pd.DataFrame:
        """Permit limits (of one outlet); ``at``: only those of permits valid on that date
        (``valid_from <= at <= valid_to``)."""
        conds: list[str] = []
        params: list[object] = []
        if outlet_id is not None:
            conds.append("outlet_id = ?")
            params.append(outlet_id)
        if at is not None:
            day = _day(at)
            conds.append(
                "permit_no IN (SELECT permit_no FROM sources_permits WHERE valid_from <= ? AND valid_to >= ?)"
            )
            params += [day, day]
        return self.store.frame("limits", " AND ".join(conds), params)

    def quantities(self, credit_code: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Permitted annual quantities (许可排放量, t) with the permit's enterprise."""
        conds: list[str] = []
        params: list[object] = []
        if credit_code is not None:
            conds.append("permit_no IN (SELECT permit_no FROM sources_permits WHERE credit_code = ?)")
            params.append(credit_code)
        if year is not None:
            conds.append("year = ?")
            params.append(int(year))
        df = self.store.frame("quantities", " AND ".join(conds), params)
        owners = self.store.frame("permits")[["permit_no", "credit_code"]]
        return df.merge(owners, on="permit_no", how="left")

    def rejects(self, import_id: int | None = None) -> pd.DataFrame:
        """Rejected rows of the imports (of one import): file, row, field, value, reason."""
        return self.store.rejects(import_id)

    def imports(self) -> pd.DataFrame:
        """The import log."""
        return self.store.imports()

    def revisions(self) -> pd.DataFrame:
        """Revised rows: the old and new row of each as JSON."""
        return self.store.revisions()

    def state(self) -> tuple[object, ...]:
        return self.store.state()

    @staticmethod
    def _kind(kind: str) -> None:
        if kind not in KINDS:
            raise EcoplanError.worded("sources.registry.error.bad_kind", kind=kind, choices=", ".join(KINDS))


def _fmt_of(files: Sequence[str]) -> str:
    fmts = sorted({readers.format_of(f) for f in files})
    return "+".join(fmts) or "csv"


def _kind_of_name(name: str) -> str | None:
    low = name.lower()
    hits = [k for k in KINDS if any(w in low for w in _NAME_WORDS[k])]
    return hits[0] if len(hits) == 1 else None


def _in(col: str, values: Sequence[object]) -> str:
    return f"{col} IN ({', '.join('?' for _ in values)})"


def _day(at: dt.date | str) -> dt.date:
    if isinstance(at, dt.datetime):
        return at.date()
    if isinstance(at, dt.date):
        return at
    try:
        return dt.date.fromisoformat(str(at)[:10])
    except ValueError:
        raise EcoplanError.worded("sources.registry.error.bad_date", value=str(at)) from None


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in df.astype(object).where(df.notna(), None).to_dict(orient="records"):
        out.append({str(k): _iso(v) for k, v in r.items()})
    return out


def _iso(v: Any) -> Any:
    """Dates as ``YYYY-MM-DD`` (DuckDB DATE columns come back as timestamps)."""
    if isinstance(v, pd.Timestamp | dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v
