"""The SAQ worker that executes matching runs when REDIS_URL is set.

Start it with `make worker` (python -m marketplace.cli worker). It starts from the same bootstrap
as the app (settings from the environment over `.env`, logging, task sources), refuses to start
when it cannot reach the configured database or Redis, beats a heartbeat the app reads to say "no
worker is running", and sweeps every `sweep_every_s` seconds so a dead worker's run is retried
within about `run_heartbeat_timeout_s + sweep_every_s` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from saq import Worker
from saq.queue.redis import RedisQueue

from marketplace import db
from marketplace.bootstrap import bootstrap
from marketplace.core.redis import make_redis
from marketplace.dispatch import sweeps
from marketplace.dispatch.executors import JOB, SaqExecutor, beat, describe_database
from marketplace.dispatch.runner import boot_solver, execute_run
from marketplace.notifications import service as notices
from marketplace.notifications.service import BackendPublisher
from marketplace.settings import Settings

log = logging.getLogger(__name__)


async def run_matching(ctx: dict[str, Any], *, run_id: int) -> None:
    await execute_run(run_id, settings=ctx["settings"], publisher=ctx["publisher"])


async def sweep_job(ctx: dict[str, Any]) -> list[int]:
    """Every periodic duty once; runs to retry go back on the queue. Returns their ids."""
    retry = await sweeps.sweep(settings=ctx["settings"], publisher=ctx["publisher"])
    for run_id in retry:
        await ctx["executor"].submit(run_id)
    return retry


async def _every(seconds: float, ctx: dict[str, Any]) -> None:
    """The heartbeat and the sweep, until the worker stops; one failure never stops the next."""
    while True:
        try:
            await beat(ctx["redis"], ctx["settings"])
            await sweep_job(ctx)
        except Exception:
            log.exception("sweep or heartbeat failed")
        await asyncio.sleep(seconds)


async def open_context(settings: Settings, queue: Any) -> dict[str, Any]:
    """What the jobs need: the database pool, the Redis channels, an executor on the queue."""
    bootstrap(settings)
    await db.prepare_engine(db.engine(), settings)
    redis = make_redis(settings, blocking_reads=True)
    backend = RedisChannelsPubSubBackend(redis=redis)
    await backend.on_startup()
    boot_solver(settings)
    publisher = BackendPublisher(backend)
    notices.start_delivery(publisher=publisher, settings=settings)
    return {
        "settings": settings,
        "publisher": publisher,
        "backend": backend,
        "executor": SaqExecutor(settings, queue=queue),
        "redis": redis,
    }


async def close_context(ctx: dict[str, Any]) -> None:
    if ticker := ctx.pop("ticker", None):
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
    await ctx["backend"].on_shutdown()
    await ctx["redis"].aclose()
    await db.release_engine(db.engine())


def make_worker(settings: Settings) -> Worker:
    """A SAQ worker bound to the settings' Redis and database."""
    assert settings.redis_url, "the worker needs REDIS_URL"
    bootstrap(settings)
    queue = RedisQueue(make_redis(settings, blocking_reads=True), name=settings.job_queue)

    async def startup(ctx: dict[str, Any]) -> None:
        ctx.update(await open_context(settings, queue))
        await beat(ctx["redis"], settings)
        for run_id in await sweeps.queued_runs():
            await ctx["executor"].submit(run_id)
        ctx["ticker"] = asyncio.create_task(_every(settings.sweep_every_s, ctx))

    return Worker(
        queue,
        functions=[(JOB, run_matching)],
        startup=startup,
        shutdown=close_context,
        concurrency=2,
    )


async def preflight(settings: Settings) -> None:
    """Refuse to start (SystemExit with the reason) unless the database and Redis answer and the
    database has the schema: a worker on the wrong database takes jobs it can never finish."""
    where = describe_database(settings)
    engine = db.engine()
    try:
        await asyncio.wait_for(engine.run_ddl("SELECT 1"), settings.db_connect_timeout_s + 1)
        from marketplace.dispatch.tables import MatchingRun

        await asyncio.wait_for(MatchingRun.count(), settings.db_connect_timeout_s + 1)
    except Exception as exc:
        raise SystemExit(
            f"The worker cannot use the database {where} ({type(exc).__name__}: {exc}). "
            "Set DATABASE_URL (in the environment or .env) to the app's database and run "
            "`make migrate`."
        ) from exc
    client = make_redis(settings)
    try:
        await client.ping()
    except Exception as exc:
        raise SystemExit(f"The worker cannot reach Redis ({type(exc).__name__}: {exc}).") from exc
    finally:
        await client.aclose()
    log.info("worker: database %s, queue %s", where, settings.job_queue)


def main() -> None:
    settings = bootstrap()
    if not settings.redis_url:
        raise SystemExit("The worker needs REDIS_URL; without it runs execute inside the app.")
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    await preflight(settings)
    await make_worker(settings).start()
