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

from matching.candidates import ArcSet, in_sorted
from matching.duals import NotOptimal, Prices, prices
from matching.flow import BIN_ARCS, Residual, solve_flow
from matching.parallel import IN_LINE, Workers

Array = np.ndarray
REPAIR_HOPS = (2, 8)  # repair regions tried: nodes this many steps from a broken arc
REPAIR_SHARE = 0.5  # repair only while the region holds less than this share of the part
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True, eq=False)
class _Solved:
    """A component's flow (mask over its arcs, ascending pool index) and its nodes' prices."""

    chosen: Array
    tasks: Array
    u: Array
    vols: Array
    w: Array


def solve_part(
    res: Residual,
    arcs: ArcSet,
    code: Array | None,
    before: Array | None = None,
    broken: Array | None = None,
    tight: Array | None = None,
) -> tuple[Array, Array, Array, bool]:
    """Flow and prices of one part (tasks and volunteers numbered locally): the chosen mask,
    u per local task, w per local volunteer, and whether a repair sufficed. Runs in a worker
    process or in line.

    With the flow of the last solve (`before`; it stays feasible: its arcs are all still here)
    and the new arcs that its prices do not cover (`broken`: negative slack), only the region
    around those is solved again, the rest keeps its flow; the prices of the whole part then
    prove the result optimal, or the whole part is solved after all."""
    if before is not None and broken is not None and tight is not None:
        for hops in REPAIR_HOPS:
            region = _region(res, arcs, before, broken, tight, hops)
            if region is None:
                break
            chosen = _repair(res, arcs, code, before, region)
            try:
                pr = prices(res, arcs, chosen)
                return chosen, pr.u, pr.w, True
            except NotOptimal:
                pass  # an improvement runs outside the region
    sol = solve_flow(res, arcs, code)
    pr = prices(res, arcs, sol.chosen)
    return sol.chosen, pr.u, pr.w, False


def _region(
    res: Residual, arcs: ArcSet, before: Array, broken: Array, tight: Array, hops: int
) -> Array | None:
    """Arcs among the nodes within `hops` steps of a broken arc, along chosen, tight and
    broken arcs (an improvement must run through a broken arc); None when that is most of the
    part."""
    nt, nv = res.demand.size, res.cap.size
    if not broken.any():
        return np.zeros(arcs.size, dtype=bool)  # the last prices still hold: so does the flow
    bind = np.flatnonzero(before | tight | broken)
    rows, cols = arcs.task[bind], nt + arcs.vol[bind]
    graph = coo_matrix(
        (np.ones(2 * bind.size, dtype=np.int8), (np.r_[rows, cols], np.r_[cols, rows])),
        shape=(nt + nv,) * 2,
    ).tocsr()
    inside = np.zeros(nt + nv, dtype=bool)
    inside[arcs.task[broken]] = True
    inside[nt + arcs.vol[broken]] = True
    for _ in range(hops):
        grown = inside | (graph @ inside.astype(np.int8) > 0)
        if grown.sum() == inside.sum():
            break
        inside = grown
    region = inside[arcs.task] & inside[nt + arcs.vol]
    return None if region.sum() > REPAIR_SHARE * arcs.size else region


def _repair(res: Residual, arcs: ArcSet, code: Array | None, before: Array, region: Array) -> Array:
    """The flow with `region` solved again: its tasks and volunteers keep only the demand and
    capacity that the kept flow elsewhere leaves them."""
    kept = before & ~region
    served = np.bincount(arcs.task[kept], minlength=res.demand.size)
    load = np.bincount(arcs.vol[kept], minlength=res.cap.size)
    rest = Residual(
        res.value,
        res.demand - served,
        res.cap - load,
        res.hours,
        res.fair_start + load,
        res.fairness_m,
    )
    inside = np.flatnonzero(region)
    chosen = kept.copy()
    chosen[inside[solve_flow(rest, arcs.take(inside), code).chosen]] = True
    return chosen


def _fingerprints(idx: Array, starts: Array) -> list[tuple[int, int, int]]:
    """(size, first pool index, 64-bit sum of mixed pool indices) per component: equal for the
    same arcs; two different arc sets of the same size and first arc collide with odds of
    about 2^-64."""
    with np.errstate(over="ignore"):
        x = idx.astype(np.uint64) * _MIX
        x ^= x >> np.uint64(29)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(32)
        sums = np.add.reduceat(x, starts) if idx.size else np.zeros(0, np.uint64)
    sizes = np.diff(np.r_[starts, idx.size])
    first = idx[starts] if idx.size else np.zeros(0, np.int64)
    return list(zip(sizes.tolist(), first.tolist(), sums.tolist(), strict=True))


def _nodes_of(label: Array, labels: Array, nt: int) -> list[tuple[Array, Array]]:
    """The tasks and the volunteers (ascending) of each component in `labels`, from the node
    labels of the connected components: one sort of the nodes, no sort of the arcs."""
    order = np.argsort(label, kind="stable")
    sorted_labels = label[order]
    lo, hi = np.searchsorted(sorted_labels, labels), np.searchsorted(sorted_labels, labels, "right")
    out = []
    for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
        nodes = order[a:b]
        out.append((nodes[nodes < nt], nodes[nodes >= nt] - nt))
    return out


class ComponentSolver:
    """Solves the active arcs of a certified search, reusing unchanged components."""

    def __init__(self, res: Residual, code: Array | None, workers: Workers = IN_LINE) -> None:
        self.res, self.code, self.workers = res, code, workers
        self.cache: dict[tuple[int, int, int], _Solved] = {}
        self.stats = {"arcs_solved": 0, "arcs_reused": 0, "arcs_kept": 0, "parts": 0, "repairs": 0}
        self.last_solved = 0  # arcs solved by the last call
        # the last solve: pool indices of its arcs and of the chosen ones, and its prices
        self._before: tuple[Array, Array, Prices] | None = None
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
        history = self._history(arcs, idx)
        kept: list[int] = []
        if history is not None and todo and self._flow_kept(idx):
            # changed, but no new arc beats the last prices
            bad = np.bincount(comp[history[1]], minlength=int(label.max()) + 1)
            kept = [i for i in todo if bad[c_sorted[starts[i]]] == 0]
            todo = [i for i in todo if bad[c_sorted[starts[i]]] > 0]
            if kept:
                sel = np.concatenate([order[starts[i] : ends[i]] for i in kept])
                self._keep(arcs, sel, history[0], chosen, u, w)
        self.last_solved = sum(int(ends[i] - starts[i]) for i in todo)
        self.stats["arcs_reused"] += arcs.size - self.last_solved
        parts = self._parts(arcs, order, starts, ends, todo)
        members = [[order[starts[i] : ends[i]] for i in part] for part in parts]
        jobs = [self._local(arcs, np.concatenate(m), history) for m in members]
        results = self.workers.run(solve_part, iter([job for job, _, _ in jobs]))
        for (_, tasks, vols), mem, (part_chosen, part_u, part_w, repaired) in zip(
            jobs, members, results, strict=True
        ):
            chosen[np.concatenate(mem)] = part_chosen
            u[tasks], w[vols] = part_u, part_w
            self.stats["arcs_solved"] += part_chosen.size
            self.stats["parts"] += 1
            self.stats["repairs"] += int(repaired)
        solved = [i for part in parts for i in part] + kept
        labels = c_sorted[starts[solved]] if solved else np.zeros(0, dtype=c_sorted.dtype)
        for i, (t, v) in zip(solved, _nodes_of(label, labels, nt), strict=True):
            arc_idx = order[starts[i] : ends[i]]
            cache[keys[i]] = _Solved(chosen[arc_idx], t, u[t], v, w[v])
        self.cache = cache
        self._before = (idx.copy(), idx[chosen], Prices(u, w))
        return chosen, Prices(u, w)

    def _flow_kept(self, idx: Array) -> bool:
        """Whether every arc of the last flow is still among the arcs (pool indices `idx`)."""
        assert self._before is not None
        return bool(in_sorted(idx, self._before[1]).all())

    def _keep(
        self,
        arcs: ArcSet,
        sel: Array,
        before: Array,
        chosen: Array,
        u: Array,
        w: Array,
    ) -> None:
        """Arcs `sel` (whole components) whose new arcs all price out against the last prices
        keep the last flow and those prices: they still prove it optimal (the flow stays
        feasible, as its arcs all stay active, and every arc now meets its dual condition)."""
        assert self._before is not None
        last = self._before[2]
        chosen[sel] = before[sel]
        t, v = arcs.task[sel], arcs.vol[sel]
        u[t], w[v] = last.u[t], last.w[v]
        self.stats["arcs_kept"] += sel.size

    def _history(self, arcs: ArcSet, idx: Array) -> tuple[Array, Array, Array] | None:
        """Per arc: used by the last flow, new since the last solve and priced out of it by
        its prices (negative slack: only these can improve the last flow), tight at them."""
        if self._before is None:
            return None
        active, used, pr = self._before
        before = in_sorted(used, idx)
        slack = pr.slack(self.res, arcs)
        broken = (slack < 0) & ~in_sorted(active, idx)
        return before, broken, slack <= 0

    def _local(
        self, arcs: ArcSet, sel: Array, history: tuple[Array, Array, Array] | None
    ) -> tuple[tuple[object, ...], Array, Array]:
        """The part `sel` of `arcs` with its tasks and volunteers numbered from 0 (what a
        worker is sent, with the part's history), and the global ids of those nodes."""
        r, nt = self.res, self.res.demand.size
        a = arcs.take(sel)
        tasks, lt = np.unique(a.task, return_inverse=True)
        vols, lv = np.unique(a.vol, return_inverse=True)
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
        # 32-bit fields halve what is pickled to a worker (local ids and metres fit easily;
        # the hours load is not used by the flow or the prices)
        i32 = np.int32
        part = ArcSet(
            lt.astype(i32),
            lv.astype(i32),
            a.dist.astype(i32),
            a.load.astype(np.float32),
            a.bonus.astype(i32),
        )
        past = () if history is None else tuple(h[sel] for h in history)
        return (local, part, code, *past), tasks, vols

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
