"""Fixtures: a database per engine (built by the migrations), the app over HTTP, small factories."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.conftest import PG_URL, REDIS_URL

ENGINES = ["sqlite", "postgres"]


async def _pg_reachable(url: str) -> str | None:
    import asyncpg

    try:
        conn = await asyncio.wait_for(asyncpg.connect(dsn=url), timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure means "skip with the reason"
        return f"PostgreSQL not reachable at {url.split('@')[-1]} ({type(exc).__name__}); set DATABASE_URL"
    await conn.close()
    return None


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _migrate() -> None:
    from marketplace.cli import migrate

    await migrate()


@pytest_asyncio.fixture(scope="session", params=ENGINES)
async def database(request, tmp_path_factory) -> AsyncIterator[str]:
    """A fresh database per engine with the schema built by running the migrations."""
    from piccolo.engine.postgres import PostgresEngine

    from marketplace import db

    kind = request.param
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("db") / "lianxin.sqlite"
        engine = db.sqlite_engine(str(path))
        await db.use_engine(engine)
        await db.prepare_engine(engine)
        await _migrate()
        yield kind
        return
    reason = await _pg_reachable(PG_URL)
    if reason:
        pytest.skip(reason)
    import asyncpg

    name = f"lianxin_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(dsn=PG_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    engine = PostgresEngine(config={"dsn": _with_database(PG_URL, name)})
    await db.use_engine(engine)
    try:
        await _migrate()
        yield kind
    finally:
        await db.release_engine(engine)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture
async def clean(database) -> AsyncIterator[str]:
    """Each test starts from empty tables and leaves them empty."""
    yield database
    from marketplace.db import all_tables, engine

    tables = [t for t in all_tables() if t._meta.tablename != "migration"]
    if engine().engine_type == "postgres":
        names = ", ".join(f'"{t._meta.tablename}"' for t in tables)
        await engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        for table in reversed(tables):
            await table.delete(force=True)


async def redis_reason() -> str | None:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        await asyncio.wait_for(client.ping(), timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"Redis not reachable at {REDIS_URL} ({type(exc).__name__}); set REDIS_URL"
    finally:
        await client.aclose()
    return None


def settings_for(store: str = "memory", **overrides):
    from marketplace.settings import Settings

    base = Settings(sqlite_path=Path(os.environ["LIANXIN_SQLITE_PATH"]))
    if store == "redis":
        base = replace(base, redis_url=REDIS_URL)
    return replace(base, **overrides)


class Running:
    """The app started through its lifespan on the test loop, with clients that keep cookies."""

    def __init__(self, app) -> None:
        self.app = app
        self._stop = asyncio.Event()
        self._started = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._clients: list[httpx.AsyncClient] = []

    async def _run(self) -> None:
        async with self.app.lifespan():
            self._started.set()
            await self._stop.wait()

    async def start(self) -> Running:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self._started.wait(), timeout=30)
        return self

    def client(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app)
        c = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self._clients.append(c)
        return c

    async def stop(self) -> None:
        for c in self._clients:
            await c.aclose()
        self._stop.set()
        if self._task:
            await self._task


async def start_app(settings) -> Running:
    from marketplace.app import create_app

    return await Running(create_app(settings)).start()


@pytest_asyncio.fixture
async def running(clean, request) -> AsyncIterator[Running]:
    """The app on the memory store, over the current engine (settings: @pytest.mark.settings)."""
    marker = request.node.get_closest_marker("settings")
    app = await start_app(settings_for("memory", **(marker.kwargs if marker else {})))
    yield app
    await app.stop()
