"""Ids are checked against the columns' range once, at the edge, for every route.

Primary keys are PostgreSQL `serial` (int4) columns: an id above 2^31 - 1 (or one SQLite cannot
store) once reached the driver and answered 500 on every operation taking an id. Here any path
parameter or `..._id` query parameter outside 1..MAX_ID answers 404 (no such object) before the
handler runs, on both engines alike.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from litestar.types import ASGIApp, Receive, Scope, Send

from marketplace.errors import NotFound

MAX_ID = 2**31 - 1  # PostgreSQL serial; SQLite's rowids go further, but no row ever gets there


def is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def _out_of_range(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return not 1 <= value <= MAX_ID


def check_ids(scope: Scope) -> None:
    """Raise NotFound naming the first id parameter outside the columns' range."""
    for name, value in (scope.get("path_params") or {}).items():
        if _out_of_range(value):
            raise NotFound("No such object.", code="not_found", field=name)
    query = scope.get("query_string") or b""
    if not query:
        return
    for name, raw in parse_qsl(query.decode("latin-1")):
        if is_id(name) and raw.lstrip("-").isdigit() and _out_of_range(int(raw)):
            raise NotFound("No such object.", code="not_found", field=name)


def id_guard(app: ASGIApp) -> ASGIApp:
    """Route middleware (it runs after routing, when the path parameters are parsed)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            check_ids(scope)
        await app(scope, receive, send)

    return middleware
