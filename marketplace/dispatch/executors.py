"""Where matching runs execute: in-process by default, a SAQ job queue on Redis with REDIS_URL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlparse

import msgspec

from marketplace import messages
from marketplace.dispatch import sweeps
from marketplace.dispatch.runner import boot_solver, execute_run
from marketplace.dispatch.schemas import RunRead
from marketplace.notifications.service import Publisher
from marketplace.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)
JOB = "run_matching"


@runtime_checkable
class Executor(Protocol):
    async def submit(self, run_id: int) -> None: ...
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def worker_alive(self) -> bool: ...


async def with_worker_status(run: RunRead, executor: Executor, lang: str) -> RunRead:
    """A queued run says so when no worker is alive to take it (the coordinator's page and the
    API show the notice instead of a run that waits forever without a hint)."""
    if run.state != "queued" or await executor.worker_alive():
        return run
    notice = messages.render("dispatch_no_worker", lang)
    return msgspec.structs.replace(run, worker_missing=True, notice=notice)


def heartbeat_key(settings: Settings) -> str:
    return f"{settings.redis_namespace}:worker:{settings.job_queue}:heartbeat"


async def beat(redis: Redis, settings: Settings) -> None:
    """A worker is alive while this key lives (it expires `worker_heartbeat_ttl_s` after the
    last beat); the app reads it to tell a coordinator that queued runs have nobody to run them."""
    ttl_ms = int(settings.worker_heartbeat_ttl_s * 1000)
    await redis.set(heartbeat_key(settings), describe_database(settings), px=ttl_ms)


def describe_database(settings: Settings) -> str:
    """Where the data lives, without credentials: postgresql://host:port/name or the SQLite path."""
    url = settings.database_url
    if not url:
        return f"sqlite:///{settings.sqlite_path}"
    parts = urlparse(url)
    if parts.scheme.startswith("postgres"):
        return f"{parts.scheme}://{parts.hostname}:{parts.port or 5432}{parts.path}"
    return url


class InProcessExecutor:
    """Runs each matching run as a task on the app's own event loop (the solve in a thread)."""

    def __init__(
        self, settings: Settings, publisher: Publisher | None, sweep_every_s: float | None = None
    ):
        self.settings = settings
        self.publisher = publisher
        self.sweep_every_s = sweep_every_s or settings.sweep_every_s
        self._tasks: set[asyncio.Task] = set()
        self._sweeper: asyncio.Task | None = None

    async def submit(self, run_id: int) -> None:
        task = asyncio.create_task(
            execute_run(run_id, settings=self.settings, publisher=self.publisher)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self) -> None:
        boot_solver(self.settings)
        for run_id in await sweeps.queued_runs():
            await self.submit(run_id)
        self._sweeper = asyncio.create_task(self._sweep_forever())

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_every_s)
            try:
                for run_id in await sweeps.sweep(settings=self.settings, publisher=self.publisher):
                    await self.submit(run_id)
            except Exception:  # a failed sweep must not stop the next one
                log.exception("sweep failed")

    async def wait_idle(self) -> None:
        """Wait for the runs in flight (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def worker_alive(self) -> bool:
        """The app process itself runs the runs."""
        return True

    async def close(self) -> None:
        if self._sweeper:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self.wait_idle()


class SaqExecutor:
    """Enqueues runs on a SAQ queue in Redis; `make worker` (python -m marketplace.cli worker) runs them."""

    def __init__(self, settings: Settings, queue: Any = None):
        from saq.queue.redis import RedisQueue

        from marketplace.core.redis import make_redis

        assert settings.redis_url, "SaqExecutor needs REDIS_URL"
        self.settings = settings
        self.queue = queue or RedisQueue(
            make_redis(settings, blocking_reads=True), name=settings.job_queue
        )

    async def submit(self, run_id: int) -> None:
        # SAQ's own retry is off: a run whose worker died is retried by the sweep (its heartbeat
        # in the database goes stale), which also counts the attempts and fails it at the last
        await self.queue.enqueue(JOB, run_id=run_id, timeout=600, retries=0)

    async def start(self) -> None:
        await self.queue.connect()

    async def worker_alive(self) -> bool:
        """Whether some worker beat within `worker_heartbeat_ttl_s`."""
        return bool(await self.queue.redis.exists(heartbeat_key(self.settings)))

    async def close(self) -> None:
        await self.queue.disconnect()
