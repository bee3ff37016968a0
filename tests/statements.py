"""Count the SQL statements the app sends (what a list page costs, whatever its length)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def counted() -> Iterator[list[str]]:
    """Every statement run through the current engine while the block runs, in order."""
    from marketplace import db
    from marketplace.db import engine

    kind = type(engine())  # the engine's class: its instances take no new attributes
    seen: list[str] = []
    run_querystring, run_ddl = kind.run_querystring, kind.run_ddl

    async def counting_querystring(self, querystring, *args, **kwargs):
        seen.append(str(querystring)[:200])
        return await run_querystring(self, querystring, *args, **kwargs)

    async def counting_ddl(self, ddl, *args, **kwargs):
        seen.append(ddl[:200])
        return await run_ddl(self, ddl, *args, **kwargs)

    fetch_pg = db.fetch_pg

    async def counting_fetch(sql, *args):  # statements sent on asyncpg directly
        seen.append(sql.strip()[:200])
        return await fetch_pg(sql, *args)

    kind.run_querystring, kind.run_ddl = counting_querystring, counting_ddl
    db.fetch_pg = counting_fetch  # type: ignore[assignment]
    try:
        yield seen
    finally:
        kind.run_querystring, kind.run_ddl = run_querystring, run_ddl
        db.fetch_pg = fetch_pg  # type: ignore[assignment]
