"""The SAQ worker that executes matching runs when REDIS_URL is set.

Start it with `make worker` (python -m marketplace.cli worker). It publishes progress and
notifications through Redis channels, so every app process sees them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis
from saq import CronJob, Queue, Worker

from marketplace import db
from marketplace.dispatch import sweeps
from marketplace.dispatch.executors import JOB, SaqExecutor
from marketplace.dispatch.runner import boot_solver, execute_run
from marketplace.notifications import service as notices
from marketplace.notifications.service import BackendPublisher
from marketplace.settings import Settings, get_settings

log = logging.getLogger(__name__)


async def run_matching(ctx: dict[str, Any], *, run_id: int) -> None:
    await execute_run(run_id, settings=ctx["settings"], publisher=ctx["publisher"])


async def sweep_job(ctx: dict[str, Any]) -> None:
    for run_id in await sweeps.sweep(settings=ctx["settings"], publisher=ctx["publisher"]):
        await ctx["executor"].submit(run_id)


def make_worker(settings: Settings) -> Worker:
    """A SAQ worker bound to the settings' Redis and database."""
    assert settings.redis_url, "the worker needs REDIS_URL"
    queue = Queue.from_url(settings.redis_url, name=settings.job_queue)
    redis = Redis.from_url(settings.redis_url)
    backend = RedisChannelsPubSubBackend(redis=redis)

    async def startup(ctx: dict[str, Any]) -> None:
        await db.prepare_engine(db.engine())
        await backend.on_startup()
        boot_solver(settings)
        ctx["settings"] = settings
        ctx["publisher"] = BackendPublisher(backend)
        notices.start_delivery(publisher=ctx["publisher"], settings=settings)
        executor = SaqExecutor(settings)
        executor.queue = queue
        ctx["executor"] = executor
        for run_id in await sweeps.queued_runs():
            await executor.submit(run_id)

    async def shutdown(ctx: dict[str, Any]) -> None:
        await backend.on_shutdown()
        await redis.aclose()
        await db.release_engine(db.engine())

    return Worker(
        queue,
        functions=[(JOB, run_matching)],
        cron_jobs=[CronJob(sweep_job, cron="* * * * *")],
        startup=startup,
        shutdown=shutdown,
        concurrency=2,
    )


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    if not settings.redis_url:
        raise SystemExit("The worker needs REDIS_URL; without it runs execute inside the app.")
    asyncio.run(make_worker(settings).start())
