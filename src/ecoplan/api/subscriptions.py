"""``/api/v1/me/subscriptions``: the signed-in user's notification subscriptions (issue #12).

``GET`` lists them (the webhook secret is never shown again), ``POST`` adds one (the
region must lie inside the caller's scope; the answer shows the webhook secret once,
generated when not given), ``DELETE …/{id}`` removes one. Every write is audited
(``subscription.set``) by :class:`ecoplan.app.notify.Notify`. Mounted by the API's
composition root with the request's principal dependency::

    app.include_router(subscriptions.router(store.app, auth.role(Role.VIEWER), auth.required), tags=["me"])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from ecoplan.app import Ecoplan
from ecoplan.app.notify import KINDS, LEVELS
from ecoplan.core.access import Principal

__all__ = ["NewSubscription", "router"]

_WRITE = {"x-ecoplan-role": "viewer", "x-ecoplan-audit": True}


class NewSubscription(BaseModel):
    """A subscription to add: what to hear of and where."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(pattern=r"^\d{6}$", description="Region code: the subtree (inside your scope)")
    plan: str | None = Field(None, max_length=200, description="Only this plan (default: every plan)")
    min_severity: str = Field(
        "watch", pattern="^(" + "|".join(LEVELS) + ")$", description="red, amber or watch"
    )
    kinds: list[str] = Field(
        default_factory=lambda: list(KINDS),
        min_length=1,
        max_length=len(KINDS),
        description="Any of " + ", ".join(KINDS),
    )
    email: str | None = Field(None, max_length=320)
    webhook_url: str | None = Field(None, max_length=500)
    webhook_secret: str | None = Field(
        None, min_length=16, max_length=200, description="Signing secret (generated when omitted)"
    )


def router(app_of: Callable[[], Ecoplan], principal_dep: Any, read_dep: Any | None = None) -> APIRouter:
    """The routes over the app ``app_of()`` returns; ``principal_dep`` is the FastAPI
    dependency giving the request's signed-in :class:`Principal` for the writes,
    ``read_dep`` the one for ``GET`` (default: ``principal_dep``)."""
    r = APIRouter()
    writer, reader = Depends(principal_dep), Depends(read_dep or principal_dep)

    @r.get("/api/v1/me/subscriptions")
    def list_subscriptions(who: Principal = reader) -> list[dict[str, Any]]:
        """Your notification subscriptions."""
        return app_of().notify.subscriptions(who)

    @r.post("/api/v1/me/subscriptions", status_code=201, openapi_extra=_WRITE)
    def add_subscription(body: NewSubscription, who: Principal = writer) -> dict[str, Any]:
        """Subscribe to warnings, overdue tasks, missing reports and returned submissions
        of a region in your scope; the webhook secret is in this answer only."""
        return app_of().notify.subscribe(
            who,
            region=body.region,
            plan_id=body.plan,
            min_severity=body.min_severity,
            kinds=body.kinds,
            email=body.email,
            webhook_url=body.webhook_url,
            webhook_secret=body.webhook_secret,
        )

    @r.delete("/api/v1/me/subscriptions/{id}", status_code=204, openapi_extra=_WRITE)
    def remove_subscription(id: Annotated[int, Path(ge=1, le=2**31 - 1)], who: Principal = writer) -> None:
        """Remove one of your subscriptions."""
        app_of().notify.unsubscribe(who, id)

    return r
