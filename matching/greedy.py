"""Greedy baseline: highest value first, each task takes its nearest free eligible volunteers."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from matching.accel.candidates import ArcSet, Space, in_sorted
from matching.flow import Residual

Array = np.ndarray


def _lists(space: Space, tasks: Array, vols: Array, k: int) -> ArcSet:
    """Candidate arcs of `tasks` among `vols`, sorted by task then cost."""
    if space.p.geo is None:
        a = space.all_explicit()
        a = a.take(np.flatnonzero(np.isin(a.task, tasks) & np.isin(a.vol, vols)))
    elif vols.size == 0 or tasks.size == 0:
        a = ArcSet.empty()
    else:
        kk = min(k, vols.size)
        _, ii = cKDTree(space.vol_xyz[vols]).query(space.task_xyz[tasks], k=kk)
        ii = ii.reshape(tasks.size, kk)
        a = space.arcs_for(np.repeat(tasks, kk), vols[ii.ravel()])
    return a.take(np.lexsort((a.cost, a.task)))


def greedy(space: Space, res: Residual, k: int = 40, rounds: int = 3) -> ArcSet:
    """Serve tasks in decreasing value; each takes its nearest free eligible volunteers while
    serving is worth the travel. Later rounds look further, among volunteers still free."""
    order = np.lexsort((np.arange(res.value.size), -res.value))
    pending = order[res.demand[order] > 0]
    need, used = res.demand.copy(), np.zeros(res.cap.size, dtype=np.int64)
    hours = np.zeros(res.cap.size)
    chosen: list[ArcSet] = []
    for _ in range(rounds):
        free = np.flatnonzero(used < res.cap)
        a = _lists(space, pending, free, k)
        if chosen:  # a task never takes the same volunteer twice
            done = np.sort(np.concatenate([c.task * space.nv + c.vol for c in chosen]))
            a = a.take(np.flatnonzero(~in_sorted(done, a.task * space.nv + a.vol)))
        starts = np.searchsorted(a.task, pending)
        ends = np.searchsorted(a.task, pending, side="right")
        worth = res.value[a.task] > a.cost
        for t, s, e in zip(pending.tolist(), starts.tolist(), ends.tolist(), strict=True):
            if s == e:
                continue
            vs = a.vol[s:e]
            ok = worth[s:e] & (used[vs] < res.cap[vs]) & (hours[vs] + a.load[s:e] <= res.hours[vs])
            pick = np.flatnonzero(ok)[: need[t]]
            if pick.size:
                used[vs[pick]] += 1
                hours[vs[pick]] += a.load[s:e][pick]
                need[t] -= pick.size
                chosen.append(a.take(s + pick))
        pending = pending[need[pending] > 0]
        k *= 4
        if space.p.geo is None or pending.size == 0:
            break
    return ArcSet.concat(chosen) if chosen else ArcSet.empty()
