"""Climate: energy-related CO2 inventories, CO2 intensity against GDP and its targets (issue 16).

Laid out as ``soil/`` is (the parts built so far):

``standards/``
    Pure calculators: fuel-combustion CO2 (省级温室气体清单编制指南 method, factors from
    ``data/``), indirect emissions of net imported electricity, cement clinker process
    CO2, CO2 intensity against GDP at constant prices and the schedules to a target.
``data/``
    The factor tables, one row per value with its source, edition and status
    (``data/README.md``); replaceable by the user's own tables.
``readers``
    The long-format energy-use CSV of ``ecoplan climate inventory`` (reason-coded rejects).
``feed``
    The plan indicator the data measure (:data:`~ecoplan.climate.feed.FEEDS`):
    单位国内生产总值二氧化碳排放降低, source "pipeline climate".
``schema``, ``storage``, ``service``
    The energy-use and GDP tables, whole-file imports, ``ep.climate``.
``commands``, ``routes``
    ``ecoplan climate intensity|schedule|inventory|clinker|load|feed``;
    ``/api/v1/climate/intensity|inventory|factors``.
``report``
    The energy CO2 section of a plan's assessment report.
``trajectory``, ``pages``
    The CO2-intensity decline against a plan's linear and compound schedules; the
    region section of the dashboard and the pages ``/climate/regions/{code}`` and
    ``/climate/market`` (server-drawn SVG charts, JSON twins).
``data/demo/``
    The illustrative Hebei sample ``make run`` loads (made-up figures, labelled so).
"""

from ecoplan.climate.schema import MIGRATIONS
from ecoplan.core.domain import Domain

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="climate",
    package="ecoplan.climate",
    title_key="climate.title",
    service="ecoplan.climate.service:ClimateOps",
    commands="ecoplan.climate.commands:climate_app",
    routes="ecoplan.climate.routes:routes",
    pages="ecoplan.climate.pages:PAGES",
    web="ecoplan.climate.pages.web:routes",
    report="ecoplan.climate.report:section",
    words=("words.yaml", "words_pages.yaml"),
    migrations=MIGRATIONS,
)
