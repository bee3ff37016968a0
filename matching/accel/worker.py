"""A worker process for matching.accel.parallel: `python -m matching.accel.worker JOBS_FD RESULTS_FD`.

It receives ((module, function), args) on JOBS_FD, runs the function (only functions of the
matching package) and sends back ("ok", result) or ("error", message) on RESULTS_FD; it exits
when the caller closes the jobs pipe."""

from __future__ import annotations

import importlib
import sys
from multiprocessing.connection import Connection


def main(jobs_fd: int, results_fd: int) -> None:
    import matching.accel.components  # noqa: F401  (the solver, imported before the first job)

    jobs, results = Connection(jobs_fd, writable=False), Connection(results_fd, readable=False)
    results.send(("ready", None))
    while True:
        try:
            (module, name), args = jobs.recv()
        except EOFError:
            return
        try:
            if module.split(".")[0] != "matching":
                raise ValueError(f"not a matching function: {module}.{name}")
            results.send(("ok", getattr(importlib.import_module(module), name)(*args)))
        except Exception as exc:  # the caller raises it; the worker stays up for the next
            results.send(("error", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
