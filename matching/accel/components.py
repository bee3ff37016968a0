"""Optimal flow and dual prices over the active arcs, one connected component at a time.

Components of the active arcs share no task and no volunteer, so each has its own optimal flow
and, because the prices are shortest paths from a root pinned at 0 (duals.py), its own prices:
a shortest path from the root never leaves the component of the node it ends at. Between rounds
of the certified solve most components do not change (same arcs, same residual), so they keep
their flow and prices; a changed one whose new arcs all price out against the last prices
keeps them too; the others are packed into parts of about flow.BIN_ARCS arcs along the Z-order
and sent to the worker processes when there are several cores. A part with few new arcs that
beat the last prices is repaired from the last flow by cancelling their cycles (cancel.py),
which also yields its prices; any other part is solved again and priced where it is solved, so
the Bellman-Ford runs in parallel as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matching.accel.cancel import cancel_broken
from matching.accel.candidates import ArcSet
from matching.accel.parallel import IN_LINE, Workers
from matching.certificate.duals import Prices, prices
from matching.flow import BIN_ARCS, Residual, solve_flow

Array = np.ndarray
# A part repairs its broken arcs by cancelling cycles while it has at most this many, or one
# per ARCS_PER_CANCEL arcs (measured on the district's parts: about 0.4 ms per broken arc
# plus 5 ms, against 1.7 µs per arc for a new solve)
CANCEL_MIN = 16
ARCS_PER_CANCEL = 250
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
    u: Array | None = None,
    w: Array | None = None,
) -> tuple[Array, Array, Array, bool]:
    """Flow and prices of one part (tasks and volunteers numbered locally): the chosen mask,
    u per local task, w per local volunteer, and whether a repair sufficed. Runs in a worker
    process or in line.

    With the flow of the last solve (`before`; it stays feasible: its arcs are all still here),
    its prices (u, w) and the new arcs that they do not cover (`broken`: negative slack), the
    flow is repaired by cancelling the cycles of the broken arcs while they are few for the
    part's size (cancel.py: one bounded Dijkstra each), and solved again otherwise."""
    few = broken is not None and broken.sum() <= max(CANCEL_MIN, arcs.size // ARCS_PER_CANCEL)
    if few and before is not None and broken is not None and u is not None and w is not None:
        cancelled = cancel_broken(res, arcs, before, u, w, broken)
        if cancelled is not None:
            return cancelled[0], cancelled[1].u, cancelled[1].w, True
    sol = solve_flow(res, arcs, code)
    pr = prices(res, arcs, sol.chosen)
    return sol.chosen, pr.u, pr.w, False


def _renumber(ids: Array, scratch: Array) -> tuple[Array, Array]:
    """The distinct ids (ascending) and each id's position among them, as int32 (what
    np.unique with return_inverse gives, through a scratch array of -1s instead of a sort;
    the scratch is left as it was)."""
    seen = np.zeros(scratch.size, dtype=bool)
    seen[ids] = True
    distinct = np.flatnonzero(seen)
    scratch[distinct] = np.arange(distinct.size, dtype=np.int32)
    local = scratch[ids]
    scratch[distinct] = -1
    return distinct, local


def _mask(idx: Array) -> Array:
    """A boolean array over indices 0..max(idx), True at idx."""
    out = np.zeros(int(idx.max(initial=-1)) + 1, dtype=bool)
    out[idx] = True
    return out


def _member(mask: Array, idx: Array) -> Array:
    """mask[idx], False where idx lies beyond the mask."""
    out = np.zeros(idx.size, dtype=bool)
    inside = idx < mask.size
    out[inside] = mask[idx[inside]]
    return out


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
        # the last solve: masks over pool indices of its arcs and of the chosen ones, the
        # number of chosen ones, and its prices
        self._before: tuple[Array, Array, int, Prices] | None = None
        self._task_ids = np.full(res.demand.size, -1, dtype=np.int32)  # scratch for _renumber
        self._vol_ids = np.full(res.cap.size, -1, dtype=np.int32)
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
        nodes: list[tuple[Array, Array]] = []

        def jobs() -> Iterator[tuple[object, ...]]:
            """Built as the workers ask for them: the first part solves while the rest are cut."""
            for m in members:
                job, tasks, vols = self._local(arcs, np.concatenate(m), history)
                nodes.append((tasks, vols))
                yield job

        results = self.workers.run(solve_part, jobs())
        for (tasks, vols), mem, (part_chosen, part_u, part_w, repaired) in zip(
            nodes, members, results, strict=True
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
        self._before = (_mask(idx), _mask(idx[chosen]), int(chosen.sum()), Prices(u, w))
        return chosen, Prices(u, w)

    def _flow_kept(self, idx: Array) -> bool:
        """Whether every arc of the last flow is still among the arcs (pool indices `idx`)."""
        assert self._before is not None
        return int(_member(self._before[1], idx).sum()) == self._before[2]

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
        last = self._before[3]
        chosen[sel] = before[sel]
        t, v = arcs.task[sel], arcs.vol[sel]
        u[t], w[v] = last.u[t], last.w[v]
        self.stats["arcs_kept"] += sel.size

    def _history(self, arcs: ArcSet, idx: Array) -> tuple[Array, Array] | None:
        """Per arc: used by the last flow, and new since the last solve and priced out of it
        by its prices (negative slack: only these can improve the last flow)."""
        if self._before is None:
            return None
        active, used, _, pr = self._before
        before = _member(used, idx)
        broken = (pr.slack(self.res, arcs) < 0) & ~_member(active, idx)
        return before, broken

    def _local(
        self, arcs: ArcSet, sel: Array, history: tuple[Array, Array] | None
    ) -> tuple[tuple[object, ...], Array, Array]:
        """The part `sel` of `arcs` with its tasks and volunteers numbered from 0 (what a
        worker is sent, with the part's history), and the global ids of those nodes."""
        r, nt = self.res, self.res.demand.size
        t, v = arcs.task[sel], arcs.vol[sel]
        tasks, lt = _renumber(t, self._task_ids)
        vols, lv = _renumber(v, self._vol_ids)
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
        # what a worker is sent is kept small: 32-bit ids and costs (local ids and metres fit
        # easily), the cost as the distance and no bonus or hours load (the flow, the prices
        # and the repair read only the cost)
        none = np.zeros(sel.size, dtype=np.int8)
        part = ArcSet(lt, lv, (arcs.dist[sel] - arcs.bonus[sel]).astype(np.int32), none, none)
        past: tuple[Array, ...] = ()
        if history is not None:
            assert self._before is not None
            last = self._before[3]
            past = (*(h[sel] for h in history), last.u[tasks], last.w[vols])
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
