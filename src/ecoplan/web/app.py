"""The dashboard: server-rendered pages in zh (default) and en, each with a JSON twin.

``/`` plans and the national binding-indicator summary (:mod:`~ecoplan.web.home`);
``/plans/{id}`` every indicator with baseline, target, latest value, status and source,
and its reports (:mod:`~ecoplan.web.plans`); ``/regions/{code}`` its indicator values
(:mod:`~ecoplan.web.regions`); ``/warnings``, ``/rankings``, ``/tasks``
(:mod:`~ecoplan.web.dispatch`); the map's boundaries (:mod:`~ecoplan.web.geo_routes`);
error pages (:mod:`~ecoplan.web.errors`). Each registered domain adds its sections to
the home, region and rankings pages (:mod:`ecoplan.web.sections`). ``?lang=en``
switches language, ``?format=json`` returns the data the page shows. Every word comes
from the catalog (:mod:`ecoplan.core.words`). No external resources: the pages work
offline.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ecoplan.web import dispatch, errors, geo_routes, home, plans, regions
from ecoplan.web.common import session_of

__all__ = ["register"]


def register(app: FastAPI) -> None:
    """Add the dashboard pages to ``app``, an API from :func:`ecoplan.api.create_app`
    (the pages read through its ``state.reader()``: a snapshot of the app's store)."""
    session = session_of(app)
    # Packaged browser assets (ECharts and Swagger UI from npm, ecoplan.js/.css): no CDN.
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    geo_routes.register(app)
    home.register(app, session)
    plans.register(app, session)
    regions.register(app, session)
    dispatch.register(app, session)
    errors.register(app)
