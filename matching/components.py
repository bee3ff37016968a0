"""Optimal flow and dual prices over the active arcs, one connected component at a time.

Components of the active arcs share no task and no volunteer, so each has its own optimal flow
and, because the prices are shortest paths from a root pinned at 0 (duals.py), its own prices:
a shortest path from the root never leaves the component of the node it ends at. Between rounds
of the certified solve most components do not change (same arcs, same residual), so they keep
their flow and prices and only the changed ones are solved again, packed into parts of about
flow.BIN_ARCS arcs along the Z-order, in the worker processes when there are several cores.
Each part is priced where it is solved, so the Bellman-Ford runs in parallel as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matching.candidates import ArcSet
from matching.duals import Prices, prices
from matching.flow import BIN_ARCS, Residual, solve_flow
from matching.parallel import IN_LINE, Workers

Array = np.ndarray
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)


@dataclass(frozen=True, eq=False)
class _Solved:
    """A component's flow (mask over its arcs, ascending pool index) and its nodes' prices."""

    chosen: Array
    tasks: Array
    u: Array
    vols: Array
    w: Array


def solve_part(res: Residual, arcs: ArcSet, code: Array | None) -> tuple[Array, Array, Array]:
    """Flow and prices of one part (tasks and volunteers numbered locally): the chosen mask,
    u per local task, w per local volunteer. Runs in a worker process or in line."""
    sol = solve_flow(res, arcs, code)
    pr = prices(res, arcs, sol.chosen)
    return sol.chosen, pr.u, pr.w


def _fingerprints(idx: Array, starts: Array) -> list[tuple[int, int, int]]:
    """(size, two 64-bit sums of mixed pool indices) per component: equal for the same arcs,
    and a collision between different arc sets has odds of about 2^-128."""
    with np.errstate(over="ignore"):
        x = idx.astype(np.uint64)[:, None] * _MIX
        x ^= x >> np.uint64(29)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(32)
        sums = np.add.reduceat(x, starts, axis=0) if idx.size else np.zeros((0, 2), np.uint64)
    sizes = np.diff(np.r_[starts, idx.size])
    return list(zip(sizes.tolist(), sums[:, 0].tolist(), sums[:, 1].tolist(), strict=True))


class ComponentSolver:
    """Solves the active arcs of a certified search, reusing unchanged components."""

    def __init__(self, res: Residual, code: Array | None, workers: Workers = IN_LINE) -> None:
        self.res, self.code, self.workers = res, code, workers
        self.cache: dict[tuple[int, int, int], _Solved] = {}
        self.stats = {"arcs_solved": 0, "arcs_reused": 0, "parts": 0}
        self.last_solved = 0  # arcs solved by the last call
        empty = ArcSet.empty()
        self.idle = prices(res, empty, np.zeros(0, dtype=bool))  # nodes on no active arc

    def solve(self, arcs: ArcSet, idx: Array) -> tuple[Array, Prices]:
        """Optimal flow over `arcs` (pool indices `idx`, ascending) and its prices."""
        nt, nv = self.res.demand.size, self.res.cap.size
        u, w = self.idle.u.copy(), self.idle.w.copy()
        chosen = np.zeros(arcs.size, dtype=bool)
        if arcs.size == 0:
            self.cache, self.last_solved = {}, 0
            return chosen, Prices(u, w)
        graph = coo_matrix(
            (np.ones(arcs.size, dtype=np.int8), (arcs.task, nt + arcs.vol)), shape=(nt + nv,) * 2
        )
        _, label = connected_components(graph, directed=False)
        comp = label[arcs.task]
        order = np.argsort(comp, kind="stable")  # by component, ascending pool index within
        c_sorted = comp[order]
        starts = np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]])
        ends = np.r_[starts[1:], order.size]
        keys = _fingerprints(idx[order], starts)
        cache: dict[tuple[int, int, int], _Solved] = {}
        todo: list[int] = []
        for i, key in enumerate(keys):
            done = self.cache.get(key)
            if done is None:
                todo.append(i)
                continue
            cache[key] = done
            chosen[order[starts[i] : ends[i]]] = done.chosen
            u[done.tasks], w[done.vols] = done.u, done.w
        self.last_solved = sum(int(ends[i] - starts[i]) for i in todo)
        self.stats["arcs_reused"] += arcs.size - self.last_solved
        parts = self._parts(arcs, order, starts, ends, todo)
        members = [[order[starts[i] : ends[i]] for i in part] for part in parts]
        jobs = [self._local(arcs.take(np.concatenate(m))) for m in members]
        results = self.workers.run(solve_part, iter([job for job, _, _ in jobs]))
        for (_, tasks, vols), mem, (part_chosen, part_u, part_w) in zip(
            jobs, members, results, strict=True
        ):
            chosen[np.concatenate(mem)] = part_chosen
            u[tasks], w[vols] = part_u, part_w
            self.stats["arcs_solved"] += part_chosen.size
            self.stats["parts"] += 1
        solved = [i for part in parts for i in part]
        arc_lists = [m for mem in members for m in mem]
        for i, arc_idx, t, v in zip(solved, arc_lists, *self._nodes(arcs, arc_lists), strict=True):
            cache[keys[i]] = _Solved(chosen[arc_idx], t, u[t], v, w[v])
        self.cache = cache
        return chosen, Prices(u, w)

    def _nodes(self, arcs: ArcSet, arc_lists: list[Array]) -> tuple[list[Array], list[Array]]:
        """The tasks and the volunteers of each component (given by its arcs), in one pass."""
        if not arc_lists:
            return [], []
        sizes = np.array([a.size for a in arc_lists])
        comp = np.repeat(np.arange(sizes.size), sizes)
        every = np.concatenate(arc_lists)

        def split(ids: Array, n: int) -> list[Array]:
            pairs = np.unique(comp * n + ids[every])
            cuts = np.searchsorted(pairs // n, np.arange(1, sizes.size))
            return np.split(pairs % n, cuts)

        return split(arcs.task, self.res.demand.size), split(arcs.vol, self.res.cap.size)

    def _local(self, arcs: ArcSet) -> tuple[tuple[Residual, ArcSet, Array | None], Array, Array]:
        """A part with its tasks and volunteers numbered from 0 (what a worker is sent), and
        the global ids of those tasks and volunteers."""
        r, nt = self.res, self.res.demand.size
        tasks, lt = np.unique(arcs.task, return_inverse=True)
        vols, lv = np.unique(arcs.vol, return_inverse=True)
        local = Residual(
            r.value[tasks],
            r.demand[tasks],
            r.cap[vols],
            r.hours[vols],
            r.fair_start[vols],
            r.fairness_m,
        )
        code = (
            None if self.code is None else np.concatenate([self.code[tasks], self.code[nt + vols]])
        )
        part = ArcSet(lt.astype(np.int64), lv.astype(np.int64), arcs.dist, arcs.load, arcs.bonus)
        return (local, part, code), tasks, vols

    def _parts(
        self, arcs: ArcSet, order: Array, starts: Array, ends: Array, todo: list[int]
    ) -> list[list[int]]:
        """Changed components packed into parts of about BIN_ARCS arcs, in Z-order."""
        if not todo:
            return []
        if self.code is not None:
            first = arcs.task[order[starts[todo]]]
            todo = [todo[j] for j in np.argsort(self.code[first], kind="stable")]
        parts: list[list[int]] = [[]]
        size = 0
        for i in todo:
            n = int(ends[i] - starts[i])
            if size and size + n > BIN_ARCS:
                parts.append([])
                size = 0
            parts[-1].append(i)
            size += n
        return parts
