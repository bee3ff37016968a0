"""Where matching runs execute: in-process by default, a SAQ job queue on Redis with REDIS_URL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol, runtime_checkable

from marketplace.dispatch import sweeps
from marketplace.dispatch.runner import boot_solver, execute_run
from marketplace.notifications.service import Publisher
from marketplace.settings import Settings

log = logging.getLogger(__name__)
JOB = "run_matching"


@runtime_checkable
class Executor(Protocol):
    async def submit(self, run_id: int) -> None: ...
    async def start(self) -> None: ...
    async def close(self) -> None: ...


class InProcessExecutor:
    """Runs each matching run as a task on the app's own event loop (the solve in a thread)."""

    def __init__(
        self, settings: Settings, publisher: Publisher | None, sweep_every_s: float = 30.0
    ):
        self.settings = settings
        self.publisher = publisher
        self.sweep_every_s = sweep_every_s
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

    async def close(self) -> None:
        if self._sweeper:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self.wait_idle()


class SaqExecutor:
    """Enqueues runs on a SAQ queue in Redis; `make worker` (python -m marketplace.cli worker) runs them."""

    def __init__(self, settings: Settings):
        from saq import Queue

        assert settings.redis_url, "SaqExecutor needs REDIS_URL"
        self.queue = Queue.from_url(settings.redis_url, name=settings.job_queue)

    async def submit(self, run_id: int) -> None:
        await self.queue.enqueue(JOB, run_id=run_id, timeout=600, retries=1)

    async def start(self) -> None:
        await self.queue.connect()

    async def close(self) -> None:
        await self.queue.disconnect()
