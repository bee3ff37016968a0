"""A quick feasible assignment that reaches far where volunteers are scarce: its arcs seed the
certified solve's candidate set, so the first flow already serves busy areas from afar.

Deferred acceptance in rounds, all numpy: every task still in need proposes to its nearest
eligible volunteer with room left; each volunteer keeps the most valuable proposals (then the
nearest) up to its room; the others propose again next round. Proposals come from the task's
candidate list while it lasts, then from a KD-tree of the volunteers with room. Nearest
neighbours alone miss these arcs: in a busy area the volunteers who end up serving are often
hundreds of places down a task's list (measured on the district: up to rank 600), and a first
flow with the seed's arcs is 0.6% from the optimum instead of 2.7%.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from matching.accel.candidates import ArcSet, Space, in_sorted
from matching.accel.parallel import IN_LINE, Workers
from matching.flow import Residual
from matching.geo import chord_for_metres

Array = np.ndarray
FAR_K = 16  # volunteers with room asked per task once its candidate list is used up
STALE_SHARE = 0.0  # rebuild the tree of volunteers with room when more than this share filled


def _first_per_task(a: ArcSet, ok: Array) -> ArcSet:
    """The cheapest arc of each task among those marked ok (arcs sorted by task, then cost)."""
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return ArcSet.empty()
    first = idx[np.r_[True, a.task[idx][1:] != a.task[idx][:-1]]]
    return a.take(first)


def _by_task_then_cost(a: ArcSet) -> bool:
    """Whether the arcs are sorted by task, then cost."""
    same = a.task[1:] == a.task[:-1]
    return bool((a.task[1:] >= a.task[:-1]).all() and (a.cost[1:] >= a.cost[:-1])[same].all())


class _RoomTree:
    """KD-tree of the volunteers with room, rebuilt once a few of them have filled up."""

    def __init__(self, space: Space, workers: Workers) -> None:
        self.space, self.workers = space, workers
        self.vols = np.zeros(0, dtype=np.int64)
        self.tree: cKDTree | None = None

    def offers(self, res: Residual, tasks: Array, room: Array, done: Array) -> ArcSet:
        """Each task's nearest eligible, worthwhile, untaken arc to a volunteer with room."""
        space = self.space
        if self.tree is None or (room[self.vols] <= 0).mean() > STALE_SHARE:
            self.vols = np.flatnonzero(room > 0)
            self.tree = (
                cKDTree(space.vol_xyz[self.vols], balanced_tree=False) if self.vols.size else None
            )
        if tasks.size == 0 or self.tree is None:
            return ArcSet.empty()
        kk = min(FAR_K, self.vols.size)
        reach = float(chord_for_metres(space.max_reach))
        _, ii = self.tree.query(
            space.task_xyz[tasks], k=kk, distance_upper_bound=reach, workers=self.workers.n
        )
        ii = ii.reshape(tasks.size, kk)
        found = ii < self.vols.size
        v = self.vols[np.where(found, ii, 0)]
        found &= room[v] > 0
        a = space.arcs_for(np.broadcast_to(tasks[:, None], ii.shape)[found], v[found])
        if not _by_task_then_cost(a):  # the tree's order already is, unless bonuses reorder
            a = a.take(np.lexsort((a.cost, a.task)))
        ok = (res.value[a.task] > a.cost) & ~in_sorted(done, a.task * space.nv + a.vol)
        return _first_per_task(a, ok)


def _accept(offers: ArcSet, res: Residual, room: Array, n_listed: int) -> tuple[ArcSet, Array]:
    """Each volunteer keeps its most valuable offers (then the nearest), up to its room; and
    which of those kept were among the first `n_listed` offers (from the candidate lists)."""
    order = np.lexsort((offers.cost, -res.value[offers.task], offers.vol))
    v_sorted = offers.vol[order]
    rank = np.arange(order.size) - np.searchsorted(v_sorted, v_sorted)
    kept = order[rank < room[v_sorted]]
    return offers.take(kept), kept < n_listed


def seed_arcs(
    space: Space, res: Residual, near: ArcSet, rounds: int = 8, workers: Workers = IN_LINE
) -> ArcSet:
    """Arcs of a deferred-acceptance assignment over `near` (the candidate arcs), reaching for
    volunteers with room beyond it (geographic problems) once a task's list is used up."""
    return ArcSet.concat(_accepted(space, res, near, rounds, workers))


def seed_beyond(
    space: Space, res: Residual, near: ArcSet, rounds: int = 8, workers: Workers = IN_LINE
) -> ArcSet:
    """The arcs of that assignment that are not in `near` (each once): what the seed adds to
    the candidates, with no search for duplicates. A volunteer is asked from beyond a task's
    list only once no arc of the list has room left, so none of these is on the list."""
    return ArcSet.concat(_accepted(space, res, near, rounds, workers, beyond_only=True))


def _accepted(
    space: Space,
    res: Residual,
    near: ArcSet,
    rounds: int,
    workers: Workers,
    beyond_only: bool = False,
) -> list[ArcSet]:
    """The arcs each round accepts (or only those from beyond the lists)."""
    # nearest lists come grouped by task, nearest first: a stable sort by task is nearly free
    near = near.take(np.argsort(near.task, kind="stable"))
    need, room = res.demand.copy(), res.cap.copy()
    taken = [ArcSet.empty()]
    done = np.zeros(0, dtype=np.int64)  # keys of arcs taken: a volunteer serves a task once
    gave_up = np.zeros(need.size, dtype=bool)  # nobody with room within reach can serve it
    rooms = _RoomTree(space, workers) if space.p.geo is not None else None
    for _ in range(rounds):
        near = near.take(np.flatnonzero((need[near.task] > 0) & (room[near.vol] > 0)))
        listed = _first_per_task(near, np.ones(near.size, dtype=bool))
        n_listed = listed.size
        has_offer = np.zeros(need.size, dtype=bool)
        has_offer[listed.task] = True
        beyond = np.flatnonzero((need > 0) & ~has_offer & ~gave_up)
        if rooms is not None and beyond.size:
            far = rooms.offers(res, beyond, room, done)
            gave_up[beyond] = True
            gave_up[far.task] = False
            listed = ArcSet.concat([listed, far])
        if listed.size == 0:
            break
        won, from_list = _accept(listed, res, room, n_listed)
        np.subtract.at(need, won.task, 1)
        np.subtract.at(room, won.vol, 1)
        taken.append(won.take(np.flatnonzero(~from_list)) if beyond_only else won)
        keys = np.sort(won.task * space.nv + won.vol)
        done = np.sort(np.r_[done, keys])
        near = near.take(np.flatnonzero(~in_sorted(keys, near.task * space.nv + near.vol)))
    return taken
