"""Using `Params.threads` cores: threads for the KD-tree and numpy work (both release the GIL),
worker processes for OR-Tools' min-cost flow (its solve holds the GIL, so threads would run it
one at a time; measured on 2 cores: four 200k-arc solves in 1.05 s serially, 0.94 s in threads).

The worker processes are plain `python -m matching.accel.worker` children joined by two pipes, not a
multiprocessing pool: those re-import the caller's main script in every child, which breaks any
script without a `__main__` guard. They start once per Python process and serve every later
solve; a child exits when its pipe closes, so it never outlives the caller. Starting them is
asynchronous: a large certified solve asks for them first, they boot on the other core while
this one builds the candidate set, and until they report ready the work runs in line (a small
solve would only wait for them). With one thread nothing of this starts.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TypeVar

import numpy as np

Array = np.ndarray
T = TypeVar("T")
R = TypeVar("R")


class _Process:
    """One worker process: send it a job, receive its result."""

    def __init__(self) -> None:
        job_r, job_w = os.pipe()
        out_r, out_w = os.pipe()
        root = str(Path(__file__).resolve().parent.parent)  # where `matching` is importable
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "matching.accel.worker", str(job_r), str(out_w)],
            pass_fds=(job_r, out_w),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        os.close(job_r)
        os.close(out_w)
        self.jobs = Connection(job_w, readable=False)
        self.results = Connection(out_r, writable=False)
        self.booted = False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ready(self) -> bool:
        """Whether the worker has finished importing (it says so once, before any job)."""
        if not self.booted and self.results.poll(0):
            self.booted = self.results.recv() == ("ready", None)
        return self.booted


class _Processes:
    """The worker processes of this Python process, started on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # one solve at a time uses them; others run in line
        self.procs: list[_Process] = []

    def ensure(self, n: int) -> None:
        """Start workers until n are running (they boot in the background)."""
        self.procs = [p for p in self.procs if p.alive()]
        while len(self.procs) < n:
            self.procs.append(_Process())

    def ready(self, n: int) -> list[_Process]:
        """Up to n workers that are running and have booted (never waits for one)."""
        return [p for p in self.procs if p.alive() and p.ready()][:n]


_PROCESSES = _Processes()


def _run_in(
    procs: list[_Process], fn: Callable[..., R], jobs: Iterator[tuple[object, ...]]
) -> list[R]:
    """Each job to the next idle worker; one job per worker at a time, so neither side ever
    blocks writing into a full pipe while the other does the same. After a failed job no new
    job is sent, the running ones are collected (no stale answer stays in a pipe), then the
    error is raised."""
    name = (fn.__module__, fn.__qualname__)
    results: dict[int, R] = {}
    busy: dict[Connection, int] = {}
    idle = list(procs)
    numbered = enumerate(jobs)
    failed: str | None = None
    ahead = next(numbered, None)  # the next job, made while the workers are busy
    while True:
        while idle and failed is None and ahead is not None:
            proc = idle.pop()
            proc.jobs.send((name, ahead[1]))
            busy[proc.results] = ahead[0]
            ahead = next(numbered, None)
        if not busy:
            if failed is not None:
                raise RuntimeError(f"worker process failed: {failed}")
            return [results[i] for i in range(len(results))]
        for conn in wait(list(busy)):
            assert isinstance(conn, Connection)
            index = busy.pop(conn)
            try:
                kind, value = conn.recv()
            except (EOFError, OSError):  # the worker died: it takes no further job
                failed = failed or "a worker process exited"
                continue
            if kind == "error":
                failed = failed or value
            else:
                results[index] = value
            idle.append(next(p for p in procs if p.results is conn))


class Workers:
    """`threads` cores for one solve: `map` runs a function over items in threads, `run` runs
    jobs (flow solves: OR-Tools holds the GIL) in the worker processes."""

    def __init__(self, threads: int, boot: bool = False) -> None:
        """`boot`: start the worker processes if they are not running yet. `run` uses only
        workers that have booted and runs in line otherwise, so a solve never waits for one."""
        self.n = max(1, int(threads))
        self._threads = ThreadPoolExecutor(self.n) if self.n > 1 else None
        if self.n > 1 and boot and _PROCESSES.lock.acquire(blocking=False):
            try:
                _PROCESSES.ensure(self.n)
            finally:
                _PROCESSES.lock.release()

    def warm_up(self, timeout_s: float = 30.0) -> bool:
        """Start the worker processes and wait until they have booted (a service may call this
        at start-up); False if they are not all ready within the timeout."""
        if self.n == 1:
            return True
        with _PROCESSES.lock:
            _PROCESSES.ensure(self.n)
            end = time.monotonic() + timeout_s
            while len(_PROCESSES.ready(self.n)) < self.n:
                if time.monotonic() > end:
                    return False
                time.sleep(0.01)
        return True

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """fn over items, in order; in threads when there are several cores."""
        if self._threads is None:
            return [fn(x) for x in items]
        return list(self._threads.map(fn, items))

    def run(self, fn: Callable[..., R], jobs: Iterator[tuple[object, ...]]) -> list[R]:
        """`fn(*job)` for each job, in order: in the worker processes when there are several
        cores, several jobs and booted workers, else in line. `fn` must be a module-level
        function of this package (the workers import it by name)."""
        first = next(jobs, None)
        if first is None:
            return []
        second = next(jobs, None)
        if second is None:
            return [fn(*first)]
        chained = itertools.chain([first, second], jobs)
        if self.n > 1 and _PROCESSES.lock.acquire(blocking=False):
            try:
                procs = _PROCESSES.ready(self.n)
                if procs:
                    return _run_in(procs, fn, chained)
            finally:
                _PROCESSES.lock.release()
        return [fn(*job) for job in chained]

    def close(self) -> None:
        if self._threads is not None:
            self._threads.shutdown(wait=True)
            self._threads = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


IN_LINE = Workers(1)


def boot(threads: int) -> None:
    """Start the worker processes for solves with `threads` cores, in the background (a
    service calls this at start-up, so its first large solve does not pay for their boot:
    measured on 2 cores: a district solve in a fresh process took 0.35–1.7 s longer than one
    whose workers were up)."""
    Workers(threads, boot=True).close()
