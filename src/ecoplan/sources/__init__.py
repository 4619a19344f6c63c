"""Pollution sources (污染源在线监控): HJ 212 frames to exceedances, alarms, cards and totals.

Laid out as the other domains are, plus the protocol and the network parts:

``protocol/``
    The sans-IO HJ 212-2017/2025 core: framing, CRC, data segment and area, code tables,
    reassembly, SM4, the Annex C flows (no sockets, no clocks).
``receiver/``, ``simulate/``
    ``ecoplan receive``: the asyncio receiver writing every frame to a durable raw log
    before it is acknowledged; ``ecoplan sources simulate``: devices playing the flows.
``standards/``
    Pure rules: converted (折算) concentration, hourly validity, exceedance, alarm and
    yellow/red card rules, each citing its clause.
``readers/``
    The registry of enterprises, outlets, devices and permits (CSV/XLSX), and the raw log.
``pipeline/``
    The rollups and compliance SQL, written once, run on DuckDB or Spark.
``feed``
    The plan indicators the emission totals measure (total-emission reductions).
``tables/``, ``storage/``
    The domain's tables, and crash-safe idempotent imports.
``service/``
    ``ep.sources``: ``.frames`` (ingest, frames, live values), ``.registry`` (enterprises,
    permits) and ``.facts`` (hourly series, exceedances, alarms, cards, totals, feed).
``commands/``, ``routes``, ``pages``, ``report``
    ``ecoplan sources …`` and ``ecoplan receive``, ``/api/v1/sources/…``, the dashboard's
    sources sections and the sources section of a plan's assessment report.
"""

from ecoplan.core.domain import Domain
from ecoplan.sources.schema import MIGRATIONS

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="sources",
    package="ecoplan.sources",
    title_key="sources.title",
    service="ecoplan.sources.service:SourcesOps",
    commands="ecoplan.sources.commands:sources_app",
    top_commands=("ecoplan.sources.commands.receive:receive",),
    routes="ecoplan.sources.routes:routes",
    pages="ecoplan.sources.pages:PAGES",
    web="ecoplan.sources.pages.web:routes",
    report="ecoplan.sources.report:section",
    words=(
        "words.yaml",
        "words_protocol.yaml",
        "words_receiver.yaml",
        "words_registry.yaml",
        "words_facts.yaml",
        "words_web.yaml",
    ),
    migrations=MIGRATIONS,
)
