"""What the API's routes share, the domains' included: errors, JSON with ETags, exports
(CSV neutralised against formula injection, Parquet) and cursor paging."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
from fastapi import Query, Request
from fastapi.responses import Response

from ecoplan.core.exports import csv_text

__all__ = ["MAX_LIMIT", "ApiError", "Fmt", "JsonOnly", "Limit", "export", "json_response", "page"]

MAX_LIMIT = 1000

Fmt = Query("json", pattern="^(json|csv|parquet)$", description="json (paged), csv or parquet (all rows)")
Limit = Query(100, ge=1, le=MAX_LIMIT)
# A resource with no export still refuses ?format=csv|xml… rather than ignoring it.
JsonOnly = Query("json", pattern="^json$", description="json only (this resource has no export)")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def json_response(request: Request, data: Any) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    etag = '"' + hashlib.sha1(body).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json; charset=utf-8", headers=headers)


def export(rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    frame = pd.DataFrame(rows)
    if fmt == "csv":
        return Response(
            csv_text(frame).encode("utf-8-sig"),  # text a spreadsheet could run is neutralised
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return Response(
        buf.getvalue(),
        media_type="application/vnd.apache.parquet",
        headers={"Content-Disposition": f'attachment; filename="{name}.parquet"'},
    )


def page(
    request: Request,
    rows: list[dict[str, Any]],
    key: Callable[[dict[str, Any]], str],
    cursor: str | None,
    limit: int,
    fmt: str,
    name: str,
) -> Response:
    """Cursor pagination over ``rows`` sorted by ``key`` (stable, unique)."""
    rows = sorted(rows, key=key)
    if fmt in ("csv", "parquet"):
        return export(rows, fmt, name)
    start = 0
    if cursor is not None:
        keys = [key(r) for r in rows]
        if cursor not in keys:
            raise ApiError(400, "invalid_cursor", f"cursor {cursor!r} does not point into this collection")
        start = keys.index(cursor) + 1
    items = rows[start : start + limit]
    more = start + limit < len(rows)
    return json_response(
        request,
        {"items": items, "next_cursor": key(items[-1]) if more and items else None, "total": len(rows)},
    )
