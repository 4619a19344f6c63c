"""The dashboard: server-rendered pages in zh (default) and en, each with a JSON twin.

``/`` plans and the national binding-indicator summary (:mod:`~ecoplan.web.home`);
``/plans/{id}`` every indicator with baseline, target, latest value, status and source,
and its reports (:mod:`~ecoplan.web.plans`); ``/regions/{code}`` its indicator values
(:mod:`~ecoplan.web.regions`); ``/warnings``, ``/rankings``, ``/tasks``
(:mod:`~ecoplan.web.dispatch`); the map's boundaries (:mod:`~ecoplan.web.geo_routes`);
error pages (:mod:`~ecoplan.web.errors`). Each registered domain adds its sections to
the home, region and rankings pages (:mod:`ecoplan.web.sections`), and a domain with
pages of its own (``Domain.web``) gets them mounted at ``/<name>/…`` with the shell's
layout (:func:`domain_page`). ``?lang=en``
switches language, ``?format=json`` returns the data the page shows. Every word comes
from the catalog (:mod:`ecoplan.core.words`). No external resources: the pages work
offline.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from ecoplan.core.domain import load
from ecoplan.domains import domains
from ecoplan.web import account, dispatch, errors, geo_routes, home, indicators, plans, regions
from ecoplan.web.common import page, respond, session_of
from ecoplan.web.geo import province_geojson

__all__ = ["domain_page", "register"]


def domain_page(
    template: str,
    title: str | None,
    lang: str,
    path: str,
    data: dict[str, Any],
    fmt: str = "html",
    **context: Any,
) -> Response:
    """A domain's own page (``Domain.web``'s ``render``): ``template`` extending the shell's
    ``base.html`` (layout, header, language switch) with ``context``, or ``data`` as the
    page's JSON twin when ``fmt`` is ``json``."""
    return respond(data, fmt, lambda: page(template, title, lang, path, **context))


_WARM: list[threading.Thread] = []


def _warm_geo() -> None:
    """Simplify the province boundaries in a background thread, once per process. The
    process waits for it at exit (``atexit``): a daemon thread still inside numpy's C++
    code when the interpreter finalises is unwound by force and aborts the process
    ("FATAL: exception not rethrown"), seen when a short-lived process made an app."""
    if _WARM:
        return
    t = threading.Thread(target=province_geojson, name="ecoplan-geo-warm", daemon=True)
    _WARM.append(t)
    t.start()
    atexit.register(t.join, 120)


def register(app: FastAPI) -> None:
    """Add the dashboard pages to ``app``, an API from :func:`ecoplan.api.create_app`
    (the pages read through its ``state.reader()``: a snapshot of the app's store)."""
    session = session_of(app)
    # The map's province boundaries take seconds to simplify once per process: start now,
    # so that the first visitor of the home page does not wait for them.
    _warm_geo()
    # Packaged browser assets (ECharts and Swagger UI from npm, ecoplan.js/.css): no CDN.
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")
    geo_routes.register(app)
    home.register(app, session)
    plans.register(app, session)
    regions.register(app, session)
    dispatch.register(app, session)
    indicators.register(app, session)  # the indicator page and its API twin (issue 12)
    account.register(app, session)  # sign-in, my region, review queue, audit (issue 12)
    for d in domains():
        if d.web is not None:
            router = load(d.web)(session, domain_page)
            app.include_router(router, prefix=f"/{d.name}", include_in_schema=False)
    errors.register(app)
