"""Why: the next-best volunteer of each assignment and the reason a task went unserved."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from matching.candidates import ArcSet, Space, in_sorted
from matching.result import Unserved

Array = np.ndarray


def next_best(space: Space, cands: ArcSet, chosen: ArcSet) -> tuple[Array, Array]:
    """For each chosen arc: the cheapest other candidate volunteer of its task (-1 if none)
    and how much more it would cost (distance - bonus)."""
    nv, nt = space.nv, space.p.n_tasks
    taken = np.sort(chosen.task * nv + chosen.vol)
    other = np.flatnonzero(~in_sorted(taken, cands.task * nv + cands.vol))
    task, cost = cands.task[other], cands.cost[other]
    best_c = np.full(nt, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best_c, task, cost)
    first = np.full(nt, cands.size, dtype=np.int64)  # ties: the first such candidate
    at_best = cost == best_c[task]
    np.minimum.at(first, task[at_best], other[at_best])
    has = first < cands.size
    best_v = np.full(nt, -1, dtype=np.int64)
    best_v[has] = cands.vol[first[has]]
    nb = best_v[chosen.task]
    extra = np.where(nb >= 0, best_c[chosen.task] - chosen.cost, 0)
    return nb, extra


def _pairs_of(space: Space, tasks: Array) -> Iterator[tuple[Array, Array]]:
    """Every (task, volunteer) pair within reach of `tasks`, lazily in chunks."""
    if space.p.geo is None:
        a = space.p.arcs
        assert a is not None
        sel = np.flatnonzero(np.isin(a.task, tasks))
        yield a.task[sel], a.vol[sel]
        return
    radius = np.full(tasks.size, space.max_reach)
    for t, v, _ in space.pairs_within(tasks, radius):
        yield t, v


def unserved_reasons(space: Space, assigned: ArcSet) -> tuple[Array, Array, Array]:
    """Tasks served fewer times than their demand, missing units and an `Unserved` code."""
    p = space.p
    served = np.bincount(assigned.task, minlength=p.n_tasks)
    tasks = np.flatnonzero(served < p.task_demand)
    used = np.bincount(assigned.vol, minlength=p.n_vols)
    hours = np.bincount(assigned.vol, weights=assigned.load, minlength=p.n_vols)
    taken = np.sort(assigned.task * space.nv + assigned.vol)
    any_ok = np.zeros(p.n_tasks, dtype=bool)
    any_free = np.zeros(p.n_tasks, dtype=bool)
    for t, v in _pairs_of(space, tasks):
        _, load, ok = space.measure(t, v)
        keys = t * space.nv + v
        ok &= ~in_sorted(np.sort(p.forbidden[0] * space.nv + p.forbidden[1]), keys)
        full = (used[v] >= p.vol_max_tasks[v]) | (hours[v] + load > p.vol_max_hours[v] + 1e-9)
        full |= in_sorted(taken, keys)
        any_ok[t[ok]] = True
        any_free[t[ok & ~full]] = True
    reason = np.where(
        ~any_ok[tasks],
        Unserved.NO_ELIGIBLE_VOLUNTEER,
        np.where(~any_free[tasks], Unserved.ALL_ELIGIBLE_FULL, Unserved.NOT_WORTH_TRAVEL),
    ).astype(np.int8)
    return tasks, (p.task_demand - served)[tasks], reason
