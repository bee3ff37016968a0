"""Why: the next-best volunteer of each assignment and the reason a task went unserved."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from scipy.spatial import cKDTree

from matching.accel.candidates import ArcSet, Space, in_sorted
from matching.geo import chord_for_metres
from matching.result import Unserved

Array = np.ndarray


def next_best(
    space: Space, cands: ArcSet, chosen: ArcSet, exact: bool = False, threads: int = 1
) -> tuple[Array, Array]:
    """For each chosen arc: the cheapest other volunteer of its task (-1 if none) and how much
    more it would cost (distance - bonus). Among the candidates generated on the way, or, when
    `exact`, among every eligible volunteer: the cheapest is a continuity pair or else the
    nearest eligible one, searched nearest first (`_pairs_of`)."""
    nv, nt = space.nv, space.p.n_tasks
    taken = np.sort(chosen.task * nv + chosen.vol)
    if exact:
        tasks = np.unique(chosen.task)
        bt, bv, _ = space.p.bonus
        mine = np.isin(bt, tasks)
        alts = [_others(space.arcs_for(bt[mine], bv[mine]), taken, nv)]
        has = np.zeros(nt, dtype=bool)  # an eligible other volunteer among the nearest
        for t, v in _pairs_of(space, tasks, np.arange(nv), lambda t: ~has[t], threads):
            a = _others(space.arcs_for(t, v), taken, nv)
            has[a.task] = True
            alts.append(a)
    else:
        alts = [_others(cands, taken, nv)]
    other = ArcSet.concat(alts)
    task, cost = other.task, other.cost
    best_c = np.full(nt, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best_c, task, cost)
    first = np.full(nt, other.size, dtype=np.int64)  # ties: the first such candidate
    at_best = cost == best_c[task]
    np.minimum.at(first, task[at_best], np.flatnonzero(at_best))
    found = first < other.size
    best_v = np.full(nt, -1, dtype=np.int64)
    best_v[found] = other.vol[first[found]]
    nb = best_v[chosen.task]
    extra = np.where(nb >= 0, best_c[chosen.task] - chosen.cost, 0)
    return nb, extra


def _others(arcs: ArcSet, taken: Array, nv: int) -> ArcSet:
    """The arcs whose volunteer does not already serve their task (`taken`: sorted keys)."""
    return arcs.take(np.flatnonzero(~in_sorted(taken, arcs.task * nv + arcs.vol)))


# Nearest volunteers looked at per task before a range query: an unserved task usually has a
# free eligible volunteer close by (measured on the district: all 3,715 unserved tasks did)
WITNESS_K = 32
FIRST_K = 8  # ... of which the first step looks at this many (most tasks need no more)


def unserved_reasons(
    space: Space, assigned: ArcSet, threads: int = 1
) -> tuple[Array, Array, Array]:
    """Tasks served fewer times than their demand, missing units and an `Unserved` code.

    Each task needs one witness, not every pair: a free eligible volunteer (the task was not
    worth the travel), else any eligible one (all are full), else none. Free witnesses are
    looked for among the volunteers with a task to spare, the others only for the tasks still
    without an eligible one, nearest first (`_pairs_of`)."""
    p = space.p
    served = np.bincount(assigned.task, minlength=p.n_tasks)
    tasks = np.flatnonzero(served < p.task_demand)
    check = _Check(space, assigned)
    spare = check.used < p.vol_max_tasks
    any_ok = np.zeros(p.n_tasks, dtype=bool)
    any_free = np.zeros(p.n_tasks, dtype=bool)
    for t, v in _pairs_of(space, tasks, np.flatnonzero(spare), lambda t: ~any_free[t], threads):
        ok, free = check(t, v)
        any_ok[t[ok]] = True
        any_free[t[free]] = True
    rest = tasks[~any_ok[tasks]]
    for t, v in _pairs_of(space, rest, np.flatnonzero(~spare), lambda t: ~any_ok[t], threads):
        any_ok[t[check(t, v)[0]]] = True
    reason = np.where(
        ~any_ok[tasks],
        Unserved.NO_ELIGIBLE_VOLUNTEER,
        np.where(~any_free[tasks], Unserved.ALL_ELIGIBLE_FULL, Unserved.NOT_WORTH_TRAVEL),
    ).astype(np.int8)
    return tasks, (p.task_demand - served)[tasks], reason


class _Check:
    """Whether pairs are eligible (skills, availability, reach, not forbidden) and free (the
    volunteer has a task and the hours to spare and does not serve this task already)."""

    def __init__(self, space: Space, assigned: ArcSet) -> None:
        p, nv = space.p, space.nv
        self.space = space
        self.used = np.bincount(assigned.vol, minlength=p.n_vols)
        self.hours = np.bincount(assigned.vol, weights=assigned.load, minlength=p.n_vols)
        self.taken = np.sort(assigned.task * nv + assigned.vol)
        self.forbidden = np.sort(p.forbidden[0] * nv + p.forbidden[1])

    def __call__(self, t: Array, v: Array) -> tuple[Array, Array]:
        p = self.space.p
        _, load, ok = self.space.measure(t, v)
        keys = t * self.space.nv + v
        ok &= ~in_sorted(self.forbidden, keys)
        full = (self.used[v] >= p.vol_max_tasks[v]) | (
            self.hours[v] + load > p.vol_max_hours[v] + 1e-9
        )
        full |= in_sorted(self.taken, keys)
        return ok, ok & ~full


def _pairs_of(
    space: Space, tasks: Array, vols: Array, open_: Callable[[Array], Array], threads: int = 1
) -> Iterator[tuple[Array, Array]]:
    """(task, volunteer) pairs of `tasks` and `vols` within reach, lazily in chunks, each task
    only while `open_` says it still needs a witness: its FIRST_K nearest, then its WITNESS_K
    nearest, then all within reach (each step only for the tasks whose last step found no
    witness and had more volunteers within reach)."""
    if tasks.size == 0 or vols.size == 0:
        return
    if space.p.geo is None:
        a = space.p.arcs
        assert a is not None
        sel = np.flatnonzero(np.isin(a.task, tasks) & np.isin(a.vol, vols))
        yield a.task[sel], a.vol[sel]
        return
    tree = space.vol_tree if vols.size == space.nv else cKDTree(space.vol_xyz[vols])
    reach = float(chord_for_metres(space.max_reach)) * (1 + 1e-9)  # nothing on the edge lost
    # a later step looks at the first ones again: equally near volunteers may come in another
    # order, and a pair seen twice changes no answer
    for k in sorted({min(FIRST_K, WITNESS_K, vols.size), min(WITNESS_K, vols.size)}):
        if tasks.size == 0:
            return
        xyz = space.task_xyz[tasks]
        _, ii = tree.query(xyz, k=k, distance_upper_bound=reach, workers=threads)
        ii = ii.reshape(tasks.size, k)
        found = ii < vols.size
        yield np.broadcast_to(tasks[:, None], found.shape)[found], vols[ii[found]]
        more = found[:, -1] & (k < vols.size)  # all k within reach: others may be too
        tasks = tasks[more & open_(tasks)]
    radius = np.full(tasks.size, space.max_reach)
    for t, v, _ in space.pairs_within(tasks, radius, vols):
        yield t, v
