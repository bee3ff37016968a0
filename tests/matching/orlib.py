"""Readers for the OR-Library instances in /work/shared/benchmarks/orlib."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matching import Problem

ORLIB = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks" / "orlib"
BIG = 10**6  # value of every task: large enough that serving all of them is optimal


def assignment(name: str) -> tuple[Problem, int]:
    """An OR-Library linear assignment instance (dense or sparse) as a from_arcs problem."""
    nums = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(nums[0])
    if name.startswith("assignp"):
        trip = nums[1:].reshape(-1, 3)
        t, v, c = trip[:, 0] - 1, trip[:, 1] - 1, trip[:, 2]
    else:
        t, v = np.divmod(np.arange(n * n), n)
        c = nums[1 : 1 + n * n]
    p = Problem.from_arcs(
        arc_task=t,
        arc_vol=v,
        arc_cost=c,
        task_value=np.full(n, BIG),
        vol_max_tasks=np.ones(n, np.int64),
    )
    return p, n


def gap(name: str) -> tuple[Problem, int]:
    """An OR-Library generalised assignment instance: agents are volunteers with hour
    capacities, jobs are tasks that must all be served."""
    nums = np.array((ORLIB / "gap" / name).read_text().split(), dtype=np.float64)
    m, n = int(nums[0]), int(nums[1])
    c = nums[2 : 2 + m * n].reshape(m, n)
    a = nums[2 + m * n : 2 + 2 * m * n].reshape(m, n)
    b = nums[2 + 2 * m * n : 2 + 2 * m * n + m]
    agent, job = np.divmod(np.arange(m * n), n)
    p = Problem.from_arcs(
        arc_task=job,
        arc_vol=agent,
        arc_cost=c.ravel().astype(np.int64),
        arc_hours=a.ravel(),
        task_value=np.full(n, BIG),
        vol_max_tasks=np.full(m, n),
        vol_max_hours=b,
    )
    return p, n


def gap_optimum(name: str) -> int:
    for line in (ORLIB / "gap" / "data.csv").read_text().splitlines()[1:]:
        cols = line.split(",")
        if cols[0].split("/")[-1] == name:
            return int(cols[6])
    raise KeyError(name)
